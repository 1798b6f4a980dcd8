"""A synthetic cohort with slips: every student gets a site, and a slip hides only its own entry.

Today's rule (DESIGN.md: one student's problem is that student's): an entry with an error is left
out of its student's site — its page, the lists, the search index — every page of that site says
what was left out and why, the overview marks the student with the count and a link, and the
build exits 1 with every site in place. The expectations here come from `trialoog check` and the
files on disk, not from trialoog.site.exclusion.
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from trialoog import rules
from trialoog.checks import run_check
from trialoog.portfolio.load import load_cohort
from trialoog.site.build import build_cohort

REPO = Path(__file__).resolve().parents[2]
NOTICE = "Niet alles staat op deze site."


def synthetic():
    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name}: '{old}' niet gevonden"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# student -> (entry file, what goes wrong in it)
SLIPS = {
    "student-0000": ("reflecties/reflection-000.md", "a broken link"),
    "student-0001": ("bewijzen/evidence-000.md", "pupils visible without consent"),
    "student-0002": ("reflecties/reflection-001.md", "a date that does not exist"),
    "student-0003": ("taken/task-000.md", "an unknown competence"),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = synthetic().generate(tmp_path_factory.mktemp("synthetisch") / "cohorte", students=5, entries=14, seed=9)
    edit(root / "student-0000" / SLIPS["student-0000"][0], "Zie ook", "Zie [kwijt](../bewijzen/bestaat-niet.md) en ook")
    edit(root / "student-0001" / SLIPS["student-0001"][0], "consent: true", "consent: false")
    path = root / "student-0002" / SLIPS["student-0002"][0]
    text = path.read_text(encoding="utf-8")
    date_line = next(line for line in text.splitlines() if line.startswith("date: "))
    edit(path, date_line, "date: 2017-02-30")
    edit(root / "student-0003" / SLIPS["student-0003"][0], "competences: [", "competences: [FG11, ")

    result = run_check(load_cohort(root))
    lines: list[str] = []
    summary = build_cohort(root, root.parent / "site", jobs=2, echo=lines.append)
    return root, root.parent / "site", result, summary, lines


def entries_with_errors(root: Path, result) -> dict[str, set[str]]:
    """student -> entry files (inside the folder) with an error that is not a sign-off state."""
    found: dict[str, set[str]] = {}
    for d in result.diagnostics:
        if d.is_error and d.code != rules.CHANGED_AFTER_SIGNOFF and d.path.endswith(".md"):
            student, relative = d.path.split("/", 1)
            found.setdefault(student, set()).add(relative)
    return found


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def test_every_student_gets_a_site_and_the_build_exits_1(built):
    root, site, result, summary, lines = built
    students = sorted(p.name for p in root.iterdir() if p.is_dir())
    assert len(students) == 5
    for student in students:
        assert (site / student / "index.html").is_file(), student
    assert summary.exit_code == 1 and summary.skipped == [] and summary.failed == []
    assert set(SLIPS) <= set(summary.incomplete)
    assert "met weggelaten items" in lines[-1]


def test_each_slip_is_found_by_check(built):
    root, _, result, _, _ = built
    codes = {(d.path, d.code) for d in result.diagnostics if d.is_error}
    expected = {"student-0000": rules.BROKEN_LINK, "student-0001": rules.NO_CONSENT,
                "student-0002": rules.BAD_DATE, "student-0003": rules.UNKNOWN_COMPETENCE}
    for student, code in expected.items():
        assert (f"{student}/{SLIPS[student][0]}", code) in codes


def test_entries_with_errors_are_absent_from_pages_lists_and_search(built):
    root, site, result, _, _ = built
    broken = entries_with_errors(root, result)
    assert set(SLIPS) <= set(broken)
    for student, files in broken.items():
        html = {page: page.read_text(encoding="utf-8") for page in pages(site / student)}
        search = json.loads((site / student / "search" / "search_index.json").read_text(encoding="utf-8"))
        locations = {doc["location"].split("#")[0] for doc in search["docs"]}
        for relative in files:
            page_name = relative[:-3] + ".html"
            assert not (site / student / page_name).exists(), page_name
            assert page_name not in locations
            linking = [p.relative_to(site).as_posix() for p, text in html.items() if os.path.basename(page_name) + '"' in text]
            assert linking == [], f"{page_name} is still linked from {linking}"
    # The other entries of the same students are there.
    assert (site / "student-0000" / "reflecties" / "reflection-001.html").is_file()


def test_every_page_of_a_student_with_slips_shows_the_notice(built):
    root, site, result, _, _ = built
    broken = entries_with_errors(root, result)
    for student, files in broken.items():
        for page in pages(site / student):
            text = page.read_text(encoding="utf-8")
            assert NOTICE in text, page
            for relative in files:
                assert f"<code>{relative}</code>" in text, (page, relative)
    start = (site / "student-0002" / "index.html").read_text(encoding="utf-8")
    assert "regel 4: datum &#39;2017-02-30&#39; bestaat niet" in start
    for student in {p.name for p in site.iterdir() if p.is_dir()} - set(broken) - {"assets", "search", "overzicht"}:
        assert NOTICE not in (site / student / "index.html").read_text(encoding="utf-8")


def test_the_notice_is_not_in_the_search_index(built):
    _, site, _, _, _ = built
    assert NOTICE not in (site / "student-0000" / "search" / "search_index.json").read_text(encoding="utf-8")


def test_an_entry_with_a_privacy_error_keeps_its_photo_off_the_site(built):
    root, site, _, _, _ = built
    assert (root / "student-0001" / "bewijzen" / "evidence-000.jpg").is_file()
    assert not (site / "student-0001" / "bewijzen" / "evidence-000.jpg").exists()
    assert (site / "student-0001" / "bewijzen" / "evidence-001.jpg").is_file()  # a photo without the slip is there


def test_the_overview_marks_each_student_with_the_count_and_a_link(built):
    root, site, result, _, _ = built
    overview = (site / "index.html").read_text(encoding="utf-8")
    for student, files in entries_with_errors(root, result).items():
        count = len(files)
        label = f"{count} item weggelaten" if count == 1 else f"{count} items weggelaten"
        assert f'href="{student}/index.html#weggelaten">{label} wegens fouten</a>' in overview, student
        assert (site / student / "index.html").read_text(encoding="utf-8").count('id="weggelaten"') == 1


def test_a_changed_sign_off_and_a_broken_profile_still_build(tmp_path):
    """SG001 is a state on the evaluation, not a reason to leave it out; a broken profile leaves
    the start page with the folder name and the notice."""
    from conftest import PROFILE, REFLECTION, Cohort

    cohort = Cohort(tmp_path / "cohorte")
    cohort.entry("evaluaties/tussentijds.md", "type: evaluation\ntitle: Tussentijds\ndate: 2018-01-25\nmoment: tussentijds\n"
                 "ratings:\n  FG1: {self: '+-', mentor: '+', coach: '+'}\n"
                 "signoff:\n  - by: mentor-an\n    date: 2018-01-26\n    sha256: '" + "0" * 64 + "'")
    cohort.write("piet-claes/index.md", PROFILE.replace("program: lager", "program: hoger"))
    cohort.write("piet-claes/reflecties/eerste-week.md", REFLECTION)

    lines: list[str] = []
    summary = build_cohort(cohort.root, tmp_path / "site", echo=lines.append)

    assert summary.exit_code == 1 and summary.built == ["jan-peeters", "piet-claes"]
    site = tmp_path / "site"
    evaluation = (site / "jan-peeters" / "evaluaties" / "tussentijds.html").read_text(encoding="utf-8")
    assert "gewijzigd na ondertekening" in evaluation and NOTICE not in evaluation
    assert "gewijzigd na ondertekening" in (site / "jan-peeters" / "evaluaties.html").read_text(encoding="utf-8")
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert "evaluatie &#39;Tussentijds&#39; gewijzigd na ondertekening door An Peeters" in overview

    start = (site / "piet-claes" / "index.html").read_text(encoding="utf-8")
    assert NOTICE in start and "<code>index.md</code> <span class=\"tl-banner__state\">profiel weggelaten</span>" in start
    assert "Het profiel staat niet op de site" in start and "Jan Peeters" not in start
    assert (site / "piet-claes" / "reflecties" / "eerste-week.html").is_file()
