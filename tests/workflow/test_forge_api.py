"""The workflow's import step against recorded GitHub and GitLab answers served from 127.0.0.1.

`trialoog feedback import --forge … --pr N` fetches the request's comments itself, follows each
forge's pagination (GitHub's Link header, GitLab's x-next-page), and turns a student's reply in a
thread into the student's answer. The API base URL is an option, so a local http.server stands in
for the forge; the answers are recorded shapes (tests/fixtures/github/api-*, tests/fixtures/gitlab).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from trialoog.checks import run_check
from trialoog.portfolio.frontmatter import read_document
from trialoog.portfolio.load import load_cohort
from trialoog.workflow.forge_api import GITHUB, GITLAB, Forge, upsert_comment
from workflow_helpers import FIXTURES, STUDENT, commit_all, example_repo, trialoog

GITHUB_PULL = "/repos/hogeschool-scheldeland/werkplekleren-2017/pulls/12"
GITLAB_MR = "/projects/4242/merge_requests/7"
TARGET = "reflecties/2018-03-09-moeilijk-gesprek-met-ouder"
STUDENT_LOGIN = "voorbeeld-amina"


class Recorded(BaseHTTPRequestHandler):
    """Answers GET from `routes` ({path: [(status, body, headers) per page]}); records the rest."""

    routes: dict[str, list[tuple[int, object, dict[str, str]]]] = {}
    sent: list[tuple[str, str, dict, dict]] = []

    def do_GET(self):
        path, _, query = self.path.partition("?")
        page = int(dict(part.split("=", 1) for part in query.split("&") if "=" in part).get("page", "1"))
        pages = self.routes.get(path)
        if pages is None:
            return self._answer(404, {"message": "Not Found"}, {})
        status, body, headers = pages[page - 1]
        self._answer(status, body, {key: value.format(base=f"http://127.0.0.1:{self.server.server_port}") for key, value in headers.items()})

    def _write(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.sent.append((self.command, self.path, json.loads(self.rfile.read(length) or b"{}"), dict(self.headers)))
        self._answer(200, {"id": 1}, {})

    do_POST = do_PATCH = do_PUT = _write

    def _answer(self, status: int, body: object, headers: dict[str, str]):
        data = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def server():
    Recorded.routes, Recorded.sent = {}, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def recorded(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def github_routes():
    gh = FIXTURES / "github"
    nxt = {"Link": '<{base}' + GITHUB_PULL + '/comments?per_page=100&page=2>; rel="next", <{base}' + GITHUB_PULL + '/comments?per_page=100&page=2>; rel="last"'}
    return {
        GITHUB_PULL: [(200, recorded(gh / "api-pull.json"), {})],
        f"{GITHUB_PULL}/comments": [(200, recorded(gh / "api-comments-1.json"), nxt), (200, recorded(gh / "api-comments-2.json"), {})],
        f"{GITHUB_PULL}/reviews": [(200, recorded(gh / "api-reviews.json"), {})],
        f"{GITHUB_PULL}/files": [(200, recorded(gh / "api-files.json"), {})],
    }


def gitlab_routes():
    gl = FIXTURES / "gitlab"
    return {
        GITLAB_MR: [(200, recorded(gl / "mr.json"), {})],
        f"{GITLAB_MR}/discussions": [(200, recorded(gl / "mr-discussions-1.json"), {"x-next-page": "2", "x-page": "1"}),
                                     (200, recorded(gl / "mr-discussions-2.json"), {"x-next-page": "", "x-page": "2"})],
        f"{GITLAB_MR}/diffs": [(200, recorded(gl / "mr-diffs.json"), {})],
        f"{GITLAB_MR}/approvals": [(200, recorded(gl / "mr-approvals.json"), {})],
    }


@pytest.fixture
def repo(tmp_path):
    """The example cohort, with the student's own login in her profile (`forge:`)."""
    repo = example_repo(tmp_path)
    profile = repo / "portfolios" / STUDENT / "index.md"
    text = profile.read_text(encoding="utf-8")
    profile.write_text(text.replace("type: profile\n", f"type: profile\nforge: {STUDENT_LOGIN}\n", 1), encoding="utf-8")
    commit_all(repo, "Login van de student")
    return repo


