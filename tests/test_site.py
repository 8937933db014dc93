"""End to end: the seed dossier built into a temporary site, checked page by page."""

from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

from linkcheck import broken_links, parse

from paths import ROOT

from dossier.cache import load_pages


def test_every_page_is_reached_from_the_home_page(seed_site):
    """Following links from index.html reaches every page: none is built and left unlinked (the
    link check says only that the links there are lead somewhere)."""
    reached, todo = set(), [seed_site / "index.html"]
    while todo:
        page = todo.pop()
        if page in reached or not page.is_file():
            continue
        reached.add(page)
        if page.suffix == ".html":
            for link in parse(page).links:
                parts = urlsplit(link)
                if not (parts.scheme or parts.netloc) and parts.path:
                    todo.append((page.parent / unquote(parts.path)).resolve())
    built = {p.resolve() for p in seed_site.rglob("*.html")}
    assert len(built) > 10
    assert sorted(str(p.relative_to(seed_site)) for p in built - reached) == ["404.html"]  # the server's error page


def test_every_internal_link_and_anchor_resolves(seed_site):
    assert broken_links(seed_site) == []


def test_every_passage_is_addressable(seed_site, seed_export):
    for article in seed_export["articles"]:
        ids = parse(seed_site / article["page"]).ids
        assert {p["id"] for p in article["passages"]} <= ids


def parallels_on(page: Path) -> dict[str, set[str]]:
    """passage id -> the passage ids its ↔ markers point to."""
    html = page.read_text(encoding="utf-8")
    found: dict[str, set[str]] = {}
    for span in re.finditer(r'<span class="passage[^"]*" id="([^"]+)">(.*?)</span>', html, re.S):
        found[span.group(1)] = set(re.findall(r'class="parallel" href="[^"#]*#([^"]+)"', span.group(2)))
    return found


def test_cross_links_land_on_the_exact_passage_and_are_reciprocated(seed_site, seed_export):
    markers = {}
    for article in seed_export["articles"]:
        markers.update(parallels_on(seed_site / article["page"]))
    pairs = {(a, b) for a, targets in markers.items() for b in targets}
    assert pairs, "the seed dossier has parallels"
    assert all((b, a) in pairs for a, b in pairs), "every cross-link is reciprocated"
    linked = {(l["a"], l["b"]) for l in seed_export["links"]}
    assert pairs == linked | {(b, a) for a, b in linked}, "a passage marks exactly the passages it links to"
    article_of = {p["id"]: a["id"] for a in seed_export["articles"] for p in a["passages"]}
    assert all(article_of[a] != article_of[b] for a, b in pairs), "parallels are between articles"


def test_removed_chrome_is_shown_collapsed_at_the_foot(seed_site):
    html = (seed_site / "articles/rmn-news.html").read_text(encoding="utf-8")
    foot = html[html.index('<details class="removed">'):]
    assert "Photo courtesy: Trump / Twitter" in foot and "donation-appeal" in foot
    assert html.index('<div class="dossier-text">') < html.index('<details class="removed">')


def test_comparison_page_sets_parallels_side_by_side(seed_site):
    html = (seed_site / "compare/report-000--rmn-news.html").read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "totally" in r)
    assert "<del>totally</del>" in row and "<ins>absolutely</ins>" in row
    assert "Only in RMN News Service" in html and "Only in Unattributed (report-000)" in html


def test_home_lists_articles_with_share_of_parallels(seed_site, seed_export):
    html = (seed_site / "index.html").read_text(encoding="utf-8")
    table = html[html.index('<div class="dossier-table dossier-articles">'):]
    table = table[:table.index("</table>")]
    assert "RMN News Service" in table and "Rakesh Raman" in table and "unknown" in table
    rmn = next(a for a in seed_export["articles"] if a["id"] == "rmn-news")
    assert f"<td>{len(rmn['passages'])}</td>" in table
    assert re.search(r"<td>\d+%</td>", table)


