"""The facts × articles view in a browser, on the six-article dossier (tests/browser/many_outlets.py):
it fits a phone, its rows order and filter in the page, and a cell lands on its passage."""

from __future__ import annotations

import pytest

ROWS = """() => [...document.querySelectorAll('#facts-matrix tbody tr')].filter(r => !r.hidden).map(r => ({
    id: r.id, n: +r.dataset.n, story: +r.dataset.story,
    cells: [...r.cells].slice(2).map(c => c.dataset.o === undefined ? null : +c.dataset.o)}))"""


@pytest.mark.parametrize("width", [1280, 375])
def test_the_facts_view_never_scrolls_the_page_sideways(browser, many_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(many_url + "facts/index.html")
        assert page.locator("#facts-matrix tbody tr").count() >= 10
        assert page.evaluate("document.scrollingElement.scrollWidth <= document.scrollingElement.clientWidth")
        first_cell = page.locator("#facts-matrix tbody tr:first-child th").bounding_box()
        assert first_cell["x"] >= 0 and first_cell["x"] + first_cell["width"] <= width
    finally:
        context.close()


def test_rows_order_by_carriers_and_by_one_articles_order(page, many_url):
    page.goto(many_url + "facts/index.html")
    story = page.evaluate(ROWS)
    assert [r["story"] for r in story] == list(range(len(story))), "story order first"
    assert page.locator("#facts-count").inner_text() == f"{len(story)} of {len(story)} facts shown"
    page.select_option("#facts-sort", "most")
    most = page.evaluate(ROWS)
    assert [r["n"] for r in most] == sorted((r["n"] for r in story), reverse=True)
    assert most[0]["n"] >= 4
    page.select_option("#facts-sort", "article:1")
    by_second = page.evaluate(ROWS)
    carried = [r["cells"][1] for r in by_second if r["cells"][1] is not None]
    assert carried == sorted(carried) and len(carried) >= 3
    assert all(r["cells"][1] is None for r in by_second[len(carried):]), "facts it lacks come last"
    assert page.errors == []


def test_filters_show_what_only_one_article_carries_and_what_it_omits(page, many_url):
    page.goto(many_url + "facts/index.html")
    every = page.evaluate(ROWS)
    column = next(k for k in range(len(every[0]["cells"]))
                  if any(r["n"] == 1 and r["cells"][k] is not None for r in every))
    page.select_option("#facts-filter", f"only:{column}")
    only = page.evaluate(ROWS)
    assert only and all(r["n"] == 1 and r["cells"][column] is not None for r in only)
    assert len(only) == sum(1 for r in every if r["n"] == 1 and r["cells"][column] is not None)
    assert page.locator("#facts-count").inner_text() == f"{len(only)} of {len(every)} facts shown"
    page.select_option("#facts-filter", f"omits:{column}")
    omitted = page.evaluate(ROWS)
    assert omitted == [r for r in sorted(every, key=lambda r: r["story"])
                       if r["cells"][column] is None and r["n"] >= 2]
    assert omitted, "the fixture has facts this outlet leaves out"


def test_a_cell_lands_on_its_passage(page, many_url):
    page.goto(many_url + "facts/index.html")
    cell = page.locator("#facts-matrix tbody td a").first
    href = cell.get_attribute("href")
    cell.click()
    page.wait_for_load_state()
    passage = href.split("#")[1]
    assert page.url.endswith(href.replace("../", "")), page.url
    assert page.locator(f"[id='{passage}']").is_visible()


def test_article_pages_say_how_much_they_repeat_the_wire_and_the_statement(page, many_url):
    page.goto(many_url + "articles/eastmere-star.html")
    box = page.locator("#provenance").inner_text()
    assert "Repeats Brightwater Wire Agency (wire story)" in box
    assert "Its own (" in box and "Only in this article" in box
    page.locator("#own a").first.click()
    assert page.url.split("#")[1].startswith("eastmere-star-p")
    page.goto(many_url + "facts/index.html")
    footer = page.locator("#facts-matrix tfoot").inner_text()
    assert "repeating a primary source or wire story" in footer and "%" in footer
