"""The plain front matter reader makes exactly what libyaml and the builder make, or declines.

`frontmatter._read_plain` reads plain `key: value` text without libyaml; a document read through
it must equal the document read through libyaml alone: data (compared by repr, so 1, 1.0 and True
differ), texts, problems, body. The texts compared are built at random from lines that are plain,
tricky or plainly not YAML the reader knows, and taken from the example cohort, the fixtures, the
frameworks and the synthetic cohort.
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest
import yaml
from conftest import EXAMPLE, FIXTURES, REPO

from trialoog.portfolio import frontmatter
from trialoog.portfolio.frontmatter import Document, read_document, read_yaml

KEYS = ["type", "title", "date", "competences", "tags", "FG1", "mentor-an", "a.b", "x_y", "2017", "on", "yes", "null",
        "true", "é", "self", "id", "due", "require", "name"]
SCALARS = ['"Reflectie 1"', '""', '" spaties "', '"a: b # c"', "'enkel'", "''", "'it''s'", '"esc\\"aped"', '"“gekruld”"',
           "“gekruld”", "2017-09-08", "2017-02-30", "2017-9-8", "12:30", "1:30:00", "42", "0x1F", "0o17", "017", "1_000",
           "3.5", ".5", "1e3", "1.0e+3", ".inf", ".NaN", "true", "False", "yes", "No", "on", "off", "y", "n", "~", "null",
           "Null", "werkplekleren", "lager onderwijs", "a  b", "a:b", "http://x.be/a?b=c", "a: b", "a:", "a #b", "a#b",
           "#x", "-", "--", "+-", "-5", "+5", "?x", "!tag", "!!str x", "&anker x", "*alias", "|", ">", "%x", "@x", "`x",
           "(a)", "a (b)", "a [b]", "a, b", "{a: b}", "{}", "x'y", 'x"y', "./pad.md", "../x.jpg", "9" * 90, "0x" + "f" * 90,
           "å", "a\u00a0", "\u00a0a", "a\u2028b", "a\u0085b", "a\ufeffb", "a\x07", "a\x7f", "..."]
ITEMS = ["FG1", "FG1.1", "BH5", "leerdoelen/goal-002", "mentor-an", "evidence-009.jpg", "Muzische vorming", "a  b", "1",
         "2017-09-08", "yes", "true", "~", '"a, b"', "'c'", '""', "a:b", "a: b", "#x", "-x", "[x]", "{x}", "x y z", ".5", "é"]
STARTS = ["", "", "", "", "  ", "    ", " ", "\t", "- ", "  - ", "-   ", "# ", "  # "]


def flow(rng: random.Random) -> str:
    items = [rng.choice(ITEMS) for _ in range(rng.randint(0, 4))]
    separator = rng.choice([", ", ",", " , ", ",  "])
    return "[" + rng.choice(["", "", " "]) + separator.join(items) + rng.choice(["", "", " ", ","]) + "]"


def line(rng: random.Random, weird: bool) -> str:
    start = rng.choice(STARTS) if weird else rng.choice(["", "", "", "  ", "  - ", "- ", "    "])
    roll = rng.random()
    if roll < 0.12:
        return start + rng.choice(KEYS) + ":"
    value = flow(rng) if roll < 0.35 else rng.choice(SCALARS)
    if not weird and value.count(":") + value.count("#") + value.count("&") + value.count("*"):
        value = rng.choice(['"tekst"', "2017-10-02", "[FG1, BH2]", "woord", "3"])
    text = start + (rng.choice(KEYS) + rng.choice([": ", ":  ", ":", " : "]) if roll < 0.9 else "") + value
    return text + (rng.choice(["", "", " ", "  # opmerking"]) if weird else "")


PLAIN_VALUES = ['"Reflectie 1"', '""', "'enkel'", "2017-09-08", "42", "3.5", "true", "werkplekleren", "lager onderwijs",
                "a:b", "./pad.md", "x'y", "(a)", "å", "[FG1, BH5]", "[]", '["a, b", c]', "[Muzische vorming]", "[1, 2017-09-08]"]


def block(rng: random.Random, indent: int, depth: int) -> list[str]:
    """Lines of a block mapping as students and portfolio.yml write them, nested up to `depth`."""
    lines = []
    for key in rng.sample(KEYS, rng.randint(1, 5)):
        roll = rng.random()
        if depth and roll < 0.15:
            lines += [" " * indent + key + ":"] + block(rng, indent + rng.choice([2, 4]), depth - 1)
        elif depth and roll < 0.3:
            inner = indent + rng.choice([0, 2])
            lines.append(" " * indent + key + ":")
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.4:
                    item = block(rng, inner + 2, depth - 1)
                    lines += [" " * inner + "- " + item[0].lstrip(" ")] + item[1:]
                else:
                    lines.append(" " * inner + "- " + rng.choice(PLAIN_VALUES))
        else:
            lines.append(" " * indent + key + ": " + (rng.choice(PLAIN_VALUES) if roll < 0.9 else flow(rng)))
        if rng.random() < 0.1:
            lines.append(rng.choice(["", "# opmerking", "   # ingesprongen opmerking", "  "]))
    return lines


def source(rng: random.Random, weird: bool) -> str:
    if not weird:
        return "\n".join(block(rng, 0, 2)) + rng.choice(["", "\n", "\n\n"])
    lines = [line(rng, weird) for _ in range(rng.randint(1, 10))]
    if not lines[0].startswith(" ") and rng.random() < 0.5:
        lines[0] = "type: reflection"
    return "\n".join(lines) + rng.choice(["", "\n", "\n\n"])


def answered(text: str) -> bool:
    """Whether the plain reader reads `text` (rather than leaving it to libyaml)."""
    return frontmatter._read_plain(text, Document())


def slow(monkeypatch, read, raw: bytes):
    with monkeypatch.context() as patched:
        patched.setattr(frontmatter, "_read_plain", lambda text, doc: False)
        return read(raw)


def same(first, second) -> bool:
    fields = ("texts", "problems", "body", "body_line", "source", "yaml_line")
    return repr(first.data) == repr(second.data) and all(getattr(first, name) == getattr(second, name) for name in fields)


@pytest.mark.parametrize("seed", range(8))
def test_the_plain_reader_reads_what_libyaml_reads(seed, monkeypatch):
    rng = random.Random(seed)
    plain = 0
    for number in range(400):
        text = source(rng, weird=bool(number % 2))
        plain += answered(text)
        raw = ("---\n" + text + "\n---\n\nTekst.\n").encode("utf-8")
        assert same(read_document(raw), slow(monkeypatch, read_document, raw)), text
    assert plain > 60  # the comparison is about texts the reader answers, not only its refusals


@pytest.mark.parametrize("text", [
    "type: reflection\ntitle: \"Eerste week\"\ndate: 2017-09-08\ncompetences: [FG1, FG1.1]\n",
    "school:\n  name: \"De Regenboog\"\n  city: Mechelen\nmentors: [mentor-an]\n",
    "scores:\n  FG1:\n    self: \"+\"\n    mentor: \"--\"\n  BH2:\n    self: \"++\"\n",
    "milestones:\n  - id: start\n    due: 2017-10-15\n  - id: eind\n",
    "tags:\n- a\n- \"b\"\nnext: 3\n",
    "# opmerking\ntype: task\n\n   # nog een\ncourse: Wiskunde\nempty:\nlist: []\n",
    "type: task  \n\ntitle: \"Plat\"   \ntags: [a, b]  \nempty:\nlast: 3",
])
def test_plain_front_matter_is_read_without_libyaml(text, monkeypatch):
    assert answered(text)
    expected = slow(monkeypatch, read_yaml, text.encode("utf-8"))
    monkeypatch.setattr(yaml, "compose", lambda *args, **kwargs: pytest.fail("libyaml used"))
    assert same(read_yaml(text.encode("utf-8")), expected)


@pytest.mark.parametrize("text", [
    "title: a # opmerking", "title: |\n  tekst", "title: >\n  tekst", "title: {a: b}", "title: &a x\nb: *a", "title: !!str 3",
    "title: 'it''s'", 'title: "a\\nb"', "title: a\n  vervolg", "  type: x", "type:x", "type : x", "- a", "title: a: b",
    "title:\ttab", "title: a\u2028b", "title: \ufeffa", "tags: [a, ]", "tags: [a\n  , b]", "title: -", "title: ~",
])
def test_what_the_plain_reader_does_not_know_goes_to_libyaml(text):
    assert not answered(text)


@pytest.mark.parametrize("text", [
    "type: x\ntype: y", "title: “gekruld”", "done: yes", "date: 2017-02-30", "n: 0x" + "f" * 90, "!!python/object: x",
    "tags: [\"„a\", b]", "a:\n  b: 1\n  b: 2",
])
def test_a_problem_is_reported_by_libyaml_with_its_position(text, monkeypatch):
    assert not answered(text)
    raw = ("---\n" + text + "\n---\n").encode("utf-8")
    found = read_document(raw)
    assert found.problems and all(problem.position.line >= 2 for problem in found.problems)
    assert same(found, slow(monkeypatch, read_document, raw))


def _synthetic_cohort(root: Path) -> Path:
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    return synthetic.generate(root, students=3, entries=60, seed=7)


def test_every_stored_file_reads_the_same_both_ways(tmp_path, monkeypatch):
    folders = [EXAMPLE, FIXTURES, REPO / "generator" / "trialoog" / "portfolio" / "frameworks", _synthetic_cohort(tmp_path / "c")]
    paths = [path for folder in folders for path in sorted(folder.rglob("*")) if path.suffix in (".md", ".yml", ".yaml")]
    plain = 0
    for path in paths:
        read = read_document if path.suffix == ".md" else read_yaml
        found = read(path.read_bytes())
        assert same(found, slow(monkeypatch, read, path.read_bytes())), path
        plain += answered(found.source)
    assert plain > len(paths) / 2


def _libyaml_positions(monkeypatch, text: str, first_line: int = 2):
    with monkeypatch.context() as patched:
        patched.setattr(frontmatter, "_plain_positions", lambda source, line, plain=None: None)
        return frontmatter._index_positions(text, first_line)


@pytest.mark.parametrize("seed", range(4))
def test_positions_of_plain_front_matter_are_libyamls_marks(seed, monkeypatch):
    rng = random.Random(100 + seed)
    plain = 0
    for number in range(400):
        text = source(rng, weird=bool(number % 2))
        plain += frontmatter._plain_positions(text, 2) is not None
        assert frontmatter._index_positions(text, 2) == _libyaml_positions(monkeypatch, text), text
    assert plain > 60


def test_positions_of_lists_quotes_and_empty_values(monkeypatch):
    text = 'a:\nb:   \nc: [ x ,  "y", é z]\nd:\n- 1\n- id: q\n  r: s\ne:\n    - t\nf:\n  g: h\ni: \'q\'\nk: [𝒳, w]\n'
    values, keys = frontmatter._index_positions(text, 2)
    assert frontmatter._plain_positions(text, 2) is not None
    assert (values, keys) == _libyaml_positions(monkeypatch, text)
    assert values[("c", 2)] == frontmatter.Position(4, 16) and values[("b",)] == frontmatter.Position(3, 3)
    assert values[("d",)] == frontmatter.Position(6, 1) and values[("k", 1)] == frontmatter.Position(14, 8)
