"""Paper, printed by Chromium: `trialoog pdf` on the example cohort, as a mentor or the exam board
gets it. Every driegesprek fits two A4 pages, Amina's whole portfolio at most 30; every page names
the student and has its page number; the text is selectable, the PDF has an outline and structure
tags; nothing meant for the screen is on paper; a student's own file is never overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from browser.conftest import CHROMIUM, EXAMPLE, INSTALL, REPO, STUDENT, require_tool

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DRIEGESPREK_PAGES = 2
PORTFOLIO_PAGES = 30  # Amina's afdrukken (issue 10)


def run_pdf(source: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "trialoog", "pdf", str(source), "--out", str(out), *extra]
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1", "TRIALOOG_CHROMIUM": CHROMIUM}
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=900)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The example cohort, built and printed once by `trialoog pdf`."""
    require_tool("playwright", INSTALL["playwright"], module="playwright")
    require_tool("chromium", INSTALL["chromium"], path=CHROMIUM)
    require_tool("pypdf", "pip install -e '.[test]'", module="pypdf")
    from trialoog.portfolio.load import load_cohort

    out = tmp_path_factory.mktemp("papier") / "site"
    result = run_pdf(EXAMPLE, out)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    return out, load_cohort(EXAMPLE), result


def read(path: Path):
    from pypdf import PdfReader

    assert path.is_file(), f"{path} ontbreekt"
    return PdfReader(path)


def page_texts(reader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles.extend(outline_titles(item) if isinstance(item, list) else [item.title])
    return titles


def test_every_driegesprek_fits_two_pages_with_name_date_and_page_numbers(printed):
    out, cohort, _ = printed
    assert len(cohort.students) >= 3
    for student in cohort.students:
        name = student.profile_model.name
        pages = page_texts(read(out / student.id / "driegesprek.pdf"))
        assert 1 <= len(pages) <= DRIEGESPREK_PAGES, f"{student.id}: driegesprek op {len(pages)} bladzijden"
        for number, text in enumerate(pages, start=1):
            assert name in text, f"{student.id}: naam ontbreekt op bladzijde {number}"
            assert "driegesprek van " in text, f"{student.id}: datum van het gesprek ontbreekt op bladzijde {number}"
            assert f"pagina {number} van {len(pages)}" in text, f"{student.id}: paginanummer op bladzijde {number}"
        whole = " ".join(pages)
        for box in ("Vragen van de student", "Afspraken", "Nieuwe leerdoelen", "Handtekening", "Datum"):
            assert box in whole, f"{student.id}: vak '{box}' ontbreekt"


def test_the_driegesprek_has_what_the_conversation_needs_and_nothing_for_the_screen(printed):
    out, cohort, _ = printed
    student = cohort.student(STUDENT)
    text = " ".join(page_texts(read(out / STUDENT / "driegesprek.pdf")))
    assert "Sinds het vorige gesprek" in text
    assert "Mijlpalen: wat nog ontbreekt" in text and "Open leerdoelen" in text and "Feedback nog open" in text
    open_goal = next(g for g in student.published("goal", private=False) if g.model.status != "behaald")
    assert open_goal.model.title in text
    # The sparkline's words are printed; the table beside it is for screen readers on screen only.
    assert "scores van" in text and "Welbevinden per reflectie" not in text
    # Screen-only: the print hint, Material's navigation and search.
    for screen_only in ("afdrukmenu", "Zoeken", "Groei", "Naar inhoud"):
        assert screen_only not in text, f"'{screen_only}' staat op papier"


def test_aminas_portfolio_has_a_cover_contents_and_at_most_30_pages(printed):
    out, cohort, _ = printed
    student = cohort.student(STUDENT)
    reader = read(out / STUDENT / "portfolio.pdf")
    pages = page_texts(reader)
    assert len(pages) <= PORTFOLIO_PAGES, f"afdrukken van {STUDENT}: {len(pages)} bladzijden"
    name = student.profile_model.name
    for number, text in enumerate(pages, start=1):
        assert f"Portfolio van {name}" in text and f"pagina {number} van {len(pages)}" in text, f"bladzijde {number}"
    cover = pages[0]
    profile = student.profile_model
    for fact in ("Opleiding", "School", profile.school.name, "Coach", "Cohorte", cohort.config.title, "Stand op"):
        assert fact in cover, f"voorblad zonder '{fact}'"
    assert "Inhoud" in pages[1]
    whole = " ".join(pages)
    assert whole.index("Competentiematrix") < whole.index("Evaluaties") < whole.index("Items per datum")
    published = [e for e in student.published(private=False) if e.type != "feedback"]
    missing = [e.id for e in published if " ".join(e.model.title.split()) not in whole]
    assert missing == [], f"niet afgedrukt: {missing}"
    # Items flow on: far fewer pages than items (every item on its own page made 59).
    assert len(pages) < len(published)


def test_the_pdfs_have_an_outline_from_the_headings_and_structure_tags(printed):
    out, cohort, _ = printed
    student = cohort.student(STUDENT)
    reader = read(out / STUDENT / "portfolio.pdf")
    titles = outline_titles(reader.outline)
    for heading in ("Competentiematrix", "Evaluaties", "Leerdoelen", "Items per datum"):
        assert heading in titles, f"'{heading}' niet in de inhoudsopgave van de pdf: {titles[:12]}"
    goal = student.published("goal", private=False)[0]
    assert goal.model.title in titles, "een item is een bladwijzer onder zijn deel"
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], "geen getagde pdf"
    assert outline_titles(read(out / STUDENT / "driegesprek.pdf").outline)


