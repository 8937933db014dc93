"""A tree any MkDocs-style engine can build: `python build.py docs --out DIR`.

MkDocs 1.x is unmaintained, MkDocs 2.0 drops plugins and Material, and Zensical (from Material's
authors) reads `mkdocs.yml` but runs no third-party plugin. So, besides building the site itself
(mkdocs_plugin.py), the dossier can write what its plugin hands MkDocs in memory to disk:

    DIR/mkdocs.yml   the project's configuration, less the dossier plugin, with the navigation
                     the plugin would have made (nav.py) and the pages it leaves out of it
                     (`not_in_nav`), docs_dir `docs` and site_dir `site`
    DIR/docs/        the generated Markdown pages, the exports (export/*.json, *.jsonld) and
                     the static assets (the project's docs_dir: stylesheets, scripts)

`mkdocs build` (with Material, no dossier plugin) and `zensical build` each build it, from DIR,
into DIR/site, offline (tests/test_engines.py). Writing the tree again replaces it whole, except
DIR/site and DIR/.cache (Zensical's cache), which are the engines'. The pages are the same text the plugin renders;
what each engine does without the plugin is in the README and docs/architecture.md.
"""

from __future__ import annotations

import logging
import posixpath
import shutil
import time
from pathlib import Path

import yaml

from .errors import DossierError, Problem
from .folders import refuse_output, staging_folder, swap_in
from .text import counted

log = logging.getLogger("mkdocs.plugins.dossier")
MARKER = ".dossier-docs"  # only a folder holding this is ever replaced by `docs`
DOCS, SITE = "docs", "site"
# Settings that name the plugin's own folders or the output: replaced, not copied
REPLACED = ("docs_dir", "site_dir", "nav", "plugins", "not_in_nav")
KEPT = (SITE, ".cache")  # an engine's output and Zensical's cache: carried over when the tree is written again


