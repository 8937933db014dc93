"""The facts × articles view, provenance (what an article repeats of a primary source or wire
story, and what it adds), one name per article, and navigation that reaches every article."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from paths import ROOT

from dossier.align import Linked
from dossier.facts import Facts
from dossier.nav import ALL_ARTICLES, NAV_SECTION, navigation
from dossier.pipeline import run
from dossier.render import render

WIRE = """
Fire crews in the port town of Kelmar fought a warehouse blaze for eleven hours on Sunday, the regional fire service said.

The fire destroyed about 4,000 tonnes of stored grain, according to the harbour authority.

"We were lucky the wind turned towards the sea," fire chief Doran Vess told reporters.

Two firefighters were treated in hospital for smoke inhalation and released on Monday.

The cause of the blaze is under investigation.
"""

REPRINT = """
Fire crews in the port town of Kelmar fought a warehouse blaze for eleven hours on Sunday, the regional fire service said.

The fire destroyed about 4,000 tonnes of stored grain, according to the harbour authority.

Local bakers fear the price of flour will climb before the winter festival begins next month.

"We were lucky the wind turned towards the sea," fire chief Doran Vess told reporters.
"""

REWRITE = """
A warehouse fire in Kelmar burned for eleven hours on Sunday before crews brought it under control, firefighters said.

