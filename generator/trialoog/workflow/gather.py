"""`trialoog gather`: a cohort repository that gathers student repositories as git submodules.

A student repository holds `portfolio.yml` and one student folder. A cohort repository adds
each as a submodule (under a folder whose name starts with `_`, such as
`portfolios/_studenten/amina/`, so the loader does not take it for a student) and links the
student folder into the cohort with a relative symbolic link:

    portfolios/amina-el-khatib -> _studenten/amina/amina-el-khatib

`trialoog check` and `trialoog build` then read the cohort as if the folders were its own.
The cohort's portfolio.yml is the one that counts; a student repository's copy that differs
is reported.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from trialoog.workflow.gitrepo import WorkflowError, git, toplevel
from trialoog.portfolio.load import CONFIG_FILE


@dataclass
class GatherResult:
    linked: list[tuple[Path, str]] = field(default_factory=list)  # (link, target as written)
    present: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def submodule_paths(repo: Path) -> list[Path]:
    if not (repo / ".gitmodules").is_file():
        return []
    try:
        listed = git(repo, "config", "--file", ".gitmodules", "--get-regexp", r"^submodule\..*\.path$")
    except WorkflowError:
        return []
    return [repo / line.split(" ", 1)[1] for line in listed.splitlines() if " " in line]


def gather(cohort_root: Path) -> GatherResult:
    repo = toplevel(cohort_root)
    if repo is None:
        raise WorkflowError(f"{cohort_root} ligt niet in een git-repository met submodules")
    result = GatherResult()
    for submodule in submodule_paths(repo):
        _link(cohort_root.resolve(), submodule, result)
    if not result.linked and not result.present and not result.problems:
        result.problems.append("geen submodules gevonden: voeg een studentrepository toe met `git submodule add URL portfolios/_studenten/NAAM`")
    return result


def _link(cohort_root: Path, submodule: Path, result: GatherResult) -> None:
    if submodule.parent == cohort_root and not submodule.name.startswith(("_", ".")):
        result.problems.append(f"{submodule}: zet submodules in een map die met `_` begint (bv. _studenten/), anders lijkt het een studentenmap")
        return
    student = _student_folder(submodule, result)
    if student is None:
        return
    _compare_config(cohort_root, submodule, result)
    link = cohort_root / student.name
    target = os.path.relpath(student, cohort_root)
    if link.is_symlink() and os.readlink(link) == target:
        result.present.append(link)
    elif link.exists() or link.is_symlink():
        result.problems.append(f"{link} bestaat al en wijst niet naar {target}: Trialoog overschrijft niets")
    else:
        link.symlink_to(target, target_is_directory=True)
        result.linked.append((link, target))


def _student_folder(submodule: Path, result: GatherResult) -> Path | None:
    if not (submodule / CONFIG_FILE).is_file():
        if submodule.is_dir() and not any(submodule.iterdir()):
            result.problems.append(f"{submodule} is leeg: haal de submodule op met `git submodule update --init`")
        else:
            result.problems.append(f"{submodule} is geen studentrepository (geen {CONFIG_FILE})")
        return None
    folders = [p for p in submodule.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))]
    if len(folders) != 1:
        result.problems.append(f"{submodule} moet precies één studentenmap hebben, niet {len(folders)}")
        return None
    return folders[0]


def _compare_config(cohort_root: Path, submodule: Path, result: GatherResult) -> None:
    own, theirs = cohort_root / CONFIG_FILE, submodule / CONFIG_FILE
    if own.is_file() and own.read_bytes() != theirs.read_bytes():
        result.notes.append(f"{theirs} verschilt van {own}: bij het samen bouwen telt die van de cohorte")
