"""Golden output (as Pelican does): the generated docs trees of the example cohort, compared with
the committed copy in tests/golden/. Any change in what a reader sees shows up here as a diff.

After an intended change: TRIALOOG_UPDATE_GOLDEN=1 pytest tests/test_golden.py, then review
`git diff tests/golden` like any other change.
"""

import difflib
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from trialoog.site.engine import write_pages
from trialoog.checks import run_check
from trialoog.portfolio.load import load_cohort
from trialoog.site.pages import SiteContext, render_overview, render_student

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
TEXT = {".md", ".html", ".svg", ".css", ".txt", ".yml", ".json"}
STUDENT = "amina-el-khatib"


@pytest.fixture(scope="module")
def context():
    cohort = load_cohort(ROOT / "portfolios")
    result = run_check(cohort)
    return SiteContext(cohort=cohort, as_of=result.as_of, progress=result.progress)


def _render(context, tmp_path, name):
    docs = tmp_path / name
    docs.mkdir()
    if name == "overzicht":
        spec = render_overview(context, docs, [s.id for s in context.cohort.students])
    else:
        spec = render_student(context, name, docs)
    write_pages(docs, spec.pages)  # the docs tree as a file-reading engine gets it
    return docs


def _snapshot(folder: Path) -> dict[str, str]:
    """Text files as they are; other files (attachments) by their SHA-256."""
    found = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder).as_posix()
        if path.suffix in TEXT:
            found[relative] = path.read_text(encoding="utf-8")
        else:
            found[relative] = "sha256 " + hashlib.sha256(path.read_bytes()).hexdigest() + "\n"
    return found


def _write(snapshot: dict[str, str], target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    for relative, text in snapshot.items():
        path = target / (relative if relative.rsplit(".", 1)[-1] in {s[1:] for s in TEXT} else relative + ".sha256")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _read(target: Path) -> dict[str, str]:
    found = {}
    for path in sorted(p for p in target.rglob("*") if p.is_file()):
        relative = path.relative_to(target).as_posix().removesuffix(".sha256")
        found[relative] = path.read_text(encoding="utf-8")
    return found


@pytest.mark.parametrize("name", [STUDENT, "overzicht"])
def test_generated_pages_match_the_committed_golden_copy(context, tmp_path, name):
    actual = _snapshot(_render(context, tmp_path, name))
    golden = GOLDEN / name
    if os.environ.get("TRIALOOG_UPDATE_GOLDEN") == "1":
        _write(actual, golden)
    expected = _read(golden)
    assert sorted(actual) == sorted(expected), "pages added or removed"
    for relative, text in expected.items():
        if actual[relative] != text:
            diff = "".join(difflib.unified_diff(text.splitlines(True), actual[relative].splitlines(True), relative, relative, n=1))
            pytest.fail(f"{relative} differs from tests/golden/{name}:\n{diff[:3000]}")
