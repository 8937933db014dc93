"""Every private hook of MkDocs, Material, Jinja, syntok and watchdog that the dossier uses.

Each one makes a build or a rebuild quicker and changes nothing in the site. They are used with
the versions pinned in requirements.lock (PINNED) only: with another version of one of these
libraries installed, or with DOSSIER_PUBLIC_API=1, the build uses their public API alone (slower,
the same site) and says so once. Each function below says what its caller does without it.
tests/test_compat.py checks that every private name used here exists in the pinned versions, and
that a build on public API alone makes the same site.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from importlib import metadata
from types import FunctionType, MethodType
from typing import Callable

from jinja2.runtime import Context, Macro

log = logging.getLogger("mkdocs.plugins.dossier")

PINNED = {"mkdocs": "1.6.1", "mkdocs-material": "9.8.1", "jinja2": "3.1.6", "syntok": "1.4.4", "watchdog": "7.1.0"}


@lru_cache(maxsize=1)
def private_hooks() -> bool:
    """Whether the private hooks may be used (once per process: the first call says why not).
    Called during a build, never at import, so that what it says reaches the build's log."""
    if os.environ.get("DOSSIER_PUBLIC_API", "0") != "0":
        reason = "DOSSIER_PUBLIC_API is set"
    else:
        other = [f"{name} {installed_version(name)}" for name, pinned in PINNED.items()
                 if installed_version(name) != pinned]
        if not other:
            return True
        reason = f"{', '.join(other)} installed, not the version pinned in requirements.lock"
    log.info("dossier: %s: building with public API only (slower; the same site)", reason)
    return False


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


# --- MkDocs: building pages ---------------------------------------------------------------------

def build_page() -> Callable | None:
    """MkDocs' `_build_page(page, config, files, nav, env, excluded=...)`: one page through the
    theme's template and every plugin's page events, its file written. None: pages are not built
    ahead in workers; MkDocs builds them all itself, one by one."""
    if not private_hooks():
        return None
    from mkdocs.commands.build import _build_page

    return _build_page


def skip_in_page_loop(names: set[str]) -> Callable[[], None]:
    """MkDocs' own loop over the pages passes by these (built ahead with `build_page`): its
    `_build_page`, which it looks up as it calls it, is wrapped for this build. Everything else
    MkDocs does with the pages (the sitemap, anchor checks) is untouched. Returns the function
    that unwraps it. Only called after `build_page` was given."""
    from mkdocs.commands import build as build_module

    original = build_module._build_page

    def _build_page(page, *args, **kwargs) -> None:
        if page.file.src_uri not in names:
            original(page, *args, **kwargs)

    build_module._build_page = _build_page

    def restore() -> None:
        build_module._build_page = original

    return restore


def convert_markdown(page, config, files, md) -> tuple[str, str | None, set[str], dict]:
    """What MkDocs' `Page.render` (1.6) does with `md` (a markdown.Markdown): the HTML, the page's
    title from its first heading, the anchor ids of its Markdown, and its links to anchors of
    other pages. Without its raw-HTML preprocessor, whose only work is a second parse of the raw
    HTML for its ids: the caller finds them otherwise. Only called when `private_hooks()`; else
    pages go through `Page.render` itself."""
    from mkdocs.structure import pages

    anchors = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative = pages._RelativePathTreeprocessor(page.file, files, config)
    relative._register(md)
    title = pages._ExtractTitleTreeprocessor()
    title._register(md)
    html = md.convert(page.markdown)
    return html, title.title, anchors.present_anchor_ids, relative.links_to_anchors


def title_from_render(page) -> str | None:
    """The title `Page.render` found in the page's first heading (MkDocs' `_title_from_render`)."""
    return page._title_from_render


def set_title_from_render(page, title: str | None) -> None:
    """For a page whose rendering is known from the last build (or passed through as written):
    the title `Page.render` would have found. Only called when `private_hooks()`."""
    page._title_from_render = title


# --- MkDocs and watchdog: `mkdocs serve` ----------------------------------------------------------

def poll_every(server, seconds: float) -> None:
    """Has the live-reload server's observer (watchdog's) poll the watched folders this often, if
    less often now. Without it: MkDocs' own interval (0.5 s)."""
    observer = getattr(server, "observer", None)
    if private_hooks() and observer is not None and getattr(observer, "_timeout", 0) > seconds:
        observer._timeout = seconds


