"""Stage 5: anchor annotations to the exact text they speak of; carry them to parallel passages.

Like the Hypothesis client: a target is a quote with optional prefix/suffix and position hint.
It resolves exactly, then after normalisation (white space, quotes, dashes, case), then fuzzily
(rapidfuzz) above a threshold; what cannot be anchored is kept as orphaned, never dropped.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from .align import linked_of
from .errors import Collector
from .model import Anchor, Annotation, CleanArticle, Dossier, Passage, Target
from .segment import cleaned_text
from .text import normalise_with_map, whole_words

FUZZY_MIN = 80  # rapidfuzz partial ratio (0-100) for a fuzzy anchor
CONTEXT = 32  # characters of prefix/suffix compared when a quote occurs more than once


def _norm(text: str) -> str:
    return normalise_with_map(text)[0].strip()


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, k = [], haystack.find(needle)
    while k >= 0 and needle:
        found.append(k)
        k = haystack.find(needle, k + 1)
    return found


def _context_score(text: str, start: int, end: int, target: Target, normalised: bool) -> float:
    """How well the text around a match agrees with the target's prefix and suffix (0-200)."""
    prep = _norm if normalised else (lambda s: s)
    score = 0.0
    if target.prefix:
        prefix = prep(target.prefix)[-CONTEXT:]
        score += fuzz.ratio(prefix, text[max(0, start - len(prefix) - 1):start].strip()[-len(prefix):])
    if target.suffix:
        suffix = prep(target.suffix)[:CONTEXT]
        score += fuzz.ratio(suffix, text[end:end + len(suffix) + 1].strip()[:len(suffix)])
    return score


def _choose(text: str, starts: list[int], length: int, target: Target, where: list[int] | None = None) -> list[int]:
    """Of several matches, those best supported by prefix/suffix, then by the position hint.
    `where`: for a normalised text, each of its characters' offset in the original one."""
    normalised = where is not None
    if len(starts) > 1 and (target.prefix or target.suffix):
        scores = [_context_score(text, s, s + length, target, normalised) for s in starts]
        starts = [s for s, sc in zip(starts, scores) if sc == max(scores)]
    if len(starts) > 1 and target.start is not None:
        distance = [abs((where[s] if normalised else s) - target.start) for s in starts]
        starts = [s for s, d in zip(starts, distance) if d == min(distance)]
    return starts


def resolve(target: Target, text: str) -> tuple[str, int, int, float, list[int]]:
    """(method, start, end, score, ambiguous starts) in the original text."""
    starts = _choose(text, _occurrences(text, target.quote), len(target.quote), target)
    if len(starts) == 1:
        return "exact", starts[0], starts[0] + len(target.quote), 100.0, []
    if starts:
        return "ambiguous", 0, 0, 0.0, starts
    norm_text, where = normalise_with_map(text)
    quote = _norm(target.quote)
    starts = _choose(norm_text, _occurrences(norm_text, quote), len(quote), target, where)
    if len(starts) == 1:
        s = starts[0]
        return "normalised", where[s], where[s + len(quote) - 1] + 1, 100.0, []
    if starts:
        return "ambiguous", 0, 0, 0.0, [where[s] for s in starts]
    found = fuzz.partial_ratio_alignment(quote, norm_text) if quote and norm_text else None
    if not (found and found.dest_end > found.dest_start):
        return "orphaned", 0, 0, 0.0, []
    start, end = where[found.dest_start], where[found.dest_end - 1] + 1
    while start < end and text[start].isspace():  # the span starts and ends on words
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # below the threshold, the span is only the closest text, for "did you mean"
    return ("fuzzy" if found.score >= FUZZY_MIN else "orphaned"), start, end, found.score, []


