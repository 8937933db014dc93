"""The reader's site on a dossier of six articles (tests/browser/many_outlets.py): accessibility,
valid HTML, links and anchors, and layout on a wide and a phone screen (issue 11: the home page's
article table scrolled sideways at 1280 px, "↔" markers ran off narrow screens, heat-strip cells
were too small to tap)."""

from __future__ import annotations

import json

import pytest
from linkcheck import broken_links
from test_reader import axe_report, nu_errors, pages_of

WIDTHS = (1280, 375)


@pytest.fixture(scope="module", params=WIDTHS, ids=lambda w: f"{w}px")
def sized(request, browser):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def test_reprints_of_the_wire_are_copies_and_its_correction_follows_them(many_site):
    """The outlets that reprint the wire story share copy groups with it; the radio report, in its
    own words, is in none. A correction of the wire's words applies where they are reprinted, not
    to the authority's own wording of the same fact."""
    export = json.loads((many_site / "export/dossier.json").read_text(encoding="utf-8"))
    in_copies = {passage.rsplit("-p", 1)[0] for group in export["copies"]
                 for passage in [group["lead"], *(member["passage"] for member in group["members"])]}
    assert {"brightwater-wire", "eastmere-star", "kestrel-gazette", "pinecrest-post"} <= in_copies
    assert "upland-radio" not in in_copies
    propagated = {a["id"]: a["passages"]["propagated"] for a in export["annotations"]}
    assert propagated["reopening-date"] == ["kestrel-gazette-p4-1", "pinecrest-post-p3-1"]


@pytest.mark.parametrize("dossier", ["seed", "many"])
def test_home_page_never_scrolls_sideways(sized, dossier, site_url, many_url):
    sized.goto((site_url if dossier == "seed" else many_url) + "index.html")
    page = sized.evaluate("""() => {
        const s = document.scrollingElement;
        const table = document.querySelector('.dossier-articles table');
        const box = table.closest('.md-typeset__scrollwrap') || table.parentElement;
        return {scroll: s.scrollWidth, client: s.clientWidth, table: box.scrollWidth, box: box.clientWidth};
    }""")
    assert page["scroll"] <= page["client"], f"the page scrolls sideways ({page['scroll']} > {page['client']} px)"
    assert page["table"] <= page["box"], f"the article table scrolls inside its box ({page['table']} > {page['box']} px)"


def test_link_markers_stay_whole_and_on_screen(sized, many_url, many_site):
    """"↔" and the first word of its label share a line, and no marker runs past the screen's edge."""
    width = sized.viewport_size["width"]
    bad = []
    for name in pages_of(many_site):
        if not name.startswith("articles/"):
            continue
        sized.goto(many_url + name)
        markers = sized.evaluate("""() => [...document.querySelectorAll('a.parallel')].map(a => {
            const text = a.firstChild, words = text.textContent, range = document.createRange();
            const cut = words.indexOf(' ', 2);
            range.setStart(text, 0);
            range.setEnd(text, cut > 0 ? cut : words.length);
            return {text: words, lines: new Set([...range.getClientRects()].map(r => Math.round(r.top))).size,
                    right: a.getBoundingClientRect().right};
        })""")
        assert markers, name
        bad += [(name, m) for m in markers if m["lines"] != 1 or m["right"] > width]
    assert bad == []


def test_heat_strip_cells_are_tap_targets_on_a_phone(browser, many_url):
    context = browser.new_context(viewport={"width": 375, "height": 800}, has_touch=True, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(many_url + "index.html")
        cells = page.locator(".coverage-strip svg a rect").evaluate_all(
            "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.width, r.height]; })")
        assert len(cells) >= 30
        small = [c for c in cells if c[0] < 24 or c[1] < 24]
        assert small == [], f"{len(small)} of {len(cells)} cells under 24 x 24 px, e.g. {small[0]}"
        assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
    finally:
        context.close()


def test_axe_finds_no_serious_violation_and_no_console_error(page, many_url, many_site, artifacts):
    """Every page but the 404 and, of the fifteen comparisons (one template), the five that pair the
    wire story with each other article."""
    report = axe_report(page, many_url, [
        name for name in pages_of(many_site) if name != "404.html"
        and not (name.startswith("compare/") and not name.startswith("compare/brightwater-wire--"))])
    (artifacts / "axe-many.json").write_text(json.dumps(report, indent=1))
    assert {k: v for k, v in report.items() if v} == {}
    assert page.errors == []


def test_nu_checker_reports_no_error_but_the_themes(many_site, artifacts):
    errors, ours = nu_errors(many_site, artifacts / "vnu-many.json")
    assert errors, "the theme's own errors are there: the checker ran"
    assert ours == [], "\n".join(f"{m['url']}: {m['message']}" for m in ours[:10])


def test_every_link_and_anchor_resolves(many_site):
    assert len(pages_of(many_site)) >= 20
    assert broken_links(many_site) == []
