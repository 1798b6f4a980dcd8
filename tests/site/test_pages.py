"""What a page shows, without building a site: student text made safe, links sorted out, the
escaping of titles, the numbers behind the charts and the signals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from conftest import STUDENT

from trialoog.site.engine import write_pages
from trialoog.site import charts
from trialoog.site.body import localize, relative_url
from trialoog.site.overview import student_signals
from trialoog.site.pages import SiteContext, markdown_text, plain, render_student
from trialoog.site.views import StudentView

AS_OF = dt.date(2018, 3, 15)


def view_of(cohort, audience: str = "student") -> StudentView:
    loaded = cohort.load()
    return StudentView(loaded, loaded.student(STUDENT), audience=audience, as_of=AS_OF)


def test_local_links_point_at_pages_and_unpublished_ones_lose_their_link(cohort):
    cohort.entry("bewijzen/foto.md", "type: evidence\ntitle: Foto\ndate: 2017-09-10\nattachments: [foto.png]")
    cohort.write(f"{STUDENT}/bewijzen/foto.png", b"\x89PNG\r\n\x1a\n")
    cohort.write(f"{STUDENT}/bewijzen/tekening.svg", "<svg onload='alert(1)'/>")
    cohort.entry("reflecties/concept.md", "type: reflection\ntitle: Concept\ndate: 2017-09-09\ndraft: true")
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-12", body=(
        "Zie [de foto](../bewijzen/foto.md#boven), [mijn concept](concept.md),\n"
        "[de tekening](../bewijzen/tekening.svg) en ![foto](../bewijzen/foto.png).\n"
    ))
    view = view_of(cohort)
    body = view.body(view.by_id["reflecties/tweede"])

    on_its_page = localize(body.html, "reflecties/tweede.md")
    assert '<a href="../bewijzen/foto.html#boven">de foto</a>' in on_its_page
    assert '<span class="tl-unlinked">mijn concept</span>' in on_its_page
    assert '<span class="tl-unlinked">de tekening</span>' in on_its_page
    assert '<img src="../bewijzen/foto.png" alt="foto" loading="lazy">' in on_its_page
    assert 'href="bewijzen/foto.html#boven"' in localize(body.html, "afdrukken.md")
    assert body.files == {"bewijzen/foto.png"} and body.entries == {"bewijzen/foto"}
    assert "bewijzen/tekening.svg" not in view.published_files


def test_student_html_is_cleaned_and_a_students_h1_becomes_an_h2(cohort):
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-12", body=(
        "# Mijn titel\n\n<script>alert(1)</script>\n\n<p onclick=\"alert(2)\">klik</p>\n\n"
        "[x](javascript:alert(3)) en *nadruk*\n"
    ))
    html = view_of(cohort).body(view_of(cohort).by_id["reflecties/tweede"]).html

    assert "<h2" in html and "<h1" not in html
    assert "script" not in html and "onclick" not in html and "javascript" not in html
    assert "<em>nadruk</em>" in html


def test_private_entries_only_in_the_evaluation_view(cohort):
    cohort.entry("reflecties/prive.md", "type: reflection\ntitle: Privé\ndate: 2017-09-12\nprivate: true")
    assert "reflecties/prive" not in view_of(cohort).by_id
    assert "reflecties/prive" in view_of(cohort, "evaluation").by_id


def test_titles_stay_text_in_markdown_and_in_the_engines_unescaped_places():
    assert str(markdown_text("Breuken *vet* [x](javascript:y) <b>")) == (
        r"Breuken \*vet\* \[x\]\(javascript:y\) &lt;b&gt;"
    )
    assert plain('Jan "x" <script>') == "Jan &quot;x&quot; &lt;script&gt;"
    assert plain("Pizza's & co") == "Pizza's & co"


def test_relative_urls_between_pages():
    assert relative_url("index.html", "reflecties") == "../index.html"
    assert relative_url("reflecties/a.html", "reflecties") == "a.html"
    assert relative_url("competenties/FG1.html", "") == "competenties/FG1.html"
    assert relative_url("amina/competenties/FG1.html", "overzicht") == "../amina/competenties/FG1.html"


def test_a_student_site_is_written_from_templates_with_every_page(cohort, tmp_path):
    loaded = cohort.load()
    context = SiteContext(cohort=loaded, as_of=AS_OF, progress={})
    docs = tmp_path / "docs"
    docs.mkdir()

    spec = render_student(context, STUDENT, docs)
    write_pages(docs, spec.pages)

    written = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))
    for page in ("index.md", "tijdlijn.md", "competenties.md", "competenties/FG1.md", "leerdoelen.md",
                 "reflecties.md", "evaluaties.md", "welbevinden.md", "feedback.md", "mijlpalen.md",
                 "driegesprek.md", "afdrukken.md", "reflecties/eerste-week.md"):
        assert page in written
    assert spec.site_name == "Portfolio van Jan Peeters"
    front = (docs / "afdrukken.md").read_text(encoding="utf-8").split("---")[1]
    meta = yaml.safe_load(front)
    assert meta["search"] == {"exclude": True}
    assert meta["running_head"].startswith("Portfolio van Jan Peeters ")  # printed on every page
    assert spec.slots["tijdlijn.md"]  # list pages keep their HTML away from the engine
    assert "reflecties/eerste-week.md" not in spec.slots  # entries stay searchable


def test_wellbeing_chart_says_in_words_what_it_draws():
    points = [(dt.date(2017, 9, 1), 4, "a"), (dt.date(2017, 10, 1), 3, "b"), (dt.date(2017, 11, 1), 2, "c")]
    chart = charts.wellbeing_chart(points, dt.date(2017, 8, 28), dt.date(2018, 3, 15))

    assert "De laatste 3 scores: 4, 3, 2 (dalend)." in chart.summary
    assert [tick.label for tick in chart.x_ticks][:3] == ["sep", "okt", "nov"]
    assert chart.table_rows[0] == ("1 september 2017", "4", "a")
    ys = [point.y for point in chart.series[0].points]
    assert ys == sorted(ys)  # lower wellbeing is drawn lower (a larger y in SVG)
    assert charts.wellbeing_chart([], dt.date(2017, 8, 28), dt.date(2018, 3, 15)) is None


def test_heat_steps_mark_no_evidence_apart():
    scale = charts.HeatScale(10)
    assert scale.step(0) == 0
    assert scale.step(1) == 1
    assert scale.step(10) == charts.HEAT_STEPS


def test_signals_name_the_reason(cohort):
    for day, score in (("2017-09-01", 4), ("2017-09-08", 3), ("2017-09-15", 2)):
        cohort.entry(f"reflecties/{day}.md", f"type: reflection\ntitle: R {day}\ndate: {day}\nwellbeing: {score}")
    loaded = cohort.load()
    view = StudentView(loaded, loaded.student(STUDENT), as_of=dt.date(2017, 10, 20))

    reasons = [signal.reason for signal in student_signals(view, [], loaded.config.signals, dt.date(2017, 10, 20))]

    assert "geen nieuw item sinds 15 september 2017 (35 dagen)" in reasons
    assert "welbevinden daalt: 4 → 3 → 2 in de laatste 3 reflecties" in reasons


def test_every_template_is_used(tmp_path):
    # A template nobody renders is dead weight in theme/: each one is named in pages.py or included.
    theme = Path(__file__).resolve().parents[2] / "theme" / "pages"
    code = (Path(__file__).resolve().parents[2] / "generator" / "trialoog" / "site" / "pages.py").read_text(encoding="utf-8")
    templates = "".join(p.read_text(encoding="utf-8") for p in theme.glob("*.html"))
    unused = [p.name for p in theme.glob("*.html") if f'"{p.name}"' not in code and f'"{p.name}"' not in templates]
    assert unused == []
