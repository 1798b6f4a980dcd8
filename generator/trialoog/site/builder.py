"""The generic builder: docs trees from render functions → one folder with a site per student and an overview.

It knows nothing of portfolios: `trialoog.site.build` hands it the students and the render
functions. `build_sites` reads top to bottom: plan (hash every student: build, carry over or
skip), stage beside the output, build the overview, build the students in
parallel processes, share the theme's assets, write the manifest, and only then
swap the staged folder into place. Until that last step the previous output is
untouched, so a failed or interrupted build leaves it intact.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Generic, Iterator, Protocol, TypeVar

import yaml

from trialoog.errors import USAGE, TrialoogError
from trialoog.output.formats import printable
from trialoog.portfolio.paths import RESERVED_FOLDERS
from trialoog.site.assets import ASSETS
from trialoog.site.baseconfig import BASE_CONFIG, theme_dir
from trialoog.site.engine import EngineError, get_engine
from trialoog.site.finish import Finishing, write_robots
from trialoog.site.docs_cache import DocsCache
from trialoog.site.fingerprint import common_digest, read_manifest, student_digests, write_manifest
from trialoog.site.shards import shard_of
from trialoog.site.staging import (
    OutputError,
    carry_over,
    clear_leftovers,
    describe_os_error,
    link_or_copy,
    locked,
    previous_build,
    refuse_foreign_output,
    refuse_unsafe_target,
    staging,
    swap_into_place,
)

if TYPE_CHECKING:
    from trialoog.site.shards import Shard  # only its holds(); parsing it is the caller's

# Names the overview uses at the root of the output; no student site may take them (`trialoog check`
# reports such a folder, CO002; the builder skips it too, whoever calls it).
RESERVED_NAMES = RESERVED_FOLDERS
assert ASSETS in RESERVED_NAMES


@dataclass(frozen=True)
class SiteSpec:
    """What a render function tells the engine about the docs tree it wrote."""

    site_name: str
    nav: list[Any]
    site_url: str | None = None
    slots: dict[str, dict[str, str]] = field(default_factory=dict)  # HTML placed after the engine, see pages.py
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown of pages not in the docs folder
    search: bool = True  # False: no search plugin, so no search box (a site whose pages are all left out of search)
    search_engines: bool = False  # portfolio.yml opts in: no noindex, an open robots.txt (site/finish.py)
    extra: dict[str, Any] = field(default_factory=dict)  # the config's `extra`: what the theme shows on every page (footer)


# What the render functions share: the builder hands it on and never looks inside.
ContextT = TypeVar("ContextT")
ContextT_contra = TypeVar("ContextT_contra", contravariant=True)


class RenderStudent(Protocol[ContextT_contra]):
    def __call__(self, context: ContextT_contra, student_id: str, docs: Path, /) -> SiteSpec: ...


class RenderOverview(Protocol[ContextT_contra]):
    def __call__(self, context: ContextT_contra, docs: Path, /, site_ids: list[str]) -> SiteSpec: ...


@dataclass(frozen=True)
class StudentSource:
    id: str
    folder: Path  # everything in it is part of the student's hash
    errors: tuple[str, ...] = ()  # formatted diagnostics that keep the student from being built: skipped
    problems: int = 0  # other errors: the site is built without what they are about, the build reports them


@dataclass(frozen=True)
class BuildInput(Generic[ContextT]):
    context: ContextT  # handed once to every worker process and to the render functions
    students: tuple[StudentSource, ...]
    render_student: RenderStudent[ContextT]
    render_overview: RenderOverview[ContextT]
    shared_files: tuple[Path, ...] = ()  # portfolio.yml, the framework: in every student's hash
    salt: str = ""  # anything else the pages depend on, such as the audience and the cohort's date
    audience: str = ""  # recorded in the manifest: an output holds the sites of one audience only
    source_date_epoch: int = 0  # the build date MkDocs writes (sitemap), fixed for reproducibility


@dataclass
class BuildSummary:
    out: Path
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # errors in the portfolio that stop the student's build
    failed: list[str] = field(default_factory=list)  # an internal error while building the student: no site
    incomplete: list[str] = field(default_factory=list)  # built, without the parts that have errors
    left_out: list[str] = field(default_factory=list)  # changed, but not selected with --student: kept as they were
    failure: str | None = None  # the build as a whole failed; the previous output stands
    failure_code: int = 1  # 2 for a usage or configuration error
    seconds: float = 0.0
    bytes_saved: int = 0

    @property
    def exit_code(self) -> int:
        if self.failure:
            return self.failure_code
        return 1 if self.skipped or self.failed or self.incomplete else 0

    def line(self) -> str:
        counts = (
            f"{len(self.built)} gebouwd, {len(self.unchanged)} ongewijzigd, "
            f"{len(self.skipped)} overgeslagen met fouten"
        )
        if self.incomplete:
            counts += f", {len(self.incomplete)} met weggelaten items"
        if self.failed:
            counts += f", {len(self.failed)} overgeslagen door een interne fout"
        if self.left_out:
            counts += f", {len(self.left_out)} niet bijgewerkt (--student)"
        if self.failure:
            return f"Bouwen mislukt na {self.seconds:.1f} s ({counts}): {self.failure}"
        return f"Klaar in {self.seconds:.1f} s: {counts}. Het overzicht: {self.out / 'index.html'}"


@dataclass(frozen=True)
class _Plan:
    build: tuple[str, ...]
    carry: tuple[str, ...]  # copied from the previous output: unchanged, or left out with --student
    skip: tuple[StudentSource, ...]
    left_out: tuple[str, ...]  # changed but not selected; their previous site (if any) is carried
    hashes: dict[str, str]  # the site hash of each student (the manifest's)
    docs: dict[str, str] = field(default_factory=dict)  # the docs hash of each student to build (the docs cache's key)


def build_sites(
    source: BuildInput[ContextT],
    out: Path,
    *,
    student: str | frozenset[str] | None = None,
    jobs: int | None = None,
    engine: str = "mkdocs",
    base_config: Path = BASE_CONFIG,
    echo: Callable[[str], Any] = print,
    shard: Shard | None = None,
) -> BuildSummary:
    """Build every student's site and the overview into `out`, atomically.

    With `shard`, only the students of that shard (trialoog.site.shards); `merge_sites` puts the
    shards together.

    `out` is replaced as a whole, so it must be new, empty or a previous build for the same
    audience, and never hold or lie inside the sources; a file-system error (disk full, no
    rights, a mount point) becomes a message, and the previous output stands."""
    out = out.resolve()
    summary = BuildSummary(out=out)
    with _summarised(summary, out, echo):
        get_engine(engine)
        roots = {s.folder.parent for s in source.students}  # an output may sit beside the students
        refuse_unsafe_target(out, {s.folder for s in source.students} | ({p.parent for p in source.shared_files} - roots), roots)
        out.parent.mkdir(parents=True, exist_ok=True)
        with locked(out):
            clear_leftovers(out)
            refuse_foreign_output(out, source.audience)
            plan = _plan(source, out, student, engine, base_config, shard)
            _report_skipped(plan, echo)
            with staging(out) as (stage, work), _environment(SOURCE_DATE_EPOCH=str(source.source_date_epoch)):
                carry_over(plan.carry, out, stage)
                site_ids = sorted(plan.build + plan.carry)
                overview = _build_overview(source, site_ids, stage, work, engine, base_config)
                summary.bytes_saved, failed = _build_students(source, plan, stage, work, jobs, engine, base_config, echo)
                if failed:  # the overview linked to them: build it again without those links
                    site_ids = sorted(set(site_ids) - set(failed))
                    _build_overview(source, site_ids, stage, work, engine, base_config, replacing=overview)
                write_manifest(stage, {sid: plan.hashes[sid] for sid in site_ids}, source.audience,
                               shard=None if shard is None else str(shard))
                swap_into_place(stage, out)
        summary.built = sorted(set(plan.build) - set(failed))
        summary.unchanged = sorted(set(plan.carry) - set(plan.left_out))
        summary.skipped = [s.id for s in plan.skip]
        summary.failed = sorted(failed)
        summary.left_out = list(plan.left_out)
        with_problems = {s.id for s in source.students if s.problems}
        summary.incomplete = sorted(with_problems & (set(summary.built) | set(summary.unchanged)))
    return summary



@contextlib.contextmanager
def _summarised(summary: BuildSummary, out: Path, echo: Callable[[str], Any]) -> Iterator[None]:
    """How a build or a merge ends, in one place: a known failure becomes the summary's message and
    exit code (the previous output stands), and the summary line is printed with the time taken."""
    started = time.monotonic()
    try:
        yield
    except (EngineError, BuildError, OutputError) as error:
        summary.failure = str(error)
        summary.failure_code = error.exit_code
    except OSError as error:
        summary.failure = describe_os_error(error, out)
        summary.failure_code = 2
    summary.seconds = time.monotonic() - started
    echo(summary.line())


def merge_sites(
    source: BuildInput[ContextT],
    shard_dirs: list[Path],
    out: Path,
    *,
    engine: str = "mkdocs",
    base_config: Path = BASE_CONFIG,
    echo: Callable[[str], Any] = print,
) -> BuildSummary:
    """Put the student sites of every shard (`build_sites(shard=…)`) into `out` and build the overview
    over all of them, atomically: the result is the output one full build of `source` would have.

    Every shard of one split must be there, built for the same audience from the same sources (a
    student's hash in the shard's manifest must be the hash of their files here); otherwise the
    merge is refused and `out` stays as it was. A student that their shard could not build is
    reported and left out of the overview, as a full build does."""
    out = out.resolve()
    summary = BuildSummary(out=out)
    with _summarised(summary, out, echo):
        get_engine(engine)
        shards = _read_shards([path.resolve() for path in shard_dirs], source.audience)
        roots = {s.folder.parent for s in source.students}
        refuse_unsafe_target(out, {s.folder for s in source.students} | set(shards) | ({p.parent for p in source.shared_files} - roots), roots)
        out.parent.mkdir(parents=True, exist_ok=True)
        with locked(out):
            clear_leftovers(out)
            refuse_foreign_output(out, source.audience)
            plan, origin, missing = _merge_plan(source, shards, engine, base_config)
            _report_skipped(plan, echo)
            for student_id, shard_dir in missing:
                echo(f"{printable(student_id)}: overgeslagen — ontbreekt in {printable(str(shard_dir))} (fout bij het bouwen van die shard)")
            with staging(out) as (stage, work), _environment(SOURCE_DATE_EPOCH=str(source.source_date_epoch)):
                for student_id in plan.carry:
                    shutil.copytree(origin[student_id] / student_id, stage / student_id, copy_function=link_or_copy)
                _build_overview(source, list(plan.carry), stage, work, engine, base_config)
                write_manifest(stage, {sid: plan.hashes[sid] for sid in plan.carry}, source.audience)
                swap_into_place(stage, out)
        summary.built = list(plan.carry)
        summary.skipped = [s.id for s in plan.skip]
        summary.failed = [student_id for student_id, _ in missing]
        with_problems = {s.id for s in source.students if s.problems}
        summary.incomplete = sorted(with_problems & set(summary.built))
    return summary


def _read_shards(shard_dirs: list[Path], audience: str) -> dict[Path, dict]:
    """Each folder's manifest, once every shard 1 … N of one split is there exactly once."""
    manifests: dict[Path, dict] = {}
    numbers: dict[int, Path] = {}
    counts = set()
    for folder in shard_dirs:
        manifest = previous_build(folder)
        written = str((manifest or {}).get("shard", ""))
        number, _, count = written.partition("/")
        if manifest is None or not (number.isdigit() and count.isdigit()):
            raise BuildError(f"{printable(str(folder))} is geen shard van `trialoog build --shard K/N`", exit_code=USAGE)
        if manifest.get("audience") != audience:
            raise BuildError(f"{printable(str(folder))} is gebouwd voor publiek '{printable(str(manifest.get('audience')))}', "
                             f"niet voor '{audience}': geef --audience zoals bij het bouwen", exit_code=USAGE)
        if int(number) in numbers:
            raise BuildError(f"shard {written} staat er twee keer: {printable(str(numbers[int(number)]))} en {printable(str(folder))}",
                             exit_code=USAGE)
        numbers[int(number)] = folder
        counts.add(int(count))
        manifests[folder] = manifest
    if len(counts) != 1:
        raise BuildError("de shards komen uit verschillende verdelingen (verschillende N in K/N)" if counts
                         else "geef minstens één shardmap", exit_code=USAGE)
    parts = counts.pop()
    absent = [n for n in range(1, parts + 1) if n not in numbers]
    if absent:
        raise BuildError(f"shard {', '.join(f'{n}/{parts}' for n in absent)} ontbreekt: een samengevoegde site zonder "
                         "die studenten zou er volledig uitzien", exit_code=USAGE)
    return manifests


