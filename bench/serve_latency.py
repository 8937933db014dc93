"""Serve-reload latency: start `mkdocs serve` on a copy of the seed dossier, edit one annotation
file, and time until the changed page is served updated. Prints the median of 5 runs.
Run: python -m bench.serve_latency"""

from __future__ import annotations

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

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
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


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="dossier-serve-"))
    shutil.copytree(ROOT / "content", tmp / "content")
    config = (ROOT / "mkdocs.yml").read_text()
    config = config.replace("docs_dir: templates/assets", f"docs_dir: {ROOT / 'templates/assets'}")
    config = config.replace("templates: templates", f"templates: {ROOT / 'templates'}")
    (tmp / "mkdocs.yml").write_text(config)
    port = free_port()
    url = f"http://127.0.0.1:{port}/articles/rmn-news.html"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    log = open(tmp / "serve.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(tmp / "mkdocs.yml"),
                               "-a", f"127.0.0.1:{port}"], cwd=tmp, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(url, "Minsk")
        note = tmp / "content/annotations/context.yml"
        times = []
        for run in range(1, RUNS + 1):
            text = note.read_text()
            token = f"edit{run}x{os.getpid()}"
            note.write_text(re.sub(r"are the ceasefire arrangements( \S+)?", f"are the ceasefire arrangements {token}",
                                   text, count=1))
            times.append(wait_for(url, token))
            time.sleep(0.5)
        served_log = (tmp / "serve.log").read_text()
        computed, cached = served_log.count("alignment computed"), served_log.count("alignment taken from the cache")
        print(f"serve reload latency over {RUNS} edits of one annotation file: median {statistics.median(times):.2f} s "
              f"(runs: {', '.join(f'{t:.2f}' for t in times)})")
        print(f"alignment: computed {computed} time(s), taken from the cache {cached} time(s)")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
