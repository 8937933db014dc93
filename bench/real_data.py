"""Real news set for the aligner: published reports of one event by several outlets.

The texts are third-party news reports, kept locally only (bench/data/local/news_real/, git-ignored);
bench/data/news_real.yml holds the recipe (where each report was found, its sentence count and digest)
and our hand-made gold. `news_real()` yields topics in the shape of tests/data/news_dev.yml topics.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import yaml

from dossier.segment import sentence_spans

DATA = Path(__file__).resolve().parent / "data"
RECIPE = DATA / "news_real.yml"
LOCAL = DATA / "local" / "news_real"
ABSENT = "real news set absent: see bench/data/news_real.yml to bring it back"


def sentences_of(text: str) -> list[str]:
    """The article's sentences as the app splits them: one paragraph a line, syntok within it."""
    return [p[a:b] for p in (line.strip() for line in text.splitlines()) if p for a, b in sentence_spans(p)]


def digest(sentences: list[str]) -> str:
    return hashlib.sha1("\n".join(sentences).encode("utf-8")).hexdigest()[:8]


def _events() -> list[dict]:
    return yaml.safe_load(RECIPE.read_text(encoding="utf-8"))["events"]


def available() -> bool:
    """Whether every article text the recipe names is here."""
    return LOCAL.is_dir() and all((LOCAL / e["id"] / f"{a['id']}.txt").is_file()
                                  for e in _events() for a in e["articles"])


def news_real(split: str | None = None) -> list[dict]:
    """Topics of the given split (dev, test; None: both), each article's text checked against the recipe."""
    topics = []
    for event in _events():
        if split is not None and event["split"] != split:
            continue
        articles = []
        for article in event["articles"]:
            path = LOCAL / event["id"] / f"{article['id']}.txt"
            if not path.is_file():
                raise FileNotFoundError(f"{path}: missing; {ABSENT}")
            sentences = sentences_of(path.read_text(encoding="utf-8"))
            if len(sentences) != article["sentences"] or digest(sentences) != article["digest"]:
                raise ValueError(f"{path}: {len(sentences)} sentences, digest {digest(sentences)}; the recipe "
                                 f"says {article['sentences']}, {article['digest']}: the text or the splitter drifted")
            articles.append({"id": article["id"], "sentences": sentences})
        gold = [[x, y] for x, y, _ in event["gold"]]
        kinds = {(x, y): kind for x, y, kind in event["gold"]}
        topics.append({"id": event["id"], "split": event["split"], "articles": articles,
                       "gold": gold, "kinds": kinds})
    return topics


def main() -> int:
    if not available():
        print(ABSENT)
        return 0
    for split in ("dev", "test"):
        topics = news_real(split)
        kinds = [kind for t in topics for kind in t["kinds"].values()]
        print(f"{split}: {len(topics)} events, {sum(len(t['articles']) for t in topics)} articles, "
              f"{sum(len(a['sentences']) for t in topics for a in t['articles'])} sentences, "
              f"{len(kinds)} gold pairs ({kinds.count('parallel')} parallel, {kinds.count('overlap')} overlap)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