def _merge_plan(source: BuildInput, shards: dict[Path, dict], engine: str, base_config: Path
                ) -> tuple[_Plan, dict[str, Path], list[tuple[str, Path]]]:
    """Which shard holds each student's site; refused when a shard was built from other files."""
    common = common_digest(source.salt, engine, base_config, source.shared_files)
    by_number = {int(manifest["shard"].partition("/")[0]): folder for folder, manifest in shards.items()}
    count = int(next(iter(shards.values()))["shard"].partition("/")[2])
    carry, skip, hashes, origin, missing = [], [], {}, {}, []
    for student in _checked_names(source.students):
        if student.errors:
            skip.append(student)
            continue
        folder = by_number[shard_of(student.id, count)]
        built = shards[folder]["students"].get(student.id)
        hashes[student.id] = digest = student_digests(common, student.folder).site
        if built is None or not (folder / student.id).is_dir():
            missing.append((student.id, folder))
        elif built != digest:
            raise BuildError(f"de site van '{student.id}' in {printable(str(folder))} is gebouwd uit andere bestanden of "
                             "instellingen dan deze cohorte: bouw de shards en voeg ze samen vanuit dezelfde commit")
        else:
            carry.append(student.id)
            origin[student.id] = folder
    return _Plan((), tuple(carry), tuple(skip), (), hashes), origin, missing


