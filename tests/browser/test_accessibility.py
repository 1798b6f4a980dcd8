"""Accessibility: axe-core (npm, node_modules/axe-core) injected into the built pages in Chromium.

Zero violations of impact serious or critical for the WCAG 2.0/2.1 A and AA rules, on the overview,
a student's start page, the competence matrix, an evaluation page and the print page, in the light
and the dark colour scheme (Material follows the reader's system setting). The matrix is used with
the keyboard (its cells are links that Tab reaches and Enter follows) and the charts have text
alternatives.
"""

from __future__ import annotations

import re

import pytest

from browser.conftest import AXE, INSTALL, require_tool

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
PAGES = ["overview", "start", "matrix", "evaluation", "print"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    require_tool("axe-core", INSTALL["axe-core"], path=AXE)
    return AXE.read_text(encoding="utf-8")


def run_axe(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        WCAG_TAGS,
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']} ({len(violation['nodes'])}×)")
        for node in violation["nodes"][:4]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(f"      {summary[:240]}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_wcag_violations(browser, site_url, key_pages, axe_source, name, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(site_url + getattr(key_pages, name), wait_until="networkidle")
        violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
        assert violations == [], f"{getattr(key_pages, name)} ({scheme}):\n{describe(violations)}"
    finally:
        context.close()


def test_axe_finds_a_violation_on_a_broken_page(browser, axe_source):
    """The harness itself works: an image without alt text is a critical violation."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_content('<!doctype html><html lang="nl"><title>t</title><main><img src="data:,"></main></html>')
        ids = {v["id"] for v in run_axe(page, axe_source) if v["impact"] in BLOCKING}
        assert "image-alt" in ids
    finally:
        context.close()


def test_matrix_cells_are_links_that_the_keyboard_reaches_and_follows(watched, site_url, key_pages):
    page = watched.page
    page.goto(site_url + key_pages.matrix, wait_until="networkidle")
    matrix = page.get_by_role("table", name=re.compile("Competentiematrix"))
    counts = matrix.locator("tbody td")
    linked = 0
    for cell in counts.all():
        number = cell.inner_text().strip()
        if number.isdigit() and int(number) > 0:
            assert cell.get_by_role("link").count() == 1, f"cel met {number} is geen link: {cell.inner_html()}"
            linked += 1
    assert linked > 10

    first_cell_link = matrix.locator("tbody td a").first
    target = first_cell_link.get_attribute("href")
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement && document.activeElement.closest('td') !== null && document.activeElement.closest('table') !== null && document.activeElement.getAttribute('href')")
        if focused:
            break
    else:
        pytest.fail("Tab bereikt geen enkele cel van de matrix")
    assert focused == target, "de eerste cel die Tab bereikt is de eerste link van de matrix"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "de cel met focus moet zichtbaar zijn (focusrand)"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("#")[0].endswith(target.split("#")[0].lstrip("./")), page.url
    assert watched.problems() == [] and watched.foreign_requests() == []


@pytest.mark.parametrize("name", ["wellbeing", "evaluations", "evaluation", "start"])
def test_charts_have_text_alternatives(watched, site_url, key_pages, name):
    """Every chart (an SVG that is not decoration) is an image with a name and a description, and a
    chart's figure also gives its numbers as a table (what a screen reader or a keyboard can reach)."""
    page = watched.page
    page.goto(site_url + getattr(key_pages, name), wait_until="networkidle")
    charts = page.evaluate(
        """() => [...document.querySelectorAll('article svg')]
              .filter(svg => svg.getAttribute('aria-hidden') !== 'true' && !svg.closest('[aria-hidden=true]'))
              .map(svg => {
                  const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
                  const named = ids.map(id => document.getElementById(id)).filter(Boolean).map(e => e.textContent.trim());
                  return {role: svg.getAttribute('role'), label: svg.getAttribute('aria-label'), named};
              })"""
    )
    if name in ("wellbeing", "evaluations"):
        assert charts, f"{name} heeft een grafiek"
    for chart in charts:
        assert chart["role"] == "img", chart
        assert chart["label"] or (chart["named"] and all(chart["named"])), f"grafiek zonder tekstalternatief: {chart}"
    if charts:
        assert page.get_by_role("table", name=re.compile("als tabel")).count() >= 1, "de cijfers van de grafiek als tabel"


# -- issue 10 (evaluations, onderbouwingen, answered feedback): the pages these changed ----------

@pytest.fixture(scope="module")
def changed_pages(key_pages, example_cohort) -> dict[str, str]:
    """The evaluation list, a competence page that starts with an onderbouwing, and the feedback page."""
    from browser.conftest import STUDENT
    from trialoog.site.body import page_url
    from trialoog.site.pages import STUDENT_PAGES, StudentPages

    student = example_cohort.student(STUDENT)
    rationales = student.published("rationale", private=False)
    assert rationales, f"{STUDENT} heeft geen onderbouwing"
    competence = StudentPages(student, example_cohort.framework).competence(rationales[0].model.competence)
    return {
        "evaluations": key_pages.evaluations,
        "competence": f"{STUDENT}/{page_url(competence.removesuffix('.md'))}",
        "feedback": f"{STUDENT}/{STUDENT_PAGES['feedback'].removesuffix('.md')}.html",
    }


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["evaluations", "competence", "feedback"])
def test_changed_pages_have_no_serious_or_critical_violations(browser, site_url, changed_pages, axe_source, name, scheme):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="nl-BE")
    try:
        page = context.new_page()
        page.goto(site_url + changed_pages[name], wait_until="networkidle")
        violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
        assert violations == [], f"{changed_pages[name]} ({scheme}):\n{describe(violations)}"
    finally:
        context.close()
