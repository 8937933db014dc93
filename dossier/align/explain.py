"""Why two passages link, where in each the shared fact sits, and how their wordings differ."""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Indel

from ..text import normalise, stem
from .tokens import Clause, Token

FIGURE_REACH = 3  # content words after a figure (and its units) where its subject may be: "35 different nationalities"
SPAN_GAP = 6  # shared words further apart than this many content words start a new run
QUOTE_WORDS = 3  # shared words inside quotation marks that make a quoted statement
PREDICATE_WORDS = 2  # shared words that tell (not names, dates, titles) that make a predicate with its argument...
PREDICATE_WINDOW = 5  # ...within this many content words of one another
# Units and ordinals measure or place a figure; they tell no fact by themselves (stems).
UNITS = frozenset(stem(w) for w in """percent per cent point points year years month months week weeks day days
hour hours minute minutes second seconds quarter half times million billion thousand hundred
euro euros dollar dollars pound pounds first third fourth fifth""".split())


def shared_tokens(left: tuple[Token, ...], right: tuple[Token, ...]):
    """Tokens of each side that match the other by stem or by a WordNet concept."""
    stems_r = {t.stem for t in right}
    concepts_r = {c for t in right for c in t.concepts}
    stems_l = {t.stem for t in left}
    concepts_l = {c for t in left for c in t.concepts}
    on_left = [t for t in left if t.stem in stems_r or set(t.concepts) & concepts_r]
    on_right = [t for t in right if t.stem in stems_l or set(t.concepts) & concepts_l]
    return on_left, on_right


def _densest(hits: list[Token], toks: tuple[Token, ...], within: tuple[Token, ...]) -> tuple[int, int] | None:
    """The character span of the heaviest run of shared words that reaches into `within` (the
    clause that matched), runs broken by more than SPAN_GAP content words that are not shared."""
    if not hits:
        return None
    position = {id(t): k for k, t in enumerate(toks)}
    inside = {id(t) for t in within}
    runs, current = [], [hits[0]]
    for t in hits[1:]:
        if position[id(t)] - position[id(current[-1])] > SPAN_GAP:
            runs.append(current)
            current = []
        current.append(t)
    runs.append(current)
    reaching = [run for run in runs if any(id(t) in inside for t in run)] or runs
    best = max(reaching, key=lambda run: sum(t.weight for t in run))
    return best[0].start, best[-1].end


def _part(toks: tuple[Token, ...], clauses: tuple[Clause, ...], k: int) -> tuple[Token, ...]:
    return toks if k < 0 else toks[clauses[k].start:clauses[k].end]


def explain(a: tuple[tuple[Token, ...], tuple[Clause, ...]], b: tuple[tuple[Token, ...], tuple[Clause, ...]],
            clause_a: int, clause_b: int) -> tuple[tuple[tuple[int, int], tuple[int, int]], dict]:
    """The matched span in each passage (character offsets) and the shared words, rarest first.

    The span is the run of shared words around the clauses that matched best, so a fact told
    across a clause boundary ("normalize relations ... and seek constructive cooperation") shows
    whole."""
    part_a, part_b = _part(a[0], a[1], clause_a), _part(b[0], b[1], clause_b)
    on_a, on_b = ([t for t in side if t.kind in ("word", "number")] for side in shared_tokens(a[0], b[0]))
    span_a = _densest(on_a, a[0], part_a) or (part_a[0].start, part_a[-1].end)
    span_b = _densest(on_b, b[0], part_b) or (part_b[0].start, part_b[-1].end)
    in_a, _ = shared_tokens(part_a, part_b)
    stems_b = {t.stem: t.word for t in part_b}
    same = sorted({t.stem: t for t in in_a if t.stem in stems_b}.values(), key=lambda t: (-t.weight, t.word))
    by_concept = {c: t for t in part_b for c in t.concepts}
    variants = []
    for t in in_a:
        if t.stem not in stems_b:
            other = next((by_concept[c] for c in t.concepts if c in by_concept), None)
            if other and [t.word, other.word] not in variants:
                variants.append([t.word, other.word])
    return (span_a, span_b), {"shared_terms": [t.word for t in same[:8]], "variants": variants}


def carried_fact(in_a: tuple[Token, ...], in_b: tuple[Token, ...],
                 quoted_a: list[tuple[int, int]], quoted_b: list[tuple[int, int]]) -> str | None:
    """What the matched tokens of two passages (the clauses that matched, or the wholes) share
    that makes a fact, or None when they share only a word or
    two, a title, names or dates: "quote" (QUOTE_WORDS words inside quotation marks on both
    sides), "figure" (a number near a word that tells, on both sides), or "predicate" (see
    `_predicate`, on both sides)."""
    if not in_a or not in_b:
        return None
    on_a, on_b = shared_tokens(in_a, in_b)
    if min(_inside(on_a, quoted_a), _inside(on_b, quoted_b)) >= QUOTE_WORDS:
        return "quote"
    if _figure(in_a, on_a) and _figure(in_b, on_b):
        return "figure"
    if _predicate(in_a, on_a) and _predicate(in_b, on_b):
        return "predicate"
    return None


