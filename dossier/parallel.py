"""Work spread over forked processes: a clean build renders, converts and indexes pages in
parallel. A forked worker inherits the parent's memory (the dossier, the templates, MkDocs'
configuration), so only item numbers go out and results come back.

Used only where forking is safe: in a process with no other thread (not during the rebuilds
of `mkdocs serve`, whose server runs in threads) on a platform that forks. DOSSIER_WORKERS sets the number of workers (1: none); the default is the
number of cores this process may use.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from typing import Callable, Sequence

MIN_ITEMS = 64  # fewer items than this are done in this process: forking costs more than it saves
_TASK: Callable | None = None


def workers() -> int:
    configured = os.environ.get("DOSSIER_WORKERS")
    if configured:
        return max(1, int(configured))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def would_fork(count: int, min_items: int = MIN_ITEMS) -> bool:
    return (count >= min_items and workers() > 1 and threading.active_count() == 1
            and "fork" in multiprocessing.get_all_start_methods())


def _run(item: int):
    return _TASK(item)


def map_forked(task: Callable[[int], object], count: int, progress: Callable[[int, int], None] | None = None,
               weights: Sequence[float] | None = None, min_items: int = MIN_ITEMS) -> list:
    """[task(0), ..., task(count - 1)], in forked workers when that pays; `progress(done, count)`.
    `weights`: each item's expected cost; the costliest go first, one at a time, so that no worker
    is left with a batch of heavy items at the end. `min_items`: fewer items are done in this process.
    A task should return its errors rather than raise them (exceptions pickle poorly)."""
    global _TASK
    n = workers()
    if not would_fork(count, min_items):
        results = []
        for k in range(count):
            results.append(task(k))
            if progress:
                progress(k + 1, count)
        return results
    order = sorted(range(count), key=lambda k: -weights[k]) if weights else range(count)
    chunk = 1 if weights else max(1, min(16, count // (n * 8)))
    _TASK = task
    gc.freeze()  # the parent's objects out of the collector's reach: a worker's collections would copy their pages
    try:
        with multiprocessing.get_context("fork").Pool(n) as pool:
            results: list = [None] * count
            for done, (k, result) in enumerate(zip(order, pool.imap(_run, order, chunksize=chunk)), start=1):
                results[k] = result
                if progress:
                    progress(done, count)
            return results
    finally:
        _TASK = None
        gc.unfreeze()


class BackgroundWrites:
    """Cache files written by forked children while the build goes on (a clean build of 1,000
    articles spends over a second writing its segments, alignment, pair index and pages, with
    a core idle). A child writes what this process held when it forked: copy-on-write, nothing
    is copied for it. Where forking is unsafe (under `mkdocs serve`, which defers its writes
    itself, or with one worker), `defer` writes at once. `wait` before the build ends: the cache
    is complete when the build is. A write that fails with an OSError (a full disk, a cache
    path that is a file) is reported by `wait`; the build goes on without it."""

    def __init__(self) -> None:
        self.running: list[tuple[str, multiprocessing.Process, object]] = []
        self.failed: list[str] = []

    def defer(self, name: str, write: Callable[[], None]) -> None:
        if not would_fork(1, min_items=1):
            try:
                write()
            except OSError as exc:
                self.failed.append(f"{name}: {exc}")
            return
        context = multiprocessing.get_context("fork")
        reader, sender = context.Pipe(duplex=False)
        child = context.Process(target=_write_in_child, args=(write, sender), name=f"dossier-write-{name}")
        child.start()
        sender.close()
        self.running.append((name, child, reader))

    def wait(self) -> list[str]:
        """Waits for every write; returns what went wrong, a line per failed write."""
        failed, self.failed = self.failed, []
        running, self.running = self.running, []
        for name, child, reader in running:
            child.join()
            try:
                error = reader.recv()  # None: written
            except EOFError:  # the child ended without a word: an error it printed itself
                error = f"the writer exited with code {child.exitcode}"
            reader.close()
            if error:
                failed.append(f"{name}: {error}")
        return failed


def _write_in_child(write: Callable[[], None], sender) -> None:
    try:
        write()
    except OSError as exc:
        sender.send(str(exc))
    else:
        sender.send(None)
    sender.close()
