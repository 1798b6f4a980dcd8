"""The one exception family: every error a user can cause is a TrialoogError with a Dutch message.

The library raises it anywhere; only the CLI's boundary (trialoog.cli) catches it, prints
`Fout: …` (or the diagnostics it carries) on stderr and exits with its code. That keeps one way
of showing an error, and no traceback for anything a user can do (mkdocs.exceptions does the same).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from trialoog.diagnostics import Diagnostic

PROBLEM = 1  # Trialoog refuses or found a problem (an existing file, a build that failed)
USAGE = 2  # the command or its configuration is wrong (DESIGN.md: exit 2)


class TrialoogError(Exception):
    """A Dutch message that names the fix, the exit code, and the diagnostics that explain it, if any."""

    exit_code: int = PROBLEM

    def __init__(
        self, message: str, *, exit_code: int | None = None, diagnostics: Iterable[Diagnostic] = (), root: Path | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diagnostics)
        self.root = root  # the cohort root that the diagnostics' paths are relative to
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(TrialoogError):
    """The user asked for something that does not exist or cannot be (an unknown student, ...)."""

    exit_code = USAGE
