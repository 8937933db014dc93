"""The MkDocs plugin: runs the pipeline inside `mkdocs build` and `mkdocs serve`.

Generated pages never touch the disk: they are handed to MkDocs as in-memory files, so
`content/` stays the single source of truth and nothing generated can be committed by mistake.
"""

from __future__ import annotations

import logging
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel

from .errors import DossierError
from .nav import navigation
from .pipeline import run
from .render import render

log = logging.getLogger("mkdocs.plugins.dossier")


class DossierPluginConfig(base.Config):
    content = opt.Type(str, default="content")
    templates = opt.Type(str, default="templates")
    cache = opt.Type(str, default=".cache")  # alignment results by content hash; "" for none


class DossierPlugin(BasePlugin[DossierPluginConfig]):
    def __init__(self) -> None:
        self.serving = False
        self.dossier = None  # the last built Dossier, for the CLI's summary
        self.set_epoch = False  # whether this build set SOURCE_DATE_EPOCH (and must unset it)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def _dir(self, config, name: str) -> Path:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        return (base_dir / self.config[name]).resolve()

    def on_files(self, files: Files, *, config) -> Files:
        try:
            cache = self._dir(config, "cache") if self.config["cache"] else None
            self.dossier = run(self._dir(config, "content"), cache)
            rendering = time.perf_counter()
            output = render(self.dossier, self._dir(config, "templates"), config.site_url)
            log.info("dossier: rendered %d pages in %.2f s", len(output.pages), time.perf_counter() - rendering)
        except DossierError as exc:
            if self.serving:  # keep serving; show the problems in the log
                raise PluginError(str(exc)) from None
            raise
        self._fix_build_date()
        for warning in self.dossier.warnings:  # under --strict, MkDocs fails the build on these
            log.warning(warning)
        config.nav, listed = navigation(self.dossier, list(output.pages))
        for path, text in {**output.pages, **output.exports}.items():
            inclusion = InclusionLevel.NOT_IN_NAV if path in output.pages and path not in listed else InclusionLevel.UNDEFINED
            files.append(File.generated(config, path, content=text, inclusion=inclusion))
        return files

    def _fix_build_date(self) -> None:
        """Reproducible output: MkDocs stamps pages and sitemap.xml(.gz) with the build date
        unless SOURCE_DATE_EPOCH is set; without it, the date of the dossier's latest check
        (annotations' `checked`/`date`) stands in, so the same content gives the same bytes."""
        self.set_epoch = "SOURCE_DATE_EPOCH" not in os.environ
        if self.set_epoch:
            dates = [d for a in self.dossier.annotations for d in (a.checked, a.date) if d and len(d) == 10]
            latest = max(dates, default=None)
            epoch = int(datetime.fromisoformat(latest).replace(tzinfo=timezone.utc).timestamp()) if latest else 0
            os.environ["SOURCE_DATE_EPOCH"] = str(epoch)

    def on_post_build(self, *, config) -> None:
        if self.set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.set_epoch = False

    def on_build_error(self, *, error) -> None:
        self.on_post_build(config=None)

    def on_serve(self, server, *, config, builder):
        for name in ("content", "templates"):
            server.watch(str(self._dir(config, name)))
        return server
