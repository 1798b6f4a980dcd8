"""`trialoog review --base REF`: the pull-request summary a mentor reads first, in Dutch Markdown.

It reads the real git history, without network: the files changed between the merge base of
`base` and `head` (`git diff --name-status`, like `base...head`), and the cohort as it was at
the merge base and as it is at `head`, each unpacked with `git archive` into a temporary folder.
Per student touched: the new, changed and deleted entries, the competences that get their
first evidence, each milestone's progress before → after, the diagnostics in the changed
files, and links to the preview of each changed page when a preview URL is given.

It is written for the mentor, who reads it as one comment in the pull request (found again by
MARKER and updated on every push): no commit hashes or command names, links only to this
request's own preview (never to the published site, where new pages do not exist yet), a hard
week's wellbeing said with care, and a sign-off added by someone else than the signer (SG002).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import re
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterator
from urllib.parse import quote

from trialoog.checks import as_of_date, check_cohort
from trialoog.diagnostics import Diagnostic
from trialoog.dutch import long_date
from trialoog.output.formats import diagnostic_line, diagnostic_markdown, printable
from trialoog.workflow.forge_api import MARKER
from trialoog.workflow.gitrepo import WorkflowError, git, repo_relative, toplevel
from trialoog.portfolio.load import CONFIG_FILE, PROFILE_ID, Cohort, ConfigError, load_cohort
from trialoog.portfolio.milestones import milestone_progress
from trialoog.portfolio.evidence import EVALUATION, evidence_entries
from trialoog.portfolio.model import DUTCH_TYPE_NAMES
from trialoog.workflow.scaffold import environment

STATUS_NAMES = {"A": "nieuw", "M": "gewijzigd", "D": "verwijderd", "R": "hernoemd", "C": "nieuw", "T": "gewijzigd"}
STATUS_ORDER = ("nieuw", "hernoemd", "gewijzigd", "verwijderd")
SHORT_VALUE = 40
HARD_WEEK = 2  # wellbeing (1–5) at or below which the summary asks the mentor to look in


@dataclass(frozen=True)
class FileChange:
    status: str  # A, M, D, R (C and T count as A and M)
    path: str  # repo-relative, forward slashes; the new path of a rename
    old_path: str | None = None


@dataclass
class EntryChange:
    status: str  # nieuw | gewijzigd | verwijderd | hernoemd
    id: str
    path: str
    title: str
    type: str
    date: str
    competences: list[str]
    details: str = ""  # Markdown, its student text escaped
    url: str | None = None
    valid: bool = True


@dataclass
class MilestoneChange:
    title: str
    due: str
    is_due: bool
    before: int | None  # percent, None for a new student
    after: int
    met: bool
    changes: list[str]


@dataclass
class StudentReview:
    id: str
    name: str
    url: str | None = None
    entries: list[EntryChange] = field(default_factory=list)
    files: list[tuple[str, str]] = field(default_factory=list)  # (status, path) of non-Markdown files
    first_evidence: list[tuple[str, str]] = field(default_factory=list)  # (code, title)
    milestones: list[MilestoneChange] = field(default_factory=list)
    diagnostics: list[str] = field(default_factory=list)
    other_problems: int = 0
    removed: bool = False
    hard_weeks: list[tuple[str, int]] = field(default_factory=list)  # (title, wellbeing) of new or changed reflections


@dataclass
class Review:
    base: str
    head: str
    prefix: str
    as_of: dt.date | None
    changed_files: int
    students: list[StudentReview] = field(default_factory=list)
    config_changed: bool = False
    config_errors: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)  # e.g. a submodule of student repositories
    download_url: str | None = None  # the preview as one download (GitHub's artifact), when pages cannot be linked
    marker: str = MARKER


@dataclass(frozen=True)
class Snapshot:
    cohort: Cohort | None
    root: Path | None  # the cohort folder inside the temporary copy
    errors: tuple[str, ...] = ()


# ---- the public entry point -----------------------------------------------------------------------

def review(cohort_root: Path, base: str, head: str = "HEAD", site_url: str | None = None,
           as_of: dt.date | None = None, download_url: str | None = None) -> str:
    """The review as Markdown."""
    result = build_review(cohort_root, base, head, site_url, as_of)
    result.download_url = download_url
    return render(result)


def build_review(cohort_root: Path, base: str, head: str = "HEAD", site_url: str | None = None,
                 as_of: dt.date | None = None) -> Review:
    repo = toplevel(cohort_root)
    if repo is None:
        raise WorkflowError(f"{cohort_root} ligt niet in een git-repository: `trialoog review` vergelijkt twee commits")
    prefix = repo_relative(cohort_root, repo)
    head_commit = _commit(repo, head)
    merge_base = _merge_base(repo, _commit(repo, base), head_commit, base)
    changes = changed_files(repo, merge_base, head_commit, prefix)
    with snapshot(repo, merge_base, prefix) as before, snapshot(repo, head_commit, prefix) as after:
        result = _compare(before, after, changes, _Labels(base, merge_base, head, head_commit, prefix), site_url, as_of)
        if after.cohort is not None:
            _foreign_signoffs(result, after.cohort, repo, prefix, merge_base, head_commit)
        return result


def _foreign_signoffs(result: Review, cohort: Cohort, repo: Path, prefix: str, base: str, head: str) -> None:
    """SG002 in the summary of the student it concerns (the snapshot's paths are the repo's paths)."""
    from trialoog.workflow.signoff import foreign_signoffs_between

    touched = dataclasses.replace(cohort, students=[s for s in cohort.students if any(r.id == s.id for r in result.students)])
    for d in foreign_signoffs_between(touched, repo, prefix, base, head):
        for student in result.students:
            if student.id == d.student:
                student.diagnostics.append(diagnostic_markdown(d, _in_repo(_cohort_path(d.path, cohort), prefix), escape, _code))


def _cohort_path(path: str, cohort: Cohort) -> str:
    """An entry path of the snapshot as a path relative to its cohort folder."""
    try:
        return Path(path).resolve().relative_to(cohort.root.resolve()).as_posix()
    except ValueError:
        return path


@dataclass(frozen=True)
class _Labels:
    base: str
    base_commit: str
    head: str
    head_commit: str
    prefix: str


def _commit(repo: Path, ref: str) -> str:
    try:
        return git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").strip()
    except WorkflowError:
        raise WorkflowError(f"onbekende commit of branch '{ref}'; in CI: haal de geschiedenis op (actions/checkout met `fetch-depth: 0`)") from None


def _merge_base(repo: Path, base: str, head: str, name: str) -> str:
    try:
        return git(repo, "merge-base", base, head).strip()
    except WorkflowError:
        raise WorkflowError(f"'{name}' en de head hebben geen gemeenschappelijke voorouder") from None


# ---- git ------------------------------------------------------------------------------------------

def changed_files(repo: Path, base: str, head: str, prefix: str) -> list[FileChange]:
    """`git diff --name-status -M base head -- prefix`, parsed from its -z form."""
    args = ["diff", "--name-status", "-z", "-M", base, head, "--"] + ([prefix] if prefix else [])
    fields = git(repo, *args).split("\0")
    changes, index = [], 0
    while index < len(fields) - 1:
        status = fields[index][:1]
        if status in ("R", "C"):
            old, new = fields[index + 1], fields[index + 2]
            changes.append(FileChange("R" if status == "R" else "A", new, old))
            index += 3
        else:
            changes.append(FileChange({"T": "M"}.get(status, status), fields[index + 1]))
            index += 2
    return changes


@contextlib.contextmanager
def snapshot(repo: Path, commit: str, prefix: str) -> Iterator[Snapshot]:
    """The cohort as it is in `commit`, unpacked in a temporary folder (or no cohort there)."""
    config = f"{prefix}/{CONFIG_FILE}" if prefix else CONFIG_FILE
    with tempfile.TemporaryDirectory(prefix="trialoog-review-") as folder:
        if not _exists(repo, commit, config):
            yield Snapshot(None, None)
            return
        data = git(repo, "archive", "--format=tar", commit, *([prefix] if prefix else []), binary=True)
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(folder, filter=_safe_member)
        root = Path(folder) / prefix if prefix else Path(folder)
        try:
            yield Snapshot(load_cohort(root), root)
        except ConfigError as error:
            yield Snapshot(None, root, tuple(diagnostic_line(d, shown=_in_repo(d.path, prefix)) for d in error.diagnostics))


def _exists(repo: Path, commit: str, path: str) -> bool:
    try:
        git(repo, "cat-file", "-e", f"{commit}:{path}")
        return True
    except WorkflowError:
        return False


def _safe_member(member, destination):
    try:
        return tarfile.data_filter(member, destination)
    except tarfile.FilterError:
        return None  # e.g. a link out of the folder: left out of the copy, as build would refuse it


# ---- comparing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Context:
    old_cohort: Cohort | None
    cohort: Cohort
    prefix: str
    url: str | None
    day: dt.date
    diagnostics: list[Diagnostic]


def _compare(before: Snapshot, after: Snapshot, changes: list[FileChange], labels: _Labels,
             site_url: str | None, as_of: dt.date | None) -> Review:
    cohort = after.cohort
    url = (site_url or "").rstrip("/") or None  # the preview of this request, never the published site
    day = as_of_date(cohort, as_of) if cohort else as_of
    result = Review(f"{labels.base} ({labels.base_commit[:7]})", f"{labels.head} ({labels.head_commit[:7]})",
                    labels.prefix, day, len(changes), config_errors=list(after.errors))
    by_student = _by_student(changes, labels.prefix, result)
    if cohort is None:
        return result
    assert day is not None  # a cohort gives the date
    context = _Context(before.cohort, cohort, labels.prefix, url, day, _diagnostics(cohort, sorted(by_student), day))
    for student_id, student_changes in sorted(by_student.items()):
        found = _student(context, student_id, student_changes)
        if found is not None:
            result.students.append(found)
    return result


def _by_student(changes: list[FileChange], prefix: str, result: Review) -> dict[str, list[FileChange]]:
    """Changed files per student folder; notes a change to portfolio.yml."""
    found: dict[str, list[FileChange]] = {}
    for change in changes:
        parts = PurePosixPath(change.path).parts[len(PurePosixPath(prefix).parts) if prefix else 0:]
        if parts == (CONFIG_FILE,):
            result.config_changed = True
        elif len(parts) > 1 and not parts[0].startswith((".", "_")):
            found.setdefault(parts[0], []).append(change)
        else:
            result.elsewhere.append(change.path)
    return found


def _diagnostics(cohort: Cohort, student_ids: list[str], day: dt.date) -> list[Diagnostic]:
    touched = dataclasses.replace(cohort, students=[s for s in cohort.students if s.id in student_ids])
    return check_cohort(touched, day)


def _student(context: _Context, student_id: str, changes: list[FileChange]) -> StudentReview | None:
    student = context.cohort.student(student_id)
    old = context.old_cohort.student(student_id) if context.old_cohort else None
    if student is None and old is None:
        return None
    if student is None:
        entries = [_entry_change(old, None, c, context.prefix, None) for c in changes if c.path.lower().endswith(".md")]
        return StudentReview(student_id, _name(old) or student_id, removed=True, entries=entries)
    url = context.url
    found = StudentReview(student_id, _name(student) or student_id, url=_url(url, student_id, "index.html") if url else None)
    for change in changes:
        if change.path.lower().endswith(".md"):
            found.entries.append(_entry_change(old, student, change, context.prefix, url))
        else:
            found.files.append((STATUS_NAMES[change.status], _inside(change.path, context.prefix, student_id)))
    found.entries.sort(key=lambda e: (STATUS_ORDER.index(e.status), e.id))
    found.first_evidence = _first_evidence(context.cohort.framework, old, student)
    found.milestones = _milestones(context.old_cohort, old, context.cohort, student, context.day)
    found.diagnostics, found.other_problems = _file_problems(context.diagnostics, student, changes, context.prefix)
    found.hard_weeks = _hard_weeks(student, found.entries)
    return found


def _hard_weeks(student, entries: list[EntryChange]) -> list[tuple[str, int]]:
    """New or changed reflections whose wellbeing is low: the mentor hears of it gently, not as a score table."""
    weeks = []
    for change in entries:
        entry = student.by_id.get(change.id) if change.status != "verwijderd" else None
        wellbeing = getattr(entry.model, "wellbeing", None) if entry is not None and entry.model is not None else None
        if isinstance(wellbeing, int) and wellbeing <= HARD_WEEK:
            weeks.append((change.title, wellbeing))
    return weeks


def _name(student) -> str | None:
    profile = student.profile_model if student else None
    return profile.name if profile else None


def _inside(path: str, prefix: str, student_id: str) -> str:
    start = f"{prefix}/{student_id}/" if prefix else f"{student_id}/"
    return path[len(start):] if path.startswith(start) else path


def _entry_id(path: str, prefix: str, student_id: str) -> str:
    return _inside(path, prefix, student_id)[:-3]


def _find(student, entry_id: str):
    if student is None:
        return None
    if entry_id == PROFILE_ID:
        return student.profile
    return student.by_id.get(entry_id)


def _entry_change(old_student, student, change: FileChange, prefix: str, url) -> EntryChange:
    student_id = (student or old_student).id
    entry_id = _entry_id(change.path, prefix, student_id)
    old_id = _entry_id(change.old_path, prefix, student_id) if change.old_path else entry_id
    entry = _find(student, entry_id) if change.status != "D" else None
    old = _find(old_student, old_id)
    data = ((entry or old).doc.data or {}) if (entry or old) else {}
    return EntryChange(
        STATUS_NAMES[change.status], entry_id, _inside(change.path, prefix, student_id),
        _text(data.get("title")) or PurePosixPath(entry_id).name,
        DUTCH_TYPE_NAMES.get(str(data.get("type")), str(data.get("type") or "?")),
        _day(data.get("date")), _codes(data.get("competences")), _details(change, old_id, old, entry),
        _url(url, student_id, f"{entry_id}.html") if url and entry is not None else None,
        valid=entry is None or entry.model is not None,
    )


def _details(change: FileChange, old_id: str, old, entry) -> str:
    details = [f"was {_code(old_id)}"] if change.status == "R" else []
    if change.status in ("M", "R") and entry and old:
        details.append(_differences(old, entry))
    return "; ".join(filter(None, details))


def _codes(value) -> list[str]:
    return [str(code) for code in value if isinstance(code, (str, int, float))] if isinstance(value, list) else []


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _day(value) -> str:
    return long_date(value) if isinstance(value, dt.date) else "—"


def _differences(old, new) -> str:
    before, after = old.doc.data or {}, new.doc.data or {}
    parts = []
    for key in sorted(set(before) | set(after), key=lambda k: (list(after).index(k) if k in after else len(after))):
        if before.get(key) != after.get(key):
            parts.append(_difference(key, before.get(key), after.get(key)))
    if old.doc.body.strip() != new.doc.body.strip():
        parts.append("tekst")
    return ", ".join(parts)


def _difference(key: str, old, new) -> str:
    """Markdown: the key, and its values before → after when they are short (all escaped)."""
    if all(isinstance(v, (str, int, float, bool, dt.date, type(None))) for v in (old, new)):
        shown = [long_date(v) if isinstance(v, dt.date) else ("—" if v is None else str(v)) for v in (old, new)]
        if max(len(text) for text in shown) <= SHORT_VALUE:
            return f"{escape(key)}: {escape(shown[0])} → {escape(shown[1])}"
    return escape(key)


def _evidence_codes(framework, student) -> set[str]:
    codes: set[str] = set()
    if student is None:
        return codes
    for entry in evidence_entries(student, EVALUATION):
        for code in entry.model.competences if entry.model else ():
            if framework.get(code) is not None:
                codes.update({code, framework.group_of(code)})
    return codes


def _first_evidence(framework, old, student) -> list[tuple[str, str]]:
    new = _evidence_codes(framework, student) - _evidence_codes(framework, old)
    order = {code: index for index, code in enumerate(framework.codes())}
    return [(code, framework.get(code).title) for code in sorted(new, key=order.__getitem__)]


def _milestones(old_cohort, old, cohort, student, day) -> list[MilestoneChange]:
    before = {p.id: p for p in milestone_progress(old_cohort, old, day)} if old is not None else {}
    result = []
    for progress in milestone_progress(cohort, student, day):
        previous = before.get(progress.id)
        result.append(MilestoneChange(
            progress.title, long_date(progress.due), progress.is_due,
            round(previous.fraction * 100) if previous else None, round(progress.fraction * 100),
            progress.met, _requirement_changes(previous, progress),
        ))
    return result


def _requirement_changes(previous, progress) -> list[str]:
    """Requirements whose count changed (for a new student: those with anything at all)."""
    old = {r.label: r.have for r in previous.requirements} if previous else {}
    changes = []
    for requirement in progress.requirements:
        had = old.get(requirement.label, 0)
        if had != requirement.have:
            start = f"{had} → " if previous else ""
            changes.append(f"{requirement.label}: {start}{requirement.have} van {requirement.need}")
    return changes


def _in_repo(path: str, prefix: str) -> str:
    """A diagnostic's path (relative to the cohort) as the repository and the pull request name it."""
    return f"{prefix}/{path}" if prefix and not path.startswith("/") else path


