"""Import competence frameworks from the systems our users come from.

Two formats, recognised by content (not by file name):
- Mahara SmartEvidence `.matrix` JSON, both the flat form ("standardelements" with
  "standardid" and "parentelementid") and the older nested form ("standardelement"
  inside each standard);
- Moodle competency-framework CSV, as exported by the admin tool lpimportcsv.

`import_framework` returns a plain dict in Trialoog's framework YAML shape, already
validated against `framework.Framework`; `write_framework` writes it without ever
overwriting a file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from pydantic import ValidationError

from trialoog.errors import TrialoogError, cannot_write, refuse_unwritable
from trialoog.portfolio.framework import Framework, explain_validation_error
from trialoog.portfolio.framework_case import CaseError, from_case, is_case_package
from trialoog.portfolio.paths import slug


class FrameworkImportError(TrialoogError):
    """A file that cannot be imported, or an output that already exists; exit 1."""


MAHARA_CODES = ("shortname", "elementid")  # what becomes the code of a Mahara element


def import_framework(path: Path, codes: str = "shortname", warnings: list[str] | None = None) -> dict:
    """Read a Mahara .matrix, a Moodle CSV or a 1EdTech CASE package into a framework dict (our
    YAML shape). `codes` says which Mahara field becomes the code; what was changed on the way
    (merged duplicates, ...) is added to `warnings`, in Dutch."""
    path = Path(path)
    found = [] if warnings is None else warnings
    text = _read_text(path)
    stripped = text.lstrip()
    if not stripped:
        raise FrameworkImportError(f"{path}: het bestand is leeg")
    if stripped.startswith(("{", "[")) or path.suffix.lower() in (".matrix", ".json"):
        data = _from_json(_parse_json(text, path), path, codes, found)
    elif path.suffix.lower() == ".csv" or _looks_like_moodle_csv(stripped):
        data = _from_moodle(text, path)
    else:
        raise FrameworkImportError(
            f"{path}: onbekend formaat — verwacht een Mahara SmartEvidence-bestand (.matrix, JSON), "
            "een 1EdTech CASE-pakket (JSON met CFDocument) "
            "of een Moodle-competentieraamwerk (CSV met kolommen zoals 'Id number' en 'Is framework')"
        )
    return _validated(data, path)


def _from_json(data: object, path: Path, codes: str, warnings: list[str]) -> dict:
    if is_case_package(data):
        try:
            return from_case(data, path.name, warnings)  # type: ignore[arg-type]  # a dict: is_case_package
        except CaseError as error:
            raise FrameworkImportError(f"{path}: {error}") from None
    framework = data.get("framework") if isinstance(data, dict) else None
    if not isinstance(framework, dict):
        raise FrameworkImportError(
            f"{path}: geen Mahara SmartEvidence-bestand (de sleutel 'framework' ontbreekt) en geen CASE-pakket (geen 'CFDocument')"
        )
    return _from_mahara(framework, path, codes, warnings)


def write_framework(data: dict, out: Path) -> None:
    """Write a framework dict as YAML; refuses to overwrite an existing file."""
    write_new_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100), out)


def write_new_text(text: str, out: Path) -> None:
    """Write `text` to a new file `out`: never over an existing one, never a folder created, every
    failure (no folder, a file in the way, a name too long, no rights, a full disk) in Dutch."""
    out = Path(out)
    refuse_unwritable(out)
    try:
        handle = out.open("x", encoding="utf-8")
    except FileExistsError:
        raise FrameworkImportError(
            f"{out} bestaat al — Trialoog overschrijft geen bestaand raamwerk; "
            "kies een andere bestandsnaam of verwijder het oude bestand eerst"
        ) from None
    except OSError as error:
        raise cannot_write(out, error) from None
    try:
        with handle:
            handle.write(text)
    except OSError as error:  # a full disk: no half file that a second try would call existing
        out.unlink(missing_ok=True)
        raise cannot_write(out, error) from None


class _Dumper(yaml.SafeDumper):
    """Safe YAML, with multi-line text as a readable literal block (|), and never an anchor or
    alias for a repeated value: Trialoog's reader refuses them (trialoog.portfolio.frontmatter)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


