"""Real git repositories in temporary folders, for the tests of the git workflow commands."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from trialoog.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "portfolios"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STUDENT = "amina-el-khatib"
GIT_IDENTITY = ("-c", "user.name=Trialoog Test", "-c", "user.email=test@example.org",
                "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always",
                "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *GIT_IDENTITY, *args], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, f"git {' '.join(args)}: {done.stderr}"
    return done.stdout


def commit_all(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def init_repo(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "-q")
    return folder


def example_repo(tmp_path: Path, name: str = "cohorte") -> Path:
    """A git repository with the example cohort in portfolios/, committed on main."""
    repo = init_repo(tmp_path / name)
    shutil.copytree(EXAMPLE, repo / "portfolios", symlinks=True)
    commit_all(repo, "Voorbeeldcohorte")
    return repo


def student_repo(tmp_path: Path, student: str = STUDENT, name: str | None = None) -> Path:
    """A repository that holds one student: portfolio.yml beside the student's folder."""
    repo = init_repo(tmp_path / (name or f"repo-{student}"))
    shutil.copy(EXAMPLE / "portfolio.yml", repo / "portfolio.yml")
    shutil.copytree(EXAMPLE / student, repo / student, symlinks=True)
    commit_all(repo, f"Portfolio van {student}")
    return repo


def trialoog(monkeypatch, cwd: Path, *args: str):
    """Run `trialoog ARGS` in `cwd` with click's test runner; returns the click Result."""
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)
