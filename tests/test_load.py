"""Stage 1: loading content, and the errors a maintainer sees when it is wrong."""

from __future__ import annotations

import pytest

from dossier.errors import DossierError
from dossier.load import load


def problems_of(fixture) -> list[str]:
    with pytest.raises(DossierError) as info:
        load(fixture.content)
    return [str(p) for p in info.value.problems]


def test_seed_articles_load_with_unknowns_kept_unknown(seed_dossier):
    articles = {a.id: a for a in seed_dossier.articles}
    assert set(articles) == {"report-000", "rmn-news"}
    unattributed = articles["report-000"].meta
    assert (unattributed.title, unattributed.outlet, unattributed.author, unattributed.published) == (None,) * 4
    assert articles["rmn-news"].meta.outlet == "RMN News Service"


def test_article_fields_and_paragraph_lines(fixture_dossier):
    path = fixture_dossier.article("a", "First paragraph.\n\nSecond\nparagraph.", author="Jane Roe")
    c = load(fixture_dossier.content)
    meta, articles = c.meta, c.articles
    (article,) = articles
    assert meta.title == "Fixture dossier"
    assert article.meta.author == "Jane Roe"
    assert [p.text for p in article.paragraphs] == ["First paragraph.", "Second\nparagraph."]
    lines = path.read_text().split("\n")
    assert [lines[p.line - 1] for p in article.paragraphs] == ["First paragraph.", "Second"]


def test_unknown_field_suggests_the_nearest(fixture_dossier):
    fixture_dossier.write("articles/a.md", "---\ntitle: T\noutlet: O\nauthr: X\n---\nText here.\n")
    assert problems_of(fixture_dossier) == [
        "content/articles/a.md:4: unknown field 'authr' (did you mean 'author'?)"]


def test_missing_required_field_and_wrong_type(fixture_dossier):
    fixture_dossier.write("articles/a.md", "---\ntitle: [1, 2]\n---\nText.\n")
    found = problems_of(fixture_dossier)
    assert "content/articles/a.md:2: field 'title' must be text or null, not a list" in found
    assert any("missing required field 'outlet'" in p and "null" in p for p in found)


def test_a_wrong_type_is_named_in_yaml_terms_not_python_ones(fixture_dossier):
    """`outlet: yes` is true to YAML, `published: 2016` a number, a nested field a mapping: the
    messages said `bool`, `int` and `LineDict`."""
    fixture_dossier.write("articles/a.md", "---\ntitle:\n  main: T\noutlet: yes\nauthor: 2016\n---\nText.\n")
    assert problems_of(fixture_dossier) == [
        "content/articles/a.md:5: field 'author' must be text or null, not a number (put the value in quotes)",
        "content/articles/a.md:4: field 'outlet' must be text or null, not true or false (put the value in quotes: "
        "YAML reads yes, no, on, off, true and false as true or false)",
        "content/articles/a.md:3: field 'title' must be text or null, not a mapping"]
    fixture_dossier.article("a", "Text.")
    fixture_dossier.write("annotations/notes.yml", "annotations:\n  # - id: every entry commented out\n")
    assert problems_of(fixture_dossier) == [
        "content/annotations/notes.yml:1: field 'annotations' must be a list, not null (an empty list is written `[]`)"]


def test_duplicate_keys_are_rejected_not_silently_kept(fixture_dossier):
    fixture_dossier.write("articles/a.md", "---\ntitle: One\noutlet: O\ntitle: Two\n---\nText.\n")
    assert problems_of(fixture_dossier) == [
        "content/articles/a.md:4: duplicate key 'title' (first given on line 2)"]


def test_bad_yaml_reports_line_and_column(fixture_dossier):
    fixture_dossier.write("dossier.yml", "title: [unclosed\nlanguage: en\n")
    (problem,) = problems_of(fixture_dossier)[:1]
    assert problem.startswith("content/dossier.yml:") and "invalid YAML" in problem and "column" in problem


def test_every_problem_of_a_build_is_reported_together(fixture_dossier):
    fixture_dossier.write("dossier.yml", "summary: no title\n")
    fixture_dossier.write("articles/a.md", "---\ntitle: T\n---\nText.\n")
    fixture_dossier.write("articles/b.md", "no front matter\n")
    found = problems_of(fixture_dossier)
    assert len(found) == 3
    assert [p.split(":")[0] for p in found] == ["content/dossier.yml", "content/articles/a.md", "content/articles/b.md"]


def test_non_utf8_names_the_byte_offset(fixture_dossier):
    fixture_dossier.write("articles/a.md", b"---\ntitle: T\noutlet: O\n---\nCaf\xe9 text.\n")
    assert problems_of(fixture_dossier) == [
        "content/articles/a.md:5: not valid UTF-8 at byte offset 30 (save the file as UTF-8)"]


def test_bom_and_crlf_are_accepted(fixture_dossier):
    fixture_dossier.write("articles/a.md", "\ufeff---\r\ntitle: T\r\noutlet: O\r\n---\r\nOne.\r\n\r\nTwo.\r\n".encode())
    (article,) = load(fixture_dossier.content).articles
    assert [p.text for p in article.paragraphs] == ["One.", "Two."]