# --- shared helpers --------------------------------------------------------------------


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FrameworkImportError(f"{path}: bestand niet gevonden") from None
    except OSError as exc:
        raise FrameworkImportError(f"{path}: kan het bestand niet lezen ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = f"{path}: geen geldige UTF-8-tekst — exporteer het bestand als UTF-8"
        raise FrameworkImportError(message) from None


def _validated(data: dict, path: Path) -> dict:
    try:
        Framework.model_validate(data)
    except ValidationError as exc:
        explained = explain_validation_error(exc)
        if "dubbele competentiecode" in explained and "Mahara" in str(data.get("source", "")):
            explained += "\n(korte namen mogen in Mahara herhalen over standaarden heen: importeer met --codes elementid)"
        raise FrameworkImportError(f"{path}: het resultaat is geen geldig raamwerk:\n{explained}") from None
    return data


def _competence(code: str, title: str, description: str | None, children: list[dict]) -> dict:
    """One competence in our YAML shape; empty optional keys are left out."""
    item: dict[str, object] = {"code": code, "title": title or code}
    if description:
        item["description"] = description
    if children:
        item["competences"] = children
    return item


_INDENT = "\x00"  # one level of list nesting, kept through the whitespace tidying
_BREAK = "\x01"  # the end of a block: a blank line in Markdown


class _TextExtractor(HTMLParser):
    """The text of an HTML fragment as Markdown: blocks become paragraphs, a <br> a line break,
    links stay links ([text](https://…)), lists stay lists, nested ones indented four spaces a level
    (what Python-Markdown, the sites' renderer, needs to nest them)."""

    BLOCKS = {"p", "div", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table"}
    SKIP = {"script", "style"}
    LINK_SCHEMES = ("http://", "https://", "mailto:")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.lists: list[list] = []  # per open list: [ordered, number of the last item]
        self.link: tuple[str, int] | None = None  # the href and where its text starts in parts

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in ("ul", "ol"):
            self.parts.append("\n" if self.lists else _BREAK)
            self.lists.append([tag == "ol", 0])
        elif tag == "li":
            self.parts.append("\n" + self._marker())
        elif tag == "a":
            href = (dict(attrs).get("href") or "").strip()
            self.link = (href, len(self.parts)) if href.lower().startswith(self.LINK_SCHEMES) else None
        elif tag == "br":
            self.parts.append("\n")
        elif tag in self.BLOCKS:
            self.parts.append("\n" if self.lists else _BREAK)

    def _marker(self) -> str:
        if not self.lists:
            return "- "
        current = self.lists[-1]
        current[1] += 1
        indent = _INDENT * (len(self.lists) - 1)
        return f"{indent}{current[1]}. " if current[0] else f"{indent}- "

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.parts.append("\n" if self.lists else _BREAK)
        elif tag == "a" and self.link is not None:
            href, start = self.link
            text = " ".join("".join(self.parts[start:]).split()) or href
            del self.parts[start:]
            self.parts.append(f"[{text.replace(']', '')}]({href.replace(' ', '%20').replace(')', '%29')})")
            self.link = None
        elif tag in self.BLOCKS:
            self.parts.append("\n" if self.lists else _BREAK)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))  # HTML: a newline is just a space


def html_to_text(fragment: str | None) -> str:
    """Markdown text of an HTML fragment: tags dropped but paragraphs, links and lists kept,
    entities decoded, whitespace tidied."""
    if not fragment:
        return ""
    parser = _TextExtractor()
    parser.feed(fragment)
    parser.close()
    blocks = ("\n".join(_tidy_lines(block)) for block in "".join(parser.parts).split(_BREAK))
    return "\n\n".join(block for block in blocks if block)


def _tidy_lines(block: str) -> list[str]:
    lines = []
    for line in block.splitlines():
        depth = len(line.lstrip(" ")) - len(line.lstrip(" ").lstrip(_INDENT))
        text = " ".join(line.replace(_INDENT, " ").split())
        if text and text != "-":
            lines.append("    " * depth + text)
    return lines


