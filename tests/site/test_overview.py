"""The evaluation team's dashboard: one colour scale, ranked signals, the student's own activity,
sign-off in words, disagreements, readable page names, the evaluation build's notice.

Built for real (MkDocs) where the claim is about pages; the expectations come from the files the
tests write, not from trialoog.site.overview.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest

from conftest import EXAMPLE, STUDENT
from trialoog.checks import run_check
from trialoog.portfolio.frontmatter import read_document
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.signature import content_hash
from trialoog.site import charts
from trialoog.site.build import build_cohort
from trialoog.site.exclusion import exclusions_of
from trialoog.site.overview import CohortView

OTHER = "lies-janssens"
EVALUATION_NOTICE = "Evaluatieteam — bevat privé-items, niet publiek delen"
HEAT_CELL = re.compile(r'class="tl-heat tl-heat-(\d)[^"]*"[^>]*data-count="(\d+)"')


def quiet(_line: str) -> None:
    pass


def add_student(cohort, student: str, name: str, coach: str = "coach-koen") -> None:
    cohort.write(f"{student}/index.md", f"""\
        ---
        type: profile
        title: "Portfolio van {name}"
        name: "{name}"
        program: kleuter
        mentors: [mentor-an]
        coach: {coach}
        ---

        # Over mij
        """)


def reflections(cohort, student: str, count: int, code: str, start: dt.date = dt.date(2017, 9, 1), **front) -> None:
    extra = "".join(f"\n{key}: {value}" for key, value in front.items())
    for n in range(count):
        day = start + dt.timedelta(days=n)
        cohort.entry(f"reflecties/r-{code.lower()}-{n:02d}.md", f"type: reflection\ntitle: R{n}\ndate: {day}\ncompetences: [{code}]{extra}",
                     student=student)


def view_of(cohort, as_of: dt.date = dt.date(2018, 3, 15)) -> CohortView:
    loaded = cohort.load()
    result = run_check(loaded, as_of)
    ids = {student.id for student in loaded.students}
    return CohortView(loaded, as_of, result.progress, exclusions_of(loaded, result.diagnostics), ids)


# -- one colour scale ---------------------------------------------------------------------------


def test_the_scale_gives_the_numbers_of_each_step():
    scale = charts.HeatScale(11)
    assert [(step.step, step.label) for step in scale.legend] == [(0, "0"), (1, "1–3"), (2, "4–5"), (3, "6–7"), (4, "8–9"), (5, "10–11")]
    assert [scale.step(count) for count in (0, 1, 3, 4, 11)] == [0, 1, 1, 2, 5]
    small = charts.HeatScale(2)  # fewer counts than steps: only the steps that hold a count are in the legend
    assert [(step.step, step.label) for step in small.legend] == [(0, "0"), (1, "1"), (3, "2")]
    assert charts.HeatScale.of([]).legend[0].label == "0"


def test_equal_counts_have_equal_colours_on_the_overview_and_on_every_matrix(cohort, tmp_path):
    add_student(cohort, OTHER, "Lies Janssens")
    reflections(cohort, OTHER, 11, "FG1")
    reflections(cohort, OTHER, 2, "FG2")
    reflections(cohort, STUDENT, 1, "FG2", start=dt.date(2017, 10, 1))  # with eerste-week: FG1 1, FG2 1
    out = tmp_path / "site"
    build_cohort(cohort.root, out, jobs=1, echo=quiet)

    colour_of: dict[int, set[str]] = {}
    overview = (out / "index.html").read_text(encoding="utf-8")
    pages = [overview] + [(out / student / "competenties.html").read_text(encoding="utf-8") for student in (STUDENT, OTHER)]
    for page in pages:
        for step, count in HEAT_CELL.findall(page):
            colour_of.setdefault(int(count), set()).add(step)
    assert {count: len(steps) for count, steps in colour_of.items()} == {count: 1 for count in colour_of}
    assert {0, 1, 2, 11} <= set(colour_of)
    assert colour_of[11] == {"5"} and colour_of[2] == {"1"}, "Jan's 2 is light, as light as Lies's 2, not as dark as her 11"
    for page in pages:
        assert "10–11" in page, "every page with the heat map gives the numbers of each colour"


def test_a_new_highest_count_elsewhere_rebuilds_an_unchanged_students_matrix(cohort, tmp_path):
    add_student(cohort, OTHER, "Lies Janssens")
    reflections(cohort, OTHER, 2, "FG1")
    out = tmp_path / "site"
    build_cohort(cohort.root, out, jobs=1, echo=quiet)
    before = (out / STUDENT / "competenties.html").read_text(encoding="utf-8")
    reflections(cohort, OTHER, 9, "FG2", start=dt.date(2017, 11, 1))
    build_cohort(cohort.root, out, jobs=1, echo=quiet)
    after = (out / STUDENT / "competenties.html").read_text(encoding="utf-8")
    # Highest 2, then 9: the legend's steps go from 1 · 2 to 1–2 · 3–4 · 5–6 · 7–8 · 9.
    assert "7–8" not in before and "7–8" in after, "Jan's unchanged matrix follows the cohort's new scale"


# -- signals ------------------------------------------------------------------------------------


def test_signals_are_ranked_and_the_most_urgent_student_comes_first(cohort):
    add_student(cohort, OTHER, "Aaron Aerts")  # first by name, but only late for a milestone
    cohort.entry("reflecties/a.md", "type: reflection\ntitle: A\ndate: 2017-10-16", student=OTHER)
    for day, score in (("2017-09-01", 4), ("2017-09-08", 3), ("2017-09-15", 2)):
        cohort.entry(f"reflecties/{day}.md", f"type: reflection\ntitle: R {day}\ndate: {day}\nwellbeing: {score}")
    view = view_of(cohort, dt.date(2017, 10, 20))
    rows = {row.id: row for row in view.rows}
    assert [signal.kind for signal in rows[STUDENT].signals] == ["welbevinden", "stil"]
    assert [signal.kind for signal in rows[OTHER].signals] == ["mijlpaal"]
    assert [row.id for row in view.rows] == [STUDENT, OTHER]


def test_inactivity_counts_only_what_the_student_wrote(cohort):
    cohort.entry("feedback/coach.md", "type: feedback\ntitle: Goed zo\ndate: 2018-03-10\non: reflecties/eerste-week\nby: coach-koen")
    row = view_of(cohort).rows[0]
    assert [signal.reason for signal in row.signals if signal.kind == "stil"] == ["geen nieuw item sinds 8 september 2017 (188 dagen)"]
    assert row.last_written is not None and row.last_written.id == "reflecties/eerste-week"

    cohort.entry("overleg/intervisie.md", "type: meeting\ntitle: Intervisie\ndate: 2018-03-12\nkind: intervisie")
    row = view_of(cohort).rows[0]
    assert [signal for signal in row.signals if signal.kind == "stil"] == [], "the student's own report is the student's activity"
    assert row.last_written is not None and row.last_written.id == "overleg/intervisie"


# -- ratings and sign-off -----------------------------------------------------------------------

EVALUATION = """\
type: evaluation
title: Tussentijds
date: 2018-01-20
moment: tussentijds
ratings:
  FG1: {self: "--", mentor: "+", coach: "+-"}
  FG2: {self: "+", mentor: "+", coach: "+-"}"""


def test_disagreements_of_two_levels_or_more_are_marked(cohort):
    cohort.entry("evaluaties/tussentijds.md", EVALUATION)
    row = view_of(cohort).rows[0]
    cells = {cell.code: cell for cell in row.heat}
    assert cells["FG1"].rating.levels == {"self": "--", "mentor": "+", "coach": "+-"}
    assert cells["FG1"].rating.disagrees and cells["FG1"].rating.spread == 3
    assert not cells["FG2"].rating.disagrees
    assert cells["FG3"].rating is None


def test_the_sign_off_state_is_in_words(cohort):
    assert view_of(cohort).rows[0].signoff.words == "nog geen evaluatie"
    path = cohort.entry("evaluaties/tussentijds.md", EVALUATION)
    assert view_of(cohort).rows[0].signoff.words == "niet ondertekend"

    digest = content_hash(read_document(path.read_bytes()))
    cohort.entry("evaluaties/tussentijds.md", EVALUATION + f"\nsignoff:\n  - {{by: mentor-an, date: 2018-01-22, sha256: {digest}}}")
    assert view_of(cohort).rows[0].signoff.words == "ondertekend door An Peeters op 22 januari 2018"

    changed = EVALUATION.replace('coach: "+-"}', 'coach: "+"}', 1)
    cohort.entry("evaluaties/tussentijds.md", changed + f"\nsignoff:\n  - {{by: mentor-an, date: 2018-01-22, sha256: {digest}}}")
    row = view_of(cohort).rows[0]
    assert row.signoff.words == "gewijzigd na ondertekening door An Peeters"
    assert "ondertekening" in row.signal_kinds


# -- pages --------------------------------------------------------------------------------------


def test_group_pages_have_readable_names():
    loaded = load_cohort(EXAMPLE)
    result = run_check(loaded)
    view = CohortView(loaded, result.as_of, result.progress, {}, {s.id for s in loaded.students})
    pages = [group.page for group in view.by_coach + view.by_school]
    assert "coach-koen-smets" in pages and "school-vrije-basisschool-de-regenboog" in pages
    assert len(pages) == len(set(pages))


@pytest.fixture(scope="module")
def evaluation_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("evaluatie") / "site"
    build_cohort(EXAMPLE, out, audience="evaluation", echo=quiet)
    return out


def test_an_evaluation_build_says_so_on_every_page(evaluation_site):
    pages = sorted(evaluation_site.rglob("*.html"))
    assert len(pages) > 50
    missing = [str(p.relative_to(evaluation_site)) for p in pages if EVALUATION_NOTICE not in html.unescape(p.read_text(encoding="utf-8"))]
    assert missing == []


def test_the_overview_has_no_empty_search_and_a_tab_title_without_repeats(evaluation_site):
    overview = (evaluation_site / "index.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", overview)[1]
    assert html.unescape(title) == "Overzicht - Werkplekleren 2017-2018 — Bachelor in het onderwijs"
    assert 'class="md-search"' not in overview and not (evaluation_site / "search").exists()
    student = (evaluation_site / "amina-el-khatib" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-search"' in student, "a student's site keeps its search"
    assert 'data-filter="search"' in overview, "the overview searches its own rows"
