"""What a maintainer sees for each kind of bad input: the message, the exit code, and whether the
previous site survived untouched. Prints a Markdown table. Run: python -m bench.bad_inputs"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOOD = "---\ntitle: T\noutlet: O\n---\nThe ministers agreed on a new fisheries treaty for the coast.\n"

CASES = [
    ("malformed YAML", "articles/a.md", "---\ntitle: [unclosed\noutlet: O\n---\nText.\n"),
    ("duplicate key", "articles/a.md", "---\ntitle: T\noutlet: O\ntitle: U\n---\nText.\n"),
    ("unknown field", "articles/a.md", "---\ntitle: T\noutlet: O\nauthr: X\n---\nText.\n"),
    ("wrong type", "articles/a.md", "---\ntitle: [1, 2]\noutlet: O\n---\nText.\n"),
    ("missing required field", "articles/a.md", "---\ntitle: T\n---\nText.\n"),
    ("empty article", "articles/a.md", "---\ntitle: T\noutlet: O\n---\n\n"),
    ("non-UTF-8 file", "articles/a.md", b"---\ntitle: T\noutlet: O\n---\nCaf\xe9.\n"),
    ("binary file", "articles/a.md", b"\x89PNG\r\n\x1a\n\x00\x00"),
    ("bad article id", "articles/Bad_Id.md", GOOD),
    ("unknown file", "aligments.yml", "link: []\n"),
    ("duplicate annotation id", "annotations/x.yml",
     "annotations:\n" + "".join(f"  - id: same\n    kind: context\n    target: {{article: a, quote: ministers}}\n"
                                 f"    note: n{k}\n    sources: [{{title: t, publisher: p, date: null}}]\n" for k in (1, 2))),
    ("unknown article in annotation", "annotations/x.yml",
     "annotations:\n  - id: n\n    kind: context\n    target: {article: b, quote: ministers}\n"
     "    note: n\n    sources: [{title: t, publisher: p, date: null}]\n"),
    ("ambiguous quote", "annotations/x.yml",
     "annotations:\n  - id: n\n    kind: context\n    target: {article: a, quote: 'e'}\n"
     "    note: n\n    sources: [{title: t, publisher: p, date: null}]\n"),
]


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            digest.update(str(p.relative_to(folder)).encode() + p.read_bytes())
    return digest.hexdigest()


def main() -> int:
    env = {**os.environ, "CI": "1"}
    print("| bad input | what the maintainer sees (stderr) | exit | previous site/ unchanged |")
    print("|---|---|---|---|")
    for name, relative, data in CASES:
        with tempfile.TemporaryDirectory() as tmp:
            content, site = Path(tmp) / "content", Path(tmp) / "site"
            (content / "articles").mkdir(parents=True)
            (content / "dossier.yml").write_text("title: Bad inputs\n")
            (content / "articles" / "a.md").write_text(GOOD)
            build = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--site", str(site)]
            subprocess.run(build, capture_output=True, env=env, check=True)
            before = tree_hash(site)
            target = content / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data if isinstance(data, bytes) else data.encode())
            out = subprocess.run(build, capture_output=True, text=True, env=env)
            message = out.stderr.strip().splitlines()[0].replace(tmp + "/", "").replace("|", "\\|")
            print(f"| {name} | `{message}` | {out.returncode} | {'yes' if tree_hash(site) == before else 'NO'} |")
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
