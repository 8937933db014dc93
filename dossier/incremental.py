"""Incremental rebuilds under `mkdocs serve`: MkDocs rebuilds only the pages whose text changed.

MkDocs' dirty builds skip a file whose `is_modified()` is false. A generated page says it is
modified when its Markdown differs from the last successful build's, or when something every
page shows changed (the "frame": mkdocs.yml, the build date, and the pages listed in the
navigation with their front matter, since every page renders the navigation); then every page is
rebuilt. On top of what MkDocs does, this module

- deletes the output of pages that no longer exist (a dirty build never empties the site folder);
- keeps each page's search entries, and rewrites the search index whole, in page order, after
  every build under `serve` (Material's own dirty handling appends the changed pages at the end,
  and repeats pages after a complete rebuild);
- lets pages listed in the navigation be read (their titles are in everyone's navigation) but
  skips writing them when unchanged.

The result is byte-identical to a clean build of the same content (tests/test_incremental.py).

A clean build of many pages has its pages built by MkDocs' own code in forked workers
(`build_ahead`), the site byte-identical to a build in one process (tests/test_site.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

import markdown
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from .compat import (build_page, convert_markdown, private_hooks, replace_event, set_title_from_render,
                     title_from_render, wrap_search_entries)
from .parallel import map_forked, would_fork
from .search import add_entries, quick_page_context

FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
RAW_IDS = re.compile(r"""<[a-zA-Z][^<>]*?\s(?:id|name)=["']([^"'<>]+)["']""")  # ids (and <a name>) in raw HTML


class PageFile(File):
    """A generated file that knows whether it changed since the last build."""

    modified = True

    def is_modified(self) -> bool:
        return self.modified


class DossierPage(Page):
    """A generated page whose Markdown conversion may be known already (`converted`: from the
    last build); used when the Markdown is the same."""

    converted: tuple | None = None  # (markdown, html, toc, title, anchor ids or None: not read yet)
    _ids: set[str] | None = None
    _ids_in: str | None = None  # the raw HTML whose ids are the page's anchors, until they are asked for

    @property
    def present_anchor_ids(self) -> set[str] | None:
        """Read only when another page links to an anchor of this one: the ids of a page of raw
        HTML are found when first asked for (finding them in every page took 1.5 s at 2,000 pages)."""
        if self._ids is None and self._ids_in is not None:
            self._ids, self._ids_in = set(RAW_IDS.findall(self._ids_in)), None
        return self._ids

    @present_anchor_ids.setter
    def present_anchor_ids(self, ids: set[str] | None) -> None:
        self._ids, self._ids_in = ids, None

    def render(self, config, files) -> None:
        if self.meta.get("body") == "html":
            self._pass_through()
            return
        if not private_hooks():  # compat.py: MkDocs' own rendering
            super().render(config, files)
            return
        known = self.converted
        if known is not None and known[0] == self.markdown:
            _, self.content, self.toc, title, self.present_anchor_ids = known
            set_title_from_render(self, title)
            self.links_to_anchors = {}
            return
        self._convert(config, files)
        self.converted = None
        if not self.links_to_anchors:  # a page with Markdown links to anchors is always converted anew
            self.converted = (self.markdown, self.content, self.toc, title_from_render(self), self._ids)

    def _pass_through(self) -> None:
        """A page whose front matter says `body: html` (its template writes HTML only) is passed
        through as written: Python-Markdown would only have parsed every tag to hand the same HTML
        back. Its anchor ids are found when first asked for (`present_anchor_ids`)."""
        self.content = self.markdown.strip("\n")
        self.toc = get_toc([])
        self._ids, self._ids_in = None, self.markdown
        self.links_to_anchors = {}

    def _convert(self, config, files) -> None:
        """MkDocs' Page.render (1.6), less the second HTML parse of the raw HTML that only collects
        its ids (generated pages are raw HTML almost entirely; a third of the Markdown time):
        the ids are found by a regular expression instead."""
        md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
        self.content, title, anchor_ids, links_to_anchors = convert_markdown(self, config, files, md)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        set_title_from_render(self, title)
        self.present_anchor_ids = anchor_ids | set(RAW_IDS.findall(self.markdown))
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = links_to_anchors


def build_ahead(pages: list[DossierPage], config, files, nav, env, index=None, progress=None) -> dict[str, list]:
    """Build the pages in forked workers (parallel.py), each with MkDocs' own `_build_page`: the
    theme's template, every plugin's page events, the file written. MkDocs then builds pages one
    by one, so a clean build of many pages would leave a core idle. Returns the search entries of
    each page built (by source path); a page that failed is left out, for MkDocs to build and
    report. A worker's warnings are logged again here, where `--strict` counts them. `index`: the
    search plugin's index, whose entries a worker adds to (None: no search)."""
    _build_page = build_page()
    if _build_page is None or not would_fork(len(pages)):  # compat.py: MkDocs builds them, one by one
        return {}

    doc_files = files.documentation_pages()
    mkdocs_log = logging.getLogger("mkdocs")

    def one(k: int):
        page = pages[k]
        records = _Records()
        handlers, mkdocs_log.handlers = mkdocs_log.handlers, [records]  # this worker's copy only
        start = len(index.entries) if index is not None else 0
        try:
            _build_page(page, config, doc_files, nav, env, excluded=page.file.inclusion.is_excluded())
        except Exception:  # noqa: BLE001 - MkDocs builds the page again and reports the error itself
            return None
        finally:
            mkdocs_log.handlers = handlers
        return (index.entries[start:] if index is not None else []), records.seen

    built = {}
    for page, result in zip(pages, map_forked(one, len(pages), progress, [len(p.file.content_string) for p in pages])):
        if result is not None:
            entries, records = result
            for name, level, message in records:
                logging.getLogger(name).log(level, message)
            built[page.file.src_uri] = entries
    return built


