"""The front-matter reader, yamllint-style: each case a source and the expected (code, line, column)."""

from __future__ import annotations

import datetime as dt

import pytest

from trialoog import rules
from trialoog.portfolio.frontmatter import read_document


def problems(raw: bytes | str, **options) -> list[tuple[str, int, int]]:
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    doc = read_document(raw, **options)
    return [(p.code, p.position.line, p.position.column) for p in doc.problems]


VALID = [
    ("plain", "---\ntitle: Eerste week\ndate: 2017-09-08\n---\nTekst\n"),
    ("bom", "\ufeff---\ntitle: Eerste week\n---\nTekst\n"),
    ("crlf", "---\r\ntitle: Eerste week\r\ndate: 2017-09-08\r\n---\r\nTekst\r\n"),
    ("bom and crlf", "\ufeff---\r\ntitle: Eerste week\r\n---\r\n"),
    ("old mac cr", "---\rtitle: Eerste week\r---\rTekst"),
    ("closing dots", "---\ntitle: Eerste week\n...\nTekst\n"),
    ("empty front matter", "---\n---\nTekst\n"),
    ("quoted no", '---\nstatus: "no"\n---\n'),
    ("true is fine", "---\ndraft: true\n---\n"),
    ("straight quotes", '---\ntitle: "Mijn dag"\n---\n'),
    ("curly quote inside", "---\ntitle: De ‘juf’ en ik\n---\n"),
    ("hash in quotes", '---\ntitle: "Les #3"\n---\n'),
]


@pytest.mark.parametrize("source", [source for _, source in VALID], ids=[name for name, _ in VALID])
def test_valid_input_has_no_problems(source):
    assert problems(source) == []


def test_bom_and_crlf_keep_values_and_positions():
    doc = read_document("\ufeff---\r\ntitle: Eerste week\r\ndate: 2017-09-08\r\n---\r\nTekst\r\n".encode())
    assert doc.data == {"title": "Eerste week", "date": dt.date(2017, 9, 8)}
    assert doc.body == "Tekst\n"
    assert doc.body_line == 5
    assert (doc.values[("date",)].line, doc.values[("date",)].column) == (3, 7)
    assert doc.keys[("date",)].line == 3


def test_positions_of_nested_values():
    doc = read_document(b"---\nschool:\n  name: De Regenboog\ncompetences:\n  - FG1\n  - FG3\n---\n")
    assert doc.position(("school", "name")).line == 3
    assert doc.position(("competences", 1)) .line == 6
    assert doc.position(("competences", 1)).column == 5
    assert doc.position(("missing", "deeper")).line == 1


