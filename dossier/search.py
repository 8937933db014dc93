"""Search entries of generated pages, made quicker: Material's search plugin reads each page's
HTML with Python's `HTMLParser`, half of whose time goes to finding tags in text the dossier
wrote itself (about 10 s of CPU at 1,000 articles). Pages whose template writes HTML only
(`body: html`) are cut into tags and text by one regular expression and fed to Material's own
`Parser`, so its rules (sections, kept tags, exclusions) stay Material's. The entries are the
ones `HTMLParser` gives: tests/test_facts.py compares the two on every such page of two dossiers.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from material.plugins.search.plugin import Parser

TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--.*?-->""", re.S)
ATTRIBUTE = re.compile(r"""([^\s=/>][^\s=>]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
RAW_TEXT = tuple(HTMLParser.CDATA_CONTENT_ELEMENTS)  # their content is text, not markup


def feed(parser: HTMLParser, html: str) -> None:
    """The calls `parser.feed(html); parser.close()` makes on well-formed HTML (tags, comments and
    text; no processing instructions or declarations), without its tag-by-tag scanning."""
    pos, end = 0, len(html)
    while pos < end:
        found = TAG.search(html, pos)
        stop = found.start() if found else end
        if stop > pos:
            parser.handle_data(unescape(html[pos:stop]))
        if found is None:
            return
        pos = found.end()
        closing, name, rest = found.group(1), found.group(2), found.group(3)
        if name is None:  # a comment
            continue
        name = name.lower()
        if closing:
            parser.handle_endtag(name)
            continue
        attrs = [(m.group(1).lower(), _value(m)) for m in ATTRIBUTE.finditer(rest)]
        if rest.rstrip().endswith("/"):
            parser.handle_startendtag(name, attrs)
            continue
        parser.handle_starttag(name, attrs)
        if name in RAW_TEXT:
            close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
            stop = close.start() if close else end
            if stop > pos:
                parser.handle_data(html[pos:stop])
            if close:
                parser.handle_endtag(name)
            pos = close.end() if close else end


def _value(attribute: re.Match) -> str | None:
    value = next((v for v in attribute.group(2, 3, 4) if v is not None), None)
    return None if value is None else unescape(value)


def add_entries(index, page) -> None:
    """Material's `SearchIndex.add_entry_from_context`, with `feed` for the page's HTML."""
    if (page.meta.get("search") or {}).get("exclude"):
        return
    parser = Parser()
    feed(parser, page.content)
    for section in parser.data:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
