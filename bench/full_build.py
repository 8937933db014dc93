"""Clean full builds: `build.py` end to end on a generated dossier, in a fresh process, each into a
new site folder: first with an empty cache ("cold": segments, aligns and renders everything), then
with the alignment and segments kept but not the rendered pages ("pages": every page rendered and
built, the alignment read from the cache), then with the whole cache kept ("warm": the pages
rendered last time are reused; MkDocs still builds every page).

    python -m bench.full_build --kind wire --sizes 100 1000 [--workers 1]   # kinds: bench/kinds.py

Reports wall seconds, CPU seconds (user + system, workers included), the peak resident memory of
the largest process (the build itself; forked workers share most of its pages), the peak of the
build's memory over all its processes (the sum of their proportional set sizes, PSS, sampled every
0.1 s from /proc/PID/smaps_rollup: shared pages counted once), the size of export/dossier.json and
of the largest HTML page, and the load average before each build: the machine is shared, and wall
time on a loaded machine says little without it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.kinds import KINDS, generate

ROOT = Path(__file__).resolve().parent.parent


def one_build(content: Path, site: Path, cache: Path, workers: int | None) -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    if workers:
        env["DOSSIER_WORKERS"] = str(workers)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--site", str(site),
                              "--cache", str(cache), "--quiet"], env=env, stdout=subprocess.DEVNULL)
    pss = [0]
    sampler = threading.Thread(target=_sample_pss, args=(build.pid, pss), daemon=True)
    sampler.start()
    _, status, usage = os.wait4(build.pid, 0)  # this build's own figures (getrusage would keep the largest so far)
    wall = time.perf_counter() - started
    sampler.join()
    build.returncode = os.waitstatus_to_exitcode(status)
    if build.returncode:
        raise subprocess.CalledProcessError(build.returncode, build.args)
    pages = [p.stat().st_size for p in site.rglob("*.html")]
    export = site / "export" / "dossier.json"
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024, "load": load,
            "pss_mib": pss[0] / 1024, "export_mb": export.stat().st_size / 1e6 if export.exists() else 0.0,
            "page_kb": max(pages, default=0) / 1e3}


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        found.append(parent)
        try:
            for task in Path(f"/proc/{parent}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return found


def _sample_pss(pid: int, peak: list[int]) -> None:
    """The largest sum of PSS (KiB) over the process and its descendants, until the process ends."""
    while Path(f"/proc/{pid}/smaps_rollup").exists():
        total = 0
        for p in _descendants(pid):
            try:
                for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            except OSError:
                pass
        peak[0] = max(peak[0], total)
        time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=list(KINDS), default="wire")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--workers", type=int, help="DOSSIER_WORKERS for the builds (default: all cores)")
    args = parser.parse_args()
    from bench import synthetic

    print("| dossier | articles | cache | wall s | CPU s | peak MiB | peak PSS MiB, all processes | export MB "
          "| largest page KB | load before |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            content, cache = Path(tmp) / "content", Path(tmp) / "cache"
            synthetic.write_content(generate(args.kind, size), content)
            for label, site in (("cold", Path(tmp) / "site-1"), ("pages", Path(tmp) / "site-2"),
                                ("warm", Path(tmp) / "site-3")):
                if label == "pages":
                    for kept in cache.glob("pages-*.pickle"):
                        kept.unlink()
                r = one_build(content, site, cache, args.workers)
                print(f"| {args.kind} | {size} | {label} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:.0f} "
                      f"| {r['pss_mib']:.0f} | {r['export_mb']:.1f} | {r['page_kb']:.0f} | {r['load']:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
