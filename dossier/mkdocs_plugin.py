"""The MkDocs plugin: runs the pipeline inside `mkdocs build` and `mkdocs serve`.

Generated pages never touch the disk: they are handed to MkDocs as in-memory files, so
`content/` stays the single source of truth and nothing generated can be committed by mistake.
"""

from __future__ import annotations

import gc
import logging
import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files, InclusionLevel

from .cache import TemplateCache, load_pages, save_pages
from .errors import DossierError
from .compat import ask_for_rebuild, can_ask_for_rebuild, make_rebuilds_dirty, poll_every, quicken_calls, skip_in_page_loop
from .incremental import DossierPage, PageFile, SiteState, build_ahead
from .model import Dossier
from .nav import navigation
from .parallel import BackgroundWrites
from .pipeline import Memo, run
from .progress import Progress
from .render import Rendered, render
from .text import counted
from .theme import share_partials

log = logging.getLogger("mkdocs.plugins.dossier")
POLL = 0.15  # seconds between polls of content/ and templates/ under `mkdocs serve`
FIRST_PASS_MIN = 50  # articles: from this many, serve shows an edited or added article before the rest
FIRST_PASS_NOTED = 20  # ...and an edited note before the other pages it shows on, when they are more than this


class DossierPluginConfig(base.Config):
    content = opt.Type(str, default="content")
    templates = opt.Type(str, default="templates")
    cache = opt.Type(str, default=".cache")  # alignment results by content hash; "" for none
    alignment = opt.Type(str, default="")  # a corpus alignment folder (`build.py align --out`) to read; "" for none


@dataclass
class ServeState:
    """What `mkdocs serve` carries from one rebuild to the next (MkDocs keeps plugin instances)."""
    memo: Memo = field(default_factory=Memo)  # parsed, segmented and aligned content, by content
    rendered: Rendered | None = None  # the last good rendering, its pages' inputs
    server: object | None = None  # the live-reload server, when it can be asked for a second pass
    second_pass_due: bool = False  # a first pass (the edited articles' pages) was built: the rest follows
    pages_to_keep: tuple[Path, Rendered] | None = None  # (cache folder, rendering): written when serve stops
    collect_after_build: bool = False  # the garbage collector waits for the next build (a second pass)


