"""Attachments: they exist, stay inside the student's folder, match the file name's case, are not huge.

And every file in a student's folder is a regular file: a FIFO, socket or device is reported (FM015).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.paths import resolve_inside

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    for entry in student.entries:
        if entry.model is None or "attachments" not in type(entry.model).model_fields:
            continue
        for index, attachment in enumerate(entry.model.attachments):  # type: ignore[attr-defined]  # it has them
            resolved = resolve_inside(student, entry, attachment)
            if not resolved.found:
                position = entry.doc.position(("attachments", index))
                yield rules.make(resolved.code or rules.MISSING_FILE, str(entry.path), position, resolved.message, student.id)
    yield from _large_files(cohort, student)
    yield from _irregular_files(student)


def _irregular_files(student: Student) -> Iterator[Diagnostic]:
    """A FIFO, socket or device is never read or copied; a Markdown one is reported by its entry."""
    for relative in sorted(student.irregular):
        if not relative.lower().endswith(".md"):
            message = f"'{relative}' is geen gewoon bestand (maar bv. een named pipe of apparaat): Trialoog gebruikt het niet; verwijder het"
            yield rules.make(rules.UNREADABLE, str(student.folder / relative), START, message, student.id)


def _large_files(cohort: Cohort, student: Student) -> Iterator[Diagnostic]:
    limit = cohort.config.limits.attachment_bytes
    for relative, size in student.files.items():
        if size > limit and not relative.lower().endswith(".md"):
            message = f"bestand is {size / 1_000_000:.1f} MB, meer dan {limit / 1_000_000:.1f} MB: verklein het"
            yield rules.make(rules.LARGE_ATTACHMENT, str(student.folder / relative), START, message, student.id)
