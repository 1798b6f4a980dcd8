"""What the evaluation team's overview shows, derived once from the model: rows, heat map, signals.

A row per student, the student × competence heat map, groups per coach and per school, who is
behind on each milestone, and the signals for coaches.

Signals come first because well-being comes first and a placement can go wrong. As of the cohort's
date, a student is flagged with the reason when there is no new entry for `inactive_days`, when
wellbeing fell by `wellbeing_drop` or more over the last `wellbeing_window` scores, or when a
milestone is at risk: due within `risk_days` and less than `risk_fraction` done (or due and unmet),
or when an evaluation changed after it was signed (SG001).
The thresholds live in portfolio.yml (`signals`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from trialoog.site.charts import heat_step
from trialoog.dutch import counted, long_date
from trialoog.portfolio.load import Cohort
from trialoog.portfolio.milestones import MilestoneProgress
from trialoog.portfolio.model import Signals
from trialoog.portfolio.signature import signoff_state
from trialoog.site.exclusion import NONE, Exclusions
from trialoog.site.views import PROGRAMS, StudentView


@dataclass(frozen=True)
class Signal:
    kind: str  # stil | welbevinden | mijlpaal | ondertekening
    reason: str


@dataclass(frozen=True)
class HeatCell:
    code: str
    count: int
    step: int


@dataclass(frozen=True)
class StudentRow:
    id: str
    name: str
    program: str
    school: str
    coach: str
    coach_id: str | None
    mentors: tuple[str, ...]
    built: bool  # False: no site this build (an unusable folder name, or an internal error)
    errors: int  # the errors that keep the site from being built
    left_out: int  # entries with errors that the site leaves out (trialoog.site.exclusion)
    milestones: tuple[MilestoneProgress, ...]  # as `trialoog check` computes it
    coverage: tuple[int, int]
    last_entry: dt.date | None
    heat: tuple[HeatCell, ...]
    signals: tuple[Signal, ...]


@dataclass(frozen=True)
class Group:
    kind: str  # coach | school
    key: str
    name: str
    rows: tuple[StudentRow, ...]

    @property
    def title(self) -> str:
        return f"Coach {self.name}" if self.kind == "coach" else self.name


@dataclass(frozen=True)
class MilestoneView:
    id: str
    title: str
    due: dt.date
    entries: tuple[tuple[StudentRow, MilestoneProgress], ...]  # (student, their progress), behind first

    @property
    def behind(self) -> list[tuple[StudentRow, MilestoneProgress]]:
        return [(row, progress) for row, progress in self.entries if not progress.met]

    @property
    def met(self) -> list:
        return [(row, progress) for row, progress in self.entries if progress.met]


class CohortView:
    def __init__(self, cohort: Cohort, as_of: dt.date, progress: dict[str, list[MilestoneProgress]],
                 exclusions: dict[str, Exclusions], built: set[str], audience: str = "student") -> None:
        self.cohort = cohort
        self.as_of = as_of
        self.audience = audience  # whose count of evidence the heat map shows (trialoog.portfolio.evidence)
        self.thresholds = cohort.config.signals
        self.groups_of_framework = cohort.framework.groups()
        self.rows = sorted(
            (self._row(student, progress.get(student.id, []), exclusions.get(student.id, NONE), student.id in built, audience)
             for student in cohort.students),
            key=lambda row: (row.name.casefold(), row.id),
        )

    def _row(self, student, progress, exclusions: Exclusions, built: bool, audience: str) -> StudentRow:
        # The same view as the student's site: the numbers leave out what the site leaves out.
        view = StudentView(self.cohort, student, audience=audience, as_of=self.as_of, progress=progress, exclusions=exclusions)
        counts = [(group.code, len(view.evidence_for(group.code))) for group in self.groups_of_framework]
        highest = max((count for _, count in counts), default=0)
        profile = view.profile
        return StudentRow(
            id=student.id,
            name=view.name,
            program=PROGRAMS.get(profile.program, profile.program) if profile else "—",
            school=profile.school.name if profile and profile.school else "—",
            coach=view.coach,
            coach_id=profile.coach if profile else None,
            mentors=tuple(view.mentors),
            built=built,
            errors=len(exclusions.blocking),
            left_out=exclusions.count(audience),
            milestones=tuple(progress),
            coverage=view.coverage,
            last_entry=view.last_entry_date,
            heat=tuple(HeatCell(code, count, heat_step(count, highest)) for code, count in counts),
            signals=tuple(student_signals(view, progress, self.thresholds, self.as_of)),
        )

    @property
    def codes(self) -> list[str]:
        return [group.code for group in self.groups_of_framework]

    @property
    def flagged(self) -> list[StudentRow]:
        return [row for row in self.rows if row.signals]

    @property
    def by_coach(self) -> list[Group]:
        return _groups(self.rows, "coach", lambda row: (row.coach_id or "", row.coach))

    @property
    def by_school(self) -> list[Group]:
        return _groups(self.rows, "school", lambda row: (row.school, row.school))

    @property
    def milestones(self) -> list[MilestoneView]:
        found: dict[str, list[tuple[StudentRow, MilestoneProgress]]] = defaultdict(list)
        titles: dict[str, tuple[str, dt.date]] = {}
        for milestone in self.cohort.config.milestones:
            titles[milestone.id] = (milestone.title, milestone.due)
        for row in self.rows:
            for progress in row.milestones:
                found[progress.id].append((row, progress))
        return [
            MilestoneView(mid, titles[mid][0], titles[mid][1],
                          tuple(sorted(found[mid], key=lambda pair: (pair[1].met, pair[1].fraction, pair[0].name.casefold()))))
            for mid in titles
        ]


def student_signals(view: StudentView, progress: list[MilestoneProgress], thresholds: Signals, as_of: dt.date) -> list[Signal]:
    return [
        signal for signal in (
            _inactive(view, thresholds, as_of),
            _wellbeing_falling(view, thresholds, as_of),
            *(_milestone_at_risk(item, thresholds, as_of) for item in progress),
            *_changed_after_signoff(view),
        ) if signal is not None
    ]


def _changed_after_signoff(view: StudentView) -> list[Signal]:
    """An evaluation that changed after it was signed (SG001) needs a new sign-off before it counts."""
    found = []
    for evaluation in view.evaluations:
        changed = [signoff.by for signoff, valid in signoff_state(evaluation) if not valid]
        if changed:
            title = evaluation.model.title
            found.append(Signal("ondertekening", f"evaluatie '{title}' gewijzigd na ondertekening door {view.people(changed)}"))
    return found


def _inactive(view: StudentView, thresholds, as_of: dt.date) -> Signal | None:
    last = view.last_entry_date
    if last is None:
        return Signal("stil", "nog geen enkel item")
    quiet = (as_of - last).days
    if quiet >= thresholds.inactive_days:
        return Signal("stil", f"geen nieuw item sinds {long_date(last)} ({quiet} dagen)")
    return None


def _wellbeing_falling(view: StudentView, thresholds, as_of: dt.date) -> Signal | None:
    scores = [value for day, value, _ in view.wellbeing if day <= as_of][-thresholds.wellbeing_window:]
    if len(scores) < thresholds.wellbeing_window:
        return None
    if scores[0] - scores[-1] >= thresholds.wellbeing_drop:
        shown = " → ".join(str(score) for score in scores)
        return Signal("welbevinden", f"welbevinden daalt: {shown} in de laatste {len(scores)} reflecties")
    return None


def _milestone_at_risk(progress, thresholds, as_of: dt.date) -> Signal | None:
    if progress.met:
        return None
    done = f"{round(progress.fraction * 100)}% klaar"
    if progress.is_due:
        return Signal("mijlpaal", f"mijlpaal '{progress.title}' niet gehaald op {long_date(progress.due)} ({done})")
    days = (progress.due - as_of).days
    if days <= thresholds.risk_days and progress.fraction < thresholds.risk_fraction:
        return Signal("mijlpaal", f"mijlpaal '{progress.title}' over {counted(days, 'dag', 'dagen')}, pas {done}")
    return None


def _groups(rows, kind: str, key_and_name) -> list[Group]:
    grouped: dict[tuple[str, str], list] = defaultdict(list)
    for row in rows:
        key, name = key_and_name(row)
        if key and name and name != "—":
            grouped[(key, name)].append(row)
    return [Group(kind, key, name, tuple(members)) for (key, name), members in sorted(grouped.items(), key=lambda item: item[0][1].casefold())]
