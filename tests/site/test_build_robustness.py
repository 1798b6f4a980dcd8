"""A build never crashes on what a student writes, and a killed build leaves the previous site.

The hypothesis test draws entries that mostly pass check (so the build really renders them:
a student with errors is skipped) with arbitrary text in every free field and body, plus some
front matter that is arbitrary altogether. It builds in-process through the CLI, as `trialoog build`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from click.testing import CliRunner
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from trialoog.cli import main

from trialoog.site.build import build_cohort as build_in_process

from browser.conftest import build_cohort
from conftest import PORTFOLIO_YML, PROFILE, REFLECTION, STUDENT, Cohort

# Letters, Markdown's and HTML's own characters, quotes, entities, emoji, right-to-left, NUL.
PIECES = st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    list("#*_[]()<>`|!-:&;\"'{}\\/\n\t ") + ["&amp;", "&#x3c;", "<script>", "</div>", "{#__config}", "{: .md-header }", "👩‍🏫", "\u202e", "\x00"]
)
text = st.lists(PIECES, max_size=30).map("".join)
some_text = st.lists(PIECES, min_size=1, max_size=20).map("".join).filter(str.strip)
body = st.lists(
    text | st.sampled_from([
        "# Kop\n", "## Kop {#kop}\n", "- [x] taak\n", "| a | b |\n|---|---|\n| 1 | 2 |\n", "```\ncode\n```\n",
        "!!! note \"Let op\"\n    tekst\n", "??? info\n    dicht\n", "[^1]\n\n[^1]: voetnoot\n", "*[HTML]: afkorting\n",
        "<details><summary>s</summary>x</details>\n", "<div markdown=\"1\">**vet**</div>\n", "[link](#nergens)\n",
        "<img src=x onerror=alert(1)>\n", "[[wiki]]\n", "\\\n", "---\n", "***\n", "<!-- commentaar -->\n",
    ]),
    max_size=8,
).map("\n".join)
dates = st.dates(dt.date(2017, 8, 28), dt.date(2018, 6, 30))
competences = st.lists(st.sampled_from(["FG1", "FG2", "FG4", "BH3"]), max_size=3, unique=True)
levels = st.sampled_from(["--", "-", "+-", "+"])
common = {"title": some_text, "tags": st.lists(some_text, max_size=3), "private": st.booleans(), "competences": competences}
entries = st.one_of(
    st.fixed_dictionaries({"type": st.just("reflection"), "date": dates, "wellbeing": st.integers(1, 5), "model": st.sampled_from(["alact", "vrij"]), **common}),
    st.fixed_dictionaries({"type": st.just("goal"), "what": some_text, "why": text, "how": text, "status": st.sampled_from(["open", "bezig", "behaald"]), **common}),
    st.fixed_dictionaries({"type": st.just("evidence"), "date": dates, "context": text, **common}),
    st.fixed_dictionaries({"type": st.just("task"), "date": dates, "kind": st.sampled_from(["leertaak", "functionele-opdracht"]), "course": text, **common}),
    st.fixed_dictionaries({"type": st.just("meeting"), "date": dates, "kind": some_text, "participants": st.just(["mentor-an"]), **common}),
    st.fixed_dictionaries({
        "type": st.just("evaluation"), "date": dates, "moment": st.sampled_from(["tussentijds", "eind"]), "title": some_text,
        "ratings": st.dictionaries(st.sampled_from(["FG1", "FG2", "BH3"]), st.fixed_dictionaries({"self": levels, "mentor": levels, "coach": levels, "comment": text}), max_size=3),
    }),
    st.fixed_dictionaries({"type": st.just("feedback"), "date": dates, "on": st.just("reflecties/eerste-week"), "by": st.just("mentor-an"), "title": some_text}),
    # Anything at all: most of these are errors, and the student is skipped without a crash.
    st.dictionaries(st.text(min_size=1, max_size=10), st.recursive(st.none() | st.booleans() | st.integers() | text | dates, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3), max_leaves=8), max_size=5),
)
profiles = st.fixed_dictionaries({
    "type": st.just("profile"), "name": some_text, "title": some_text, "program": st.sampled_from(["lager", "kleuter", "secundair"]),
    "school": st.fixed_dictionaries({"name": some_text, "city": text}), "mentors": st.just(["mentor-an"]), "coach": st.just("coach-koen"),
})


def markdown_file(front: dict, text_body: str) -> str:
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + text_body + "\n"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(profile=profiles, profile_body=body, entry=entries, entry_body=body)
def test_a_build_of_a_student_with_arbitrary_entries_never_crashes(profile, profile_body, entry, entry_body):
    with tempfile.TemporaryDirectory() as folder:
        cohort = Cohort(Path(folder) / "cohorte")
        cohort.write(f"{STUDENT}/index.md", markdown_file(profile, profile_body))
        kind = {"goal": "leerdoelen", "evidence": "bewijzen", "evaluation": "evaluaties", "feedback": "feedback"}.get(entry.get("type"), "reflecties")
        cohort.write(f"{STUDENT}/{kind}/hypothese.md", markdown_file(entry, entry_body))
        out = Path(folder) / "site"
        result = CliRunner().invoke(main, ["build", str(cohort.root), "--out", str(out)])
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code in (0, 1), result.output
        event(f"exit {result.exit_code}")  # `pytest --hypothesis-show-statistics` shows how many were built
        assert "Traceback" not in result.output
        assert (out / "index.html").is_file(), f"geen overzicht:\n{result.output}"
        if result.exit_code == 0:
            assert (out / STUDENT / "index.html").is_file(), result.output


# -- a build killed midway -------------------------------------------------------------------------

STUDENTS = [f"student-{number:02d}" for number in range(1, 6)]


def tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*")) if path.is_file()
    }


def leftovers(out: Path) -> list[str]:
    """Anything beside the output that a build made: staging, work or old folders."""
    return sorted(path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}"))


def test_a_build_killed_midway_leaves_the_previous_site_intact(tmp_path):
    root = tmp_path / "cohorte"
    root.mkdir()
    (root / "portfolio.yml").write_text(PORTFOLIO_YML, encoding="utf-8")
    for student in STUDENTS:
        (root / student / "reflecties").mkdir(parents=True)
        (root / student / "index.md").write_text(PROFILE.replace("Jan Peeters", student), encoding="utf-8")
        (root / student / "reflecties" / "eerste-week.md").write_text(REFLECTION, encoding="utf-8")
    out = tmp_path / "site"
    build_cohort(root, out)
    before = tree(out)
    assert f"{STUDENTS[0]}/index.html" in before
    for student in STUDENTS:  # every student changes, so the next build rebuilds them all
        (root / student / "reflecties" / "eerste-week.md").write_text(REFLECTION.replace("Tekst.", "Gewijzigd."), encoding="utf-8")

    command = [sys.executable, "-m", "trialoog", "build", str(root), "--out", str(out), "--jobs", "2"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        staged = wait_for_staged_page(out, process)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the build and its worker processes, at once
        process.wait(timeout=30)
    assert staged, "the build ended before it could be killed midway"
    assert process.returncode == -signal.SIGKILL

    assert tree(out) == before, "the previous site changed"
    assert not any("Gewijzigd." in (out / name).read_text(errors="replace") for name in before if name.endswith(".html"))

    # The next build finishes, and clears what the killed one left behind.
    build_cohort(root, out)
    assert leftovers(out) == []
    assert "Gewijzigd." in (out / STUDENTS[0] / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")


def wait_for_staged_page(out: Path, process: subprocess.Popen, timeout: float = 60) -> bool:
    """True as soon as the build has written a page into its staging folder, while it still runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        for stage in out.parent.glob(f".{out.name}-nieuw-*"):
            if any(stage.rglob("*.html")):
                return True
        time.sleep(0.01)
    return False


