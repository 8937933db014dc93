"""bench.real_sweep: what chaining would add, counted without third-party text."""

import numpy as np

from bench import real_data, real_sweep
from bench.real_quality import EventPairs


def test_chaining_adds_only_new_pairs_of_different_articles():
    # passages 0, 1 in article A; 2 in B; 3 in C. Claimed: 0~2, 2~3, 1~2, and 0~3 already.
    n = 4
    claimed = {0 * n + 2, 2 * n + 3, 1 * n + 2, 0 * n + 3}
    event = EventPairs(claimed, set(), np.array([1, 1, 2, 3]), n)
    # Through passage 2: 0~1 (same article: no), 0~3 (claimed: no), 1~3 (new). Through 3: 0~2, claimed.
    assert real_sweep.chained(event) == {1 * n + 3}


def test_skips_with_a_message_when_the_texts_are_absent(monkeypatch, capsys):
    monkeypatch.setattr(real_data, "available", lambda: False)
    assert real_sweep.main() == 0
    assert capsys.readouterr().out.strip() == real_data.ABSENT
