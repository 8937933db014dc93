"""Passages as content words with their place in the text, and the clauses they form.

CollateX's lesson: keep each token's surface and normalised form side by side. A token knows its
stem (what it matches on), its concepts (WordNet synonyms), its weight (how rare the word is in
general English, so "the state" weighs less than "sanctions") and its character span in the
passage, so a match can be shown where it is. Everything here depends on the passage alone.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from typing import NamedTuple


from ..text import NUMBER_WORDS, STOPWORDS, stem
from .lexicon import concepts, phrase_tails, tails_after

QUOTED_WEIGHT = 1.5  # quoted words are the statement's own words
NAME_WEIGHT = 0.5  # names say what a story is about, not which fact a sentence tells
NUMBER_WEIGHT = 1.5  # a figure is a fact's most checkable part
RARITY_TOP, RARITY_SPAN, RARITY_FLOOR = 7.5, 3.0, 0.1  # Zipf 7.5 ("the") weighs nothing; 4.5 weighs 1
WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*")
QUOTE_MARKS = "\"“”„«»"
# Where a clause ends: punctuation, or a word that opens a new clause.
CLAUSE_BREAK = re.compile(r"[,;:()–—]\s|\s[-–—]\s|\s(?=(?:and|but|while|whereas|which|who|although|though|"
                          r"because|after|before|as well as|so that|while)\s)", re.IGNORECASE)
MIN_CLAUSE_TERMS = 3  # shorter pieces join the clause before them
# Words that place or attribute a fact rather than tell it: when, and who said so.
DATES = frozenset("""monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow
tonight morning afternoon evening night week weekend month year day days weeks months years earlier later
last next ago january february march april may june july august september october november december
""".split())
REPORTING = frozenset("""told reporters reporter announced announcement statement confirmed added stated
reported spokesman spokeswoman spokesperson official officials agency news press interview quoted
according claimed insisted noted explained wrote""".split())
DATE_WEIGHT = 0.4  # relative weight of DATES and REPORTING words
# Titles name a person, as names do ("the mayor, Ana Sorell"), and weigh as names.
TITLES = frozenset("""mayor leader minister president director chief executive chairman chairwoman chair
governor secretary spokesman spokeswoman premier chancellor senator judge head boss ceo elect""".split())


class Token(NamedTuple):  # a tuple: a dossier makes hundreds of thousands, and a tuple is made 3x faster
    stem: str
    word: str  # lower case, as in the text (numbers as digits)
    start: int  # character span in the passage text
    end: int
    weight: float
    concepts: tuple[str, ...]
    kind: str = "word"  # "word" (tells the fact), "name", "number", "date" (dates and attribution)
    primary: int = 0  # concepts[:primary] are first senses, the rest less frequent ones


_token = tuple.__new__  # Token(...) without the keyword handling of a NamedTuple's __new__: a third of the time


@dataclass(frozen=True)
class Clause:
    start: int  # token indices [start, end)
    end: int


@lru_cache(maxsize=100_000)
def rarity(word: str) -> float:
    return max((RARITY_TOP - _zipf(word)) / RARITY_SPAN, RARITY_FLOOR)


def _zipf(word: str) -> float:
    """wordfreq's `zipf_frequency(word, "en")`. A listed word of plain lower-case letters, which
    wordfreq's tokeniser leaves as it is, is read from its table with wordfreq's own arithmetic:
    the same figure without the tokenising (a twentieth of the time)."""
    freq = _frequencies().get(word) if word.isascii() and word.isalpha() and word.islower() else None
    if freq is None:
        return wordfreq().zipf_frequency(word, "en")
    freq = max(1.0 / (1.0 / freq), wordfreq().zipf_to_freq(0.0))  # zipf_frequency's floor, as a frequency
    return round(wordfreq().freq_to_zipf(round(freq, math.floor(-math.log(freq, 10)) + 3)), 2)


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    return wordfreq().get_frequency_dict("en")


@lru_cache(maxsize=1)
def wordfreq():
    """The wordfreq module, imported when first needed (a sixth of a second): a build whose
    alignment is cached may never need it."""
    import wordfreq as module

    return module


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans between opening and closing quotation marks (straight quotes pair up in order)."""
    spans, opened = [], None
    for m in re.finditer(f"[{QUOTE_MARKS}]", text):
        if opened is None:
            opened = m.start()
        else:
            spans.append((opened, m.end()))
            opened = None
    return spans


LEXICAL: dict[str, tuple | None] = {}  # what `_lexical` found of each word: a dossier repeats its words
LEXICAL_MAX = 500_000  # words kept before the memo starts again
_UNKNOWN = object()


def _lexical(raw: str) -> tuple[str, str, str, float, tuple[str, ...]] | None:
    """What a word (lower case) is, apart from where it stands: (word, stem, kind, weight, concepts);
    None for function words. Remembered in LEXICAL, which the loops below read first; a plain
    dict, so a forked worker can hand back what it learnt (`learnt_since`, `learn`)."""
    found = LEXICAL.get(raw, _UNKNOWN)
    if found is _UNKNOWN:
        if len(LEXICAL) >= LEXICAL_MAX:
            LEXICAL.clear()
        found = LEXICAL[raw] = _lexical_of(raw)
    return found


def learnt_since(size: int) -> list[tuple[str, tuple | None]]:
    """The words LEXICAL learnt since it held `size` (none if it started again meanwhile)."""
    return list(islice(LEXICAL.items(), size, None))


