"""Stage 4: the aligner on the seed gold file, the development set, and its structural promises."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import quality
from dossier.align import Linked, align, diff_sides, groups_of, word_diff
from dossier.errors import DossierError
from dossier.model import Link, Passage
from dossier.pipeline import run
from dossier.text import normalise

DATA = Path(__file__).parent / "data"


def passage(article: str, n: int, text: str) -> Passage:
    return Passage(f"{article}-p{n}-1", article, n, 1, text, normalise(text), n, 0, len(text))


def pairs_of(links) -> set[tuple[str, str]]:
    return {tuple(sorted((l.a, l.b))) for l in links}


def test_seed_gold_measured_strictly(seed_dossier):
    """The seed pair against its gold, no extra link counted as allowed. The target is 8 of 8 at
    precision 0.9; the link model (fitted on the real news dev set, never on the seeds) finds 7
    and adds 1 false link, the figures docs/alignment.md gives: a drop fails here."""
    gold = yaml.safe_load((DATA / "seed_gold.yml").read_text())
    found = pairs_of(seed_dossier.alignment.links)
    must = {tuple(sorted(p)) for p in gold["parallel"]}
    allowed = must | {tuple(sorted(p)) for p in gold["allowed"]}
    assert len(must & found) >= 7, f"missed: {sorted(must - found)}"
    assert len(found - allowed) <= 1, f"false links: {sorted(found - allowed)}"


def test_seed_repeat_is_one_fact(seed_dossier):
    """RMN's deck repeats the "common enemy" sentence: both carry report-000's fact, in one fact."""
    group = next(g for g in seed_dossier.alignment.groups if "rmn-news-p13-1" in g.passages)
    assert set(group.passages) == {"report-000-p1-2", "rmn-news-p1-1", "rmn-news-p13-1"}


def test_two_adjacent_sentences_telling_one_fact_are_marked_2_to_1():
    from dossier.align import _mark_merges

    ps = (passage("a", 1, "x"), passage("a", 2, "y"), passage("b", 1, "z"))
    links = {("a-p1-1", "b-p1-1"): Link("a-p1-1", "b-p1-1", 50, "auto"),
             ("a-p2-1", "b-p1-1"): Link("a-p2-1", "b-p1-1", 50, "auto")}
    marked = _mark_merges(links, ps, {p.id: k for k, p in enumerate(ps)})
    assert {link.shape for link in marked.values()} == {"2:1"}
    alone = _mark_merges({("a-p1-1", "b-p1-1"): links[("a-p1-1", "b-p1-1")]}, ps, {p.id: k for k, p in enumerate(ps)})
    assert [link.shape for link in alone.values()] == ["1:1"]


def test_links_explain_themselves(seed_dossier):
    from dossier.align.explain import explain
    from dossier.align.tokens import clauses, tokens

    link = next(l for l in seed_dossier.alignment.links if l.b == "rmn-news-p11-1")
    assert {"reliable", "bilateral", "trade"} <= set(link.explanation["shared_terms"])
    assert link.kind == "parallel" and 0 < link.score <= 100 and link.explanation["carries"] == "predicate"
    a, b = "Both will continue to have telephone contact.", "They agreed to maintain contact by phone."
    _, why = explain((tokens(a), clauses(a, tokens(a))), (tokens(b), clauses(b, tokens(b))), -1, -1)
    assert ["telephone", "phone"] in why["variants"], "WordNet synonyms are named"


def test_a_shared_fact_links_with_its_span_on_both_sides(seed_dossier):
    """The sentences share the agreement to normalize relations and seek constructive cooperation,
    and nothing else: an overlap link whose spans hold that fact in each passage."""
    texts = {p.id: p.text for p in seed_dossier.passages}
    link = next(l for l in seed_dossier.alignment.links if (l.a, l.b) == ("report-000-p1-1", "rmn-news-p10-1"))
    assert link.kind == "overlap"
    (a0, a1), (b0, b1) = link.spans
    left, right = texts[link.a][a0:a1], texts[link.b][b0:b1]
    assert "normalize" in left and "constructive cooperation" in left and "terrorism" not in texts[link.a][a1:] + left
    assert "normalize relations and pursue constructive cooperation" in right
    whole = next(l for l in seed_dossier.alignment.links if (l.a, l.b) == ("report-000-p5-1", "rmn-news-p10-1"))
    assert whole.kind == "parallel"


def test_clause_paraphrase_with_synonyms_links_as_overlap():
    one = passage("a", 1, "The envoys will remain in close telephone contact, the ministry said.")
    two = passage("b", 1, "Fighting continued in the north on Monday, while the envoys promised to stay in contact by phone.")
    (link,) = align((one, two)).links
    assert link.kind == "overlap" and ["telephone", "phone"] in link.explanation["variants"]
    assert ["remain", "stay"] in link.explanation["variants"]
    (start, end) = link.spans[1]
    assert two.text[start:end] == "envoys promised to stay in contact by phone"


def test_development_sets_precision_and_recall():
    """Floors a little under what the engine measures now (docs/alignment.md)."""
    overlap = quality.overlap_set()
    assert overlap["recall"] >= 0.75 and overlap["precision"] >= 0.75 and overlap["spans"] >= 0.9
    news = quality.news_set()
    assert news["f1"] >= 0.6 and news["precision"] >= 0.9
    sentences = quality.sentence_set()
    assert sentences["pairs"]["recall"] >= 0.9 and sentences["pairs"]["precision"] >= 0.7
    assert sentences["merge_pairs"]["recall"] >= 0.5 and sentences["merge_pairs"]["precision"] >= 0.7


def test_short_passages_never_link():
    caption = passage("a", 1, "Donald Trump, Moscow")
    long_a = passage("a", 2, "The two leaders agreed to hold a summit in Vienna next spring.")
    long_b = passage("b", 1, "A summit in Vienna next spring was agreed by the two leaders.")
    caption_b = passage("b", 2, "Donald Trump, Moscow")
    assert pairs_of(align((caption, long_a, long_b, caption_b)).links) == {("a-p2-1", "b-p1-1")}


def test_word_diff_marks_the_translation_variant():
    a = "not only agreed on the totally unsatisfactory state of bilateral relations,"
    b = "not only agreed on the absolutely unsatisfactory state of bilateral relations"
    assert ["-", "totally"] in word_diff(a, b) and ["+", "absolutely"] in word_diff(a, b)
    left, right = diff_sides(a, b)
    assert (True, "totally") in left and (True, "absolutely") in right
    assert " ".join(t for _, t in left) == a
    moved_left, moved_right = diff_sides("Putin and Trump will speak soon.", "Soon, it was agreed, Putin and Trump speak.")
    assert all(not changed for changed, text in moved_left if "Putin" in text or "Trump" in text)
    assert (True, "will") in moved_left and (True, "it was agreed,") in moved_right


def test_groups_are_not_glued_by_one_stray_link():
    """Two cliques of three joined by one link stay two groups."""
    ids = [f"{art}-p{n}-1" for art in "abc" for n in (1, 2)]
    ps = tuple(passage(i[0], int(i[3]), "x") for i in ids)
    clique = lambda n: [Link(f"{x}-p{n}-1", f"{y}-p{n}-1", 80, "auto") for x, y in ("ab", "ac", "bc")]  # noqa: E731
    stray = Link("a-p1-1", "b-p2-1", 90, "auto")
    groups = groups_of(tuple(clique(1) + clique(2) + [stray]), ps)
    assert sorted(len(g.passages) for g in groups) == [3, 3]


def test_reprinted_sentence_is_one_group_with_bounded_export(fixture_dossier, tmp_path):
    from dossier.cli import build
    import json

    sentence = "The central bank raised its benchmark interest rate by half a percentage point on Wednesday."
    local = ["A new footbridge over the canal opened to walkers after two years of delays.",
             "The county library extended its weekend opening hours for the exam season.",
             "Heavy snow closed three mountain roads and stranded several lorries overnight.",
             "The town's football club appointed a former goalkeeper as its new coach.",
             "A jazz festival drew record crowds to the harbour despite the rain.",
             "Firefighters rescued a horse that had fallen into a drainage ditch.",
             "Parents protested against plans to merge two primary schools next year.",
             "The museum unveiled a restored medieval tapestry found in a farmhouse attic.",
             "A local bakery won a national prize for its sourdough loaf.",
             "Volunteers planted four hundred oak saplings along the river bank.",
             "The council approved a new cycle lane on the main shopping street.",
             "A rare white stork was spotted nesting on the church tower."]
    for n in range(12):
        fixture_dossier.article(f"outlet-{n}", f"{sentence}\n\n{local[n]}")
    build(fixture_dossier.content, tmp_path / "site", Path("mkdocs.yml").resolve(), strict=True, quiet=True)
    export = json.loads((tmp_path / "site/export/dossier.json").read_text())
    (group,) = [g for g in export["facts"]]
    assert len(group["passages"]) == 12 and group["copies"] == ["c1"]
    (copy,) = export["copies"]
    assert copy["wording"] == sentence and len(copy["members"]) == 11
    assert export["links"] == [], "copies are stored once as a group; pair links inside are implied"
    html = (tmp_path / "site/articles/outlet-3.html").read_text()
    assert ">↔ in 11 other articles</a>" in html


def test_manual_rules_assert_and_reject(seed_dossier, fixture_dossier):
    fixture_dossier.copy_seed()
    fixture_dossier.write("alignments.yml", """
        link:
          - a: {article: report-000, quote: "According to the Kremlin, Putin and Trump have a lot"}
            b: {article: rmn-news, quote: "Russia’s President Vladimir Putin had a telephone conversation"}
            note: both open on the call itself
        reject:
          - a: {article: report-000, quote: "totally unsatisfactory"}
            b: {article: rmn-news, quote: "absolutely unsatisfactory"}
        """)
    dossier = run(fixture_dossier.content)
    links = {(l.a, l.b): l for l in dossier.alignment.links}
    manual = links[("report-000-p3-1", "rmn-news-p2-1")]
    assert manual.method == "manual" and manual.explanation["note"] == "both open on the call itself"
    assert ("report-000-p5-1", "rmn-news-p10-1") not in links
    assert not any({"report-000-p5-1", "rmn-news-p10-1"} <= set(g.passages) for g in dossier.alignment.groups)


def test_manual_rule_quote_that_matches_nothing_names_the_closest(fixture_dossier):
    fixture_dossier.copy_seed()
    fixture_dossier.write("alignments.yml", """
        reject:
          - a: {article: report-000, quote: "totaly unsatisfactory state"}
            b: {article: rmn-newz, quote: "absolutely"}
        """)
    with pytest.raises(DossierError) as info:
        run(fixture_dossier.content)
    messages = [str(p) for p in info.value.problems]
    assert any("content/alignments.yml:2: quote not found in 'report-000'" in m and "report-000-p5-1" in m
               for m in messages), messages
    # the words that come closest, as the passage writes them, to copy into the rule (it showed the
    # passage's first 60 characters, lower-cased, cut inside a word)
    assert any('report-000-p5-1 (96): "totally unsatisfactory state"' in m for m in messages), messages
    assert any("unknown article 'rmn-newz' (did you mean 'rmn-news'?)" in m for m in messages)


sentences = st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80),
                     min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(sentences, min_size=1, max_size=4))
def test_aligner_on_arbitrary_text_links_only_across_articles(articles):
    ps = tuple(passage(f"art{k}", n, text) for k, texts in enumerate(articles)
               for n, text in enumerate(texts, start=1))
    result = align(ps)
    by_id = {p.id: p for p in ps}
    for link in result.links:
        assert by_id[link.a].article != by_id[link.b].article and 0 <= link.score <= 100
    members = [pid for g in result.groups for pid in g.passages]
    assert len(members) == len(set(members)), "a passage is in at most one group"


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["The ministers signed a trade agreement in Vienna on Monday.",
                                 "Floods killed at least forty people in the north, officials said.",
                                 "The central bank raised interest rates by half a point."]), min_size=2, max_size=5))
def test_identical_sentences_in_different_articles_always_link(texts):
    ps = tuple(passage(f"art{k}", 1, t) for k, t in enumerate(texts))
    linked = Linked(align(ps))
    for x in ps:
        for y in ps:
            if x.id < y.id and x.text == y.text:
                assert linked(x.id, y.id)[0]


def test_alignment_is_cached_by_content(fixture_dossier, tmp_path, monkeypatch):
    import dossier.align

    fixture_dossier.copy_seed()
    cache = tmp_path / "cache"
    first = run(fixture_dossier.content, cache)
    assert len(list(cache.glob("alignment-*.json"))) == 1
    real = dossier.align.align_incremental
    calls = []

    def counting(passages, rules, previous, progress=None):
        calls.append(previous)
        return real(passages, rules, previous, progress)

    monkeypatch.setattr(dossier.align, "align_incremental", counting)
    meta = fixture_dossier.content / "dossier.yml"
    meta.write_text(meta.read_text().replace("title: \"The Putin", "title: \"Renamed: the Putin"))  # not a passage
    again = run(fixture_dossier.content, cache)
    assert again.alignment == first.alignment and again.meta.title.startswith("Renamed") and calls == []
    article = fixture_dossier.content / "articles/rmn-news.md"
    article.write_text(article.read_text().replace("absolutely unsatisfactory", "entirely unsatisfactory"))
    run(fixture_dossier.content, cache)
    assert len(calls) == 1 and calls[0] is not None, "an edited article is aligned against the kept pair index"


def test_incremental_alignment_equals_a_clean_one(fixture_dossier, tmp_path):
    """Adding, editing and removing articles with the pair index kept gives what a clean run gives."""
    import shutil

    from dossier.align import align_incremental

    stories = [
        "The central bank raised its benchmark interest rate by half a point on Wednesday, citing inflation.",
        "Floods in the north killed at least 40 people and forced 2,000 residents from their homes.",
        "The two leaders agreed to keep in touch by telephone and to meet in person next spring.",
        "Prosecutors charged the former mayor with taking bribes from three construction firms.",
    ]
    for k in range(5):
        body = "\n\n".join(stories[(k + n) % 4].replace("the", ("the", "a", "the", "this", "the")[k], 1) for n in range(3))
        fixture_dossier.article(f"outlet-{k}", body)
    cache = tmp_path / "cache"
    run(fixture_dossier.content, cache)
    fixture_dossier.article("outlet-5", stories[2] + "\n\nA new sentence about the harbour tunnel opened on Monday.")
    fixture_dossier.article("outlet-1", stories[0].replace("half a point", "0.5 points") + "\n\n" + stories[3])
    (fixture_dossier.content / "articles/outlet-3.md").unlink()
    incremental = run(fixture_dossier.content, cache)
    shutil.rmtree(cache)
    clean = run(fixture_dossier.content, None)
    assert incremental.alignment == clean.alignment
    assert [l.explanation for l in incremental.alignment.links] == [l.explanation for l in clean.alignment.links]
    # a second run with the index scores nothing: every pair it keeps is the one scored before
    _, index = align_incremental(clean.passages, ())
    again, second = align_incremental(clean.passages, (), index)
    assert again == clean.alignment and second.keys == index.keys and second.topic == index.topic
    assert all(second.links[pair] is index.links[pair] for pair in index.links)


def test_three_articles_form_one_group_and_link_to_every_member(fixture_dossier, tmp_path):
    import re as regex
    from dossier.cli import build

    fixture_dossier.article("a", "The two governments signed a fisheries agreement covering the northern coast on Friday.")
    fixture_dossier.article("b", "On Friday the two governments signed an agreement on fisheries along the northern coast.")
    fixture_dossier.article("c", "A fisheries agreement for the northern coast was signed by the two governments on Friday.")
    build(fixture_dossier.content, tmp_path / "site", Path("mkdocs.yml").resolve(), strict=True, quiet=True)
    for me, others in (("a", "bc"), ("b", "ac"), ("c", "ab")):
        html = (tmp_path / f"site/articles/{me}.html").read_text()
        targets = set(regex.findall(r'class="parallel" href="([a-z]).html#', html))
        assert targets == set(others), (me, targets)


def test_unrelated_stories_are_not_glued_together():
    stories = [
        "The central bank raised its benchmark interest rate by half a point to fight inflation.",
        "Heavy snow closed the mountain pass and stranded hundreds of lorries overnight.",
        "The football club sacked its manager after a run of seven defeats in the league.",
        "Scientists discovered a new species of frog in the cloud forests of Ecuador.",
    ]
    ps = tuple(passage(f"art{k}", 1, text) for k, text in enumerate(stories))
    result = align(ps)
    assert result.links == () and result.groups == ()


def test_a_rejected_pair_splits_a_passage_out_of_its_copy_group(fixture_dossier):
    wire = "The central bank raised its benchmark interest rate by half a percentage point on Wednesday."
    for n in range(4):
        fixture_dossier.article(f"outlet-{n}", wire)
    fixture_dossier.write("alignments.yml", """
        reject:
          - a: {article: outlet-0, quote: "raised its benchmark"}
            b: {article: outlet-2, quote: "raised its benchmark"}
            note: outlet-2 reprinted an earlier, withdrawn version
        """)
    alignment = run(fixture_dossier.content).alignment
    (copy,) = alignment.copies
    assert copy.passages == ("outlet-0-p1-1", "outlet-1-p1-1", "outlet-3-p1-1")
    assert not any({"outlet-0-p1-1", "outlet-2-p1-1"} <= set(g.passages) for g in alignment.groups)
    assert not Linked(alignment)("outlet-0-p1-1", "outlet-2-p1-1")[0]


def test_topic_words_weigh_less_and_incremental_runs_stay_exact():
    """A word in most passages of a dossier tells what it is about, not which fact a sentence
    tells: it is a topic stem. Adding an article that keeps the topic scores only that article."""
    from dossier.align import align_incremental

    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 4000)[2000:] if w.isalpha()]
    facts = [" ".join(words[5 * n:5 * n + 5]) for n in range(30)]  # 30 different facts
    ps = tuple(passage(f"a{n:02d}", 1, f"At the harbour, {facts[n]}.") for n in range(30))
    alignment, index = align_incremental(ps)
    assert "harbour" in index.topic and alignment.links == (), "a shared topic word alone links nothing"
    added = ps + (passage("zz", 1, f"At the harbour, {facts[2]}."),)
    incremental, second = align_incremental(added, (), index)
    assert second.topic == index.topic and incremental == align(added)
    assert [(l.a, l.b) for l in incremental.links] == [("a02-p1-1", "zz-p1-1")]


def test_a_stem_entering_the_topic_rescores_only_the_passages_holding_it(monkeypatch):
    from wordfreq import top_n_list

    from dossier.align import align_incremental, scoring

    words = [w for w in top_n_list("en", 4000)[2000:] if w.isalpha()]
    ps = tuple(passage(f"a{n:02d}", 1, f"{' '.join(words[5 * n:5 * n + 5])}, {'harbour ' if n < 19 else ''}said"
                       f" {words[300 + n]} {words[400 + n]}.") for n in range(40))
    _, index = align_incremental(ps)
    assert "harbour" not in index.topic  # in 19 passages: under the floor of 20; one goes, two come
    added = ps[1:] + (passage("zz", 1, f"harbour {words[500]} {words[501]} {words[502]} {words[503]}."),
                      passage("zy", 1, f"harbour {words[504]} {words[505]} {words[506]} {words[507]}."))
    scored_anew = []
    real = scoring.score
    monkeypatch.setattr(scoring, "score", lambda rows, article_of, fresh, **options: (
        scored_anew.append(int(fresh.sum())), real(rows, article_of, fresh, **options))[1])
    incremental, second = align_incremental(added, (), index)
    assert scored_anew == [20], "the 18 kept and 2 new passages holding the stem, no other"
    assert incremental.links == align(added).links
    assert "harbour" in second.topic and incremental == align(added)


STEM_POOL = {f"k{n}": frozenset(f"s{(n * m) % 7}" for m in range(1, n % 4 + 2)) for n in range(8)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(sorted(STEM_POOL)), max_size=12), min_size=1, max_size=5))
def test_stem_counts_kept_between_runs_equal_a_count_from_scratch(runs):
    """Each run's counts are the last run's, updated by the passage keys that came or went (a
    key may be scored several times, as an article may repeat a sentence)."""
    from collections import Counter
    from dataclasses import replace

    from dossier.align import PairIndex, Seen, stem_counts

    index = PairIndex()
    for keys in runs:
        scored = Counter(keys)
        seen = {key: Seen(STEM_POOL[key], None) for key in keys}
        df = stem_counts(scored, seen, index)
        assert df == Counter(stem for key in keys for stem in STEM_POOL[key])
        index = replace(index, seen=seen, scored=scored, df=df)


def test_a_fact_told_by_many_outlets_keeps_its_words_while_the_story_s_words_are_topic():
    """Both stems pass the topic share; the story's word is spread over passages that share
    nothing else, the fact's words come back together in rewordings of one sentence."""
    from collections import Counter

    from dossier.align import PairIndex, Seen, scoring, stem_counts, topic_stems

    fact = ["terror", "extrem", "enemi", "common", "fight", "joint"]
    seen = {f"fact{n}": Seen(frozenset(fact[:n % 6] + fact[n % 6 + 1:] + [f"own{n}"]), None) for n in range(30)}
    seen.update({f"story{n}": Seen(frozenset(["putin", *(f"w{n}_{m}" for m in range(5))]), None) for n in range(40)})
    seen.update({f"other{n}": Seen(frozenset(f"x{n}_{m}" for m in range(6)), None) for n in range(300)})
    keys = list(seen)
    df = stem_counts(Counter(keys), seen, PairIndex())
    floor = max(scoring.TOPIC_MIN, scoring.TOPIC_SHARE * len(keys))
    assert df["putin"] >= floor and all(df[stem] >= floor for stem in fact)
    assert topic_stems(df, keys, seen) == {"putin"}


