"""The `trialoog` command: thin click commands over the library.

The root group is a `Trialoog` (trialoog.cli.boundary): the one place where an error a user can
cause becomes Dutch text on stderr and an exit code. Commands just let errors rise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from trialoog import __version__
from trialoog.checks import run_check
from trialoog.cli.boundary import Trialoog
from trialoog.cli.dutch_click import version_option
from trialoog.cli.options import (
    DATE,
    DutchChoice,
    cohort_argument,
    student_for,
)
from trialoog.errors import UsageError
from trialoog.output.formats import FORMATS, display_path, printable, render
from trialoog.portfolio.evidence import AUDIENCES, EVALUATION
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.locate import find_cohort

NO_STUDENTS = "Nog geen studenten in deze cohorte: maak er een met `trialoog new student ID --name \"…\"`."


# ---- shared options ---------------------------------------------------------------------------

def as_of_option(function):
    return click.option("--as-of", type=DATE, help="Beoordeel de mijlpalen op deze datum (standaard: as_of uit portfolio.yml, anders vandaag).")(function)


def use_color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def load(path: Path, student: str | None = None):
    """The cohort at `path` (only `student`, when given); a ConfigError goes to the boundary."""
    cohort = load_cohort(path, only=student)
    if student is not None and not cohort.students:
        raise UsageError(f"geen student '{printable(student)}' in {display_path(str(path))}")
    return cohort


@click.group("trialoog", cls=Trialoog, context_settings={"help_option_names": ["-h", "--help"]})
@version_option(__version__, prog_name="trialoog")
def main():
    """Trialoog: e-portfolio's voor werkplekleren, gecontroleerd en gebouwd tot websites."""


@main.command()
@cohort_argument
@as_of_option
@click.option("--student", help="Controleer alleen deze student (de mapnaam; standaard: de studentenmap waarin je staat).")
@click.option("--format", "fmt", type=DutchChoice(FORMATS), default="text", show_default=True, help="Uitvoerformaat.")
@click.option("--strict", is_flag=True, help="Ook waarschuwingen geven exitcode 1.")
@click.option("--changed-since", "since", metavar="REF",
              help="Alleen de studenten die sinds REF (bv. origin/main) veranderden, bepalen de exitcode; "
                   "meldingen bij de anderen worden getoond maar laten de controle niet falen.")
def check(path, as_of, student, fmt, strict, since):
    """Controleer de portfolio's: front matter, verwijzingen, bijlagen en mijlpalen.

    Exitcode 0: geen fouten; 1: problemen gevonden; 2: fout in het gebruik of in portfolio.yml.
    Zonder MAP: ./portfolios, anders de dichtstbijzijnde map erboven met portfolio.yml.
    """
    place = find_cohort(path)
    cohort = load(place.root, student_for(place, student, "check"))
    if not cohort.students:
        click.echo(NO_STUDENTS, err=True)
    result = counted = run_check(cohort, as_of)
    if since is not None:
        from trialoog.workflow.changes import scope_check

        result, counted, note = scope_check(result, place.root, since)
        if note:
            click.echo(note, err=True)
    click.echo(render(result, fmt, strict=strict, color=use_color(sys.stdout)))
    sys.exit(counted.exit_code(strict))


@main.command()
@cohort_argument
@as_of_option
@click.option("--audience", type=DutchChoice(AUDIENCES), default=EVALUATION, show_default=True,
              help="evaluation: bewijzen met privé-items; student: zonder, zoals de site van een gewone bouw.")
def report(path, as_of, audience):
    """Toon per student de mijlpalen en het aantal bewijzen per competentiegroep."""
    from trialoog.output.report import report as render_report

    click.echo(render_report(run_check(load(find_cohort(path).root), as_of), audience))


def _register_commands():
    # The site commands (build, serve), starting a cohort (init) and the git workflow commands
    # (new, review, ...) live in their own modules; each exposes COMMANDS.
    from trialoog.cli import framework, init, site, workflow

    for command in (*site.COMMANDS, *init.COMMANDS, *workflow.COMMANDS, *framework.COMMANDS):
        main.add_command(command)


_register_commands()
