"""`trialoog build`: check a cohort, then build a site per student and the overview at its root.

This is the cohort's pipeline (load → check → views and pages → the generic builder of
trialoog.site.builder); the builder itself knows nothing of portfolios.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from trialoog.checks import run_check
from trialoog.dutch import counted
from trialoog.output.formats import diagnostic_line, printable
from trialoog.portfolio.framework import resolve_framework_path
from trialoog.portfolio.load import load_cohort
from trialoog.site.builder import BuildInput, BuildSummary, StudentSource, build_sites
from trialoog.site.exclusion import BLOCKING, Exclusions, exclusions_of
from trialoog.site.pages import SiteContext, in_cohort, render_overview, render_student


def build_cohort(
    path: Path | str,
    out: Path | str,
    student: str | frozenset[str] | None = None,
    jobs: int | None = None,
    engine: str = "mkdocs",
    audience: str = "student",
    echo: Callable[[str], Any] = print,
    as_of: dt.date | None = None,
) -> BuildSummary:
    """`trialoog build`: check the cohort at `path`, then build every student and the overview.

    A student's errors leave the entries they are about out of that student's site, with a notice
    on every page (trialoog.site.exclusion); only an unusable folder name skips a student."""
    cohort = load_cohort(Path(path))  # a ConfigError stops the build before anything is written
    result = run_check(cohort, as_of)
    exclusions = exclusions_of(cohort, result.diagnostics)
    blocking: dict[str, list[str]] = {}
    problems: dict[str, int] = {}
    for d in result.diagnostics:
        if d.is_error and d.student and d.code in BLOCKING:
            blocking.setdefault(d.student, []).append(diagnostic_line(d, cohort.root))
        elif d.is_error and d.student:
            problems[d.student] = problems.get(d.student, 0) + 1
    for d in result.diagnostics:  # what the sites leave out, as `trialoog check` says it
        if d.is_error and d.student and d.code not in BLOCKING:
            echo(diagnostic_line(d, cohort.root))
    _report_left_out(exclusions, audience, echo)
    context = SiteContext(
        cohort=cohort, as_of=result.as_of, progress=result.progress, exclusions=exclusions, audience=audience,
    )
    config = cohort.config_path
    framework = resolve_framework_path(cohort.config.framework, cohort.root)
    source = BuildInput(
        context=context,
        students=tuple(
            StudentSource(s.id, s.folder, tuple(blocking.get(s.id, ())), problems.get(s.id, 0)) for s in cohort.students
        ),
        render_student=render_student,
        render_overview=render_overview,
        shared_files=tuple(p for p in (config, framework) if p.is_file()),
        # The matrices' colours follow the cohort's one heat scale: a new highest count rebuilds every student.
        # A student's pages link back to the overview only in a cohort of several (see pages.in_cohort).
        salt=f"audience={audience}\0as_of={result.as_of.isoformat()}\0heat={context.heat.highest}\0cohort={in_cohort(cohort)}",
        audience=audience,
        source_date_epoch=int(dt.datetime(result.as_of.year, result.as_of.month, result.as_of.day, tzinfo=dt.timezone.utc).timestamp()),
    )
    return build_sites(source, Path(out), student=student, jobs=jobs, engine=engine, echo=echo)


def _report_left_out(exclusions: dict[str, Exclusions], audience: str, echo: Callable[[str], Any]) -> None:
    """One line per student whose site leaves entries out (the details are on the site and in `check`)."""
    for student_id, found in sorted(exclusions.items()):
        count = found.count(audience)
        files = len(found.shown_to(audience))
        if files:
            what = (f"{counted(count, 'item', 'items')} weggelaten wegens fouten" if count
                    else f"gebouwd, met fouten in {counted(files, 'bestand', 'bestanden')}")
            echo(f"{printable(student_id)}: {what}; de site toont een melding (`trialoog check` geeft de details)")
