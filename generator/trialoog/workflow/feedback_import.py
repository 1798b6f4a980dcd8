"""`trialoog feedback import`: pull-request comments become feedback entries that last.

Reads what the GitHub REST API returns for `GET /repos/{o}/{r}/pulls/{n}/comments` (review
comments: path, line, body, user.login, created_at, html_url, diff_hunk, in_reply_to_id) and
`…/reviews` (body, user.login, submitted_at, state, html_url; no path), and what GitLab returns
for `GET /projects/:id/merge_requests/:iid/discussions` (threads of notes: body, author.username,
created_at, position.new_path/new_line; the first note starts the thread, the others reply).
The files come from `gh api`/`curl`, or `--forge` fetches them itself (trialoog.workflow.forge_api).

A comment on an entry's file becomes a `feedback` entry on that entry (`on`), by the person whose
`forge` login wrote it (`by`); a comment on an attachment goes to the entry that lists the
attachment. A review has no file: it goes to `--on ENTRY`, or, fetched from the forge, to the one
entry the pull request changes (the student's profile when it changes several of one student).
An approval without text is kept too ("goedgekeurd"). A reply in a thread by the student whose
entry it is (their `forge:` login in their profile) becomes the student's answer: a feedback
entry `by: <student>` that `answers` the imported comment it replies to, on the same entry.

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

from trialoog.workflow.forge_api import MARKER
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
    reply_to: str | None = None  # the id of the comment that starts the thread
    commit: str | None = None  # the commit a review approved


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
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (comment, why it is no feedback)
    titles: set[str] = field(default_factory=set)  # titles given in this run
    entries: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # comment id -> (student, feedback id, its on)


# ---- reading the JSON ------------------------------------------------------------------------------

def read_comments(path: Path) -> list[Comment]:
    """Comments and reviews from one file: an array, an object, or arrays one after another
    (`gh api --paginate` writes one array per page)."""
    try:
        items = _json_values(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise WorkflowError(f"{path} is geen JSON van de GitHub- of GitLab-API: {error}") from None
    return comments_of(items, str(path))


def comments_of(items: list, source: str, web_url: str | None = None) -> list[Comment]:
    """The comments in what the API returned: GitHub comments and reviews, GitLab discussions.

    `web_url` is the request's own page, which GitLab's notes do not carry: with it a note gets
    its address (`…/merge_requests/7#note_301`)."""
    comments = []
    for item in items:
        _refuse_api_error(source, item)
        if not isinstance(item, dict):
            raise WorkflowError(f"{source}: verwacht een lijst van opmerkingen (objecten), vond {type(item).__name__}")
        if isinstance(item.get("notes"), list):
            comments.extend(_discussion(item["notes"], web_url))
        else:
            comments.append(_comment(item))
    return comments


def _refuse_api_error(source: str, item: object) -> None:
    """Both forges answer a bad token or a wrong URL with one object (`{"message": ...}`, GitLab also
    `{"error": ...}`); `gh api … > file.json` saves it like any answer. It is no comment without a file."""
    if not isinstance(item, dict) or {"body", "user", "id", "notes"} & item.keys():
        return
    message = item.get("message") or item.get("error")
    if isinstance(message, str):
        raise WorkflowError(
            f"{source} bevat een foutmelding van de GitHub- of GitLab-API, geen opmerkingen: '{message}'. "
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
    parent = item.get("in_reply_to_id")
    return Comment(
        key, number or _digest(item)[:10], _text(user.get("login")) or None, _text(item.get("path")) or None,
        line, _text(item.get("body")).replace("\r\n", "\n").strip(),
        _timestamp(item.get("created_at") or item.get("submitted_at")), url,
        _quote(item.get("diff_hunk")) if line is not None else None, item.get("state") if is_review else None,
        reply_to=str(parent) if isinstance(parent, int) and not is_review else None,
        commit=_text(item.get("commit_id")) or None if is_review else None,
    )


def _discussion(notes: list, web_url: str | None) -> list[Comment]:
    """One GitLab thread: the first note starts it, the others reply to it. System notes ("approved
    this merge request", "added 1 commit") are GitLab's own bookkeeping, no one's feedback."""
    found: list[Comment] = []
    first: str | None = None
    for note in notes:
        if not isinstance(note, dict) or note.get("system"):
            continue
        number = str(note.get("id") or _digest(note)[:10])
        author = note["author"] if isinstance(note.get("author"), dict) else {}
        position = note["position"] if isinstance(note.get("position"), dict) else {}
        line = position.get("new_line") if isinstance(position.get("new_line"), int) else None
        url = f"{web_url.rstrip('/')}#note_{number}" if web_url else None
        found.append(Comment(
            url or f"note-{number}", number, _text(author.get("username")) or None,
            _text(position.get("new_path")) or None, line, _text(note.get("body")).replace("\r\n", "\n").strip(),
            _timestamp(note.get("created_at")), url, None, None, reply_to=first,
        ))
        first = first or number
    return found


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
    comments = [comment for path in files for comment in read_comments(path)]
    return import_comments(cohort_root, comments, repo_root, on, dry_run)


def import_comments(cohort_root: Path, comments: list[Comment], repo_root: Path, on: str | None = None,
                    dry_run: bool = False, changed: list[str] | None = None) -> ImportResult:
    """`changed`: the files the pull request changes (fetched from the forge); a review without a
    file goes to the entry they name when `on` is not given."""
    cohort = load_cohort(cohort_root)
    prefix = repo_relative(cohort_root, repo_root)
    fallback = _target_of_option(cohort, on) if on else _target_of_changes(cohort, prefix, changed or [])
    result, seen = ImportResult(), set()
    # Threads first, then their replies: a reply links to the feedback entry of the comment it answers.
    for comment in sorted(comments, key=lambda c: c.reply_to is not None):
        if comment.key not in seen:
            seen.add(comment.key)
            _import_one(cohort, prefix, comment, fallback, result, dry_run)
    return result


def _import_one(cohort, prefix: str, comment: Comment, fallback: Target | None, result: ImportResult, dry_run: bool) -> None:
    label = comment.url or f"opmerking {comment.id}"
    reason = _not_feedback(comment)
    if reason is not None:
        result.ignored.append((label, reason))
        return
    target, problem = _target(cohort, prefix, comment, fallback)
    author = _author(cohort, comment, target)
    answered = result.entries.get(comment.reply_to) if comment.reply_to else None
    if problem is None and comment.login is None:
        problem = "zonder auteur (geen `user.login`, bv. een verwijderd account): voeg de feedback zelf toe met `trialoog new feedback`"
    elif problem is None and author is None:
        problem = (f"onbekende login '{comment.login}': voeg `forge: {comment.login}` toe aan die persoon in portfolio.yml "
                   "(of aan het profiel van de student, als het de student is)")
    elif problem is None and author is not None and author.student and not comment.reply_to:
        result.ignored.append((label, "een opmerking van de student zelf, geen antwoord op feedback"))
        return
    elif problem is None and author is not None and author.student and answered is None:
        problem = "antwoord van de student op een opmerking die niet geïmporteerd is: importeer die eerst"
    elif problem is None and author is not None and author.student and answered is not None and answered[0] != author.id:
        result.ignored.append((label, f"een antwoord van {author.name} in een draad over het portfolio van een andere student"))
        return
    if problem is not None:
        result.skipped.append((label, problem))
        return
    assert target is not None and author is not None  # no problem: both were found
    if author.student and answered is not None:  # the reply sits where the feedback it answers sits
        target = Target(answered[0], answered[2], target.title)
    student = cohort.student(target.student)
    existing = _already_imported(student, comment)
    if existing is not None:
        result.existing.append((label, str(existing.path)))
        result.entries[comment.id] = (student.id, existing.id, _on(existing) or target.entry_id)
        return
    path = student.folder / "feedback" / _file_name(comment, target)
    if path.exists():
        result.existing.append((label, str(path)))
        return
    text = _render(cohort, student, comment, target, author, answered[1] if author.student and answered else None, result.titles)
    if not dry_run:
        write_new(path, text)
    result.entries[comment.id] = (student.id, f"feedback/{path.stem}", target.entry_id)
    result.written.append((path, f"{author.name} op {target.entry_id}"))


@dataclass(frozen=True)
class Author:
    id: str  # a person id from portfolio.yml, or the student's folder id
    name: str
    student: bool = False


def _not_feedback(comment: Comment) -> str | None:
    """What a forge lists among comments that is no one's feedback (listed, never an error)."""
    if MARKER in comment.body:
        return "het overzicht voor de mentor (door Trialoog zelf geplaatst)"
    if not comment.body and comment.state in ("COMMENTED", "CHANGES_REQUESTED", "DISMISSED"):
        return "review zonder eigen tekst: de opmerkingen erin worden elk apart geïmporteerd"
    if not comment.body and comment.state != "APPROVED":
        return "zonder tekst"
    return None


def _author(cohort, comment: Comment, target: Target | None) -> Author | None:
    person = _person(cohort, comment.login)
    if person is not None:
        return Author(person, cohort.config.people[person].name)
    student = _student_of_login(cohort, comment.login)
    if student is not None:
        return Author(student.id, _student_name(student), student=True)
    return None


def _student_of_login(cohort, login: str | None):
    if not login:
        return None
    wanted = login.lstrip("@").casefold()
    for student in cohort.students:
        forge = getattr(student.profile_model, "forge", None) if student.profile_model else None
        if isinstance(forge, str) and forge.lstrip("@").casefold() == wanted:
            return student
    return None


def _student_name(student) -> str:
    profile = student.profile_model
    return profile.name if profile is not None and profile.name else student.id


def _on(entry) -> str | None:
    value = (entry.doc.data or {}).get("on")
    return value if isinstance(value, str) else None


def _target_of_changes(cohort, prefix: str, changed: list[str]) -> Target | None:
    """Where a review without a file goes: the one entry the pull request changes, else the
    profile of the one student it changes; None when it touches several students or none."""
    targets = []
    for path in changed:
        if not path.lower().endswith(".md"):
            continue
        target, _ = _target(cohort, prefix, Comment("", "", None, path, None, "", None, None, None, None), None)
        if target is not None and PurePosixPath(target.entry_id).parts[0] != "feedback":
            targets.append(target)
    if len({(t.student, t.entry_id) for t in targets}) == 1:
        return targets[0]
    students = {t.student for t in targets}
    if len(students) == 1:
        student = cohort.student(students.pop())
        if student.profile is not None:
            return Target(student.id, PROFILE_ID, _title(student.profile))
    return None


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


def _already_imported(student, comment: Comment):
    """The feedback entry imported from this comment earlier: its file name ends in the comment's
    id, or (renamed since) its text links to the comment."""
    suffix = f"-{comment.id}.md"
    for entry in student.entries:
        if entry.type != "feedback":
            continue
        if entry.path.name.endswith(suffix) or (comment.url and comment.url in entry.doc.body):
            return entry
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


def _render(cohort, student, comment: Comment, target: Target, author: Author, answers: str | None,
            titles: set[str]) -> str:
    what = "Antwoord" if answers else "Feedback"
    title = _unique_title(student, f"{what} van {author.name} op '{target.title}'" + (f", regel {comment.line}" if comment.line else ""), titles)
    titles.add(title)
    body = comment.body or f"{author.name} keurde de wijzigingen goed, zonder verdere opmerking."
    context = {
        "title": title, "date": _local_date(comment).isoformat(), "on": target.entry_id, "by": author.id,
        "answers": answers,
        "where": _where(comment, target) + (f": {_code_span(comment.quote)}" if comment.quote else ""),
        "body": body, "url": comment.url,
        "source": "een review van een pull request" if comment.path is None else "een opmerking in een pull request",
    }
    return checked_entry(environment().get_template("feedback-import.md.j2").render(context))


def _where(comment: Comment, target: Target) -> str:
    if comment.path is None and comment.state is None:
        return "Opmerking bij de pull request" if comment.reply_to is None else "Antwoord in de pull request"
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


def approvals_of(cohort_root: Path, comments: list[Comment], web_url: str | None = None):
    """Each known person's last approval among the reviews (state APPROVED); a GitLab approval has
    no address of its own, so the request's page stands for it."""
    from trialoog.workflow.signoff import Approval

    cohort = load_cohort(cohort_root)
    last: dict[str, Comment] = {}
    # A later "changes requested" (or a dismissal) takes an approval back; a plain comment does not.
    deciding = (c for c in comments if c.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"))
    for comment in sorted(deciding, key=lambda c: c.created or dt.datetime.min.replace(tzinfo=dt.timezone.utc)):
        person = _person(cohort, comment.login)
        if person is not None:
            last[person] = comment
    return [Approval(person, _local_date(c), c.url or web_url, c.commit) for person, c in last.items() if c.state == "APPROVED"]
