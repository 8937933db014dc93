"""Machine-readable exports: dossier.json, annotations.jsonld (W3C Web Annotation Data Model) and
schema.org ClaimReview. The same content always gives the same bytes."""

from __future__ import annotations

import dataclasses
import json
from functools import cache, lru_cache

from . import __version__
from .align import linked_of, word_diff
from .facts import Facts
from .ledger import Carrier, claim_ledger
from .model import Anchor, Annotation, Dossier

SCHEMA_VERSION = "3.0"
WA_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATION = {"context": "commenting", "correction": "assessing", "wording": "assessing", "rating": "assessing"}


def page_url(article_id: str) -> str:
    return f"articles/{article_id}.html"


def iri(base: str | None, path: str) -> str:
    """Absolute where the site's URL is known (mkdocs `site_url`), else a URN naming the thing."""
    if base:
        return base.rstrip("/") + "/" + path
    return "urn:dossier:" + path.replace(".html#", ":").replace("/", ":").replace(".html", "")


def dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# Diffs depend on the two texts alone: kept across the rebuilds of `mkdocs serve` (read, never changed).
_word_diff = lru_cache(maxsize=200_000)(word_diff)


def export_json(dossier: Dossier, facts: Facts | None = None, parts: dict | None = None) -> str:
    """The whole dossier; see docs/reference.md "Export format" and `dossier/schemas/export.schema.json`.

    Its size grows linearly with the passages: a copy group (wire text in many articles) is stored
    once, each member with its difference from the group's most common wording, and the pair links
    inside it are implied, never listed.

    `facts`: the dossier's Facts when the caller has them (else computed when needed).
    `parts`: the encoded articles, links, copies and groups of an earlier call on the same articles
    and alignment (the caller empties it when they change); filled in on first use."""
    passages = {p.id: p for p in dossier.passages}
    by_article: dict[str, list] = {}
    for p in dossier.passages:
        by_article.setdefault(p.article, []).append(p)
    copy_of = {pid: c.id for c in dossier.alignment.copies for pid in c.passages}
    anchors = {a.annotation: a for a in dossier.anchors}
    parts = {} if parts is None else parts
    @cache
    def facts_of() -> Facts:  # only when the articles or groups are encoded anew
        return facts or Facts(dossier, linked_of(dossier.alignment))

    def fact_of(group_id: str):
        return facts_of().fact_of_group[group_id]

    built = {
        "articles": lambda: [{
            "id": a.id, **dataclasses.asdict(a.meta),
            "page": page_url(a.id),
            "passages": [{"id": p.id, "text": p.text, "href": f"{page_url(a.id)}#{p.id}",
                          **({"language": p.language} if p.language else {})}  # set: not English
                         for p in by_article.get(a.id, ())],
            **_language_fields(dossier, a.id),
            "removed": [{"text": r.text, "rule": r.rule, "line": r.line} for r in a.removed],
            "metadata_from_text": dict(a.meta_found),
            "provenance": _provenance(facts_of().provenance[a.id]),
        } for a in dossier.articles],
        "links": lambda: [{
            "a": link.a, "b": link.b, "kind": link.kind, "score": link.score, "method": link.method,
            "shape": link.shape, "spans": {"a": list(link.spans[0]), "b": list(link.spans[1])} if link.spans else None,
            "explanation": link.explanation,
            "diff": _word_diff(passages[link.a].text, passages[link.b].text),
        } for link in dossier.alignment.links],
        "copies": lambda: [{
            "id": c.id, "wording": passages[c.passages[0]].text, "lead": c.passages[0],
            "members": [{"passage": pid, "diff": _word_diff(passages[c.passages[0]].text, passages[pid].text)}
                        for pid in c.passages[1:]],
        } for c in dossier.alignment.copies],
        "facts": lambda: [{"id": g.id, "passages": list(g.passages),
                           "spans": [_fact_span(linked_of(dossier.alignment), passages, pid, g.reference)
                                     for pid in g.passages],
                           "copies": sorted({copy_of[pid] for pid in g.passages if pid in copy_of},
                                            key=lambda c: int(c[1:])),
                           "reference": fact_of(g.id).reference.id, "position": round(fact_of(g.id).position, 4),
                           "cells": [{"article": article, "passage": c.passage.id, "closeness": c.closeness}
                                     for article, c in fact_of(g.id).cells.items()]}
                          for g in dossier.alignment.groups],
    }
    data = {
        "schema_version": SCHEMA_VERSION,
        "generator": f"dossier {__version__}",
        "dossier": dataclasses.asdict(dossier.meta),
        "articles": None, "links": None, "copies": None, "facts": None,
        "annotations": [_annotation(a, anchors.get(a.id)) for a in dossier.annotations
                        if a.id in anchors or a.outside_text],
        "ratings": [dataclasses.asdict(a) for a in dossier.annotations if a.kind == "rating"],
    }
    # compact: a 1,000-article dossier exports tens of MB, which the C encoder writes 5x faster;
    # encoded key by key, exactly as json.dumps encodes the whole mapping, so parts can be kept
    encoded = []
    for key, value in data.items():
        if key in built:
            if key not in parts:
                parts[key] = _compact(built[key]())
            text = parts[key]
        else:
            text = _compact(value)
        encoded.append(f"{_compact(key)}:{text}")
    return "{" + ",".join(encoded) + "}\n"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _provenance(found) -> dict:
    return {"repeats": [{"source": r.source.id, "share": round(r.share, 4), "passages": r.passages} for r in found.repeats],
            "repeated": round(found.repeated, 4), "own": [p.id for p in found.own],
            "only_here": [p.id for p in found.only_here], "omits": [f.group.id for f in found.omitted]}


