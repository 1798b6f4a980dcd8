"""Benchmark: how a build grows and scales out (issue 15), in one run on synthetic cohorts.

    python bench/scale_bench.py [--sizes 30,100,300] [--entries 120] [--shards 4] [--jobs N] [--no-zensical]

Prints, in this order:
1. Trialoog's own share of a build: everything except the engine (load, check, views, pages,
   Markdown of excerpts and slots, copying, the pass over the HTML after the engine), measured in
   one process (--jobs 1) on a few students by timing each call into the engine; target ≤ 15 %.
   Three builds: a first one (empty caches), one after a theme change (the docs cache), and one on
   the next day (every page again, the cleaned texts from the cache). Python-Markdown is also
   counted apart, split by who calls it. With --profile, cProfile's list of Trialoog's own
   functions follows.
2. Build time against cohort size (--sizes), all processes (--jobs), wall and CPU seconds, and
   the seconds per student, to show how the cost grows.
3. Peak memory: the largest resident set of any worker and of the main process, for the
   largest cohort, one of whose students holds a 24-megapixel photo (bounded: not gigabytes).
4. The Zensical ratio: the largest cohort built with --engine zensical against MkDocs.
5. The shard speed-up simulated here: the largest cohort as --shards builds one after another,
   with the wall time of N runners taken as the longest shard plus the merge.
On a shared machine wall times are noisy; compare ratios within one run, and CPU seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "generator"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import synthetic  # noqa: E402
from build_bench import Timing, quiet  # noqa: E402

from trialoog.site import engine as engines  # noqa: E402
from trialoog.site.build import build_cohort, merge_cohort  # noqa: E402
from trialoog.portfolio.cache import CACHE_VARIABLE  # noqa: E402
from trialoog.site.shards import Shard  # noqa: E402

OWN_SHARE_TARGET = 0.15
ZENSICAL_TARGET = 0.5
PHOTO_PIXELS = (6000, 4000)  # a phone's photo: 24 megapixels, about 70 MB once decoded
SHARE_STUDENTS = 4


def cohort(root: Path, students: int, entries: int) -> Path:
    """The synthetic cohort without its deliberate mistakes (bench/build_bench.py), made once."""
    if not (root / "portfolio.yml").exists():
        synthetic._mistake = lambda front, body, rng: (front, body)
        synthetic.generate(root, students, entries)
    return root


def large_photo(root: Path) -> Path:
    """Replace the first student's first photo by a 24-megapixel JPEG (under the 10 MB limit)."""
    from PIL import Image

    photo = sorted(next(path for path in sorted(root.iterdir()) if path.is_dir()).rglob("*.jpg"))[0]
    width, height = PHOTO_PIXELS
    light = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((width, height), 24)
    Image.merge("RGB", (light, noise, Image.linear_gradient("L").resize((width, height)))).save(photo, "JPEG", quality=80)
    return photo


# -- 1. Trialoog's own share ------------------------------------------------------------------


class Phases:
    """CPU seconds per part of a build, each part without the parts it calls (exclusive), by
    wrapping functions: a wrapped call pauses the clock of the call it runs in."""

    ENGINE = "engine"
    MARKDOWN = "Python-Markdown"  # split by who called it: the engine, or Trialoog (the students' texts)
    MARKDOWN_IN_ENGINE = "Python-Markdown in de engine"
    MARKDOWN_OWN = "Python-Markdown voor Trialoog"

    def __init__(self, parts: list[tuple[object, str, str]]) -> None:
        self.parts = parts  # (module or class, function name, what it is)
        self.spent: dict[str, float] = {}
        self._stack: list[list] = []
        self._originals = [(owner, name, getattr(owner, name)) for owner, name, _ in parts]

    def __enter__(self) -> "Phases":
        for (owner, name, original), (_, _, label) in zip(self._originals, self.parts):
            setattr(owner, name, self._timed(original, label))
        return self

    def __exit__(self, *exc) -> None:
        for owner, name, original in self._originals:
            setattr(owner, name, original)

    def _timed(self, original, label: str):
        def run(*args, **kwargs):
            now = time.process_time()
            if self._stack:
                self._add(self._stack[-1][0], now - self._stack[-1][1])
            self._stack.append([self._who(label), now])
            try:
                return original(*args, **kwargs)
            finally:
                now = time.process_time()
                part, since = self._stack.pop()
                self._add(part, now - since)
                if self._stack:
                    self._stack[-1][1] = now
        return run

    def _who(self, label: str) -> str:
        if label != self.MARKDOWN:
            return label
        return self.MARKDOWN_IN_ENGINE if self._stack and self._stack[-1][0] == self.ENGINE else self.MARKDOWN_OWN

    def _add(self, label: str, seconds: float) -> None:
        self.spent[label] = self.spent.get(label, 0.0) + seconds