@dataclass
class AnchorMemo:
    """What anchoring gave, kept by `mkdocs serve` between rebuilds (pipeline.Memo)."""
    alignment: object = None  # the alignment and articles `found` was made on (compared by identity)
    articles: tuple[CleanArticle, ...] = ()
    found: dict[tuple, tuple[Anchor | None, tuple[str, ...]]] = field(default_factory=dict)  # _key(annotation) -> (anchor, warnings)
    resolved: dict[tuple[str, str], tuple] = field(default_factory=dict)  # (quote, passage text) -> resolve()'s answer

    def same_basis(self, dossier: Dossier) -> bool:
        return self.alignment is dossier.alignment and len(self.articles) == len(dossier.articles) and \
            all(a is b for a, b in zip(self.articles, dossier.articles))


def anchor(dossier: Dossier, annotations: tuple[Annotation, ...], problems: Collector,
           memo: AnchorMemo | None = None) -> tuple[tuple[Anchor, ...], tuple[str, ...]]:
    """Anchors for every annotation with a target in the text, and warnings for those not found exactly.

    A headline target gets no anchor: its quote must be in the article's title, or it is an error;
    likewise a target in removed text, whose quote must be in a paragraph the cleaning removed.
    A note is carried to the passages of other articles that repeat its words (Reach), unless its
    kind keeps it on its article (a wording note, a rating).
    `memo` (kept by `mkdocs serve` between rebuilds): what each annotation's target gave, reused
    while the target and the articles and alignment are unchanged (an edited note is not anchored
    again: carrying a claim to the passages it reaches takes up to a second at 1,000 articles), and
    whether a quote is found in a passage's text, reused while both are the same (an added or
    edited article: only its own passages are searched)."""
    memo = AnchorMemo() if memo is None else memo
    known = memo.found if memo.same_basis(dossier) else {}
    memo.alignment, memo.articles, memo.found = dossier.alignment, dossier.articles, {}  # only this run's stay
    quotes = {a.target.quote for a in annotations if a.target is not None}
    memo.resolved = {key: value for key, value in memo.resolved.items() if key[0] in quotes}
    context = _Context(dossier, memo.resolved)
    anchors, warnings = [], []
    for annotation in annotations:
        if annotation.target is None:
            continue
        key = _key(annotation)
        result = known.get(key)
        if result is None:
            before = len(problems.problems)
            result = _anchor_one(annotation, context, problems)
            if len(problems.problems) > before:
                continue
        memo.found[key] = result
        if result[0] is not None:
            anchors.append(result[0])
        warnings += result[1]
    return tuple(anchors), tuple(warnings)


def _key(annotation: Annotation) -> tuple:
    """All an annotation's anchor and warning are made from (its note and sources are not)."""
    target = annotation.target
    return (annotation.id, annotation.kind, annotation.verdict, annotation.file, annotation.line, target, target.line)


class _Context:
    """What anchoring reads of the dossier, made when first needed (an unchanged annotation needs none)."""

    def __init__(self, dossier: Dossier, resolved: dict):
        self.dossier, self.resolved = dossier, resolved

    @cached_property
    def articles(self) -> dict[str, CleanArticle]:
        return {a.id: a for a in self.dossier.articles}

    @cached_property
    def texts(self) -> dict[str, str]:
        return {a.id: cleaned_text(a) for a in self.dossier.articles}

    @cached_property
    def by_article(self) -> dict[str, list[Passage]]:
        found: dict[str, list[Passage]] = {}
        for p in self.dossier.passages:
            found.setdefault(p.article, []).append(p)
        return found

    @cached_property
    def reach(self) -> Reach:
        return Reach(self.dossier, self.resolved)


