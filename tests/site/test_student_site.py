"""The student's own site (issue 11), built for real and read as the student, a school or an
evaluator would: our footer and not the template's, the student's text before the facts, each
picture once with the student's words under it, files that open in the browser, human labels,
prev/next that resolve in the one stated order, the student's headings in the table of contents
and in search, and the link back to the overview only inside a cohort.

Expectations come from the model (trialoog.portfolio.load), not from trialoog.site.views.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import STUDENT, image_bytes

from trialoog.dutch import long_date
from trialoog.portfolio import labels
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.model import PROGRAMS, TASK_KINDS, TRAJECTORIES, Goal, Task
from trialoog.site.build import build_cohort

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolios"
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")

pytestmark = pytest.mark.slow


def build(source: Path, out: Path):
    lines: list[str] = []
    summary = build_cohort(source, out, echo=lines.append, jobs=2)
    assert summary.exit_code == 0, lines
    return out


@pytest.fixture(scope="module")
def example():
    return load_cohort(EXAMPLE)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build(EXAMPLE, tmp_path_factory.mktemp("eigen-site") / "site")


def content_of(page: Path) -> str:
    """The page's article: what the engine made of our Markdown, without header, nav and footer."""
    text = page.read_text(encoding="utf-8")
    return text[text.index('<article'):text.index("</article>")]


def public(student, kind: str | None = None) -> list:
    """The entries the student build shows: published, not private, and feedback only on those."""
    shown = {entry.id for entry in student.published(private=False) if entry.type != "feedback"} | {"index"}
    return [entry for entry in student.published(kind, private=False) if entry.type != "feedback" or entry.model.on in shown]


def entry_pages(site: Path, example):
    for student in example.students:
        for entry in public(student):
            yield student, entry, site / student.id / f"{entry.id}.html"


def visible_text(fragment: str) -> str:
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", fragment))).strip()


def test_no_template_footer_but_programme_student_and_date_on_every_page(site, example):
    as_of = long_date(example.config.as_of)
    pages = list(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "Made with" not in text and "Material for MkDocs" not in text, page
        footer = text[text.index('<footer class="md-footer'):]
        assert f"stand op {as_of}" in footer, page
        assert example.config.institution in footer, page
    for student in example.students:
        footer = (site / student.id / "index.html").read_text(encoding="utf-8").split('<footer class="md-footer')[1]
        assert f"Portfolio van {html.escape(student.profile_model.name)}" in footer
        assert f"cohorte {student.profile_model.cohort}" in footer


def test_programme_logo_and_favicon_on_every_site_and_the_overview(site, example):
    for page in [site / "index.html"] + [site / s.id / "index.html" for s in example.students]:
        text = page.read_text(encoding="utf-8")
        logo = re.search(r'<img src="([^"]+logo\.svg)"', text)
        icon = re.search(r'<link rel="icon" href="([^"]+)"', text)
        assert logo and icon and icon[1].endswith("favicon.svg"), page
        for url in (logo[1], icon[1]):
            assert (page.parent / url).resolve().is_file(), (page, url)


def test_the_students_text_comes_before_the_facts_on_every_entry_page(site, example):
    checked = 0
    for student, entry, page in entry_pages(site, example):
        article = content_of(page)
        assert "tl-entry-facts" not in article, page
        facts = article.index('class="tl-meta"')
        body = article.index('class="tl-body"')
        assert body < facts, page
        if entry.doc.body.strip():
            first_words = " ".join(TAG.sub(" ", article[body:facts]).split()[:3])
            assert first_words and first_words not in visible_text(article[facts:]), page
            checked += 1
    assert checked > 30


def test_each_picture_appears_once_captioned_with_the_students_words(site, example):
    pictures = 0
    for student, entry, page in entry_pages(site, example):
        article = content_of(page)
        sources = re.findall(r'<img src="([^"]+)"', article)
        assert len(sources) == len(set(sources)), f"{page}: {sources}"
        for figure in re.findall(r'<figure class="tl-figure">(.*?)</figure>', article, re.DOTALL):
            pictures += 1
            caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.DOTALL)
            source = re.search(r'<img src="([^"]+)"', figure)[1]
            assert caption and caption[1].strip(), f"{page}: {source} has no caption"
            assert source.rsplit("/", 1)[-1] not in caption[1], f"{page}: caption is the file name"
    assert pictures >= 2


def test_files_open_in_the_browser_with_their_kind_and_size(site, example):
    page = site / "amina-el-khatib" / "bewijzen" / "2017-10-12-lesvoorbereiding-breuken.html"
    article = content_of(page)
    link = re.search(r'<li><a href="(lesvoorbereiding-breuken\.pdf)"([^>]*)>.*?</a> <span class="tl-size">(.*?)</span>', article)
    assert link, article[-3000:]
    assert "download" not in link[2]
    assert link[3].startswith("PDF, ") and "kB" in link[3] and "opent in de browser" in link[3]


