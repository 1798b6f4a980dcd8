"""Build output can never destroy anything: each test is an accident that once cost someone files.

`trialoog build` replaces its output folder as a whole, so it must refuse every folder that is
not new, empty or a previous Trialoog build of the same audience; it must not interleave with
another build, leave a moment without a site, or drop a student it was not asked to rebuild;
and a full disk or a mount point is a Dutch message with the previous site intact.
Builds here are one to three students, through the CLI as a user runs it.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialoog.cli import main
from trialoog.site import builder, staging
from trialoog.site.build import build_cohort

from conftest import REFLECTION, STUDENT, Cohort

REFUSED = 2


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Cohort:
    """A repository as a user has it: .git, the cohort in portfolios/, the working directory at its root."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (root / "README.md").write_text("# Ons cohort\n", encoding="utf-8")
    cohort = Cohort(root / "portfolios")
    monkeypatch.chdir(root)
    return cohort


def run(*args: str | Path):
    return CliRunner().invoke(main, ["build", *map(str, args)], catch_exceptions=False)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def beside(out: Path) -> list[str]:
    """What a build left beside its output: staging, work, old folders or the lock."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}"))


def change(cohort: Cohort, student: str = STUDENT, text: str = "Gewijzigd.") -> None:
    cohort.write(f"{student}/reflecties/eerste-week.md", REFLECTION.replace("Tekst.", text))


# -- what --out may point at ---------------------------------------------------------------------


def test_a_folder_of_user_files_is_refused_and_its_files_survive(repo):
    mine = repo.root.parent / "mijn-bestanden"
    (mine / "lesvoorbereidingen").mkdir(parents=True)
    (mine / "stageverslag.docx").write_bytes(b"PK\x03\x04 verslag")
    (mine / "lesvoorbereidingen" / "les-1.md").write_text("# Les 1\n", encoding="utf-8")
    before = tree(mine)

    result = run("portfolios", "--out", mine)

    assert result.exit_code == REFUSED, result.output
    assert "geen lege map en geen eerdere Trialoog-build" in result.output
    assert tree(mine) == before


def test_the_cohort_itself_is_refused(repo):
    before = tree(repo.root)

    result = run("portfolios", "--out", "portfolios")

    assert result.exit_code == REFUSED, result.output
    assert "de portfolio's zelf" in result.output
    assert tree(repo.root) == before


def test_the_repository_that_holds_the_cohort_is_refused(repo, monkeypatch, tmp_path):
    elsewhere = tmp_path / "elders"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # so it is the cohort rule, not the working directory, that refuses
    root = repo.root.parent
    before = tree(root)

    result = run(repo.root, "--out", root)

    assert result.exit_code == REFUSED, result.output
    assert "de map met de portfolio's" in result.output
    assert tree(root) == before and (root / ".git" / "HEAD").is_file()


# Not "/": a regression would then write beside the file system's root.
@pytest.mark.parametrize("out", [".", "", ".."], ids=["dot", "empty-string", "parent"])
def test_the_working_directory_and_its_ancestors_are_refused(repo, out):
    before = tree(repo.root.parent)

    result = run("portfolios", "--out", out)

    assert result.exit_code == REFUSED, result.output
    assert "de huidige map" in result.output
    assert tree(repo.root.parent) == before


def test_a_folder_inside_a_student_folder_is_refused(repo):
    before = tree(repo.root)

    result = run("portfolios", "--out", f"portfolios/{STUDENT}/site")

    assert result.exit_code == REFUSED, result.output
    assert "ligt in de map van een student" in result.output
    assert not (repo.root / STUDENT / "site").exists()
    assert tree(repo.root) == before


def test_a_file_is_refused(repo):
    notes = repo.root.parent / "notities.txt"
    notes.write_text("niet weggooien\n", encoding="utf-8")

    result = run("portfolios", "--out", notes)
    assert result.exit_code == REFUSED, result.output
    assert notes.read_text(encoding="utf-8") == "niet weggooien\n"

    # The library refuses it too, in Dutch, for callers other than the command line.
    summary = build_cohort(repo.root, notes, echo=lambda line: None)
    assert summary.exit_code == REFUSED and "is een bestand" in summary.failure
    assert notes.read_text(encoding="utf-8") == "niet weggooien\n"


# -- the folder it writes ----------------------------------------------------------------------------


def test_the_output_keeps_the_permissions_of_the_umask(repo):
    previous = os.umask(0o022)
    try:
        result = run("portfolios", "--out", "site")
    finally:
        os.umask(previous)

    assert result.exit_code == 0, result.output
    site = repo.root.parent / "site"
    assert site.stat().st_mode & 0o777 == 0o755  # a web server running as another user can read it
    assert (site / STUDENT).stat().st_mode & 0o777 == 0o755
    assert (site / "index.html").stat().st_mode & 0o777 == 0o644
    assert json.loads((site / ".trialoog-build.json").read_text())["audience"] == "student"
    assert beside(site) == []


def test_a_build_while_another_holds_the_lock_is_refused(repo):
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    before = tree(site)
    change(repo)
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent("""
            import fcntl, sys
            handle = open(sys.argv[1], "a+b")
            fcntl.flock(handle, fcntl.LOCK_EX)
            print("vast", flush=True)
            sys.stdin.read()
        """), str(repo.root.parent / ".site.lock")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "vast"
        result = run("portfolios", "--out", "site")
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)

    assert result.exit_code == REFUSED, result.output
    assert "er loopt al een Trialoog-build" in result.output
    assert tree(site) == before


def test_a_failure_between_the_two_renames_puts_the_previous_site_back(repo, monkeypatch):
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    before = tree(site)
    change(repo)
    renames = []

    def second_rename_fails(source, target):
        renames.append((source, target))
        if len(renames) == 2:
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(source))
        os.rename(source, target)

    with monkeypatch.context() as patched:  # not monkeypatch.undo(): that would undo the chdir too
        patched.setattr(staging, "_exchange", lambda first, second: False)  # no renameat2 here
        patched.setattr(staging, "_rename", second_rename_fails)
        result = run("portfolios", "--out", "site")

    assert result.exit_code == REFUSED, result.output
    assert "ander bestandssysteem" in result.output and "Traceback" not in result.output
    assert len(renames) == 3  # old away, new in (fails), old back
    assert tree(site) == before
    assert beside(site) == []

    again = run("portfolios", "--out", "site")
    assert again.exit_code == 0, again.output
    assert "Gewijzigd." in (site / STUDENT / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")


KILLED_BETWEEN_RENAMES = """
import os, signal, sys
from trialoog.cli import main
from trialoog.site import staging

