"""Shared fixtures: one full build of the seed dossier per session, and fixture dossiers in tmp_path."""

from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

from paths import ROOT  # noqa: E402

SEED_CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def seed_site(tmp_path_factory) -> Path:
    """The seed dossier built once, by the same code path as `python build.py`."""
    from dossier.cli import build

    site = tmp_path_factory.mktemp("seed") / "site"
    build(SEED_CONTENT, site, ROOT / "mkdocs.yml", strict=True, quiet=True)
    return site


@pytest.fixture(scope="session")
def seed_export(seed_site) -> dict:
    return json.loads((seed_site / "export" / "dossier.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_dossier():
    from dossier.pipeline import run

    return run(SEED_CONTENT)


class FixtureDossier:
    """Writes a small dossier into a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        self.content = root / "content"
        (self.content / "articles").mkdir(parents=True)
        self.write("dossier.yml", "title: Fixture dossier\nlanguage: en\n")

    def write(self, relative: str, text: str | bytes) -> Path:
        path = self.content / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, article_id: str, body: str, **meta) -> Path:
        fields = {"title": f"Title of {article_id}", "outlet": f"Outlet {article_id}", **meta}
        front = "\n".join(f"{k}: {json.dumps(v)}" for k, v in fields.items())
        return self.write(f"articles/{article_id}.md", f"---\n{front}\n---\n{textwrap.dedent(body).strip()}\n")

    def copy_seed(self) -> None:
        shutil.rmtree(self.content)
        shutil.copytree(SEED_CONTENT, self.content)


@pytest.fixture
def fixture_dossier(tmp_path) -> FixtureDossier:
    return FixtureDossier(tmp_path)
