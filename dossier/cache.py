"""Alignment results kept between builds, in two layers.

1. The whole alignment by content hash: a rebuild after editing only annotations, templates or
   dossier.yml does not align at all. The key covers every passage, the manual rules and the
   aligner's own source code.
2. The pair index (`align.PairIndex`): the passages the last run scored and the pairs that linked.
   Pair scores depend on the pair alone, so after adding or editing one article only that
   article's passages are scored; the result equals a clean run's (tested).

Cleaning and segmentation are cached too, per article, by a hash of the article, the shared
cleaning rules and the code that cleans and segments (`cached_per_article`).

So are the rendered pages (`load_pages`, `save_pages`): each with the digest of its inputs
(inputs.py), so a build reuses a page only where the digest is unchanged, as `mkdocs serve` does
between rebuilds. The file is named by the code and libraries that render, so new code never
reads pages that old code wrote.

Every cache file carries a digest of what it holds (`_write_sealed`, `_write_json(sealed=True)`),
checked before it is read: a file damaged on disk is computed anew, where pickle, json or Jinja's
bytecode loader would take it and give a wrong page, a traceback, or a crashed interpreter.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import logging
import os
import pickle
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
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
from .model import Alignment, AlignmentRule, Article, CleaningRule, CopyGroup, Group, Link, Passage

log = logging.getLogger("mkdocs.plugins.dossier")
KEEP = 8  # cached alignments kept per cache folder, newest first
PAIR_INDEX_FORMAT = 3  # 3: each passage's strongest candidates (align.PairIndex.partners)


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


def alignment_key(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...]) -> str:
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


def load_alignment(folder: Path, digest: str) -> Alignment | None:
    path = folder / f"alignment-{digest}.json"
    data = _read_sealed_json(path)
    if data is None:
        return None
    os.utime(path)  # recently used: kept longest
    return alignment_from_data(data)


def alignment_from_data(data: dict) -> Alignment:
    return Alignment(links=tuple(_link(item) for item in data["links"]),
                     groups=tuple(Group(g["id"], tuple(g["passages"]), g.get("reference")) for g in data["groups"]),
                     copies=tuple(CopyGroup(c["id"], tuple(c["passages"])) for c in data.get("copies", ())))


def _now(_name: str, write) -> None:
    write()


@contextmanager
def _atomic(path: Path):
    """A binary file that becomes `path` once written whole: a crashed build never leaves half a file."""
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
    except BaseException:
        os.unlink(temp)
        raise
    os.replace(temp, path)


def _write(path: Path, payload: bytes) -> None:
    with _atomic(path) as out:
        out.write(payload)


SEAL_SIZE = 16  # bytes of the blake2b digest of a cache file's content


def _seal(payload) -> bytes:
    return hashlib.blake2b(payload, digest_size=SEAL_SIZE).digest()


def _write_sealed(path: Path, payload: bytes) -> None:
    """`payload` after its digest, which `_read_sealed` checks."""
    with _atomic(path) as out:
        out.write(_seal(payload))
        out.write(payload)


def _read_sealed(path: Path) -> memoryview | None:
    """What `_write_sealed` wrote; None when the file is missing, unreadable, or not what was
    written (a flipped bit, a truncated or foreign file)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    payload = memoryview(data)[SEAL_SIZE:]  # not copied: a pair index is hundreds of megabytes
    return payload if data[:SEAL_SIZE] == _seal(payload) else None


def _write_json(path: Path, data: dict, sealed: bool = False) -> None:
    """`data` (a dict) as JSON, written a list item at a time: a corpus's alignment is hundreds of
    megabytes, which need not be held whole a second time. Each item is encoded by `json.dumps`,
    whose C encoder `json.dump` never uses (a 1,000-article alignment: 0.1 s against 1.7 s).
    `sealed`: a last line holds the digest of the JSON (`_read_sealed_json`), for the cache; the
    folders `build.py align` writes hold plain JSON."""
    digest = hashlib.blake2b(digest_size=SEAL_SIZE)
    with _atomic(path) as out, io.TextIOWrapper(out, encoding="utf-8", newline="\n") as text:
        def put(piece: str) -> None:
            text.write(piece)
            if sealed:
                digest.update(piece.encode("utf-8"))

        put("{")
        for n, (key, value) in enumerate(data.items()):
            put(("," if n else "") + json.dumps(key) + ":")
            if isinstance(value, list):
                put("[")
                for k, item in enumerate(value):
                    put(("," if k else "") + json.dumps(item, ensure_ascii=False))
                put("]")
            else:
                put(json.dumps(value, ensure_ascii=False))
        put("}")
        if sealed:
            text.write("\n" + digest.hexdigest())


