"""`trialoog framework show|import|export|diff` from where the user stands, with Dutch errors (issue 14)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialoog.cli import main

from conftest import EXAMPLE, FIXTURES


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


@pytest.fixture
def here(tmp_path, monkeypatch):
    """The user stands in a folder with a cohort below it and a framework file in out/."""
    shutil.copytree(EXAMPLE, tmp_path / "portfolios")
    (tmp_path / "out").mkdir()
    shutil.copy(FIXTURES / "frameworks" / "testkader-2018.yml", tmp_path / "out" / "kader.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_show_reads_a_file_relative_to_where_the_user_stands(here):
    result = run("framework", "show", "out/kader.yml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Testkader 2018 (testfixture, geen echte tekst) (testkader-2018)\n")
    assert "Beheerst vanaf: + (voldoende)" in result.stdout and "(verwant: N3, ELDERS-7)" in result.stdout


@pytest.mark.parametrize("ref", ["basiscompetenties", "basiscompetenties-2007"])
def test_show_says_the_2007_set_was_repealed(here, ref):
    lines = run("framework", "show", ref).stdout.splitlines()
    assert lines[0].endswith("(basiscompetenties-2007)")
    note = " ".join(lines[1:4])
    assert "opgeheven door het besluit van 8 juni 2018" in note and "2019-2020" in note
    assert ("andere naam voor 'basiscompetenties-2007'" in note) == (ref == "basiscompetenties")


def test_show_without_a_framework_shows_the_cohorts_with_its_status(here):
    result = run("framework", "show")
    assert "Let op: het besluit van 5 oktober 2007 is opgeheven" in result.stdout


def test_show_of_a_missing_file_names_where_it_looked(here):
    result = run("framework", "show", "out/geen.yml")
    assert result.exit_code == 1
    assert result.stderr == (f"Fout: kader 'out/geen.yml': geen ingebouwd kader (kies uit: basiscompetenties, basiscompetenties-2007) "
                             f"en het bestand {here / 'out' / 'geen.yml'} bestaat niet\n")


def test_import_prints_its_warnings_and_writes_the_file(here):
    element = {"shortname": "4.4.3", "name": "Reflecteren", "description": "", "standardid": "1", "elementid": "7"}
    Path("mahara.matrix").write_text(json.dumps({"framework": {"name": "Kader", "standards": [
        {"shortname": "S1", "name": "Een", "description": "", "standardid": "1"}], "standardelements": [element, element]}}), encoding="utf-8")
    result = run("framework", "import", "mahara.matrix", "-o", "out/mahara.yml")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("Waarschuwing: element '4.4.3' (elementid 7) staat er twee keer")
    assert result.stdout == "Geschreven: out/mahara.yml\n" and Path("out/mahara.yml").is_file()


@pytest.mark.parametrize(("output", "reason"), [
    ("nieuw/kader.yml", "de map nieuw bestaat niet"),
    ("out/kader.yml/x.yml", "de map out/kader.yml is een bestand, geen map"),
    ("out/" + "a" * 300 + ".yml", "het pad is te lang (ENAMETOOLONG)"),
    ("out/kader.yml", "bestaat al"),
])
def test_import_write_errors_are_dutch(here, output, reason):
    result = run("framework", "import", FIXTURES / "case" / "kader-case-1.0.json", "-o", output)
    assert result.exit_code == 1 and result.stderr.startswith("Fout: ") and reason in result.stderr, result.output
    assert "Traceback" not in result.output


def test_export_writes_a_case_package_that_imports_again(here):
    result = run("framework", "export", "out/kader.yml", "-o", "out/kader.json")
    assert result.exit_code == 0, result.output
    package = json.loads(Path("out/kader.json").read_text(encoding="utf-8"))
    assert package["CFDocument"]["title"] == "Testkader 2018 (testfixture, geen echte tekst)"
    assert run("framework", "import", "out/kader.json", "-o", "out/terug.yml").exit_code == 0
    assert run("framework", "export", "out/kader.yml", "-o", "out/kader.json").exit_code == 1  # never overwrites


def test_diff_without_a_cohort(here):
    result = run("framework", "diff", "basiscompetenties-2007", "out/kader.yml")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Van Basiscompetenties van de leraar (Vlaanderen, besluit van 2007) (basiscompetenties-2007) "
                                    "naar Testkader 2018")
    assert "Verdwenen (21):\n  FG1  De leraar als begeleider" in result.stdout and "Verwijzingen" not in result.stdout