def _anchor_one(annotation: Annotation, context: _Context, problems: Collector) -> tuple[Anchor | None, tuple[str, ...]]:
    """(its anchor or None, its warnings); a problem goes to `problems`."""
    articles = context.articles
    target = annotation.target
    line = target.line or annotation.line
    where = f"{annotation.file}:{line}"
    if target.article not in articles:
        near = difflib.get_close_matches(target.article, list(articles), n=1)
        problems.add(annotation.file, line, f"annotation '{annotation.id}': unknown article "
                     f"'{target.article}'", f"did you mean '{near[0]}'?" if near else None)
        return None, ()
    if target.headline:  # cleaning removes the headline from the text: no span, no passage, no parallel
        title = articles[target.article].meta.title or ""
        if target.quote not in title:
            problems.add(annotation.file, line, f"annotation '{annotation.id}': the quote is not in the headline "
                         f"of '{target.article}'", f"the headline is \"{title}\"" if title else "the article has no headline")
        return None, ()
    if target.removed:  # an author's biography, an appeal: shown with the removed text, linked to nothing
        if not any(target.quote in r.text for r in articles[target.article].removed):
            problems.add(annotation.file, line, f"annotation '{annotation.id}': the quote is not in the text "
                         f"the cleaning removed from '{target.article}'",
                         "quote a paragraph listed under \"Removed from the saved text\" on the article's page, "
                         "or drop `removed: true` to quote the text")
        return None, ()
    text = context.texts[target.article]
    method, start, end, score, ambiguous = resolve(target, text)
    own = context.by_article.get(target.article, [])
    if method == "ambiguous":
        hits = Counter(_passage_at(own, s).id for s in ambiguous)
        lines = ", ".join(f"{pid} ×{n}" if n > 1 else pid for pid, n in hits.items())
        problems.add(annotation.file, line, f"annotation '{annotation.id}': the quote occurs "
                     f"{len(ambiguous)} times in '{target.article}' ({lines})",
                     "add prefix or suffix to choose one, or `start:` with its character offset in the cleaned "
                     f"text: {', '.join(map(str, sorted(ambiguous)[:5]))}{', ...' if len(ambiguous) > 5 else ''}")
        return None, ()
    if method == "orphaned":
        nearest = _passage_at(own, start)
        return (Anchor(annotation.id, target.article, 0, 0, "orphaned", round(score, 1), (),
                       nearest=nearest.id if nearest else None),
                (f"{where}: annotation '{annotation.id}' is orphaned: its quote is not in "
                 f"'{target.article}' (nearest passage {nearest.id if nearest else 'none'}, "
                 f"score {score:.0f}; did you mean \"{whole_words(text, start, end)}\"?)",))
    covered = tuple(p.id for p in own if p.start < end and p.end > start)
    reach = None if annotation.stays_on_its_article else context.reach
    propagated = reach.carrying(text[start:end], reach.of(covered, start, end)) if reach else ()
    warnings = []
    if propagated and _about_wording(annotation):
        shown = ", ".join(f"{reach.passages[pid].article} {reach.passages[pid].label}" for pid in propagated)
        warnings.append(f"{where}: annotation '{annotation.id}' judges only this article's wording "
                        f"(Translation error) but would be shown on {shown}, whose wording is its own: "
                        f"make it `kind: wording`")
    if method == "fuzzy":
        warnings.append(f"{where}: annotation '{annotation.id}' anchored fuzzily (score {score:.0f}); "
                        f"did you mean \"{whole_words(text, start, end)}\"?")
    return Anchor(annotation.id, target.article, start, end, method, round(score, 1), covered, propagated), tuple(warnings)


