"""portfolio.yml checked like a portfolio: every problem points at its line there (issue 14)."""

from __future__ import annotations

import pytest

from trialoog.portfolio.load import ConfigError

from conftest import PORTFOLIO_YML, STUDENT


def config_errors(cohort):
    with pytest.raises(ConfigError) as info:
        cohort.load()
    return [(d.path.rsplit("/", 1)[-1], d.line, d.code, d.message) for d in info.value.diagnostics]


def test_a_missing_framework_points_at_the_framework_line(cohort):
    cohort.write("portfolio.yml", PORTFOLIO_YML.replace("framework: basiscompetenties", "framework: kaders/weg.yml"))
    [(path, line, code, message)] = config_errors(cohort)
    assert (path, line, code) == ("portfolio.yml", 3, "CF001") and "niet gevonden" in message


def test_a_missing_mapping_file_points_at_its_line(cohort):
    cohort.config("framework_mapping: kaders/mapping.yml\n")
    [(path, line, code, message)] = config_errors(cohort)
    assert (path, line, code) == ("portfolio.yml", 21, "CF001") and "mappingbestand 'kaders/mapping.yml' niet gevonden" in message


@pytest.mark.parametrize(("extra", "line", "code"), [
    ("signals:\n  wellbeing_drop: 5\n", 22, "SC006"),
    ("signals:\n  risk_fraction: 1.5\n", 22, "SC006"),
    ("signals:\n  inactive_days: 400\n", 22, "SC006"),
])
def test_thresholds_out_of_range_point_at_their_line(cohort, extra, line, code):
    cohort.config(extra)
    assert [(p, n, c) for p, n, c, _ in config_errors(cohort)] == [("portfolio.yml", line, code)]


def test_a_role_outside_the_known_list(cohort):
    cohort.write("portfolio.yml", PORTFOLIO_YML.replace("role: mentor", "role: stagementor"))
    [(path, line, code, message)] = config_errors(cohort)
    assert (path, line, code) == ("portfolio.yml", 11, "SC005") and "mentor" in message and "coach" in message


def test_a_profiles_own_milestone_with_an_unknown_code(cohort):
    cohort.write(f"{STUDENT}/index.md", cohort.path(f"{STUDENT}/index.md").read_text().replace(
        "coach: coach-koen\n", "coach: coach-koen\nmilestones:\n  - id: start\n    require:\n      competences: [FG1, XY9]\n"))
    found = [(d.path, d.line, d.code) for d in cohort.check().diagnostics if d.code == "CF002"]
    assert found == [(f"{STUDENT}/index.md", 11, "CF002")]


def test_evidence_only_counts_with_codes_that_exist(cohort):
    cohort.write("portfolio.yml", PORTFOLIO_YML + "  - id: lente\n    title: Lente\n    due: 2018-03-01\n    require:\n      competences: [FG11]\n")
    cohort.entry("reflecties/fout.md", "type: reflection\ntitle: Fout\ndate: 2017-10-01\ncompetences: [FG11]")
    result = cohort.check()
    assert {d.code for d in result.diagnostics if d.is_error} == {"RF001", "CF002"}
    lente = next(p for p in result.progress[STUDENT] if p.id == "lente")
    assert lente.requirements == ()  # FG11 exists nowhere: not a requirement anyone can meet, nor one an error meets


def test_a_profiles_own_deadline_outside_the_year(cohort):
    cohort.write(f"{STUDENT}/index.md", cohort.path(f"{STUDENT}/index.md").read_text().replace(
        "coach: coach-koen\n", "coach: coach-koen\nmilestones:\n  - id: start\n    due: 2018-09-15\n"))
    found = [(d.path, d.line, d.code) for d in cohort.check().diagnostics if d.code == "CF004"]
    assert found == [(f"{STUDENT}/index.md", 10, "CF004")]
