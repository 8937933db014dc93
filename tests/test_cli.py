"""The command line: exit codes, messages without tracebacks, other content folders."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from paths import ROOT


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd, capture_output=True, text=True)


def test_help_and_usage_errors():
    assert run("--help").returncode == 0
    bad = run("--no-such-option")
    assert bad.returncode == 2 and "usage:" in bad.stderr


def test_a_mistyped_command_is_named(fixture_dossier):
    """`chek` was taken as an argument of `build` ("unrecognized arguments: chek")."""
    typo = run("chek", "--content", str(fixture_dossier.content))
    assert typo.returncode == 2 and "unknown command 'chek'; did you mean 'check'?" in typo.stderr
    folder = run(str(fixture_dossier.content))
    assert folder.returncode == 2 and "a folder is given with --content" in folder.stderr


def test_builds_another_content_folder(fixture_dossier):
    fixture_dossier.article("one", "The ministers agreed on a new fisheries treaty covering the northern coast.")
    fixture_dossier.article("two", "A new fisheries treaty covering the northern coast was agreed by the ministers.")
    out = fixture_dossier.root / "out"
    result = run("--content", str(fixture_dossier.content), "--site", str(out), "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 2 articles, 2 passages, 1 link, 0 annotations, 0 warnings")
    # as readable as any folder made here (it was 0700, mkdtemp's, which a web server running as
    # another user cannot serve); the tree `docs` writes too
    usual = fixture_dossier.root / "usual"
    usual.mkdir()
    assert out.stat().st_mode == usual.stat().st_mode
    export = json.loads((out / "export/dossier.json").read_text())
    assert export["dossier"]["title"] == "Fixture dossier"
    assert [a["id"] for a in export["articles"]] == ["one", "two"]
    assert (out / "articles/one.html").is_file()
    # named after itself, not after the seed dossier that mkdocs.yml was written for
    page = (out / "articles/one.html").read_text(encoding="utf-8")
    assert "<title>Title of one - Fixture dossier</title>" in page, "its pages used to carry the seed's site name"
    assert "Putin" not in page and "telephone call" not in page
    seed_words = [p.name for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".jsonld")
                  and any(word in p.read_text(encoding="utf-8") for word in ("Putin", "Trump", "Kremlin"))]
    assert seed_words == [], "the seed dossier's facts belong in its content/, not in the templates every dossier uses"
    tree = fixture_dossier.root / "tree"
    quiet = run("docs", "--content", str(fixture_dossier.content), "--out", str(tree), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "", "--quiet: no hint, no progress"
    assert "site_name: Fixture dossier\n" in (tree / "mkdocs.yml").read_text(encoding="utf-8")
    assert tree.stat().st_mode == usual.stat().st_mode


def test_content_errors_exit_1_with_file_line_and_no_traceback(fixture_dossier):
    fixture_dossier.write("articles/a.md", "---\ntitle: T\noutlte: O\n---\nText.\n")
    out = fixture_dossier.root / "out"
    out.mkdir()
    (out / ".dossier-site").write_text("")
    (out / "keep.txt").write_text("previous build")
    result = run("--content", str(fixture_dossier.content), "--site", str(out))
    assert result.returncode == 1
    assert "content/articles/a.md:3: unknown field 'outlte' (did you mean 'outlet'?)" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "keep.txt").read_text() == "previous build", "a failed build leaves the old site alone"


def test_output_inside_content_is_refused(fixture_dossier):
    fixture_dossier.article("a", "Some text here.")
    result = run("--content", str(fixture_dossier.content), "--site", str(fixture_dossier.content / "site"))
    assert result.returncode == 1 and "must not be inside the content folder" in result.stderr
    assert not (fixture_dossier.content / "site").exists()


# A source with neither a url nor a note: a warning, which --strict makes an error.
NOTE_WITHOUT_URL = """
    annotations:
      - id: treaty
        kind: context
        target: {article: a, quote: a new fisheries treaty}
        note: Signed the same day.
        sources:
          - {title: The treaty, publisher: The ministry, date: null}
    """


def test_docs_strict_writes_nothing_on_a_warning(fixture_dossier):
    """As `build --strict` does; `docs --strict` used to write the tree, print its summary and
    "build it with", then exit 1 with no word of failure."""
    fixture_dossier.article("a", "The ministers agreed on a new fisheries treaty covering the northern coast.")
    fixture_dossier.write("annotations/notes.yml", NOTE_WITHOUT_URL)
    out = fixture_dossier.root / "tree"
    result = run("docs", "--strict", "--content", str(fixture_dossier.content), "--out", str(out), "--quiet")
    assert result.returncode == 1 and "has neither a url nor a note" in result.stderr
    assert "1 warning with --strict" in result.stderr and "docs failed" in result.stderr
    assert not out.exists() and "build it with" not in result.stderr
    relaxed = run("docs", "--content", str(fixture_dossier.content), "--out", str(out), "--quiet")
    assert relaxed.returncode == 0 and (out / "mkdocs.yml").is_file()


def test_messages_name_files_that_open_from_the_working_folder(fixture_dossier):
    """Paths in messages are relative to the content folder's parent: run from the project with
    `--content` elsewhere, `content/articles/a.md:3` named the project's own content/, not the file
    at fault. Errors and warnings (of check and of build) now give a path that opens from here."""
    fixture_dossier.write("articles/a.md", "---\ntitle: T\noutlte: O\n---\nText.\n")
    content = fixture_dossier.content
    result = run("check", "--content", str(content))
    assert f"{content}/articles/a.md:3: unknown field 'outlte'" in result.stderr, result.stderr
    beside = run("check", "--content", "content", cwd=fixture_dossier.root)
    assert "\ncontent/articles/a.md:3: unknown field 'outlte'" in beside.stderr, beside.stderr
    fixture_dossier.article("a", "The ministers agreed on a new fisheries treaty.")
    fixture_dossier.write("annotations/notes.yml", NOTE_WITHOUT_URL)
    warned = f"WARNING: {content}/annotations/notes.yml:7: annotation 'treaty': source 'The treaty' has neither"
    assert warned in run("check", "--content", str(content)).stderr
    built = run("--content", str(content), "--site", str(fixture_dossier.root / "out"), "--quiet")
    assert built.returncode == 0 and warned in built.stderr, built.stderr


@pytest.mark.parametrize("command", ["build", "check", "align"])
def test_nothing_is_written_into_the_content_folder(fixture_dossier, tmp_path, command):
    """A cache folder (or `align --out`) inside content/ once filled it with pickles and JSON, which
    the next `check` reported as unknown files (or, in articles/, as articles that are not)."""
    fixture_dossier.article("a", "The ministers agreed on a new treaty for the northern coast fisheries.")
    content = fixture_dossier.content
    before = sorted(content.rglob("*"))
    for inside in (content, content / "articles", content / ".cache"):
        where = ["--out", str(inside), "--engine", "local"] if command == "align" else ["--cache", str(inside)]
        site = ["--site", str(tmp_path / "site")] if command == "build" else []
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), command, "--content", str(content),
                                 *where, *site], capture_output=True, text=True)
        what = "output folder" if command == "align" else "cache folder"
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"{inside}: the {what} must not be inside the content folder" in result.stderr, result.stderr
        assert sorted(content.rglob("*")) == before


@pytest.mark.parametrize("command", ["build", "docs", "align"])
def test_an_output_path_naming_a_file_is_refused_and_the_file_kept(fixture_dossier, tmp_path, command):
    """`--site notes.txt` once replaced the file with the site, leaving it hidden as
    `.notes.txt.old-<pid>`; `docs --out` did the same, and `align --out` ended in a traceback."""
    fixture_dossier.article("a", "The ministers agreed on a new treaty for the northern coast fisheries.")
    notes = tmp_path / "notes.txt"
    notes.write_text("years of work")
    where = {"build": ["--site", str(notes)], "docs": ["--out", str(notes), "--cache", str(tmp_path / "cache")],
             "align": ["--out", str(notes), "--engine", "local"]}[command]
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), command, "--content", str(fixture_dossier.content),
                             *where], capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"{notes}: " in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "notes.txt"]
    assert notes.read_text() == "years of work"


def test_align_writes_only_into_a_folder_of_its_own(fixture_dossier, tmp_path):
    """`align --out` into a folder of other files replaced any alignment.json there without a word;
    it writes into a new or empty folder, or one it wrote before (a run after an edit)."""
    fixture_dossier.article("a", "The ministers agreed on a new treaty for the northern coast fisheries.")
    theirs = tmp_path / "project"
    theirs.mkdir()
    (theirs / "alignment.yaml").write_text("kept")
    align = [sys.executable, str(ROOT / "build.py"), "align", "--content", str(fixture_dossier.content),
             "--engine", "local", "--quiet", "--out"]
    refused = subprocess.run([*align, str(theirs)], capture_output=True, text=True)
    assert refused.returncode == 1 and "refusing to write into a folder that `align` did not write" in refused.stderr
    assert [p.name for p in theirs.iterdir()] == ["alignment.yaml"]
    ours = tmp_path / "aligned"
    for _ in range(2):  # a new folder, then the same one again
        done = subprocess.run([*align, str(ours)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
    assert {"alignment.json", "passages.json"} <= {p.name for p in ours.iterdir()}
