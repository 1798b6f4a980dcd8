"""Benchmark: `trialoog build` against plain `mkdocs build`, on a synthetic cohort, in one run.

    python bench/build_bench.py [--students 300] [--entries 120] [--jobs N] [--keep DIR] [--no-zensical]

(a) the full build against plain MkDocs on the same students' raw Markdown with a stock Material
    mkdocs.yml, one site per student, with the same number of processes (target ≤ 1.2; Zensical
    reported too); (b) the rebuild after one file of one student changed, against building that
    student alone (target ≤ 1.5); (c) the bytes of the output against its pages plus attachments
    plus one copy of the theme's assets (target ≤ 1.1).

The synthetic cohort is bench/synthetic.py's, without its deliberate mistakes: a student with an
error is skipped, and a benchmark of skipped students measures nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "generator"))
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

import synthetic  # noqa: E402

from trialoog.build import build_cohort  # noqa: E402
from trialoog.engine import MkDocsEngine, ZensicalEngine  # noqa: E402

TARGETS = {"a": 1.2, "b": 1.5, "c": 1.1}
STOCK_CONFIG = "site_name: {name}\ndocs_dir: docs\ntheme:\n  name: material\n"


def clean_cohort(root: Path, students: int, entries: int) -> None:
    synthetic._mistake = lambda front, body, rng: (front, body)  # see the module docstring
    synthetic.generate(root, students, entries)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def quiet(_line: str) -> None:
    pass


# -- (a) plain MkDocs on the raw Markdown --------------------------------------------------------


def plain_build(student: Path, work: Path, engine: str) -> None:
    """One student's folder as it is, as docs_dir of a stock Material mkdocs.yml."""
    project = work / student.name
    shutil.copytree(student, project / "docs")
    config = project / "mkdocs.yml"
    config.write_text(STOCK_CONFIG.format(name=student.name), encoding="utf-8")
    builder = MkDocsEngine() if engine == "mkdocs" else ZensicalEngine()
    builder.build(config, work / "site" / student.name)
    shutil.rmtree(project)


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


def verdict(ratio: float, key: str) -> str:
    return f"{ratio:.2f} (doel ≤ {TARGETS[key]}: {'gehaald' if ratio <= TARGETS[key] else 'NIET gehaald'})"


def bench(root: Path, work: Path, args) -> int:
    if not (root / "portfolio.yml").exists():
        seconds, _ = timed(clean_cohort, root, args.students, args.entries)
        print(f"Synthetische cohorte: {args.students} studenten × {args.entries} items, aangemaakt in {seconds:.1f} s")
    jobs = args.jobs or os.cpu_count() or 1
    print(f"Processen: {jobs}\n")
    ok = True

    plain, _ = timed(plain_cohort, root, work / "plain", jobs, "mkdocs")
    full, summary = timed(build_cohort, root, work / "site", jobs=jobs, echo=quiet)
    print(f"(a) plain mkdocs build per student: {plain:.1f} s; trialoog build: {full:.1f} s "
          f"({len(summary.built)} gebouwd, {len(summary.skipped)} overgeslagen)")
    print(f"    verhouding MkDocs: {verdict(full / plain, 'a')}")
    ok &= full / plain <= TARGETS["a"]
    if not args.no_zensical and ZensicalEngine.command() is not None:
        zensical_plain, _ = timed(plain_cohort, root, work / "plain-zensical", jobs, "zensical")
        zensical, _ = timed(build_cohort, root, work / "site-zensical", jobs=jobs, engine="zensical", echo=quiet)
        print(f"    Zensical: plain {zensical_plain:.1f} s, trialoog build --engine zensical {zensical:.1f} s; "
              f"tegen plain mkdocs {zensical / plain:.2f}, tegen plain zensical {zensical / zensical_plain:.2f}")

    student = sorted(path.name for path in root.iterdir() if path.is_dir())[0]
    changed = sorted((root / student / "reflecties").glob("*.md"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nEen nieuwe zin.\n", encoding="utf-8")
    rebuild, again = timed(build_cohort, root, work / "site", jobs=jobs, echo=quiet)
    alone, _ = timed(build_cohort, root, work / "alone", student=student, jobs=jobs, echo=quiet)
    print(f"(b) herbouw na één gewijzigd bestand: {rebuild:.1f} s ({len(again.built)} gebouwd, {len(again.unchanged)} ongewijzigd); "
          f"alleen die student (--student, lege uitvoer): {alone:.1f} s")
    print(f"    verhouding: {verdict(rebuild / alone, 'b')}")
    ok &= rebuild / alone <= TARGETS["b"]

    sizes = output_bytes(work / "site")
    floor = sizes["pages"] + sizes["attachments"] + sizes["assets"]
    print(f"(c) uitvoer {sizes['total'] / 1e6:.1f} MB; pagina's {sizes['pages'] / 1e6:.1f} MB + bijlagen "
          f"{sizes['attachments'] / 1e6:.1f} MB + één keer thema-assets {sizes['assets'] / 1e6:.1f} MB = {floor / 1e6:.1f} MB")
    print(f"    verhouding: {verdict(sizes['total'] / floor, 'c')}; plain mkdocs zonder delen: "
          f"{size_of(p for p in (work / 'plain').rglob('*')) / 1e6:.1f} MB")
    ok &= sizes["total"] / floor <= TARGETS["c"]
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--entries", type=int, default=120)
    parser.add_argument("--jobs", type=int, help="processen (standaard: aantal cpu's)")
    parser.add_argument("--keep", type=Path, help="maak de cohorte hier (of hergebruik ze)")
    parser.add_argument("--no-zensical", action="store_true", help="sla de Zensical-meting over")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trialoog-buildbench-") as folder:
        root = args.keep or Path(folder) / "cohorte"
        return bench(root, Path(folder), args)


if __name__ == "__main__":
    sys.exit(main())