CASES = [
    # (name, source, [(code, line, column)])
    ("empty file", "", [(rules.EMPTY_FILE, 1, 1)]),
    ("only whitespace", " \n\n\t\n", [(rules.EMPTY_FILE, 1, 1)]),
    ("no front matter", "# Titel\n\nTekst\n", [(rules.NO_FRONT_MATTER, 1, 1)]),
    ("front matter not first", "\n---\ntitle: a\n---\n", [(rules.NO_FRONT_MATTER, 1, 1)]),
    ("unclosed", "---\ntitle: Eerste week\ndate: 2017-09-08\n\nTekst\n", [(rules.UNCLOSED_FRONT_MATTER, 1, 1)]),
    ("invalid yaml", "---\ntitle: Mijn: eerste dag\n---\n", [(rules.YAML_SYNTAX, 2, 12)]),
    ("unclosed quote", '---\ntitle: "Mijn dag\ndate: 2017-09-08\n---\n', [(rules.YAML_SYNTAX, 3, 17)]),
    ("bad indentation", "---\ntitle: a\n  date: 2017-09-08\n---\n", [(rules.YAML_SYNTAX, 3, 7)]),
    ("tab indentation", "---\nschool:\n\tcity: Gent\n---\n", [(rules.TABS, 3, 1)]),
    ("tab after spaces", "---\nschool:\n  \tcity: Gent\n---\n", [(rules.TABS, 3, 3)]),
    ("two tab lines", "---\na:\n\tb: 1\n\tc: 2\n---\n", [(rules.TABS, 3, 1), (rules.TABS, 4, 1)]),
    ("list, not mapping", "---\n- een\n- twee\n---\n", [(rules.NOT_A_MAPPING, 2, 1)]),
    ("scalar, not mapping", "---\nzomaar tekst\n---\n", [(rules.NOT_A_MAPPING, 2, 1)]),
    ("anchor and alias", "---\na: &x [FG1]\nb: *x\n---\n", [(rules.ALIAS, 2, 4)]),
    ("merge key", "---\na: {x: 1}\n<<: {y: 2}\n---\n", [(rules.ALIAS, 3, 1)]),
    ("duplicate key", "---\ntitle: a\ndate: 2017-09-08\ntitle: b\n---\n", [(rules.DUPLICATE_KEY, 4, 1)]),
    ("duplicate nested key", "---\nschool:\n  name: a\n  name: b\n---\n", [(rules.DUPLICATE_KEY, 4, 3)]),
    ("python object tag", "---\ntitle: !!python/object/apply:os.system [ls]\n---\n", [(rules.UNSAFE_TAG, 2, 8)]),
    ("python name tag", "---\ntitle: !!python/name:os.system\n---\n", [(rules.UNSAFE_TAG, 2, 8)]),
    ("python tag on a key", "---\n!!python/object:os.system a: 1\n---\n", [(rules.UNSAFE_TAG, 2, 1)]),
    ("set tag", "---\na: !!set {x, y}\n---\n", [(rules.UNSAFE_TAG, 2, 4)]),
    ("binary tag", "---\na: !!binary aGVsbG8=\n---\n", [(rules.UNSAFE_TAG, 2, 4)]),
    ("local tag", "---\na: !foto bar\n---\n", [(rules.UNSAFE_TAG, 2, 4)]),
    ("impossible date", "---\ndate: 2017-02-30\n---\n", [(rules.BAD_DATE, 2, 7)]),
    ("month 13", "---\ndate: 2017-13-01\n---\n", [(rules.BAD_DATE, 2, 7)]),
    ("impossible date in list", "---\nsignoff:\n  - date: 2018-04-31\n---\n", [(rules.BAD_DATE, 3, 11)]),
    ("status: no", "---\nstatus: no\n---\n", [(rules.YAML11_BOOL, 2, 9)]),
    ("consent: yes", "---\nconsent: yes\n---\n", [(rules.YAML11_BOOL, 2, 10)]),
    ("curly quotes from Word", "---\ntitle: “Mijn eerste dag”\n---\n", [(rules.CURLY_QUOTES, 2, 8)]),
    ("low curly quote", "---\ntitle: „Mijn eerste dag”\n---\n", [(rules.CURLY_QUOTES, 2, 8)]),
    ("explicit int tag with text", "---\na: !!int x\n---\n", [(rules.YAML_SYNTAX, 2, 4)]),
    ("explicit float tag with text", "---\na: !!float x\n---\n", [(rules.YAML_SYNTAX, 2, 4)]),
    ("explicit bool tag with text", "---\na: !!bool x\n---\n", [(rules.YAML_SYNTAX, 2, 4)]),
    ("explicit timestamp tag with text", "---\na: !!timestamp x\n---\n", [(rules.BAD_DATE, 2, 4)]),
    ("explicit int tag on empty text", "---\na: !!int \"\"\n---\n", [(rules.YAML_SYNTAX, 2, 4)]),
    ("integer too long", "---\nwellbeing: " + "1" * 5000 + "\n---\n", [(rules.YAML_SYNTAX, 2, 12)]),
    # Built without Python's digit limit, which struck later, when check or build printed it.
    ("hexadecimal integer too long", "---\ntitle: 0x" + "f" * 5000 + "\n---\n", [(rules.YAML_SYNTAX, 2, 8)]),
    ("octal integer too long", "---\ntitle: 0" + "7" * 5000 + "\n---\n", [(rules.YAML_SYNTAX, 2, 8)]),
    ("sexagesimal integer too long", "---\ntitle: " + ":".join(["59"] * 3000) + "\n---\n", [(rules.YAML_SYNTAX, 2, 8)]),
    ("NUL byte", "---\ntitle: a\x00b\n---\n", [(rules.YAML_SYNTAX, 2, 9)]),
    ("nested too deep", "---\na: " + "[" * 3000 + "]" * 3000 + "\n---\n", [(rules.YAML_SYNTAX, 2, 1003)]),
]


