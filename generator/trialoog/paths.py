"""Resolve a path written in an entry (attachment, evidence file, link) inside its student's folder.

Check uses this to report; build uses it again so that it never copies a file from outside.
"""

from __future__ import annotations

import os
import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote

from trialoog import rules

EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class Resolved:
    relative: str | None  # the path inside the student folder, exactly as on disk
    code: str | None = None  # the rule that refuses it, when not usable
    message: str = ""

    @property
    def found(self) -> bool:
        return self.code is None


def is_external(reference: str) -> bool:
    return bool(EXTERNAL.match(reference)) and not WINDOWS_DRIVE.match(reference)


def resolve_inside(student, entry, reference: str) -> Resolved:
    """Resolve `reference`, relative to the entry's own file, to a file or folder of the student."""
    written = str(reference).strip()
    if not written:
        return Resolved(None, rules.MISSING_FILE, "leeg pad: schrijf de naam van het bestand")
    if is_external(written):
        return Resolved(None, rules.MISSING_FILE, f"'{written}' is een webadres, geen bestand in je map")
    if written.startswith(("/", "\\")) or WINDOWS_DRIVE.match(written):
        return Resolved(None, rules.ESCAPING_PATH, f"'{written}' is een absoluut pad: schrijf het pad relatief aan dit bestand")
    base = posixpath.dirname(entry.id) if entry is not None else ""
    joined = posixpath.normpath(posixpath.join(base, unquote(written.replace("\\", "/"))))
    if joined == ".." or joined.startswith("../"):
        return Resolved(None, rules.ESCAPING_PATH, f"'{written}' wijst buiten je eigen map")
    return _on_disk(student, joined, written)


def _on_disk(student, joined: str, written: str) -> Resolved:
    if joined in student.files or joined == "." or os.path.isdir(student.folder / joined):
        return _inside_real_folder(student, joined, written)
    actual = student.casefolded.get(joined.casefold())
    if actual is not None:
        return Resolved(None, rules.CASE_MISMATCH, f"'{written}' verschilt in hoofdletters van het bestand '{actual}'")
    return Resolved(None, rules.MISSING_FILE, f"'{written}' bestaat niet{_nearest(student, joined)}")


def _inside_real_folder(student, joined: str, written: str) -> Resolved:
    real_folder = os.path.realpath(student.folder)
    real = os.path.realpath(student.folder / joined)
    if real != real_folder and not real.startswith(real_folder + os.sep):
        return Resolved(None, rules.ESCAPING_PATH, f"'{written}' is een symbolische link naar buiten je map")
    return Resolved(joined)


def _nearest(student, joined: str) -> str:
    import difflib

    found = difflib.get_close_matches(joined, list(student.files), n=1, cutoff=0.75)
    return f" — bedoel je '{found[0]}'?" if found else ""
