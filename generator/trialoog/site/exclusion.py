"""What a student's errors leave out of their site, derived once from the checked diagnostics.

DESIGN.md: one student's problem is that student's. So an error does not hide a whole portfolio:
the entry it is about is left out (its page, the lists, the navigation, the search index, the
counts and the overview's numbers), its attachments are not published when the error is about
privacy (PV001), every page of the site shows a notice that lists what was left out and why, and
the rest of the student is built. The entry comes back with the next build once it is fixed.

Decisions for the errors that are not about one entry:
- a broken or missing profile (index.md) leaves the profile out: the start page shows the
  student's folder name instead of their name, no introduction, and the notice;
- a file that is not an entry (a FIFO used as a photo) is listed in the notice; it is never copied;
- a folder name that is invalid or reserved (CO002) keeps the whole student from being built: the
  folder name is the site's address, and a wrong one would give a wrong or colliding address;
- a sign-off that no longer matches (SG001) leaves nothing out: the evaluation page shows
  "gewijzigd na ondertekening", and the overview signals it;
- milestones (MS001) are warnings about the portfolio as a whole and leave nothing out.
"""

from __future__ import annotations

from dataclasses import dataclass

from trialoog import rules
from trialoog.diagnostics import Diagnostic
from trialoog.output.formats import printable
from trialoog.portfolio.evidence import EVALUATION
from trialoog.portfolio.load import PROFILE_ID, Cohort, Entry, Student

# Errors that keep a student's site from being built at all (see the decisions above).
BLOCKING = frozenset({rules.FOLDER_NAME})
# Errors that are a visible state of the entry instead of a reason to leave it out.
SHOWN_AS_STATE = frozenset({rules.CHANGED_AFTER_SIGNOFF})
# Errors whose entry keeps its attachments off the site too, even when another entry names them.
PRIVACY = frozenset({rules.NO_CONSENT})


@dataclass(frozen=True)
class Reason:
    line: int
    code: str
    message: str  # Dutch, printable


@dataclass(frozen=True)
class LeftOut:
    """One file with errors: an entry left out of the site, the profile, or another file."""

    path: str  # inside the student's folder, printable: "reflecties/eerste-week.md"
    entry_id: str | None  # None: a file that is not an entry
    reasons: tuple[Reason, ...]
    hidden: bool = False  # private or a draft: the student's public site would not show it anyway

    @property
    def is_profile(self) -> bool:
        return self.entry_id == PROFILE_ID


@dataclass(frozen=True)
class Exclusions:
    items: tuple[LeftOut, ...] = ()
    blocking: tuple[str, ...] = ()  # formatted messages of the errors that stop this student's build
    privacy: frozenset[str] = frozenset()  # entry ids whose attachments are withheld as well

    @property
    def entry_ids(self) -> frozenset[str]:
        """Every entry (the profile too) this site leaves out."""
        return frozenset(item.entry_id for item in self.items if item.entry_id is not None)

    @property
    def profile_left_out(self) -> bool:
        return PROFILE_ID in self.entry_ids

    def shown_to(self, audience: str) -> tuple[LeftOut, ...]:
        """What the notice lists for `audience`: the public site names no private entry or draft."""
        return tuple(item for item in self.items if audience == EVALUATION or not item.hidden)

    def count(self, audience: str) -> int:
        """The entries left out that this audience would have seen (the overview's number)."""
        return sum(1 for item in self.shown_to(audience) if item.entry_id is not None)


NONE = Exclusions()


def exclusions_of(cohort: Cohort, diagnostics: list[Diagnostic]) -> dict[str, Exclusions]:
    """Per student id, what the errors among `diagnostics` (paths relative to the cohort root) leave out."""
    by_student: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        if d.is_error and d.student and d.code not in SHOWN_AS_STATE:
            by_student.setdefault(d.student, []).append(d)
    found = {}
    for student in cohort.students:
        errors = by_student.get(student.id)
        if errors:
            found[student.id] = _exclusions(student, errors)
    return found


def _exclusions(student: Student, errors: list[Diagnostic]) -> Exclusions:
    entries = {entry.id + ".md": entry for entry in student.entries}
    if student.profile is not None:
        entries[student.profile.id + ".md"] = student.profile
    prefix = student.id + "/"
    per_file: dict[str, list[Diagnostic]] = {}
    blocking = []
    for d in errors:
        if d.code in BLOCKING or not d.path.startswith(prefix):
            blocking.append(f"{d.code} {printable(d.message)}")
            continue
        per_file.setdefault(d.path[len(prefix):], []).append(d)
    items = []
    for relative, found in sorted(per_file.items()):
        entry = entries.get(relative)
        entry_id = entry.id if entry is not None else (PROFILE_ID if relative == PROFILE_ID + ".md" else None)
        reasons = tuple(Reason(d.line, d.code, printable(d.message)) for d in sorted(found))
        items.append(LeftOut(printable(relative), entry_id, reasons, hidden=entry is not None and _hidden(entry)))
    privacy = frozenset(
        item.entry_id for item in items
        if item.entry_id is not None and any(reason.code in PRIVACY for reason in item.reasons)
    )
    return Exclusions(tuple(items), tuple(blocking), privacy)


def _hidden(entry: Entry) -> bool:
    """Private or a draft, as far as the front matter says (also when it did not validate)."""
    if entry.model is not None:
        return bool(entry.model.private or entry.model.draft)
    data = entry.doc.data or {}
    return data.get("private") is True or data.get("draft") is True
