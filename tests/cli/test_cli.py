"""`trialoog` on the command line: every format of `check`, exit codes, colour, report and framework."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from trialoog.cli import main, use_color

from conftest import FIXTURES, STUDENT

ESC = "\x1b["


@pytest.fixture
def broken(cohort, monkeypatch):
    """Two students: one error and one warning in jan-peeters, an unmet milestone for piet-claes."""
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\ncompetences: [FG11]\nmodel: “vrij”")
    cohort.write("piet-claes/index.md", "---\ntype: profile\nname: Piet\nprogram: kleuter\n---\n")
    monkeypatch.chdir(cohort.root.parent)
    return cohort


def run(*args, env=None):
    return CliRunner().invoke(main, [str(arg) for arg in args], env=env, catch_exceptions=False)


EXPECTED_TEXT = """\
cohorte/jan-peeters/reflecties/tweede.md:5:15: RF001 onbekende competentie 'FG11' — bedoel je 'FG1'?
cohorte/jan-peeters/reflecties/tweede.md:6:8: FM014 gekrulde aanhalingstekens (uit Word?) horen bij de tekst; gebruik rechte `"`
cohorte/piet-claes/index.md:1:1: MS001 mijlpaal 'Goed gestart': 0 van de 1 reflecties vóór 15 oktober 2017

