"""Alignment results kept between builds, in two layers.

1. The whole alignment by content hash: a rebuild after editing only annotations, templates or
   dossier.yml does not align at all. The key covers every passage, the manual rules and the
   aligner's own source code.
2. The pair index (`align.PairIndex`): the passages the last run scored and the pairs that linked.
   Pair scores depend on the pair alone, so after adding or editing one article only that
   article's passages are scored; the result equals a clean run's (tested).

Cleaning and segmentation are cached too, per article, by a hash of the article, the shared
cleaning rules and the code that cleans and segments (`cached_segments`).

So are the rendered pages (`load_pages`, `save_pages`): each with the digest of its inputs
(inputs.py), so a build reuses a page only where the digest is unchanged, as `mkdocs serve` does
between rebuilds. The file is named by the code and libraries that render, so new code never
reads pages that old code wrote.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import jinja2

from . import align as align_module
from . import clean as clean_module
from . import segment as segment_module
from . import text
from .parallel import map_forked
from .errors import DossierError
from .model import Alignment, AlignmentRule, Article, CleanArticle, CleaningRule, CopyGroup, Group, Link, Passage

log = logging.getLogger("mkdocs.plugins.dossier")
KEEP = 8  # cached alignments kept per cache folder, newest first
PAIR_INDEX = "pair index"  # where a memo (`mkdocs serve`) keeps the last pair index, saving a read of the cache


@lru_cache(maxsize=1)  # the aligner's code does not change while a process runs
def engine_digest() -> str:
    folder = Path(align_module.__file__).parent  # its code and its fitted weights (link_model.json)
    return _code_digest(sorted(folder.glob("*.py")) + sorted(folder.glob("*.json")) + [Path(text.__file__)])


def _code_digest(paths: list[Path], *versions: str) -> str:
    """A digest of source files (and of library versions): a cache named by it is never read by other code."""
    digest = hashlib.sha256("".join(versions).encode())
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def key(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...]) -> str:
    digest = hashlib.sha256(engine_digest().encode())
    for p in passages:
        language = f"\x1f{p.language}" if p.language else ""  # English-only keys stay as they were
        digest.update(f"{p.id}\x1f{p.article}\x1f{p.text}{language}\x1e".encode())
    for r in rules:
        digest.update(repr((r.kind, r.a.article, r.a.quote, r.b.article, r.b.quote, r.note)).encode())
    return digest.hexdigest()[:40]


def _link(item: dict) -> Link:
    item = dict(item)
    item["spans"] = tuple(tuple(span) for span in item.get("spans", ()))
    return Link(**item)


def load(folder: Path, digest: str) -> Alignment | None:
    path = folder / f"alignment-{digest}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    os.utime(path)  # recently used: kept longest
    return Alignment(links=tuple(_link(item) for item in data["links"]),
                     groups=tuple(Group(g["id"], tuple(g["passages"]), g.get("reference")) for g in data["groups"]),
                     copies=tuple(CopyGroup(c["id"], tuple(c["passages"])) for c in data.get("copies", ())))


def _now(_name: str, write) -> None:
    write()


def _write(path: Path, payload: bytes) -> None:
    """Atomically: a crashed build never leaves half a file."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(payload)
    os.replace(temp, path)


def save(folder: Path, digest: str, alignment: Alignment) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    data = {"links": [vars(link) for link in alignment.links],
            "groups": [{"id": g.id, "passages": list(g.passages), "reference": g.reference} for g in alignment.groups],
            "copies": [{"id": c.id, "passages": list(c.passages)} for c in alignment.copies]}
    _write(folder / f"alignment-{digest}.json", json.dumps(data, ensure_ascii=False).encode())
    entries = sorted(folder.glob("alignment-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def load_index(folder: Path) -> align_module.PairIndex | None:
    """The pair index of the last run with this very aligner, or None."""
    try:
        with open(folder / f"pairs-{engine_digest()}.pickle", "rb") as handle:
            found = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
        return None
    return found if isinstance(found, align_module.PairIndex) else None


def save_index(folder: Path, index: align_module.PairIndex) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("pairs-*.pickle"):  # an index from another aligner is never valid
        old.unlink(missing_ok=True)
    _write(folder / f"pairs-{engine_digest()}.pickle", pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))


def cached_align(folder: Path | None, passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...],
                 memo: dict | None = None, defer=None, progress=None) -> Alignment:
    """`memo`: the last alignment this process made or loaded, kept in memory by `mkdocs serve`.
    `defer(name, write)`: takes the writing of the alignment and the pair index for later (serve
    writes them once the pages are served: 0.5 s at 1,000 articles), else they are written now."""
    digest = key(passages, rules)
    if memo is not None and digest in memo:
        return memo[digest]
    found = load(folder, digest) if folder is not None else None
    if found is not None:
        log.info("dossier: alignment taken from the cache (%s)", digest[:12])
    elif folder is None:
        found = align_module.align_incremental(passages, rules, progress=progress)[0]
    index = memo.get(PAIR_INDEX) if memo is not None else None
    if found is None:
        found, index = _align_and_save(folder, digest, passages, rules, index, defer, progress)
    if memo is not None:
        memo.clear()
        memo[digest] = found
        if index is not None:
            memo[PAIR_INDEX] = index
    return found