def learn(entries: list[tuple[str, tuple | None]]) -> None:
    """What another process learnt of some words (`learnt_since`), kept here."""
    if len(LEXICAL) + len(entries) >= LEXICAL_MAX:
        LEXICAL.clear()
    LEXICAL.update(entries)


def _lexical_of(raw: str) -> tuple[str, str, str, float, tuple[str, ...]] | None:
    word = raw[:-2] if raw.endswith("'s") else raw
    word = NUMBER_WORDS.get(word, word.replace("'", ""))
    if not word or word in STOPWORDS:
        return None
    kind, factor = ("name", NAME_WEIGHT) if word in TITLES else ("word", 1.0)
    if word[0].isdigit():
        kind, factor = "number", NUMBER_WEIGHT
        word = word.replace(",", "")
    elif word in DATES or word in REPORTING:
        kind, factor = "date", DATE_WEIGHT
    return word, stem(word), kind, rarity(word) * factor, concepts(word) if kind == "word" else ((), ())


def _folded(text: str) -> str:
    """The text in NFC, unless that changes its length: offsets must point into the original."""
    folded = unicodedata.normalize("NFC", text)
    return folded if len(folded) == len(text) else text


def _lower(surface: str) -> str:
    """A word as `_lexical` looks it up: lower case, curly apostrophes straight."""
    return surface.lower().replace("’", "'")


def _words(text: str) -> tuple[str, list[re.Match], list[str]]:
    folded = _folded(text)
    matches = list(WORD.finditer(folded))
    return folded, matches, [_lower(m.group()) for m in matches]


def word_stems(text: str) -> tuple[list[str], int]:
    """The stems of a passage's content words, in order (enough to recognise near copies: cheap),
    and how many of those words are plain, not names (capitalised past the first word): a caption
    or byline ("Donald Trump, Moscow") has almost none, a short statement of fact ("Turnout was 68
    percent.") several. "%" reads as "percent", as `tokens` reads it."""
    found, plain = [], 0
    known = LEXICAL.get
    for k, surface in enumerate(WORD.findall(_folded(text))):
        word = _lower(surface)
        info = known(word, _UNKNOWN)
        if info is _UNKNOWN:
            info = _lexical(word)
        if info:
            found.append(info[1])
            plain += k == 0 or not surface[0].isupper()
    percent = text.count("%")
    return found + ["percent"] * percent, plain + percent


def plain_words(text: str) -> int:
    return word_stems(text)[1]


def tokens(text: str) -> tuple[Token, ...]:
    """Content words of a passage. Hyphenated words count as their parts; a capitalised word that
    does not start the text is a name; % reads as "percent"; numbers compare as digits."""
    folded, matches, raw = _words(text)
    quoted = quoted_spans(folded)
    tails = phrase_tails()
    last = len(raw) - 1
    found = []
    known = LEXICAL.get
    for k, match in enumerate(matches):
        info = known(raw[k], _UNKNOWN)
        if info is _UNKNOWN:
            info = _lexical(raw[k])
        if info is None:
            continue
        word, stem_, kind, weight, (first, more) = info
        start = match.start()
        if kind == "word" and k > 0 and folded[start].isupper():
            kind, weight, first, more = "name", weight * NAME_WEIGHT, (), ()
        if quoted and any(a < start < b for a, b in quoted):
            weight *= QUOTED_WEIGHT
        if kind == "word":  # the senses of a two-word phrase the word opens or closes ("step down")
            if k < last and raw[k + 1] in tails and raw[k + 1] in tails_after(raw[k]):
                senses = concepts(f"{raw[k]}_{raw[k + 1]}")
                first, more = first + senses[0], more + senses[1]
            if k > 0 and raw[k] in tails and raw[k] in tails_after(raw[k - 1]):
                senses = concepts(f"{raw[k - 1]}_{raw[k]}")
                first, more = first + senses[0], more + senses[1]
        found.append(_token(Token, (stem_, word, start, match.end(), weight, first + more, kind, len(first))))
    if "%" in folded:
        for m in re.finditer(r"%", folded):
            found.append(Token("percent", "percent", m.start(), m.end(), rarity("percent"), ()))
        found.sort(key=lambda t: t.start)
    return tuple(found)


def clauses(text: str, toks: tuple[Token, ...]) -> tuple[Clause, ...]:
    """The passage cut at clause boundaries; pieces under MIN_CLAUSE_TERMS words join their neighbour.
    A passage of one clause gives one clause: the whole."""
    cuts = [m.start() for m in CLAUSE_BREAK.finditer(text)]
    pieces, begin, c = [], 0, 0
    for k, tok in enumerate(toks):
        while c < len(cuts) and cuts[c] < tok.start:
            c += 1
            if k > begin:
                pieces.append([begin, k])
                begin = k
    if len(toks) > begin:
        pieces.append([begin, len(toks)])
    def words(piece: list[int]) -> int:  # a glossed foreign word may give several tokens at one place
        return len({t.start for t in toks[piece[0]:piece[1]]})

    merged: list[list[int]] = []
    for piece in pieces:
        if merged and (words(piece) < MIN_CLAUSE_TERMS or words(merged[-1]) < MIN_CLAUSE_TERMS):
            merged[-1][1] = piece[1]
        else:
            merged.append(piece)
    return tuple(Clause(a, b) for a, b in merged)