def _read_sealed_json(path: Path):
    """What `_write_json(sealed=True)` wrote, or None (missing, unreadable or damaged)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    body, _, seal = raw.rpartition(b"\n")
    if seal != _seal(body).hex().encode():
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def save_alignment(folder: Path, digest: str, alignment: Alignment) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(folder / f"alignment-{digest}.json", alignment_data(alignment), sealed=True)
    entries = sorted(folder.glob("alignment-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def alignment_data(alignment: Alignment) -> dict:
    """An alignment as JSON data (what `alignment_from_data` reads back)."""
    return {"links": [vars(link) for link in alignment.links],
            "groups": [{"id": g.id, "passages": list(g.passages), "reference": g.reference} for g in alignment.groups],
            "copies": [{"id": c.id, "passages": list(c.passages)} for c in alignment.copies]}


def _read_pickle(path: Path, kind: type):
    """The object a sealed pickle holds, when it is a `kind`; else None (missing, damaged, or
    written by code whose classes have changed)."""
    payload = _read_sealed(path)
    if payload is None:
        return None
    try:
        with _collector_paused():
            found = pickle.loads(payload)
    except (pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return None
    return found if isinstance(found, kind) else None


def load_index(folder: Path) -> align_module.PairIndex | None:
    """The pair index of the last run with this very aligner, or None."""
    return _read_pickle(_index_path(folder), align_module.PairIndex)


@contextmanager
def _collector_paused():
    """Unpickling a 1,000-article pair index makes a million small objects, each allocation a
    chance for the cyclic garbage collector to walk them all: paused, it loads three times quicker."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def save_index(folder: Path, index: align_module.PairIndex) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("pairs-*.pickle"):  # an index from another aligner is never valid
        old.unlink(missing_ok=True)
    _write_sealed(_index_path(folder), pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))


def _index_path(folder: Path) -> Path:
    return folder / f"pairs-v{PAIR_INDEX_FORMAT}-{engine_digest()}.pickle"


@dataclass
class KeptAlignment:
    """The last alignment a process made or loaded, kept in memory by `mkdocs serve`, with the pair
    index (kept only with a cache folder: it saves reading the index back)."""
    key: str | None = None
    alignment: Alignment | None = None
    pair_index: align_module.PairIndex | None = None


class AlignmentStore:
    """Alignments by `alignment_key` and the last pair index: in memory (`kept`), else in the
    cache folder (None: none). `defer(name, write)`: takes the writing of the files for later
    (serve writes them once the pages are served: 0.5 s at 1,000 articles), else they are written now."""

    def __init__(self, folder: Path | None, kept: KeptAlignment | None = None, defer=None):
        self.folder, self.kept, self.defer = folder, kept, defer or _now

    def get(self, digest: str) -> Alignment | None:
        if self.kept is not None and self.kept.key == digest:
            return self.kept.alignment
        found = load_alignment(self.folder, digest) if self.folder is not None else None
        if found is not None:
            log.info("dossier: alignment taken from the cache (%s)", digest[:12])
            self._keep(digest, found)
        return found

    def last_index(self) -> align_module.PairIndex | None:
        if self.folder is None:
            return None
        return (self.kept.pair_index if self.kept is not None else None) or load_index(self.folder)

    def put(self, digest: str, alignment: Alignment, index: align_module.PairIndex) -> None:
        if self.folder is not None:
            folder = self.folder
            self.defer("alignment", lambda: save_alignment(folder, digest, alignment))
            self.defer("pairs", lambda: save_index(folder, index))
        self._keep(digest, alignment, index if self.folder is not None else None)

    def _keep(self, digest: str, alignment: Alignment, index: align_module.PairIndex | None = None) -> None:
        if self.kept is not None:
            self.kept.key, self.kept.alignment = digest, alignment
            if index is not None:
                self.kept.pair_index = index


def cached_alignment(align_stage, passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...],
                     store: AlignmentStore, progress=None) -> Alignment:
    """`align_stage(passages, rules, previous pair index, progress)` -> (Alignment, PairIndex), run
    only when `store` lacks the alignment of these passages and rules, against the last pair index."""
    digest = alignment_key(passages, rules)
    found = store.get(digest)
    if found is not None:
        return found
    previous = store.last_index()
    found, index = align_stage(passages, rules, previous, progress)
    store.put(digest, found, index)
    if store.folder is not None:
        fresh = len(index.keys - previous.keys) if previous else len(index.keys)
        log.info("dossier: alignment computed (%s); %d of %d passages scored anew",
                 digest[:12], fresh, len(index.keys))
    return found


