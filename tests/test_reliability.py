"""Bad input gets a clear error, hostile input stays inert, nothing is lost, output is reproducible."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paths import ROOT
from dossier.clean import clean
from dossier.errors import DossierError
from dossier.load import load
from dossier.model import Article, ArticleMeta
from dossier.load import split_paragraphs
from dossier.segment import cleaned_text, segment

HOSTILE_TEXT = """<script>window.__pwned = 1</script> Officials said the <img src=x onerror="window.__pwned=2"> talks
went on [click](javascript:window.__pwned=3) and {{ 7 * 7 }} {% raw %} <!-- and **bold** _x_ `code`.

The ministers agreed on a <b onmouseover="window.__pwned=4">new treaty</b> for the northern coast fisheries."""


class _Active(HTMLParser):
    """Collects what a browser would run: inline scripts, event handlers, javascript: URLs, frames."""

    def __init__(self):
        super().__init__()
        self.found, self.in_script = [], False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        self.in_script = tag == "script" and not dict(attrs).get("src") and dict(attrs).get("type") != "application/ld+json"

    def handle_data(self, data):
        if self.in_script and "__pwned" in data:
            self.found.append(f"<script>{data[:40]}")

    def handle_endtag(self, tag):
        self.in_script = False


def active_content(html: str) -> list[str]:
    parser = _Active()
    parser.feed(html)
    return parser.found


def build_cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})})


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hostile_dossier(fixture) -> None:
    fixture.article("evil", HOSTILE_TEXT, title='<script>window.__pwned=5</script>{{ config }}',
                    outlet='"><svg onload="window.__pwned=6">', url="javascript:window.__pwned=7",
                    notes="<iframe src=javascript:window.__pwned=8></iframe>")
    fixture.article("plain", "The ministers agreed on a new treaty for the northern coast fisheries.")
    fixture.write("annotations/evil.yml", """
        annotations:
          - id: evil-note
            kind: context
            target: {article: evil, quote: "new treaty"}
            note: |
              <script>window.__pwned = 9</script> [a link](javascript:window.__pwned=10)
              <img src=x onerror="window.__pwned=11"> {{ 7 * 7 }}
            sources:
              - {title: "<script>window.__pwned=12</script>", publisher: P, date: null, url: "https://example.org/\\"onmouseover=\\"x"}
        """)


def test_hostile_content_renders_as_text(fixture_dossier, tmp_path):
    hostile_dossier(fixture_dossier)
    result = build_cli("--content", str(fixture_dossier.content), "--site", str(tmp_path / "site"), "--quiet")
    assert result.returncode == 0, result.stderr
    for page in (tmp_path / "site").rglob("*.html"):
        assert active_content(page.read_text(encoding="utf-8")) == [], page
    evil = (tmp_path / "site/articles/evil.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in evil, "the article's own text is shown, escaped"
    assert "{{ 7 * 7 }}" in evil, "Jinja-looking text is not evaluated"


def test_failed_build_leaves_previous_site_and_refuses_foreign_folders(fixture_dossier, tmp_path):
    fixture_dossier.article("a", "Some text of the article.")
    site = tmp_path / "site"
    assert build_cli("--content", str(fixture_dossier.content), "--site", str(site)).returncode == 0
    before = tree(site)
    fixture_dossier.write("articles/b.md", "---\ntitle: [broken\n---\nText.\n")
    failed = build_cli("--content", str(fixture_dossier.content), "--site", str(site))
    assert failed.returncode == 1 and tree(site) == before
    foreign = tmp_path / "my-documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("years of work")
    fixture_dossier.write("articles/b.md", "---\ntitle: B\noutlet: O\n---\nText.\n")
    refused = build_cli("--content", str(fixture_dossier.content), "--site", str(foreign))
    assert refused.returncode == 1 and "refusing to replace a folder that dossier did not build" in refused.stderr
    assert (foreign / "thesis.txt").read_text() == "years of work"


def test_a_broken_template_or_file_names_its_line_under_build_py_and_mkdocs_build(fixture_dossier, tmp_path):
    """Templates are the maintainer's to edit: a syntax error in one is reported as bad content is,
    with its file and line, by `python build.py` and by `mkdocs build` (whose own report of a
    plugin's error it is), never as a traceback."""
    fixture_dossier.article("a", "The ministers agreed on a new treaty for the northern coast fisheries.")
    fixture_dossier.article("b", "A new treaty for the northern coast fisheries was agreed by the ministers.")
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")  # content/ and templates/ beside it: the fixture's
    article = tmp_path / "templates" / "article.md.j2"
    line = article.read_text(encoding="utf-8").count("\n") + 1
    article.write_text(article.read_text(encoding="utf-8") + "{% if %}\n", encoding="utf-8")
    ours = build_cli("--config", str(tmp_path / "mkdocs.yml"), "--content", str(fixture_dossier.content),
                     "--site", str(tmp_path / "site"), "--cache", str(tmp_path / "cache"))
    theirs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                            cwd=tmp_path, capture_output=True, text=True)
    for result in (ours, theirs):
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"article.md.j2:{line}: template error: Expected an expression" in result.stderr, result.stderr
    shutil.copy(ROOT / "templates" / "article.md.j2", article)
    fixture_dossier.write("annotations/notes.yml", "annotations:\n  - id: [broken\n")
    theirs = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(tmp_path / "site")],
                            cwd=tmp_path, capture_output=True, text=True)
    assert theirs.returncode == 1 and "Traceback" not in theirs.stderr, theirs.stderr
    assert "content/annotations/notes.yml:3: invalid YAML" in theirs.stderr, theirs.stderr
    assert not (tmp_path / "site").exists()


