"""Command line: `python build.py` (or `dossier`): build the site, `check` the content, `add` an article.

    python build.py [build] [--content DIR] [--site DIR] [--strict] [--quiet]
    python build.py check [--content DIR] [--strict]
    python build.py add PATH [--id ID] [--role ROLE] [--content DIR]
    python build.py docs [--out DIR] [--content DIR] [--config mkdocs.yml] [--cache DIR] [--strict] [--quiet]
    python build.py align --out DIR [--engine local|dask] [--scheduler ADDRESS] [--workers N] [--content DIR]

`build` and `check` take `--alignment DIR`: a dossier that is a slice of a corpus aligned with
`align --out DIR` reads that alignment instead of aligning its own.
"""

from __future__ import annotations

import argparse
import difflib
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Material 9.7+ and MkDocs announce MkDocs 2 on every run; the dossier pins mkdocs<2.
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

from .errors import DossierError, Problem  # noqa: E402
from .folders import refuse_inside_content, refuse_output, staging_folder, swap_in  # noqa: E402
from .text import counted  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MARKER = ".dossier-site"  # only a folder holding this is ever replaced by a build


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


COMMANDS = ("build", "check", "add", "docs", "align")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="build.py", description="Build, check and extend a dossier.",
                                epilog="With no command, `build` is run.")
    sub = p.add_subparsers(dest="command", metavar="{build,check,add,docs,align}")
    build_p = sub.add_parser("build", help="build the site (the default)")
    check_p = sub.add_parser("check", help="validate all content without rendering")
    add_p = sub.add_parser("add", help="add an article from a saved web page (.html) or a text file")
    docs_p = sub.add_parser("docs", help="write the generated Markdown, the assets and an mkdocs.yml that "
                                         "`mkdocs build` or `zensical build` builds without the dossier plugin")
    align_p = sub.add_parser("align", help="align a corpus, on a Dask cluster or here, into a folder that "
                                           "dossiers built from slices of it read (--alignment)")
    for sp in (build_p, check_p, add_p, docs_p, align_p):
        sp.add_argument("--content", type=Path, default=ROOT / "content", help="content folder (default: content/)")
    build_p.add_argument("--site", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    build_p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                         help="MkDocs configuration (default: mkdocs.yml)")
    docs_p.add_argument("--out", type=Path, default=ROOT / "build" / "docs",
                        help="output folder (default: build/docs/): DIR/mkdocs.yml and DIR/docs/")
    docs_p.add_argument("--config", type=Path, default=ROOT / "mkdocs.yml",
                        help="the MkDocs configuration to start from (default: mkdocs.yml)")
    for sp in (build_p, check_p, docs_p):
        sp.add_argument("--cache", type=Path, default=ROOT / ".cache",
                        help="alignment cache folder (default: .cache/)")
        sp.add_argument("--strict", action="store_true", help="treat warnings as errors")
        sp.add_argument("--quiet", action="store_true", help="print only warnings, errors and the summary line")
    for sp in (build_p, check_p):
        sp.add_argument("--alignment", type=Path, default=None,
                        help="read the alignment from a folder `align --out` wrote for a corpus this dossier is a slice of")
    align_p.add_argument("--out", type=Path, required=True, help="folder for alignment.json and passages.json")
    align_p.add_argument("--engine", choices=("dask", "local"), default="dask",
                         help="dask (the default): on a Dask cluster; local: this process and its forked workers, "
                              "keeping its pair index in --out so that a later run scores only what changed")
    align_p.add_argument("--scheduler", metavar="ADDRESS",
                         help="a Dask scheduler's address (tcp://host:8786); default: a local cluster on this machine")
    align_p.add_argument("--workers", type=int, default=None,
                         help="worker processes of the local cluster (default: one per core)")
    align_p.add_argument("--quiet", action="store_true", help="print only errors and the summary line")
    add_p.add_argument("path", type=Path, help="the saved page or text file")
    add_p.add_argument("--id", help="article id (default: from the title or file name)")
    add_p.add_argument("--role", choices=("report", "primary-source", "wire"), default="report",
                       help="primary-source (a statement others repeat) or wire (an agency story); default: report")
    return p


def paths_from_here(content: Path) -> Callable[[str], str]:
    """Messages name a file relative to the content folder's parent (`content/articles/a.md:3`), as
    the export records it; run from another folder, that path names another file (often the
    project's own content/). The command line rewrites it to a path that opens from here."""
    content = content.resolve()
    if content.parent == Path.cwd().resolve():
        return lambda text: text
    here = os.path.relpath(content)
    shown = here if not here.startswith("..") else str(content)
    named = re.compile(rf"(?<![\w./-]){re.escape(content.name)}/")
    return lambda text: named.sub(lambda _: shown + "/", text)


