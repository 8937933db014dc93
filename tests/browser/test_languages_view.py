"""A dossier in four languages in the browser: its pages pass axe (valid `lang` attributes on
passages in another language included), their links resolve, and glosses read as machine-made."""

from __future__ import annotations

import json
import textwrap

import pytest
from linkcheck import broken_links
from serving import serve
from test_languages import HERALD, KURIER, NOVINE, POSTIMEES, WIRE
from test_reader import axe_report, nu_errors, pages_of

from paths import ROOT


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory):
    from dossier.cli import build

    root = tmp_path_factory.mktemp("languages")
    content = root / "content"
    (content / "articles").mkdir(parents=True)
    (content / "dossier.yml").write_text("title: A bridge in four languages\nlanguage: en\n", encoding="utf-8")
    for article_id, body, meta in (("herald", HERALD, {"language": "en"}),
                                   ("kurier", KURIER, {"language": "de", "translated_from": "herald"}),
                                   ("novine", NOVINE, {}), ("postimees", POSTIMEES, {"language": "et"}),
                                   ("wire", WIRE, {"language": "en"})):
        front = {"title": f"Title of {article_id}", "outlet": f"Outlet {article_id}", **meta}
        text = "\n".join(f"{k}: {json.dumps(v)}" for k, v in front.items())
        (content / f"articles/{article_id}.md").write_text(
            f"---\n{text}\n---\n{textwrap.dedent(body).strip()}\n", encoding="utf-8")
    build(content, root / "site", ROOT / "mkdocs.yml", strict=False, quiet=True, cache=root / "cache")
    url, stop = serve(root / "site")
    yield root / "site", url
    stop()


def test_pages_in_several_languages_are_valid_html(multilingual, artifacts):
    errors, ours = nu_errors(multilingual[0], artifacts / "vnu-languages.json")
    assert errors, "the theme's own errors are there: the checker ran"
    assert ours == [], "\n".join(f"{m['url']}: {m['message']}" for m in ours[:10])


def test_pages_in_several_languages_pass_axe_and_their_links_resolve(page, multilingual):
    site, url = multilingual
    names = [n for n in pages_of(site) if n.startswith(("articles/", "facts/", "compare/"))]
    assert "articles/kurier.html" in names and "facts/index.html" in names
    report = axe_report(page, url, names)
    assert {k: v for k, v in report.items() if v} == {}
    assert broken_links(site) == []
    page.goto(url + "articles/kurier.html")
    assert page.locator("#kurier-p1-1").get_attribute("lang") == "de"
    assert "Machine gloss" in page.locator(".machine-gloss").first.inner_text()
    assert page.errors == []
