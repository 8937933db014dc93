"""Stage 2: remove site chrome by declarative rules, recording every removed piece and its rule."""

from __future__ import annotations

import dataclasses
import re
import signal
import threading
from contextlib import contextmanager

from .errors import DossierError, Problem
from .model import Article, ArticleMeta, CleanArticle, CleaningRule, Paragraph, Removed

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
METADATA = {field.name for field in dataclasses.fields(ArticleMeta)}  # what a placeholder may name


def _compile(rule: CleaningRule, article: Article) -> re.Pattern | None:
    """Substitute {{field}} with the article's metadata; a rule naming unknown metadata does not apply."""
    missing = False

    def fill(match: re.Match) -> str:
        nonlocal missing
        value = getattr(article.meta, match.group(1), None) if match.group(1) in METADATA else None
        if not value:
            missing = True
            return ""
        return re.escape(value)

    pattern = PLACEHOLDER.sub(fill, rule.pattern)
    if missing:
        return None
    try:
        return compile_pattern(pattern)
    except re.error as exc:
        raise DossierError(Problem(rule.file, rule.line, f"rule '{rule.name}': bad pattern: {exc}")) from None


def _first_match(rules: list, paragraph: Paragraph, trying: list) -> tuple[CleaningRule, re.Match] | None:
    """The first rule whose pattern matches the whole paragraph, and its match."""
    trying[1] = paragraph
    for rule, rx in rules:
        trying[0] = rule
        if rx and (match := rx.fullmatch(paragraph.text)):
            return rule, match
    return None


def compile_pattern(pattern: str) -> re.Pattern:
    """`re.compile`, whose every refusal is a `re.error` (a huge repeat count raises OverflowError,
    deep nesting RecursionError)."""
    try:
        return re.compile(pattern)
    except (OverflowError, RecursionError) as exc:
        raise re.error(str(exc) or type(exc).__name__) from None


SECONDS_PER_ARTICLE = 20  # far more than any article's rules take (milliseconds); past it, a rule backtracks without end


class _Expired(Exception):
    pass


@contextmanager
def _time_limit(seconds: float, trying: list):
    """Ends matching that outlasts `seconds` with a DossierError naming the rule and paragraph in
    `trying` (a pattern such as `(a+)+$` can take years on one paragraph). Python's regular
    expressions heed signals while they match; only the main thread receives them, so elsewhere
    (a build in a thread) there is no limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(_signum, _frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Expired:
        rule, paragraph, path = trying
        raise DossierError(Problem(rule.file, rule.line, f"rule '{rule.name}' took more than {seconds:g} s on the "
                                   f"paragraph at {path}:{paragraph.line}",
                                   "its pattern backtracks without end on that text: nested repeats such as "
                                   "(a+)+ or (\\w+\\s?)* are the usual cause")) from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def clean(article: Article, shared_rules: tuple[CleaningRule, ...]) -> CleanArticle:
    """Paragraph by paragraph, the first rule that matches the whole paragraph removes it.

    Article rules come before shared ones. A rule with `rest` also removes every later paragraph
    that no other rule claims, recorded as "<rule> (what follows)".
    """
    rules = [(rule, _compile(rule, article)) for rule in (*article.rules, *shared_rules)]
    kept: list[Paragraph] = []
    removed: list[Removed] = []
    found: dict[str, str] = {}
    rest_rule: str | None = None
    trying: list = [None, None, article.path]  # the rule and paragraph being matched, for _time_limit's message
    with _time_limit(SECONDS_PER_ARTICLE, trying):
        matches = [_first_match(rules, paragraph, trying) for paragraph in article.paragraphs]
    for paragraph, hit in zip(article.paragraphs, matches):
        if hit:
            rule, match = hit
            removed.append(Removed(paragraph.text, rule.name, paragraph.line))
            if rule.metadata and match.groupdict().get(rule.metadata) and rule.metadata not in found:
                found[rule.metadata] = match.group(rule.metadata).strip()
            if rule.rest:
                rest_rule = f"{rule.name} (what follows)"
        elif rest_rule:
            removed.append(Removed(paragraph.text, rest_rule, paragraph.line))
        else:
            kept.append(paragraph)
    # Metadata the text gives fills only fields the front matter leaves unknown.
    filled = {k: v for k, v in found.items() if getattr(article.meta, k) is None}
    meta = dataclasses.replace(article.meta, **filled)
    return CleanArticle(article=dataclasses.replace(article, meta=meta), paragraphs=tuple(kept),
                        removed=tuple(removed), meta_found=tuple(sorted(found.items())))