class _PathsFromHere(logging.Formatter):
    """Rewrites the printed line only: the record itself, which other handlers see, is left alone."""

    def __init__(self, rewrite: Callable[[str], str]) -> None:
        super().__init__("%(levelname)s: %(message)s")
        self.rewrite = rewrite

    def format(self, record: logging.LogRecord) -> str:
        return self.rewrite(super().format(record))


def _setup_logging(quiet: bool, content: Path | None = None) -> _Counter:
    counter = _Counter()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_PathsFromHere(paths_from_here(content) if content is not None else lambda text: text))
    log = logging.getLogger("mkdocs")
    log.handlers[:] = [handler, counter]
    log.propagate = False
    log.setLevel(logging.WARNING if quiet else logging.INFO)
    return counter


def build(content: Path, site: Path, config_file: Path, strict: bool, quiet: bool, cache: Path | None = None,
          alignment: Path | None = None) -> str:
    """Build into a fresh folder beside `site`, then swap: a failed build leaves `site` as it was."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from .engines import names_of_another_dossier

    content, site = content.resolve(), site.resolve()
    refuse_output(site, content, (config_file.resolve(), ROOT / "templates"), MARKER, "build")
    counter = _setup_logging(quiet, content)
    started = time.perf_counter()
    staging = staging_folder(site, "building")
    try:
        config = load_config(str(config_file), site_dir=str(staging), strict=strict)
        plugin = config.plugins["dossier"]
        for name, value in (names_of_another_dossier(Path(config.config_file_path).parent, plugin.config["content"],
                                                      content) or {}).items():
            config[name] = value
        plugin.config["content"] = str(content)
        if cache is not None:
            plugin.config["cache"] = str(cache.resolve())
        if alignment is not None:
            plugin.config["alignment"] = str(alignment.resolve())
        config.plugins.on_startup(command="build", dirty=False)  # as `mkdocs build` does
        plugin.raise_problems = True  # bad content comes back as a DossierError, reported by `main`
        mkdocs_build(config)
        (staging / MARKER).write_text("built by dossier; replaced whole by the next build\n")
        swap_in(staging, site)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary("built", plugin.dossier, counter.count, time.perf_counter() - started) + f" -> {site}"


def docs(content: Path, out: Path, config_file: Path, strict: bool, quiet: bool, cache: Path | None) -> int:
    """`build.py docs`: the tree any engine builds (engines.py)."""
    from .engines import write_tree

    counter = _setup_logging(quiet, content)
    started = time.perf_counter()
    dossier, pages = write_tree(content, out, config_file, cache, strict)
    print(summary("wrote", dossier, counter.count, time.perf_counter() - started) + f" ({pages} pages) -> {out.resolve()}")
    if not quiet:
        print(f"build it with: cd {out} && mkdocs build  (or: zensical build)", file=sys.stderr)
    return 1 if strict and counter.count else 0


def summary(verb: str, dossier, warnings: int, seconds: float) -> str:
    counts = ((len(dossier.articles), "article"), (len(dossier.passages), "passage"),
              (len(dossier.alignment.links), "link"), (len(dossier.annotations), "annotation"), (warnings, "warning"))
    return f"{verb} {', '.join(counted(n, noun) for n, noun in counts)} in {seconds:.1f} s"


def check(content: Path, quiet: bool, cache: Path, alignment: Path | None = None) -> tuple[str, list[str], list[str]]:
    """Everything a build validates (schemas, anchors, alignment rules), without rendering; also
    the articles (and quoted passages) that could not be compared across languages."""
    from .languages import notes
    from .parallel import BackgroundWrites
    from .pipeline import run

    _setup_logging(quiet, content)
    started = time.perf_counter()
    writes = BackgroundWrites()
    dossier = run(content.resolve(), cache.resolve(), defer=writes.defer,
                  alignment=alignment.resolve() if alignment is not None else None)
    for failed in writes.wait():  # checked all the same; the next run does that work again
        logging.getLogger("mkdocs.plugins.dossier").info("dossier: could not write the cache: %s", failed)
    line = summary("checked", dossier, len(dossier.warnings), time.perf_counter() - started)
    return line, list(dossier.warnings), list(notes(dossier.languages, dossier.articles))


def align(content: Path, out: Path, engine: str, scheduler: str | None, workers: int | None, quiet: bool) -> str:
    """`build.py align`: the corpus's alignment, on Dask or here, written to `out` (align/distributed.py)."""
    from .align import align_incremental
    from .align.distributed import ALIGNMENT_FILE, INDEX_FILE, align_distributed, cluster, write
    from .cache import load_index, save_index
    from .pipeline import read_content
    from .progress import Progress

    _setup_logging(quiet, content)
    started = time.perf_counter()
    refuse_inside_content(out, content, "output folder")
    if out.exists() and not out.is_dir():
        raise DossierError([_problem(out, "not a folder", "--out names the folder to write the alignment to")])
    if out.is_dir() and any(out.iterdir()) and not any((out / name).exists() for name in (ALIGNMENT_FILE, INDEX_FILE)):
        raise DossierError([_problem(out, "refusing to write into a folder that `align` did not write",
                                     f"it would replace any {ALIGNMENT_FILE} or {INDEX_FILE} there; choose a new or empty folder")])
    read = read_content(content.resolve())
    progress = Progress(enabled=not quiet)
    passages, rules, articles = read.passages, read.source.alignment_rules, len(read.cleaned)
    del read  # the articles' texts: a corpus's passages are all the aligner needs from here on
    if engine == "dask":
        with cluster(scheduler, workers) as client:
            where = scheduler or f"a local cluster of {len(client.scheduler_info()['workers'])} workers"
            found = align_distributed(passages, rules, client, progress)
    else:  # the pair index of the last local run in `out`: a run after an edit scores only what changed
        where = "this machine"
        found, index = align_incremental(passages, rules, load_index(out), progress)
    write(out, found, passages, rules, engine)
    if engine == "local":
        save_index(out, index)
    return (f"aligned {articles} articles, {len(passages)} passages: {len(found.links)} links, "
            f"{len(found.groups)} facts, {len(found.copies)} copy groups on {where} in "
            f"{time.perf_counter() - started:.1f} s -> {out.resolve()}")


