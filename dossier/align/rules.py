"""Manual rules from `content/alignments.yml`: quotes resolved to passages, errors collected."""

from __future__ import annotations

import difflib
from collections import defaultdict

from rapidfuzz import fuzz, process

from ..errors import Collector
from ..model import AlignmentRule, Passage, QuoteRef
from ..text import normalise, normalise_with_map, whole_words


def resolve(ref: QuoteRef, rule: AlignmentRule, by_article: dict, problems: Collector) -> Passage | None:
    """The one passage of `ref.article` whose text contains the quote (compared normalised)."""
    passages = by_article.get(ref.article)
    if passages is None:
        near = difflib.get_close_matches(ref.article, list(by_article), n=1)
        problems.add(rule.file, ref.line, f"unknown article '{ref.article}'",
                     f"did you mean '{near[0]}'?" if near else f"articles: {', '.join(by_article)}")
        return None
    quote = normalise(ref.quote)
    hits = [p for p in passages if quote in p.norm]
    if len(hits) == 1:
        return hits[0]
    if hits:
        problems.add(rule.file, ref.line, f"quote matches {len(hits)} passages "
                     f"({', '.join(p.id for p in hits)})", "quote more of the passage")
        return None
    text_of = {p.id: p.text for p in passages}
    close = process.extract(quote, {p.id: p.norm for p in passages}, scorer=fuzz.partial_ratio, limit=2)
    problems.add(rule.file, ref.line, f"quote not found in '{ref.article}': \"{ref.quote}\"",
                 "closest: " + "; ".join(f"{key} ({score:.0f}): \"{_closest_words(quote, text_of[key])}\""
                                         for _, score, key in close))
    return None


def _closest_words(quote: str, text: str) -> str:
    """The words of `text` nearest to the (normalised) quote, as the passage writes them."""
    norm, where = normalise_with_map(text)
    found = fuzz.partial_ratio_alignment(quote, norm)
    if found is None or found.dest_end <= found.dest_start:
        return whole_words(text, 0, len(text), limit=60)
    return whole_words(text, where[found.dest_start], where[found.dest_end - 1] + 1, limit=60)


def resolve_rules(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...]):
    """(kind, passage a, passage b, note) per rule; every problem reported at once."""
    problems = Collector()
    by_article: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        by_article[p.article].append(p)
    resolved, placed = [], []
    for rule in rules:
        a, b = (resolve(ref, rule, by_article, problems) for ref in (rule.a, rule.b))
        if not (a and b):
            continue
        if a.article == b.article:
            problems.add(rule.file, rule.line, "both quotes are in the same article", "link passages of two articles")
            continue
        resolved.append((rule.kind, a, b, rule.note))
        placed.append((rule, frozenset((a.id, b.id))))
    _contrary(placed, problems)
    problems.raise_if_any()
    return resolved


CONTRARY = {frozenset(("link", "reject")), frozenset(("fact", "reject")), frozenset(("fact", "not-fact"))}


def _contrary(placed: list[tuple[AlignmentRule, frozenset]], problems: Collector) -> None:
    """Two rules that contradict each other on one pair of passages (a link asserted and rejected;
    a fact joined and rejected or kept apart) are an error at the later line: the rules are applied
    kind by kind, so one would silently override the other (a `fact` bringing back a link its
    `reject` said must never come back)."""
    earlier: dict[frozenset, list[AlignmentRule]] = defaultdict(list)
    for rule, pair in sorted(placed, key=lambda found: found[0].line):
        a, b = sorted(pair)
        for other in earlier[pair]:
            if frozenset((rule.kind, other.kind)) in CONTRARY:
                problems.add(rule.file, rule.line, f"`{rule.kind}` contradicts the `{other.kind}` of line {other.line} "
                             f"on the same passages ({a}, {b})", "keep one of the two")
        earlier[pair].append(rule)
