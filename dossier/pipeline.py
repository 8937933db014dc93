"""The whole pipeline, top to bottom: content/ in, a Dossier out. No stage writes anything
but the alignment cache. Each stage reports its progress at INFO level."""

from __future__ import annotations

import dataclasses
import logging
import time
from contextlib import contextmanager
from pathlib import Path

from .anchor import anchor, check_references
from .cache import cached_align
from .clean import clean
from .errors import Collector
from .languages import assign as assign_languages
from .languages import notes as language_notes
from .load import load
from .model import Dossier
from .segment import segment

log = logging.getLogger("mkdocs.plugins.dossier")


@contextmanager
def stage(name: str):
    started = time.perf_counter()
    yield
    log.info("dossier: %s in %.2f s", name, time.perf_counter() - started)


def run(content: Path, cache: Path | None = None) -> Dossier:
    """`cache`: a folder for alignment results keyed by content hash (None: always align)."""
    with stage("loaded content"):
        source = load(content)
    with stage(f"cleaned and segmented {len(source.articles)} articles"):
        cleaned = tuple(clean(article, source.cleaning) for article in source.articles)
        passages = tuple(p for article in cleaned for p in segment(article))
    with stage("read the language of each article"):
        passages, languages, language_warnings = assign_languages(cleaned, passages)
        for note in language_notes(languages, cleaned):
            log.info("dossier: %s", note)
    with stage(f"aligned {len(passages)} passages"):
        alignment = cached_align(cache, passages, source.alignment_rules)
    dossier = Dossier(meta=source.meta, articles=cleaned, passages=passages, alignment=alignment,
                      content_dir=str(content), languages=languages)
    with stage(f"anchored {len(source.annotations)} annotations"):
        problems = Collector()
        check_references(source.annotations, cleaned, {v.id for v in source.meta.verdicts}, problems)
        anchors, warnings = anchor(dossier, source.annotations, problems)
        problems.raise_if_any()
    return dataclasses.replace(dossier, annotations=source.annotations, anchors=anchors,
                               warnings=source.warnings + language_warnings + warnings)
