"""The quotes view: words inside quotation marks, and how each parallel passage words them.

A quote is grouped with the parallel passages of its own passage; in each, the span that best
matches the quote (rapidfuzz's partial_ratio_alignment) is its variant wording, quoted or not:
"totally unsatisfactory" in one outlet is "absolutely unsatisfactory" in another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .align import linked_of
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


VARIANTS_MAX = 20  # wordings listed per quote


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
    """Every quote of three words or more, with its wording in each passage linked to its own (a
    copy group's copies count once, through their most common wording; at most VARIANTS_MAX)."""
    passages = {p.id: p for p in dossier.passages}
    followers = {pid for c in dossier.alignment.copies for pid in c.passages[1:]}
    linked = {pid: set(found) for pid, found in linked_of(dossier.alignment).adjacent.items()}
    for copy in dossier.alignment.copies:  # copies print the lead's words; show the first other wording
        others = [q for q in copy.passages[1:] if passages[q].text != passages[copy.passages[0]].text]
        linked.setdefault(copy.passages[0], set()).update(others[:1])
    order = {p.id: k for k, p in enumerate(dossier.passages)}
    listed: dict[str, list[str]] = {}  # passage id -> variant texts already shown for it
    groups = []
    for passage in dossier.passages:
        if passage.id in followers:
            continue
        others = sorted((passages[q] for q in linked.get(passage.id, ()) if passages[q].article != passage.article),
                        key=lambda q: order[q.id])[:VARIANTS_MAX]
        for quote in quotes_in(passage):
            if any(fuzz.ratio(text, quote) >= 80 for text in listed.get(passage.id, ())):
                continue  # the same words, already listed from the other article's side
            variants = tuple(v for q in others if (v := best_span(quote, q)))
            for v in variants:
                listed.setdefault(v.passage.id, []).append(v.text)
            groups.append(QuoteGroup(passage, quote, variants))
    return groups
