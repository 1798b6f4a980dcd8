"""`trialoog report`: terminal tables of milestones and evidence per competence group.

Evidence is counted by the one rule (trialoog.portfolio.evidence) for an audience: the evaluation
team by default, private entries included; for `student` the counts are those of the heat map on
the overview of a default (student) build.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trialoog.checks import CheckResult
from trialoog.dutch import long_date
from trialoog.output.formats import printable
from trialoog.portfolio.load import Student
from trialoog.portfolio.milestones import MilestoneProgress
from trialoog.portfolio.evidence import EVALUATION, audience_note, evidence_counts, evidence_kinds


def report(result: CheckResult, audience: str = EVALUATION) -> str:
    blocks = [f"Portfolio's op {long_date(result.as_of)}"]
    blocks.extend(_milestone_tables(result))
    blocks.append(_competence_table(result, audience))
    return "\n\n".join(blocks)


def _milestone_tables(result: CheckResult) -> Iterator[str]:
    milestones: dict[str, MilestoneProgress] = {}
    for progress_list in result.progress.values():
        for progress in progress_list:
            milestones.setdefault(progress.id, progress)
    for milestone_id, first in milestones.items():
        state = "verstreken" if first.is_due else "nog niet verschenen"
        labels = []
        for progress_list in result.progress.values():
            for progress in progress_list:
                if progress.id == milestone_id:
                    labels += [r.label for r in progress.requirements if r.label not in labels]
        rows = [_milestone_row(student, milestone_id, labels, result) for student in result.cohort.students]
        title = f"Mijlpaal: {first.title} — {long_date(first.due)} ({state})"
        yield title + "\n" + table(["student", *labels, "klaar"], rows)


def _milestone_row(student: Student, milestone_id: str, labels: list[str], result: CheckResult) -> list[str]:
    progress = next(p for p in result.progress[student.id] if p.id == milestone_id)
    by_label = {r.label: r for r in progress.requirements}
    cells = []
    for label in labels:
        requirement = by_label.get(label)
        cells.append("—" if requirement is None else f"{'✓' if requirement.met else '✗'} {requirement.have}/{requirement.need}")
    own_date = "" if progress.due == first_due(result, milestone_id) else f" (eigen datum {long_date(progress.due)})"
    return [printable(student.id), *cells, f"{round(progress.fraction * 100)}%{own_date}"]


def first_due(result: CheckResult, milestone_id: str) -> dt.date:
    config = next(m for m in result.cohort.config.milestones if m.id == milestone_id)
    return config.due


def _competence_table(result, audience: str) -> str:  # published entries have a model; mypy cannot see it
    framework = result.cohort.framework
    groups = [group.code for group in framework.groups()]
    rows = []
    for student in result.cohort.students:
        counts = evidence_counts(framework, student, groups, audience, result.as_of)
        rows.append([printable(student.id), *(str(counts[code]) for code in groups)])
    title = f"Bewijzen per competentie ({evidence_kinds()}; {audience_note(audience)})"
    return title + "\n" + table(["student", *groups], rows)


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    def line(cells):
        return "  ".join(str(cell).ljust(width) if i == 0 else str(cell).rjust(width) for i, (cell, width) in enumerate(zip(cells, widths)))
    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])
