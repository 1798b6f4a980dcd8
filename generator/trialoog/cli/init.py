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
    DEFAULT_FRAMEWORK,
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
@click.option("--framework", help=f"Competentiekader: een ingebouwd id of een pad (standaard: {DEFAULT_FRAMEWORK}).")
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
    framework = framework or (_ask("Competentiekader", DEFAULT_FRAMEWORK) if ask else DEFAULT_FRAMEWORK)
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
    if not persons:
        click.echo("Nog geen personen: vul `people` in (er staat een voorbeeld in het bestand).")
    click.echo("Pas de mijlpalen aan, maak een student met `trialoog new student ID --name \"…\"` en controleer met `trialoog check`.")


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