def _file_problems(diagnostics, student, changes, prefix: str) -> tuple[list[str], int]:
    changed = {c.path for c in changes if c.status != "D"}
    mine = [d for d in diagnostics if d.student == student.id]
    shown, others = [], 0
    for d in mine:
        path = _in_repo(d.path, prefix)
        if path in changed:
            shown.append(diagnostic_markdown(d, path, escape, _code))
        else:
            others += 1
    return shown, others


# ---- Markdown -------------------------------------------------------------------------------------
#
# Everything a student wrote (titles, names, ids, file names, the messages that quote them) enters
# the mentor's pull-request comment through `escape` and nothing else: as text, every character
# Markdown acts on is escaped, so no image loads, no link or autolink appears, no emphasis, math
# or emoji fakes an approval, and no @mention notifies anyone; as code, a fence that no backtick
# in the text can close. Line breaks become spaces, so nothing starts a heading or a quote.

# Backslash-escaped as text (CommonMark allows it before any ASCII punctuation); a colon only before
# a non-space, where it starts `https://`, `mailto:` or an emoji (`:white_check_mark:`).
_ACTIVE = re.compile(r"([\\`*_\[\]<>!|~$]|:(?=\S))")
_WWW = re.compile(r"(?i)(www)\.")  # GFM autolinks `www.example.org` without a scheme
_MENTION = "@&#8203;"  # a zero-width space after @: GitHub shows "@name" but mentions no one


def escape(value: object, code: bool = False) -> str:
    """`value` (student text) as Markdown that shows it literally: text by default, a code span with `code`."""
    flat = printable(" ".join(str(value).split()))
    if code:
        ticks = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
        padding = " " if flat[:1] in ("`", " ") or flat[-1:] in ("`", " ") or not flat else ""
        inside = flat.replace("|", "\\|")  # GFM splits table cells at a | even in code; \| is shown as |
        return f"{ticks}{padding}{inside}{padding}{ticks}"
    text = flat.replace("&", "&amp;")
    text = _ACTIVE.sub(r"\\\1", text)
    return _WWW.sub(r"\1\\.", text).replace("@", _MENTION)


def _code(value: object) -> str:
    return escape(value, code=True)


def _url(base: str, *parts: str) -> str:
    """A preview link, percent-encoded (the student's folder, the entry id), so `)` or a space cannot end it."""
    return quote(base, safe=":/%?#=&+@,;!$'*") + "/" + "/".join(quote(part, safe="/") for part in parts)


def render(result: Review) -> str:
    env = environment()
    env.filters["md"] = escape
    env.filters["code"] = _code
    env.filters["long_date"] = long_date
    return env.get_template("review.md.j2").render(review=result).rstrip("\n") + "\n"
