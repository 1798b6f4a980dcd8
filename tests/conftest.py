"""Shared fixtures: a minimal valid cohort in tmp_path that a test extends file by file."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from trialoog.checks import run_check
from trialoog.portfolio.load import load_cohort

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "portfolios"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
STUDENT = "jan-peeters"

PORTFOLIO_YML = """\
title: "Testcohorte"
institution: "Hogeschool Test"
framework: basiscompetenties
academic_year:
  start: 2017-08-28
  end: 2018-06-30
as_of: 2018-03-15
people:
  mentor-an:
    name: "An Peeters"
    role: mentor
  coach-koen:
    name: "Koen Smets"
    role: coach
milestones:
  - id: start
    title: "Goed gestart"
    due: 2017-10-15
    require:
      reflections: 1
"""

PROFILE = """\
---
type: profile
title: "Portfolio van Jan Peeters"
name: "Jan Peeters"
program: lager
mentors: [mentor-an]
coach: coach-koen
---

# Over mij
"""

REFLECTION = """\
---
type: reflection
title: "Eerste week"
date: 2017-09-08
competences: [FG1]
---

Tekst.
"""


class Cohort:
    """A cohort folder on disk: portfolio.yml plus one student with a profile and one reflection."""

    def __init__(self, root: Path):
        self.root = root
        self.write("portfolio.yml", PORTFOLIO_YML)
        self.write(f"{STUDENT}/index.md", PROFILE)
        self.write(f"{STUDENT}/reflecties/eerste-week.md", REFLECTION)

    def path(self, relative: str) -> Path:
        return self.root / relative

    def write(self, relative: str, content: str | bytes) -> Path:
        """Write a file (text is dedented); returns its path."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(textwrap.dedent(content), encoding="utf-8", newline="")
        else:
            path.write_bytes(content)
        return path

    def entry(self, relative: str, front: str, body: str = "Tekst.\n", student: str = STUDENT) -> Path:
        """Write a Markdown entry of `student` from its front matter lines (without the `---`)."""
        text = "---\n" + textwrap.dedent(front).strip("\n") + "\n---\n\n" + textwrap.dedent(body)
        return self.write(f"{student}/{relative}", text)

    def config(self, extra: str) -> None:
        """Append top-level settings to portfolio.yml."""
        self.write("portfolio.yml", PORTFOLIO_YML + textwrap.dedent(extra))

    def load(self, only: str | None = None):
        return load_cohort(self.root, only=only)

    def check(self, as_of: dt.date | None = None):
        return run_check(self.load(), as_of)

    def diagnostics(self, as_of: dt.date | None = None) -> list[tuple[str, int, str]]:
        """(path relative to the cohort, line, code) of every diagnostic."""
        return [(d.path, d.line, d.code) for d in self.check(as_of).diagnostics]


@pytest.fixture(autouse=True)
def _own_cache_folder(tmp_path_factory, monkeypatch):
    """Each test has its own, empty cache folder (trialoog.portfolio.cache: image verdicts, docs trees), never
    the user's and not in its tmp_path, which tests compare before and after: a test sees a first
    run unless it runs twice itself."""
    monkeypatch.setenv("TRIALOOG_CACHE_DIR", str(tmp_path_factory.mktemp("trialoog-cache")))




@pytest.fixture
def cohort(tmp_path) -> Cohort:
    return Cohort(tmp_path / "cohorte")


def image_bytes(kind: str = "PNG") -> bytes:
    """A real 8×8 image: a test that only needs a file to exist must not trip the image check (AT006)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, kind)
    return buffer.getvalue()
