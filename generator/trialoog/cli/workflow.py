"""Click commands for the git workflow: new, codeowners, review, feedback import, signoff, gather.

Each command is a few lines over its library module; a WorkflowError goes to the boundary in
trialoog.cli, which prints `Fout: …` with exit 2 (usage or configuration) or 1 (refused).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from trialoog.cli.dutch_click import command, group
from trialoog.cli.options import DATE, EXISTING_FILE, EXISTING_FOLDER, FILE, DutchChoice, cohort_argument
from trialoog.output.formats import display_path
from trialoog.portfolio.locate import find_cohort
from trialoog.portfolio.model import PROGRAMS, TASK_KINDS, TRAJECTORIES
from trialoog.workflow.gitrepo import Refused, toplevel
from trialoog.workflow.scaffold import REFLECTION_MODELS


def cohort(path: Path | None) -> Path:
    """PATH, else ./portfolios, else the folder with portfolio.yml at or above here."""
    return find_cohort(path).root


def shown(path: Path) -> str:
    return display_path(str(path))


# ---- new ------------------------------------------------------------------------------------------

@group("new")
def new():
    """Maak een nieuw item of een nieuwe student, met uitleg in het bestand. Overschrijft nooit iets."""


def entry_options(function):
    function = click.option("--path", "root", type=EXISTING_FOLDER, help="Map met portfolio.yml (standaard: ./portfolios, of de map erboven met portfolio.yml).")(function)
    function = click.option("--date", "day", type=DATE, help="Datum (JJJJ-MM-DD); standaard vandaag.")(function)
    function = click.option("--student", help="De map van de student (standaard: de map waarin je staat, of de enige student).")(function)
    return click.argument("title", metavar="TITEL")(function)


def _create(entry_type: str, title: str, student, day, root, **options) -> None:
    from trialoog.workflow.scaffold import NewEntry, new_entry

    place = find_cohort(root)
    request = NewEntry(entry_type, title, day or dt.date.today(), student or place.student, {k: v for k, v in options.items() if v is not None})
    path = new_entry(place.root, request)
    click.echo(f"Nieuw: {shown(path)}")
    click.echo("Open het bestand, volg de uitleg in de commentaarregels en controleer met `trialoog check`.")


@new.command("reflection")
@entry_options
@click.option("--model", type=DutchChoice(REFLECTION_MODELS), default="alact", show_default=True,
              help="alact: de vijf stappen van Korthagen; kernreflectie: het ui-model; vrij: op je eigen manier.")
def new_reflection(title, student, day, root, model):
    """Een reflectie in reflecties/ (standaard volgens de ALACT-cyclus)."""
    _create("reflection", title, student, day, root, model=model)


@new.command("goal")
@entry_options
def new_goal(title, student, day, root):
    """Een leerdoel in leerdoelen/: wat, waarom, hoe, wanneer."""
    _create("goal", title, student, day, root)


@new.command("task")
@entry_options
@click.option("--kind", type=DutchChoice(TASK_KINDS), default="leertaak", show_default=True)
@click.option("--course", help="Het vak, zoals in de mijlpalen van portfolio.yml (bv. Wiskunde).")
def new_task(title, student, day, root, kind, course):
    """Een leertaak of functionele opdracht in taken/."""
    _create("task", title, student, day, root, kind=kind, course=course)


@new.command("evidence")
@entry_options
def new_evidence(title, student, day, root):
    """Een bewijs in bewijzen/ (bijlagen naast het bestand)."""
    _create("evidence", title, student, day, root)


@new.command("meeting")
@entry_options
@click.option("--kind", default="intervisie", show_default=True, help="intervisie, terugkomdag, evaluatiegesprek, personeelsvergadering, oudercontact, …")
def new_meeting(title, student, day, root, kind):
    """Een overleg in overleg/."""
    _create("meeting", title, student, day, root, kind=kind)


@new.command("evaluation")
@entry_options
@click.option("--moment", default="tussentijds", show_default=True, help="tussentijds, eind, …")
def new_evaluation(title, student, day, root, moment):
    """Een evaluatie in evaluaties/: per competentiegroep self, mentor en coach."""
    _create("evaluation", title, student, day, root, moment=moment)


@new.command("feedback")
@entry_options
@click.option("--on", "target", required=True, help="Het item: pad zonder .md (reflecties/2017-09-08-eerste-week) of het bestand.")
@click.option("--by", "by", required=True, help="Wie de feedback geeft: een id uit `people` in portfolio.yml.")
def new_feedback(title, student, day, root, target, by):
    """Feedback van een mentor of coach op één item, in feedback/."""
    _create("feedback", title, student, day, root, on=target, by=by)


@new.command("student")
@click.argument("student_id", metavar="ID")
@click.option("--name", required=True, help="Naam zoals op de site, bv. \"Amina El Khatib\".")
@click.option("--program", type=DutchChoice(PROGRAMS), default="lager", show_default=True)
@click.option("--trajectory", type=DutchChoice(TRAJECTORIES), default="werkplekleren", show_default=True)
@click.option("--mentor", "mentors", multiple=True, help="Id van een mentor uit portfolio.yml (herhaal voor meer).")
@click.option("--coach", help="Id van de coach uit portfolio.yml.")
@click.option("--school", help="Naam van de stageschool.")
@click.option("--city", help="Gemeente van de school.")
@click.option("--path", "root", type=EXISTING_FOLDER, help="Map met portfolio.yml.")
def new_student(student_id, name, program, trajectory, mentors, coach, school, city, root):
    """Een nieuwe studentenmap ID (kleine letters en koppeltekens) met een profiel (index.md)."""
    from trialoog.workflow.scaffold import NewStudent
    from trialoog.workflow.scaffold import new_student as create

    request = NewStudent(student_id, name, program, trajectory, tuple(mentors), coach, school, city)
    path = create(cohort(root), request)
    click.echo(f"Nieuw: {shown(path)}")
    click.echo("Een foto van jezelf op Start? Zet `photo: foto.jpg` in index.md, alleen met je eigen toestemming: "
               "je site is zichtbaar voor wie de link heeft. Geen leerlingen of collega's op die foto.")


# ---- codeowners -----------------------------------------------------------------------------------

@command("codeowners")
@cohort_argument
@click.option("--gitlab", is_flag=True, help="GitLab-variant (.gitlab/CODEOWNERS, een sectie per student).")
@click.option("--check", "check_only", is_flag=True, help="Schrijf niets; exitcode 1 als het bestand niet meer klopt (voor CI).")
@click.option("-o", "--output", type=FILE, help="Het bestand (standaard .github/CODEOWNERS in de repository).")
def codeowners_command(path, gitlab, check_only, output):
    """Schrijf CODEOWNERS: een wijziging in de map van een student vraagt een review van diens mentoren en coach."""
    from trialoog.portfolio.load import load_cohort
    from trialoog.workflow.codeowners import (
        codeowners,
        default_output,
        stale_diff,
        write,
    )
    from trialoog.workflow.gitrepo import repo_relative

    root = cohort(path)
    repo = toplevel(root) or Path.cwd().resolve()
    owners = codeowners(load_cohort(root), repo_relative(root, repo), gitlab)
    for warning in owners.warnings:
        click.echo(f"Let op: {warning}", err=True)
    target = output or default_output(repo, gitlab)
    if check_only:
        difference = stale_diff(target, owners.text)
        if difference:
            click.echo(difference.rstrip("\n"))
            raise Refused(f"{shown(target)} klopt niet meer met portfolio.yml: draai `trialoog codeowners{' --gitlab' if gitlab else ''}` en commit het")
        click.echo(f"{shown(target)} is bijgewerkt.")
        return
    write(target, owners.text, make_folder=output is None)
    click.echo(f"Geschreven: {shown(target)}")


# ---- review ---------------------------------------------------------------------------------------

@command("review")
@cohort_argument
@click.option("--base", required=True, help="De branch of commit waartegen vergeleken wordt (bv. origin/main).")
@click.option("--head", default="HEAD", show_default=True, help="De branch of commit met de wijzigingen.")
@click.option("--site-url", help="Adres van de (preview)site: links naar elke gewijzigde pagina (standaard: site_url uit portfolio.yml).")
@click.option("--as-of", type=DATE, help="Beoordeel de mijlpalen op deze datum (standaard: as_of uit portfolio.yml, anders vandaag).")
def review_command(path, base, head, site_url, as_of):
    """Markdown voor een PR-commentaar of $GITHUB_STEP_SUMMARY: wat er per student verandert.

    Leest de echte git-geschiedenis (geen netwerk nodig): nieuwe en gewijzigde items, eerste bewijzen
    per competentie, de mijlpalen voor → na en de meldingen in de gewijzigde bestanden.
    """
    from trialoog.workflow.review import review

    click.echo(review(cohort(path), base, head, site_url, as_of), nl=False)


# ---- feedback import ------------------------------------------------------------------------------

@group("feedback")
def feedback():
    """Feedback uit pull requests bewaren in het portfolio."""


@feedback.command("import")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE, metavar="BESTAND...")
@click.option("--path", "root", type=EXISTING_FOLDER, help="Map met portfolio.yml (standaard: ./portfolios, of de map erboven).")
@click.option("--on", "target", help="Item voor reviews zonder bestand: STUDENT/ITEM, bv. amina-el-khatib/reflecties/2017-09-08-eerste-week.")
@click.option("--dry-run", is_flag=True, help="Toon wat geïmporteerd zou worden, schrijf niets.")
def feedback_import(files, root, target, dry_run):
    """Zet opmerkingen uit de GitHub-API (pulls/N/comments en pulls/N/reviews, als JSON) om in feedback-items.

    Bv.: gh api repos/ORG/REPO/pulls/12/comments --paginate > opmerkingen.json
    """
    from trialoog.workflow.feedback_import import import_feedback

    folder = cohort(root)
    result = import_feedback(folder, list(files), toplevel(folder) or Path.cwd().resolve(), target, dry_run)
    verb = "Zou importeren" if dry_run else "Geïmporteerd"
    _listing(f"{verb} ({len(result.written)})", [f"{shown(p)}  ({what})" for p, what in result.written])
    _listing(f"Al geïmporteerd ({len(result.existing)})", [f"{label}  → {shown(Path(p))}" for label, p in result.existing])
    _listing(f"Niet geïmporteerd ({len(result.skipped)})", [f"{label}  {why}" for label, why in result.skipped])
    if result.skipped:
        count = len(result.skipped)
        raise Refused(f"{count} {'opmerking' if count == 1 else 'opmerkingen'} niet geïmporteerd (zie hierboven): "
                      "los het op en importeer opnieuw; wat al geïmporteerd is, komt er geen tweede keer bij")
    if not result.written and not result.existing:
        raise Refused("niets geïmporteerd: het bestand bevat geen opmerkingen (is de pull request juist, en heeft ze opmerkingen?)")


def _listing(title: str, lines: list[str]) -> None:
    if lines:
        click.echo(f"{title}:")
        for line in lines:
            click.echo(f"  {line}")


# ---- signoff --------------------------------------------------------------------------------------

@command("signoff")
@click.argument("file", type=EXISTING_FILE, metavar="BESTAND")
@click.option("--by", "by", required=True, help="Wie ondertekent: een id uit `people` in portfolio.yml.")
@click.option("--date", "day", type=DATE, help="Datum van de ondertekening (standaard vandaag).")
def signoff_command(file, by, day):
    """Onderteken een evaluatie: voegt {by, date, sha256} toe aan `signoff`, de rest van het bestand blijft gelijk.

    Wijzigt de tekst daarna, dan meldt `trialoog check` SG001 (gewijzigd na ondertekening).
    """
    from trialoog.dutch import long_date
    from trialoog.workflow.signoff import sign

    result = sign(file, by, day or dt.date.today(), find_cohort(None, start=file.resolve().parent).root)
    when = long_date(result.signoff.date)
    if not result.added:
        click.echo(f"{shown(file)} is al ondertekend door {result.person} op {when}; de tekst is sindsdien niet gewijzigd.")
        return
    click.echo(f"Ondertekend door {result.person} op {when}: {shown(file)} (sha256 {result.signoff.sha256[:12]}…)")
    click.echo("Commit dit bestand als jezelf, zodat de geschiedenis toont wie ondertekende.")


# ---- gather ---------------------------------------------------------------------------------------

@command("gather")
@cohort_argument
def gather_command(path):
    """Koppel studentrepository's (git-submodules) in de cohortemap met een symbolische link per student."""
    from trialoog.workflow.gather import gather

    result = gather(cohort(path))
    _listing("Gekoppeld", [f"{shown(link)} -> {target}" for link, target in result.linked])
    _listing("Al gekoppeld", [shown(link) for link in result.present])
    _listing("Let op", result.notes)
    _listing("Problemen", result.problems)
    if result.linked:
        click.echo("Commit de nieuwe links: git add " + " ".join(shown(link) for link, _ in result.linked))
    if result.problems:
        sys.exit(1)


COMMANDS: list = [new, codeowners_command, review_command, feedback, signoff_command, gather_command]
