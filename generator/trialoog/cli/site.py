"""Click commands for the sites: `trialoog build`, `trialoog serve` and `trialoog merge`.

Both find the cohort from where the user stands (trialoog.portfolio.locate); inside a student's
folder they work on that student.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from trialoog.cli.dutch_click import command
from trialoog.cli.options import EXISTING_FOLDER, FOLDER, DutchChoice, DutchIntRange, cohort_argument, student_for
from trialoog.output.formats import display_path
from trialoog.portfolio.evidence import AUDIENCES
from trialoog.portfolio.locate import Place, find_cohort
from trialoog.site.engine import ENGINES

SITE_FOLDER = "site"


def default_out(place: Place, cwd: Path | None = None) -> Path:
    """`site` where the user stands, unless that is inside the cohort: then at the top of its
    git repository (else in the cohort's folder), so a build never lands in a student's folder."""
    from trialoog.workflow.gitrepo import toplevel

    here = (cwd or Path.cwd()).resolve()
    if not here.is_relative_to(place.root):
        return Path(SITE_FOLDER)
    top = toplevel(place.root)
    return (top if top is not None and place.root.is_relative_to(top) else place.root) / SITE_FOLDER


@command()
@cohort_argument
@click.option("--out", type=FOLDER, help="Map voor de sites (standaard: site/ hier, of bovenaan de repository als je in de cohorte staat).")
@click.option("--student", help="Bouw alleen deze student (de anderen blijven zoals ze waren; standaard: de studentenmap waarin je staat).")
@click.option("--jobs", type=DutchIntRange(min=1), help="Aantal processen (standaard: aantal cpu's).")
@click.option("--engine", type=DutchChoice(list(ENGINES)), default="mkdocs", show_default=True, help="De site-engine.")
@click.option("--audience", type=DutchChoice(AUDIENCES), default="student", show_default=True,
              help="student: zonder privé-items; evaluation: met privé-items, voor het evaluatieteam.")
@click.option("--changed-since", "since", metavar="REF",
              help="Bouw alleen de studenten die sinds REF (bv. origin/main) veranderden (voor een preview van een pull request).")
@click.option("--shard", metavar="K/N", help="Bouw alleen deel K van N (altijd dezelfde studenten per deel); voeg samen met `trialoog merge`.")
def build(path, out, student, jobs, engine, audience, since, shard):
    """Bouw een site per student en het overzicht voor het evaluatieteam in de map van --out."""
    from trialoog.site.build import build_cohort

    place = find_cohort(path)
    student = student_for(place, student, "build")
    if since is not None and student is None:
        from trialoog.workflow.changes import touched_students

        touched = touched_students(place.root, since)
        student = None if touched.everyone else touched.students
    if out is None:
        out = default_out(place)
        if out != Path(SITE_FOLDER):
            click.echo(f"De sites komen in {display_path(str(out))} (niet in een studentenmap).", err=True)
    summary = build_cohort(place.root, out, student=student, jobs=jobs, engine=engine, audience=audience, echo=click.echo,
                           shard=_shard(shard))
    sys.exit(summary.exit_code)


def _shard(text: str | None):
    from trialoog.site.shards import parse_shard

    return None if text is None else parse_shard(text)


@command()
@cohort_argument
@click.option("--student", help="De student om te tonen (standaard: de studentenmap waarin je staat, anders de eerste).")
@click.option("--port", type=DutchIntRange(0, 65535), default=8000, show_default=True, help="Poort op 127.0.0.1.")
def serve(path, student, port):
    """Toon de site van één student op 127.0.0.1 en bouw opnieuw bij elke bewaarde wijziging."""
    from trialoog.cli.boundary import report_error
    from trialoog.site.serve import serve as run_server

    place = find_cohort(path)
    sys.exit(run_server(place.root, student_for(place, student), port, echo=click.echo, report=report_error))


# -- trialoog pdf (issue 10 item 5) -------------------------------------------------------------


@command()
@cohort_argument
@click.option("--out", type=FOLDER, help="Map van de sites; de pdf's komen in <student>/ erin (standaard: zoals bij build).")
@click.option("--student", help="Alleen deze student (standaard: de studentenmap waarin je staat, anders iedereen).")
@click.option("--audience", type=DutchChoice(AUDIENCES), default="student", show_default=True,
              help="student: zonder privé-items; evaluation: met privé-items, voor het evaluatieteam.")
def pdf(path, out, student, audience):
    """Bouw de sites en druk per student portfolio.pdf en driegesprek.pdf af met Chromium (voor het archief).

    Chromium: het pad in TRIALOOG_CHROMIUM, standaard /usr/bin/chromium; Playwright voor Python
    installeer je met pip install 'trialoog[pdf]'. Een pdf die trialoog pdf niet zelf schreef, wordt
    nooit overschreven.
    """
    from trialoog.portfolio.load import load_cohort
    from trialoog.site.build import build_cohort
    from trialoog.site.pdf import print_students, require_printer

    require_printer()  # before a build of minutes: say at once what is missing
    place = find_cohort(path)
    student = student_for(place, student, "pdf")
    if out is None:
        out = default_out(place)
        if out != Path(SITE_FOLDER):
            click.echo(f"De sites en pdf's komen in {display_path(str(out))} (niet in een studentenmap).", err=True)
    summary = build_cohort(place.root, out, student=student, audience=audience, echo=click.echo)
    if summary.failure:
        sys.exit(summary.exit_code)
    cohort = load_cohort(place.root, only=student)
    have_site = [s.id for s in cohort.students if s.id not in summary.skipped and s.id not in summary.failed]
    printed = print_students(cohort, Path(out), have_site, echo=click.echo)
    sys.exit(max(summary.exit_code, printed.exit_code))



# -- sharded builds (issue 15): `build --shard K/N` on N runners, then one `merge` ----------------


@command()
@click.argument("shards", nargs=-1, required=True, type=EXISTING_FOLDER, metavar="SHARDMAP...")
@click.option("--out", type=FOLDER, required=True, help="Map voor de samengevoegde site.")
@click.option("--cohort", "path", type=EXISTING_FOLDER, help="De cohorte (standaard: gevonden vanaf hier, zoals bij build).")
@click.option("--engine", type=DutchChoice(list(ENGINES)), default="mkdocs", show_default=True, help="De site-engine van de shards.")
@click.option("--audience", type=DutchChoice(AUDIENCES), default="student", show_default=True, help="Het publiek van de shards.")
def merge(shards, out, path, engine, audience):
    """Voeg de delen van `trialoog build --shard K/N` samen tot één site, met het overzicht van de hele cohorte."""
    from trialoog.site.build import merge_cohort

    place = find_cohort(path)
    summary = merge_cohort(place.root, list(shards), out, engine=engine, audience=audience, echo=click.echo)
    sys.exit(summary.exit_code)


COMMANDS = [build, serve, merge, pdf]
