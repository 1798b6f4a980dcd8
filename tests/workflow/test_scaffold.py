"""`trialoog new …`: conventional folder and name, valid front matter, guidance, never overwrite."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
import shutil

import pytest

from trialoog.checks import run_check
from trialoog.portfolio.frontmatter import read_document
from trialoog.portfolio.load import load_cohort
from trialoog.workflow.scaffold import slugify
from workflow_helpers import EXAMPLE, STUDENT, trialoog

DAY = "2018-03-01"


@pytest.fixture
def cohort(tmp_path):
    root = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, root)
    return root


def problems_in(root, path):
    result = run_check(load_cohort(root), dt.date(2018, 3, 15))
    inside = Path(path).resolve().relative_to(Path(root).resolve()).as_posix()  # Diagnostic paths are relative to the cohort
    return [d for d in result.diagnostics if d.path == inside and d.code != "MS001"]


@pytest.mark.parametrize("kind, folder, extra", [
    ("reflection", "reflecties", []),
    ("goal", "leerdoelen", []),
    ("task", "taken", ["--course", "Wiskunde"]),
    ("evidence", "bewijzen", []),
    ("meeting", "overleg", ["--kind", "terugkomdag"]),
    ("evaluation", "evaluaties", ["--moment", "eind"]),
    ("feedback", "feedback", ["--on", "reflecties/2017-09-08-eerste-week", "--by", "mentor-an-peeters"]),
])
def test_new_entry_is_valid_in_its_folder(monkeypatch, cohort, kind, folder, extra):
    title = f"Nieuw: {kind} met “aanhalingstekens” & een # erin"
    result = trialoog(monkeypatch, cohort.parent, "new", kind, title, "--student", STUDENT, "--date", DAY, *extra)
    assert result.exit_code == 0, result.output
    name = slugify(title) + ".md" if kind == "goal" else f"{DAY}-{slugify(title)}.md"
    path = cohort / STUDENT / folder / name
    assert result.output.startswith(f"Nieuw: portfolios/{STUDENT}/{folder}/{name}\n")
    doc = read_document(path.read_bytes())
    assert doc.data["type"] == kind and doc.data["title"] == title
    assert problems_in(cohort, path) == []


def test_slug_from_title():
    assert slugify("Breuken met pizza's: 3de leerjaar!") == "breuken-met-pizzas-3de-leerjaar"
    assert slugify("Één café, coöperatief leren") == "een-cafe-cooperatief-leren"
    assert slugify("???") == "zonder-titel"


def test_reflection_follows_alact_with_questions(monkeypatch, cohort):
    trialoog(monkeypatch, cohort.parent, "new", "reflection", "Rekenles", "--student", STUDENT, "--date", DAY)
    text = (cohort / STUDENT / "reflecties" / f"{DAY}-rekenles.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == [
        "## 1. Handelen",
        "## 2. Terugblikken op het handelen",
        "## 3. Bewustwording van essentiële aspecten",
        "## 4. Alternatieven ontwikkelen en daaruit kiezen",
        "## 5. Uitproberen",
    ]
    for question in ("Wat wilde ik? Wat dacht ik? Wat voelde ik? Wat deed ik?",
                     "Wat wilden de leerlingen? Wat dachten zij? Wat voelden zij? Wat deden zij?",
                     "Wat is nu de kern?", "Welke andere aanpakken zie ik?"):
        assert question in text
    assert "model: alact" in text


def test_free_reflection_has_no_alact_steps(monkeypatch, cohort):
    trialoog(monkeypatch, cohort.parent, "new", "reflection", "Vrij", "--model", "vrij", "--student", STUDENT, "--date", DAY)
    text = (cohort / STUDENT / "reflecties" / f"{DAY}-vrij.md").read_text(encoding="utf-8")
    assert 'model: "vrij"' in text and "## 1. Handelen" not in text


def test_evaluation_lists_every_competence_group(monkeypatch, cohort):
    trialoog(monkeypatch, cohort.parent, "new", "evaluation", "Eind", "--student", STUDENT, "--date", DAY)
    doc = read_document((cohort / STUDENT / "evaluaties" / f"{DAY}-eind.md").read_bytes())
    groups = [group.code for group in load_cohort(cohort).framework.groups()]
    assert list(doc.data["ratings"]) == groups
    assert doc.data["ratings"]["FG1"] == {"self": None, "mentor": None, "coach": None, "comment": None}


def test_never_overwrites(monkeypatch, cohort):
    args = ("new", "reflection", "Rekenles", "--student", STUDENT, "--date", DAY)
    assert trialoog(monkeypatch, cohort.parent, *args).exit_code == 0
    path = cohort / STUDENT / "reflecties" / f"{DAY}-rekenles.md"
    path.write_text("mijn tekst", encoding="utf-8")
    again = trialoog(monkeypatch, cohort.parent, *args)
    assert again.exit_code == 1
    assert "bestaat al; Trialoog overschrijft niets" in again.output
    assert path.read_text(encoding="utf-8") == "mijn tekst"


def test_refuses_a_name_that_differs_only_in_case(monkeypatch, cohort):
    folder = cohort / STUDENT / "leerdoelen"
    (folder / "Rust.md").write_text("x", encoding="utf-8")
    result = trialoog(monkeypatch, cohort.parent, "new", "goal", "Rust", "--student", STUDENT)
    assert result.exit_code == 1 and "Rust.md bestaat al" in result.output
    assert not (folder / "rust.md").exists()


def test_student_from_the_folder_you_stand_in(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort / STUDENT / "reflecties", "new", "goal", "Leesplezier", "--date", DAY)
    assert result.exit_code == 0, result.output
    assert (cohort / STUDENT / "leerdoelen" / "leesplezier.md").is_file()


def test_several_students_need_a_choice(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort.parent, "new", "goal", "Leesplezier")
    assert result.exit_code == 2
    assert "kies een student met --student" in result.output and STUDENT in result.output


def test_unknown_student_and_person_are_usage_errors(monkeypatch, cohort):
    unknown = trialoog(monkeypatch, cohort.parent, "new", "goal", "X", "--student", "jan")
    assert unknown.exit_code == 2 and "geen student 'jan'" in unknown.output
    person = trialoog(monkeypatch, cohort.parent, "new", "feedback", "X", "--student", STUDENT,
                      "--on", "reflecties/2017-09-08-eerste-week", "--by", "mentor-jan")
    assert person.exit_code == 2 and "onbekende persoon 'mentor-jan'" in person.output
    target = trialoog(monkeypatch, cohort.parent, "new", "feedback", "X", "--student", STUDENT,
                      "--on", "reflecties/bestaat-niet", "--by", "mentor-an-peeters")
    assert target.exit_code == 2 and "geen item" in target.output


def test_feedback_on_a_file_path(monkeypatch, cohort):
    target = cohort / STUDENT / "reflecties" / "2017-09-08-eerste-week.md"
    result = trialoog(monkeypatch, cohort.parent, "new", "feedback", "Goed begin", "--on", str(target),
                      "--by", "coach-koen-smets", "--date", "2017-09-12")
    assert result.exit_code == 0, result.output
    doc = read_document((cohort / STUDENT / "feedback" / "2017-09-12-goed-begin.md").read_bytes())
    assert doc.data["on"] == "reflecties/2017-09-08-eerste-week" and doc.data["by"] == "coach-koen-smets"


def test_new_student_with_profile(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort.parent, "new", "student", "jan-claes", "--name", "Jan Claes",
                      "--program", "kleuter", "--mentor", "mentor-els-jacobs", "--coach", "coach-sofie-maes",
                      "--school", "VKS 't Klavertje", "--city", "Lier")
    assert result.exit_code == 0, result.output
    profile = cohort / "jan-claes" / "index.md"
    doc = read_document(profile.read_bytes())
    assert doc.data["name"] == "Jan Claes" and doc.data["program"] == "kleuter"
    assert doc.data["mentors"] == ["mentor-els-jacobs"] and doc.data["coach"] == "coach-sofie-maes"
    assert doc.data["school"] == {"name": "VKS 't Klavertje", "city": "Lier"}
    assert doc.data["cohort"] == "2017-2018" and doc.data["start"] == dt.date(2017, 8, 28)
    assert problems_in(cohort, profile) == []
    # A photo is the student's choice, with their consent: both the command and the file say so.
    assert "photo: foto.jpg" in result.output and "toestemming" in result.output
    assert "# photo: foto.jpg" in profile.read_text(encoding="utf-8") and "toestemming" in profile.read_text(encoding="utf-8")
    again = trialoog(monkeypatch, cohort.parent, "new", "student", "jan-claes", "--name", "Jan Claes")
    assert again.exit_code == 1 and "bestaat al" in again.output


def test_new_student_id_must_be_a_slug(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort.parent, "new", "student", "Jan Claes", "--name", "Jan Claes")
    assert result.exit_code == 2 and "kan geen mapnaam zijn" in result.output
    assert not (cohort / "Jan Claes").exists()


@pytest.mark.parametrize("name", ["assets", "search", "overzicht"])
def test_new_student_refuses_a_name_the_overview_uses(monkeypatch, cohort, name):
    result = trialoog(monkeypatch, cohort.parent, "new", "student", name, "--name", "Jan Claes")
    assert result.exit_code == 2 and "voorbehouden voor het overzicht" in result.output
    assert not (cohort / name).exists()


def test_bad_date_is_a_dutch_usage_error(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort.parent, "new", "goal", "X", "--student", STUDENT, "--date", "2018-02-30")
    assert result.exit_code == 2 and "is geen datum" in result.output


# ---- onderbouwingen and answers (issue 10) ------------------------------------------------------------

def test_new_rationale_is_named_by_competence_and_valid(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort.parent, "new", "rationale", "Rust in de klas", "--competence", "FG2",
                      "--student", STUDENT, "--date", DAY)
    assert result.exit_code == 0, result.output
    path = cohort / STUDENT / "onderbouwingen" / "fg2-rust-in-de-klas.md"
    doc = read_document(path.read_bytes())
    assert doc.data == {"type": "rationale", "title": "Rust in de klas", "date": dt.date(2018, 3, 1),
                        "competence": "FG2", "status": "begonnen", "evidence": []}
    assert "# De leraar als opvoeder" in path.read_text(encoding="utf-8")  # the title beside the code
    assert problems_in(cohort, path) == []


def test_new_rationale_refuses_an_unknown_competence_and_a_second_one(monkeypatch, cohort):
    unknown = trialoog(monkeypatch, cohort.parent, "new", "rationale", "X", "--competence", "FG11", "--student", STUDENT)
    assert unknown.exit_code == 2 and "onbekende competentie 'FG11' bij --competence — bedoel je 'FG1'?" in unknown.output
    before = sorted((cohort / STUDENT / "onderbouwingen").iterdir())
    second = trialoog(monkeypatch, cohort.parent, "new", "rationale", "Nog eens", "--competence", "FG4", "--student", STUDENT)
    assert second.exit_code == 1 and "is al de onderbouwing voor FG4" in second.output
    assert sorted((cohort / STUDENT / "onderbouwingen").iterdir()) == before


def test_new_feedback_by_the_student_answers_a_comment(monkeypatch, cohort):
    result = trialoog(monkeypatch, cohort.parent, "new", "feedback", "Mijn antwoord", "--student", STUDENT, "--date", "2018-03-14",
                      "--on", "reflecties/2018-03-09-moeilijk-gesprek-met-ouder", "--by", STUDENT,
                      "--answers", "feedback/2018-03-12-moeilijk-gesprek-met-ouder")
    assert result.exit_code == 0, result.output
    path = cohort / STUDENT / "feedback" / "2018-03-14-mijn-antwoord.md"
    doc = read_document(path.read_bytes())
    assert doc.data["by"] == STUDENT and doc.data["answers"] == ["feedback/2018-03-12-moeilijk-gesprek-met-ouder"]
    assert problems_in(cohort, path) == []
