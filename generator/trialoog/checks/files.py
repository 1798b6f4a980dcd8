"""Attachments exist, stay inside the student's folder, match the file's case, are not huge; no reserved names.

No file may take a name that the built site uses itself (404.html).
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
    yield from _reserved_names(student)


# The engine writes 404.html at the top of every site and the builder deletes it (its absolute
# URLs break under a base path, see trialoog.site.builder), so an entry `404.md` would vanish from
# the site while the lists still link to it. Compared case-insensitively: a web host may fold case.
RESERVED_PAGES = {"404.md": "404.html", "404.html": "404.html"}


def _reserved_names(student: Student) -> Iterator[Diagnostic]:
    for relative in student.files:
        page = RESERVED_PAGES.get(relative.casefold())
        if page is not None:
            message = (f"'{relative}' krijgt op de site de naam {page}, die de site zelf gebruikt (de foutpagina): "
                       "hernoem het bestand, bv. naar 'niet-gevonden.md'")
            yield rules.make(rules.RESERVED_NAME, str(student.folder / relative), START, message, student.id)


def _large_files(cohort: Cohort, student: Student) -> Iterator[Diagnostic]:
    limit = cohort.config.limits.attachment_bytes
    for relative, size in student.files.items():
        if size > limit and not relative.lower().endswith(".md"):
            message = f"bestand is {size / 1_000_000:.1f} MB, meer dan {limit / 1_000_000:.1f} MB: verklein het"
            yield rules.make(rules.LARGE_ATTACHMENT, str(student.folder / relative), START, message, student.id)
