"""Serve-reload latency: start `mkdocs serve` on a dossier, edit it, and time until the changed
page is served updated. Prints the median of --runs edits per kind of edit.

    python -m bench.serve_latency                                # the seed dossier, annotation edits
    python -m bench.serve_latency --kind wire --sizes 100 1000   # generated dossiers (bench/wire.py)
    python -m bench.serve_latency --kind sparse --sizes 100      # bench/synthetic.py
    python -m bench.serve_latency --kind story --sizes 1000      # bench/story.py (kinds: bench/kinds.py)

Each edit waits until the server has finished every build the last one started (a second pass
included); "whole site" is the time from adding an article until then (within 0.1 s). Generated dossiers get a file of annotations (one context note on each of the first articles);
"annotation" edits one note and waits for the annotated article's page, "add article" writes a
new article (20 sentences of the first article and one of its own) and waits for its page. The
alignment cache starts empty, so the first build (timed too) aligns everything. The time is from
the save to the page being served with the edit; the server's own log says what it rebuilt.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.kinds import KINDS

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, needle: str, limit: float = 60) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        if needle in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.02)
    raise TimeoutError(f"{needle!r} did not appear at {url} within {limit} s")


def wait_idle(log: Path, limit: float = 600) -> None:
    """Until every build the server started has ended (a second pass included), then half a second
    more in which none starts. (MkDocs logs "Documentation built in ..." only once per distinct
    text, so the server's own "Reloading browsers" counts the ends.)"""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        text = log.read_text()
        begun = text.count("Building documentation") - 1  # the first build reloads no browser
        if begun <= text.count("Reloading browsers") + text.count("An error happened during the rebuild"):
            time.sleep(0.5)
            if log.read_text().count("Building documentation") - 1 == begun:
                return
        time.sleep(0.1)


def peak_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


ANNOTATION = """  - id: bench-{n}
    kind: context
    target:
      article: {article}
      quote: {quote}
    note: A note for the benchmark on {article}.
    sources:
      - title: Bench source
        publisher: Bench
        date: "2024-01-01"
        url: https://example.org/bench
"""


def generated(kind: str, size: int, content: Path) -> tuple[str, Path, str]:
    """Writes the dossier; returns (annotated article id, annotation file, the note's text)."""
    from bench import synthetic
    from bench.kinds import generate

    data = generate(kind, size)
    synthetic.write_content(data, content)
    ids = list(data.articles)[:5]
    entries = []
    for n, article in enumerate(ids):
        quote = " ".join(data.articles[article][0].split()[:6])
        entries.append(ANNOTATION.format(n=n, article=article, quote=f'"{quote}"'))
    path = content / "annotations" / "bench.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("annotations:\n" + "".join(entries), encoding="utf-8")
    return ids[1], path, f"A note for the benchmark on {ids[1]}."


def measure(kind: str, size: int, runs: int, adds: int, keep_log: Path | None = None) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="dossier-serve-"))
    result: dict = {"kind": kind, "articles": size}
    try:
        content = tmp / "content"
        if kind == "seed":
            shutil.copytree(ROOT / "content", content)
            article, note, needle = "rmn-news", content / "annotations/context.yml", "compresses the readout"
        else:
            article, note, needle = generated(kind, size, content)
        config = (ROOT / "mkdocs.yml").read_text()
        config = config.replace("docs_dir: templates/assets", f"docs_dir: {ROOT / 'templates/assets'}")
        config = config.replace("templates: templates", f"templates: {ROOT / 'templates'}\n      cache: {tmp / 'cache'}")
        (tmp / "mkdocs.yml").write_text(config)
        port = free_port()
        base = f"http://127.0.0.1:{port}/"
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
        log = open(tmp / "serve.log", "w")
        started = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(tmp / "mkdocs.yml"),
                                   "-a", f"127.0.0.1:{port}"],
                                  cwd=tmp, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            wait_for(f"{base}articles/{article}.html", needle.split(" on ")[0] if kind != "seed" else "Minsk", limit=900)
            result["first_build_s"] = time.perf_counter() - started
            times = []
            for run in range(1, runs + 1):
                token = f"edit{run}x{os.getpid()}"
                text = note.read_text()
                if kind == "seed":
                    text = re.sub(r"compresses the readout( edit\S+)?", f"compresses the readout {token}", text, count=1)
                else:
                    text = re.sub(re.escape(needle[:-1]) + r"( \S+)?\.", f"{needle[:-1]} {token}.", text, count=1)
                note.write_text(text)
                times.append(wait_for(f"{base}articles/{article}.html", token))
                wait_idle(tmp / "serve.log")  # the rebuild may go on after the page is written
            result["annotation_s"] = times
            adds_times, settled = [], []
            if kind != "seed":
                first = sorted((content / "articles").glob("*.md"))[0].read_text().split("\n---\n", 1)[1]
                for run in range(1, adds + 1):
                    token = f"added{run}x{os.getpid()}"
                    new = content / "articles" / f"zz-added-{run}.md"
                    body = "\n\n".join(first.strip().split("\n\n")[:20])
                    new.write_text(f"---\ntitle: Added {run}\noutlet: Added outlet {run}\n---\n{body}\n\n"
                                   f"A sentence of its own about the harbour, {token}.\n")
                    saved = time.perf_counter()
                    adds_times.append(wait_for(f"{base}articles/zz-added-{run}.html", token, limit=300))
                    wait_idle(tmp / "serve.log")  # a second pass writes the other pages after it
                    settled.append(time.perf_counter() - saved - 0.5)  # wait_idle's last half second
            result["add_s"] = adds_times
            result["settled_s"] = settled
            result["peak_mib"] = peak_mib(server.pid)
        except TimeoutError:
            print((tmp / "serve.log").read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            server.terminate()
            server.wait(timeout=30)
            log.close()
        served = (tmp / "serve.log").read_text()
        if keep_log is not None:
            keep_log.write_text(served)
        result["full_rebuilds"] = served.count("Building documentation") - 1 - len(re.findall(r"changed pages? to rebuild", served))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def load() -> str:
    return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["seed", *KINDS], default="seed")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2])
    parser.add_argument("--runs", type=int, default=5, help="annotation edits (median reported)")
    parser.add_argument("--adds", type=int, default=3, help="articles added, one at a time (generated dossiers)")
    parser.add_argument("--log", type=Path, help="keep the server's log here (its name gets the size)")
    args = parser.parse_args()
    print("| dossier | articles | first build s | annotation edit s (median) | runs | add article s (median) | runs "
          "| whole site s after an add (median) | serve peak MiB | load before |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        before = load()
        log = args.log.with_name(f"{args.log.stem}-{size}{args.log.suffix}") if args.log else None
        r = measure(args.kind, size, args.runs, args.adds, log)
        add = r["add_s"]
        adds = (f"{statistics.median(add):.2f} | {', '.join(f'{t:.2f}' for t in add)} "
                f"| {statistics.median(r['settled_s']):.1f}" if add else "— | — | —")
        print(f"| {r['kind']} | {size} | {r['first_build_s']:.1f} | {statistics.median(r['annotation_s']):.2f} "
              f"| {', '.join(f'{t:.2f}' for t in r['annotation_s'])} | {adds} | {r['peak_mib']:.0f} | {before} |",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