def _annotation(a: Annotation, anchor: Anchor | None) -> dict:
    """One annotation; `anchor` None for a note on the headline or on removed text (not part of the text)."""
    return {
        "id": a.id, "kind": a.kind, "article": a.target.article, "quote": a.target.quote,
        "passages": {"own": list(anchor.passages) if anchor else [], "propagated": list(anchor.propagated) if anchor else []},
        "anchoring": anchor.method if anchor else ("headline" if a.target.headline else "removed"),
        "anchoring_score": anchor.score if anchor else 100.0,
        "span": None if not anchor or anchor.method == "orphaned" else [anchor.start, anchor.end],
        "verdict": list(a.verdict), "note": a.note or a.correction,
        "sources": [dataclasses.asdict(s) for s in a.sources],
        "file": a.file, "line": a.line,
    }


def _body(a: Annotation) -> dict:
    value = a.note if a.kind == "context" else f"{' / '.join(a.verdict)}: {a.correction}"
    return {"type": "TextualBody", "value": value, "format": "text/markdown",
            "purpose": "commenting" if a.kind == "context" else "assessing"}


def web_annotations(dossier: Dossier, texts: dict[str, str], base: str | None) -> str:
    """An AnnotationCollection whose page holds one Annotation per annotation with a target."""
    anchors = {a.annotation: a for a in dossier.anchors}
    article_of = {p.id: p.article for p in dossier.passages}
    items = []
    for a in dossier.annotations:
        anchor = anchors.get(a.id)
        if a.kind == "rating":
            outlet_articles = [x.id for x in dossier.articles if a.outlet in (x.meta.outlet, x.id)]
            targets = [iri(base, page_url(x)) for x in outlet_articles]
            body = {"type": "TextualBody", "value": f"{a.overall}\n\n{a.rationale}", "format": "text/markdown",
                    "purpose": "assessing"}
        elif anchor:
            text = texts[anchor.article]
            quote = {"type": "TextQuoteSelector", "exact": a.target.quote}
            selectors = [quote]
            if anchor.method != "orphaned":
                quote.update(exact=text[anchor.start:anchor.end],
                             prefix=text[max(0, anchor.start - 32):anchor.start],
                             suffix=text[anchor.end:anchor.end + 32])
                selectors.append({"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end})
            targets = [{"source": iri(base, page_url(anchor.article)), "selector": selectors}]
            # a passage it was propagated to: its IRI (a SpecificResource needs a selector or state)
            targets += [iri(base, f"{page_url(article_of[pid])}#{pid}") for pid in anchor.propagated]
            body = _body(a)
        elif a.outside_text:  # the headline and removed text are on the article page, not in its text
            targets = [{"source": iri(base, page_url(a.target.article)),
                        "selector": {"type": "TextQuoteSelector", "exact": a.target.quote}}]
            body = _body(a)
        else:
            continue
        # one target is the target itself: the test suite's MUST schemas reject a one-element array
        item = {"id": iri(base, f"annotations/{a.id}"), "type": "Annotation", "motivation": MOTIVATION[a.kind],
                "body": body, "target": targets[0] if len(targets) == 1 else targets}
        day = a.checked or a.date
        if day and len(day) == 10:  # the model wants xsd:dateTime in UTC
            item["created"] = f"{day}T00:00:00Z"
        items.append(item)
    collection = {
        "@context": WA_CONTEXT, "id": iri(base, "export/annotations.jsonld"), "type": "AnnotationCollection",
        "label": f"Annotations of the dossier: {dossier.meta.title}", "total": len(items),
        "first": {"id": iri(base, "export/annotations.jsonld#page1"), "type": "AnnotationPage",
                  "startIndex": 0, "items": items},
    }
    return dumps(collection)


def claim_reviews(dossier: Dossier, base: str | None) -> list[dict]:
    """schema.org ClaimReview, one per checked claim (corrections and wording notes): every passage
    that carries the claim is an `appearance` (the claim ledger), the earliest published its
    `firstAppearance`."""
    verdicts = {v.id: v for v in dossier.meta.verdicts}
    reviews = []
    for entry in claim_ledger(dossier):
        a = entry.annotation
        main = verdicts[a.verdict[0]]
        appearances = [_appearance(c, base) for c in entry.carriers]
        claim = {"@type": "Claim", "appearance": appearances}
        if entry.first:
            claim["firstAppearance"] = appearances[entry.carriers.index(entry.first)]
        own = entry.carriers[0].article.meta
        if own.outlet:
            claim["author"] = {"@type": "Organization", "name": own.outlet}
        if own.published:
            claim["datePublished"] = own.published
        reviews.append({
            "@context": "https://schema.org", "@type": "ClaimReview",
            "url": iri(base, f"corrections.html#claim-{a.id}"),
            "claimReviewed": a.claim,
            "author": {"@type": "Organization", "name": dossier.meta.publisher or dossier.meta.title},
            "datePublished": a.checked,
            "reviewRating": {"@type": "Rating", "ratingValue": main.rating, "bestRating": 5, "worstRating": 1,
                             "alternateName": "; ".join(verdicts[v].label for v in a.verdict)},
            "itemReviewed": claim,
        })
    return reviews


def _appearance(carrier: Carrier, base: str | None) -> dict:
    """One carrier as a CreativeWork: the passage on its article's page (the article page for a
    claim in the headline or removed text), in the article as published."""
    article, meta = carrier.article, carrier.article.meta
    page = page_url(article.id) + (f"#{carrier.passage.id}" if carrier.passage else "")
    work = {"@type": "CreativeWork", "url": iri(base, page), "name": f"{article.heading}, {carrier.where}"}
    if carrier.passage:
        work["text"] = carrier.passage.text
    work["isPartOf"] = {"@type": "CreativeWork", "url": meta.url or iri(base, page_url(article.id)),
                        "name": article.heading}
    if meta.outlet:
        work["publisher"] = {"@type": "Organization", "name": meta.outlet}
    if meta.published:
        work["datePublished"] = meta.published
    return work


def _language_fields(dossier: Dossier, article_id: str) -> dict:
    """What the languages stage found for an article (only in several-language dossiers, or where
    front matter left the language out): the language compared, and why it was not compared."""
    record = next((r for r in dossier.languages if r.article == article_id), None)
    if record is None or (record.language == "en" and record.given):
        return {}
    return {"language_compared": record.language, "language_detected": record.detected,
            "not_compared": record.note}


def _fact_span(linked, passages: dict, pid: str, reference: str | None) -> list[int]:
    """Where a member of a fact tells it: its side of its link to the fact's reference (the
    lead's, for a copy), else the whole passage (a copy of the reference, or a member that links
    to most members instead)."""
    link = linked(pid, reference)[1] if reference and pid != reference else None
    if link is None or not link.spans:
        return [0, len(passages[pid].text)]
    own = pid if pid in (link.a, link.b) else linked.lead(pid)
    return list(link.spans[0] if link.a == own else link.spans[1])