def test_the_phrases_a_word_can_open_are_those_wordnet_has():
    """`tails_after` only spares lookups: a pair of words is a phrase with senses exactly when its
    second word is among the tails after the first (inflected heads included: "stepped down")."""
    import sys

    lexicon = sys.modules["dossier.align.lexicon"]
    heads = ["step", "stepped", "steps", "look", "looked", "took", "take", "gave", "run", "ran", "broke",
             "set", "carried", "put", "picking", "turn", "blew", "brought", "called", "police", "prime",
             "white", "new", "high", "stock", "the", "rates"]
    tails = ["down", "up", "off", "out", "over", "in", "on", "back", "away", "minister", "house", "york",
             "car", "market", "exchange", "the", "rates"]
    phrases = 0
    for head in heads:
        for tail in tails:
            senses = lexicon.concepts(f"{head}_{tail}")
            assert bool(senses[0] or senses[1]) == (tail in lexicon.tails_after(head)), (head, tail)
            phrases += bool(senses[0])
    assert phrases >= 20


def test_rows_put_together_from_parts_are_the_rows_made_in_one_go():
    """A clean run of a large dossier makes its rows in forked workers, a run of passages each
    (RowParts, each with its own feature names), and puts them together: the same matrices."""
    from bench import synthetic
    from dossier.align import scoring
    from dossier.align.tokens import clauses, tokens

    texts = [t for sentences in synthetic.generate(6).articles.values() for t in sentences][:120]
    topic = frozenset({"percent"})
    found = [scoring.passage_features(tokens(t), clauses(t, tokens(t)), topic) for t in texts]
    whole = scoring.rows(found, topic)
    assert whole.clause.tolist() == [c for per in found for c in range(-1, len(per) - 1)]  # the whole, then its clauses
    assert whole.passage.tolist() == [k for k, per in enumerate(found) for _ in per]
    assert max(len(per) for per in found) > 1
    for cuts in ([0, 1, 120], [0, 40, 41, 90, 120], [0, 120]):
        parts = [scoring.row_parts(found[a:b], topic) for a, b in zip(cuts, cuts[1:])]
        together, names = scoring.assemble(parts)
        assert len(names) == whole.matrix.shape[1]
        for field in ("passage", "clause", "weight"):
            assert (getattr(together, field) == getattr(whole, field)).all()
        for field in ("matrix", "telling", "index"):
            a, b = getattr(together, field), getattr(whole, field)
            assert a.shape == b.shape and (a.indptr == b.indptr).all() and (a.indices == b.indices).all()
            assert (a.data == b.data).all()


