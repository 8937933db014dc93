"""Progress of long stages: counts on a terminal, nothing in CI or when output is not a terminal."""

from __future__ import annotations

import io
import re

from dossier import progress
from dossier.progress import Progress


def count_pages(total: int) -> str:
    """What Progress writes while `total` pages are counted, one by one."""
    stream = io.StringIO()
    shown = Progress(stream=stream)
    count = shown.counter("rendered", "pages")
    for done in range(1, total + 1):
        count(done, total)
    shown.done()
    return stream.getvalue()


def test_counts_are_shown_in_place_once_the_work_lasts(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    text = count_pages(1200)
    assert "\r  rendered 1,200 of 1,200 pages" in text and text.endswith("\n")
    assert text.count("\r") == 1200  # updated in place, one line in the end


def test_short_work_shows_nothing(monkeypatch):
    assert count_pages(10) == ""


def test_quiet_in_ci_and_off_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stderr", Terminal())
    monkeypatch.delenv("CI", raising=False)
    assert progress.wanted()
    monkeypatch.setenv("CI", "true")
    assert not progress.wanted()
    monkeypatch.delenv("CI")
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal
    assert not progress.wanted()
    assert not Progress().enabled


def test_the_aligner_counts_its_long_steps(monkeypatch):
    """A clean alignment reports its steps as it goes: passages compared, links explained, each
    counted to its end on a line of its own, and the last line ended before the stage's summary."""
    from bench import synthetic
    from dossier.align import align_incremental
    from dossier.model import Passage
    from dossier.text import normalise

    monkeypatch.setattr(progress, "SHOW_AFTER", 0.0)
    monkeypatch.setattr(progress, "EVERY", 0.0)
    passages = tuple(Passage(f"{a}-p{n}-1", a, n, 1, t, normalise(t), n, 0, len(t))
                     for a, sentences in synthetic.generate(20).articles.items() for n, t in enumerate(sentences, 1))
    stream = io.StringIO()
    alignment, index = align_incremental(passages, progress=Progress(stream=stream))
    text = stream.getvalue()
    scored = len(index.keys)
    assert f"\r  compared {scored:,} of {scored:,} passages" in text
    explained = re.search(r"\r  explained ([\d,]+) of \1 candidate pairs", text)
    assert explained and int(explained[1].replace(",", "")) >= len(alignment.links) > 0
    assert text.endswith("\n") and text.count("\n") >= 2
    assert align_incremental(passages)[0] == alignment  # counting changes nothing
