"""Output folders replaced whole: a build writes a new folder beside the old one, then swaps it in,
so a failed build never leaves half a site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .errors import DossierError, Problem


def swap_in(new: Path, site: Path) -> None:
    """`new` takes the place of `site`; the old `site`, if any, is removed after the swap."""
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}.old-{os.getpid()}")
        site.rename(old)
    new.rename(site)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def refuse_inside_content(folder: Path, content: Path, what: str) -> None:
    """A folder the build writes (the cache, an alignment) must not be content/ or inside it:
    content/ is the maintainer's alone, and the files written there would come back to the next
    build as unknown files or articles that are not."""
    folder, content = folder.resolve(), content.resolve()
    if folder == content or content in folder.parents:
        raise DossierError(Problem(str(folder), None, f"the {what} must not be inside the content folder",
                                   "choose a folder outside content/"))