def test_prev_and_next_resolve_and_follow_the_one_order_oldest_first(site, example):
    links = 0
    for student in example.students:
        for kind in ("reflection", "task", "evidence", "meeting", "goal", "evaluation", "feedback"):
            entries = public(student, kind)
            for index, entry in enumerate(entries):
                article = content_of(site / student.id / f"{entry.id}.html")
                for rel, expected in (("prev", entries[index - 1] if index else None),
                                      ("next", entries[index + 1] if index + 1 < len(entries) else None)):
                    found = re.search(rf'rel="{rel}" href="([^"]+)"', article)
                    if expected is None:
                        assert found is None, (entry.id, rel)
                        continue
                    assert found, (entry.id, rel)
                    target = (site / student.id / entry.id).parent / found[1]
                    assert target.resolve() == (site / student.id / f"{expected.id}.html").resolve(), (entry.id, rel)
                    links += 1
            dated = [e.model.date for e in entries if e.model.date]
            assert dated == sorted(dated), f"{student.id} {kind}: not oldest first"
    assert links > 50


def test_a_section_lists_its_entries_in_the_same_order_and_says_so(site, example):
    student = example.student("amina-el-khatib")
    article = content_of(site / student.id / "reflecties.html")
    assert "van oud naar nieuw" in article
    titles = [html.unescape(t) for t in re.findall(r'<p class="tl-card__head">.*?<a href="[^"]+">(.*?)</a>', article)]
    assert titles == [e.model.title for e in public(student, "reflection")]


def test_the_students_headings_are_in_the_table_of_contents_with_permalinks(site, example):
    student = example.student("amina-el-khatib")
    checked = 0
    for entry in public(student, "reflection"):
        headings = re.findall(r"^#{1,5} (.+)$", entry.doc.body, re.MULTILINE)
        if not headings:
            continue
        page = (site / student.id / f"{entry.id}.html").read_text(encoding="utf-8")
        toc = page[page.index('md-nav--secondary'):]
        toc = toc[:toc.index("</nav>")]
        for heading in headings:
            assert html.escape(heading.strip(), quote=False) in html.unescape(toc) or heading.strip() in html.unescape(toc), (entry.id, heading)
        ids = re.findall(r'<h[2-6] id="([^"]+)"', content_of(site / student.id / f"{entry.id}.html"))
        for anchor in ids:
            assert f'href="#{anchor}"' in page, (entry.id, anchor)  # the permalink (and the TOC entry)
        checked += 1
    assert checked >= 5


