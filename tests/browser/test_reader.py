"""The reader's site in a real Chromium: cross-links, comparison, search, errors, accessibility,
valid HTML, small screens, and hostile content that must stay inert."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from serving import serve

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
# Violations that come from the Material theme itself, not from the dossier's markup.
THEME_AXE = {
    "aria-dialog-name": "Material's search overlay (.md-search) is a role=dialog without a name",
}
# Nu checker errors from the theme's own markup, filtered by pattern (the brief: two per page).
THEME_VNU = [  # the theme's hidden drawer and search toggles are checkboxes with autocomplete="off"
    re.compile(r"^Attribute “autocomplete” is only allowed when the input type is"),
]


def test_cross_link_lands_highlighted_and_back_works(page, site_url):
    page.goto(site_url + "articles/report-000.html")
    link = page.locator('#report-000-p5-1 a.parallel[href$="rmn-news.html#rmn-news-p10-1"]')
    link.click()
    page.wait_for_url(re.compile(r"rmn-news\.html#rmn-news-p10-1$"))
    target = page.locator("#rmn-news-p10-1")
    assert page.evaluate("document.querySelector(':target').id") == "rmn-news-p10-1"
    box, height = target.bounding_box(), page.viewport_size["height"]
    assert 0 <= box["y"] < height, "the parallel passage is scrolled into view"
    assert target.evaluate("e => getComputedStyle(e).outlineStyle") != "none", "and highlighted"
    page.go_back()
    page.wait_for_url(re.compile(r"report-000\.html"))
    back = page.locator("#report-000-p5-1 a.parallel").first
    assert back.is_visible()


def test_comparison_page_marks_differences_and_omissions(page, site_url):
    page.goto(site_url + "compare/report-000--rmn-news.html")
    assert page.locator("del", has_text="totally").count() >= 1
    assert page.locator("ins", has_text="absolutely").count() >= 1
    assert page.locator(".only-in", has_text="Only in RMN News Service").count() >= 5
    assert page.locator(".only-in", has_text="Only in Unattributed").count() >= 5


def test_search_finds_the_article_that_has_the_word(page, site_url):
    page.goto(site_url + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    field = page.locator("input.md-search__input")
    field.press_sequentially("sobering", delay=60)  # Material searches on key presses
    result = page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert any("articles/report-000.html" in h for h in hrefs)
    assert not any("articles/rmn-news.html" in h for h in hrefs)


def test_search_finds_annotation_notes(page, site_url):
    page.goto(site_url + "index.html")
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").press_sequentially("Dashkov", delay=60)
    page.locator(".md-search-result__item a").first.wait_for(timeout=10_000)
    hrefs = page.locator(".md-search-result__item a").evaluate_all("els => els.map(e => e.href)")
    assert any("articles/rmn-news.html" in h for h in hrefs)


def pages_of(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def test_no_console_errors_on_any_page(page, site_url, seed_site):
    for name in pages_of(seed_site):
        page.goto(site_url + name)
        page.wait_for_load_state("networkidle")
    assert page.errors == []


def axe_report(page, base_url: str, names) -> dict[str, list]:
    """Per page, axe's serious and critical violations that are not the theme's."""
    report = {}
    for name in names:
        page.goto(base_url + name)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")
                   and v["id"] not in THEME_AXE]
        report[name] = [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
                        for v in serious]
    return report


def test_axe_finds_no_serious_violation_in_our_markup(page, site_url, seed_site, artifacts):
    report = axe_report(page, site_url, [name for name in pages_of(seed_site) if name != "404.html"])
    (artifacts / "axe.json").write_text(json.dumps(report, indent=1))
    assert {k: v for k, v in report.items() if v} == {}


def nu_errors(site, report) -> tuple[list, list]:
    """The Nu checker's errors on every page of `site`: (all, ours: not the theme's); written to `report`."""
    out = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--skip-non-html", str(site)],
                         capture_output=True, text=True)
    errors = [m for m in json.loads(out.stderr)["messages"] if m["type"] == "error"]
    ours = [m for m in errors if not any(p.search(m["message"]) for p in THEME_VNU)]
    report.write_text(json.dumps({"errors": len(errors), "theme": len(errors) - len(ours), "ours": ours}, indent=1))
    return errors, ours


def test_nu_checker_reports_no_error_but_the_themes(seed_site, artifacts):
    _, ours = nu_errors(seed_site, artifacts / "vnu.json")
    assert ours == [], "\n".join(f"{m['url']}: {m['message']}" for m in ours[:10])


def test_readable_at_375_pixels(browser, site_url, seed_site):
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    for name in ("index.html", "articles/rmn-news.html", "compare/report-000--rmn-news.html", "sources.html"):
        page.goto(site_url + name)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 376, f"{name} scrolls sideways at 375 px ({wide} px)"
    context.close()


def test_passages_are_keyboard_reachable(page, site_url):
    page.goto(site_url + "articles/report-000.html")
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('parallel')"):
            break
    else:
        pytest.fail("no parallel link reached with the keyboard in 80 tabs")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"rmn-news\.html#"))


LAYOUT = {"home": "index.html", "article": "articles/rmn-news.html#rmn-news-p10-1",
          "comparison": "compare/report-000--rmn-news.html"}
TARGET = """() => {
    const passage = document.querySelector(':target'), header = document.querySelector('.md-header');
    return {id: passage && passage.id, top: passage && passage.getBoundingClientRect().top,
            below: header.getBoundingClientRect().bottom, height: innerHeight,
            outline: passage && getComputedStyle(passage).outlineStyle};
}"""


@pytest.mark.parametrize("width", (1280, 375))
def test_layout_no_sideways_scroll_and_the_passage_in_view(browser, site_url, artifacts, width):
    """Home, an article opened at a passage, a comparison, on a desktop and a phone screen (a
    screenshot of each in test-artifacts/): the page never scrolls sideways, and the passage the
    address names is highlighted and in view, below the theme's fixed header, not under it."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for name, path in LAYOUT.items():
            page.goto(site_url + path)
            page.screenshot(path=str(artifacts / f"{name}-{width}.png"))
            wide, client = page.evaluate("[document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]")
            assert wide <= client, f"{name} scrolls sideways at {width} px ({wide} > {client} px)"
            if "#" in path:
                target = page.evaluate(TARGET)
                assert target["id"] == path.split("#")[1], target
                assert target["below"] <= target["top"] < target["height"], f"the passage is out of view: {target}"
                assert target["outline"] != "none", "the passage is highlighted"
    finally:
        context.close()


def test_hostile_dossier_runs_no_script(browser, fixture_dossier, tmp_path):
    from test_reliability import hostile_dossier
    from dossier.cli import build

    hostile_dossier(fixture_dossier)
    site = tmp_path / "site"
    build(fixture_dossier.content, site, ROOT / "mkdocs.yml", strict=False, quiet=True)
    url, stop = serve(site)
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        for name in pages_of(site):
            page.goto(url + name)
            page.mouse.move(10, 10)
            for element in page.locator("mark, b, a.parallel").all()[:20]:
                element.hover()
            assert page.evaluate("typeof window.__pwned") == "undefined", name
        assert dialogs == []
    finally:
        context.close()
        stop()