class BuildError(TrialoogError):
    """The build as a whole cannot go on; the message is Dutch (exit 1, or 2 for a wrong --student)."""


# -- plan ---------------------------------------------------------------------------------------


def _plan(source: BuildInput, out: Path, only: str | frozenset[str] | None, engine: str, base_config: Path,
          shard: Shard | None = None) -> _Plan:
    ids = [s.id for s in source.students]
    selected = {only} if isinstance(only, str) else set(only) if only is not None else None  # a set: --changed-since
    if isinstance(only, str) and only not in ids:
        raise BuildError(f"onbekende student '{only}' — kies uit: {', '.join(sorted(ids))}", exit_code=USAGE)
    if isinstance(only, str) and shard is not None and not shard.holds(only):
        raise BuildError(f"'{only}' hoort niet bij shard {shard}", exit_code=USAGE)
    common = common_digest(source.salt, engine, base_config, source.shared_files)
    manifest = previous_build(out) or {}
    previous = read_manifest(out)
    # Only a site known to be for this audience may be carried over unchanged without its hash
    # matching; a manifest from before the audience was recorded cannot tell.
    same_audience = manifest.get("audience") == source.audience
    build, carry, skip, left_out, hashes, docs = [], [], [], [], {}, {}
    for student in _checked_names(source.students):
        if shard is not None and not shard.holds(student.id):
            continue
        if student.errors:
            skip.append(student)
            continue
        digests = student_digests(common, student.folder)
        hashes[student.id] = digest = digests.site
        docs[student.id] = digests.docs
        built_before = student.id in previous and (out / student.id).is_dir()
        if built_before and previous[student.id] == digest:
            carry.append(student.id)
        elif selected is None or student.id in selected:
            build.append(student.id)
        elif built_before and same_audience:
            # --student never deletes another student's site: keep it as it was, with its old
            # hash, so the next full build sees the change and rebuilds it.
            carry.append(student.id)
            left_out.append(student.id)
            hashes[student.id] = previous[student.id]
        elif built_before:
            build.append(student.id)  # rather rebuild than keep a site of an unknown audience
        else:
            left_out.append(student.id)
    return _Plan(tuple(build), tuple(carry), tuple(skip), tuple(left_out), hashes, docs)


