"""Benchmark: `trialoog serve`, from saving one entry of a 120-entry student to the reloaded page.

    python bench/serve_bench.py [--entries 120] [--rounds 5]

A real serve process on a synthetic student (bench/synthetic.py, without its deliberate mistakes).
Each round appends a sentence to one reflection, then does what the page's script does: a long
poll on /.trialoog-serve/versie until the rebuild is done, then it fetches the page again and looks
for the sentence. The time from the write to the fetched page is the save-to-reload time; serve's
own line ("Opnieuw gebouwd in X s") gives the rebuild's share, the rest is the wait for the burst
of saves to end (QUIET_SECONDS), the file watcher and the request. Target ≤ 1 s (issue 13); the
machine is shared, so the numbers are noisy: the best and the median are printed.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

TARGET_SECONDS = 1.0
URL = re.compile(r"http://127\.0\.0\.1:\d+/[\w-]+/")
REBUILT = re.compile(r"gebouwd in ([\d.]+) s")


def _get(url: str, timeout: float = 60) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return answer.read().decode("utf-8")


class Serve:
    """A `trialoog serve` process and the lines it prints (read in a thread)."""

    def __init__(self, cohort: Path, student: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(HERE.parent / "generator"), "NO_MKDOCS_2_WARNING": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "trialoog", "serve", str(cohort), "--student", student, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )
        self.lines: list[str] = []
        self.url: str | None = None
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip())
            found = URL.search(line)
            if found:
                self.url = found.group(0)
                self.ready.set()

    def version(self, seen: str = "-") -> str:
        assert self.url is not None
        root = self.url.split("/", 3)
        return _get(f"{root[0]}//{root[2]}/.trialoog-serve/versie?na={seen}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(cohort: Path, student: str, rounds: int) -> tuple[list[float], list[float], float]:
    """(save-to-page seconds per round, rebuild seconds per round, seconds of the first build)."""
    entry = sorted((cohort / student / "reflecties").glob("*.md"))[0]
    serve = Serve(cohort, student)
    started = time.perf_counter()
    try:
        if not serve.ready.wait(timeout=300):
            raise SystemExit("serve gaf geen adres:\n" + "\n".join(serve.lines))
        first = time.perf_counter() - started
        assert serve.url is not None
        seen = serve.version()
        totals, rebuilds = [], []
        for turn in range(rounds):
            time.sleep(0.5)  # the page's long poll is waiting, as in a browser
            marker = f"BENCHZIN{turn}"
            saved = time.perf_counter()
            with entry.open("a", encoding="utf-8") as handle:
                handle.write(f"\n{marker}\n")
            while True:
                seen = serve.version(seen)
                if marker in _get(serve.url + entry.relative_to(cohort / student).with_suffix(".html").as_posix()):
                    break
            totals.append(time.perf_counter() - saved)
            time.sleep(0.2)
            found = [float(m.group(1)) for line in serve.lines if (m := REBUILT.search(line))]
            rebuilds.append(found[-1] if found else float("nan"))
        return totals, rebuilds, first
    finally:
        serve.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trialoog-servebench-") as folder:
        cohort = Path(folder) / "cohorte"
        synthetic._mistake = lambda front, body, rng: (front, body)  # a clean student: the site is built
        synthetic.generate(cohort, 3, args.entries)
        student = sorted(path.name for path in cohort.iterdir() if path.is_dir())[0]
        totals, rebuilds, first = measure(cohort, student, args.rounds)
    best, median = min(totals), statistics.median(totals)
    print(f"trialoog serve, één student met {args.entries} items (cohorte van 3): eerste bouw {first:.1f} s")
    print(f"  bewaren → herladen pagina: beste {best:.2f} s, mediaan {median:.2f} s over {len(totals)} beurten "
          f"(waarvan herbouw: mediaan {statistics.median(rebuilds):.2f} s)")
    met = "gehaald" if median <= TARGET_SECONDS else "NIET gehaald"
    print(f"  doel ≤ {TARGET_SECONDS:.0f} s: {met} (gedeelde machine: de cijfers schommelen)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