def test_empty_article_and_bad_id(fixture_dossier):
    fixture_dossier.write("articles/a.md", "---\ntitle: T\noutlet: O\n---\n\n")
    fixture_dossier.write("articles/Bad_Id.md", "---\ntitle: T\noutlet: O\n---\nText.\n")
    found = problems_of(fixture_dossier)
    assert "content/articles/Bad_Id.md: article id 'Bad_Id' (the file name) must use a-z, 0-9 and single hyphens" in found
    assert "content/articles/a.md:5: the article has no text after its front matter" in found


def test_bad_cleaning_rule_pattern(fixture_dossier):
    fixture_dossier.write("cleaning.yml", "rules:\n  - name: broken\n    pattern: '(unclosed'\n")
    fixture_dossier.article("a", "Text.")
    (problem,) = problems_of(fixture_dossier)
    assert problem.startswith("content/cleaning.yml:3: rule 'broken': bad pattern")


def test_a_publication_date_in_another_form_is_an_error(fixture_dossier):
    """The claim ledger orders carriers by `published` as text, and ClaimReview exports it as a
    date: `3 March 2026` or `03/02/2026` put the wrong article first, and passed unchecked."""
    fixture_dossier.article("a", "Text.", published="03/02/2026")
    fixture_dossier.article("b", "Text.", published="2026-03")
    fixture_dossier.article("c", "Text.", published=None)
    assert problems_of(fixture_dossier) == [
        "content/articles/a.md:4: field 'published' does not have the expected form ('03/02/2026') "
        "(YYYY-MM-DD, or YYYY-MM or YYYY where only that is known; null if unknown)"]


def test_an_event_date_in_another_form_is_an_error(fixture_dossier):
    """dossier.yml's `date` is shown on the home page as the event's date: checked as `published` is."""
    fixture_dossier.write("dossier.yml", "title: Fixture dossier\nlanguage: en\ndate: 14 November 2016\n")
    fixture_dossier.article("a", "Text.")
    assert problems_of(fixture_dossier) == [
        "content/dossier.yml:3: field 'date' does not have the expected form ('14 November 2016') "
        "(Date of the event: YYYY-MM-DD, or YYYY-MM or YYYY where only that is known.)"]


def test_editor_leftovers_are_ignored_and_unreadable_entries_reported(fixture_dossier):
    """vim's swap file, emacs' lock (a link to nowhere) and backup, macOS' .DS_Store: what an editor
    leaves beside an open file used to fail every build (the lock with a traceback) while it was open."""
    fixture_dossier.article("a", "Some text here.")
    fixture_dossier.write("annotations/notes.yml", "annotations: []\n")
    for leftover in ("articles/.a.md.swp", "articles/a.md~", "articles/#a.md#", "annotations/notes.yml~", ".DS_Store"):
        fixture_dossier.write(leftover, "x")
    (fixture_dossier.content / "annotations/.#notes.yml").symlink_to("maintainer@host.4242")
    assert [a.id for a in load(fixture_dossier.content).articles] == ["a"]
    (fixture_dossier.content / "articles/b.md").symlink_to("moved-away.md")
    (fixture_dossier.content / "annotations/c.yml").mkdir()
    hint = "(content/ holds text files and the folders articles/ and annotations/)"
    assert problems_of(fixture_dossier) == [f"content/articles/b.md: not a file {hint}",
                                            f"content/annotations/c.yml: not a file {hint}"]


def test_an_annotation_without_kind_is_one_problem_with_the_kinds(fixture_dossier):
    """Without `kind`, every kind's required fields used to be reported missing too (12 lines for
    one omission): the schema's per-kind rules applied whenever `kind` was absent."""
    fixture_dossier.article("a", "Some text here.")
    fixture_dossier.write("annotations/notes.yml", """
        annotations:
          - id: one
            target: {article: a, quote: Some text}
            note: A note.
            sources: [{title: T, publisher: P, date: null, url: "https://example.org/"}]
          - id: two
            kind: correction
            target: {article: a, quote: text here}
            claim: A claim.
            verdict: misleading
            correction: A correction.
            checked: "2026-12-06"
            sources: [{title: T, publisher: P, date: null, url: "https://example.org/"}]
        """)
    assert problems_of(fixture_dossier) == [
        "content/annotations/notes.yml:2: missing required field 'annotations[0].kind' "
        "(one of: context, correction, wording, rating)",
        "content/annotations/notes.yml:10: field 'annotations[1].verdict' must be a list, not text "
        "(a list of one is written `[misleading]`)"]


def test_a_field_of_the_wrong_form_says_the_form(fixture_dossier):
    """An id or a url of the wrong form was reported with the field's description as its hint
    ("Only where certain: the source ... was read at this address."), or with none."""
    fixture_dossier.article("a", "Some text here.")
    fixture_dossier.write("annotations/notes.yml", """
        annotations:
          - id: Note_One
            kind: context
            target: {article: a, quote: Some text}
            note: A note.
            sources: [{title: T, publisher: P, date: null, url: example.org/page}]
        """)
    assert problems_of(fixture_dossier) == [
        "content/annotations/notes.yml:2: field 'annotations[0].id' does not have the expected form ('Note_One') "
        "(a-z, 0-9 and single hyphens, such as nato-surveillance-over-ukraine)",
        "content/annotations/notes.yml:6: field 'annotations[0].sources[0].url' does not have the expected form "
        "('example.org/page') (an address starting with http:// or https://)"]
