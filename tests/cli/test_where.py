"""Every command finds the cohort the same way, from where the user stands (trialoog.portfolio.locate)."""

from __future__ import annotations

import pytest

from trialoog.site import serve as serve_module
from trialoog.portfolio.locate import Place, find_cohort
from workflow_helpers import STUDENT, example_repo, student_repo, trialoog

OTHER = "lotte-vandenberghe"


def test_the_rule(tmp_path):
    repo = example_repo(tmp_path)
    cohort = (repo / "portfolios").resolve()
    assert find_cohort(start=repo) == Place(cohort)
    assert find_cohort(start=cohort) == Place(cohort)
    assert find_cohort(start=cohort / STUDENT / "reflecties") == Place(cohort, STUDENT)
    assert find_cohort(repo / "portfolios" / STUDENT, start=repo) == Place(cohort, STUDENT)
    assert find_cohort(cohort, start=tmp_path) == Place(cohort)


def test_nothing_found_says_where_it_looked_and_suggests_init(tmp_path, monkeypatch):
    result = trialoog(monkeypatch, tmp_path, "check")
    assert result.exit_code == 2
    assert result.stderr.startswith("Fout: geen portfolio.yml gevonden: gezocht in ")
    assert str(tmp_path / "portfolios") in result.stderr and "`trialoog init`" in result.stderr
    assert "Invalid value" not in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("command", [("check",), ("report",), ("build",), ("serve",), ("codeowners",), ("gather",),
                                     ("review", "--base", "main"), ("new", "goal", "Iets")])
def test_every_command_says_the_same_when_nothing_is_found(tmp_path, monkeypatch, command):
    result = trialoog(monkeypatch, tmp_path, *command)
    assert result.exit_code == 2 and "Fout: geen portfolio.yml gevonden: gezocht in " in result.stderr


def test_check_inside_a_student_folder_checks_that_student(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    result = trialoog(monkeypatch, repo / "portfolios" / STUDENT / "reflecties", "check")
    assert result.exit_code in (0, 1), result.output
    assert f"Student {STUDENT}: de studentenmap waarin je staat" in result.stderr
    assert "`trialoog check ../..`" in result.stderr
    assert "Totaal: 1 student" in result.stdout and OTHER not in result.stdout
    explicit = trialoog(monkeypatch, repo / "portfolios" / STUDENT, "check", "--student", OTHER)
    assert f"{OTHER}:" in explicit.stdout and "Student " not in explicit.stderr  # --student wins
    whole = trialoog(monkeypatch, repo / "portfolios" / STUDENT, "check", "..")
    assert f"{OTHER}:" in whole.stdout and f"{STUDENT}:" in whole.stdout


def test_check_of_a_named_student_folder(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    result = trialoog(monkeypatch, repo, "check", f"portfolios/{STUDENT}", "--format", "json")
    assert result.exit_code in (0, 1) and result.stdout.lstrip().startswith("{")  # the note is on stderr
    assert OTHER not in result.stdout and f"Student {STUDENT}" in result.stderr


def test_report_and_framework_show_from_a_student_folder(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    inside = repo / "portfolios" / STUDENT
    assert OTHER in trialoog(monkeypatch, inside, "report").stdout  # the coach's table: the whole cohort
    shown = trialoog(monkeypatch, inside / "reflecties", "framework", "show")
    assert shown.exit_code == 0 and "BH8" in shown.stdout


def test_serve_inside_a_student_folder_previews_that_student(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    calls = []
    monkeypatch.setattr(serve_module, "serve", lambda path, student, port, **_: calls.append((path, student, port)) or 0)
    result = trialoog(monkeypatch, repo / "portfolios" / OTHER, "serve")
    assert result.exit_code == 0, result.output
    assert calls == [((repo / "portfolios").resolve(), OTHER, 8000)]
    trialoog(monkeypatch, repo / "portfolios" / OTHER, "serve", "--student", STUDENT)
    assert calls[-1][1] == STUDENT


# ---- one student per repository ---------------------------------------------------------------------

def test_single_student_repository_from_its_root_and_from_inside(tmp_path, monkeypatch):
    repo = student_repo(tmp_path)
    for where in (repo, repo / STUDENT, repo / STUDENT / "reflecties"):
        result = trialoog(monkeypatch, where, "check", "--as-of", "2018-03-15")
        assert result.exit_code in (0, 1) and f"{STUDENT}:" in result.stdout, result.output
        assert "Invalid value" not in result.output
    assert trialoog(monkeypatch, repo / STUDENT, "report").exit_code == 0
    assert "FG1" in trialoog(monkeypatch, repo / STUDENT, "framework", "show").stdout
    made = trialoog(monkeypatch, repo / STUDENT / "reflecties", "new", "goal", "Differentiëren in de kleuterklas")
    assert made.exit_code == 0, made.output
    assert "controleer met `trialoog check`" in made.output
    assert trialoog(monkeypatch, repo / STUDENT / "leerdoelen", "check").exit_code in (0, 1)


def test_build_default_out_never_lands_in_a_student_folder(tmp_path, monkeypatch):
    from trialoog.cli.site import default_out

    repo = example_repo(tmp_path)
    cohort = find_cohort(start=repo)
    assert str(default_out(cohort, repo)) == "site"
    inside = find_cohort(start=repo / "portfolios" / STUDENT)
    assert default_out(inside, repo / "portfolios" / STUDENT) == repo.resolve() / "site"
    single = student_repo(tmp_path)
    assert default_out(find_cohort(start=single / STUDENT), single / STUDENT) == single.resolve() / "site"
    loose = tmp_path / "los"
    (loose / STUDENT).mkdir(parents=True)
    (loose / "portfolio.yml").write_bytes((repo / "portfolios" / "portfolio.yml").read_bytes())
    assert default_out(find_cohort(start=loose / STUDENT), loose / STUDENT) == loose.resolve() / "site"


@pytest.mark.slow
def test_build_inside_a_student_folder_builds_that_student(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    result = trialoog(monkeypatch, repo / "portfolios" / STUDENT, "build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert f"Student {STUDENT}" in result.stderr and "cohorte/site (niet in een studentenmap)" in result.stderr
    assert (repo / "site" / STUDENT / "index.html").is_file()
    assert not (repo / "site" / OTHER).exists() and not (repo / "portfolios" / STUDENT / "site").exists()
