"""Stage 4: find parallel passages across articles, score them and say why.

Scoring is a soft, rarity-weighted overlap of content words: each stemmed content word weighs
its inverse document frequency over the dossier's passages; a word matches exactly, or fuzzily
through rapidfuzz (telephone/phone, normalize/normalise) for part of its weight. Candidates come
from an inverted index on each passage's rarest words, so no all-pairs loop is run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from rapidfuzz import fuzz, process

from .model import Alignment, Group, Link, Passage
from .text import content_terms

THRESHOLD = 0.42  # soft-Dice score (0-1) a pair must reach to be linked
MIN_TERMS = 4  # passages with fewer content words (captions, bylines) never link
INDEX_TERMS = 6  # each passage is indexed under its rarest words
FUZZY_CUTOFF = 80  # rapidfuzz ratio for two different words to count as variants
FUZZY_CREDIT = 0.8  # a variant counts for this share of the word's weight
MERGE_MARGIN = 0.05  # a 2:1 link must beat both single sentences by this much


@dataclass(frozen=True)
class Scored:
    score: float
    shared: tuple[str, ...]
    variants: tuple[tuple[str, str], ...]


class Scorer:
    """Holds the dossier's term statistics; scores any two bags of terms."""

    def __init__(self, passages: tuple[Passage, ...]):
        self.terms = {p.id: frozenset(content_terms(p.norm)) for p in passages}
        df: dict[str, int] = defaultdict(int)
        for terms in self.terms.values():
            for term in terms:
                df[term] += 1
        self.df = df
        n = max(len(passages), 1)
        self.idf = {t: math.log(1 + n / d) for t, d in df.items()}

    def weight(self, terms) -> float:
        return sum(self.idf.get(t, 0.0) for t in terms)

    def _matches(self, left: frozenset, right: frozenset) -> tuple[float, list, list]:
        matched, shared, variants = 0.0, [], []
        others = [t for t in right if t not in left]
        for term in left:
            w = self.idf.get(term, 0.0)
            if term in right:
                matched += w
                shared.append(term)
            elif others and len(term) > 3:
                hit = process.extractOne(term, others, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
                contained = next((o for o in others if len(o) > 3 and (o in term or term in o)), None)
                if hit or contained:
                    matched += FUZZY_CREDIT * w
                    variants.append((term, hit[0] if hit else contained))
        return matched, shared, variants

    def score(self, left: frozenset, right: frozenset) -> Scored:
        total = self.weight(left) + self.weight(right)
        if not total:
            return Scored(0.0, (), ())
        m_lr, shared, variants = self._matches(left, right)
        m_rl, _, _ = self._matches(right, left)
        shared_sorted = tuple(sorted(shared, key=lambda t: (-self.idf[t], t)))
        return Scored((m_lr + m_rl) / total, shared_sorted, tuple(sorted(variants)))


def candidate_pairs(passages: tuple[Passage, ...], scorer: Scorer) -> set[tuple[str, str]]:
    """Pairs from different articles that share one of their rarest words (inverted index)."""
    index: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        terms = scorer.terms[p.id]
        if len(terms) < MIN_TERMS:
            continue
        shareable = [t for t in terms if scorer.df[t] > 1]  # a word no other passage has finds nothing
        for term in sorted(shareable, key=lambda t: (scorer.df[t], t))[:INDEX_TERMS]:
            index[term].append(p)
    pairs = set()
    for posting in index.values():
        for a, b in combinations(posting, 2):
            if a.article != b.article:
                pairs.add((a.id, b.id) if a.id < b.id else (b.id, a.id))
    return pairs


def _explain(scored: Scored, scorer: Scorer) -> dict:
    return {
        "shared_terms": list(scored.shared[:8]),
        "variants": [list(v) for v in scored.variants],
        "score_parts": {"lexical": round(100 * scored.score, 1)},
    }


def align(passages: tuple[Passage, ...]) -> Alignment:
    scorer = Scorer(passages)
    by_id = {p.id: p for p in passages}
    links: dict[tuple[str, str], Link] = {}
    pairs = sorted(candidate_pairs(passages, scorer))
    neighbours: dict[str, set[str]] = defaultdict(set)
    for a_id, b_id in pairs:
        neighbours[a_id].add(b_id)
        neighbours[b_id].add(a_id)
    for a_id, b_id in pairs:
        scored = scorer.score(scorer.terms[a_id], scorer.terms[b_id])
        if scored.score >= THRESHOLD:
            links[(a_id, b_id)] = Link(a_id, b_id, round(100 * scored.score, 1), "auto", "1:1",
                                       _explain(scored, scorer))
    links.update(_merge_links(passages, by_id, neighbours, scorer, links))
    ordered = tuple(sorted(links.values(), key=lambda l: (l.a, l.b)))
    return Alignment(links=ordered, groups=groups_of(ordered, passages))


def _merge_links(passages, by_id, neighbours, scorer: Scorer, links) -> dict[tuple[str, str], Link]:
    """2:1 and 1:2 links: two adjacent sentences of one article that together tell one of another."""
    found = {}
    for first, second in zip(passages, passages[1:]):
        if first.article != second.article:
            continue
        both = scorer.terms[first.id] | scorer.terms[second.id]
        for other in sorted(neighbours[first.id] | neighbours[second.id]):
            other = by_id[other]
            theirs = scorer.terms[other.id]
            if not (theirs & scorer.terms[first.id] and theirs & scorer.terms[second.id]):
                continue
            merged = scorer.score(both, theirs)
            singles = [scorer.score(scorer.terms[p.id], theirs).score for p in (first, second)]
            if merged.score >= THRESHOLD and merged.score >= max(singles) + MERGE_MARGIN \
                    and min(singles) >= THRESHOLD / 2:
                for part in (first, second):
                    key = tuple(sorted((part.id, other.id)))
                    if key in links:
                        continue
                    shape = "2:1" if key[0] == part.id else "1:2"
                    found[key] = Link(key[0], key[1], round(100 * merged.score, 1), "auto", shape,
                                      _explain(merged, scorer))
    return found


def groups_of(links: tuple[Link, ...], passages: tuple[Passage, ...]) -> tuple[Group, ...]:
    """Connected passages form a group, numbered in reading order of their first member."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        parent[find(link.a)] = find(link.b)
    members: dict[str, list[str]] = defaultdict(list)
    for p in passages:
        if p.id in parent:
            members[find(p.id)].append(p.id)
    ordered = sorted(members.values(), key=lambda ids: ids[0])
    order = {p.id: i for i, p in enumerate(passages)}
    ordered.sort(key=lambda ids: order[ids[0]])
    return tuple(Group(f"g{i}", tuple(ids)) for i, ids in enumerate(ordered, start=1))


def word_diff(left: str, right: str) -> list[list[str]]:
    """Word-level difference of two passages as [op, text] runs: "=", "-" (left only), "+" (right only)."""
    a, b = re.findall(r"\S+", left), re.findall(r"\S+", right)
    runs: list[list[str]] = []
    matcher = difflib.SequenceMatcher(a=[w.lower() for w in a], b=[w.lower() for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(["=", " ".join(a[i1:i2])])
        else:
            if i2 > i1:
                runs.append(["-", " ".join(a[i1:i2])])
            if j2 > j1:
                runs.append(["+", " ".join(b[j1:j2])])
    return runs
