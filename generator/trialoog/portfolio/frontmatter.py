"""Split a Markdown file into YAML front matter and body, keeping the position of every value.

PyYAML only composes the node tree (with its C parser when present); this module builds the
Python values itself, so it can refuse what a portfolio never needs — anchors and aliases,
object-building tags, duplicate keys — and report each as a problem with its line and column.
Plain, clean front matter (most of a cohort) is read without libyaml into the same values (see
"plain front matter" below); everything else, and every problem, is libyaml's.

Positions of values are looked up only when a message needs one: the document keeps its YAML
text and reads it once more on the first `position()` call. Checking a clean cohort never pays
for them, and they take no memory.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from trialoog import rules
from trialoog.diagnostics import START, Position

if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):
    """The safe loader (libyaml's C parser when present) with a faster tag resolver.

    The parser asks for the tag of every scalar; PyYAML's resolver is general (path resolvers,
    wildcard lists built per call). This one gives the same answer for the safe schema, with
    the answers for short plain scalars (codes, dates, enum values) remembered.
    """

    _resolvers = {first: tuple(found) for first, found in _BaseLoader.yaml_implicit_resolvers.items()}
    _general = bool(_BaseLoader.yaml_path_resolvers or None in _BaseLoader.yaml_implicit_resolvers)
    _known: dict[str, str] = {}

    def resolve(self, kind, value, implicit):
        if kind is not ScalarNode or self._general:
            return super().resolve(kind, value, implicit)
        if not implicit[0]:
            return self.DEFAULT_SCALAR_TAG
        return self.plain_tag(value)

    @classmethod
    def plain_tag(cls, value: str) -> str:
        """The tag of a plain (unquoted) scalar: str, int, bool, null, timestamp, …"""
        tag = cls._known.get(value)
        if tag is None:
            tag = cls._matching_tag(value)
            if len(value) <= 40 and len(cls._known) < 10_000:
                cls._known[value] = tag
        return tag

    @classmethod
    def _matching_tag(cls, value: str) -> str:
        for tag, pattern in cls._resolvers.get(value[:1], ()):
            if pattern.match(value):
                return tag
        return cls.DEFAULT_SCALAR_TAG


DEFAULT_MAX_BYTES = 1_000_000
MAX_INT_BITS = 256  # about 77 decimal digits: far beyond any count, score or year in a portfolio
TAG = "tag:yaml.org,2002:"
YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
CURLY = frozenset("“”‘’„")
KeyPath = tuple
PLAIN_KEY_TAGS = {"str", "int", "float", "bool", "null", "timestamp"}
PLAIN_KEY_TAG_URIS = {TAG + kind for kind in PLAIN_KEY_TAGS}
STR, NULL, BOOL, INT, FLOAT, TIMESTAMP, MAP, SEQ, MERGE = (
    TAG + kind for kind in ("str", "null", "bool", "int", "float", "timestamp", "map", "seq", "merge"))
CLOSING = re.compile(r"^(?:---|\.\.\.)[^\S\n]*$", re.MULTILINE)


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
    problems: list[Problem] = field(default_factory=list)
    source: str = ""  # the YAML text between the `---` lines
    yaml_line: int = 2  # the line of the file where the YAML text starts
    texts: list[str] = field(default_factory=list)  # every string value in `data`, in file order
    _positions: tuple | None = field(default=None, repr=False, compare=False)
    _plain: bool = field(default=False, repr=False, compare=False)  # read by the plain reader, not libyaml

    @property
    def values(self) -> dict[KeyPath, Position]:
        """Where each value is written, by key path: ("competences", 1) -> line and column."""
        return self._index()[0]

    @property
    def keys(self) -> dict[KeyPath, Position]:
        """Where each key is written, by key path."""
        return self._index()[1]

    def _index(self) -> tuple:
        if self._positions is None:
            self._positions = _index_positions(self.source, self.yaml_line, self._plain)
        return self._positions

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
    first_end = text.find("\n")
    if (text if first_end < 0 else text[:first_end]).rstrip() != "---":
        doc.body = text
        doc.problems.append(Problem(rules.NO_FRONT_MATTER, START, "geen front matter: begin het bestand met een regel `---`, dan `type:`, `title:` … en weer `---`"))
        return doc
    closing = CLOSING.search(text, first_end + 1) if first_end >= 0 else None
    if closing is None:
        doc.problems.append(Problem(rules.UNCLOSED_FRONT_MATTER, START, "de front matter wordt niet afgesloten: zet een regel `---` onder de laatste sleutel"))
        return doc
    doc.body = text[closing.end() + 1:]
    doc.source = text[first_end + 1:max(first_end + 1, closing.start() - 1)]
    doc.body_line = doc.source.count("\n") + (4 if closing.start() > first_end + 1 else 3)
    _parse_yaml(doc.source, doc)
    return doc


def read_yaml(raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """A whole YAML file (portfolio.yml), read with the same refusals and positions as front matter."""
    doc = Document(yaml_line=1)
    text = _decode(raw, max_bytes, doc)
    if text is not None:
        doc.source = text
        _parse_yaml(text, doc)
    return doc


def too_large(size: int, max_bytes: int) -> Problem:
    """FM005 for a file of `size` bytes: also used before reading, so a huge file is never read."""
    return Problem(rules.TOO_LARGE, START, f"bestand is {_size(size)}, meer dan de grens van {_size(max_bytes)}")


def _decode(raw: bytes, max_bytes: int, doc: Document) -> str | None:
    if len(raw) > max_bytes:
        doc.problems.append(too_large(len(raw), max_bytes))
        return None
    if not raw or raw.isspace():  # as `not raw.strip()`, without copying the file
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
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _parse_yaml(source: str, doc: Document) -> None:
    if _read_plain(source, doc):
        return
    if "\t" in source and _report_tabs(source.split("\n"), doc):
        return
    if ("&" in source or "*" in source) and _report_anchors(source, doc):
        return
    try:
        node = yaml.compose(source, Loader=Loader)
    except RecursionError:
        doc.problems.append(Problem(rules.YAML_SYNTAX, START, "ongeldige YAML: te diep genest"))
        return
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        position = Position(mark.line + doc.yaml_line, mark.column + 1) if mark else START
        doc.problems.append(Problem(rules.YAML_SYNTAX, position, _yaml_message(error)))
        return
    except yaml.reader.ReaderError as error:
        message = f"ongeldige YAML: teken {error.character!r} is niet toegelaten; verwijder het"
        doc.problems.append(Problem(rules.YAML_SYNTAX, _reader_position(source, error, doc.yaml_line), message))
        return
    except yaml.YAMLError as error:
        doc.problems.append(Problem(rules.YAML_SYNTAX, START, f"ongeldige YAML: {error}"))
        return
    if node is None:
        doc.data = {}
        return
    if not isinstance(node, MappingNode):
        doc.problems.append(Problem(rules.NOT_A_MAPPING, _pos(node, doc.yaml_line), "de front matter moet bestaan uit `sleutel: waarde`-regels"))
        return
    try:
        doc.data = _Builder(doc).build(node, None)
    except RecursionError:
        doc.problems.append(Problem(rules.YAML_SYNTAX, START, "ongeldige YAML: te diep genest"))


def _report_tabs(lines: list[str], doc: Document) -> bool:
    found = False
    for number, line in enumerate(lines, start=doc.yaml_line):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            position = Position(number, indent.index("\t") + 1)
            doc.problems.append(Problem(rules.TABS, position, "tab gebruikt om in te springen: gebruik spaties"))
            found = True
    return found


def _report_anchors(source: str, doc: Document) -> bool:
    """One FM008 for the first anchor or alias, counting the rest: an alias bomb is one mistake."""
    found: list[yaml.NodeEvent] = []
    try:
        for event in yaml.parse(source, Loader=Loader):
            if isinstance(event, yaml.NodeEvent) and (isinstance(event, yaml.AliasEvent) or event.anchor):
                found.append(event)
    except yaml.YAMLError:
        pass  # the syntax error is reported by the regular parse
    if found:
        first = found[0]
        kind = "alias" if isinstance(first, yaml.AliasEvent) else "anker"
        more = f" (en nog {len(found) - 1} ankers of aliassen)" if len(found) > 1 else ""
        message = f"YAML-{kind} '{first.anchor}' geweigerd{more}: schrijf de waarde voluit"
        doc.problems.append(Problem(rules.ALIAS, _pos(first, doc.yaml_line), message))
    return bool(found)


YAML_MESSAGES = {
    "mapping values are not allowed": "hier mag geen `:` staan; zet de waarde tussen aanhalingstekens",
    "did not find expected <document start>": "klopt de inspringing? sleutels op het hoogste niveau beginnen helemaal links",
    "could not find expected ':'": "verwacht `sleutel: waarde`; ontbreekt er een `:` of een spatie na de `:`?",
    "found character '\\t' that cannot start any token": "tab gevonden; gebruik spaties",
    "found unexpected end of stream": "de tekst stopt midden in een waarde; ontbreekt er een aanhalingsteken?",
    "did not find expected key": "verwacht hier een sleutel; klopt de inspringing?",
    "block sequence entries are not allowed here": "een `-` mag hier niet; zet waarden zoals `-` of `--` tussen aanhalingstekens",
    "found undefined tag handle": "onbekende tag (`!`); verwijder hem",
    "but found another document": "een tweede `---` begint een tweede YAML-document; verwijder die regel",
}


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = (error.problem or "").strip()
    for english, dutch in YAML_MESSAGES.items():
        if problem.startswith(english):
            return f"ongeldige YAML: {dutch}"
    return f"ongeldige YAML: {problem or error}"


def _reader_position(source: str, error, first_line: int) -> Position:
    # The C reader counts bytes, the Python one characters: look the character up instead.
    character = error.character if isinstance(error.character, str) else chr(error.character)
    index = source.find(character)
    if index < 0:
        return START
    return Position(source.count("\n", 0, index) + first_line, index - (source.rfind("\n", 0, index) + 1) + 1)


def _pos(node, first_line: int = 2) -> Position:
    # The YAML text starts on line 2 of the file, after the opening `---`.
    return Position(node.start_mark.line + first_line, node.start_mark.column + 1)


def _size(count: int) -> str:
    return f"{count / 1_000_000:.1f} MB" if count >= 100_000 else f"{count / 1000:.0f} kB"


class _Builder:
    """Turns a composed node tree into plain Python values, reporting what a portfolio refuses.

    `name` is the key (or list index) a value is written under, for messages.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self.constructor = SafeConstructor()
        self.visited: set[int] = set()

    def problem(self, code: str, node, message: str) -> None:
        self.doc.problems.append(Problem(code, _pos(node, self.doc.yaml_line), message))

    def build(self, node, name):
        kind = type(node)
        if kind is ScalarNode:
            return self.scalar(node, name)
        if id(node) in self.visited:
            self.problem(rules.ALIAS, node, "YAML-alias geweigerd: schrijf de waarde voluit")
            return None
        self.visited.add(id(node))
        if kind is MappingNode:
            return self.mapping(node)
        return self.sequence(node)

    def mapping(self, node: MappingNode) -> dict | None:
        if node.tag != MAP:
            self.refuse(node)
            return None
        result: dict = {}
        for key_node, value_node in node.value:
            if (key_node.tag != STR or type(key_node) is not ScalarNode) and not self.plain_key(key_node):
                continue
            key = str(key_node.value)
            if key in result:
                self.duplicate(node, key_node, key)
                continue
            result[key] = self.build(value_node, key)
        return result

    def duplicate(self, node: MappingNode, key_node, key: str) -> None:
        first = next(k for k, _ in node.value if type(k) is ScalarNode and str(k.value) == key)
        message = f"sleutel '{key}' staat er twee keer (eerst op regel {_pos(first, self.doc.yaml_line).line})"
        self.problem(rules.DUPLICATE_KEY, key_node, message)

    def plain_key(self, node) -> bool:
        """A key is plain text; merge keys (`<<`) and tags that build objects are refused."""
        if node.tag == MERGE:
            self.problem(rules.ALIAS, node, "`<<` (samenvoegen) geweigerd: schrijf de sleutels voluit")
        elif not isinstance(node, ScalarNode):
            self.problem(rules.YAML_SYNTAX, node, "ongeldige sleutel: een sleutel is gewone tekst")
        elif node.tag not in PLAIN_KEY_TAG_URIS:
            self.refuse(node)
        else:
            return True
        return False

    def sequence(self, node: SequenceNode) -> list | None:
        if node.tag != SEQ:
            self.refuse(node)
            return None
        return [self.build(item, index) for index, item in enumerate(node.value)]

    def scalar(self, node: ScalarNode, name):
        tag = node.tag
        if tag == STR:
            if node.value[:1] in CURLY:
                self.problem(rules.CURLY_QUOTES, node, "gekrulde aanhalingstekens (uit Word?) horen bij de tekst; gebruik rechte `\"`")
            self.doc.texts.append(node.value)
            return node.value
        if tag == NULL:
            return None
        if tag == BOOL:
            return self.boolean(node, name)
        if tag == INT or tag == FLOAT:
            return self.number(node, tag[len(TAG):])
        if tag == TIMESTAMP:
            return self.timestamp(node)
        return self.refuse(node)

    def number(self, node: ScalarNode, kind: str):
        try:
            value = getattr(self.constructor, f"construct_yaml_{kind}")(node)
        except (ValueError, IndexError):  # an explicit `!!int` on text, or more digits than Python converts
            self.problem(rules.YAML_SYNTAX, node, f"ongeldige YAML: '{node.value[:40]}' is geen geldig getal")
            return None
        # Hexadecimal, octal, binary and sexagesimal (1:30) integers are built without Python's
        # limit on digits, which only strikes later, when something prints the number
        # (ValueError in the middle of a check or a build). No portfolio needs such a number.
        if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
            message = f"ongeldige YAML: '{node.value[:40]}…' is een te groot getal; bedoel je tekst, zet die dan tussen aanhalingstekens"
            self.problem(rules.YAML_SYNTAX, node, message)
            return None
        return value

    def boolean(self, node: ScalarNode, name) -> bool | None:
        if node.value.lower() not in SafeConstructor.bool_values:  # an explicit `!!bool` on text
            self.problem(rules.YAML_SYNTAX, node, f"ongeldige YAML: '{node.value[:40]}' is geen true of false")
            return None
        value = self.constructor.construct_yaml_bool(node)
        if node.value.lower() in YAML11_BOOLS:
            name = "waarde" if name is None else name
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


