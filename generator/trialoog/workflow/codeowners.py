"""`trialoog codeowners`: review requests for each student's mentors and coach.

A change inside a student's folder requests review from the forge logins (`forge` in
portfolio.yml) of the mentors and the coach named in that student's profile; a change to
portfolio.yml requests review from the coaches. GitHub reads .github/CODEOWNERS; the GitLab
variant (.gitlab/CODEOWNERS) puts each student in a section of its own, so GitLab shows one
approval rule per student. The file is generated, so `--check` can tell CI that it is stale.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from trialoog.errors import cannot_write, refuse_unwritable
from trialoog.portfolio.load import CONFIG_FILE, Cohort

GITHUB_FILE = ".github/CODEOWNERS"
GITLAB_FILE = ".gitlab/CODEOWNERS"


@dataclass
class Owners:
    text: str
    warnings: list[str] = field(default_factory=list)


def default_output(repo_root: Path, gitlab: bool) -> Path:
    return repo_root / (GITLAB_FILE if gitlab else GITHUB_FILE)


def codeowners(cohort: Cohort, prefix: str, gitlab: bool = False) -> Owners:
    """The CODEOWNERS text for a cohort whose folder is `prefix` inside the repository ('' at the top)."""
    result = Owners("")
    people = cohort.config.people
    blocks = [_header(gitlab)]
    coaches = [pid for pid, person in people.items() if person.role == "coach"]
    blocks.append(_block("Cohorte", "portfolio.yml: de coaches keuren wijzigingen aan de instellingen",
                         _pattern(prefix, CONFIG_FILE), _logins(people, coaches, result, "portfolio.yml"), gitlab))
    for student in cohort.students:
        blocks.append(_student_block(student, people, prefix, gitlab, result))
    result.text = "\n".join(blocks)
    return result


def _header(gitlab: bool) -> str:
    variant = " --gitlab" if gitlab else ""
    return (
        "# Gegenereerd door `trialoog codeowners` uit portfolio.yml en de profielen: pas dit niet met de hand aan.\n"
        "# Een wijziging in de map van een student vraagt een review van diens mentoren en coach.\n"
        f"# Opnieuw maken: `trialoog codeowners{variant}`; CI controleert met `trialoog codeowners{variant} --check`.\n"
    )


def _student_block(student, people, prefix: str, gitlab: bool, result: Owners) -> str:
    profile = student.profile_model
    if profile is None:
        result.warnings.append(f"{student.id}: geen geldig profiel (index.md), dus geen reviewers")
        return f"# {student.id}: geen geldig profiel (index.md), dus geen reviewers\n"
    ids = [*profile.mentors, *([profile.coach] if profile.coach else [])]
    logins = _logins(people, ids, result, student.id)
    return _block(student.id, f"{profile.name}: {_roles(profile, people)}", _pattern(prefix, student.id + "/"), logins, gitlab)


def _roles(profile, people) -> str:
    mentors = [people[pid].name for pid in profile.mentors if pid in people]
    coach = people[profile.coach].name if profile.coach in people else None
    parts = [f"{' en '.join(mentors)} ({'mentoren' if len(mentors) > 1 else 'mentor'})"] if mentors else []
    parts += [f"{coach} (coach)"] if coach else []
    return ", ".join(parts) or "geen mentor of coach in het profiel"


def _block(section: str, comment: str, pattern: str, logins: list[str], gitlab: bool) -> str:
    lines = [f"[{section}]"] if gitlab else []
    lines.append(f"# {comment}")
    if logins:
        lines.append(f"{pattern} {' '.join('@' + login for login in logins)}")
    else:
        lines.append(f"# {pattern}: niemand met een `forge`-login in portfolio.yml")
    return "\n".join(lines) + "\n"


def _logins(people, ids, result: Owners, where: str) -> list[str]:
    found: list[str] = []
    for pid in ids:
        person = people.get(pid)
        if person is None:
            result.warnings.append(f"{where}: '{pid}' staat niet in `people` van portfolio.yml")
        elif not person.forge:
            result.warnings.append(f"{where}: {person.name} ({pid}) heeft geen `forge`-login in portfolio.yml")
        else:
            login = person.forge.strip().lstrip("@")
            if login not in found:
                found.append(login)
    return found


def _pattern(prefix: str, name: str) -> str:
    path = f"/{prefix}/{name}" if prefix else f"/{name}"
    return path.replace(" ", "\\ ")


def stale_diff(path: Path, text: str) -> str | None:
    """None when `path` holds exactly `text`; else a unified diff (or a note that it is missing)."""
    if not path.is_file():
        return f"{path} ontbreekt"
    current = path.read_text(encoding="utf-8")
    if current == text:
        return None
    diff = difflib.unified_diff(current.splitlines(keepends=True), text.splitlines(keepends=True),
                                fromfile=f"{path} (nu)", tofile=f"{path} (volgens portfolio.yml)")
    return "".join(diff)


def write(path: Path, text: str, make_folder: bool = False) -> None:
    """Write the file; `make_folder` creates its one missing folder (.github/ of the default
    output), never more: an `-o` into a folder that does not exist is refused."""
    if make_folder and not path.parent.exists() and path.parent.parent.is_dir():
        try:
            path.parent.mkdir()
        except OSError as error:
            raise cannot_write(path, error) from None
    refuse_unwritable(path)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise cannot_write(path, error) from None
