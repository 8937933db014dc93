"""Output folders replaced whole: a build writes a new folder beside the old one, then swaps it in,
so a failed build never leaves half a site."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def swap_in(new: Path, site: Path) -> None:
    """`new` takes the place of `site`; the old `site`, if any, is removed after the swap."""
    old = None
    if site.exists():
        old = site.with_name(f".{site.name}.old-{os.getpid()}")
        site.rename(old)
    new.rename(site)
    if old:
        shutil.rmtree(old, ignore_errors=True)