# ---- plain front matter, read without libyaml ---------------------------------------------------
#
# libyaml composing a node tree and the builder turning it into values cost about as much as the
# whole floor (libyaml calls back into Python for every node). Front matter written the way
# students write it, `key: value` lines with quoted text, dates, codes, `[a, b]` lists and indented
# blocks, is read here with a few regular expressions straight into the values the builder would
# make: the same resolver decides each plain scalar's type and SafeConstructor converts it. Whatever
# this reader does not know exactly (comments after a value, multi-line or escaped text, `{…}`, `|`,
# anchors, tags, tabs, odd indentation, characters YAML treats specially) makes it decline, and so
# does everything the builder would report as a problem (a duplicate key, `yes`, curly quotes, a
# date that does not exist): libyaml then reads the text as before, and positions come from its
# marks. tests/portfolio/test_frontmatter_plain.py compares both readers on many texts.

_KEY_LINE = re.compile(r"([\w][\w.-]*):(?: +(.*))?")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'([^']*)'")
_PLAIN = re.compile(r"[\w./(][^#\[\]{},]*")
_FLOW_ITEM = re.compile(r' *(?:"([^"\\]*)"|\'([^\']*)\'|([\w./][^\s,\[\]{}#:"\']*(?: [^\s,\[\]{}#:"\']+)*)) *(,|$)')
# Anything YAML reads as a line break, a byte order mark, or a character libyaml refuses.
_UNUSUAL = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_CONTENT_LINE = re.compile(r"^( *)([^ #\n](?:[^\n]*[^ \n])?) *$", re.MULTILINE)  # (indent, text) of lines not blank or comment
_SCALAR, _FLOW, _EMPTY = range(3)
_CONSTRUCTOR = SafeConstructor()
# Lines and values recur across a cohort (`type: reflection`, dates, codes, tag lists): each is
# read once. Only immutable values are kept (a list is kept as a tuple and copied).
_KNOWN_LINES: dict[str, tuple] = {}
_KNOWN_VALUES: dict[str, tuple] = {}
_KNOWN_MAX = 50_000


