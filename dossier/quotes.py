"""The quotes view: words inside quotation marks, and how each parallel passage words them.

A quote is grouped with the parallel passages of its own passage; in each, the span that best
matches the quote (rapidfuzz's partial_ratio_alignment) is its variant wording, quoted or not:
"totally unsatisfactory" in one outlet is "absolutely unsatisfactory" in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .model import Dossier, Passage
from .text import normalise_with_map

QUOTE = re.compile(r"“([^”]{3,})”|\"([^\"]{3,})\"")
MIN_WORDS = 3  # shorter quotes ("historic") are emphasis more often than statements
VARIANT_MIN = 60  # partial ratio for a span of a parallel passage to count as the same words


@dataclass(frozen=True)
class Variant:
    passage: Passage
    text: str
    score: float


@dataclass(frozen=True)
class QuoteGroup:
    passage: Passage
    quote: str
    variants: tuple[Variant, ...]


def quotes_in(passage: Passage) -> list[str]:
    found = []
    for match in QUOTE.finditer(passage.text):
        text = (match.group(1) or match.group(2)).strip(" ,.")
        if len(text.split()) >= MIN_WORDS:
            found.append(text)
    return found


def best_span(quote: str, passage: Passage) -> Variant | None:
    norm, where = normalise_with_map(passage.text)
    found = fuzz.partial_ratio_alignment(normalise_with_map(quote)[0], norm, score_cutoff=VARIANT_MIN)
    if not found or found.dest_end <= found.dest_start:
        return None
    start, end = where[found.dest_start], where[found.dest_end - 1] + 1
    # widen to whole words, so the variant reads as words, not fragments
    while start > 0 and passage.text[start - 1].isalnum():
        start -= 1
    while end < len(passage.text) and passage.text[end].isalnum():
        end += 1
    return Variant(passage, passage.text[start:end], round(found.score, 1))


def quote_groups(dossier: Dossier) -> list[QuoteGroup]:
    """Every quote of three words or more, with its wording in each parallel passage."""
    passages = {p.id: p for p in dossier.passages}
    group_of = {pid: g for g in dossier.alignment.groups for pid in g.passages}
    groups = []
    for passage in dossier.passages:
        group = group_of.get(passage.id)
        others = [passages[q] for q in group.passages if passages[q].article != passage.article] if group else []
        for quote in quotes_in(passage):
            if any(v.passage.id == passage.id and fuzz.ratio(v.text, quote) >= 80 for g in groups for v in g.variants):
                continue  # the same words, already listed from the other article's side
            variants = tuple(v for q in others if (v := best_span(quote, q)))
            groups.append(QuoteGroup(passage, quote, variants))
    return groups
