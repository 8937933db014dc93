"""Annotations: the format and its errors, anchoring, propagation, pages and exports."""

from __future__ import annotations

import json
import re
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.anchor import rating_rule_problems, resolve
from dossier.errors import DossierError
from dossier.model import Target
from dossier.pipeline import run

CONTEXT = """
annotations:
  - id: {id}
    kind: context
    target: {{article: {article}, quote: "{quote}"}}
    note: A note.
    sources:
      - {{title: A source, publisher: A publisher, date: "2016-11-14"}}
"""


def write_context(fixture, quote: str, article: str = "rmn-news", annotation_id: str = "note-one", name="extra.yml"):
    fixture.write(f"annotations/{name}", CONTEXT.format(id=annotation_id, article=article, quote=quote))


def anchor_of(dossier, annotation_id: str):
    return next(a for a in dossier.anchors if a.annotation == annotation_id)


def test_every_seed_annotation_anchors_and_says_how(seed_dossier):
    assert len(seed_dossier.annotations) == 36
    in_text = [a for a in seed_dossier.annotations if a.target and not a.outside_text]
    assert {a.annotation for a in seed_dossier.anchors} == {a.id for a in in_text}
    assert all(a.method == "exact" for a in seed_dossier.anchors)
    assert [a.id for a in seed_dossier.annotations if a.target and a.target.headline] == ["rmn-headline"]
    assert [a.id for a in seed_dossier.annotations if a.target and a.target.removed] == [
        "rmn-award-winning-journalist", "rmn-objective-content"]
    assert seed_dossier.warnings == ()
    kinds = {a.kind for a in seed_dossier.annotations}
    assert kinds == {"context", "correction", "wording", "rating"}


def test_seed_annotations_cite_sources(seed_dossier):
    for a in seed_dossier.annotations:
        assert a.sources, a.id
        for s in a.sources:
            assert s.title and s.publisher
            assert s.url is None or s.url.startswith(("http://", "https://"))


def test_seed_notes_follow_the_methodology(seed_dossier):
    """Issue 32: one note per sentence, 120 words at most, a verdict only for a claim at fault, and a
    source seen only through others says so."""
    from dossier.anchor import verdict_rule_problems

    scale = [v.id for v in seed_dossier.meta.verdicts]
    for a in seed_dossier.annotations:
        assert all(len((text or "").split()) <= 120 for text in (a.note, a.correction, a.rationale)), a.id
        assert verdict_rule_problems(a.verdict, scale) == [], a.id
        assert (a.kind in ("correction", "wording")) == bool(a.verdict), a.id
    notes_on = {}
    for anchor in seed_dossier.anchors:
        for pid in anchor.passages:
            notes_on.setdefault(pid, []).append(anchor.annotation)
    several = {pid: ids for pid, ids in notes_on.items() if len(ids) > 1}
    # the one sentence that holds two claims with different verdicts (fact sheet 003-08 and 003-09)
    assert several == {"rmn-news-p6-1": ["putin-expects-nato", "nato-surveillance-over-ukraine"]}
    seen_through_others = {"Indictment, United States v. Viktor Borisovich Netyksho et al.",
                           "Assessing Russian Activities and Intentions in Recent US Elections (ICA 2017-01D)",
                           "Report on the Investigation into Russian Interference in the 2016 Presidential Election",
                           "Volume 5: Counterintelligence Threats and Vulnerabilities", "[Interview with Craig Murray]",
                           "[Statement of President-elect Trump's transition team on the call with President Putin]"}
    for a in seed_dossier.annotations:
        for source in a.sources:
            if source.title in seen_through_others:
                assert source.note and "known through" in source.note, (a.id, source.title)


def test_no_seed_check_is_carried_to_an_article_whose_words_differ(seed_dossier):
    """Every link of the seed pair joins an attributed or reworded sentence to the Kremlin's English
    words: no check, and no wording note, reaches the other article."""
    assert all(anchor.propagated == () for anchor in seed_dossier.anchors)


def test_a_wording_note_stays_on_its_article_by_kind(seed_dossier):
    grouped = {pid for g in seed_dossier.alignment.groups for pid in g.passages}
    anchor = anchor_of(seed_dossier, "especially-in-the-region")
    assert "report-000-p1-2" in anchor.passages and "report-000-p1-2" in grouped
    assert next(a for a in seed_dossier.annotations if a.id == "especially-in-the-region").kind == "wording"
    assert anchor.propagated == ()


def test_headline_note_is_shown_under_the_headline_and_linked(seed_site):
    article = (seed_site / "articles/rmn-news.html").read_text(encoding="utf-8")
    block = article[article.index('id="note-rmn-headline"'):]
    assert "on the headline" in block[:400] and "Let’s be Friends. Trump Agrees." in block[:800]
    assert article.index('id="note-rmn-headline"') < article.index('id="rmn-news-p1-1"')
    corrections = (seed_site / "corrections.html").read_text(encoding="utf-8")
    assert 'id="claim-rmn-headline"' in corrections and "articles/rmn-news.html#note-rmn-headline" in corrections
    sources = (seed_site / "sources.html").read_text(encoding="utf-8")
    assert "articles/rmn-news.html#note-rmn-headline" in sources


def test_a_quote_found_twice_names_each_offset_and_start_chooses_one(fixture_dossier):
    fixture_dossier.article("a1", "The harbour reopened on Monday. Ships left the harbour at noon.")
    note = """
        annotations:
          - id: note-one
            kind: context
            target: {article: a1, quote: harbour%s}
            note: A note.
            sources: [{title: t, publisher: p, date: null, url: "https://example.org/"}]
        """
    fixture_dossier.write("annotations/notes.yml", note % "")
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    (problem,) = [str(p) for p in info.value.problems]
    assert "the quote occurs 2 times in 'a1'" in problem and "`start:`" in problem and problem.endswith("in the cleaned text: 4, 47)")
    fixture_dossier.write("annotations/notes.yml", note % ", start: 47")
    (found,) = [a for a in run(fixture_dossier.content).anchors if a.annotation == "note-one"]
    assert (found.start, found.end, found.method) == (47, 54, "exact")
    # a quote that matches only with case and spaces folded ("HARBOUR") is placed by `start` too (it was not)
    fixture_dossier.write("annotations/notes.yml", (note % ", start: 47").replace("quote: harbour", "quote: HARBOUR"))
    (found,) = [a for a in run(fixture_dossier.content).anchors if a.annotation == "note-one"]
    assert (found.start, found.end, found.method) == (47, 54, "normalised")


