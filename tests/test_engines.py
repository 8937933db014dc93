"""`build.py docs`: a tree that plain `mkdocs build` (no dossier plugin) and `zensical build` both
build, offline, every page present and every cross-link resolving (issue 31)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from linkcheck import broken_links
from paths import ROOT

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def write(out: Path, content: Path = ROOT / "content", *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "docs", "--content", str(content),
                           "--out", str(out), "--cache", str(out.parent / "cache"), "--quiet", *extra],
                          capture_output=True, text=True, env=ENV, timeout=600)


def engine(tree: Path, *command: str) -> subprocess.CompletedProcess:
    """Runs an engine in `tree`, as a user would (`mkdocs build`, `zensical build`), offline."""
    return subprocess.run([sys.executable, "-m", *command], cwd=tree, capture_output=True, text=True,
                          env={**ENV, "no_proxy": "*", "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9"},
                          timeout=600)


@pytest.fixture(scope="session")
def tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("engines") / "tree"
    done = write(out)
    assert done.returncode == 0, done.stderr
    return out


def pages(tree: Path) -> list[str]:
    docs = tree / "docs"
    return sorted(str(p.relative_to(docs))[:-3] + ".html" for p in docs.rglob("*.md"))


def test_the_tree_needs_no_dossier_plugin(tree):
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site"
    assert "dossier" not in json.dumps(config.get("plugins", []))
    assert config["theme"]["name"] == "material" and config["theme"]["font"] is False
    docs = tree / "docs"
    for path in ("index.md", "articles/rmn-news.md", "export/dossier.json", "stylesheets/dossier.css",
                 "javascripts/facts.js"):
        assert (docs / path).is_file(), path
    nav = json.dumps(config["nav"])
    assert "articles/rmn-news.md" in nav and "index.md" in nav


@pytest.fixture(scope="session")
def mkdocs_site(tree, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("mkdocs") / "tree"
    subprocess.run(["cp", "-r", str(tree), str(copy)], check=True)
    done = engine(copy, "mkdocs", "build", "--strict")
    assert done.returncode == 0, done.stderr
    assert "not included in the nav" not in done.stderr  # not_in_nav names the unlisted pages
    return copy / "site"


@pytest.fixture(scope="session")
def zensical_site(tree, tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("zensical") / "tree"
    subprocess.run(["cp", "-r", str(tree), str(copy)], check=True)
    done = engine(copy, "zensical", "build")
    assert done.returncode == 0, done.stdout + done.stderr
    return copy / "site"


def test_plain_mkdocs_builds_every_page_and_link(tree, mkdocs_site):
    for page in pages(tree):
        assert (mkdocs_site / page).is_file(), page
    assert (mkdocs_site / "export" / "dossier.json").is_file()
    assert broken_links(mkdocs_site) == []


def test_plain_mkdocs_gives_the_pages_build_py_gives(mkdocs_site, seed_site):
    """Without the plugin, the same HTML, byte for byte, and the same search entries (in another order)."""
    ours = sorted(str(p.relative_to(seed_site)) for p in seed_site.rglob("*.html"))
    theirs = sorted(str(p.relative_to(mkdocs_site)) for p in mkdocs_site.rglob("*.html"))
    assert ours == theirs
    for page in ours:
        assert (mkdocs_site / page).read_bytes() == (seed_site / page).read_bytes(), page
    for name in ("dossier.json", "annotations.jsonld", "claimreview.jsonld"):
        assert (mkdocs_site / "export" / name).read_bytes() == (seed_site / "export" / name).read_bytes()

    def entries(site):
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        return sorted(json.dumps(d, sort_keys=True) for d in index["docs"])

    assert entries(mkdocs_site) == entries(seed_site)


def _article(html: str) -> str:
    """The page's own content, as the two engines' themes frame it, white space aside."""
    found = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', html, re.S)
    assert found, "no article element"
    text = found.group(1).replace('<a id="__skip" tabindex="-1"></a>', "").replace(" data-search-exclude", "")
    return " ".join(text.split())


def test_zensical_builds_every_page_and_link(tree, zensical_site, seed_site):
    for page in pages(tree):
        assert (zensical_site / page).is_file(), page
        assert _article((zensical_site / page).read_text(encoding="utf-8")) == \
            _article((seed_site / page).read_text(encoding="utf-8")), page
    assert (zensical_site / "export" / "dossier.json").read_bytes() == (seed_site / "export" / "dossier.json").read_bytes()
    assert broken_links(zensical_site) == []
    head = (zensical_site / "articles" / "rmn-news.html").read_text(encoding="utf-8")
    assert "../stylesheets/dossier.css" in head and "../javascripts/facts.js" in head
    assert "fonts.googleapis" not in head and "/classic/" in head  # offline, Material's look


def test_zensical_search_indexes_what_material_does(zensical_site, mkdocs_site):
    """The same sections; pages excluded from search (comparisons, groups, facts) stay out."""
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    material = json.loads((mkdocs_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert sorted(i["location"] for i in index["items"]) == sorted(d["location"] for d in material["docs"])


def test_docs_replaces_only_a_tree_it_wrote(tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me\n")
    done = write(foreign)
    assert done.returncode == 1 and "refusing to replace" in done.stderr
    assert (foreign / "notes.txt").read_text() == "keep me\n"
    out = tmp_path / "tree"
    assert write(out).returncode == 0
    (out / "docs" / "stale.md").write_text("# left over\n")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built by an engine\n")
    assert write(out).returncode == 0  # written again, whole
    assert not (out / "docs" / "stale.md").exists()
    assert (out / "site" / "index.html").read_text() == "built by an engine\n"  # the engine's to replace
