"""Why the aligner misses gold pairs and claims false ones on the real news set (a split's events).

Each event is aligned twice: as shipped (the claimed pairs: stored links, copy groups, facts), and
with the candidate gates lowered to LOW_WHOLE / LOW_PARTIAL and every candidate explained, to see
where each pair stops. A missed gold pair is counted under the first step that drops it:

- `no candidate`: not even a candidate at the lowered gates (few shared words);
- `below the gates`: a candidate only at the lowered gates;
- `no fact carried`: a candidate, but `explain.carried_fact` finds no fact in the matched spans;
- `model`: a candidate carrying a fact, under the link model's threshold;
- `other`: the model would link it (e.g. an overlap of two copy groups under GROUPS_CONFIDENCE).

A false claimed pair is counted as a stored `link`, or as implied by a `copy group` or a `fact`.

    python -m bench.real_misses [--split dev] [--show]     # --show: list the pairs with their texts
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

import numpy as np

import dossier.align as aligner
from bench import real_data
from bench.claimed import claimed_pairs
from bench.real_quality import event_passages
from dossier.align import align, decision, scoring

LOW_WHOLE, LOW_PARTIAL = 0.25, 0.2
MISSES = ("no candidate", "below the gates", "no fact carried", "model", "other")


def explained_candidates(passages: tuple) -> dict[tuple[str, str], dict]:
    """Every candidate at the lowered gates: its scores, what it carries and the model's probability."""
    found: dict[tuple[str, str], dict] = {}
    original = aligner._linked

    def recording(ps, parsed, a, b, whole, partial, ci, cj, manual=False):
        result = original(ps, parsed, a, b, whole, partial, ci, cj, manual)
        key = tuple(sorted((ps[a].id, ps[b].id)))
        entry = {"whole": whole, "partial": partial, "carries": None, "probability": 0.0}
        if result is not None:
            entry["carries"] = result.explanation["carries"]
            entry["probability"] = decision.shipped_model().probability(result.explanation["features"])
        found[key] = entry
        return result

    gates = scoring.CANDIDATE_WHOLE, scoring.CANDIDATE_PARTIAL
    scoring.CANDIDATE_WHOLE, scoring.CANDIDATE_PARTIAL = LOW_WHOLE, LOW_PARTIAL
    decision.MODEL[:] = [decision.ACCEPT_ALL]
    aligner._linked = recording
    try:
        align(passages)
    finally:
        aligner._linked = original
        decision.MODEL[:] = []
        scoring.CANDIDATE_WHOLE, scoring.CANDIDATE_PARTIAL = gates
    return found


def why_missed(entry: dict | None) -> str:
    if entry is None:
        return "no candidate"
    if entry["whole"] < scoring.CANDIDATE_WHOLE and entry["partial"] < scoring.CANDIDATE_PARTIAL:
        return "below the gates"
    if entry["carries"] is None:
        return "no fact carried"
    if entry["probability"] < decision.shipped_model().threshold:
        return "model"
    return "other"


def breakdown(split: str, show: bool = False) -> tuple[Counter, Counter]:
    missed, false = Counter(), Counter()
    for topic in real_data.news_real(split):
        passages, ref = event_passages(topic["articles"])
        n = len(passages)
        order = {p.id: k for k, p in enumerate(passages)}
        article_of = np.array([hash(p.article) for p in passages], dtype=np.int64)
        alignment = align(passages)
        claimed = set(claimed_pairs(alignment, order, article_of).tolist())
        linked = {tuple(sorted((order[l.a], order[l.b]))) for l in alignment.links}
        copied = {tuple(sorted((order[x], order[y]))) for c in alignment.copies for x in c.passages for y in c.passages}
        gold = {tuple(sorted((ref[x], ref[y]))) for x, y in topic["gold"]}
        candidates = explained_candidates(passages)
        lead = {pid: c.passages[0] for c in alignment.copies for pid in c.passages}  # a copy is scored as its lead

        def entry_of(i: int, j: int) -> dict | None:
            a, b = (lead.get(passages[k].id, passages[k].id) for k in (i, j))
            return candidates.get(tuple(sorted((a, b))))

        for i, j in sorted(gold):
            if i * n + j in claimed:
                continue
            entry = entry_of(i, j)
            reason = why_missed(entry)
            missed[reason] += 1
            if show:
                _show(f"MISSED ({reason})", passages[i], passages[j], entry)
        for code in sorted(claimed):
            i, j = divmod(code, n)
            if (i, j) in gold:
                continue
            reason = "link" if (i, j) in linked else "copy group" if (i, j) in copied else "fact"
            false[reason] += 1
            if show:
                _show(f"FALSE ({reason})", passages[i], passages[j], entry_of(i, j))
    return missed, false


def _show(title: str, a, b, entry: dict | None) -> None:
    scores = "" if entry is None else (f" whole {entry['whole']:.2f} clause {entry['partial']:.2f} "
                                       f"carries {entry['carries']} p {entry['probability']:.2f}")
    print(f"{title}{scores}\n  {a.id}: {a.text}\n  {b.id}: {b.text}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--show", action="store_true")
    args = parser.parse_args()
    if not real_data.available():
        print(real_data.ABSENT)
        return 0
    missed, false = breakdown(args.split, args.show)
    print(f"{args.split}: missed gold pairs {sum(missed.values())}: " +
          ", ".join(f"{reason} {missed[reason]}" for reason in MISSES))
    print(f"{args.split}: false claimed pairs {sum(false.values())}: " +
          ", ".join(f"{reason} {false[reason]}" for reason in ("link", "copy group", "fact")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
