"""Nothing outside the cohort is read or shown: each test is an attack or an accident as its fixture.

A student folder that is a symbolic link is read only when it leads into the cohort's repository
(`trialoog gather` links submodules that way); a framework is a built-in id or a file inside the
repository, and a file that is no framework is never quoted back.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from trialoog import rules
from trialoog.portfolio.framework import BUILTIN, FrameworkError, load_framework
from trialoog.portfolio.load import BUILD_MANIFEST, ConfigError
from trialoog.portfolio.paths import repository_root

from conftest import PORTFOLIO_YML, PROFILE, STUDENT, Cohort

SECRET = "root:$6$geheimehash:18000:0:99999:7:::"


def codes(cohort: Cohort) -> list[tuple[str, str]]:
    return [(d.path, d.code) for d in cohort.check().diagnostics]


def outside_folder(tmp_path: Path) -> Path:
    """A folder outside the cohort's repository, with a readable Markdown file in it (like /usr)."""
    folder = tmp_path / "elders"
    (folder / "share").mkdir(parents=True)
    (folder / "index.md").write_text(PROFILE, encoding="utf-8")
    (folder / "share" / "geheim.md").write_text(f"---\ntype: reflection\ntitle: {SECRET}\n---\n", encoding="utf-8")
    return folder


# ---- linked student folders ---------------------------------------------------------------------

def test_a_student_folder_linked_outside_is_refused_and_not_walked(cohort, tmp_path):
    os.symlink(outside_folder(tmp_path), cohort.path("usr"), target_is_directory=True)
    loaded = cohort.load()
    assert [s.id for s in loaded.students] == [STUDENT]
    assert ("usr", rules.LINKED_FOLDER) in codes(cohort)
    message = next(d.message for d in cohort.check().diagnostics if d.code == rules.LINKED_FOLDER)
    assert "buiten de repository" in message and SECRET not in message


@pytest.mark.parametrize("target", [".", ".."], ids=["the-cohort", "above-the-cohort"])
def test_a_link_to_the_cohort_or_above_is_refused(cohort, target):
    os.symlink(target, cohort.path("lus"), target_is_directory=True)
    assert [s.id for s in cohort.load().students] == [STUDENT]
    assert ("lus", rules.LINKED_FOLDER) in codes(cohort)


def test_a_link_into_the_cohort_is_read(cohort):
    """`trialoog gather` without git: the submodule folder starts with `_`, the link does not."""
    folder = cohort.root / "_studenten" / "piet" / "piet-claes"
    folder.mkdir(parents=True)
    (folder / "index.md").write_text(PROFILE, encoding="utf-8")
    os.symlink("_studenten/piet/piet-claes", cohort.path("piet-claes"), target_is_directory=True)
    assert [s.id for s in cohort.load().students] == [STUDENT, "piet-claes"]
    assert rules.LINKED_FOLDER not in {code for _, code in codes(cohort)}


def test_a_link_elsewhere_in_the_repository_is_read(tmp_path):
    """A cohort in portfolios/ of a git repository, the student repositories as submodules beside it."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    cohort = Cohort(repo / "portfolios")
    student = repo / "studenten" / "piet" / "piet-claes"
    student.mkdir(parents=True)
    (student / "index.md").write_text(PROFILE, encoding="utf-8")
    os.symlink("../studenten/piet/piet-claes", cohort.path("piet-claes"), target_is_directory=True)
    assert repository_root(cohort.root) == repo.resolve()
    assert [s.id for s in cohort.load().students] == [STUDENT, "piet-claes"]


def test_a_submodule_is_its_own_repository(tmp_path):
    """In a submodule `.git` is a file: the student's repository ends there."""
    repo = tmp_path / "student"
    repo.mkdir()
    (repo / ".git").write_text("gitdir: ../.git/modules/student\n", encoding="utf-8")
    assert repository_root(repo) == repo.resolve()


# ---- folders that are never a student -----------------------------------------------------------

def test_a_built_site_an_empty_folder_and_staging_folders_are_no_students(cohort):
    (cohort.root / "site" / STUDENT).mkdir(parents=True)
    (cohort.root / "site" / BUILD_MANIFEST).write_text(json.dumps({"students": {}}), encoding="utf-8")
    (cohort.root / "site" / STUDENT / "index.html").write_text("<html></html>", encoding="utf-8")
    (cohort.root / "leeg").mkdir()
    (cohort.root / ".site-nieuw-123-abc" / "x").mkdir(parents=True)
    assert [s.id for s in cohort.load().students] == [STUDENT]
    assert [code for _, code in codes(cohort)] == []


def test_a_folder_with_only_a_file_is_still_a_student(cohort):
    """Only an empty folder is skipped: a student who forgot index.md still hears about it."""
    cohort.write("piet-claes/notities.txt", "nog te doen\n")
    assert ("piet-claes/index.md", rules.NO_PROFILE) in codes(cohort)


# ---- frameworks -------------------------------------------------------------------------------------

def shadow(tmp_path: Path) -> Path:
    path = tmp_path / "etc" / "shadow"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\ndaemon:*:18000:0:99999:7:::\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["absolute", "relative", "symlink"])
def test_a_framework_outside_the_repository_is_refused_unread(cohort, tmp_path, how):
    secret = shadow(tmp_path)
    if how == "symlink":
        os.symlink(secret, cohort.path("kader.yml"))
    ref = {"absolute": str(secret), "relative": "../etc/shadow", "symlink": "kader.yml"}[how]
    cohort.write("portfolio.yml", PORTFOLIO_YML.replace("framework: basiscompetenties", f"framework: {ref}"))
    with pytest.raises(ConfigError) as info:
        cohort.load()
    (found,) = info.value.diagnostics
    assert found.code == rules.CONFIG and found.path == "portfolio.yml"
    assert "buiten de repository" in found.message and "geheimehash" not in found.message


def test_a_framework_elsewhere_in_the_repository_is_read(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "kaders").mkdir()
    (repo / "kaders" / "eigen.yml").write_bytes(BUILTIN["basiscompetenties"].read_bytes())
    cohort = Cohort(repo / "portfolios")
    cohort.write("portfolio.yml", cohort.path("portfolio.yml").read_text().replace("basiscompetenties", "../kaders/eigen.yml"))
    assert cohort.load().framework.get("FG1") is not None


@pytest.mark.parametrize("content", [
    f"{SECRET}\n",  # not YAML mapping: one long plain text
    "DB_PASSWORD: hunter2\nAPI_TOKEN: ghp_geheim\n",  # a mapping, but no framework
    "token: ghp_geheim: nog\n",  # a YAML syntax error on a line with a secret
    "a: 1\na: ghp_geheim\n",  # a duplicate key
    "wachtwoord: !!python/object:geheim x\n",  # an object tag
    "datum: 2017-02-30\nid: ghp_geheim\n",  # an impossible date
    "a: &ghp_geheim x\nb: *ghp_geheim\n",  # an anchor named like a secret
], ids=["plain", "env-file", "syntax", "duplicate", "tag", "date", "anchor"])
def test_a_file_that_is_no_framework_is_never_quoted(tmp_path, content):
    (tmp_path / ".env").write_text(content, encoding="utf-8")
    with pytest.raises(FrameworkError) as info:
        load_framework(".env", tmp_path)
    message = str(info.value)
    for secret in ("geheimehash", "hunter2", "ghp_geheim", "DB_PASSWORD", "wachtwoord", "2017-02-30", "geheim"):
        assert secret not in message, message
