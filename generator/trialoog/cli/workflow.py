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
from trialoog.cli.options import DATE, EXISTING_FILE, EXISTING_FOLDER, FILE, DutchChoice, DutchIntRange, cohort_argument
from trialoog.output.formats import display_path
from trialoog.portfolio.locate import find_cohort
from trialoog.portfolio.model import PROGRAMS, RATIONALE_STATUSES, TASK_KINDS, TRAJECTORIES
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
@click.option("--by", "by", required=True, help="Wie de feedback geeft: een id uit `people` in portfolio.yml, of de map-id van de student (een antwoord).")
@click.option("--answers", help="De feedback die dit beantwoordt (pad zonder .md of het bestand): zo antwoordt de student.")
def new_feedback(title, student, day, root, target, by, answers):
    """Feedback van een mentor of coach op één item, in feedback/ (of het antwoord van de student)."""
    _create("feedback", title, student, day, root, on=target, by=by, answers=answers)


@new.command("rationale")
@entry_options
@click.option("--competence", required=True, help="De code van de competentie, bv. FG4 (`trialoog framework show`).")
@click.option("--status", type=DutchChoice(RATIONALE_STATUSES), default="begonnen", show_default=True,
              help="begonnen, of klaar (klaar voor beoordeling).")
def new_rationale(title, student, day, root, competence, status):
    """Een onderbouwing in onderbouwingen/: waarom jouw bewijs een competentie toont (één per competentie)."""
    _create("rationale", title, student, day, root, competence=competence, status=status)


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
@click.option("--site-url", help="Adres van de preview van deze wijziging: links naar elke gewijzigde pagina (zonder: geen links).")
@click.option("--download-url", help="Adres waar de preview als zip te downloaden is (het artefact), als pagina's niet te linken zijn.")
@click.option("--as-of", type=DATE, help="Beoordeel de mijlpalen op deze datum (standaard: as_of uit portfolio.yml, anders vandaag).")
@click.option("--forge", type=DutchChoice(["github", "gitlab"]),
              help="Zet het overzicht ook als één commentaar in de pull request (met --pr), bijgewerkt bij elke push; token uit GITHUB_TOKEN of GITLAB_TOKEN.")
@click.option("--pr", "number", type=DutchIntRange(min=1), help="Het nummer van de pull request (GitLab: van de merge request).")
@click.option("--api-url", help="Adres van de API (standaard: GITHUB_API_URL, of CI_API_V4_URL op GitLab).")
@click.option("--repository", help="OWNER/REPO op GitHub (standaard: GITHUB_REPOSITORY), het project-id op GitLab (standaard: CI_PROJECT_ID).")
def review_command(path, base, head, site_url, download_url, as_of, forge, number, api_url, repository):
    """Het overzicht voor de mentor (Markdown): wat er per student verandert in een pull request.

    Leest de echte git-geschiedenis (geen netwerk nodig): nieuwe en gewijzigde items, eerste bewijzen
    per competentie, de mijlpalen voor → na en de meldingen in de gewijzigde bestanden. Met --forge
    komt het als één commentaar in de pull request, dat bij elke nieuwe versie bijgewerkt wordt.
    """
    from trialoog.workflow.review import review

    text = review(cohort(path), base, head, site_url, as_of, download_url)
    click.echo(text, nl=False)
    if forge is not None:
        from trialoog.workflow.forge_api import MARKER, upsert_comment

        if number is None:
            raise click.UsageError("--forge heeft --pr NUMMER nodig")
        done = upsert_comment(forge_of_environment(forge, api_url, repository), number, MARKER, text)
        click.echo(f"Overzicht voor de mentor {done} in pull request {number}.", err=True)


# ---- feedback import ------------------------------------------------------------------------------

@group("feedback")
def feedback():
    """Feedback uit pull requests bewaren in het portfolio."""


@feedback.command("import")
@click.argument("files", nargs=-1, type=EXISTING_FILE, metavar="[BESTAND]...")
@click.option("--path", "root", type=EXISTING_FOLDER, help="Map met portfolio.yml (standaard: ./portfolios, of de map erboven).")
@click.option("--on", "target", help="Item voor reviews zonder bestand: STUDENT/ITEM, bv. amina-el-khatib/reflecties/2017-09-08-eerste-week.")
@click.option("--dry-run", is_flag=True, help="Toon wat geïmporteerd zou worden, schrijf niets.")
@click.option("--forge", type=DutchChoice(["github", "gitlab"]),
              help="Haal de opmerkingen zelf op bij GitHub of GitLab (met --pr); het token komt uit GITHUB_TOKEN of GITLAB_TOKEN.")
