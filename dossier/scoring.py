"""Vectorised scoring for the aligner: rarity-weighted content words, compared many at once.

Every passage becomes a sparse row over the dossier's vocabulary of stems, with word variants
(normalise/normalize, jewellery/jewelry) folded together by rapidfuzz. A word weighs its inverse
document frequency over the dossier's passages, 1.5 times that inside quotation marks. Two passages
score the soft Dice coefficient of their weights, blended with how much of the shorter one the
longer one covers. Candidates come from an inverted index on each passage's rarest words (a
sparse product in C), so the cost grows with the number of true neighbours, not with all pairs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse
from wordfreq import zipf_frequency

from .model import Passage
from .text import content_words

QUOTED_WEIGHT = 1.5  # quoted words are the statement's own words
NAME_WEIGHT = 0.5  # names say what a story is about, not which fact a sentence tells
MIN_TERMS = 4  # passages with fewer content words (captions, bylines) never link
INDEX_TERMS = 8  # each passage is indexed under this many of its rarest words
FUZZY_CUTOFF = 85  # rapidfuzz ratio for two stems to count as variants of one word
COVER_SHARE = 0.35  # weight of coverage (of the shorter passage) against the Dice coefficient
RARITY_TOP, RARITY_SPAN, RARITY_FLOOR = 7.5, 3.0, 0.1  # Zipf 7.5 ("the") weighs nothing; 4.5 weighs 1
CHUNK = 200_000  # candidate pairs scored per sparse operation, to bound memory


@dataclass(frozen=True)
class Features:
    ids: tuple[str, ...]
    article_of: np.ndarray  # article index per passage
    matrix: sparse.csr_matrix  # passages x terms, entries sqrt(weight)
    weight: np.ndarray  # total weight per passage
    eligible: np.ndarray  # bool: enough content words to link at all
    index: sparse.csr_matrix  # passages x terms, 1 where the term indexes the passage
    vocabulary: dict[str, int]  # term -> column
    idf: np.ndarray
    words: dict  # passage id -> {canonical stem: surface word}, for explanations


def variant_map(words: dict[str, str]) -> dict[str, str]:
    """Fold word variants into one term, given each stem's first surface word.

    Spelling variants: stems with a common 3-letter prefix and a rapidfuzz ratio of FUZZY_CUTOFF
    (normalise/normalize, jewellery/jewelry). Compounds: a word of 5+ letters that ends a longer
    word after a prefix of 4+ letters (phone/telephone); shorter prefixes are mostly grammatical
    (co-operation, re-lease) and change the meaning.
    """
    stems = sorted(words)
    parent = {s: s for s in stems}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    buckets: dict[str, list[str]] = defaultdict(list)
    for s in stems:
        if len(s) >= 4:
            buckets[s[:3]].append(s)
    for bucket in buckets.values():
        if len(bucket) > 1:
            scores = process.cdist(bucket, bucket, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, dtype=np.uint8)
            for i, j in zip(*np.nonzero(np.triu(scores, 1))):
                union(bucket[i], bucket[j])
    stem_of_word = {w: s for s, w in words.items()}
    for s, word in words.items():
        for cut in range(4, len(word) - 4):
            head = stem_of_word.get(word[cut:])
            if head:
                union(s, head)
                break
    return {s: find(s) for s in stems}


def features(passages: tuple[Passage, ...]) -> Features:
    per_passage = [content_words(p.text) for p in passages]
    canon = variant_map({stem: word for found in reversed(per_passage) for stem, word, _, _ in found})
    vocab_index: dict[str, int] = {}
    first_word: dict[str, str] = {}
    rows, cols, factors, words = [], [], [], {}
    for row, (passage, found) in enumerate(zip(passages, per_passage)):
        seen: dict[int, float] = {}
        surface: dict[str, str] = {}
        for stem, word, quoted, name in found:
            term = canon[stem]
            col = vocab_index.setdefault(term, len(vocab_index))
            factor = (QUOTED_WEIGHT if quoted else 1.0) * (NAME_WEIGHT if name else 1.0)
            seen[col] = max(seen.get(col, 0.0), factor)
            surface.setdefault(term, word)
            first_word.setdefault(term, word)
        for col, factor in seen.items():
            rows.append(row)
            cols.append(col)
            factors.append(factor)
        words[passage.id] = surface
    n, v = len(passages), len(vocab_index)
    rows_a, cols_a = np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64)
    df = np.bincount(cols_a, minlength=v)
    idf = np.log1p(max(n, 1) / np.maximum(df, 1)) * rarity([first_word[t] for t in vocab_index])
    values = idf[cols_a] * np.array(factors, dtype=np.float64)
    matrix = sparse.csr_matrix((np.sqrt(values), (rows_a, cols_a)), shape=(n, v))
    weight = np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel()
    terms_per_row = np.bincount(rows_a, minlength=n)
    articles = {a: i for i, a in enumerate(dict.fromkeys(p.article for p in passages))}
    return Features(
        ids=tuple(p.id for p in passages),
        article_of=np.array([articles[p.article] for p in passages], dtype=np.int64),
        matrix=matrix, weight=weight, eligible=terms_per_row >= MIN_TERMS,
        index=_index(rows_a, cols_a, df, n, v, terms_per_row >= MIN_TERMS),
        vocabulary=vocab_index, idf=idf, words=words,
    )


def rarity(words: list[str]) -> np.ndarray:
    """How rare each word is in general English (wordfreq's Zipf scale): common words weigh less
    even where the dossier is too small for its own counts to tell."""
    zipf = np.array([zipf_frequency(w, "en") for w in words], dtype=np.float64)
    return np.clip((RARITY_TOP - zipf) / RARITY_SPAN, RARITY_FLOOR, None)


def _index(rows: np.ndarray, cols: np.ndarray, df: np.ndarray, n: int, v: int, eligible: np.ndarray):
    """Each eligible passage under its INDEX_TERMS rarest words that some other passage also has."""
    keep = (df[cols] > 1) & eligible[rows]
    rows, cols = rows[keep], cols[keep]
    order = np.lexsort((cols, df[cols], rows))  # by passage, then rarest first
    rows, cols = rows[order], cols[order]
    starts = np.searchsorted(rows, rows, side="left")
    rank = np.arange(len(rows)) - starts
    keep = rank < INDEX_TERMS
    return sparse.csr_matrix((np.ones(int(keep.sum()), dtype=np.float32), (rows[keep], cols[keep])), shape=(n, v))


def scored_candidates(f: Features, floor: float, block: int = 4000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (i < j) from different articles that share an indexed word and score at least `floor`.

    Rows are taken a block at a time and scored at once, so memory stays bounded by the block,
    not by the number of candidate pairs.
    """
    found_i, found_j, found_s = [], [], []
    index_t = f.index.T.tocsc()
    for start in range(0, len(f.ids), block):
        shared = (f.index[start:start + block] @ index_t).tocoo()
        i, j = shared.row.astype(np.int64) + start, shared.col.astype(np.int64)
        keep = (j > i) & (f.article_of[i] != f.article_of[j])
        i, j = i[keep], j[keep]
        score = pair_scores(f, i, j)
        keep = score >= floor
        found_i.append(i[keep])
        found_j.append(j[keep])
        found_s.append(score[keep])
    if not found_i:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    return np.concatenate(found_i), np.concatenate(found_j), np.concatenate(found_s)


def dots(left: sparse.csr_matrix, right: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Row i of `left` dotted with row j of `right`, for many pairs, chunk by chunk."""
    out = np.empty(len(i), dtype=np.float64)
    for start in range(0, len(i), CHUNK):
        sl = slice(start, start + CHUNK)
        out[sl] = np.asarray(left[i[sl]].multiply(right[j[sl]]).sum(axis=1)).ravel()
    return out


def blend(dot: np.ndarray, w_left: np.ndarray, w_right: np.ndarray) -> np.ndarray:
    """Soft Dice, blended with the share of the shorter passage the longer one covers (0-1)."""
    dice = 2 * dot / np.maximum(w_left + w_right, 1e-9)
    cover = dot / np.maximum(np.minimum(w_left, w_right), 1e-9)
    return (1 - COVER_SHARE) * dice + COVER_SHARE * np.minimum(cover, 1.0)


def pair_scores(f: Features, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return blend(dots(f.matrix, f.matrix, i, j), f.weight[i], f.weight[j])


def explain(f: Features, a: str, b: str, score: float) -> dict:
    """Why two passages were linked: the shared words (rarest first) and the variants folded."""
    wa, wb = f.words[a], f.words[b]
    col = f.vocabulary
    shared = sorted(set(wa) & set(wb), key=lambda t: (-f.idf[col[t]], t))
    return {
        "shared_terms": [wa[t] for t in shared[:8]],
        "variants": [[wa[t], wb[t]] for t in shared if wa[t] != wb[t]],
        "score_parts": {"combined": round(100 * score, 1),
                        "shared_weight": round(sum(float(f.idf[col[t]]) for t in shared), 2)},
    }