def _checked_names(students: tuple[StudentSource, ...]) -> Iterator[StudentSource]:
    """The students by id; one whose folder takes a name of the overview gets that as an error."""
    for student in sorted(students, key=lambda s: s.id):
        if student.id in RESERVED_NAMES and not student.errors:
            message = f"de naam '{student.id}' is voorbehouden voor het overzicht; hernoem die map"
            student = replace(student, errors=(message,))
        yield student


def _report_skipped(plan: _Plan, echo: Callable[[str], Any]) -> None:
    for student in plan.skip:
        for error in student.errors:
            echo(printable(error))  # the generic builder cannot know who formatted the line
        echo(f"{printable(student.id)}: overgeslagen — {len(student.errors)} fout(en) in het portfolio")


# -- build --------------------------------------------------------------------------------------


def _build_overview(source: BuildInput, site_ids: list[str], stage: Path, work: Path, engine: str, base_config: Path,
                    replacing: frozenset[str] = frozenset()) -> frozenset[str]:
    """The overview is always rebuilt; it lands at the root, beside the student sites.

    Returns the names it put there. `replacing` are the names of an earlier overview of this same
    build, which this one replaces (the shared theme assets stay: the same theme wrote them, and
    the student sites already point at them)."""
    name = "_overzicht-opnieuw" if replacing else "_overzicht"
    project, site = work / name, work / f"{name}-site"
    render = functools.partial(source.render_overview, source.context, site_ids=site_ids)
    spec, _ = _render_and_build(render, project, site, engine, base_config)
    _drop_not_found_page(site)
    write_robots(site, spec.search_engines)
    placed = set()
    for entry in sorted(site.iterdir()):
        target = stage / entry.name
        if entry.name in replacing:
            if entry.name == ASSETS:
                placed.add(entry.name)
                continue
            _remove(target)
        elif target.exists():
            raise BuildError(f"het overzicht en de site van '{entry.name}' dragen dezelfde naam")
        entry.rename(target)
        placed.add(entry.name)
    return frozenset(placed)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _build_students(
    source: BuildInput,
    plan: _Plan,
    stage: Path,
    work: Path,
    jobs: int | None,
    engine: str,
    base_config: Path,
    echo: Callable[[str], Any],
) -> tuple[int, list[str]]:
    """Build the planned students, in processes; returns the bytes that sharing assets saved and
    the students whose build failed (each reported, the others built all the same)."""
    progress = _Progress(len(plan.build) + len(plan.carry), echo)
    for student_id in plan.carry:
        progress.report(student_id, "ongewijzigd")
    cache = DocsCache.of({s.folder for s in source.students}, source.audience)
    task = (engine, base_config, work, stage, cache)
    jobs = max(1, jobs or os.cpu_count() or 1)
    saved = 0
    failed: list[str] = []

    def done(student_id: str, result: tuple[int, float, str | None]) -> None:
        nonlocal saved
        bytes_saved, seconds, failure = result
        if failure is None:
            saved += bytes_saved
            progress.report(student_id, f"gebouwd in {seconds:.1f} s")
        else:
            failed.append(student_id)
            progress.report(student_id, "overgeslagen")
            echo(f"{printable(student_id)}: overgeslagen — {failure}")

    if jobs == 1 or len(plan.build) <= 1:
        _start_worker(source)
        for student_id in plan.build:
            done(student_id, _build_student(student_id, plan.docs[student_id], *task))
        return saved, failed
    with _worker_pool(source, min(jobs, len(plan.build))) as pool:
        futures = {pool.submit(_build_student, student_id, plan.docs[student_id], *task): student_id for student_id in plan.build}
        for future in as_completed(futures):
            done(futures[future], future.result())  # a worker that died ends the build here
    return saved, failed