ALIGN_IN_WORKERS = """
import pickle, sys
sys.path.insert(0, {root!r})
from bench import synthetic
import dossier.align as A
from dossier.model import Passage
from dossier.text import normalise
A.FORK_ROWS = 200
made = []
forked_rows = A._forked_rows
A._forked_rows = lambda *args: made.append(1) or forked_rows(*args)
passages = tuple(Passage(f"{{a}}-p{{n}}-1", a, n, 1, t, normalise(t), n, 0, len(t))
                 for a, sentences in synthetic.generate(12).articles.items() for n, t in enumerate(sentences, 1))
alignment, index = A.align_incremental(passages)
parts = (alignment, index.keys, index.links, index.topic, index.seen, index.indexed, index.postings, index.df)
pickle.dump(parts, open(sys.argv[1], "wb"))
from dossier.align.tokens import LEXICAL, WORD, _lower
unknown = {{_lower(w) for p in passages for w in WORD.findall(p.text)}} - set(LEXICAL)
print(len(made), len(alignment.links), len(unknown))
"""


def test_a_clean_alignment_in_workers_is_the_alignment_in_one_process(tmp_path):
    """From FORK_ROWS passages a clean run reads the passages' stems and makes their rows in forked
    workers; the alignment and the pair index kept for the next run are the ones a single process
    makes, and this process knows every word the workers read (they hand their word memo back).
    Each run is a process of its own: a process with other threads (this test session's browser
    tests) never forks."""
    import os
    import pickle
    import subprocess
    import sys

    root = str(Path(__file__).resolve().parent.parent)
    results = {}
    for workers in ("2", "1"):
        out = subprocess.run([sys.executable, "-c", ALIGN_IN_WORKERS.format(root=root), str(tmp_path / workers)],
                             check=True, capture_output=True, text=True, env={**os.environ, "DOSSIER_WORKERS": workers})
        results[workers] = out.stdout.split()
    assert results["2"][0] == "1" and results["1"][0] == "0", "rows made in workers with 2, in one process with 1"
    assert int(results["2"][1]) > 50
    assert results["2"][2] == results["1"][2] == "0", "words the workers read are known here"
    assert pickle.loads((tmp_path / "2").read_bytes()) == pickle.loads((tmp_path / "1").read_bytes())


