"""`trialoog signoff FILE --by PERSON`: sign an evaluation, recording {by, date, sha256}.

The sha256 is defined once, in trialoog.portfolio.signature.

Signing edits the evaluation in place: it appends one item to the `signoff` list in the front
matter text (creating the key before the closing `---` when absent) and leaves every other byte
of the file as it was. Nothing is re-dumped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from trialoog import rules
from trialoog.diagnostics import Diagnostic
from trialoog.dutch import long_date
from trialoog.portfolio.frontmatter import YAML11_BOOLS, Document, Loader, read_document
from trialoog.workflow.gitrepo import WorkflowError, git, repo_relative, toplevel
from trialoog.portfolio.load import Cohort, load_config
from trialoog.portfolio.model import Evaluation, Signoff
from trialoog.portfolio.schema import validate_entry
from trialoog.portfolio.signature import KEY, content_hash

LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
BOM = "\ufeff"


# ---- signing ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignResult:
    path: Path
    signoff: Signoff
    person: str  # the signer's name
    added: bool  # False when this person already signed this exact text


def sign(path: Path, by: str, day: dt.date, cohort_root: Path, review: str | None = None) -> SignResult:
    """`review`: the address of the approving review when the workflow signs for the approver."""
    people = load_config(cohort_root).people
    if by not in people:
        known = ", ".join(sorted(people)) or "geen"
        raise WorkflowError(f"onbekende persoon '{by}'; personen in portfolio.yml: {known}")
    raw = path.read_bytes()
    doc, model = _read_evaluation(path, raw)
    signoff = Signoff(by=by, date=day, sha256=content_hash(doc), review=review)
    previous = [item for item in model.signoff if item.by == by]
    if previous and previous[-1].sha256 == signoff.sha256:
        return SignResult(path, previous[-1], people[by].name, added=False)
    text = raw.decode("utf-8")
    bom, text = (BOM, text[1:]) if text.startswith(BOM) else ("", text)
    new_text = insert_signoff(text, signoff)
    _verify(doc, new_text, signoff)
    path.write_bytes((bom + new_text).encode("utf-8"))
    return SignResult(path, signoff, people[by].name, added=True)


def _read_evaluation(path: Path, raw: bytes) -> tuple[Document, Evaluation]:
    doc = read_document(raw)
    model = validate_entry(doc) if doc.data is not None else None
    if doc.problems or model is None:
        first = doc.problems[0] if doc.problems else None
        where = f" (regel {first.position.line}: {first.message})" if first else ""
        raise WorkflowError(f"{path} bevat fouten{where}: los ze eerst op (`trialoog check`), dan pas ondertekenen")
    if not isinstance(model, Evaluation):
        raise WorkflowError(f"{path} is geen evaluatie (type: {model.type}): alleen evaluaties worden ondertekend")
    return doc, model


def _verify(old: Document, new_text: str, signoff: Signoff) -> None:
    """The new text must read back to the same content plus exactly one more sign-off."""
    new = read_document(new_text.encode("utf-8"))
    before = dict(old.data or {})
    after = dict(new.data or {})
    expected = list(before.pop(KEY, None) or []) + [signoff.model_dump(exclude_none=True)]
    if new.problems or after.pop(KEY, None) != expected or after != before or new.body != old.body:
        raise WorkflowError(f"kan de ondertekening niet veilig toevoegen; voeg ze met de hand toe onder `{KEY}:`\n{_item_lines(signoff, 2, 4, chr(10))}")


def insert_signoff(text: str, signoff: Signoff) -> str:
    """`text` (front matter and body, no BOM) with `signoff` appended; all other bytes unchanged."""
    lines = LINE.findall(text)
    end = _closing_index(lines)
    newline = _ending(lines[0]) or "\n"
    source = "\n".join(line.rstrip("\r\n") for line in lines[1:end])
    root = yaml.compose(source, Loader=Loader)
    found = _key_and_value(root)
    if found is None:
        block = f"{KEY}:{newline}" + _item_lines(signoff, 2, 4, newline)
        return "".join(lines[:end]) + block + "".join(lines[end:])
    key, value = found
    if isinstance(value, SequenceNode) and value.flow_style:
        return _into_flow(lines, value, signoff)
    if isinstance(value, SequenceNode):
        return _after_block(lines, value, signoff, newline)
    if isinstance(value, ScalarNode) and value.tag.endswith(":null") and value.value == "":
        indent = key.start_mark.column + 2
        at = key.start_mark.line + 2  # after the key's line (file index: source line + 1)
        return "".join(lines[:at]) + _item_lines(signoff, indent, indent + 2, newline) + "".join(lines[at:])
    raise WorkflowError(f"`{KEY}` in de front matter is geen lijst: maak er een lijst van (of verwijder de sleutel)")


def _closing_index(lines: list[str]) -> int:
    if not lines or lines[0].rstrip() != "---":
        raise WorkflowError("geen front matter: het bestand moet met een regel `---` beginnen")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return index
    raise WorkflowError("de front matter wordt niet afgesloten met `---`")


def _ending(line: str) -> str:
    return line[len(line.rstrip("\r\n")):]


def _key_and_value(root):
    if not isinstance(root, MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, ScalarNode) and key.value == KEY:
            return key, value
    return None


def _item_lines(signoff: Signoff, dash: int, indent: int, newline: str) -> str:
    review = f"{' ' * indent}review: {_scalar(signoff.review)}{newline}" if signoff.review else ""
    return (f"{' ' * dash}- by: {_scalar(signoff.by)}{newline}"
            f"{' ' * indent}date: {signoff.date.isoformat()}{newline}"
            f"{' ' * indent}sha256: {_scalar(signoff.sha256)}{newline}" + review)


def _scalar(text: str) -> str:
    plain = PLAIN.match(text) and not text.isdigit() and text.lower() not in YAML11_BOOLS | {"null", "true", "false"}
    return text if plain else json.dumps(text, ensure_ascii=False)


def _after_block(lines: list[str], value: SequenceNode, signoff: Signoff, newline: str) -> str:
    last = max(_last_line(node) for node in value.value) if value.value else value.start_mark.line
    first = value.value[0] if value.value else None
    dash = value.start_mark.column
    indent = first.start_mark.column if isinstance(first, MappingNode) else dash + 2
    at = last + 2  # the file line after the sequence's last line
    return "".join(lines[:at]) + _item_lines(signoff, dash, indent, newline) + "".join(lines[at:])


def _last_line(node) -> int:
    """The last source line that holds text of `node` (0-based)."""
    if isinstance(node, MappingNode):
        return max(_last_line(child) for pair in node.value for child in pair)
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return max(_last_line(child) for child in node.value)
    mark = node.end_mark
    return mark.line - 1 if mark.column == 0 and mark.line > node.start_mark.line else mark.line


def _into_flow(lines: list[str], value: SequenceNode, signoff: Signoff) -> str:
    mark = value.end_mark  # just after the closing `]`
    index = mark.line + 1
    line = lines[index]
    column = line.rindex("]", 0, mark.column)
    review = f", review: {_scalar(signoff.review)}" if signoff.review else ""
    item = f"{{by: {_scalar(signoff.by)}, date: {signoff.date.isoformat()}, sha256: {_scalar(signoff.sha256)}{review}}}"
    separator = ", " if value.value else ""
    lines = list(lines)
    lines[index] = line[:column] + separator + item + line[column:]
    return "".join(lines)


# ---- who added a sign-off (SG002) -------------------------------------------------------------------
#
# A sign-off is a few lines of YAML: anyone who can push can type them. What the forge vouches for
# is the approving review (recorded as `review:` when the workflow signs), and the git history says
# who committed each line. A sign-off added by a commit of someone else than the signer, and not by
# the workflow on the strength of a review, is flagged. Commit authors are what git was told, so
# this catches the honest mistake and the naive forgery; the protected branch with required reviews
# is what holds (README: "Waar een handtekening op steunt").

WORKFLOW_AUTHORS = frozenset({"github-actions[bot]", "trialoog-workflow"})  # the author the shipped workflows commit as


@dataclass(frozen=True)
class _Author:
    sha: str
    name: str
    email: str
    day: dt.date


def foreign_signoffs(cohort: Cohort, ref: str, head: str = "HEAD") -> list[Diagnostic]:
    """SG002 for every sign-off that is in the evaluations now and was added since the merge base
    of `ref` and `head` by a commit whose author is neither the signer nor the workflow."""
    repo = toplevel(cohort.root)
    if repo is None:
        return []
    try:
        base = git(repo, "merge-base", ref, head).strip()
    except WorkflowError:
        return []
    return foreign_signoffs_between(cohort, repo, repo_relative(cohort.root, repo), base, head)


def foreign_signoffs_between(cohort: Cohort, repo: Path, prefix: str, base: str, head: str) -> list[Diagnostic]:
    found = []
    for student in cohort.students:
        for entry in student.entries:
            if entry.type != "evaluation" or not isinstance(entry.model, Evaluation) or not entry.model.signoff:
                continue
            path = "/".join(filter(None, (prefix, student.id, f"{entry.id}.md")))
            added = _added_by(repo, path, base, head)
            for index, signoff in enumerate(entry.model.signoff):
                author = added.get(_signature(signoff.model_dump(exclude_none=True)))
                if author is not None and not _may_sign(cohort, signoff, author):
                    found.append(_foreign(cohort, entry, index, signoff, author))
    return found


def _added_by(repo: Path, path: str, base: str, head: str) -> dict[tuple, _Author]:
    """Each sign-off added in base..head to the file at `path`, with the commit that added it."""
    log = git(repo, "log", "--reverse", "--format=%H%x1f%an%x1f%ae%x1f%as", f"{base}..{head}", "--", path)
    seen = _signoffs_at(repo, base, path)
    added: dict[tuple, _Author] = {}
    for line in filter(None, log.splitlines()):
        sha, name, email, day = line.split("\x1f")
        now = _signoffs_at(repo, sha, path)
        for item in now - seen:
            added[item] = _Author(sha, name, email, dt.date.fromisoformat(day))
        seen = now
    return added


def _signoffs_at(repo: Path, commit: str, path: str) -> set[tuple]:
    try:
        raw = git(repo, "show", f"{commit}:{path}", binary=True)
    except WorkflowError:
        return set()
    items = (read_document(raw).data or {}).get(KEY)
    return {_signature(item) for item in items if isinstance(item, dict)} if isinstance(items, list) else set()


def _signature(item: dict) -> tuple:
    return (str(item.get("by")), str(item.get("date")), str(item.get("sha256")))


def _may_sign(cohort: Cohort, signoff: Signoff, author: _Author) -> bool:
    if author.name.casefold() in WORKFLOW_AUTHORS:
        return signoff.review is not None  # the workflow signs only for an approving review
    person = cohort.config.people.get(signoff.by)
    if person is None:
        return True  # an unknown signer is a problem of its own (the references check)
    login = author.email.split("@", 1)[0].split("+", 1)[-1].casefold()
    return author.name.casefold() == person.name.casefold() or (person.forge or "").lstrip("@").casefold() == login


def _foreign(cohort: Cohort, entry, index: int, signoff: Signoff, author: _Author) -> Diagnostic:
    person = cohort.config.people.get(signoff.by)
    name = person.name if person else signoff.by
    message = (f"handtekening toegevoegd door {author.name} op {long_date(author.day)}, niet door {name} zelf "
               f"of door de workflow na een goedkeuring: haal deze ondertekening weg en laat {name} zelf "
               "ondertekenen (de pull request goedkeuren)")
    return rules.make(rules.FOREIGN_SIGNOFF, str(entry.path), entry.doc.position((KEY, index, "by")), message, entry.student)


# ---- sign-offs from approving reviews ---------------------------------------------------------------

@dataclass(frozen=True)
class Approval:
    person: str
    day: dt.date
    review: str | None  # the review's web address
    commit: str | None  # the commit it approved (GitHub); None: the forge says it still stands (GitLab)


def sign_approvals(cohort_root: Path, approvals: list[Approval], changed: list[str], repo: Path,
                   head: str | None) -> tuple[list[SignResult], list[str]]:
    """Sign every evaluation the pull request changes, for each mentor or coach who approved it.

    `head` is the request's last commit as the forge reports it. An approval of an older commit
    signs nothing (the text may have changed after it), and neither does one whose approved text
    differs from the text here (a merge that changed the evaluation): a note says so each time.
    Returns the sign-offs made and the notes."""
    config = load_config(cohort_root)
    prefix = repo_relative(cohort_root, repo)
    evaluations = [path for path in changed if _is_evaluation(repo / path, prefix, path)]
    results, notes = [], []
    for approval in approvals:
        person = config.people[approval.person]
        approved = approval.commit or head
        if person.role not in ("mentor", "coach"):
            notes.append(f"{person.name} keurde goed, maar is geen mentor of coach: geen ondertekening")
            continue
        if approved is None or (head is not None and approved != head):
            notes.append(f"{person.name} keurde een eerdere versie goed ({(approved or '?')[:7]}): "
                         "niet ondertekend; vraag een nieuwe goedkeuring")
            continue
        for path in evaluations:
            if not _same_text(repo, approved, path):
                notes.append(f"{path}: de tekst hier verschilt van de goedgekeurde versie ({approved[:7]}): niet ondertekend")
                continue
            results.append(sign(repo / path, approval.person, approval.day, cohort_root, approval.review))
    return results, notes


def _same_text(repo: Path, commit: str, path: str) -> bool:
    """The evaluation's content (what the sha256 covers) is the same here as in `commit`."""
    try:
        approved = read_document(git(repo, "show", f"{commit}:{path}", binary=True))
    except WorkflowError:
        return False  # the approved version is not here (in CI: fetch refs/pull/N/head first)
    return content_hash(approved) == content_hash(read_document((repo / path).read_bytes()))


def _is_evaluation(path: Path, prefix: str, shown: str) -> bool:
    if not path.is_file() or not shown.lower().endswith(".md") or (prefix and not shown.startswith(prefix + "/")):
        return False
    doc = read_document(path.read_bytes())
    return isinstance(doc.data, dict) and doc.data.get("type") == "evaluation"