def build_parts() -> list[tuple[object, str, str]]:
    """The parts of a build that `own_share` names; the engine's build, with Trialoog's last touch
    on each page inside it (trialoog.site.engine) counted as Trialoog's."""
    import markdown

    from trialoog.site import body, build, pages

    return [
        (markdown.Markdown, "convert", Phases.MARKDOWN),
        (engines.MkDocsEngine, "build", Phases.ENGINE),
        (engines.ZensicalEngine, "build", Phases.ENGINE),
        (engines, "finish_page", "pagina's afwerken (slots, noindex, inspringing)"),
        (engines, "finish_site", "pagina's afwerken (slots, noindex, inspringing)"),
        (build, "load_cohort", "laden en controleren"),
        (build, "run_check", "laden en controleren"),
        (body.BodyRenderer, "render", "teksten van studenten (Markdown, opschonen)"),
        (pages, "copy_attachments", "afbeeldingen opschonen, bijlagen kopiëren"),
        (pages, "_write_student_pages", "paginasjablonen van de studenten"),
        (build, "render_overview", "het overzicht"),
    ]


def own_share(root: Path, work: Path, profile: bool) -> float:
    """(total − time inside the engine) / total, of a one-process build, in CPU seconds of this
    process (the build runs in it, --jobs 1; other processes on the machine do not count), with
    the parts of Trialoog's own time.

    Twice: a first build (an empty docs cache: everything rendered), and a full rebuild of the
    same texts into a new output, as after a change to the stylesheet or main.html (every site is
    built by the engine again, from the docs trees the docs cache kept: trialoog.site.docs_cache)."""

    from trialoog.portfolio.frontmatter import forget_recurring
    from trialoog.site import body

    today = dt.date.today()

    def measured(out: str, cache: str, empty: bool = True, as_of: dt.date = today) -> tuple[float, dict[str, float]]:
        os.environ[CACHE_VARIABLE] = str(fresh(work / cache) if empty else work / cache)
        body.forget_cleaned_texts()  # what a new build process knows: nothing (serve keeps them)
        forget_recurring()
        with Phases(build_parts()) as phases:
            started = time.process_time()
            build_cohort(root, fresh(work / out), jobs=1, echo=quiet, as_of=as_of)
            return time.process_time() - started, phases.spent

    saved_cache = os.environ.get(CACHE_VARIABLE)
    try:
        measured("uit-opwarmen", "cache-opwarmen")  # compiled templates, imports
        cold = measured("uit-eerste", "cache")
        rebuilt = measured("uit-opnieuw", "cache", empty=False)  # with the docs trees the first build kept
        next_day = measured("uit-morgen", "cache", empty=False, as_of=today + dt.timedelta(days=1))
    finally:
        os.environ.pop(CACHE_VARIABLE, None) if saved_cache is None else os.environ.__setitem__(CACHE_VARIABLE, saved_cache)
    share = _print_share("eerste bouw (lege cache)", *cold)
    _print_share("opnieuw na een themawijziging (teksten uit de cache)", *rebuilt)
    _print_share("de volgende dag (een andere datum: alle pagina's opnieuw, de opgeschoonde teksten uit de cache)", *next_day)
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(build_cohort, root, fresh(work / "profile"), jobs=1, echo=quiet)
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(r"generator/trialoog", 25)
        print(text.getvalue())
    return share