def test_search_shows_the_entrys_own_text_and_finds_its_headings(site, example):
    student = example.student("amina-el-khatib")
    index = json.loads((site / student.id / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_location = {doc["location"]: doc for doc in index["docs"]}
    checked = 0
    for entry in public(student):
        top = by_location[f"{entry.id}.html"]
        for label in ("Soort", "Datum", "Context", "Competenties", "Aangehaald in"):
            assert not top["text"].startswith(label), (entry.id, top["text"][:80])
        for heading in re.findall(r"^#{1,5} (.+)$", entry.doc.body, re.MULTILINE):
            assert any(doc["title"] == html.escape(heading.strip(), quote=False) or html.unescape(doc["title"]) == heading.strip()
                       for location, doc in by_location.items() if location.startswith(f"{entry.id}.html#")), (entry.id, heading)
            checked += 1
    assert checked > 20


def test_every_value_of_the_closed_vocabularies_has_a_label():
    for vocabulary, values in (("program", PROGRAMS), ("trajectory", TRAJECTORIES), ("task_kind", TASK_KINDS),
                               ("task_status", Task.model_fields["status"].annotation.__args__),
                               ("goal_status", Goal.model_fields["status"].annotation.__args__)):
        for value in values:
            assert value in labels.VOCABULARIES[vocabulary], (vocabulary, value)
    assert labels.label("reflection_model", "alact") == "ALACT (Korthagen)"
    assert labels.label("task_kind", "functionele-opdracht") == "Functionele opdracht"
    assert labels.label("meeting_kind", "personeelsvergadering") == "Personeelsvergadering"
    assert labels.label("meeting_kind", "pedagogische-studiedag") == "Pedagogische studiedag"


def test_pages_show_labels_not_the_values_of_the_front_matter(site, example):
    for student, entry, page in entry_pages(site, example):
        text = visible_text(content_of(page))
        if entry.type == "reflection":
            assert labels.label("reflection_model", entry.model.model) in text, page
        if entry.type in ("task", "meeting"):
            assert labels.label(f"{entry.type}_kind", entry.model.kind) in text, page
            assert f"<span>{entry.model.kind}</span>" not in content_of(page), page  # the raw value as a fact
    for student in example.students:
        for page in (site / student.id).rglob("*.html"):
            text = visible_text(content_of(page))
            assert not re.search(r"\bdeadline\b", text, re.IGNORECASE), page
            assert not re.search(r"\b\d+ van de? \d+ (bewijzen|reflecties)\b", text), page


def test_milestone_lines_are_dutch_and_per_competence_evidence_is_one_line(site):
    article = content_of(site / "amina-el-khatib" / "mijlpalen.html")
    lines = [visible_text(li) for li in re.findall(r"<li class=\"tl-(?:un)?met\" data-milestone[^>]*>(.*?)</li>", article)]
    assert lines
    for line in lines:
        # counts ("3 reflecties (5 nodig)"), a task by course ("ingediende taak 'Wiskunde': nog niet"), an
        # evaluation by its moment in words ("tussentijdse evaluatie ✓"), never a bare key
        assert re.fullmatch(r"\d+ \S.* \(\d+ nodig\)( ✓)?|.*'.*'(: nog niet| ✓)|[a-z ]*evaluatie(: nog niet| ✓)", line), line
        assert not re.search(r"'(tussentijds|eind|start)'", line), line
    summaries = re.findall(r"<details class=\"tl-per-competence\"><summary>(.*?)</summary>", article, re.DOTALL)
    assert summaries and all(re.match(r"\d+ van de \d+ competenties met genoeg bewijs", visible_text(s)) for s in summaries)


def test_the_timeline_leaves_goals_to_their_own_page(site, example):
    article = content_of(site / "amina-el-khatib" / "tijdlijn.html")
    assert "Zonder datum" not in article
    assert 'href="leerdoelen.html"' in article


def test_overview_link_inside_a_cohort_and_none_for_a_cohort_of_one(site, example, tmp_path):
    start = (site / "amina-el-khatib" / "index.html").read_text(encoding="utf-8")
    back = re.findall(r'<a href="([^"]*index\.html)">[^<]*overzicht van de cohorte', start)
    assert back and all((site / "amina-el-khatib" / url).resolve() == (site / "index.html").resolve() for url in back)

    alone = tmp_path / "alleen"
    alone.mkdir()
    shutil.copy(EXAMPLE / "portfolio.yml", alone / "portfolio.yml")
    shutil.copytree(EXAMPLE / "lotte-vandenberghe", alone / "lotte-vandenberghe")
    out = build(alone, tmp_path / "site")
    for page in (out / "lotte-vandenberghe").rglob("*.html"):
        assert "overzicht van de cohorte" not in page.read_text(encoding="utf-8"), page


def test_photo_tagline_and_featured_entries_on_start(cohort, tmp_path):
    cohort.write(f"{STUDENT}/foto.jpg", image_bytes("JPEG"))
    profile = cohort.path(f"{STUDENT}/index.md").read_text(encoding="utf-8")
    cohort.write(f"{STUDENT}/index.md", profile.replace("type: profile\n", "type: profile\nphoto: foto.jpg\ntagline: \"Juf in wording\"\n", 1))
    cohort.entry("reflecties/trots.md", "type: reflection\ntitle: Waar ik trots op ben\ndate: 2017-10-01\nfeatured: true",
                 body="Mijn eerste les die helemaal liep.\n\n## Wat werkte\n\nDe start.\n\n> ## Een kop in een citaat\n> blijft in het citaat\n")
    assert [d for d in cohort.diagnostics() if d[2].startswith("AT")] == []
    out = build(cohort.root, tmp_path / "site")
    article = content_of(out / STUDENT / "index.html")
    assert "Juf in wording" in article
    photo = re.search(r'<img class="tl-photo" src="([^"]+)"', article)
    assert photo and (out / STUDENT / photo[1]).is_file()
    assert article.index('id="uitgelicht"') < article.index('id="over-dit-portfolio"')
    featured = article[article.index('id="uitgelicht"'):article.index('id="over-dit-portfolio"')]
    assert "Waar ik trots op ben" in featured and "Mijn eerste les" in featured

    entry_page = (out / STUDENT / "reflecties" / "trots.html").read_text(encoding="utf-8")
    toc = entry_page[entry_page.index("md-nav--secondary"):]
    assert 'href="#wat-werkte"' in toc[:toc.index("</nav>")]
    quote = re.search(r"<blockquote>(.*?)</blockquote>", content_of(out / STUDENT / "reflecties" / "trots.html"), re.DOTALL)
    assert quote and "Een kop in een citaat" in quote[1] and "blijft in het citaat" in quote[1]


def test_an_empty_section_says_what_is_due_and_what_to_do(cohort, tmp_path):
    (cohort.path(f"{STUDENT}/reflecties/eerste-week.md")).unlink()
    out = build(cohort.root, tmp_path / "site")
    text = visible_text(content_of(out / STUDENT / "reflecties.html"))
    assert "Nog geen reflecties." in text
    assert "Goed gestart" in text and "uiterste datum 15 oktober 2017" in text
    assert 'trialoog new reflection' in text