def test_headline_quote_must_be_in_the_headline(fixture_dossier):
    fixture_dossier.article("a1", "The harbour reopened on Monday.", title="Harbour reopens")
    fixture_dossier.write("annotations/notes.yml", """
        annotations:
          - id: note-one
            kind: context
            target: {article: a1, quote: "Harbour closes", headline: true}
            note: A note.
            sources: [{title: t, publisher: p, date: null, url: "https://example.org/"}]
        """)
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    assert ('content/annotations/notes.yml:4: annotation \'note-one\': the quote is not in the headline of '
            '\'a1\' (the headline is "Harbour reopens")') in [str(p) for p in info.value.problems]


SOURCED = """
annotations:
  - id: note-one
    kind: context
    target: {article: a1, quote: "The harbour reopened"}
    note: A note.
    sources:
      - title: A source
        publisher: A publisher
        date: "2016-11-14"
"""


@pytest.mark.parametrize("extra, warned", [
    ("", True),
    ("        url: https://example.org/report\n", False),
    ("        note: original not seen; quoted in S3\n", False),
])
def test_a_source_needs_a_url_or_a_note_saying_why(fixture_dossier, extra, warned):
    from dossier.render import render
    from paths import ROOT

    fixture_dossier.article("a1", "The harbour reopened on Monday.")
    fixture_dossier.write("annotations/notes.yml", SOURCED + extra)
    dossier = run(fixture_dossier.content)
    found = [w for w in dossier.warnings if "neither a url nor a note" in w]
    if warned:
        assert found == ["content/annotations/notes.yml:7: annotation 'note-one': source 'A source' has neither "
                         "a url nor a note saying why (add `url:`, or `note:` such as \"original not seen; "
                         "quoted in ...\")"]
    else:
        assert found == []
    page = render(dossier, ROOT / "templates").pages["articles/a1.md"]
    assert ("(original not seen; quoted in S3)" in page) == ("note:" in extra)


def test_check_prints_the_source_warning_and_strict_fails(fixture_dossier):
    import subprocess
    import sys

    from paths import ROOT

    fixture_dossier.article("a1", "The harbour reopened on Monday.")
    fixture_dossier.write("annotations/notes.yml", SOURCED)
    args = [sys.executable, str(ROOT / "build.py"), "check", "--content", str(fixture_dossier.content)]
    ok = subprocess.run(args, capture_output=True, text=True, cwd=fixture_dossier.root)
    assert ok.returncode == 0 and "WARNING: content/annotations/notes.yml:7: annotation 'note-one'" in ok.stderr
    assert subprocess.run([*args, "--strict"], capture_output=True, text=True).returncode == 1


def test_a_changed_word_reanchors_fuzzily_with_a_warning(fixture_dossier):
    fixture_dossier.copy_seed()
    write_context(fixture_dossier, "Putin also expects Trump to help reduce NATO's influence over Ukraine")
    dossier = run(fixture_dossier.content)
    anchor = anchor_of(dossier, "note-one")
    assert anchor.method == "fuzzy" and anchor.passages == ("rmn-news-p6-1",)
    assert any("note-one" in w and "fuzzily" in w and "content/annotations/extra.yml:4" in w
               and 'did you mean "Putin also expects Trump to help reduce NATO’s influence on Ukraine' in w
               for w in dossier.warnings), dossier.warnings


def test_quotes_and_case_differences_anchor_normalised(fixture_dossier):
    fixture_dossier.copy_seed()
    write_context(fixture_dossier, "putin also expects trump to help reduce nato's influence on ukraine")
    assert anchor_of(run(fixture_dossier.content), "note-one").method == "normalised"


def test_did_you_mean_quotes_whole_words(fixture_dossier):
    """The closest text of an orphaned or fuzzy quote is given in whole words, to copy into the
    target: it used to end where the fuzzy match did, inside a word ("on Monday night to bui")."""
    fixture_dossier.article("a1", "The town council voted 7 to 2 on Monday night to build a new bridge across the river.")
    write_context(fixture_dossier, "voted seven to two on Monday evening", article="a1")
    (warning,) = [w for w in run(fixture_dossier.content).warnings if "orphaned" in w]
    suggested = warning.split('did you mean "')[1].split('"')[0]
    assert suggested.split(" ")[-1] in "The town council voted 7 to 2 on Monday night to build a new bridge".split(" ")
    assert suggested.split(" ")[0] in "The town council voted".split(" "), suggested


def test_deleted_sentence_orphans_the_annotation_and_lists_it(fixture_dossier, tmp_path):
    from dossier.cli import build
    from paths import ROOT

    fixture_dossier.copy_seed()
    article = fixture_dossier.content / "articles/rmn-news.md"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "Putin also expects Trump to help reduce NATO’s influence on Ukraine, as last month the 28-nation "
        "alliance had stepped up its surveillance over Ukraine.", "Putin said nothing about that."), encoding="utf-8")
    dossier = run(fixture_dossier.content)
    orphan = anchor_of(dossier, "putin-expects-nato")
    assert orphan.method == "orphaned" and orphan.passages == () and orphan.nearest
    assert any("putin-expects-nato" in w and "orphaned" in w and "nearest passage" in w for w in dossier.warnings)
    build(fixture_dossier.content, tmp_path / "site", ROOT / "mkdocs.yml", strict=False, quiet=True)
    page = (tmp_path / "site/unanchored.html").read_text(encoding="utf-8")
    assert "putin-expects-nato" in page and "content/annotations/corrections.yml" in page
    export = json.loads((tmp_path / "site/export/dossier.json").read_text())
    entry = next(a for a in export["annotations"] if a["id"] == "putin-expects-nato")
    assert entry["anchoring"] == "orphaned", "never dropped"
    with pytest.raises(Exception):  # --strict turns the orphan warning into a failed build
        build(fixture_dossier.content, tmp_path / "strict", ROOT / "mkdocs.yml", strict=True, quiet=True)
    assert not (tmp_path / "strict").exists()


