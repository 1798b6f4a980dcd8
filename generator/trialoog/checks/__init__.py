"""All checks of a cohort, in one explicit registry.

Each module checks one concern and yields Diagnostics from `check(cohort, student, context)`;
the codes it may yield are declared in trialoog.rules. Reading problems (front matter, schema)
were found by trialoog.portfolio.load and are collected first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from trialoog.checks import cohort as cohort_rules
from trialoog.checks import config, files, links, milestones, privacy, references, signoff
from trialoog.diagnostics import Diagnostic, located
from trialoog.portfolio.cache import cache_root_outside
from trialoog.portfolio.images import Verdicts
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.paths import Resolved, resolve_inside

if TYPE_CHECKING:
    from trialoog.portfolio.milestones import MilestoneProgress

CHECKS = (cohort_rules, references, files, links, privacy, milestones, signoff)


@dataclass(frozen=True)
class Context:
    as_of: dt.date
    progress: dict[str, list[MilestoneProgress]] | None = None  # by student id, when already computed
    images: Verdicts = field(default_factory=lambda: Verdicts(None))  # why an image cannot be published
    resolved: dict[tuple, Resolved] = field(default_factory=dict, repr=False, compare=False)

    def resolve(self, student: Student, entry: Entry | None, reference: str) -> Resolved:
        """resolve_inside, worked out once per student, folder and reference: the attachment, file
        and link checks ask for the same files, and entries in one folder link alike."""
        key = (student.id, entry.id.rpartition("/")[0] if entry is not None else "", reference)
        found = self.resolved.get(key)
        if found is None:
            found = self.resolved[key] = resolve_inside(student, entry, reference)
        return found


def check_cohort(cohort: Cohort, as_of: dt.date, progress: dict[str, list[MilestoneProgress]] | None = None) -> list[Diagnostic]:
    """Every problem of the cohort, sorted; paths relative to the cohort root (made so here, once)."""
    context = Context(as_of, progress, Verdicts(_image_cache(cohort)))
    found = list(cohort.diagnostics())
    found.extend(config.check_config(cohort))  # portfolio.yml itself: once, not per student
    for student in cohort.students:
        for module in CHECKS:
            found.extend(module.check(cohort, student, context))
    context.images.save()
    return sorted(set(located(found, cohort.root)))


def _image_cache(cohort: Cohort) -> Path | None:
    """The folder that remembers image verdicts (none inside a student's folder)."""
    return cache_root_outside(student.folder for student in cohort.students)


def as_of_date(cohort: Cohort, requested: dt.date | None) -> dt.date:
    """--as-of, else the cohort's pinned as_of (an archived cohort), else today."""
    return requested or cohort.config.as_of or dt.date.today()


@dataclass(frozen=True)
class CheckResult:
    cohort: Cohort
    as_of: dt.date
    diagnostics: list[Diagnostic]
    progress: dict[str, list[MilestoneProgress]]  # by student id

    def exit_code(self, strict: bool = False) -> int:
        failing = [d for d in self.diagnostics if d.is_error or strict]
        return 1 if failing else 0


def run_check(cohort: Cohort, as_of: dt.date | None = None) -> CheckResult:
    from trialoog.portfolio.milestones import milestone_progress

    day = as_of_date(cohort, as_of)
    progress = {student.id: milestone_progress(cohort, student, day) for student in cohort.students}
    return CheckResult(cohort, day, check_cohort(cohort, day, progress), progress)
