"""`trialoog feedback import`: GitHub pull-request comments become feedback entries, once."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from trialoog.checks import run_check
from trialoog.portfolio.frontmatter import read_document
from trialoog.portfolio.load import load_cohort
from workflow_helpers import FIXTURES, STUDENT, commit_all, example_repo, trialoog

COMMENTS = FIXTURES / "github" / "pull-comments.json"
REVIEWS = FIXTURES / "github" / "pull-reviews.json"
TARGET = "reflecties/2018-03-09-moeilijk-gesprek-met-ouder"
WEB = "https://github.com/hogeschool-scheldeland/werkplekleren-2017/pull/12"


@pytest.fixture
def repo(tmp_path):
    repo = example_repo(tmp_path)
    assert (repo / "portfolios" / STUDENT / f"{TARGET}.md").is_file()
    return repo


def feedback_files(repo):
    return sorted((repo / "portfolios" / STUDENT / "feedback").glob("*-10??.md")) + \
        sorted((repo / "portfolios" / STUDENT / "feedback").glob("*-8?.md"))


def test_comments_become_feedback_entries(repo, monkeypatch):
    result = trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS))
    assert result.exit_code == 1, result.output  # two comments of the file cannot be imported (below)
    assert result.output.endswith("Fout: 2 opmerkingen niet geïmporteerd (zie hierboven): los het op en importeer opnieuw; "
                                  "wat al geïmporteerd is, komt er geen tweede keer bij\n")
    folder = f"portfolios/{STUDENT}/feedback"
    assert result.output.splitlines()[:4] == [
        "Geïmporteerd (3):",
        f"  {folder}/2018-03-12-moeilijk-gesprek-met-ouder-1001.md  (An Peeters op {TARGET})",
        f"  {folder}/2018-03-13-moeilijk-gesprek-met-ouder-1002.md  (Koen Smets op {TARGET})",
        f"  {folder}/2018-03-13-moeilijk-gesprek-met-ouder-1005.md  (An Peeters op {TARGET})",
    ]
    doc = read_document((repo / folder / "2018-03-12-moeilijk-gesprek-met-ouder-1001.md").read_bytes())
    assert doc.data["type"] == "feedback" and doc.data["on"] == TARGET and doc.data["by"] == "mentor-an-peeters"
    assert doc.data["date"] == dt.date(2018, 3, 12) and doc.data["tags"] == ["pull-request"]
    assert doc.data["title"].startswith("Feedback van An Peeters op '") and doc.data["title"].endswith("', regel 14")
    assert "> Bij regel 14 van `2018-03-09-moeilijk-gesprek-met-ouder.md`: `Ik voelde me overrompeld" in doc.body
    assert "Mooi dat je hier je eigen gevoel benoemt." in doc.body
    assert f"({WEB}#discussion_r1001)" in doc.body
    coach = read_document((repo / folder / "2018-03-13-moeilijk-gesprek-met-ouder-1002.md").read_bytes())
    assert coach.data["by"] == "coach-koen-smets"  # the login's case differs from portfolio.yml
    reply = (repo / folder / "2018-03-13-moeilijk-gesprek-met-ouder-1005.md").read_text(encoding="utf-8")
    assert ": ``Ik gebruik `observatie, vraag, afspraak` als structuur.``" in reply


def test_what_cannot_be_imported_is_listed(repo, monkeypatch):
    result = trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS), str(REVIEWS))
    assert result.exit_code == 1
    skipped = result.output.split("Niet geïmporteerd (3):\n", 1)[1].splitlines()
    assert skipped[-1].startswith("Fout: 3 opmerkingen niet geïmporteerd (zie hierboven)")
    assert skipped[:-1] == [
        f"  {WEB}#discussion_r1003  onbekende login 'iemand-anders': voeg `forge: iemand-anders` toe aan die persoon in portfolio.yml "
        "(of aan het profiel van de student, als het de student is)",
        f"  {WEB}#discussion_r1004  buiten de portfolio's: README.md",
        f"  {WEB}#pullrequestreview-80  review zonder bestand: geef `--on MAP/ITEM` om ze aan een item te hangen",
    ]
    # The empty review GitHub makes around line comments is no feedback of its own: listed, no error.
    assert f"  {WEB}#pullrequestreview-81  review zonder eigen tekst: de opmerkingen erin worden elk apart geïmporteerd" in result.output


def test_importing_twice_adds_nothing(repo, monkeypatch):
    trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS))
    commit_all(repo, "Feedback bewaard")
    before = {path: path.read_bytes() for path in (repo / "portfolios").rglob("*") if path.is_file()}
    again = trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS))
    assert again.exit_code == 1  # the two comments that cannot be imported are still listed
    assert "Geïmporteerd" not in again.output and "Al geïmporteerd (3):" in again.output
    assert {path: path.read_bytes() for path in (repo / "portfolios").rglob("*") if path.is_file()} == before


def test_renamed_feedback_is_still_recognised(repo, monkeypatch):
    trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS))
    folder = repo / "portfolios" / STUDENT / "feedback"
    (folder / "2018-03-12-moeilijk-gesprek-met-ouder-1001.md").rename(folder / "2018-03-12-over-het-oudergesprek.md")
    again = trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS)).output
    assert "Al geïmporteerd (3):" in again and not (folder / "2018-03-12-moeilijk-gesprek-met-ouder-1001.md").exists()


def test_reviews_need_an_entry(repo, monkeypatch):
    result = trialoog(monkeypatch, repo, "feedback", "import", str(REVIEWS), "--on", f"{STUDENT}/{TARGET}")
    assert result.output.splitlines() == [
        "Geïmporteerd (1):",
        f"  portfolios/{STUDENT}/feedback/2018-03-13-moeilijk-gesprek-met-ouder-80.md  (An Peeters op {TARGET})",
        "Overgeslagen, geen feedback (1):",
        f"  {WEB}#pullrequestreview-81  review zonder eigen tekst: de opmerkingen erin worden elk apart geïmporteerd",
    ]
    assert result.exit_code == 0
    text = (repo / "portfolios" / STUDENT / "feedback" / "2018-03-13-moeilijk-gesprek-met-ouder-80.md").read_text(encoding="utf-8")
    assert "> Review van de pull request (goedgekeurd)" in text


def test_imported_entries_pass_check(repo, monkeypatch):
    trialoog(monkeypatch, repo, "feedback", "import", str(COMMENTS), str(REVIEWS), "--on", f"{STUDENT}/{TARGET}")
    new = {path.relative_to(repo / "portfolios").as_posix() for path in feedback_files(repo)}  # as Diagnostic paths are
    assert len(new) == 4
    result = run_check(load_cohort(repo / "portfolios"), dt.date(2018, 3, 15))
    assert [d for d in result.diagnostics if d.path in new] == []


def test_paginated_output_and_attachments(repo, monkeypatch, tmp_path):
    """`gh api --paginate` writes one array per page; a comment on an attachment goes to its entry."""
    cohort = load_cohort(repo / "portfolios")
    owner = next(e for e in cohort.student(STUDENT).entries if e.type == "evidence" and e.model.attachments)
    attachment = (owner.path.parent / owner.model.attachments[0]).relative_to(repo).as_posix()
    comments = json.loads(COMMENTS.read_text(encoding="utf-8"))
    first, second = dict(comments[0]), dict(comments[0])
    second.update(id=2001, html_url=f"{WEB}#discussion_r2001", path=attachment, line=None, body="Mooie bijlage.")
    pages = tmp_path / "pages.json"
    pages.write_text(json.dumps([first]) + "\n" + json.dumps([second]) + "\n", encoding="utf-8")
    out = trialoog(monkeypatch, repo, "feedback", "import", str(pages)).output
    assert out.startswith("Geïmporteerd (2):\n") and f"(An Peeters op {owner.id})" in out


def test_dry_run_writes_nothing(repo, monkeypatch):
    out = trialoog(monkeypatch, repo, "feedback", "import", "--dry-run", str(COMMENTS)).output
    assert out.startswith("Zou importeren (3):\n") and feedback_files(repo) == []


def test_not_json_is_a_usage_error(repo, monkeypatch, tmp_path):
    bad = tmp_path / "fout.json"
    bad.write_text("<html>rate limit</html>", encoding="utf-8")
    result = trialoog(monkeypatch, repo, "feedback", "import", str(bad))
    assert result.exit_code == 2 and "is geen JSON van de GitHub- of GitLab-API" in result.output


# ---- what GitHub answers when something is wrong -----------------------------------------------------

def test_an_api_error_body_is_named_as_such(repo, monkeypatch, tmp_path):
    """`gh api …/pulls/12/comments > opmerkingen.json` with an expired token saves GitHub's error."""
    bad = tmp_path / "opmerkingen.json"
    bad.write_text(json.dumps({"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest",
                               "status": "401"}), encoding="utf-8")
    result = trialoog(monkeypatch, repo, "feedback", "import", str(bad))
    assert result.exit_code == 2, result.output
    assert "bevat een foutmelding van de GitHub- of GitLab-API, geen opmerkingen: 'Bad credentials'" in result.output
    assert "zonder bestand" not in result.output and feedback_files(repo) == []


