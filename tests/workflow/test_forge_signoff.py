"""Sign-off the forge can vouch for, and the pull-request checks that scale (real git, a local API).

- an approval of a pull request that changes an evaluation signs it for the approver, with the
  review's address (`feedback import --forge … --signoff`); an approval of an older commit does not;
- a sign-off a student typed for their mentor is flagged (SG002) by `check --changed-since` and in
  the mentor's summary; the mentor's own commit and the workflow's commit after a review are not;
- `check --changed-since` fails only on the students the change touches.
"""

from __future__ import annotations

import re

import pytest

from test_forge_api import GITHUB_PULL, Recorded, github_routes, server  # noqa: F401  (the fixture)
from trialoog.portfolio.frontmatter import read_document
from workflow_helpers import STUDENT, commit_all, example_repo, git, trialoog

EVALUATION = f"portfolios/{STUDENT}/evaluaties/2018-01-25-tussentijdse-evaluatie.md"
OTHER = "jonas-de-smet"


def commit_as(repo, name: str, email: str, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "-c", f"user.name={name}", "-c", f"user.email={email}", "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def change_a_rating(repo) -> None:
    path = repo / EVALUATION
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('    self: "+-"\n', '    self: "+"\n', 1), encoding="utf-8")


def without_signoffs(repo) -> None:
    """The evaluation as it stands before anyone signed (the example's copy is signed by mentor and coach)."""
    path = repo / EVALUATION
    path.write_text(re.sub(r"^signoff:\n(?:  - .*\n(?:    .*\n)*)*", "", path.read_text(encoding="utf-8"), flags=re.M),
                    encoding="utf-8")


@pytest.fixture
def branch(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    without_signoffs(repo)
    commit_all(repo, "Evaluatie nog niet ondertekend")
    git(repo, "checkout", "-q", "-b", "evaluatie")
    change_a_rating(repo)
    commit_as(repo, "Amina El Khatib", "amina@example.org", "Zelfevaluatie bijgewerkt")
    return repo


def test_a_signoff_typed_by_the_student_is_flagged(branch, monkeypatch):
    assert trialoog(monkeypatch, branch, "signoff", EVALUATION, "--by", "mentor-an-peeters", "--date", "2018-03-20").exit_code == 0
    commit_as(branch, "Amina El Khatib", "amina@example.org", "Ondertekend")
    result = trialoog(monkeypatch, branch, "check", "portfolios", "--changed-since", "main", "--as-of", "2018-03-20")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if " SG002 " in line)
    assert re.match(rf"portfolios/{STUDENT}/evaluaties/2018-01-25-tussentijdse-evaluatie\.md:\d+:\d+: SG002 handtekening toegevoegd door "
                    r"Amina El Khatib op \d+ \w+ \d{4}, niet door An Peeters zelf", line), line
    review = trialoog(monkeypatch, branch, "review", "--base", "main", "--as-of", "2018-03-20").output
    assert "SG002 handtekening toegevoegd door Amina El Khatib" in review


@pytest.mark.parametrize("name,email", [("An Peeters", "an.peeters@school.example"),
                                        ("An", "501+voorbeeld-an-peeters@users.noreply.github.com")])
def test_the_mentors_own_signoff_is_not_flagged(branch, monkeypatch, name, email):
    trialoog(monkeypatch, branch, "signoff", EVALUATION, "--by", "mentor-an-peeters", "--date", "2018-03-20")
    commit_as(branch, name, email, "Ondertekend")
    result = trialoog(monkeypatch, branch, "check", "portfolios", "--changed-since", "main", "--as-of", "2018-03-20")
    assert " SG002 " not in result.output and " SG001 " not in result.output


