"""Atomic output: a failed, interrupted or killed build leaves the previous site intact.

Everything is written beside the output folder and moved into place only when the whole build
succeeded.

The output folder is replaced as a whole, so this module also decides what may be replaced at
all: only a folder that does not exist yet, an empty one, or a previous Trialoog build (its
manifest is there) — never the sources, the working directory or anything above them. A build
holds a lock beside the output for its whole run, so two builds into one folder cannot interleave.

The staging and work folders carry the builder's process id, so a later build can tell the
leftovers of a killed build (its process is gone) from those of a build that still runs.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not guarded against each other
    fcntl = None  # type: ignore[assignment]

from trialoog.site.fingerprint import MANIFEST

from trialoog.errors import USAGE, TrialoogError, os_reason


class OutputError(TrialoogError):
    """The output folder cannot or may not be written; the message is Dutch and names the way out."""

    exit_code = USAGE  # the user chooses another --out


# -- what may be replaced -------------------------------------------------------------------------


def refuse_unsafe_target(out: Path, sources: Iterable[Path], roots: Iterable[Path] = ()) -> None:
    """Refuse an output that a swap would take away from under the user: the sources or the
    roots (or a folder containing them), a folder inside a source (it would become part of a
    student's files), the working directory or one of its ancestors (an empty --out from an
    unset CI variable is '.'), or a file. `out` is resolved.

    A folder inside a root (the cohort) is allowed when it is inside no source: a repository
    that holds one student builds into `site/` beside the student's folder (README, CI
    templates). The loader never takes a built site (its manifest), the hidden staging folders
    beside it or an empty folder for a student, so such an output never becomes part of the cohort."""
    cwd = Path.cwd().resolve()
    if cwd.is_relative_to(out):
        what = "de huidige map" if cwd == out else f"een map boven de huidige map ({cwd})"
        raise OutputError(
            f"--out '{out}' is {what}; een build vervangt die map in zijn geheel. "
            "Kies een aparte map, zoals --out site (een lege --out, bv. een niet-ingestelde variabele, betekent de huidige map)"
        )
    inside = {Path(s).resolve() for s in sources}
    for source in sorted(inside | {Path(r).resolve() for r in roots}):
        if source.is_relative_to(out):
            what = "de portfolio's zelf" if source == out else f"de map met de portfolio's ({source})"
            raise OutputError(f"--out '{out}' is {what}; een build zou ze vervangen. Kies een aparte map, zoals --out site")
    for source in sorted(inside):
        if out.is_relative_to(source):
            raise OutputError(
                f"--out '{out}' ligt in de map van een student ({source}); de site zou deel worden van de bestanden van die student. "
                "Kies een map ernaast, zoals --out site"
            )
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out '{out}' is een bestand, geen map; kies een map")


def refuse_foreign_output(out: Path, audience: str) -> None:
    """Replace only what Trialoog made for the same audience: a folder of someone's own files is
    never deleted, and an evaluation build (private entries included) never mixes with a student build."""
    if not out.is_dir() or not any(out.iterdir()):
        return
    manifest = previous_build(out)
    if manifest is None:
        raise OutputError(
            f"--out '{out}' is geen lege map en geen eerdere Trialoog-build (er staat geen {MANIFEST} in); "
            "een build zou de bestanden erin verwijderen. Kies een lege of nieuwe map, of maak deze map zelf leeg"
        )
    previous = manifest.get("audience")
    if isinstance(previous, str) and previous != audience:
        raise OutputError(
            f"--out '{out}' bevat een build voor --audience {previous}, deze build is voor --audience {audience}; "
            f"die mogen niet door elkaar staan. Kies een andere map, zoals --out site-{audience}"
        )


def previous_build(out: Path) -> dict | None:
    """The manifest of the Trialoog build in `out`, or None when `out` holds none."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("students"), dict):
        return None
    return manifest