class Reach:
    """Where an annotated claim is repeated in other articles: near copies of its passage, passages
    linked as parallels, and overlapping passages whose shared span holds the annotated words."""

    def __init__(self, dossier: Dossier, resolved: dict | None = None):
        self.resolved = {} if resolved is None else resolved  # (quote, passage text) -> resolve()'s answer
        self.passages = {p.id: p for p in dossier.passages}
        self.texts = {a.id: cleaned_text(a) for a in dossier.articles}
        self.siblings: dict[str, list[Passage]] = {}  # article id -> its passages, in order
        for p in dossier.passages:
            self.siblings.setdefault(p.article, []).append(p)
        self.linked = linked_of(dossier.alignment)
        self.links: dict[str, list[tuple[str, str, tuple]]] = {}
        for l in dossier.alignment.links:
            spans = l.spans or ((0, len(self.passages[l.a].text)), (0, len(self.passages[l.b].text)))
            self.links.setdefault(l.a, []).append((l.b, l.kind, spans[0]))
            self.links.setdefault(l.b, []).append((l.a, l.kind, spans[1]))

    def of(self, covered: tuple[str, ...], start: int, end: int) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for pid in covered:
            p = self.passages[pid]
            lead = self.linked.lead(pid)
            here = (max(start, p.start) - p.start, min(end, p.end) - p.start)  # the quote, in the passage
            reached = list(self.linked.copies(pid))  # itself included: dropped below, as its own article
            for source in dict.fromkeys((pid, lead)):
                for other, kind, span in self.links.get(source, ()):
                    inside = source == pid and span[0] < here[1] and here[0] < span[1]
                    if kind == "parallel" or inside:
                        reached += self.linked.copies(other)
            for other in reached:
                if self.passages[other].article != p.article:
                    seen.setdefault(other)
        return tuple(seen)

    def carrying(self, quote: str, reached: tuple[str, ...]) -> tuple[str, ...]:
        """Of the passages an annotated claim reaches through links, those that carry its words: the
        annotated text or a close variant, found by the anchorer (exact, normalised, or fuzzy at
        FUZZY_MIN or more) in the passage with its neighbours (a quote may span passages), on a span
        that overlaps the passage. A parallel that tells the fact in other words, or without the
        annotated words, does not carry them: an annotation says nothing about wording it lacks."""
        return tuple(pid for pid in reached if self._carries(quote, pid))

    def _carries(self, quote: str, pid: str) -> bool:
        p = self.passages[pid]
        siblings = self.siblings[p.article]
        k = next(i for i, s in enumerate(siblings) if s.id == pid)
        # the passage alone first (fuzzy scores are best on the shortest text), then with its
        # neighbours, for a quote that spans passages here too
        for lo, hi in ((p.start, p.end), (siblings[max(k - 1, 0)].start, siblings[min(k + 1, len(siblings) - 1)].end)):
            window = self.texts[p.article][lo:hi]
            found = self.resolved.get((quote, window))
            if found is None:  # a target of a quote alone: the answer depends on the quote and the text only
                found = self.resolved[quote, window] = resolve(Target(p.article, quote), window)
            method, start, end, _, ambiguous = found
            if method == "ambiguous":
                spans = [(lo + s, lo + s + len(quote)) for s in ambiguous]
            elif method in ("exact", "normalised") or (method == "fuzzy" and end - start >= 0.7 * len(quote)):
                spans = [(lo + start, lo + end)]  # fuzzy: a span about the quote's length, not a few words of it
            else:
                continue
            if any(s < p.end and p.start < e for s, e in spans):
                return True
        return False


def _about_wording(annotation: Annotation) -> bool:
    """A correction whose only fault is its wording: Translation error, alone or after Accurate."""
    return annotation.kind == "correction" and "translation-error" in annotation.verdict and \
        set(annotation.verdict) <= {"accurate", "translation-error"}


def verdict_rule_problems(verdicts: tuple[str, ...], scale: list[str]) -> list[str]:
    """Where a verdict list breaks the methodology's rules: each label once; Accurate only as the
    main verdict, before a fault of wording (a claim that checks out gets a context note); Needs
    context never beside Accurate (it already says true as far as it goes); the labels after the
    main one in the order of the scale."""
    found = []
    if len(set(verdicts)) < len(verdicts):
        found.append("a verdict is given twice")
    if "accurate" in verdicts[1:]:
        found.append("Accurate comes only first, as the verdict on what the claim says")
    if verdicts == ("accurate",):
        found.append("a claim that checks out gets a context note (`kind: context`), not a verdict")
    elif verdicts[:1] == ("accurate",) and "needs-context" in verdicts:
        found.append("Accurate and Needs context together: Needs context alone says the claim is true as far as it goes")
    rest = [scale.index(v) for v in verdicts[1:] if v in scale]
    if rest != sorted(rest):
        found.append("after the main verdict, the others come in the order of the scale in content/dossier.yml")
    return found


