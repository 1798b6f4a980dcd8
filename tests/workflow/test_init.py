"""`trialoog init`: a valid, explained portfolio.yml from flags, questions or defaults; never over a file."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

import trialoog.cli.init as init_cli
from trialoog.portfolio.load import load_config
from trialoog.portfolio.model import ROLES
from trialoog.workflow.init_cohort import ROLE_TEXTS, academic_year
from workflow_helpers import REPO, trialoog


@pytest.mark.parametrize(("today", "start", "end"), [
    (dt.date(2026, 12, 1), dt.date(2026, 9, 1), dt.date(2027, 6, 30)),
    (dt.date(2027, 3, 15), dt.date(2026, 9, 1), dt.date(2027, 6, 30)),
    (dt.date(2027, 7, 2), dt.date(2027, 9, 1), dt.date(2028, 6, 30)),
])
def test_this_academic_year(today, start, end):
    assert academic_year(today) == (start, end)


def test_defaults_without_a_terminal_pass_check(tmp_path, monkeypatch):
    result = trialoog(monkeypatch, tmp_path, "init")  # the test runner's stdin is no terminal
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Nieuw: portfolios/portfolio.yml\n")
    config = load_config(tmp_path / "portfolios")
    start, end = academic_year(dt.date.today())
    assert (config.academic_year.start, config.academic_year.end) == (start, end)
    assert config.framework == "basiscompetenties-2007" and config.title == f"Werkplekleren {start.year}-{end.year}"
    assert config.people == {} and [m.id for m in config.milestones] == ["tussentijds", "eind"]
    assert all(start < m.due <= end for m in config.milestones)
    assert config.milestones[1].require.evidence_per_competence == 1
    text = (tmp_path / "portfolios" / "portfolio.yml").read_text(encoding="utf-8")
    for role in ROLES:
        assert f"#     role: {role}\n" in text and f"#     {role}:" in text  # a commented example and its meaning
    checked = trialoog(monkeypatch, tmp_path, "check")
    assert checked.exit_code == 0 and "Totaal: 0 studenten" in checked.stdout
    assert "trialoog new student" in checked.stderr
    assert "opgeheven door het besluit van 8 juni 2018" in result.stderr  # the default is the repealed set, said so


def test_flags_give_people_with_roles(tmp_path, monkeypatch):
    result = trialoog(monkeypatch, tmp_path, "init", "cohorte", "--title", "Werkplekleren 2030-2031", "--institution",
                      "Hogeschool Scheldeland", "--start", "2030-09-01", "--end", "2031-06-30",
                      "--mentor", "An Peeters=an-peeters", "--mentor", "Tom Wouters", "--coach", "Koen Smets=koen-smets",
                      "--evaluator", "Lies Vermeulen")
    assert result.exit_code == 0, result.output
    config = load_config(tmp_path / "cohorte")
    assert config.institution == "Hogeschool Scheldeland"
    assert {pid: (p.role, p.forge) for pid, p in config.people.items()} == {
        "mentor-an-peeters": ("mentor", "an-peeters"), "mentor-tom-wouters": ("mentor", None),
        "coach-koen-smets": ("coach", "koen-smets"), "evaluator-lies-vermeulen": ("evaluator", None),
    }
    assert config.milestones[0].due == dt.date(2031, 1, 30)


def test_questions_at_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(init_cli, "stdin_is_terminal", lambda: True)
    answers = "\n".join(["1 september", "2030-09-02", "", "Mijn cohorte", "Hogeschool X", "", "bestaat-niet.yml", "kader.yml",
                         "An Peeters, Tom Wouters", "Koen Smets", ""]) + "\n"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "portfolios").mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "frameworks" / "testkader-2018.yml", tmp_path / "portfolios" / "kader.yml")
    from click.testing import CliRunner

    from trialoog.cli import main

    result = CliRunner().invoke(main, ["init"], input=answers, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "'1 september' is geen datum; schrijf JJJJ-MM-DD" in result.stderr and "Error" not in result.output
    assert "Laatste dag van het academiejaar (JJJJ-MM-DD) [2031-06-30]" in result.stdout
    assert "Titel van de cohorte [Werkplekleren 2030-2031]" in result.stdout
    config = load_config(tmp_path / "portfolios")
    assert config.title == "Mijn cohorte" and config.academic_year.start == dt.date(2030, 9, 2)
    assert sorted(config.people) == ["coach-koen-smets", "mentor-an-peeters", "mentor-tom-wouters"]
    # 2030: no built-in default; an empty answer and a missing file are asked again, the programme's own file is taken
    assert "Competentiekader: het kaderbestand van je opleiding" in result.stdout and config.framework == "kader.yml"
    assert "geef een bestand" in result.stderr and "competentiekader 'bestaat-niet.yml'" in result.stderr


def test_yes_asks_nothing_even_at_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(init_cli, "stdin_is_terminal", lambda: True)
    result = trialoog(monkeypatch, tmp_path, "init", "--yes")
    assert result.exit_code == 0 and "[" not in result.output


def test_refuses_to_overwrite(tmp_path, monkeypatch):
    (tmp_path / "portfolios").mkdir()
    (tmp_path / "portfolios" / "portfolio.yml").write_text("title: eigen\n", encoding="utf-8")
    result = trialoog(monkeypatch, tmp_path, "init")
    assert result.exit_code == 1
    assert result.stderr.startswith("Fout: ") and "bestaat al; Trialoog overschrijft niets" in result.stderr
    assert (tmp_path / "portfolios" / "portfolio.yml").read_text(encoding="utf-8") == "title: eigen\n"


def test_refuses_a_cohort_inside_a_cohort(tmp_path, monkeypatch):
    assert trialoog(monkeypatch, tmp_path, "init").exit_code == 0
    (tmp_path / "portfolios" / "amina").mkdir()
    result = trialoog(monkeypatch, tmp_path / "portfolios" / "amina", "init")
    assert result.exit_code == 1 and "ligt al in de cohorte" in result.stderr
    assert not (tmp_path / "portfolios" / "amina" / "portfolios").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("--framework", "onbestaand"), "competentiekader 'onbestaand'"),
    (("--start", "2030-09-01", "--end", "2030-06-30"), "eindigt (2030-06-30) vóór het begint"),
    (("--mentor", "=an"), "geef een naam"),
    (("--mentor", "An Peeters", "--mentor", "An Peeters"), "twee personen met dezelfde id"),
])
def test_bad_values_exit_2_and_write_nothing(tmp_path, monkeypatch, args, message):
    result = trialoog(monkeypatch, tmp_path, "init", *args)
    assert result.exit_code == 2 and result.stderr.startswith("Fout: ") and message in result.stderr, result.output
    assert not (tmp_path / "portfolios" / "portfolio.yml").exists()


def test_every_role_is_explained_in_the_template_and_the_readme():
    assert tuple(ROLE_TEXTS) == ROLES
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for role in ROLES:
        assert f"\n| `{role}` | " in readme