Residents of the old quarter complained that sirens kept them awake until dawn.
"""


def facts_dossier(fixture):
    fixture.article("kelmar-wire", WIRE, outlet="Coastal Press Agency", role="wire")
    fixture.article("harbour-daily", REPRINT, outlet="Harbour Daily")
    fixture.article("evening-star", REWRITE, outlet="Evening Star")
    return run(fixture.content)


def test_provenance_counts_the_words_an_article_repeats_and_lists_what_it_adds(fixture_dossier):
    dossier = facts_dossier(fixture_dossier)
    facts = Facts(dossier, Linked(dossier.alignment))
    reprint = facts.provenance["harbour-daily"]
    assert [r.source.id for r in reprint.repeats] == ["kelmar-wire"]
    own = [p.text for p in reprint.own]
    assert own == ["Local bakers fear the price of flour will climb before the winter festival begins next month."]
    words = lambda text: len(re.findall(r"\w+", text))  # noqa: E731
    total = sum(words(p.text) for p in dossier.passages if p.article == "harbour-daily")
    assert reprint.repeats[0].share == (total - words(own[0])) / total
    assert reprint.repeats[0].passages == 3
    rewrite = facts.provenance["evening-star"]
    assert [p.text[:9] for p in rewrite.own] == ["Residents"]
    assert 0 < rewrite.repeated < 1
    wire = facts.provenance["kelmar-wire"]
    assert [a.id for a, _ in wire.repeated_by] == ["harbour-daily", "evening-star"]
    assert wire.own == (), "a source has no 'own' passages: it is what the others repeat"


def test_facts_have_one_cell_per_carrier_rated_by_closeness_in_story_order(fixture_dossier):
    dossier = facts_dossier(fixture_dossier)
    facts = Facts(dossier, Linked(dossier.alignment)).facts
    blaze = next(f for f in facts if "warehouse" in f.reference.text)
    assert blaze.reference.article == "kelmar-wire", "a source's wording is the reference"
    assert {a: c.closeness for a, c in blaze.cells.items()} == {
        "kelmar-wire": "same", "harbour-daily": "same", "evening-star": "reworded"}
    assert facts[0] is blaze, "the story's opening fact comes first"
    grain = next(f for f in facts if "grain" in f.reference.text)
    assert set(grain.cells) == {"kelmar-wire", "harbour-daily"}
    bakers = next(f for f in facts if "bakers" in f.reference.text)
    assert bakers.group is None and list(bakers.cells) == ["harbour-daily"]
    cause = next(f for f in facts if "cause" in f.reference.text)
    assert list(cause.cells) == ["kelmar-wire"]
    evening = Facts(dossier, Linked(dossier.alignment)).provenance["evening-star"]
    assert grain in evening.omitted and bakers not in evening.omitted


def test_the_facts_page_links_every_cell_to_its_passage(fixture_dossier):
    dossier = facts_dossier(fixture_dossier)
    pages = render(dossier, ROOT / "templates").pages
    page = pages["facts/index.md"]
    rows = re.findall(r'<tr id="(fact-[^"]+)" data-story="(\d+)" data-n="(\d+)">(.*?)</tr>', page)
    assert len(rows) == len(Facts(dossier, Linked(dossier.alignment)).facts)
    assert [int(story) for _, story, _, _ in rows] == list(range(len(rows)))
    cells = re.findall(r'<td class="(\w+)" data-o="\d+"><a href="\.\./articles/([\w-]+)\.html#([\w-]+)">', page)
    assert cells and all(pid.startswith(article + "-p") for _, article, pid in cells)
    assert {kind for kind, _, _ in cells} == {"same", "reworded", "only"}
    assert "Share of words repeating a primary source or wire story" in page
    article = pages["articles/harbour-daily.md"]
    assert "Repeats <a href=\"kelmar-wire.html\">Coastal Press Agency</a> (wire story)" in article
    assert 'id="own">Its own (1 of 4 passages' in article
    assert "Omits" in pages["articles/evening-star.md"]
    assert "Facts × articles" in pages["index.md"]


def test_an_article_without_title_or_outlet_has_one_name_everywhere(fixture_dossier):
    fixture_dossier.article("anon", WIRE, title=None, outlet=None)
    fixture_dossier.article("named", REPRINT, outlet="Harbour Daily")
    pages = render(run(fixture_dossier.content), ROOT / "templates").pages
    name = "Unattributed (anon)"
    assert f'title: "{name}"' in pages["articles/anon.md"]
    assert f">{name}</a>" in pages["index.md"]
    assert f"↔ {name} ¶" in pages["articles/named.md"]
    assert f"title: \"Harbour Daily and {name}" in pages["compare/anon--named.md"] or \
        f"title: \"{name} and Harbour Daily" in pages["compare/anon--named.md"]
    assert "Untitled" not in "".join(pages.values())


def test_navigation_reaches_every_article_through_one_page_by_initial(fixture_dossier):
    names = ["Árbol Diario", "Zeta News", "42 Radio", "«Echo»"] + [f"Outlet {n}" for n in range(NAV_SECTION)]
    for n, name in enumerate(names):
        fixture_dossier.article(f"a{n:03}", f"Story number {n} tells of a harbour crane that fell on pier {n}.",
                                outlet=name, title=f"Story {n}")
    dossier = run(fixture_dossier.content)
    pages = render(dossier, ROOT / "templates").pages
    nav, listed = navigation(dossier, list(pages))
    assert {"Articles": ALL_ARTICLES} in nav
    assert not any(p.startswith("articles/") for p in listed), "articles past 25 are not menu entries"
    index = pages[ALL_ARTICLES]
    assert re.findall(r'<h2 id="[^"]+">(.+?)</h2>', index) == ["A", "E", "O", "Z", "0-9"]
    assert sorted(re.findall(r'href="articles/(a\d+)\.html"', index)) == [f"a{n:03}" for n in range(len(names))]
    assert ">Story 4</a></td><td>Outlet 0</td>" in index
    assert "All articles" in pages["index.md"] and '<td><a href="articles/a000.html">' not in pages["index.md"]
    assert 'href="../compare/a004.html">with all other articles</a>' in pages["articles/a004.md"]
    # adding an article, even under a new initial, leaves the menu as it was
    fixture_dossier.article("b999", "A story of its own about a ferry.", outlet="Bay Herald")
    assert navigation(run(fixture_dossier.content), list(pages) + ["articles/b999.md"]) == (nav, listed)
    small = replace(dossier, articles=dossier.articles[:NAV_SECTION])
    nav, listed = navigation(small, [f"articles/{a.id}.md" for a in small.articles])
    assert {f"articles/{a.id}.md" for a in small.articles} <= listed, "a small dossier lists its articles"


def test_the_seed_site_navigation_lists_every_article(seed_site):
    home = (seed_site / "index.html").read_text(encoding="utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    for article in ("report-000", "rmn-news"):
        assert f'href="articles/{article}.html"' in nav
    assert 'href="facts/index.html"' in nav


def test_the_export_carries_the_facts_and_each_articles_provenance(fixture_dossier):
    import json

    import jsonschema

    dossier = facts_dossier(fixture_dossier)
    export = json.loads(render(dossier, ROOT / "templates").exports["export/dossier.json"])
    schema = json.loads((ROOT / "dossier/schemas/export.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(export, schema)
    articles = {a["id"]: a for a in export["articles"]}
    assert articles["kelmar-wire"]["role"] == "wire"
    reprint = articles["harbour-daily"]["provenance"]
    assert [r["source"] for r in reprint["repeats"]] == ["kelmar-wire"] and reprint["repeats"][0]["passages"] == 3
    assert reprint["own"] == reprint["only_here"] == ["harbour-daily-p3-1"]
    blaze = next(g for g in export["facts"] if g["reference"] == "kelmar-wire-p1-1")
    assert {c["article"]: c["closeness"] for c in blaze["cells"]} == {
        "kelmar-wire": "same", "harbour-daily": "same", "evening-star": "reworded"}
    grain = next(g for g in export["facts"] if g["reference"] == "kelmar-wire-p2-1")
    assert grain["id"] in articles["evening-star"]["provenance"]["omits"]
    assert blaze["id"] not in articles["evening-star"]["provenance"]["omits"]


def test_fifty_outlets_reprinting_a_wire_story_give_facts_pages_under_one_megabyte(tmp_path):
    """The facts view at the size the issue names: 50 articles, several hundred facts."""
    from bench.synthetic import write_content
    from bench.wire import generate

    write_content(generate(50), tmp_path / "content")
    dossier = run(tmp_path / "content")
    pages = render(dossier, ROOT / "templates").pages
    facts = {path: text for path, text in pages.items() if path.startswith("facts/")}
    rows = sum(text.count("<tr id=") for text in facts.values())
    assert rows == len(Facts(dossier, Linked(dossier.alignment)).facts) >= 300
    assert len(facts) >= 2, "paged"
    assert max(len(text.encode()) for text in facts.values()) < 700_000, "room for the theme's ~40 KB"
    assert all(text.count('<th scope="col" class="article-col">') == 50 for text in facts.values())


def test_a_comparison_page_points_a_widely_carried_passage_to_its_group(fixture_dossier):
    """Past LINK_LIMIT parallels an article page links to the group; the comparison with all
    others must do the same, not call the passage "only in" its article."""
    for n in range(9):
        fixture_dossier.article(f"reprint-{n}", WIRE if n else REPRINT, outlet=f"Reprint {n}")
    dossier = run(fixture_dossier.content)
    page = render(dossier, ROOT / "templates").pages["compare/reprint-1.md"]
    rows = page.split("<tr>")[2:]
    assert len(rows) == 5
    first = rows[0]
    assert "Only in" not in first
    assert re.search(r'href="\.\./groups/1\.html#g\d+">In 8 other articles: see group \d+</a>', first)
    # the passages the shorter reprint-0 lacks are carried by 7 other articles: still a group page
    assert all("Only in" not in row and "see group" in row for row in rows)


def _html_only_pages(fixture_dossier, seed_dossier) -> dict[str, str]:
    """The bodies of every `body: html` page of the seed and of a wire dossier (groups, comparison
    with all others, facts), by page."""
    from dossier.incremental import FRONT_MATTER

    for n in range(9):
        fixture_dossier.article(f"reprint-{n}", WIRE if n else REPRINT, outlet=f"Reprint {n}")
    pages = {**render(seed_dossier, ROOT / "templates").pages,
             **render(run(fixture_dossier.content), ROOT / "templates").pages}
    html_only = {md: text[FRONT_MATTER.match(text).end():] for md, text in pages.items()
                 if "\nbody: html" in FRONT_MATTER.match(text).group()}
    assert {md.split("/")[0] for md in html_only} >= {"articles", "compare", "groups", "facts"}
    return html_only


def test_pages_marked_html_only_are_what_markdown_would_make_of_them(fixture_dossier, seed_dossier):
    """A template that says `body: html` skips Python-Markdown (incremental.py); that is right only
    while Markdown would hand the same HTML back. Checked on every such page of the seed (notes,
    corrections, pair comparisons) and of a wire dossier (groups, comparison with all others, facts)."""
    import markdown
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    squeeze = lambda html: re.sub(r">\s+<", "><", html.strip())  # noqa: E731 - whitespace between tags only
    for md, body in _html_only_pages(fixture_dossier, seed_dossier).items():
        converted = markdown.Markdown(extensions=config["markdown_extensions"],
                                      extension_configs=config["mdx_configs"] or {}).convert(body)
        assert squeeze(converted) == squeeze(body), md


def test_search_reads_html_only_pages_as_htmlparser_does(fixture_dossier, seed_dossier):
    """search.py reads `body: html` pages itself; it must end with the sections, titles and text
    Material's parser makes when Python's HTMLParser feeds it."""
    from material.plugins.search.plugin import Parser

    from dossier.search import SearchParser

    def sections(parser) -> list:
        return [(s.el.tag, s.id, s.depth, s.title, s.text, s.is_excluded()) for s in parser.data]

    pages = _html_only_pages(fixture_dossier, seed_dossier)
    pages["tricky"] = ('<p>preface <code> </code></p><h2 id="t">A &amp; B<a class="headerlink" href="#t">¶</a></h2>'
                       '<p data-search-exclude>hidden</p><br><svg><rect x="0"/><title>t</title></svg><!-- note -->'
                       "<script>if (a<b) {s = \"&amp;\"}</script><a href='x'>&quot;q&quot;</a>"
                       '<div DATA-SEARCH-EXCLUDE><div>skipped too</div></div><div>after</div>'
                       '<span class="linenodiv">1</span><pre><code>a\n\n  b</code></pre>  \n  <ul><li> </li><li>k<sub>2</sub></li></ul>'
                       '<div><h3 id="n">Nested <sup>x</sup></h3>inside</div>outside<h4 id="m" data-search-exclude>gone</h4>last')
    for md, body in pages.items():
        theirs, ours = Parser(), SearchParser()
        theirs.feed(body)
        theirs.close()
        ours.read(body)
        assert sections(ours) == sections(theirs), md
        assert any(s[4] for s in sections(ours)), md  # text was read


HTML_LEAVES = ["words", " ", "\n", "&amp;", "<br>", '<rect x="1"/>', "<script>a<b; '</div>'</script>", "<!-- c -->"]
HTML_OPENINGS = ['<div data-search-exclude>', '<figure data-search-exclude>', "<div>", "<p>", '<h2 id="h">',
                 '<h3 id="k">', "<svg>", "<title>", '<a class="headerlink" href="#h">', '<span class="linenodiv">',
                 "<code>", "<pre>"]
HTML = st.recursive(st.sampled_from(HTML_LEAVES), lambda inner: st.tuples(
    st.sampled_from(HTML_OPENINGS), st.lists(inner, max_size=4)).map(
    lambda e: e[0] + "".join(e[1]) + "</" + e[0][1:].split(">")[0].split()[0] + ">"), max_leaves=25)


@settings(max_examples=1500, deadline=None)
@given(st.lists(HTML, max_size=4).map("".join))
def test_search_reads_generated_html_as_htmlparser_does(html):
    """Well-formed HTML as the templates write it (SearchParser reads no other): excluded elements
    with and without headings inside, headings inside other elements, raw text, comments. The same
    sections as Material's parser fed by HTMLParser."""
    from material.plugins.search.plugin import Parser

    from dossier.search import SearchParser

    theirs, ours = Parser(), SearchParser()
    try:
        theirs.feed(html)
        theirs.close()
    except ValueError:  # Material's parser fails on an excluded element inside another of its name
        assume(False)
    ours.read(html)
    assert [(s.el.tag, s.id, s.depth, s.title, s.text) for s in ours.data] == \
           [(s.el.tag, s.id, s.depth, s.title, s.text) for s in theirs.data]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["data-search-", "exclude", "boost", "=", '"', "x", " ", "\n", "\u00a0", "<p ", ">",
                                 "-", 'data-search-boost="2"']), max_size=14).map("".join))
