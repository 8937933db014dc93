"""Crowded passages (align/crowds.py): a pair stays a candidate while it is among the STRONGEST
strongest of one of its passages, and an incremental run keeps exactly what a clean one keeps."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pytest

from bench import story
from dossier.align import align_incremental, crowds, linked_of
from dossier.text import normalise


def edit(p):
    text = p.text + " Officials said so."
    return replace(p, text=text, norm=normalise(text), end=p.start + len(text))


def story_passages(articles: int, seed: int = 5):
    return story.passages(story.generate(articles, seed=seed))


def test_a_crowded_passage_keeps_only_its_strongest_candidates(monkeypatch):
    passages = story_passages(30)
    free, index = align_incremental(passages)
    assert max(len(p) for p in index.partners.values()) > 4, "the dossier has crowded passages"
    monkeypatch.setattr(crowds, "STRONGEST", 3)
    capped, capped_index = align_incremental(passages)
    assert all(len(p) <= 4 for p in capped_index.partners.values())
    assert len(capped.links) < len(free.links)
    bar = {key: partners[2][0] for key, partners in capped_index.partners.items() if len(partners) > 3}
    assert bar, "the cap bites"
    for (a, b), link in capped_index.links.items():  # every link is among the strongest of one of its passages
        strength = max(link.whole, link.partial)
        assert strength >= bar.get(a, 0.0) or strength >= bar.get(b, 0.0)


def test_crowds_rank_a_repeated_pair_once_and_keep_ties_at_the_bar(monkeypatch):
    monkeypatch.setattr(crowds, "STRONGEST", 3)
    keys_a = ["x", "x", "x", "x", "x", "y", "z", "z", "z", "z"]
    keys_b = ["a", "b", "c", "d", "a", "x", "a", "b", "c", "d"]
    found = crowds.crowds(keys_a, keys_b, np.array([0.9, 0.8, 0.5, 0.5, 0.9, 0.4, 0.7, 0.7, 0.7, 0.6]))
    # x: five pairs, five partners (a twice, y): the third strongest is 0.5; z's is 0.7
    assert found.bar == {"x": 0.5, "z": 0.7}
    assert found.partners["x"] == ((0.9, "a"), (0.8, "b"), (0.5, "c"), (0.5, "d"))  # STRONGEST + 1, ties by key
    assert found.keeps("x", "d", 0.5)  # a tie at the bar stays
    assert found.keeps("y", "x", 0.4)  # y has one partner: among its strongest
    assert not found.keeps("x", "z", 0.45) and found.keeps("x", "z", 0.6)


@pytest.mark.parametrize("strongest, seed, kept, removed, edited, total", [
    (2, 1, 26, 0, 0, 30),  # articles added: new strong candidates push old links out
    (2, 4, 26, 0, 0, 30),
    (3, 4, 12, 4, 2, 24),  # removed and edited too: crowded passages lose listed partners
])
def test_incremental_runs_keep_what_a_clean_run_keeps(monkeypatch, strongest, seed, kept, removed, edited, total):
    """Articles added, edited and removed, with the last run's pair index, at a cap that bites.
    (Each case fails if `crowds.intact` keeps every key or kept links skip the cap.)"""
    monkeypatch.setattr(crowds, "STRONGEST", strongest)
    rng = random.Random(seed)
    passages = story_passages(total, seed=seed)
    before = set(rng.sample(sorted({p.article for p in passages}), kept))
    _, index = align_incremental(tuple(p for p in passages if p.article in before))
    gone = set(rng.sample(sorted(before), removed))
    changed = set(rng.sample(sorted(before - gone), edited))
    now = tuple(edit(p) if p.article in changed and p.paragraph % 2 else p for p in passages if p.article not in gone)
    incremental, next_index = align_incremental(now, (), index)
    clean, clean_index = align_incremental(now)
    assert incremental == clean
    assert linked_of(incremental).pairs() == linked_of(clean).pairs()
    assert next_index.partners == clean_index.partners
