"""A programme that switches framework: diff, a mapping file, the checked configuration, and a site
built with the new tree while entries written before the switch keep counting (issue 14)."""

from __future__ import annotations

import re
import shutil

from click.testing import CliRunner

from trialoog.cli import main
from trialoog.portfolio.framework import Framework, competence_file_names, load_framework, open_framework
from trialoog.portfolio.framework_diff import diff_frameworks, render_diff

from conftest import FIXTURES, PORTFOLIO_YML, STUDENT

FRAMEWORKS = FIXTURES / "frameworks"

SWITCHED = PORTFOLIO_YML.replace("framework: basiscompetenties", "framework: testkader-2018.yml\nframework_mapping: mapping.yml") + """\
  - id: lente
    title: "Lentebalans"
    due: 2018-04-20
    require:
      evidence_per_competence: 1
      competences: [N1, N3]
"""


def run(*args):
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def switched(cohort):
    shutil.copy(FRAMEWORKS / "testkader-2018.yml", cohort.path("testkader-2018.yml"))
    shutil.copy(FRAMEWORKS / "mapping-2007-2018.yml", cohort.path("mapping.yml"))
    cohort.write("portfolio.yml", SWITCHED)
    return cohort


def test_page_names_are_unique_for_macrons_and_punctuation():
    names = competence_file_names(["Tā", "Tō", "K1 a", "K1/a", "FG1.1", "Ta"])
    assert len({name.casefold() for name in names.values()}) == 6
    assert names["FG1.1"] == "FG1.1" and names["Ta"] == "Ta" and names["Tō"] == "To"  # no clash: no suffix
    assert re.fullmatch(r"Ta-[0-9a-f]{6}", names["Tā"]) and re.fullmatch(r"K1-a-[0-9a-f]{6}", names["K1 a"])
    assert competence_file_names(["K1/a", "K1 a"]) == {"K1/a": names["K1/a"], "K1 a": names["K1 a"]}  # stable: order does not matter


def test_diff_lists_disappeared_appeared_and_retitled(tmp_path):
    old = load_framework("basiscompetenties-2007", tmp_path)
    new = open_framework(str(FRAMEWORKS / "testkader-2018.yml"), tmp_path)
    found = diff_frameworks(old, new)
    assert found.disappeared == old.codes() and found.appeared == ["N1", "N1.1", "N2", "N3", "A1"]
    data = old.model_dump()
    data["competences"][0]["title"] = "Anders"
    assert diff_frameworks(old, Framework.model_validate(data)).retitled == [("FG1", old.get("FG1").title, "Anders")]
    assert "Verdwenen (21):" in render_diff(found) and "Nieuw (5):" in render_diff(found)


def test_old_entries_count_through_the_mapping_and_unmapped_codes_are_errors(cohort):
    switched(cohort)
    cohort.entry("reflecties/oud.md", "type: reflection\ntitle: Oud\ndate: 2017-10-01\ncompetences: [FG4]")
    result = cohort.check()
    found = [(d.path, d.line, d.code) for d in result.diagnostics if d.is_error]
    # FG1 of the first reflection is mapped to N1: accepted. FG4 is not mapped: an error.
    assert found == [(f"{STUDENT}/reflecties/oud.md", 5, "RF001")]
    lente = next(p for p in result.progress[STUDENT] if p.id == "lente")
    assert [(r.label, r.have) for r in lente.requirements] == [("bewijzen voor N1", 1), ("bewijzen voor N3", 0)]


def test_a_milestone_with_an_old_code_points_at_its_line_with_the_mapping_hint(cohort):
    switched(cohort)
    cohort.write("portfolio.yml", SWITCHED.replace("competences: [N1, N3]", "competences: [FG1, N3]"))
    result = cohort.check()
    config = [d for d in result.diagnostics if d.code == "CF002"]
    assert [(d.path, d.line) for d in config] == [("portfolio.yml", 27)]
    assert "volgens het mappingbestand wordt het N1" in config[0].message
    lente = next(p for p in result.progress[STUDENT] if p.id == "lente")
    assert [r.label for r in lente.requirements] == ["bewijzen voor N3"]  # nobody can meet FG1: not counted


def test_a_mapping_to_a_code_that_does_not_exist_is_reported_in_the_mapping_file(cohort):
    switched(cohort)
    cohort.write("mapping.yml", "from: basiscompetenties-2007\ncodes:\n  FG1: [N1]\n  FG9: [N9]\n  XX: [N2]\n")
    found = [(d.path, d.line, d.code) for d in cohort.check().diagnostics if d.code == "CF006"]
    assert found == [("mapping.yml", 4, "CF006"), ("mapping.yml", 5, "CF006")]


def test_framework_diff_command_names_the_citations_of_a_cohort(cohort, monkeypatch):
    switched(cohort)
    monkeypatch.chdir(cohort.root)
    result = run("framework", "diff", "basiscompetenties-2007", "testkader-2018.yml", "--path", ".")
    assert result.exit_code == 0, result.output
    assert f"{STUDENT}/reflecties/eerste-week.md:5: FG1 (telt via de mapping voor N1)" in result.output


def test_switched_cohort_builds_a_site_whose_matrix_shows_the_new_tree(cohort, tmp_path):
    switched(cohort)
    out = tmp_path / "site"
    result = run("build", cohort.root, "--out", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    matrix = (out / STUDENT / "competenties.html").read_text(encoding="utf-8")
    for code, title in (("N1", "Testgeheel 1"), ("N3", "Testgeheel 3"), ("A1", "Testattitude 1")):
        assert code in matrix and title in matrix
    assert "FG1" not in matrix and "Functioneel" not in matrix
    page = (out / STUDENT / "competenties" / "N1.html").read_text(encoding="utf-8")
    assert "Eerste week" in page  # the entry citing FG1 is evidence for N1
    assert '<a href="https://example.org/kader" rel="noopener noreferrer">de bron</a>' in page  # the description as Markdown
    assert re.search(r"<li>eerst<ul>\s*<li>daaronder</li>", page)
    assert (out / STUDENT / "competenties" / "N1.1.html").is_file()
    n2 = (out / STUDENT / "competenties" / "N2.html").read_text(encoding="utf-8")
    assert re.search(r'Verwant: <a href="N3.html" title="Testgeheel 3: vakinhoud">N3</a>, ELDERS-7\.', n2)
    assert "Beheerst vanaf niveau + (voldoende)" in n2  # the scale's proficient level
