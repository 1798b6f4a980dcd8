"""Attachments: they exist, stay inside the student's folder, match the file name's case, are not huge; no reserved names.

No file may take a name that the built site uses itself (404.html).

And what a published file would tell about pupils: an image that cannot be read or cleaned of its
metadata (AT006; the build leaves it out, trialoog.portfolio.images is the one reader of both) and
a video, recording, document or zip whose metadata (GPS position, author) is published as it is
(AT007: no maintained library strips all of them reliably, so the student is told, file by file).
Both are reported on the line that names the file: the attachment or evidence item, or the
Markdown image or link. Drafts are published to no one and are not reported.

And every file in a student's folder is a regular file: a FIFO, socket or device is reported (FM015).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic, Position
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.links import links_in, local_reference, quick_targets
from trialoog.portfolio.images import CLEANED, is_cleaned

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    for entry in student.entries:
        if entry.model is None or "attachments" not in type(entry.model).model_fields:
            continue
        for index, attachment in enumerate(entry.model.attachments):  # type: ignore[attr-defined]  # it has them
            resolved = context.resolve(student, entry, attachment)
            if not resolved.found:
                position = entry.doc.position(("attachments", index))
                yield rules.make(resolved.code or rules.MISSING_FILE, str(entry.path), position, resolved.message, student.id)
    yield from _profile_photo(student, context)
    yield from _large_files(cohort, student)
    yield from _reserved_names(student)
    yield from _published_as_is(student, context)
    yield from _irregular_files(student)


def _profile_photo(student: Student, context: Context) -> Iterator[Diagnostic]:
    """The profile's `photo` is a picture inside the student's folder; else Start goes without it
    (AT010, a warning: a wrong photo must not take the whole profile off the site)."""
    profile = student.profile
    photo = getattr(profile.model, "photo", None) if profile is not None and profile.model is not None else None
    if profile is None or not photo:
        return
    position = profile.doc.position(("photo",))
    resolved = context.resolve(student, profile, photo)
    if not resolved.found:
        message = f"profielfoto '{photo}': {resolved.message}; Start toont geen foto"
        yield rules.make(rules.PHOTO_NOT_SHOWN, str(profile.path), position, message, student.id)
    elif not is_cleaned(resolved.relative or photo):
        message = f"profielfoto '{photo}' is geen jpg, png, gif of webp: bewaar de foto als jpg of png"
        yield rules.make(rules.PHOTO_NOT_SHOWN, str(profile.path), position, message, student.id)


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


# Published file types whose metadata the build cannot remove; each is in site.body.DOWNLOADS.
METADATA_KINDS = {
    **dict.fromkeys((".mp4", ".mov", ".webm"), "een video kan de GPS-positie en het toestel bevatten"),
    **dict.fromkeys((".mp3", ".m4a", ".wav", ".ogg"), "een opname kan de GPS-positie, het toestel en de naam van de eigenaar bevatten"),
    **dict.fromkeys((".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp"),
                    "een document kan de naam van de auteur, opmerkingen en eerdere versies bevatten"),
    ".zip": "een zip-bestand kan foto's met GPS-positie en documenten met een auteur bevatten, die niet opgeschoond worden",
}


def _published_as_is(student: Student, context: Context) -> Iterator[Diagnostic]:
    problems: dict[str, str | None] = {}  # path -> why the image cannot be cleaned: each image is read once

    def problem(relative: str) -> str | None:
        if relative not in problems:
            problems[relative] = context.images.problem_of(student.folder / relative)
        return problems[relative]

    reports: dict[str, bool] = {}

    def reported_on(relative: str) -> bool:
        """Whether a file named here gets a diagnostic (the body is only parsed for its position then)."""
        if relative not in reports:
            reports[relative] = bool(problem(relative)) if is_cleaned(relative) else _suffix(relative) in METADATA_KINDS
        return reports[relative]

    reported: set[tuple[str, str]] = set()  # (entry, path): once per entry, on the first line naming it
    for entry, where, relative in _named_files(student, context, reported_on):
        if (entry.id, relative) in reported:
            continue
        reported.add((entry.id, relative))
        suffix = _suffix(relative)
        if not reported_on(relative):
            continue
        position = where if isinstance(where, Position) else entry.doc.position(where)  # composed only now
        if is_cleaned(relative):
            if problem(relative):
                message = f"afbeelding '{relative}': {problems[relative]}; ze wordt niet gepubliceerd: bewaar ze opnieuw als jpg of png"
                yield rules.make(rules.UNCLEANABLE_IMAGE, str(entry.path), position, message, student.id)
        elif suffix in METADATA_KINDS:
            message = (f"'{relative}' wordt gepubliceerd zoals het is, met zijn metadata: {METADATA_KINDS[suffix]}; "
                       "verwijder de metadata of laat de bijlage weg")
            yield rules.make(rules.METADATA_KEPT, str(entry.path), position, message, student.id)


def _suffix(relative: str) -> str:
    return "." + relative.rsplit(".", 1)[-1].lower() if "." in relative else ""


def _named_files(student: Student, context: Context, reported_on: Callable[[str], bool]) -> Iterator[tuple]:
    """(entry, where, path inside the folder) of each existing file a published entry names; where
    is the line and column of a link in the body, or the key path of a front matter value, whose
    position is looked up only for a file that is reported.

    A body whose links are all plain `[tekst](pad)` is read without Markdown (quick_targets), as the
    link check does; only when one of its files gets a diagnostic (`reported_on`) is it parsed, for
    the line and column."""
    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.model is None or entry.model.draft:
            continue
        fields = _fields(type(entry.model))  # asking a pydantic model for a field it lacks is slow
        attachments = entry.model.attachments if "attachments" in fields else []  # type: ignore[attr-defined]
        evidence = entry.model.evidence if "evidence" in fields else []  # type: ignore[attr-defined]
        named: list[tuple[tuple, str]] = [(("attachments", index), item) for index, item in enumerate(attachments)]
        named += [(("evidence", index), item) for index, item in enumerate(evidence) if item not in student.by_id]
        photo = entry.model.photo if "photo" in fields else None  # type: ignore[attr-defined]
        named += [(("photo",), photo)] if photo and is_cleaned(photo) else []  # Start shows only a picture
        in_front: set[str] = set()  # reported on their front matter line: a link in the body adds nothing
        for key, item in named:
            resolved = context.resolve(student, entry, str(item))
            if resolved.found and resolved.relative in student.files:
                in_front.add(resolved.relative)
                yield entry, key, resolved.relative
        if not _names_a_published_kind(entry.doc.body):
            continue  # rendering is the costly part of a check; most texts name no such file
        quick = quick_targets(entry.doc.body)
        if quick is not None and not any(path not in in_front and reported_on(path)
                                         for path in _existing(student, entry, quick, context)):
            continue
        for link in links_in(entry.doc.body, entry.doc.body_line):
            reference = local_reference(link.target)
            target = context.resolve(student, entry, reference.path) if reference else None
            if target and target.found and target.relative in student.files:
                yield entry, Position(link.line, link.column), target.relative


_FIELDS: dict[type, frozenset[str]] = {}


def _fields(model: type) -> frozenset[str]:
    if model not in _FIELDS:
        _FIELDS[model] = frozenset(model.model_fields)  # type: ignore[attr-defined]  # a pydantic model
    return _FIELDS[model]


def _existing(student: Student, entry: Entry, targets: list[str], context: Context) -> Iterator[str]:
    """The student's files among `targets` (link targets as written)."""
    for reference in map(local_reference, targets):
        resolved = context.resolve(student, entry, reference.path) if reference else None
        if resolved and resolved.found and resolved.relative in student.files:
            yield resolved.relative


_PUBLISHED_KIND = re.compile("|".join(re.escape(suffix) for suffix in sorted({*METADATA_KINDS, *CLEANED})))


def _names_a_published_kind(body: str) -> bool:
    """Whether the text holds a suffix such as `.pdf` or `.jpg` anywhere, in any case."""
    return _PUBLISHED_KIND.search(body.lower()) is not None


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
