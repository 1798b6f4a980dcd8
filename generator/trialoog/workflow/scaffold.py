"""`trialoog new …`: a new entry or student from a template, never over an existing file.

An entry lands in its conventional folder (reflecties/, leerdoelen/, …) with a file name made of
the date and a slug of the title (`2017-09-08-eerste-week.md`; leerdoelen without date), valid
front matter, and Dutch guidance as YAML and HTML comments. The templates live in
trialoog/workflow/templates/; the reflection template follows Korthagen's ALACT cycle unless another
model is asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from trialoog.portfolio.framework import FrameworkError, load_framework
from trialoog.portfolio.frontmatter import read_document
from trialoog.workflow.gitrepo import Refused, WorkflowError
from trialoog.portfolio.load import PROFILE_ID, load_config
from trialoog.portfolio.model import TYPES, PortfolioConfig
from trialoog.portfolio.paths import RESERVED_FOLDERS, is_slug, slug
from trialoog.portfolio.schema import validate_entry

# The types `trialoog new` writes into a folder, and that folder: from the entry-type table.
FOLDERS = {kind.type: kind.folder for kind in TYPES.values() if kind.folder is not None}
REFLECTION_MODELS = ("alact", "kernreflectie", "vrij")
MAX_SLUG = 60
ROLE_PLURALS = {"mentor": "mentoren", "coach": "coaches"}


@dataclass(frozen=True)
class NewEntry:
    kind: str  # one of FOLDERS
    title: str
    day: dt.date
    student: str | None = None  # None: the folder you stand in, or the only student
    options: dict = field(default_factory=dict)  # model, kind, course, moment, on, by, competence, status


@dataclass(frozen=True)
class NewStudent:
    id: str
    name: str
    program: str = "lager"
    trajectory: str = "werkplekleren"
    mentors: tuple[str, ...] = ()
    coach: str | None = None
    school: str | None = None
    city: str | None = None


def slugify(text: str) -> str:
    """A new file's name from its title, by the one slug rule: 'Breuken met pizza's!' ->
    'breuken-met-pizzas'; short enough to read in a file list, never empty."""
    return slug(text, MAX_SLUG) or "zonder-titel"


def yaml_string(value) -> str:
    """A double-quoted YAML scalar (JSON's string syntax is valid YAML)."""
    return json.dumps("" if value is None else str(value), ensure_ascii=False)


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("trialoog.workflow", "templates"), undefined=StrictUndefined,
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, autoescape=False,
    )
    env.filters["yaml"] = yaml_string
    return env


# ---- entries --------------------------------------------------------------------------------------

def new_entry(root: Path, request: NewEntry, cwd: Path | None = None) -> Path:
    """Write the new entry and return its path; WorkflowError when it would overwrite."""
    config = load_config(root)
    student = resolve_student(root, request.student or _student_of(root, request.options.get("on")), cwd or Path.cwd())
    folder = root / student
    options = dict(request.options)
    if request.kind == "feedback":
        options.update(_feedback_options(config, folder, options))
    if request.kind == "rationale":
        options.update(_rationale_options(root, config, folder, options))
    path = folder / FOLDERS[request.kind] / file_name(request)
    text = render_entry(root, config, request, options)
    write_new(path, text)
    return path


def file_name(request: NewEntry) -> str:
    name = slugify(request.title)
    code = request.options.get("competence")
    if request.kind == "rationale" and code:  # onderbouwingen/fg4-de-klas-organiseren.md: sorted by competence
        name = slug(f"{code} {request.title}", MAX_SLUG) or name
    return f"{request.day.isoformat()}-{name}.md" if TYPES[request.kind].dated_name else f"{name}.md"


def render_entry(root: Path, config: PortfolioConfig, request: NewEntry, options: dict) -> str:
    context = {"title": request.title, "date": request.day.isoformat(), **options}
    if request.kind == "reflection":
        model = options.get("model") or "alact"
        context["model"] = model
        name = f"reflection-{model}" if model in ("alact", "kernreflectie") else "reflection-vrij"
    else:
        name = request.kind
    if request.kind == "evaluation":
        context.update(_evaluation_context(root, config))
    if request.kind == "meeting":
        context["people"] = list(config.people)
    context.setdefault("kind", "leertaak" if request.kind == "task" else "intervisie")
    context.setdefault("course", "")
    context.setdefault("moment", "tussentijds")
    return checked_entry(environment().get_template(f"{name}.md.j2").render(context))


def _evaluation_context(root: Path, config: PortfolioConfig) -> dict:
    try:
        framework = load_framework(config.framework, root)
    except FrameworkError as error:
        raise WorkflowError(f"competentiekader '{config.framework}': {error}") from None
    return {"groups": framework.groups(), "levels": framework.level_ids()}


def _feedback_options(config: PortfolioConfig, folder: Path, options: dict) -> dict:
    by, target = options.get("by"), options.get("on")
    if by not in config.people and by != folder.name:  # the student may answer: feedback by their folder id
        known = ", ".join(sorted(config.people)) or "geen"
        raise WorkflowError(f"onbekende persoon '{by}' bij --by; personen in portfolio.yml: {known}, of de student zelf ({folder.name})")
    found = {"on": entry_id(folder, str(target)), "by": by}  # --on is required
    if options.get("answers"):
        found["answers"] = entry_id(folder, str(options["answers"]))
    return found


