"""`trialoog init`: start a cohort, from flags or from questions in Dutch.

Questions are asked only at a terminal and only for what no flag gave; with --yes, or when
stdin is not a terminal (CI, a script), every missing value takes its default, so the command
never waits for input that cannot come.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from trialoog.cli.dutch_click import command
from trialoog.cli.options import DATE, FOLDER
from trialoog.output.formats import display_path
from trialoog.portfolio.locate import COHORT_FOLDER
from trialoog.portfolio.model import ROLES
from trialoog.workflow.init_cohort import (
    CURRENT_DECREE_FROM,
    DEFAULT_FRAMEWORK,
    framework_note,
    framework_problem,
    NewCohort,
    academic_year,
    year_end,
    default_title,
    init_cohort,
    parse_person,
)

ROLE_QUESTIONS = {"mentor": "Mentoren", "coach": "Coaches", "evaluator": "Leden van het evaluatieteam"}


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _people_options(function):
    for role in reversed(ROLES):
        function = click.option(f"--{role}", f"{role}s", multiple=True, metavar="NAAM[=LOGIN]",
                                help=f"Een {role} (herhaal voor meer); LOGIN is de login op GitHub of GitLab.")(function)
    return function


@command("init")
@click.argument("path", type=FOLDER, required=False, metavar="[MAP]")
@click.option("--title", help="Titel van de cohorte (standaard: Werkplekleren JJJJ-JJJJ).")
@click.option("--institution", help="Naam van de hogeschool.")
@click.option("--framework", help=f"Competentiekader: het kaderbestand van de opleiding (een pad) of een ingebouwd id (standaard: {DEFAULT_FRAMEWORK}, het opgeheven besluit van 2007).")
@click.option("--start", type=DATE, help="Eerste dag van het academiejaar (standaard: 1 september).")
@click.option("--end", type=DATE, help="Laatste dag van het academiejaar (standaard: 30 juni).")
@_people_options
@click.option("-y", "--yes", is_flag=True, help="Stel geen vragen: wat ontbreekt, krijgt de standaardwaarde.")
def init(path, title, institution, framework, start, end, yes, **people):
    """Begin een nieuwe cohorte: schrijf MAP/portfolio.yml (standaard portfolios/) met uitleg bij elke sleutel.

    Overschrijft nooit iets. Zonder opties en aan een terminal stelt Trialoog de vragen; met --yes of
    zonder terminal krijgt wat ontbreekt de standaardwaarde.
    """
    folder = path or Path(COHORT_FOLDER)
    ask = not yes and stdin_is_terminal()
    first, _ = academic_year(dt.date.today())
    start = start or (_ask_date("Eerste dag van het academiejaar", first) if ask else first)
    last = year_end(start)
    end = end or (_ask_date("Laatste dag van het academiejaar", last) if ask else last)
    title = title or (_ask("Titel van de cohorte", default_title(start, end)) if ask else default_title(start, end))
    if institution is None and ask:
        institution = _ask("Naam van de hogeschool (leeg: later invullen)", "") or None
    if framework is None:
        framework = _ask_framework(folder, start) if ask else DEFAULT_FRAMEWORK
    persons = []
    for role in ROLES:
        given = list(people[f"{role}s"])
        if not given and ask:
            answer = _ask(f"{ROLE_QUESTIONS[role]}: namen, gescheiden door komma's (NAAM of NAAM=LOGIN; leeg: later)", "")
            given = [name for name in (part.strip() for part in answer.split(",")) if name]
        persons += [parse_person(role, text) for text in given]
    request = NewCohort(title, start, end, institution, framework, tuple(persons))
    written = init_cohort(folder, request)
    click.echo(f"Nieuw: {display_path(str(written))}")
    note = framework_note(framework, start)
    if note:
        click.echo(note, err=True)
    if not persons:
        click.echo("Nog geen personen: vul `people` in (er staat een voorbeeld in het bestand).")
    click.echo("Pas de mijlpalen aan, maak een student met `trialoog new student ID --name \"…\"` en controleer met `trialoog check`.")


def _ask_framework(folder: Path, start: dt.date) -> str:
    """The programme's own framework file, asked again until it loads. There is no current built-in
    set (the 2018 text could not be sourced literally), so only a cohort of before 2019-2020 gets
    the 2007 set as its default."""
    default = DEFAULT_FRAMEWORK if start < CURRENT_DECREE_FROM else ""
    question = ("Competentiekader: het kaderbestand van je opleiding (YAML, relatief aan de cohortemap; "
                "maak het met `trialoog framework import` of zie de README, \"Een eigen kader\")")
    while True:
        answer = _ask(question, default)
        problem = framework_problem(answer, folder) if answer else "geef een bestand (of een ingebouwd id)"
        if problem is None:
            return answer
        click.echo(problem, err=True)


def _ask(question: str, default: str) -> str:
    return str(click.prompt(question, default=default, show_default=bool(default), type=str)).strip()


def _ask_date(question: str, default: dt.date) -> dt.date:
    """A date, asked again until it is one; the message is Dutch (click's own says 'Error: …')."""
    while True:
        answer = _ask(f"{question} (JJJJ-MM-DD)", default.isoformat())
        try:
            return dt.date.fromisoformat(answer)
        except ValueError:
            click.echo(f"'{answer}' is geen datum; schrijf JJJJ-MM-DD", err=True)


COMMANDS = [init]
