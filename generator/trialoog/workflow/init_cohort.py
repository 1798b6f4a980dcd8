"""`trialoog init`: a new cohort's portfolio.yml, explained line by line, never over an existing one.

A coordinator starts a cohort once a year and should not have to learn the format first: the file
comes from a template (templates/portfolio.yml.j2) with a Dutch comment on every key, the allowed
roles taken from the model, and example milestones to adapt. It is validated with the same
reader as `trialoog check` before it is written, so what `init` writes always passes `check`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trialoog.portfolio.framework import BUILTIN, FrameworkError, builtin_note, load_framework
from trialoog.portfolio.load import CONFIG_FILE, ConfigError, load_config
from trialoog.portfolio.model import ROLES
from trialoog.portfolio.paths import slug
from trialoog.workflow.gitrepo import Refused, WorkflowError
from trialoog.workflow.scaffold import environment, write_new

# The only built-in set is the repealed one of 2007 (trialoog.portfolio.framework.BUILTINS): the
# default without questions, always with a note that says so; at a terminal `init` asks for the
# programme's own file.
DEFAULT_FRAMEWORK = "basiscompetenties-2007"
CURRENT_DECREE_FROM = dt.date(2019, 9, 1)  # the decree of 8 June 2018, article 3
YEAR_START = (9, 1)  # 1 September
YEAR_END = (6, 30)  # 30 June
NEXT_YEAR_FROM = 7  # from July on, a new cohort is for the coming academic year

# What each role does in Trialoog, for the template's comments and the README (one text per role
# of the model; tests/workflow/test_init.py holds that every role has one).
ROLE_TEXTS = {
    "mentor": "begeleidt op de stageschool (werkplekbegeleider): reviewt de map van de student, geeft feedback en ondertekent evaluaties",
    "coach": "begeleidt vanuit de hogeschool (opleidingsbegeleider): reviewt de map van de student en keurt wijzigingen aan portfolio.yml",
    "evaluator": "lid van het evaluatieteam: leest de sites, geeft feedback en ondertekent evaluaties, maar krijgt geen reviewverzoeken",
}


@dataclass(frozen=True)
class NewPerson:
    role: str  # one of ROLES
    name: str
    forge: str | None = None

    @property
    def id(self) -> str:
        """The convention of the example cohort: role and name, 'mentor-an-peeters'."""
        return f"{self.role}-{slug(self.name) or 'persoon'}"


@dataclass(frozen=True)
class NewCohort:
    title: str
    start: dt.date
    end: dt.date
    institution: str | None = None
    framework: str = DEFAULT_FRAMEWORK
    people: tuple[NewPerson, ...] = ()


def academic_year(today: dt.date) -> tuple[dt.date, dt.date]:
    """This academic year, 1 September to 30 June; from July on, the coming one."""
    first = today.year if today.month >= NEXT_YEAR_FROM else today.year - 1
    return dt.date(first, *YEAR_START), dt.date(first + 1, *YEAR_END)


def year_end(start: dt.date) -> dt.date:
    """The 30 June that ends the academic year starting on `start`."""
    return dt.date(start.year + 1 if start.month >= NEXT_YEAR_FROM else start.year, *YEAR_END)


def default_title(start: dt.date, end: dt.date) -> str:
    return f"Werkplekleren {start.year}-{end.year}"


def parse_person(role: str, text: str) -> NewPerson:
    """'An Peeters' or 'An Peeters=an-peeters' (name, then the login on GitHub or GitLab)."""
    name, _, forge = text.partition("=")
    if not name.strip():
        raise WorkflowError(f"--{role} '{text}': geef een naam, bv. --{role} \"An Peeters\" of --{role} \"An Peeters=an-peeters\"")
    return NewPerson(role, name.strip(), forge.strip() or None)


def example_milestones(start: dt.date, end: dt.date) -> list[dict]:
    """Two milestones to adapt: halfway the year and two weeks before its end."""
    halfway = start + (end - start) / 2
    final = max(end - dt.timedelta(days=14), halfway + dt.timedelta(days=1))
    return [
        {"id": "tussentijds", "title": "Tussentijdse evaluatie", "due": halfway.isoformat(),
         "require": [("reflections", 5), ("evaluations", "[tussentijds]")]},
        {"id": "eind", "title": "Eindevaluatie", "due": final.isoformat(),
         "require": [("reflections", 15), ("evidence_per_competence", 1), ("evaluations", "[eind]")]},
    ]


def render_config(request: NewCohort) -> str:
    people = sorted(request.people, key=lambda person: (ROLES.index(person.role), person.id))
    ids = [person.id for person in people]
    twice = sorted({pid for pid in ids if ids.count(pid) > 1})
    if twice:
        raise WorkflowError(f"twee personen met dezelfde id: {', '.join(twice)}; geef elk een andere naam")
    context = {
        "title": request.title, "institution": request.institution, "framework": request.framework,
        "builtin": sorted(BUILTIN), "start": request.start.isoformat(), "end": request.end.isoformat(),
        "roles": ROLES, "role_texts": [(role, ROLE_TEXTS[role]) for role in ROLES], "people": people,
        "milestones": example_milestones(request.start, request.end),
    }
    return environment().get_template("portfolio.yml.j2").render(context)


def init_cohort(folder: Path, request: NewCohort) -> Path:
    """Write `folder`/portfolio.yml; Refused when it exists or `folder` already lies in a cohort."""
    target = folder / CONFIG_FILE
    if target.exists():
        raise Refused(f"{target} bestaat al; Trialoog overschrijft niets: pas het bestand zelf aan of kies een andere map")
    around = next((parent for parent in folder.resolve().parents if (parent / CONFIG_FILE).is_file()), None)
    if around is not None:
        raise Refused(f"{folder} ligt al in de cohorte van {around / CONFIG_FILE}; kies een map buiten die cohorte")
    if request.end <= request.start:
        raise WorkflowError(f"het academiejaar eindigt ({request.end}) vóór het begint ({request.start}): geef --start en --end")
    if not request.title.strip():
        raise WorkflowError("geef een titel met --title, bv. --title \"Werkplekleren 2026-2027\"")
    text = render_config(request)
    _validate(text, folder)
    write_new(target, text)
    return target


def framework_problem(ref: str, folder: Path) -> str | None:
    """Why `ref` cannot be the cohort's framework (in Dutch), or None when it loads."""
    try:
        load_framework(ref, folder)
    except FrameworkError as error:
        return f"competentiekader '{ref}': {error}"
    return None


def framework_note(ref: str, start: dt.date) -> str | None:
    """What a new cohort must know about a built-in framework: the 2007 decree is repealed."""
    note = builtin_note(ref)
    if note is None:
        return None
    if start >= CURRENT_DECREE_FROM:
        return f"{note} Zet `framework:` in portfolio.yml op dat bestand."
    return note


def _validate(text: str, folder: Path) -> None:
    """What `trialoog check` reads: the schema through load_config, the framework from `folder`."""
    with tempfile.TemporaryDirectory(prefix="trialoog-init-") as scratch:
        (Path(scratch) / CONFIG_FILE).write_text(text, encoding="utf-8")
        try:
            config = load_config(Path(scratch))
        except ConfigError as error:
            raise WorkflowError(f"het nieuwe {CONFIG_FILE} zou ongeldig zijn: {error.message}") from None
    try:
        load_framework(config.framework, folder)
    except FrameworkError as error:
        raise WorkflowError(f"competentiekader '{config.framework}': {error}; kies een ingebouwd kader ({', '.join(sorted(BUILTIN))}) of een bestaand bestand") from None