def test_a_build_with_its_alignment_cached_never_loads_scipy_or_wordfreq(fixture_dossier, tmp_path):
    """scipy and wordfreq (a fifth and a sixth of a second to import) are loaded where the rows,
    copy groups and word weights are made: a later process that finds the alignment of an
    English dossier in the cache renders without them."""
    import subprocess
    import sys

    fixture_dossier.copy_seed()
    cache = tmp_path / "cache"
    run(fixture_dossier.content, cache)
    root = Path(__file__).resolve().parent.parent
    script = (f"import sys; sys.path.insert(0, {str(root)!r}); from pathlib import Path\n"
              "from dossier.pipeline import run; from dossier.render import render\n"
              f"render(run(Path({str(fixture_dossier.content)!r}), Path({str(cache)!r})), Path({str(root / 'templates')!r}))\n"
              "print('scipy' in sys.modules, 'wordfreq' in sys.modules)")
    loaded = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout.split()
    assert loaded == ["False", "False"]


def test_alignments_yml_asserts_and_rejects_membership_in_a_fact(fixture_dossier):
    """`fact` puts a passage in the facts of another; `not-fact` keeps two out of one fact while
    their link stays."""
    fixture_dossier.article("wire", "The central bank raised its benchmark interest rate by half a point on Wednesday.\n\n"
                                    "A new footbridge over the canal opened to walkers after two years of delays.")
    fixture_dossier.article("daily", "On Wednesday the central bank lifted its benchmark rate by half a percentage point.\n\n"
                                     "Pedestrians finally have their long-promised crossing.")
    fixture_dossier.article("weekly", "The bank's benchmark interest rate rose by half a point on Wednesday, the central bank said.")
    before = run(fixture_dossier.content).alignment
    facts = lambda alignment: [set(g.passages) for g in alignment.groups]  # noqa: E731
    assert {"wire-p1-1", "daily-p1-1", "weekly-p1-1"} in facts(before)
    assert not any("daily-p2-1" in f for f in facts(before))
    fixture_dossier.write("alignments.yml", """
        fact:
          - a: {article: wire, quote: "footbridge over the canal"}
            b: {article: daily, quote: "long-promised crossing"}
        not-fact:
          - a: {article: wire, quote: "raised its benchmark"}
            b: {article: weekly, quote: "rate rose by half"}
        """)
    after = run(fixture_dossier.content).alignment
    assert {"wire-p2-1", "daily-p2-1"} in facts(after)
    assert not any({"wire-p1-1", "weekly-p1-1"} <= f for f in facts(after))
    assert ("weekly-p1-1", "wire-p1-1") in pairs_of(after.links), "not-fact keeps the link"