def overall_label(findings: list[str]) -> str:
    """The label the methodology page gives the overall line of a rating, from its findings on the
    criteria that could be assessed."""
    assessed = [f for f in findings if f != "not-assessable"]
    if not assessed:
        return "Not assessable"
    if all(f == "met" for f in assessed):
        return "Meets the criteria"
    if all(f == "not-met" for f in assessed):
        return "Does not meet the criteria"
    return "Mixed" if "not-met" in assessed else "Partly meets the criteria"


def rating_rule_problems(rating: Annotation) -> list[tuple[str, str]]:
    """Where a rating breaks the rules its site states on the methodology page, as (field at
    fault, message): every "Not met" finding links to the note that shows it, and the overall line
    starts with the label the findings give (the home page shows what comes before " - ")."""
    found = [("criteria", f"'{c.criterion}' is not met but names no annotation that shows it: add `annotations: [id, ...]`")
             for c in rating.criteria if c.finding == "not-met" and not c.annotations]
    label, expected = (rating.overall or "").split(" - ")[0], overall_label([c.finding for c in rating.criteria])
    if label != expected:
        found.append(("overall", f"the overall line starts '{label}', but its findings give '{expected}': "
                                 f"write `overall: {expected} - ...`"))
    return found


def _passage_at(passages: list[Passage], offset: int) -> Passage | None:
    for p in passages:
        if p.end >= offset:
            return p
    return passages[-1] if passages else None


def check_references(annotations: tuple[Annotation, ...], articles: tuple[CleanArticle, ...],
                     verdict_ids: list[str], problems: Collector) -> None:
    """Verdicts come from the dossier's scale (`verdict_ids`, in its order) and follow the
    methodology's rules; ratings follow its rules too, and their evidence names existing annotations."""
    ids = {a.id for a in annotations}
    outlets = {a.meta.outlet for a in articles if a.meta.outlet} | {a.id for a in articles}
    for a in annotations:
        for v in a.verdict:
            if v not in verdict_ids:
                near = difflib.get_close_matches(v, sorted(verdict_ids), n=1)
                problems.add(a.file, a.line_of("verdict"), f"annotation '{a.id}': unknown verdict '{v}'",
                             f"did you mean '{near[0]}'?" if near else "verdicts are defined in content/dossier.yml")
        for rule in verdict_rule_problems(a.verdict, list(verdict_ids)):
            problems.add(a.file, a.line_of("verdict"), f"annotation '{a.id}': verdicts {list(a.verdict)}: {rule}",
                         "the rules are on the methodology page: templates/methodology.md.j2")
        for at_fault, rule in rating_rule_problems(a) if a.kind == "rating" else ():
            problems.add(a.file, a.line_of(at_fault), f"rating '{a.id}': {rule}",
                         "the rules are on the methodology page: templates/methodology.md.j2")
        for criterion in a.criteria:
            for ref in criterion.annotations:
                if ref not in ids:
                    near = difflib.get_close_matches(ref, sorted(ids), n=1)
                    problems.add(a.file, a.line, f"rating '{a.id}': evidence names unknown annotation '{ref}'",
                                 f"did you mean '{near[0]}'?" if near else None)
        if a.kind == "rating" and a.outlet not in outlets:
            near = difflib.get_close_matches(a.outlet or "", sorted(outlets), n=1)
            problems.add(a.file, a.line_of("outlet"), f"rating '{a.id}': no article has outlet '{a.outlet}'",
                         f"did you mean '{near[0]}'?" if near else None)
