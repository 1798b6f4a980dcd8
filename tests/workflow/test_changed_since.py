"""`build --changed-since REF`: a pull request's preview holds only the students it touches (real build)."""

from __future__ import annotations

import pytest

from workflow_helpers import STUDENT, commit_all, example_repo, git, trialoog

pytestmark = pytest.mark.slow


def test_a_preview_builds_only_the_students_a_change_touches(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "nieuw")
    assert trialoog(monkeypatch, repo, "new", "reflection", "Een gewone dag", "--student", STUDENT, "--date", "2018-03-14").exit_code == 0
    commit_all(repo, "Nieuwe reflectie")
    result = trialoog(monkeypatch, repo, "build", "portfolios", "--changed-since", "main", "--out", "preview", "--jobs", "1")
    built = sorted(path.name for path in (repo / "preview").iterdir() if (path / "index.html").is_file())
    assert built == [STUDENT], result.output
    assert (repo / "preview" / "index.html").is_file() and (repo / "preview" / "robots.txt").is_file()


def test_a_change_to_portfolio_yml_touches_everyone(tmp_path):
    from trialoog.workflow.changes import touched_students

    repo = example_repo(tmp_path)
    git(repo, "checkout", "-q", "-b", "mijlpalen")
    config = repo / "portfolios" / "portfolio.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\n# een opmerking\n", encoding="utf-8")
    assert touched_students(repo / "portfolios", "main").everyone
    (repo / "LEESMIJ.md").write_text("Hallo\n", encoding="utf-8")
    git(repo, "checkout", "-q", "--", "portfolios/portfolio.yml")
    touched = touched_students(repo / "portfolios", "main")  # untracked files outside the students count for no one
    assert not touched.everyone and touched.students == frozenset()


def test_an_unknown_ref_is_a_dutch_usage_error(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    result = trialoog(monkeypatch, repo, "check", "portfolios", "--changed-since", "origin/main")
    assert result.exit_code == 2
    assert "Fout: --changed-since: onbekende commit of branch 'origin/main'" in result.output and "Traceback" not in result.output
