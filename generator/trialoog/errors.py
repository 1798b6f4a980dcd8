"""The one exception family: every error a user can cause is a TrialoogError with a Dutch message.

The library raises it anywhere; only the CLI's boundary (trialoog.cli) catches it, prints
`Fout: …` (or the diagnostics it carries) on stderr and exits with its code. That keeps one way
of showing an error, and no traceback for anything a user can do (mkdocs.exceptions does the same).
"""

from __future__ import annotations

import errno
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


# The operating system's reasons in Dutch (its own strerror is English), declared once for the
# CLI boundary and the build's output handling.
OS_REASONS = {
    errno.ENOSPC: "de schijf is vol",
    errno.EDQUOT: "de schijfquota is op",
    errno.EACCES: "geen toegang (geen schrijfrechten of leesrechten)",
    errno.EPERM: "niet toegestaan",
    errno.EROFS: "het bestandssysteem is alleen-lezen",
    errno.EXDEV: "de map ligt op een ander bestandssysteem dan de map erboven (een koppelpunt?)",
    errno.EBUSY: "de map is in gebruik of is een koppelpunt (mount point)",
    errno.ENOENT: "bestaat niet (meer)",
    errno.EEXIST: "bestaat al",
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EISDIR: "is een map",
    errno.ENOTEMPTY: "de map is niet leeg",
    errno.ENAMETOOLONG: "het pad is te lang",
    errno.EMFILE: "te veel open bestanden",
}


def os_reason(error: OSError) -> str:
    """`error` as a Dutch reason with its errno name (ENOSPC), never the English system text."""
    code = error.errno or 0
    name = errno.errorcode.get(code, "")
    reason = OS_REASONS.get(code, "systeemfout")
    return f"{reason} ({name})" if name else reason


def refuse_unwritable(path: Path) -> None:
    """Refuse to write `path` when its folder is missing or a file: Trialoog creates no folders a
    user did not ask for (`-o /nonexistent/dir/file` once made /nonexistent as root)."""
    folder = path.parent
    if folder.is_dir():
        return
    what = "is een bestand, geen map" if folder.exists() else "bestaat niet"
    raise TrialoogError(f"{path} kan niet geschreven worden: de map {folder} {what}; maak de map eerst of kies een andere plek")


def cannot_write(path: Path, error: OSError) -> TrialoogError:
    """The Dutch error for a file that could not be written (no rights, a full disk, ...)."""
    return TrialoogError(f"{path} kan niet geschreven worden: {os_reason(error)}")
