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
    return _one_sentence(text) or _syntok_spans(text)


# Where syntok may end a sentence: its terminals and opening brackets (a bracket may hold a
# sentence of its own), and line breaks. Closing quotes and brackets may follow a last terminal.
_SYNTOK_TERMINALS = ".!?;\u203c\u203d\u2047\u2048\u2049\u3002\ufe52\ufe57\uff01\uff0e\uff1f\uff61"
_SYNTOK_OPENING = "([{\uff5f\uff5b\uff3b\uff08\ufe5d\ufe5b\ufe59\ufd3e\u301a\u3018\u2985\u2983\u2329"
_SYNTOK_CLOSING = ")]}\uff60\uff5d\uff3d\uff09\ufe5e\ufe5c\ufe5a\ufd3f\u301b\u3019\u2986\u2984\u232a" \
                  "'\"\u00b4\u2019\u201d\u27e9\u27eb\u2e29\u3009\u300b\u301e"
_MAY_SPLIT = re.compile("[" + re.escape(_SYNTOK_TERMINALS + _SYNTOK_OPENING) + "\n]")
_ENDING = re.compile("[" + re.escape(_SYNTOK_TERMINALS + _SYNTOK_CLOSING) + r"\s]*\Z")


def _one_sentence(text: str) -> list[tuple[int, int]] | None:
    """The span of a paragraph that syntok cannot split (no terminal, bracket or line break before
    its closing punctuation), without running syntok: one paragraph in two of the seed articles,
    nearly every one of a wire story's. None: ask syntok."""
    if not text or text[0].isspace() or text[-1].isspace():  # syntok's spans at white space vary
        return None
    if _MAY_SPLIT.search(text, 0, _ENDING.search(text).start()):
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