# --- Mahara SmartEvidence ----------------------------------------------------------------

# Mahara's four evidence states, in order; numeric keys are also accepted in .matrix files.
_MAHARA_STATES = ["begun", "incomplete", "partialcomplete", "completed"]
_MAHARA_LABELS = {
    "begun": "klaar voor beoordeling",
    "incomplete": "voldoet niet",
    "partialcomplete": "voldoet gedeeltelijk",
    "completed": "voldoet",
}


# Python's JSON messages (English, and some cut off: "Unterminated string starting at"), in Dutch.
_JSON_MESSAGES = {
    "Expecting property name enclosed in double quotes": "verwacht een sleutel tussen dubbele aanhalingstekens (\"naam\"); staat er een komma te veel?",
    "Expecting ':' delimiter": "verwacht een `:` na de sleutel",
    "Expecting ',' delimiter": "verwacht een komma tussen twee waarden",
    "Expecting value": "verwacht een waarde (tekst tussen \"…\", een getal, true, false, null, [ of {)",
    "Unterminated string starting at": "tekst die hier begint, wordt nergens afgesloten met een \"",
    "Invalid control character at": "een regeleinde of tab midden in een tekst tussen \"…\"; schrijf \\n of \\t",
    "Invalid \\escape": "ongeldige \\-code in een tekst (schrijf \\\\ voor een backslash)",
    "Invalid \\uXXXX escape": "ongeldige \\u-code in een tekst",
    "Extra data": "na het einde van het JSON-object staat nog tekst",
}


def _parse_json(text: str, path: Path) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, "ongeldige JSON-opbouw")
        raise FrameworkImportError(f"{path}: ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {reason}") from None
    except RecursionError:
        raise FrameworkImportError(f"{path}: ongeldige JSON: te diep genest") from None


def _from_mahara(fw: dict, path: Path, codes: str = "shortname", warnings: list[str] | None = None) -> dict:
    name = _text(fw.get("name"))
    if not name:
        raise FrameworkImportError(f"{path}: het Mahara-raamwerk heeft geen 'name'")
    source = f"Geïmporteerd uit Mahara SmartEvidence: {path.name}"
    found = [] if warnings is None else warnings
    description = html_to_text(_text(fw.get("description")))
    return {
        "id": slug(name) or "mahara",
        "title": name,
        "source": f"{source}\n\n{description}" if description else source,
        "levels": _mahara_levels(fw.get("evidencestatuses"), path),
        "competences": [_mahara_standard(s, elements, path, codes, found) for s, elements in _mahara_standards(fw, path)],
    }


def _mahara_levels(statuses: object, path: Path) -> list[dict]:
    """Levels from 'evidencestatuses' (a list of one-key objects, or one object); defaults if absent."""
    if statuses is None:
        return [{"id": key, "label": _MAHARA_LABELS[key]} for key in _MAHARA_STATES]
    if isinstance(statuses, dict):
        statuses = [{key: value} for key, value in statuses.items()]
    if not isinstance(statuses, list) or not all(isinstance(s, dict) and len(s) == 1 for s in statuses):
        raise FrameworkImportError(
            f"{path}: 'evidencestatuses' moet een lijst zijn van objecten met één sleutel, "
            'zoals [{"begun": "..."}, {"completed": "..."}]'
        )
    levels = []
    for status in statuses:
        key, label = next(iter(status.items()))
        key = _MAHARA_STATES[int(key)] if str(key) in ("0", "1", "2", "3") else str(key)
        levels.append({"id": key, "label": _text(label) or _MAHARA_LABELS.get(key, key)})
    return levels