def _align_and_save(folder: Path, digest: str, passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...],
                    previous: align_module.PairIndex | None = None, defer=None,
                    progress=None) -> tuple[Alignment, align_module.PairIndex]:
    """`previous`: the pair index of the last run in this process, if kept (else read from the cache)."""
    previous = previous or load_index(folder)
    found, index = align_module.align_incremental(passages, rules, previous, progress)
    (defer or _now)("alignment", lambda: save(folder, digest, found))
    (defer or _now)("pairs", lambda: save_index(folder, index))
    fresh = len(index.keys - previous.keys) if previous else len(index.keys)
    log.info("dossier: alignment computed (%s); %d of %d passages scored anew",
             digest[:12], fresh, len(index.keys))
    return found, index


@lru_cache(maxsize=1)
def segment_digest() -> str:
    """The code that cleans and segments: a change to it makes every cached segmentation stale."""
    return _code_digest([Path(module.__file__) for module in (clean_module, segment_module, text)])


@lru_cache(maxsize=4096)  # under serve the same Article objects come back: their repr is not made again
def _segment_key(article: Article, shared: tuple[CleaningRule, ...]) -> str:
    return hashlib.sha256(repr((article, shared)).encode()).hexdigest()[:32]


Segmented = tuple[CleanArticle, tuple[Passage, ...]]


def cached_segments(folder: Path | None, articles: tuple[Article, ...], shared: tuple[CleaningRule, ...],
                    memo: dict | None = None, defer=None) -> list[Segmented]:
    """Each article cleaned and segmented, or taken from the cache when neither it, the shared
    rules nor the code changed. `memo` keeps the results in memory between runs of one process;
    `defer` as for `cached_align`."""
    path = folder / f"segments-{segment_digest()}.pickle" if folder is not None else None
    known: dict[str, Segmented] = dict(memo) if memo else {}
    if path is not None and not known:
        try:
            with open(path, "rb") as handle:
                found = pickle.load(handle)
            known = found if isinstance(found, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            known = {}
    digests = [_segment_key(article, shared) for article in articles]
    todo = [k for k, digest in enumerate(digests) if digest not in known]

    def one(k: int):
        try:
            cleaned = clean_module.clean(articles[todo[k]], shared)
        except DossierError as exc:  # handed back, not raised, from a worker process
            return exc.problems
        return cleaned, segment_module.segment(cleaned)

    made = map_forked(one, len(todo))
    for found in made:
        if isinstance(found, list):
            raise DossierError(found)
    known = {**known, **{digests[k]: found for k, found in zip(todo, made)}}
    fresh = len(todo)
    used = {digest: known[digest] for digest in digests}
    results = [known[digest] for digest in digests]
    if path is not None and (fresh or len(used) != len(known)):
        def write() -> None:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("segments-*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
            _write(path, pickle.dumps(used, protocol=pickle.HIGHEST_PROTOCOL))
        (defer or _now)("segments", write)
    if memo is not None:
        memo.clear()
        memo.update(used)
    if fresh != len(articles):
        log.info("dossier: %d of %d articles cleaned and segmented anew", fresh, len(articles))
    return results


@lru_cache(maxsize=1)
def render_digest() -> str:
    """Everything but the content and the templates that shapes a rendered page: the dossier's own
    code (all of it: views, notes, facts, the aligner's diffs), Jinja, MarkupSafe and Python."""
    return _code_digest(sorted(Path(__file__).parent.rglob("*.py")), sys.version,
                        *(metadata.version(library) for library in ("jinja2", "markupsafe")))


def _pages_path(folder: Path) -> Path:
    return folder / f"pages-{render_digest()}.pickle"


def load_pages(folder: Path) -> tuple[dict[str, str], dict[str, str]] | None:
    """The pages the last build rendered, with their inputs' digests: (inputs, pages), or None."""
    try:
        with open(_pages_path(folder), "rb") as handle:
            inputs, pages = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    if not (isinstance(inputs, dict) and isinstance(pages, dict)):
        return None
    return inputs, pages


def save_pages(folder: Path, inputs: dict[str, str], pages: dict[str, str]) -> None:
    """Only pages that declare their inputs are kept: the others are rendered every time."""
    folder.mkdir(parents=True, exist_ok=True)
    path = _pages_path(folder)
    for old in folder.glob("pages-*.pickle"):  # pages of other code are never valid
        if old != path:
            old.unlink(missing_ok=True)
    kept = {md: pages[md] for md in inputs if md in pages}
    _write(path, pickle.dumps(({md: inputs[md] for md in kept}, kept), protocol=pickle.HIGHEST_PROTOCOL))


class TemplateCache(jinja2.BytecodeCache):
    """Compiled Jinja templates (the dossier's and the theme's), kept in memory for the rebuilds of
    `mkdocs serve` and, given a folder, on disk for the next build (compiling them took about 0.3 s
    of a 100-article build). Jinja keys each by the template's name and checks its source and the
    Python version, so an edited template or another Python compiles anew."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.store.get(bucket.key)
        if code is None and self.folder is not None:
            try:
                code = (self.folder / bucket.key).read_bytes()
            except OSError:
                return
        if code is not None:
            bucket.bytecode_from_string(code)  # checked there: a stale or foreign file is ignored

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = code = bucket.bytecode_to_string()
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                _write(self.folder / bucket.key, code)
            except OSError:  # a cache that cannot be written only costs the compiling next time
                pass