@contextlib.contextmanager
def _worker_pool(source: BuildInput, workers: int) -> Iterator[ProcessPoolExecutor]:
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(source,))
    try:
        yield pool
    finally:
        # On an error or Ctrl-C: drop what has not started, and wait so no worker
        # still writes into the staging folder when it is removed.
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER: dict[str, BuildInput] = {}


def _start_worker(source: BuildInput) -> None:
    """Runs once per worker process, so the cohort is sent once and not per student."""
    _WORKER["source"] = source


def _build_student(student_id: str, docs_digest: str, engine: str, base_config: Path, work: Path, stage: Path,
                   cache: DocsCache) -> tuple[int, float, str | None]:
    """(bytes saved, seconds, None), or a Dutch reason as the third item when this student's build
    failed: one student's accident (a bug that their text triggers) never stops the others."""
    started = time.monotonic()
    source = _WORKER["source"]
    site = stage / student_id
    render = _cached(cache, student_id, docs_digest, functools.partial(source.render_student, source.context, student_id))
    try:
        _, saved = _render_and_build(render, work / student_id, site, engine, base_config, shared_assets=stage / ASSETS)
        _drop_not_found_page(site)
    except EngineError as error:
        return 0, time.monotonic() - started, _failed(site, f"de site-engine faalde: {error}")
    except Exception as error:  # noqa: BLE001 — anything at all: it is reported, and the others are built
        return 0, time.monotonic() - started, _failed(site, f"interne fout bij het bouwen: {type(error).__name__}: {error}")
    return saved, time.monotonic() - started, None