def _mahara_standards(fw: dict, path: Path) -> list[tuple[dict, list[dict]]]:
    """Each standard with its elements, from the flat or the older nested form."""
    standards = _objects(fw, "standards", "standaard", path)
    if "standardelements" not in fw:
        return [
            (s, _objects(s, "standardelement", f"element van '{_text(s['shortname'])}'", path))
            for s in standards
        ]
    elements = _objects(fw, "standardelements", "element", path)
    ids = {_text(s.get("standardid")) for s in standards}
    for element in elements:
        if _text(element.get("standardid")) not in ids:
            raise FrameworkImportError(
                f"{path}: element '{_text(element['shortname'])}' verwijst met 'standardid' naar "
                f"'{_text(element.get('standardid'))}', maar geen standaard heeft die 'standardid'"
            )
    return [
        (s, [e for e in elements if _text(e.get("standardid")) == _text(s.get("standardid"))])
        for s in standards
    ]


def _objects(container: dict, key: str, what: str, path: Path) -> list[dict]:
    """A list of objects that each have a 'shortname' (absent key: empty list)."""
    value = container.get(key, [])
    if not isinstance(value, list):
        raise FrameworkImportError(f"{path}: '{key}' moet een lijst zijn")
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not _text(item.get("shortname")):
            raise FrameworkImportError(f"{path}: {what} nr. {number} in '{key}' heeft geen 'shortname'")
    return value


def _mahara_standard(standard: dict, elements: list[dict], path: Path, codes: str, warnings: list[str]) -> dict:
    """A standard becomes a top-level competence; its elements nest below it. An element that is
    written twice, identically (Mahara's own template has 4.4.3 twice, and Mahara imports it), is
    kept once, with a warning; two different elements with one elementid are an error."""
    children: dict[str | None, list[dict]] = {}
    keys: dict[str, dict] = {}
    last_top = None
    for number, element in enumerate(elements, start=1):
        key = _element_key(element, number)
        if key in keys:
            if keys[key] == element:
                warnings.append(f"element '{_text(element.get('shortname'))}' (elementid {key[3:]}) staat er twee keer, "
                                "gelijk: één keer overgenomen")
                continue
            raise FrameworkImportError(f"{path}: 'elementid' '{key[3:]}' komt meer dan eens voor, met een andere inhoud")
        keys[key] = element
        parent = _element_parent(element, last_top)
        last_top = key if parent is None else last_top
        children.setdefault(parent, []).append(element | {"_key": key, "_code": _element_code(element, codes, path)})
    _check_reachable(children, standard, path)
    return _element_item(standard | {"_code": _text(standard.get("shortname"))}, _build(children, None))


def _element_code(element: dict, codes: str, path: Path) -> str:
    """The element's code: its shortname (as shown in Mahara), or with `--codes elementid` its
    elementid, for files whose short names repeat across standards (Mahara allows that)."""
    if codes == "elementid":
        eid = _text(element.get("elementid"))
        if not eid:
            raise FrameworkImportError(f"{path}: element '{_text(element.get('shortname'))}' heeft geen 'elementid'; "
                                       "importeer met --codes shortname")
        return eid
    return _text(element.get("shortname"))


def _element_key(element: dict, number: int) -> str:
    """A unique key for nesting: the element id when present, else its position."""
    eid = _text(element.get("elementid"))
    return f"id:{eid}" if eid else f"nr:{number}"


def _element_parent(element: dict, last_top: str | None) -> str | None:
    """The parent's key. Old files mark sub-clauses with 'parent': true, meaning: below the
    nearest preceding element that is not itself a sub-clause (as in Mahara's example.matrix)."""
    pid = _text(element.get("parentelementid"))
    if pid not in ("", "0", "False"):
        return f"id:{pid}"
    if element.get("parent") is True and last_top is not None:
        return last_top
    return None


def _build(children: dict, parent: str | None) -> list[dict]:
    """The tree below `parent`; each element has one parent, so this cannot loop."""
    return [_element_item(e, _build(children, e["_key"])) for e in children.get(parent, [])]


def _element_item(element: dict, children: list[dict]) -> dict:
    code = element["_code"]
    description = html_to_text(_text(element.get("description")))
    return _competence(code, _text(element.get("name")), description, children)


