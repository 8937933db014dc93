"""`make bench`: the aligner and the full build on synthetic dossiers of 10, 100 and 1,000 articles,
side by side with a naive all-pairs rapidfuzz baseline run in the same process on the same data.

Each size runs in a fresh process so its peak memory is its own. The naive baseline at the
largest size would take most of an hour, so it is timed on a block of rows against all
passages and extrapolated by pair count (cdist's cost is proportional to pairs); its precision
and recall are measured on that block.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process

from bench.synthetic import generate, passages, write_content

ROOT = Path(__file__).resolve().parent.parent
NAIVE_CUTOFF = 60  # token_set_ratio at which the baseline calls two sentences parallel
NAIVE_BLOCK = 1500  # rows scored against everything when all pairs would take too long


def pair_quality(groups: list[list[str]], labels: dict[str, str]) -> tuple[float, float]:
    """Precision and recall over pairs: predicted = in one group (each pair once: a passage may
    be in several groups), true = same fact label. Pairs within one article count too, on both sides."""
    index = {pid: k for k, pid in enumerate(labels)}
    n = np.int64(len(index))
    parts = []
    for members in groups:
        ids = np.array(sorted({index[m] for m in members}), dtype=np.int64)
        i, j = np.triu_indices(len(ids), 1)
        parts.append(ids[i] * n + ids[j])
    pairs = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
    codes = {label: k for k, label in enumerate(sorted(set(labels.values()) - {""}), start=1)}
    code = np.array([codes.get(label, 0) for label in labels.values()], dtype=np.int64)
    tp = int(np.count_nonzero((code[pairs // n] == code[pairs % n]) & (code[pairs // n] > 0)))
    truth = Counter(v for v in labels.values() if v)
    true_pairs = sum(k * (k - 1) // 2 for k in truth.values())
    return (tp / len(pairs) if len(pairs) else 0.0), (tp / true_pairs if true_pairs else 0.0)


def naive(texts: list[str], articles: np.ndarray, labels: list[str]) -> dict:
    """All pairs with rapidfuzz token_set_ratio through process.cdist (C++, both cores)."""
    n = len(texts)
    rows = min(n, NAIVE_BLOCK)
    started = time.perf_counter()
    scores = process.cdist(texts[:rows], texts, scorer=fuzz.token_set_ratio, dtype=np.uint8, workers=-1)
    seconds = time.perf_counter() - started
    hit = scores >= NAIVE_CUTOFF
    i, j = np.nonzero(hit)
    keep = articles[i] != articles[j]
    i, j = i[keep], j[keep]
    lab = np.array(labels)
    tp = int(np.sum((lab[i] == lab[j]) & (lab[i] != "")))
    same = lab[:rows][:, None] == lab[None, :]
    cross = articles[:rows][:, None] != articles[None, :]
    true = int(np.sum(same & cross & (lab[:rows] != "")[:, None]))
    return {"seconds": seconds * (n * n) / (rows * n), "extrapolated": rows < n,
            "precision": tp / len(i) if len(i) else 0.0, "recall": tp / true if true else 0.0}


def measure(size: int) -> dict:
    from dossier.align import align
    from dossier.cli import build

    data = generate(size)
    ps = passages(data)
    started = time.perf_counter()
    alignment = align(ps)
    align_seconds = time.perf_counter() - started
    align_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # whole process so far
    precision, recall = pair_quality([list(g.passages) for g in alignment.groups], data.labels)
    result = {"articles": size, "passages": len(ps), "align_s": align_seconds, "align_peak_mib": align_peak / 2**20,
              "passages_per_s": len(ps) / align_seconds, "precision": precision, "recall": recall,
              "links": len(alignment.links), "groups": len(alignment.groups)}
    article_index = {a: k for k, a in enumerate(data.articles)}
    result["naive"] = naive([p.text for p in ps], np.array([article_index[p.article] for p in ps]),
                            [data.labels[p.id] for p in ps])
    with tempfile.TemporaryDirectory() as tmp:
        write_content(data, Path(tmp) / "content")
        started = time.perf_counter()
        build(Path(tmp) / "content", Path(tmp) / "site", ROOT / "mkdocs.yml", strict=False, quiet=True)
        result["build_s"] = time.perf_counter() - started
    result["process_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def table(results: list[dict]) -> str:
    head = ("| articles | passages | align s | passages/s | align peak MiB | process peak MiB | build s "
            "| P | R | naive s | naive P | naive R | speed-up |")  # peaks: whole process (ru_maxrss)
    rows = [head, "|" + "---|" * 13]
    for r in results:
        n = r["naive"]
        rows.append(f"| {r['articles']} | {r['passages']} | {r['align_s']:.2f} | {r['passages_per_s']:.0f} "
                    f"| {r['align_peak_mib']:.0f} | {r['process_peak_mib']:.0f} | {r['build_s']:.1f} "
                    f"| {r['precision']:.2f} | {r['recall']:.2f} | {n['seconds']:.1f}{'*' if n['extrapolated'] else ''} "
                    f"| {n['precision']:.2f} | {n['recall']:.2f} | {n['seconds'] / r['align_s']:.0f}x |")
    rows.append("\n\\* extrapolated from a block of rows against all passages; P/R over pairs of passages.")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return 0
    results = []
    for size in args.sizes:
        print(f"measuring {size} articles...", file=sys.stderr, flush=True)
        out = subprocess.run([sys.executable, "-m", "bench.run", "--one", str(size)], cwd=ROOT,
                             capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        if out.returncode:
            print(out.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(table(results))
    if len(results) > 1:
        big, small = results[-1], results[-2]
        print(f"\nfull build growth {small['articles']} -> {big['articles']} articles: "
              f"{big['build_s'] / small['build_s']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
