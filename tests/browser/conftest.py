"""Browser fixtures: the seed site served over http on 127.0.0.1, and Debian's Chromium driven
by Playwright (never `playwright install`: the browser is the system's)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from serving import serve

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent.parent / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def site_url(seed_site):
    url, stop = serve(seed_site)
    yield url
    stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: page.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(f"page error: {e}"))
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def many_site(tmp_path_factory) -> Path:
    """The six-article dossier of many_outlets.py, built once per session (strict, like the seed)."""
    import many_outlets
    from dossier.cli import build

    root = tmp_path_factory.mktemp("many")
    site = root / "site"
    build(many_outlets.write(root / "content"), site, Path(__file__).resolve().parents[2] / "mkdocs.yml",
          strict=True, quiet=True, cache=root / "cache")
    return site


@pytest.fixture(scope="session")
def many_url(many_site):
    url, stop = serve(many_site)
    yield url
    stop()
