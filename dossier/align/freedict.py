"""Bilingual dictionaries as Debian's FreeDict packages install them (`dict-freedict-deu-eng`, ...),
read offline straight from their dictd files: `freedict-XXX-eng.index` (headword, offset and
length in base 64) and `freedict-XXX-eng.dict.dz` (dictzip: gzip cut into chunks that inflate on
their own, so one entry is read without inflating the file).

Only the English words a definition gives are kept. A headword's readings are ranked by how many
of its entries give them (German "Brücke": bridge in three entries, jigger in one), then by how
common the English word is: FreeDict lists a headword's senses in no useful order (Croatian
"grad": castle, citadel, city, ...).
"""

from __future__ import annotations

import os
import re
import struct
import zlib
from functools import lru_cache
from pathlib import Path

import math

from ..text import stem

FOLDER = Path(os.environ.get("DOSSIER_FREEDICT", "/usr/share/dictd"))
_B64 = {c: n for n, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
GLOSSES = 3  # English words kept per headword
_TAG = re.compile(r"\[[^\]]*\]|\([^)]*\)|/[^/]*/")
_GRAMMAR = re.compile(r"<[^>]*>")  # a part-of-speech tag closes its gloss: "government <n>Gov."
_SKIP = ("see:", "synonym", "note:", '"')
_ENGLISH_WORD = re.compile(r"[a-z][a-z'-]*")
_FUNCTION = frozenset("a an the to of be been is are was his her its one's sb sth something someone "
                      "somebody oneself etc".split())
_PARTICLES = frozenset("off out up down in on away over back about into with for by at from".split())
# Ding keys a verb's entries with its objects or subject ("jdn. töten", "etw. sagen", "er/sie tötet",
# dots and slashes dropped in the index): the verb's own senses, read under the bare verb.
DING_PLACEHOLDERS = frozenset("etw jdn jdm jds jdnetw jdmetw etwjdn ersie ichersie".split())
_SUBJECTS = frozenset("i he she yourself himself herself themselves".split())  # "er/sie tötet": he/she kills; "sich erschießen"


@lru_cache(maxsize=1)
def _frequencies() -> dict[str, float]:
    from .tokens import wordfreq  # imported when first needed

    return wordfreq().get_frequency_dict("en")


def zipf(word: str) -> float:
    """wordfreq's Zipf frequency of an English word, read from its table (much quicker than
    `zipf_frequency` for many words; 0 for a word it does not have)."""
    found = _frequencies().get(word)
    return math.log10(found) + 9 if found else 0.0


def _number(text: str) -> int:
    n = 0
    for ch in text:
        n = n * 64 + _B64[ch]
    return n


class DictZip:
    """Random access to a dictzip file (a plain gzip file is inflated whole instead)."""

    def __init__(self, path: Path):
        self.handle = open(path, "rb")
        header = self.handle.read(12)
        self.chunks: list[tuple[int, int]] | None = None
        self.whole: bytes | None = None
        if header[3] & 4:  # FEXTRA: look for the RA (random access) subfield
            (xlen,) = struct.unpack("<H", header[10:12])
            extra = self.handle.read(xlen)
            at = 0
            while at + 4 <= len(extra):
                sub, length = extra[at:at + 2], struct.unpack("<H", extra[at + 2:at + 4])[0]
                if sub == b"RA":
                    _, self.chunk_length, count = struct.unpack("<HHH", extra[at + 4:at + 10])
                    sizes = struct.unpack(f"<{count}H", extra[at + 10:at + 10 + 2 * count])
                    start = 12 + xlen
                    if header[3] & 8:  # FNAME
                        self.handle.seek(start)
                        while self.handle.read(1) not in (b"\0", b""):
                            start += 1
                        start += 1
                    if header[3] & 16:  # FCOMMENT
                        self.handle.seek(start)
                        while self.handle.read(1) not in (b"\0", b""):
                            start += 1
                        start += 1
                    self.chunks = []
                    for size in sizes:
                        self.chunks.append((start, size))
                        start += size
                at += 4 + length
        if self.chunks is None:
            import gzip
            self.whole = gzip.open(path).read()

    def read(self, offset: int, length: int) -> bytes:
        if self.whole is not None:
            return self.whole[offset:offset + length]
        first, last = offset // self.chunk_length, (offset + length - 1) // self.chunk_length
        data = b"".join(self._chunk(n) for n in range(first, last + 1))
        start = offset - first * self.chunk_length
        return data[start:start + length]

    @lru_cache(maxsize=256)  # noqa: B019 (one reader per dictionary and process)
    def _chunk(self, n: int) -> bytes:
        start, size = self.chunks[n]
        self.handle.seek(start)
        return zlib.decompressobj(-15).decompress(self.handle.read(size))


def english_words(definition: str) -> list[str]:
    """The English words a dictd definition gives, most common first: glosses of one word, then
    (only when there are none) the main word of two-word glosses; function words dropped."""
    single: dict[str, float] = {}
    double: dict[str, float] = {}
    for line in definition.split("\n")[1:]:
        stripped = line.strip()
        if not stripped or stripped.lower().startswith(_SKIP):
            continue
        stripped = re.sub(r"^\d+\.\s*", "", _TAG.sub(" ", _GRAMMAR.sub(",", stripped)))
        for gloss in re.split(r"[,;]", stripped):
            words = [w for w in _ENGLISH_WORD.findall(gloss.lower()) if w not in _FUNCTION]
            content = [w for w in words if w not in _PARTICLES]
            if len(words) == 1:
                single[words[0]] = zipf(words[0])
            elif len(words) == 2 and content:
                head = content[0]
                double[head] = zipf(head)
    found = single or double
    return sorted((w for w in found if found[w] >= 1.0), key=lambda w: (-found[w], w))


class Dictionary:
    """One FreeDict X-English dictionary: headword -> English words."""

    def __init__(self, code: str, folder: Path = FOLDER):
        self.code = code
        base = folder / f"freedict-{code}-eng"
        self.index: dict[str, list[tuple[int, int]]] = {}
        for line in (base.with_suffix(".index")).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 3 or parts[0].startswith("00database"):
                continue
            self.index.setdefault(parts[0].lower(), []).append((_number(parts[1]), _number(parts[2])))
        self.data = DictZip(base.with_suffix(".dict.dz"))

    def __contains__(self, word: str) -> bool:
        return word in self.index

    @lru_cache(maxsize=200_000)  # noqa: B019
    def senses(self, word: str) -> dict[str, tuple[str, int]]:
        """English stem -> (its commonest form, how many of the headword's entries give it)."""
        counts: dict[str, dict[str, int]] = {}
        for offset, length in self.index.get(word, ()):
            for english in dict.fromkeys(english_words(self.data.read(offset, length).decode("utf-8", "replace"))):
                forms = counts.setdefault(stem(english), {})
                forms[english] = forms.get(english, 0) + 1
        return {s: (max(forms, key=lambda w: (forms[w], zipf(w), w)), sum(forms.values())) for s, forms in counts.items()}

    def lookup(self, word: str, lower: bool = False) -> tuple[str, ...]:
        """English words for a headword (lower case), likeliest first; () when absent. (`lower`:
        the word was written in lower case; FreeDict's entries do not say their part of speech.)"""
        return rank(self.senses(word))


def rank(senses: dict[str, tuple[str, int]]) -> tuple[str, ...]:
    """English readings, likeliest first: the one most of the entries give ("Fenster": window in 5
    of 7 entries, box in 2), then the commoner English word; one form per stem ("mayor", not
    also "mayors")."""
    ranked = sorted(senses.values(), key=lambda v: (-v[1], -zipf(v[0]), v[0]))
    return tuple(w for w, _ in ranked[:GLOSSES])


_BRACES = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|/[^/]*/")


class DingDictionary(Dictionary):
    """Debian's `dict-de-en` (the Ding German-English dictionary, Chemnitz) read as its dictd
    files give it: `german-english.index` and `.dict.dz`. An entry is the German headword line
    (with {gender or part of speech} and [domain]), then the English line, its senses separated
    by ";". Entries whose German line holds more than the headword are phrases ("Erdbeben auf dem
    Mars"): a word's readings come from its own entries only, in Ding's order (the main sense
    first), and a multiword headword is a phrase entry (`phrase`)."""

    NAME = "german-english"

    def __init__(self, folder: Path = FOLDER):
        self.code = "ding"
        base = folder / self.NAME
        self.index = {}
        for line in (base.with_suffix(".index")).read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) != 3 or parts[0].startswith("00database"):
                continue
            key = parts[0].strip().lower()
            place = (_number(parts[1]), _number(parts[2]))
            self.index.setdefault(key, []).append(place)
            bare = _bare_verb(key)
            if bare != key and " " not in bare:
                self.index.setdefault(bare, []).append(place)
        self.data = DictZip(base.with_suffix(".dict.dz"))
        self.places: dict[tuple[str, str], tuple[int, int]] = {}  # (headword, English stem) -> its places in entries
        self.phrases: dict[tuple[str, str], str] = {}  # (headword, English stem) -> a two-word gloss it heads

    @lru_cache(maxsize=200_000)  # noqa: B019
    def senses(self, word: str, lower: bool = False) -> dict[str, tuple[str, int]]:
        """English stem -> (its commonest form, how many of the word's own entries give it); a
        two-word gloss gives its head (last) word and its modifier ("election victory").
        `lower`: the word was written in lower case, so it is no noun: its lower-case entries
        only, when it has any ("gegenüber": opposite, not the noun's "neighbours opposite";
        "befinden": decide, not "health")."""
        counts: dict[str, dict[str, int]] = {}
        entries = [_ding_entry(self.data.read(offset, length).decode("utf-8", "replace"))
                   for offset, length in self.index.get(word, ())]
        entries = [(german, english) for german, english in entries
                   if _bare_verb(german.lower()) == word or " ".join(german.lower().split()) == word]
        if lower and any(not _is_noun(german) for german, _ in entries):
            entries = [(german, english) for german, english in entries if not _is_noun(german)]
        for german, english_text in entries:
            found: dict[str, int] = {}  # English word -> its place among the entry's glosses
            if english_text:
                for gloss in re.split(r"[;,]", _BRACES.sub(" ", english_text)):
                    words = [w for w in _ENGLISH_WORD.findall(gloss.lower()) if w not in _FUNCTION and w not in _SUBJECTS]
                    content = [w for w in words if w not in _PARTICLES] or words
                    if 0 < len(content) <= 2:
                        for english in reversed(content):
                            found.setdefault(english, len(found))
                        if len(content) == 2:  # "telephone conversation": shown whole in a gloss
                            self.phrases.setdefault((word, lower, stem(content[-1])), " ".join(content))
            for english, place in found.items():
                if zipf(english) >= 1.0:
                    forms = counts.setdefault(stem(english), {})
                    forms[english] = forms.get(english, 0) + 1
                    key = (word, lower, stem(english))
                    total, n = self.places.get(key, (0, 0))
                    self.places[key] = (total + place, n + 1)
        return {s: (max(forms, key=lambda w: (forms[w], zipf(w), w)), sum(forms.values())) for s, forms in counts.items()}

    def lookup(self, word: str, lower: bool = False) -> tuple[str, ...]:
        """English words for a headword, likeliest first: given by most of its entries, then
        listed first in its entries (Ding lists an entry's main sense first: "Erdbeben": earthquake;
        quake; ...), then the commoner English word. `lower`: as `senses` says."""
        senses = self.senses(word, lower)

        def place(s: str) -> float:
            total, n = self.places.get((word, lower, s), (0, 1))
            return total / n

        ranked = sorted(senses, key=lambda s: (-senses[s][1], place(s), -zipf(senses[s][0])))
        return tuple(senses[s][0] for s in ranked[:GLOSSES])


    def phrase(self, word: str, english: str, lower: bool = False) -> str | None:
        """The two-word gloss an English reading of the word heads, if any ("Telefonat":
        conversation -> "telephone conversation")."""
        if word not in self.index:
            return None
        self.senses(word, lower)
        return self.phrases.get((word, lower, stem(english)))