def test_a_cache_that_cannot_be_written_costs_the_cache_not_the_build(fixture_dossier, tmp_path):
    """The cache folder's path names a file: every cache write fails (in the children that write
    beside the build, and at once in `check`); the site is built and the content checked all the same."""
    fixture_dossier.article("a", "The ministers agreed on a new treaty for the northern coast fisheries.")
    fixture_dossier.article("b", "A new treaty for the northern coast fisheries was agreed by the ministers.")
    cache = tmp_path / "not-a-folder"
    cache.write_text("a file where the cache folder should be")
    built = build_cli("--content", str(fixture_dossier.content), "--site", str(tmp_path / "site"), "--cache", str(cache))
    assert built.returncode == 0 and "Traceback" not in built.stderr, built.stderr
    assert "1 link," in built.stdout and (tmp_path / "site" / "articles" / "a.html").is_file()
    checked = build_cli("check", "--content", str(fixture_dossier.content), "--cache", str(cache))
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
    assert cache.read_text() == "a file where the cache folder should be"


def test_cache_writes_beside_the_build_are_complete_once_waited_for(tmp_path, monkeypatch):
    """A write is made by a forked child; `wait` returns once it is on disk and names the writes
    that failed. Where forking is not allowed the write is made at once, in this process."""
    from types import SimpleNamespace

    from dossier import parallel

    monkeypatch.setattr(parallel, "threading", SimpleNamespace(active_count=lambda: 1))  # pytest's threads are idle
    target, missing = tmp_path / "written", tmp_path / "no-such-folder" / "file"
    for workers, here in (("2", False), ("1", True)):
        monkeypatch.setenv("DOSSIER_WORKERS", workers)
        writes = parallel.BackgroundWrites()
        writes.defer("pid", lambda: target.write_text(str(os.getpid())))
        writes.defer("broken", lambda: missing.write_text("lost"))
        failed = writes.wait()
        assert target.read_text() == str(os.getpid()) if here else target.read_text() != str(os.getpid())
        assert len(failed) == 1 and failed[0].startswith("broken: ") and "No such file" in failed[0], failed
        assert writes.wait() == [], "each failure is reported once"


