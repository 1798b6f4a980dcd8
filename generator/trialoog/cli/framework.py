"""`trialoog framework …`: show, import, export and compare competence frameworks.

A framework named on the command line is a built-in id or a file relative to where the user
stands; without one, `show` takes the framework of the cohort (portfolio.yml) around them.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from trialoog.cli.dutch_click import group
from trialoog.cli.options import EXISTING_FILE, EXISTING_FOLDER, FILE, DutchChoice
from trialoog.errors import UsageError
from trialoog.output.formats import display_path

EXPORT_FORMATS = ("case",)


@group("framework")
def framework():
    """Competentiekaders tonen, importeren, exporteren en vergelijken."""


@framework.command("show")
@click.argument("ref", required=False, metavar="[KADER]")
@click.option("--path", "cohort", type=EXISTING_FOLDER, help="Map met portfolio.yml (standaard: ./portfolios, of de map erboven met portfolio.yml).")
def framework_show(ref, cohort):
    """Toon de boom van een kader: KADER is een ingebouwd id of een bestand (relatief aan waar je staat);
    zonder KADER het kader van portfolio.yml."""
    from trialoog.portfolio.framework import builtin_note, load_framework, open_framework, render_tree
    from trialoog.portfolio.load import load_config
    from trialoog.portfolio.locate import find_cohort

    if ref is not None:
        click.echo(_with_note(render_tree(open_framework(ref, Path.cwd())), builtin_note(ref)), nl=False)
        return
    try:
        root = find_cohort(cohort).root
    except UsageError:
        if cohort is not None:
            raise
        click.echo("Geen portfolio.yml gevonden: het ingebouwde kader basiscompetenties-2007.", err=True)
        ref = "basiscompetenties-2007"
        click.echo(_with_note(render_tree(open_framework(ref, Path.cwd())), builtin_note(ref)), nl=False)
        return
    ref = load_config(root).framework
    click.echo(_with_note(render_tree(load_framework(ref, root)), builtin_note(ref)), nl=False)


def _with_note(tree: str, note: str | None) -> str:
    """The tree with a built-in framework's status (a repealed decree) under its title."""
    if not note:
        return tree
    title, rest = tree.split("\n", 1)
    return f"{title}\n{textwrap.fill(note, width=88)}\n{rest}"


@framework.command("import")
@click.argument("source", type=EXISTING_FILE, metavar="BRON")
@click.option("-o", "--output", type=FILE, required=True, help="Het nieuwe YAML-bestand (wordt nooit overschreven).")
@click.option("--codes", type=DutchChoice(("shortname", "elementid")), default="shortname", show_default=True,
              help="Mahara: welk veld de code van een element wordt (elementid als korte namen herhalen).")
def framework_import(source, output, codes):
    """Zet een Mahara SmartEvidence-kader (.matrix), een Moodle-CSV of een 1EdTech CASE-pakket (JSON) om naar Trialoog-YAML."""
    from trialoog.portfolio.framework_import import import_framework, write_framework

    warnings: list[str] = []
    data = import_framework(source, codes=codes, warnings=warnings)
    for warning in warnings:
        click.echo(f"Waarschuwing: {warning}", err=True)
    write_framework(data, output)
    click.echo(f"Geschreven: {display_path(str(output))}")


@framework.command("export")
@click.argument("ref", metavar="KADER")
@click.option("--format", "fmt", type=DutchChoice(EXPORT_FORMATS), default="case", show_default=True,
              help="case: een 1EdTech CASE 1.1-pakket (JSON).")
@click.option("-o", "--output", type=FILE, required=True, help="Het nieuwe bestand (wordt nooit overschreven).")
def framework_export(ref, fmt, output):
    """Schrijf een kader (een ingebouwd id of een YAML-bestand) als 1EdTech CASE-pakket, met vaste identifiers."""
    from trialoog.portfolio.framework import open_framework
    from trialoog.portfolio.framework_case import case_json
    from trialoog.portfolio.framework_import import write_new_text

    write_new_text(case_json(open_framework(ref, Path.cwd())), output)
    click.echo(f"Geschreven: {display_path(str(output))}")


@framework.command("diff")
@click.argument("old", metavar="VAN")
@click.argument("new", metavar="NAAR")
@click.option("--path", "cohort", type=EXISTING_FOLDER,
              help="Een cohorte (map met portfolio.yml): toon ook de items en mijlpalen die een verdwenen code noemen.")
def framework_diff(old, new, cohort):
    """Vergelijk twee kaders: verdwenen, nieuwe en anders genoemde codes; met --path ook wie erdoor geraakt wordt."""
    from trialoog.portfolio.framework import open_framework
    from trialoog.portfolio.framework_diff import cite_missing, diff_frameworks, render_diff
    from trialoog.portfolio.load import load_cohort
    from trialoog.portfolio.locate import find_cohort

    found = diff_frameworks(open_framework(old, Path.cwd()), open_framework(new, Path.cwd()))
    if cohort is not None:
        loaded = load_cohort(find_cohort(cohort).root)
        cite_missing(found, loaded, loaded.framework.mapped_codes())
    click.echo(render_diff(found), nl=False)


COMMANDS = [framework]
