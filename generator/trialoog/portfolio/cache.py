"""Where Trialoog keeps what it can compute again (image verdicts, rendered docs trees).

Outside the repository, where a student would commit it, and outside the output, which is
published: $TRIALOOG_CACHE_DIR if it is set (set but empty: no cache at all), else
$XDG_CACHE_HOME/trialoog, else ~/.cache/trialoog. A cache only ever saves time: whoever reads it
treats a missing, corrupt or unwritable cache as empty, and never uses one inside a student's folder.
"""

from __future__ import annotations

import os
from pathlib import Path

CACHE_VARIABLE = "TRIALOOG_CACHE_DIR"


def cache_root() -> Path | None:
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "trialoog"