@click.option("--pr", "number", type=DutchIntRange(min=1), help="Het nummer van de pull request (GitLab: van de merge request).")
@click.option("--commit", "commit", metavar="SHA", help="In plaats van --pr: de pull request waarin deze commit samengevoegd werd (na een merge).")
@click.option("--api-url", help="Adres van de API (standaard: GITHUB_API_URL, of CI_API_V4_URL op GitLab).")
@click.option("--repository", help="OWNER/REPO op GitHub (standaard: GITHUB_REPOSITORY), het project-id op GitLab (standaard: CI_PROJECT_ID).")
@click.option("--signoff", is_flag=True, help="Onderteken ook elke gewijzigde evaluatie voor de mentor of coach die de pull request goedkeurde.")
def feedback_import(files, root, target, dry_run, forge, number, commit, api_url, repository, signoff):
    """Zet opmerkingen uit een pull request om in feedback-items (en antwoorden van de student).

    Uit bestanden: wat de GitHub-API geeft voor pulls/N/comments en pulls/N/reviews, of de GitLab-API
    voor merge_requests/N/discussions. Bv.: gh api repos/ORG/REPO/pulls/12/comments --paginate > opmerkingen.json
    Of rechtstreeks, zoals de workflow doet: trialoog feedback import --forge github --pr 12
    """
    from trialoog.workflow.feedback_import import comments_of, import_comments, read_comments

    folder = cohort(root)
    repo = toplevel(folder) or Path.cwd().resolve()
    if forge is None and not files:
        raise click.UsageError("geef een of meer BESTANDEN, of --forge en --pr")
    changed: list[str] = []
    head = web_url = None
    if forge is not None:
        from trialoog.workflow.forge_api import fetch_pull_request, requests_of_commit

        place = forge_of_environment(forge, api_url, repository)
        if number is None and commit:
            found = requests_of_commit(place, commit)
            if not found:
                click.echo(f"Geen pull request bij commit {commit[:7]}: niets te importeren.")
                return
            number = found[0]
        if number is None:
            raise click.UsageError("--forge heeft --pr NUMMER (of --commit SHA) nodig")
        request = fetch_pull_request(place, number)
        comments = comments_of(request.items, f"pull request {number}", request.web_url)
        changed, head, web_url = request.files, request.head, request.web_url
    else:
        comments = [comment for file in files for comment in read_comments(file)]
    result = import_comments(folder, comments, repo, target, dry_run, changed)
    verb = "Zou importeren" if dry_run else "Geïmporteerd"
    _listing(f"{verb} ({len(result.written)})", [f"{shown(p)}  ({what})" for p, what in result.written])
    _listing(f"Al geïmporteerd ({len(result.existing)})", [f"{label}  → {shown(Path(p))}" for label, p in result.existing])
    _listing(f"Overgeslagen, geen feedback ({len(result.ignored)})", [f"{label}  {why}" for label, why in result.ignored])
    _listing(f"Niet geïmporteerd ({len(result.skipped)})", [f"{label}  {why}" for label, why in result.skipped])
    if signoff and forge is not None and not dry_run:
        _sign_approvals(folder, repo, comments, changed, head, web_url)
    if result.skipped:
        count = len(result.skipped)
        raise Refused(f"{count} {'opmerking' if count == 1 else 'opmerkingen'} niet geïmporteerd (zie hierboven): "
                      "los het op en importeer opnieuw; wat al geïmporteerd is, komt er geen tweede keer bij")
    if not result.written and not result.existing and forge is None:
        raise Refused("niets geïmporteerd: het bestand bevat geen opmerkingen (is de pull request juist, en heeft ze opmerkingen?)")


def forge_of_environment(kind: str, api_url: str | None, repository: str | None):
    """The forge as the CI job sees it: its variables, the job's own token."""
    import os

    from trialoog.workflow.forge_api import GITHUB, Forge

    github = kind == GITHUB
    api = api_url or os.environ.get("GITHUB_API_URL" if github else "CI_API_V4_URL") or ("https://api.github.com" if github else None)
    project = repository or os.environ.get("GITHUB_REPOSITORY" if github else "CI_PROJECT_ID")
    if not api or not project:
        raise click.UsageError("geef --api-url en --repository (in CI komen ze uit de omgeving van de job)")
    return Forge(kind, api, project, os.environ.get("GITHUB_TOKEN" if github else "GITLAB_TOKEN") or None)


def _sign_approvals(folder: Path, repo: Path, comments, changed: list[str], head: str | None, web_url: str | None) -> None:
    from trialoog.workflow.feedback_import import approvals_of
    from trialoog.workflow.signoff import sign_approvals

    results, notes = sign_approvals(folder, approvals_of(folder, comments, web_url), changed, repo, head)
    _listing("Ondertekend", [f"{shown(r.path)}  ({r.person}, {r.signoff.date.isoformat()})" for r in results if r.added])
    _listing("Niet ondertekend", notes)


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
