"""The whole pipeline, top to bottom: content/ in, a Dossier out.

    load -> clean -> segment -> read languages -> align -> anchor

`run` calls each stage itself; cache.py only wraps a stage, taking its result from the cache
where its inputs are unchanged. No stage writes anything but the caches. Each stage reports its
progress at INFO level."""

from __future__ import annotations

import dataclasses
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from . import align as aligner  # looked up when called: tests count the calls to align_incremental
from .anchor import AnchorMemo, anchor, check_references
from .cache import AlignmentStore, KeptAlignment, SegmentStore, cached_alignment, cached_per_article
from .clean import clean
from .compat import private_hooks
from .errors import Collector, DossierError
from .folders import refuse_inside_content
from .languages import assign as assign_languages
from .languages import notes as language_notes
from .load import load
from .model import Alignment, Article, CleanArticle, CleaningRule, Dossier, Passage
from .segment import segment

log = logging.getLogger("mkdocs.plugins.dossier")


@contextmanager
def stage(name: str):
    started = time.perf_counter()
    yield
    log.info("dossier: %s in %.2f s", name, time.perf_counter() - started)


@dataclass(frozen=True)
class Segmented:
    """One article cleaned, and its passages."""
    article: CleanArticle
    passages: tuple[Passage, ...]


def clean_and_segment(article: Article, shared_rules: tuple[CleaningRule, ...]) -> Segmented:
    """Cleaning and segmentation of one article: cached and spread over workers together, per article."""
    cleaned = clean(article, shared_rules)
    return Segmented(cleaned, segment(cleaned))


@dataclass
class Memo:
    """What the last run made from each input, by content. `mkdocs serve` keeps one between
    rebuilds, so an edit re-parses, re-segments and re-aligns only what it touched."""
    articles: dict = field(default_factory=dict)  # (path, bytes) -> (Article, its translated_from reference)
    segments: dict = field(default_factory=dict)  # segment key -> Segmented
    alignment: KeptAlignment = field(default_factory=KeptAlignment)
    writes: dict = field(default_factory=dict)  # cache files to write once the pages are served: name -> writer
    anchors: AnchorMemo = field(default_factory=AnchorMemo)  # what each annotation's target gave

    def defer(self, name: str, write) -> None:
        self.writes[name] = write

    def write_deferred(self) -> None:
        """Writes what the last runs left for later (a newer writer of a file replaced an older one)."""
        writes, self.writes = self.writes, {}
        for write in writes.values():
            write()


@dataclass(frozen=True)
class Read:
    """The content up to the aligner: loaded, cleaned, segmented, its languages read."""
    source: object  # load.Source
    cleaned: tuple[CleanArticle, ...]
    passages: tuple[Passage, ...]
    languages: dict
    warnings: tuple


def run(content: Path, cache: Path | None = None, memo: Memo | None = None, progress=None, defer=None,
        alignment: Path | None = None) -> Dossier:
    """`cache`: a folder for alignment and segmentation results keyed by content hash (None: none).
    `progress`: a progress.Progress, for the counts of the aligner's long steps on a terminal.
    `defer(name, write)`: takes the writing of a cache file (without a `memo`, whose own `defer`
    holds writes until the pages are served); None: written at once.
    `alignment`: a folder a corpus alignment was written to (`build.py align --out`): this
    dossier, a slice of that corpus, reads its alignment there instead of aligning."""
    defer = memo.defer if memo else defer
    if cache is not None:
        refuse_inside_content(cache, content, "cache folder")
    read = read_content(content, cache, memo, defer)
    source, cleaned, passages, languages = read.source, read.cleaned, read.passages, read.languages
    language_warnings = read.warnings
    if alignment is not None:
        from .align.distributed import read as read_alignment

        with stage(f"read the alignment of {len(passages)} passages from {alignment}"):
            found = read_alignment(alignment, passages)
    else:
        with stage(f"aligned {len(passages)} passages"):
            try:
                found = cached_alignment(aligner.align_incremental, passages, source.alignment_rules,
                                         AlignmentStore(cache, memo.alignment if memo else None, defer), progress)
            except DossierError as exc:  # a rule quoting an edited or removed article
                unaligned = Dossier(meta=source.meta, articles=cleaned, passages=passages, alignment=Alignment((), ()),
                                    content_dir=str(content), languages=languages)
                raise with_annotation_problems(exc, unaligned, source.annotations) from None
    alignment = found
    dossier = Dossier(meta=source.meta, articles=cleaned, passages=passages, alignment=alignment,
                      content_dir=str(content), languages=languages)
    with stage(f"anchored {len(source.annotations)} annotations"):
        problems = Collector()
        check_references(source.annotations, cleaned, [v.id for v in source.meta.verdicts], problems)
        anchors, warnings = anchor(dossier, source.annotations, problems, memo.anchors if memo else None)
        problems.raise_if_any()
    return dataclasses.replace(dossier, annotations=source.annotations, anchors=anchors,
                               warnings=source.warnings + language_warnings + warnings)


def with_annotation_problems(error: DossierError, unaligned: Dossier, annotations) -> DossierError:
    """The alignment rules' problems and the annotations' together: removing or editing an article
    often breaks both, and the maintainer is shown every place to fix at once, not the rules' first
    and the notes' on the next run. Anchoring without links finds every problem of a note's own
    target; only the passages it is carried to need the links."""
    problems = Collector()
    problems.extend(error)
    check_references(annotations, unaligned.articles, [v.id for v in unaligned.meta.verdicts], problems)
    anchor(unaligned, annotations, problems)
    return DossierError(problems.problems)


def read_content(content: Path, cache: Path | None = None, memo: Memo | None = None, defer=None) -> Read:
    """Every stage before the aligner."""
    private_hooks()  # decided (and said, when they may not be used) before any worker forks
    with stage("loaded content"):
        source = load(content, memo.articles if memo else None)
    with stage(f"cleaned and segmented {len(source.articles)} articles"):
        segmented = cached_per_article(clean_and_segment, source.articles, source.cleaning,
                                       SegmentStore(cache, memo.segments if memo else None, defer))
        cleaned = tuple(one.article for one in segmented)
        passages = tuple(p for one in segmented for p in one.passages)
    with stage("read the language of each article"):
        passages, languages, language_warnings = assign_languages(cleaned, passages)
        for note in language_notes(languages, cleaned):
            log.info("dossier: %s", note)
    return Read(source, cleaned, passages, languages, emptied_warnings(cleaned) + tuple(language_warnings))


def emptied_warnings(cleaned: tuple[CleanArticle, ...]) -> tuple[str, ...]:
    """An article the cleaning left without a paragraph: a rule that matches too much (often a
    `rest: true` one), or a text saved without its body. Built all the same, it compares nothing."""
    return tuple(f"{a.article.path}:{a.removed[0].line}: the cleaning removed every paragraph of '{a.id}' "
                 f"(rules: {', '.join(dict.fromkeys(r.rule for r in a.removed))}); nothing of it is compared "
                 f"(see the removed text at the foot of its page)"
                 for a in cleaned if not a.paragraphs and a.removed)
