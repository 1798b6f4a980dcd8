"""The portfolio format of DESIGN.md as typed models: portfolio.yml and the eight entry types.

Keys are English (like MkDocs' own `title`, `date`, `tags`); values a person reads are Dutch.
Every model forbids unknown keys, so `competenties:` is reported instead of silently ignored.
"""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal, get_args

from urllib.parse import urlsplit

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator


def _level_text(value):
    # A programme's scale may use numbers (1-5); level ids are compared as text.
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


Level = Annotated[str, BeforeValidator(_level_text)]


# Closed value sets, declared once: the models validate against them, click offers them as choices.
Program = Literal["lager", "kleuter", "secundair"]
Trajectory = Literal["werkplekleren", "klassiek"]
TaskKind = Literal["leertaak", "functionele-opdracht"]
Role = Literal["mentor", "coach", "evaluator"]
# An onderbouwing's state, set by the student; the Dutch labels are in RATIONALE_STATUS_LABELS.
RationaleStatus = Literal["begonnen", "klaar"]
PROGRAMS: tuple[str, ...] = get_args(Program)
TRAJECTORIES: tuple[str, ...] = get_args(Trajectory)
TASK_KINDS: tuple[str, ...] = get_args(TaskKind)
ROLES: tuple[str, ...] = get_args(Role)
RATIONALE_STATUSES: tuple[str, ...] = get_args(RationaleStatus)
RATIONALE_STATUS_LABELS = {"begonnen": "begonnen", "klaar": "klaar voor beoordeling"}


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---- portfolio.yml --------------------------------------------------------------------------

class Person(Strict):
    name: str
    role: Role
    forge: str | None = None
    school: str | None = None


class Requirement(Strict):
    reflections: int | None = Field(default=None, ge=0, le=1000)
    evidence_per_competence: int | None = Field(default=None, ge=0, le=1000)
    competences: list[str] = []
    tasks: list[str] = []
    evaluations: list[str] = []


class Milestone(Strict):
    id: str
    title: str
    due: dt.date
    require: Requirement = Requirement()


class MilestoneOverride(Strict):
    """A student's own pace (eigen tempo): changes one milestone of portfolio.yml by id."""

    id: str
    title: str | None = None
    due: dt.date | None = None
    require: Requirement | None = None


class AcademicYear(Strict):
    start: dt.date
    end: dt.date


class Signals(Strict):
    """Thresholds for the coaches' signals on the overview."""

    # Bounds: a number of days fits in a year, a drop of wellbeing in its scale of 1 to 5.
    inactive_days: int = Field(default=21, ge=1, le=366)
    wellbeing_window: int = Field(default=3, ge=2, le=100)
    wellbeing_drop: int = Field(default=1, ge=1, le=4)
    risk_days: int = Field(default=30, ge=1, le=366)
    risk_fraction: float = Field(default=0.5, ge=0, le=1)
    # Feedback counts as "nog geen reactie" only when it is this many days old and unanswered.
    reply_days: int = Field(default=14, ge=0, le=366)


class Limits(Strict):
    markdown_bytes: int = Field(default=1_000_000, ge=1)
    attachment_bytes: int = Field(default=10_000_000, ge=1)


class PortfolioConfig(Strict):
    title: str
    institution: str | None = None
    framework: str = "basiscompetenties"
    # A mapping file (old code -> new codes) after a switch of framework: entries that cite an old
    # code count as evidence for the new ones (trialoog.portfolio.framework_mapping).
    framework_mapping: str | None = None
    academic_year: AcademicYear
    as_of: dt.date | None = None
    site_url: str | None = None
    # Off unless the programme decides otherwise: every page says noindex, robots.txt disallows all.
    search_engines: bool = False
    people: dict[str, Person] = {}
    milestones: list[Milestone] = []
    signals: Signals = Signals()
    limits: Limits = Limits()

    @field_validator("site_url")
    @classmethod
    def _site_url(cls, value: str | None) -> str | None:
        """Checked here, so `check` says it in Dutch before the engine refuses the build in English."""
        if value is None or _is_web_address(value):
            return value
        raise ValueError(f"site_url '{value}' is geen volledig webadres: schrijf het met https://, bv. https://hogeschool.github.io/portfolio/")


