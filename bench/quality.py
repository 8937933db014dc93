"""Alignment quality on the development sets, which are written apart from the seed dossier:

- `tests/data/overlap_dev.yml`: sentence pairs that share one fact (a clause, a quote, a figure, a
  paraphrase) while the rest differs, and hard negatives that share names and topic but no fact;
  a positive counts as found when the two sentences link, and its span as right when the matched
  span in each sentence overlaps the span the gold names.
- `tests/data/news_dev.yml`: small multi-document topics with exhaustive sentence-level gold;
  precision, recall and F1 over all cross-article sentence pairs, as a held-out news set is scored.
- `tests/data/alignment_dev.yml`: whole-sentence parallels, hard negatives and split sentences.

Each file is aligned as one dossier (word weights never depend on the rest of the dossier, but
the candidates and groups are built as they would be in a build). Run: python -m bench.quality
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

from bench.claimed import claimed_pairs
from dossier.align import Linked, align
from dossier.model import Passage
from dossier.text import normalise

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


def passage(article: str, k: int, text: str) -> Passage:
    return Passage(id=f"{article}-p{k}-1", article=article, paragraph=k, sentence=1, text=text,
                   norm=normalise(text), line=k, start=0, end=len(text))


def _ratio(tp: int, n: int) -> float:
    return tp / n if n else 0.0


def overlap_set(path: Path = DATA / "overlap_dev.yml") -> dict:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["items"]
    passages = []
    for n, item in enumerate(items):
        passages += [passage(f"item{n}-a", 1, item["a"]), passage(f"item{n}-b", 1, item["b"])]
    linked = Linked(align(tuple(passages)))
    per_kind: dict[str, dict] = {}
    spans_right = spans_total = 0
    for n, item in enumerate(items):
        found, link = linked(f"item{n}-a-p1-1", f"item{n}-b-p1-1")
        counts = per_kind.setdefault(item["kind"], {"items": 0, "linked": 0})
        counts["items"] += 1
        counts["linked"] += found
        if link and item["kind"] != "negative" and link.spans:
            spans_total += 1
            ok = True
            for (start, end), text, quote in zip(link.spans, (item["a"], item["b"]), item["shared"]):
                gold = text.index(quote)
                ok &= start < gold + len(quote) and gold < end
            spans_right += ok
    positives = sum(c["items"] for k, c in per_kind.items() if k != "negative")
    found = sum(c["linked"] for k, c in per_kind.items() if k != "negative")
    false = per_kind.get("negative", {"linked": 0})["linked"]
    return {"per_kind": per_kind, "recall": _ratio(found, positives), "precision": _ratio(found, found + false),
            "false": false, "negatives": per_kind.get("negative", {"items": 0})["items"],
            "spans": _ratio(spans_right, spans_total)}


def news_set(path: Path = DATA / "news_dev.yml") -> dict:
    topics = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    passages, gold = [], set()
    for topic in topics:
        for article in topic["articles"]:
            for k, text in enumerate(article["sentences"]):
                passages.append(passage(f"{topic['id']}--{article['id']}", k + 1, text))
        for x, y in topic["gold"]:
            ids = [f"{topic['id']}--{ref.split(':')[0]}-p{int(ref.split(':')[1]) + 1}-1" for ref in (x, y)]
            gold.add(tuple(sorted(ids)))
    alignment = align(tuple(passages))
    found = Linked(alignment).pairs()
    tp = len(found & gold)
    p, r = _ratio(tp, len(found)), _ratio(tp, len(gold))
    # every pair a fact implies too, as the held-out real news is scored
    order = {q.id: k for k, q in enumerate(passages)}
    articles = {a: k for k, a in enumerate(dict.fromkeys(q.article for q in passages))}
    claimed = claimed_pairs(alignment, order, np.array([articles[q.article] for q in passages], dtype=np.int64))
    n = len(passages)
    ids = [q.id for q in passages]
    facts = {tuple(sorted((ids[c // n], ids[c % n]))) for c in claimed.tolist()}
    facts_true = len(facts & gold)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "found": len(found), "gold": len(gold), "true": tp,
            "facts_precision": _ratio(facts_true, len(facts)), "facts_recall": _ratio(facts_true, len(gold))}


def naive_news(path: Path = DATA / "news_dev.yml") -> dict:
    """The baseline the held-out numbers are compared with: rapidfuzz token_set_ratio over all
    cross-article pairs, its threshold tuned on this very set (an optimistic baseline)."""
    from rapidfuzz import fuzz

    topics = yaml.safe_load(path.read_text(encoding="utf-8"))["topics"]
    scored = []
    for topic in topics:
        sentences = [(a["id"], k, text) for a in topic["articles"] for k, text in enumerate(a["sentences"])]
        gold = {tuple(sorted(pair)) for pair in topic["gold"]}
        for x, (ax, kx, tx) in enumerate(sentences):
            for ay, ky, ty in sentences[x + 1:]:
                if ax != ay:
                    true = tuple(sorted((f"{ax}:{kx}", f"{ay}:{ky}"))) in gold
                    scored.append((fuzz.token_set_ratio(tx, ty), true))
    total = sum(true for _, true in scored)
    best = {"f1": 0.0}
    for cutoff in range(30, 100, 5):
        found = [true for score, true in scored if score >= cutoff]
        tp = sum(found)
        p, r = _ratio(tp, len(found)), _ratio(tp, total)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        if f1 > best["f1"]:
            best = {"f1": f1, "precision": p, "recall": r, "cutoff": cutoff}
    return best


def sentence_set(path: Path = DATA / "alignment_dev.yml") -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    passages, items = [], []
    for kind in ("positive", "negative", "merge_positive", "merge_negative"):
        for n, (left, right) in enumerate(data.get(kind, [])):
            a, b = f"{kind.replace('_', '-')}-{n}-a", f"{kind.replace('_', '-')}-{n}-b"
            lefts = left if isinstance(left, list) else [left]
            passages += [passage(a, k, t) for k, t in enumerate(lefts, start=1)]
            passages.append(passage(b, 1, right))
            items.append((kind, [f"{a}-p{k}-1" for k in range(1, len(lefts) + 1)], f"{b}-p1-1"))
    implied = Linked(align(tuple(passages)))
    linked = lambda x, y: implied(x, y)[0]  # noqa: E731
    result = {}
    for family in ("", "merge_"):
        pos = [all(linked(x, b) for x in a) for kind, a, b in items if kind == family + "positive"]
        # a negative is wrongly found when the sentence that does not share the fact is linked
        neg = [linked(a[-1], b) for kind, a, b in items if kind == family + "negative"]
        tp, fp = sum(pos), sum(neg)
        result[family + "pairs"] = {"positives": len(pos), "negatives": len(neg), "found": tp, "false": fp,
                                   "recall": _ratio(tp, len(pos)), "precision": _ratio(tp, tp + fp)}
    return result


def main() -> int:
    o = overlap_set()
    print(f"overlap set: recall {o['recall']:.2f}, precision {o['precision']:.2f} "
          f"({o['false']} false of {o['negatives']} hard negatives), matched span right {o['spans']:.2f}")
    for kind, c in o["per_kind"].items():
        print(f"  {kind:11} {c['linked']}/{c['items']} linked")
    n = news_set()
    print(f"news topics: precision {n['precision']:.2f}, recall {n['recall']:.2f}, F1 {n['f1']:.2f} "
          f"({n['true']} of {n['found']} links true; {n['gold']} gold pairs); with the pairs facts imply: "
          f"precision {n['facts_precision']:.2f}, recall {n['facts_recall']:.2f}")
    b = naive_news()
    print(f"  naive baseline (token_set_ratio >= {b['cutoff']}, tuned on this set): precision "
          f"{b['precision']:.2f}, recall {b['recall']:.2f}, F1 {b['f1']:.2f}")
    for name, r in sentence_set().items():
        print(f"sentences {name:12} recall {r['recall']:.2f} ({r['found']}/{r['positives']}), "
              f"precision {r['precision']:.2f} ({r['false']} false of {r['negatives']} hard negatives)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
