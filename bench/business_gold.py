"""Gold pairs of the real business-story set (bench/data/business_real.yml), derived from the per-sentence
fact tags we wrote by hand: every cross-article pair of sentences that share a fact tag; `parallel` when
both carry the same tag set, `overlap` otherwise. Rewrites the file's `gold:` list (its end) in place.

    python -m bench.business_gold          # rewrite the gold list
    python -m bench.business_gold --check  # exit 1 when the stored gold differs from the tags
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import yaml

RECIPE = Path(__file__).resolve().parent / "data" / "business_real.yml"
MARK = "  gold:\n"


def load() -> dict:
    return yaml.safe_load(RECIPE.read_text(encoding="utf-8"))


def derive(event: dict) -> list[tuple[str, str, str, list[str]]]:
    """(ref, ref, kind, shared tags) for every cross-article pair of sentences sharing a fact tag."""
    known = set(event["facts"])
    tagged = []
    for article in event["articles"]:
        for k, tags in sorted((article.get("tags") or {}).items()):
            if not 0 <= k < article["sentences"]:
                raise ValueError(f"{article['id']}:{k}: no such sentence")
            if set(tags) - known:
                raise ValueError(f"{article['id']}:{k}: unknown fact {sorted(set(tags) - known)}")
            tagged.append((article["id"], k, set(tags)))
    pairs = []
    for (a, i, s), (b, j, t) in itertools.combinations(tagged, 2):
        if a != b and s & t:
            pairs.append((f"{a}:{i}", f"{b}:{j}", "parallel" if s == t else "overlap", sorted(s & t)))
    return pairs


def stored_gold(event: dict) -> list[tuple[str, str, str]]:
    return [tuple(g) for g in event.get("gold") or []]


def main(argv: list[str]) -> int:
    event = load()["event"]
    pairs = derive(event)
    if "--check" in argv:
        same = stored_gold(event) == [(x, y, kind) for x, y, kind, _ in pairs]
        print("gold matches the tags" if same else "gold is stale: run python -m bench.business_gold")
        return 0 if same else 1
    text = RECIPE.read_text(encoding="utf-8")
    head = text[:text.index(MARK)] if MARK in text else text.rstrip("\n") + "\n"
    lines = [f'    - ["{x}", "{y}", {kind}]  # {" ".join(shared)}' for x, y, kind, shared in pairs]
    RECIPE.write_text(head + MARK + "\n".join(lines) + "\n", encoding="utf-8")
    kinds = [kind for _, _, kind, _ in pairs]
    print(f"{len(pairs)} gold pairs ({kinds.count('parallel')} parallel, {kinds.count('overlap')} overlap)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