jan-peeters: 1 fout, 1 waarschuwing; mijlpalen op 15 maart 2018: 1 van 1 gehaald, 0 nog niet verschenen
piet-claes: 0 fouten, 1 waarschuwing; mijlpalen op 15 maart 2018: 0 van 1 gehaald, 0 nog niet verschenen
Totaal: 2 studenten, 1 fout, 2 waarschuwingen
"""


def test_text_output_is_exact(broken):
    result = run("check", "cohorte")
    assert (result.exit_code, result.stdout) == (1, EXPECTED_TEXT)


def test_text_paths_are_relative_to_where_the_user_stands(broken, monkeypatch):
    monkeypatch.chdir(broken.root / STUDENT)
    first = run("check", "..").stdout.splitlines()[0]
    assert first.startswith("reflecties/tweede.md:5:15: RF001 ")


def test_clean_cohort_exits_0(cohort, monkeypatch):
    monkeypatch.chdir(cohort.root.parent)
    result = run("check", "cohorte")
    assert (result.exit_code, result.stdout) == (0, "jan-peeters: 0 fouten, 0 waarschuwingen; mijlpalen op 15 maart 2018: "
                                                     "1 van 1 gehaald, 0 nog niet verschenen\nTotaal: 1 student, 0 fouten, 0 waarschuwingen\n")


def test_warnings_exit_0_unless_strict(broken):
    assert run("check", "cohorte", "--student", "piet-claes").exit_code == 0
    assert run("check", "cohorte", "--student", "piet-claes", "--strict").exit_code == 1


def test_student_option_checks_one_student(broken):
    result = run("check", "cohorte", "--student", "piet-claes")
    assert "jan-peeters" not in result.stdout
    assert result.stdout.endswith("Totaal: 1 student, 0 fouten, 1 waarschuwing\n")


def test_json(broken):
    result = run("check", "cohorte", "--format", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert data["diagnostics"][0] == {
        "path": "jan-peeters/reflecties/tweede.md", "line": 5, "column": 15, "code": "RF001",
        "severity": "error", "message": "onbekende competentie 'FG11' — bedoel je 'FG1'?", "student": STUDENT,
    }
    assert [d["severity"] for d in data["diagnostics"]] == ["error", "warning", "warning"]
    assert [s["id"] for s in data["students"]] == [STUDENT, "piet-claes"]
    milestone = data["students"][1]["milestones"][0]
    assert (milestone["id"], milestone["is_due"], milestone["met"]) == ("start", True, False)
    assert milestone["requirements"][0]["text"] == "0 van de 1 reflecties vóór 15 oktober 2017"


def test_github_workflow_commands(broken):
    result = run("check", "cohorte", "--format", "github")
    lines = result.stdout.splitlines()
    assert lines[0] == ("::error file=cohorte/jan-peeters/reflecties/tweede.md,line=5,col=15,title=RF001"
                        "::RF001 onbekende competentie 'FG11' — bedoel je 'FG1'?")
    assert lines[1].startswith("::warning file=cohorte/jan-peeters/reflecties/tweede.md,line=6,col=8,title=FM014::")
    assert lines[-1] == "Totaal: 2 studenten, 1 fout, 2 waarschuwingen"
    strict = run("check", "cohorte", "--format", "github", "--strict").stdout.splitlines()
    assert strict[1].startswith("::error ")


def test_github_escapes_percent_and_shows_line_ends(cohort, monkeypatch):
    monkeypatch.chdir(cohort.root.parent)
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\ncompetences: [\"100%\\nFG1\"]")
    line = run("check", "cohorte", "--format", "github").stdout.splitlines()[0]
    assert "100%25\\x0aFG1" in line  # the line end is shown, never a second line


def junit_tree(*args):
    result = run("check", "cohorte", "--format", "junit", *args)
    return result, ET.fromstring(result.stdout.encode("utf-8"))


def test_junit_suite_per_student_case_per_file_and_milestone(broken):
    result, root = junit_tree()
    assert result.exit_code == 1
    assert root.tag == "testsuites"
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    assert list(suites) == [STUDENT, "piet-claes"]
    jan = [case.get("name") for case in suites[STUDENT].findall("testcase")]
    assert jan == ["cohorte/jan-peeters/index.md", "cohorte/jan-peeters/reflecties/eerste-week.md",
                   "cohorte/jan-peeters/reflecties/tweede.md", "Goed gestart (15 oktober 2017)"]
    assert suites[STUDENT].get("tests") == "4" and suites[STUDENT].get("failures") == "1"
    failure = suites[STUDENT].find("testcase[@name='cohorte/jan-peeters/reflecties/tweede.md']/failure")
    assert failure.get("type") == "RF001"
    assert failure.text.splitlines() == ["5:15: RF001 onbekende competentie 'FG11' — bedoel je 'FG1'?",
                                         "6:8: FM014 gekrulde aanhalingstekens (uit Word?) horen bij de tekst; gebruik rechte `\"`"]
    milestone = suites["piet-claes"].find("testcase[@classname='piet-claes.mijlpalen']")
    assert milestone.find("failure") is None
    assert milestone.find("system-out").text == "0 van de 1 reflecties vóór 15 oktober 2017"


def test_junit_strict_fails_unmet_milestones(broken):
    _, root = junit_tree("--strict")
    milestone = root.find("testsuite[@name='piet-claes']/testcase[@classname='piet-claes.mijlpalen']")
    assert milestone.find("failure").get("type") == "MS001"


def test_junit_lists_student_folder_problems(broken):
    broken.path("piet-claes/index.md").unlink()
    broken.write("piet-claes/notities.txt", "nog een profiel maken\n")  # an empty folder is no student (git keeps none)
    _, root = junit_tree()
    names = [case.get("name") for case in root.find("testsuite[@name='piet-claes']")]
    assert "cohorte/piet-claes/index.md" in names


# ---- exit code 2 ---------------------------------------------------------------------------

def test_missing_portfolio_yml_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "leeg").mkdir()
    result = run("check", "leeg")
    assert result.exit_code == 2
    assert result.stderr.startswith("Fout: geen portfolio.yml in leeg: ")
    assert "`trialoog init leeg`" in result.stderr


def test_invalid_portfolio_yml_exits_2(cohort):
    cohort.write("portfolio.yml", "title: x\n")
    result = run("check", cohort.root)
    assert result.exit_code == 2
    assert "SC002 sleutel 'academic_year' ontbreekt" in result.stderr


def test_bad_framework_exits_2(cohort):
    cohort.write("portfolio.yml", cohort.path("portfolio.yml").read_text().replace("basiscompetenties", "kader.yml"))
    cohort.write("kader.yml", "id: x\n")
    result = run("check", cohort.root)
    assert result.exit_code == 2
    assert "CF001 competentiekader 'kader.yml'" in result.stderr


def test_unknown_student_exits_2(cohort):
    result = run("check", cohort.root, "--student", "niemand")
    assert result.exit_code == 2
    assert "Fout: geen student 'niemand'" in result.stderr


@pytest.mark.parametrize("value", ["2018-02-30", "morgen", "15/03/2018"])
def test_bad_as_of_exits_2(cohort, value):
    result = run("check", cohort.root, "--as-of", value)
    assert result.exit_code == 2
    assert f"Fout: ongeldige waarde voor '--as-of': '{value}' is geen datum; schrijf JJJJ-MM-DD" in result.stderr
    assert "Traceback" not in result.output


def test_unknown_format_exits_2(cohort):
    assert run("check", cohort.root, "--format", "xml").exit_code == 2


def test_as_of_option_changes_due_milestones(broken):
    result = run("check", "cohorte", "--student", "piet-claes", "--as-of", "2017-10-01")
    assert result.stdout == ("piet-claes: 0 fouten, 0 waarschuwingen; mijlpalen op 1 oktober 2017: 0 van 0 gehaald, "
                             "1 nog niet verschenen\nTotaal: 1 student, 0 fouten, 0 waarschuwingen\n")


# ---- colour -------------------------------------------------------------------------------

class FakeTTY:
    def isatty(self):
        return True


def test_use_color_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(FakeTTY())
    assert not use_color(open(os.devnull, "w"))
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color(FakeTTY())


def test_no_colour_when_not_a_tty(broken):
    assert ESC not in run("check", "cohorte").output


def on_terminal(args, env):
    """Run trialoog with stdout on a pseudo-terminal; returns what it printed."""
    leader, follower = pty.openpty()
    try:
        subprocess.run([sys.executable, "-m", "trialoog", *args], stdout=follower, stderr=subprocess.DEVNULL, env=env, timeout=60)
    finally:
        os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode("utf-8")


def test_colour_on_a_terminal_and_no_color_respected(broken):
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    assert ESC in on_terminal(["check", "cohorte"], env)
    assert ESC not in on_terminal(["check", "cohorte"], {**env, "NO_COLOR": "1"})


# ---- other commands -----------------------------------------------------------------------

def test_python_dash_m_trialoog(broken):
    done = subprocess.run([sys.executable, "-m", "trialoog", "check", "cohorte"], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout) == (1, EXPECTED_TEXT)
    version = subprocess.run([sys.executable, "-m", "trialoog", "--version"], capture_output=True, text=True, timeout=60)
    assert (version.returncode, version.stdout.split()[0]) == (0, "trialoog,")


def test_report(broken):
    result = run("report", "cohorte")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Portfolio's op 15 maart 2018"
    assert "Mijlpaal: Goed gestart — 15 oktober 2017 (verstreken)" in lines
    assert [line.split() for line in lines if line.startswith(("jan-peeters", "piet-claes"))][:2] == [
        ["jan-peeters", "✓", "2/1", "100%"], ["piet-claes", "✗", "0/1", "0%"]]
    header = next(line for line in lines if line.startswith("student") and "FG1" in line)
    assert header.split()[1:4] == ["FG1", "FG2", "FG3"]
    assert lines[-2].split()[:3] == ["jan-peeters", "1", "0"]


def test_report_as_of(broken):
    assert "(nog niet verschenen)" in run("report", "cohorte", "--as-of", "2017-10-01").stdout


def test_framework_show_builtin():
    result = run("framework", "show", "basiscompetenties")
    assert result.exit_code == 0
    assert "FG1" in result.stdout and "FG10" in result.stdout and "BH8" in result.stdout


def test_framework_show_of_the_cohort(broken):
    result = run("framework", "show", "--path", "cohorte")
    assert result.exit_code == 0 and "BH1" in result.stdout


def test_framework_show_unknown_exits_with_message():
    result = run("framework", "show", "onbestaand")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fout: ")


def test_framework_import_refuses_to_overwrite(tmp_path):
    out = tmp_path / "kader.yml"
    first = run("framework", "import", FIXTURES / "interop" / "moodle.csv", "-o", out)
    assert first.exit_code == 0, first.output
    written = out.read_bytes()
    assert b"FG1" in written
    second = run("framework", "import", FIXTURES / "interop" / "mahara-flat.matrix", "-o", out)
    assert second.exit_code == 1
    assert "bestaat al" in second.stderr
    assert out.read_bytes() == written


def test_help_is_dutch():
    result = run("check", "--help")
    assert result.exit_code == 0
    assert "Controleer de portfolio's" in result.stdout


# ---- student input never controls the terminal or the CI log ------------------------------

@pytest.fixture
def hostile(cohort, monkeypatch):
    """Terminal escapes and control characters in values, and file names that try to forge lines."""
    cohort.entry("reflecties/tweede.md", 'type: reflection\ntitle: T\ndate: 2017-10-01\ncompetences: ["\\x1b[2J\\x1b[31mFG1", "\\x01"]')
    cohort.write(f"{STUDENT}/reflecties/x\n::error file=nep.md::nep.md", b"")
    cohort.write(f"{STUDENT}/reflecties/" + os.fsdecode(b"\xff.md"), b"")
    monkeypatch.chdir(cohort.root.parent)
    return cohort


def test_text_escapes_control_characters_and_bad_bytes(hostile):
    result = CliRunner().invoke(main, ["check", "cohorte"], catch_exceptions=False)
    assert "\x1b" not in result.stdout and "\x01" not in result.stdout
    assert "onbekende competentie '\\x1b[2J\\x1b[31mFG1'" in result.stdout
    lines = result.stdout.splitlines()
    assert "cohorte/jan-peeters/reflecties/x\\x0a::error file=nep.md::nep.md:1:1: FM001 het bestand is leeg" in lines
    assert "cohorte/jan-peeters/reflecties/\\xff.md:1:1: FM001 het bestand is leeg" in lines


def test_github_cannot_be_forged_by_a_file_name(hostile):
    lines = run("check", "cohorte", "--format", "github").stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "Totaal:")) for line in lines)
    # RF001 twice, FM001 and CO007 for each of the two file names
    assert len([line for line in lines if line.startswith("::")]) == 6


def test_junit_and_json_stay_valid(hostile):
    junit = subprocess.run([sys.executable, "-m", "trialoog", "check", "cohorte", "--format", "junit"], capture_output=True, timeout=60)
    root = ET.fromstring(junit.stdout)
    assert "\\x1b[2J" in "".join(root.itertext())
    data = subprocess.run([sys.executable, "-m", "trialoog", "check", "cohorte", "--format", "json"], capture_output=True, timeout=60)
    paths = {d["path"] for d in json.loads(data.stdout.decode("utf-8"))["diagnostics"]}
    assert "jan-peeters/reflecties/\\xff.md" in paths