def test_export_has_the_documented_shape(seed_export):
    import jsonschema

    schema = json.loads((ROOT / "dossier/schemas/export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(seed_export, schema)
    assert seed_export["schema_version"] == "3.0"
    assert seed_export["dossier"]["title"].startswith("The Putin–Trump telephone call")
    passage_ids = set()
    for article in seed_export["articles"]:
        assert {"id", "title", "outlet", "url", "page", "passages", "removed"} <= article.keys()
        for p in article["passages"]:
            assert p["href"] == f"{article['page']}#{p['id']}"
            passage_ids.add(p["id"])
        assert all({"text", "rule"} <= r.keys() for r in article["removed"])
    texts = {p["id"]: p["text"] for a in seed_export["articles"] for p in a["passages"]}
    for link in seed_export["links"]:
        assert link["a"] in passage_ids and link["b"] in passage_ids
        assert 0 <= link["score"] <= 100 and link["method"] in ("auto", "manual")
        assert link["explanation"]["shared_terms"] and link["diff"]
        for side in "ab":
            start, end = link["spans"][side]
            assert 0 <= start < end <= len(texts[link[side]])
    assert {link["kind"] for link in seed_export["links"]} == {"parallel", "overlap"}
    assert all(set(g["passages"]) <= passage_ids for g in seed_export["facts"])


def test_no_chrome_is_a_passage(seed_export):
    texts = [p["text"] for a in seed_export["articles"] for p in a["passages"]]
    for chrome in ("Leave a Reply", "You May Also Like", "[ ", "Photo courtesy", "Support RMN", "donate",
                   "The middle class that vanished"):
        assert not any(chrome in t for t in texts), chrome


def test_two_builds_give_identical_export(seed_site, tmp_path):
    from dossier.cli import build

    again = tmp_path / "again"
    build(ROOT / "content", again, ROOT / "mkdocs.yml", strict=True, quiet=True)
    assert (again / "export/dossier.json").read_bytes() == (seed_site / "export/dossier.json").read_bytes()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_content_is_never_written(tmp_path):
    from dossier.cli import build

    before = snapshot(ROOT / "content")
    build(ROOT / "content", tmp_path / "site", ROOT / "mkdocs.yml", strict=False, quiet=True)
    assert snapshot(ROOT / "content") == before


def test_strict_mkdocs_build_is_clean(tmp_path):
    """`mkdocs build --strict`, as a maintainer runs it, exits 0."""
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "s")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads((tmp_path / "s/export/dossier.json").read_text())["articles"]


def test_search_indexes_each_passage_once_on_its_article_page(seed_site):
    """Comparison and group pages repeat the articles' text; indexing them too would double
    every hit (and, at 1,000 articles, the index)."""
    index = json.loads((seed_site / "search/search_index.json").read_text(encoding="utf-8"))
    pages = {entry["location"].split("#")[0] for entry in index["docs"]}
    assert {"articles/report-000.html", "articles/rmn-news.html"} <= pages
    assert not [p for p in pages if p.startswith(("compare/", "groups/", "facts/"))]
    assert (seed_site / "compare/report-000--rmn-news.html").is_file()


def test_a_partial_is_shared_within_a_folder_and_never_by_listed_pages():
    """A shared partial's text for an unlisted page is made once per folder: pages of other
    folders (whose relative links differ) and pages the navigation lists get their own."""
    import jinja2

    from dossier.theme import SHARED, share_partials

    made = []
    templates = {SHARED[0]: "{{ made.append(page.url) or '' }}{{ relative('index.html') }}"
                            "{% if page.file.src_uri in listed %} (listed){% endif %}",
                 "page.html": "<{% include '" + SHARED[0] + "' %}>"}
    urls = ["index.html", "a.html", "b.html", "articles/x.html", "articles/y.html", "compare/z.html", "sources.html"]
    listed = {"index.md", "sources.md"}

    def site(env: jinja2.Environment) -> list[str]:
        pages = [SimpleNamespace(url=url, file=SimpleNamespace(src_uri=url.replace(".html", ".md"))) for url in urls]
        return [env.get_template("page.html").render(
            page=p, listed=listed, made=made,
            relative=lambda path, p=p: posixpath.relpath(path, posixpath.dirname(p.url) or ".")) for p in pages]

    each = site(jinja2.Environment(loader=jinja2.DictLoader(templates)))
    assert each[3] == "<../index.html>" and each[6] == "<index.html (listed)>"
    made.clear()
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    shared = share_partials(env, listed)
    assert site(env) == each
    assert made == ["index.html", "a.html", "articles/x.html", "compare/z.html", "sources.html"]
    assert list(shared) == [SHARED[0]] and sorted(shared[SHARED[0]]) == ["", "articles", "compare"]


def test_the_partials_shared_by_unlisted_pages_are_the_ones_each_would_render(fixture_dossier, tmp_path, monkeypatch):
    """theme.share_partials renders Material's navigation, search box and footer once per folder
    for the pages the navigation does not list (here articles and comparisons): the site is the
    one built with them rendered into every page."""
    from test_facts import REWRITE, WIRE

    from dossier import mkdocs_plugin, theme
    from dossier.cli import build

    for n in range(12):
        fixture_dossier.article(f"outlet-{n:02}", WIRE if n % 3 else REWRITE, outlet=f"Outlet {n:02}")
    monkeypatch.setenv("DOSSIER_WORKERS", "1")  # the folders shared are seen in this process
    monkeypatch.setattr("dossier.nav.NAV_SECTION", 4)  # articles and comparisons: not listed
    shared = []
    monkeypatch.setattr(mkdocs_plugin, "share_partials", lambda env, listed: shared.append(
        theme.share_partials(env, listed)))
    build(fixture_dossier.content, tmp_path / "shared", ROOT / "mkdocs.yml", strict=True, quiet=True,
          cache=tmp_path / "cache-shared")
    assert set(shared[0]) == set(theme.SHARED)
    for name in theme.SHARED:
        assert {"articles", "compare"} <= set(shared[0][name]), (name, sorted(shared[0][name]))
    monkeypatch.setattr(mkdocs_plugin, "share_partials", lambda env, listed: {})
    build(fixture_dossier.content, tmp_path / "each", ROOT / "mkdocs.yml", strict=True, quiet=True,
          cache=tmp_path / "cache-each")
    pages = snapshot(tmp_path / "shared")
    assert len([name for name in pages if name.startswith("articles/")]) == 12
    assert pages == snapshot(tmp_path / "each")


def test_a_build_in_workers_is_the_build_in_one_process(fixture_dossier, tmp_path):
    """A clean build of many pages renders them, and has MkDocs build them, in forked workers
    (parallel.py, incremental.build_ahead); the site is byte-identical to a build in one process.
    Each build runs in a process of its own: a process with other threads (this test session's
    browser tests leave some) never forks."""
    from test_facts import REWRITE, WIRE

    for n in range(40):
        fixture_dossier.article(f"outlet-{n:02}", WIRE if n % 3 else REWRITE, outlet=f"Outlet {n:02}")
    config = tmp_path / "mkdocs.yml"  # with a site_url, so the sitemap lists every page
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace(
        "docs_dir: templates/assets", f"docs_dir: {ROOT / 'templates/assets'}").replace(
        "templates: templates", f"templates: {ROOT / 'templates'}") + "site_url: https://example.org/dossier/\n",
        encoding="utf-8")
    sites = {}
    for workers in ("2", "1"):
        sites[workers] = tmp_path / f"site-{workers}"
        subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(fixture_dossier.content),
                        "--site", str(sites[workers]), "--config", str(config), "--cache", str(tmp_path / f"cache-{workers}"),
                        "--strict", "--quiet"], check=True, capture_output=True,
                       env={**os.environ, "DOSSIER_WORKERS": workers, "NO_MKDOCS_2_WARNING": "1"})
    built = snapshot(sites["2"])
    assert len([name for name in built if name.endswith(".html")]) > 80
    assert built["sitemap.xml"].count(b"<loc>") > 80
    assert built == snapshot(sites["1"])
    # what each page was made from, as kept for the next build: the same whichever process made it
    kept = {workers: load_pages(tmp_path / f"cache-{workers}") for workers in ("2", "1")}
    assert kept["2"] and len(kept["2"][0]) > 80 and kept["2"][0] == kept["1"][0]