def make_rebuilds_dirty(builder) -> None:
    """`mkdocs serve` rebuilds everything unless started with --dirty; the dossier's pages know
    whether they changed (incremental.py), so its rebuilds are made dirty ones. MkDocs 1.6's serve
    builder reads the flag from its closure (`is_dirty`). Without it: every rebuild is complete."""
    if not private_hooks():
        return
    code = getattr(builder, "__code__", None)
    cells = dict(zip(code.co_freevars if code else (), getattr(builder, "__closure__", None) or ()))
    cell = cells.get("is_dirty")
    if cell is not None and cell.cell_contents is False:
        cell.cell_contents = True


def can_ask_for_rebuild(server) -> bool:
    """Whether `ask_for_rebuild` works on this server. Without it: no first pass of the edited
    pages under serve; every rebuild builds every changed page at once."""
    return private_hooks() and hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild")


def ask_for_rebuild(server) -> None:
    """What the live-reload server does when a watched file changes: another build follows."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


# --- MkDocs and Material: search ------------------------------------------------------------------

def material_search_reader() -> tuple:
    """Material's HTML reader for search, which search.py's quicker SearchParser extends: its
    (Parser, Section, Element, void). With another Material, where they may be gone, stand-ins:
    SearchParser is then never used (`private_hooks()` is False)."""
    try:
        from material.plugins.search.plugin import Element, Parser, Section, void
    except ImportError:
        return object, None, None, frozenset()
    return Parser, Section, Element, void


def wrap_search_entries(index, wrapper: Callable) -> bool:
    """Material's search index makes each page's entries in `add_entry_from_context(page)`: it is
    replaced by `wrapper(original, page)`. False (nothing done): the entries are made by Material
    alone, and the caller keeps none of them."""
    if not private_hooks():
        return False
    original = index.add_entry_from_context
    index.add_entry_from_context = lambda page: wrapper(original, page)
    return True


def replace_event(config, event: str, method, replacement) -> None:
    """A plugin's handler of an event (`method`) replaced by `replacement` in MkDocs' list of the
    event's handlers. Only called after `wrap_search_entries` returned True."""
    handlers = config.plugins.events[event]
    for n, handler in enumerate(handlers):
        if handler == method:
            handlers[n] = replacement


# --- Jinja ----------------------------------------------------------------------------------------

class QuickContext(Context):
    """Jinja's `Context.call`, through which every call in a template goes, asks each callable
    and its `__call__` whether it wants the context passed, with `hasattr`, which raises and catches
    an AttributeError each time it is not (three per call; about a tenth of the rendering's CPU at
    1,000 articles). A Python function or method says so in its own `__dict__` (that is where
    `pass_context` puts it), and a macro never does: these are answered there, and the same call
    is made. Anything else goes to Jinja's `call`."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        kind = type(__obj)
        if kind is MethodType and type(__obj.__func__) is FunctionType:
            plain = "jinja_pass_arg" not in __obj.__func__.__dict__
        elif kind is FunctionType:
            plain = "jinja_pass_arg" not in __obj.__dict__
        else:
            plain = kind is Macro
        if not plain:
            return Context.call(__self, __obj, *args, **kwargs)
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


def quicken_calls(env) -> None:
    """Templates of `env` call functions through QuickContext. Without it: through Jinja's Context."""
    if private_hooks():
        env.context_class = QuickContext


def wrap_root_render(template, wrapper: Callable) -> bool:
    """A template's whole rendering (Jinja's `root_render_func(context)`, a generator of text)
    replaced by `wrapper(original, context)`. False (nothing done): the template renders as it is."""
    if not private_hooks():
        return False
    original = template.root_render_func
    template.root_render_func = lambda context: wrapper(original, context)
    return True


# --- syntok ---------------------------------------------------------------------------------------

def syntok_states():
    """syntok's segmenter states (its `State` class: terminals, brackets and quotes), or None: the
    dossier then asks syntok about every paragraph, even one it cannot split."""
    if not private_hooks():
        return None
    from syntok._segmentation_states import State

    return State
