"""What an alignment claims, as pairs: every two passages of different articles that a stored
link, a copy group or a fact says tell one thing, counted once each; and how many are right
against per-passage fact labels. Pairs are numbers (i * n + j) in numpy: a same-story dossier of
1,000 articles implies millions."""

from __future__ import annotations

from collections import Counter

import numpy as np

from dossier.model import Alignment


def claimed_pairs(alignment: Alignment, order: dict[str, int], article_of: np.ndarray) -> np.ndarray:
    """Sorted unique pair numbers i * n + j (i < j, different articles) the alignment claims."""
    n = np.int64(len(order))
    copies = {c.passages[0]: [order[p] for p in c.passages] for c in alignment.copies}
    copy_of = {p: c.passages[0] for c in alignment.copies for p in c.passages}
    parts = []

    def members(pid: str) -> list[int]:
        return copies.get(copy_of.get(pid, pid), [order[pid]])

    def all_pairs(ids: list[int]) -> np.ndarray:
        ids = np.array(sorted(set(ids)), dtype=np.int64)
        i, j = np.triu_indices(len(ids), 1)
        return ids[i] * n + ids[j]

    for link in alignment.links:
        left, right = np.array(members(link.a), dtype=np.int64), np.array(members(link.b), dtype=np.int64)
        lo, hi = np.minimum.outer(left, right).ravel(), np.maximum.outer(left, right).ravel()
        parts.append(lo * n + hi)
    for ids in copies.values():
        parts.append(all_pairs(ids))
    for group in alignment.groups:
        parts.append(all_pairs([m for pid in group.passages for m in members(pid)]))
    if not parts:
        return np.empty(0, dtype=np.int64)
    pairs = np.unique(np.concatenate(parts))
    i, j = pairs // n, pairs % n
    return pairs[(i != j) & (article_of[i] != article_of[j])]


def pair_scores(pairs: np.ndarray, labels: list[str], article_of: np.ndarray) -> dict:
    """Claimed pairs right (precision) and same-fact pairs found (recall); labels "" tell no fact."""
    n = len(labels)
    codes = {label: k for k, label in enumerate(sorted(set(labels) - {""}), start=1)}
    code = np.array([codes.get(label, 0) for label in labels], dtype=np.int64)
    i, j = pairs // n, pairs % n
    right = int(np.count_nonzero((code[i] == code[j]) & (code[i] > 0)))
    true = 0
    for label, k in codes.items():  # cross-article pairs of one fact: all pairs less same-article ones
        members = np.flatnonzero(code == k)
        per_article = Counter(article_of[members].tolist())
        true += len(members) * (len(members) - 1) // 2 - sum(c * (c - 1) // 2 for c in per_article.values())
    return {"claimed": len(pairs), "right": right, "true": true,
            "precision": right / len(pairs) if len(pairs) else 0.0, "recall": right / true if true else 0.0}