renames = []

def rename(source, target):
    renames.append(source)
    if len(renames) == 2:
        os.kill(os.getpid(), signal.SIGKILL)  # the power cut, between the two renames
    os.rename(source, target)

staging._exchange = lambda first, second: False
staging._rename = rename
main(["build", "portfolios", "--out", "site"])
"""


def test_a_build_killed_between_the_two_renames_is_recovered_by_the_next(repo):
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    before = tree(site)

    killed = subprocess.run([sys.executable, "-c", KILLED_BETWEEN_RENAMES], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert not site.exists()  # the window the exchange closes; the previous site waits beside it
    assert any(name.startswith(".site-oud-") for name in beside(site))

    result = run("portfolios", "--out", "site")
    assert result.exit_code == 0, result.output
    assert "1 ongewijzigd" in result.output  # the previous site was put back before planning
    assert tree(site) == before
    assert beside(site) == []


def test_the_swap_is_one_atomic_exchange_where_the_system_has_it(repo, monkeypatch):
    if staging._renameat2() is None:
        pytest.skip("geen renameat2 op dit systeem")
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    change(repo)

    def no_rename(source, target):
        raise AssertionError(f"rename {source} → {target}: the swap should have been one exchange")

    monkeypatch.setattr(staging, "_rename", no_rename)
    result = run("portfolios", "--out", "site")

    assert result.exit_code == 0, result.output
    assert "Gewijzigd." in (site / STUDENT / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")
    assert beside(site) == []


# -- what a build keeps ------------------------------------------------------------------------------


def test_student_option_leaves_the_other_students_sites_in_place(repo):
    for other in ("els-maes", "piet-claes"):
        repo.write(f"{other}/index.md", (repo.root / STUDENT / "index.md").read_text().replace("Jan Peeters", other))
        repo.write(f"{other}/reflecties/eerste-week.md", REFLECTION)
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    els, piet = tree(site / "els-maes"), tree(site / "piet-claes")
    change(repo, STUDENT, "Jan gewijzigd.")
    change(repo, "els-maes", "Els gewijzigd.")  # changed, but not selected

    result = run("portfolios", "--out", "site", "--student", STUDENT)

    assert result.exit_code == 0, result.output
    assert "1 gebouwd, 1 ongewijzigd" in result.output and "1 niet bijgewerkt (--student)" in result.output
    assert "Jan gewijzigd." in (site / STUDENT / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")
    assert tree(site / "els-maes") == els and tree(site / "piet-claes") == piet
    assert 'href="els-maes/' in (site / "index.html").read_text(encoding="utf-8")

    # Its old hash was kept, so the next full build sees the change.
    full = run("portfolios", "--out", "site")
    assert full.exit_code == 0 and "1 gebouwd, 2 ongewijzigd" in full.output, full.output
    assert "Els gewijzigd." in (site / "els-maes" / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")


def test_an_evaluation_build_is_never_mixed_into_a_student_output(repo):
    assert run("portfolios", "--out", "site", "--audience", "evaluation").exit_code == 0
    site = repo.root.parent / "site"
    before = tree(site)

    result = run("portfolios", "--out", "site", "--audience", "student")

    assert result.exit_code == REFUSED, result.output
    assert "--audience evaluation" in result.output and "--out site-student" in result.output
    assert tree(site) == before


# -- when the file system says no --------------------------------------------------------------------


def test_a_full_disk_is_a_dutch_message_and_the_previous_site_stands(repo, monkeypatch):
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    before = tree(site)
    change(repo)

    def disk_full(stage, *args, **options):
        (stage / ".trialoog-build.json").write_bytes(b"{")
        raise OSError(errno.ENOSPC, "No space left on device", str(stage / ".trialoog-build.json"))

    monkeypatch.setattr(builder, "write_manifest", disk_full)
    result = run("portfolios", "--out", "site")

    assert result.exit_code == REFUSED, result.output
    assert "de schijf is vol (ENOSPC)" in result.output and "Traceback" not in result.output
    assert tree(site) == before
    assert beside(site) == []


@pytest.mark.parametrize("code, meaning", [
    (errno.EACCES, "geen schrijfrechten"),
    (errno.EROFS, "alleen-lezen"),
    (errno.EXDEV, "ander bestandssysteem"),
    (errno.EBUSY, "koppelpunt"),
])
def test_an_unwritable_output_or_a_mount_point_is_a_dutch_message(repo, monkeypatch, code, meaning):
    assert run("portfolios", "--out", "site").exit_code == 0
    site = repo.root.parent / "site"
    before = tree(site)

    def refused(first, second):
        raise OSError(code, os.strerror(code), str(second))

    monkeypatch.setattr(staging, "_exchange", refused)
    monkeypatch.setattr(staging, "_rename", lambda source, target: refused(source, target))
    result = run("portfolios", "--out", "site")

    assert result.exit_code == REFUSED, result.output
    assert meaning in result.output and f"({errno.errorcode[code]})" in result.output
    assert str(site) in result.output and "Traceback" not in result.output
    assert tree(site) == before
    assert beside(site) == []


# -- a repository that holds one student: the output beside the student's folder -------------------


def test_a_single_student_repository_builds_into_site_beside_the_student(tmp_path, monkeypatch):
    """README "Eén student per repository" and the CI templates: the cohort is ".", the output `site/`."""
    root = tmp_path / "student-repo"
    (root / ".git").mkdir(parents=True)
    cohort = Cohort(root)
    monkeypatch.chdir(root)
    (root / "site").mkdir()  # an empty folder before the first build is not a student either
    assert [s.id for s in cohort.load().students] == [STUDENT]

    first = run(".", "--out", "site")
    assert first.exit_code == 0, first.output
    assert (root / "site" / STUDENT / "index.html").is_file()

    # `check .` after the build: site/ (a Trialoog build) and the hidden files beside it are no student.
    assert [s.id for s in cohort.load().students] == [STUDENT]
    check = CliRunner().invoke(main, ["check", "."], catch_exceptions=False)
    assert "site" not in {d.student for d in cohort.check().diagnostics}, check.output

    change(cohort)
    second = run(".", "--out", "site")
    assert second.exit_code == 0, second.output
    assert beside(root / "site") == []


def test_an_output_inside_the_cohort_still_may_not_be_the_cohort_or_a_student(tmp_path, monkeypatch):
    root = tmp_path / "student-repo"
    cohort = Cohort(root)
    monkeypatch.chdir(tmp_path)
    before = tree(root)

    for out in (root, root / STUDENT, root / STUDENT / "bewijzen"):
        result = run(root, "--out", out)
        assert result.exit_code == REFUSED, result.output
    assert tree(root) == before and cohort.load().students[0].id == STUDENT