def test_builds_are_byte_identical_whatever_the_hash_seed(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out, seed in ((a, "1"), (b, "2")):  # each with its own cache: both really align
        result = build_cli("--site", str(out), "--cache", str(tmp_path / f"cache-{seed}"), "--quiet",
                           env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
    assert tree(a) == tree(b)


def test_symlink_leaving_content_is_refused(fixture_dossier, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: T\noutlet: O\n---\nSecret text.\n")
    fixture_dossier.article("a", "Some text of the article.")
    (fixture_dossier.content / "articles" / "b.md").symlink_to(secret)
    with pytest.raises(DossierError) as info:
        load(fixture_dossier.content)
    assert "content/articles/b.md: symbolic link leading outside the content folder" in str(info.value)


def load_in_child(content: Path, memo: bool = False) -> str:
    """`load(content)`'s problems, one a line, from a child process that a crash (libyaml's
    composer recursing in C) cannot take the test run down with, nor a hang (a pipe read) hold up."""
    script = ("import sys; from pathlib import Path; from dossier.load import load; from dossier.errors import DossierError\n"
              "try:\n    load(Path(sys.argv[1]), memo={} if sys.argv[2] == 'memo' else None)\n"
              "except DossierError as exc:\n    print(exc)\n")
    result = subprocess.run([sys.executable, "-c", script, str(content), "memo" if memo else "-"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _laughs(levels: int) -> str:
    """A "billion laughs" in one flow list: each anchor repeats the one before nine times."""
    parts = ["&l0 [x, x, x, x, x, x, x, x, x]"] + [f"&l{k} [" + ", ".join([f"*l{k - 1}"] * 9) + "]"
                                                   for k in range(1, levels + 1)]
    return "[" + ", ".join(parts) + "]"


SHAPES = {  # each once a traceback, a crashed interpreter or a hang; the line of the culprit is named
    "nested lists": ("dossier.yml", "title: D\nsummary: " + "[" * 2000 + "]" * 2000 + "\n",
                     "content/dossier.yml:2: lists or mappings nested more than 64 levels deep"),
    "nested lists past libyaml's C stack": ("dossier.yml", "title: D\nsummary: " + "[" * 60000 + "]" * 60000 + "\n",
                                            "content/dossier.yml:2: lists or mappings nested more than 64 levels deep"),
    "nested mappings": ("articles/a.md", "---\ntitle: T\noutlet: O\nnotes: " + "{a: " * 2000 + "1" + "}" * 2000
                        + "\n---\nText.\n", "content/articles/a.md:4: lists or mappings nested more than 64 levels deep"),
    "billion laughs": ("annotations/x.yml", f"annotations:\n- id: n\n  kind: {_laughs(9)}\n",
                       "content/annotations/x.yml:3: aliases (`*name`) expand to more than 1,000,000 values"),
}


@pytest.mark.parametrize("kind", SHAPES)
def test_deep_nesting_and_alias_bombs_are_refused_before_they_are_built(fixture_dossier, kind):
    name, text, expected = SHAPES[kind]
    fixture_dossier.article("a", "Some text of the article.")
    fixture_dossier.write(name, text)
    assert expected in load_in_child(fixture_dossier.content)


def test_aliases_of_mappings_stay_allowed(fixture_dossier):
    """A source given once and named again (`*free-beacon-call`), as the seed dossier does."""
    fixture_dossier.article("a", "Some text of the article.")
    fixture_dossier.write("annotations/x.yml", """
        annotations:
          - id: n
            kind: context
            target: {article: a, quote: Some text}
            note: n
            sources: [&s {title: T, publisher: P, date: null, url: "https://example.org/"}]
          - id: m
            kind: context
            target: {article: a, quote: the article}
            note: m
            sources: [*s]
        """)
    assert [a.sources[0].title for a in load(fixture_dossier.content).annotations] == ["T", "T"]


def _not_files(content: Path) -> None:
    (content / "articles" / "folder.md").mkdir()
    os.mkfifo(content / "articles" / "pipe.md")  # reading one waits for a writer forever
    (content / "articles" / "gone.md").symlink_to(content / "articles" / "no-such-file.md")
    (content / "articles" / "loop.md").symlink_to(content / "articles" / "loop.md")
    (content / "cleaning.yml").mkdir()
    (content / "annotations").write_text("annotations: []\n")


def test_what_is_not_a_file_where_a_file_belongs_is_named(fixture_dossier):
    """Folders, pipes and links to nothing where a file belongs, and a file where a folder belongs:
    each named, never a traceback, a hang, or content skipped without a word."""
    fixture_dossier.article("a", "Some text of the article.")
    _not_files(fixture_dossier.content)
    assert load_in_child(fixture_dossier.content).splitlines() == [
        "content/articles/loop.md: symbolic link in a loop of links (copy the file in instead)"]
    (fixture_dossier.content / "articles" / "loop.md").unlink()
    hint = "(content/ holds text files and the folders articles/ and annotations/)"
    for memo in (False, True):  # with a memo (serve), each article's bytes are read first
        assert load_in_child(fixture_dossier.content, memo).splitlines() == [
            f"content/cleaning.yml: not a file {hint}",
            f"content/articles/folder.md: not a file {hint}",
            f"content/articles/gone.md: not a file {hint}",
            f"content/articles/pipe.md: not a file {hint}",
            "content/annotations: not a folder (annotations/ holds the .yml files of notes)"]


def test_binary_and_unknown_files_are_named(fixture_dossier):
    fixture_dossier.article("a", "Some text of the article.")
    fixture_dossier.write("articles/photo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    fixture_dossier.write("aligments.yml", "link: []\n")
    with pytest.raises(DossierError) as info:
        load(fixture_dossier.content)
    found = [str(p) for p in info.value.problems]
    assert "content/aligments.yml: unknown file in the content folder (did you mean 'alignments.yml'?)" in found
    fixture_dossier.content.joinpath("aligments.yml").unlink()
    with pytest.raises(DossierError) as info:
        load(fixture_dossier.content)
    assert [str(p) for p in info.value.problems] == [
        "content/articles/photo.md: binary file (contains NUL bytes) (content/ holds text only)"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_any_bytes_give_a_dossier_error_or_a_result(fixture_dossier, data):
    fixture_dossier.write("articles/x.md", data)
    try:
        load(fixture_dossier.content)
    except DossierError as exc:
        assert all(str(p).startswith("content/") for p in exc.problems)


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_cleaning_and_segmenting_lose_no_character(body):
    paragraphs = split_paragraphs(body.replace("\r", "\n"), first_line=1)
    article = Article("x", "x.md", ArticleMeta("T", "O"), paragraphs)
    cleaned = clean(article, ())
    text = cleaned_text(cleaned)
    passages = segment(cleaned)
    assert all(text[p.start:p.end] == p.text for p in passages)
    rebuilt = "".join(c for p in passages for c in p.text if not c.isspace())
    assert rebuilt == "".join(c for c in text if not c.isspace())


def test_a_cache_damaged_on_disk_is_computed_anew_not_trusted(fixture_dossier, tmp_path):
    """One bit flipped in the middle of every cache file (the pages, the segments, the alignment, the
    compiled templates): pickle, json and Jinja's bytecode loader took such files and gave wrong
    pages, tracebacks or a crashed interpreter, build after build. Each file carries its digest now;
    a damaged one is computed anew and the site is the clean build's."""
    fixture_dossier.copy_seed()
    content, cache = str(fixture_dossier.content), tmp_path / "cache"
    assert build_cli("--content", content, "--site", str(tmp_path / "clean"), "--cache", str(cache)).returncode == 0
    damaged = [p for p in sorted(cache.rglob("*")) if p.is_file()]
    assert {p.name.split("-")[0] for p in damaged} >= {"pages", "segments", "alignment", "pairs"}
    assert len(damaged) > 10, "and the compiled templates"
    for path in damaged:
        data = bytearray(path.read_bytes())
        data[len(data) // 2] ^= 1
        path.write_bytes(bytes(data))
    for site in ("after-damage", "after-repair"):  # the damaged files are replaced, not kept
        result = build_cli("--content", content, "--site", str(tmp_path / site), "--cache", str(cache))
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert tree(tmp_path / site) == tree(tmp_path / "clean")
