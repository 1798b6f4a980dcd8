"""The `trialoog` command: thin click commands over the library; errors become messages, never tracebacks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from trialoog.cli.options import DATE

from trialoog import __version__
from trialoog.checks import run_check
from trialoog.output.formats import FORMATS, diagnostic_line, diagnostic_lines, display_path, printable, printable_lines, render
from trialoog.portfolio.evidence import AUDIENCES, EVALUATION
from trialoog.portfolio.load import ConfigError, load_cohort

DEFAULT_PATH = "portfolios"




def cohort_path(function):
    return click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), default=DEFAULT_PATH)(function)


def as_of_option(function):
    return click.option("--as-of", type=DATE, help="Beoordeel de mijlpalen op deze datum (standaard: as_of uit portfolio.yml, anders vandaag).")(function)


def use_color(stream) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def load_or_exit(path: Path, student: str | None = None):
    try:
        cohort = load_cohort(path, only=student)
    except ConfigError as error:
        for d in error.diagnostics:
            click.echo(diagnostic_line(d, path), err=True)
        sys.exit(2)
    if student is not None and not cohort.students:
        click.echo(f"Fout: geen student '{printable(student)}' in {display_path(str(path))}", err=True)
        sys.exit(2)
    return cohort


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="trialoog")
def main():
    """Trialoog: e-portfolio's voor werkplekleren, gecontroleerd en gebouwd tot websites."""


@main.command()
@cohort_path
@as_of_option
@click.option("--student", help="Controleer alleen deze student (de mapnaam).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Uitvoerformaat.")
@click.option("--strict", is_flag=True, help="Ook waarschuwingen geven exitcode 1.")
def check(path, as_of, student, fmt, strict):
    """Controleer de portfolio's: front matter, verwijzingen, bijlagen en mijlpalen.

    Exitcode 0: geen fouten; 1: problemen gevonden; 2: fout in het gebruik of in portfolio.yml.
    """
    result = run_check(load_or_exit(path, student), as_of)
    click.echo(render(result, fmt, strict=strict, color=use_color(sys.stdout)))
    sys.exit(result.exit_code(strict))


@main.command()
@cohort_path
@as_of_option
@click.option("--audience", type=click.Choice(AUDIENCES), default=EVALUATION, show_default=True,
              help="evaluation: bewijzen met privé-items; student: zonder, zoals de site van een gewone bouw.")
def report(path, as_of, audience):
    """Toon per student de mijlpalen en het aantal bewijzen per competentiegroep."""
    from trialoog.output.report import report as render_report

    click.echo(render_report(run_check(load_or_exit(path), as_of), audience))


@main.group()
def framework():
    """Competentiekaders tonen en importeren."""


@framework.command("show")
@click.argument("ref", required=False)
@click.option("--path", "cohort", type=click.Path(file_okay=False, path_type=Path), default=DEFAULT_PATH, help="Map met portfolio.yml.")
def framework_show(ref, cohort):
    """Toon de boom van een kader: REF is een ingebouwd id of een pad (standaard: het kader van portfolio.yml)."""
    from trialoog.portfolio.framework import FrameworkError, load_framework, render_tree
    from trialoog.portfolio.load import load_config

    try:
        if ref is None:
            ref = load_config(cohort.resolve()).framework if (cohort / "portfolio.yml").is_file() else "basiscompetenties"
        click.echo(render_tree(load_framework(ref, cohort.resolve())))
    except FrameworkError as error:
        raise click.ClickException(printable_lines(str(error))) from None
    except ConfigError as error:
        raise click.ClickException(diagnostic_lines(error.diagnostics, cohort)) from None


@framework.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Het nieuwe YAML-bestand (wordt nooit overschreven).")
def framework_import(source, output):
    """Zet een Mahara SmartEvidence-kader (.matrix) of een Moodle-CSV om naar Trialoog-YAML."""
    from trialoog.portfolio.framework_import import FrameworkImportError, import_framework, write_framework

    try:
        write_framework(import_framework(source), output)
    except (FrameworkImportError, FileExistsError) as error:
        raise click.ClickException(printable_lines(str(error))) from None
    click.echo(f"Geschreven: {display_path(str(output))}")


def _register_commands():
    # The site commands (build, serve) and the git workflow commands (new, review, ...) live in
    # their own modules; each exposes COMMANDS.
    from trialoog.cli import site, workflow

    for command in (*site.COMMANDS, *workflow.COMMANDS):
        main.add_command(command)


def _dutch_errors():
    # click prints "Error: ..."; our users read Dutch.
    def show(self, file=None):
        click.echo(f"Fout: {self.format_message()}", err=True)

    def show_usage(self, file=None):
        if self.ctx is not None:
            usage = self.ctx.get_usage().replace("Usage:", "Gebruik:", 1)
            click.echo(f"{usage}\nZie '{self.ctx.command_path} --help' voor hulp.", err=True)
        click.echo(f"Fout: {self.format_message()}", err=True)

    click.ClickException.show = show  # type: ignore[method-assign]
    click.UsageError.show = show_usage  # type: ignore[method-assign]


_dutch_errors()
_register_commands()
