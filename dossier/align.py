"""Stage 4: find parallel passages across articles, score them, group them and say why.

1:1 links come from the vectorised scorer (`scoring.py`). 2:1 and 1:2 links join two adjacent
sentences of one article that together tell what one sentence of another tells. Manual rules
from `content/alignments.yml` then assert or reject links. Groups are built by average linkage:
two clusters join only when enough of the pairs between them are linked, so one stray link
cannot glue two stories together, and a rejected pair never ends up in one group.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from . import scoring
from .errors import Collector
from .model import Alignment, AlignmentRule, Group, Link, Passage, QuoteRef
from .text import normalise

ENGINE_VERSION = "2"
THRESHOLD = 0.45  # combined score (0-1) for a 1:1 link; chosen on tests/data/alignment_dev.yml
MERGE_THRESHOLD = 0.3  # two sentences together against one (dev set: 0.3-0.5 give the same result)
PART_FLOOR = 0.2  # each sentence of a merge must score this much alone (dev set: 0.2-0.32 alike)...
PART_TERMS = 2  # ...and bring this many words of the other side that its neighbour lacks
GROUP_DENSITY = 0.3  # share of cross-article pairs between two clusters that must be linked to join


def align(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...] = ()) -> Alignment:
    f = scoring.features(passages)
    i, j, scores = scoring.scored_candidates(f, floor=min(PART_FLOOR, THRESHOLD))
    links = {}
    for a, b, s in zip(i[scores >= THRESHOLD], j[scores >= THRESHOLD], scores[scores >= THRESHOLD]):
        links[(f.ids[a], f.ids[b])] = _link(f, f.ids[a], f.ids[b], float(s), "1:1")
    for key, link in merge_links(f, i, j, scores).items():
        links.setdefault(key, link)
    links, rejected = apply_rules(f, passages, links, rules)
    ordered = tuple(sorted(links.values(), key=lambda l: (l.a, l.b)))
    return Alignment(links=ordered, groups=groups_of(ordered, passages, rejected))


def _link(f, a: str, b: str, score: float, shape: str, method: str = "auto", note: str | None = None) -> Link:
    if a > b:  # links are stored with a < b; the shape reads from a's side
        a, b, shape = b, a, {"2:1": "1:2", "1:2": "2:1"}.get(shape, shape)
    explanation = scoring.explain(f, a, b, score)
    if note:
        explanation["note"] = note
    return Link(a, b, round(100 * score, 1), method, shape, explanation)


def merge_links(f: scoring.Features, i: np.ndarray, j: np.ndarray, scores: np.ndarray) -> dict:
    """2:1 links: adjacent sentences k, k+1 of one article against a candidate of either."""
    n = len(f.ids)
    if n < 2 or not len(i):
        return {}
    single = sparse.coo_matrix((np.r_[scores, scores], (np.r_[i, j], np.r_[j, i])), shape=(n, n)).tocsr()
    strong = (single >= PART_FLOOR).astype(np.float32)
    k = np.nonzero(f.article_of[:-1] == f.article_of[1:])[0]
    reach = strong[k].multiply(strong[k + 1]).tocoo()  # both sentences must score PART_FLOOR alone
    unit, other = reach.row.astype(np.int64), reach.col.astype(np.int64)
    first = k[unit]
    if not len(first):
        return {}
    merged = f.matrix[first].maximum(f.matrix[first + 1])
    merged_weight = np.asarray(merged.multiply(merged).sum(axis=1)).ravel()
    score = scoring.blend(scoring.dots(merged, f.matrix, np.arange(len(first)), other),
                          merged_weight, f.weight[other])
    part1 = np.asarray(single[first, other]).ravel()
    part2 = np.asarray(single[first + 1, other]).ravel()
    present = (f.matrix > 0).astype(np.float32).tocsr()
    both = present[first].multiply(present[first + 1]).tocsr()
    common = scoring.dots(both, present, np.arange(len(first)), other)
    own1 = scoring.dots(present, present, first, other) - common
    own2 = scoring.dots(present, present, first + 1, other) - common
    ok = ((score >= MERGE_THRESHOLD) & (np.minimum(part1, part2) >= PART_FLOOR)
          & (np.minimum(own1, own2) >= PART_TERMS))
    found = {}
    for a, b, s in zip(first[ok], other[ok], score[ok]):
        for part in (a, a + 1):
            x, y = f.ids[part], f.ids[b]
            key = (x, y) if x < y else (y, x)
            found[key] = _link(f, x, y, float(s), "2:1")
    return found


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
    close = process.extract(quote, {p.id: p.norm for p in passages}, scorer=fuzz.partial_ratio, limit=2)
    problems.add(rule.file, ref.line, f"quote not found in '{ref.article}': \"{ref.quote}\"",
                 "closest: " + "; ".join(f"{key} ({score:.0f}): \"{text[:60]}\"" for text, score, key in close))
    return None


def apply_rules(f, passages, links: dict, rules) -> tuple[dict, set]:
    """Manual links are added (marked manual); rejected pairs are removed and remembered."""
    problems = Collector()
    by_article: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        by_article[p.article].append(p)
    rejected = set()
    for rule in rules:
        a, b = (resolve(ref, rule, by_article, problems) for ref in (rule.a, rule.b))
        if not (a and b):
            continue
        if a.article == b.article:
            problems.add(rule.file, rule.line, "both quotes are in the same article", "link passages of two articles")
            continue
        key = (a.id, b.id) if a.id < b.id else (b.id, a.id)
        if rule.kind == "reject":
            rejected.add(key)
            links.pop(key, None)
        else:
            ia, ib = f.ids.index(key[0]), f.ids.index(key[1])
            score = float(scoring.pair_scores(f, np.array([ia]), np.array([ib]))[0])
            links[key] = _link(f, key[0], key[1], score, "1:1", "manual", rule.note)
    problems.raise_if_any()
    return links, rejected


def groups_of(links: tuple[Link, ...], passages: tuple[Passage, ...], rejected: set = frozenset()) -> tuple[Group, ...]:
    """Average-linkage groups over the links, strongest first, numbered in reading order."""
    article = {p.id: p.article for p in passages}
    members: dict[str, set[str]] = {}
    articles: dict[str, Counter] = {}
    owner: dict[str, str] = {}
    adjacent: dict[str, set[str]] = defaultdict(set)
    for link in links:
        adjacent[link.a].add(link.b)
        adjacent[link.b].add(link.a)
    for pid in adjacent:
        members[pid], articles[pid], owner[pid] = {pid}, Counter([article[pid]]), pid
    # Manual links first; then links that close triangles (well supported), strongest first, so a
    # stray link between two stories meets two formed clusters and fails the density test.
    support = {(l.a, l.b): len(adjacent[l.a] & adjacent[l.b]) for l in links}
    for link in sorted(links, key=lambda l: (l.method != "manual", -support[(l.a, l.b)], -l.score, l.a, l.b)):
        ra, rb = owner[link.a], owner[link.b]
        if ra == rb:
            continue
        small, large = sorted((ra, rb), key=lambda r: len(members[r]))
        if any((x, y) in rejected or (y, x) in rejected for x in members[small] for y in members[large]):
            continue
        linked = sum(len(adjacent[x] & members[large]) for x in members[small])
        possible = len(members[small]) * len(members[large]) - sum(
            articles[small][a] * articles[large][a] for a in articles[small])
        if link.method != "manual" and linked < GROUP_DENSITY * possible:
            continue
        members[large] |= members.pop(small)
        articles[large] += articles.pop(small)
        for x in members[large]:
            owner[x] = large
    order = {p.id: k for k, p in enumerate(passages)}
    clusters = sorted((sorted(m, key=order.get) for m in members.values()), key=lambda m: order[m[0]])
    return tuple(Group(f"g{n}", tuple(m)) for n, m in enumerate(clusters, start=1))


def _word_key(word: str) -> str:
    """Words compare without case, quote style and surrounding punctuation."""
    return normalise(word).strip(".,;:!?\"'()[]")


def _opcodes(left: str, right: str):
    a, b = re.findall(r"\S+", left), re.findall(r"\S+", right)
    matcher = difflib.SequenceMatcher(a=[_word_key(w) for w in a], b=[_word_key(w) for w in b], autojunk=False)
    return a, b, matcher.get_opcodes()


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
    moved ("Putin and Trump will..." / "...Putin and Trump both...") is not marked.
    """
    a, b, opcodes = _opcodes(left, right)
    keys = (Counter(map(_word_key, a)), Counter(map(_word_key, b)))
    sides: tuple[list, list] = ([], [])
    for op, i1, i2, j1, j2 in opcodes:
        for side, words in ((0, a[i1:i2]), (1, b[j1:j2])):
            for word in words:
                differs = op != "equal" and keys[1 - side][_word_key(word)] == 0
                runs = sides[side]
                if runs and runs[-1][0] == differs:
                    runs[-1] = (differs, f"{runs[-1][1]} {word}")
                else:
                    runs.append((differs, word))
    return sides
