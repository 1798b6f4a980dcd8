"""The example cohort, built for real, read the way a reader would check it.

Expectations are computed from the model here, independently of trialoog.site.views, so a counting
mistake in the generator cannot agree with itself.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from trialoog.site.build import build_cohort
from trialoog.checks import run_check
from trialoog.site.engine import ZensicalEngine
from trialoog.output.formats import render
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.model import EVIDENCE_TYPES

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolios"
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")
SECTION_TYPES = ("reflection", "task", "evidence", "meeting")

pytestmark = pytest.mark.slow


def build(source: Path, out: Path, **options):
    lines: list[str] = []
    summary = build_cohort(source, out, echo=lines.append, **{"jobs": 2, **options})
    return summary, lines


@pytest.fixture(scope="module")
def cohort():
    return load_cohort(EXAMPLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("voorbeeld") / "site"
    summary, lines = build(EXAMPLE, out)
    assert summary.exit_code == 0, lines
    return out


@pytest.fixture(scope="module")
def evaluation_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("evaluatie") / "site"
    summary, lines = build(EXAMPLE, out, audience="evaluation")
    assert summary.exit_code == 0, lines
    return out


def text_of(folder: Path) -> str:
    """Everything a reader can read in the HTML pages below `folder`, whitespace normalised."""
    pages = sorted(folder.rglob("*.html"))
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", " ".join(p.read_text(encoding="utf-8") for p in pages))))


def fragment(entry) -> str:
    """A sentence of the entry's own text, as it reads on a page."""
    lines = [line for line in entry.doc.body.splitlines() if line.strip() and not line.lstrip().startswith(("#", "-", "!", "<", "|"))]
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", lines[0]) if lines else entry.model.title
    return SPACE.sub(" ", plain.replace("**", "").replace("*", "")).strip()[:50]


def student_texts(out: Path, cohort) -> dict[str, str]:
    return {student.id: text_of(out / student.id) for student in cohort.students}


def public_entries(student) -> list:
    """Published and not private; feedback on a private entry is private too."""
    def about_private(entry):
        target = student.by_id.get(entry.model.on) if entry.type == "feedback" else None
        return target is not None and target.model is not None and target.model.private
    return [entry for entry in student.published(private=False) if not about_private(entry)]


def test_every_published_entry_is_on_its_students_site_and_no_other(site, cohort):
    texts = student_texts(site, cohort)
    for student in cohort.students:
        for entry in public_entries(student):
            assert (site / student.id / f"{entry.id}.html").is_file(), entry.id
            words = fragment(entry)
            assert words in texts[student.id], f"{student.id}/{entry.id}: '{words}' ontbreekt"
            others = [other for other, text in texts.items() if other != student.id and words in text]
            assert others == [], f"{student.id}/{entry.id} staat ook bij {others}"


def test_drafts_are_nowhere_and_private_entries_only_in_the_evaluation_build(site, evaluation_site, cohort):
    drafts = [(s, e) for s in cohort.students for e in s.entries if e.model and e.model.draft]
    private = [(s, e) for s in cohort.students for e in s.entries if e.model and e.model.private and not e.model.draft]
    assert drafts and private, "het voorbeeld hoort een concept en een privé-item te hebben"
    student_build, evaluation_build = text_of(site), text_of(evaluation_site)
    for student, entry in drafts:
        assert not (site / student.id / f"{entry.id}.html").exists()
        assert not (evaluation_site / student.id / f"{entry.id}.html").exists()
        assert fragment(entry) not in student_build and fragment(entry) not in evaluation_build
        assert entry.model.title not in student_build and entry.model.title not in evaluation_build
    for student, entry in private:
        assert not (site / student.id / f"{entry.id}.html").exists()
        assert fragment(entry) not in student_build
        assert (evaluation_site / student.id / f"{entry.id}.html").is_file()
        assert fragment(entry) in text_of(evaluation_site / student.id)


def test_each_matrix_cell_counts_the_entries_that_cite_its_competence(site, cohort):
    cells = re.compile(r'<tr class="[^"]*" data-code="([^"]+)">(.*?)</tr>', re.DOTALL)
    count = re.compile(r'data-type="([a-z]+)" data-count="(\d+)"')
    for student in cohort.students:
        page = (site / student.id / "competenties.html").read_text(encoding="utf-8")
        rows = {code: dict(count.findall(row)) for code, row in cells.findall(page)}
        assert set(rows) == set(cohort.framework.codes())
        published = [e for e in student.published(private=False) if e.type in EVIDENCE_TYPES]
        for code, shown in rows.items():
            for kind in SECTION_TYPES:
                citing = [e for e in published if e.type == kind and any(c == code or c.startswith(code + ".") for c in e.model.competences)]
                assert int(shown[kind]) == len(citing), f"{student.id} {code} {kind}"