def test_ambiguous_quote_is_an_error_saying_where(fixture_dossier):
    fixture_dossier.copy_seed()
    write_context(fixture_dossier, "the number one common enemy")
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    (problem,) = [str(p) for p in info.value.problems]
    assert "content/annotations/extra.yml:4" in problem and "occurs 2 times" in problem
    assert "rmn-news-p1-1" in problem and "rmn-news-p13-1" in problem and "prefix or suffix" in problem


def problems_with_bad_correction(fixture, correction_field: str) -> list[str]:
    """The seed, plus a note on an unknown article and a correction with a mistyped verdict."""
    fixture.copy_seed()
    write_context(fixture, "Putin also expects", article="rmn-new")
    fixture.write("annotations/bad.yml", f"""
        annotations:
          - id: bad-one
            kind: correction
            target: {{article: rmn-news, quote: "Putin also expects"}}
            claim: x
            verdict: [misleadin]
            {correction_field}: x
            checked: "2026-11-24"
            sources: [{{title: t, publisher: p, date: null}}]
        """)
    with pytest.raises(DossierError) as info:
        run(fixture.content)
    return [str(p) for p in info.value.problems]


def test_unknown_field_gets_did_you_mean(fixture_dossier):
    found = problems_with_bad_correction(fixture_dossier, "corection")
    assert any(p.startswith("content/annotations/bad.yml:7: unknown field 'annotations[0].corection'")
               and "did you mean 'correction'" in p for p in found), found
    assert any(p.startswith("content/annotations/bad.yml:2: missing required field 'annotations[0].correction'")
               for p in found), found


def test_unknown_article_and_verdict_are_named(fixture_dossier):
    found = problems_with_bad_correction(fixture_dossier, "correction")
    assert "content/annotations/bad.yml:6: annotation 'bad-one': unknown verdict 'misleadin' (did you mean 'misleading'?)" in found
    assert "content/annotations/extra.yml:4: annotation 'note-one': unknown article 'rmn-new' (did you mean 'rmn-news'?)" in found


def test_duplicate_annotation_ids_are_rejected(fixture_dossier):
    fixture_dossier.copy_seed()
    write_context(fixture_dossier, "Putin also expects", annotation_id="minsk-agreements")
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    assert "duplicate annotation id 'minsk-agreements' (first used at content/annotations/context.yml:" in str(info.value)


IRI = re.compile(r"^[a-z][a-z0-9+.-]*:\S+$")
REFINEMENTS = ("selector", "purpose", "state", "styleClass", "renderedVia", "scope")


def selector_errors(selector) -> list[str]:
    """A selector as the Web Annotation Data Model describes it (section 4.2): an IRI, or an object of
    a known selector type; a TextQuoteSelector has exactly one `exact` (`prefix`, `suffix` at most
    one each), a TextPositionSelector exactly one `start` and one `end`, non-negative integers."""
    if isinstance(selector, str):
        return [] if IRI.match(selector) else [f"selector {selector!r} is not an IRI"]
    if not isinstance(selector, dict) or not isinstance(selector.get("type"), str):
        return [f"selector {selector!r} has no single type"]
    if selector["type"] == "TextQuoteSelector":
        if not (isinstance(selector.get("exact"), str) and selector["exact"]):
            return ["a TextQuoteSelector needs exactly one exact text"]
        return [f"{key} of a TextQuoteSelector must be one text" for key in ("prefix", "suffix")
                if key in selector and not isinstance(selector[key], str)]
    if selector["type"] == "TextPositionSelector":
        start, end = selector.get("start"), selector.get("end")
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (start, end)):
            return ["a TextPositionSelector needs one start and one end, non-negative integers"]
        return [] if start <= end else ["a TextPositionSelector ends before it starts"]
    known = {"FragmentSelector", "CssSelector", "XPathSelector", "DataPositionSelector", "SvgSelector", "RangeSelector"}
    return [] if selector["type"] in known else [f"unknown selector type {selector['type']!r}"]


def target_errors(target) -> list[str]:
    """What keeps `target` from being one of the forms the Web Annotation Data Model gives a target
    (sections 3.1, 3.2, 4), as the W3C test suite's MUST schemas detect them: one target is an IRI
    string or one object, never an array; an array holds two or more of them. An object is an
    External Web Resource (exactly one `id`, an IRI; no `source`, no `value`) or a Specific Resource
    (exactly one `source`, an IRI or an External Web Resource, and at least one of selector, purpose,
    state, styleClass, renderedVia, scope: with none, the suite recognises it as nothing)."""
    if isinstance(target, list):
        if len(target) < 2:
            return ["a single target must be the target itself, not a one-element array"]
        return [e for t in target for e in target_errors(t) if not isinstance(t, list)] + \
            ["a target array must not nest arrays" for t in target if isinstance(t, list)]
    if isinstance(target, str):
        return [] if IRI.match(target) else [f"target {target!r} is not an IRI"]
    if not isinstance(target, dict):
        return [f"target {target!r} is neither an IRI nor an object"]
    if "source" not in target:
        if "value" in target:
            return ["a target cannot be an embedded textual body"]
        return [] if isinstance(target.get("id"), str) and IRI.match(target["id"]) else \
            ["an External Web Resource target needs exactly one id, an IRI"]
    errors = []
    source = target["source"]
    if isinstance(source, dict):
        if not (isinstance(source.get("id"), str) and IRI.match(source["id"])) or "source" in source:
            errors.append("a Specific Resource's source object must be an External Web Resource with an IRI id")
    elif not (isinstance(source, str) and IRI.match(source)):
        errors.append(f"a Specific Resource needs exactly one source, an IRI (got {source!r})")
    if not any(key in target for key in REFINEMENTS):
        errors.append(f"a Specific Resource without any of {', '.join(REFINEMENTS)} is recognised as no target "
                      f"form (source {source!r}): give the IRI itself, or add a selector")
    if "type" in target and "SpecificResource" not in ([target["type"]] if isinstance(target["type"], str) else target["type"]):
        errors.append(f"a Specific Resource typed {target['type']!r}")
    selectors = target.get("selector", [])
    for s in selectors if isinstance(selectors, list) else [selectors]:
        errors += selector_errors(s)
    if isinstance(selectors, list) and "selector" in target and not selectors:
        errors.append("an empty selector array")
    return errors


