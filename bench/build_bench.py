"""Benchmark: `trialoog build` against plain `mkdocs build`, on a synthetic cohort, in one run.

    python bench/build_bench.py [--students 300] [--entries 120] [--jobs N] [--keep DIR] [--no-zensical]

(a) the full build against plain MkDocs on the same students' raw Markdown with a stock Material
    mkdocs.yml, one site per student, with the same number of processes (target ≤ 1.2; Zensical
    reported too); (b) the rebuild after one file of one student changed, against building that
    student alone (target ≤ 1.5); (c) the bytes of the output against its pages plus attachments
    plus one copy of the theme's assets (target ≤ 1.1).

The synthetic cohort is bench/synthetic.py's, without its deliberate mistakes: a student with an
error is skipped, and a benchmark of skipped students measures nothing. Compared measurements take
turns (`--repeat` rounds, best of each), and besides wall time the CPU time of the process and its
workers is reported: on a shared machine the CPU ratio is the one to trust.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "generator"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Every build here is a first build: a repeated round must not take the texts from the docs cache
# (trialoog.site.docs_cache; scale_bench.py measures that case on its own).
os.environ["TRIALOOG_CACHE_DIR"] = ""

import synthetic  # noqa: E402

from trialoog.site.build import build_cohort  # noqa: E402
from trialoog.site.engine import ZensicalEngine  # noqa: E402

TARGETS = {"a": 1.2, "b": 1.5, "c": 1.1}
STOCK_CONFIG = "site_name: {name}\ndocs_dir: docs\ntheme:\n  name: material\n"


def clean_cohort(root: Path, students: int, entries: int) -> None:
    synthetic._mistake = lambda front, body, rng: (front, body)  # see the module docstring
    synthetic.generate(root, students, entries)


@dataclass
class Timing:
    wall: float = float("inf")
    cpu: float = float("inf")

    def add(self, function, *args, **kwargs):
        """Run once; keep the best wall and CPU seconds (this process and its finished workers)."""
        before, start = os.times(), time.perf_counter()
        result = function(*args, **kwargs)
        wall, after = time.perf_counter() - start, os.times()
        self.wall = min(self.wall, wall)
        self.cpu = min(self.cpu, sum(after[i] - before[i] for i in range(4)))
        return result

    def ratio(self, other: "Timing") -> tuple[float, float]:
        return self.wall / other.wall, self.cpu / other.cpu

    def __str__(self) -> str:
        return f"{self.wall:.1f} s ({self.cpu:.1f} s cpu)"


def fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    return path


def quiet(_line: str) -> None:
    pass


# -- (a) plain MkDocs on the raw Markdown --------------------------------------------------------


def plain_build(student: Path, work: Path, engine: str) -> None:
    """One student's folder as it is, as docs_dir of a stock Material mkdocs.yml. MkDocs reads
    it in place; Zensical only reads a docs_dir inside its project folder, so it gets a copy."""
    project = work / student.name
    project.mkdir(parents=True)
    config = project / "mkdocs.yml"
    if engine == "mkdocs":
        config.write_text(STOCK_CONFIG.replace("docs_dir: docs", f"docs_dir: {student}").format(name=student.name), encoding="utf-8")
        mkdocs_build(config, work / "site" / student.name)
    else:
        shutil.copytree(student, project / "docs")
        config.write_text(STOCK_CONFIG.format(name=student.name), encoding="utf-8")
        ZensicalEngine().build(config, work / "site" / student.name)
    shutil.rmtree(project)


def mkdocs_build(config_file: Path, site_dir: Path) -> None:
    """MkDocs as its own CLI runs it, without what trialoog.site.engine adds (compiled templates kept)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def plain_cohort(root: Path, work: Path, jobs: int, engine: str) -> None:
    students = sorted(path for path in root.iterdir() if path.is_dir())
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(plain_build, student, work, engine) for student in students]:
            future.result()


# -- (c) bytes -----------------------------------------------------------------------------------


def size_of(paths) -> int:
    return sum(path.stat().st_size for path in paths if path.is_file())


def output_bytes(out: Path) -> dict[str, int]:
    files = [path for path in out.rglob("*") if path.is_file()]
    assets = [path for path in files if path.relative_to(out).parts[0] == "assets"]
    pages = [path for path in files if path.suffix == ".html"]
    known = set(assets) | set(pages)
    derived = {".json", ".xml", ".gz"}  # search indexes, sitemaps, the build manifest
    attachments = [path for path in files if path not in known and path.suffix not in derived and not path.name.startswith(".")]
    return {"total": size_of(files), "pages": size_of(pages), "attachments": size_of(attachments), "assets": size_of(assets)}


# -- report --------------------------------------------------------------------------------------