def _print_share(what: str, total: float, spent: dict[str, float]) -> float:
    """The share as the issue defines it (everything but the engine, so the Python-Markdown that
    Trialoog runs on the students' texts counts as Trialoog's), its parts, and, for comparison with
    the issue's own profile, which put Python-Markdown apart, the share without Python-Markdown."""
    spent = dict(spent)
    in_engine = spent.pop(Phases.MARKDOWN_IN_ENGINE, 0.0)
    engine = spent.pop(Phases.ENGINE, 0.0) + in_engine
    own = total - engine
    share = own / total
    print(f"1. Eigen aandeel van Trialoog, {what} ({SHARE_STUDENTS} studenten, één proces, cpu): {total:.1f} s, waarvan "
          f"engine {engine:.1f} s en Trialoog {own:.1f} s = {share:.0%} "
          f"(doel ≤ {OWN_SHARE_TARGET:.0%}: {'gehaald' if share <= OWN_SHARE_TARGET else 'NIET gehaald'})")
    parts = dict(spent)
    parts["de rest (plannen, hashes, mappen, de build zelf)"] = own - sum(parts.values())
    print("   " + "; ".join(f"{label} {seconds / total:.0%}" for label, seconds in sorted(parts.items(), key=lambda item: -item[1])))
    for_trialoog = spent.get(Phases.MARKDOWN_OWN, 0.0)
    print(f"   Python-Markdown in totaal {(in_engine + for_trialoog) / total:.0%} (in de engine {in_engine / total:.0%}, "
          f"voor de teksten van studenten {for_trialoog / total:.0%}); Trialoog zonder Python-Markdown: {(own - for_trialoog) / total:.0%}")
    return share


# -- 4. where Zensical's time per site goes -----------------------------------------------------


