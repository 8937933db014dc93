"""Progress of long stages on a terminal: "rendered 800 of 2,031 pages", updated in place.

Shown only when standard error is a terminal and `CI` is not set, and only for work that lasts
(nothing is printed before SHOW_AFTER seconds); elsewhere the stage summaries in the log suffice.
"""

from __future__ import annotations

import os
import sys
import time

SHOW_AFTER = 2.0  # seconds: shorter work shows no progress
EVERY = 0.25  # seconds between updates


def wanted() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class Progress:
    def __init__(self, enabled: bool = True, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and (stream is not None or wanted())
        self.shown = False

    def counter(self, verb: str, noun: str):
        """A function (done, total) that shows `verb done of total noun` once the work has lasted."""
        started, last = time.monotonic(), [0.0]

        def update(done: int, total: int) -> None:
            if not self.enabled:
                return
            now = time.monotonic()
            if now - started < SHOW_AFTER or (now - last[0] < EVERY and done < total):
                return
            last[0] = now
            self.stream.write(f"\r  {verb} {done:,} of {total:,} {noun}\x1b[K")
            self.stream.flush()
            self.shown = True

        return update

    def done(self) -> None:
        """End the progress line, if one was shown."""
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()
            self.shown = False
