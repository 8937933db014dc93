"""The same generated dossier built by each engine (issue 31): `build.py` (MkDocs with the dossier
plugin), and the tree `build.py docs` writes, built by plain `mkdocs build` and by `zensical build`.

    python -m bench.engines --kind sparse --sizes 1000 [--check]

Each step runs in a fresh process; the cache is shared by the dossier's steps, in this order:

- build.py, cold: an empty cache (segments, aligns, renders, MkDocs builds every page);
- build.py, warm: the whole cache kept (the rendered pages reused; MkDocs builds every page);
- build.py docs, warm: the same cache; writes the Markdown, the assets and mkdocs.yml;
- mkdocs build: the tree, no dossier plugin (Material, search, sitemap);
- zensical build, clean: the tree, Zensical's cache emptied (`--clean`);
- zensical build, cached: again, Zensical's cache kept.

Reports wall seconds, CPU seconds (user + system, child processes included) and the peak resident
memory of the largest process, and the load average before each step: the machine is shared.
`--check`: every page of both engines' sites present and every internal link resolving.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def timed(command: list[str], cwd: Path | None = None) -> dict:
    load = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    errors = child.stderr.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(command)} failed:\n{errors}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "peak_mib": usage.ru_maxrss / 1024, "load": load}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["wire", "sparse"], default="sparse")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--check", action="store_true", help="check pages and links of both engines' sites")
    args = parser.parse_args()
    from bench import synthetic, wire

    py = sys.executable
    print("| dossier | articles | step | wall s | CPU s | peak MiB | load before |")
    print("|---|---|---|---|---|---|---|")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            content, cache, tree = tmp / "content", tmp / "cache", tmp / "tree"
            synthetic.write_content((wire if args.kind == "wire" else synthetic).generate(size), content)
            common = ["--content", str(content), "--cache", str(cache), "--quiet"]
            steps = [
                ("build.py, cold", [py, str(ROOT / "build.py"), "--site", str(tmp / "site-1"), *common], None),
                ("build.py, warm", [py, str(ROOT / "build.py"), "--site", str(tmp / "site-2"), *common], None),
                ("build.py docs, warm", [py, str(ROOT / "build.py"), "docs", "--out", str(tree), *common], None),
                ("mkdocs build (no plugin)", [py, "-m", "mkdocs", "build", "--quiet", "--site-dir",
                                              str(tmp / "site-mkdocs")], tree),
                ("zensical build, clean", [py, "-m", "zensical", "build", "--clean"], tree),
                ("zensical build, cached", [py, "-m", "zensical", "build"], tree),
            ]
            for label, command, cwd in steps:
                r = timed(command, cwd)
                print(f"| {args.kind} | {size:,} | {label} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['peak_mib']:.0f} "
                      f"| {r['load']:.2f} |", flush=True)
            if args.check:
                sys.path.insert(0, str(ROOT / "tests"))
                from linkcheck import broken_links

                pages = [str(p.relative_to(tree / "docs"))[:-3] + ".html" for p in (tree / "docs").rglob("*.md")]
                for name, site in (("mkdocs", tmp / "site-mkdocs"), ("zensical", tree / "site")):
                    missing = [p for p in pages if not (site / p).is_file()]
                    broken = broken_links(site)
                    print(f"{name}: {len(pages) - len(missing)} of {len(pages)} pages, {len(broken)} broken links"
                          + (f" (first: {broken[0]})" if broken else ""), flush=True)
            shutil.rmtree(tmp / "site-1", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
