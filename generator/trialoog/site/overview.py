"""What the evaluation team's overview shows, derived once from the model: rows, heat map, signals.

A row per student (milestones per kind of requirement, sign-off state, the last entry the student
wrote), the student × competence heat map with the latest ratings of mentor and coach, groups per
coach and per school, who is behind on each milestone, and the signals for coaches.

Signals come first because well-being comes first and a placement can go wrong. As of the cohort's
date, a student is flagged with the reason when wellbeing fell by `wellbeing_drop` or more over the
last `wellbeing_window` scores, when the student wrote nothing for `inactive_days` (feedback of a
mentor or coach is not the student's activity), when an evaluation changed after it was signed
(SG001), or when a milestone is at risk: due within `risk_days` and less than `risk_fraction` done
(or due and unmet). They are ranked in that order (SIGNAL_KINDS), and so are the students: the
default order of every table, for a reader without JavaScript, is most urgent first.
The thresholds live in portfolio.yml (`signals`).

The heat map's colours come from one HeatScale for the whole cohort (`cohort_heat_scale`), which the
student sites' matrices use as well.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from trialoog.site.charts import HeatScale
from trialoog.dutch import counted, long_date
from trialoog.portfolio.labels import label
from trialoog.portfolio.load import Cohort, Entry
from trialoog.portfolio.paths import slug
from trialoog.portfolio.milestones import MilestoneProgress
from trialoog.portfolio.model import Signals
from trialoog.portfolio.signature import signoff_state
from trialoog.site.exclusion import NONE, Exclusions
from trialoog.site.views import DISAGREEMENT_LEVELS, StudentView


# The signals by urgency: well-being first, then a student who went quiet, then a sign-off that no
# longer holds, then milestones at risk. The key is the Dutch badge a signal line shows; the words
# are the filter's choice and the summary's count.
SIGNAL_KINDS = {
    "welbevinden": "welbevinden daalt",
    "stil": "geen nieuw item",
    "ondertekening": "gewijzigd na ondertekening",
    "mijlpaal": "mijlpaal in gevaar",
}


@dataclass(frozen=True)
class Signal:
    kind: str  # a key of SIGNAL_KINDS
    reason: str

    @property
    def rank(self) -> int:
        return list(SIGNAL_KINDS).index(self.kind)

    @property
    def sentence(self) -> str:
        """The reason on its own, for paper: it already names what is wrong ("Welbevinden daalt: 4 → 3
        → 2 …"), so the driegesprek prints no badge and never the bare kind."""
        return self.reason[:1].upper() + self.reason[1:]


@dataclass(frozen=True)
class LatestRating:
    """The latest level each rater gave a competence (possibly from different evaluations)."""

    levels: dict[str, str | None]  # rater (self, mentor, coach) -> level id
    spread: int  # levels between the highest and the lowest rating

    @property
    def disagrees(self) -> bool:
        return self.spread >= DISAGREEMENT_LEVELS


@dataclass(frozen=True)
class HeatCell:
    code: str
    count: int
    step: int
    rating: LatestRating | None = None


@dataclass(frozen=True)
class SignoffState:
    """The sign-off state of the student's latest evaluation, in words."""

    state: str  # geen | niet | ondertekend | gewijzigd (sort order: the one needing action first)
    words: str


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
    last_written: Entry | None  # the student's own latest entry (not a mentor's feedback)
    heat: tuple[HeatCell, ...]
    signals: tuple[Signal, ...]  # most urgent first
    signoff: SignoffState

    @property
    def last_entry(self) -> dt.date | None:
        return self.last_written.model.date if self.last_written else None  # type: ignore[union-attr]

    @property
    def urgency(self) -> tuple:
        """The default order: the most urgent signal first, then more signals, then by name."""
        top = self.signals[0].rank if self.signals else len(SIGNAL_KINDS)
        return (top, -len(self.signals), self.name.casefold(), self.id)

    @property
    def signal_kinds(self) -> list[str]:
        return list(dict.fromkeys(signal.kind for signal in self.signals))


@dataclass(frozen=True)
class Group:
    kind: str  # coach | school
    key: str
    name: str
    rows: tuple[StudentRow, ...]
    page: str = ""  # the page's name: "coach-koen-smets", readable and unique among the groups

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
        self.disagreement = DISAGREEMENT_LEVELS
        self.groups_of_framework = cohort.framework.groups()
        views = [
            StudentView(cohort, student, audience=audience, as_of=as_of, progress=progress.get(student.id, []),
                        exclusions=exclusions.get(student.id, NONE))
            for student in cohort.students
        ]
        counts = {view.student.id: group_counts(view) for view in views}
        self.heat = HeatScale.of(count for found in counts.values() for _, count in found)
        self.rows = sorted(
            (self._row(view, counts[view.student.id], exclusions.get(view.student.id, NONE), view.student.id in built)
             for view in views),
            key=lambda row: row.urgency,
        )

    def _row(self, view: StudentView, counts: list[tuple[str, int]], exclusions: Exclusions, built: bool) -> StudentRow:
        # The same view as the student's site: the numbers leave out what the site leaves out.
        profile = view.profile
        ratings = latest_ratings(view)
        progress = view.progress
        return StudentRow(
            id=view.student.id,
            name=view.name,
            program=label("program", profile.program) if profile else "—",
            school=profile.school.name if profile and profile.school else "—",
            coach=view.coach,
            coach_id=profile.coach if profile else None,
            mentors=tuple(view.mentors),
            built=built,
            errors=len(exclusions.blocking),
            left_out=exclusions.count(self.audience),
            milestones=tuple(progress),
            coverage=view.coverage,
            last_written=last_written(view),
            heat=tuple(HeatCell(code, count, self.heat.step(count), ratings.get(code)) for code, count in counts),
            signals=tuple(sorted(student_signals(view, progress, self.thresholds, self.as_of), key=lambda s: s.rank)),
            signoff=signoff_words(view),
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
    def programs(self) -> list[str]:
        return sorted({row.program for row in self.rows if row.program != "—"}, key=str.casefold)

    @property
    def signal_counts(self) -> list[tuple[str, str, int]]:
        """(kind, words, students with it) for each kind of signal that occurs, by urgency."""
        found = [(kind, words, sum(1 for row in self.rows if kind in row.signal_kinds)) for kind, words in SIGNAL_KINDS.items()]
        return [item for item in found if item[2]]

    @property
    def disagreements(self) -> int:
        return sum(1 for row in self.rows for cell in row.heat if cell.rating and cell.rating.disagrees)

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


def group_counts(view: StudentView) -> list[tuple[str, int]]:
    """(code, entries that count as evidence for it) per top-level competence of the framework."""
    return [(group.code, len(view.evidence_for(group.code))) for group in view.framework.groups()]


def cohort_heat_scale(cohort: Cohort, audience: str, as_of: dt.date, exclusions: dict[str, Exclusions]) -> HeatScale:
    """The cohort's one colour scale, as the overview computes it, for the student sites' matrices."""
    counts = (
        count
        for student in cohort.students
        for _, count in group_counts(StudentView(cohort, student, audience=audience, as_of=as_of,
                                                 exclusions=exclusions.get(student.id, NONE)))
    )
    return HeatScale.of(counts)


def own_entries(view: StudentView) -> list[Entry]:
    """The dated entries the student wrote, up to the date: feedback by a mentor or coach is theirs."""
    return [
        entry for entry in view.dated
        if entry.model.date <= view.as_of
        and not (entry.type == "feedback" and entry.model.by != view.student.id)
    ]


def last_written(view: StudentView) -> Entry | None:
    return max(own_entries(view), key=lambda entry: (entry.model.date, entry.id), default=None)  # type: ignore[union-attr]


def latest_ratings(view: StudentView) -> dict[str, LatestRating]:
    """Per rated code, the latest level of each rater and how far apart they are."""
    found = {}
    for code, by_rater in view.latest_ratings.items():
        levels = {rater: cell.level for rater, (cell, _) in by_rater.items()}
        found[code] = LatestRating(levels, view.latest_spread(code))
    return found


def signoff_words(view: StudentView) -> SignoffState:
    """niet ondertekend / ondertekend door … op … / gewijzigd na ondertekening, of the latest evaluation."""
    if not view.evaluations:
        return SignoffState("geen", "nog geen evaluatie")
    latest = view.evaluations[-1]
    state = signoff_state(latest)
    changed = [signoff.by for signoff, valid in state if not valid]
    if changed:
        return SignoffState("gewijzigd", f"gewijzigd na ondertekening door {view.people(changed)}")
    if not state:
        return SignoffState("niet", "niet ondertekend")
    signers = " en ".join(
        f"{view.person(signoff.by)} op {long_date(signoff.date)}" for signoff, _ in state
    )
    return SignoffState("ondertekend", f"ondertekend door {signers}")


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
    written = last_written(view)
    if written is None:
        return Signal("stil", "nog geen enkel item geschreven")
    last = written.model.date  # type: ignore[union-attr]
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
    groups, taken = [], set()
    for (key, name), members in sorted(grouped.items(), key=lambda item: (item[0][1].casefold(), item[0][0])):
        page = f"{kind}-{slug(name) or slug(key) or 'x'}"
        if page in taken:  # two coaches of the same name: the id tells them apart
            page = f"{kind}-{slug(key) or 'x'}"
        taken.add(page)
        groups.append(Group(kind, key, name, tuple(members), page))
    return groups
