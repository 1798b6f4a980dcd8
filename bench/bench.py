"""Benchmark: `trialoog check` against the raw floor, on a synthetic cohort, in one run.

    python bench/bench.py [--students 300] [--entries 120] [--repeat 2] [--keep DIR] [--profile]

The floor is the least any checker must do: find every Markdown file, read it, and parse its front
matter with yaml.CSafeLoader. Each measurement is a function of the cohort folder; MEASUREMENTS
lists them and `main` prints a table of wall times and ratios to the floor. To add one (e.g. the
site build), write `def measure_x(root) -> None` and append a Measurement.

Check is measured twice: with an empty image cache (cold: every image decoded, as on a new machine)
and with the cache an earlier check left (warm: as every later check). Both ratios are printed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "generator"))

import synthetic  # noqa: E402
from trialoog.checks import run_check  # noqa: E402
from trialoog.portfolio.frontmatter import forget_recurring  # noqa: E402
from trialoog.portfolio.cache import CACHE_VARIABLE  # noqa: E402
from trialoog.portfolio.load import load_cohort  # noqa: E402

RATIO_TARGET = 1.3  # issue 15: `trialoog check` stays within 1.3× the raw YAML floor
MEMORY_TARGET_MB = 500


@dataclass(frozen=True)
class Measurement:
    name: str
    run: Callable[[Path], object]
    target: float | None = None  # the highest acceptable ratio to the floor


# ---- measurements ---------------------------------------------------------------------------

def measure_floor(root: Path) -> int:
    """Read every .md file and parse its front matter with yaml.CSafeLoader; nothing else."""
    count = 0
    for directory, _, names in os.walk(root):
        for name in names:
            if name.endswith(".md"):
                with open(os.path.join(directory, name), encoding="utf-8") as handle:
                    text = handle.read()
                end = text.find("\n---", 3)
                yaml.load(text[4:end], Loader=yaml.CSafeLoader)
                count += 1
    return count


def measure_check(root: Path):
    """`trialoog check` in this process: load the cohort and run every check. What the front matter
    reader remembers of earlier runs (recurring lines) is forgotten first, as in a new process."""
    forget_recurring()
    return run_check(load_cohort(root))


# `trialoog check` remembers why an image cannot be published (trialoog.portfolio.images.Verdicts)
# in a cache folder outside the repository. Cold: the first check on a machine, or after Pillow or
# the cleaning code changed (every image decoded). Warm: every later check (only new images decoded).
WARM_CACHE = Path()  # set by `bench` to a temporary folder for the run


def measure_check_cold(root: Path):
    """`trialoog check` with an empty image cache."""
    with tempfile.TemporaryDirectory(prefix="trialoog-bench-cold-") as folder:
        os.environ[CACHE_VARIABLE] = folder
        return measure_check(root)


def measure_check_warm(root: Path):
    """`trialoog check` with the image cache of an earlier check of the same cohort."""
    os.environ[CACHE_VARIABLE] = str(WARM_CACHE)
    return measure_check(root)


MEASUREMENTS: list[Measurement] = [
    Measurement("vloer: lezen + yaml.CSafeLoader", measure_floor),
    Measurement("trialoog check, koude cache (in proces)", measure_check_cold),
    Measurement("trialoog check, warme cache (in proces)", measure_check_warm, RATIO_TARGET),
]


# ---- timing and memory ----------------------------------------------------------------------

def timed(function: Callable[[Path], object], root: Path) -> tuple[float, float]:
    """Wall time and CPU time of this process, in seconds, of one run."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    function(root)
    return time.perf_counter() - wall, time.process_time() - cpu


def cli_peak_memory(root: Path) -> tuple[float, float, int]:
    """Wall time (s), peak RSS (MB) and exit code of `python -m trialoog check` in a subprocess."""
    with tempfile.TemporaryDirectory(prefix="trialoog-bench-cold-") as cache:
        env = {**os.environ, "PYTHONPATH": str(HERE.parent / "generator"), CACHE_VARIABLE: cache}
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "trialoog", "check", str(root), "--format", "json"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, process.returncode


def profile_check(root: Path, lines: int = 30) -> None:
    print("\nProfiel van check met een koude cache:")
    profiler = cProfile.Profile()
    profiler.runcall(measure_check_cold, root)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(lines)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(lines)


