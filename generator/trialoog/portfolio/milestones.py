"""Progress of each student toward the milestones of portfolio.yml, as of a date.

A milestone counts what was written on or before its due date (and never after the as-of date).
Milestones not yet due are progress; only due ones can be unmet. A milestone's state (met, unmet,
running) and its Dutch wording are decided here, once: pages, the report and the overview show them.
Milestones judge all published work, private entries included (the evaluation team's count of
evidence, trialoog.portfolio.evidence): private work is work done.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from trialoog.dutch import counted, long_date
from trialoog.portfolio.labels import label
from trialoog.portfolio.evidence import EVALUATION, counts_as_evidence, covered_codes
from trialoog.portfolio.model import Milestone, PortfolioConfig, Requirement

if TYPE_CHECKING:
    from trialoog.portfolio.load import Cohort, Student

FINISHED_TASK = ("ingediend", "afgerond")
MET, UNMET, RUNNING = "met", "unmet", "running"
STATE_LABELS = {MET: "gehaald", UNMET: "niet gehaald", RUNNING: "loopt"}
# The kinds of requirement, in the order the overview sums them up ("reflecties 22/25 · competenties 16/18").
REQUIREMENT_KINDS = {"reflections": "reflecties", "competences": "competenties", "tasks": "taken", "evaluations": "evaluaties"}
# The entry type that meets each kind of requirement (an empty page says what is due of its type).
REQUIREMENT_KIND_OF_TYPE = {"reflection": "reflections", "evidence": "competences", "task": "tasks", "evaluation": "evaluations"}


@dataclass(frozen=True)
class RequirementProgress:
    label: str  # plural Dutch noun phrase: "reflecties", "bewijzen voor FG3", "leertaak Wiskunde"
    have: int
    need: int
    kind: str = ""  # one of REQUIREMENT_KINDS: what the overview sums up per kind
    singular: str = ""  # the label for one: "reflectie", "bewijs voor FG3"; empty: the label itself
    code: str = ""  # the competence of an evidence requirement

    @property
    def line(self) -> str:
        """What a page shows: "11 bewijzen voor FG1 (1 nodig)", "0 reflecties (5 nodig)",
        "ingediende taak 'Wiskunde': nog niet". The tick for a met requirement is the page's."""
        if self.kind in ("tasks", "evaluations"):
            return self.label if self.met else f"{self.label}: nog niet"
        return f"{counted(self.have, self.singular or self.label, self.label)} ({self.need} nodig)"

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def done(self) -> int:
        return min(self.have, self.need)


@dataclass(frozen=True)
class MilestoneProgress:
    id: str
    title: str
    due: dt.date
    is_due: bool
    requirements: tuple[RequirementProgress, ...]

    @property
    def met(self) -> bool:
        return all(requirement.met for requirement in self.requirements)

    @property
    def fraction(self) -> float:
        need = sum(requirement.need for requirement in self.requirements)
        return 1.0 if need == 0 else sum(r.done for r in self.requirements) / need

    @property
    def percent(self) -> int:
        return round(self.fraction * 100)

    @property
    def done(self) -> int:
        """Requirements' units done, counting each at most to what it needs (3 of 5 + 1 of 1 = 4)."""
        return sum(requirement.done for requirement in self.requirements)

    @property
    def need(self) -> int:
        return sum(requirement.need for requirement in self.requirements)

    @property
    def state(self) -> str:
        """met, unmet (due and not met) or running (not yet due and not met)."""
        if self.met:
            return MET
        return UNMET if self.is_due else RUNNING

    @property
    def label(self) -> str:
        """gehaald | niet gehaald | loopt"""
        return STATE_LABELS[self.state]

    @property
    def by_kind(self) -> list[tuple[str, int, int]]:
        """Per kind of requirement (Dutch word, done, needed): reflecties counts the reflections
        (10 of 25); competenties, taken and evaluaties count the requirements met (16 of 18)."""
        found = []
        for kind, word in REQUIREMENT_KINDS.items():
            items = [r for r in self.requirements if r.kind == kind]
            if kind == "reflections" and items:
                found.append((word, items[0].done, items[0].need))
            elif items:
                found.append((word, sum(1 for r in items if r.met), len(items)))
        return found

    @property
    def status(self) -> str:
        """The label with how far it is while it runs: "loopt nog · 40% klaar"."""
        return f"loopt nog · {self.percent}% klaar" if self.state == RUNNING else self.label

    def describe(self, requirement: RequirementProgress) -> str:
        """3 van de 10 reflecties vóór 26 januari 2018"""
        return f"{requirement.have} van de {requirement.need} {requirement.label} vóór {long_date(self.due)}"

    @property
    def per_competence(self) -> tuple[RequirementProgress, ...]:
        """The evidence-per-competence requirements: pages sum them up in one line, details on demand."""
        return tuple(r for r in self.requirements if r.kind == "competences")

    @property
    def others(self) -> tuple[RequirementProgress, ...]:
        return tuple(r for r in self.requirements if r.kind != "competences")

    def competences_line(self) -> str:
        """"8 van de 10 competenties met genoeg bewijs (telkens 1 nodig)": the per-competence summary."""
        wanted = self.per_competence
        need = max((r.need for r in wanted), default=0)
        met = sum(1 for r in wanted if r.met)
        each = counted(need, "bewijs", "bewijzen")
        return f"{met} van de {counted(len(wanted), 'competentie', 'competenties')} met genoeg bewijs (telkens {each} nodig)"

    def as_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "due": self.due.isoformat(), "is_due": self.is_due,
            "met": self.met,
            "requirements": [
                {"label": r.label, "have": r.have, "need": r.need, "met": r.met, "text": self.describe(r)}
                for r in self.requirements
            ],
        }


