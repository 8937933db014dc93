"""Precision and recall of the aligner on the development set (tests/data/alignment_dev.yml).

Every item becomes two small articles of one corpus, so word rarity is counted over the whole
set as it would be over a dossier; an item counts as found when the aligner links its sides.
Run: python -m bench.devset
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from dossier.align import align
from dossier.model import Passage
from dossier.text import normalise

DEV_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "alignment_dev.yml"


def _passage(article: str, k: int, text: str) -> Passage:
    return Passage(id=f"{article}-p1-{k}", article=article, paragraph=1, sentence=k, text=text,
                   norm=normalise(text), line=1, start=0, end=len(text))


def evaluate(path: Path = DEV_SET) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    passages, items = [], []
    for kind in ("positive", "negative", "merge_positive", "merge_negative"):
        for n, (left, right) in enumerate(data.get(kind, [])):
            a, b = f"{kind.replace('_', '-')}-{n}-a", f"{kind.replace('_', '-')}-{n}-b"
            lefts = left if isinstance(left, list) else [left]
            passages += [_passage(a, k, t) for k, t in enumerate(lefts, start=1)]
            passages.append(_passage(b, 1, right))
            items.append((kind, [f"{a}-p1-{k}" for k in range(1, len(lefts) + 1)], f"{b}-p1-1"))
    links = {(l.a, l.b) for l in align(tuple(passages)).links}
    linked = lambda x, y: (x, y) in links or (y, x) in links  # noqa: E731
    result = {}
    for family in ("", "merge_"):
        pos = [all(linked(x, b) for x in a) for kind, a, b in items if kind == family + "positive"]
        # a negative is wrongly found when the sentence that does not share the fact is linked
        neg = [linked(a[-1], b) for kind, a, b in items if kind == family + "negative"]
        tp, fp = sum(pos), sum(neg)
        result[family + "pairs"] = {"positives": len(pos), "negatives": len(neg), "found": tp, "false": fp,
                                   "recall": tp / len(pos) if pos else 0.0,
                                   "precision": tp / (tp + fp) if tp + fp else 0.0}
    return result


def main() -> int:
    for name, r in evaluate().items():
        print(f"{name:12} recall {r['recall']:.2f} ({r['found']}/{r['positives']})  "
              f"precision {r['precision']:.2f} ({r['false']} false of {r['negatives']} hard negatives)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
