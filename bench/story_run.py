"""Same-story dossiers (bench/story.py) at 30, 100, 300 and 1,000 articles: the share of the
pairs the alignment claims that are right, the share of same-fact pairs it finds, the stored
links, facts and copy groups, and the aligner's time. Each size in a fresh process.

    python -m bench.story_run [--sizes 30 100 300 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import numpy as np

from bench import story
from bench.claimed import claimed_pairs, pair_scores
from dossier.align import align


def measure(size: int) -> dict:
    data = story.generate(size)
    ps = story.passages(data)
    started = time.perf_counter()
    alignment = align(ps)
    seconds = time.perf_counter() - started
    order = {p.id: k for k, p in enumerate(ps)}
    articles = {a: k for k, a in enumerate(data.articles)}
    article_of = np.array([articles[p.article] for p in ps], dtype=np.int64)
    scores = pair_scores(claimed_pairs(alignment, order, article_of), [data.labels[p.id] for p in ps], article_of)
    largest = max((len(g.passages) for g in alignment.groups), default=0)
    largest_copy = max((len(c.passages) for c in alignment.copies), default=0)
    return {"articles": size, "passages": len(ps), "align_s": round(seconds, 2), "links": len(alignment.links),
            "facts": len(alignment.groups), "largest_fact": largest, "copy_groups": len(alignment.copies),
            "largest_copy_group": largest_copy, **scores}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30, 100, 300, 1000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child)))
        return 0
    print("| articles | passages | claimed pairs right | same-fact pairs found | stored links | facts "
          "(largest) | copy groups (largest) | align s |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        out = subprocess.run([sys.executable, "-m", "bench.story_run", "--child", str(size)],
                             capture_output=True, text=True, check=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"| {size:,} | {r['passages']:,} | {r['precision']:.2f} ({r['right']:,}/{r['claimed']:,}) | "
              f"{r['recall']:.2f} | {r['links']:,} | {r['facts']:,} ({r['largest_fact']:,}) | "
              f"{r['copy_groups']:,} ({r['largest_copy_group']:,}) | {r['align_s']} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
