"""Issue 10, items 2, 3 and 6 as a page shows them: evaluations built for judging (titles, growth
per competence, disagreements, sign-off state), the onderbouwing first on its competence page and
its status in the matrix, and feedback that was answered or still waits for a reply."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import STUDENT

from trialoog.site.engine import write_pages
from trialoog.site.finish import fill_slots
from trialoog.site.pages import SiteContext, render_student
from trialoog.site.views import StudentView
from trialoog.workflow.signoff import sign

AS_OF = dt.date(2018, 3, 15)
EVALUATION = """type: evaluation
title: "{title}"
date: {date}
moment: {moment}
ratings:
  FG1: {{self: "{fg1_self}", mentor: "+", coach: "+"}}
  FG4: {{self: "-", mentor: "{fg4_mentor}", coach: "+-"}}"""


def evaluation(cohort, name, *, title, date, moment, fg1_self="+", fg4_mentor="+-"):
    return cohort.entry(f"evaluaties/{name}.md", EVALUATION.format(title=title, date=date, moment=moment,
                                                                   fg1_self=fg1_self, fg4_mentor=fg4_mentor),
                        body="Het gesprek in het kort.\n")


def pages(cohort, tmp_path) -> dict[str, str]:
    """Every page of the student's docs tree with its slots filled in, as the finished site has them."""
    docs = tmp_path / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    spec = render_student(SiteContext(cohort=cohort.load(), as_of=AS_OF, progress={}), STUDENT, docs)
    write_pages(docs, spec.pages)
    return {path.relative_to(docs).as_posix(): fill_slots(path.read_text(encoding="utf-8"), spec.slots.get(path.relative_to(docs).as_posix(), {}))
            for path in docs.rglob("*.md")}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def view_of(cohort) -> StudentView:
    loaded = cohort.load()
    return StudentView(loaded, loaded.student(STUDENT), as_of=AS_OF)


# ---- evaluations ----------------------------------------------------------------------------------

def test_ratings_show_the_competence_title_beside_the_code(cohort, tmp_path):
    evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds")
    page = pages(cohort, tmp_path)["evaluaties.md"]
    assert re.search(r">FG4</a> <span class=\"tl-competence-title\">De leraar als organisator</span>", page)
    entry_page = pages(cohort, tmp_path)["evaluaties/tussentijds.md"]
    assert "De leraar als begeleider van leer- en ontwikkelingsprocessen" in entry_page


def test_growth_is_one_small_chart_per_rated_competence_not_an_average(cohort, tmp_path):
    evaluation(cohort, "start", title="Start", date="2017-10-25", moment="start", fg1_self="+-")
    evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds")
    page = pages(cohort, tmp_path)["evaluaties.md"]

    charts = re.findall(r'<figure class="tl-multiple" id="groei-([a-z0-9-]+)">', page)
    assert charts == ["fg1", "fg4"]
    assert "Gemiddeld" not in page and "gem." not in page
    # FG1 over the two moments, self in words: from +- to +; each chart has three series of two points.
    assert "FG1 De leraar als begeleider van leer- en ontwikkelingsprocessen. start: zelf +-, mentor +, coach +; tussentijds: zelf +, mentor +, coach +." in page
    fg1 = page.split('id="groei-fg1"')[1].split("</figure>")[0]
    assert fg1.count("<path ") == 3


def test_growth_geometry_puts_each_rater_at_its_level(cohort):
    from trialoog.site.growth import PLOT, small_multiples
    from trialoog.site.views import RATERS

    evaluation(cohort, "start", title="Start", date="2017-10-25", moment="start", fg1_self="--")
    evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds", fg1_self="++")
    view = view_of(cohort)
    [fg1, _] = small_multiples(view.growth, RATERS, view.framework.level_ids(), ["start", "tussentijds"])
    self_series = fg1.series[0]
    assert self_series.name == "Zelf"
    assert [point.y for point in self_series.points] == [PLOT[3], PLOT[1]]  # lowest level, then highest
    assert self_series.points[0].x < self_series.points[1].x


