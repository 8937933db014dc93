"""Copies and near copies (wire text reprinted by many outlets), found without comparing pairs.

Each passage's set of content stems gets a MinHash signature; the signature is cut into bands, and
passages whose band agrees exactly fall in one bucket (locality-sensitive hashing). Pairs in a
shared bucket whose whole signatures agree (COPY_SIMILARITY) are near copies; each passage with
the most near copies takes those not yet taken (star clustering, never chaining: every member is
a near copy of its group's centre itself); a star that spans COPY_ARTICLES or more articles is a
copy group, scored once through its most common wording. With BANDS x ROWS = 16 x 4,
two passages whose stem sets agree 80% share a bucket with probability 0.9998, 60% with 0.89 and
40% with 0.34; in a group of many copies every copy is reached through some other. Each shared
bucket is checked against the whole signature (COPY_SIMILARITY), so chance collisions in a large
dossier cannot chain unrelated passages into one component.
"""

from __future__ import annotations

import zlib
import numpy as np

BANDS, ROWS = 16, 4
SIGNATURE = BANDS * ROWS  # MinHash values per passage
COPY_ARTICLES = 3  # near copies in fewer articles are ordinary parallels
COPY_SIMILARITY = 0.5  # estimated share of stems two near copies have in common (Jaccard)
BUCKET_PAIRS = 8  # each passage is compared with this many heads of a bucket it is in
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
    """A cluster label per signature: near copies (a shared band bucket, the whole signatures
    agreeing enough) of one centre passage carry the centre's index. Identical signatures are
    one node, weighed by how many passages have it."""
    if len(sig) == 0:
        return np.empty(0, dtype=np.int64)
    distinct, first, of = np.unique(sig, axis=0, return_index=True, return_inverse=True)
    of = of.ravel()
    weight = np.bincount(of)
    i, j = _bucket_pairs(distinct, weight)
    similar = _agreeing(distinct, i, j) >= COPY_SIMILARITY * SIGNATURE
    centre = star_clusters(len(distinct), i[similar], j[similar], weight)
    return first[centre][of]


def _bucket_pairs(sig: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) that share a band bucket: each member of a bucket with its BUCKET_PAIRS heads,
    the members of most weight (most passages), so a bucket of a thousand near copies gives
    thousands of pairs, not half a million, and the common wordings meet all their copies."""
    n = len(sig)
    wide = sig.astype(np.uint64)
    pairs = np.empty(0, dtype=np.int64)
    for band in range(BANDS):
        with np.errstate(over="ignore"):
            key = (wide[:, band * ROWS:(band + 1) * ROWS] * _MIX).sum(axis=1)  # wraps mod 2^64: a hash
        order = np.lexsort((np.arange(n), -weight, key))
        ranked = key[order]
        starts = np.r_[0, np.flatnonzero(ranked[1:] != ranked[:-1]) + 1]
        bucket_start = np.repeat(starts, np.diff(np.r_[starts, n]))
        offset = np.arange(n) - bucket_start  # place within its bucket, heads first
        found = [pairs]
        for head in range(BUCKET_PAIRS):
            has = np.flatnonzero(offset > head)
            i, j = order[bucket_start[has] + head], order[has]
            found.append(np.minimum(i, j) * n + np.maximum(i, j))
        # a pair of copies shares many bands: kept once, band by band, so memory holds one band's pairs
        pairs = _sorted_unique(np.concatenate(found))
    return pairs // n, pairs % n


def _agreeing(sig: np.ndarray, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """How many MinHash values the signatures of each pair (i, j) share, BLOCK pairs at a time: a
    whole wire dossier's pairs at once would hold hundreds of MB of gathered signatures."""
    out = np.empty(len(i), dtype=np.int64)
    for start in range(0, len(i), BLOCK):
        part = slice(start, start + BLOCK)
        out[part] = np.count_nonzero(sig[i[part]] == sig[j[part]], axis=1)
    return out


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique(values), which numpy 2.4 makes by hashing: 10-15x slower than sorting on the
    millions of bucket pairs of a 1,000-article wire dossier (1.3 s against 0.1 s)."""
    ranked = np.sort(values)
    return ranked[np.r_[True, ranked[1:] != ranked[:-1]]] if len(ranked) else ranked


def star_clusters(n: int, i: np.ndarray, j: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """A cluster label per node of the graph of pairs (i, j): its centre. The node with the most
    (weighted) neighbours takes all its unclaimed neighbours, then the next, and so on (star
    clustering). Every member is close to its cluster's centre itself, never only through a chain
    of others: A~B and B~C does not put A with C unless C is close to the centre too."""
    from scipy import sparse  # here: a build whose alignment is cached never loads scipy

    weight = np.ones(n, dtype=np.int64) if weight is None else weight
    graph = sparse.coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    graph = (graph + graph.T).tocsr()
    reach = weight + graph @ weight  # passages a centre would gather: itself and its near copies
    labels = np.full(n, -1, dtype=np.int64)
    for centre in np.lexsort((np.arange(n), -reach)).tolist():
        if labels[centre] >= 0:
            continue
        labels[centre] = centre
        around = graph.indices[graph.indptr[centre]:graph.indptr[centre + 1]]
        labels[around[labels[around] < 0]] = centre
    return labels


def copy_groups(sig: np.ndarray, articles: list[str]) -> list[list[int]]:
    """Groups of indices (in input order) spanning COPY_ARTICLES or more articles, each led by its
    centre: the passage with most near copies, as a rule the most common wording."""
    labels = components(sig)
    large = np.flatnonzero(np.bincount(labels)[labels] >= COPY_ARTICLES)  # in components that large
    order = large[np.argsort(labels[large], kind="stable")].tolist()  # one component's together, in input order
    bounds = (np.flatnonzero(np.diff(labels[order])) + 1).tolist()
    groups = []
    for start, end in zip([0] + bounds, bounds + [len(order)]):
        found = order[start:end]
        if len({articles[k] for k in found}) < COPY_ARTICLES:
            continue
        lead = int(labels[found[0]])
        groups.append([lead] + [k for k in found if k != lead])
    return sorted(groups, key=lambda g: min(g))