def plugin_settings(config: dict) -> tuple[list, dict]:
    """The configuration's plugins without `dossier`, and the dossier plugin's own settings."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{k: v} if v else k for k, v in plugins.items()]
    others, ours = [], {}
    for entry in plugins:
        name = entry if isinstance(entry, str) else next(iter(entry))
        if name == "dossier":
            ours = (entry.get("dossier") if isinstance(entry, dict) else None) or {}
        else:
            others.append(entry)
    return others, ours


def names_of_another_dossier(config_dir: Path, configured_content: str, content: Path) -> dict | None:
    """The site name and description for a dossier built with a configuration written for another
    (`--content` elsewhere than the folder mkdocs.yml names): its own title and summary, from its
    dossier.yml, so that its pages are not titled and described as the configuration's dossier.
    None when the configuration is its own, or its dossier.yml has problems (the build reports them)."""
    from .errors import Collector
    from .load import load_dossier_meta

    if (config_dir / configured_content).resolve() == content.resolve():
        return None
    meta = load_dossier_meta(content, Collector())
    return {"site_name": meta.title, "site_description": meta.summary} if meta else None


def untitled(nav: list) -> list:
    """The navigation with each page's entry reduced to its path, sections kept: under the plugin a
    page's title is its own (front matter `title`, else its heading), never the title `nav` gives
    it (the plugin makes the pages before MkDocs reads `nav`), and so it is here."""
    items = []
    for item in nav:
        if isinstance(item, str):
            items.append(item)
            continue
        (title, value), = item.items()
        if isinstance(value, list):
            items.append({title: untitled(value)})
        elif isinstance(value, str):
            items.append(value)
        else:
            items.append(item)
    return items


def not_in_nav(pages: list[str], listed: set[str]) -> list[str]:
    """MkDocs `not_in_nav` patterns (gitignore style) for the pages the navigation leaves out: a
    folder when none of its pages is listed, else each page. MkDocs reports at INFO level every
    page neither in `nav` nor matched here."""
    unlisted = [p for p in pages if p not in listed]
    folders = {posixpath.dirname(p) for p in unlisted}
    whole = {d for d in folders if d and not any(posixpath.dirname(p) == d for p in listed)}
    patterns = sorted(f"/{d}/" for d in whole)
    patterns += sorted(f"/{p}" for p in unlisted if posixpath.dirname(p) not in whole)
    return patterns


def write_tree(content: Path, out: Path, config_file: Path, cache: Path | None = None,
               strict: bool = False) -> tuple[object, int]:
    """Writes the tree into a fresh folder beside `out`, then swaps it in (a failed run leaves `out`
    as it was; only a folder this wrote, holding MARKER, is replaced). `strict`: a warning fails the
    run before anything is written, as it fails a build. Returns the dossier and the number of
    pages written."""
    from .nav import navigation
    from .parallel import BackgroundWrites
    from .pipeline import run
    from .cache import load_pages, save_pages
    from .render import Rendered, render

    config_file = config_file.resolve()
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise DossierError([Problem(str(config_file), None, f"cannot read the configuration: {exc}")]) from None
    base = config_file.parent
    plugins, ours = plugin_settings(config)
    templates = (base / ours.get("templates", "templates")).resolve()
    assets = (base / config.get("docs_dir", "docs")).resolve()
    content, out = content.resolve(), out.resolve()
    refuse_output(out, content, (config_file, templates, assets), MARKER, "write")

    writes = BackgroundWrites()
    dossier = run(content, cache.resolve() if cache is not None else None, defer=writes.defer)
    started = time.perf_counter()
    kept = load_pages(cache.resolve()) if cache is not None else None  # the pages a build left, as the plugin does
    previous = Rendered(pages=kept[1], exports={}, inputs=kept[0]) if kept else None
    output = render(dossier, templates, config.get("site_url") or None, previous, track=cache is not None,
                    digests_beside=True)
    if cache is not None and output.reused < len(output.inputs):
        writes.defer("pages", lambda: save_pages(cache.resolve(), output.inputs, output.pages))
    nav, listed = navigation(dossier, list(output.pages))
    for warning in dossier.warnings:
        log.warning(warning)
    if strict and dossier.warnings:
        writes.wait()
        raise DossierError([Problem(str(out), None, f"{counted(len(dossier.warnings), 'warning')} with --strict",
                                    "nothing written; fix them, or run without --strict")])

    tree = {k: v for k, v in config.items() if k not in REPLACED}
    tree.update(names_of_another_dossier(base, ours.get("content", "content"), content) or {})
    tree["docs_dir"], tree["site_dir"] = DOCS, SITE
    theme = tree.get("theme")
    if isinstance(theme, dict) and theme.get("name") == "material":  # Zensical: Material's look, not its own
        tree["theme"] = {**theme, "variant": theme.get("variant", "classic")}
    tree["nav"] = untitled(nav)
    patterns = not_in_nav(list(output.pages), listed)
    if patterns:
        tree["not_in_nav"] = "\n".join(patterns) + "\n"
    if plugins:
        tree["plugins"] = plugins

    staging = staging_folder(out, "writing")
    try:
        docs = staging / DOCS
        if assets.is_dir():
            shutil.copytree(assets, docs)
        for path, text in {**output.pages, **output.exports}.items():
            target = docs / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        header = ("# Written by `python build.py docs` from the dossier's content: build it with `mkdocs build`\n"
                  "# (with mkdocs-material) or `zensical build`, from this folder. Do not edit: written again.\n")
        (staging / "mkdocs.yml").write_text(
            header + yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
        (staging / MARKER).write_text("written by dossier (build.py docs); replaced whole by the next run\n")
        for built in KEPT:  # what the engines made of the last tree: theirs to reuse or replace
            if (out / MARKER).exists() and (out / built).exists():
                (out / built).rename(staging / built)
        swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        for failed in writes.wait():  # written all the same; the next run does that work again
            log.info("dossier: could not write the cache: %s", failed)
    log.info("dossier: wrote %d pages in %.2f s", len(output.pages), time.perf_counter() - started)
    return dossier, len(output.pages)
