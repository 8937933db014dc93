"""Vectorised scoring: passages and their clauses as weighted feature rows, compared many at once.

Every passage gives one row for the whole and, when it has several clauses, one row per clause.
A row holds its words' stems and, at SYNONYM_SHARE of the weight, their WordNet concepts, so
"telephone contact" meets "by phone" and identical words still score highest. Two rows score the
soft Dice coefficient of their weights blended with how much of the shorter one the longer one
covers. Whole against whole (from CANDIDATE_WHOLE) and clause against clause or whole (from
CANDIDATE_PARTIAL) make a pair a candidate; the link model (decision.py) decides whether it links,
and a whole score from PARALLEL makes the link `parallel` (they tell the same thing), else
`overlap` (they share one fact while the rest differs).

Weights come from the words alone (general-English rarity, quotes, names, figures), never from
the rest of the dossier, so a pair's score is a function of the pair: cached scores stay valid
when other articles change. Candidates come from an inverted index on each row's rarest features
(a sparse product in C), so the cost grows with true neighbours, not with all pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from ..parallel import map_forked
from .tokens import Clause, Token

if TYPE_CHECKING:  # scipy is imported where rows are made: a build whose alignment is cached never loads it
    from scipy import sparse

SYNONYM_SHARE = 0.5  # a word's first senses together weigh this share of the word itself...
SECOND_SENSES_SHARE = 0.2  # ...and its less frequent senses this share
MIN_TERMS = 3  # passages with fewer content words never link...
MIN_PLAIN = 2  # ...nor those with fewer content words that are not names (captions, bylines)
INDEX_TERMS = 8  # each row is indexed under this many of its heaviest features
COVER_SHARE = 0.5  # weight of coverage (of the shorter row) against the Dice coefficient
PARALLEL = 0.45  # whole against whole: the two passages tell the same thing (dev sets)
CANDIDATE_WHOLE = 0.35  # a pair is a candidate for the link model (decision.py) from these scores (real news dev set)
CANDIDATE_PARTIAL = 0.3
MIN_SHARED = 1.5  # shared weight an overlap needs: about three content words, names count half
MIN_TELLING = 0.5  # shared weight of words that tell the fact (not names, figures, dates) any link needs
TOPIC_SHARE, TOPIC_MIN = 0.05, 20  # a stem in this share of the scored passages (and at least this many) is topic
TOPIC_COHESION = 0.18  # ...unless its passages are this alike (align.cohesion): a fact told by many outlets (same-story bench)
TOPIC_WEIGHT = 0.3  # relative weight of topic stems
CROSS = 0.7  # across two languages PARALLEL is this much lower: a gloss loses words (crosslang dev set: the lowest with no false link)
CHUNK = 200_000  # row pairs scored per sparse operation, to bound memory


@dataclass(frozen=True)
class Rows:
    passage: np.ndarray  # passage index per row
    clause: np.ndarray  # clause index per row, -1 for the whole passage
    matrix: sparse.csr_matrix  # rows x features, entries sqrt(weight)
    telling: sparse.csr_matrix  # the same, restricted to features of words that tell the fact
    weight: np.ndarray  # total weight per row
    index: sparse.csr_matrix  # rows x features, 1 where the feature indexes the row


def features(toks: tuple[Token, ...], topic: frozenset[str] = frozenset()) -> dict[str, tuple[float, bool]]:
    """Feature -> (weight, tells): stems, WordNet concepts, and a figure with the word after it
    (its subject: "40 people"). A feature tells the fact when its word is not a name, figure, date
    or one of the dossier's `topic` stems (words so common in this dossier that they say what it
    is about, not which fact a sentence tells); those weigh TOPIC_WEIGHT and index nothing."""
    found: dict[str, tuple[float, bool]] = {}

    def add(name: str, value: float, tells: bool) -> None:
        old = found.get(name)
        if old is None:
            found[name] = (value, tells)
        elif value > old[0] or (tells and not old[1]):
            found[name] = (max(value, old[0]), tells or old[1])

    for k, t in enumerate(toks):
        common = t.stem in topic
        weight = t.weight * TOPIC_WEIGHT if common else t.weight
        tells = t.kind == "word" and not common
        add("s:" + t.stem, weight, tells)
        if t.concepts:
            first = weight * SYNONYM_SHARE / t.primary if t.primary else 0.0
            rest = weight * SECOND_SENSES_SHARE / (len(t.concepts) - t.primary) if len(t.concepts) > t.primary else 0.0
            for n, c in enumerate(t.concepts):
                add("c:" + c, first if n < t.primary else rest, tells)
        if t.kind == "number" and k + 1 < len(toks) and toks[k + 1].kind == "word":
            add(f"n:{t.stem}|{toks[k + 1].stem}", t.weight, True)
    return found


def index_features(found: dict, topic: frozenset[str]) -> list[str]:
    """The INDEX_TERMS heaviest features of a row (topic stems excepted): its keys in the index."""
    ranked = sorted([(-value, name) for name, (value, _) in found.items()
                     if not (topic and name.startswith("s:") and name[2:] in topic)])
    return [name for _, name in ranked[:INDEX_TERMS]]


def passage_features(toks: tuple[Token, ...], clauses: tuple[Clause, ...], topic: frozenset[str]) -> list[dict]:
    """The feature rows of one passage: the whole, then each clause when it has several."""
    found = [features(toks, topic)]
    if len(clauses) > 1:
        found += [features(toks[c.start:c.end], topic) for c in clauses]
    return found


@dataclass(frozen=True)
class RowParts:
    """The rows of some passages before they are put together (`assemble`): their features'
    names, sorted, and per row its columns (into those names), weights and telling flags, in the
    row's feature order, with its index features. Numbers and one list of names: a forked
    worker hands them back cheaply."""
    names: list[str]
    rows_per_passage: np.ndarray
    lengths: np.ndarray  # features per row
    columns: np.ndarray
    values: np.ndarray
    tells: np.ndarray
    index_lengths: np.ndarray  # index features per row
    index_columns: np.ndarray


def row_parts(per_passage: list[list[dict]], topic: frozenset[str] = frozenset(),
              index: list[list[list[str]]] | None = None) -> RowParts:
    """`per_passage`: each a list from `passage_features`; `index`: per passage, each row's
    `index_features` when the caller has them already."""
    per_row = [found for per in per_passage for found in per]
    names = sorted(set(chain.from_iterable(per_row)))
    column = dict(zip(names, range(len(names)))).__getitem__
    # weight, tells, weight, tells... of every feature of every row, in row order, read in C
    pairs = np.fromiter(chain.from_iterable(chain.from_iterable(map(dict.values, per_row))),
                        dtype=np.float64).reshape(-1, 2)
    row_index = [names_ for per in index for names_ in per] if index is not None else \
        [index_features(found, topic) for found in per_row]
    return RowParts(
        names=names, rows_per_passage=np.array([len(per) for per in per_passage], dtype=np.int64),
        lengths=np.array([len(found) for found in per_row], dtype=np.int64),
        columns=np.array(list(map(column, chain.from_iterable(per_row))), dtype=np.int64),
        values=pairs[:, 0].copy(), tells=pairs[:, 1] != 0,
        index_lengths=np.array([len(found) for found in row_index], dtype=np.int64),
        index_columns=np.array(list(map(column, chain.from_iterable(row_index))), dtype=np.int64))


def rows(per_passage: list[list[dict]], topic: frozenset[str] = frozenset(),
         index: list[list[list[str]]] | None = None) -> Rows:
    """Rows for the given passages (each a list from `passage_features`); columns are features in
    sorted order, so a pair's floating-point sums run in the same order whatever else the dossier
    holds. `index`: per passage, each row's `index_features` when the caller has them already."""
    return assemble([row_parts(per_passage, topic, index)])[0]