def test_the_item_title_is_the_biggest_heading_of_each_item(printed):
    """In the outline, the student's own headings (Handelen, Terugblikken …) sit below the item."""
    out, cohort, _ = printed
    reader = read(out / STUDENT / "portfolio.pdf")

    def depth_of(outline, title, depth=0):
        for item in outline:
            if isinstance(item, list):
                found = depth_of(item, title, depth + 1)
                if found is not None:
                    return found
            elif item.title == title:
                return depth
        return None

    student = cohort.student(STUDENT)
    reflection = next(e for e in student.published("reflection", private=False) if re.search(r"^#{1,2} ", e.doc.body, re.M))
    item_depth = depth_of(reader.outline, reflection.model.title)
    assert item_depth is not None
    own = re.search(r"^#{1,2} (.+)$", reflection.doc.body, re.M)[1].strip()
    own_depths = [d for d in [depth_of(reader.outline, own)] if d is not None]
    assert own_depths and min(own_depths) > item_depth, f"'{own}' staat niet onder '{reflection.model.title}'"


def test_a_second_run_replaces_its_own_pdfs_but_never_a_students_file(printed, tmp_path):
    out, _, _ = printed
    cohort_copy = tmp_path / "cohorte"
    shutil.copytree(EXAMPLE, cohort_copy)
    student = cohort_copy / "jonas-verbeke"
    own = b"%PDF-1.4\n% het eigen portfolio van Jonas, als bijlage\n"
    (student / "portfolio.pdf").write_bytes(own)
    evidence = next(p for p in (student / "bewijzen").glob("*.md") if "attachments: [" in p.read_text(encoding="utf-8"))
    text = evidence.read_text(encoding="utf-8")
    evidence.write_text(text.replace("attachments: [", "attachments: [../portfolio.pdf, ", 1), encoding="utf-8")
    site = tmp_path / "site"
    first = run_pdf(cohort_copy, site, "--student", "jonas-verbeke")
    assert first.returncode == 1, f"{first.stdout}\n{first.stderr}"
    assert "niet door `trialoog pdf` gemaakt" in first.stdout + first.stderr
    assert (site / "jonas-verbeke" / "portfolio.pdf").read_bytes() == own, "de bijlage van de student is overschreven"
    assert (site / "jonas-verbeke" / "driegesprek.pdf").read_bytes().startswith(b"%PDF")
    # Again, unchanged: the build keeps the student's folder, and `pdf` replaces only its own PDF.
    before = (site / "jonas-verbeke" / "driegesprek.pdf").stat().st_ino
    second = run_pdf(cohort_copy, site, "--student", "jonas-verbeke")
    assert second.returncode == 1 and (site / "jonas-verbeke" / "portfolio.pdf").read_bytes() == own
    after = site / "jonas-verbeke" / "driegesprek.pdf"
    assert after.read_bytes().startswith(b"%PDF") and after.stat().st_ino != before, "zijn eigen pdf is vervangen"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_driegesprek_page_has_no_serious_or_critical_wcag_violations(browser, site_url, example_cohort, scheme):
    """The print page is in test_accessibility.py's key pages; the driegesprek is checked here."""
    from browser.test_accessibility import AXE, BLOCKING, describe, run_axe
    from trialoog.site.pdf import printed_pages

    require_tool("axe-core", INSTALL["axe-core"], path=AXE)
    url = f"{site_url}{STUDENT}/{printed_pages(example_cohort, STUDENT)['driegesprek.pdf']}"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        violations = [v for v in run_axe(page, AXE.read_text(encoding="utf-8")) if v["impact"] in BLOCKING]
        assert violations == [], f"{url} ({scheme}):\n{describe(violations)}"
    finally:
        context.close()