def _problem(path: Path, message: str, hint: str | None = None):
    return Problem(str(path), None, message, hint)


def run() -> None:
    """The command line's entry point: `main`, then out without tearing the build's objects down
    one by one (millions at 1,000 articles: about 3 s of an exiting interpreter's time)."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:  # `chek`, or a folder without --content
        near = difflib.get_close_matches(argv[0], COMMANDS, n=1)
        parser().error(f"unknown command '{argv[0]}'; " + (f"did you mean '{near[0]}'?" if near else
                       f"the commands are {', '.join(COMMANDS)}; a folder is given with --content"))
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "build")  # `python build.py --content X` means build
    args = parser().parse_args(argv)  # usage errors exit 2
    quiet = getattr(args, "quiet", False) or bool(os.environ.get("CI")) or not sys.stderr.isatty()
    from mkdocs.exceptions import Abort, ConfigurationError

    here = paths_from_here(args.content)
    try:
        if args.command == "check":
            line, warnings, notes = check(args.content, quiet, args.cache, args.alignment)
            for warning in warnings:
                print(f"WARNING: {here(warning)}", file=sys.stderr)
            for note in notes:
                print(f"NOTE: {here(note)}", file=sys.stderr)
            print(line)
            return 1 if args.strict and warnings else 0
        if args.command == "add":
            from .ingest import add

            added = add(args.path, args.content.resolve(), args.id, role=args.role)
            print(f"added {added.path}")
            if added.missing:
                print(f"not found in the source, left null: {', '.join(added.missing)}", file=sys.stderr)
            return 0
        if args.command == "align":
            print(align(args.content, args.out, args.engine, args.scheduler, args.workers, quiet))
            return 0
        if args.command == "docs":
            return docs(args.content, args.out, args.config, args.strict, quiet, args.cache)
        print(build(args.content, args.site, args.config, args.strict, quiet, args.cache, args.alignment))
        return 0
    except DossierError as exc:
        for problem in exc.problems:
            print(here(str(problem)), file=sys.stderr)
        where = {"build": f"; {getattr(args, 'site', '')} left as it was",
                 "docs": f"; {getattr(args, 'out', '')} left as it was",
                 "align": f"; {getattr(args, 'out', '')} left as it was"}.get(args.command, "")
        print(f"{args.command} failed: {counted(len(exc.problems), 'problem')}{where}", file=sys.stderr)
        return 1
    except (Abort, ConfigurationError) as exc:
        print(f"{args.command} failed: {exc}", file=sys.stderr)
        return 1
