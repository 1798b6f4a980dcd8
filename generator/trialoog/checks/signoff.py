"""SG001: an evaluation whose text changed after a mentor or coach signed it.

Passes: `trialoog signoff evaluaties/tussentijds.md --by mentor-an` and nothing changed since.
Fails:  after signing, a score is edited (`self: "+-"` becomes `self: "+"`); the recorded
        sha256 no longer matches the entry's content (defined in trialoog.portfolio.signature).

Only each person's last sign-off counts: signing again after a change clears the problem and
keeps the earlier sign-off as history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import Diagnostic
from trialoog.dutch import long_date
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.model import Signoff
from trialoog.portfolio.signature import latest_signoffs

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    for entry in student.entries:
        if entry.type != "evaluation" or entry.model is None:
            continue
        for index, signoff, valid in latest_signoffs(entry):
            if not valid:
                yield _changed(cohort, entry, index, signoff)


def _changed(cohort: Cohort, entry: Entry, index: int, signoff: Signoff) -> Diagnostic:
    person = cohort.config.people.get(signoff.by)
    name = person.name if person else signoff.by
    message = (f"gewijzigd na de ondertekening door {name} op {long_date(signoff.date)}: "
               f"laat opnieuw ondertekenen (`trialoog signoff {entry.path.name} --by {signoff.by}`) "
               "of maak de wijziging ongedaan")
    position = entry.doc.position(("signoff", index, "sha256"))
    return rules.make(rules.CHANGED_AFTER_SIGNOFF, str(entry.path), position, message, entry.student)