def test_search_attributes_are_stripped_as_material_strips_them(html):
    """Material's search plugin removes `data-search-*="..."` attributes from each page with a
    regular expression tried at every character; search.py finds the same matches quicker."""
    from dossier.search import strip_search_attributes

    assert strip_search_attributes(html) == re.sub(r'\s?data-search-\w+="[^"]+"', "", html)


def test_coverage_strips_stay_out_of_the_search_index(fixture_dossier, monkeypatch):
    """An article page of a large dossier shows its coverage strip; the strip's cell titles ("carried
    by 3 other articles") would put the same words into every article's search entry."""
    from dossier import render as render_module
    from dossier.incremental import FRONT_MATTER
    from dossier.search import SearchParser

    monkeypatch.setattr(render_module, "STRIPS_MAX", 1)  # strips from two articles on, not fifty
    for n in range(3):
        fixture_dossier.article(f"a{n}", WIRE, outlet=f"Outlet {n}")
    page = render(run(fixture_dossier.content), ROOT / "templates").pages["articles/a0.md"]
    assert "carried by 2 other articles" in page, "the strip is on the page"
    parser = SearchParser()
    parser.read(FRONT_MATTER.sub("", page, count=1))
    text = " ".join(part for section in parser.data for part in section.text)
    assert "carried by" not in text
    assert "warehouse blaze" in text, "the article's own text is indexed"


