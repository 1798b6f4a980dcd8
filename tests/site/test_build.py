"""The build pipeline, with real MkDocs builds of small docs trees.

The render functions here stand in for pages.py: they write a few Markdown pages per
student from a plain dict, so these tests do not depend on the portfolio model.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from trialoog.site.builder import BuildInput, SiteSpec, StudentSource, build_sites
from trialoog.site.engine import EngineError

STUDENTS = ("amina-el-khatib", "bram-peeters", "chloe-janssens")


def render_student(context: dict, student_id: str, docs: Path) -> SiteSpec:
    if student_id in context.get("explode", ()):
        raise context["explode"][student_id]
    text = (context["folders"] / student_id / "reflectie.md").read_text(encoding="utf-8")
    (docs / "reflecties").mkdir()
    (docs / "index.md").write_text(f"# {student_id}\n\n[Eerste week](reflecties/eerste-week.md)\n", encoding="utf-8")
    (docs / "reflecties" / "eerste-week.md").write_text(f"# Eerste week\n\n{text}\n", encoding="utf-8")
    return SiteSpec(site_name=f"Portfolio {student_id}", nav=[{"Start": "index.md"}, {"Reflecties": ["reflecties/eerste-week.md"]}])


def render_overview(context: dict, docs: Path, site_ids: list[str]) -> SiteSpec:
    if "explode_overview" in context:
        raise context["explode_overview"]
    rows = "\n".join(f"- [{student_id}]({student_id}/index.html)" for student_id in site_ids)
    (docs / "index.md").write_text(f"# Cohort\n\n{rows}\n", encoding="utf-8")
    return SiteSpec(site_name="Cohort 2017-2018", nav=[{"Overzicht": "index.md"}])


@pytest.fixture
def cohort(tmp_path) -> Path:
    folders = tmp_path / "portfolios"
    for student_id in STUDENTS:
        (folders / student_id).mkdir(parents=True)
        (folders / student_id / "reflectie.md").write_text(f"Klasmanagement bij {student_id}.", encoding="utf-8")
    (folders / "portfolio.yml").write_text("title: Cohort\n", encoding="utf-8")
    return folders


def source_for(folders: Path, errors: dict[str, tuple[str, ...]] | None = None, **context) -> BuildInput:
    errors = errors or {}
    students = tuple(StudentSource(sid, folders / sid, errors.get(sid, ())) for sid in STUDENTS)
    return BuildInput(
        context={"folders": folders, **context},
        students=students,
        render_student=render_student,
        render_overview=render_overview,
        shared_files=(folders / "portfolio.yml",),
        salt="audience=student",
    )


def build(source: BuildInput, out: Path, **options):
    lines: list[str] = []
    summary = build_sites(source, out, echo=lines.append, **{"jobs": 1, **options})
    return summary, lines


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}-"))


def test_builds_a_site_per_student_and_the_overview_at_the_root(cohort, tmp_path):
    out = tmp_path / "site"
    summary, lines = build(source_for(cohort), out, jobs=2)

    assert summary.exit_code == 0 and summary.built == list(STUDENTS)
    assert "Klasmanagement bij bram-peeters." in (out / "bram-peeters" / "reflecties" / "eerste-week.html").read_text()
    assert 'href="amina-el-khatib/index.html"' in (out / "index.html").read_text()
    assert sum(line.startswith("[") for line in lines) == len(STUDENTS)  # a progress line per student
    assert lines[-1].startswith("Klaar in") and "3 gebouwd, 0 ongewijzigd, 0 overgeslagen met fouten" in lines[-1]
    assert leftovers(out) == []


def test_theme_assets_are_stored_once_and_every_local_link_resolves(cohort, tmp_path):
    out = tmp_path / "site"
    summary, _ = build(source_for(cohort), out)

    assert (out / "assets" / "javascripts").is_dir()
    for student_id in STUDENTS:
        assert not (out / student_id / "assets").exists()
        assert not (out / student_id / "404.html").exists()
    assert summary.bytes_saved > 2 * 2_000_000
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        urls = re.findall(r'\s(?:href|src)="([^"#]+)', html) + re.findall(r'"search":\s*"([^"]+)"', html)
        for url in urls:
            if url.startswith(("http:", "https:")):
                continue
            target = out / url.lstrip("/") if url.startswith("/") else page.parent / url
            assert target.resolve().is_file(), f"{page.relative_to(out)}: {url}"


def test_two_builds_of_the_same_input_are_byte_identical(cohort, tmp_path):
    build(source_for(cohort), tmp_path / "first", jobs=2)
    build(source_for(cohort), tmp_path / "second", jobs=1)

    assert tree(tmp_path / "first") == tree(tmp_path / "second")


def test_unchanged_students_are_carried_over_and_a_change_rebuilds_only_its_student(cohort, tmp_path):
    out = tmp_path / "site"
    build(source_for(cohort), out)
    first = tree(out)

    again, lines = build(source_for(cohort), out)
    assert again.built == [] and again.unchanged == list(STUDENTS)
    assert "ongewijzigd" in lines[0]
    assert tree(out) == first

    (cohort / "bram-peeters" / "reflectie.md").write_text("Nieuwe inzichten.", encoding="utf-8")
    changed, _ = build(source_for(cohort), out)
    assert changed.built == ["bram-peeters"]
    assert "Nieuwe inzichten." in (out / "bram-peeters" / "reflecties" / "eerste-week.html").read_text()

    (cohort / "portfolio.yml").write_text("title: Ander cohort\n", encoding="utf-8")
    everything, _ = build(source_for(cohort), out)
    assert everything.built == list(STUDENTS)


def test_a_student_with_errors_is_skipped_and_the_others_are_built(cohort, tmp_path):
    out = tmp_path / "site"
    error = "portfolios/bram-peeters/index.md:3:1: E101 onbekende competentie 'FG11' — bedoel je 'FG1'?"
    summary, lines = build(source_for(cohort, errors={"bram-peeters": (error,)}), out)

    assert summary.exit_code == 1
    assert summary.skipped == ["bram-peeters"] and summary.built == ["amina-el-khatib", "chloe-janssens"]
    assert error in lines
    assert not (out / "bram-peeters").exists()
    assert "bram-peeters" not in (out / "index.html").read_text()
    assert "1 overgeslagen met fouten" in lines[-1]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_overview_leaves_the_previous_site_intact(cohort, tmp_path, jobs):
    out = tmp_path / "site"
    build(source_for(cohort), out)
    before = tree(out)
    (cohort / "chloe-janssens" / "reflectie.md").write_text("Gewijzigd.", encoding="utf-8")

    broken = source_for(cohort, explode_overview=EngineError("MkDocs kon niet bouwen"))
    summary, lines = build(broken, out, jobs=jobs)

    assert summary.exit_code == 1 and "MkDocs kon niet bouwen" in summary.failure
    assert lines[-1].startswith("Bouwen mislukt")
    assert tree(out) == before
    assert leftovers(out) == []


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("accident, reason", [
    (EngineError("MkDocs kon niet bouwen"), "de site-engine faalde: MkDocs kon niet bouwen"),
    # What a `\r` in a title once did in the worker: the slot placeholders broke.
    (ValueError("plaatshouder 0 niet precies één keer in de pagina gevonden"), "interne fout bij het bouwen: ValueError: plaatshouder 0"),
])
def test_one_students_failing_build_skips_only_that_student(cohort, tmp_path, jobs, accident, reason):
    out = tmp_path / "site"
    build(source_for(cohort), out)
    (cohort / "chloe-janssens" / "reflectie.md").write_text("Gewijzigd.", encoding="utf-8")
    (cohort / "amina-el-khatib" / "reflectie.md").write_text("Ook gewijzigd.", encoding="utf-8")

    broken = source_for(cohort, explode={"chloe-janssens": accident})
    summary, lines = build(broken, out, jobs=jobs)

    assert summary.failure is None and summary.exit_code == 1
    assert summary.failed == ["chloe-janssens"] and summary.built == ["amina-el-khatib"]
    assert any(line.startswith(f"chloe-janssens: overgeslagen — {reason}") for line in lines), lines
    assert "1 overgeslagen door een interne fout" in lines[-1]
    assert "Ook gewijzigd." in (out / "amina-el-khatib" / "reflecties" / "eerste-week.html").read_text()
    assert (out / "bram-peeters" / "index.html").is_file()
    assert not (out / "chloe-janssens").exists()
    assert "chloe-janssens" not in (out / "index.html").read_text()  # the overview was built again without it
    assert leftovers(out) == []

    repaired, _ = build(source_for(cohort), out, jobs=jobs)  # not in the manifest: built again
    assert repaired.built == ["chloe-janssens"] and repaired.exit_code == 0


def test_an_interrupted_build_leaves_the_previous_site_intact(cohort, tmp_path):
    out = tmp_path / "site"
    build(source_for(cohort), out)
    before = tree(out)
    (cohort / "chloe-janssens" / "reflectie.md").write_text("Gewijzigd.", encoding="utf-8")
    (cohort / "amina-el-khatib" / "reflectie.md").write_text("Ook gewijzigd.", encoding="utf-8")

    interrupted = source_for(cohort, explode={"chloe-janssens": KeyboardInterrupt()})
    with pytest.raises(KeyboardInterrupt):
        build(interrupted, out)

    assert tree(out) == before
    assert leftovers(out) == []


def test_student_option_builds_only_that_student(cohort, tmp_path):
    out = tmp_path / "site"
    build(source_for(cohort), out)
    for student_id in ("amina-el-khatib", "bram-peeters"):
        (cohort / student_id / "reflectie.md").write_text("Gewijzigd.", encoding="utf-8")

    summary, _ = build(source_for(cohort), out, student="bram-peeters")

    assert summary.built == ["bram-peeters"] and summary.unchanged == ["chloe-janssens"]
    assert summary.left_out == ["amina-el-khatib"] and summary.exit_code == 0
    unknown, _ = build(source_for(cohort), out, student="nobody")
    assert unknown.exit_code == 2 and "onbekende student 'nobody'" in unknown.failure


def test_a_student_folder_named_like_the_overviews_assets_is_skipped(cohort, tmp_path):
    shutil.copytree(cohort / "bram-peeters", cohort / "assets")
    source = source_for(cohort)
    source = BuildInput(**{**source.__dict__, "students": (*source.students, StudentSource("assets", cohort / "assets"))})

    summary, lines = build(source, tmp_path / "site")

    assert summary.exit_code == 1 and summary.skipped == ["assets"] and summary.built == list(STUDENTS)
    assert any("voorbehouden" in line for line in lines)
    assert (tmp_path / "site" / "assets" / "javascripts").is_dir()  # the overview's, untouched