# ---- report ---------------------------------------------------------------------------------

def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) if i == 0 else cell.rjust(width) for i, (cell, width) in enumerate(zip(row, widths)))
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def run_measurements(root: Path, repeat: int) -> tuple[list[list[str]], float, bool]:
    """One row per measurement; the first is the floor that the others are divided by.

    The measurements take turns, `repeat` rounds, so that a busy machine slows them alike.
    """
    best = {measurement.name: (float("inf"), float("inf")) for measurement in MEASUREMENTS}
    for _ in range(repeat):
        for measurement in MEASUREMENTS:
            wall, cpu = timed(measurement.run, root)
            best[measurement.name] = (min(wall, best[measurement.name][0]), min(cpu, best[measurement.name][1]))
    floor_wall, floor_cpu = best[MEASUREMENTS[0].name]
    rows = [["meting", "wand (s)", "cpu (s)", "verhouding wand", "verhouding cpu", "doel"]]
    ok = True
    for measurement in MEASUREMENTS:
        wall, cpu = best[measurement.name]
        ratio = wall / floor_wall
        ok = ok and (measurement.target is None or ratio <= measurement.target)
        target = f"≤ {measurement.target}" if measurement.target else ""
        rows.append([measurement.name, f"{wall:.2f}", f"{cpu:.2f}", f"{ratio:.2f}", f"{cpu / floor_cpu:.2f}", target])
    return rows, floor_wall, ok


def describe(root: Path) -> str:
    markdown = others = 0
    for _, _, names in os.walk(root):
        for name in names:
            markdown, others = (markdown + 1, others) if name.endswith(".md") else (markdown, others + 1)
    return f"{markdown} Markdown-bestanden, {others} andere bestanden"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--entries", type=int, default=120)
    parser.add_argument("--repeat", type=int, default=3, help="beste van N beurten (standaard 3)")
    parser.add_argument("--keep", type=Path, help="maak de cohorte hier (of hergebruik ze) in plaats van in een tijdelijke map")
    parser.add_argument("--profile", action="store_true", help="toon ook een cProfile van check")
    args = parser.parse_args(argv)
    if args.keep:
        return bench(args.keep, args)
    with tempfile.TemporaryDirectory(prefix="trialoog-bench-") as folder:
        return bench(Path(folder) / "cohorte", args)


def bench(root: Path, args) -> int:
    global WARM_CACHE
    with tempfile.TemporaryDirectory(prefix="trialoog-bench-warm-") as warm:
        WARM_CACHE = Path(warm)
        return bench_with_cache(root, args)


def bench_with_cache(root: Path, args) -> int:
    start = time.perf_counter()
    if not (root / "portfolio.yml").exists():
        synthetic.generate(root, args.students, args.entries)
    print(f"Synthetische cohorte: {args.students} studenten × {args.entries} items ({describe(root)}), "
          f"aangemaakt in {time.perf_counter() - start:.1f} s")
    print(f"PyYAML met libyaml: {yaml.__with_libyaml__}; Python {sys.version.split()[0]}\n")
    measure_check_warm(root)  # fills the warm cache
    rows, floor, ok = run_measurements(root, args.repeat)
    cli_seconds, peak_mb, code = cli_peak_memory(root)
    rows.append(["trialoog check --format json (CLI, apart proces, koude cache)", f"{cli_seconds:.2f}", "", f"{cli_seconds / floor:.2f}", "", ""])
    print(table(rows))
    print(f"\nHet doel (≤ {RATIO_TARGET}) geldt voor check met een warme cache, zoals elke check na de eerste; met een koude "
          "cache decodeert check elke afbeelding helemaal (AT006), wat de verhouding met de vloer hoger maakt.")
    print(f"\nPiekgeheugen van `trialoog check` (apart proces, ru_maxrss): {peak_mb:.0f} MB (doel < {MEMORY_TARGET_MB} MB); exitcode {code}")
    ok = ok and peak_mb < MEMORY_TARGET_MB
    print("Doelen gehaald." if ok else "Doel niet gehaald (op een drukke machine: kijk ook naar de verhouding in cpu-tijd).")
    if args.profile:
        profile_check(root)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
