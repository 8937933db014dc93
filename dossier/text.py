"""Text normalisation shared by alignment and anchoring: surface text in, comparable text out;
and the one way messages and pages count things."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2026": "...",
})

# Function words carry no fact; kept short on purpose (negations and numbers stay).
STOPWORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
both but by can could did do does doing during each few for from further had has have having he her
here hers him his how i if in into is it its itself just me more most my of off on once only or other
our ours out over own same she should so some such than that the their theirs them then there these
they this those through to too under until up very was we were what when where which while who whom
why will with would you your yours s t said says say according also us its it's it’s
""".split())

_stemmer = snowballstemmer.stemmer("english")
# Numbers compare as digits whether spelled out or not ("twelve hours" / "12 hours").
NUMBER_WORDS = {w: str(n) for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70",
                     "eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000"})


def normalise_with_map(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the offset of the original character."""
    out: list[str] = []
    where: list[int] = []
    for k, char in enumerate(text):
        if char.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                where.append(k)
            continue
        for folded in unicodedata.normalize("NFKC", char).translate(_TRANSLATE).lower():
            out.append(folded)
            where.append(k)
    return "".join(out), where


def normalise(text: str) -> str:
    """Case, quotes, dashes and white space folded; what scoring and anchoring compare."""
    text = fold(text).lower()
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def fold(text: str) -> str:
    """Quotes, dashes and odd spaces folded, case kept."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


def counted(n: int, noun: str) -> str:
    """"1 warning", "2 warnings": how messages and pages count (nouns with a plain plural only)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def whole_words(text: str, start: int, end: int, limit: int = 80) -> str:
    """The closest text, to quote back (an orphaned anchor, a rule's quote not found): a fuzzy
    match's span can begin or end inside a word ("to bui"), so it is widened to whole words, and
    cut, when long, after a whole word."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    shown = " ".join(text[start:end].split())
    return shown if len(shown) <= limit else shown[:limit].rsplit(" ", 1)[0] + " ..."
