"""Alignment quality on real published reports (third-party text kept in bench/data/local/):

- the real multi-outlet news set (bench/data/news_real.yml): P/R/F1 over every pair of sentences
  of different articles that the alignment claims tell one fact (stored links, copy groups and
  facts), per split; `dev` tunes, `test` is held out;
- the real cross-language set (bench/data/crosslang_real.yml): the same, per language pair.

Each event is aligned as one dossier. Without the local texts each part says so and is skipped.

    python -m bench.real_quality
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import NamedTuple

import numpy as np

from bench import real_crosslang, real_data
from bench.claimed import claimed_pairs
from dossier.align import align
from dossier.model import Passage
from dossier.text import normalise


def _passage(article: str, k: int, text: str, language: str | None = None) -> Passage:
    return Passage(id=f"{article}-p{k}-1", article=article, paragraph=k, sentence=1, text=text,
                   norm=normalise(text), line=k, start=0, end=len(text), language=language)


def _prf(tp: int, claimed: int, gold: int) -> dict:
    p, r = tp / claimed if claimed else 0.0, tp / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "true": tp,
            "claimed": claimed, "gold": gold}


def event_passages(articles: list[dict]) -> tuple[tuple[Passage, ...], dict[str, int]]:
    """An event's sentences as passages, one a paragraph, and each gold reference ("article:k") to
    its passage's position."""
    passages, ref = [], {}
    for article in articles:
        language = article.get("language")
        for k, text in enumerate(article["sentences"]):
            ref[f"{article['id']}:{k}"] = len(passages)
            passages.append(_passage(article["id"], k + 1, text, None if language in (None, "en") else language))
    return tuple(passages), ref


class EventPairs(NamedTuple):
    claimed: set[int]  # pair numbers i * n + j, i < j, as bench.claimed numbers them
    gold: set[int]
    article_of: np.ndarray  # per passage, a number for its article
    n: int  # passages


def claimed_and_gold(articles: list[dict], gold_refs: list) -> EventPairs:
    """One event aligned as a dossier: the pairs it claims and the gold pairs."""
    passages, ref = event_passages(articles)
    n = len(passages)
    order = {p.id: k for k, p in enumerate(passages)}
    article_of = np.array([hash(p.article) for p in passages], dtype=np.int64)
    claimed = set(claimed_pairs(align(passages), order, article_of).tolist())
    gold = set()
    for x, y, *_ in gold_refs:
        i, j = sorted((ref[x], ref[y]))
        gold.add(i * n + j)
    return EventPairs(claimed, gold, article_of, n)


def event_pairs(articles: list[dict], gold_refs: list, language_pairs: bool = False) -> dict:
    """Claimed and gold pairs of one event, counted per language pair ("all" when not asked)."""
    claimed, gold, _, n = claimed_and_gold(articles, gold_refs)
    language = [article.get("language", "en") for article in articles for _ in article["sentences"]]

    def pair_of(code: int) -> str:
        if not language_pairs:
            return "all"
        a, b = sorted((language[code // n], language[code % n]))
        return f"{a}-{b}" if a != b else "same"

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for code in claimed:
        counts[pair_of(code)][1] += 1
        counts[pair_of(code)][0] += code in gold
    for code in gold:
        counts[pair_of(code)][2] += 1
    return counts


def news(split: str) -> dict:
    total = [0, 0, 0]
    for topic in real_data.news_real(split):
        for k, v in enumerate(event_pairs(topic["articles"], topic["gold"])["all"]):
            total[k] += v
    return _prf(*total)


def crosslang(split: str) -> dict[str, dict]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for event in real_crosslang.crosslang_real(split):
        for pair, counts in event_pairs(event["articles"], event["gold"], language_pairs=True).items():
            for k, v in enumerate(counts):
                totals[pair][k] += v
    return {pair: _prf(*counts) for pair, counts in sorted(totals.items()) if pair != "same"}


def main() -> int:
    if real_data.available():
        for split in ("dev", "test"):
            r = news(split)
            print(f"real news {split:4}: P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f} "
                  f"({r['true']} of {r['claimed']} claimed pairs true; {r['gold']} gold)")
    else:
        print(real_data.ABSENT)
    if real_crosslang.available():
        for split in ("dev", "test"):
            for pair, r in crosslang(split).items():
                print(f"real cross-language {split:4} {pair}: P {r['precision']:.2f} R {r['recall']:.2f} "
                      f"({r['true']} of {r['claimed']} claimed; {r['gold']} gold)")
    else:
        print(real_crosslang.ABSENT)
    return 0


if __name__ == "__main__":
    sys.exit(main())
