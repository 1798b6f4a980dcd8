"""Progress of each student toward the milestones of portfolio.yml, as of a date.

A milestone counts what was written on or before its due date (and never after the as-of date).
Milestones not yet due are progress; only due ones can be unmet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trialoog.dutch import long_date
from trialoog.model import EVIDENCE_TYPES, Milestone, PortfolioConfig, Requirement

FINISHED_TASK = ("ingediend", "afgerond")


@dataclass(frozen=True)
class RequirementProgress:
    label: str  # plural Dutch noun phrase: "reflecties", "bewijzen voor FG3", "leertaak Wiskunde"
    have: int
    need: int

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

    def describe(self, requirement: RequirementProgress) -> str:
        """3 van de 10 reflecties vóór 26 januari 2018"""
        return f"{requirement.have} van de {requirement.need} {requirement.label} vóór {long_date(self.due)}"

    def as_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "due": self.due.isoformat(), "is_due": self.is_due,
            "met": self.met,
            "requirements": [
                {"label": r.label, "have": r.have, "need": r.need, "met": r.met, "text": self.describe(r)}
                for r in self.requirements
            ],
        }


def effective_milestones(config: PortfolioConfig, student) -> list[Milestone]:
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


def milestone_progress(cohort, student, as_of: dt.date) -> list[MilestoneProgress]:
    return [
        _progress(cohort, student, milestone, as_of)
        for milestone in effective_milestones(cohort.config, student)
    ]


def _progress(cohort, student, milestone: Milestone, as_of: dt.date) -> MilestoneProgress:
    cutoff = min(milestone.due, as_of)
    counted = [
        entry for entry in student.published()
        if entry.model.date is not None and entry.model.date <= cutoff
    ]
    requirements = tuple(_requirements(cohort.framework, milestone.require, counted))
    return MilestoneProgress(milestone.id, milestone.title, milestone.due, milestone.due <= as_of, requirements)


def _requirements(framework, require: Requirement, entries) -> list[RequirementProgress]:
    found = []
    if require.reflections:
        count = sum(1 for entry in entries if entry.type == "reflection")
        found.append(RequirementProgress("reflecties", count, require.reflections))
    per_competence = require.evidence_per_competence or (1 if require.competences else 0)
    if per_competence:
        codes = require.competences or [group.code for group in framework.groups()]
        for code in codes:
            count = _evidence_count(framework, code, entries)
            found.append(RequirementProgress(f"bewijzen voor {code}", count, per_competence))
    for course in require.tasks:
        found.append(RequirementProgress(f"ingediende taak '{course}'", _task_done(course, entries), 1))
    for moment in require.evaluations:
        found.append(RequirementProgress(f"evaluatie '{moment}'", _evaluation_done(moment, entries), 1))
    return found


def evidence_codes(framework, code: str) -> set[str]:
    return set(framework.descendants(code)) if framework.get(code) else {code}


def _evidence_count(framework, code: str, entries) -> int:
    codes = evidence_codes(framework, code)
    return sum(
        1 for entry in entries
        if entry.type in EVIDENCE_TYPES and codes.intersection(entry.model.competences)
    )


def _task_done(course: str, entries) -> int:
    wanted = course.casefold()
    return int(any(
        entry.type == "task" and entry.model.status in FINISHED_TASK
        and wanted in ((entry.model.course or "").casefold(), entry.model.title.casefold())
        for entry in entries
    ))


def _evaluation_done(moment: str, entries) -> int:
    return int(any(entry.type == "evaluation" and entry.model.moment == moment for entry in entries))
