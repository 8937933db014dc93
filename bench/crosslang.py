"""Cross-language alignment quality on tests/data/crosslang_dev.yml (written for this purpose,
about invented events, apart from the seed dossier).

Each event is aligned as one dossier of two articles: its four facts in English, and the same
four facts in another language, worded independently. Gold: fact k links fact k; every other
pair of the event (same names and topic, another fact) is a hard negative. Precision and recall
per language pair (Serbian per script), and the same figures for plain English tokenisation of
the foreign text (what the aligner did before: the baseline).

Run: python -m bench.crosslang                      (the dev set)
     python -m bench.crosslang --english-only 300   (what the languages stage and align cost an
                                                     English-only dossier; compare with the base)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from dossier.align import Linked, align
from dossier.model import Passage
from dossier.text import normalise

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "crosslang_dev.yml"
HOLDOUT = DATA.with_name("crosslang_holdout.yml")  # written after tuning, measured once; never tuned on
NEAR = DATA.with_name("crosslang_near.yml")  # near misses: four facts per event sharing names, place and topic


def passage(article: str, k: int, text: str, language: str | None) -> Passage:
    return Passage(id=f"{article}-p{k}-1", article=article, paragraph=k, sentence=1, text=text,
                   norm=normalise(text), line=k, start=0, end=len(text), language=language)


def event_counts(event: dict, glossed: bool = True) -> dict:
    """(true positives, positives, linked negatives, negatives) for one event."""
    language = event["language"] if glossed else None
    en = [passage("en", k, f["en"], None) for k, f in enumerate(event["facts"], start=1)]
    other = [passage("xx", k, f["other"], language) for k, f in enumerate(event["facts"], start=1)]
    linked = Linked(align(tuple(en + other)))
    tp = fp = 0
    for i, a in enumerate(en):
        for j, b in enumerate(other):
            found = linked(a.id, b.id)[0]
            if i == j:
                tp += found
            else:
                fp += found
    n = len(en)
    return {"tp": tp, "pos": n, "fp": fp, "neg": n * n - n}


def measure(glossed: bool = True, path: Path = DATA) -> dict[str, dict]:
    events = yaml.safe_load(path.read_text(encoding="utf-8"))["events"]
    per_pair: dict[str, dict] = {}
    for event in events:
        name = f"{event['language']}-en" + (f" ({event['script']})" if event.get("script") else "")
        counts = event_counts(event, glossed)
        for label in (name, f"{event['language']}-en") if event.get("script") else (name,):
            total = per_pair.setdefault(label, {"tp": 0, "pos": 0, "fp": 0, "neg": 0})
            for k, v in counts.items():
                total[k] += v
    for total in per_pair.values():
        found = total["tp"] + total["fp"]
        total["precision"] = total["tp"] / found if found else 0.0
        total["recall"] = total["tp"] / total["pos"] if total["pos"] else 0.0
    return per_pair


def english_only(n_articles: int) -> dict:
    """Seconds the languages stage and the aligner take on an English-only synthetic dossier
    (bench.synthetic, no `language` in front matter): cross-language work must cost it nothing."""
    from bench import synthetic
    from dossier.languages import assign
    from dossier.model import Article, ArticleMeta, CleanArticle

    from wordfreq import get_frequency_dict

    data = synthetic.generate(n_articles)
    passages = synthetic.passages(data)
    get_frequency_dict("en")  # the aligner loads English word frequencies anyway; not the stage's cost
    articles = tuple(CleanArticle(Article(a, f"{a}.md", ArticleMeta(a, a), ()), (), ()) for a in data.articles)
    started = time.perf_counter()
    assigned, records, _ = assign(articles, passages)
    stage = time.perf_counter() - started
    assert assigned is passages and all(r.language == "en" for r in records)
    started = time.perf_counter()
    alignment = align(passages)
    return {"articles": n_articles, "passages": len(passages), "languages_stage": stage,
            "align": time.perf_counter() - started, "links": len(alignment.links)}


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "--english-only":
        r = english_only(int(sys.argv[2]))
        print(f"English-only synthetic dossier, {r['articles']} articles, {r['passages']} passages: "
              f"languages stage {r['languages_stage']:.2f} s, align {r['align']:.2f} s, {r['links']} links")
        return 0
    for path in (DATA, HOLDOUT, NEAR):
        started = time.perf_counter()
        rows = measure(True, path)
        seconds = time.perf_counter() - started
        baseline = measure(False, path)
        print(f"cross-language {'dev' if path == DATA else 'held-out' if path == HOLDOUT else 'near-miss'} set: {path.name}")
        print(f"{'pair':<20} {'pos':>4} {'neg':>4} {'TP':>4} {'FP':>4} {'P':>6} {'R':>6}   baseline P/R")
        for name in sorted(rows):
            r, b = rows[name], baseline[name]
            print(f"{name:<20} {r['pos']:>4} {r['neg']:>4} {r['tp']:>4} {r['fp']:>4} {r['precision']:>6.2f} "
                  f"{r['recall']:>6.2f}   {b['precision']:.2f}/{b['recall']:.2f}")
        print(f"(glossed run, dictionaries loaded on first use: {seconds:.1f} s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
