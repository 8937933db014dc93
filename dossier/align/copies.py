"""Copies and near copies (wire text reprinted by many outlets), found without comparing pairs.

Each passage's set of content stems gets a MinHash signature; the signature is cut into bands, and
passages whose band agrees exactly fall in one bucket (locality-sensitive hashing). Passages
joined through shared buckets form a component; a component that spans COPY_ARTICLES or more
articles is a copy group, scored once through its most common wording. With BANDS x ROWS = 16 x 4,
two passages whose stem sets agree 80% share a bucket with probability 0.9998, 60% with 0.89 and
40% with 0.34; in a group of many copies every copy is reached through some other. Each shared
bucket is checked against the whole signature (COPY_SIMILARITY), so chance collisions in a large
dossier cannot chain unrelated passages into one component.
"""

from __future__ import annotations

import zlib
from collections import Counter

import numpy as np

BANDS, ROWS = 16, 4
SIGNATURE = BANDS * ROWS  # MinHash values per passage
COPY_ARTICLES = 3  # near copies in fewer articles are ordinary parallels
COPY_SIMILARITY = 0.5  # estimated share of stems two near copies have in common (Jaccard)
BLOCK = 4096  # passages reduced to signatures at a time
_rng = np.random.default_rng(20161114)  # fixed: signatures must not change between runs
_A = _rng.integers(1, 1 << 63, BANDS * ROWS, dtype=np.uint64) | np.uint64(1)  # odd multipliers
_B = _rng.integers(0, 1 << 63, BANDS * ROWS, dtype=np.uint64)
_MIX = _rng.integers(1, 1 << 63, ROWS, dtype=np.uint64) | np.uint64(1)


def signatures(stem_sets: list[frozenset[str]]) -> np.ndarray:
    """One MinHash row (BANDS x ROWS uint32 values) per set; sets must not be empty. Each distinct
    stem is hashed once, and passages are reduced in blocks, so memory stays small."""
    vocabulary = {w: k for k, w in enumerate(sorted({w for s in stem_sets for w in s}))}
    values = np.array([zlib.crc32(w.encode()) for w in vocabulary], dtype=np.uint64)
    with np.errstate(over="ignore"):  # multiply-shift hashing: arithmetic mod 2^64, keep the high bits
        hashed = ((values[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)).astype(np.uint32)
    out = np.empty((len(stem_sets), BANDS * ROWS), dtype=np.uint32)
    for start in range(0, len(stem_sets), BLOCK):
        block = stem_sets[start:start + BLOCK]
        ids = np.fromiter((vocabulary[w] for s in block for w in s), dtype=np.int64)
        starts = np.r_[0, np.cumsum([len(s) for s in block])[:-1]]
        out[start:start + len(block)] = np.minimum.reduceat(hashed[ids], starts, axis=0)
    return out


def components(sig: np.ndarray) -> np.ndarray:
    """A component label per signature: passages that share a band bucket, directly or through
    others, where the whole signatures agree enough."""
    n = len(sig)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    wide = sig.astype(np.uint64)
    left, right = [], []
    for band in range(BANDS):
        with np.errstate(over="ignore"):
            key = (wide[:, band * ROWS:(band + 1) * ROWS] * _MIX).sum(axis=1)  # wraps mod 2^64: a hash
        order = np.argsort(key, kind="stable")
        ranked = key[order]
        same = ranked[1:] == ranked[:-1]
        left.append(order[:-1][same])
        right.append(order[1:][same])
    i, j = np.concatenate(left), np.concatenate(right)
    pairs = np.unique(np.minimum(i, j) * n + np.maximum(i, j))  # a pair of copies shares many bands: once
    i, j = pairs // n, pairs % n
    # a bucket shared by chance is not enough
    similar = np.count_nonzero(sig[i] == sig[j], axis=1) >= COPY_SIMILARITY * SIGNATURE
    i, j = i[similar], j[similar]
    from scipy import sparse  # here: a build whose alignment is cached never loads scipy
    from scipy.sparse.csgraph import connected_components

    graph = sparse.coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def copy_groups(sig: np.ndarray, articles: list[str], texts: list[str]) -> list[list[int]]:
    """Groups of indices (in input order) spanning COPY_ARTICLES or more articles, each led by its
    most common wording (ties: the first in input order)."""
    labels = components(sig)
    large = np.flatnonzero(np.bincount(labels)[labels] >= COPY_ARTICLES)  # in components that large
    order = large[np.argsort(labels[large], kind="stable")].tolist()  # one component's together, in input order
    bounds = (np.flatnonzero(np.diff(labels[order])) + 1).tolist()
    groups = []
    for start, end in zip([0] + bounds, bounds + [len(order)]):
        found = order[start:end]
        if len({articles[k] for k in found}) < COPY_ARTICLES:
            continue
        wording = Counter(texts[k] for k in found)
        lead = min(found, key=lambda k: (-wording[texts[k]], k))
        groups.append([lead] + [k for k in found if k != lead])
    return sorted(groups, key=lambda g: min(g))
