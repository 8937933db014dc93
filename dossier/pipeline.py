"""The whole pipeline, top to bottom: content/ in, a Dossier out. No stage writes anything."""

from __future__ import annotations

from pathlib import Path

from .cache import cached_align
from .clean import clean
from .load import load
from .model import Dossier
from .segment import segment


def run(content: Path, cache: Path | None = None) -> Dossier:
    """`cache`: a folder for alignment results keyed by content hash (None: always align)."""
    source = load(content)
    cleaned = tuple(clean(article, source.cleaning) for article in source.articles)
    passages = tuple(p for article in cleaned for p in segment(article))
    alignment = cached_align(cache, passages, source.alignment_rules)
    return Dossier(meta=source.meta, articles=cleaned, passages=passages, alignment=alignment,
                   content_dir=str(content))