class _Counted(tuple):
    """A group's passages that count how often they are read through (iterated)."""

    def __iter__(self):
        self.reads = getattr(self, "reads", 0) + 1
        return super().__iter__()


def test_no_page_reads_a_group_once_per_member(fixture_dossier, monkeypatch):
    """Issue 30: rendering read every copy of a passage's copy group for each passage (Views.linked_to),
    so its work grew with passages × group size (1,000 outlets printing one agency story). Every view
    and export now reads a group a few times in all, however many members it has."""
    from dossier.render import LINK_LIMIT

    monkeypatch.setenv("DOSSIER_WORKERS", "1")  # counted in this process
    for n in range(40):
        fixture_dossier.article(f"reprint-{n:02}", WIRE, outlet=f"Reprint {n:02}", role="wire" if n == 0 else "report")
    dossier = run(fixture_dossier.content)
    alignment = dossier.alignment
    copies = tuple(replace(c, passages=_Counted(c.passages)) for c in alignment.copies)
    groups = tuple(replace(g, passages=_Counted(g.passages)) for g in alignment.groups)
    dossier = replace(dossier, alignment=replace(alignment, copies=copies, groups=groups))
    large = [c for c in copies if len(c.passages) > 30]
    assert len(large) >= 4 and all(len(c.passages) > 4 * LINK_LIMIT for c in large)
    pages = render(dossier, ROOT / "templates", track=True).pages
    assert "in 39 other articles" in pages["articles/reprint-05.md"]
    for group in (*copies, *groups):  # a read per member would be 40 or more
        assert len(group.passages) == 40 and getattr(group.passages, "reads", 0) <= 20, (group.id, group.passages.reads)