# -- one build at a time ----------------------------------------------------------------------------


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold `.<name>.lock` beside `out` for the whole build; a second build is refused at once
    rather than waiting, so CI jobs and a user at the keyboard notice the clash.

    The lock file is removed afterwards (no stray file in the repository). A build that opened
    it just before it was removed would hold a lock on a file nobody else sees, so a lock only
    counts when the file it holds is still the one at the path."""
    if fcntl is None:
        yield
        return
    lock = out.parent / f".{out.name}.lock"
    for _ in range(20):
        handle = open(lock, "a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise OutputError(
                f"er loopt al een Trialoog-build naar '{out}' (vergrendeld met {lock}); "
                "wacht tot die klaar is, of kies een andere --out"
            ) from None
        except BaseException:
            handle.close()
            raise
        try:
            current = os.stat(lock).st_ino
        except FileNotFoundError:
            current = None
        if current == os.fstat(handle.fileno()).st_ino:
            break
        handle.close()  # removed by the build before us; take the new file
    else:
        raise OutputError(f"kon {lock} niet vergrendelen; probeer opnieuw")
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        handle.close()


# -- staging beside the output --------------------------------------------------------------------


@contextlib.contextmanager
def staging(out: Path) -> Iterator[tuple[Path, Path]]:
    """A new output folder beside `out` (same file system, so the final move is a rename)
    and a work folder for the docs trees; both are gone afterwards, whatever happens."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = _temporary_dir(out, "nieuw")
    # mkdtemp makes 0700; a web server running as another user would answer 403.
    stage.chmod(0o777 & ~_umask())
    try:
        work = _temporary_dir(out, "werk")
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    try:
        yield stage, work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(stage, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _temporary_dir(out: Path, purpose: str) -> Path:
    # The process id in the name tells a later build whether its owner still runs.
    return Path(tempfile.mkdtemp(prefix=f".{out.name}-{purpose}-{os.getpid()}-", dir=out.parent))


def clear_leftovers(out: Path) -> None:
    """Folders of a build that was killed (kill -9, power cut): its process is gone. A build
    killed between the two renames of the fallback swap left the previous site in its `oud`
    folder and none at `out`: that site is put back first. Call it holding the lock, before
    looking at what `out` holds."""
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"^\.{re.escape(out.name)}-(nieuw|werk|oud)-(\d+)-")
    for path in sorted(out.parent.iterdir()):
        match = pattern.match(path.name)
        if match and path.is_dir() and not _process_runs(int(match[2])):
            previous = path / out.name
            if match[1] == "oud" and previous.is_dir() and not out.exists():
                previous.rename(out)
            shutil.rmtree(path, ignore_errors=True)


def _process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# -- into place ------------------------------------------------------------------------------------


def swap_into_place(stage: Path, out: Path) -> None:
    """Put the staged site at `out` with no moment without a site: one atomic exchange where the
    system has it; otherwise two renames, undone when the second fails, and recovered by the next
    build when the process is killed between them. The previous site is deleted afterwards."""
    if not out.exists():
        _rename(stage, out)
        return
    if _exchange(stage, out):
        shutil.rmtree(stage, ignore_errors=True)  # now the previous site
        return
    old = _temporary_dir(out, "oud")
    try:
        _rename(out, old / out.name)
    except BaseException:
        old.rmdir()
        raise
    try:
        _rename(stage, out)
    except BaseException:
        _rename(old / out.name, out)
        shutil.rmtree(old, ignore_errors=True)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _rename(source: Path, target: Path) -> None:
    os.rename(source, target)


AT_FDCWD = -100
RENAME_EXCHANGE = 2
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    function = _renameat2()
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no such symbol: glibc before 2.28, musl before 1.2.2
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def carry_over(ids: Iterable[str], out: Path, stage: Path) -> None:
    for student_id in ids:
        shutil.copytree(out / student_id, stage / student_id, copy_function=link_or_copy)


def link_or_copy(source: str, target: str) -> None:
    # The previous output (or a shard) is never written into again: a build swaps a new folder
    # in; so sharing its inodes is safe and fast.
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


# -- what the user reads when the file system says no ---------------------------------------------

def describe_os_error(error: OSError, out: Path) -> str:
    """A Dutch sentence for a file-system error during the build: what, where, and that the
    output was left as it was (the swap is the last step and undoes itself)."""
    advice = "; kies een map erin of ernaast als --out" if error.errno in (errno.EXDEV, errno.EBUSY) else ""
    return f"{error.filename or out}: {os_reason(error)}{advice}; {out} is niet gewijzigd"
