"""The example cohort in a real browser: headless Chromium (Debian's), driven by Playwright.

A reader's way through the site — overview → a student → the competence matrix → a cell → its
evidence — then Dutch search and the print page. Every test records every request and fails on
one that goes anywhere but 127.0.0.1 (no fonts, CDNs or analytics), and on console errors.
Screenshots of the overview, a student's start page, the matrix and an evaluation page are saved
in tests/screenshots/ (not in git) for a person to look at.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest

from browser.conftest import STUDENT

pytestmark = pytest.mark.browser

NAME = "Amina El Khatib"
# A word in exactly one of the student's entries, a reflection, with a Dutch trema: the search runs
# with lunr's Dutch language support (`lang: nl`), whose tokenizer keeps ö inside a word.
SEARCH_WORD = "coördinaten"
COMPETENCE = "FG1"


def open_page(watched, url: str, wait_until: str = "networkidle") -> None:
    response = watched.page.goto(url, wait_until=wait_until)
    assert response is not None and response.ok, f"{url}: {response.status if response else 'geen antwoord'}"


def assert_clean(watched) -> None:
    assert watched.foreign_requests() == [], "verzoeken naar een andere host dan 127.0.0.1"
    assert watched.problems() == [], "fouten in de console"
    assert watched.dialogs == []
    assert watched.requests, "geen enkel verzoek opgenomen"


def entry_of(cohort, url: str):
    """The entry whose page `url` is, or None."""
    path = unquote(urlsplit(url).path)
    match = re.search(rf"/{STUDENT}/(.+)\.html$", path)
    return cohort.student(STUDENT).by_id.get(match.group(1)) if match else None


def test_from_the_overview_through_the_matrix_to_evidence(watched, site_url, example_cohort, key_pages, screenshots):
    page = watched.page
    open_page(watched, site_url + key_pages.overview)
    page.screenshot(path=screenshots / "overzicht.png", full_page=True)

    page.locator("article").get_by_role("link", name=NAME, exact=True).first.click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_url + key_pages.start
    assert page.get_by_role("heading", level=1).first.inner_text().strip().startswith(NAME)
    page.screenshot(path=screenshots / "student-start.png", full_page=True)

    page.locator(".md-sidebar--primary").get_by_role("link", name="Competenties", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_url + key_pages.matrix
    matrix = page.get_by_role("table", name=re.compile("Competentiematrix"))
    assert matrix.count() == 1
    page.screenshot(path=screenshots / "competentiematrix.png", full_page=True)

    cell = matrix.get_by_role("link", name=re.compile(rf"^\d+ bewijzen voor {re.escape(COMPETENCE)}$"))
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_load_state("networkidle")
    evidence_links = page.locator("article a[href*='bewijzen/']")
    shown = [link for link in evidence_links.all() if entry_of(example_cohort, _absolute(page, link))]
    assert len({_absolute(page, link) for link in shown}) == count, "de cel telt evenveel bewijzen als de lijst toont"

    shown[0].click()
    page.wait_for_load_state("networkidle")
    entry = entry_of(example_cohort, page.url)
    assert entry is not None and entry.type == "evidence", page.url
    codes = set(example_cohort.framework.descendants(COMPETENCE))
    assert codes & set(entry.model.competences), f"{entry.id} haalt {COMPETENCE} niet aan"
    assert page.get_by_role("heading", level=1).first.inner_text().strip().startswith(entry.model.title)
    assert_clean(watched)


def test_dutch_search_finds_the_one_reflection_with_the_word(watched, site_url, example_cohort, key_pages):
    student = example_cohort.student(STUDENT)
    having = [e for e in student.published(private=False) + [student.profile] if SEARCH_WORD in e.doc.body.lower()]
    assert [e.type for e in having] == ["reflection"], f"'{SEARCH_WORD}' moet in precies één reflectie staan: {[e.id for e in having]}"
    reflection = having[0]

    page = watched.page
    open_page(watched, site_url + key_pages.start)
    search = page.get_by_role("textbox", name="Zoeken")
    search.click()
    search.press_sequentially(SEARCH_WORD, delay=20)  # Material listens for keys, not for fill()
    results = page.locator(".md-search-result__item")
    results.first.wait_for(state="visible", timeout=30_000)  # the worker builds the index first
    titles = [text.strip() for text in page.locator(".md-search-result__article h1").all_inner_texts()]
    assert reflection.model.title in titles, f"'{reflection.model.title}' niet gevonden; wel: {titles}"

    result_link = page.locator(f".md-search-result__link[href*='{reflection.id}.html']").first
    result_link.click()
    page.wait_for_load_state("networkidle")
    assert entry_of(example_cohort, page.url) is reflection
    assert_clean(watched)


def test_the_print_page_holds_every_published_entry(watched, site_url, example_cohort, key_pages, screenshots):
    page = watched.page
    open_page(watched, site_url + key_pages.start)
    page.locator(".md-sidebar--primary").get_by_role("link", name="Afdrukken", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.url == site_url + key_pages.print
    text = page.locator("article").inner_text()
    student = example_cohort.student(STUDENT)
    published = student.published(private=False)
    missing = [entry.id for entry in published if entry.model.title not in text]
    assert missing == [], f"ontbreekt op de afdrukpagina: {missing}"
    hidden = [entry.id for entry in student.entries if entry.model and (entry.model.private or entry.model.draft)]
    assert hidden, "het voorbeeld heeft een privé-item en een concept"
    leaked = [i for i in hidden if student.by_id[i].model.title in text]
    assert leaked == [], f"privé of concept op de afdrukpagina van de studentenbuild: {leaked}"
    page.emulate_media(media="print")
    page.screenshot(path=screenshots / "afdrukken.png", full_page=True)
    assert_clean(watched)


def test_an_evaluation_page_shows_the_trialogue(watched, site_url, example_cohort, key_pages, screenshots):
    page = watched.page
    open_page(watched, site_url + key_pages.evaluation)
    evaluation = entry_of(example_cohort, page.url)
    assert evaluation is not None and evaluation.type == "evaluation"
    text = page.locator("article").inner_text()
    for code in evaluation.model.ratings:
        assert code in text, f"beoordeling van {code} ontbreekt"
    page.screenshot(path=screenshots / "evaluatie.png", full_page=True)
    assert_clean(watched)


def test_no_page_of_the_site_asks_another_host_or_logs_an_error(watched, site_url, built_site, built_pages):
    """Each kind of page once (every generated page, the overview's, one entry of each folder):
    requests (fonts, icons, search index, workers …) and console errors. test_links.py proves
    statically that no page of the whole site loads anything from another host."""
    seen_folders = set()
    chosen = []
    for page_file in built_pages:
        parts = page_file.relative_to(built_site).parts
        if parts[0] not in (STUDENT, "index.html", "overzicht") and len(parts) > 1:
            continue  # the other students' sites come from the same templates
        if len(parts) <= 2 or parts[:-1] not in seen_folders:
            seen_folders.add(parts[:-1])
            chosen.append(page_file)
    for page_file in chosen:
        open_page(watched, site_url + page_file.relative_to(built_site).as_posix(), wait_until="load")
    watched.page.wait_for_load_state("networkidle")
    assert len(chosen) >= 15 and len(watched.requests) > len(chosen)
    assert_clean(watched)


def _absolute(page, link) -> str:
    return page.evaluate("(a) => a.href", link.element_handle())


# -- attacks, opened in the browser --------------------------------------------------------------

HTML_ATTACKS = ["script-tag.md", "event-handlers.md", "javascript-url.md", "data-url.md", "iframe.md", "title-script.md",
                "mermaid.md", "fake-badge.md"]


@pytest.fixture(scope="module")
def attack_site_url(tmp_path_factory, browser):
    """One student whose portfolio holds every HTML attack of tests/fixtures/attacks (warnings only,
    so it is built), with an attacking profile; built and served like the example cohort."""
    import functools
    import threading

    from browser.conftest import LOCAL_HOST, _QuietHandler, _QuietServer, build_cohort
    from conftest import FIXTURES, PORTFOLIO_YML

    root = tmp_path_factory.mktemp("aanval-browser") / "cohorte"
    (root / "aanvaller" / "reflecties").mkdir(parents=True)
    (root / "portfolio.yml").write_text(PORTFOLIO_YML, encoding="utf-8")
    (root / "aanvaller" / "index.md").write_bytes((FIXTURES / "attacks" / "profile-quotes.md").read_bytes())
    for name in HTML_ATTACKS:
        (root / "aanvaller" / "reflecties" / name).write_bytes((FIXTURES / "attacks" / name).read_bytes())
    out = root.parent / "site"
    build_cohort(root, out)
    server = _QuietServer((LOCAL_HOST, 0), functools.partial(_QuietHandler, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/", out
    finally:
        server.shutdown()
        server.server_close()


def test_no_attack_runs_script_or_reaches_another_host_in_the_browser(watched, attack_site_url):
    """The overview and every page of the attacking student that shows the attacks (their own pages,
    the lists, the matrix, print): no dialog, no error, no request out; then searches whose
    results show the attacking name and title."""
    base, out = attack_site_url
    generated = ["index.html", "reflecties.html", "tijdlijn.html", "competenties.html", "competenties/FG1.html", "afdrukken.html", "driegesprek.html"]
    entries = [f"reflecties/{name.removesuffix('.md')}.html" for name in HTML_ATTACKS]
    for url in ["index.html", *(f"aanvaller/{name}" for name in generated + entries)]:
        open_page(watched, base + url, wait_until="load")
    open_page(watched, base + "aanvaller/index.html")
    page = watched.page
    page.mouse.move(400, 400)
    search = page.get_by_role("textbox", name="Zoeken")
    # The search results show the attacking name (profile) and title (title-script.md) as Material renders them.
    for term, title in (("Jan", "onmouseover"), ("kwaadaardige", "<script>alert('TRIALOOG_XSS titel')</script>")):
        search.click()
        search.fill("")
        search.press_sequentially(term, delay=20)
        found = page.locator(".md-search-result__item", has_text=title)
        found.first.wait_for(state="visible", timeout=30_000)  # the worker builds the index first
        found.first.hover()
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.querySelectorAll('iframe, object, embed').length") == 0
    assert watched.dialogs == [], "een aanval voerde script uit"
    assert watched.foreign_requests() == [], "een aanval liet de browser een andere host vragen"
    assert watched.problems() == []