def _is_web_address(value: str) -> bool:
    if not value or any(char.isspace() or char in '<>"`' for char in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


# ---- entries --------------------------------------------------------------------------------

class Entry(Strict):
    type: str
    title: str
    date: dt.date
    description: str | None = None
    competences: list[str] = []
    tags: list[str] = []
    draft: bool = False
    private: bool = False
    # Feedback this entry responds to (ids of feedback entries): how a student answers feedback.
    answers: list[str] = []
    # Shown first on the student's Start page, under "Uitgelicht": the work the student is proudest of.
    featured: bool = False


class School(Strict):
    name: str
    city: str | None = None


class Profile(Entry):
    type: Literal["profile"]
    title: str | None = None  # type: ignore[assignment]  # a profile may leave out what other entries need
    date: dt.date | None = None  # type: ignore[assignment]
    name: str
    program: Program
    trajectory: Trajectory = "werkplekleren"
    cohort: str | None = None
    school: School | None = None
    mentors: list[str] = []
    coach: str | None = None
    start: dt.date | None = None
    forge: str | None = None  # the student's own login on GitHub/GitLab: their replies in a review are theirs
    # A picture of the student on Start (a file inside the folder, relative to index.md); only with consent.
    photo: str | None = None
    tagline: str | None = Field(default=None, max_length=160)  # one short line under the name on Start
    milestones: list[MilestoneOverride] = []


class Reflection(Entry):
    type: Literal["reflection"]
    model: str = "alact"
    wellbeing: int | None = Field(default=None, ge=1, le=5)
    goals: list[str] = []
    evidence: list[str] = []


class Goal(Entry):
    type: Literal["goal"]
    date: dt.date | None = None  # type: ignore[assignment]  # a goal need not be dated
    what: str
    why: str | None = None
    how: str | None = None
    when: dt.date | None = None
    status: Literal["open", "bezig", "behaald"] = "open"


class Task(Entry):
    type: Literal["task"]
    kind: TaskKind
    course: str | None = None
    due: dt.date | None = None
    status: Literal["gepland", "bezig", "ingediend", "afgerond"] = "gepland"
    attachments: list[str] = []


class Evidence(Entry):
    type: Literal["evidence"]
    attachments: list[str] = []
    context: str | None = None
    pupils_visible: bool = False
    consent: bool | None = None


class Meeting(Entry):
    type: Literal["meeting"]
    kind: str
    participants: list[str] = []


class Rating(Strict):
    self: Level | None = None
    mentor: Level | None = None
    coach: Level | None = None
    comment: str | None = None


class Signoff(Strict):
    by: str
    date: dt.date
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    # The approving review on the forge, when the workflow recorded the sign-off from it.
    review: str | None = None


class Evaluation(Entry):
    type: Literal["evaluation"]
    moment: str
    ratings: dict[str, Rating] = {}
    signoff: list[Signoff] = []


class Feedback(Entry):
    """Feedback `on` an entry `by` a person of portfolio.yml, or by the student (their folder id):
    a student's reply in a review thread is feedback by the student that `answers` the comment."""

    type: Literal["feedback"]
    on: str
    by: str


class Rationale(Entry):
    """An onderbouwing: the student's argument why the named evidence shows one competence, as
    Mahara's SmartEvidence has per cell. One per competence; the body is the argument."""

    type: Literal["rationale"]
    # Keys this type spells differently from KEY_SUGGESTIONS: one competence, not a list.
    OWN_KEY_SUGGESTIONS: ClassVar[dict[str, str]] = {"competentie": "competence"}
    competence: str
    status: RationaleStatus = "begonnen"
    evidence: list[str] = []


@dataclass(frozen=True)
class EntryType:
    """Everything named after one entry type, declared once: loading (`model`), `trialoog new`
    (`folder`), the student site (`page`, `title`, the nav), wording (`singular`, `plural`) and
    the evidence rule (`evidence`, see trialoog.portfolio.evidence). The rest is derived from it."""

    type: str
    model: builtins.type[Entry]  # the field `type` shadows the builtin in this class body
    folder: str | None  # where `trialoog new` writes it; None: the profile is the folder's index.md
    page: str  # the student site's page for this type (a name in trialoog.site.pages.STUDENT_PAGES)
    title: str  # that page's title and nav label
    singular: str  # Dutch, lower case: "reflectie"
    plural: str  # "reflecties"
    evidence: bool  # shows work done, so it counts as evidence for the competences it cites
    dated_name: bool = True  # `trialoog new` starts the file name with the date


ENTRY_TYPE_TABLE: tuple[EntryType, ...] = (
    EntryType("profile", Profile, None, "start", "Start", "profiel", "profielen", False, dated_name=False),
    EntryType("reflection", Reflection, "reflecties", "reflecties", "Reflecties", "reflectie", "reflecties", True),
    # A goal is named by what it is about (leerdoelen/klasmanagement.md), not by a date.
    EntryType("goal", Goal, "leerdoelen", "leerdoelen", "Leerdoelen", "leerdoel", "leerdoelen", False, dated_name=False),
    EntryType("task", Task, "taken", "taken", "Taken", "taak", "taken", True),
    EntryType("evidence", Evidence, "bewijzen", "bewijzen", "Bewijzen", "bewijs", "bewijzen", True),
    EntryType("meeting", Meeting, "overleg", "overleg", "Overleg", "overleg", "overlegmomenten", True),
    EntryType("evaluation", Evaluation, "evaluaties", "evaluaties", "Evaluaties", "evaluatie", "evaluaties", False),
    EntryType("feedback", Feedback, "feedback", "feedback", "Feedback", "feedback", "feedback", False),
    # Shown first on the page of its competence; the nav's entry for the type is the matrix.
    EntryType("rationale", Rationale, "onderbouwingen", "competenties", "Competenties", "onderbouwing", "onderbouwingen", False, dated_name=False),
)
TYPES: dict[str, EntryType] = {kind.type: kind for kind in ENTRY_TYPE_TABLE}

ENTRY_TYPES: dict[str, type[Entry]] = {kind.type: kind.model for kind in ENTRY_TYPE_TABLE}
# Entry types that count as evidence for the competences they cite (the rule: portfolio/evidence.py).
EVIDENCE_TYPES = tuple(kind.type for kind in ENTRY_TYPE_TABLE if kind.evidence)
DUTCH_TYPE_NAMES = {kind.type: kind.singular for kind in ENTRY_TYPE_TABLE}

# Keys students write in Dutch (or misspell), with the key the format expects.
KEY_SUGGESTIONS = {
    "titel": "title", "datum": "date", "competenties": "competences", "competentie": "competences",
    "competencies": "competences", "doelen": "goals", "leerdoelen": "goals", "bewijzen": "evidence",
    "bewijs": "evidence", "bijlagen": "attachments", "bijlage": "attachments", "welbevinden": "wellbeing",
    "naam": "name", "opleiding": "program", "traject": "trajectory", "school_naam": "school",
    "mentor": "mentors", "stad": "city", "wat": "what", "waarom": "why", "hoe": "how", "wanneer": "when",
    "soort": "kind", "vak": "course", "deadline": "due", "deelnemers": "participants", "moment": "moment",
    "scores": "ratings", "beoordeling": "ratings", "door": "by", "op": "on", "concept": "draft",
    "privé": "private", "prive": "private", "toestemming": "consent", "leerlingen_zichtbaar": "pupils_visible",
    "context_klas": "context", "klas": "context", "omschrijving": "description", "beschrijving": "description",
    "uitgelicht": "featured", "foto": "photo", "slogan": "tagline", "ondertitel": "tagline",
    "antwoord_op": "answers", "reactie_op": "answers", "beantwoordt": "answers",
    "tag": "tags", "labels": "tags", "competence": "competences", "goal": "goals", "attachment": "attachments",
}