def test_a_comment_without_user_is_named_properly(repo, monkeypatch, tmp_path):
    comment = dict(json.loads(COMMENTS.read_text(encoding="utf-8"))[0], user=None)
    ghost = tmp_path / "spook.json"
    ghost.write_text(json.dumps([comment]), encoding="utf-8")
    result = trialoog(monkeypatch, repo, "feedback", "import", str(ghost))
    assert result.exit_code == 1
    assert "zonder auteur (geen `user.login`" in result.output and "None" not in result.output


def test_nothing_to_import_is_exit_1(repo, monkeypatch, tmp_path):
    empty = tmp_path / "leeg.json"
    empty.write_text("[]\n", encoding="utf-8")
    result = trialoog(monkeypatch, repo, "feedback", "import", str(empty))
    assert result.exit_code == 1 and "Fout: niets geïmporteerd: het bestand bevat geen opmerkingen" in result.output


def test_everything_imported_is_exit_0(repo, monkeypatch, tmp_path):
    mine = tmp_path / "goed.json"
    mine.write_text(json.dumps([c for c in json.loads(COMMENTS.read_text(encoding="utf-8")) if c["id"] in (1001, 1002)]),
                    encoding="utf-8")
    result = trialoog(monkeypatch, repo, "feedback", "import", str(mine))
    assert result.exit_code == 0 and result.output.startswith("Geïmporteerd (2):\n")
    again = trialoog(monkeypatch, repo, "feedback", "import", str(mine))  # a rerun in CI: all there already
    assert again.exit_code == 0 and again.output.startswith("Al geïmporteerd (2):\n")