class _Records(logging.Handler):
    """Warnings and errors a worker logged: (logger, level, message)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record.name, record.levelno, record.getMessage()))


class SiteState:
    """What the last successful build wrote, so the next one can skip what did not change."""

    def __init__(self) -> None:
        self.texts: dict[str, str] = {}  # src_uri -> text, as last built
        self.dests: dict[str, str] = {}  # src_uri -> dest_uri, as last built
        self.frame: str | None = None
        self.search: dict[str, list] = {}  # src_uri -> the page's search index entries
        self.converted: dict[str, tuple] = {}  # src_uri -> DossierPage.converted of pages in the navigation
        self.files: list[PageFile] = []  # this build's generated files
        self.skipped = 0  # pages this build did not write
        self.full = True
        self.reindex = False  # the search index's entries are out of page order

    def mark(self, files: list[PageFile], config) -> None:
        """Set each file's `modified`; pages listed in the navigation stay modified until `skip_listed`."""
        frame = _frame(files, config)
        self.full = frame != self.frame
        self.frame_now = frame
        self.files = files
        for f in files:
            if isinstance(f.page, DossierPage):
                f.page.converted = self.converted.get(f.src_uri)
            f.modified = self.full or self.texts.get(f.src_uri) != f.content_string
            f.listed_unchanged = not f.modified and f.is_documentation_page() and f.inclusion.is_in_nav()
            if f.listed_unchanged:
                f.modified = True  # read (for its title), written only if it changed: see skip_listed
        self.skipped = sum(1 for f in files if f.is_documentation_page() and not f.modified)

    def skip_listed(self) -> None:
        """After every page was read: unchanged pages listed in the navigation are not written."""
        for f in self.files:
            if getattr(f, "listed_unchanged", False):
                f.modified = False
                self.skipped += 1

    def built_ahead(self, built: dict[str, list], files: Files) -> None:
        """Pages built in workers: their search entries go into the index, in page order."""
        if not built:
            return
        index = self.search_index()
        pages = files.documentation_pages()
        for f in pages:
            if f.src_uri in built:
                self.search[f.src_uri] = built[f.src_uri]
                if index is not None:
                    index.entries.extend(built[f.src_uri])
        self.reindex = len(built) < len(pages)  # MkDocs' loop appends the other pages' entries after these

    def changed(self) -> list[str]:
        """The files this build writes."""
        return [f.src_uri for f in self.files if f.modified and not getattr(f, "listed_unchanged", False)]

    def search_index(self):
        """The search plugin's index, None when there is no search plugin or it is disabled."""
        plugin = getattr(self, "search_plugin", None)
        return plugin.search_index if plugin is not None and plugin.config.enabled else None

    def watch_search(self, config) -> None:
        """Record each page's search entries as the search plugin makes them."""
        plugin = next((p for p in config.plugins.values() if hasattr(p, "search_index")), None)
        index = getattr(plugin, "search_index", None)
        if index is None or getattr(index, "dossier_watched", False):
            return
        store = self.search

        def add_entry_from_context(original, page) -> None:
            start = len(index.entries)
            if page.meta.get("body") == "html":
                add_entries(index, page)  # search.py: the same entries, made quicker
            else:
                original(page)
            store[page.file.src_uri] = index.entries[start:]

        if not wrap_search_entries(index, add_entry_from_context):  # compat.py: Material alone
            return
        index.dossier_watched = True
        self.search_plugin = plugin
        # search.py: the same page, made quicker
        replace_event(config, "page_context", plugin.on_page_context, quick_page_context(plugin))

    def finish(self, files: Files, config, serving: bool, index_later: bool = False) -> None:
        """After a successful build: remove pages that are gone, complete the search index, remember.
        `index_later`: a second pass follows at once and writes the search index (8 MB at 1,000
        articles, a tenth of a second the served page need not wait for)."""
        site = Path(config.site_dir)
        names = {f.src_uri for f in self.files}
        for src, dest in self.dests.items():
            if src not in names:
                (site / dest).unlink(missing_ok=True)
        inclusion = InclusionLevel.is_in_serve if serving else InclusionLevel.is_included
        pages = [f.src_uri for f in files.documentation_pages(inclusion=inclusion)]
        for gone in set(self.search) - set(pages):
            del self.search[gone]
        index = self.search_index()
        if (self.skipped or serving or self.reindex) and index is not None and not index_later:
            index.entries = [entry for uri in pages for entry in self.search.get(uri, ())]
            path = site / "search" / "search_index.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(index.generate_search_index(None).encode("utf-8"))
        self.converted = {f.src_uri: f.page.converted for f in self.files
                          if isinstance(f.page, DossierPage) and f.page.converted and f.inclusion.is_in_nav()}
        self.texts = {f.src_uri: f.content_string for f in self.files}
        self.dests = {f.src_uri: f.dest_uri for f in self.files}
        self.frame = self.frame_now
        self.reindex = False

    def forget(self) -> None:
        """After a failed build the site folder may be half written: the next build writes everything."""
        self.texts, self.dests, self.frame, self.converted = {}, {}, None, {}


def _frame(files: list[PageFile], config) -> str:
    """What every page shows besides its own text."""
    digest = hashlib.sha256()
    path = config.config_file_path
    if path and os.path.isfile(path):
        digest.update(Path(path).read_bytes())
    digest.update(repr((config.site_url, config.site_dir, os.environ.get("SOURCE_DATE_EPOCH"))).encode())
    for f in files:
        if f.is_documentation_page() and f.inclusion.is_in_nav():
            head = FRONT_MATTER.match(f.content_string)
            digest.update(f"{f.src_uri}\0{head.group() if head else ''}\0".encode())
    return digest.hexdigest()
