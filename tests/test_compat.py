"""dossier/compat.py, the one module that uses private parts of MkDocs, Material, Jinja, syntok and
watchdog: each private name exists in the pinned versions, and a build on public API alone makes
the same site."""

from __future__ import annotations

import inspect
import logging
import os
import re
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from types import CodeType

from paths import ROOT

from dossier import compat

# Every private name compat.py (and search.py's SearchParser, through it) uses: module, then the
# attribute path; a final `.name` written `:name` is an attribute set on instances (read in the
# code of the method named before it).
PRIVATE_NAMES = [
    "mkdocs.commands.build _build_page",
    "mkdocs.structure.pages _ExtractAnchorsTreeprocessor._register",
    "mkdocs.structure.pages _ExtractAnchorsTreeprocessor.__init__:present_anchor_ids",
    "mkdocs.structure.pages _RelativePathTreeprocessor._register",
    "mkdocs.structure.pages _RelativePathTreeprocessor.__init__:links_to_anchors",
    "mkdocs.structure.pages _ExtractTitleTreeprocessor._register",
    "mkdocs.structure.pages _ExtractTitleTreeprocessor.run:title",
    "mkdocs.structure.pages Page.render:_title_from_render",
    "mkdocs.structure.pages Page.title:_title_from_render",
    "mkdocs.livereload LiveReloadServer.__init__:_rebuild_cond",
    "mkdocs.livereload LiveReloadServer.__init__:_want_rebuild",
    "mkdocs.livereload LiveReloadServer.__init__:observer",
    "mkdocs.plugins PluginCollection.__init__:events",
    "watchdog.observers.api EventEmitter.__init__:_timeout",
    "watchdog.observers.api BaseObserver.__init__",
    "material.plugins.search.plugin Parser.__init__:context",
    "material.plugins.search.plugin Parser.__init__:data",
    "material.plugins.search.plugin Parser.__init__:section",
    "material.plugins.search.plugin Parser.__init__:keep",
    "material.plugins.search.plugin Section.__init__:title",
    "material.plugins.search.plugin Section.__init__:text",
    "material.plugins.search.plugin Section.__init__:depth",
    "material.plugins.search.plugin Section.__init__:el",
    "material.plugins.search.plugin Section.is_excluded",
    "material.plugins.search.plugin Element.__init__:tag",
    "material.plugins.search.plugin Element.__init__:attrs",
    "material.plugins.search.plugin void",
    "material.plugins.search.plugin SearchIndex.add_entry_from_context",
    "material.plugins.search.plugin SearchIndex.create_entry_for_section",
    "material.plugins.search.plugin SearchIndex.generate_search_index",
    "material.plugins.search.plugin SearchIndex.__init__:entries",
    "material.plugins.search.plugin SearchPlugin.on_page_context",
    "material.plugins.search.plugin SearchPlugin.on_config:search_index",
    "jinja2.runtime Context.call",
    "jinja2.environment Template._from_namespace:root_render_func",
    "syntok._segmentation_states State.terminals",
    "syntok._segmentation_states State.opening_brackets",
    "syntok._segmentation_states State.closing_brackets",
    "syntok._segmentation_states State.closing_quotes",
]


def _names_in(code: CodeType) -> set[str]:
    """The attribute names a function's code reads or sets, its nested functions' too."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names_in(const)
    return names


def missing(entry: str) -> bool:
    module_name, path = entry.split()
    path, _, instance_attribute = path.partition(":")
    obj = import_module(module_name)
    for part in path.split("."):
        if not hasattr(obj, part):
            return True
        obj = inspect.getattr_static(obj, part)
    if instance_attribute:  # the function itself, or a property's or classmethod's (MkDocs has a property of its own)
        function = next(f for f in (getattr(obj, attribute, None) for attribute in ("fget", "func", "__func__"))
                        if f is not None) if not hasattr(obj, "__code__") else obj
        return instance_attribute not in _names_in(function.__code__)
    return False


def test_the_pinned_versions_are_the_locked_ones_and_installed():
    locked = dict(line.strip().lower().split("==") for line in (ROOT / "requirements.lock").read_text().splitlines()
                  if "==" in line)
    assert {name: locked[name] for name in compat.PINNED} == compat.PINNED
    assert {name: compat.installed_version(name) for name in compat.PINNED} == compat.PINNED
    assert compat.private_hooks()


def test_another_version_turns_the_private_hooks_off_and_says_so_once(monkeypatch, caplog):
    monkeypatch.setitem(compat.PINNED, "syntok", "0.1")
    compat.private_hooks.cache_clear()
    try:
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.dossier"):
            assert not compat.private_hooks() and not compat.private_hooks()
            assert compat.build_page() is None and compat.syntok_states() is None
    finally:
        compat.private_hooks.cache_clear()
    said = [r.getMessage() for r in caplog.records if "public API only" in r.getMessage()]
    assert said == [f"dossier: syntok {compat.installed_version('syntok')} installed, not the version pinned in "
                    "requirements.lock: building with public API only (slower; the same site)"]


def test_every_private_name_exists_in_the_pinned_versions():
    assert [entry for entry in PRIVATE_NAMES if missing(entry)] == []
    assert missing("mkdocs.structure.pages Page.render:_no_such_attribute")  # the check can fail
    # `mkdocs serve` reads whether a rebuild is dirty from its builder's closure
    from mkdocs.commands.serve import serve

    builder = next(c for c in serve.__code__.co_consts if isinstance(c, CodeType) and c.co_name == "builder")
    assert "is_dirty" in builder.co_freevars


def test_every_private_name_used_is_listed():
    """compat.py names each private attribute it touches in PRIVATE_NAMES above (a new hook is
    listed, so its existence is tested), and no other module of the dossier uses one."""
    source = inspect.getsource(compat)
    used = set(re.findall(r"[.](_[A-Za-z]\w*)|import (_[A-Za-z]\w*)", source))
    used = {name for pair in used for name in pair if name}
    listed = {part for entry in PRIVATE_NAMES for part in re.split(r"[ .:]", entry) if part.startswith("_")}
    assert used and used <= listed, used - listed
    for path in sorted((ROOT / "dossier").glob("*.py")):
        if path.name == "compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in (r"from (?:mkdocs|material|jinja2|syntok|watchdog)\S* import [^\n]*\b_[a-z]",
                        r"(?:mkdocs|material|jinja2|syntok|watchdog)[\w.]*\._[a-z]",
                        r"\b(?:root_render_func|_rebuild_cond|_want_rebuild|_timeout|_title_from_render|_register)\b",
                        r"\bevents\[", r"\bis_dirty\b"):
            assert not re.search(pattern, text), (path.name, pattern)


def test_a_build_on_public_api_alone_makes_the_same_site(seed_site, tmp_path):
    """DOSSIER_PUBLIC_API=1 does what another version of MkDocs, Material, Jinja, syntok or
    watchdog does: every private hook is left alone. The site is the same, byte for byte; the
    build says once why it is slower."""
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8")
                      .replace("docs_dir: templates/assets", f"docs_dir: {ROOT / 'templates/assets'}")
                      .replace("content: content", f"content: {ROOT / 'content'}")
                      .replace("templates: templates", f"templates: {ROOT / 'templates'}\n      cache: {tmp_path / 'cache'}"),
                      encoding="utf-8")
    site = tmp_path / "site"
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config), "-d", str(site)],
                            capture_output=True, text=True, env={**os.environ, "DOSSIER_PUBLIC_API": "1"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("building with public API only") == 1, result.stderr
    assert snapshot(site) == {name: data for name, data in snapshot(seed_site).items() if name != ".dossier-site"}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
