"""Resolve a path written in an entry (attachment, evidence file, link) inside its student's folder.

Check uses this to report; build uses it again so that it never copies a file from outside.
"""

from __future__ import annotations

import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote

from trialoog import rules

_APOSTROPHES = re.compile(r"['’`]")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str, max_length: int | None = None) -> str:
    """The one slug rule, for student folders, new file names, page names and imported ids:
    ASCII, lower case, words joined by hyphens; an apostrophe joins ("pizza's" -> "pizzas").
    "Één café, 3de leerjaar!" -> "een-cafe-3de-leerjaar"; "" when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    found = _NOT_SLUG.sub("-", _APOSTROPHES.sub("", ascii_text.lower())).strip("-")
    return found[:max_length].rstrip("-") if max_length else found


def is_slug(text: str) -> bool:
    """A name the slug rule leaves as it is (a student folder: 'amina-el-khatib')."""
    return bool(text) and slug(text) == text


# The folders the overview itself writes at the root of a build (the theme's assets, the search
# index, the overview's pages): a student folder with one of these names would collide with it.
# Declared here, below check and build, so `trialoog check`, `trialoog new student` and the builder
# refuse the same names.
RESERVED_FOLDERS = frozenset({"assets", "search", "overzicht"})


if TYPE_CHECKING:
    from pathlib import Path

    from trialoog.portfolio.load import Entry, Student


def repository_root(cohort_root: Path) -> Path:
    """The folder that Trialoog may read beyond the cohort: the git repository that holds it (the
    nearest folder with `.git`, a folder or a submodule's file), else the cohort root itself.

    A framework file and the target of a linked student folder (`trialoog gather`) must lie in
    it; `/etc/shadow` or `ln -s /usr` then never is. Found without running git, so `check` works
    where git is not installed."""
    resolved = cohort_root.resolve()
    for folder in (resolved, *resolved.parents):
        if os.path.lexists(folder / ".git"):
            return folder
    return resolved


def is_within(path: Path | str, folder: Path | str) -> bool:
    """Whether `path` is `folder` or lies below it, after following every symbolic link."""
    real, real_folder = os.path.realpath(path), os.path.realpath(folder)
    return real == real_folder or real.startswith(real_folder.rstrip(os.sep) + os.sep)

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


def resolve_inside(student: Student, entry: Entry | None, reference: str) -> Resolved:
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
    if joined in student.files or joined == "." or os.path.isdir(student.folder / joined) or _behind_link(student, joined):
        return _inside_real_folder(student, joined, written)
    composed = getattr(student, "composed", None)
    actual = composed.get(unicodedata.normalize("NFC", joined)) if composed is not None else None
    if actual is not None:
        # The same name, composed differently (macOS: NFD): the file on disk is meant, as on macOS itself.
        return _inside_real_folder(student, actual, written)
    actual = student.casefolded.get(joined.casefold())
    if actual is not None:
        return Resolved(None, rules.CASE_MISMATCH, f"'{written}' verschilt in hoofdletters van het bestand '{actual}'")
    return Resolved(None, rules.MISSING_FILE, f"'{written}' bestaat niet{_nearest(student, joined)}")


def _inside_real_folder(student, joined: str, written: str) -> Resolved:
    if not _through_symlink(student, joined):
        return Resolved(joined)  # no link on the way: the normalised path stays inside
    real_folder = os.path.realpath(student.folder)
    real = os.path.realpath(student.folder / joined)
    if real != real_folder and not real.startswith(real_folder + os.sep):
        return Resolved(None, rules.ESCAPING_PATH, f"'{written}' is een symbolische link naar buiten je map")
    return Resolved(joined)


def _behind_link(student, joined: str) -> bool:
    """A file inside a linked folder, which the walk of the student folder does not enter."""
    return bool(getattr(student, "symlinks", None)) and _through_symlink(student, joined) and os.path.exists(student.folder / joined)


def _through_symlink(student, joined: str) -> bool:
    """Whether `joined` or one of the folders on its way is a symbolic link."""
    links = getattr(student, "symlinks", None)
    if links is None:
        return True  # unknown: let realpath decide
    if not links:
        return False
    parts = joined.split("/")
    return any("/".join(parts[:end]) in links for end in range(1, len(parts) + 1))


def _nearest(student, joined: str) -> str:
    import difflib

    found = difflib.get_close_matches(joined, list(student.files), n=1, cutoff=0.75)
    return f" — bedoel je '{found[0]}'?" if found else ""