def _ding_entry(entry: str) -> tuple[str, str]:
    """A Ding dictd entry's German side and its English senses ("; " between them). The English
    lines are indented three spaces; a long one wraps onto unindented lines, which continue it
    (read as German, they made "etw. bestätigen: to confirm sth. ...; to vouch for" a phrase)."""
    lines = entry.split("\n")
    first = next((k for k, line in enumerate(lines) if line.startswith("   ")), len(lines))
    german = " ".join(_BRACES.sub(" ", line) for line in lines[:first] if line)
    english = ""
    for line in lines[first:]:
        if line.startswith("   "):
            english += ("; " if english else "") + line.strip()
        elif line.strip():
            english += " " + line.strip()
    return german, english


def _is_noun(german: str) -> bool:
    """Whether a Ding entry's German side is a noun (German nouns are capitalised)."""
    return german.lstrip()[:1].isupper()


def _bare_verb(german: str) -> str:
    """A Ding headword without the objects or subject it is keyed with: "jdn./etw. töten" -> töten."""
    words = german.replace(".", "").replace("/", "").split()
    while len(words) > 1 and words[0] in DING_PLACEHOLDERS:
        words = words[1:]
    return " ".join(words)


def available(code: str, folder: Path = FOLDER) -> bool:
    if code == "ding":
        return (folder / f"{DingDictionary.NAME}.index").exists() and (folder / f"{DingDictionary.NAME}.dict.dz").exists()
    return (folder / f"freedict-{code}-eng.index").exists() and (folder / f"freedict-{code}-eng.dict.dz").exists()


@lru_cache(maxsize=16)
def dictionary(code: str) -> Dictionary | None:
    if not available(code):
        return None
    return DingDictionary() if code == "ding" else Dictionary(code)