def run_import(monkeypatch, repo, kind: str, api: str, *extra: str):
    project = "hogeschool-scheldeland/werkplekleren-2017" if kind == GITHUB else "4242"
    number = "12" if kind == GITHUB else "7"
    monkeypatch.setenv("GITHUB_TOKEN" if kind == GITHUB else "GITLAB_TOKEN", "geheim-token")
    return trialoog(monkeypatch, repo, "feedback", "import", "--forge", kind, "--pr", number, "--api-url", api,
                    "--repository", project, *extra)


def feedback(repo) -> dict[str, dict]:
    folder = repo / "portfolios" / STUDENT / "feedback"
    return {path.stem: read_document(path.read_bytes()).data for path in folder.glob("2018-03-1*.md")
            if path.stem.rsplit("-", 1)[1].isdigit() or "-goedkeuring-" in path.stem}  # imported: named after the comment


def test_github_pages_replies_and_an_approval_without_text(repo, monkeypatch, server):
    Recorded.routes = github_routes()
    result = run_import(monkeypatch, repo, GITHUB, server)
    assert result.exit_code == 1, result.output  # the unknown login and the README comment
    entries = feedback(repo)
    # Page 2 (found through the Link header) held 1005 and the student's reply 1006.
    root = "2018-03-12-moeilijk-gesprek-met-ouder-1001"
    answer = entries["2018-03-13-moeilijk-gesprek-met-ouder-1006"]
    assert answer["by"] == STUDENT and answer["answers"] == [f"feedback/{root}"] and answer["on"] == TARGET
    assert answer["title"].startswith("Antwoord van Amina El Khatib op '")
    assert entries["2018-03-13-moeilijk-gesprek-met-ouder-1005"]["by"] == "mentor-an-peeters"
    # Reviews without a file go to the one entry the pull request changes; an approval without text is kept.
    silent = entries["2018-03-14-moeilijk-gesprek-met-ouder-82"]
    assert silent["on"] == TARGET and silent["by"] == "coach-koen-smets"
    body = (repo / "portfolios" / STUDENT / "feedback" / "2018-03-14-moeilijk-gesprek-met-ouder-82.md").read_text(encoding="utf-8")
    assert "Koen Smets keurde de wijzigingen goed, zonder verdere opmerking." in body and "(goedgekeurd)" in body
    assert "onbekende login 'iemand-anders'" in result.output and "buiten de portfolio's: README.md" in result.output
    assert "pullrequestreview-81  review zonder eigen tekst" in result.output
    # The token went in the header, never in the URL.
    assert all("geheim" not in path for path in Recorded.routes)


def test_a_rerun_adds_nothing(repo, monkeypatch, server):
    Recorded.routes = github_routes()
    run_import(monkeypatch, repo, GITHUB, server)
    commit_all(repo, "Feedback bewaard")
    before = {path: path.read_bytes() for path in (repo / "portfolios").rglob("*") if path.is_file()}
    again = run_import(monkeypatch, repo, GITHUB, server)
    assert "Geïmporteerd (" not in again.output and "Al geïmporteerd (6):" in again.output
    assert {path: path.read_bytes() for path in (repo / "portfolios").rglob("*") if path.is_file()} == before


def test_gitlab_discussions(repo, monkeypatch, server):
    Recorded.routes = gitlab_routes()
    result = run_import(monkeypatch, repo, GITLAB, server)
    assert result.exit_code == 1, result.output  # the unknown login
    entries = feedback(repo)
    web = "https://gitlab.com/hogeschool-scheldeland/werkplekleren-2017/-/merge_requests/7"
    mentor = entries["2018-03-12-moeilijk-gesprek-met-ouder-301"]
    assert mentor["by"] == "mentor-an-peeters" and mentor["on"] == TARGET
    answer = entries["2018-03-13-moeilijk-gesprek-met-ouder-302"]  # 07:45 in Brussels
    assert answer["by"] == STUDENT and answer["answers"] == ["feedback/2018-03-12-moeilijk-gesprek-met-ouder-301"]
    assert entries["2018-03-13-moeilijk-gesprek-met-ouder-304"]["by"] == "coach-koen-smets"  # from page 2 (x-next-page)
    text = (repo / "portfolios" / STUDENT / "feedback" / "2018-03-12-moeilijk-gesprek-met-ouder-301.md").read_text(encoding="utf-8")
    assert f"({web}#note_301)" in text
    assert "overzicht voor de mentor (door Trialoog zelf geplaatst)" in result.output  # our own summary note
    assert "onbekende login 'iemand-anders'" in result.output
    approval = entries["2018-03-13-moeilijk-gesprek-met-ouder-goedkeuring-voorbeeld-an-peeters"]  # from /approvals
    assert approval["by"] == "mentor-an-peeters" and approval["on"] == TARGET
    again = run_import(monkeypatch, repo, GITLAB, server)
    assert "Geïmporteerd (" not in again.output and "Al geïmporteerd (4):" in again.output


