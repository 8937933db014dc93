"""The claim ledger: for each checked claim (a correction or a wording note), every passage of every
article that carries it, and the first of them to be published.

A carrier is the annotated passage itself, or a passage of another article that the annotation
reaches by the propagation rule (anchor.Reach: linked as a parallel, linked as an overlap whose shared
span holds the checked words, or a copy of either, and carrying those words). A wording note's
carriers are its own passages: another article's wording is its own. A claim in a headline or in
removed text has its article as its one carrier."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Annotation, CleanArticle, Dossier, Passage


@dataclass(frozen=True)
class Carrier:
    article: CleanArticle
    passage: Passage | None  # None: the claim is in the headline or in text the cleaning removed
    in_removed_text: bool = False  # passage None: in removed text, not in the headline

    @property
    def published(self) -> str | None:
        return self.article.meta.published

    @property
    def where(self) -> str:
        if self.passage:
            return self.passage.label
        return "removed text" if self.in_removed_text else "headline"


@dataclass(frozen=True)
class LedgerEntry:
    annotation: Annotation
    carriers: tuple[Carrier, ...]  # the annotated article first, then the others in the dossier's order

    @property
    def first(self) -> Carrier | None:
        """The earliest carrier by publication date (a date given to the month counts from its first
        day; on a tie, the annotated article); None when no carrier's article gives a date."""
        dated = [c for c in self.carriers if c.published]
        return min(dated, key=lambda c: c.published) if dated else None


def claim_ledger(dossier: Dossier) -> list[LedgerEntry]:
    articles = {a.id: a for a in dossier.articles}
    passages = {p.id: p for p in dossier.passages}
    order = {p.id: k for k, p in enumerate(dossier.passages)}
    anchors = {a.annotation: a for a in dossier.anchors}
    entries = []
    for annotation in dossier.annotations:
        if not annotation.checks_claim:
            continue
        article = articles[annotation.target.article]
        anchor = anchors.get(annotation.id)
        if annotation.outside_text or anchor is None or anchor.method == "orphaned":
            carriers = (Carrier(article, None, bool(annotation.target.removed)),)
        else:
            others = sorted(anchor.propagated, key=order.__getitem__)
            carriers = tuple(Carrier(articles[passages[pid].article], passages[pid])
                             for pid in (*anchor.passages, *others))
        entries.append(LedgerEntry(annotation, carriers))
    return entries
