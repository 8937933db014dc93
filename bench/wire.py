"""Synthetic wire-copy dossiers: many outlets reprint one agency story.

The hard case for an aligner is not many small events (bench/synthetic.py) but one story copied
everywhere: a pool of wire sentences, each reprinted by hundreds of outlets, so one true group can
hold hundreds of passages and the true pairs grow with the square of the dossier. Each reprint
keeps a random subset of the wire story in wire order, lightly edited per copy (a word replaced,
dropped or inserted), as sub-editors do. About a quarter of the outlets send their own reporter
instead: sentences on the same story, with the same names, topic and function words, that copy
nothing: the hard negatives. Real English words (wordfreq's list) keep word rarity realistic.
"""

from __future__ import annotations

import random

from wordfreq import top_n_list

from bench.synthetic import Synthetic, passages, write_content  # noqa: F401  (re-exported for the runner)

POOL = 120  # wire sentences in the agency story
SENTENCES_PER_ARTICLE = 40
OWN_SHARE = 0.25  # articles that are own reporting, not wire copy
EDIT_RATE = 1 / 8  # per word of a copy: replaced, dropped, or preceded by an inserted word
WORDS = (15, 30)  # sentence length range, in words
TOPIC_WORDS = 24  # the story's own vocabulary, shared by wire and own reporting


def _vocabulary() -> tuple[list[str], list[str], list[str]]:
    """Function words, common words, rarer topical words: the three strata of news prose."""
    glue = top_n_list("en", 60)
    words = [w for w in top_n_list("en", 30000) if w.isalpha() and len(w) > 3]
    return glue, words[:1500], words[1500:]


def _sentence(rng: random.Random, glue: list[str], common: list[str], topical: list[str], topic: list[str]) -> list[str]:
    """About a third function words and one word in six from the story's topic, like a news sentence."""
    out = []
    for _ in range(rng.randint(*WORDS)):
        r = rng.random()
        if r < 0.35:
            out.append(rng.choice(glue))
        elif r < 0.52:
            out.append(rng.choice(topic))
        elif r < 0.80:
            out.append(rng.choice(common))
        else:
            out.append(rng.choice(topical))
    return out


def _edit(words: list[str], rng: random.Random, vocabulary: list[str]) -> list[str]:
    """A sub-editor's copy: each word, with probability EDIT_RATE, replaced, dropped, or given a new word before it."""
    out = []
    for w in words:
        if rng.random() >= EDIT_RATE:
            out.append(w)
            continue
        action = rng.randrange(3)
        if action == 0:
            out.append(rng.choice(vocabulary))
        elif action == 2:
            out += [rng.choice(vocabulary), w]
        # action 1: dropped
    return out or words[:1]


def _text(words: list[str]) -> str:
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def generate(n_articles: int, seed: int = 11) -> Synthetic:
    """Labels: passage id -> "w<k>" for a copy of wire sentence k, "" for own reporting."""
    rng = random.Random(seed)
    glue, common, topical = _vocabulary()
    names = [w.capitalize() for w in rng.sample(topical, 4)]  # people and places of the story
    topic = names + rng.sample(topical, TOPIC_WORDS - len(names))
    pool = [_sentence(rng, glue, common, topical, topic) for _ in range(POOL)]
    vocabulary = glue + common + topical
    own = set(rng.sample(range(n_articles), round(n_articles * OWN_SHARE)))
    width = max(4, len(str(n_articles - 1)))
    articles: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for a in range(n_articles):
        article_id = f"art-{a:0{width}d}"
        if a in own:
            body = [(_sentence(rng, glue, common, topical, topic), "") for _ in range(SENTENCES_PER_ARTICLE)]
        else:  # a subset of the wire story, kept in wire order
            picked = sorted(rng.sample(range(POOL), SENTENCES_PER_ARTICLE))
            body = [(_edit(pool[k], rng, vocabulary), f"w{k}") for k in picked]
        articles[article_id] = [_text(words) for words, _ in body]
        for n, (_, label) in enumerate(body, start=1):
            labels[f"{article_id}-p{n}-1"] = label
    return Synthetic(articles, labels)


SEED_PER_ARTICLE = (32, 35)  # sentences of the seed pool per article (the pool holds 35): about 34


def seed_pool() -> list[str]:
    """The seed dossier's sentences (35, both articles), in article order: real wire prose."""
    from pathlib import Path

    from dossier.pipeline import run

    return [p.text for p in run(Path(__file__).resolve().parent.parent / "content").passages]


def generate_seed_wire(n_articles: int, seed: int = 13) -> Synthetic:
    """The shape of a real wire dossier ("wire34"): every outlet prints about 34 of one pool of wire
    sentences (the seed's), in pool order, one word in eight edited, so each sentence's copy group
    holds most of the dossier (about 950 passages at 1,000 articles). Labels: "s<k>" for sentence k."""
    rng = random.Random(seed)
    glue, common, topical = _vocabulary()
    vocabulary = glue + common + topical
    pool = [text.rstrip(".").split() for text in seed_pool()]
    width = max(4, len(str(n_articles - 1)))
    articles: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for a in range(n_articles):
        article_id = f"art-{a:0{width}d}"
        picked = sorted(rng.sample(range(len(pool)), min(len(pool), rng.randint(*SEED_PER_ARTICLE))))
        articles[article_id] = [_text(_edit(pool[k], rng, vocabulary)) for k in picked]
        for n, k in enumerate(picked, start=1):
            labels[f"{article_id}-p{n}-1"] = f"s{k}"
    return Synthetic(articles, labels)