@pytest.mark.parametrize("target, valid", [
    ("https://example.org/a.html", True),
    ("urn:dossier:articles:a1", True),
    (["urn:dossier:articles:a1"], False),  # issue 11: a one-element array
    (["urn:dossier:articles:a1", "urn:dossier:articles:a2"], True),
    ({"id": "https://example.org/a.html", "type": "Text"}, True),
    ({"source": "urn:dossier:articles:a1#a1-p1-1"}, False),  # a Specific Resource that specifies nothing
    ({"source": "urn:dossier:articles:a1", "selector": {"type": "TextQuoteSelector", "exact": "x"}}, True),
    ({"source": "urn:dossier:articles:a1", "selector": [{"type": "TextQuoteSelector", "exact": ""}]}, False),
    ({"source": "urn:dossier:articles:a1", "selector": [{"type": "TextPositionSelector", "start": 4, "end": 2}]}, False),
    ({"source": ["urn:a", "urn:b"], "selector": {"type": "TextQuoteSelector", "exact": "x"}}, False),
    ({"source": {"id": "urn:a"}, "selector": {"type": "FragmentSelector", "value": "p1"}}, True),
    ([{"source": "urn:a", "selector": {"type": "TextQuoteSelector", "exact": "x"}}, {"source": "urn:b"}], False),
    ("not an iri", False),
    ({"type": "TextualBody", "value": "x"}, False),
])
def test_the_target_form_checker_follows_the_data_model(target, valid):
    assert (target_errors(target) == []) == valid, target_errors(target)


