"""Alignment quality on the real business-story set (bench/data/business_real.yml): 13 outlets' published
reports of one business event, aligned as one dossier; precision, recall and F1 over every pair of
sentences of different articles that the alignment claims tell one fact (stored links, copy groups and
facts: bench/claimed.py), against the hand-made gold. HELD OUT: report only, never tune on it.

The texts are third-party, kept locally only (bench/data/local/business_real/); without them this says so
and exits 0.

    python -m bench.business_quality          # P, R, F1 and counts
    python -m bench.business_quality --show   # and every false and missed pair, with its sentences
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from bench import business_gold
from bench.claimed import claimed_pairs
from bench.real_data import digest, sentences_of
from bench.real_quality import _prf, event_passages
from dossier.align import align

LOCAL = Path(__file__).resolve().parent / "data" / "local" / "business_real"
ABSENT = ("real business-story set absent (bench/data/local/business_real/): "
          "see bench/data/business_real.yml to bring it back; skipped")


def available(event: dict) -> bool:
    return LOCAL.is_dir() and all((LOCAL / f"{a['id']}.txt").is_file() for a in event["articles"])


def articles(event: dict) -> list[dict]:
    """Each article's sentences, checked against the recipe's count and digest."""
    out = []
    for article in event["articles"]:
        path = LOCAL / f"{article['id']}.txt"
        sentences = sentences_of(path.read_text(encoding="utf-8"))
        if len(sentences) != article["sentences"] or digest(sentences) != article["digest"]:
            raise ValueError(f"{path}: {len(sentences)} sentences, digest {digest(sentences)}; the recipe says "
                             f"{article['sentences']}, {article['digest']}: the text or the splitter drifted")
        out.append({"id": article["id"], "sentences": sentences})
    return out


def main(argv: list[str]) -> int:
    event = business_gold.load()["event"]
    if not available(event):
        print(ABSENT)
        return 0
    gold_refs = business_gold.stored_gold(event)
    if gold_refs != [(x, y, kind) for x, y, kind, _ in business_gold.derive(event)]:
        print("business_real.yml: the gold list differs from the fact tags; run python -m bench.business_gold")
        return 1
    arts = articles(event)
    passages, ref = event_passages(arts)
    n = len(passages)
    order = {p.id: k for k, p in enumerate(passages)}
    article_of = np.array([hash(p.article) for p in passages], dtype=np.int64)
    claimed = set(claimed_pairs(align(passages), order, article_of).tolist())
    kind_of = {}
    for x, y, kind in gold_refs:
        i, j = sorted((ref[x], ref[y]))
        kind_of[i * n + j] = kind
    gold = set(kind_of)
    r = _prf(len(claimed & gold), len(claimed), len(gold))
    sentences = sum(len(a["sentences"]) for a in arts)
    print(f"real business story ({event['id']}, held out): {len(arts)} articles, {sentences} sentences, "
          f"{len(gold)} gold pairs")
    print(f"  P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f} "
          f"({r['true']} of {r['claimed']} claimed pairs true; {r['gold']} gold)")
    for kind in ("parallel", "overlap"):
        of_kind = {c for c in gold if kind_of[c] == kind}
        print(f"  recall {kind:8}: {len(of_kind & claimed) / len(of_kind) if of_kind else 0:.2f} "
              f"({len(of_kind & claimed)} of {len(of_kind)})")
    if "--show" in argv:
        name = {k: f"{p.article}:{p.paragraph - 1}" for k, p in enumerate(passages)}
        shared = {tuple(sorted((ref[x], ref[y]))): tags for x, y, _, tags in business_gold.derive(event)}

        def line(code: int, note: str) -> str:
            i, j = divmod(code, n)
            return (f"  {name[i]} ~ {name[j]}{note}\n    < {passages[i].text}\n    > {passages[j].text}")

        print(f"false pairs ({len(claimed - gold)}):")
        for code in sorted(claimed - gold):
            print(line(code, ""))
        print(f"missed pairs ({len(gold - claimed)}):")
        for code in sorted(gold - claimed):
            print(line(code, f"  [{kind_of[code]}: {' '.join(shared[divmod(code, n)])}]"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
