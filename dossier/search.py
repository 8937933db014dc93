"""Search entries of generated pages, made quicker. Material's search plugin reads each page's
HTML with Python's `HTMLParser` into its own `Parser`, which splits it into sections. On the
pages whose template writes HTML only (`body: html`), most of that time goes to finding tags in
text the dossier wrote itself and to comparing element objects (about 8 s of CPU at 1,000
articles). `SearchParser` cuts such a page into tags and text with one regular expression and
keeps Material's rules (sections, kept tags, exclusions) on tag names. Its sections are the ones
Material's parser makes from `HTMLParser`: tests/test_facts.py compares the two on every such page
of two dossiers and on a page of edge cases.
"""

from __future__ import annotations

import re
from html import escape, unescape
from html.parser import HTMLParser

from .compat import material_search_reader

TAG = re.compile(r"""<(/?)([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<!--.*?-->""", re.S)
ATTRIBUTE = re.compile(r"""([^\s=/>][^\s=>]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
RAW_TEXT = tuple(HTMLParser.CDATA_CONTENT_ELEMENTS)  # their content is text, not markup
HEADINGS = frozenset(f"h{level}" for level in range(1, 7))
# Material reads attributes only on headings (id), on a heading's permalink (class "headerlink")
# and where a block is excluded (data-search-exclude, class "linenodiv"); other tags' attributes go
# unread, and are parsed only where one of these words (or an entity) appears in the tag.
# Searched in the lower-cased tag: with re.I the search took a third of the parser's time.
READ_WHERE = re.compile(r"data-search-exclude|linenodiv|headerlink")
SKIPPED_ALWAYS = ("script", "style", "object")
Parser, Section, Element, void = material_search_reader()


class SearchParser(Parser):
    """Material's `Parser` with the same sections, quicker. Material compares elements by tag
    (an element equals any element or name with its tag), so the open elements and the skipped
    ones are kept here as tag names."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []  # the tag of each open element (self.context)
        self.skipped = set(SKIPPED_ALWAYS)  # tags whose content is not indexed while one is open

    def read(self, html: str) -> None:
        """What `feed(html); close()` does on well-formed HTML (tags, comments and text; no
        processing instructions or declarations), without HTMLParser's tag-by-tag scanning."""
        pos = 0
        while pos is not None:
            pos = self._read_from(html, pos)

    def _read_from(self, html: str, pos: int) -> int | None:
        """Reads on from `pos` to the end (None), or to just after a raw-text element such as
        <script>, whose text is read whole, or an excluded element passed over whole: then returns
        where to go on."""
        for found in TAG.finditer(html, pos):
            stop = found.start()
            if stop > pos:
                self.handle_data(unescape(html[pos:stop]))
            pos = found.end()
            closing, name, rest = found.groups()
            if name is None:  # a comment
                continue
            name = name.lower()
            if closing:
                self.handle_endtag(name)
                continue
            reads = name in HEADINGS or "&" in rest or READ_WHERE.search(rest.lower())
            attrs = [(m.group(1).lower(), _value(m)) for m in ATTRIBUTE.finditer(rest)] if reads else []
            skipping = len(self.skipped)
            self.handle_starttag(name, attrs)
            if rest.rstrip().endswith("/"):
                self.handle_endtag(name)  # HTMLParser's handle_startendtag
                continue
            if len(self.skipped) > skipping:  # an excluded element begins: passed over whole where that is safe
                end = self._end_of_excluded(html, pos, name)
                if end is not None:
                    self.handle_endtag(name)
                    return end
            if name in RAW_TEXT:
                close = re.compile(rf"</{name}\s*>", re.I).search(html, pos)
                stop = close.start() if close else len(html)
                if stop > pos:
                    self.handle_data(html[pos:stop])
                if close:
                    self.handle_endtag(name)
                return close.end() if close else len(html)
        if pos < len(html):
            self.handle_data(unescape(html[pos:]))
        return None

    def _end_of_excluded(self, html: str, pos: int, name: str) -> int | None:
        """Where the excluded element `name`, open at `pos`, ends (just after its end tag), if
        reading tag by tag up to there would change nothing but open and close elements inside it:
        its content is well nested and holds no heading and no element named as a skipped one (whose
        end would end that one's skipping, as Material has it; script and style are always skipped).
        An excluded element inside starts and ends its own skipping: no change. None: read it tag by tag.
        (A coverage strip's hundreds of tags took a third of an article page's reading.)"""
        open_tags = [name]
        for found in TAG.finditer(html, pos):
            closing, inner, rest = found.groups()
            if inner is None:
                continue
            inner = inner.lower()
            if closing:
                if open_tags[-1] != inner:
                    return None
                open_tags.pop()
                if not open_tags:
                    return found.end()
            elif inner in HEADINGS or inner in self.skipped:  # (script and style are always skipped)
                return None
            elif inner not in void and not rest.rstrip().endswith("/"):
                open_tags.append(inner)
        return None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in void:
            return
        el = Element(tag, attrs)
        self.context.append(el)
        self.tags.append(tag)
        if tag in HEADINGS and "id" in attrs:
            depth = len(self.context)
            if tag != "h1" and not self.data:  # a top-level section first
                self.section = Section(Element("hx"), depth)
                self.data.append(self.section)
            self.section = Section(el, depth)
            if self.data:
                self.section.id = attrs["id"]
            self.data.append(self.section)
        if not self.section:  # the preface
            self.section = Section(Element("hx"))
            self.data.append(self.section)
        if "data-search-exclude" in attrs or attrs.get("class") == "linenodiv":
            self.skipped.add(tag)
            return
        if tag in self.keep and self.skipped.isdisjoint(self.tags):
            self._part().append(f"<{tag}>")

    def handle_endtag(self, tag):
        if not self.tags or self.tags[-1] != tag:
            return
        if self.section.depth > len(self.context):  # leaving a heading nested in another element
            for section in reversed(self.data):
                if section.depth <= len(self.context):
                    self.section.depth = float("inf")
                    self.section = section
                    break
        self.context.pop()
        self.tags.pop()
        if tag in self.skipped:
            if tag not in SKIPPED_ALWAYS:
                self.skipped.remove(tag)
            return
        if tag in self.keep and self.skipped.isdisjoint(self.tags):
            data = self._part()
            index = data.index(f"<{tag}>")
            if all(data[i].isspace() for i in range(index + 1, len(data))):
                del data[index:]  # an empty element is dropped
            else:
                data.append(f"</{tag}>")

    def handle_data(self, data):
        tags = self.tags
        if not self.skipped.isdisjoint(tags):
            return
        if "pre" not in tags:
            data = " " if data.isspace() else data.replace("\n", " ")
        if not self.section:
            self.section = Section(Element("hx"))
            self.data.append(self.section)
        section = self.section
        if section.el.tag in tags:  # the section's heading
            if not any(el.tag == "a" and el.attrs.get("class") == "headerlink" for el in self.context):
                section.title.append(escape(data, quote=False))
        elif data.isspace():  # runs of white space collapse, except in <pre>
            if not section.text or not section.text[-1].isspace() or "pre" in tags:
                section.text.append(data)
        else:
            section.text.append(escape(data, quote=False))

    def _part(self) -> list[str]:
        """Where a kept tag goes: the section's title inside its heading, else its text."""
        return self.section.title if self.section.el.tag in self.tags else self.section.text


def _value(attribute: re.Match) -> str | None:
    value = next((v for v in attribute.group(2, 3, 4) if v is not None), None)
    return None if value is None else unescape(value)


SEARCH_ATTRIBUTE = re.compile(r'data-search-\w+="[^"]+"')  # Material's pattern, less its leading \s?
SPACE = re.compile(r"\s")


def strip_search_attributes(html: str) -> str:
    """`re.sub(r'\\s?data-search-\\w+="[^"]+"', "", html)`, which Material's search plugin runs on
    every page: the same result, found from the pattern's literal part. Material's pattern, which
    starts with an optional space, is tried at every character of the page (about 2 CPU s at
    1,000 articles); a match there is a match here with the one white-space character before it."""
    if "data-search-" not in html:
        return html
    parts, pos = [], 0
    for found in SEARCH_ATTRIBUTE.finditer(html):
        start = found.start()
        if start > pos and SPACE.match(html, start - 1):
            start -= 1
        parts.append(html[pos:start])
        pos = found.end()
    parts.append(html[pos:])
    return "".join(parts)


def quick_page_context(plugin):
    """Material's `SearchPlugin.on_page_context` with `strip_search_attributes`."""

    def on_page_context(context, *, page, config, nav):
        if plugin.config.enabled:
            plugin.search_index.add_entry_from_context(page)
            page.content = strip_search_attributes(page.content)

    return on_page_context


def add_entries(index, page) -> None:
    """Material's `SearchIndex.add_entry_from_context`, with `SearchParser` for the page's HTML."""
    if (page.meta.get("search") or {}).get("exclude"):
        return
    parser = SearchParser()
    parser.read(page.content)
    for section in parser.data:
        if not section.is_excluded():
            index.create_entry_for_section(section, page.toc, page.url, page)