@lru_cache(maxsize=1)
def segment_digest() -> str:
    """The code that cleans and segments: a change to it makes every cached segmentation stale.
    pipeline.py holds the stage that calls both and the record it makes."""
    return _code_digest([Path(module.__file__) for module in (clean_module, segment_module, text)]
                        + [Path(__file__).with_name("pipeline.py")])


@lru_cache(maxsize=4096)  # under serve the same Article objects come back: their repr is not made again
def segment_key(article: Article, shared: tuple[CleaningRule, ...]) -> str:
    return hashlib.sha256(repr((article, shared)).encode()).hexdigest()[:32]


class SegmentStore:
    """Each article's cleaning and segmentation by `segment_key`: in `memo` between runs of one
    process (serve), else in the cache folder (None: none); `defer` as for AlignmentStore."""

    def __init__(self, folder: Path | None, memo: dict | None = None, defer=None):
        self.folder, self.memo, self.defer = folder, memo, defer or _now
        self.path = folder / f"segments-{segment_digest()}.pickle" if folder is not None else None

    def known(self) -> dict:
        if self.memo or self.path is None:
            return dict(self.memo or {})
        return _read_pickle(self.path, dict) or {}

    def keep(self, used: dict, changed: bool) -> None:
        """`used`: the results this run used, all that is kept; `changed`: they differ from `known()`."""
        if self.path is not None and changed:
            folder, path = self.folder, self.path

            def write() -> None:
                folder.mkdir(parents=True, exist_ok=True)
                for old in folder.glob("segments-*.pickle"):
                    if old != path:
                        old.unlink(missing_ok=True)
                _write_sealed(path, pickle.dumps(used, protocol=pickle.HIGHEST_PROTOCOL))
            self.defer("segments", write)
        if self.memo is not None:
            self.memo.clear()
            self.memo.update(used)


@dataclass(frozen=True)
class _Failed:
    """A stage's DossierError, handed back (not raised) from a worker process."""
    problems: list


def cached_per_article(article_stage, articles: tuple[Article, ...], shared: tuple[CleaningRule, ...],
                       store: SegmentStore) -> list:
    """`article_stage(article, shared)` for each article, taken from `store` when neither the
    article, the shared rules nor the code changed; the others computed in forked workers."""
    keys = [segment_key(article, shared) for article in articles]
    known = store.known()
    todo = [k for k, key in enumerate(keys) if key not in known]

    def one(k: int):
        try:
            return article_stage(articles[todo[k]], shared)
        except DossierError as exc:
            return _Failed(exc.problems)

    made = map_forked(one, len(todo))
    for found in made:
        if isinstance(found, _Failed):
            raise DossierError(found.problems)
    known.update((keys[k], found) for k, found in zip(todo, made))
    used = {key: known[key] for key in keys}
    store.keep(used, changed=bool(todo) or len(used) != len(known))
    if len(todo) != len(articles):
        log.info("dossier: %d of %d articles cleaned and segmented anew", len(todo), len(articles))
    return [known[key] for key in keys]


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
    found = _read_pickle(_pages_path(folder), tuple)
    if not (found and len(found) == 2 and all(isinstance(part, dict) for part in found)):
        return None
    return found


def save_pages(folder: Path, inputs: dict[str, str], pages: dict[str, str]) -> None:
    """Only pages that declare their inputs are kept: the others are rendered every time."""
    folder.mkdir(parents=True, exist_ok=True)
    path = _pages_path(folder)
    for old in folder.glob("pages-*.pickle"):  # pages of other code are never valid
        if old != path:
            old.unlink(missing_ok=True)
    kept = {md: pages[md] for md in inputs if md in pages}
    _write_sealed(path, pickle.dumps(({md: inputs[md] for md in kept}, kept), protocol=pickle.HIGHEST_PROTOCOL))


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
            sealed = _read_sealed(self.folder / bucket.key)  # Jinja would run damaged bytecode
            if sealed is None:
                return
            code = bytes(sealed)
        if code is not None:
            bucket.bytecode_from_string(code)  # checked there: a stale template or another Python is ignored

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = code = bucket.bytecode_to_string()
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                _write_sealed(self.folder / bucket.key, code)
            except OSError:  # a cache that cannot be written only costs the compiling next time
                pass
