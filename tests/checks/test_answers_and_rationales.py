"""The checks of issue 10: an onderbouwing (type rationale) is validated like every other type, and
`answers` must name feedback of the same student; a student may write feedback (a reply)."""

from __future__ import annotations

from trialoog import rules

from conftest import STUDENT

FEEDBACK = "type: feedback\ntitle: Feedback\ndate: 2017-09-10\non: reflecties/eerste-week\nby: mentor-an"


def found(cohort):
    return [(d.path.rsplit("/", 1)[-1], d.line, d.code) for d in cohort.check().diagnostics if d.code != rules.MILESTONE]


def messages(cohort, code):
    return [d.message for d in cohort.check().diagnostics if d.code == code]


def rationale(cohort, extra, name="fg1", title="Onderbouwing FG1"):
    cohort.entry(f"onderbouwingen/{name}.md", f"type: rationale\ntitle: {title}\ndate: 2017-09-20\n{extra}")


# ---- onderbouwingen -------------------------------------------------------------------------------

def test_a_valid_rationale_gives_nothing(cohort):
    rationale(cohort, "competence: FG1\nstatus: klaar\nevidence: [reflecties/eerste-week]")
    assert found(cohort) == []


def test_rationale_with_an_unknown_competence_suggests_the_nearest(cohort):
    rationale(cohort, "competence: FG11")
    assert found(cohort) == [("fg1.md", 5, rules.UNKNOWN_COMPETENCE)]
    assert messages(cohort, rules.UNKNOWN_COMPETENCE) == ["onbekende competentie 'FG11' — bedoel je 'FG1'?"]


def test_rationale_with_unknown_evidence_points_at_the_item(cohort):
    rationale(cohort, "competence: FG1\nevidence:\n  - reflecties/eerste-week\n  - bewijzen/kwijt")
    assert found(cohort) == [("fg1.md", 8, rules.UNKNOWN_EVIDENCE)]


def test_rationale_status_outside_its_values_is_refused_with_the_choices(cohort):
    rationale(cohort, "competence: FG1\nstatus: af")
    assert found(cohort) == [("fg1.md", 6, rules.NOT_ALLOWED)]
    assert "'begonnen' of 'klaar'" in messages(cohort, rules.NOT_ALLOWED)[0]


def test_rationale_without_competence_is_a_missing_key(cohort):
    rationale(cohort, "status: begonnen")
    assert messages(cohort, rules.MISSING_KEY) == ["sleutel 'competence' ontbreekt"]


def test_second_rationale_for_a_competence_names_the_first(cohort):
    rationale(cohort, "competence: FG4", name="a", title="Eerste")
    rationale(cohort, "competence: FG4", name="b", title="Tweede")
    rationale(cohort, "competence: FG1", name="c", title="Andere")
    assert found(cohort) == [("b.md", 5, rules.DUPLICATE_RATIONALE)]
    assert "onderbouwingen/a" in messages(cohort, rules.DUPLICATE_RATIONALE)[0]


# ---- answers --------------------------------------------------------------------------------------

def test_answers_naming_feedback_gives_nothing(cohort):
    cohort.entry("feedback/f.md", FEEDBACK)
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\nanswers: [feedback/f]")
    assert found(cohort) == []


def test_answers_naming_a_missing_id_suggests_the_nearest(cohort):
    cohort.entry("feedback/feedback-week.md", FEEDBACK)
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\nanswers: [feedback/feedback-weak]")
    assert found(cohort) == [("tweede.md", 5, rules.UNKNOWN_ANSWERED)]
    assert messages(cohort, rules.UNKNOWN_ANSWERED) == ["feedback 'feedback/feedback-weak' bestaat niet — bedoel je 'feedback/feedback-week'?"]


def test_answers_naming_an_entry_that_is_no_feedback_is_the_wrong_kind(cohort):
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\nanswers:\n  - reflecties/eerste-week")
    assert found(cohort) == [("tweede.md", 6, rules.WRONG_KIND)]


def test_answers_cannot_reach_another_students_feedback(cohort):
    cohort.write("piet-claes/index.md", "---\ntype: profile\nname: Piet\nprogram: lager\n---\n")
    cohort.entry("feedback/f.md", FEEDBACK.replace("reflecties/eerste-week", "index"), student="piet-claes")
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\nanswers: [../piet-claes/feedback/f]")
    assert ("tweede.md", 5, rules.UNKNOWN_ANSWERED) in found(cohort)


def test_an_answer_older_than_the_feedback_warns(cohort):
    cohort.entry("feedback/f.md", FEEDBACK.replace("2017-09-10", "2017-09-20"))
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\nanswers: [feedback/f]")
    assert found(cohort) == [("tweede.md", 5, rules.ANSWER_BEFORE_FEEDBACK)]
    assert rules.RULES[rules.ANSWER_BEFORE_FEEDBACK].severity == rules.WARNING


def test_the_student_may_write_feedback_that_answers(cohort):
    cohort.entry("feedback/f.md", FEEDBACK)
    cohort.entry("feedback/antwoord.md", f"type: feedback\ntitle: Antwoord\ndate: 2017-09-11\non: reflecties/eerste-week\nby: {STUDENT}\nanswers: [feedback/f]")
    assert found(cohort) == []


def test_feedback_by_someone_unknown_is_still_refused(cohort):
    cohort.entry("feedback/f.md", FEEDBACK.replace("by: mentor-an", "by: piet-claes"))
    assert found(cohort) == [("f.md", 6, rules.UNKNOWN_PERSON)]


def test_a_dutch_competence_key_on_a_rationale_suggests_the_singular(cohort):
    rationale(cohort, "competentie: FG1")
    assert "onbekende sleutel 'competentie' — bedoel je 'competence'?" in messages(cohort, rules.UNKNOWN_KEY)
