"""The site's navigation, built from the dossier so that every article is reachable from it at
any size: articles in sections of at most NAV_SECTION, sorted by name, so that with Material's
`navigation.prune` each page carries only the section labels and its own section (not every
article: that made a 2,000-page build quadratic)."""

from __future__ import annotations

from html import escape

from .model import Dossier

NAV_SECTION = 25  # articles per navigation section, and the most comparison or group pages listed


def _title(article) -> str:
    """Escaped: the theme prints navigation titles as HTML, and these come from the content."""
    return escape(article.name if article.heading == article.name else f"{article.name}: {article.heading}")


def _article_sections(dossier: Dossier) -> list:
    ordered = sorted(dossier.articles, key=lambda a: (a.name.casefold(), a.meta.published or "", a.id))
    entries = [{_title(a): f"articles/{a.id}.md"} for a in ordered]
    if len(entries) <= NAV_SECTION:
        return entries
    sections = []
    for start in range(0, len(ordered), NAV_SECTION):
        chunk = ordered[start:start + NAV_SECTION]
        first, last = chunk[0].name[:24], chunk[-1].name[:24]
        label = escape(first if first == last else f"{first} – {last}")
        sections.append({label: entries[start:start + NAV_SECTION]})
    return sections


def navigation(dossier: Dossier, pages: list[str]) -> tuple[list, set[str]]:
    """The MkDocs `nav`, and the pages it lists (the others are reached from the pages)."""
    present = set(pages)
    compare = sorted(p for p in pages if p.startswith("compare/"))
    groups = sorted((p for p in pages if p.startswith("groups/")), key=lambda p: int(p[7:-3]))
    nav = [{"Home": "index.md"}]
    if "facts/index.md" in present:
        nav.append({"Facts × articles": "facts/index.md"})
    nav.append({"Articles": _article_sections(dossier)})
    if compare and len(compare) <= NAV_SECTION:
        nav.append({"Comparisons": compare})
    if groups and len(groups) <= NAV_SECTION:
        nav.append({"Fact groups": groups})
    nav.extend(p for p in ("quotes.md", "corrections.md", "sources.md", "methodology.md", "unanchored.md")
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