def verdict(ratios: tuple[float, float], key: str) -> str:
    wall, cpu = ratios
    met = "gehaald" if cpu <= TARGETS[key] else "NIET gehaald"
    return f"{wall:.2f} wandklok, {cpu:.2f} cpu (doel ≤ {TARGETS[key]}: {met})"


def bench(root: Path, work: Path, args) -> int:
    if not (root / "portfolio.yml").exists():
        start = time.perf_counter()
        clean_cohort(root, args.students, args.entries)
        print(f"Synthetische cohorte: {args.students} studenten × {args.entries} items, aangemaakt in {time.perf_counter() - start:.1f} s")
    jobs = args.jobs or os.cpu_count() or 1
    print(f"Processen: {jobs}; beste van {args.repeat} beurten\n")
    ok = True

    plain, full, summary = Timing(), Timing(), None
    for _ in range(args.repeat):
        plain.add(plain_cohort, root, fresh(work / "plain"), jobs, "mkdocs")
        summary = full.add(build_cohort, root, fresh(work / "site"), jobs=jobs, echo=quiet)
    print(f"(a) plain mkdocs build per student: {plain}; trialoog build: {full} "
          f"({len(summary.built)} gebouwd, {len(summary.skipped)} overgeslagen)")
    print(f"    verhouding MkDocs: {verdict(full.ratio(plain), 'a')}")
    ok &= full.ratio(plain)[1] <= TARGETS["a"]
    if not args.no_zensical and ZensicalEngine.command() is not None:
        zensical_plain, zensical = Timing(), Timing()
        for _ in range(args.repeat):
            zensical_plain.add(plain_cohort, root, fresh(work / "plain-zensical"), jobs, "zensical")
            zensical.add(build_cohort, root, fresh(work / "site-zensical"), jobs=jobs, engine="zensical", echo=quiet)
        against_mkdocs, against_own = zensical.ratio(plain), zensical.ratio(zensical_plain)
        print(f"    Zensical: plain {zensical_plain}, trialoog build --engine zensical {zensical}; "
              f"tegen plain mkdocs {against_mkdocs[0]:.2f} wandklok / {against_mkdocs[1]:.2f} cpu, "
              f"tegen plain zensical {against_own[0]:.2f} / {against_own[1]:.2f}")

    student = sorted(path.name for path in root.iterdir() if path.is_dir())[0]
    changed = sorted((root / student / "reflecties").glob("*.md"))[0]
    rebuild, alone, again = Timing(), Timing(), None
    for turn in range(args.repeat):
        changed.write_text(changed.read_text(encoding="utf-8") + f"\nEen nieuwe zin ({turn}).\n", encoding="utf-8")
        again = rebuild.add(build_cohort, root, work / "site", jobs=jobs, echo=quiet)
        alone.add(build_cohort, root, fresh(work / "alone"), student=student, jobs=jobs, echo=quiet)
    print(f"(b) herbouw na één gewijzigd bestand: {rebuild} ({len(again.built)} gebouwd, {len(again.unchanged)} ongewijzigd); "
          f"alleen die student (--student, lege uitvoer): {alone}")
    print(f"    verhouding: {verdict(rebuild.ratio(alone), 'b')}")
    ok &= rebuild.ratio(alone)[1] <= TARGETS["b"]

    sizes = output_bytes(work / "site")
    floor = sizes["pages"] + sizes["attachments"] + sizes["assets"]
    ratio = sizes["total"] / floor
    print(f"(c) uitvoer {sizes['total'] / 1e6:.1f} MB; pagina's {sizes['pages'] / 1e6:.1f} MB + bijlagen "
          f"{sizes['attachments'] / 1e6:.1f} MB + één keer thema-assets {sizes['assets'] / 1e6:.1f} MB = {floor / 1e6:.1f} MB")
    print(f"    verhouding: {ratio:.2f} (doel ≤ {TARGETS['c']}: {'gehaald' if ratio <= TARGETS['c'] else 'NIET gehaald'}); "
          f"plain mkdocs zonder delen: {size_of(p for p in (work / 'plain').rglob('*')) / 1e6:.1f} MB")
    ok &= ratio <= TARGETS["c"]
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--entries", type=int, default=120)
    parser.add_argument("--jobs", type=int, help="processen (standaard: aantal cpu's)")
    parser.add_argument("--keep", type=Path, help="maak de cohorte hier (of hergebruik ze)")
    parser.add_argument("--repeat", type=int, default=2, help="beurten per meting (standaard 2)")
    parser.add_argument("--no-zensical", action="store_true", help="sla de Zensical-meting over")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trialoog-buildbench-") as folder:
        root = args.keep or Path(folder) / "cohorte"
        return bench(root, Path(folder), args)


if __name__ == "__main__":
    sys.exit(main())
