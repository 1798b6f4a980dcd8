"""Render a CheckResult as text, json, github workflow commands or JUnit XML.

This is also the one place that writes a diagnostic as `path:line:col: CODE message`
(`diagnostic_line`), shows a path where the user stands (`display_path`) and makes student text
safe for a terminal (`printable`): check, build, serve, new and the importers all print through it,
so a fix here reaches every output.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click

from trialoog.checks import CheckResult
from trialoog.diagnostics import Diagnostic, relative_path
from trialoog.dutch import counted, long_date
from trialoog.portfolio.load import Student

FORMATS = ("text", "json", "github", "junit")
# Control characters and undecodable file-name bytes (surrogates) from student input: a terminal
# would run escape sequences, a line end would forge a message, XML 1.0 refuses them. Bidi
# overrides and isolates (and the marks) reorder what a reader sees, so a line can look like
# another file or code ("Trojan Source"); zero-width characters hide inside a key or id that then
# looks right and is not. Both are shown as escapes too.
UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, overrides, isolates
    "\u200b-\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, BOM
    "\u2028\u2029]"  # line and paragraph separators: a line break to editors and to splitlines()
)


def printable(text: str) -> str:
    """`text` with every unprintable character shown as an escape (\\x1b, \\xff for a bad byte, \\u202e)."""
    return UNPRINTABLE.sub(_escape_character, text) if UNPRINTABLE.search(text) else text


def printable_lines(text: str) -> str:
    """Like `printable`, but a message of several lines keeps its line breaks (and only those)."""
    return "\n".join(printable(line) for line in text.split("\n"))


def _escape_character(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_path(path: str, root: Path | str | None = None) -> str:
    """`path` as the user can open it from where they stand; always printable.

    `path` is relative to the cohort `root` (a Diagnostic's path) or absolute; it is shown
    relative to the working directory, unless that climbs two folders or more, where the
    absolute path is the shorter thing to read.
    """
    full = os.path.join(root, path) if root is not None and not os.path.isabs(path) else path
    try:
        relative = os.path.relpath(full)
    except ValueError:  # another drive (Windows)
        return printable(Path(full).as_posix())
    if relative.startswith(os.pardir + os.sep + os.pardir):
        return printable(Path(os.path.abspath(full)).as_posix())
    return printable(relative.replace(os.sep, "/"))


def diagnostic_line(d: Diagnostic, root: Path | str | None = None, color: bool = False, shown: str | None = None) -> str:
    """`path:line:col: CODE message`, the line that editors and CI parse; every output uses this one.

    `root` is the cohort root the diagnostic's path is relative to; `shown` replaces the displayed
    path where the reader is not at a terminal (a pull-request summary names repository paths).
    """
    path = display_path(d.path, root) if shown is None else printable(shown)
    return f"{path}:{_position(d)}: {_problem(d, color)}"


def diagnostic_lines(diagnostics: Iterable[Diagnostic], root: Path | str | None = None) -> str:
    """One diagnostic line each, for a message that lists them (an unusable portfolio.yml)."""
    return "\n".join(diagnostic_line(d, root) for d in diagnostics)


def diagnostic_markdown(d: Diagnostic, shown: str, text: Callable[[str], str], code: Callable[[str], str]) -> str:
    """The same line for Markdown (a pull-request summary): the location as code, so it stays whole.

    `text` and `code` escape what the caller's Markdown must not act on (a message quotes what a
    student wrote); the review module owns that escaping."""
    return f"{code(f'{printable(shown)}:{_position(d)}')} {d.code} {text(printable(d.message))}"


def _position(d: Diagnostic) -> str:
    return f"{d.line}:{d.column}"


def _problem(d: Diagnostic, color: bool = False) -> str:
    code = click.style(d.code, fg="red" if d.is_error else "yellow", bold=True) if color else d.code
    return f"{code} {printable(d.message)}"


def render(result: CheckResult, fmt: str, strict: bool = False, color: bool = False) -> str:
    return {"text": text, "json": as_json, "github": github, "junit": junit}[fmt](result, strict=strict, color=color)


def text(result: CheckResult, strict: bool = False, color: bool = False) -> str:
    lines = [diagnostic_line(d, result.cohort.root, color) for d in result.diagnostics]
    if lines:
        lines.append("")
    lines.extend(_student_summaries(result))
    lines.append(_total(result))
    return "\n".join(lines)


def _student_summaries(result: CheckResult) -> Iterator[str]:
    by_student: defaultdict[str | None, Counter[str]] = defaultdict(Counter)
    for d in result.diagnostics:
        by_student[d.student][d.severity.value] += 1
    for student in result.cohort.students:
        counts = by_student[student.id]
        progress = result.progress.get(student.id, [])
        due = [m for m in progress if m.is_due]
        met = sum(1 for m in due if m.met)
        yield (f"{printable(student.id)}: {counted(counts['error'], 'fout', 'fouten')}, "
               f"{counted(counts['warning'], 'waarschuwing', 'waarschuwingen')}; "
               f"mijlpalen op {long_date(result.as_of)}: {met} van {len(due)} gehaald, {len(progress) - len(due)} nog niet verschenen")


def _total(result: CheckResult) -> str:
    counts = Counter(d.severity.value for d in result.diagnostics)
    return (f"Totaal: {counted(len(result.cohort.students), 'student', 'studenten')}, "
            f"{counted(counts['error'], 'fout', 'fouten')}, {counted(counts['warning'], 'waarschuwing', 'waarschuwingen')}")


def as_json(result: CheckResult, strict: bool = False, color: bool = False) -> str:
    data = {
        "as_of": result.as_of.isoformat(),
        "diagnostics": [
            {"path": printable(d.path), "line": d.line, "column": d.column, "code": d.code,
             "severity": d.severity.value, "message": printable(d.message), "student": d.student and printable(d.student)}
            for d in result.diagnostics
        ],
        "students": [
            {"id": printable(student.id), "milestones": [m.as_json() for m in result.progress.get(student.id, [])]}
            for student in result.cohort.students
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: CheckResult, strict: bool = False, color: bool = False) -> str:
    lines = []
    for d in result.diagnostics:
        level = "error" if d.is_error or strict else "warning"
        props = f"file={_escape_property(display_path(d.path, result.cohort.root))},line={d.line},col={d.column},title={_escape_property(d.code)}"
        lines.append(f"::{level} {props}::{_escape_data(d.code + ' ' + printable(d.message))}")
    lines.append(_total(result))
    return "\n".join(lines)


def junit(result: CheckResult, strict: bool = False, color: bool = False) -> str:
    root = ET.Element("testsuites", name="trialoog check")
    by_file: defaultdict[str, list[Diagnostic]] = defaultdict(list)
    for d in result.diagnostics:
        by_file[d.path].append(d)
    for student in result.cohort.students:
        suite = ET.SubElement(root, "testsuite", name=printable(student.id))
        cases = _file_cases(student, by_file, strict, result.cohort.root) + _milestone_cases(student, result, strict)
        for case in cases:
            suite.append(case)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for case in cases if case.find("failure") is not None)))
        suite.set("errors", "0")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _file_cases(student: Student, by_file: dict[str, list[Diagnostic]], strict: bool, root: Path) -> list[ET.Element]:
    folder = relative_path(student.folder, root)
    paths = sorted({f"{folder}/{relative}" for relative in student.files if relative.lower().endswith(".md")}
                   | {p for p, ds in by_file.items() if ds[0].student == student.id})
    cases = []
    for path in paths:
        case = ET.Element("testcase", classname=printable(student.id), name=display_path(path, root))
        problems = by_file.get(path, [])
        failing = [d for d in problems if d.is_error or strict]
        # The test case names the file, so each line starts at the line number.
        report = "\n".join(f"{_position(d)}: {_problem(d)}" for d in problems)
        if failing:
            failure = ET.SubElement(case, "failure", message=printable(failing[0].message), type=failing[0].code)
            failure.text = report
        elif problems:
            ET.SubElement(case, "system-out").text = report
        cases.append(case)
    return cases


def _milestone_cases(student: Student, result: CheckResult, strict: bool) -> list[ET.Element]:
    cases = []
    for progress in result.progress.get(student.id, []):
        case = ET.Element("testcase", classname=f"{printable(student.id)}.mijlpalen", name=printable(f"{progress.title} ({long_date(progress.due)})"))
        report = "\n".join(progress.describe(r) for r in progress.requirements)
        if progress.is_due and not progress.met and strict:
            ET.SubElement(case, "failure", message="mijlpaal niet gehaald", type="MS001").text = report
        else:
            ET.SubElement(case, "system-out").text = report
        cases.append(case)
    return cases

