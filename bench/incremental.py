"""One article changed, one article re-aligned: rebuild times with the alignment cache kept.

On a wire-copy dossier (bench/wire.py) and a sparse many-event one (bench/synthetic.py): a cold
run of the pipeline (load to anchors) with an empty cache, then, with the cache kept, adding one
article, editing one sentence of one article, and editing only dossier.yml (no passage changes,
so no alignment at all). "align s" is the alignment stage alone (with its cache), "pipeline s"
everything from reading content/ to anchored annotations. Each figure is the median of REPEATS runs; "scored anew" is how many
passages the aligner had to score (the others' pairs come from the pair index). Alignment after
each edit is compared with a clean run on the same content: they must be equal.

Run: python -m bench.incremental [--sizes 100 1000]
"""

from __future__ import annotations

import argparse
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench import synthetic, wire
from dossier import pipeline
from dossier.pipeline import run

REPEATS = 3


class Scored(logging.Handler):
    """Reads the aligner's log line: 'N of M passages scored anew'."""

    def __init__(self):
        super().__init__()
        self.last = "cache hit"

    def emit(self, record):
        found = re.search(r"(\d+) of (\d+) passages scored anew", record.getMessage())
        if found:
            self.last = f"{found.group(1)} of {found.group(2)}"


ALIGN_SECONDS = [0.0]
_cached_alignment = pipeline.cached_alignment


def _timed_align(*args, **kwargs):
    started = time.perf_counter()
    try:
        return _cached_alignment(*args, **kwargs)
    finally:
        ALIGN_SECONDS[0] = time.perf_counter() - started


pipeline.cached_alignment = _timed_align  # the align stage alone, as the pipeline calls it


def timed(content: Path, cache: Path, handler: Scored) -> tuple[float, float, str]:
    handler.last = "cache hit"
    started = time.perf_counter()
    run(content, cache)
    return time.perf_counter() - started, ALIGN_SECONDS[0], handler.last


def measure(kind: str, size: int) -> list[dict]:
    data = (wire if kind == "wire" else synthetic).generate(size)
    handler = Scored()
    logger = logging.getLogger("mkdocs.plugins.dossier")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        content, cache = Path(tmp) / "content", Path(tmp) / "cache"
        synthetic.write_content(data, content)
        first = next(iter(data.articles))
        seconds, align, scored = timed(content, cache, handler)
        rows.append({"edit": "cold build (empty cache)", "seconds": seconds, "align": align, "scored": scored})
        edits = {
            "add one article": lambda n: (content / "articles" / f"zz-new-{n}.md").write_text(
                "---\ntitle: New\noutlet: New outlet\n---\n" + "\n\n".join(data.articles[first][:20]) +
                f"\n\nA sentence of its own about the harbour tunnel, number {n}.\n"),
            "edit one sentence": lambda n: _edit(content / "articles" / f"{first}.md", n),
            "edit dossier.yml only": lambda n: (content / "dossier.yml").write_text(f"title: Renamed {n}\n"),
        }
        for name, edit in edits.items():
            times, aligns, scored = [], [], ""
            for n in range(REPEATS):
                edit(n)
                seconds, align, scored = timed(content, cache, handler)
                times.append(seconds)
                aligns.append(align)
            clean = run(content, None).alignment
            same = run(content, cache).alignment == clean
            rows.append({"edit": name, "seconds": statistics.median(times), "align": statistics.median(aligns),
                         "scored": scored, "equal": same})
    logger.removeHandler(handler)
    return rows


def _edit(path: Path, n: int) -> None:
    text = path.read_text()
    head, _, body = text.partition("\n---\n")
    path.write_text(f"{head}\n---\nAn inserted sentence, version {n}, says the council met on Tuesday.\n\n{body}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--kinds", nargs="+", choices=["wire", "sparse"], default=["wire", "sparse"])
    args = parser.parse_args()
    print("| dossier | articles | change | align s (median) | pipeline s (median) | passages scored anew | equals a clean run |")
    print("|---|---|---|---|---|---|---|")
    for kind in args.kinds:
        for size in args.sizes:
            for row in measure(kind, size):
                print(f"| {kind} | {size} | {row['edit']} | {row['align']:.2f} | {row['seconds']:.2f} | {row['scored']} "
                      f"| {'' if 'equal' not in row else ('yes' if row['equal'] else 'NO')} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