def forget_recurring() -> None:
    """Forget the lines, values and scalar tags read so far, as in a new process (for the benchmark)."""
    _KNOWN_LINES.clear()
    _KNOWN_VALUES.clear()
    Loader._known.clear()


class _Declined(Exception):
    """The plain reader does not read this text exactly: libyaml reads it."""


def _read_plain(source: str, doc: Document) -> bool:
    """Reads `source` into `doc` without libyaml when it is plain and clean; False when it declines."""
    if Loader._general or "\t" in source or _UNUSUAL.search(source):
        return False
    texts: list[str] = []
    try:
        if source[:1] not in (" ", "#") and "\n " not in source and "\n#" not in source and _read_flat(source, doc):
            return True
        lines = [(len(indent), content) for indent, content in _CONTENT_LINE.findall(source)]
        if not lines or lines[0][0] != 0:
            return False
        data, end = _block_mapping(lines, 0, 0, texts)
    except (_Declined, RecursionError):
        return False
    if end != len(lines):
        return False
    doc.data, doc.texts, doc._plain = data, texts, True
    return True


def _read_flat(source: str, doc: Document) -> bool:
    """The common case of _read_plain, shorter: every line blank or `key: value` at the left margin.
    False (not declined) when a key has no value on its line: _read_plain then reads the block."""
    result: dict = {}
    texts: list[str] = []
    for line in source.split("\n"):
        if not line:
            continue
        key, kind, value = _KNOWN_LINES.get(line) or _key_line(line.rstrip(" "))
        if kind == _EMPTY:
            return False
        if key in result:
            raise _Declined  # reported with both lines by the builder
        if kind == _SCALAR:
            if value[1]:
                texts.append(value[0])
            result[key] = value[0]
        else:
            result[key] = [_taken(item, texts) for item in value]
    if not result:
        return False
    doc.data, doc.texts, doc._plain = result, texts, True
    return True


