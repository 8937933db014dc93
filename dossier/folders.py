"""Output folders replaced whole: a build writes a new folder beside the old one, then swaps it in,
so a failed build never leaves half a site."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from .errors import DossierError, Problem


def staging_folder(output: Path, doing: str) -> Path:
    """A new, empty folder beside `output`, to be swapped in when complete. Made with the mode any
    new folder gets here (0755 under the usual umask), not mkdtemp's 0700, which a web server
    running as another user could not serve."""
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = output.parent / f".{output.name}.{doing}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    return staging


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