def test_a_driegesprek_of_a_busy_year_still_fits_two_pages(tmp_path):
    """120 entries, feedback piling up, ratings far apart, errors left out: the lists stay short
    (the newest lines, with where the rest is) so the paper keeps its two pages."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("synthetic", REPO / "bench" / "synthetic.py")
    synthetic = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synthetic)
    cohort = synthetic.generate(tmp_path / "cohorte", students=1, entries=120, seed=5)
    site = tmp_path / "site"
    result = run_pdf(cohort, site)
    assert result.returncode in (0, 1), f"{result.stdout}\n{result.stderr}"  # 1: the entries with slips
    (student,) = [p for p in site.iterdir() if (p / "driegesprek.pdf").is_file()]
    pages = page_texts(read(student / "driegesprek.pdf"))
    assert len(pages) <= DRIEGESPREK_PAGES, f"{len(pages)} bladzijden"
    assert "Handtekening" in pages[-1]


@pytest.mark.parametrize("pdf_name", ["driegesprek.pdf", "portfolio.pdf"])
def test_the_print_pages_do_not_scroll_sideways_on_a_phone(browser, site_url, example_cohort, pdf_name):
    """390 px: only a wide table scrolls, inside its own frame; the page itself does not."""
    from trialoog.site.pdf import printed_pages

    url = f"{site_url}{STUDENT}/{printed_pages(example_cohort, STUDENT)[pdf_name]}"
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
    finally:
        context.close()


def test_paper_is_white_when_the_screen_is_dark(browser, site_url, example_cohort):
    """A mentor who reads in the dark scheme still prints black on white (margins included:
    the root's colour scheme is what Chromium paints them with)."""
    from trialoog.site.pdf import printed_pages

    url = f"{site_url}{STUDENT}/{printed_pages(example_cohort, STUDENT)['driegesprek.pdf']}"
    context = browser.new_context(color_scheme="dark", locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate", "the screen is dark"
        page.emulate_media(media="print")
        colours = page.evaluate("""() => {
            const style = (element) => getComputedStyle(element);
            return [style(document.documentElement).colorScheme, style(document.body).backgroundColor,
                    style(document.querySelector('article')).color];
        }""")
        assert colours[0].startswith("light") and colours[1] == "rgb(255, 255, 255)", colours
        assert colours[2].startswith("rgba(0, 0, 0") or colours[2].startswith("rgb(0, 0, 0"), colours
    finally:
        context.close()
