"""Crowded passages: in a corpus of thousands of outlets, hundreds of rewordings of one fact are
all candidates of one another, so the candidate pairs, and the time to explain them, would grow
with the square of the corpus. A passage's facts are settled by its strongest matches (a fact's
members link to its reference), so a pair stays a candidate while it is among the STRONGEST
strongest of one of its two passages (ties at that bar all stay).

A clean run and an incremental one keep the same pairs: the pair index keeps each passage's
STRONGEST + 1 strongest partners (`Crowds.partners`, all of them when it has fewer). A passage
with more than STRONGEST partners that loses a listed one (edited, removed or re-weighed) is
scored anew; otherwise its listed partners and its new pairs hold its strongest (`intact`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

STRONGEST = 40  # real events give a passage at most 18 candidates; at 1,000 articles a few percent have more than 40

Partner = tuple[float, str]  # (strength of the pair, the other passage's key)


@dataclass(frozen=True)
class Crowds:
    bar: dict[str, float]  # per crowded key: the strength of its STRONGEST-th partner
    partners: dict[str, tuple[Partner, ...]]  # per key: its STRONGEST + 1 strongest partners, strongest first

    def keeps(self, a: str, b: str, strength: float) -> bool:
        return strength >= self.bar.get(a, -1.0) or strength >= self.bar.get(b, -1.0)


def strength(whole, partial):
    """What ranks a pair: the better of its whole and partial scores."""
    return np.maximum(whole, partial)


def crowds(keys_a: list[str], keys_b: list[str], strengths: np.ndarray,
           listed: dict[str, tuple[Partner, ...]] | None = None) -> Crowds:
    """The bars and partner lists from candidate pairs (key a, key b, strength), and, for keys
    whose old pairs were not scored again, their `listed` partners from the last run."""
    listed = listed or {}
    names = sorted({*keys_a, *keys_b, *listed, *(o for ps in listed.values() for _, o in ps)})  # ties: by key
    number = {name: n for n, name in enumerate(names)}
    a = np.array([number[k] for k in keys_a], dtype=np.int64)
    b = np.array([number[k] for k in keys_b], dtype=np.int64)
    old = [(number[k], s, number[o]) for k, ps in listed.items() for s, o in ps]
    old_end, old_strength, old_other = (np.array(x) for x in zip(*old)) if old else (np.zeros(0, np.int64),) * 3
    ends = np.concatenate([a, b, old_end.astype(np.int64)])
    others = np.concatenate([b, a, old_other.astype(np.int64)])
    values = np.concatenate([strengths, strengths, old_strength.astype(np.float64)])
    order, first = _ranked(ends, others, values)
    ends, others, values = ends[order][first], others[order][first], values[order][first]
    starts = np.r_[0, np.nonzero(ends[1:] != ends[:-1])[0] + 1] if len(ends) else np.zeros(0, np.int64)
    counts = np.diff(np.r_[starts, len(ends)])
    rank = np.arange(len(ends)) - np.repeat(starts, counts)
    crowded = starts[counts > STRONGEST]
    bar = {names[ends[k]]: float(values[k + STRONGEST - 1]) for k in crowded}
    partners: dict[str, list[Partner]] = {}
    for k in np.nonzero(rank <= STRONGEST)[0].tolist():
        partners.setdefault(names[ends[k]], []).append((float(values[k]), names[others[k]]))
    return Crowds(bar, {key: tuple(ps) for key, ps in partners.items()})


def _ranked(ends: np.ndarray, others: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The order that puts each end's partners strongest first, and which of them is the first of
    its (end, other) pair: an article that repeats a sentence scores its pairs twice."""
    order = np.lexsort((others, -values, ends))
    e, o = ends[order], others[order]
    seen_pair = e * (o.max(initial=0) + 1) + o
    _, first_at = np.unique(seen_pair, return_index=True)
    first = np.zeros(len(order), dtype=bool)
    first[first_at] = True
    return order, first


def intact(known: frozenset[str], present: set[str], listed: dict[str, tuple[Partner, ...]]) -> frozenset[str]:
    """`known` (keys whose last scores still hold) less the crowded ones that lost a listed partner:
    their next strongest is not listed, so they are scored anew."""
    lost = {key for key in known if len(listed.get(key, ())) > STRONGEST
            and any(other not in known or other not in present for _, other in listed[key])}
    return known - lost if lost else known