@pytest.mark.parametrize("a, b, carries", [
    ("The president-elect assured Putin he wanted strong ties.", "Putin discussed trade with the president-elect.", None),
    ("Mayor Ana Sorell of Helmsdorf spoke on Monday.", "On Monday Mayor Ana Sorell of Helmsdorf was in Vienna.", None),
    ("The airport was closed.", "Its airport terminal is new.", None),
    ("At least 40 people died in the floods.", "The floods forced 40 schools to close.", None),
    ("At least 40 people died in the floods.", "The floods killed 40 people, officials said.", "figure"),
    ("The jury acquitted Rita Lasz of fraud.", "Rita Lasz was acquitted on Friday.", "predicate"),
    ("He called it “a gift to the whole town” on Monday.", "“A gift to the whole town,” the mayor said.", "quote"),
])
def test_a_shared_span_must_carry_a_fact(a, b, carries):
    """One word, a title, names and dates alone, or a figure with another subject carry no fact;
    a predicate with its argument, a figure with its subject, a quote of several words do."""
    from dossier.align.explain import carried_fact
    from dossier.align.tokens import quoted_spans, tokens

    assert carried_fact(tokens(a), tokens(b), quoted_spans(a), quoted_spans(b)) == carries


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**40), max_size=300))
def test_bucket_pairs_are_deduplicated_as_np_unique_does(values):
    """copies._sorted_unique stands in for np.unique (slow in numpy 2.4 on millions of pairs)."""
    import numpy as np

    from dossier.align.copies import _sorted_unique

    array = np.array(values, dtype=np.int64)
    found, expected = _sorted_unique(array), np.unique(array)
    assert found.dtype == expected.dtype and found.tolist() == expected.tolist()