def test_disagreement_of_two_levels_is_marked_and_one_level_is_not(cohort, tmp_path):
    evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds", fg1_self="+-", fg4_mentor="+")
    view = view_of(cohort)
    entry = view.by_id["evaluaties/tussentijds"]
    assert view.spread(entry, "FG1") == 1 and view.spread(entry, "FG4") == 2  # FG4: "-" against "+"
    assert view.disagreements(entry) == ["FG4"]

    page = pages(cohort, tmp_path)["evaluaties.md"]
    assert "verschil van 2 niveaus" in page
    assert re.search(r'<tr class="tl-disagree"><th scope="row"><a class="tl-code"[^>]*>FG4</a>', page)
    assert not re.search(r'<tr class="tl-disagree"><th scope="row"><a class="tl-code"[^>]*>FG1</a>', page)
    assert "bij 1 competentie" in text(page)


def test_an_unsigned_evaluation_shows_its_content_and_says_it_is_not_signed(cohort, tmp_path):
    evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds")
    found = pages(cohort, tmp_path)
    for page in (found["evaluaties.md"], found["evaluaties/tussentijds.md"]):
        words = text(page)
        assert re.search(r"ondertekening:? niet ondertekend", words, flags=re.I)
        assert "Mentor nog niet ondertekend" in words and "Coach nog niet ondertekend" in words
        assert 'class="tl-ratings"' in page
    assert "Het gesprek in het kort." in found["evaluaties/tussentijds.md"]


def test_signoff_by_mentor_and_coach_and_a_change_afterwards(cohort, tmp_path):
    path = evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds")
    sign(path, "mentor-an", dt.date(2018, 1, 26), cohort.root)
    words = text(pages(cohort, tmp_path)["evaluaties.md"])
    assert "Ondertekening: ondertekend door An Peeters op 26 januari 2018" in words
    assert "Mentor ondertekend door An Peeters op 26 januari 2018" in words and "Coach nog niet ondertekend" in words

    sign(path, "coach-koen", dt.date(2018, 1, 29), cohort.root)
    words = text(pages(cohort, tmp_path / "b")["evaluaties.md"])
    assert "ondertekend door An Peeters op 26 januari 2018 en Koen Smets op 29 januari 2018" in words

    path.write_text(path.read_text(encoding="utf-8").replace('mentor: "+-"', 'mentor: "+"'), encoding="utf-8")
    view = view_of(cohort)
    entry = view.student.by_id["evaluaties/tussentijds"]  # SG001: a build leaves it out; the view still judges it
    assert view.signoff_summary(entry).startswith("gewijzigd na ondertekening door An Peeters op 26 januari 2018")
    assert view.signoff_changed(entry)
    assert [line.state for line in view.signoff_lines(entry)] == ["gewijzigd", "gewijzigd"]


# ---- onderbouwingen -------------------------------------------------------------------------------

def rationale(cohort, code, status, evidence="[reflecties/eerste-week]", name=None):
    cohort.entry(f"onderbouwingen/{name or code.lower()}.md",
                 f"type: rationale\ntitle: Waarom {code}\ndate: 2017-09-20\ncompetence: {code}\nstatus: {status}\nevidence: {evidence}",
                 body=f"Mijn argument voor {code}.\n")


def test_the_competence_page_shows_the_onderbouwing_first_then_evidence_then_ratings(cohort, tmp_path):
    rationale(cohort, "FG1", "klaar")
    evaluation(cohort, "tussentijds", title="Tussentijds", date="2018-01-25", moment="tussentijds")
    page = pages(cohort, tmp_path)["competenties/FG1.md"]
    argument, evidence, ratings = page.index("Mijn argument voor FG1."), page.index("## Reflecties"), page.index("## Beoordelingen")
    assert page.index("## Onderbouwing") < argument < evidence < ratings
    assert "klaar voor beoordeling" in page
    assert "Het bewijs waarnaar Jan Peeters verwijst:" in page and ">Eerste week</a>" in page.split("## Reflecties")[0]


def test_a_competence_without_onderbouwing_says_so(cohort, tmp_path):
    page = pages(cohort, tmp_path)["competenties/FG2.md"]
    assert "Jan Peeters schreef nog geen onderbouwing voor FG2" in page


