"""The one evidence rule: which entries count, for which audience, and that every view that
counts evidence (`trialoog report`, the overview's heat map, the student's matrix) agrees."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from trialoog.checks import run_check
from trialoog.output.report import report
from trialoog.portfolio.evidence import AUDIENCES, EVALUATION, STUDENT, counts_as_evidence, evidence_counts
from trialoog.portfolio.load import load_cohort
from trialoog.site.overview import CohortView
from trialoog.site.views import StudentView

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolios"


def report_counts(result, audience: str) -> dict[tuple[str, str], int]:
    """(student, group code) -> count, read from the report's last table."""
    lines = report(result, audience).split("\n\n")[-1].splitlines()
    assert lines[0].startswith("Bewijzen per competentie")
    header = lines[1].split()
    found = {}
    for line in lines[3:]:
        student, *counts = line.split()
        found.update({(student, code): int(count) for code, count in zip(header[1:], counts)})
    return found


def heat_map_counts(result, audience: str) -> dict[tuple[str, str], int]:
    view = CohortView(result.cohort, result.as_of, result.progress, {}, set(), audience)
    return {(row.id, cell.code): cell.count for row in view.rows for cell in row.heat}


def matrix_counts(result, audience: str) -> dict[tuple[str, str], int]:
    groups = {group.code for group in result.cohort.framework.groups()}
    found = {}
    for student in result.cohort.students:
        view = StudentView(result.cohort, student, audience=audience, as_of=result.as_of)
        found.update({(student.id, row.code): row.total for row in view.matrix if row.code in groups})
    return found


@pytest.fixture(scope="module")
def example():
    return run_check(load_cohort(EXAMPLE))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_report_heat_map_and_matrix_agree_for_the_example_cohort(example, audience):
    counts = report_counts(example, audience)
    assert len(counts) == len(example.cohort.students) * len(example.cohort.framework.groups())
    assert counts == heat_map_counts(example, audience) == matrix_counts(example, audience)


def test_a_private_entry_counts_for_the_evaluation_team_only(example):
    # amina-el-khatib's private reflection cites BH3: 2 for the evaluation team, 1 on her site.
    assert report_counts(example, EVALUATION)[("amina-el-khatib", "BH3")] == 2
    assert report_counts(example, STUDENT)[("amina-el-khatib", "BH3")] == 1
    assert heat_map_counts(example, STUDENT)[("amina-el-khatib", "BH3")] == 1
    assert heat_map_counts(example, EVALUATION)[("amina-el-khatib", "BH3")] == 2


def test_the_report_says_whose_count_it_shows(example):
    assert "zonder privé-items" in report(example, STUDENT)
    assert "met privé-items" in report(example, EVALUATION)
    assert "met privé-items" in report(example)  # the evaluation team's report by default


def _cohort_with_private_entries(cohort):
    cohort.entry("reflecties/prive.md", "type: reflection\ntitle: Privé\ndate: 2017-10-02\ncompetences: [FG1.2]\nprivate: true")
    cohort.entry("bewijzen/prive.md", "type: evidence\ntitle: Privé bewijs\ndate: 2017-10-03\ncompetences: [FG2, BH1]\nprivate: true")
    cohort.entry("taken/concept.md", "type: task\ntitle: Concept\ndate: 2017-10-04\nkind: leertaak\ncompetences: [FG2]\ndraft: true")
    cohort.entry("leerdoelen/doel.md", "type: goal\ntitle: Doel\nwhat: iets\ncompetences: [FG2]")
    cohort.entry("overleg/later.md", "type: meeting\ntitle: Later\ndate: 2018-04-01\nkind: intervisie\ncompetences: [FG2]")
    return cohort.check()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_report_heat_map_and_matrix_agree_with_private_entries(cohort, audience):
    result = _cohort_with_private_entries(cohort)
    counts = report_counts(result, audience)
    assert counts == heat_map_counts(result, audience) == matrix_counts(result, audience)
    # The reflection cites FG1; the private ones add FG1 (by FG1.2), FG2 and BH1 for the evaluation
    # team; the draft, the goal and the meeting after the as-of date never count.
    expected = {"FG1": 2, "FG2": 1, "BH1": 1} if audience == EVALUATION else {"FG1": 1, "FG2": 0, "BH1": 0}
    assert {code: counts[("jan-peeters", code)] for code in expected} == expected


def test_the_rule(cohort):
    result = _cohort_with_private_entries(cohort)
    student = result.cohort.students[0]
    by_id = {entry.id: entry for entry in student.entries}
    as_of = dt.date(2018, 3, 15)
    assert counts_as_evidence(by_id["reflecties/prive"], EVALUATION, as_of)
    assert not counts_as_evidence(by_id["reflecties/prive"], STUDENT, as_of)
    assert not counts_as_evidence(by_id["taken/concept"], EVALUATION, as_of)  # a draft
    assert not counts_as_evidence(by_id["leerdoelen/doel"], EVALUATION, as_of)  # a goal is no evidence
    assert not counts_as_evidence(by_id["overleg/later"], EVALUATION, as_of)  # after the as-of date
    assert counts_as_evidence(by_id["overleg/later"], EVALUATION)  # no date given: any date
    counts = evidence_counts(result.cohort.framework, student, ["FG1", "FG1.2"], EVALUATION, as_of)
    assert counts == {"FG1": 2, "FG1.2": 1}  # a group counts what lies below it


def test_the_overview_says_whose_count_its_heat_map_shows(example, tmp_path):
    from trialoog.site.pages import SiteContext, render_overview

    result = example
    for audience, note in ((STUDENT, "zonder privé-items"), (EVALUATION, "met privé-items")):
        context = SiteContext(cohort=result.cohort, as_of=result.as_of, progress=result.progress, audience=audience)
        docs = tmp_path / audience
        docs.mkdir()
        spec = render_overview(context, docs, [])
        html = "\n".join(spec.slots["index.md"].values())
        caption = re.search(r"Aantal [^<]*", html).group(0)
        assert "reflecties, taken, bewijzen en overleg" in caption and note in caption
