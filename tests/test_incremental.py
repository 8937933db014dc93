"""Incremental rebuilds, as `mkdocs serve` does them: after each kind of edit the site is
byte-identical to a clean build of the same content, and only the pages the edit touched are
rendered and written again. A broken edit keeps the last good site; fixing it recovers."""

from __future__ import annotations

import gc
import logging
import re
import shutil
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config

from paths import ROOT

from dossier.align import passage_key
from dossier.cache import load_index

SERVE_URL = "http://127.0.0.1:8000/"


class Session:
    """A `mkdocs serve` session in this process: one plugin instance across rebuilds, each
    rebuild a dirty build (as the plugin makes `mkdocs serve` do), the site folder kept."""

    def __init__(self, root: Path, content: Path, templates: Path = ROOT / "templates"):
        self.root, self.content = root, content
        self.config_file = root / "mkdocs.yml"
        text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
        text = text.replace("docs_dir: templates/assets", f"docs_dir: {templates / 'assets'}")
        text = text.replace("templates: templates", f"templates: {templates}\n      cache: {root / 'cache'}")
        text = text.replace("content: content", f"content: {content}")
        self.config_file.write_text(text, encoding="utf-8")
        self.site = root / "served"
        config = self._config(self.site)
        self.plugins = list(config.plugins.values())  # MkDocs keeps these instances across rebuilds
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url=SERVE_URL, dirty=False)

    def _config(self, site: Path):
        config = load_config(str(self.config_file), site_dir=str(site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self, passes: list | None = None, collecting: list | None = None):
        """What a save does under `mkdocs serve` (the plugin makes its rebuilds dirty ones), with
        the second pass the plugin may ask the server for; `passes` collects what each pass wrote,
        `collecting` whether the garbage collector runs after each."""
        while True:
            config = self._config(self.site)
            build(config, serve_url=SERVE_URL, dirty=True)
            plugin = config.plugins["dossier"]
            if passes is not None:
                passes.append(plugin.site.changed())
            if collecting is not None:
                collecting.append(gc.isenabled())
            server = plugin.serve.server
            if server is None or not server._want_rebuild:
                return plugin
            server._want_rebuild = False

    def clean_build(self, site: Path) -> None:
        """A fresh serve session's first build of the same content: every plugin (the search
        plugin too) starts from its state before the session's first build."""
        config = self._config(site)
        saved = [dict(vars(plugin)) for plugin in self.plugins]
        try:
            for plugin in self.plugins:
                config_now = plugin.config
                vars(plugin).clear()
                plugin.__init__()
                plugin.config = config_now
            config.plugins.on_startup(command="serve", dirty=False)
            build(config, serve_url=SERVE_URL, dirty=False)
        finally:
            for plugin, state in zip(self.plugins, saved):
                vars(plugin).clear()
                vars(plugin).update(state)


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(served: Path, clean: Path) -> None:
    a, b = tree(served), tree(clean)
    assert sorted(a) == sorted(b), f"files differ: {sorted(set(a) ^ set(b))}"
    different = [name for name in a if a[name] != b[name]]
    assert not different, f"not byte-identical to a clean build: {different}"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def seed_session(fixture_dossier, tmp_path):
    fixture_dossier.copy_seed()
    return Session(tmp_path, fixture_dossier.content)


def check_against_clean(session: Session, tmp_path: Path, name: str) -> None:
    clean = tmp_path / f"clean-{name}"
    session.clean_build(clean)
    assert_same_site(session.site, clean)


def test_unchanged_content_rebuilds_nothing(seed_session):
    plugin = seed_session.rebuild()
    assert plugin.site.changed() == []
    assert plugin.output.reused == len(plugin.output.inputs)  # every page that declares its inputs


def test_each_kind_of_edit_gives_the_clean_build(seed_session, tmp_path):
    content = seed_session.content
    # an annotation: only the pages showing it change
    edit(content / "annotations/context.yml", "He said this to Putin", "He said this to Putin (edited)")
    plugin = seed_session.rebuild()
    changed = set(plugin.site.changed())
    assert "articles/rmn-news.md" in changed and "articles/report-000.md" not in changed
    assert "groups/1.md" not in changed
    assert plugin.site.skipped > 0 and plugin.output.reused > 0
    check_against_clean(seed_session, tmp_path, "annotation")

    # an article's text
    edit(content / "articles/report-000.md", "Putin", "Vladimir Putin")
    plugin = seed_session.rebuild()
    assert "articles/report-000.md" in plugin.site.changed()
    check_against_clean(seed_session, tmp_path, "article")

    # dossier.yml only: the home page shows it, the article pages do not
    edit(content / "dossier.yml", "six days after", "six days (an edit) after")
    plugin = seed_session.rebuild()
    changed = set(plugin.site.changed())
    assert "index.md" in changed and not any(c.startswith("articles/") for c in changed)
    check_against_clean(seed_session, tmp_path, "dossier-yml")

    # add an article, then remove it: the navigation changes, so every page is written again,
    # and the removed article's pages must not linger in the site folder
    text = (content / "articles/rmn-news.md").read_text(encoding="utf-8")
    body = text.split("\n---\n", 1)[1]
    (content / "articles/third.md").write_text(
        "---\ntitle: A third report\noutlet: Third outlet\n---\n" + "\n\n".join(body.split("\n\n")[2:8]) + "\n",
        encoding="utf-8")
    seed_session.rebuild()
    assert (seed_session.site / "articles/third.html").exists()
    check_against_clean(seed_session, tmp_path, "added")
    (content / "articles/third.md").unlink()
    seed_session.rebuild()
    assert not (seed_session.site / "articles/third.html").exists()
    check_against_clean(seed_session, tmp_path, "removed")


def _wire_like(fixture_dossier, n: int) -> None:
    """n articles that reprint sentences of one story, some with their own sentences: copy groups,
    links and per-article comparison pages, each article its own page outside the navigation."""
    story = ["The harbour council voted twice on the tunnel plan before the minister intervened.",
             "Engineers warned that the seabed near the old lighthouse was softer than surveys showed.",
             "Fishermen blockaded the northern pier for three days in protest against the dredging.",
             "The regional bank agreed to lend forty million euros at a fixed rate.",
             "A court in the capital rejected the environmental group's appeal on Tuesday.",
             "Construction crews expect to reach the halfway mark of the bore by next spring.",
             "Ferry operators fear losing most of their passengers once the crossing opens.",
             "The mayor promised a referendum on tolls before any cars use the tunnel.",
             "Archaeologists found a medieval wreck during the first excavation works.",
             "Unions demanded safety inspections after two workers were injured in March."]
    for a in range(n):
        own = [f"Outlet {a} adds its own remark number {a} about the weather in the valley today."]
        picked = [s for k, s in enumerate(story) if (k + a) % 3]
        fixture_dossier.article(f"art-{a}", "\n\n".join(picked + own))
    fixture_dossier.write("annotations/notes.yml", """\
        annotations:
          - id: tunnel-vote
            kind: context
            target: {article: art-1, quote: "Engineers warned that the seabed"}
            note: The council's minutes record the votes.
            sources:
              - {title: Minutes, publisher: Harbour council, date: "2024-01-02", url: "https://example.org/minutes"}
        """)


class FakeServer:
    """What the plugin uses of MkDocs' live-reload server: the flag that asks for a rebuild."""

    def __init__(self):
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False


def test_edits_on_a_dossier_past_the_navigation_limit(fixture_dossier, tmp_path, monkeypatch):
    """Past NAV_SECTION articles the article pages are outside the navigation (index pages by initial): an edit
    writes only the pages it touched, and adding or removing an article no longer rewrites all.
    Past FIRST_PASS_MIN articles an edited or added article's pages come first, the rest after."""
    monkeypatch.setattr("dossier.nav.NAV_SECTION", 4)
    monkeypatch.setattr("dossier.mkdocs_plugin.FIRST_PASS_MIN", 6)
    _wire_like(fixture_dossier, 8)
    session = Session(tmp_path, fixture_dossier.content)
    session.plugins[[type(p).__name__ for p in session.plugins].index("DossierPlugin")].serve.server = FakeServer()
    content = fixture_dossier.content

    edit(content / "annotations/notes.yml", "record the votes", "record every vote")
    plugin = session.rebuild()
    changed = set(plugin.site.changed())
    assert "articles/art-1.md" in changed and "articles/art-5.md" not in changed
    assert not plugin.site.full and plugin.site.skipped > 10
    check_against_clean(session, tmp_path, "annotation")

    # a note carried to more articles than FIRST_PASS_NOTED: its own article's page first
    monkeypatch.setattr("dossier.mkdocs_plugin.FIRST_PASS_NOTED", 2)
    edit(content / "annotations/notes.yml", "record every vote", "record each vote")
    passes = []
    plugin = session.rebuild(passes)
    carried = {page for page in passes[1] if page.startswith("articles/")}
    assert passes[0] == ["articles/art-1.md"] and len(carried) > 2 and "articles/art-1.md" not in carried
    assert "articles/art-5.md" not in carried, "art-5 lacks the annotated sentence"
    check_against_clean(session, tmp_path, "annotation carried far")
    monkeypatch.setattr("dossier.mkdocs_plugin.FIRST_PASS_NOTED", 20)

    edit(content / "articles/art-3.md", "its own remark", "its own changed remark")
    passes = []
    plugin = session.rebuild(passes)
    assert len(passes) == 2 and "articles/art-3.md" in passes[0]
    assert not plugin.site.full
    check_against_clean(session, tmp_path, "article")

    shutil.copy(content / "articles/art-2.md", content / "articles/art-9.md")
    passes, collecting = [], []
    plugin = session.rebuild(passes, collecting)
    assert len(passes) == 2 and {"articles/art-9.md", "compare/art-9.md"} <= set(passes[0])
    assert collecting == [False, True], "the collector waits through a first pass for the second, not beyond"
    assert not any(page.startswith("articles/art-") and page != "articles/art-9.md" for page in passes[0])
    assert any(page.startswith("articles/art-") and page != "articles/art-9.md" for page in passes[1])
    assert not plugin.site.full
    check_against_clean(session, tmp_path, "added")

    (content / "articles/art-9.md").unlink()
    session.rebuild()
    assert not (session.site / "articles/art-9.html").exists()
    assert not (session.site / "compare/art-9.html").exists()
    check_against_clean(session, tmp_path, "removed")

    # an article under a new initial that shares a new fact with art-5: one more group, yet the
    # menu (and so every page not showing either article) stays as it was
    groups_before = len(plugin.dossier.alignment.groups)
    fact = "A lighthouse keeper counted forty-one container ships waiting outside the harbour on Sunday."
    with open(content / "articles/art-5.md", "a", encoding="utf-8") as handle:
        handle.write(f"\n{fact}\n")
    fixture_dossier.article("zz-new", f"{fact}\n\nThe keeper has kept a log since 1988.", outlet="Zephyr Post")
    passes = []
    plugin = session.rebuild(passes)
    assert len(plugin.dossier.alignment.groups) == groups_before + 1
    assert len(passes) == 2 and set(passes[0]) <= {"articles/zz-new.md", "compare/zz-new.md", "articles/art-5.md",
                                                   "compare/art-5.md", "index.md", "articles-by-name.md",
                                                   "facts/index.md", "corrections.md"}
    assert not plugin.site.full
    # the first pass left the cache files for later; the second wrote them
    assert not plugin.serve.memo.writes
    index = load_index(tmp_path / "cache")
    assert {passage_key(p) for p in plugin.dossier.passages if p.article == "zz-new"} <= set(index.seen)
    check_against_clean(session, tmp_path, "added under a new initial")


def test_a_broken_edit_keeps_the_last_good_site_and_fixing_it_recovers(seed_session, tmp_path, caplog):
    before = tree(seed_session.site)
    annotations = seed_session.content / "annotations/context.yml"
    good = annotations.read_text(encoding="utf-8")
    annotations.write_text(good[: good.index("    note: |")] + "    note: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="mkdocs"):
        seed_session.rebuild()  # no exception: serve goes on
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(re.match(r"content/annotations/context\.yml:\d+: ", m) for m in errors), errors
    assert any("still serving the last good site" in m for m in errors)
    after = tree(seed_session.site)
    assert {k: v for k, v in after.items() if k != "sitemap.xml.gz"} == \
        {k: v for k, v in before.items() if k != "sitemap.xml.gz"}

    annotations.write_text(good.replace("He said this to Putin", "He said this to Putin (fixed)"), encoding="utf-8")
    seed_session.rebuild()
    assert "(fixed)" in (seed_session.site / "articles/rmn-news.html").read_text(encoding="utf-8")
    check_against_clean(seed_session, tmp_path, "fixed")


BROKEN_SAVES = {  # the kinds of edit tests/test_fuzz.py makes, each one that once gave a traceback
    "an emptied dossier description": ("dossier.yml", lambda text: ""),
    "a truncated article": ("articles/rmn-news.md", lambda text: text[:40]),
    "a line indented": ("annotations/context.yml", lambda text: text.replace("    kind:", "      kind:", 1)),
    "a complex key": ("dossier.yml", lambda text: "? [title]\n: x\n" + text),
    "numeric and text keys mixed": ("cleaning.yml", lambda text: text + "0: x\nzz: y\n"),
    "a repeat count too large": ("cleaning.yml", lambda text: text.replace("'{{title}}'", "'a{99999999999}'", 1)),
}


def test_broken_saves_keep_the_last_good_site_and_fixing_them_recovers(seed_session, tmp_path, caplog):
    """Each edit of the fuzz's kinds under serve: reported as `file:line: message`, never as a
    traceback, with the last good site left as it was; saving the file whole again rebuilds."""
    before = tree(seed_session.site)
    for kind, (name, broken) in BROKEN_SAVES.items():
        path = seed_session.content / name
        good = path.read_text(encoding="utf-8")
        path.write_text(broken(good), encoding="utf-8")
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="mkdocs"):
            seed_session.rebuild()  # no exception: serve goes on
        errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
        assert any(re.match(rf"content/{re.escape(name)}:\d+: ", m) for m in errors), (kind, errors)
        assert any("still serving the last good site" in m for m in errors), (kind, errors)
        assert {k: v for k, v in tree(seed_session.site).items() if k != "sitemap.xml.gz"} == \
            {k: v for k, v in before.items() if k != "sitemap.xml.gz"}, kind
        path.write_text(good, encoding="utf-8")
    seed_session.rebuild()
    check_against_clean(seed_session, tmp_path, "after broken saves")


def test_a_broken_template_keeps_the_last_good_site_and_fixing_it_recovers(fixture_dossier, tmp_path, caplog):
    """A template is edited under serve as content is: a syntax error is reported with its line
    and the last good site stays; the fixed template rebuilds what it renders."""
    fixture_dossier.copy_seed()
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    session = Session(tmp_path, fixture_dossier.content, templates)
    before = tree(session.site)
    article = templates / "article.md.j2"
    good = article.read_text(encoding="utf-8")
    article.write_text(good + "{% if %}\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="mkdocs"):
        session.rebuild()  # no exception: serve goes on
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(re.search(r"article\.md\.j2:\d+: template error", m) for m in errors), errors
    assert any("still serving the last good site" in m for m in errors)
    assert {k: v for k, v in tree(session.site).items() if k != "sitemap.xml.gz"} == \
        {k: v for k, v in before.items() if k != "sitemap.xml.gz"}
    article.write_text(good.replace("<dt>Outlet</dt>", "<dt>Published by</dt>", 1), encoding="utf-8")
    session.rebuild()
    assert "<dt>Published by</dt>" in (session.site / "articles/rmn-news.html").read_text(encoding="utf-8")


def test_mkdocs_serve_keeps_serving_through_a_broken_edit(fixture_dossier, tmp_path):
    """The real `mkdocs serve`: a half-saved annotation file is reported in the terminal with its
    file and line, the last good page stays served, and saving the fixed file rebuilds it."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    fixture_dossier.copy_seed()
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: templates/assets", f"docs_dir: {ROOT / 'templates/assets'}")
    config = config.replace("templates: templates", f"templates: {ROOT / 'templates'}\n      cache: {tmp_path / 'cache'}")
    config = config.replace("content: content", f"content: {fixture_dossier.content}")
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/articles/rmn-news.html"

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except OSError:
            return ""

    def until(condition, limit: float = 60) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if condition():
                return True
            time.sleep(0.1)
        return False

    log_path = tmp_path / "serve.log"
    temporary = tmp_path / "tmp"  # where `mkdocs serve` makes its site folder
    temporary.mkdir()
    with open(log_path, "w") as log:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(tmp_path / "mkdocs.yml"),
                                   "-a", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(temporary)})
        try:
            assert until(lambda: "He said this to Putin" in page(), 120), log_path.read_text()
            good_page = page()
            (site,) = temporary.glob("mkdocs_*")
            untouched = (site / "methodology.html").stat().st_mtime_ns  # a page the edits below leave as it is
            annotations = fixture_dossier.content / "annotations/context.yml"
            good = annotations.read_text(encoding="utf-8")
            annotations.write_text(good[: good.index("    note: |")] + "    note: [unclosed\n", encoding="utf-8")
            assert until(lambda: "still serving the last good site" in log_path.read_text()), log_path.read_text()
            served = log_path.read_text()
            assert re.search(r"ERROR\s+-\s+content/annotations/context\.yml:\d+: invalid YAML", served), served
            assert "Traceback" not in served
            def stable(html: str) -> str:  # without the live-reload script's build numbers
                return re.sub(r"reload\(\d+, \d+\)", "reload()", html)

            assert stable(page()) == stable(good_page)
            annotations.write_text(good.replace("He said this to Putin", "He said this to Putin (fixed)"),
                                   encoding="utf-8")
            assert until(lambda: "He said this to Putin (fixed)" in page()), log_path.read_text()
            served = log_path.read_text()
            assert re.search(r"\d+ changed pages? to rebuild", served)
            # the rebuilds are incremental ones: a complete one empties the site folder and writes every page
            assert (site / "methodology.html").stat().st_mtime_ns == untouched
        finally:
            server.terminate()
            server.wait(timeout=30)


def test_an_added_article_leaves_the_comparisons_it_does_not_touch_unrendered(fixture_dossier, monkeypatch):
    """Article pages show how many articles the dossier has (their coverage strips are shaded by
    it), so adding one renders them all again; comparison and group pages show no such count,
    and those the new article does not reach keep their inputs' digest (rendered only if stale)."""
    from dossier.pipeline import run
    from dossier.render import render

    monkeypatch.setattr("dossier.render.PAIR_PAGES_MAX", 2)  # one "compared with all others" page per article
    _wire_like(fixture_dossier, 4)
    before = render(run(fixture_dossier.content), ROOT / "templates").inputs
    fixture_dossier.article("zz-new", "A lighthouse keeper counted forty-one container ships outside the harbour.")
    after = render(run(fixture_dossier.content), ROOT / "templates").inputs
    assert after["articles/art-1.md"] != before["articles/art-1.md"]
    assert [page for page in before if page.startswith(("compare/", "groups/")) and after[page] != before[page]] == []
    assert "compare/zz-new.md" in after


def test_a_role_or_a_correction_elsewhere_updates_the_pages_that_show_it(fixture_dossier, tmp_path):
    """Provenance on each article page depends on which articles are sources, and a correction on
    one article shows on the articles that reprint its words: edits to either reach those pages."""
    _wire_like(fixture_dossier, 5)
    fixture_dossier.write("dossier.yml", "title: Fixture dossier\nverdicts:\n"
                          "  - {id: accurate, label: Accurate, rating: 5, description: The sources agree.}\n"
                          "  - {id: \"false\", label: \"False\", rating: 1, description: The sources disagree.}\n")
    content = fixture_dossier.content
    session = Session(tmp_path, content)
    edit(content / "articles/art-0.md", 'outlet: "Outlet art-0"', 'outlet: "Outlet art-0"\nrole: wire')
    plugin = session.rebuild()
    assert "articles/art-2.md" in plugin.site.changed(), "art-2 now repeats a wire story"
    assert "Repeats <a" in (session.site / "articles/art-2.html").read_text(encoding="utf-8")
    check_against_clean(session, tmp_path, "role")
    (content / "annotations/checks.yml").write_text("""\
annotations:
  - id: bank-rate
    kind: correction
    target: {article: art-1, quote: "at a fixed rate"}
    claim: The loan is at a fixed rate.
    verdict: ["false"]
    correction: The council's budget gives a variable rate.
    checked: "2026-11-01"
    sources:
      - {title: Budget, publisher: Harbour council, date: "2026-01-01", url: "https://example.org/budget"}
""", encoding="utf-8")
    plugin = session.rebuild()
    assert "articles/art-2.md" in plugin.site.changed(), "art-2 reprints the corrected sentence"
    assert 'id="also-bank-rate-art-2-' in (session.site / "articles/art-2.html").read_text(encoding="utf-8")
    check_against_clean(session, tmp_path, "correction")


def test_a_first_build_in_workers_leaves_serve_the_encoded_export(fixture_dossier, tmp_path, monkeypatch):
    """Serve's first build of many pages renders them in forked workers; what the worker encoded of
    `dossier.json` (a second or more at 1,000 articles) comes back, so the first annotation edit
    does not encode it again, and the site after it is still the clean build's."""
    from dossier import parallel

    # the browser tests leave threads in this process, which stop any fork: theirs are idle
    monkeypatch.setattr(parallel, "threading", SimpleNamespace(active_count=lambda: 1))
    _wire_like(fixture_dossier, 34)
    assert parallel.would_fork(64)
    session = Session(tmp_path, fixture_dossier.content)
    plugin = session.plugins[[type(p).__name__ for p in session.plugins].index("DossierPlugin")]
    assert len(plugin.serve.rendered.pages) >= 64
    assert {"articles", "links", "copies", "facts"} <= set(plugin.serve.rendered.memo.export)
    edit(fixture_dossier.content / "annotations/notes.yml", "record the votes", "record every vote")
    session.rebuild()
    check_against_clean(session, tmp_path, "annotation")


def test_a_build_reuses_the_pages_kept_in_the_cache_and_matches_a_clean_build(fixture_dossier, tmp_path, monkeypatch):
    """A build keeps its rendered pages in the cache; the next build (after `make clean` of site/,
    say) renders only the pages whose inputs changed, and its site is byte-identical to a build
    with an empty cache. A damaged pages file is ignored."""
    from dossier import render as render_module
    from dossier.cache import load_pages
    from dossier.cli import build as cli_build

    rendered = []
    real = render_module._render_page
    monkeypatch.setattr(render_module, "_render_page", lambda env, templates, template, context: (
        rendered.append(context["this"]), real(env, templates, template, context))[1])
    fixture_dossier.copy_seed()
    content, cache = fixture_dossier.content, tmp_path / "cache"

    def built(site: str, cache_folder: Path) -> list[str]:
        rendered.clear()
        cli_build(content, tmp_path / site, ROOT / "mkdocs.yml", strict=True, quiet=True, cache=cache_folder)
        return list(rendered)

    everything = built("first", cache)
    kept = load_pages(cache)
    assert kept and set(kept[1]) == set(kept[0]) and "articles/rmn-news.md" in kept[1]
    edit(content / "annotations/context.yml", "He said this to Putin", "He said this to Putin (edited)")
    again = built("kept", cache)
    assert "articles/rmn-news.md" in again and len(again) < len(everything)
    assert sorted(built("clean", tmp_path / "empty-cache")) == sorted(everything)
    assert_same_site(tmp_path / "kept", tmp_path / "clean")

    for damaged in cache.glob("pages-*.pickle"):
        damaged.write_bytes(b"not a pickle")
    assert sorted(built("after-damage", cache)) == sorted(everything)
    assert_same_site(tmp_path / "after-damage", tmp_path / "clean")


def test_compiled_templates_are_kept_on_disk_and_an_edited_template_is_compiled_anew(tmp_path, monkeypatch):
    import jinja2

    from dossier.cache import TemplateCache

    templates, folder = tmp_path / "templates", tmp_path / "cache" / "templates"
    templates.mkdir()
    (templates / "page.md.j2").write_text("Hello {{ name }}", encoding="utf-8")
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, *args, **kwargs: compiled.append(args[1]) or original(self, *args, **kwargs))

    def render(name: str) -> str:  # a new process: a new environment and cache object, the same folder
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), bytecode_cache=TemplateCache(folder))
        return env.get_template("page.md.j2").render(name=name)

    assert render("one") == "Hello one" and compiled == ["page.md.j2"]
    assert len(list(folder.iterdir())) == 1
    assert render("two") == "Hello two" and compiled == ["page.md.j2"], "read from the folder, not compiled"
    (templates / "page.md.j2").write_text("Goodbye {{ name }}", encoding="utf-8")
    assert render("three") == "Goodbye three" and compiled == ["page.md.j2"] * 2, "the edit is compiled"
    for kept in folder.iterdir():
        kept.write_bytes(b"not bytecode")
    assert render("four") == "Goodbye four", "a damaged file is compiled anew"


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.text(max_size=5), st.one_of(
    st.lists(st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=8), st.none())), max_size=4),
    st.integers(), st.text(max_size=8)), max_size=4))
def test_json_written_an_item_at_a_time_reads_back_as_written(tmp_path_factory, data):
    """The cache's streamed JSON (alignments, a corpus's output) is the same JSON `json.dumps` makes."""
    import json

    from dossier.cache import _write_json

    path = tmp_path_factory.mktemp("json") / "data.json"
    _write_json(path, data)
    assert json.loads(path.read_text(encoding="utf-8")) == data