# -- accidents that once stopped the whole cohort (issue 9) ------------------------------------------

OTHER = "piet-claes"  # a second, clean student: whatever happens to STUDENT, Piet gets a site


def _cr_in_title(cohort: Cohort) -> None:
    cohort.entry("reflecties/cr.md", 'type: reflection\ntitle: "Week\\r2"\ndate: 2017-09-15\ncompetences: [FG1]')


def _huge_hex_integer(cohort: Cohort) -> None:
    cohort.entry("reflecties/hex.md", "type: reflection\ntitle: 0x" + "f" * 5000 + "\ndate: 2017-09-15")


def _fifo_as_reflection(cohort: Cohort) -> None:
    os.mkfifo(cohort.path(f"{STUDENT}/reflecties/reflectie.md"))


def _fifo_as_image(cohort: Cohort) -> None:
    cohort.path(f"{STUDENT}/bewijzen").mkdir()
    os.mkfifo(cohort.path(f"{STUDENT}/bewijzen/foto.jpg"))
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [foto.jpg]", "![foto](foto.jpg)\n")


ACCIDENTS = {  # accident -> the file that is left out of Jan's site
    "cr-in-title": (_cr_in_title, "reflecties/cr.md"),
    "huge-hex-integer": (_huge_hex_integer, "reflecties/hex.md"),
    "fifo-as-reflection": (_fifo_as_reflection, "reflecties/reflectie.md"),
    "fifo-as-image": (_fifo_as_image, "bewijzen/les.md"),
}


