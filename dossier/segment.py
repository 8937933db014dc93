"""Stage 3: paragraphs into sentence passages with readable, stable ids."""

from __future__ import annotations

import re

import syntok.segmenter as syntok

from .model import CleanArticle, Passage
from .text import normalise

PARAGRAPH_GAP = "\n\n"
_NO_WORDS = re.compile(r"[\W_]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of one paragraph, found by syntok.

    A "sentence" with no word in it (a stray closing quote after a space) joins the one before,
    so no passage is bare punctuation and no character is lost.
    """
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