class DossierPlugin(BasePlugin[DossierPluginConfig]):
    def __init__(self) -> None:
        self.serve: ServeState | None = None  # None: a one-off build
        self.dossier = None  # the last built Dossier, for the CLI's summary
        self.output: Rendered | None = None  # this build's rendering
        self.set_epoch = False  # whether this build set SOURCE_DATE_EPOCH (and must unset it)
        self.site = SiteState()  # what the last build wrote
        self.compiled = TemplateCache()  # compiled templates, the dossier's and the theme's: once per process
        self.unskip = None  # undoes skip_in_page_loop after a build with pages built ahead
        self.writes = BackgroundWrites()  # a one-off build's cache files, written beside the build
        self.raise_problems = False  # bad content: a DossierError up to the caller (build.py), else MkDocs reports it

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.__init__()  # MkDocs keeps plugin instances per process: nothing carries over between sessions
        if command == "serve":
            self.serve = ServeState()
            logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)

    @property
    def second_pass_due(self) -> bool:
        return self.serve is not None and self.serve.second_pass_due

    def _dir(self, config, name: str) -> Path:
        base_dir = Path(config.config_file_path or ".").resolve().parent
        return (base_dir / self.config[name]).resolve()

    def on_pre_build(self, *, config) -> None:
        """The pipeline runs before MkDocs empties the site folder: broken content leaves it as it was.
        The cyclic garbage collector waits until the pipeline and rendering are done: each of its
        full passes walks every object of the dossier (millions at 1,000 articles), and their
        objects are freed by reference counting (about 1 s of an added article's first pass at
        1,000 articles). MkDocs' part of the build runs with it, so the peak stays as it was; except
        in a first pass under serve, which builds a few pages: there the collector's first passes
        over the millions of objects the pipeline made (about 0.5 s at 1,000 articles) would come
        before the edited page is served (MkDocs serves nothing while it builds), so they wait
        for the second pass, which follows at once, and come after its own pipeline."""
        collecting = gc.isenabled() or (self.serve is not None and self.serve.collect_after_build)
        gc.disable()
        try:
            self._run_pipeline(config)
        finally:
            if self.serve is not None:
                self.serve.collect_after_build = collecting and self.second_pass_due
            if collecting and not self.second_pass_due:
                gc.enable()

    def _resume_collector(self) -> None:
        if self.serve is not None and self.serve.collect_after_build:
            self.serve.collect_after_build = False
            gc.enable()

    def _run_pipeline(self, config) -> None:
        progress = Progress(enabled=log.isEnabledFor(logging.INFO))
        try:
            cache = self._dir(config, "cache") if self.config["cache"] else None
            self.compiled.folder = cache / "templates" if cache is not None else None  # and on disk between builds
            serve = self.serve
            dossier = run(self._dir(config, "content"), cache, serve.memo if serve else None, progress,
                          self.writes.defer, self._dir(config, "alignment") if self.config["alignment"] else None)
            rendering = time.perf_counter()
            previous = serve.rendered if serve else None
            if previous is None and cache is not None:
                previous = self._kept_pages(cache)
            only = self._first_pass(dossier)
            output = render(dossier, self._dir(config, "templates"), config.site_url, previous,
                            progress=progress.counter("rendered", "pages"), track=serve is not None or cache is not None,
                            only=only, digests_beside=serve is None, compiled=self.compiled)
            if cache is not None and output.reused < len(output.inputs):  # some page is new: keep them
                if serve:  # when serve stops: writing them at each rebuild would slow it
                    serve.pages_to_keep = (cache, output)
                else:  # now, beside MkDocs' part of the build
                    self.writes.defer("pages", lambda: save_pages(cache, output.inputs, output.pages))
            progress.done()
            log.info("dossier: rendered %d pages in %.2f s%s", len(output.pages) - output.reused,
                     time.perf_counter() - rendering, f" ({output.reused} unchanged, reused)" if output.reused else "")
        except DossierError as exc:
            progress.done()
            dossier, output = self._last_good_site(exc)
        self.dossier, self.output = dossier, output
        self.site.watch_search(config)
        self.progress = progress

    def _last_good_site(self, exc: DossierError) -> tuple[Dossier, Rendered]:
        """Bad content: its problems reported; serve goes on showing the last good site, if any."""
        if self.serve is not None:
            self.serve.second_pass_due = False
        if self.raise_problems:
            raise exc
        for problem in exc.problems:
            log.error(str(problem))
        if self.serve is None or self.serve.rendered is None:  # MkDocs prints a BuildError's message, no traceback
            again = " (fix them, then start serve again)" if self.serve else ""
            raise PluginError(f"dossier: {counted(len(exc.problems), 'problem')} in the content; nothing was built{again}") from None
        log.error("dossier: %s in the content; still serving the last good site "
                  "(save the fixed file to rebuild)", counted(len(exc.problems), "problem"))
        return self.dossier, self.serve.rendered

    @staticmethod
    def _kept_pages(cache: Path) -> Rendered | None:
        """The pages an earlier build left in the cache, to be reused where their inputs are unchanged."""
        kept = load_pages(cache)
        return Rendered(pages=kept[1], exports={}, inputs=kept[0]) if kept else None

    def _keep_pages(self) -> None:
        """Writes serve's last pages to the cache, if any was rendered anew (about 0.5 s at 1,000 articles)."""
        if self.serve is not None and self.serve.pages_to_keep is not None:
            (cache, output), self.serve.pages_to_keep = self.serve.pages_to_keep, None
            try:
                save_pages(cache, output.inputs, output.pages)
            except OSError as exc:  # the site is built; the next build renders every page again
                log.info("dossier: could not keep the rendered pages in %s: %s", cache, exc)

    def _wait_for_writes(self) -> None:
        for failed in self.writes.wait():  # the site is built; the next build does that work again
            log.info("dossier: could not write the cache: %s", failed)

    def _first_pass(self, dossier) -> set[str] | None:
        """Under serve, when articles were edited, added or removed in a large dossier: the pages of
        those articles first, every other page in a second build right after. An added article
        changes most pages of a wire dossier (the counts of who carries what), and the maintainer
        is looking at the article, not at the others. The same for an edited annotation carried to
        the passages of many articles (a claim of a wire story): its own article's page first."""
        serve = self.serve
        if serve is None:
            return None
        second, serve.second_pass_due = serve.second_pass_due, False
        if second or serve.rendered is None or serve.server is None or len(dossier.articles) < FIRST_PASS_MIN:
            return None
        before = {id(a) for a in self.dossier.articles}
        changed = [a.id for a in dossier.articles if id(a) not in before]
        annotated = [] if changed else _annotated(self.dossier, dossier)
        if not changed and not annotated and len(dossier.articles) == len(self.dossier.articles):
            return None
        serve.second_pass_due = True
        named = changed or annotated
        log.info("dossier: first pass: the pages of %s; every other page in a second pass",
                 ", ".join(named[:5]) + (" ..." if len(named) > 5 else "") if named else "the removed articles")
        if annotated:  # a note shows on its article and on every passage it is carried to: its article first
            return {f"articles/{a}.md" for a in annotated}
        return {page for a in changed for page in (f"articles/{a}.md", f"compare/{a}.md")}

    def on_files(self, files: Files, *, config) -> Files:
        self._fix_build_date()
        for warning in self.dossier.warnings:  # under --strict, MkDocs fails the build on these
            log.warning(warning)
        config.nav, listed = navigation(self.dossier, list(self.output.pages))
        for path, text in {**self.output.pages, **self.output.exports}.items():
            inclusion = InclusionLevel.NOT_IN_NAV if path in self.output.pages and path not in listed else InclusionLevel.UNDEFINED
            file = PageFile.generated(config, path, content=text, inclusion=inclusion)
            files.append(file)
            if file.is_documentation_page():
                DossierPage(None, file, config)  # becomes file.page
        return files

    def on_nav(self, nav, *, config, files):
        self.files, self.nav = files, nav
        self.site.mark([f for f in files if isinstance(f, PageFile)], config)
        if self.serve is not None and not self.site.full:
            changed = self.site.changed()
            listing = ", ".join(changed[:8]) + (" ..." if len(changed) > 8 else "")
            log.info("dossier: %s to rebuild%s", counted(len(changed), "changed page"), f": {listing}" if changed else "")
        self.built = 0
        return nav

    @event_priority(-100)  # last: pages built ahead need the environment as every plugin left it
    def on_env(self, env, *, config, files):
        if env.bytecode_cache is None:
            env.bytecode_cache = self.compiled
        quicken_calls(env)  # the theme's templates call as many functions as ours
        share_partials(env, {page.file.src_uri for page in self.nav.pages})
        self.site.skip_listed()
        self.to_build = sum(1 for f in files.documentation_pages() if f.is_modified())
        self.page_counter = self.progress.counter("built", "pages")
        ahead = [f.page for f in files.documentation_pages() if isinstance(f, PageFile) and f.is_modified()]
        counter, self.page_counter = self.page_counter, None  # workers count nothing: the parent does
        built = build_ahead(ahead, config, files, self.nav, env, self.site.search_index(), counter)
        self.page_counter = counter
        self.built = len(built)
        self.site.built_ahead(built, files)
        if built:
            self.unskip = skip_in_page_loop(set(built))
        return env

    def on_post_page(self, output: str, *, page, config) -> str:
        if self.page_counter is not None:
            self.built += 1
            self.page_counter(self.built, self.to_build)
        return output

    def on_post_build(self, *, config) -> None:
        self._unskip()
        self.progress.done()
        self.site.finish(self.files, config, self.serve is not None, index_later=self.second_pass_due)
        if self.serve is not None:
            self.serve.rendered = self.output
            if not self.serve.second_pass_due:  # the cache files a first pass left for later (written once the site is whole)
                self.serve.memo.write_deferred()
        self._wait_for_writes()
        if self.second_pass_due and self.serve.server is not None:  # ask the server for the second pass
            ask_for_rebuild(self.serve.server)
        if self.set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.set_epoch = False

    def on_build_error(self, *, error) -> None:
        self._unskip()
        self._wait_for_writes()
        self._resume_collector()
        self.site.forget()
        if self.serve is not None:
            self.serve.second_pass_due = False
        if self.set_epoch:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
            self.set_epoch = False

    def _unskip(self) -> None:
        unskip, self.unskip = self.unskip, None
        if unskip is not None:
            unskip()

    def on_shutdown(self) -> None:
        self._resume_collector()
        self._keep_pages()

    def on_serve(self, server, *, config, builder):
        # MkDocs polls watched folders every 0.5 s; content/ and templates/ are polled faster, so a
        # save is seen within POLL seconds (a poll stats every file: about 5 ms for 1,000 articles)
        poll_every(server, POLL)
        for name in ("content", "templates"):
            server.watch(str(self._dir(config, name)))
        make_rebuilds_dirty(builder)
        if can_ask_for_rebuild(server) and self.serve is not None:  # for a first pass of the edited pages (see _first_pass)
            self.serve.server = server
        return server

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



def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may leave navigation stale; the dossier's rebuilds take care of it."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _annotated(old, new) -> list[str]:
    """The articles (present in `new`) that the annotations added, removed or edited between two
    dossiers of the same articles are about, in article order; none when those annotations show
    on FIRST_PASS_NOTED articles or fewer (their own and those they are carried to): one pass then."""
    if old.annotations == new.annotations:
        return []
    edited = set(old.annotations) ^ set(new.annotations)
    about = {a.target.article for a in edited if a.target is not None}
    ids = {a.id for a in edited}
    carried = {pid for d in (old, new) for anchor in d.anchors if anchor.annotation in ids for pid in anchor.propagated}
    article_of = {p.id: p.article for p in new.passages} if carried else {}
    if len(about | {article_of.get(pid) for pid in carried}) <= FIRST_PASS_NOTED:
        return []
    return [a.id for a in new.articles if a.id in about]