def _build_in_a_process(root: Path, out: Path) -> subprocess.CompletedProcess:
    """`trialoog build` as a user runs it, with a time limit: a FIFO once made it wait forever."""
    command = [sys.executable, "-m", "trialoog", "build", str(root), "--out", str(out), "--jobs", "1"]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


@pytest.mark.parametrize("accident", sorted(ACCIDENTS))
def test_an_accident_leaves_out_one_entry_and_builds_everyone(tmp_path, accident):
    cohort = Cohort(tmp_path / "cohorte")
    cohort.write(f"{OTHER}/index.md", PROFILE.replace("Jan Peeters", "Piet Claes"))
    cohort.write(f"{OTHER}/reflecties/eerste-week.md", REFLECTION)
    setup, left_out = ACCIDENTS[accident]
    setup(cohort)

    result = _build_in_a_process(cohort.root, tmp_path / "site")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    site = tmp_path / "site"
    assert (site / OTHER / "index.html").is_file() and (site / STUDENT / "index.html").is_file()
    assert (site / STUDENT / "reflecties" / "eerste-week.html").is_file()  # the rest of Jan is built
    assert not (site / STUDENT / left_out.replace(".md", ".html")).exists()
    assert f"<code>{left_out}</code>" in (site / STUDENT / "index.html").read_text(encoding="utf-8")
    assert "Niet alles staat op deze site." not in (site / OTHER / "index.html").read_text(encoding="utf-8")
    assert not (site / STUDENT / "bewijzen" / "foto.jpg").exists()


@pytest.mark.parametrize("name", ["assets", "search", "overzicht"])
def test_a_student_folder_with_a_reserved_name_is_skipped_and_the_others_are_built(tmp_path, name):
    cohort = Cohort(tmp_path / "cohorte")
    cohort.write(f"{name}/index.md", PROFILE.replace("Jan Peeters", "Piet Claes"))

    lines: list[str] = []
    summary = build_in_process(cohort.root, tmp_path / "site", echo=lines.append)

    assert summary.exit_code == 1 and summary.skipped == [name] and summary.built == [STUDENT]
    assert any("voorbehouden voor het overzicht" in line for line in lines)
    overview = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "niet gebouwd: 1 fout in de mapnaam" in overview
