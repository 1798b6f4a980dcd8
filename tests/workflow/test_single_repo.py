"""One student, one repository; and a cohort repository that gathers them as real git submodules."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from trialoog.checks import run_check
from trialoog.portfolio.load import load_cohort
from workflow_helpers import EXAMPLE, FIXTURES, STUDENT, commit_all, git, init_repo, student_repo, trialoog

OTHER = "lotte-vandenberghe"
AS_OF = dt.date(2018, 3, 15)


def errors_in(root, paths=None):
    result = run_check(load_cohort(root), AS_OF)
    inside = None if paths is None else {Path(p).resolve().relative_to(Path(root).resolve()).as_posix() for p in paths}
    return [d for d in result.diagnostics if d.is_error and (inside is None or d.path in inside)]


# ---- one student per repository ---------------------------------------------------------------------

def test_new_finds_the_only_student(tmp_path, monkeypatch):
    repo = student_repo(tmp_path)
    result = trialoog(monkeypatch, repo, "new", "reflection", "Eerste week", "--date", "2017-09-08")
    assert result.exit_code == 1 and "bestaat al" in result.output  # the example has this reflection
    made = trialoog(monkeypatch, repo, "new", "reflection", "Tweede week", "--date", "2017-09-15")
    assert made.output.startswith(f"Nieuw: {STUDENT}/reflecties/2017-09-15-tweede-week.md\n")
    new = repo / STUDENT / "reflecties" / "2017-09-15-tweede-week.md"
    assert errors_in(repo, {str(new)}) == []
    assert trialoog(monkeypatch, repo, "check", ".").exit_code in (0, 1)


def test_codeowners_review_feedback_and_signoff(tmp_path, monkeypatch):
    repo = student_repo(tmp_path)
    assert trialoog(monkeypatch, repo, "codeowners").exit_code == 0
    owners = (repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert f"\n/{STUDENT}/ @voorbeeld-an-peeters @voorbeeld-tom-wouters @voorbeeld-koen-smets\n" in owners
    assert "\n/portfolio.yml @voorbeeld-koen-smets @voorbeeld-sofie-maes\n" in owners
    commit_all(repo, "CODEOWNERS")

    git(repo, "checkout", "-q", "-b", "evaluatie")
    trialoog(monkeypatch, repo, "new", "evaluation", "Lentebalans", "--date", "2018-03-14", "--moment", "lente")
    commit_all(repo, "Lentebalans")
    review = trialoog(monkeypatch, repo, "review", "--base", "main").output
    assert "| nieuw | Lentebalans | evaluatie | 14 maart 2018 |" in review
    assert "Geen problemen in de gewijzigde bestanden." in review

    evaluation = repo / STUDENT / "evaluaties" / "2018-03-14-lentebalans.md"
    signed = trialoog(monkeypatch, repo / STUDENT / "evaluaties", "signoff", evaluation.name, "--by", "mentor-an-peeters")
    assert signed.exit_code == 0 and signed.output.startswith("Ondertekend door An Peeters")

    comments = json.loads((FIXTURES / "github" / "pull-comments.json").read_text(encoding="utf-8"))
    for comment in comments:
        comment["path"] = comment["path"].removeprefix("portfolios/")
    exported = tmp_path / "opmerkingen.json"
    exported.write_text(json.dumps(comments), encoding="utf-8")
    imported = trialoog(monkeypatch, repo, "feedback", "import", str(exported)).output
    assert imported.startswith("Geïmporteerd (3):\n")
    assert "buiten de portfolio's" not in imported and "geen studentenmap: README.md" in imported


# ---- a cohort of submodules -------------------------------------------------------------------------

@pytest.fixture
def cohort_of_submodules(tmp_path, monkeypatch):
    students = {student: student_repo(tmp_path / "studenten", student) for student in (STUDENT, OTHER)}
    cohort = init_repo(tmp_path / "cohorte")
    (cohort / "portfolios").mkdir()
    (cohort / "portfolios" / "portfolio.yml").write_bytes((EXAMPLE / "portfolio.yml").read_bytes())
    for student, repo in students.items():
        git(cohort, "submodule", "add", "-q", str(repo), f"portfolios/_studenten/{student}")
    result = trialoog(monkeypatch, cohort, "gather")
    assert result.exit_code == 0, result.output
    commit_all(cohort, "Cohorte met een repository per student")
    return cohort, students


def test_gather_links_each_student(cohort_of_submodules, monkeypatch):
    cohort, students = cohort_of_submodules
    link = cohort / "portfolios" / STUDENT
    assert link.is_symlink() and str(link.readlink()) == f"_studenten/{STUDENT}/{STUDENT}"
    loaded = load_cohort(cohort / "portfolios")
    assert [s.id for s in loaded.students] == [STUDENT, OTHER]
    alone = load_cohort(students[STUDENT])
    assert [e.id for e in loaded.student(STUDENT).entries] == [e.id for e in alone.student(STUDENT).entries]
    again = trialoog(monkeypatch, cohort, "gather")
    assert again.exit_code == 0 and "Al gekoppeld:" in again.output and "Gekoppeld:" not in again.output


def test_fresh_clone_and_a_student_update(cohort_of_submodules, tmp_path, monkeypatch):
    cohort, students = cohort_of_submodules
    clone = tmp_path / "kloon"
    git(tmp_path, "clone", "-q", "--recurse-submodules", str(cohort), str(clone))
    assert [s.id for s in load_cohort(clone / "portfolios").students] == [STUDENT, OTHER]

    student = students[OTHER]
    trialoog(monkeypatch, student, "new", "reflection", "Tellen met kastanjes", "--date", "2018-03-14")
    commit_all(student, "Nieuwe reflectie")
    git(clone, "submodule", "update", "-q", "--remote", f"portfolios/_studenten/{OTHER}")
    loaded = load_cohort(clone / "portfolios").student(OTHER)
    assert "reflecties/2018-03-14-tellen-met-kastanjes" in loaded.by_id
    check = trialoog(monkeypatch, clone, "check", "portfolios")
    assert check.exit_code in (0, 1) and f"{OTHER}:" in check.output
    assert " AT002 " not in check.output  # files reached through the link are inside the student's folder
    commit_all(clone, "Nieuw werk van de studenten")
    review = trialoog(monkeypatch, clone, "review", "--base", "HEAD~1")
    assert review.exit_code == 0
    assert f"Ook gewijzigd, buiten de studentenmappen: `portfolios/_studenten/{OTHER}`." in review.output


def test_gather_refuses_and_reports(cohort_of_submodules, monkeypatch):
    cohort, _ = cohort_of_submodules
    link = cohort / "portfolios" / STUDENT
    link.unlink()
    link.mkdir()
    result = trialoog(monkeypatch, cohort, "gather")
    assert result.exit_code == 1 and "bestaat al en wijst niet naar" in result.output and link.is_dir()


@pytest.mark.slow
def test_build_them_together(cohort_of_submodules):
    cohort, _ = cohort_of_submodules
    trialoog_bin = str(Path(sys.executable).parent / "trialoog")
    help_text = subprocess.run([trialoog_bin, "--help"], capture_output=True, text=True).stdout
    if " build " not in help_text:
        pytest.xfail("`trialoog build` bestaat nog niet: de sitebouw komt nog")
    done = subprocess.run([trialoog_bin, "build", "portfolios", "--out", "site"], cwd=cohort, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (cohort / "site" / STUDENT / "index.html").is_file() and (cohort / "site" / OTHER / "index.html").is_file()