def _block_mapping(lines: list, start: int, indent: int, texts: list) -> tuple[dict, int]:
    result: dict = {}
    index, count = start, len(lines)
    while index < count and lines[index][0] == indent:
        content = lines[index][1]
        key, kind, value = _KNOWN_LINES.get(content) or _key_line(content)
        if key in result:
            raise _Declined  # reported with both lines by the builder
        index += 1
        if kind == _SCALAR:
            if value[1]:
                texts.append(value[0])
            result[key] = value[0]
        elif kind == _FLOW:
            result[key] = [_taken(item, texts) for item in value]
        else:
            result[key], index = _under_key(lines, index, indent, texts)
    if index < count and lines[index][0] > indent:
        raise _Declined  # a line that continues a value, or a deeper block after a value
    return result, index


def _under_key(lines: list, index: int, indent: int, texts: list) -> tuple:
    """The value of a `key:` line with nothing after it: the block below it, else null."""
    following = lines[index][0] if index < len(lines) else -1
    if following > indent:
        if lines[index][1][:2] == "- ":
            return _block_sequence(lines, index, following, texts)
        return _block_mapping(lines, index, following, texts)
    if following == indent and lines[index][1][:2] == "- ":
        return _block_sequence(lines, index, indent, texts)  # a list need not be indented under its key
    return _taken(_scalar(""), texts), index


