"""Machine translation by Apertium (Debian's `apertium` engine and its language pairs, offline).

Where Debian ships an Apertium pair into English (`apertium-hbs-eng` for Serbian, Croatian and
Bosnian, `apertium-eng-spa` for Spanish, ...), a passage in that language is read by it twice:

- `analyse`: each source word with the English words Apertium's own bilingual dictionary and
  lexical selection give it, after its morphological analysis and disambiguation in context
  ("ostavku" -> ostavka<n> -> resignation; "anunció" -> anunciar<vblex> -> announce). The words
  keep their character spans in the source passage, so a matched span is shown in the original;
  the aligner compares these English words (`gloss.MachineGlosser`);
- `translate`: the whole pipeline's English translation, shown to readers as the passage's gloss
  ("Machine translation (Apertium)").

The stages are read from the pair's mode file (`/usr/share/apertium/modes/PAIR.mode`): the
analysis stages up to `apertium-pretransfer`, with the surface forms kept, then the bilingual
lookup and lexical selection. Each call handles a batch of passages (an article, or all the
passages of one language in a dossier): Apertium's start-up costs more than its work. Results are
remembered per passage text (`MEMO`); the aligner's pair index keeps them between builds.
Serbian Cyrillic is transliterated to Latin first (the analyser reads Latin), offsets mapped back.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MODES_FOLDER = Path(os.environ.get("DOSSIER_APERTIUM_MODES", "/usr/share/apertium/modes"))
# Language (BCP 47 primary tag) -> Apertium mode into English, where Debian packages the pair.
PAIRS = {"sr": "hbs-eng", "hr": "hbs-eng", "bs": "hbs-eng", "sh": "hbs-eng", "es": "spa-eng", "ca": "cat-eng",
         "mk": "mkd-eng", "is": "isl-eng", "eu": "eus-eng", "gl": "glg-eng", "eo": "epo-eng"}
ENGINE = "Apertium"
BATCH_CHARS = 200_000  # characters per Apertium call
SEPARATOR = "\n\n"
# Apertium tags of words that tell no fact by themselves (English drops their translations too).
FUNCTION_TAGS = frozenset("pr det cnjcoo cnjsub cnjadv prn vbser vbhaver vbmod rel ij sent cm lpar rpar guio apos "
                          "quot lquot rquot punct clt preadv itg".split())
_LU = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_SPLIT = re.compile(r"(?<!\\)/")
_TAGS = re.compile(r"<([^>]+)>")
_UNESCAPE = re.compile(r"\\(.)")
_BOUNDARY = "[|]"  # a superblank between source words in the bilingual stage: passes every stage as it is


@dataclass(frozen=True)
class Word:
    """A source word (or multiword) as Apertium read it."""
    start: int  # character span in the passage
    end: int
    lemma: str  # source lemma ("" when unknown)
    tags: tuple[str, ...]  # of its first part (the part of speech first)
    english: tuple[str, ...]  # English lemmas, Apertium's choice first; () for an unknown word

    @property
    def known(self) -> bool:
        return bool(self.tags)


def mode_file(language: str) -> Path | None:
    pair = PAIRS.get(language)
    return MODES_FOLDER / f"{pair}.mode" if pair else None


@lru_cache(maxsize=32)
def available(language: str) -> bool:
    """Whether Apertium and a pair into English are installed for the language."""
    found = mode_file(language)
    return bool(found and found.is_file() and shutil.which("lt-proc") and shutil.which("apertium"))


@lru_cache(maxsize=32)
def _stages(language: str) -> tuple[list[list[str]], list[list[str]]]:
    """The mode's analysis stages (surface forms kept) and its bilingual stages (pretransfer to
    lexical selection), each as argv lists."""
    text = mode_file(language).read_text(encoding="utf-8").strip()
    commands = [shlex.split(c.replace("$1", "-g").replace("$2", "")) for c in text.split("|")]
    at = next(k for k, c in enumerate(commands) if Path(c[0]).name == "apertium-pretransfer")
    end = at + 1
    while end < len(commands) and Path(commands[end][0]).name in ("lt-proc", "lrx-proc") and (
            Path(commands[end][0]).name == "lrx-proc" or "-b" in commands[end]):
        end += 1
    analysis = []
    for c in commands[:at]:
        name = Path(c[0]).name
        if name == "cg-proc":
            c = [a for a in c if a != "-n"]
        elif name == "apertium-tagger" and "-p" not in c:
            c = [c[0], "-p", *c[1:]]
        analysis.append(c)
    return analysis, commands[at:end]


def _pipe(commands: list[list[str]], data: str) -> str:
    """Run commands as a shell pipeline would, without a shell."""
    procs, stdin = [], subprocess.PIPE
    for k, command in enumerate(commands):
        proc = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if k:
            procs[-1].stdout.close()  # the next stage holds it
        procs.append(proc)
        stdin = proc.stdout
    first = procs[0]
    import threading
    writer = threading.Thread(target=_feed, args=(first, data.encode("utf-8")))
    writer.start()
    out = procs[-1].stdout.read()
    writer.join()
    for proc in procs:
        proc.wait()
    return out.decode("utf-8", "replace")


def _feed(proc: subprocess.Popen, data: bytes) -> None:
    try:
        proc.stdin.write(data)
    finally:
        proc.stdin.close()


def _escape(text: str) -> str:
    """Plain text as an Apertium stream (what apertium-destxt does, minus its superblanks)."""
    return re.sub(r"([\^$@/<>{}\[\]\\*#+~])", r"\\\1", text)


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def latin(text: str) -> tuple[str, list[int]]:
    """Serbian Cyrillic transliterated to Latin, with each Latin character's source offset."""
    from .gloss import transliterate
    if not any("\u0400" <= ch <= "\u04ff" for ch in text):
        return text, list(range(len(text) + 1))
    out, where = [], []
    for k, ch in enumerate(text):
        latin_ = transliterate(ch) if "\u0400" <= ch <= "\u04ff" else ch
        out.append(latin_)
        where.extend([k] * len(latin_))
    where.append(len(text))
    return "".join(out), where


