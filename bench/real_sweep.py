"""How claimed-pair P/R/F1 on the real news set (bench/data/news_real.yml) move with the candidate
gates and the link model's threshold, its weights unchanged; and what chaining would add: every
pair that two claimed pairs imply through a shared passage (A~B and B~C giving A~C).

    python -m bench.real_sweep

Without the local texts it says so and exits 0.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import combinations

from bench import real_data
from bench.real_quality import EventPairs, _prf, claimed_and_gold
from dossier.align import decision, scoring

SETTINGS = ((0.35, 0.3, 0.35), (0.35, 0.3, 0.25), (0.3, 0.25, 0.25), (0.25, 0.2, 0.25), (0.25, 0.2, 0.05))


def chained(event: EventPairs) -> set[int]:
    """Pairs of different articles, not claimed, that two claimed pairs join through one passage."""
    n, neighbours = event.n, defaultdict(set)
    for code in event.claimed:
        i, j = divmod(code, n)
        neighbours[i].add(j)
        neighbours[j].add(i)
    found = set()
    for linked in neighbours.values():
        for i, k in combinations(sorted(linked), 2):
            if event.article_of[i] != event.article_of[k] and i * n + k not in event.claimed:
                found.add(i * n + k)
    return found


def main() -> int:
    if not real_data.available():
        print(real_data.ABSENT)
        return 0
    shipped = decision.shipped_model()
    gates = scoring.CANDIDATE_WHOLE, scoring.CANDIDATE_PARTIAL
    try:
        for whole, clause, threshold in SETTINGS:
            scoring.CANDIDATE_WHOLE, scoring.CANDIDATE_PARTIAL = whole, clause
            decision.MODEL[:] = [decision.LinkModel("sweep", shipped.coefficients, shipped.intercept, threshold)]
            row = []
            for split in ("dev", "test"):
                total, chain = [0, 0, 0], [0, 0]
                for topic in real_data.news_real(split):
                    event = claimed_and_gold(topic["articles"], topic["gold"])
                    total = [a + b for a, b in zip(total, (len(event.claimed & event.gold), len(event.claimed),
                                                           len(event.gold)))]
                    more = chained(event)
                    chain = [chain[0] + len(more & event.gold), chain[1] + len(more)]
                r = _prf(*total)
                row.append(f"{split} P {r['precision']:.2f} R {r['recall']:.2f} F1 {r['f1']:.2f} "
                           f"(chaining adds {chain[1]}, {chain[0]} gold)")
            print(f"gates {whole} / {clause}, threshold {threshold}: " + "; ".join(row), flush=True)
    finally:
        scoring.CANDIDATE_WHOLE, scoring.CANDIDATE_PARTIAL = gates
        decision.MODEL.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
