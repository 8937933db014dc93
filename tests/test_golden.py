"""Golden files: the rendered Markdown of the seed dossier, page by page.

A template or renderer change shows up here as a readable diff. When the change is intended,
regenerate the files with `make golden` (UPDATE_GOLDEN=1 pytest tests/test_golden.py) and review
the diff before committing.
"""

from __future__ import annotations

import os
from pathlib import Path

from paths import ROOT

from dossier.render import render

GOLDEN = Path(__file__).parent / "golden"


def test_rendered_pages_match_the_golden_files(seed_dossier):
    output = render(seed_dossier, ROOT / "templates")
    pages = {path.replace("/", "__"): text for path, text in output.pages.items()}
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        for old in GOLDEN.glob("*.md"):
            old.unlink()
        for name, text in pages.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
    stored = {p.name: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.md")}
    assert sorted(stored) == sorted(pages), "pages added or removed: run `make golden` and review"
    for name, text in pages.items():
        assert text == stored[name], f"{name} differs from tests/golden/{name}: run `make golden` and review the diff"
