"""No traceback on any edit: each content file of the seed dossier edited at random, as a hurried
save or a slip of the keyboard would (bytes deleted, duplicated or reversed, the file truncated or
emptied, YAML-significant characters inserted, lines indented). `check` then exits 0, or exits 1
with every problem as `file:line: message`.

DOSSIER_FUZZ_EXAMPLES=2000 runs many more examples than the suite does (which keeps to < 60 s)."""

from __future__ import annotations

import io
import os
import re
import shutil
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paths import ROOT

from dossier.cli import main

SEED_CONTENT = ROOT / "content"
CONTENT_FILES = sorted(str(p.relative_to(SEED_CONTENT)) for p in SEED_CONTENT.rglob("*") if p.is_file())
# Characters and short runs that mean something to YAML (or to a front matter's `---`).
YAML_SIGNIFICANT = [":", ": ", "-", "- ", "#", "[", "]", "{", "}", ",", "&", "*", "!", "|", ">", "'", '"', "%",
                    "@", "`", "?", "? ", "---", "...", "\n", "\t", " ", "\\", "&a ", "*a", "!!binary ", "<<: ",
                    "0: ", "null", "~", "{{", "}}", "(", "{99999999999}"]
INDENTS = [" ", "  ", "    ", "\t"]
EXAMPLES = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "300"))  # about 10 s
PROBLEM = re.compile(r"(?:\S*/)?content/[^:\s]+:\d+: \S")  # file:line: message (the path as it opens from here)


@st.composite
def span(draw, data: bytes) -> tuple[int, int]:
    start = draw(st.integers(0, len(data)))
    length = draw(st.one_of(st.integers(1, 40), st.integers(1, max(1, len(data)))))
    return start, min(len(data), start + length)


@st.composite
def changed(draw, data: bytes) -> tuple[str, bytes]:
    """One change to a file's bytes: (what was done, the new bytes)."""
    kind = draw(st.sampled_from(["delete", "duplicate", "reverse", "truncate", "empty", "insert", "indent"]))
    if kind in ("delete", "duplicate", "reverse"):
        a, b = draw(span(data))
        middle = {"delete": b"", "duplicate": data[a:b] * 2, "reverse": data[a:b][::-1]}[kind]
        return f"{kind} bytes {a}:{b}", data[:a] + middle + data[b:]
    if kind == "truncate":
        at = draw(st.integers(0, len(data)))
        return f"truncate at {at}", data[:at]
    if kind == "empty":
        return "empty", b""
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        text = draw(st.lists(st.sampled_from(YAML_SIGNIFICANT), min_size=1, max_size=3).map("".join))
        return f"insert {text!r} at {at}", data[:at] + text.encode() + data[at:]
    lines = data.split(b"\n")
    first = draw(st.integers(0, len(lines) - 1))
    count = draw(st.integers(1, len(lines) - first))
    indent = draw(st.sampled_from(INDENTS)).encode()
    lines[first:first + count] = [indent + line for line in lines[first:first + count]]
    return f"indent lines {first + 1}-{first + count} by {indent!r}", b"\n".join(lines)


class Edit(NamedTuple):
    files: dict[str, bytes]  # file (relative to content/) -> its new bytes
    what: list[str]  # what was done, as a person reads it

    def __repr__(self) -> str:  # a failing example is shown by what was done, not by its bytes
        return f"Edit({self.what!r})"


@st.composite
def edited(draw) -> Edit:
    """One to three changes, to one file or to several."""
    files: dict[str, bytes] = {}
    what = []
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(CONTENT_FILES))
        done, files[name] = draw(changed(files.get(name, (SEED_CONTENT / name).read_bytes())))
        what.append(f"{name}: {done}")
    return Edit(files, what)


def check(content: Path, cache: Path) -> tuple[int, str]:
    """`python build.py check` in this process (an uncaught exception is the traceback it would print)."""
    err = io.StringIO()
    with redirect_stderr(err), redirect_stdout(io.StringIO()):
        code = main(["check", "--content", str(content), "--cache", str(cache)])
    return code, err.getvalue()


