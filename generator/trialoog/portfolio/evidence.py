"""The one rule for what counts as evidence for a competence, and for whom.

An entry counts as evidence for a competence code when
- it is published: valid and not a draft (a draft is unfinished work, shown to no one);
- its type shows work done: reflection, task, evidence, meeting (`evidence` in the entry-type
  table of trialoog.portfolio.model). A goal is an intention, an evaluation judges the evidence
  and feedback is someone else's words;
- it is dated on or before the as-of date: what was written by the day the cohort is judged at;
- the audience may read it: a private entry counts for the evaluation team only, never on the
  student's public site;
- it cites the code or a code below it (FG1.2 is evidence for FG1).

Every count of evidence goes through `counts_as_evidence` with an audience, so two views for the
same audience cannot disagree: `trialoog report` (evaluation team by default, `--audience`), the
overview's heat map and the student site's matrix (the audience of the build), the milestones of
`trialoog check` and the PR summary (both the evaluation team's: private work is work done).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal, get_args

from trialoog.portfolio.model import TYPES

if TYPE_CHECKING:
    from trialoog.portfolio.framework import Framework
    from trialoog.portfolio.load import Entry, Student

Audience = Literal["student", "evaluation"]
AUDIENCES: tuple[str, ...] = get_args(Audience)
STUDENT, EVALUATION = AUDIENCES

AUDIENCE_NOTES = {
    STUDENT: "zonder privé-items",
    EVALUATION: "met privé-items, zoals het evaluatieteam ze ziet",
}


def may_see(entry: Entry, audience: str) -> bool:
    """A published entry this audience may read: private ones only for the evaluation team."""
    return entry.published and entry.model is not None and (audience == EVALUATION or not entry.model.private)


def counts_as_evidence(entry: Entry, audience: str, as_of: dt.date | None = None) -> bool:
    """The rule of this module's docstring, except the code it cites (see `cites`)."""
    if not may_see(entry, audience):
        return False
    kind = TYPES.get(entry.type or "")
    if kind is None or not kind.evidence or entry.model is None:
        return False
    return as_of is None or (entry.model.date is not None and entry.model.date <= as_of)


def covered_codes(framework: Framework, code: str) -> set[str]:
    """The codes whose citation counts for `code`: itself, every code below it, and the old codes
    that a framework switch maps onto one of those (portfolio.yml `framework_mapping`). A code the
    framework does not have covers nothing: evidence only counts with codes that exist."""
    if framework.get(code) is None:
        return set()
    below = set(framework.descendants(code))
    return below | {old for old, new in framework.mapped_codes().items() if below.intersection(new)}


def cites(entry: Entry, codes: set[str]) -> bool:
    return entry.model is not None and not codes.isdisjoint(entry.model.competences)


def evidence_entries(student: Student, audience: str, as_of: dt.date | None = None) -> list[Entry]:
    """The student's entries that count as evidence for this audience, by date then id."""
    return [entry for entry in student.published() if counts_as_evidence(entry, audience, as_of)]


def evidence_counts(framework: Framework, student: Student, codes: Iterable[str], audience: str, as_of: dt.date | None = None) -> dict[str, int]:
    """Per code, how many of the student's entries count as evidence for it."""
    entries = evidence_entries(student, audience, as_of)
    return {code: sum(1 for entry in entries if cites(entry, covered_codes(framework, code))) for code in codes}


def evidence_kinds() -> str:
    """The entry types that count, as a Dutch list: "reflecties, taken, bewijzen en overleg"."""
    names = [kind.title.lower() for kind in TYPES.values() if kind.evidence]
    return ", ".join(names[:-1]) + " en " + names[-1] if len(names) > 1 else "".join(names)


def audience_note(audience: str) -> str:
    """The Dutch words that say which entries a count includes."""
    return AUDIENCE_NOTES[audience]
