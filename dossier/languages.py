"""Stage between segment and align: the language of each article and passage, and which ones can be
compared with English.

- An article's language is its front matter `language` (a BCP 47 tag; its primary subtag counts);
  without one it is detected by lingua (`lingua-language-detector`, models shipped in the
  package). Where front matter gives a language and the text plainly reads as another, a warning
  says so. Serbian, Croatian and Bosnian count as one language here (one standard, two scripts).
- A passage may be in another language than its article (a quoted statement in the original):
  a passage that does not read as its article's language is detected on its own.
- Every passage is compared in English; a language with no dictionary into English is not
  compared, and each such article gets a note ("not compared: no Estonian–English resource").

A dossier whose articles are all English never loads lingua: a cheap test (the share of English
function words) clears each passage, and the aligner takes its English-only path.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from .align.crosslang import PIVOT, comparable
from .model import CleanArticle, Passage
from .text import STOPWORDS

log = logging.getLogger("mkdocs.plugins.dossier")
SAME = {"hr": "sr", "bs": "sr", "sh": "sr"}  # one language in this stage's eyes
NAMES = {"en": "English", "de": "German", "sr": "Serbian", "hr": "Croatian", "bs": "Bosnian", "es": "Spanish",
         "fr": "French", "et": "Estonian", "ru": "Russian", "it": "Italian", "pt": "Portuguese", "nl": "Dutch",
         "pl": "Polish", "uk": "Ukrainian", "cs": "Czech", "sl": "Slovene", "hu": "Hungarian", "fi": "Finnish",
         "sv": "Swedish", "da": "Danish", "tr": "Turkish", "el": "Greek", "ar": "Arabic", "zh": "Chinese",
         "ja": "Japanese", "lt": "Lithuanian", "sk": "Slovak", "mk": "Macedonian", "bg": "Bulgarian"}
DETECTABLE = tuple(NAMES)  # lingua is asked to choose among these only (quicker, fewer confusions)
MIN_WORDS = 6  # shorter passages keep their article's language
ENGLISH_SHARE = 0.12  # a passage with fewer English function words than this may be in another language
# An article without `language` is English without asking lingua when this rich in English function
# words, or a little less but with nearly all its words in English's word list.
PLAINLY_ENGLISH, PLAINLY_ENGLISH_WORDS = 0.3, 0.95
ENGLISH_WORDS, KNOWN_ZIPF = 0.8, 2.0  # ...and this share of its words in English's word list (Zipf >= 2)
CONFIDENCE = 0.8  # a passage is taken as another language only when lingua is this sure
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_PUNCTUATION = str.maketrans({c: " " for c in ".,;:!?\"“”„«»()[]—–-…"})


@dataclass(frozen=True)
class ArticleLanguage:
    article: str
    language: str  # primary subtag, e.g. "de"
    given: str | None  # the front matter's tag, if any
    detected: str | None  # what lingua read, when it was asked
    compared: bool  # False: no resource to compare it with English
    passages: tuple[tuple[str, str], ...] = ()  # (passage id, language) of passages in another language

    @property
    def name(self) -> str:
        return language_name(self.language)

    @property
    def note(self) -> str | None:
        if self.compared:
            return None
        return f"not compared: no {self.name}–English resource"


def language_name(code: str) -> str:
    return NAMES.get(code, code)


def primary(tag: str | None) -> str | None:
    return tag.split("-")[0].lower() if tag else None


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and SAME.get(a, a) == SAME.get(b, b)


def _counts(text: str) -> tuple[int, int]:
    """(English function words, words) of a text: a split and a set lookup per word, no regex
    (this runs on every passage of every dossier)."""
    words = text.lower().translate(_PUNCTUATION).split()
    return sum(map(STOPWORDS.__contains__, words)), len(words)


def english_share(text: str) -> tuple[float, int]:
    """The share of a text's words that are English function words, and its number of words."""
    stop, words = _counts(text)
    return (stop / words if words else 1.0), words


@lru_cache(maxsize=1)
def _detector():
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    codes = [getattr(IsoCode639_1, c.upper()) for c in DETECTABLE if hasattr(IsoCode639_1, c.upper())]
    # low-accuracy mode (trigrams only) loads in a fraction of a second instead of ten and reads
    # sentences of six words and more as well on the crosslang dev set
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def detect(text: str) -> tuple[str | None, float]:
    """lingua's reading of a text: (primary subtag, confidence), (None, 0) when it cannot tell."""
    totals: dict[str, float] = {}
    for value in _detector().compute_language_confidence_values(text[:3000]):
        code = value.language.iso_code_639_1.name.lower()
        totals[SAME.get(code, code)] = totals.get(SAME.get(code, code), 0.0) + value.value  # sr+hr+bs
    if not totals:
        return None, 0.0
    best = max(totals, key=totals.get)
    return best, totals[best]