def _rationale_options(root: Path, config: PortfolioConfig, folder: Path, options: dict) -> dict:
    """The competence must exist, and have no onderbouwing yet: one per competence (RF010)."""
    try:
        framework = load_framework(config.framework, root)
    except FrameworkError as error:
        raise WorkflowError(f"competentiekader '{config.framework}': {error}") from None
    code = str(options.get("competence"))
    competence = framework.get(code)
    if competence is None:
        suggestion = framework.suggest(code)
        hint = f" — bedoel je '{suggestion}'?" if suggestion else " (`trialoog framework show` toont de codes)"
        raise WorkflowError(f"onbekende competentie '{code}' bij --competence{hint}")
    existing = _rationale_for(folder, code)
    if existing is not None:
        raise Refused(f"{existing} is al de onderbouwing voor {code}; Trialoog schrijft er geen tweede: vul die aan")
    return {"competence": code, "competence_title": competence.title, "status": options.get("status") or "begonnen"}


def _rationale_for(folder: Path, code: str) -> Path | None:
    """The student's existing onderbouwing for `code`, wherever it lies in the folder."""
    for path in sorted(folder.rglob("*.md")):
        try:
            data = read_document(path.read_bytes()).data
        except OSError:
            continue
        if isinstance(data, dict) and data.get("type") == "rationale" and str(data.get("competence")) == code:
            return path
    return None


def _student_of(root: Path, target: str | None) -> str | None:
    """The student whose folder holds the file `target` (feedback --on a path)."""
    if not target or not Path(target).is_file():
        return None
    try:
        parts = Path(target).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


def entry_id(folder: Path, target: str) -> str:
    """The id of an existing entry of the student, from an id or a path to its file."""
    written = Path(target)
    if written.suffix == ".md" and written.is_file():
        try:
            return written.resolve().relative_to(folder.resolve()).with_suffix("").as_posix()
        except ValueError:
            raise WorkflowError(f"'{target}' ligt niet in de map van {folder.name}") from None
    candidate = target.removesuffix(".md").strip("/")
    if (folder / f"{candidate}.md").is_file():
        return candidate
    raise WorkflowError(f"--on '{target}': geen item in {folder.name}; schrijf het pad zonder .md, bv. reflecties/2017-09-08-eerste-week")


def checked_entry(text: str) -> str:
    """A template must give front matter that `trialoog check` reads without problems."""
    doc = read_document(text.encode("utf-8"))
    model = validate_entry(doc) if doc.data is not None else None
    if model is None or doc.problems:
        problems = "; ".join(f"regel {p.position.line}: {p.message}" for p in doc.problems)
        raise WorkflowError(f"het nieuwe bestand zou ongeldig zijn ({problems}); kies een andere titel of waarde")
    return text


# ---- students -------------------------------------------------------------------------------------

def new_student(root: Path, request: NewStudent) -> Path:
    config = load_config(root)
    if not is_slug(request.id):
        raise WorkflowError(f"'{request.id}' kan geen mapnaam zijn: gebruik kleine letters, cijfers en koppeltekens, bv. 'amina-el-khatib'")
    if request.id in RESERVED_FOLDERS:
        names = ", ".join(f"'{name}'" for name in sorted(RESERVED_FOLDERS))
        raise WorkflowError(f"'{request.id}' is voorbehouden voor het overzicht ({names}): kies een andere mapnaam, bv. de naam van de student")
    _require_people(config, request.mentors, "mentor", "--mentor")
    _require_people(config, (request.coach,) if request.coach else (), "coach", "--coach")
    path = root / request.id / f"{PROFILE_ID}.md"
    write_new(path, render_profile(config, request))
    return path


def render_profile(config: PortfolioConfig, request: NewStudent) -> str:
    year = config.academic_year
    context = {
        "name": request.name, "program": request.program, "trajectory": request.trajectory,
        "cohort": f"{year.start.year}-{year.end.year}", "school": request.school, "city": request.city,
        "mentors": list(request.mentors), "coach": request.coach, "start": year.start.isoformat(),
        "mentor_choices": [pid for pid, p in config.people.items() if p.role == "mentor"],
        "coach_choices": [pid for pid, p in config.people.items() if p.role == "coach"],
    }
    return checked_entry(environment().get_template("profile.md.j2").render(context))


def _require_people(config: PortfolioConfig, ids, role: str, option: str) -> None:
    for person in ids:
        if person not in config.people:
            choices = ", ".join(pid for pid, p in config.people.items() if p.role == role) or "geen"
            raise WorkflowError(f"onbekende persoon '{person}' bij {option}; {ROLE_PLURALS[role]} in portfolio.yml: {choices}")


# ---- shared ---------------------------------------------------------------------------------------

def student_folders(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def resolve_student(root: Path, student: str | None, cwd: Path) -> str:
    """--student, else the student folder you stand in, else the only student of the repository."""
    folders = student_folders(root)
    if student is not None:
        if student not in folders:
            raise WorkflowError(f"geen student '{student}' in {root}; studenten: {', '.join(folders) or 'geen'} (nieuw: `trialoog new student`)")
        return student
    try:
        inside = cwd.resolve().relative_to(root.resolve()).parts
    except ValueError:
        inside = ()
    if inside and inside[0] in folders:
        return inside[0]
    if len(folders) == 1:
        return folders[0]
    if not folders:
        raise WorkflowError("nog geen student: maak eerst een map met `trialoog new student ID --name \"…\"`")
    raise WorkflowError(f"kies een student met --student: {', '.join(folders)}")


def write_new(path: Path, text: str) -> None:
    """Create `path`; never replace a file, also not one whose name differs only in case."""
    path.parent.mkdir(parents=True, exist_ok=True)
    twin = next((p for p in path.parent.iterdir() if p.name.casefold() == path.name.casefold()), None)
    if twin is not None:
        raise Refused(f"{twin} bestaat al; Trialoog overschrijft niets: kies een andere titel of --date")
    try:
        with path.open("x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except FileExistsError:
        raise Refused(f"{path} bestaat al; Trialoog overschrijft niets: kies een andere titel of --date") from None
