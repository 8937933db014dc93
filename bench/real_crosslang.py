"""The real cross-language set: news events each reported by real outlets in English, German and
Serbian, Croatian or Bosnian (Latin or Cyrillic), most also in Spanish; gold pairs by hand.

The articles are third-party text: they stay in bench/data/local/crosslang_real/ (git-ignored),
one file per article, one paragraph per line. bench/data/crosslang_real.yml is committed and holds
only the recipe (outlets, addresses, the queries that found them) and the gold, which is ours:
every pair of sentences in different languages that tell at least one same fact, `parallel` when
they tell the same thing, `overlap` when they share a fact and the rest differs. Each article's
sentence count and digest are pinned, so the gold cannot drift from the texts unnoticed.

Split: `dev` events are for tuning, `test` events only for reporting.

Run: python -m bench.real_crosslang                 (counts per split and language pair)
     python -m bench.real_crosslang --show EVENT    (an event's sentences, numbered as the gold)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from bench.real_data import digest
from dossier.segment import sentence_spans

DATA = Path(__file__).resolve().parent / "data" / "crosslang_real.yml"
LOCAL = DATA.parent / "local" / "crosslang_real"
LABELS = ("parallel", "overlap")
ABSENT = "real cross-language set absent: see bench/data/crosslang_real.yml to bring it back"


class SetDrift(ValueError):
    """A local article no longer yields the sentences the gold was written on."""


def sentences_of(text: str) -> Iterator[str]:
    """The sentences of an article, paragraph (line) by paragraph, as the project segments them."""
    for line in text.splitlines():
        paragraph = line.strip()
        if not paragraph:
            continue
        for start, end in sentence_spans(paragraph):
            sentence = paragraph[start:end].strip()
            if sentence:
                yield sentence


def recipe() -> list[dict]:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))["events"]


def article_path(event_id: str, article_id: str) -> Path:
    return LOCAL / event_id / f"{article_id}.txt"


def available() -> bool:
    """True when every article of the recipe is on this machine."""
    if not DATA.exists():
        return False
    return all(article_path(e["id"], a["id"]).is_file() for e in recipe() for a in e["articles"])


def _article(event_id: str, spec: dict) -> dict:
    path = article_path(event_id, spec["id"])
    if not path.is_file():
        raise FileNotFoundError(f"{path}: missing; {ABSENT}")
    sentences = list(sentences_of(path.read_text(encoding="utf-8")))
    found = digest(sentences)
    if len(sentences) != spec["sentences"] or found != spec["digest"]:
        raise SetDrift(f"{path}: yields {len(sentences)} sentences, digest {found}; the recipe expects "
                       f"{spec['sentences']}, digest {spec['digest']} (the text or the segmenter changed; "
                       f"the gold of event {event_id} no longer applies)")
    return {"id": spec["id"], "language": spec["language"], "sentences": sentences}


def _gold(event_id: str, articles: dict[str, dict], rows: list) -> list[tuple[str, str, str]]:
    gold = []
    seen = set()
    for row in rows:
        a, b, label = row
        ends = []
        for ref in (a, b):
            article, _, k = ref.rpartition(":")
            if article not in articles or not k.isdigit() or int(k) >= len(articles[article]["sentences"]):
                raise ValueError(f"{DATA}: event {event_id}: gold {row} names no sentence ({ref})")
            ends.append(articles[article]["language"])
        if ends[0] == ends[1] or label not in LABELS:
            raise ValueError(f"{DATA}: event {event_id}: gold {row} is not a cross-language "
                             f"{'/'.join(LABELS)} pair")
        if frozenset((a, b)) in seen:
            raise ValueError(f"{DATA}: event {event_id}: gold pair {a} {b} given twice")
        seen.add(frozenset((a, b)))
        gold.append((a, b, label))
    return gold


def crosslang_real(split: str | None = None) -> list[dict]:
    """The events of one split (or all): {"id", "split", "articles": [{"id", "language",
    "sentences"}], "gold": [("article:k", "article:k", label), ...]}. Raises SetDrift (naming the
    file) when an article's sentences are not the ones the gold was written on."""
    events = []
    for spec in recipe():
        if split is not None and spec["split"] != split:
            continue
        articles = [_article(spec["id"], a) for a in spec["articles"]]
        by_id = {a["id"]: a for a in articles}
        events.append({"id": spec["id"], "split": spec["split"], "articles": articles,
                       "gold": _gold(spec["id"], by_id, spec.get("gold") or [])})
    return events


def pair_name(x: str, y: str) -> str:
    """de-en, sr-en, ...: English last; two other languages in alphabetical order (de-sr, bs-es)."""
    if y == "en" or (x != "en" and x < y):
        return f"{x}-{y}"
    return f"{y}-{x}"


def summary(events: list[dict]) -> dict[str, dict]:
    """Per language pair: events holding both languages, their sentences in those two languages,
    and gold pairs."""
    rows: dict[str, dict] = {}
    for event in events:
        language = {a["id"]: a["language"] for a in event["articles"]}
        sentences: dict[str, int] = {}
        for a in event["articles"]:
            sentences[a["language"]] = sentences.get(a["language"], 0) + len(a["sentences"])
        langs = sorted(sentences)
        for i, x in enumerate(langs):
            for y in langs[i + 1:]:
                row = rows.setdefault(pair_name(x, y), {"events": 0, "sentences": 0, "gold": 0,
                                                        "parallel": 0})
                row["events"] += 1
                row["sentences"] += sentences[x] + sentences[y]
        for a, b, label in event["gold"]:
            row = rows[pair_name(language[a.rpartition(":")[0]], language[b.rpartition(":")[0]])]
            row["gold"] += 1
            row["parallel"] += label == "parallel"
    return rows


def show(event_id: str) -> None:
    for event in crosslang_real():
        if event["id"] == event_id:
            for a in event["articles"]:
                print(f"== {a['id']} ({a['language']})")
                for k, s in enumerate(a["sentences"]):
                    print(f"{a['id']}:{k}  {s}")
            return
    raise SystemExit(f"no event {event_id} in {DATA}")


def main() -> int:
    if not available():
        print(ABSENT)
        return 0
    if len(sys.argv) > 2 and sys.argv[1] == "--show":
        show(sys.argv[2])
        return 0
    for split in ("dev", "test"):
        events = crosslang_real(split)
        n_sentences = sum(len(a["sentences"]) for e in events for a in e["articles"])
        n_gold = sum(len(e["gold"]) for e in events)
        print(f"real cross-language set, {split}: {len(events)} events, {n_sentences} sentences, "
              f"{n_gold} gold pairs (digests match)")
        print(f"  {'pair':<8} {'events':>6} {'sentences':>9} {'gold':>5} {'parallel':>8}")
        rows = summary(events)
        for name in sorted(rows, key=lambda n: (not n.endswith("-en"), n)):
            r = rows[name]
            print(f"  {name:<8} {r['events']:>6} {r['sentences']:>9} {r['gold']:>5} {r['parallel']:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
