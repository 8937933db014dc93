"""Same-story dossiers: one story told by many outlets, each in part and in its own words.

The story's facts are the seed articles' sentences of eight words or more (35, telling 26 facts). Each fact has
SHARED_WORDINGS wordings that outlets share (synonyms of its words, a clause moved, an attribution
added, an aside dropped); each article tells 10-30 facts, half in a shared wording and half in one
of its own, with about one word in twelve edited, and adds 3-8 sentences of unrelated news (the
project's own dev sentences on other topics). A passage's label is its fact, or "" for the
unrelated ones, so a pair that the alignment claims tells one fact is right when both labels are
the same fact. This is the shape where chaining (A~B, B~C, so A with C) swallows a dossier.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml
from wordfreq import top_n_list

from bench.synthetic import Synthetic, passages, write_content  # noqa: F401  (re-exported for the runners)

ROOT = Path(__file__).resolve().parent.parent
SHARED_WORDINGS = 4
FACTS_PER_ARTICLE = (10, 30)
UNRELATED = (3, 8)
EDIT_RATE = 1 / 12
MIN_WORDS = 8
# Synonyms an editor reaches for in news prose; both directions are used.
SYNONYMS = dict(pair.split(":") for pair in """said:stated agreed:concurred relations:ties talks:discussions
meeting:summit president:leader phone:telephone conversation:call countries:nations state:condition
work:cooperate need:necessity joint:common efforts:attempts fight:struggle threat:danger
congratulated:complimented election:vote victory:win discussed:addressed spoke:talked stated:declared
expressed:voiced hope:expectation future:coming strong:robust lasting:enduring eager:keen
relationship:partnership issues:questions important:significant problems:difficulties support:backing
government:administration official:representative officials:representatives statement:announcement
announced:declared reported:said campaign:race promised:pledged called:described accused:charged
sanctions:penalties crisis:conflict war:fighting country:nation people:citizens told:informed""".split())
SYNONYMS.update({v: k for k, v in list(SYNONYMS.items())})
ATTRIBUTIONS = ("{}, officials said.", "According to reports, {}", "{}, the statement said.",
                "{}, according to the Kremlin.", "Sources say {}")


def story_facts() -> tuple[list[str], list[str]]:
    """The seed articles' sentences of MIN_WORDS words or more, in article order, and each one's
    fact: the two seed reports tell some facts both, so the pairs of `tests/data/seed_gold.yml`
    (parallel and allowed) make one fact of their sentences."""
    from dossier.pipeline import run

    sentences = [p for p in run(ROOT / "content").passages if len(p.text.split()) >= MIN_WORDS]
    gold = yaml.safe_load((ROOT / "tests" / "data" / "seed_gold.yml").read_text(encoding="utf-8"))
    fact = {p.id: p.id for p in sentences}

    def root(pid: str) -> str:
        while fact[pid] != pid:
            pid = fact[pid]
        return pid

    for a, b in gold["parallel"] + gold.get("allowed", []):
        if a in fact and b in fact:
            fact[root(b)] = root(a)
    names = {r: f"f{k}" for k, r in enumerate(dict.fromkeys(root(p.id) for p in sentences))}
    return [p.text for p in sentences], [names[root(p.id)] for p in sentences]


def unrelated_news() -> list[str]:
    """Sentences of the project's news dev set: other topics, real-sounding news prose."""
    topics = yaml.safe_load((ROOT / "tests" / "data" / "news_dev.yml").read_text(encoding="utf-8"))["topics"]
    return [s for t in topics for a in t["articles"] for s in a["sentences"]]


def _synonyms(words: list[str], rng: random.Random, share: float) -> list[str]:
    out = []
    for w in words:
        bare = w.strip(".,;:“”\"'").lower()
        other = SYNONYMS.get(bare)
        out.append(w.replace(bare, other) if other and bare in w and rng.random() < share else w)
    return out


def _clause_moved(words: list[str]) -> list[str]:
    """The sentence's last clause first ("A, B." -> "B, A.")."""
    text = " ".join(words)
    head, sep, tail = text.rpartition(", ")
    if not sep or len(tail.split()) < 3:
        return words
    tail = tail.rstrip(".")
    return f"{tail[:1].upper()}{tail[1:]}, {head[:1].lower()}{head[1:]}.".split()


def _attributed(words: list[str], rng: random.Random) -> list[str]:
    text = " ".join(words).rstrip(".")
    form = rng.choice(ATTRIBUTIONS)
    return form.format(text if form.startswith("{}") else text[:1].lower() + text[1:]).split()


def _aside_dropped(words: list[str]) -> list[str]:
    """A clause between two commas left out, when the sentence has one."""
    text = " ".join(words)
    dropped = re.sub(r", [^,]{8,60}, ", " ", text, count=1)
    return dropped.split() if len(dropped.split()) >= MIN_WORDS - 2 else words


def _reworded(sentence: str, rng: random.Random, how: int) -> str:
    words = sentence.split()
    words = _synonyms(words, rng, 0.5)
    words = [_clause_moved, lambda w: _attributed(w, rng), _aside_dropped, lambda w: w][how % 4](words)
    return " ".join(words)


def _edited(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    """About one word in twelve replaced, dropped or preceded by another, as sub-editors do."""
    out = []
    for w in sentence.split():
        r = rng.random()
        if r < EDIT_RATE / 3:
            out.append(rng.choice(vocabulary))
        elif r < 2 * EDIT_RATE / 3:
            continue
        elif r < EDIT_RATE:
            out += [rng.choice(vocabulary), w]
        else:
            out.append(w)
    text = " ".join(out) or sentence
    return text[:1].upper() + text[1:]


def generate(n_articles: int, seed: int = 47) -> Synthetic:
    rng = random.Random(seed)
    facts, fact_of = story_facts()
    other = unrelated_news()
    vocabulary = [w for w in top_n_list("en", 5000) if w.isalpha() and len(w) > 3]  # what sub-editors put in
    shared = [[_reworded(f, rng, k) if k else f for k in range(SHARED_WORDINGS)] for f in facts]
    articles: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for a in range(n_articles):
        told = sorted(rng.sample(range(len(facts)), rng.randint(*FACTS_PER_ARTICLE)))
        slots = [("fact", f) for f in told] + [("other", k) for k in rng.sample(range(len(other)), rng.randint(*UNRELATED))]
        insert = sorted(rng.sample(range(len(slots)), len(slots) - len(told)))
        ordered = [s for s in slots if s[0] == "fact"]
        for position, extra in zip(insert, [s for s in slots if s[0] == "other"]):
            ordered.insert(position, extra)
        article_id = f"outlet-{a:04d}"
        sentences = []
        for kind, k in ordered:
            if kind == "fact":
                wording = rng.choice(shared[k]) if rng.random() < 0.5 else _reworded(facts[k], rng, rng.randrange(4))
                text, label = _edited(wording, rng, vocabulary), fact_of[k]
            else:
                text, label = other[k], ""
            sentences.append(text)
            labels[f"{article_id}-p{len(sentences)}-1"] = label
        articles[article_id] = sentences
    return Synthetic(articles, labels)