def _figure(toks: tuple[Token, ...], shared: list[Token]) -> bool:
    """A shared number with its subject: a shared word among the FIGURE_REACH after it and its
    units ("40 people", "20 million lira", "35 different nationalities"), or, when only units
    follow ("8 percent"), a word that tells just before it ("revenue rose 8 percent")."""
    ids = {id(t) for t in shared}
    for k, t in enumerate(toks):
        if t.kind != "number" or id(t) not in ids:
            continue
        n = k + 1
        while n < len(toks) and toks[n].stem in UNITS and id(toks[n]) in ids:  # "20 million lira"
            n += 1
        after = toks[n] if n < len(toks) else None
        if any(u.kind == "word" and id(u) in ids for u in toks[n:n + FIGURE_REACH]):
            return True
        if n == k + 1 and after is not None:
            continue
        if any(u.kind == "word" and u.stem not in UNITS and id(u) in ids for u in toks[max(k - 3, 0):k]):
            return True
    return False


def _predicate(toks: tuple[Token, ...], shared: list[Token]) -> bool:
    """Shared words within PREDICATE_WINDOW content words of one another that make a predicate with
    its argument: a word that can be a verb with another word that tells, or with a
    name or date ("Lasz was acquitted"); or more than PREDICATE_WORDS words that tell. A figure
    is no argument here: without its subject it may count anything (`_figure`)."""
    ids = {id(t) for t in shared}
    for k in range(len(toks)):
        window = [t for t in toks[k:k + PREDICATE_WINDOW] if id(t) in ids]
        telling = {t.stem for t in window if t.kind == "word" and t.stem not in UNITS}
        predicates = {t.stem for t in window if t.kind == "word" and t.stem not in UNITS and
                      any(c[0] == "v" for c in t.concepts)}
        if len(telling) > PREDICATE_WORDS or (predicates and (len(telling) >= PREDICATE_WORDS or any(
                t.kind in ("name", "date") for t in window))):
            return True
    return False


def _inside(toks: list[Token], spans: list[tuple[int, int]]) -> int:
    return len({t.stem for t in toks if any(a < t.start < b for a, b in spans)})


@lru_cache(maxsize=200_000)
def _word_key(word: str) -> str:
    """Words compare without case, quote style and surrounding punctuation."""
    return normalise(word).strip(".,;:!?\"'()[]")


def _opcodes(left: str, right: str):
    """Words of each side and difflib-style opcodes between them: a longest common subsequence of
    words (RapidFuzz's Indel, in C++), the changes between two equal runs as one "replace"."""
    a, b = re.findall(r"\S+", left), re.findall(r"\S+", right)
    opcodes, pending = [], None
    for tag, i1, i2, j1, j2 in Indel.opcodes([_word_key(w) for w in a], [_word_key(w) for w in b]).as_list():
        if tag == "equal":
            if pending:
                opcodes.append(pending)
                pending = None
            opcodes.append((tag, i1, i2, j1, j2))
        else:
            pending = ("replace", pending[1], i2, pending[3], j2) if pending else ("replace", i1, i2, j1, j2)
    if pending:
        opcodes.append(pending)
    return a, b, opcodes


def word_diff(left: str, right: str) -> list[list[str]]:
    """Word-level difference as [op, text] runs: "=" both (left's wording), "-" left only, "+" right only."""
    a, b, opcodes = _opcodes(left, right)
    runs: list[list[str]] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            runs.append(["=", " ".join(a[i1:i2])])
            continue
        if i2 > i1:
            runs.append(["-", " ".join(a[i1:i2])])
        if j2 > j1:
            runs.append(["+", " ".join(b[j1:j2])])
    return runs


def diff_sides(left: str, right: str) -> tuple[list[tuple[bool, str]], list[tuple[bool, str]]]:
    """Each side's own words as (differs, text) runs, for showing two passages side by side.

    A word counts as differing only if the other side lacks it altogether, so a word that merely
    moved ("Putin and Trump will..." / "...Putin and Trump both...") is not marked. That needs no
    alignment of the two sides: a word the other side lacks is never in a run they share.
    """
    (words_l, keys_l, set_l), (words_r, keys_r, set_r) = _keyed(left), _keyed(right)
    return _runs(words_l, keys_l, set_r), _runs(words_r, keys_r, set_l)


@lru_cache(maxsize=100_000)
def _keyed(text: str) -> tuple[list[str], list[str], frozenset[str]]:
    """A text's words, their keys, and the set of its keys (read only: shared between calls; a
    passage is shown beside each of its parallels, on the comparison pages of both articles)."""
    words = re.findall(r"\S+", text)
    keys = [_word_key(w) for w in words]
    return words, keys, frozenset(keys)


def _runs(words: list[str], keys: list[str], present: frozenset[str]) -> list[tuple[bool, str]]:
    runs, start = [], 0
    flags = [key not in present for key in keys]
    for k in range(1, len(flags)):
        if flags[k] != flags[start]:
            runs.append((flags[start], " ".join(words[start:k])))
            start = k
    if flags:
        runs.append((flags[start], " ".join(words[start:])))
    return runs


def forget_texts() -> None:
    """Drops what `diff_sides` kept of each text (2 KB a passage), so that a long `mkdocs serve`
    does not hold it between rebuilds."""
    _keyed.cache_clear()
