"""Where Trialoog keeps what it can compute again (image verdicts, rendered docs trees, cleaned texts).

Outside the repository, where a student would commit it, and outside the output, which is
published: $TRIALOOG_CACHE_DIR if it is set (set but empty: no cache at all), else
$XDG_CACHE_HOME/trialoog, else ~/.cache/trialoog. A cache only ever saves time: whoever reads it
treats a missing, corrupt or unwritable cache as empty, and never uses one inside a student's folder
or inside a built site.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterable

from trialoog.portfolio.load import BUILD_MANIFEST
from trialoog.portfolio.paths import is_within

CACHE_VARIABLE = "TRIALOOG_CACHE_DIR"


def cache_root() -> Path | None:
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trialoog"


def cache_root_outside(student_folders: Iterable[Path]) -> Path | None:
    """cache_root(), or None when it is switched off, lies inside one of the students' folders
    (where it would be committed and published with a student's work), or inside a built site:
    what an evaluation build keeps would be published with a student build's output."""
    root = cache_root()
    if root is None or _inside_built_site(root) or any(is_within(str(root), str(folder)) for folder in student_folders):
        return None
    return root


def _inside_built_site(folder: Path) -> bool:
    real = Path(os.path.realpath(folder))
    return any((place / BUILD_MANIFEST).is_file() for place in (real, *real.parents))


def cohort_cache(kind: str, student_folders: Iterable[Path], audience: str) -> Path | None:
    """The folder of one kind of cache ("docs", "texts") for these students' cohort folder and
    this audience, so a student build never reads what an evaluation build kept; None: no cache."""
    folders = list(student_folders)
    root = cache_root_outside(folders)
    if root is None:
        return None
    cohorts = sorted({str(folder.parent) for folder in folders})
    return root / kind / hashlib.sha256(f"{cohorts}\0{audience}".encode()).hexdigest()[:24]
