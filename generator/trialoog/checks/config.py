"""The cohort configuration, checked like a portfolio: portfolio.yml and its mapping file.

What the schema cannot see, because it needs the framework or the other milestones: a milestone
that requires a competence the framework does not have (after a switch of framework, `[FG1, FG3]`
of the old one), two milestones with one id, a deadline outside the academic year, an academic
year that ends before it starts, a mapping file that names codes that do not exist, and a repealed
built-in framework for a cohort that started after the repeal. Each points at its line in
portfolio.yml (or the mapping file). Checked once per cohort, not per student.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic, Position
from trialoog.dutch import long_date
from trialoog.portfolio.framework import BUILTINS
from trialoog.portfolio.load import Cohort
from trialoog.portfolio.model import Requirement

# The 2018 decree is in force from the academic year 2019-2020 (its article 3).
REPEAL_2007 = dt.date(2019, 9, 1)
REPEALED = {name: REPEAL_2007 for name, found in BUILTINS.items() if found.note}


def check_config(cohort: Cohort) -> Iterator[Diagnostic]:
    yield from _academic_year(cohort)
    yield from _milestones(cohort)
    yield from _repealed(cohort)
    if cohort.mapping is not None:
        yield from cohort.mapping.problems


def _at(cohort: Cohort, path: tuple, code: str, message: str, of_key: bool = False) -> Diagnostic:
    position = cohort.config_doc.position(path, of_key) if cohort.config_doc is not None else START
    return rules.make(code, str(cohort.config_path), position, message)


def _academic_year(cohort: Cohort) -> Iterator[Diagnostic]:
    year = cohort.config.academic_year
    if year.end <= year.start:
        message = (f"het academiejaar eindigt ({long_date(year.end)}) vóór of op de dag dat het begint "
                   f"({long_date(year.start)}): zet de eerste dag bij `start`, de laatste bij `end`")
        yield _at(cohort, ("academic_year", "end"), rules.REVERSED_YEAR, message)


def _milestones(cohort: Cohort) -> Iterator[Diagnostic]:
    year = cohort.config.academic_year
    first: dict[str, int] = {}
    for index, milestone in enumerate(cohort.config.milestones):
        if milestone.id in first:
            line = _line(cohort, ("milestones", first[milestone.id], "id"))
            message = f"mijlpaal-id '{milestone.id}' staat er al (regel {line}): geef elke mijlpaal een eigen id"
            yield _at(cohort, ("milestones", index, "id"), rules.DUPLICATE_MILESTONE, message)
        else:
            first[milestone.id] = index
        if year.start < year.end and not year.start <= milestone.due <= year.end:
            message = (f"mijlpaal '{milestone.id}': deadline {long_date(milestone.due)} valt buiten het academiejaar "
                       f"({long_date(year.start)} – {long_date(year.end)})")
            yield _at(cohort, ("milestones", index, "due"), rules.DUE_OUTSIDE_YEAR, message)
        yield from unknown_codes(cohort, milestone.id, milestone.require, ("milestones", index, "require", "competences"),
                                 lambda path, code, message: _at(cohort, path, code, message))


def unknown_codes(cohort: Cohort, milestone: str, require: Requirement | None, path: tuple, make) -> Iterator[Diagnostic]:
    """CF002 for each required code the framework does not have (also for a profile's override:
    `make` places the diagnostic in the file it is written in)."""
    framework = cohort.framework
    for index, code in enumerate(require.competences if require is not None else []):
        if framework.get(code) is not None:
            continue
        mapped = framework.mapped_codes().get(code)
        if mapped:
            hint = f"; volgens het mappingbestand wordt het {', '.join(mapped)}: schrijf die code(s)"
        else:
            close = framework.suggest(code)
            hint = f" — bedoel je '{close}'?" if close else " (`trialoog framework show` toont de codes)"
        message = f"mijlpaal '{milestone}' vraagt competentie '{code}', maar die staat niet in het kader '{framework.id}'{hint}"
        yield make(path + (index,), rules.MILESTONE_CODE, message)


def _repealed(cohort: Cohort) -> Iterator[Diagnostic]:
    since = REPEALED.get(cohort.config.framework)
    if since is not None and cohort.config.academic_year.start >= since:
        message = (f"het kader '{cohort.config.framework}' volgt het besluit van 2007, opgeheven vanaf het academiejaar "
                   "2019-2020: zet `framework:` op het eigen kaderbestand van de opleiding (zie de README, \"Een eigen kader\")")
        yield _at(cohort, ("framework",), rules.REPEALED_FRAMEWORK, message)


def _line(cohort: Cohort, path: tuple) -> int:
    position: Position = cohort.config_doc.position(path) if cohort.config_doc is not None else START
    return position.line