def assert_reported(code: int, stderr: str, what: str) -> None:
    """Exit 0, or exit 1 whose every problem names its file and line."""
    assert code in (0, 1), f"{what}: exit {code}\n{stderr}"
    if code == 1:
        *problems, last = stderr.rstrip("\n").split("\n")
        assert re.fullmatch(r"check failed: \d+ problems?", last), f"{what}:\n{stderr}"
        assert problems, f"{what}: no problem reported\n{stderr}"
        unplaced = [line for line in problems if not PROBLEM.match(line)]
        assert not unplaced, f"{what}: problems without file:line:\n" + "\n".join(unplaced)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> tuple[Path, Path]:
    """A copy of the seed content, checked once (the alignment cache then holds the unedited files)."""
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SEED_CONTENT, root / "content")
    code, stderr = check(root / "content", root / "cache")
    assert code == 0, stderr
    return root / "content", root / "cache"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edit=edited())
def test_any_edit_of_a_content_file_is_reported_without_a_traceback(workspace, edit):
    content, cache = workspace
    for name, data in edit.files.items():
        (content / name).write_bytes(data)
    try:
        code, stderr = check(content, cache)
    finally:
        for name in edit.files:
            shutil.copyfile(SEED_CONTENT / name, content / name)
    assert_reported(code, stderr, "; ".join(edit.what))


@pytest.mark.parametrize("name", CONTENT_FILES)
def test_an_emptied_file_is_named_with_its_line(workspace, name):
    """A truncated save leaves an empty file: reported at line 1, never a traceback."""
    content, cache = workspace
    path = content / name
    path.write_bytes(b"")
    try:
        code, stderr = check(content, cache)
    finally:
        shutil.copyfile(SEED_CONTENT / name, path)
    assert code == 1, stderr
    assert f"content/{name}:1: " in stderr
    assert_reported(code, stderr, f"{name}: empty")


ONCE_TRACEBACKS = {  # edits that once ended in a traceback, each fixed at its cause (the random edits seldom make them)
    "an emptied dossier description": ("dossier.yml", lambda text: ""),
    "a complex key": ("dossier.yml", lambda text: "? [title]\n: x\n" + text),
    "numeric and text keys mixed": ("cleaning.yml", lambda text: text + "0: x\nzz: y\n"),
    "a repeat count too large": ("cleaning.yml", lambda text: text.replace("'{{title}}'", "'a{99999999999}'", 1)),
    "a placeholder naming no metadata field":
        ("cleaning.yml", lambda text: text.replace("'{{title}}'", "'{{__class__}}'", 1)),
    "a number tag on a word": ("dossier.yml", lambda text: "summary: !!int x\n" + text),
    "a number tag on nothing": ("annotations/context.yml", lambda text: text.replace("    kind:", "    x: !!float\n    kind:", 1)),
    "a yes-or-no tag on a word": ("cleaning.yml", lambda text: "x: !!bool maybe\n" + text),
    "a mapping tag on a word": ("dossier.yml", lambda text: "summary: !!map x\n" + text),
    "a control character pasted into a value": ("dossier.yml", lambda text: text.replace("title:", "title: \x1b[1m", 1)),
    "a control character in a front matter": ("articles/report-000.md", lambda text: text.replace("\nurl:", "\nurl: \x01", 1)),
    "a non-character in a note": ("annotations/context.yml", lambda text: text.replace("    note: |\n", "    note: |\n      \ufffe\n", 1)),
    "a date tag on a word": ("articles/rmn-news.md", lambda text: text.replace("\ntitle:", "\npublished: !!timestamp soon\ntitle:", 1)),
}


@pytest.mark.parametrize("kind", ONCE_TRACEBACKS)
def test_edits_that_once_gave_a_traceback(workspace, kind):
    content, cache = workspace
    name, edit = ONCE_TRACEBACKS[kind]
    path = content / name
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    try:
        code, stderr = check(content, cache)
    finally:
        shutil.copyfile(SEED_CONTENT / name, path)
    assert_reported(code, stderr, kind)