def _block_sequence(lines: list, start: int, indent: int, texts: list) -> tuple[list, int]:
    items: list = []
    index, count = start, len(lines)
    while index < count and lines[index][0] == indent and lines[index][1][:2] == "- ":
        content = lines[index][1]
        item = content[2:].lstrip(" ")
        if _KEY_LINE.fullmatch(item):
            # `- id: start` opens a mapping whose keys stand where `id` stands.
            lines[index] = (indent + len(content) - len(item), item)
            value, index = _block_mapping(lines, index, lines[index][0], texts)
            items.append(value)
            continue
        kind, value = _value(item)
        items.append(_taken(value, texts) if kind == _SCALAR else [_taken(part, texts) for part in value])
        index += 1
    if index < count and lines[index][0] > indent:
        raise _Declined
    return items, index


def _taken(value: tuple, texts: list):
    """The Python value of a read scalar, noting it among the texts when it is a string."""
    if value[1]:
        texts.append(value[0])
    return value[0]


def _key_line(content: str) -> tuple:
    match = _KEY_LINE.fullmatch(content)
    if match is None:
        raise _Declined
    # Any key this pattern allows is plain text to the builder, whatever its tag (`2017:`, `on:`).
    found = (match[1], _EMPTY, None) if match[2] is None else (match[1], *_value(match[2]))
    if len(_KNOWN_LINES) < _KNOWN_MAX:
        _KNOWN_LINES[content] = found
    return found