def test_web_annotation_export_meets_the_must_requirements(seed_site):
    doc = json.loads((seed_site / "export/annotations.jsonld").read_text())
    assert doc["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert doc["type"] == "AnnotationCollection" and doc["first"]["type"] == "AnnotationPage"
    items = doc["first"]["items"]
    assert doc["total"] == len(items) >= 12
    ids = [a["id"] for a in items]
    assert len(set(ids)) == len(ids) and all(IRI.match(i) for i in ids), "absolute IRIs"
    forms = {}
    for a in items:
        assert a["type"] == "Annotation"
        assert a["motivation"] in {"commenting", "assessing"}
        assert a["target"], "an Annotation MUST have at least one target"
        forms[a["id"]] = target_errors(a["target"])
        body = a["body"]
        assert body["type"] == "TextualBody" and body["value"]
        assert "created" not in a or re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", a["created"])
    assert {k: v for k, v in forms.items() if v} == {}, "every target in a form the MUST schemas accept"
    kinds = {type(a["target"]).__name__ for a in items}
    assert kinds == {"str", "dict"}, "the seed exercises single IRIs and single objects (arrays: the dam fixture)"


def test_position_selector_points_at_the_quote(seed_site, seed_dossier):
    from dossier.segment import cleaned_text

    texts = {a.id: cleaned_text(a) for a in seed_dossier.articles}
    doc = json.loads((seed_site / "export/annotations.jsonld").read_text())
    for item in doc["first"]["items"]:
        target = item["target"][0] if isinstance(item["target"], list) else item["target"]
        if isinstance(target, dict) and isinstance(target.get("selector"), list):
            quote, position = target["selector"]
            article = target["source"].rsplit(":", 1)[-1]
            assert texts[article][position["start"]:position["end"]] == quote["exact"]


def test_headline_notes_are_exported(seed_site, seed_export):
    """A note on a headline (cleaned out of the text) is exported too: nothing is lost."""
    doc = json.loads((seed_site / "export/annotations.jsonld").read_text())
    headline = [a for a in seed_export["annotations"] if a["anchoring"] == "headline"]
    assert headline, "the seed annotates RMN's headline"
    for a in headline:
        (item,) = [i for i in doc["first"]["items"] if i["id"].endswith(a["id"])]
        assert item["target"]["selector"] == {"type": "TextQuoteSelector", "exact": a["quote"]}


def test_claimreview_jsonld_parses_and_carries_the_required_fields(seed_site):
    html = (seed_site / "corrections.html").read_text(encoding="utf-8")
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    reviews = json.loads(block)
    assert len(reviews) >= 3
    for r in reviews:
        assert r["@type"] == "ClaimReview" and r["@context"] == "https://schema.org"
        assert r["claimReviewed"] and r["datePublished"] and r["url"] and r["author"]["name"]
        rating = r["reviewRating"]
        assert rating["alternateName"] and 1 <= rating["ratingValue"] <= 5
        assert r["itemReviewed"]["@type"] == "Claim" and r["itemReviewed"]["appearance"]
    exported = json.loads((seed_site / "export/claimreview.jsonld").read_text())
    assert exported == reviews


def test_corrections_page_groups_by_verdict_and_by_article(seed_site):
    html = (seed_site / "corrections.html").read_text(encoding="utf-8")
    assert 'id="verdict-misleading"' in html and 'id="verdict-translation-error"' in html
    assert 'id="article-rmn-news"' in html and 'id="article-report-000"' in html
    assert 'id="claim-foreign-diplomats-claim"' in html


def test_sources_page_has_criteria_tables_with_evidence_links(seed_site):
    html = (seed_site / "sources.html").read_text(encoding="utf-8")
    assert html.count('<div class="dossier-table rating-criteria">') == 2
    assert "Avoids deceptive headlines" in html and "articles/rmn-news.html#note-putin-expects-nato" in html


def test_dossier_json_lists_annotations_with_anchoring(seed_export):
    entries = {a["id"]: a for a in seed_export["annotations"]}
    entry = entries["kremlin-only-common-enemy"]
    assert entry["kind"] == "context" and entry["article"] == "rmn-news" and entry["anchoring"] == "exact"
    assert entry["passages"] == {"own": ["rmn-news-p13-1", "rmn-news-p13-2"], "propagated": []}
    assert entries["rmn-objective-content"]["anchoring"] == "removed"
    assert entries["especially-in-the-region"]["kind"] == "wording"
    assert {r["id"] for r in seed_export["ratings"]} == {"rating-rmn-news", "rating-report-000"}


def test_methodology_page_lists_every_verdict_and_the_last_check(seed_site, seed_dossier):
    from markupsafe import escape

    from dossier.notes import CRITERIA

    html = (seed_site / "methodology.html").read_text(encoding="utf-8")
    for v in seed_dossier.meta.verdicts:
        assert f'id="verdict-{v.id}"' in html and f"<td>{escape(v.label)}</td>" in html, v.id
        assert str(escape(v.description)) in html, v.id
    for criterion, label in CRITERIA.items():
        assert f'id="criterion-{criterion}"' in html and str(escape(label)) in html
    dates = [a.checked for a in seed_dossier.annotations if a.checked]
    dates += [a.date for a in seed_dossier.annotations if a.kind == "rating"]
    assert f'id="last-check">{max(dates)}<' in html
    assert "Also applies here" in html and "verified" in html
    assert 'href="methodology.html"' in (seed_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("findings, label", [
    (["met", "met", "not-assessable"], "Meets the criteria"),
    (["not-met", "not-met"], "Does not meet the criteria"),
    (["met", "partly"], "Partly meets the criteria"),
    (["met", "not-met", "partly"], "Mixed"),
    (["not-assessable"], "Not assessable"),
])
def test_the_overall_label_is_the_one_the_methodology_page_states(findings, label):
    from dossier.anchor import overall_label

    assert overall_label(findings) == label


def test_ratings_follow_one_standard(seed_dossier):
    from dossier.notes import CRITERIA

    annotations = {a.id: a for a in seed_dossier.annotations}
    ratings = [a for a in seed_dossier.annotations if a.kind == "rating"]
    assert len(ratings) == 2
    for rating in ratings:
        assert [c.criterion for c in rating.criteria] == list(CRITERIA), "every criterion, once, in order"
        rated = {x.id for x in seed_dossier.articles if rating.outlet in (x.meta.outlet, x.id)}
        for c in rating.criteria:
            if c.finding == "not-met":
                assert c.annotations, f"{rating.id}: {c.criterion} is not met but shows no annotation"
            assert all(annotations[ref].target.article in rated for ref in c.annotations), (rating.id, c.criterion)
        assert rating_rule_problems(rating) == [], rating.id


def test_home_counts_annotations_per_article(seed_site):
    html = (seed_site / "index.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "rmn-news.html" in r)
    assert "Mixed" in row and "sources.html#rating-rating-rmn-news" in row


article_text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=300)


@settings(max_examples=150, deadline=None)
@given(article_text, st.data())
def test_a_quote_cut_from_the_text_always_anchors(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    prefix = text[max(0, start - 32):start]
    method, a, b, _, ambiguous = resolve(Target("x", quote, prefix=prefix or None, start=start), text)
    assert method in {"exact", "ambiguous"}
    if method == "exact":
        assert text[a:b] == quote
    else:
        assert start in ambiguous


VERDICT_SCALE = """
title: Fixture dossier
language: en
verdicts:
  - {id: accurate, label: Accurate, rating: 5, description: The claim matches the sources.}
  - {id: "false", label: "False", rating: 1, description: The sources contradict the claim.}
"""

# One invented event told by three invented outlets. The Ledger alone says why the gates failed (and
# is corrected for it); the Post reprints the Ledger's second paragraph word for word; the Courier
# tells every fact in its own words.
DAM_ARTICLES = {
    "ledger": ("Northern Ledger", """
        The spillway gates of the Varnholm dam failed on Sunday night because of a cyberattack on the control room, the operator said.

        Water from the reservoir flooded the lower fields of three farms before engineers closed the gates by hand on Monday morning.

        Nobody was hurt, according to the regional fire service, which evacuated twelve families from the valley road.

        The operator expects the control system to be repaired within two weeks.
        """),
    "post": ("River Valley Post", """
        The spillway gates of the Varnholm dam failed on Sunday night, the operator said.

        Water from the reservoir flooded the lower fields of three farms before engineers closed the gates by hand on Monday morning.

        The regional fire service evacuated twelve families from the valley road and said nobody was hurt.

        Local farmers asked the province for compensation.
        """),
    "courier": ("Harbour Courier", """
        The operator said the spillway gates at the Varnholm dam failed on Sunday night.

        Engineers shut the gates manually on Monday morning after reservoir water had flooded low-lying fields on three farms.

        Twelve families were evacuated from the valley road by the regional fire service; no one was injured.

        The valley's mayor called for an inquiry.
        """),
}
DAM_NOTES = """
annotations:
  - id: no-cyberattack
    kind: correction
    target: {article: ledger, quote: "because of a cyberattack on the control room"}
    claim: A cyberattack on the control room made the gates fail.
    verdict: ["false"]
    correction: The operator's statement blamed a power fault, not a cyberattack.
    checked: "2026-11-20"
    sources:
      - {title: Operator statement, publisher: Varnholm Water Board, date: "2026-11-16", url: "https://example.org/statement"}
  - id: closed-by-hand
    kind: context
    target: {article: ledger, quote: "before engineers closed the gates by hand on Monday morning"}
    note: The gates have no backup motor; closing them by hand takes about four hours.
    sources:
      - {title: Dam inspection report, publisher: Province of Varnholm, date: "2025-03-01", url: "https://example.org/inspection"}
"""


def test_propagation_reaches_only_passages_that_carry_the_annotated_words(fixture_dossier):
    """Issue 11: a note showed as "Also applies here" on parallel passages without its words, telling
    readers an outlet made an error it did not make."""
    from dossier.align import Linked
    from dossier.render import render
    from paths import ROOT

    fixture_dossier.write("dossier.yml", VERDICT_SCALE)
    for article_id, (outlet, body) in DAM_ARTICLES.items():
        fixture_dossier.article(article_id, body, outlet=outlet)
    fixture_dossier.write("annotations/notes.yml", DAM_NOTES)
    dossier = run(fixture_dossier.content)
    linked = Linked(dossier.alignment)
    # the premise: every first and second paragraph is linked to the Ledger's, so links alone would
    # carry both notes to every outlet
    for n in (1, 2):
        for other in ("post", "courier"):
            assert linked(f"ledger-p{n}-1", f"{other}-p{n}-1")[0], (n, other)

    correction, context = anchor_of(dossier, "no-cyberattack"), anchor_of(dossier, "closed-by-hand")
    assert correction.passages == ("ledger-p1-1",)
    assert correction.propagated == (), "neither the Post nor the Courier says anything of a cyberattack"
    assert context.passages == ("ledger-p2-1",)
    assert context.propagated == ("post-p2-1",), "the Post carries the annotated words, the Courier rewords them"

    pages = render(dossier, ROOT / "templates").pages
    applies = {(aid, pid) for aid in ("no-cyberattack", "closed-by-hand") for pid in (p.id for p in dossier.passages)}
    for article_id in DAM_ARTICLES:
        page = pages[f"articles/{article_id}.md"]
        shown = {pair: page.count(f'id="also-{pair[0]}-{pair[1]}"') for pair in applies}
        expected = {("closed-by-hand", "post-p2-1")} if article_id == "post" else set()
        assert {pair for pair, n in shown.items() if n} == expected, article_id
        assert all(n <= 1 for n in shown.values()), f"{article_id}: a note shown twice on one passage"
        assert page.count("Also applies here") == len(expected), article_id
        # issue 32: where a linked passage's check does not apply, nothing is said under it
        assert "does not apply here" not in page and 'id="near-' not in page, article_id


def test_counts_on_the_home_page_are_in_the_singular_for_one(fixture_dossier):
    from dossier.render import render
    from paths import ROOT

    fixture_dossier.write("dossier.yml", VERDICT_SCALE)
    outlet, body = DAM_ARTICLES["ledger"]
    fixture_dossier.article("ledger", body, outlet=outlet)
    fixture_dossier.write("annotations/notes.yml", DAM_NOTES)
    home = render(run(fixture_dossier.content), ROOT / "templates").pages["index.md"]
    assert "<td>1 context, 1 correction</td>" in home  # was "1 corrections"
    assert "· 1 article ·" in home and "· 0 parallel links</p>" in home


# Issue 32: every propagation rule pinned on links made by hand, so that no rule rests on what the
# aligner happens to find. Two outlets print the same sentence; the annotated words are its end.
FLOOD = "The gates failed on Sunday night after a storm, and the river flooded three farms."
QUOTE = "the river flooded three farms"
FLOOD_NOTES = """
annotations:
  - id: flood-context
    kind: context
    target: {article: north, quote: "the river flooded three farms"}
    note: Three farms, by the fire service's count.
    sources: [{title: Fire service log, publisher: Fire service, date: "2016-11-14", url: "https://example.org/log"}]
  - id: flood-claim
    kind: correction
    target: {article: north, quote: "the river flooded three farms"}
    claim: The river flooded three farms.
    verdict: ["false"]
    correction: It flooded two.
    checked: "2026-11-20"
    sources: [{title: Fire service log, publisher: Fire service, date: "2016-11-14", url: "https://example.org/log"}]
  - id: flood-wording
    kind: wording
    target: {article: north, quote: "the river flooded three farms"}
    claim: The river flooded three farms.
    verdict: [accurate, translation-error]
    correction: Translated back from another language.
    checked: "2026-11-20"
    sources: [{title: Fire service log, publisher: Fire service, date: "2016-11-14", url: "https://example.org/log"}]
"""


@pytest.fixture
def flood(fixture_dossier):
    fixture_dossier.write("dossier.yml", VERDICT_SCALE.replace(
        '  - {id: "false"', '  - {id: translation-error, label: Translation error, rating: 3}\n  - {id: "false"'))
    fixture_dossier.article("north", FLOOD, outlet="North Post", published="2016-11-15")
    fixture_dossier.article("south", FLOOD, outlet="South Courier", published="2016-11-14")
    fixture_dossier.write("annotations/notes.yml", FLOOD_NOTES)
    return run(fixture_dossier.content)


def reach_over(dossier, kind: str, shared: tuple[int, int]):
    """The anchors when the two sentences are joined by one link of `kind` sharing `shared` (the same
    offsets in both): (dossier with that alignment, {annotation: propagated}, warnings)."""
    import dataclasses

    from dossier.anchor import anchor
    from dossier.errors import Collector
    from dossier.model import Alignment, Link

    link = Link("north-p1-1", "south-p1-1", 0.9, "manual", kind=kind, spans=(shared, shared))
    made = dataclasses.replace(dossier, alignment=Alignment(links=(link,), groups=()))
    anchors, warnings = anchor(made, made.annotations, Collector())
    made = dataclasses.replace(made, anchors=anchors)
    return made, {a.annotation: a.propagated for a in anchors}, warnings


def test_a_note_reaches_a_parallel_whatever_its_shared_span(flood):
    start = FLOOD.index(QUOTE)
    _, reached, _ = reach_over(flood, "parallel", (0, start - 10))
    assert reached["flood-context"] == ("south-p1-1",) and reached["flood-claim"] == ("south-p1-1",)


def test_a_note_reaches_an_overlap_only_when_the_shared_span_holds_its_words(flood):
    start = FLOOD.index(QUOTE)
    _, elsewhere, _ = reach_over(flood, "overlap", (0, start - 10))  # "The gates failed on Sunday night"
    assert elsewhere["flood-context"] == () and elsewhere["flood-claim"] == (), \
        "the outlets share another fact of the sentence, not the annotated words"
    _, holding, _ = reach_over(flood, "overlap", (start - 4, len(FLOOD)))
    assert holding["flood-context"] == ("south-p1-1",) and holding["flood-claim"] == ("south-p1-1",)


def test_a_wording_note_never_reaches_another_article(flood):
    for kind, shared in (("parallel", (0, len(FLOOD))), ("overlap", (0, len(FLOOD)))):
        _, reached, _ = reach_over(flood, kind, shared)
        assert reached["flood-wording"] == (), kind


def test_check_warns_when_a_correction_about_wording_would_be_carried(fixture_dossier):
    fixture_dossier.write("dossier.yml", VERDICT_SCALE.replace(
        '  - {id: "false"', '  - {id: translation-error, label: Translation error, rating: 3}\n  - {id: "false"'))
    fixture_dossier.article("north", FLOOD, outlet="North Post")
    fixture_dossier.article("south", FLOOD, outlet="South Courier")
    fixture_dossier.write("annotations/notes.yml", FLOOD_NOTES.split("  - id: flood-wording")[0].replace(
        'verdict: ["false"]', "verdict: [translation-error]"))
    dossier = run(fixture_dossier.content)
    _, _, warnings = reach_over(dossier, "parallel", (0, len(FLOOD)))
    assert warnings == ("content/annotations/notes.yml:9: annotation 'flood-claim' judges only this article's "
                        "wording (Translation error) but would be shown on south ¶1.1, whose wording is its own: "
                        "make it `kind: wording`",)


def test_the_claim_ledger_lists_every_carrier_and_the_first_published(flood):
    from dossier.exports import claim_reviews
    from dossier.ledger import claim_ledger

    start = FLOOD.index(QUOTE)
    made, _, _ = reach_over(flood, "overlap", (start - 4, len(FLOOD)))
    entries = {e.annotation.id: e for e in claim_ledger(made)}
    assert set(entries) == {"flood-claim", "flood-wording"}, "context notes check no claim"
    claim = entries["flood-claim"]
    assert [(c.article.id, c.passage.id) for c in claim.carriers] == [("north", "north-p1-1"), ("south", "south-p1-1")]
    assert claim.first.article.id == "south", "the South Courier published a day earlier"
    assert [c.article.id for c in entries["flood-wording"].carriers] == ["north"]
    review = next(r for r in claim_reviews(made, None) if r["url"].endswith("claim-flood-claim"))
    appearances = review["itemReviewed"]["appearance"]
    assert [(a["publisher"]["name"], a["datePublished"], a["text"]) for a in appearances] == [
        ("North Post", "2016-11-15", FLOOD), ("South Courier", "2016-11-14", FLOOD)]
    assert review["itemReviewed"]["firstAppearance"] == appearances[1]
    unlinked, _, _ = reach_over(flood, "overlap", (0, start - 10))
    (alone,) = [r for r in claim_reviews(unlinked, None) if r["url"].endswith("claim-flood-claim")]
    assert [a["publisher"]["name"] for a in alone["itemReviewed"]["appearance"]] == ["North Post"], \
        "a carrier whose shared words do not hold the claim is not listed"
    assert alone["itemReviewed"]["firstAppearance"]["publisher"]["name"] == "North Post"


@pytest.mark.parametrize("entry, message", [
    ("verdict: [accurate]", "annotation 'flood-claim': verdicts ['accurate']: a claim that checks out gets a "
                            "context note (`kind: context`), not a verdict"),
    ('verdict: [translation-error, accurate]', "annotation 'flood-claim': verdicts ['translation-error', "
                                               "'accurate']: Accurate comes only first, as the verdict on what the claim says"),
    ("propagate: false", "unknown field 'annotations[1].propagate'"),
])
def test_verdicts_against_the_rules_and_the_old_flag_are_content_errors(fixture_dossier, entry, message):
    fixture_dossier.write("dossier.yml", VERDICT_SCALE.replace(
        '  - {id: "false"', '  - {id: translation-error, label: Translation error, rating: 3}\n  - {id: "false"'))
    fixture_dossier.article("north", FLOOD)
    notes = FLOOD_NOTES.split("  - id: flood-wording")[0]
    notes = notes.replace('verdict: ["false"]', entry if entry.startswith("verdict") else f'verdict: ["false"]\n    {entry}')
    fixture_dossier.write("annotations/notes.yml", notes)
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    shown = [str(p) for p in info.value.problems]
    assert any(p.startswith("content/annotations/notes.yml:") and message in p for p in shown), shown


def test_a_note_on_removed_text_must_quote_it(fixture_dossier):
    fixture_dossier.article("a1", "The harbour reopened on Monday.\n\nBy Ann Lee, who is an award-winning reporter.",
                            cleaning=[{"name": "author-bio", "pattern": "By [^,]+, who .+"}])
    notes = """
        annotations:
          - id: bio
            kind: context
            target: {article: a1, quote: "an award-winning reporter", removed: true}
            note: No award is named.
            sources: [{title: t, publisher: p, date: null, url: "https://example.org/"}]
        """
    fixture_dossier.write("annotations/notes.yml", notes)
    dossier = run(fixture_dossier.content)
    assert [a.annotation for a in dossier.anchors] == [], "removed text has no passage to anchor to"
    fixture_dossier.write("annotations/notes.yml", notes.replace("an award-winning reporter", "a prize-winning reporter"))
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    assert [str(p).split(" (")[0] for p in info.value.problems] == [
        "content/annotations/notes.yml:4: annotation 'bio': the quote is not in the text the cleaning removed from 'a1'"]


@pytest.mark.parametrize("criteria, overall, line, message", [
    ("[{criterion: names-authors, finding: not-met, evidence: No byline.}]", "Does not meet the criteria - no byline.",
     8, "'names-authors' is not met but names no annotation that shows it"),
    ("[{criterion: names-authors, finding: met, evidence: A byline.}, "
     "{criterion: no-false-content, finding: partly, evidence: One claim.}]", "Mixed - one claim.",
     5, "the overall line starts 'Mixed', but its findings give 'Partly meets the criteria'"),
])
def test_a_rating_that_breaks_the_methodology_is_an_error(fixture_dossier, criteria, overall, line, message):
    """The methodology page every dossier publishes says each "Not met" finding links to the note
    that shows it and gives the rule for the overall label; `check` enforced neither."""
    fixture_dossier.article("a1", "The harbour reopened on Monday.")
    fixture_dossier.write("annotations/ratings.yml", f"""
        annotations:
          - id: rating-a1
            kind: rating
            outlet: Outlet a1
            overall: {overall}
            date: "2026-12-06"
            rationale: Judged on one article.
            criteria: {criteria}
        """)
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    (problem,) = [str(p) for p in info.value.problems]
    assert problem.startswith(f"content/annotations/ratings.yml:{line}: rating 'rating-a1': {message}: ")  # the field's line


@pytest.mark.parametrize("field", ["note", "rationale"])
def test_a_note_or_rationale_over_120_words_is_warned_about(fixture_dossier, field):
    fixture_dossier.article("a1", "The harbour reopened on Monday.")
    long_text = " ".join(["word"] * 121)
    sources = '    sources: [{title: A source, publisher: A publisher, date: "2016-11-14", url: "https://example.org"}]\n'
    if field == "note":
        entry = (f'  - id: long-one\n    kind: context\n    target: {{article: a1, quote: "The harbour reopened"}}\n'
                 f"    note: {long_text}\n{sources}")
    else:
        entry = (f'  - id: long-one\n    kind: rating\n    outlet: Outlet a1\n    overall: Meets the criteria\n    date: "2026-12-06"\n'
                 f"    rationale: {long_text}\n{sources}"
                 "    criteria: [{criterion: no-false-content, finding: met, evidence: None false.}]\n")
    fixture_dossier.write("annotations/notes.yml", "annotations:\n" + entry)
    warned = [w for w in run(fixture_dossier.content).warnings if "more than 120" in w]
    assert len(warned) == 1 and f"annotation 'long-one': the {field} has 121 words" in warned[0]


def test_serve_anchors_again_only_the_annotations_whose_target_changed(fixture_dossier, monkeypatch):
    """Under serve (a pipeline Memo) an edited note keeps its anchor without anchoring again; a moved
    target, or an edited article, is anchored anew, and only the edited article's passages are
    searched for the claims carried to them; every result is a clean run's."""
    import dossier.anchor as anchoring
    from dossier.pipeline import Memo
    from dossier.segment import cleaned_text

    fixture_dossier.copy_seed()
    content = fixture_dossier.content
    memo = Memo()
    run(content, memo=memo)
    made = []
    real = anchoring._anchor_one
    monkeypatch.setattr(anchoring, "_anchor_one", lambda a, *rest: made.append(a.id) or real(a, *rest))

    def same_as_clean(dossier):
        monkeypatch.setattr(anchoring, "_anchor_one", real)
        clean = run(content)
        monkeypatch.setattr(anchoring, "_anchor_one", lambda a, *rest: made.append(a.id) or real(a, *rest))
        assert dossier.anchors == clean.anchors and dossier.warnings == clean.warnings
        assert dossier.annotations == clean.annotations

    notes = content / "annotations/context.yml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(text.replace("follows the White House readout", "follows the White House readout (edited)", 1),
                     encoding="utf-8")
    dossier = run(content, memo=memo)
    assert made == []
    assert "(edited)" in next(a.note for a in dossier.annotations if a.id == "minsk-agreements")
    same_as_clean(dossier)

    quote = "quote: Earlier this year, Obama had urged combined Russian-separatist forces to fulfill their Minsk obligations"
    assert quote in text
    notes.write_text(text.replace(quote, "quote: fulfill their Minsk obligations", 1), encoding="utf-8")
    dossier = run(content, memo=memo)
    assert made == ["minsk-agreements"], "only the moved target"
    assert anchor_of(dossier, "minsk-agreements").method == "exact"
    same_as_clean(dossier)

    searched = []
    resolve = anchoring.resolve
    monkeypatch.setattr(anchoring, "resolve", lambda target, text: searched.append(text) or resolve(target, text))
    run(content)
    clean_searches, searched[:] = len(searched), []
    made.clear()
    article = content / "articles/rmn-news.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Minsk obligations", "Minsk commitments", 1),
                       encoding="utf-8")
    dossier = run(content, memo=memo)
    assert made == [a.id for a in dossier.annotations if a.target], "another text: every annotation anchored anew"
    report = cleaned_text(next(a for a in dossier.articles if a.id == "report-000"))
    assert clean_searches > len(searched) > 0, "the unchanged article's passages are not searched again"
    assert not any(text in report and text != report for text in searched), "a passage of report-000 searched again"
    assert anchor_of(dossier, "minsk-agreements").method == "fuzzy"
    same_as_clean(dossier)

    searched.clear()
    (content / "articles/rmn-copy.md").write_text(article.read_text(encoding="utf-8"), encoding="utf-8")
    dossier = run(content, memo=memo)
    assert "rmn-copy-p5-1" in anchor_of(dossier, "minsk-agreements").propagated
    memo_searches, searched[:] = len(searched), []
    run(content)
    assert len(searched) > memo_searches > 0, "an added article: its own passages searched, not the others'"
    same_as_clean(dossier)

    made.clear()  # another kind: the note is anchored anew (a correction is carried, a wording note is not)
    wording = content / "annotations/wording.yml"
    wording.write_text(wording.read_text(encoding="utf-8").replace("kind: wording", "kind: correction", 1), encoding="utf-8")
    dossier = run(content, memo=memo)
    assert made == ["especially-in-the-region"]
    same_as_clean(dossier)

    made.clear()  # the same articles, another alignment: every annotation anchored anew
    (content / "alignments.yml").write_text(textwrap.dedent("""\
        reject:
          - a: {article: rmn-news, quote: fulfill their Minsk}
            b: {article: rmn-copy, quote: fulfill their Minsk}
        """), encoding="utf-8")
    dossier = run(content, memo=memo)
    assert "rmn-copy-p5-1" not in anchor_of(dossier, "minsk-agreements").propagated
    assert made == [a.id for a in dossier.annotations if a.target]
    same_as_clean(dossier)
