"""`trialoog build`: check a cohort, then build a site per student and the overview at its root.

This is the cohort's pipeline (load → check → views and pages → the generic builder of
trialoog.site.builder); the builder itself knows nothing of portfolios.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable

from trialoog.checks import run_check
from trialoog.output.formats import diagnostic_line
from trialoog.portfolio.framework import resolve_framework_path
from trialoog.portfolio.load import load_cohort
from trialoog.site.builder import BuildInput, BuildSummary, StudentSource, build_sites
from trialoog.site.pages import SiteContext, render_overview, render_student


def build_cohort(
    path: Path | str,
    out: Path | str,
    student: str | None = None,
    jobs: int | None = None,
    engine: str = "mkdocs",
    audience: str = "student",
    echo: Callable[[str], Any] = print,
    as_of: dt.date | None = None,
) -> BuildSummary:
    """`trialoog build`: check the cohort at `path`, then build every student without errors and the overview."""
    cohort = load_cohort(Path(path))  # a ConfigError stops the build before anything is written
    result = run_check(cohort, as_of)
    errors: dict[str, list[str]] = {}
    for d in result.diagnostics:
        if d.is_error and d.student:
            errors.setdefault(d.student, []).append(diagnostic_line(d, cohort.root))
    context = SiteContext(
        cohort=cohort, as_of=result.as_of, progress=result.progress,
        errors={sid: len(found) for sid, found in errors.items()}, audience=audience,
    )
    config = cohort.config_path
    framework = resolve_framework_path(cohort.config.framework, cohort.root)
    source = BuildInput(
        context=context,
        students=tuple(StudentSource(s.id, s.folder, tuple(errors.get(s.id, ()))) for s in cohort.students),
        render_student=render_student,
        render_overview=render_overview,
        shared_files=tuple(p for p in (config, framework) if p.is_file()),
        salt=f"audience={audience}\0as_of={result.as_of.isoformat()}",
        audience=audience,
        source_date_epoch=int(dt.datetime(result.as_of.year, result.as_of.month, result.as_of.day, tzinfo=dt.timezone.utc).timestamp()),
    )
    return build_sites(source, Path(out), student=student, jobs=jobs, engine=engine, echo=echo)
