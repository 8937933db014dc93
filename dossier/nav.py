"""The site's navigation, built from the dossier so that every article is reachable from it at any
size. Up to NAV_SECTION articles are listed in the navigation themselves. Beyond, the navigation
has one entry, "All articles": a page listing every article by name, under its initial (A, B, ...
0-9). Every page then carries a dozen entries (Material renders the navigation into every page:
listing 1,000 articles made a build quadratic), and the navigation stays the same when an article
is added or removed, so `mkdocs serve` rewrites that one page, not every page's menu. For the same
reason the titles of the pages the navigation lists hold no counts that an edit could change."""

from __future__ import annotations

import unicodedata
from html import escape

from .model import CleanArticle, Dossier

NAV_SECTION = 25  # articles listed in the navigation themselves; also the most comparison or group pages


def _title(article: CleanArticle) -> str:
    """Escaped: the theme prints navigation titles as HTML, and these come from the content."""
    return escape(article.name if article.heading == article.name else f"{article.name}: {article.heading}")


def initial(article: CleanArticle) -> str:
    """The index an article is listed in: the first letter of its name (accents dropped), 0-9, or #."""
    folded = unicodedata.normalize("NFKD", article.name).encode("ascii", "ignore").decode().strip().lower()
    first = next((c for c in folded if c.isalnum()), "#")
    return "0-9" if first.isdigit() else first


ALL_ARTICLES = "articles-by-name.md"  # the one page listing every article, past NAV_SECTION


def by_initial(dossier: Dossier) -> dict[str, list[CleanArticle]]:
    """The articles under their initials, for ALL_ARTICLES (empty when the navigation lists them)."""
    if len(dossier.articles) <= NAV_SECTION:
        return {}
    found: dict[str, list[CleanArticle]] = {}
    for article in sorted(dossier.articles, key=lambda a: (a.name.casefold(), a.meta.published or "", a.id)):
        found.setdefault(initial(article), []).append(article)
    return dict(sorted(found.items(), key=lambda kv: (kv[0] == "#", kv[0] == "0-9", kv[0])))


def navigation(dossier: Dossier, pages: list[str]) -> tuple[list, set[str]]:
    """The MkDocs `nav`, and the pages it lists (the others are reached from the pages)."""
    present = set(pages)
    compare = sorted(p for p in pages if p.startswith("compare/"))
    groups = sorted((p for p in pages if p.startswith("groups/")), key=lambda p: int(p[7:-3]))
    if len(dossier.articles) > NAV_SECTION:
        articles = ALL_ARTICLES
    else:
        articles = [{_title(a): f"articles/{a.id}.md"}
                    for a in sorted(dossier.articles, key=lambda a: (a.name.casefold(), a.meta.published or "", a.id))]
    nav = [{"Home": "index.md"}]
    if "facts/index.md" in present:
        nav.append({"Facts × articles": "facts/index.md"})
    nav.append({"Articles": articles})
    if compare and len(compare) <= NAV_SECTION:
        nav.append({"Comparisons": compare})
    if groups and len(groups) <= NAV_SECTION:
        nav.append({"Fact groups": groups})
    nav.extend(p for p in ("quotes.md", "corrections.md", "claims.md", "sources.md", "methodology.md", "unanchored.md")
               if p in present)
    listed = set()

    def collect(items):
        for item in items:
            if isinstance(item, str):
                listed.add(item)
            else:
                for value in item.values():
                    collect(value if isinstance(value, list) else [value])

    collect(nav)
    return nav, listed
