"""The evaluation team's dashboard in Chromium: every column at 1280 px, the student column in view
when a narrow screen scrolls, one colour per count across the cohort, sorting, filtering and
search by the page's own script (no other host), a sensible order without JavaScript, A4
landscape on paper, and axe at zero serious or critical violations on the overview's pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser.conftest import AXE, EXAMPLE, INSTALL, build_cohort, require_tool
from browser.test_accessibility import BLOCKING, describe, run_axe
from browser.test_browser import assert_clean, open_page

pytestmark = pytest.mark.browser

TABLES = ".tl-dash-wrap"
A4_LANDSCAPE = (841.92, 594.96)  # points


def columns_out_of_view(page) -> list[str]:
    """The column headings of the dashboard's tables that end beyond the window or their frame."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const wrap of document.querySelectorAll('.tl-dash-wrap')) {
                const frame = wrap.getBoundingClientRect();
                for (const th of wrap.querySelectorAll('thead th')) {
                    const box = th.getBoundingClientRect();
                    if (box.right > Math.min(frame.right, window.innerWidth) + 1) out.push(th.textContent.trim());
                }
            }
            return out;
        }"""
    )


def test_every_column_is_visible_at_1280_px(watched, site_url):
    page = watched.page
    open_page(watched, site_url + "index.html")
    assert page.locator(".md-sidebar--primary").is_hidden(), "no navigation sidebar beside the dashboard"
    assert page.locator(f"{TABLES} thead th").count() > 20
    assert columns_out_of_view(page) == []
    assert_clean(watched)


def test_on_a_phone_the_student_column_stays_in_view_while_the_table_scrolls(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    try:
        page = context.new_page()
        page.goto(site_url + "index.html", wait_until="networkidle")
        # Only the tables scroll, not the page (words for screen readers in a cell once widened it).
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
        wrap = page.locator(TABLES).last
        # Three students fit the frame; a lower frame stands in for a cohort of thirty.
        wrap.evaluate("element => { element.style.maxHeight = '120px'; element.scrollLeft = element.scrollWidth; element.scrollTop = 60; }")
        frame = wrap.bounding_box()
        student = wrap.locator("tbody th").first.bounding_box()
        header = wrap.locator("thead th").last.bounding_box()
        assert abs(student["x"] - frame["x"]) <= 2, "the student column sticks to the left"
        assert header["x"] + header["width"] <= frame["x"] + frame["width"] + 1, "the last column is reachable"
        assert abs(header["y"] - frame["y"]) <= 2, "the header row sticks to the top"
    finally:
        context.close()


def heat_colours(page) -> dict[str, set[str]]:
    return page.evaluate(
        """() => {
            const found = {};
            for (const cell of document.querySelectorAll('td.tl-heat[data-count]')) {
                const style = getComputedStyle(cell);
                (found[cell.dataset.count] ||= []).push(style.backgroundColor + ' ' + style.backgroundImage);
            }
            return found;
        }"""
    )


def test_equal_counts_have_equal_colours_across_students_and_on_every_matrix(browser, site_url, example_cohort):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    seen: dict[str, set[str]] = {}
    try:
        page = context.new_page()
        for url in ["index.html"] + [f"{student.id}/competenties.html" for student in example_cohort.students]:
            page.goto(site_url + url, wait_until="networkidle")
            for count, colours in heat_colours(page).items():
                seen.setdefault(count, set()).update(colours)
    finally:
        context.close()
    assert len(seen) > 5
    assert {count: len(colours) for count, colours in seen.items()} == {count: 1 for count in seen}
    by_colour = {next(iter(colours)) for count, colours in seen.items() if int(count) > 0}
    assert len(by_colour) > 2, "higher counts are darker: more than one colour is used"


def visible_students(page) -> list[str]:
    return page.locator("table.tl-overview tbody tr:visible th").all_inner_texts()


def test_sorting_filtering_and_search_run_in_the_page(watched, site_url, example_cohort):
    page = watched.page
    open_page(watched, site_url + "index.html")
    names = sorted((student.profile_model.name for student in example_cohort.students), key=str.casefold)
    table = page.locator("table.tl-overview")
    table.get_by_role("button", name=re.compile("^Student")).click()
    assert [name.splitlines()[0] for name in visible_students(page)] == names
    table.get_by_role("button", name=re.compile("^Student")).click()
    assert [name.splitlines()[0] for name in visible_students(page)] == names[::-1]

    tools = page.locator("[data-tl-tools]")
    coach = example_cohort.config.people["coach-sofie-maes"].name
    tools.get_by_label("Coach").select_option(coach)
    coached = [s.profile_model.name for s in example_cohort.students if s.profile_model.coach == "coach-sofie-maes"]
    assert [name.splitlines()[0] for name in visible_students(page)] == coached
    assert page.locator("[data-tl-count]").inner_text() == f"{len(coached)} student" + ("en" if len(coached) != 1 else "")
    tools.get_by_label("Coach").select_option("")

    school = example_cohort.student("amina-el-khatib").profile_model.school.name
    tools.get_by_label("Zoek").fill(school.split()[-1].lower())
    assert [name.splitlines()[0] for name in visible_students(page)] == ["Amina El Khatib"]
    assert page.locator("table.tl-heatmap tbody tr:visible").count() == 1, "the filter applies to both tables"
    tools.get_by_label("Zoek").fill("")
    tools.get_by_label("Signaal").select_option("*")
    flagged = page.locator("ol.tl-signal-list > li").count()
    assert len(visible_students(page)) == flagged
    assert_clean(watched)


def test_without_javascript_every_student_shows_most_urgent_first(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(site_url + "index.html")
        assert page.locator("[data-tl-tools]").is_hidden(), "no controls that need the script"
        rows = page.locator("table.tl-overview tbody tr")
        signals = [row.get_attribute("data-signals") for row in rows.all()]
        assert signals[0], "a student with a signal comes first"
        assert signals == sorted(signals, key=lambda kinds: kinds == ""), "students with signals before the rest"
        assert page.get_by_role("link", name="Koen Smets").count() >= 1, "the pages per coach filter without script"
    finally:
        context.close()


def test_the_overview_prints_on_a4_landscape_with_every_column(browser, site_url, tmp_path):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(site_url + "index.html", wait_until="networkidle")
        pdf = tmp_path / "overzicht.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
        assert boxes and all(abs(float(w) - A4_LANDSCAPE[0]) < 1 and abs(float(h) - A4_LANDSCAPE[1]) < 1 for w, h in boxes)
        assert len(boxes) <= 3, f"{len(boxes)} pages for three students"
        # The printable width of A4 landscape with 10 mm margins, at 96 px per inch.
        page.set_viewport_size({"width": 1047, "height": 718})
        page.emulate_media(media="print")
        assert columns_out_of_view(page) == []
        clipped = page.evaluate("() => [...document.querySelectorAll('.tl-dash-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length")
        assert clipped == 0
    finally:
        context.close()


@pytest.fixture(scope="module")
def evaluation_url(tmp_path_factory):
    """The example cohort's evaluation build, served like the student build."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    out: Path = tmp_path_factory.mktemp("evaluatie") / "site"
    build_cohort(EXAMPLE, out, "--audience", "evaluation")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


OVERVIEW_PAGES = ["index.html", "overzicht/coach-koen-smets.html", "overzicht/school-vrije-basisschool-de-regenboog.html",
                  "overzicht/mijlpaal-tussentijds.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("build", ["student", "evaluation"])
def test_no_serious_or_critical_violations_on_the_overview_pages(browser, site_url, evaluation_url, build, scheme):
    require_tool("axe-core", INSTALL["axe-core"], path=AXE)
    axe_source = AXE.read_text(encoding="utf-8")
    base = site_url if build == "student" else evaluation_url
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme, locale="nl-BE")
    try:
        page = context.new_page()
        for url in OVERVIEW_PAGES:
            page.goto(base + url, wait_until="networkidle")
            if build == "evaluation":
                assert page.get_by_text("Evaluatieteam — bevat privé-items, niet publiek delen").count() == 1
            violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
            assert violations == [], f"{url} ({build}, {scheme}):\n{describe(violations)}"
    finally:
        context.close()
