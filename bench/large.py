"""One very large article: build time should grow about linearly with its size.
Run: python -m bench.large [MB ...]"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import generate
from dossier.cli import build

ROOT = Path(__file__).resolve().parent.parent


def article_of(megabytes: float, seed: int = 3) -> str:
    rng = random.Random(seed)
    sentences = [s for body in generate(10).articles.values() for s in body]
    out, size = [], 0
    while size < megabytes * 1_000_000:
        paragraph = " ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4)))
        out.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(out)


def measure(megabytes: float) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        (content / "articles").mkdir(parents=True)
        (content / "dossier.yml").write_text("title: One large article\n")
        body = article_of(megabytes)
        (content / "articles" / "large.md").write_text(f"---\ntitle: Large\noutlet: O\n---\n{body}\n")
        (content / "articles" / "small.md").write_text("---\ntitle: Small\noutlet: O\n---\n"
                                                        + "\n\n".join(body.split("\n\n")[:20]) + "\n")
        started = time.perf_counter()
        build(content, Path(tmp) / "site", ROOT / "mkdocs.yml", strict=False, quiet=True)
        return time.perf_counter() - started


def main() -> int:
    sizes = [float(a) for a in sys.argv[1:]] or [1, 10]
    print("| article MB | build s | s per MB |\n|---|---|---|")
    for mb in sizes:
        seconds = measure(mb)
        print(f"| {mb:g} | {seconds:.1f} | {seconds / mb:.1f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