def _check_reachable(children: dict, standard: dict, path: Path) -> None:
    """Elements whose parentelementid leads nowhere (unknown id, or a loop) are an error."""
    reached, todo = set(), [None]
    while todo:
        for element in children.get(todo.pop(), []):
            reached.add(element["_key"])
            todo.append(element["_key"])
    lost = [e for items in children.values() for e in items if e["_key"] not in reached]
    if lost:
        names = ", ".join(f"'{_text(e['shortname'])}'" for e in lost)
        raise FrameworkImportError(
            f"{path}: standaard '{_text(standard['shortname'])}': element(en) {names} verwijzen met "
            "'parentelementid' naar een 'elementid' dat niet bestaat (of naar elkaar in een kring)"
        )


def _flatten(items: list[dict]):
    for item in items:
        yield item
        yield from _flatten(item.get("competences", []))


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# --- Moodle competency framework CSV -------------------------------------------------------

_MOODLE_REQUIRED = [
    "Parent id number", "Id number", "Shortname", "Description", "Scale values", "Is framework",
]
_MOODLE_CROSS = "Cross referenced competency id numbers"
_MOODLE_HTML_FORMATS = {"", "0", "1"}  # FORMAT_MOODLE and FORMAT_HTML may hold HTML


def _looks_like_moodle_csv(text: str) -> bool:
    header = text.splitlines()[0].lower()
    return "id number" in header or "is framework" in header


def _from_moodle(text: str, path: Path) -> dict:
    rows = _moodle_rows(text, path)
    framework_rows = [row for row in rows if _truthy(row["Is framework"])]
    if len(framework_rows) != 1:
        found = "geen" if not framework_rows else f"{len(framework_rows)}"
        raise FrameworkImportError(
            f"{path}: precies één rij moet 'Is framework' = 1 hebben (het raamwerk zelf); gevonden: {found}"
        )
    fw = framework_rows[0]
    competences = [row for row in rows if row is not fw]
    return {
        "id": slug(fw["Id number"]) or slug(fw["Shortname"]) or "moodle",
        "title": fw["Shortname"].strip() or fw["Id number"].strip(),
        "source": _moodle_source(fw, path),
        "levels": _moodle_levels(fw, path),
        "competences": _moodle_tree(competences, fw["Id number"].strip(), path),
    }


def _moodle_rows(text: str, path: Path) -> list[dict]:
    """Rows as dicts with their starting line number under '_line'; checks the header."""
    # strict: a broken quote is an error, not a garbled row that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    canonical = {name.lower(): name for name in _MOODLE_REQUIRED}
    try:
        header = [canonical.get(name.strip().lower(), name.strip()) for name in next(reader)]
        missing = [name for name in _MOODLE_REQUIRED if name not in header]
        if missing:
            names = ", ".join(f"'{name}'" for name in missing)
            raise FrameworkImportError(f"{path}: Moodle-CSV mist kolom(men) {names} in de eerste regel")
        rows, line = [], reader.line_num + 1
        for values in reader:
            if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
                raise FrameworkImportError(f"{path}: regel {line}: {len(values)} velden, maar de eerste regel heeft er "
                                           f"{len(header)}; staat er een komma in een waarde zonder aanhalingstekens?")
            if any(v.strip() for v in values):
                rows.append(dict(zip(header, values + [""] * (len(header) - len(values)))) | {"_line": line})
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FrameworkImportError(f"{path}: ongeldige CSV op regel {line}: {_csv_reason(str(exc))}") from None
    return rows


def _csv_reason(english: str) -> str:
    """Python's csv messages in Dutch; the one of a quote that is never closed names where it starts."""
    if "unexpected end of data" in english or "EOF" in english:
        return "een aanhalingsteken (\") dat hier een waarde opent, wordt nergens gesloten"
    if "expected after" in english:
        return "na een sluitend aanhalingsteken (\") moet een scheidingsteken of het einde van de regel komen; schrijf een \" in een waarde als \"\""
    if "new-line character" in english or "NUL" in english or "line contains" in english:
        return "een onzichtbaar teken (NUL of een los regeleinde) in een waarde"
    return "de CSV-opbouw klopt niet (aanhalingstekens of scheidingstekens)"