def english_words_share(text: str) -> float:
    """The share of a text's words that are English words at all (wordfreq's list)."""
    from .align.freedict import zipf
    words = [w for w in text.lower().translate(_PUNCTUATION).split() if w.isalpha()]
    return sum(zipf(w) >= KNOWN_ZIPF for w in words) / len(words) if words else 1.0


def _looks_foreign(counts: tuple[int, int], language: str, text: str) -> bool:
    """Whether a passage may be in another language than its article's (then lingua is asked)."""
    stop, words = counts
    share = stop / words if words else 1.0
    if words < MIN_WORDS:
        return False
    if language == PIVOT:  # few English function words, and many words English does not have
        return share < ENGLISH_SHARE and english_words_share(text) < ENGLISH_WORDS
    return share >= 2 * ENGLISH_SHARE


def assign(articles: tuple[CleanArticle, ...], passages: tuple[Passage, ...]
           ) -> tuple[tuple[Passage, ...], tuple[ArticleLanguage, ...], tuple[str, ...]]:
    """Passages with their language set (None for English), a record per article, and warnings."""
    by_article: dict[str, list[int]] = {}
    for k, p in enumerate(passages):
        by_article.setdefault(p.article, []).append(k)
    records, warnings, languages = [], [], [None] * len(passages)
    for article in articles:
        ks = by_article.get(article.id, [])
        language, given, detected, found, said = _read_article(
            article.article.path, article.meta.language, tuple(passages[k].text for k in ks))
        warnings.extend(said)
        foreign = []
        for k, passage_language in zip(ks, found):
            if passage_language != language:
                foreign.append((passages[k].id, passage_language))
            languages[k] = passage_language
        records.append(ArticleLanguage(article.id, language, given, detected, comparable(language), tuple(foreign)))
    if all(code == PIVOT for code in languages):
        return passages, tuple(records), tuple(warnings)  # English only: passages as they were
    out = tuple(p if code == PIVOT else dataclasses.replace(p, language=code) for p, code in zip(passages, languages))
    return out, tuple(records), tuple(warnings)


@lru_cache(maxsize=20_000)  # an article read once per process: `mkdocs serve` rebuilds re-read none
def _read_article(path: str, given: str | None, texts: tuple[str, ...]
                  ) -> tuple[str, str | None, str | None, tuple[str, ...], tuple[str, ...]]:
    """An article's language, its front matter tag (if valid), what lingua read (if asked), each
    passage's language, and warnings."""
    warnings = []
    counts = [_counts(text) for text in texts]
    stop, words = sum(c[0] for c in counts), sum(c[1] for c in counts)
    share = stop / words if words else 1.0
    if given and not _TAG.fullmatch(given):
        warnings.append(f"{path}:1: language '{given}' is not a BCP 47 tag; write e.g. en, de, sr "
                        f"or sr-Cyrl (the language is detected from the text instead)")
        given = None
    language, detected = primary(given), None
    if language is None and (share >= PLAINLY_ENGLISH or (share >= ENGLISH_SHARE and english_words_share(
            " ".join(texts[:20])) >= PLAINLY_ENGLISH_WORDS)):
        language = detected = PIVOT  # plainly English: no need to load lingua
    elif language is None or language != PIVOT or (words >= MIN_WORDS and share < ENGLISH_SHARE):
        text = " ".join(texts)
        detected, confidence = detect(text) if text.strip() else (None, 0.0)
        if language is None:
            language = SAME.get(detected, detected) if detected else PIVOT
            log.info("dossier: %s: language not given, detected as %s", path, language_name(language))
        elif detected and confidence >= CONFIDENCE and not _same(language, detected):
            warnings.append(f"{path}:1: front matter says language '{given}', but the text reads "
                            f"as {language_name(detected)} ('{detected}'); fix `language` if it is wrong")
    language = SAME.get(language, language)
    found = []
    for text, count in zip(texts, counts):
        passage_language = language
        if _looks_foreign(count, language, text):
            code, confidence = detect(text)
            if code and confidence >= CONFIDENCE and not _same(code, language):
                passage_language = SAME.get(code, code)
        found.append(passage_language)
    return language, given, detected, tuple(found), tuple(warnings)


def notes(records: tuple[ArticleLanguage, ...], articles: tuple[CleanArticle, ...]) -> tuple[str, ...]:
    """One line per article (or quoted passage) that is not compared, for `check` and the build log."""
    path = {a.id: a.article.path for a in articles}
    found = [f"{path[r.article]}: {r.note} (the article is shown, but its passages are not aligned)"
             for r in records if r.note]
    for r in records:
        for pid, code in r.passages:
            if not comparable(code):
                found.append(f"{path[r.article]}: passage {pid} is in {language_name(code)}: not compared: "
                             f"no {language_name(code)}–English resource")
    return tuple(found)