def build_single_site(source: BuildInput, student_id: str, out: Path, work: Path, engine: str = "mkdocs",
                      base_config: Path = BASE_CONFIG) -> None:
    """One student's site into `out`/<id>, its theme assets shared in `out`/assets, as a full build lays
    them out; no plan, overview, manifest or swap. For `trialoog serve`, which rebuilds one student on
    every save and swaps the folder it serves itself; an EngineError or OSError is the caller's."""
    site = out / student_id
    render = functools.partial(source.render_student, source.context, student_id)
    with _environment(SOURCE_DATE_EPOCH=str(source.source_date_epoch)):
        _render_and_build(render, work / student_id, site, engine, base_config, shared_assets=out / ASSETS)
    _drop_not_found_page(site)


def _cached(cache: DocsCache, student_id: str, digest: str, render: Callable[[Path], SiteSpec]) -> Callable[[Path], SiteSpec]:
    """`render`, or the docs tree the docs cache holds for `digest` (trialoog.site.docs_cache)."""

    def render_or_restore(docs: Path) -> SiteSpec:
        restored = cache.restore(student_id, digest, docs, lambda stored: SiteSpec(**stored))
        if restored is not None:
            return restored
        spec = render(docs)
        cache.store(student_id, digest, docs, spec)
        return spec

    return render_or_restore


def _failed(site: Path, reason: str) -> str:
    """Remove what a failed student build left in the staging folder; the reason, printable."""
    shutil.rmtree(site, ignore_errors=True)
    return printable(reason)


def _drop_not_found_page(site: Path) -> None:
    # The engines write 404.html with absolute URLs (it is served at any missing path), which
    # break under a base path such as a GitHub project page; the host's own 404 page is fine.
    (site / "404.html").unlink(missing_ok=True)


def _render_and_build(render: Callable[[Path], SiteSpec], project: Path, site_dir: Path, engine: str, base_config: Path,
                      shared_assets: Path | None = None) -> tuple[SiteSpec, int]:
    """Render a docs tree into `project`/docs, configure it, and let the engine build and finish it;
    with `shared_assets`, the site links the theme's assets there. Returns the spec and the bytes saved."""
    docs = project / "docs"
    docs.mkdir(parents=True)
    spec = render(docs)
    config_file = project / "mkdocs.yml"
    write_site_config(config_file, spec, base_config)
    finishing = Finishing(spec.slots, spec.search_engines, shared_assets)
    return spec, get_engine(engine).build(config_file, site_dir, finishing, spec.pages)


def write_site_config(config_file: Path, spec: SiteSpec, base_config: Path = BASE_CONFIG) -> None:
    """The generated mkdocs.yml: inherit everything from the base, set only what is this site's."""
    config = {
        "INHERIT": str(base_config.resolve()),
        "site_name": spec.site_name,
        "docs_dir": "docs",
        "site_dir": "site",
        "use_directory_urls": False,
        # A relative custom_dir would resolve against this file, not against the base.
        "theme": {"custom_dir": str(theme_dir(base_config))},
        "nav": spec.nav,
    }
    if spec.site_url:
        config["site_url"] = spec.site_url
    if not spec.search:
        config["plugins"] = []  # replaces the base's list: Material shows a search box only with the plugin
    if spec.extra:
        config["extra"] = spec.extra  # merged into the base's `extra` by INHERIT
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


class _Progress:
    """One line per student: `[ 3/12] amina-el-khatib  gebouwd in 1.4 s`."""

    def __init__(self, total: int, echo: Callable[[str], Any]) -> None:
        self.total, self.done, self.echo = total, 0, echo
        self.width = len(str(total))

    def report(self, student_id: str, status: str) -> None:
        self.done += 1
        self.echo(f"[{self.done:>{self.width}}/{self.total}] {printable(student_id):<28} {status}")


@contextlib.contextmanager
def _environment(**variables: str) -> Iterator[None]:
    """Set environment variables for the build (worker processes inherit them), then restore."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
