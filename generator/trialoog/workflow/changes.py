"""`--changed-since REF`: which students a pull request touches, so CI checks and builds only them.

A change to portfolio.yml or to the framework it names touches every student (the milestones or the
codes may have changed for all); a change outside the student folders touches none. The files are
those between the merge base of REF and HEAD and the work tree, plus new files git does not yet
track, so it works in CI (a clean checkout) and on a laptop (work in progress) alike.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from trialoog.checks import CheckResult
from trialoog.dutch import counted
from trialoog.portfolio.framework import resolve_framework_path
from trialoog.portfolio.load import CONFIG_FILE, ConfigError, load_config
from trialoog.workflow.gitrepo import WorkflowError, git, repo_relative, toplevel


@dataclass(frozen=True)
class Touched:
    everyone: bool  # portfolio.yml or the framework changed
    students: frozenset[str]

    def includes(self, student_id: str | None) -> bool:
        """Cohort-wide problems (no student) always count."""
        return self.everyone or student_id is None or student_id in self.students


def touched_students(cohort_root: Path, ref: str) -> Touched:
    repo = toplevel(cohort_root)
    if repo is None:
        raise WorkflowError("--changed-since vergelijkt met een commit: de portfolio's liggen niet in een git-repository")
    try:
        base = git(repo, "merge-base", ref, "HEAD").strip()
    except WorkflowError:
        raise WorkflowError(f"--changed-since: onbekende commit of branch '{ref}' (in CI: haal de geschiedenis op, "
                            "actions/checkout met `fetch-depth: 0`)") from None
    prefix = repo_relative(cohort_root, repo)
    scope = [prefix] if prefix else []
    names = git(repo, "diff", "--name-only", "-z", base, "--", *scope).split("\0")
    names += git(repo, "ls-files", "--others", "--exclude-standard", "-z", "--", *scope).split("\0")
    shared = _shared_files(cohort_root, repo)
    students, everyone = set(), False
    for name in filter(None, names):
        parts = PurePosixPath(name).parts[len(PurePosixPath(prefix).parts) if prefix else 0:]
        if name in shared or parts == (CONFIG_FILE,):
            everyone = True
        elif len(parts) > 1 and not parts[0].startswith((".", "_")):
            students.add(parts[0])
    return Touched(everyone, frozenset(students))


def _shared_files(cohort_root: Path, repo: Path) -> set[str]:
    """The framework file, when it is a file in the repository (a built-in one never changes here)."""
    try:
        framework = resolve_framework_path(load_config(cohort_root).framework, cohort_root)
    except ConfigError:  # check says so itself; here it only means "no framework file"
        return set()
    if framework.is_file() and framework.resolve().is_relative_to(repo):
        return {repo_relative(framework, repo)}
    return set()


def scope_check(result: CheckResult, cohort_root: Path, ref: str) -> tuple[CheckResult, CheckResult, str | None]:
    """`check --changed-since REF`: (everything to show, what decides the exit code, a note).

    Every problem is shown, so nobody is surprised later; only those of the students the change
    touches (and the cohort's own) fail the check. Sign-offs added since REF by someone other than
    the signer are added to both (SG002)."""
    from trialoog.workflow.signoff import foreign_signoffs

    touched = touched_students(cohort_root, ref)
    shown = dataclasses.replace(result, diagnostics=result.diagnostics + foreign_signoffs(result.cohort, ref))
    mine = [d for d in shown.diagnostics if touched.includes(d.student)]
    others = sum(1 for d in shown.diagnostics if d.is_error and not touched.includes(d.student))
    note = (f"{counted(others, 'fout', 'fouten')} bij studenten die deze wijziging niet raakt: getoond, "
            "maar ze laten deze controle niet falen") if others else None
    return shown, dataclasses.replace(shown, diagnostics=mine), note
