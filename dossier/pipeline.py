"""The whole pipeline, top to bottom: content/ in, a Dossier out. No stage writes anything."""

from __future__ import annotations

from pathlib import Path

from .align import align
from .clean import clean
from .load import load
from .model import Dossier
from .segment import segment


def run(content: Path) -> Dossier:
    meta, articles, shared_rules = load(content)
    cleaned = tuple(clean(article, shared_rules) for article in articles)
    passages = tuple(p for article in cleaned for p in segment(article))
    alignment = align(passages)
    return Dossier(meta=meta, articles=cleaned, passages=passages, alignment=alignment,
                   content_dir=str(content))