def approval_routes(head: str, commit: str):
    routes = github_routes()
    routes[GITHUB_PULL] = [(200, {"number": 12, "html_url": "https://github.com/o/r/pull/12", "head": {"sha": head}}, {})]
    routes[f"{GITHUB_PULL}/comments"] = [(200, [], {})]
    routes[f"{GITHUB_PULL}/files"] = [(200, [{"filename": EVALUATION, "status": "modified"}], {})]
    routes[f"{GITHUB_PULL}/reviews"] = [(200, [{
        "id": 90, "user": {"login": "voorbeeld-an-peeters"}, "body": "", "state": "APPROVED", "commit_id": commit,
        "html_url": "https://github.com/o/r/pull/12#pullrequestreview-90", "submitted_at": "2018-03-20T17:00:00Z",
    }], {})]
    return routes


def test_an_approval_signs_the_evaluation_for_the_approver(branch, monkeypatch, server):  # noqa: F811
    head = git(branch, "rev-parse", "HEAD").strip()
    Recorded.routes = approval_routes(head, head)
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    result = trialoog(monkeypatch, branch, "feedback", "import", "--forge", "github", "--pr", "12", "--api-url", server,
                      "--repository", "hogeschool-scheldeland/werkplekleren-2017", "--signoff")
    assert result.exit_code == 0, result.output
    assert f"Ondertekend:\n  {EVALUATION}  (An Peeters, 2018-03-20)" in result.output
    signoff = read_document((branch / EVALUATION).read_bytes()).data["signoff"][-1]
    assert signoff["by"] == "mentor-an-peeters" and signoff["review"] == "https://github.com/o/r/pull/12#pullrequestreview-90"
    commit_as(branch, "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", "Feedback en ondertekening")
    check = trialoog(monkeypatch, branch, "check", "portfolios", "--changed-since", "main", "--as-of", "2018-03-20")
    assert " SG00" not in check.output
    again = trialoog(monkeypatch, branch, "feedback", "import", "--forge", "github", "--pr", "12", "--api-url", server,
                     "--repository", "hogeschool-scheldeland/werkplekleren-2017", "--signoff")
    assert "Ondertekend:" not in again.output  # the same approval, the same text: nothing to add


def test_an_approval_of_an_older_version_signs_nothing(branch, monkeypatch, server):  # noqa: F811
    older = git(branch, "rev-parse", "main").strip()
    Recorded.routes = approval_routes(git(branch, "rev-parse", "HEAD").strip(), older)
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    result = trialoog(monkeypatch, branch, "feedback", "import", "--forge", "github", "--pr", "12", "--api-url", server,
                      "--repository", "hogeschool-scheldeland/werkplekleren-2017", "--signoff")
    assert f"An Peeters keurde een eerdere versie goed ({older[:7]}): niet ondertekend" in result.output
    assert "signoff" not in (read_document((branch / EVALUATION).read_bytes()).data or {})


def test_the_workflow_may_not_sign_without_a_review(branch, monkeypatch):
    trialoog(monkeypatch, branch, "signoff", EVALUATION, "--by", "mentor-an-peeters", "--date", "2018-03-20")
    commit_as(branch, "github-actions[bot]", "41898282+github-actions[bot]@users.noreply.github.com", "Ondertekend")
    result = trialoog(monkeypatch, branch, "check", "portfolios", "--changed-since", "main", "--as-of", "2018-03-20")
    assert "SG002 handtekening toegevoegd door github-actions[bot]" in result.output


