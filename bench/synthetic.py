"""Synthetic dossiers whose true parallels are known.

Each dossier covers several events. An event has facts; a fact is told in several paraphrases
(key words swapped for stand-in "synonyms", order shuffled, filler words added). An article covers
one event: it tells some of the event's facts, each in one paraphrase, among filler sentences
that share the event's names and topic but no fact: the hard negatives of real news.
Real English words (wordfreq's list) keep word rarity realistic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from wordfreq import top_n_list

from dossier.model import Passage
from dossier.text import normalise

SENTENCES_PER_ARTICLE = 40
FACTS_PER_ARTICLE = 24
FACTS_PER_EVENT = 48
ARTICLES_PER_EVENT = 10
PARAPHRASES = 3


@dataclass(frozen=True)
class Synthetic:
    articles: dict[str, list[str]]  # article id -> sentences in order
    labels: dict[str, str]  # passage id -> fact label ("" for filler)


def _sentence(words: list[str], rng: random.Random, glue: list[str]) -> str:
    out = []
    for w in words:
        out.append(w)
        if rng.random() < 0.5:
            out.append(rng.choice(glue))
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def generate(n_articles: int, seed: int = 7) -> Synthetic:
    rng = random.Random(seed)
    vocabulary = [w for w in top_n_list("en", 30000) if w.isalpha() and len(w) > 3]
    glue = top_n_list("en", 60)[:60]
    common, topical = vocabulary[:1500], vocabulary[1500:]
    n_events = max(1, n_articles // ARTICLES_PER_EVENT)
    events = []
    for e in range(n_events):
        names = [f"{rng.choice(topical).capitalize()}" for _ in range(3)]
        facts = []
        for f in range(FACTS_PER_EVENT):
            keys = rng.sample(topical, 7) + rng.sample(common, 2)
            versions = []
            for _ in range(PARAPHRASES):
                words = [rng.choice(topical) if rng.random() < 0.3 else w for w in keys]  # synonyms
                words = words + rng.sample(names, 1)
                rng.shuffle(words)
                versions.append(words)
            facts.append(versions)
        events.append((names, facts))
    articles: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for a in range(n_articles):
        e = a % n_events
        names, facts = events[e]
        chosen = set(rng.sample(range(FACTS_PER_EVENT), FACTS_PER_ARTICLE))
        slots = [("fact", f) for f in sorted(chosen)] + [("filler", k) for k in range(SENTENCES_PER_ARTICLE - FACTS_PER_ARTICLE)]
        rng.shuffle(slots)
        article_id = f"art-{a:04d}"
        sentences = []
        for kind, k in slots:
            if kind == "fact":
                words = rng.choice(facts[k])
                label = f"e{e}f{k}"
            else:  # shares the event's names and common words, tells no fact of the pool
                words = rng.sample(topical, 6) + rng.sample(common, 3) + rng.sample(names, 2)
                label = ""
            sentences.append(_sentence(words, rng, glue))
            labels[f"{article_id}-p{len(sentences)}-1"] = label
        articles[article_id] = sentences
    return Synthetic(articles, labels)


def passages(data: Synthetic) -> tuple[Passage, ...]:
    """One passage per sentence (each sentence its own paragraph), ids as the segmenter makes them."""
    out = []
    for article_id, sentences in data.articles.items():
        for n, text in enumerate(sentences, start=1):
            out.append(Passage(f"{article_id}-p{n}-1", article_id, n, 1, text, normalise(text), n, 0, len(text)))
    return tuple(out)


def write_content(data: Synthetic, content: Path) -> None:
    (content / "articles").mkdir(parents=True)
    (content / "dossier.yml").write_text(f"title: Synthetic dossier of {len(data.articles)} articles\n")
    for article_id, sentences in data.articles.items():
        body = "\n\n".join(sentences)
        (content / "articles" / f"{article_id}.md").write_text(
            f"---\ntitle: Article {article_id}\noutlet: Outlet {article_id}\n---\n{body}\n", encoding="utf-8")