def effective_milestones(config: PortfolioConfig, student: Student) -> list[Milestone]:
    """The cohort's milestones with the student's own overrides (eigen tempo) applied."""
    profile = student.profile_model
    overrides = {item.id: item for item in profile.milestones} if profile else {}
    result = []
    for milestone in config.milestones:
        override = overrides.get(milestone.id)
        if override is not None:
            changes = {key: value for key, value in override.model_dump(exclude_unset=True).items() if key != "id"}
            milestone = milestone.model_copy(update={key: getattr(override, key) for key in changes})
        result.append(milestone)
    return sorted(result, key=lambda milestone: (milestone.due, milestone.id))


def milestone_progress(cohort: Cohort, student: Student, as_of: dt.date) -> list[MilestoneProgress]:
    milestones = effective_milestones(cohort.config, student)
    dated = [entry for entry in student.published() if entry.model is not None and entry.model.date is not None]  # by date
    covers = _coverage(cohort.framework, milestones, dated)
    return [_progress(cohort, milestone, as_of, dated, covers) for milestone in milestones]


def _progress(cohort, milestone: Milestone, as_of: dt.date, dated, covers) -> MilestoneProgress:
    cutoff = min(milestone.due, as_of)
    in_time = [entry for entry in dated if entry.model.date <= cutoff]
    requirements = tuple(_requirements(cohort.framework, milestone.require, in_time, covers))
    return MilestoneProgress(milestone.id, milestone.title, milestone.due, milestone.due <= as_of, requirements)


def _requirements(framework, require: Requirement, entries, covers) -> list[RequirementProgress]:
    found = []
    if require.reflections:
        count = sum(1 for entry in entries if entry.type == "reflection")
        found.append(RequirementProgress("reflecties", count, require.reflections, "reflections", "reflectie"))
    per_competence = require.evidence_per_competence or (1 if require.competences else 0)
    if per_competence:
        evidence = Counter(code for entry in entries for code in covers.get(entry.id, ()))
        for code in _required_codes(framework, require):
            found.append(RequirementProgress(f"bewijzen voor {code}", evidence[code], per_competence, "competences",
                                             f"bewijs voor {code}", code))
    for course in require.tasks:
        found.append(RequirementProgress(f"ingediende taak '{course}'", _task_done(course, entries), 1, "tasks"))
    for moment in require.evaluations:
        # "tussentijdse evaluatie", never the bare key "tussentijds" (labels are declared once)
        found.append(RequirementProgress(label("evaluation_moment", moment).lower(), _evaluation_done(moment, entries), 1, "evaluations"))
    return found


def _required_codes(framework, require: Requirement) -> list[str]:
    """The codes a requirement names, or every group. A code the framework does not have is left
    out: nobody can meet it, and `trialoog check` reports it in portfolio.yml (CF002)."""
    if not require.competences:
        return [group.code for group in framework.groups()]
    return [code for code in require.competences if framework.get(code) is not None]


def _coverage(framework, milestones, entries) -> dict[str, set[str]]:
    """Per evidence entry (by id), the required codes it counts for: those whose covered_codes
    include one of its competences. Computed once, so each milestone only counts."""
    wanted = {code for m in milestones if m.require.evidence_per_competence or m.require.competences
              for code in _required_codes(framework, m.require)}
    below = {code: covered_codes(framework, code) for code in wanted}
    by_competence: dict[str, set[str]] = {}
    covers = {}
    for entry in entries:
        if not counts_as_evidence(entry, EVALUATION):
            continue
        found = set()
        for competence in entry.model.competences:
            if competence not in by_competence:
                by_competence[competence] = {code for code, codes in below.items() if competence in codes}
            found |= by_competence[competence]
        covers[entry.id] = found
    return covers


def _task_done(course: str, entries) -> int:
    wanted = course.casefold()
    return int(any(
        entry.type == "task" and entry.model.status in FINISHED_TASK
        and wanted in ((entry.model.course or "").casefold(), entry.model.title.casefold())
        for entry in entries
    ))


def _evaluation_done(moment: str, entries) -> int:
    return int(any(entry.type == "evaluation" and entry.model.moment == moment for entry in entries))