MEMO: dict[tuple[str, str], tuple[Word, ...]] = {}  # (mode, passage text) -> its words
TRANSLATIONS: dict[tuple[str, str], str] = {}  # (mode, passage text) -> its English translation
MEMO_MAX = 200_000


def _remember(memo: dict, key, value) -> None:
    if len(memo) >= MEMO_MAX:
        memo.clear()
    memo[key] = value


def analyse(language: str, texts: list[str]) -> list[tuple[Word, ...]]:
    """Each text's words with their English lemmas, in batches (remembered per text)."""
    return _remembered(MEMO, PAIRS[language], texts, lambda batch: _analyse_batch(language, batch))


def _remembered(memo: dict, mode: str, texts: list[str], run) -> list:
    """`run(batch)` of the texts not in `memo` yet, in batches, then every text's value from `memo`."""
    missing = list(dict.fromkeys(t for t in texts if (mode, t) not in memo))
    for batch in _batches(missing):
        for text, value in zip(batch, run(batch)):
            _remember(memo, (mode, text), value)
    return [memo[(mode, t)] for t in texts]


def _batches(texts: list[str]) -> list[list[str]]:
    found, current, size = [], [], 0
    for t in texts:
        if current and size + len(t) > BATCH_CHARS:
            found.append(current)
            current, size = [], 0
        current.append(t)
        size += len(t) + 2
    if current:
        found.append(current)
    return found