def _value(text: str) -> tuple:
    """(_SCALAR, (value, is text)) or (_FLOW, ((value, is text), …)) for the text after `key: `."""
    found = _KNOWN_VALUES.get(text)
    if found is None:
        found = (_FLOW, tuple(_flow_items(text))) if text[0] == "[" else (_SCALAR, _written(text))
        if len(_KNOWN_VALUES) < _KNOWN_MAX:
            _KNOWN_VALUES[text] = found
    return found


def _written(text: str) -> tuple:
    first = text[0]
    if first == '"' or first == "'":
        match = (_DOUBLE if first == '"' else _SINGLE).fullmatch(text)
        if match is None or match[1][:1] in CURLY:
            raise _Declined
        return match[1], True
    if _PLAIN.fullmatch(text) is None or ": " in text or text[-1] == ":":
        raise _Declined
    return _scalar(text)


def _flow_items(text: str) -> list:
    inner = text[1:-1]
    if text[-1] != "]":
        raise _Declined
    items: list = []
    position = 0
    while position < len(inner) and inner.strip(" "):
        match = _FLOW_ITEM.match(inner, position)
        if match is None or (match[4] == "," and match.end() == len(inner)):
            raise _Declined  # not an item, or a comma with nothing after it
        double, single, plain = match[1], match[2], match[3]
        if plain is not None:
            items.append(_scalar(plain))
        else:
            quoted = double if double is not None else single
            if quoted[:1] in CURLY:
                raise _Declined
            items.append((quoted, True))
        position = match.end()
    return items


def _scalar(text: str) -> tuple:
    """(value, is text) of a plain scalar, as the builder makes it when it reports nothing."""
    tag = Loader.plain_tag(text)
    if tag == STR:
        return text, True
    if tag == NULL:
        return None, False
    if tag == BOOL:
        lowered = text.lower()
        if lowered in YAML11_BOOLS or lowered not in SafeConstructor.bool_values:
            raise _Declined
        return SafeConstructor.bool_values[lowered], False
    node = ScalarNode(tag, text)
    try:
        if tag == INT or tag == FLOAT:
            value = _CONSTRUCTOR.construct_yaml_int(node) if tag == INT else _CONSTRUCTOR.construct_yaml_float(node)
            if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
                raise _Declined
            return value, False
        if tag == TIMESTAMP:
            return _CONSTRUCTOR.construct_yaml_timestamp(node), False
    except (ValueError, IndexError, AttributeError):
        raise _Declined from None
    raise _Declined  # a tag the builder refuses


# ---- positions, looked up when a message needs them -------------------------------------------

def _index_positions(source: str, first_line: int, plain: bool | None = None) -> tuple[dict, dict]:
    """(values, keys): the position of every value and key by key path, as the builder reads them.
    `plain`: whether the plain reader read `source` (None: find out)."""
    found = _plain_positions(source, first_line, plain)
    if found is not None:
        return found
    values: dict[KeyPath, Position] = {}
    keys: dict[KeyPath, Position] = {}
    try:
        node = yaml.compose(source, Loader=Loader)
    except (yaml.YAMLError, RecursionError):
        return values, keys
    if node is not None:
        _walk_positions(node, (), values, keys, set(), first_line)
    return values, keys