def assemble(parts: list[RowParts]) -> tuple[Rows, list[str]]:
    """The rows of consecutive runs of passages, put together as `rows` makes them in one go, and
    the features' names (the columns)."""
    from scipy import sparse

    if len(parts) == 1:
        names, remaps = parts[0].names, [None]
    else:
        names = sorted(set().union(*(part.names for part in parts)))
        column = {name: col for col, name in enumerate(names)}
        remaps = [np.array([column[name] for name in part.names], dtype=np.int64) for part in parts]

    def joined(field: str, remapped: bool = False) -> np.ndarray:
        found = [getattr(part, field) if not remapped or remap is None else remap[getattr(part, field)]
                 for part, remap in zip(parts, remaps)]
        return np.concatenate(found) if len(found) > 1 else found[0]

    per_passage, lengths, index_lengths = joined("rows_per_passage"), joined("lengths"), joined("index_lengths")
    row_count = int(per_passage.sum())
    first_row = np.repeat(np.cumsum(per_passage) - per_passage, per_passage)
    clause_of = np.arange(row_count, dtype=np.int64) - first_row - 1  # -1: the whole passage, then its clauses
    r_idx = np.repeat(np.arange(row_count), lengths)
    c_idx = joined("columns", remapped=True)
    tells = joined("tells")
    i_rows = np.repeat(np.arange(row_count), index_lengths)
    i_cols = joined("index_columns", remapped=True)
    shape = (row_count, len(names))
    values = np.sqrt(joined("values"))
    matrix = sparse.csr_matrix((values, (r_idx, c_idx)), shape=shape)
    matrix.sort_indices()
    telling = sparse.csr_matrix((values[tells], (r_idx[tells], c_idx[tells])), shape=shape)
    telling.sort_indices()
    indexed = sparse.csr_matrix((np.ones(len(i_rows), dtype=np.float32), (i_rows, i_cols)), shape=shape)
    return Rows(passage=np.repeat(np.arange(len(per_passage), dtype=np.int64), per_passage), clause=clause_of,
                matrix=matrix, telling=telling,
                weight=np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel(), index=indexed), names


