"""Split a Markdown file into YAML front matter and body, keeping the position of every value.

PyYAML only composes the node tree (with its C parser when present); this module builds the
Python values itself, so it can refuse what a portfolio never needs — anchors and aliases,
object-building tags, duplicate keys — and report each as a problem with its line and column.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from trialoog import rules
from trialoog.diagnostics import START, Position

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DEFAULT_MAX_BYTES = 1_000_000
TAG = "tag:yaml.org,2002:"
YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
CURLY = ("“", "”", "‘", "’", "„")
KeyPath = tuple
PLAIN_KEY_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}


@dataclass(frozen=True)
class Problem:
    code: str
    position: Position
    message: str


@dataclass
class Document:
    data: dict | None = None  # None when the front matter could not be read at all
    body: str = ""
    body_line: int = 1  # 1-based line of the file where the body starts
    values: dict[KeyPath, Position] = field(default_factory=dict)
    keys: dict[KeyPath, Position] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def position(self, path: KeyPath, of_key: bool = False) -> Position:
        """Where `path` is written, falling back to its nearest parent, then the top."""
        table = self.keys if of_key else self.values
        for end in range(len(path), 0, -1):
            found = table.get(path[:end]) or self.values.get(path[:end])
            if found:
                return found
        return START


def read_document(raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    doc = Document()
    text = _decode(raw, max_bytes, doc)
    if text is None:
        return doc
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        doc.body = text
        doc.problems.append(Problem(rules.NO_FRONT_MATTER, START, "geen front matter: begin het bestand met een regel `---`, dan `type:`, `title:` … en weer `---`"))
        return doc
    end = _closing_line(lines)
    if end is None:
        doc.problems.append(Problem(rules.UNCLOSED_FRONT_MATTER, START, "de front matter wordt niet afgesloten: zet een regel `---` onder de laatste sleutel"))
        return doc
    doc.body = "\n".join(lines[end + 1:])
    doc.body_line = end + 2
    _parse_yaml(lines[1:end], doc)
    return doc


def _decode(raw: bytes, max_bytes: int, doc: Document) -> str | None:
    if len(raw) > max_bytes:
        doc.problems.append(Problem(rules.TOO_LARGE, START, f"bestand is {_size(len(raw))}, meer dan de grens van {_size(max_bytes)}"))
        return None
    if not raw.strip():
        doc.problems.append(Problem(rules.EMPTY_FILE, START, "het bestand is leeg"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        doc.problems.append(Problem(rules.NOT_UTF8, Position(line, column), f"het bestand is geen UTF-8 (byte 0x{raw[error.start]:02x}): bewaar het als UTF-8"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _closing_line(lines: list[str]) -> int | None:
    for number in range(1, len(lines)):
        if lines[number].rstrip() in ("---", "..."):
            return number
    return None


def _parse_yaml(lines: list[str], doc: Document) -> None:
    if _report_tabs(lines, doc):
        return
    source = "\n".join(lines)
    if ("&" in source or "*" in source) and _report_anchors(source, doc):
        return
    try:
        node = yaml.compose(source, Loader=Loader)
    except RecursionError:
        doc.problems.append(Problem(rules.YAML_SYNTAX, START, "ongeldige YAML: te diep genest"))
        return
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = Position(mark.line + 2, mark.column + 1) if mark else START
        doc.problems.append(Problem(rules.YAML_SYNTAX, position, _yaml_message(error)))
        return
    except yaml.reader.ReaderError as error:
        message = f"ongeldige YAML: teken {error.character!r} is niet toegelaten; verwijder het"
        doc.problems.append(Problem(rules.YAML_SYNTAX, _reader_position(source, error), message))
        return
    except yaml.YAMLError as error:
        doc.problems.append(Problem(rules.YAML_SYNTAX, START, f"ongeldige YAML: {error}"))
        return
    if node is None:
        doc.data = {}
        return
    if not isinstance(node, MappingNode):
        doc.problems.append(Problem(rules.NOT_A_MAPPING, _pos(node), "de front matter moet bestaan uit `sleutel: waarde`-regels"))
        return
    try:
        doc.data = _Builder(doc).build(node, ())
    except RecursionError:
        doc.problems.append(Problem(rules.YAML_SYNTAX, START, "ongeldige YAML: te diep genest"))


def _report_tabs(lines: list[str], doc: Document) -> bool:
    found = False
    for number, line in enumerate(lines, start=2):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            position = Position(number, indent.index("\t") + 1)
            doc.problems.append(Problem(rules.TABS, position, "tab gebruikt om in te springen: gebruik spaties"))
            found = True
    return found


def _report_anchors(source: str, doc: Document) -> bool:
    found = False
    try:
        for event in yaml.parse(source, Loader=Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                kind = "alias" if isinstance(event, yaml.AliasEvent) else "anker"
                message = f"YAML-{kind} '{event.anchor}' geweigerd: schrijf de waarde voluit"
                doc.problems.append(Problem(rules.ALIAS, _pos(event), message))
                found = True
    except yaml.YAMLError:
        return found  # the syntax error is reported by the regular parse
    return found


YAML_MESSAGES = {
    "mapping values are not allowed": "hier mag geen `:` staan; zet de waarde tussen aanhalingstekens",
    "did not find expected <document start>": "klopt de inspringing? sleutels op het hoogste niveau beginnen helemaal links",
    "could not find expected ':'": "verwacht `sleutel: waarde`; ontbreekt er een `:` of een spatie na de `:`?",
    "found character '\\t' that cannot start any token": "tab gevonden; gebruik spaties",
    "found unexpected end of stream": "de tekst stopt midden in een waarde; ontbreekt er een aanhalingsteken?",
    "did not find expected key": "verwacht hier een sleutel; klopt de inspringing?",
    "block sequence entries are not allowed here": "een `-` mag hier niet; zet waarden zoals `-` of `--` tussen aanhalingstekens",
    "found undefined tag handle": "onbekende tag (`!`); verwijder hem",
}


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    for english, dutch in YAML_MESSAGES.items():
        if problem.startswith(english):
            return f"ongeldige YAML: {dutch}"
    return f"ongeldige YAML: {problem or error}"


def _reader_position(source: str, error) -> Position:
    # The C reader counts bytes, the Python one characters: look the character up instead.
    character = error.character if isinstance(error.character, str) else chr(error.character)
    index = source.find(character)
    if index < 0:
        return START
    return Position(source.count("\n", 0, index) + 2, index - (source.rfind("\n", 0, index) + 1) + 1)


def _pos(node) -> Position:
    # The YAML text starts on line 2 of the file, after the opening `---`.
    return Position(node.start_mark.line + 2, node.start_mark.column + 1)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.0f} kB"


class _Builder:
    """Turns a composed node tree into plain Python values, recording positions and problems."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.constructor = SafeConstructor()
        self.visited: set[int] = set()

    def problem(self, code: str, node, message: str) -> None:
        self.doc.problems.append(Problem(code, _pos(node), message))

    def build(self, node, path: KeyPath):
        if id(node) in self.visited:
            self.problem(rules.ALIAS, node, "YAML-alias geweigerd: schrijf de waarde voluit")
            return None
        self.visited.add(id(node))
        self.doc.values[path] = _pos(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, path)
        if isinstance(node, SequenceNode):
            return self.sequence(node, path)
        return self.scalar(node, path)

    def mapping(self, node: MappingNode, path: KeyPath) -> dict | None:
        if node.tag != TAG + "map":
            return self.refuse(node)
        result: dict = {}
        for key_node, value_node in node.value:
            if not self.plain_key(key_node):
                continue
            key = str(key_node.value)
            if key in result:
                first = self.doc.keys[path + (key,)]
                self.problem(rules.DUPLICATE_KEY, key_node, f"sleutel '{key}' staat er twee keer (eerst op regel {first.line})")
                continue
            self.doc.keys[path + (key,)] = _pos(key_node)
            result[key] = self.build(value_node, path + (key,))
        return result

    def plain_key(self, node) -> bool:
        """A key is plain text; merge keys (`<<`) and tags that build objects are refused."""
        if node.tag == TAG + "merge":
            self.problem(rules.ALIAS, node, "`<<` (samenvoegen) geweigerd: schrijf de sleutels voluit")
        elif not isinstance(node, ScalarNode):
            self.problem(rules.YAML_SYNTAX, node, "ongeldige sleutel: een sleutel is gewone tekst")
        elif node.tag[len(TAG):] not in PLAIN_KEY_TAGS:
            self.refuse(node)
        else:
            return True
        return False

    def sequence(self, node: SequenceNode, path: KeyPath) -> list | None:
        if node.tag != TAG + "seq":
            return self.refuse(node)
        return [self.build(item, path + (index,)) for index, item in enumerate(node.value)]

    def scalar(self, node: ScalarNode, path: KeyPath):
        kind = node.tag[len(TAG):] if node.tag.startswith(TAG) else None
        if kind == "str":
            if node.value.startswith(CURLY):
                self.problem(rules.CURLY_QUOTES, node, "gekrulde aanhalingstekens (uit Word?) horen bij de tekst; gebruik rechte `\"`")
            return node.value
        if kind == "null":
            return None
        if kind == "bool":
            return self.boolean(node, path)
        if kind in ("int", "float"):
            return self.number(node, kind)
        if kind == "timestamp":
            return self.timestamp(node)
        return self.refuse(node)

    def number(self, node: ScalarNode, kind: str):
        try:
            return getattr(self.constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, IndexError):  # an explicit `!!int` on text, or more digits than Python converts
            self.problem(rules.YAML_SYNTAX, node, f"ongeldige YAML: '{node.value[:40]}' is geen geldig getal")
            return None

    def boolean(self, node: ScalarNode, path: KeyPath) -> bool | None:
        if node.value.lower() not in SafeConstructor.bool_values:  # an explicit `!!bool` on text
            self.problem(rules.YAML_SYNTAX, node, f"ongeldige YAML: '{node.value[:40]}' is geen true of false")
            return None
        value = self.constructor.construct_yaml_bool(node)
        if node.value.lower() in YAML11_BOOLS:
            name = path[-1] if path else "waarde"
            self.problem(rules.YAML11_BOOL, node, f"'{node.value}' bij '{name}' wordt gelezen als {str(value).lower()}: bedoel je tekst, zet dan \"{node.value}\" tussen aanhalingstekens; anders schrijf {str(value).lower()}")
        return value

    def timestamp(self, node: ScalarNode) -> dt.date | None:
        try:
            return self.constructor.construct_yaml_timestamp(node)
        except (ValueError, AttributeError):  # AttributeError: an explicit `!!timestamp` on text
            self.problem(rules.BAD_DATE, node, f"datum '{node.value}' bestaat niet")
            return None

    def refuse(self, node) -> None:
        self.problem(rules.UNSAFE_TAG, node, f"YAML-tag '{node.tag}' geweigerd: Trialoog bouwt geen objecten uit YAML")
        return None
