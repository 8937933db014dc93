"""Stage 3: paragraphs into sentence passages with readable, stable ids."""

from __future__ import annotations

import re
from functools import lru_cache

import syntok.segmenter as syntok

from .compat import syntok_states
from .model import CleanArticle, Passage
from .text import normalise

PARAGRAPH_GAP = "\n\n"
_NO_WORDS = re.compile(r"[\W_]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, found by syntok.

    A "sentence" with no word in it (a stray closing quote after a space) joins the one before,
    so no passage is bare punctuation and no character is lost.
    """
    return _one_sentence(text) or _syntok_spans(text)


@lru_cache(maxsize=1)
def _limits() -> tuple[re.Pattern, re.Pattern] | None:
    """Where syntok may end a sentence: its terminals and opening brackets (a bracket may hold a
    sentence of its own), and line breaks; and the closing quotes and brackets that may follow a
    last terminal. Read from syntok's own segmenter states, so the shortcut follows the installed
    version; None (no shortcut) where they may not be read (compat.py)."""
    states = syntok_states()
    if states is None:
        return None
    terminals = "".join(sorted(t for t in states.terminals if len(t) == 1))  # "..." is made of "."
    may_split = re.compile("[" + re.escape(terminals + "".join(sorted(states.opening_brackets))) + "\n]")
    ending = re.compile("[" + re.escape(terminals + "".join(sorted(states.closing_brackets | states.closing_quotes)))
                        + r"\s]*\Z")
    return may_split, ending


def _one_sentence(text: str) -> list[tuple[int, int]] | None:
    """The span of a paragraph that syntok cannot split (no terminal, bracket or line break before
    its closing punctuation), without running syntok: one paragraph in two of the seed articles,
    every one of the generated benchmark dossiers'. None: ask syntok."""
    limits = _limits()
    if limits is None or not text or text[0].isspace() or text[-1].isspace():  # syntok's spans at white space vary
        return None
    may_split, ending = limits
    if may_split.search(text, 0, ending.search(text).start()):
        return None
    return [(0, len(text))]


def _syntok_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for paragraph in syntok.analyze(text):
        for sentence in paragraph:
            start, end = sentence[0].offset, sentence[-1].offset + len(sentence[-1].value)
            if spans and _NO_WORDS.fullmatch(text[start:end]):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


def cleaned_text(article: CleanArticle) -> str:
    """The article's text after cleaning; passage offsets point into it."""
    return PARAGRAPH_GAP.join(p.text for p in article.paragraphs)


def segment(article: CleanArticle) -> tuple[Passage, ...]:
    """Ids read `<article>-p<paragraph>-<sentence>`: positional, so unchanged text keeps its ids."""
    passages = []
    offset = 0
    for p_index, paragraph in enumerate(article.paragraphs, start=1):
        for s_index, (start, end) in enumerate(sentence_spans(paragraph.text), start=1):
            surface = paragraph.text[start:end]
            passages.append(Passage(
                id=f"{article.id}-p{p_index}-{s_index}", article=article.id,
                paragraph=p_index, sentence=s_index, text=surface, norm=normalise(surface),
                line=paragraph.line + paragraph.text.count("\n", 0, start),
                start=offset + start, end=offset + end,
            ))
        offset += len(paragraph.text) + len(PARAGRAPH_GAP)
    return tuple(passages)
