"""The one error type of the project: every problem carries its file, line and a hint."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class DossierError(Exception):
    """Bad content: one or more problems, all reported together."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class Collector:
    """Gathers problems so a build reports every error at once, then aborts."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str | Path, line: int | None, message: str, hint: str | None = None) -> None:
        self.problems.append(Problem(str(file), line, message, hint))

    def extend(self, error: DossierError) -> None:
        self.problems.extend(error.problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DossierError(self.problems)
