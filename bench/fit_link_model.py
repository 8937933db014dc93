"""Fit the aligner's link decision (dossier/align/link_model.json) on real labelled pairs.

- `link`: does a candidate pair share a fact? Fitted on the dev split of the real multi-outlet
  news set (bench/data/news_real.yml: published reports, gold by hand at sentence level).
- `parallel`: do the two passages tell the same thing? Fitted on the Microsoft Research Paraphrase
  Corpus's train split (sentence pairs from news clusters, judged paraphrase or not), only to
  compare with the shipped rule (whole score >= scoring.PARALLEL), which does as well.

Both are logistic regressions (L2, fitted by Newton's method in numpy) over the features that
`dossier.align.decision.link_features` computes for every candidate the scorer lets through.
Reported on the held-out splits (the news set's test events, the corpus's test split), beside a
`token_set_ratio` baseline whose threshold is tuned on the same dev data. The seed dossier is
never used. The data are third-party text kept in bench/data/local/ (see bench/data/*.yml and
MSRP below to bring them back); without them the script says so and exits 0.

    python -m bench.fit_link_model [--write]     # --write: update dossier/align/link_model.json

MSRP: msr_paraphrase_train.txt and msr_paraphrase_test.txt (tab-separated: Quality, #1 ID, #2 ID,
#1 String, #2 String) into bench/data/local/msrp/; public copies are in several GitHub repositories
(e.g. Pzeyang/Paraphrase_Identification). Licence: Microsoft Research Paraphrase Corpus licence
agreement (research use); kept locally only.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from bench import real_data
from dossier.align import align, decision, scoring
from dossier.model import Passage
from dossier.text import normalise

MSRP = Path(__file__).resolve().parent / "data" / "local" / "msrp"
MSRP_CHUNK = 250  # pairs aligned as one dossier
L2 = 1.0


def _passage(article: str, k: int, text: str) -> Passage:
    return Passage(id=f"{article}-p{k}-1", article=article, paragraph=k, sentence=1, text=text,
                   norm=normalise(text), line=k, start=0, end=len(text))


def candidates(passages: list[Passage]) -> dict[tuple[str, str], dict[str, float]]:
    """Every candidate pair the scorer lets through, with the model's features (no decision)."""
    decision.MODEL[:] = [decision.ACCEPT_ALL]
    try:
        found = align(tuple(passages))
    finally:
        decision.MODEL[:] = []
    return {tuple(sorted((l.a, l.b))): l.explanation["features"] for l in found.links if "features" in l.explanation}


def news_pairs(split: str) -> tuple[list[dict], list[int], list[float], int]:
    """Features and labels of the candidates of the real news set's split, the token_set_ratio of
    every cross-article pair (for the baseline: (score, label)), and the number of gold pairs."""
    rows, labels, baseline, gold_total = [], [], [], 0
    for topic in real_data.news_real(split):
        passages, texts = [], {}
        for article in topic["articles"]:
            for k, text in enumerate(article["sentences"]):
                p = _passage(f"{topic['id']}--{article['id']}", k + 1, text)
                passages.append(p)
                texts[f"{article['id']}:{k}"] = p
        gold = {tuple(sorted((texts[x].id, texts[y].id))) for x, y in topic["gold"]}
        gold_total += len(gold)
        for pair, features in candidates(passages).items():
            rows.append(features)
            labels.append(int(pair in gold))
        for x, p in enumerate(passages):
            for q in passages[x + 1:]:
                if p.article != q.article:
                    baseline.append((fuzz.token_set_ratio(p.text, q.text), int((p.id, q.id) in gold)))
    return rows, labels, baseline, gold_total


def msrp_pairs(split: str) -> tuple[list[dict], list[int], list[tuple[float, int]], int]:
    """Features and labels (1: paraphrase) of the corpus's pairs that are candidates, the
    baseline's (score, label) for every pair, and the number of paraphrase pairs."""
    with open(MSRP / f"msr_paraphrase_{split}.txt", encoding="utf-8-sig") as f:
        items = [(int(r[0]), r[3], r[4]) for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
                 if r and r[0] in ("0", "1")]
    rows, labels = [], []
    for start in range(0, len(items), MSRP_CHUNK):
        chunk = items[start:start + MSRP_CHUNK]
        passages = [p for n, (_, a, b) in enumerate(chunk) for p in (_passage(f"m{n}a", 1, a), _passage(f"m{n}b", 1, b))]
        found = candidates(passages)
        for n, (label, _, _) in enumerate(chunk):
            features = found.get((f"m{n}a-p1-1", f"m{n}b-p1-1"))
            if features is not None:
                rows.append(features)
                labels.append(label)
    baseline = [(fuzz.token_set_ratio(a, b), label) for label, a, b in items]
    return rows, labels, baseline, sum(label for label, _, _ in items)


def fit(rows: list[dict], labels: list[int]) -> tuple[np.ndarray, float]:
    """Logistic regression over the link model's features."""
    x = np.array([[r[name] for name in decision.FEATURES] for r in rows], dtype=np.float64)
    return logistic(x, np.array(labels, dtype=np.float64))


