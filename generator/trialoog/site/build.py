"""`trialoog build`: check a cohort, then build a site per student and the overview at its root.

This is the cohort's pipeline (load → check → views and pages → the generic builder of
trialoog.site.builder); the builder itself knows nothing of portfolios.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from trialoog.checks import CheckResult, run_check
from trialoog.errors import UsageError
from trialoog.dutch import counted
from trialoog.output.formats import diagnostic_line, printable
from trialoog.portfolio.framework import resolve_framework_path
from trialoog.portfolio.load import Cohort, load_cohort
from trialoog.site.builder import BuildInput, BuildSummary, StudentSource, build_single_site, build_sites, merge_sites
from trialoog.site.exclusion import BLOCKING, Exclusions, exclusions_of
from trialoog.site.pages import SiteContext, in_cohort, render_overview, render_student
from trialoog.site.shards import Shard


def build_cohort(
    path: Path | str,
    out: Path | str,
    student: str | frozenset[str] | None = None,
    jobs: int | None = None,
    engine: str = "mkdocs",
    audience: str = "student",
    echo: Callable[[str], Any] = print,
    as_of: dt.date | None = None,
    shard: Shard | None = None,
) -> BuildSummary:
    """`trialoog build`: check the cohort at `path`, then build every student and the overview
    (with `shard`, only that shard's students: see trialoog.site.shards).

    A student's errors leave the entries they are about out of that student's site, with a notice
    on every page (trialoog.site.exclusion); only an unusable folder name skips a student."""
    cohort = load_cohort(Path(path))  # a ConfigError stops the build before anything is written
    result = run_check(cohort, as_of)
    source = _build_input(cohort, result, audience)
    for d in result.diagnostics:  # what the sites leave out, as `trialoog check` says it
        if d.is_error and d.student and d.code not in BLOCKING:
            echo(diagnostic_line(d, cohort.root))
    _report_left_out(source.context.exclusions, audience, echo)
    return build_sites(source, Path(out), student=student, jobs=jobs, engine=engine, echo=echo, shard=shard)


def merge_cohort(path: Path | str, shard_dirs: list[Path], out: Path | str, engine: str = "mkdocs",
                 audience: str = "student", echo: Callable[[str], Any] = print, as_of: dt.date | None = None) -> BuildSummary:
    """`trialoog merge`: the shards' student sites and a new overview of the whole cohort, checked
    here as `trialoog build` checks it; the result is byte for byte what one full build gives."""
    cohort = load_cohort(Path(path))
    source = _build_input(cohort, run_check(cohort, as_of), audience)
    return merge_sites(source, [Path(folder) for folder in shard_dirs], Path(out), engine=engine, echo=echo)


def _build_input(cohort: Cohort, result: CheckResult, audience: str) -> BuildInput[SiteContext]:
    """What the generic builder needs from a checked cohort."""
    blocking: dict[str, list[str]] = {}
    problems: dict[str, int] = {}
    for d in result.diagnostics:
        if d.is_error and d.student and d.code in BLOCKING:
            blocking.setdefault(d.student, []).append(diagnostic_line(d, cohort.root))
        elif d.is_error and d.student:
            problems[d.student] = problems.get(d.student, 0) + 1
    context = SiteContext(
        cohort=cohort, as_of=result.as_of, progress=result.progress,
        exclusions=exclusions_of(cohort, result.diagnostics), audience=audience,
    )
    framework = resolve_framework_path(cohort.config.framework, cohort.root)
    source = BuildInput(
        context=context,
        students=tuple(
            StudentSource(s.id, s.folder, tuple(blocking.get(s.id, ())), problems.get(s.id, 0)) for s in cohort.students
        ),
        render_student=render_student,
        render_overview=render_overview,
        # What every student's pages depend on: a change in any of them rebuilds every student.
        shared_files=tuple(p for p in (cohort.config_path, framework, cohort.mapping and cohort.mapping.path) if p and p.is_file()),
        # The matrices' colours follow the cohort's one heat scale: a new highest count rebuilds every student.
        # A student's pages link back to the overview only in a cohort of several (see pages.in_cohort).
        salt=f"audience={audience}\0as_of={result.as_of.isoformat()}\0heat={context.heat.highest}\0cohort={in_cohort(cohort)}",
        audience=audience,
        source_date_epoch=int(dt.datetime(result.as_of.year, result.as_of.month, result.as_of.day, tzinfo=dt.timezone.utc).timestamp()),
    )
    return source


@dataclass(frozen=True)
class PreviewBuild:
    """What `trialoog serve` shows after one rebuild: the site, and the student's errors beside it."""

    built: bool  # False: the student cannot be built (see `errors`), nothing was written
    errors: tuple[str, ...]  # the student's error lines, as `trialoog check` prints them


def build_preview(path: Path, student: str, out: Path, work: Path, engine: str = "mkdocs",
                  audience: str = "student") -> PreviewBuild:
    """Only `student`: load and check that student alone, build their site into `out`/<id> (assets
    beside it), no overview and no other student; the preview rebuilds on every save, and the rest of
    the cohort would only cost time. Cohort-wide checks between students (the same forge login twice)
    therefore stay with `trialoog check`. A ConfigError (portfolio.yml) or EngineError is raised."""
    cohort = load_cohort(Path(path), only=student)
    if cohort.student(student) is None:
        raise UsageError(f"geen student '{printable(student)}' in {printable(str(path))}")
    result = run_check(cohort)
    source = _build_input(cohort, result, audience)
    errors = tuple(diagnostic_line(d, cohort.root) for d in result.diagnostics if d.is_error and d.student == student)
    if source.students[0].errors:
        return PreviewBuild(False, errors)
    build_single_site(source, student, out, work, engine)
    return PreviewBuild(True, errors)


def _report_left_out(exclusions: dict[str, Exclusions], audience: str, echo: Callable[[str], Any]) -> None:
    """One line per student whose site leaves entries out (the details are on the site and in `check`)."""
    for student_id, found in sorted(exclusions.items()):
        count = found.count(audience)
        files = len(found.shown_to(audience))
        if files:
            what = (f"{counted(count, 'item', 'items')} weggelaten wegens fouten" if count
                    else f"gebouwd, met fouten in {counted(files, 'bestand', 'bestanden')}")
            echo(f"{printable(student_id)}: {what}; de site toont een melding (`trialoog check` geeft de details)")
