"""Completeness: every requirement of each milestone that is due on the as-of date is met."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.milestones import milestone_progress

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    where = str(student.profile.path if student.profile else student.folder)
    known = context.progress.get(student.id) if context.progress is not None else None
    for progress in known if known is not None else milestone_progress(cohort, student, context.as_of):
        if not progress.is_due:
            continue
        for requirement in progress.requirements:
            if not requirement.met:
                message = f"mijlpaal '{progress.title}': {progress.describe(requirement)}"
                yield rules.make(rules.MILESTONE, where, START, message, student.id)
