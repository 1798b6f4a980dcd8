"""One diagnostic formatter: stable paths, one `path:line:col: CODE message`, and student text made harmless.

A Diagnostic's path is relative to the cohort root, so `--format json` is the same wherever the
user stands; text, github and junit show the path from the working directory. Whatever a student
wrote (terminal escapes, bidi overrides, zero-width characters) is escaped in every output,
build's included, because all of them print through trialoog.output.formats.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from trialoog.cli import main
from trialoog.diagnostics import Diagnostic, located
from trialoog.output.formats import diagnostic_line, display_path, printable, printable_lines
from trialoog.site.build import build_cohort

from conftest import REPO, STUDENT

# A terminal escape (clear the screen), a right-to-left override and a zero-width space.
HOSTILE = "\x1b[2J\u202e\u200b"
ESCAPED = "\\x1b[2J\\u202e\\u200b"
IN_YAML = ESCAPED  # YAML refuses a raw escape character; a double-quoted string spells it like this
RAW = ("\x1b", "\u202e", "\u200b")


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture
def hostile(cohort, monkeypatch):
    """An unknown key and a duplicate title, both carrying the three hostile characters."""
    cohort.entry("reflecties/tweede.md", f'type: reflection\ntitle: "Eerste week"\ndate: 2017-10-01\n"sleutel{IN_YAML}": 1')
    cohort.entry("reflecties/derde.md", f'type: reflection\ntitle: "Titel{IN_YAML}"\ndate: 2017-10-02')
    cohort.entry("reflecties/vierde.md", f'type: reflection\ntitle: "Titel{IN_YAML}"\ndate: 2017-10-03')
    monkeypatch.chdir(cohort.root.parent)
    return cohort


def assert_escaped(output: str):
    assert not any(character in output for character in RAW), output
    assert f"sleutel{ESCAPED}" in output and f"Titel{ESCAPED}" in output


@pytest.mark.parametrize("character, shown", [
    ("\x1b", "\\x1b"), ("\u202a", "\\u202a"), ("\u202e", "\\u202e"), ("\u2066", "\\u2066"), ("\u2069", "\\u2069"),
    ("\u200b", "\\u200b"), ("\u200c", "\\u200c"), ("\u200d", "\\u200d"), ("\u2060", "\\u2060"), ("\ufeff", "\\ufeff"),
    ("\u2028", "\\u2028"), ("\u2029", "\\u2029"),
])
def test_printable_escapes_controls_bidi_and_zero_width(character, shown):
    assert printable(f"a{character}b") == f"a{shown}b"


def test_printable_keeps_dutch_and_is_idempotent():
    text = "één — ‘café’ “ok” ✓"
    assert printable(text) == text
    assert printable(printable(HOSTILE)) == ESCAPED


def test_diagnostic_path_is_relative_to_the_cohort_root(cohort, tmp_path):
    root = cohort.root.resolve()
    d = Diagnostic(str(root / STUDENT / "index.md"), 3, 1, "SC003", "m")
    outside = Diagnostic(str(tmp_path / "kader.yml"), 1, 1, "CF001", "m")
    assert [x.path for x in located([d, outside], root)] == [f"{STUDENT}/index.md", (tmp_path / "kader.yml").as_posix()]


def test_display_path_is_from_where_the_user_stands(cohort, monkeypatch):
    root = cohort.root.resolve()
    monkeypatch.chdir(root.parent)
    assert display_path(f"{STUDENT}/index.md", root) == f"cohorte/{STUDENT}/index.md"
    monkeypatch.chdir(root / STUDENT)
    assert display_path(f"{STUDENT}/index.md", root) == "index.md"
    d = Diagnostic(f"{STUDENT}/index.md", 3, 7, "SC003", f"onbekende sleutel '{HOSTILE}'")
    assert diagnostic_line(d, root) == f"index.md:3:7: SC003 onbekende sleutel '{ESCAPED}'"


def test_json_paths_are_the_same_from_every_working_directory(hostile, monkeypatch):
    first = json.loads(run("check", "cohorte", "--format", "json").stdout)["diagnostics"]
    monkeypatch.chdir(hostile.root / STUDENT / "reflecties")
    second = json.loads(run("check", "../..", "--format", "json").stdout)["diagnostics"]
    assert first == second
    assert f"{STUDENT}/reflecties/tweede.md" in {d["path"] for d in first}


def test_text_and_github_paths_are_from_where_the_user_stands(hostile, monkeypatch):
    assert f"cohorte/{STUDENT}/reflecties/tweede.md:" in run("check", "cohorte").stdout
    monkeypatch.chdir(hostile.root / STUDENT)
    assert run("check", "..").stdout.startswith("reflecties/")
    assert "file=reflecties/tweede.md," in run("check", "..", "--format", "github").stdout


@pytest.mark.parametrize("fmt", ["text", "json", "github", "junit"])
def test_check_escapes_a_hostile_key_and_title(hostile, fmt):
    output = run("check", "cohorte", "--format", fmt).stdout
    if fmt == "json":  # json.dumps would write \u001b itself; look at what a reader gets
        output = "\n".join(d["message"] for d in json.loads(output)["diagnostics"])
    if fmt == "junit":
        output = "".join(ET.fromstring(output).itertext())
    assert_escaped(output)


def test_build_escapes_a_hostile_key(hostile, tmp_path):
    lines: list[str] = []
    summary = build_cohort(hostile.root, tmp_path / "site", echo=lines.append)
    output = "\n".join(lines)
    assert summary.skipped == [] and summary.incomplete == [STUDENT]  # built, without the broken entry
    assert not any(character in output for character in RAW), output
    assert f"cohorte/{STUDENT}/reflecties/tweede.md:5:1: SC003 onbekende sleutel 'sleutel{ESCAPED}'" in output


def test_build_serve_check_and_new_print_a_broken_config_the_same_way(cohort, monkeypatch, tmp_path):
    cohort.config(f'"sleutel{IN_YAML}": 1\n')
    monkeypatch.chdir(cohort.root.parent)
    checked = run("check", "cohorte")
    assert checked.exit_code == 2
    line = next(line for line in checked.stderr.splitlines() if ": SC003 " in line)
    assert line.startswith("cohorte/portfolio.yml:") and ESCAPED in line
    built = run("build", "cohorte", "--out", str(tmp_path / "site"))
    served = run("serve", "cohorte", "--port", "0")
    created = run("new", "reflection", "Rekenles", "--student", STUDENT, "--path", "cohorte")
    for result in (built, served, created):
        assert result.exit_code == 2
        assert line in result.stderr.splitlines()


def test_only_the_formatter_writes_line_and_column():
    """`path:line:col` is formatted in one place; a second copy is how five formats drifted apart."""
    package = REPO / "generator" / "trialoog"
    pattern = re.compile(r"\{[\w.()]*line\}:\{[\w.()]*col(umn)?\}")
    found = sorted(path.relative_to(package).as_posix() for path in package.rglob("*.py") if pattern.search(path.read_text(encoding="utf-8")))
    assert found == ["output/formats.py"]


def test_printable_lines_keeps_only_the_line_breaks():
    assert printable_lines(f"eerste{HOSTILE}\ntweede\r") == f"eerste{ESCAPED}\ntweede\\x0d"


def test_framework_import_escapes_the_file_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "kader\u202e.csv"
    source.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["framework", "import", str(source), "-o", "uit.yml"])
    assert result.exit_code == 1 and "\u202e" not in result.output and "\\u202e" in result.output