def logistic(x: np.ndarray, y: np.ndarray, l2: float = L2, iterations: int = 50) -> tuple[np.ndarray, float]:
    """Logistic regression by Newton's method with an L2 penalty on the coefficients (not the
    intercept): (coefficients, intercept)."""
    x = np.hstack([x.reshape(len(y), -1), np.ones((len(y), 1))])
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (y - p) - penalty * w
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        w += step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def scores(rows: list[dict], weights: np.ndarray, intercept: float) -> np.ndarray:
    x = np.array([[r[name] for name in decision.FEATURES] for r in rows], dtype=np.float64).reshape(-1, len(weights))
    return 1 / (1 + np.exp(-np.clip(x @ weights + intercept, -50, 50)))


def prf(predicted: np.ndarray, labels: np.ndarray, total: int) -> dict:
    tp = int((predicted & (labels == 1)).sum())
    p = tp / max(int(predicted.sum()), 1)
    r = tp / max(total, 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


def best_threshold(probability: np.ndarray, labels: np.ndarray, total: int) -> float:
    """The probability threshold with the best F1 on these (dev) pairs."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    return float(max(grid, key=lambda t: (prf(probability >= t, labels, total)["f1"], t)))


def baseline_cutoff(pairs: list[tuple[float, int]], total: int) -> float:
    score = np.array([s for s, _ in pairs])
    label = np.array([y for _, y in pairs])
    return float(max(range(30, 100, 5), key=lambda c: prf(score >= c, label, total)["f1"]))


def baseline(pairs: list[tuple[float, int]], cutoff: float, total: int) -> dict:
    score = np.array([s for s, _ in pairs])
    return {"cutoff": cutoff, **prf(score >= cutoff, np.array([y for _, y in pairs]), total)}


def one_model(name: str, dev, test) -> dict:
    rows, labels, base_dev, total_dev = dev
    weights, intercept = fit(rows, labels)
    y = np.array(labels)
    threshold = best_threshold(scores(rows, weights, intercept), y, total_dev)
    test_rows, test_labels, base_test, total_test = test
    held = prf(scores(test_rows, weights, intercept) >= threshold, np.array(test_labels), total_test)
    cutoff = baseline_cutoff(base_dev, total_dev)
    result = {"coefficients": {f: round(float(c), 4) for f, c in zip(decision.FEATURES, weights)},
              "intercept": round(intercept, 4), "threshold": threshold,
              "dev": {"pairs": len(rows), **prf(scores(rows, weights, intercept) >= threshold, y, total_dev)},
              "test": {"pairs": len(test_rows), **held},
              "baseline_dev": baseline(base_dev, cutoff, total_dev), "baseline_test": baseline(base_test, cutoff, total_test)}
    print(f"{name}: dev P/R/F1 {result['dev']['precision']}/{result['dev']['recall']}/{result['dev']['f1']}, "
          f"test {held['precision']}/{held['recall']}/{held['f1']} (threshold {threshold}); "
          f"token_set_ratio >= {cutoff:.0f}: test {result['baseline_test']['precision']}/"
          f"{result['baseline_test']['recall']}/{result['baseline_test']['f1']}")
    for f, c in result["coefficients"].items():
        print(f"  {f:14} {c:+.3f}")
    print(f"  {'intercept':14} {intercept:+.3f}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="update dossier/align/link_model.json")
    args = parser.parse_args()
    if not real_data.available() or not (MSRP / "msr_paraphrase_train.txt").exists():
        print(real_data.ABSENT if not real_data.available() else f"MSRP absent: see {__name__}'s docstring")
        return 0
    print(f"candidate gates: whole >= {scoring.CANDIDATE_WHOLE}, clause >= {scoring.CANDIDATE_PARTIAL}")
    link = one_model("link (real news, dev -> test)", news_pairs("dev"), news_pairs("test"))
    msrp_test = msrp_pairs("test")
    parallel = one_model("parallel (MSRP, train -> test)", msrp_pairs("train"), msrp_test)
    rows, labels, _, total = msrp_test
    rule = prf(np.array([r["whole"] >= scoring.PARALLEL for r in rows], dtype=bool), np.array(labels), total)
    print(f"parallel as shipped (whole >= {scoring.PARALLEL}), MSRP test: {rule['precision']}/{rule['recall']}/{rule['f1']}")
    if args.write:  # the parallel model is measured, not shipped: the whole-score rule does as well
        model = {"version": "1", "fitted_by": "bench/fit_link_model.py",
                 "fitted_on": "bench/data/news_real.yml dev split", "features": list(decision.FEATURES),
                 **{k: link[k] for k in ("coefficients", "intercept", "threshold")},
                 "measured": {"link": {k: link[k] for k in ("dev", "test", "baseline_dev", "baseline_test")},
                              "parallel_on_msrp_test": {"shipped_rule": rule, "fitted": parallel["test"],
                                                        "baseline": parallel["baseline_test"]}}}
        decision.MODEL_FILE.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {decision.MODEL_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