def test_the_overview_shows_the_milestone_numbers_of_check(site, cohort):
    report = json.loads(render(run_check(cohort), "json"))
    overview = (site / "index.html").read_text(encoding="utf-8")
    for student in report["students"]:
        row = re.search(rf'<tr data-student="{student["id"]}"[^>]*>(.*?)</tr>', overview, re.DOTALL)[1]
        for milestone in student["milestones"]:
            cell = re.search(rf'data-milestone="{milestone["id"]}"[^>]*>(.*?)</td>', row, re.DOTALL)[1]
            # In words per kind of requirement: reflections by number, the others by requirements met.
            for word, prefix in (("competenties", "bewijzen voor "), ("taken", "ingediende taak "), ("evaluaties", "evaluatie ")):
                items = [r for r in milestone["requirements"] if r["label"].startswith(prefix)]
                if items:
                    assert f"{word} {sum(r['met'] for r in items)}/{len(items)}" in cell, f"{student['id']} {milestone['id']}"
            for r in milestone["requirements"]:
                if r["label"] == "reflecties":
                    assert f"reflecties {min(r['have'], r['need'])}/{r['need']}" in cell, f"{student['id']} {milestone['id']}"
            page = (site / "overzicht" / f"mijlpaal-{milestone['id']}.html").read_text(encoding="utf-8")
            shown = re.findall(rf'<tr data-student="{student["id"]}">.*?</tr>', page, re.DOTALL)
            unmet = [r for r in milestone["requirements"] if not r["met"]]
            listed = re.findall(r'data-have="(\d+)" data-need="(\d+)"', shown[0]) if shown else []
            assert listed == [(str(r["have"]), str(r["need"])) for r in unmet], f"{student['id']} {milestone['id']}"


def test_every_local_link_and_image_resolves(site):
    url = re.compile(r'\s(?:href|src)="([^"#?]+)[^"]*"')
    broken = []
    for page in site.rglob("*.html"):
        for target in url.findall(page.read_text(encoding="utf-8")):
            if not re.match(r"^[a-z]+:", target) and not (page.parent / html.unescape(target)).resolve().exists():
                broken.append(f"{page.relative_to(site)}: {target}")
    assert broken == []


def test_charts_are_svg_with_a_text_alternative_and_nothing_comes_from_another_host(site, cohort):
    for student in cohort.students:
        page = (site / student.id / "welbevinden.html").read_text(encoding="utf-8")
        if any(e.model.wellbeing for e in student.published("reflection", private=False)):
            assert '<svg viewBox' in page and 'role="img"' in page and "<desc" in page
            assert 'class="tl-chart-table"' in page
    for page in site.rglob("*.html"):
        markup = page.read_text(encoding="utf-8")
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="(?:https?:)?//', markup), page
        assert "fonts.googleapis" not in markup


def test_a_student_with_errors_is_built_without_the_broken_entry(tmp_path, cohort):
    source = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, source)
    reflection = source / "jonas-verbeke" / "reflecties" / "2017-09-15-eerste-weken.md"
    reflection.write_text(reflection.read_text(encoding="utf-8").replace("competences: [", "competences: [FG11, ", 1), encoding="utf-8")

    summary, lines = build(source, tmp_path / "site")

    assert summary.exit_code == 1 and summary.skipped == [] and summary.incomplete == ["jonas-verbeke"]
    assert any("FG11" in line and "2017-09-15-eerste-weken.md" in line for line in lines)
    site = tmp_path / "site" / "jonas-verbeke"
    assert not (site / "reflecties" / "2017-09-15-eerste-weken.html").exists()
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "Niet alles staat op deze site." in start and "reflecties/2017-09-15-eerste-weken.md" in start
    assert "2017-09-15-eerste-weken" not in (site / "search" / "search_index.json").read_text(encoding="utf-8")
    for student in cohort.students:
        assert (tmp_path / "site" / student.id / "index.html").is_file()
    overview = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="jonas-verbeke/index.html#weggelaten">1 item weggelaten wegens fouten</a>' in overview


def test_two_builds_of_the_example_are_byte_identical(site, tmp_path):
    again, _ = build(EXAMPLE, tmp_path / "site", jobs=1)
    assert again.exit_code == 0
    first = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    second = {p.relative_to(tmp_path / "site").as_posix(): p.read_bytes() for p in sorted((tmp_path / "site").rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_zensical_builds_the_example_cohort(tmp_path, cohort):
    if ZensicalEngine.command() is None:
        pytest.skip("Zensical is niet geïnstalleerd (pip install 'trialoog[zensical]')")
    summary, lines = build(EXAMPLE, tmp_path / "site", engine="zensical")
    assert summary.exit_code == 0, lines
    for student in cohort.students:
        page = (tmp_path / "site" / student.id / "competenties.html").read_text(encoding="utf-8")
        assert 'class="tl-matrix"' in page
    assert not (tmp_path / "site" / cohort.students[0].id / "assets").exists()