def zensical_fixed_cost(work: Path, root: Path) -> str:
    """Where a Zensical site's CPU goes in a running worker (the engine calls Zensical in-process):
    a one-page site is the fixed cost of every site (config, theme files, search index, Zensical's
    cache); one student of `root` splits into the config, Python-Markdown (which Zensical calls
    for every page) and Zensical's own core (templates, search index, writing the files), beside
    what MkDocs' engine takes for the same student. Each is measured after a build that warms."""
    import zensical.config
    import zensical.markdown.render

    spent = {"config": 0.0, "markdown": 0.0, "pages": 0}
    originals = {(zensical.config, "parse_config"): "config", (zensical.markdown.render, "render"): "markdown"}

    def timed(original, part):
        def call(*args, **kwargs):
            started = time.thread_time()  # Zensical calls Markdown on its own thread
            try:
                return original(*args, **kwargs)
            finally:
                spent[part] += time.thread_time() - started
                spent["pages"] += int(part == "markdown")
        return call

    def cpu(function, *args) -> tuple[float, float]:
        before, started = os.times(), time.perf_counter()
        function(*args)
        after = os.times()
        kernel[0] = after[1] - before[1]
        return after[0] + after[1] - before[0] - before[1], time.perf_counter() - started

    kernel = [0.0]  # the system's share of the last cpu(): mostly making files

    project = fresh(work / "zensical-een-pagina")
    (project / "docs").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Een pagina\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: een\ndocs_dir: docs\nsite_dir: site\ntheme:\n  name: material\n", encoding="utf-8")
    one_page = [cpu(engines.ZensicalEngine().build, project / "mkdocs.yml", fresh(work / "een-pagina-site")) for _ in range(4)][1:]
    copied = [path for path in (work / "een-pagina-site").rglob("*") if path.is_file()]

    student = sorted(path.name for path in root.iterdir() if path.is_dir() and not path.name.startswith("."))[0]
    engine_cpu: dict[str, float] = {}
    builds = {kind: kind.build for kind in (engines.MkDocsEngine, engines.ZensicalEngine)}

    def measured(original_build):
        def build(self, config_file, site_dir, *rest, **options):
            if config_file.parent.name != student:  # the overview
                return original_build(self, config_file, site_dir, *rest, **options)
            for (module, name), part in originals.items():
                setattr(module, name, timed(getattr(module, name), part))
            result = []
            try:
                engine_cpu[self.name], _ = cpu(lambda: result.append(original_build(self, config_file, site_dir, *rest, **options)))
                engine_cpu[f"{self.name} system"] = kernel[0]
                return result[0]  # the bytes saved, for the builder
            finally:
                for (module, name), part in originals.items():
                    setattr(module, name, saved[(module, name)])
        return build

    saved = {key: getattr(*key) for key in originals}
    for kind, original_build in builds.items():
        kind.build = measured(original_build)  # type: ignore[method-assign]
    try:
        for name in ("mkdocs", "zensical"):
            for _attempt in ("warm", "measured"):
                spent.update(config=0.0, markdown=0.0, pages=0)
                build_cohort(root, fresh(work / f"een-student-{name}"), student=student, jobs=1, engine=name, echo=quiet)
    finally:
        for kind, original_build in builds.items():
            kind.build = original_build  # type: ignore[method-assign]
    core = engine_cpu["zensical"] - spent["config"] - spent["markdown"]
    return (f"   kosten per Zensical-site in een draaiend proces (cpu): een site van één pagina {min(c for c, _ in one_page):.2f} s "
            f"({min(w for _, w in one_page):.2f} s wandklok; {len(copied)} bestanden, {sum(p.stat().st_size for p in copied) / 1e6:.1f} MB "
            f"thema en zoekindex); één student ({spent['pages']} pagina's) {engine_cpu['zensical']:.2f} s: configuratie {spent['config']:.2f} s, "
            f"Python-Markdown {spent['markdown']:.2f} s, Zensicals kern (sjablonen, zoekindex, bestanden) {core:.2f} s, "
            f"waarvan {engine_cpu['zensical system']:.2f} s in het systeem (bestanden maken); "
            f"MkDocs voor dezelfde student {engine_cpu['mkdocs']:.2f} s")


# -- 2 and 3. size and memory -------------------------------------------------------------------


