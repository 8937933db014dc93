"""Stage 3: sentences as passages, with ids that stay put."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.clean import clean
from dossier.load import load
from dossier.segment import _syntok_spans, cleaned_text, segment, sentence_spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


def test_abbreviations_do_not_end_sentences():
    text = "Putin called the U.S. President-elect Donald Trump on Monday. They spoke at length."
    assert sentences(text) == ["Putin called the U.S. President-elect Donald Trump on Monday.",
                               "They spoke at length."]


def test_curly_quotes_and_full_stops_inside_quotes():
    text = "He said “we agree.” Then he left. She said ‘no.’ It ended."
    assert sentences(text) == ["He said “we agree.”", "Then he left.", "She said ‘no.’", "It ended."]


def test_a_stray_closing_quote_joins_its_sentence():
    text = "The principles of “equality and respect. ”"
    assert sentences(text) == [text]


def test_passages_rejoin_to_the_cleaned_text(seed_dossier):
    for article in seed_dossier.articles:
        text = cleaned_text(article)
        passages = [p for p in seed_dossier.passages if p.article == article.id]
        assert all(text[p.start:p.end] == p.text for p in passages)
        gaps = [text[a.end:b.start] for a, b in zip(passages, passages[1:])]
        assert all(not gap.strip() for gap in gaps)
        assert text[:passages[0].start].strip() == "" and text[passages[-1].end:].strip() == ""


def test_ids_are_readable_unique_and_stable(seed_dossier, fixture_dossier):
    ids = [p.id for p in seed_dossier.passages]
    assert len(ids) == len(set(ids))
    assert "rmn-news-p10-1" in ids
    fixture_dossier.article("a", "One. Two.\n\nThree.")
    first = [p.id for p in segment(clean(load(fixture_dossier.content).articles[0], ()))]
    second = [p.id for p in segment(clean(load(fixture_dossier.content).articles[0], ()))]
    assert first == second == ["a-p1-1", "a-p1-2", "a-p2-1"]


def test_passages_keep_surface_and_normalised_text(seed_dossier):
    passage = next(p for p in seed_dossier.passages if "“telephone contact”" in p.text)
    assert '"telephone contact"' in passage.norm and passage.norm == passage.norm.lower()


# Words, spaces of several kinds, and every character near which syntok might end a sentence.
PIECES = ["word", "Word", "U.S", "3", ",", ":", "-", "\u00ad", " ", "  ", "\u00a0", "\u2009", "\t", "\n", ".", "!",
          "?", ";", "...", "\u2026", "\u3002", "(", ")", "[", "]", "\"", "'", "\u201c", "\u201d", "\u2019", "\u00bb"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=16).map("".join))
def test_paragraphs_of_one_sentence_are_cut_as_syntok_cuts_them(text):
    """A paragraph syntok cannot split is not given to syntok (most of a wire story's): the
    spans must be the ones syntok gives."""
    assert sentence_spans(text) == _syntok_spans(text)
