"""Corpus alignment at scale (issue 30): `build.py align` over a generated corpus, on the Dask
engine or the local one, with its time and its peak memory summed over every process it starts.

    python -m bench.corpus --kind mixed --articles 20000 --engine dask
    python -m bench.corpus --kind mixed --articles 10000 --engine local
    python -m bench.corpus --kind story --articles 10000 --engine local

Kinds: `mixed` is half wire copy (bench/wire.py generate_seed_wire: the seed's sentences, ~34 an
article, one word in eight edited) and half one story told by many outlets (bench/story.py), in one
corpus; `story`, `wire34` and `sparse` are bench/kinds.py's shapes alone.

The corpus is written to a temporary folder first (not timed). `align` runs in a child process;
every half second the proportional set size (PSS, /proc/PID/smaps_rollup) of it and of all its
descendants (Dask's scheduler and workers, forked workers) is summed, and the largest sum is the
peak (and the align process's own peak beside it). PSS counts a page shared by several processes
once, split between them, so the sum is what the machine really holds. Also reported: the CPU seconds of the child and its descendants, the
load average before the run (the machine may be shared), and what the alignment holds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "PYTHONPATH": str(ROOT)}
KINDS = ("mixed", "story", "wire34", "sparse")


def corpus(kind: str, articles: int):
    """A bench.synthetic.Synthetic of `articles` articles of the named kind."""
    from bench import kinds, story, wire
    from bench.synthetic import Synthetic

    if kind != "mixed":
        return kinds.generate(kind, articles)
    wire_part, story_part = wire.generate_seed_wire(articles // 2), story.generate(articles - articles // 2)
    texts, labels = {}, {}
    for prefix, part in (("wire-", wire_part), ("story-", story_part)):
        texts.update({prefix + a: s for a, s in part.articles.items()})
        labels.update({prefix + p: label and prefix + label for p, label in part.labels.items()})
    return Synthetic(texts, labels)


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


class PeakMemory:
    """The largest PSS summed over a process and its descendants, sampled every `every` seconds."""

    def __init__(self, pid: int, every: float = 0.5):
        self.root, self.every, self.peak_kib, self.processes = psutil.Process(pid), every, 0, 1
        self.main_peak_kib = 0  # the process itself, without its workers
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            try:
                pids = [self.root.pid] + [c.pid for c in self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            self.processes = max(self.processes, len(pids))
            each = [_pss_kib(pid) for pid in pids]
            self.peak_kib, self.main_peak_kib = max(self.peak_kib, sum(each)), max(self.main_peak_kib, each[0])
            self._stop.wait(self.every)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_kib / 1024


def run_align(content: Path, out: Path, engine: str, workers: int | None) -> dict:
    command = [sys.executable, str(ROOT / "build.py"), "align", "--content", str(content), "--out", str(out),
               "--engine", engine, "--quiet"] + (["--workers", str(workers)] if workers else [])
    load, before = os.getloadavg()[0], os.times()
    started = time.perf_counter()
    child = subprocess.Popen(command, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = PeakMemory(child.pid)
    stdout, stderr = child.communicate()
    wall = time.perf_counter() - started
    peak = memory.stop()
    if child.returncode:
        raise SystemExit(f"align failed ({child.returncode}):\n{stderr[-3000:]}")
    usage = os.times()
    cpu = usage.children_user + usage.children_system - before.children_user - before.children_system
    return {"wall_s": wall, "cpu_s": cpu, "peak_pss_mib": peak,
            "main_peak_pss_mib": memory.main_peak_kib / 1024,
            "processes": memory.processes, "load_before": load, "summary": stdout.strip().splitlines()[-1]}


def measure(kind: str, articles: int, engine: str, workers: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="dossier-corpus-") as tmp:
        content, out = Path(tmp) / "content", Path(tmp) / "aligned"
        from bench.synthetic import write_content

        data = corpus(kind, articles)
        write_content(data, content)
        result = run_align(content, out, engine, workers)
        found = json.loads((out / "alignment.json").read_text(encoding="utf-8"))
        result.update(kind=kind, articles=articles, engine=engine, passages=len(data.labels),
                      links=len(found["links"]), facts=len(found["groups"]), copy_groups=len(found["copies"]),
                      output_mb=sum(f.stat().st_size for f in out.iterdir()) / 1e6)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=KINDS, default="mixed")
    parser.add_argument("--articles", type=int, nargs="+", default=[2000])
    parser.add_argument("--engine", choices=("dask", "local"), default="dask")
    parser.add_argument("--workers", type=int, default=None, help="Dask worker processes (default: one per core)")
    parser.add_argument("--json", action="store_true", help="one JSON line per size instead of the table")
    args = parser.parse_args()
    if not args.json:
        print("| corpus | articles | passages | engine | wall s | CPU s | peak PSS MiB (processes) | of it the main "
              "process | links | facts | copy groups | output MB | load before |")
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for size in args.articles:
        r = measure(args.kind, size, args.engine, args.workers)
        if args.json:
            print(json.dumps(r), flush=True)
            continue
        print(f"| {r['kind']} | {size:,} | {r['passages']:,} | {r['engine']} | {r['wall_s']:.0f} | {r['cpu_s']:.0f} "
              f"| {r['peak_pss_mib']:,.0f} ({r['processes']}) | {r['main_peak_pss_mib']:,.0f} | {r['links']:,} | {r['facts']:,} | {r['copy_groups']:,} "
              f"| {r['output_mb']:.1f} | {r['load_before']:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