def test_changed_since_fails_only_on_the_students_it_touches(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    other = next(path for path in (repo / "portfolios").iterdir() if path.is_dir() and path.name not in (STUDENT,))
    broken = other / "reflecties" / "kapot.md"
    broken.parent.mkdir(exist_ok=True)
    broken.write_text("---\ntype: reflection\ntitle: Kapot\n---\n", encoding="utf-8")  # no date: an error
    commit_all(repo, "Een fout bij een andere student")
    git(repo, "checkout", "-q", "-b", "nieuw")
    assert trialoog(monkeypatch, repo, "new", "reflection", "Een gewone dag", "--student", STUDENT, "--date", "2018-03-14").exit_code == 0
    commit_all(repo, "Nieuwe reflectie")
    scoped = trialoog(monkeypatch, repo, "check", "portfolios", "--changed-since", "main", "--as-of", "2018-03-15")
    assert f"{other.name}/reflecties/kapot.md" in scoped.output  # shown …
    assert scoped.exit_code == 0, scoped.output  # … but not failing this student's change
    assert "bij studenten die deze wijziging niet raakt: getoond, maar ze laten deze controle niet falen" in scoped.output
    whole = trialoog(monkeypatch, repo, "check", "portfolios", "--as-of", "2018-03-15")
    assert whole.exit_code == 1


def test_after_the_merge_the_approved_version_signs_on_main(branch, monkeypatch, server):  # noqa: F811
    head = git(branch, "rev-parse", "HEAD").strip()
    git(branch, "checkout", "-q", "main")
    git(branch, "merge", "-q", "--no-ff", "evaluatie", "-m", "Samengevoegd")
    Recorded.routes = approval_routes(head, head)
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    result = trialoog(monkeypatch, branch, "feedback", "import", "--forge", "github", "--pr", "12", "--api-url", server,
                      "--repository", "hogeschool-scheldeland/werkplekleren-2017", "--signoff")
    assert f"Ondertekend:\n  {EVALUATION}  (An Peeters, 2018-03-20)" in result.output, result.output


def test_gitlab_finds_the_merge_request_of_a_commit_and_signs_for_its_approvals(branch, monkeypatch, server):  # noqa: F811
    from test_forge_api import GITLAB_MR, gitlab_routes

    head = git(branch, "rev-parse", "HEAD").strip()
    routes = gitlab_routes()
    routes[GITLAB_MR] = [(200, {"iid": 7, "sha": head, "web_url": "https://gitlab.com/o/r/-/merge_requests/7"}, {})]
    routes[f"{GITLAB_MR}/discussions"] = [(200, [], {})]
    routes[f"{GITLAB_MR}/diffs"] = [(200, [{"old_path": EVALUATION, "new_path": EVALUATION}], {})]
    routes[f"/projects/4242/repository/commits/{head}/merge_requests"] = [(200, [{"iid": 7, "state": "merged"}], {})]
    Recorded.routes = routes
    monkeypatch.setenv("GITLAB_TOKEN", "token")
    result = trialoog(monkeypatch, branch, "feedback", "import", "--forge", "gitlab", "--commit", head, "--api-url", server,
                      "--repository", "4242", "--signoff")
    assert result.exit_code == 0, result.output
    signoff = read_document((branch / EVALUATION).read_bytes()).data["signoff"][-1]
    assert signoff["by"] == "mentor-an-peeters" and signoff["review"] == "https://gitlab.com/o/r/-/merge_requests/7"
    assert str(signoff["date"]) == "2018-03-13"


def test_changes_requested_after_an_approval_takes_it_back(branch, monkeypatch, server):  # noqa: F811
    head = git(branch, "rev-parse", "HEAD").strip()
    routes = approval_routes(head, head)
    approval = routes[f"{GITHUB_PULL}/reviews"][0][1][0]
    later = dict(approval, id=91, state="CHANGES_REQUESTED", body="Toch nog FG2 bekijken.", submitted_at="2018-03-21T08:00:00Z",
                 html_url="https://github.com/o/r/pull/12#pullrequestreview-91")
    routes[f"{GITHUB_PULL}/reviews"] = [(200, [approval, later], {})]
    Recorded.routes = routes
    monkeypatch.setenv("GITHUB_TOKEN", "token")
    result = trialoog(monkeypatch, branch, "feedback", "import", "--forge", "github", "--pr", "12", "--api-url", server,
                      "--repository", "hogeschool-scheldeland/werkplekleren-2017", "--signoff")
    assert "Ondertekend:" not in result.output and "signoff" not in (read_document((branch / EVALUATION).read_bytes()).data or {})
