"""Command line: `python build.py` (or `dossier`) builds the site from a content folder."""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

# Material 9.7+ and MkDocs announce MkDocs 2 on every run; the dossier pins mkdocs<2.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

from .errors import DossierError, Problem  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".dossier-site"  # only a folder holding this is ever replaced by a build


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build the dossier's site from its content folder.")
    p.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    p.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml", help="MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    p.add_argument("--quiet", action="store_true", help="print only warnings, errors and the summary line")
    return p


def _setup_logging(quiet: bool) -> _Counter:
    counter = _Counter()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    log = logging.getLogger("mkdocs")
    log.handlers[:] = [handler, counter]
    log.propagate = False
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    return counter


def build(content: Path, site: Path, config_file: Path, strict: bool, quiet: bool) -> str:
    """Build into a fresh folder beside `site`, then swap: a failed build leaves `site` as it was."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    content, site = content.resolve(), site.resolve()
    if site == content or content in site.parents or site in content.parents:
        raise DossierError([_problem(site, "the output folder must not be inside the content folder or contain it")])
    for kept in (config_file.resolve(), ROOT / "templates"):
        if site == kept or site in kept.parents:
            raise DossierError([_problem(site, f"the output folder must not contain {kept}")])
    if site.is_dir() and any(site.iterdir()) and not (site / MARKER).exists():
        raise DossierError([_problem(site, "refusing to replace a folder that dossier did not build",
                                     f"no {MARKER} file in it; choose a new or empty folder")])
    counter = _setup_logging(quiet)
    started = time.perf_counter()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.building-", dir=site.parent))
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        plugin = config.plugins["dossier"]
        plugin.config["content"] = str(content)
        mkdocs_build(config)
        (staging / MARKER).write_text("built by dossier; replaced whole by the next build\n")
        _swap(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    dossier = plugin.dossier
    return (f"built {len(dossier.articles)} articles, {len(dossier.passages)} passages, "
            f"{len(dossier.alignment.links)} links, {counter.count} warnings "
            f"in {time.perf_counter() - started:.1f} s -> {site}")


def _swap(new: Path, site: Path) -> None:
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}.old-{os.getpid()}")
        site.rename(old)
    new.rename(site)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def _problem(path: Path, message: str, hint: str | None = None):
    return Problem(str(path), None, message, hint)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)  # usage errors exit 2
    from mkdocs.exceptions import Abort, ConfigurationError

    try:
        summary = build(args.content, args.site, args.config, args.strict, args.quiet)
    except DossierError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {len(exc.problems)} problem(s); {args.site} left as it was", file=sys.stderr)
        return 1
    except (Abort, ConfigurationError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(summary)
    return 0
