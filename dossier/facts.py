"""The dossier as facts × articles, and what each article repeats or adds (read by render).

A fact is a group of passages that tell one thing across articles (the aligner's groups), or a
passage no other article carries. Each cell says how closely an article tells the fact: in the
same words as the fact's reference wording, reworded, or only in part (an overlap).

Provenance follows Churnalism's measure: the share of an article's words that sit in passages
linked to a primary source or a wire story of the dossier (front matter `role`); for an overlap,
only the shared span counts.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import cached_property

from rapidfuzz import fuzz

from .align import Linked
from .model import SOURCE_ROLES, CleanArticle, Dossier, Group, Passage

SAME_WORDS = 90  # RapidFuzz ratio of normalised texts from which two wordings count as the same words
CLOSENESS = ("same", "reworded", "partial")  # best first
OMITTED_SHARE = 0.5  # a fact "omitted" by an article is carried by at least this share of the others
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Cell:
    passage: Passage  # the article's closest passage telling the fact
    closeness: str  # "same", "reworded" or "partial"
    order: int  # the passage's place in its article, for sorting by an article's order


@dataclass(frozen=True)
class Fact:
    id: str
    reference: Passage  # the wording the cells are compared with: a source's, else the aligner's reference
    cells: dict  # article id -> Cell
    position: float  # where the fact comes in the story, 0 (lead) .. 1 (end)
    group: Group | None  # None: a passage no other article carries

    @property
    def carriers(self) -> int:
        return len(self.cells)


@dataclass(frozen=True)
class Repeats:
    source: CleanArticle  # a primary source or wire story
    share: float  # share of the article's words in passages linked to the source
    passages: int  # how many of the article's passages are linked to it


@dataclass(frozen=True)
class Provenance:
    repeats: tuple[Repeats, ...]  # one per source article the article repeats, most repeated first
    repeated: float  # share of its words linked to any source
    own: tuple[Passage, ...]  # passages linked to no source (empty when the dossier has no other source)
    only_here: tuple[Passage, ...]  # passages no other article carries
    omitted: tuple[Fact, ...]  # facts most other articles carry and this one lacks
    repeated_by: tuple[tuple[CleanArticle, float], ...]  # for a source: who repeats it, and how much


def _words(text: str) -> int:
    return len(WORD.findall(text))


class Facts:
    """Facts, cells and provenance of one dossier, computed once and shared by the pages."""

    def __init__(self, dossier: Dossier, linked: Linked):
        self.dossier = dossier
        self.linked = linked
        self.articles = {a.id: a for a in dossier.articles}
        self.passages = {p.id: p for p in dossier.passages}
        self.by_article: dict[str, list[Passage]] = defaultdict(list)
        for p in dossier.passages:
            self.by_article[p.article].append(p)
        self.place = {p.id: k for ps in self.by_article.values() for k, p in enumerate(ps)}
        self.sources = [a for a in dossier.articles if a.meta.role in SOURCE_ROLES]
        self.source_ids = frozenset(a.id for a in self.sources)
        self.lead_articles = {c.passages[0]: {self.passages[q].article for q in c.passages}
                              for c in dossier.alignment.copies}
        self.group_of = {pid: g for g in dossier.alignment.groups for pid in g.passages}

    def connections(self, pid: str):
        """(node, kind, link) for every passage this one is linked to: kind "copy" (its copy
        group, through the group's lead), "parallel" or "overlap". A copy group's lead stands for
        all its members (see `reach`), so nothing is spelt out per copy."""
        lead = self.linked.lead(pid)
        if pid in self.linked.copy_of:
            yield lead, "copy", None
        for start in {pid, lead}:
            for q in self.linked.adjacent.get(start, ()):
                yield q, (link := self.linked.links.get((start, q)) or self.linked.links.get((q, start))).kind, link

    def reach(self, node: str) -> set[str]:
        """The articles a linked passage stands for: its copy group's, or its own."""
        return self.lead_articles.get(node) or {self.passages[node].article}

    @cached_property
    def facts(self) -> list[Fact]:
        """Every fact in story order: a primary source's order where it carries the fact, else the
        carriers' mean place in their articles."""
        source_ids, passages, place = self.source_ids, self.passages, self.place
        span = {a: max(len(ps) - 1, 1) for a, ps in self.by_article.items()}  # _relative, inlined
        rank = {c: n for n, c in enumerate(CLOSENESS)}
        found = []
        for group in self.dossier.alignment.groups:
            members = [passages[pid] for pid in group.passages]
            from_source = [p for p in members if p.article in source_ids]
            if from_source:
                reference = from_source[0]
            elif group.reference in passages:  # the wording every member links to (or most members do)
                reference = passages[group.reference]
            else:  # the most common wording, first in order
                wordings = Counter(p.norm for p in members)
                most = max(wordings.values())
                reference = next(p for p in members if wordings[p.norm] == most)
            in_group = set(group.passages)
            cells = {}
            for article, ps in _by_article(members).items():
                if len(ps) == 1:
                    p, closeness = ps[0], self._closeness(ps[0], reference, in_group)
                else:
                    closeness, p = min(((self._closeness(p, reference, in_group), p) for p in ps),
                                       key=lambda x: (rank[x[0]], place[x[1].id]))
                cells[article] = Cell(p, closeness, place[p.id])
            position = (place[from_source[0].id] / span[from_source[0].article] if from_source else
                        sum(place[c.passage.id] / span[c.passage.article] for c in cells.values()) / len(cells))
            found.append(Fact(f"fact-{group.id}", reference, cells, position, group))
        group_of = self.group_of
        for p in self.dossier.passages:
            if p.id not in group_of:
                k = place[p.id]
                found.append(Fact(f"fact-{p.id}", p, {p.article: Cell(p, "same", k)}, k / span[p.article], None))
        order = {p.id: k for k, p in enumerate(self.dossier.passages)}
        found.sort(key=lambda f: (round(f.position, 6), order[f.reference.id]))
        return found

    def _closeness(self, p: Passage, reference: Passage, in_group: set[str]) -> str:
        linked = self.linked
        if p.id == reference.id or p.norm == reference.norm:
            return "same"
        copy = linked.copy_of.get(p.id)
        if copy is not None and copy is linked.copy_of.get(reference.id) or (
                fuzz.ratio(p.norm, reference.norm) >= SAME_WORDS):
            return "same"
        # reworded: a copy or a parallel of it in the group stands for another article
        for node, kind, _ in self.connections(p.id):
            if kind != "overlap" and node in in_group and self.reach(node) - {p.article}:
                return "reworded"
        return "partial"

    @cached_property
    def fact_of_group(self) -> dict[str, Fact]:
        return {f.group.id: f for f in self.facts if f.group}

    @cached_property
    def provenance(self) -> Mapping[str, Provenance]:
        """Per article id, made when first asked for: an added article's first page needs its own
        only (a third of a second for all 1,000 of a large dossier)."""
        return _Lazy(self._provenance_of)

    @cached_property
    def _common(self) -> list[Fact]:
        """Facts so widely carried that an article lacking one omits it."""
        others = len(self.articles) - 1
        return [f for f in self.facts if f.group is not None and f.carriers >= max(2, OMITTED_SHARE * others)]

    def _provenance_of(self, article_id: str) -> Provenance:
        found = self._own_provenance[article_id]
        if article_id not in self.source_ids:
            return found
        readers = [(article, r.share) for article in self.dossier.articles
                   for r in self._own_provenance[article.id].repeats if r.source.id == article_id]
        readers.sort(key=lambda x: (-x[1], x[0].id))
        return replace(found, repeated_by=tuple(readers)) if readers else found

    @cached_property
    def _own_provenance(self) -> Mapping[str, Provenance]:
        """Provenance without `repeated_by` (who repeats a source), per article id, made when asked for."""
        return _Lazy(self._own_provenance_of)

    def _own_provenance_of(self, article_id: str) -> Provenance:
        source_ids = self.source_ids
        self.articles[article_id]  # an unknown id raises KeyError, as a dict would
        passages = self.by_article[article_id]
        total = sum(_words(p.text) for p in passages) or 1
        covered: dict[str, dict[str, int]] = defaultdict(dict)  # source -> passage -> words shared
        for p in passages if source_ids else ():
            for node, kind, link in self.connections(p.id):
                for source in self.reach(node) & source_ids - {article_id}:
                    words = _words(p.text) if kind != "overlap" else self._span_words(p, link)
                    covered[source][p.id] = max(covered[source].get(p.id, 0), words)
        repeats = tuple(sorted((Repeats(self.articles[s], sum(c.values()) / total, len(c))
                                for s, c in covered.items()), key=lambda r: (-r.share, r.source.id)))
        any_source: dict[str, int] = {}
        for c in covered.values():
            for pid, words in c.items():
                any_source[pid] = max(any_source.get(pid, 0), words)
        own = tuple(p for p in passages if p.id not in any_source) if source_ids - {article_id} else ()
        omitted = tuple(f for f in self._common if article_id not in f.cells)
        return Provenance(repeats, sum(any_source.values()) / total, own,
                          tuple(p for p in passages if p.id not in self.group_of), omitted, ())

    def _span_words(self, p: Passage, link) -> int:
        """Words of `p` inside the span an overlap link shares (the lead's span for a near copy)."""
        mine = self.linked.lead(p.id) if p.id not in (link.a, link.b) else p.id
        if not link.spans or mine not in (link.a, link.b):
            return _words(p.text)
        start, end = link.spans[0] if link.a == mine else link.spans[1]
        return _words(self.passages[mine].text[start:end])


class _Lazy(dict):
    """A dict whose values are made when first looked up."""

    def __init__(self, make):
        super().__init__()
        self.make = make

    def __missing__(self, key):
        value = self[key] = self.make(key)
        return value


def _by_article(passages: list[Passage]) -> dict[str, list[Passage]]:
    grouped: dict[str, list[Passage]] = defaultdict(list)
    for p in passages:
        grouped[p.article].append(p)
    return grouped
