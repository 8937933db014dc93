"""Alignment results cached by content hash, so a rebuild after editing only annotations or
templates does not re-align. The key covers every passage, the manual rules and the aligner's own
source code, so any change that could change the result misses the cache."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from . import align as align_module
from . import scoring, text
from .model import Alignment, AlignmentRule, Group, Link, Passage

log = logging.getLogger("mkdocs.plugins.dossier")
KEEP = 8  # cached results kept per cache folder, newest first


def key(passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...]) -> str:
    digest = hashlib.sha256()
    for module in (align_module, scoring, text):
        digest.update(Path(module.__file__).read_bytes())
    for p in passages:
        digest.update(f"{p.id}\x1f{p.article}\x1f{p.text}\x1e".encode())
    for r in rules:
        digest.update(repr((r.kind, r.a.article, r.a.quote, r.b.article, r.b.quote, r.note)).encode())
    return digest.hexdigest()[:40]


def load(folder: Path, digest: str) -> Alignment | None:
    path = folder / f"alignment-{digest}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    os.utime(path)  # recently used: kept longest
    return Alignment(links=tuple(Link(**item) for item in data["links"]),
                     groups=tuple(Group(g["id"], tuple(g["passages"])) for g in data["groups"]))


def save(folder: Path, digest: str, alignment: Alignment) -> None:
    """Write atomically (a crashed build never leaves half a file), then prune old entries."""
    folder.mkdir(parents=True, exist_ok=True)
    data = {"links": [vars(link) for link in alignment.links],
            "groups": [{"id": g.id, "passages": list(g.passages)} for g in alignment.groups]}
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".alignment-", suffix=".tmp")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    os.replace(temp, folder / f"alignment-{digest}.json")
    entries = sorted(folder.glob("alignment-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def cached_align(folder: Path | None, passages: tuple[Passage, ...], rules: tuple[AlignmentRule, ...]) -> Alignment:
    if folder is None:
        return align_module.align(passages, rules)
    digest = key(passages, rules)
    found = load(folder, digest)
    if found is None:
        found = align_module.align(passages, rules)
        save(folder, digest, found)
        log.info("dossier: alignment computed and cached (%s)", digest[:12])
    else:
        log.info("dossier: alignment taken from the cache (%s)", digest[:12])
    return found