def _walk_positions(node, path: KeyPath, values: dict, keys: dict, visited: set, first_line: int) -> None:
    values[path] = _pos(node, first_line)
    if type(node) is ScalarNode or id(node) in visited:
        return
    visited.add(id(node))
    if type(node) is SequenceNode:
        for index, item in enumerate(node.value):
            _walk_positions(item, path + (index,), values, keys, visited, first_line)
        return
    for key_node, value_node in node.value:
        if type(key_node) is not ScalarNode or key_node.tag not in PLAIN_KEY_TAG_URIS:
            continue
        key_path = path + (str(key_node.value),)
        if key_path not in keys:
            keys[key_path] = _pos(key_node, first_line)
            _walk_positions(value_node, key_path, values, keys, visited, first_line)


class _PlainPositions:
    """Where each key and value of plain front matter is written, found as libyaml marks it: a
    mapping at its first key, a list at its first `-` or its `[`, a quoted text at its quote, an
    empty value just after its `:`. Only for text the plain reader reads (else libyaml answers)."""

    def __init__(self, source: str, first_line: int):
        self.first_line = first_line
        self.values: dict[KeyPath, Position] = {}
        self.keys: dict[KeyPath, Position] = {}
        self.rows = [(number, len(line) - len(line.lstrip(" ")), line.strip(" "))
                     for number, line in enumerate(source.split("\n")) if line.strip(" ")[:1] not in ("", "#")]

    def at(self, number: int, column: int) -> Position:
        return Position(number + self.first_line, column + 1)

    def mapping(self, start: int, indent: int, path: KeyPath) -> int:
        rows = self.rows
        self.values[path] = self.at(rows[start][0], indent)
        index = start
        while index < len(rows) and rows[index][1] == indent:
            number, _, content = rows[index]
            match = _KEY_LINE.fullmatch(content)
            assert match is not None  # the plain reader read this text
            key_path = path + (match[1],)
            self.keys[key_path] = self.at(number, indent)
            index += 1
            if match[2] is not None:
                self.value(match[2], number, indent + match.start(2), key_path)
                continue
            following = rows[index][1] if index < len(rows) else -1
            if following > indent or (following == indent and rows[index][2][:2] == "- "):
                block = self.sequence if rows[index][2][:2] == "- " else self.mapping
                index = block(index, following, key_path)
            else:
                self.values[key_path] = self.at(number, indent + len(match[1]) + 1)
        return index

    def sequence(self, start: int, indent: int, path: KeyPath) -> int:
        rows = self.rows
        self.values[path] = self.at(rows[start][0], indent)
        index, count = start, 0
        while index < len(rows) and rows[index][1] == indent and rows[index][2][:2] == "- ":
            number, _, content = rows[index]
            item = content[2:].lstrip(" ")
            column = indent + len(content) - len(item)
            if _KEY_LINE.fullmatch(item):
                rows[index] = (number, column, item)
                index = self.mapping(index, column, path + (count,))
            else:
                self.value(item, number, column, path + (count,))
                index += 1
            count += 1
        return index

    def value(self, text: str, number: int, column: int, path: KeyPath) -> None:
        self.values[path] = self.at(number, column)
        if text[0] != "[":
            return
        inner, position, count = text[1:-1], 0, 0
        while position < len(inner) and inner.strip(" "):
            match = _FLOW_ITEM.match(inner, position)
            assert match is not None  # the plain reader read this text
            group = next(group for group in (1, 2, 3) if match[group] is not None)
            start = match.start(group) - (group != 3)  # a quoted item starts at its quote
            self.values[path + (count,)] = self.at(number, column + 1 + start)
            position, count = match.end(), count + 1


def _plain_positions(source: str, first_line: int, plain: bool | None = None) -> tuple[dict, dict] | None:
    if plain is False or (plain is None and not _read_plain(source, Document())):
        return None
    found = _PlainPositions(source, first_line)
    found.mapping(0, 0, ())
    return found.values, found.keys
