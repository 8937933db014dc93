"""Annotation views for the templates: highlighted spans, notes as safe HTML, pages' groupings.

Notes are Markdown written by maintainers about third-party text: they are rendered to HTML and
then sanitised with nh3, so no script, event handler or `javascript:` link can reach a page.
"""

from __future__ import annotations

import re
from collections import defaultdict

import markdown
import nh3

from .model import Anchor, Annotation, Dossier, Passage

ALLOWED_TAGS = {"p", "a", "em", "strong", "code", "ul", "ol", "li", "blockquote", "br"}
CRITERIA = {  # in the spirit of NewsGuard's nine criteria (newsguardtech.com rating process)
    "no-false-content": "Does not repeatedly publish false content",
    "responsible-sourcing": "Gathers and presents information responsibly",
    "corrects-errors": "Regularly corrects or clarifies errors",
    "news-vs-opinion": "Handles the difference between news and opinion responsibly",
    "honest-headlines": "Avoids deceptive headlines",
    "discloses-ownership": "Discloses ownership and financing",
    "labels-advertising": "Clearly labels advertising",
    "reveals-management": "Reveals who's in charge, including possible conflicts of interest",
    "names-authors": "Provides names of content creators, with contact or biographical information",
}
FINDINGS = {"met": "Met", "partly": "Partly met", "not-met": "Not met", "not-assessable": "Not assessable"}
KIND_LABEL = {"context": "Context", "correction": "Correction", "wording": "Wording", "rating": "Source rating"}


def safe_html(text: str | None) -> str:
    """Markdown to sanitised HTML, on one block (blank lines would end a raw HTML block in MkDocs)."""
    if not text:
        return ""
    html = nh3.clean(markdown.markdown(text), tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="nofollow noopener")
    return re.sub(r"\n\s*\n", "\n", html).strip()


class NoteViews:
    """What each passage, paragraph and page shows of the annotations."""

    def __init__(self, dossier: Dossier):
        self.verdicts = {v.id: v for v in dossier.meta.verdicts}
        self.annotations = {a.id: a for a in dossier.annotations}
        self.anchors = {a.annotation: a for a in dossier.anchors}
        self.own: dict[str, list[tuple[Annotation, Anchor]]] = defaultdict(list)
        self.propagated: dict[str, list[tuple[Annotation, Anchor]]] = defaultdict(list)
        for anchor in dossier.anchors:
            annotation = self.annotations[anchor.annotation]
            for pid in anchor.passages:
                self.own[pid].append((annotation, anchor))
            for pid in anchor.propagated:
                self.propagated[pid].append((annotation, anchor))
        self.headline: dict[str, list[Annotation]] = defaultdict(list)  # article id -> notes on its headline
        self.removed: dict[str, list[Annotation]] = defaultdict(list)  # article id -> notes on its removed text
        for annotation in dossier.annotations:
            if annotation.target and annotation.target.headline:
                self.headline[annotation.target.article].append(annotation)
            elif annotation.target and annotation.target.removed:
                self.removed[annotation.target.article].append(annotation)
        self.orphaned = [(self.annotations[a.annotation], a) for a in dossier.anchors if a.method == "orphaned"]
        # corrections and wording notes: every note with a claim and verdicts. A passage linked to a
        # checked one that does not carry its words shows nothing (the methodology page says why).
        self.corrections = [a for a in dossier.annotations if a.checks_claim]
        self.ratings = [a for a in dossier.annotations if a.kind == "rating"]

    def label(self, annotation: Annotation) -> str:
        """Text that says what an annotation is, so colour is never the only signal."""
        if annotation.checks_claim:
            return " + ".join(self.verdicts[v].label for v in annotation.verdict)
        return KIND_LABEL[annotation.kind]

    def css(self, annotation: Annotation) -> str:
        verdict = f" verdict-{annotation.verdict[0]}" if annotation.verdict else ""
        return f"annotated kind-{annotation.kind}{verdict}"

    def segments(self, passage: Passage, shared: tuple[int, int] | None = None) -> list[dict]:
        """The passage's text cut where annotations begin and end, and where the fact it shares with
        another article (`shared`, offsets in the passage) begins and ends; each piece says what
        covers it."""
        spans = [(max(anchor.start, passage.start) - passage.start, min(anchor.end, passage.end) - passage.start,
                  annotation, anchor.end <= passage.end) for annotation, anchor in self.own[passage.id]]
        cuts = sorted({0, len(passage.text), *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans),
                       *(shared or ())})
        pieces = []
        for start, end in zip(cuts, cuts[1:]):
            covering = [a for s, e, a, _ in spans if s <= start and end <= e]
            ending = [a for _, e, a, last in spans if e == end and last]  # the label once, where the quote ends
            pieces.append({"text": passage.text[start:end], "covering": covering, "ending": ending,
                           "shared": bool(shared) and shared[0] <= start and end <= shared[1]})
        return pieces

    def notes_for(self, paragraph: list[Passage]) -> list[Annotation]:
        seen: dict[str, Annotation] = {}
        for p in paragraph:
            for annotation, _ in self.own[p.id]:
                seen.setdefault(annotation.id, annotation)
        return list(seen.values())

    def propagated_for(self, paragraph: list[Passage]) -> list[tuple[Passage, Annotation, Anchor]]:
        found, seen = [], set()
        for p in paragraph:
            for annotation, anchor in self.propagated[p.id]:
                if annotation.id not in seen:
                    seen.add(annotation.id)
                    found.append((p, annotation, anchor))
        return found

    def counts(self, article_id: str) -> dict[str, int]:
        """Context notes, and notes with verdicts (corrections and wording notes), on the article."""
        counts = {"context": 0, "correction": 0}
        on_article = [self.annotations[a.annotation] for a in self.anchors.values() if a.article == article_id]
        for annotation in on_article + self.headline[article_id] + self.removed[article_id]:
            counts["correction" if annotation.checks_claim else "context"] += 1
        return counts

    def rating_of(self, article) -> Annotation | None:
        return next((r for r in self.ratings if r.outlet in (article.meta.outlet, article.id)), None)

    def by_verdict(self) -> list[tuple[object, list[Annotation]]]:
        return [(v, [c for c in self.corrections if c.verdict[0] == v.id]) for v in self.verdicts.values()
                if any(c.verdict[0] == v.id for c in self.corrections)]
