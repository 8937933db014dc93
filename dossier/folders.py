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


def refuse_output(out: Path, content: Path, kept: tuple[Path, ...], marker: str, made: str) -> None:
    """An output folder that a build may replace whole: never content/ or inside it, never holding
    what the build reads (`kept`), never a file, and, when it holds anything, only a folder the
    build itself `made` (it holds `marker`). Paths resolved."""
    def refuse(message: str, hint: str | None = None) -> DossierError:
        return DossierError([Problem(str(out), None, message, hint)])

    if out == content or content in out.parents or out in content.parents:
        raise refuse("the output folder must not be inside the content folder or contain it")
    for path in kept:
        if out == path or out in path.parents:
            raise refuse(f"the output folder must not contain {path}")
    if out.exists() and not out.is_dir():  # swap_in would put the output in its place
        raise refuse("the output folder is a file", "choose a new or empty folder")
    if out.is_dir() and any(out.iterdir()) and not (out / marker).exists():
        raise refuse(f"refusing to replace a folder that dossier did not {made}",
                     f"no {marker} file in it; choose a new or empty folder")


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
