"""Immutable data passed from stage to stage. Each stage returns new objects."""

from __future__ import annotations

from dataclasses import dataclass, field

UNKNOWN = None  # metadata the text does not give stays None and is shown as "unknown"


@dataclass(frozen=True)
class Verdict:
    id: str
    label: str
    rating: int  # 5 accurate ... 1 false, for ClaimReview
    description: str | None = None


@dataclass(frozen=True)
class DossierMeta:
    title: str
    summary: str | None = None
    date: str | None = None
    language: str | None = None
    publisher: str | None = None
    verdicts: tuple[Verdict, ...] = ()


@dataclass(frozen=True)
class ArticleMeta:
    title: str | None
    outlet: str | None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    language: str | None = None
    notes: str | None = None
    role: str = "report"  # "report", "primary-source" (e.g. an official readout) or "wire" (an agency story)
    translated_from: str | None = None  # an article id or a URL: this article is a translation of it


ROLE_LABEL = {"report": "report", "primary-source": "primary source", "wire": "wire story"}
SOURCE_ROLES = ("primary-source", "wire")  # articles whose text other articles repeat


@dataclass(frozen=True)
class CleaningRule:
    name: str
    pattern: str  # full-match regex over a paragraph; {{title}}, {{author}}, {{outlet}} stand for metadata
    file: str
    line: int
    rest: bool = False  # the rest of the article goes too (e.g. after "You May Also Like")
    metadata: str | None = None  # a metadata field filled from the named group of that name


@dataclass(frozen=True)
class Paragraph:
    text: str
    line: int  # line of the paragraph's first character in its file


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    meta: ArticleMeta
    paragraphs: tuple[Paragraph, ...]
    rules: tuple[CleaningRule, ...] = ()


@dataclass(frozen=True)
class Removed:
    text: str
    rule: str
    line: int


@dataclass(frozen=True)
class CleanArticle:
    article: Article
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[Removed, ...]
    meta_found: tuple[tuple[str, str], ...] = ()  # (field, value) taken from the text itself

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def meta(self) -> ArticleMeta:
        return self.article.meta

    @property
    def name(self) -> str:
        """The one name the whole site uses for the article: its outlet, else its headline."""
        return self.meta.outlet or self.meta.title or f"Unattributed ({self.id})"

    @property
    def heading(self) -> str:
        """The title of the article's own page: its headline, else its name."""
        return self.meta.title or self.name


def display_name(article: CleanArticle) -> str:
    """How pages name an article (the templates' `display_name`)."""
    return article.name


@dataclass(frozen=True)
class Passage:
    id: str
    article: str
    paragraph: int  # 1-based, after cleaning
    sentence: int  # 1-based within the paragraph
    text: str  # surface text, exactly as in the article
    norm: str  # normalised form used for scoring
    line: int
    start: int  # character offset in the article's cleaned text
    end: int
    language: str | None = None  # BCP 47 primary tag; None: English (set by the languages stage)

    @property
    def label(self) -> str:
        return f"¶{self.paragraph}.{self.sentence}"


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    score: float
    method: str  # "auto" or "manual"
    shape: str = "1:1"  # "1:1", "2:1" (a is one of two sentences that together tell b's fact), "1:2"
    kind: str = "parallel"  # "parallel": they tell the same thing; "overlap": they share one fact
    spans: tuple = ()  # ((start, end) in a's text, (start, end) in b's text): what the two share
    explanation: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class QuoteRef:
    article: str
    quote: str
    line: int


@dataclass(frozen=True)
class AlignmentRule:
    kind: str  # "link" (assert) or "reject"
    a: QuoteRef
    b: QuoteRef
    file: str
    line: int
    note: str | None = None


@dataclass(frozen=True)
class Group:
    """A fact: passages of several articles that tell it, in reading order, each linked to the
    reference (or to most members); the pairs inside are implied, not stored as links."""
    id: str
    passages: tuple[str, ...]
    reference: str | None = None


