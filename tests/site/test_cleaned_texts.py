"""The students' cleaned texts are kept from one build to the next (trialoog.site.cleaned_texts):
a build on the next day parses and cleans only the texts that changed, and gives the same site
as a build that kept nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import pytest

import trialoog.site.body as body
from trialoog.portfolio.cache import CACHE_VARIABLE, cache_root
from trialoog.site.build import build_cohort
from trialoog.site.cleaned_texts import FOLDER

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "portfolios"
DAY = dt.date(2026, 3, 2)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def cleaned(monkeypatch) -> list[str]:
    """The texts that the builds that follow parse and clean (in this process: --jobs 1); each
    build starts as a new process would, knowing no text."""
    seen: list[str] = []
    original = body.sanitize_html

    def counting(html: str) -> str:
        seen.append(html)
        return original(html)

    monkeypatch.setattr(body, "sanitize_html", counting)
    return seen


def _build(root: Path, out: Path, as_of: dt.date = DAY):
    body.forget_cleaned_texts()
    return build_cohort(root, out, jobs=1, echo=lambda line: None, as_of=as_of)


def test_the_next_day_cleans_no_text_again_and_builds_the_same_site_as_without_cache(tmp_path, cleaned, monkeypatch):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    assert _build(cohort, tmp_path / "vandaag").exit_code == 0
    assert cleaned, "the first build cleans every text"

    cleaned.clear()
    _build(cohort, tmp_path / "morgen", DAY + dt.timedelta(days=1))
    assert cleaned == []

    monkeypatch.setenv(CACHE_VARIABLE, "")  # no cache at all
    _build(cohort, tmp_path / "zonder", DAY + dt.timedelta(days=1))
    assert cleaned, "without a cache every text is cleaned"
    assert _files(tmp_path / "morgen") == _files(tmp_path / "zonder")


def test_a_changed_text_is_the_only_one_cleaned_again(tmp_path, cleaned):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    _build(cohort, tmp_path / "een")
    profile = cohort / "jonas-verbeke" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nEen *nieuwe* zin.\n", encoding="utf-8")
    cleaned.clear()
    _build(cohort, tmp_path / "twee", DAY + dt.timedelta(days=1))
    assert len(cleaned) == 1 and "<em>nieuwe</em>" in cleaned[0]


def _kept_files() -> list[Path]:
    root = cache_root()
    assert root is not None
    return sorted((root / FOLDER).rglob("*.json"))


@pytest.mark.parametrize("damage", ["niet eens json", json.dumps(["een", "lijst"]), json.dumps({"version": "ouder", "texts": {}}),
                                    "wrong html"])
def test_a_damaged_or_foreign_file_is_read_as_empty(tmp_path, cleaned, damage):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    _build(cohort, tmp_path / "een")
    kept = _kept_files()
    assert kept, "a build keeps the cleaned texts of each student"
    for path in kept:
        if damage == "wrong html":  # the right version, but a text that is not what it claims to be
            stored = json.loads(path.read_text(encoding="utf-8"))
            stored["texts"] = {key: 42 for key in stored["texts"]}
            path.write_text(json.dumps(stored), encoding="utf-8")
        else:
            path.write_text(damage, encoding="utf-8")
    cleaned.clear()
    assert _build(cohort, tmp_path / "twee", DAY + dt.timedelta(days=1)).exit_code == 0  # a new day: the docs cache misses
    assert cleaned, "texts that could not be read are cleaned again"


def test_a_file_keeps_only_the_texts_of_the_last_render(tmp_path):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    profile = cohort / "jonas-verbeke" / "index.md"
    original = profile.read_text(encoding="utf-8")
    counts = []
    for extra in ("\nEerste versie.\n", "\nTweede versie.\n", "\nDerde versie.\n"):
        profile.write_text(original + extra, encoding="utf-8")
        _build(cohort, tmp_path / f"uit-{len(counts)}", DAY + dt.timedelta(days=len(counts)))
        [kept] = [path for path in _kept_files() if path.name == "jonas-verbeke.json"]
        counts.append(len(json.loads(kept.read_text(encoding="utf-8"))["texts"]))
    assert counts[0] == counts[1] == counts[2]  # the old versions of the profile are not kept


def test_no_cleaned_text_is_kept_inside_a_students_folder(tmp_path, monkeypatch):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    inside = cohort / "jonas-verbeke" / ".cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(inside))
    _build(cohort, tmp_path / "uit")
    assert not (inside / FOLDER).exists()


def test_an_unwritable_cache_only_costs_the_cleaning(tmp_path, cleaned, monkeypatch):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    blocked = tmp_path / "geen-map"
    blocked.write_text("een bestand waar de cache een map verwacht", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    assert _build(cohort, tmp_path / "uit").exit_code == 0
    assert os.path.isfile(blocked)


def test_no_cache_is_kept_inside_a_built_site(tmp_path, monkeypatch):
    """A cache folder pointed into the public site would carry what the evaluation build keeps
    (private entries) into the next deploy: inside any built site, nothing is kept."""
    from trialoog.portfolio.evidence import EVALUATION

    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    public = tmp_path / "site"
    _build(cohort, public)
    inside = public / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(inside))
    body.forget_cleaned_texts()
    summary = build_cohort(cohort, tmp_path / "evaluatie", jobs=1, echo=lambda line: None, as_of=DAY, audience=EVALUATION)
    assert summary.exit_code == 0
    assert not inside.exists()
