"""Maintainer workflow: `check` validates without rendering, `add` ingests saved pages."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from paths import ROOT

from dossier.load import load

PAGES = Path(__file__).parent / "data" / "pages"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True)


def test_check_validates_everything_without_rendering(fixture_dossier):
    fixture_dossier.copy_seed()
    ok = cli("check", "--content", str(fixture_dossier.content))
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("checked 2 articles, 35 passages, 9 links, 36 annotations, 0 warnings")
    assert not (fixture_dossier.root / "site").exists()
    fixture_dossier.write("alignments.yml", "reject:\n  - a: {article: report-000, quote: no such words}\n"
                                            "    b: {article: rmn-news, quote: Putin}\n")
    bad = cli("check", "--content", str(fixture_dossier.content))
    assert bad.returncode == 1 and "content/alignments.yml:2: quote not found in 'report-000'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_check_strict_fails_on_warnings(fixture_dossier):
    fixture_dossier.copy_seed()
    corrections = fixture_dossier.content / "annotations/corrections.yml"
    corrections.write_text(corrections.read_text().replace("Obama secured his intention to maintain",
                                                           "Obama secured his intentions to maintain"))
    assert cli("check", "--content", str(fixture_dossier.content)).returncode == 0
    strict = cli("check", "--strict", "--content", str(fixture_dossier.content))
    assert strict.returncode == 1 and "anchored fuzzily" in strict.stderr


def test_a_removed_article_is_reported_in_the_rules_and_the_notes_at_once(fixture_dossier):
    """Removing an article breaks the alignment rules and the notes that quote it: the rules'
    problems used to stop the run before the notes were looked at, so each came on its own run."""
    fixture_dossier.copy_seed()
    (fixture_dossier.content / "articles/report-000.md").unlink()
    fixture_dossier.write("alignments.yml", "reject:\n  - a: {article: report-000, quote: totally unsatisfactory}\n"
                                            "    b: {article: rmn-news, quote: absolutely unsatisfactory}\n")
    from dossier.errors import DossierError
    from dossier.pipeline import run

    try:
        run(fixture_dossier.content)
    except DossierError as exc:
        shown = [str(p) for p in exc.problems]
    assert shown[0] == "content/alignments.yml:2: unknown article 'report-000' (articles: rmn-news)"
    noted = [p for p in shown[1:] if "unknown article 'report-000'" in p]
    assert noted and all(p.startswith("content/annotations/") for p in noted), shown
    assert any(p.startswith("content/annotations/ratings.yml:") and "no article has outlet" in p for p in shown)


def test_contrary_alignment_rules_are_an_error(fixture_dossier):
    """A pair rejected and asserted as one fact: the aligner applies the rules in the file's order,
    so the later one silently won (here the rejected link came back, marked manual)."""
    fixture_dossier.copy_seed()
    pair = ("  - a: {article: report-000, quote: totally unsatisfactory}\n"
            "    b: {article: rmn-news, quote: absolutely unsatisfactory}\n")
    fixture_dossier.write("alignments.yml", "reject:\n" + pair + "fact:\n" + pair + "link:\n" + pair)
    bad = cli("check", "--content", str(fixture_dossier.content))
    assert bad.returncode == 1, bad.stderr
    assert "content/alignments.yml:5: `fact` contradicts the `reject` of line 2 on the same passages" in bad.stderr
    assert "content/alignments.yml:8: `link` contradicts the `reject` of line 2" in bad.stderr
    assert "`link` contradicts the `fact`" not in bad.stderr, "a fact is a link: the two agree"
    fixture_dossier.write("alignments.yml", "link:\n" + pair + "not-fact:\n" + pair)
    assert cli("check", "--content", str(fixture_dossier.content)).returncode == 0, "a link may stay between the two"


def test_add_a_saved_news_page(fixture_dossier, tmp_path):
    result = cli("add", str(PAGES / "harbour-report.html"), "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    path = fixture_dossier.content / "articles/harbour-strike-ends-after-pay-deal.md"
    assert result.stdout.strip() == f"added {path}"
    (article,) = load(fixture_dossier.content).articles
    assert article.meta.title == "Harbour strike ends after pay deal"
    assert (article.meta.outlet, article.meta.author, article.meta.published) == (
        "The Coastal Gazette", "Maria Lindqvist", "2024-05-14")
    assert article.meta.url == "https://coastal-gazette.example/news/2024/05/harbour-strike-ends"
    assert article.meta.language == "en"
    text = "\n".join(p.text for p in article.paragraphs)
    assert "Dock workers at the northern harbour returned to work" in text
    assert "Local fishing crews" in text
    for chrome in ("ADVERTISEMENT", "Ferry timetable", "seagull77", "Leave a comment", "Privacy", "Weather"):
        assert chrome not in text, chrome
    out = tmp_path / "site"
    built = cli("--content", str(fixture_dossier.content), "--site", str(out), "--quiet")
    assert built.returncode == 0, built.stderr


def test_add_says_what_it_could_not_find_and_never_overwrites(fixture_dossier):
    first = cli("add", str(PAGES / "bare-page.html"), "--content", str(fixture_dossier.content))
    assert first.returncode == 0
    assert "not found in the source, left null: outlet, author, published, url, language" in first.stderr
    path = fixture_dossier.content / "articles/library-reopens.md"
    before = path.read_bytes()
    again = cli("add", str(PAGES / "bare-page.html"), "--content", str(fixture_dossier.content))
    assert again.returncode == 1 and "already exists; nothing was written" in again.stderr
    assert path.read_bytes() == before
    other = cli("add", str(PAGES / "bare-page.html"), "--id", "library-two", "--content", str(fixture_dossier.content))
    assert other.returncode == 0 and (fixture_dossier.content / "articles/library-two.md").exists()


def test_add_plain_text_keeps_the_text_as_saved(fixture_dossier, tmp_path):
    seed = tmp_path / "Seed Report.txt"
    shutil.copy(ROOT / "content/articles/rmn-news.md", seed)
    seed.write_text(seed.read_text().split("---\n", 2)[2])
    result = cli("add", str(seed), "--content", str(fixture_dossier.content))
    assert result.returncode == 0, result.stderr
    saved = (fixture_dossier.content / "articles/seed-report.md").read_text()
    assert saved.split("---\n", 2)[2].strip() == seed.read_text().strip()
    assert "title: null  # not found in the source" in saved
