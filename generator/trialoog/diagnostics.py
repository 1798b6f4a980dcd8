"""The one problem type that every check yields and every formatter renders."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str  # relative to the cohort's repository root, with forward slashes
    line: int
    column: int
    code: str
    message: str
    severity: Severity = field(default=Severity.ERROR, compare=False)
    student: str | None = field(default=None, compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


START = Position(1, 1)


def relative_path(path: Path, root: Path) -> str:
    """Forward-slash path of `path` relative to `root` (or absolute when outside)."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def located(diagnostics: Iterable[Diagnostic], root: Path) -> list[Diagnostic]:
    """The diagnostics with paths relative to the cohort root `root`, as DESIGN.md promises.

    Checks name files by their absolute path (that is what they hold); making them relative here,
    once, keeps `--format json` the same from every working directory and spares each check the
    bookkeeping. A path already relative is left alone; a file outside the cohort (a framework
    given by an absolute path) keeps its absolute path, which is still readable.
    """
    base = Path(os.path.normpath(os.path.abspath(root)))
    return [_located(d, base) for d in diagnostics]


def _located(d: Diagnostic, root: Path) -> Diagnostic:
    if not os.path.isabs(d.path):
        return d
    path = Path(os.path.normpath(d.path))
    inside = relative_path(path, root)
    return d if inside == d.path else replace(d, path=inside)