def test_imported_answers_pass_the_format_check(repo, monkeypatch, server):
    Recorded.routes = github_routes()
    run_import(monkeypatch, repo, GITHUB, server)
    new = {f"{STUDENT}/feedback/{stem}.md" for stem in feedback(repo)}
    result = run_check(load_cohort(repo / "portfolios"), None)
    problems = [d for d in result.diagnostics if d.path in new and d.code.startswith("FM")]
    assert problems == []


@pytest.mark.parametrize("kind,status,body,said", [
    (GITHUB, 401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, "'Bad credentials'"),
    (GITLAB, 404, {"message": "404 Project Not Found"}, "'404 Project Not Found'"),
    (GITLAB, 401, {"error": "invalid_token", "error_description": "Token was revoked."}, "'invalid_token'"),
])
def test_an_error_body_is_a_dutch_message(repo, monkeypatch, server, kind, status, body, said):
    Recorded.routes = {GITHUB_PULL if kind == GITHUB else GITLAB_MR: [(status, body, {})]}
    result = run_import(monkeypatch, repo, kind, server)
    assert result.exit_code == 2, result.output
    assert f"gaf {status}: {said} van de {'GitHub' if kind == GITHUB else 'GitLab'}-API" in result.output
    assert "Traceback" not in result.output and feedback(repo) == {}


def test_the_summary_comment_is_updated_not_repeated(server):
    marker = "<!-- trialoog: overzicht voor de mentor -->"
    forge = Forge(GITHUB, server, "o/r", "geheim-token")
    Recorded.routes = {"/repos/o/r/issues/12/comments": [(200, [{"id": 5, "body": "Dank je!"}], {})]}
    assert upsert_comment(forge, 12, marker, f"{marker}\neerste") == "geplaatst"
    Recorded.routes = {"/repos/o/r/issues/12/comments": [(200, [{"id": 5, "body": "Dank je!"}, {"id": 9, "body": f"{marker}\neerste"}], {})]}
    assert upsert_comment(forge, 12, marker, f"{marker}\ntweede") == "bijgewerkt"
    (post, post_path, post_body, headers), (patch, patch_path, patch_body, _) = Recorded.sent
    assert (post, post_path, post_body["body"]) == ("POST", "/repos/o/r/issues/12/comments", f"{marker}\neerste")
    assert (patch, patch_path, patch_body["body"]) == ("PATCH", "/repos/o/r/issues/comments/9", f"{marker}\ntweede")
    assert headers["Authorization"] == "Bearer geheim-token"
    gitlab = Forge(GITLAB, server, "4242", "geheim-token")
    Recorded.routes = {f"{GITLAB_MR}/notes": [(200, [{"id": 31, "body": f"{marker}\noud", "system": False}], {})]}
    assert upsert_comment(gitlab, 7, marker, f"{marker}\nnieuw") == "bijgewerkt"
    assert Recorded.sent[-1][:2] == ("PUT", f"{GITLAB_MR}/notes/31") and Recorded.sent[-1][3]["Private-Token"] == "geheim-token"


def test_a_students_answer_passes_check(repo, monkeypatch, server):
    Recorded.routes = github_routes()
    run_import(monkeypatch, repo, GITHUB, server)
    answer = f"{STUDENT}/feedback/2018-03-13-moeilijk-gesprek-met-ouder-1006.md"
    result = run_check(load_cohort(repo / "portfolios"), None)
    assert [d.code for d in result.diagnostics if d.path == answer] == []


def test_a_summary_too_long_for_github_is_cut_at_a_student(server):
    marker = "<!-- trialoog: overzicht voor de mentor -->"
    Recorded.routes = {"/repos/o/r/issues/3/comments": [(200, [], {})]}
    body = marker + "".join(f"\n### Student {n}\n\n" + "x" * 1000 for n in range(100))
    upsert_comment(Forge(GITHUB, server, "o/r", None), 3, marker, body)
    sent = Recorded.sent[-1][2]["body"]
    assert len(sent) < 65_536 and sent.startswith(marker) and sent.endswith("(job summary of artefact).*\n")
    assert "\n### Student 62\n" in sent and "Student 64" not in sent  # cut before a heading, not in a table
