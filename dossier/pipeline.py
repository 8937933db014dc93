"""The whole pipeline, top to bottom: content/ in, a Dossier out. No stage writes anything
but the alignment cache. Each stage reports its progress at INFO level."""

from __future__ import annotations

import dataclasses
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .anchor import anchor, check_references
from .cache import cached_align, cached_segments
from .compat import private_hooks
from .errors import Collector
from .languages import assign as assign_languages
from .languages import notes as language_notes
from .load import load
from .model import Dossier

log = logging.getLogger("mkdocs.plugins.dossier")


@contextmanager
def stage(name: str):
    started = time.perf_counter()
    yield
    log.info("dossier: %s in %.2f s", name, time.perf_counter() - started)


@dataclass
class Memo:
    """What the last run made from each input, by content. `mkdocs serve` keeps one between
    rebuilds, so an edit re-parses, re-segments and re-aligns only what it touched."""
    articles: dict = field(default_factory=dict)  # (path, bytes) -> (Article, its translated_from reference)
    segments: dict = field(default_factory=dict)  # article hash -> (CleanArticle, passages)
    alignment: dict = field(default_factory=dict)  # alignment key -> Alignment (the last one)
    writes: dict = field(default_factory=dict)  # cache files to write once the pages are served: name -> writer

    def defer(self, name: str, write) -> None:
        self.writes[name] = write

    def write_deferred(self) -> None:
        """Writes what the last runs left for later (a newer writer of a file replaced an older one)."""
        writes, self.writes = self.writes, {}
        for write in writes.values():
            write()


def run(content: Path, cache: Path | None = None, memo: Memo | None = None, progress=None, defer=None) -> Dossier:
    """`cache`: a folder for alignment and segmentation results keyed by content hash (None: none).
    `progress`: a progress.Progress, for the counts of the aligner's long steps on a terminal.
    `defer(name, write)`: takes the writing of a cache file (without a `memo`, whose own `defer`
    holds writes until the pages are served); None: written at once."""
    defer = memo.defer if memo else defer
    private_hooks()  # decided (and said, when they may not be used) before any worker forks
    with stage("loaded content"):
        source = load(content, memo.articles if memo else None)
    with stage(f"cleaned and segmented {len(source.articles)} articles"):
        segmented = cached_segments(cache, source.articles, source.cleaning, memo.segments if memo else None,
                                    defer)
        cleaned = tuple(article for article, _ in segmented)
        passages = tuple(p for _, ps in segmented for p in ps)
    with stage("read the language of each article"):
        passages, languages, language_warnings = assign_languages(cleaned, passages)
        for note in language_notes(languages, cleaned):
            log.info("dossier: %s", note)
    with stage(f"aligned {len(passages)} passages"):
        alignment = cached_align(cache, passages, source.alignment_rules, memo.alignment if memo else None,
                                 defer, progress=progress)
    dossier = Dossier(meta=source.meta, articles=cleaned, passages=passages, alignment=alignment,
                      content_dir=str(content), languages=languages)
    with stage(f"anchored {len(source.annotations)} annotations"):
        problems = Collector()
        check_references(source.annotations, cleaned, [v.id for v in source.meta.verdicts], problems)
        anchors, warnings = anchor(dossier, source.annotations, problems)
        problems.raise_if_any()
    return dataclasses.replace(dossier, annotations=source.annotations, anchors=anchors,
                               warnings=source.warnings + language_warnings + warnings)