MEMORY_SCRIPT = """
import json, resource, sys
from trialoog.site.build import build_cohort
build_cohort(sys.argv[1], sys.argv[2], jobs=int(sys.argv[3]), engine=sys.argv[4], echo=lambda line: None)
print(json.dumps({"main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def peak_memory(root: Path, out: Path, jobs: int, engine: str = "mkdocs") -> dict[str, float]:
    """MB of the largest resident set: the main process, and the largest of its workers. A build
    in a process of its own (so its time is measured too, with Timing: os.times counts children)."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "generator")}
    done = subprocess.run([sys.executable, "-c", MEMORY_SCRIPT, str(root), str(out), str(jobs), engine],
                          capture_output=True, text=True, env=env, check=True)
    return {name: kilobytes / 1024 for name, kilobytes in json.loads(done.stdout.strip().splitlines()[-1]).items()}


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="30,100,300", help="cohortegroottes, komma's ertussen")
    parser.add_argument("--entries", type=int, default=120)
    parser.add_argument("--shards", type=int, default=4)
    parser.add_argument("--jobs", type=int, help="processen (standaard: aantal cpu's)")
    parser.add_argument("--no-zensical", action="store_true")
    parser.add_argument("--profile", action="store_true", help="toon ook het profiel van Trialoogs eigen functies")
    args = parser.parse_args(argv)
    sizes = sorted(int(size) for size in args.sizes.split(","))
    jobs = args.jobs or os.cpu_count() or 1
    os.environ[CACHE_VARIABLE] = ""  # first builds everywhere; own_share measures the docs cache on its own
    with tempfile.TemporaryDirectory(prefix="trialoog-scalebench-") as folder:
        work = Path(folder)
        print(f"Synthetische cohortes van {', '.join(map(str, sizes))} studenten × {args.entries} items; {jobs} processen\n")
        own_share(cohort(work / "aandeel", SHARE_STUDENTS, args.entries), work, args.profile)

        print("\n2. Bouwtijd tegen cohortegrootte (MkDocs):")
        full: dict[int, Timing] = {}
        for size in sizes:
            root = cohort(work / f"cohorte-{size}", size, args.entries)
            full[size] = Timing()
            full[size].add(build_cohort, root, fresh(work / "site"), jobs=jobs, echo=quiet)
            print(f"   {size:>4} studenten: {full[size]}; {full[size].wall / size:.2f} s per student "
                  f"({full[size].cpu / size:.2f} s cpu)")
        largest = sizes[-1]
        root = work / f"cohorte-{largest}"

        photo = large_photo(root)
        mkdocs = Timing()  # this build, in a process of its own, is also MkDocs' time for 4. and 5.
        memory = mkdocs.add(peak_memory, root, fresh(work / "memory"), jobs)
        print(f"\n3. Piekgeheugen bij {largest} studenten (één foto van {PHOTO_PIXELS[0]}×{PHOTO_PIXELS[1]} pixels, "
              f"{photo.stat().st_size / 1e6:.1f} MB): grootste worker {memory['worker']:.0f} MB, hoofdproces {memory['main']:.0f} MB")

        if not args.no_zensical and engines.ZensicalEngine.command() is not None:
            zensical = Timing()  # the same cohort (with the photo), the same way
            zensical_memory = zensical.add(peak_memory, root, fresh(work / "site-zensical"), jobs, "zensical")
            wall, cpu = zensical.ratio(mkdocs)
            print(f"\n4. Zensical bij {largest} studenten: {zensical} tegen MkDocs {mkdocs}: {wall:.2f} wandklok, {cpu:.2f} cpu "
                  f"(doel ≤ {ZENSICAL_TARGET}: {'gehaald' if wall <= ZENSICAL_TARGET else 'NIET gehaald'}); "
                  f"piekgeheugen grootste worker {zensical_memory['worker']:.0f} MB")
            print(zensical_fixed_cost(work, root))

        shards = [Timing() for _ in range(args.shards)]
        for number, timing in enumerate(shards, 1):
            timing.add(build_cohort, root, fresh(work / f"shard-{number}"), jobs=jobs, echo=quiet, shard=Shard(number, args.shards))
        merge = Timing()
        merged = merge.add(merge_cohort, root, [work / f"shard-{n}" for n in range(1, args.shards + 1)], fresh(work / "merged"), echo=quiet)
        wall = max(timing.wall for timing in shards) + merge.wall
        cpu = max(timing.cpu for timing in shards) + merge.cpu
        sizes_of = [sum(1 for path in root.iterdir() if path.is_dir() and Shard(n, args.shards).holds(path.name))
                    for n in range(1, args.shards + 1)]
        print(f"\n5. {args.shards} shards na elkaar ({'/'.join(map(str, sizes_of))} studenten): {', '.join(str(t) for t in shards)}; "
              f"samenvoegen {merge} ({len(merged.built)} studenten)")
        print(f"   gesimuleerd met {args.shards} runners (langste shard + samenvoegen): {wall:.1f} s wandklok, {cpu:.1f} s cpu, "
              f"tegen één build {mkdocs}: {mkdocs.wall / wall:.1f}× sneller (wandklok), {mkdocs.cpu / cpu:.1f}× (cpu)")
        print("\nGedeelde machine: de wandklok schommelt; vergelijk verhoudingen binnen deze run en de cpu-tijden.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
