"""Wire-copy benchmark: the aligner and the full build on dossiers where most outlets reprint one
agency story (bench/wire.py), beside the naive all-pairs rapidfuzz baseline on the same passages.

Run: python -m bench.wire_run --sizes 100 1000 [--timeout 600] [--memory-gib 6]

One true group holds hundreds of passages here, so a blow-up in time or memory is the thing to
catch: each size runs in a fresh process (its peak memory is its own) under an address-space
limit, so a blow-up fails fast with "out of memory" (or "out of memory? (SIGSEGV)" when C code
dies on a failed allocation) instead of swapping, and is killed after --timeout seconds. The child prints its results after every stage, so a killed row still shows
what finished. The build gets a fresh alignment cache, so it always aligns (a warm .cache from an
earlier run would hide the aligner's cost). The naive baseline is timed on a block of rows
against all passages and extrapolated by pair count, as in bench/run.py.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OOM_EXIT = 3  # the child's exit status when it ran out of its address space
OOM_SIGNS = ("MemoryError", "bad_alloc", "Cannot allocate memory", "Unable to allocate")


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB; whole process so far


def _vm_peak_mib() -> float:
    """Peak address space, the quantity the limit caps (more than RSS: thread stacks, malloc arenas)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) / 1024
    return 0.0


def measure(size: int) -> None:
    """Print the results so far as one JSON line after each stage; "running" names the next stage."""
    import numpy as np

    from bench.run import naive, pair_quality
    from bench.wire import generate, passages, write_content
    from dossier.align import align
    from dossier.cli import build

    result: dict = {"articles": size, "running": "setup"}

    def emit(running: str | None) -> None:
        result["running"] = running
        result["vm_peak_mib"] = _vm_peak_mib()
        print(json.dumps(result), flush=True)

    data = generate(size)
    ps = passages(data)
    result.update(passages=len(ps), base_mib=_peak_mib())
    emit("align")
    started = time.perf_counter()
    alignment = align(ps)
    result.update(align_s=time.perf_counter() - started, align_peak_mib=_peak_mib(),
                  links=len(alignment.links), groups=len(alignment.groups))
    result["precision"], result["recall"] = pair_quality([list(g.passages) for g in alignment.groups], data.labels)
    del alignment
    emit("build")
    with tempfile.TemporaryDirectory() as tmp:
        content, site = Path(tmp) / "content", Path(tmp) / "site"
        write_content(data, content)
        started = time.perf_counter()
        build(content, site, ROOT / "mkdocs.yml", strict=False, quiet=True, cache=Path(tmp) / "cache")
        result["build_s"] = time.perf_counter() - started
        result["process_peak_mib"] = _peak_mib()
        result["export_mib"] = (site / "export" / "dossier.json").stat().st_size / 2**20
        largest = max(site.rglob("*.html"), key=lambda p: p.stat().st_size)
        result["largest_page_kib"] = largest.stat().st_size / 1024
        result["largest_page"] = str(largest.relative_to(site))
    emit("naive")
    article_index = {a: k for k, a in enumerate(data.articles)}
    result["naive"] = naive([p.text for p in ps], np.array([article_index[p.article] for p in ps]),
                            [data.labels[p.id] for p in ps])
    emit(None)


def child(size: int, memory_gib: float) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = int(memory_gib * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    try:
        measure(size)
    except MemoryError:
        return OOM_EXIT
    return 0


def run_size(size: int, timeout: float, memory_gib: float) -> dict:
    """One size in its own session, so that on timeout the child and anything it started are killed."""
    proc = subprocess.Popen([sys.executable, "-m", "bench.wire_run", "--one", str(size), "--memory-gib", str(memory_gib)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONHASHSEED": "0"}, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode == 0:
            status = "ok"
        elif proc.returncode in (OOM_EXIT, -signal.SIGKILL) or any(s in err for s in OOM_SIGNS):
            status = "out of memory"
        elif proc.returncode in (-signal.SIGSEGV, -signal.SIGABRT):  # C code whose allocation failed, mostly
            status = f"out of memory? ({signal.Signals(-proc.returncode).name})"
            print(err[-3000:], file=sys.stderr)
        else:
            status = f"failed (exit {proc.returncode})"
            print(err[-3000:], file=sys.stderr)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        status = f"killed after {timeout:.0f} s"
    lines = [line for line in out.splitlines() if line.startswith("{")]
    result = json.loads(lines[-1]) if lines else {"articles": size, "running": "setup"}
    result["status"] = status if status == "ok" else f"{status} in {result['running']}"
    return result


def _cell(r: dict, key: str, fmt: str) -> str:
    return format(r[key], fmt) if key in r else "—"


def table(results: list[dict]) -> str:
    head = ("| articles | passages | align s | align peak MiB | build s | process peak MiB | export MiB "
            "| largest page KiB | links | groups | P | R | naive s | status |")
    rows = [head, "|" + "---|" * 14]
    for r in results:
        n = r.get("naive")
        naive_s = f"{n['seconds']:.1f}{'*' if n['extrapolated'] else ''}" if n else "—"
        rows.append(f"| {r['articles']} | {_cell(r, 'passages', 'd')} | {_cell(r, 'align_s', '.2f')} "
                    f"| {_cell(r, 'align_peak_mib', '.0f')} | {_cell(r, 'build_s', '.1f')} "
                    f"| {_cell(r, 'process_peak_mib', '.0f')} | {_cell(r, 'export_mib', '.1f')} "
                    f"| {_cell(r, 'largest_page_kib', '.0f')} | {_cell(r, 'links', 'd')} | {_cell(r, 'groups', 'd')} "
                    f"| {_cell(r, 'precision', '.2f')} | {_cell(r, 'recall', '.2f')} | {naive_s} | {r['status']} |")
    rows.append("\nPeaks are the whole process so far (ru_maxrss); P/R over pairs of passages against the wire labels; "
                "\\* extrapolated from a block of rows against all passages.")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--timeout", type=float, default=600, help="seconds per size before the child is killed")
    parser.add_argument("--memory-gib", type=float, default=6, help="address-space limit of each child (GiB)")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size, print JSON lines
    args = parser.parse_args()
    if args.one:
        return child(args.one, args.memory_gib)
    results = []
    for size in args.sizes:
        print(f"measuring {size} wire-copy articles...", file=sys.stderr, flush=True)
        results.append(run_size(size, args.timeout, args.memory_gib))
        print(f"  {results[-1]['status']}", file=sys.stderr, flush=True)
    print(table(results))
    if len(results) > 1:
        small, big = min(results, key=lambda r: r["articles"]), max(results, key=lambda r: r["articles"])
        growth = (f"{big['build_s'] / small['build_s']:.1f}x" if "build_s" in big and "build_s" in small
                  else "n/a (" + "; ".join(f"{r['articles']}: {r['status']}" for r in (small, big) if "build_s" not in r) + ")")
        print(f"\nfull build growth {small['articles']} -> {big['articles']} articles: {growth}")
    return 1 if any(r["status"].startswith("failed") for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