def _delimiter(text: str) -> str:
    """Moodle writes commas; a spreadsheet in a Dutch locale may have saved semicolons."""
    header = text.splitlines()[0]
    return max([",", ";", "\t"], key=header.count)


def _truthy(value: str | None) -> bool:
    return (value or "").strip() not in ("", "0")


def _moodle_source(fw: dict, path: Path) -> str:
    source = f"Geïmporteerd uit Moodle-competentieraamwerk (CSV): {path.name}"
    description = _moodle_description(fw)
    return f"{source}\n\n{description}" if description else source


def _moodle_description(row: dict) -> str:
    text = row.get("Description") or ""
    if (row.get("Description format") or "").strip() in _MOODLE_HTML_FORMATS:
        return html_to_text(text)
    return text.strip()


def _moodle_levels(fw: dict, path: Path) -> list[dict]:
    labels = [label.strip() for label in fw["Scale values"].split(",") if label.strip()]
    if not labels:
        raise FrameworkImportError(
            f"{path}: de raamwerkrij (regel {fw['_line']}) heeft geen 'Scale values' — "
            "geef de schaal als komma-gescheiden lijst, bv. \"Nog niet competent,Competent\""
        )
    levels, used = [], set()
    for number, label in enumerate(labels, start=1):
        level_id = slug(label) or "".join(label.split()) or f"niveau-{number}"
        while level_id in used:
            level_id += f"-{number}"
        used.add(level_id)
        levels.append({"id": level_id, "label": label})
    for number in _proficient_values(fw, path):
        if 1 <= number <= len(levels):
            levels[number - 1]["proficient"] = True
    return levels


def _proficient_values(fw: dict, path: Path) -> list[int]:
    """The scale values (1-based) Moodle's 'Scale configuration' marks proficient:
    [{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]."""
    text = (fw.get("Scale configuration") or "").strip()
    if not text:
        return []
    try:
        config = json.loads(text)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, "ongeldige JSON-opbouw")
        raise FrameworkImportError(f"{path}: regel {fw['_line']}: 'Scale configuration' is geen geldige JSON (kolom {exc.colno}): {reason}") from None
    values = config if isinstance(config, list) else []
    return [int(v["id"]) for v in values if isinstance(v, dict) and str(v.get("proficient")) == "1" and str(v.get("id", "")).isdigit()]


def _moodle_tree(rows: list[dict], framework_id: str, path: Path) -> list[dict]:
    """Nest competencies by 'Parent id number'; empty (or the framework's own id) is top level."""
    children: dict[str, list[dict]] = {}
    lines: dict[str, int] = {}
    for row in rows:
        code = row["Id number"].strip()
        if not code:
            raise FrameworkImportError(f"{path}: regel {row['_line']}: 'Id number' is leeg")
        if code in lines:
            raise FrameworkImportError(
                f"{path}: regel {row['_line']}: 'Id number' '{code}' staat ook al op regel {lines[code]}"
            )
        lines[code] = row["_line"]
        parent = row["Parent id number"].strip()
        children.setdefault("" if parent == framework_id else parent, []).append(row)
    tree = _moodle_build(children, "")
    _check_moodle_complete(rows, tree, path)
    return tree


def _moodle_build(children: dict, parent: str) -> list[dict]:
    """The tree below `parent`; each row has one parent, so this cannot loop."""
    items = []
    for row in children.get(parent, []):
        code = row["Id number"].strip()
        below = _moodle_build(children, code)
        item = _competence(code, row["Shortname"].strip(), _moodle_description(row), below)
        related = [ref.strip() for ref in (row.get(_MOODLE_CROSS) or "").split(",") if ref.strip()]
        if related:
            item["related"] = related
        items.append(item)
    return items


def _check_moodle_complete(rows: list[dict], tree: list[dict], path: Path) -> None:
    placed = {item["code"] for item in _flatten(tree)}
    for row in rows:
        if row["Id number"].strip() not in placed:
            raise FrameworkImportError(
                f"{path}: regel {row['_line']}: 'Parent id number' '{row['Parent id number'].strip()}' "
                "bestaat niet als 'Id number' (of de rijen verwijzen in een kring naar elkaar)"
            )