def dots(matrix: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    out = np.empty(len(i), dtype=np.float64)
    for start in range(0, len(i), CHUNK):
        sl = slice(start, start + CHUNK)
        out[sl] = np.asarray(matrix[i[sl]].multiply(matrix[j[sl]]).sum(axis=1)).ravel()
    return out


def blend(dot: np.ndarray, w_left: np.ndarray, w_right: np.ndarray) -> np.ndarray:
    """Soft Dice, blended with the share of the shorter row the longer one covers (0-1)."""
    dice = 2 * dot / np.maximum(w_left + w_right, 1e-9)
    cover = dot / np.maximum(np.minimum(w_left, w_right), 1e-9)
    return (1 - COVER_SHARE) * dice + COVER_SHARE * np.minimum(cover, 1.0)


@dataclass(frozen=True)
class Scored:
    """Passage pairs (i < j) that link, with what decided it."""
    i: np.ndarray
    j: np.ndarray
    whole: np.ndarray  # whole-against-whole score
    partial: np.ndarray  # best clause score (0 where none qualifies)
    clause_i: np.ndarray  # the clauses of that best score (-1: the whole passage)
    clause_j: np.ndarray


def score(r: Rows, article_of: np.ndarray, fresh: np.ndarray, block: int = 2000,
          language_of: np.ndarray | None = None, progress=None) -> Scored:
    """Every linking pair of passages from different articles of which at least one is `fresh`
    (pairs of two old passages are known from the cache). Rows are taken a block of passages at a
    time, in forked workers when there are several blocks: a pair is scored whole within the block
    of the passage that starts it, so blocks need nothing from one another.
    `language_of` (a code per passage; None: one language) lowers the CANDIDATE_WHOLE gate by CROSS
    for pairs of two languages (CANDIDATE_PARTIAL stays: a lower one linked topic words across languages).
    `progress(blocks done, blocks)`: called as blocks are scored."""
    plan = score_plan(r, fresh, block)
    blocks = map_forked(lambda k: _score_block(r, plan.blocks[k], plan.index_t, plan.row_of, article_of,
                                               fresh, language_of), len(plan.blocks), progress, min_items=3)
    return merge_blocks(blocks)


@dataclass(frozen=True)
class Plan:
    """How `score` cuts its work: the fresh rows of each block (never splitting one passage's
    rows), the transposed index and each passage's whole row. Each block is then scored by
    `_score_block`, a pure function of the rows and the block (the distributed engine's task)."""
    blocks: list[np.ndarray]
    index_t: sparse.csc_matrix
    row_of: np.ndarray


def score_plan(r: Rows, fresh: np.ndarray, block: int = 2000) -> Plan:
    fresh_rows = np.nonzero(fresh[r.passage])[0]
    cuts = [0]  # block boundaries in fresh_rows, never inside one passage's rows
    while cuts[-1] < len(fresh_rows):
        end = min(cuts[-1] + block, len(fresh_rows))
        while end < len(fresh_rows) and r.passage[fresh_rows[end]] == r.passage[fresh_rows[end - 1]]:
            end += 1
        cuts.append(end)
    whole_row = np.nonzero(r.clause < 0)[0]  # the whole passage's row, by passage index
    row_of = np.empty(r.passage.max() + 1 if len(r.passage) else 0, dtype=np.int64)
    row_of[r.passage[whole_row]] = whole_row
    return Plan([fresh_rows[cuts[k]:cuts[k + 1]] for k in range(len(cuts) - 1)], r.index.T.tocsc(), row_of)


def merge_blocks(blocks: list[tuple]) -> Scored:
    """The blocks' pairs as one Scored, in (i, j) order."""
    pa, pb, whole, partial, ca, cb = (np.concatenate(x) for x in zip(*blocks)) if blocks else [np.empty(0, np.int64)] * 6
    order = np.lexsort((pb, pa))
    return Scored(pa[order], pb[order], whole[order].astype(np.float64), partial[order].astype(np.float64),
                  ca[order], cb[order])


def _score_block(r: Rows, rows_here: np.ndarray, index_t: sparse.csc_matrix, row_of: np.ndarray,
                 article_of: np.ndarray, fresh: np.ndarray, language_of: np.ndarray | None) -> tuple:
    """The linking pairs started by the passages of `rows_here` (the lower passage of two fresh
    ones, the fresh one of a fresh and an old one): (pa, pb, whole, partial, clause_a, clause_b)."""
    shared = (r.index[rows_here] @ index_t).tocoo()
    a, b = rows_here[shared.row], shared.col.astype(np.int64)
    pa, pb = r.passage[a], r.passage[b]
    keep = (article_of[pa] != article_of[pb]) & (~fresh[pb] | (pa < pb))
    a, b = a[keep], b[keep]
    dot = dots(r.matrix, a, b)
    s = blend(dot, r.weight[a], r.weight[b])
    is_clause = (r.clause[a] >= 0) | (r.clause[b] >= 0)
    promising = np.nonzero(is_clause & (dot >= MIN_SHARED) & (s >= CANDIDATE_PARTIAL))[0]  # the telling words
    told = dots(r.telling, a[promising], b[promising])  # are counted only where they can matter
    partial = np.zeros(len(a))
    partial[promising[told >= MIN_TELLING]] = s[promising[told >= MIN_TELLING]]
    pa, pb, ca, cb = r.passage[a], r.passage[b], r.clause[a], r.clause[b]
    whole = ~is_clause  # whole against whole: kept, so it is not computed twice
    ka, kb, kd = np.minimum(pa[whole], pb[whole]), np.maximum(pa[whole], pb[whole]), dot[whole]
    swap = pa > pb
    pa, pb, ca, cb = np.where(swap, pb, pa), np.where(swap, pa, pb), np.where(swap, cb, ca), np.where(swap, ca, cb)
    # one entry per passage pair: the best partial score and its clauses
    order = np.lexsort((-partial, pb, pa))
    pa, pb, partial, ca, cb = pa[order], pb[order], partial[order], ca[order], cb[order]
    first = np.r_[True, (pa[1:] != pa[:-1]) | (pb[1:] != pb[:-1])] if len(pa) else np.zeros(0, dtype=bool)
    pa, pb, partial, ca, cb = pa[first], pb[first], partial[first], ca[first], cb[first]
    wa, wb = row_of[pa], row_of[pb]
    n = np.int64(len(row_of))
    known_key, pair_key = ka * n + kb, pa * n + pb
    sorter = np.argsort(known_key)
    at = np.minimum(np.searchsorted(known_key, pair_key, sorter=sorter), max(len(known_key) - 1, 0))
    hit = known_key[sorter[at]] == pair_key if len(known_key) else np.zeros(len(pa), dtype=bool)
    dot = np.empty(len(pa))
    dot[hit] = kd[sorter[at[hit]]]
    dot[~hit] = dots(r.matrix, wa[~hit], wb[~hit])
    whole = blend(dot, r.weight[wa], r.weight[wb])
    candidate = CANDIDATE_WHOLE if language_of is None else np.where(language_of[pa] != language_of[pb],
                                                                      CANDIDATE_WHOLE * CROSS, CANDIDATE_WHOLE)
    check = np.nonzero(whole >= candidate)[0]
    whole[check[dots(r.telling, wa[check], wb[check]) < MIN_TELLING]] = 0.0
    keep = (whole >= candidate) | (partial >= CANDIDATE_PARTIAL)
    partial = np.where(partial >= CANDIDATE_PARTIAL, partial, 0.0)
    return pa[keep], pb[keep], whole[keep], partial[keep], ca[keep], cb[keep]
