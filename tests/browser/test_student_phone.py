"""The student's pages in Chromium on a phone (390 px) and in the dark scheme (issue 11).

Nothing is clipped: every table either fits or scrolls inside its own wrapper with the first
column kept in view, the page itself never scrolls sideways, and the last column (the matrix's
Totaal, the driegesprek's Coach) can be reached. Chart text (wellbeing, the growth per competence) is drawn at 10 px or more. An entry
page passes axe (no serious or critical WCAG A/AA violations) in both schemes, and the dark
scheme gives the heat map its own colours. Screenshots of Start, an entry, the matrix and an
evaluation at 1280 and 390 px, light and dark, land in tests/screenshots/ for a person to look at.
"""

from __future__ import annotations

import pytest

from browser.conftest import AXE, INSTALL, STUDENT, require_tool
from browser.test_accessibility import BLOCKING, describe, run_axe

pytestmark = pytest.mark.browser

ENTRY = f"{STUDENT}/bewijzen/2017-10-26-hoekenwerkbord.html"  # evidence with a picture in its text
TABLE_PAGES = ("matrix", "evaluation", "driegesprek")


@pytest.fixture(scope="module")
def axe_script() -> str:
    require_tool("axe-core", INSTALL["axe-core"], path=AXE)
    return AXE.read_text(encoding="utf-8")


def pages_of(key_pages) -> dict[str, str]:
    return {"start": key_pages.start, "entry": ENTRY, "matrix": key_pages.matrix, "evaluation": key_pages.evaluation,
            "driegesprek": f"{STUDENT}/driegesprek.html", "wellbeing": key_pages.wellbeing}


def open_at(browser, url: str, width: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, locale="nl-BE")
    page = context.new_page()
    page.goto(url, wait_until="networkidle")
    return context, page


@pytest.mark.parametrize("name", TABLE_PAGES)
def test_every_table_is_usable_at_390_px(browser, site_url, key_pages, name):
    context, page = open_at(browser, site_url + pages_of(key_pages)[name], 390)
    try:
        found = page.evaluate("""() => ({
            page: document.documentElement.scrollWidth,
            tables: [...document.querySelectorAll('.md-content table')].map(table => {
                const wrap = table.closest('.tl-table-wrap');
                const box = (wrap || table).getBoundingClientRect();
                const last = [...table.querySelectorAll('tr')].map(tr => tr.lastElementChild).filter(Boolean);
                const right = Math.max(...last.map(cell => cell.getBoundingClientRect().right));
                return {cls: table.className, boxRight: box.right, right,
                        scrolls: wrap ? wrap.scrollWidth > wrap.clientWidth : false,
                        sticky: wrap ? getComputedStyle(table.querySelector('tbody th') || table).position : ''};
            }),
        })""")
        assert found["page"] <= 390, f"the page scrolls sideways: {found['page']} px"
        assert found["tables"], "no table"
        for table in found["tables"]:
            fits = table["right"] <= table["boxRight"] + 1
            assert fits or (table["scrolls"] and table["sticky"] == "sticky"), table
        if name in ("matrix", "driegesprek"):  # the columns the issue names fit without scrolling
            assert all(t["right"] <= t["boxRight"] + 1 for t in found["tables"] if "tl-matrix" in t["cls"] or "tl-ratings" in t["cls"])
    finally:
        context.close()


# The charts with text: the wellbeing chart and the evaluations' small multiples (the driegesprek's
# sparkline has no text; its summary is a sentence beside it).
@pytest.mark.parametrize("name", ["wellbeing", "evaluation"])
def test_chart_text_is_at_least_10_px_on_a_phone(browser, site_url, key_pages, name):
    url = key_pages.evaluations if name == "evaluation" else pages_of(key_pages)[name]
    context, page = open_at(browser, site_url + url, 390)
    try:
        heights = page.evaluate("""() => [...document.querySelectorAll('figure:is(.tl-chart, .tl-multiple) svg text')]
            .map(text => parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a)""")
        assert heights, "no chart text"
        assert min(heights) >= 10, heights
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_an_entry_page_has_no_serious_or_critical_violations(browser, site_url, axe_script, scheme, width):
    context, page = open_at(browser, site_url + ENTRY, width, scheme)
    try:
        violations = [v for v in run_axe(page, axe_script) if v["impact"] in BLOCKING]
        assert violations == [], f"{ENTRY} ({scheme}, {width} px):\n{describe(violations)}"
    finally:
        context.close()


def test_the_dark_scheme_gives_the_heat_map_dark_colours(browser, site_url, key_pages):
    colours = {}
    for scheme in ("light", "dark"):
        context, page = open_at(browser, site_url + key_pages.matrix, 1280, scheme)
        try:
            colours[scheme] = page.evaluate("""() => {
                const cell = document.querySelector('td.tl-heat-1');
                const [r, g, b] = getComputedStyle(cell).backgroundColor.match(/\\d+/g).map(Number);
                return (r + g + b) / 3;
            }""")
        finally:
            context.close()
    assert colours["light"] > 180 and colours["dark"] < 90, colours


def test_screenshots_of_the_student_pages(browser, site_url, key_pages, screenshots):
    for name in ("start", "entry", "matrix", "evaluation"):
        for scheme in ("light", "dark"):
            for width in (1280, 390):
                context, page = open_at(browser, site_url + pages_of(key_pages)[name], width, scheme)
                try:
                    path = screenshots / f"student-{name}-{width}-{scheme}.png"
                    page.screenshot(path=path, full_page=True)
                    assert path.stat().st_size > 10_000
                finally:
                    context.close()
