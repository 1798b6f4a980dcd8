"""`trialoog signoff`: {by, date, sha256} appended in place; SG001 when the text changes afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
import hashlib
import json
import shutil

import pytest
import yaml

from trialoog.checks import run_check
from trialoog.portfolio.frontmatter import read_document
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.signature import content_hash, signoff_state
from workflow_helpers import EXAMPLE, STUDENT, commit_all, example_repo, git, trialoog

EVALUATION = """---
type: evaluation
title: "Eindevaluatie"
date: 2018-06-12
moment: eind   # het eindgesprek
ratings:
  FG1:
    self: "+"
    mentor: "+"
    comment: "Sterke observaties."
---

## Samenvatting

Amina is gegroeid.
"""


@pytest.fixture
def cohort(tmp_path):
    root = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, root)
    return root


def evaluation(cohort, text=EVALUATION, name="eind.md", newline="\n", bom=""):
    path = cohort / STUDENT / "evaluaties" / name
    path.write_bytes((bom + text.replace("\n", newline)).encode("utf-8"))
    return path


def codes_at(cohort, path):
    result = run_check(load_cohort(cohort), dt.date(2018, 6, 15))
    inside = Path(path).resolve().relative_to(Path(cohort).resolve()).as_posix()  # Diagnostic paths are relative to the cohort
    return [(d.line, d.code) for d in result.diagnostics if d.path == inside and d.code != "MS001"]


def entry_of(cohort, path):
    student = load_cohort(cohort).student(STUDENT)
    return student.by_id[path.relative_to(cohort / STUDENT).with_suffix("").as_posix()]


def test_signoff_only_adds_lines(monkeypatch, cohort):
    path = evaluation(cohort)
    before = path.read_bytes()
    result = trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-13")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Ondertekend door An Peeters op 13 juni 2018: ")
    after = path.read_bytes()
    digest = content_hash(read_document(before))
    added = f"signoff:\n  - by: mentor-an-peeters\n    date: 2018-06-13\n    sha256: {digest}\n".encode()
    closing = before.index(b"\n---\n") + 1
    assert after == before[:closing] + added + before[closing:]
    assert codes_at(cohort, path) == []


def test_hash_is_the_documented_definition(cohort):
    """sha256 of: the front matter without `signoff` as sorted compact JSON, LF, the trimmed body."""
    text = EVALUATION.replace("Amina is gegroeid.\n", "Amina is gegroeid.   \n\n\n")
    front, body = text.split("---\n", 2)[1:]
    data = yaml.safe_load(front)
    data.pop("signoff", None)
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=dt.date.isoformat)
    lines = [line.rstrip(" \t") for line in body.split("\n")]
    expected = hashlib.sha256(f"{canonical}\n{chr(10).join(lines).strip(chr(10))}".encode()).hexdigest()
    assert content_hash(read_document(text.encode())) == expected


@pytest.mark.parametrize("harmless", [
    lambda text: text.replace("moment: eind   # het eindgesprek", "moment: eind"),  # a comment
    lambda text: text.replace('title: "Eindevaluatie"\ndate: 2018-06-12', "date: 2018-06-12\ntitle: Eindevaluatie"),  # order, quotes
    lambda text: text.replace("gegroeid.\n", "gegroeid.  \n\n"),  # trailing whitespace
    lambda text: text.replace("\n", "\r\n"),  # line endings
])
def test_changes_that_do_not_break_a_signoff(cohort, harmless):
    signed = content_hash(read_document(EVALUATION.encode()))
    assert content_hash(read_document(harmless(EVALUATION).encode())) == signed


@pytest.mark.parametrize("change", [
    lambda text: text.replace('mentor: "+"', 'mentor: "++"'),
    lambda text: text.replace("gegroeid.", "enorm gegroeid."),
    lambda text: text.replace("moment: eind", "moment: tussentijds"),
])
def test_changes_that_break_a_signoff(cohort, change):
    assert content_hash(read_document(change(EVALUATION).encode())) != content_hash(read_document(EVALUATION.encode()))


def test_signoff_broken_by_an_edit_in_git(tmp_path, monkeypatch):
    repo = example_repo(tmp_path)
    cohort = repo / "portfolios"
    path = evaluation(cohort)
    commit_all(repo, "Eindevaluatie voorbereid")
    trialoog(monkeypatch, repo, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-13")
    commit_all(repo, "Ondertekend door de mentor")
    signed = read_document(path.read_bytes()).values[("signoff", 0, "sha256")].line
    git(repo, "checkout", "-q", "-b", "student-past-aan")
    path.write_text(path.read_text(encoding="utf-8").replace('self: "+"', 'self: "++"'), encoding="utf-8")
    commit_all(repo, "Eigen score verhoogd")

    check = trialoog(monkeypatch, repo, "check", "portfolios", "--as-of", "2018-06-15")
    assert check.exit_code == 1
    assert (f"portfolios/{STUDENT}/evaluaties/eind.md:{signed}:13: SG001 gewijzigd na de ondertekening door "
            "An Peeters op 13 juni 2018") in check.output
    review = trialoog(monkeypatch, repo, "review", "--base", "main", "--as-of", "2018-06-15")
    assert f"`portfolios/{STUDENT}/evaluaties/eind.md:{signed}:13` SG001" in review.output
    assert "gewijzigd (ratings) | Eindevaluatie" in review.output
    assert [valid for _, valid in signoff_state(entry_of(cohort, path))] == [False]


def test_signing_again_clears_it_and_keeps_history(monkeypatch, cohort):
    path = evaluation(cohort)
    trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-13")
    trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "coach-koen-smets", "--date", "2018-06-13")
    path.write_text(path.read_text(encoding="utf-8").replace("gegroeid.", "sterk gegroeid."), encoding="utf-8")
    assert [code for _, code in codes_at(cohort, path)] == ["SG001", "SG001"]
    trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-14")
    assert [code for _, code in codes_at(cohort, path)] == ["SG001"]  # the coach has not signed again
    state = signoff_state(entry_of(cohort, path))
    assert [(s.by, s.date, valid) for s, valid in state] == [
        ("coach-koen-smets", dt.date(2018, 6, 13), False), ("mentor-an-peeters", dt.date(2018, 6, 14), True)]
    assert len(read_document(path.read_bytes()).data["signoff"]) == 3


def test_already_signed_changes_nothing(monkeypatch, cohort):
    path = evaluation(cohort)
    trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-13")
    before = path.read_bytes()
    again = trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters")
    assert again.exit_code == 0 and "is al ondertekend door An Peeters op 13 juni 2018" in again.output
    assert path.read_bytes() == before


@pytest.mark.parametrize("existing, expected", [
    ("signoff: []\n", "signoff: [{by: mentor-an-peeters, date: 2018-06-13, sha256: HASH}]\n"),
    ("signoff:\n- by: coach-koen-smets\n  date: 2018-06-12\n  sha256: " + "ab" * 32 + "\n",
     "signoff:\n- by: coach-koen-smets\n  date: 2018-06-12\n  sha256: " + "ab" * 32 +
     "\n- by: mentor-an-peeters\n  date: 2018-06-13\n  sha256: HASH\n"),
])
def test_appends_to_an_existing_list_in_its_style(monkeypatch, cohort, existing, expected):
    path = evaluation(cohort, EVALUATION.replace("ratings:", existing + "ratings:"))
    trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-13")
    digest = content_hash(read_document(path.read_bytes()))
    assert path.read_text(encoding="utf-8") == EVALUATION.replace("ratings:", expected.replace("HASH", digest) + "ratings:")


def test_keeps_crlf_and_bom(monkeypatch, cohort):
    path = evaluation(cohort, newline="\r\n", bom="\ufeff")
    trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-an-peeters", "--date", "2018-06-13")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff---\r\n".encode()) and b"\n" not in raw.replace(b"\r\n", b"")
    assert b"signoff:\r\n  - by: mentor-an-peeters\r\n" in raw
    assert codes_at(cohort, path) == []


def test_refusals_are_dutch_errors(monkeypatch, cohort):
    reflection = cohort / STUDENT / "reflecties" / "2017-09-08-eerste-week.md"
    other = trialoog(monkeypatch, cohort.parent, "signoff", str(reflection), "--by", "mentor-an-peeters")
    assert other.exit_code == 2 and "is geen evaluatie (type: reflection)" in other.output
    path = evaluation(cohort)
    unknown = trialoog(monkeypatch, cohort.parent, "signoff", str(path), "--by", "mentor-jan")
    assert unknown.exit_code == 2 and "onbekende persoon 'mentor-jan'" in unknown.output
    broken = evaluation(cohort, EVALUATION.replace("moment: eind", "moment: eind\nscore: 7"), name="kapot.md")
    refused = trialoog(monkeypatch, cohort.parent, "signoff", str(broken), "--by", "mentor-an-peeters")
    assert refused.exit_code == 2 and "los ze eerst op" in refused.output
    assert "signoff" not in broken.read_text(encoding="utf-8")
