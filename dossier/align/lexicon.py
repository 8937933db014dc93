"""Synonyms from WordNet 3.0 as Debian's `wordnet-base` installs it (/usr/share/wordnet), offline.

Only the index files are read: each lemma lists its senses, most frequent first. A word's concepts
are its first senses (one per part of speech it has) and, weighing less, the next ones; two words
sharing one are taken as synonyms (phone/telephone, jewellery/jewelry, imprisoned/jailed,
stepped down/resigned). The mapping depends on the word alone,
never on the dossier: pair scores stay a function of
the pair, which is what lets the aligner re-score only the passages that changed.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.dossier")
WORDNET = Path(os.environ.get("DOSSIER_WORDNET", "/usr/share/wordnet"))
POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}
SENSES = 2  # senses kept per lemma and part of speech, most frequent first
# Inflection endings WordNet's morphy strips, per part of speech (its documented detachment rules).
ENDINGS = {
    "n": [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")],
    "v": [("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""), ("ing", "e"), ("ing", "")],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}


class Lexicon:
    def __init__(self, folder: Path = WORDNET):
        self.senses: dict[str, dict[str, tuple[str, ...]]] = {p: {} for p in POS.values()}
        self.exceptions: dict[str, dict[str, str]] = {p: {} for p in POS.values()}
        self.known: dict[str, set[str]] = {p: set() for p in POS.values()}  # single words and phrase heads
        self.available = (folder / "index.noun").exists()
        if not self.available:
            log.warning("dossier: WordNet not found in %s (install Debian's wordnet-base); "
                        "aligning without synonyms", folder)
            return
        for name, pos in POS.items():
            table = self.senses[pos]
            for line in (folder / f"index.{name}").read_text(encoding="latin-1").splitlines():
                if line.startswith(" "):
                    continue  # licence header
                parts = line.split()
                lemma, pointers = parts[0], int(parts[3])
                if lemma.count("_") > 1:
                    continue  # phrases of two words at most are looked up
                table[lemma] = tuple(parts[6 + pointers:6 + pointers + SENSES])  # most frequent first
                self.known[pos].add(lemma.partition("_")[0])
            exc = folder / f"{name}.exc"
            if exc.exists():
                for line in exc.read_text(encoding="latin-1").splitlines():
                    form, *bases = line.split()
                    if bases:
                        self.exceptions[pos][form] = bases[0]

    @lru_cache(maxsize=500_000)  # noqa: B019 (one lexicon per process)
    def lemma(self, word: str, pos: str) -> str | None:
        """WordNet's base form of an inflected word (morphy's rules), if the lexicon has it."""
        table = self.known[pos]
        if word in table:
            return word
        base = self.exceptions[pos].get(word)
        if base in table:
            return base
        for ending, replacement in ENDINGS[pos]:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                candidate = word[: len(word) - len(ending)] + replacement
                if candidate in table:
                    return candidate
        return None

    def concepts(self, word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The word's (or two-word phrase's, joined by "_": "step_down", "stepped_down") senses:
        the first of each part of speech it has, then the next SENSES - 1 of each, e.g.
        (("n04401088", "v00789466"), ("n07111047",))."""
        head, _, tail = word.partition("_")
        first, more = [], []
        for pos in POS.values():
            lemma = self.lemma(head, pos)
            lemma = lemma and (f"{lemma}_{tail}" if tail else lemma)
            if lemma in self.senses[pos]:
                offsets = self.senses[pos][lemma]
                first.append(pos + offsets[0])
                more.extend(pos + offset for offset in offsets[1:])
        return tuple(first), tuple(more)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon()


@lru_cache(maxsize=1)
def phrase_tails() -> frozenset[str]:
    """Second words of WordNet's two-word phrases ("down" of "step_down"): only these are looked up."""
    return frozenset().union(*(tails for heads in _phrase_heads().values() for tails in heads.values()))


@lru_cache(maxsize=1)
def _phrase_heads() -> dict[str, dict[str, frozenset[str]]]:
    """Per part of speech: a phrase's first word -> the second words it takes ("step" -> "down", ...)."""
    heads: dict[str, dict[str, set[str]]] = {}
    for pos, table in lexicon().senses.items():
        for lemma in table:
            head, _, tail = lemma.partition("_")
            if tail:
                heads.setdefault(pos, {}).setdefault(head, set()).add(tail)
    return {pos: {head: frozenset(tails) for head, tails in found.items()} for pos, found in heads.items()}


@lru_cache(maxsize=500_000)
def tails_after(word: str) -> frozenset[str]:
    """The second words of the two-word phrases `word` can open ("down" after "stepped"): the
    phrases `concepts(f"{word}_{tail}")` finds senses for. Most word pairs form no phrase, and
    asking this first spares looking each of them up."""
    found: set[str] = set()
    for pos, heads in _phrase_heads().items():
        lemma = lexicon().lemma(word, pos)
        if lemma in heads:
            found |= heads[lemma]
    return frozenset(found)


@lru_cache(maxsize=500_000)
def concepts(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return lexicon().concepts(word)


@lru_cache(maxsize=1)
def _caused() -> dict[str, tuple[str, ...]]:
    """Verb synset (as `concepts` names it: "v01323976") -> the verb synsets it causes (WordNet's
    cause pointer ">": kill > die, show > see, feed > eat)."""
    found: dict[str, tuple[str, ...]] = {}
    if not lexicon().available:
        return found
    with (WORDNET / "data.verb").open(encoding="latin-1") as lines:
        for line in lines:
            if line.startswith(" "):
                continue  # licence header
            parts = line.split()
            at = 4 + 2 * int(parts[3], 16)  # the pointer count, after the synset's words
            targets = [parts[at + 3 + 4 * k] + parts[at + 2 + 4 * k]
                       for k in range(int(parts[at])) if parts[at + 1 + 4 * k] == ">"]
            if targets:
                found["v" + parts[0]] = tuple(targets)
    return found


@lru_cache(maxsize=500_000)
def caused(first_senses: tuple[str, ...]) -> tuple[str, ...]:
    """What a word's first senses cause: "killed" -> die (v00358431)."""
    table = _caused()
    return tuple(dict.fromkeys(c for sense in first_senses for c in table.get(sense, ()) if c not in first_senses))
