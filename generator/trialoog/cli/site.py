"""Click commands for the sites: `trialoog build` and `trialoog serve`."""

from __future__ import annotations

import sys

import click

from trialoog.cli.dutch_click import command
from trialoog.cli.options import EXISTING_FOLDER, FOLDER, DutchChoice, DutchIntRange
from trialoog.portfolio.evidence import AUDIENCES
from trialoog.site.engine import ENGINES


def _path_argument(function):
    return click.argument("path", type=EXISTING_FOLDER, default="portfolios", metavar="[MAP]")(function)


@command()
@_path_argument
@click.option("--out", type=FOLDER, default="site", show_default=True, help="Map voor de sites.")
@click.option("--student", help="Bouw alleen deze student (de anderen blijven zoals ze waren).")
@click.option("--jobs", type=DutchIntRange(min=1), help="Aantal processen (standaard: aantal cpu's).")
@click.option("--engine", type=DutchChoice(list(ENGINES)), default="mkdocs", show_default=True, help="De site-engine.")
@click.option("--audience", type=DutchChoice(AUDIENCES), default="student", show_default=True,
              help="student: zonder privé-items; evaluation: met privé-items, voor het evaluatieteam.")
def build(path, out, student, jobs, engine, audience):
    """Bouw een site per student en het overzicht voor het evaluatieteam in de map van --out."""
    from trialoog.site.build import build_cohort

    summary = build_cohort(path, out, student=student, jobs=jobs, engine=engine, audience=audience, echo=click.echo)
    sys.exit(summary.exit_code)


@command()
@_path_argument
@click.option("--student", help="De student om te tonen (standaard: de eerste).")
@click.option("--port", type=DutchIntRange(0, 65535), default=8000, show_default=True, help="Poort op 127.0.0.1.")
def serve(path, student, port):
    """Toon de site van één student op 127.0.0.1 en bouw opnieuw bij elke bewaarde wijziging."""
    from trialoog.cli.boundary import report_error
    from trialoog.site.serve import serve as run_server

    sys.exit(run_server(path, student, port, echo=click.echo, report=report_error))


COMMANDS = [build, serve]
