"""Find the cohort and the git repository around it; run `git` without a network.

Every workflow command (new, codeowners, review, feedback import, signoff, gather) works in a
cohort repository (`portfolios/portfolio.yml`) and in a repository that holds one student
(`portfolio.yml` at the top, beside the student's folder); they find it with the one rule of
trialoog.portfolio.locate, like every other command.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Literal, overload

from trialoog.errors import PROBLEM, USAGE, TrialoogError


class WorkflowError(TrialoogError):
    """A workflow command cannot do what was asked: exit 2 (usage, configuration)."""

    exit_code = USAGE


class Refused(WorkflowError):
    """Trialoog refuses, e.g. to overwrite a file: exit 1."""

    exit_code = PROBLEM


@overload
def git(cwd: Path, *args: str, binary: Literal[False] = False) -> str: ...
@overload
def git(cwd: Path, *args: str, binary: Literal[True]) -> bytes: ...


def git(cwd: Path, *args: str, binary: bool = False) -> str | bytes:
    """Run git in `cwd`; its error message becomes a WorkflowError."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, env=environment, check=False)
    except FileNotFoundError:
        raise WorkflowError("git is niet geïnstalleerd of niet te vinden") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkflowError(f"git {' '.join(args[:2])} mislukte: {message[-1] if message else done.returncode}")
    return done.stdout if binary else done.stdout.decode("utf-8", "replace")


def toplevel(folder: Path) -> Path | None:
    """The root of the git work tree that holds `folder`, or None outside git."""
    try:
        return Path(git(folder, "rev-parse", "--show-toplevel").strip()).resolve()
    except WorkflowError:
        return None


def repo_relative(path: Path, root: Path) -> str:
    """`path` inside `root` with forward slashes ('' for the root itself)."""
    relative = Path(os.path.relpath(path.resolve(), root.resolve())).as_posix()
    return "" if relative == "." else relative
