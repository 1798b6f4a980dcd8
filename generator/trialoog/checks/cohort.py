"""The cohort's shape: folder names, a profile per student, unique ids and titles, dates in the year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic
from trialoog.dutch import long_date
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.paths import is_slug

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    yield from _folder_name(student)
    yield from _profile(student)
    yield from _duplicate_ids(student)
    yield from _duplicate_titles(student)
    yield from _dates(cohort, student)


def _folder_name(student: Student) -> Iterator[Diagnostic]:
    if not is_slug(student.id):
        message = f"mapnaam '{student.id}' moet kleine letters, cijfers en koppeltekens zijn (bv. 'amina-el-khatib')"
        yield rules.make(rules.FOLDER_NAME, str(student.folder), START, message, student.id)


def _profile(student: Student) -> Iterator[Diagnostic]:
    if student.profile is None:
        where = str(student.folder / "index.md")
        yield rules.make(rules.NO_PROFILE, where, START, "geen profiel: maak index.md met `type: profile`", student.id)
    elif student.profile.model is not None and student.profile.type != "profile":
        yield rules.make(rules.NO_PROFILE, str(student.profile.path), START, "index.md moet `type: profile` hebben", student.id)


def _duplicate_ids(student: Student) -> Iterator[Diagnostic]:
    seen: dict[str, str] = {}
    for entry in student.entries:
        key = entry.id.casefold()
        if key in seen:
            message = f"'{entry.id}' en '{seen[key]}' verschillen alleen in hoofdletters"
            yield rules.make(rules.DUPLICATE_ID, str(entry.path), START, message, student.id)
        else:
            seen[key] = entry.id


def _duplicate_titles(student: Student) -> Iterator[Diagnostic]:
    by_title = defaultdict(list)
    for entry in student.entries:
        if entry.model is not None:
            by_title[(entry.type, entry.model.title.strip().casefold())].append(entry)
    for same in by_title.values():
        for entry in same[1:]:
            message = f"titel '{entry.model.title}' komt ook voor in '{same[0].id}'"  # type: ignore[union-attr]  # grouped with a model
            yield rules.make(rules.DUPLICATE_TITLE, str(entry.path), entry.doc.position(("title",)), message, student.id)


def _dates(cohort: Cohort, student: Student) -> Iterator[Diagnostic]:
    year = cohort.config.academic_year
    for entry in student.entries:
        day = entry.model.date if entry.model is not None else None
        if day is not None and not year.start <= day <= year.end:
            message = f"datum {long_date(day)} valt buiten het academiejaar ({long_date(year.start)} – {long_date(year.end)})"
            yield rules.make(rules.OUTSIDE_YEAR, str(entry.path), entry.doc.position(("date",)), message, student.id)