@dataclass(frozen=True)
class CopyGroup:
    """Copies and near copies of one passage across three or more articles (wire text), stored
    once: the first member's wording is the group's most common one. Pair links inside are implied."""
    id: str
    passages: tuple[str, ...]


@dataclass(frozen=True)
class Alignment:
    links: tuple[Link, ...]
    groups: tuple[Group, ...]
    copies: tuple[CopyGroup, ...] = ()


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    date: str | None
    url: str | None = None
    quote: str | None = None
    note: str | None = None  # how the source was seen, or why it has no URL


@dataclass(frozen=True)
class Target:
    """Where an annotation applies: like a W3C TextQuoteSelector, with an optional position hint."""
    article: str
    quote: str
    prefix: str | None = None
    suffix: str | None = None
    start: int | None = None
    end: int | None = None
    headline: bool = False  # the quote is in the article's headline (cleaned out of the text), not its text
    removed: bool = False  # the quote is in a paragraph the cleaning removed (an author's biography, an appeal)
    line: int = field(default=0, compare=False)  # where the target is written, for messages


@dataclass(frozen=True)
class Criterion:
    criterion: str
    finding: str  # met, partly, not-met, not-assessable
    evidence: str
    annotations: tuple[str, ...] = ()


CLAIM_KINDS = ("correction", "wording")  # notes that check a claim and give verdicts
STAYING_KINDS = ("wording", "rating")  # notes never shown on other articles: one article's wording; an outlet


@dataclass(frozen=True)
class Annotation:
    id: str
    kind: str  # context, correction, wording (how one article words or translates something), rating
    file: str
    line: int
    target: Target | None = None
    note: str | None = None  # context: Markdown
    sources: tuple[Source, ...] = ()
    claim: str | None = None  # correction and wording fields
    verdict: tuple[str, ...] = ()
    correction: str | None = None
    checked: str | None = None
    outlet: str | None = None  # rating fields
    criteria: tuple[Criterion, ...] = ()
    overall: str | None = None
    date: str | None = None
    rationale: str | None = None
    field_lines: tuple[tuple[str, int], ...] = ()  # (field, line) where the YAML gives it

    def line_of(self, field: str) -> int:
        """The line of one of its fields, for a message about that field; else the annotation's."""
        return dict(self.field_lines).get(field, self.line)

    @property
    def checks_claim(self) -> bool:
        """A correction or a wording note: a claim, verdicts, a place on the Corrections and Claims pages."""
        return self.kind in CLAIM_KINDS

    @property
    def stays_on_its_article(self) -> bool:
        """Never shown on passages of other articles, whatever they carry."""
        return self.kind in STAYING_KINDS

    @property
    def outside_text(self) -> bool:
        """Its quote is in the headline or in removed text: no span, no passage, no parallel."""
        return bool(self.target and (self.target.headline or self.target.removed))


@dataclass(frozen=True)
class Anchor:
    """Where an annotation landed: a span of the article's cleaned text, and how it was found."""
    annotation: str
    article: str
    start: int
    end: int
    method: str  # exact, normalised, fuzzy, orphaned
    score: float  # 100 for exact and normalised
    passages: tuple[str, ...]  # the passages the span covers
    propagated: tuple[str, ...] = ()  # parallel passages in other articles that carry the same claim
    nearest: str | None = None  # orphaned: the closest passage


@dataclass(frozen=True)
class Content:
    """Everything read from content/, before any processing."""
    meta: DossierMeta
    articles: tuple[Article, ...]
    cleaning: tuple[CleaningRule, ...]
    alignment_rules: tuple[AlignmentRule, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    warnings: tuple[str, ...] = ()  # `file:line: message`, e.g. a source with neither url nor note


@dataclass(frozen=True)
class Dossier:
    meta: DossierMeta
    articles: tuple[CleanArticle, ...]
    passages: tuple[Passage, ...]
    alignment: Alignment
    content_dir: str
    annotations: tuple[Annotation, ...] = ()
    anchors: tuple[Anchor, ...] = ()
    warnings: tuple[str, ...] = ()
    languages: tuple = ()  # languages.ArticleLanguage per article, in article order
