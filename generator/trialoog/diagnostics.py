"""The one problem type that every check yields and every formatter renders."""

from __future__ import annotations

from dataclasses import dataclass, field
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