@pytest.mark.parametrize("source, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_problem_code_and_position(source, expected):
    assert problems(source) == expected


def test_every_message_is_dutch_and_names_the_fix():
    doc = read_document(b"---\nstatus: no\ntitle: \xe2\x80\x9cx\xe2\x80\x9d\n---\n")
    assert "\"no\"" in doc.problems[0].message and "aanhalingstekens" in doc.problems[0].message
    assert "rechte" in doc.problems[1].message


def test_yaml_1_1_bool_still_gives_the_value():
    assert read_document(b"---\nstatus: no\n---\n").data == {"status": False}


def test_not_utf8_says_save_as_utf8():
    doc = read_document("---\ntitle: Café\n---\n".encode("cp1252"))
    assert [(p.code, p.position.line, p.position.column) for p in doc.problems] == [(rules.NOT_UTF8, 2, 11)]
    assert "UTF-8" in doc.problems[0].message and "bewaar" in doc.problems[0].message
    assert doc.data is None


def test_utf16_is_not_utf8():
    assert problems("---\ntitle: a\n---\n".encode("utf-16")) == [(rules.NOT_UTF8, 1, 1)]


def test_too_large_with_configurable_limit():
    source = b"---\ntitle: a\n---\n" + b"x" * 100
    assert problems(source, max_bytes=50) == [(rules.TOO_LARGE, 1, 1)]
    assert problems(source, max_bytes=len(source)) == []


def test_too_large_default_is_one_megabyte():
    source = b"---\ntitle: a\n---\n" + b"x" * 1_000_001
    doc = read_document(source)
    assert [p.code for p in doc.problems] == [rules.TOO_LARGE]
    assert "1.0 MB" in doc.problems[0].message


def test_billion_laughs_is_refused_before_expansion():
    bomb = ["---", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    bomb.append("---\n")
    doc = read_document("\n".join(bomb).encode())
    assert doc.data is None
    assert [p.code for p in doc.problems] == [rules.ALIAS]  # one mistake, one message
    assert "en nog 80 ankers of aliassen" in doc.problems[0].message
    assert (doc.problems[0].position.line, doc.problems[0].position.column) == (2, 4)


def test_object_tags_are_never_executed(tmp_path):
    marker = tmp_path / "pwned"
    for tag in ("!!python/object/apply:os.system", "!!python/object/apply:subprocess.call"):
        command = f"[touch {marker}]" if "os.system" in tag else f"[[touch, {marker}]]"
        doc = read_document(f"---\ntitle: {tag} {command}\n---\n".encode())
        assert [p.code for p in doc.problems] == [rules.UNSAFE_TAG]
        assert doc.data == {"title": None}
    doc = read_document(f"---\n? !!python/object/apply:os.system [touch {marker}]\n: 1\n---\n".encode())
    assert doc.problems
    assert not marker.exists()


def test_unclosed_keeps_no_data_and_body():
    doc = read_document(b"---\ntitle: a\n\nTekst\n")
    assert doc.data is None


def test_no_front_matter_keeps_body():
    doc = read_document(b"# Titel\n")
    assert doc.data is None and doc.body == "# Titel\n"


def test_body_line_counts_front_matter():
    doc = read_document(b"---\ntitle: a\ndate: 2017-09-08\n---\n\n[link](x.md)\n")
    assert doc.body_line == 5
    assert doc.body.split("\n")[1] == "[link](x.md)"


def test_texts_are_every_string_value_in_order():
    doc = read_document(b"---\ntitle: a\ntags: [b, 3, c]\nschool: {name: d}\ntitle: dubbel\nx: !!python/name:os x\n---\n")
    assert doc.texts == ["a", "b", "c", "d"]