def _analyse_batch(language: str, texts: list[str]) -> list[tuple[Word, ...]]:
    analysis, bilingual = _stages(language)
    converted = [latin(t.replace("\n", " ")) for t in texts]
    joined = SEPARATOR.join(_escape(c[0]) for c in converted)
    units = []  # (passage, start, end in the Latin text, analysis)
    starts = []
    at = 0
    for c in converted:
        starts.append(at)
        at += len(c[0]) + len(SEPARATOR)
    plain = SEPARATOR.join(c[0] for c in converted)
    cursor = 0
    analysed = _pipe(analysis, joined + "\n")
    for m in _LU.finditer(analysed):
        parts = _SPLIT.split(m.group(1))
        surface = _unescape(parts[0])
        reading = parts[1] if len(parts) > 1 else "*" + parts[0]
        found = plain.find(surface, cursor) if surface else -1
        if found < 0:
            continue
        cursor = found + len(surface)
        units.append((found, cursor, reading))
    if not units:
        return [() for _ in texts]
    stream = _BOUNDARY.join(f"^{u[2]}$" for u in units)
    translated = _pipe(bilingual, stream).split(_BOUNDARY)
    if len(translated) != len(units):  # a stage merged or dropped a boundary: read no English
        translated = [""] * len(units)
    per_text: list[list[Word]] = [[] for _ in texts]
    passage = 0
    for (start, end, reading), out in zip(units, translated):
        while passage + 1 < len(starts) and start >= starts[passage + 1]:
            passage += 1
        offset = starts[passage]
        where = converted[passage][1]
        lemma, tags = _lemma_tags(reading)
        english = _english(out) if tags else ()
        per_text[passage].append(Word(where[start - offset], where[min(end - offset, len(where) - 1)],
                                      lemma, tags, english))
    return [tuple(w) for w in per_text]


def _lemma_tags(reading: str) -> tuple[str, tuple[str, ...]]:
    if reading.startswith("*"):
        return "", ()
    first = reading.split("+")[0]
    lemma = _unescape(first.split("<", 1)[0]).replace("#", " ").strip()
    return lemma, tuple(_TAGS.findall(first))


def _english(out: str) -> tuple[str, ...]:
    """English lemmas of one source word from the bilingual stage's output (several LUs when the
    word was a contraction: "del" -> of + the): the readings of its first content part."""
    for m in _LU.finditer(out):
        readings = []
        for target in _SPLIT.split(m.group(1))[1:]:
            target = target.lstrip("@*#")
            tags = _TAGS.findall(target)
            if tags and tags[0] in FUNCTION_TAGS:
                break
            word = _unescape(target.split("<", 1)[0]).replace("#", " ").replace("_", " ").strip()
            if word and word not in readings:
                readings.append(word)
        if readings:
            return tuple(readings)
    return ()


def translate(language: str, texts: list[str]) -> list[str]:
    """Each text's English translation by the whole Apertium pipeline (unknown words as written),
    in batches (remembered per text)."""
    mode = PAIRS[language]
    return _remembered(TRANSLATIONS, mode, texts, lambda batch: _translate_batch(mode, batch))


def _translate_batch(mode: str, texts: list[str]) -> list[str]:
    sources = [latin(t.replace("\n", " "))[0] for t in texts]
    out = _run_apertium(mode, SEPARATOR.join(sources))
    found = out.strip("\n").split(SEPARATOR)
    if len(found) == len(texts):
        return [t.strip() for t in found]
    return [_run_apertium(mode, s).strip() for s in sources]  # the batch lost a boundary: one by one


def _run_apertium(mode: str, text: str) -> str:
    result = subprocess.run(["apertium", "-u", "-f", "txt", mode], input=text + "\n", capture_output=True,
                            text=True, check=False)
    return result.stdout


def learnt(texts) -> dict:
    """What this process knows of the given texts' words: kept in the aligner's pair index
    between builds, so a rebuild runs Apertium on new passages only."""
    wanted = set(texts)
    return {"words": {k: v for k, v in MEMO.items() if k[1] in wanted}}


def learn(known: dict | None) -> None:
    for key, value in (known or {}).get("words", {}).items():
        MEMO.setdefault(key, value)
