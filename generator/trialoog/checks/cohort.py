"""The cohort's shape: folder names, a profile per student, unique and clean ids and titles, dates.

Clean: a title, a profile's name and an id hold no control characters. A control character in a title breaks the pages it appears on (Python-Markdown reads a `\\r` as
a line end, and a blank line ends an HTML block); in an id it ends up in file names and URLs.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic
from trialoog.dutch import long_date
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.paths import RESERVED_FOLDERS, is_slug

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    yield from _folder_name(student)
    yield from _profile(student)
    yield from _duplicate_ids(student)
    yield from _duplicate_titles(student)
    yield from _dates(cohort, student)
    yield from _control_characters(student)


def _folder_name(student: Student) -> Iterator[Diagnostic]:
    if not is_slug(student.id):
        message = f"mapnaam '{student.id}' moet kleine letters, cijfers en koppeltekens zijn (bv. 'amina-el-khatib')"
        yield rules.make(rules.FOLDER_NAME, str(student.folder), START, message, student.id)
    elif student.id in RESERVED_FOLDERS:
        names = ", ".join(f"'{name}'" for name in sorted(RESERVED_FOLDERS))
        message = f"mapnaam '{student.id}' is voorbehouden voor het overzicht ({names}): hernoem de map, bv. naar de naam van de student"
        yield rules.make(rules.FOLDER_NAME, str(student.folder), START, message, student.id)


def _control_characters(student: Student) -> Iterator[Diagnostic]:
    for entry in ([student.profile] if student.profile else []) + student.entries:
        found = _control_character(entry.id)
        if found:
            message = f"de bestandsnaam '{entry.id}.md' bevat {found}: hernoem het bestand"
            yield rules.make(rules.CONTROL_CHARACTER, str(entry.path), START, message, student.id)
        if entry.model is None:
            continue
        for key, label in (("title", "de titel"), ("name", "de naam")):
            value = getattr(entry.model, key, None)
            # A YAML block scalar (`title: >`) ends in a line end: that one is not part of the title.
            found = _control_character(value.rstrip("\n")) if isinstance(value, str) else None
            if found:
                message = f"{label} bevat {found}: typ {label} opnieuw op één regel, zonder onzichtbare tekens"
                yield rules.make(rules.CONTROL_CHARACTER, str(entry.path), entry.doc.position((key,)), message, student.id)


_NAMED = {"\r": "een regeleinde (\\r)", "\n": "een regeleinde", "\t": "een tab", "\u2028": "een regeleinde (U+2028)", "\u2029": "een alinea-einde (U+2029)"}


# Every character of the categories below (Cc, Zl, Zp, Cs): Unicode never adds any to them.
_SUSPECT = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def _control_character(text: str) -> str | None:
    """How to name the first control character in `text` (or a byte that is not UTF-8), or None."""
    if _SUSPECT.search(text) is None:
        return None
    for character in text:
        category = unicodedata.category(character)
        if category in ("Cc", "Zl", "Zp"):
            return _NAMED.get(character, f"een onzichtbaar stuurteken (U+{ord(character):04X})")
        if category == "Cs":  # a file-name byte that is not UTF-8 (surrogateescape)
            return "een teken dat geen UTF-8 is"
    return None


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