def test_the_matrix_shows_the_status_per_competence_and_the_view_exposes_it(cohort, tmp_path):
    rationale(cohort, "FG1", "klaar")
    rationale(cohort, "FG4", "begonnen")
    assert view_of(cohort).rationale_status == {"FG1": "klaar", "FG4": "begonnen"}
    page = pages(cohort, tmp_path)["competenties.md"]
    cells = dict(re.findall(r'<tr class="[^"]*" data-code="([^"]+)">.*?data-rationale="([a-z]*)"', page, flags=re.S))
    assert cells["FG1"] == "klaar" and cells["FG4"] == "begonnen" and cells["FG2"] == ""
    assert ">klaar voor beoordeling</a>" in page and ">begonnen</a>" in page


def test_an_onderbouwing_is_no_evidence_itself(cohort):
    rationale(cohort, "FG2", "klaar", evidence="[]")
    view = view_of(cohort)
    assert view.evidence_for("FG2") == []


# ---- feedback and its answers ---------------------------------------------------------------------

def feedback(cohort, name, date, by="mentor-an", extra=""):
    cohort.entry(f"feedback/{name}.md", f"type: feedback\ntitle: Feedback {name}\ndate: {date}\non: reflecties/eerste-week\nby: {by}\n{extra}",
                 body=f"Tekst van {name}.\n")


@pytest.fixture
def conversation(cohort):
    feedback(cohort, "beantwoord", "2017-09-10")
    feedback(cohort, "antwoord", "2017-09-11", by=STUDENT, extra="answers: [feedback/beantwoord]")
    feedback(cohort, "in-reflectie", "2017-09-12")
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede week\ndate: 2017-09-15\nanswers: [feedback/in-reflectie]")
    feedback(cohort, "oud", "2018-01-10")
    feedback(cohort, "nieuw", "2018-03-10")  # 5 days before AS_OF: younger than reply_days (14)
    return cohort


def test_answered_state_comes_from_answers_and_waiting_only_after_reply_days(conversation):
    view = view_of(conversation)
    state = {item.id.split("/")[1]: (view.is_answered(item), view.awaits_reply(item)) for item in view.of_type("feedback")}
    assert state == {
        "beantwoord": (True, False), "antwoord": (True, False), "in-reflectie": (True, False),
        "oud": (False, True), "nieuw": (False, False),
    }
    assert [item.id for item in view.feedback_without_reply] == ["feedback/oud"]
    assert [item.id for item in view.unanswered_feedback] == ["feedback/oud", "feedback/nieuw"]


def test_reply_days_come_from_portfolio_yml(conversation):
    conversation.config("signals:\n  reply_days: 3\n")
    view = view_of(conversation)
    assert [item.id for item in view.feedback_without_reply] == ["feedback/oud", "feedback/nieuw"]


def test_feedback_page_threads_the_reply_and_labels_each_state(conversation, tmp_path):
    page = pages(conversation, tmp_path)["feedback.md"]
    words = text(page)
    heads = {m.group(1): m.group(2) for m in re.finditer(r"<strong>Feedback (\S+)</strong>(.*?)</p>", page, flags=re.S)}
    assert "beantwoord" in text(heads["beantwoord"]) and "nog geen reactie" not in heads["beantwoord"]
    assert "beantwoord in Tweede week" in text(heads["in-reflectie"])
    assert "nog geen reactie" in heads["oud"]
    assert "reactie" not in heads["nieuw"] and "beantwoord" not in heads["nieuw"]
    # The student's reply stands under the feedback it answers, by name, and not as a thread of its own.
    reply = page.split("Tekst van beantwoord.")[1].split("Feedback in-reflectie")[0]
    assert 'class="tl-feedback__reply"' in reply and "Feedback antwoord</strong> — Jan Peeters" in reply
    assert page.count("Tekst van antwoord.") == 1
    assert "## Jan Peeters" not in page
    assert STUDENT not in words and "answers" not in words and "reply_days" not in words


def test_entry_page_shows_the_reply_once_under_the_feedback(conversation, tmp_path):
    page = pages(conversation, tmp_path)["reflecties/eerste-week.md"]
    assert page.count("Tekst van antwoord.") == 1
    assert page.index("Tekst van beantwoord.") < page.index("Tekst van antwoord.")
    answering = pages(conversation, tmp_path / "b")["reflecties/tweede.md"]
    assert "Antwoord op" in answering and ">Feedback in-reflectie</a>" in answering
