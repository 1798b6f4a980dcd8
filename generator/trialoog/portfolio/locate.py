"""Find the cohort from where the user stands: one rule for every command.

Students type `trialoog check` inside their own folder, coordinators at the top of the cohort
repository, and a student with a repository of their own at its root. So every command (check,
report, build, serve, framework show, new, review, codeowners, feedback import, signoff, gather)
finds portfolio.yml the same way: an explicit PATH, else ./portfolios, else the nearest folder
upwards with portfolio.yml. Standing in (or naming) a student's folder also says which student
is meant, so `check`, `build` and `serve` can work on that student alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from trialoog.errors import UsageError
from trialoog.portfolio.load import CONFIG_FILE

COHORT_FOLDER = "portfolios"
INIT_HINT = "begin een nieuwe cohorte met `trialoog init`"


@dataclass(frozen=True)
class Place:
    """Where the cohort is, and the student folder the user stands in or named (None: the cohort)."""

    root: Path  # resolved folder with portfolio.yml
    student: str | None = None


def find_cohort(path: Path | None = None, start: Path | None = None) -> Place:
    """The cohort for PATH (when given) or for the folder `start` (default: the working directory).

    An explicit PATH is the folder with portfolio.yml or a student folder directly inside it.
    Without PATH: ./portfolios, else `start` or the nearest folder above it with portfolio.yml.
    """
    here = (start or Path.cwd()).resolve()
    if path is not None:
        return _explicit(path, here)
    if (here / COHORT_FOLDER / CONFIG_FILE).is_file():
        return Place((here / COHORT_FOLDER).resolve())
    for folder in (here, *here.parents):
        if (folder / CONFIG_FILE).is_file():
            return Place(folder, student_at(folder, here))
    raise UsageError(
        f"geen {CONFIG_FILE} gevonden: gezocht in {here / COHORT_FOLDER}, in {here} en in de mappen erboven. "
        f"Ga naar de map van je portfolio, geef de map met {CONFIG_FILE} als argument, of {INIT_HINT}"
    )


def locate_cohort(path: Path | None = None, start: Path | None = None) -> Path:
    """The folder with portfolio.yml, by the rule of find_cohort."""
    return find_cohort(path, start).root


def _explicit(path: Path, here: Path) -> Place:
    # Not resolved: a student folder linked in by `trialoog gather` belongs to the cohort it is
    # linked into, not to the repository it points to.
    folder = Path(os.path.abspath(here / path))
    if (folder / CONFIG_FILE).is_file():
        return Place(folder.resolve())
    parent = folder.parent
    if folder.is_dir() and (parent / CONFIG_FILE).is_file() and student_at(parent, folder):
        return Place(parent.resolve(), folder.name)
    raise UsageError(
        f"geen {CONFIG_FILE} in {path}: geef de map met {CONFIG_FILE} (of de map van een student erin), "
        f"of begin er een nieuwe cohorte met `trialoog init {path}`"
    )


def student_at(root: Path, here: Path) -> str | None:
    """The student folder of the cohort at `root` that holds `here`, if any.

    A student folder is a folder directly inside the cohort whose name does not start with `.`
    or `_` (the rule of trialoog.portfolio.load).
    """
    try:
        parts = here.relative_to(root).parts
    except ValueError:
        return None
    if not parts or parts[0].startswith((".", "_")) or not (root / parts[0]).is_dir():
        return None
    return parts[0]
