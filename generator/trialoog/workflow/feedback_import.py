"""`trialoog feedback import FILE.json`: pull-request comments become feedback entries that last.

Reads what the GitHub REST API returns for `GET /repos/{o}/{r}/pulls/{n}/comments` (review
comments: path, line, body, user.login, created_at, html_url, diff_hunk) and `…/reviews`
(body, user.login, submitted_at, state, html_url; no path). A comment on an entry's file becomes
a `feedback` entry on that entry (`on`), by the person whose `forge` login wrote it (`by`); a
comment on an attachment goes to the entry that lists the attachment. A review has no file:
it is imported only with `--on ENTRY`.

Nothing is dropped silently: comments by unknown logins, on files outside the portfolios, or
without text are listed. Nothing is overwritten, and importing the same file twice adds nothing:
an imported entry links to the comment's html_url and its file name holds the comment's id.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trialoog.workflow.gitrepo import WorkflowError, repo_relative
from trialoog.portfolio.load import PROFILE_ID, load_cohort
from trialoog.portfolio.paths import resolve_inside
from trialoog.workflow.scaffold import checked_entry, environment, slugify, write_new

TIMEZONE = "Europe/Brussels"
REVIEW_STATES = {
    "APPROVED": "goedgekeurd", "CHANGES_REQUESTED": "wijzigingen gevraagd",
    "COMMENTED": "opmerking", "DISMISSED": "ingetrokken",
}
LEADING_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass(frozen=True)
class Comment:
    key: str  # what makes it the same comment on a second import: html_url, else kind + id
    id: str
    login: str | None
    path: str | None  # repo-relative; None for a review or an issue comment
    line: int | None
    body: str
    created: dt.datetime | None
    url: str | None
    quote: str | None  # the commented line, from the diff hunk
    state: str | None  # a review's state


@dataclass(frozen=True)
class Target:
    student: str
    entry_id: str
    title: str


@dataclass
class ImportResult:
    written: list[tuple[Path, str]] = field(default_factory=list)  # (new file, what it is)
    existing: list[tuple[str, str]] = field(default_factory=list)  # (comment, existing file)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (comment, why)
    titles: set[str] = field(default_factory=set)  # titles given in this run


# ---- reading the JSON ------------------------------------------------------------------------------

def read_comments(path: Path) -> list[Comment]:
    """Comments and reviews from one file: an array, an object, or arrays one after another
    (`gh api --paginate` writes one array per page)."""
    try:
        items = _json_values(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise WorkflowError(f"{path} is geen JSON van de GitHub-API: {error}") from None
    comments = []
    for item in items:
        _refuse_api_error(path, item)
        if not isinstance(item, dict):
            raise WorkflowError(f"{path}: verwacht een lijst van opmerkingen (objecten), vond {type(item).__name__}")
        comments.append(_comment(item))
    return comments


def _refuse_api_error(path: Path, item: object) -> None:
    """GitHub answers a bad token or a wrong URL with one object `{"message": ..., "documentation_url": ...}`;
    `gh api … > file.json` saves it like any answer. It is no comment without a file."""
    if isinstance(item, dict) and isinstance(item.get("message"), str) and not {"body", "user", "id"} & item.keys():
        raise WorkflowError(
            f"{path} bevat een foutmelding van de GitHub-API, geen opmerkingen: '{item['message']}'. "
            "Controleer het token (`gh auth status`), de repository en het nummer van de pull request, en haal de opmerkingen opnieuw op"
        )


def _json_values(text: str) -> list:
    values: list[object]
    decoder, index, values = json.JSONDecoder(), 0, []
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return values
        value, index = decoder.raw_decode(text, index)
        values.extend(value if isinstance(value, list) else [value])


def _comment(item: dict) -> Comment:
    user = item["user"] if isinstance(item.get("user"), dict) else {}
    url = _text(item.get("html_url")) or None
    number = str(item.get("id") or "")
    is_review = "state" in item and "path" not in item
    key = url or (f"{'review' if is_review else 'comment'}-{number}" if number else _digest(item))
    line = item.get("line") if isinstance(item.get("line"), int) else None
    return Comment(
        key, number or _digest(item)[:10], _text(user.get("login")) or None, _text(item.get("path")) or None,
        line, _text(item.get("body")).replace("\r\n", "\n").strip(),
        _timestamp(item.get("created_at") or item.get("submitted_at")), url,
        _quote(item.get("diff_hunk")) if line is not None else None, item.get("state") if is_review else None,
    )


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _digest(item: dict) -> str:
    return hashlib.sha256(json.dumps(item, sort_keys=True).encode("utf-8")).hexdigest()


def _timestamp(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def _quote(hunk) -> str | None:
    """The commented line: the last line of the diff hunk, without its +/space marker."""
    lines = [line for line in _text(hunk).split("\n") if line and not line.startswith("-")]
    text = lines[-1][1:].strip() if lines and not lines[-1].startswith("@@") else ""
    return text or None


# ---- mapping to entries -----------------------------------------------------------------------------

def import_feedback(cohort_root: Path, files: list[Path], repo_root: Path, on: str | None = None,
                    dry_run: bool = False) -> ImportResult:
    cohort = load_cohort(cohort_root)
    prefix = repo_relative(cohort_root, repo_root)
    fallback = _target_of_option(cohort, on) if on else None
    result, seen = ImportResult(), set()
    for path in files:
        for comment in read_comments(path):
            if comment.key not in seen:
                seen.add(comment.key)
                _import_one(cohort, prefix, comment, fallback, result, dry_run)
    return result


def _import_one(cohort, prefix: str, comment: Comment, fallback: Target | None, result: ImportResult, dry_run: bool) -> None:
    label = comment.url or f"opmerking {comment.id}"
    target, problem = _target(cohort, prefix, comment, fallback)
    person = _person(cohort, comment.login)
    if problem is None and not comment.body:
        problem = "zonder tekst" + (f" ({REVIEW_STATES.get(comment.state, comment.state)})" if comment.state else "")
    if problem is None and comment.login is None:
        problem = "zonder auteur (geen `user.login`, bv. een verwijderd account): voeg de feedback zelf toe met `trialoog new feedback`"
    elif problem is None and person is None:
        problem = f"onbekende login '{comment.login}': voeg `forge: {comment.login}` toe aan die persoon in portfolio.yml"
    if problem is not None:
        result.skipped.append((label, problem))
        return
    assert target is not None and person is not None  # no problem: both were found
    student = cohort.student(target.student)
    existing = _already_imported(student, comment)
    if existing is not None:
        result.existing.append((label, existing))
        return
    path = student.folder / "feedback" / _file_name(comment, target)
    if path.exists():
        result.existing.append((label, str(path)))
        return
    text = _render(cohort, student, comment, target, person, result.titles)
    if not dry_run:
        write_new(path, text)
    result.written.append((path, f"{cohort.config.people[person].name} op {target.entry_id}"))


def _target(cohort, prefix: str, comment: Comment, fallback: Target | None) -> tuple[Target | None, str | None]:
    if comment.path is None:
        if fallback is None:
            kind = "review" if comment.state else "opmerking"
            return None, f"{kind} zonder bestand: geef `--on MAP/ITEM` om ze aan een item te hangen"
        return fallback, None
    path = PurePosixPath(comment.path)
    if prefix and not comment.path.startswith(prefix + "/"):
        return None, f"buiten de portfolio's: {comment.path}"
    parts = path.parts[len(PurePosixPath(prefix).parts):] if prefix else path.parts
    student = cohort.student(parts[0]) if len(parts) > 1 else None
    if student is None:
        return None, f"geen studentenmap: {comment.path}"
    return _entry_target(student, "/".join(parts[1:]), comment.path)


def _entry_target(student, inside: str, shown: str) -> tuple[Target | None, str | None]:
    if inside.lower().endswith(".md"):
        entry_id = inside[:-3]
        entry = student.profile if entry_id == PROFILE_ID else student.by_id.get(entry_id)
        if entry is None:
            return None, f"het item bestaat niet (meer): {shown}"
        return Target(student.id, entry_id, _title(entry)), None
    owner = _attachment_owner(student, inside)
    if owner is None:
        return None, f"geen item dat dit bestand als bijlage heeft: {shown}"
    return Target(student.id, owner.id, _title(owner)), None


def _attachment_owner(student, inside: str):
    for entry in student.entries:
        for written in getattr(entry.model, "attachments", None) or []:
            if resolve_inside(student, entry, written).relative == inside:
                return entry
    return None


def _title(entry) -> str:
    title = (entry.doc.data or {}).get("title") if entry else None
    return title if isinstance(title, str) and title.strip() else entry.id


def _target_of_option(cohort, on: str) -> Target:
    """--on: a path to an entry's file, or STUDENT/ID (an id inside the student's folder)."""
    written = Path(on)
    if written.is_file():
        try:
            on = repo_relative(written, cohort.root)
        except ValueError:
            pass
    parts = PurePosixPath(on.removesuffix(".md")).parts
    student = cohort.student(parts[0]) if len(parts) > 1 else None
    if student is None:
        raise WorkflowError(f"--on '{on}': schrijf STUDENT/ITEM, bv. amina-el-khatib/reflecties/2017-09-08-eerste-week")
    target, problem = _entry_target(student, "/".join(parts[1:]) + ".md", on)
    if problem:
        raise WorkflowError(f"--on: {problem}")
    assert target is not None  # no problem: the entry was found
    return target


def _person(cohort, login: str | None) -> str | None:
    if not login:
        return None
    wanted = login.lstrip("@").casefold()
    for pid, person in cohort.config.people.items():
        if person.forge and person.forge.lstrip("@").casefold() == wanted:
            return pid
    return None


def _already_imported(student, comment: Comment) -> str | None:
    suffix = f"-{comment.id}.md"
    for entry in student.entries:
        if entry.type != "feedback":
            continue
        if entry.path.name.endswith(suffix) or (comment.url and comment.url in entry.doc.body):
            return str(entry.path)
    return None


# ---- writing ---------------------------------------------------------------------------------------

def _file_name(comment: Comment, target: Target) -> str:
    stem = LEADING_DATE.sub("", PurePosixPath(target.entry_id).name)
    return f"{_local_date(comment).isoformat()}-{slugify(stem)}-{slugify(comment.id)}.md"


def _local_date(comment: Comment) -> dt.date:
    if comment.created is None:
        return dt.date.today()
    try:
        return comment.created.astimezone(ZoneInfo(TIMEZONE)).date()
    except ZoneInfoNotFoundError:
        return comment.created.date()


def _render(cohort, student, comment: Comment, target: Target, person: str, titles: set[str]) -> str:
    name = cohort.config.people[person].name
    title = _unique_title(student, f"Feedback van {name} op '{target.title}'" + (f", regel {comment.line}" if comment.line else ""), titles)
    titles.add(title)
    context = {
        "title": title, "date": _local_date(comment).isoformat(), "on": target.entry_id, "by": person,
        "where": _where(comment, target) + (f": {_code_span(comment.quote)}" if comment.quote else ""),
        "body": comment.body, "url": comment.url,
        "source": "een review van een pull request" if comment.path is None else "een opmerking in een pull request",
    }
    return checked_entry(environment().get_template("feedback-import.md.j2").render(context))


def _where(comment: Comment, target: Target) -> str:
    if comment.path is None:
        state = REVIEW_STATES.get(comment.state or "", "")
        return f"Review van de pull request{f' ({state})' if state else ''}"
    file_name = PurePosixPath(comment.path).name
    return f"Bij regel {comment.line} van `{file_name}`" if comment.line else f"Bij `{file_name}`"


def _code_span(text: str) -> str:
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


def _unique_title(student, title: str, titles: set[str]) -> str:
    taken = titles | {(e.doc.data or {}).get("title") for e in student.entries if e.type == "feedback"}
    candidate, number = title, 2
    while candidate in taken:
        candidate, number = f"{title} ({number})", number + 1
    return candidate
