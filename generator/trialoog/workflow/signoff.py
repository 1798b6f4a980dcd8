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

from trialoog.portfolio.frontmatter import YAML11_BOOLS, Document, Loader, read_document
from trialoog.workflow.gitrepo import WorkflowError
from trialoog.portfolio.load import load_config
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


def sign(path: Path, by: str, day: dt.date, cohort_root: Path) -> SignResult:
    people = load_config(cohort_root).people
    if by not in people:
        known = ", ".join(sorted(people)) or "geen"
        raise WorkflowError(f"onbekende persoon '{by}'; personen in portfolio.yml: {known}")
    raw = path.read_bytes()
    doc, model = _read_evaluation(path, raw)
    signoff = Signoff(by=by, date=day, sha256=content_hash(doc))
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
    expected = list(before.pop(KEY, None) or []) + [signoff.model_dump()]
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
    return (f"{' ' * dash}- by: {_scalar(signoff.by)}{newline}"
            f"{' ' * indent}date: {signoff.date.isoformat()}{newline}"
            f"{' ' * indent}sha256: {_scalar(signoff.sha256)}{newline}")


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
    item = f"{{by: {_scalar(signoff.by)}, date: {signoff.date.isoformat()}, sha256: {_scalar(signoff.sha256)}}}"
    separator = ", " if value.value else ""
    lines = list(lines)
    lines[index] = line[:column] + separator + item + line[column:]
    return "".join(lines)
