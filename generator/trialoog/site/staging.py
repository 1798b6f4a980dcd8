"""Atomic output: a failed, interrupted or killed build leaves the previous site intact.

Everything is written beside the output folder and moved into place only when the whole build
succeeded.

The staging and work folders carry the builder's process id, so a later build can tell the
leftovers of a killed build (its process is gone) from those of a build that still runs.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Iterable, Iterator


@contextlib.contextmanager
def staging(out: Path) -> Iterator[tuple[Path, Path]]:
    """A new output folder beside `out` (same file system, so the final move is a rename)
    and a work folder for the docs trees; both are gone afterwards, whatever happens."""
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(out)
    stage = _temporary_dir(out, "nieuw")
    work = _temporary_dir(out, "werk")
    try:
        yield stage, work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(stage, ignore_errors=True)


def _temporary_dir(out: Path, purpose: str) -> Path:
    # The process id in the name tells a later build whether its owner still runs.
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-{purpose}-{os.getpid()}-", dir=out.parent))


def _remove_leftovers(out: Path) -> None:
    """Folders of a build that was killed (kill -9, power cut): its process is gone."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}-(?:nieuw|werk|oud)-(\d+)-")
    for path in out.parent.iterdir():
        match = pattern.match(path.name)
        if match and path.is_dir() and not _process_runs(int(match[1])):
            shutil.rmtree(path, ignore_errors=True)


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def swap_into_place(stage: Path, out: Path) -> None:
    old = None
    if out.exists():
        old = _temporary_dir(out, "oud")
        out.rename(old / out.name)
    stage.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def carry_over(ids: Iterable[str], out: Path, stage: Path) -> None:
    for student_id in ids:
        shutil.copytree(out / student_id, stage / student_id, copy_function=_link_or_copy)


def _link_or_copy(source: str, target: str) -> None:
    # The previous output is deleted after the swap, so sharing its inodes is safe and fast.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
