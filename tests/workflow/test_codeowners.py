"""`trialoog codeowners`: review requests for each student's mentors and coach, and --check for CI."""

from __future__ import annotations

import shutil

from trialoog.portfolio.load import load_cohort
from workflow_helpers import EXAMPLE, STUDENT, example_repo, trialoog


def expected_line(cohort, student, prefix="/portfolios/"):
    people = cohort.config.people
    profile = student.profile_model
    ids = [*profile.mentors, profile.coach]
    logins = " ".join(f"@{people[pid].forge}" for pid in ids)
    return f"{prefix}{student.id}/ {logins}"


def test_example_cohort(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    result = trialoog(monkeypatch, repo, "codeowners")
    assert result.exit_code == 0, result.output
    assert result.output == "Geschreven: .github/CODEOWNERS\n"
    text = (repo / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    cohort = load_cohort(EXAMPLE)
    assert lines == [
        "/portfolios/portfolio.yml @voorbeeld-koen-smets @voorbeeld-sofie-maes",
        *(expected_line(cohort, student) for student in cohort.students),
    ]
    assert ("/portfolios/amina-el-khatib/ @voorbeeld-an-peeters @voorbeeld-tom-wouters @voorbeeld-koen-smets"
            in lines)
    assert "# Amina El Khatib: An Peeters en Tom Wouters (mentoren), Koen Smets (coach)" in text


def test_check_fails_when_stale(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    missing = trialoog(monkeypatch, repo, "codeowners", "--check")
    assert missing.exit_code == 1 and "ontbreekt" in missing.output
    trialoog(monkeypatch, repo, "codeowners")
    fresh = trialoog(monkeypatch, repo, "codeowners", "--check")
    assert fresh.exit_code == 0 and fresh.output == ".github/CODEOWNERS is bijgewerkt.\n"
    config = repo / "portfolios" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("voorbeeld-an-peeters", "an-peeters"), encoding="utf-8")
    stale = trialoog(monkeypatch, repo, "codeowners", "--check")
    assert stale.exit_code == 1
    assert "-/portfolios/amina-el-khatib/ @voorbeeld-an-peeters" in stale.output
    assert "+/portfolios/amina-el-khatib/ @an-peeters" in stale.output
    assert "klopt niet meer met portfolio.yml" in stale.output


def test_gitlab_variant_has_a_section_per_student(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    result = trialoog(monkeypatch, repo, "codeowners", "--gitlab")
    assert result.output == "Geschreven: .gitlab/CODEOWNERS\n"
    text = (repo / ".gitlab" / "CODEOWNERS").read_text(encoding="utf-8")
    section = text.split(f"[{STUDENT}]\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines()[-1] == "/portfolios/amina-el-khatib/ @voorbeeld-an-peeters @voorbeeld-tom-wouters @voorbeeld-koen-smets"
    assert "[Cohorte]\n" in text
    assert trialoog(monkeypatch, repo, "codeowners", "--gitlab", "--check").exit_code == 0


def test_person_without_login_is_reported(tmp_path, monkeypatch):
    root = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, root)
    config = root / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("    forge: voorbeeld-an-peeters\n", ""), encoding="utf-8")
    result = trialoog(monkeypatch, tmp_path, "codeowners", "--output", "CODEOWNERS")
    assert "Let op: amina-el-khatib: An Peeters (mentor-an-peeters) heeft geen `forge`-login" in result.output
    text = (tmp_path / "CODEOWNERS").read_text(encoding="utf-8")
    assert "/portfolios/amina-el-khatib/ @voorbeeld-tom-wouters @voorbeeld-koen-smets\n" in text
