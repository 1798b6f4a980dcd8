"""References that must exist: codes, levels, goals, evidence, feedback targets, people, answered feedback.

Also one onderbouwing (rationale) per competence, since its page shows one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.checks.config import unknown_codes
from trialoog.diagnostics import Diagnostic
from trialoog.dutch import long_date
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.paths import resolve_inside

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    if student.profile is not None and student.profile.model is not None:
        yield from _profile(cohort, student)
    # One look-up table instead of a call per code; old codes of a framework switch are accepted.
    known = frozenset(cohort.framework.codes()) | frozenset(cohort.framework.mapped_codes())
    for entry in student.entries:
        yield from _competences(cohort, entry, _written_competences(entry), ("competences",), known)
        if entry.model is not None:
            yield from CHECKS_BY_TYPE.get(entry.model.type, _nothing)(cohort, student, entry)
            yield from _answers(student, entry)
    yield from _one_rationale_per_competence(student)


def _written_competences(entry) -> list:
    # Also for an entry with other schema errors: every mistake in one run.
    if entry.model is not None:
        return entry.model.competences
    written = (entry.doc.data or {}).get("competences")
    return [code for code in written if isinstance(code, str)] if isinstance(written, list) else []


def _nothing(cohort, student, entry):
    return ()


def _at(entry, path, code, message):
    return rules.make(code, str(entry.path), entry.doc.position(path), message, entry.student)


def _competences(cohort, entry, codes, path, known):
    for index, code in enumerate(codes):
        if code not in known:
            yield _at(entry, path + (index,), rules.UNKNOWN_COMPETENCE, _unknown_competence(cohort, code))


def _unknown_competence(cohort, code) -> str:
    suggestion = cohort.framework.suggest(str(code))
    hint = f" — bedoel je '{suggestion}'?" if suggestion else ""
    return f"onbekende competentie '{code}'{hint}"


def _person(cohort, entry, person, path, allowed=()):
    if person not in cohort.config.people and person not in allowed:
        known = ", ".join(sorted(cohort.config.people)) or "geen"
        yield _at(entry, path, rules.UNKNOWN_PERSON, f"onbekende persoon '{person}'; personen in portfolio.yml: {known}")


def _profile(cohort, student):
    entry, profile = student.profile, student.profile.model
    for index, mentor in enumerate(profile.mentors):
        yield from _person(cohort, entry, mentor, ("mentors", index))
    if profile.coach:
        yield from _person(cohort, entry, profile.coach, ("coach",))
    known = {milestone.id for milestone in cohort.config.milestones}
    for index, override in enumerate(profile.milestones):
        if override.id not in known:
            message = f"onbekende mijlpaal '{override.id}'; mijlpalen in portfolio.yml: {', '.join(sorted(known)) or 'geen'}"
            yield _at(entry, ("milestones", index, "id"), rules.NOT_ALLOWED, message)
        year = cohort.config.academic_year
        if override.due is not None and year.start < year.end and not year.start <= override.due <= year.end:
            message = f"eigen tempo voor mijlpaal '{override.id}': deadline {long_date(override.due)} valt buiten het academiejaar ({long_date(year.start)} – {long_date(year.end)})"
            yield _at(entry, ("milestones", index, "due"), rules.DUE_OUTSIDE_YEAR, message)
        path = ("milestones", index, "require", "competences")
        yield from unknown_codes(cohort, override.id, override.require, path,
                                 lambda where, code, message: _at(entry, where, code, message))


def _reflection(cohort, student, entry):
    for index, goal in enumerate(entry.model.goals):
        yield from _reference(student, entry, goal, ("goals", index), "goal", rules.UNKNOWN_GOAL, "leerdoel")
    yield from _evidence(student, entry)


def _evidence(student, entry):
    for index, item in enumerate(entry.model.evidence):
        if item in student.by_id or resolve_inside(student, entry, item).found:
            continue
        yield _at(entry, ("evidence", index), rules.UNKNOWN_EVIDENCE, f"bewijs '{item}' bestaat niet (geen item en geen bestand)")


def _rationale(cohort, student, entry):
    code = entry.model.competence
    if cohort.framework.get(code) is None:
        yield _at(entry, ("competence",), rules.UNKNOWN_COMPETENCE, _unknown_competence(cohort, code))
    yield from _evidence(student, entry)


def _one_rationale_per_competence(student):
    """The competence page shows one onderbouwing first; a second would silently lose the other."""
    first: dict = {}
    for entry in student.entries:
        if entry.model is None or entry.model.type != "rationale":
            continue
        code = entry.model.competence
        if code in first:
            message = f"een tweede onderbouwing voor {code}; de eerste staat in {first[code].id}: voeg ze samen in één bestand"
            yield _at(entry, ("competence",), rules.DUPLICATE_RATIONALE, message)
        else:
            first[code] = entry


def _answers(student, entry):
    """`answers` names feedback of this student; an answer older than the feedback is a slip."""
    for index, target in enumerate(entry.model.answers):
        found = student.by_id.get(target)
        if found is None:
            yield _at(entry, ("answers", index), rules.UNKNOWN_ANSWERED, f"feedback '{target}' bestaat niet{_did_you_mean(student, target)}")
        elif found.type != "feedback":
            yield _at(entry, ("answers", index), rules.WRONG_KIND, f"'{target}' is geen feedback maar een {found.type}: `answers` noemt feedback")
        elif found.model is not None and entry.model.date and entry.model.date < found.model.date:
            message = f"antwoord van {entry.model.date.isoformat()} op feedback van {found.model.date.isoformat()}: een antwoord komt na de feedback"
            yield _at(entry, ("answers", index), rules.ANSWER_BEFORE_FEEDBACK, message)


def _reference(student, entry, target, path, kind, code, noun):
    found = student.by_id.get(target)
    if found is None:
        yield _at(entry, path, code, f"{noun} '{target}' bestaat niet{_did_you_mean(student, target)}")
    elif found.type != kind:
        yield _at(entry, path, rules.WRONG_KIND, f"'{target}' is geen {noun} maar een {found.type}")


def _did_you_mean(student, target) -> str:
    import difflib

    found = difflib.get_close_matches(str(target), list(student.by_id), n=1, cutoff=0.7)
    return f" — bedoel je '{found[0]}'?" if found else " (schrijf het pad zonder .md)"


def _feedback(cohort, student, entry):
    target = entry.model.on
    if target not in student.by_id and not (target == "index" and student.profile):
        yield _at(entry, ("on",), rules.UNKNOWN_TARGET, f"feedback op '{target}', maar dat item bestaat niet{_did_you_mean(student, target)}")
    # The student may write feedback too: a reply in a review thread (it `answers` the comment).
    yield from _person(cohort, entry, entry.model.by, ("by",), allowed=(student.id,))


def _meeting(cohort, student, entry):
    for index, person in enumerate(entry.model.participants):
        yield from _person(cohort, entry, person, ("participants", index), allowed=(student.id,))


def _evaluation(cohort, student, entry):
    levels = cohort.framework.level_ids()
    for code, rating in entry.model.ratings.items():
        if not cohort.framework.accepts(code):
            yield _at(entry, ("ratings", code), rules.UNKNOWN_COMPETENCE, _unknown_competence(cohort, code))
        for who in ("self", "mentor", "coach"):
            level = getattr(rating, who)
            if level is not None and level not in levels:
                message = f"niveau '{level}' bestaat niet; de schaal is: {' / '.join(levels)} (zet het tussen aanhalingstekens)"
                yield _at(entry, ("ratings", code, who), rules.UNKNOWN_LEVEL, message)
    for index, signoff in enumerate(entry.model.signoff):
        yield from _person(cohort, entry, signoff.by, ("signoff", index, "by"))


CHECKS_BY_TYPE = {
    "reflection": _reflection,
    "feedback": _feedback,
    "meeting": _meeting,
    "evaluation": _evaluation,
    "rationale": _rationale,
}
