"""The docs cache: a rebuild with unchanged texts renders nothing again and gives the same site."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import trialoog.site.build as build_module
from trialoog.site.build import build_cohort
from trialoog.portfolio.cache import CACHE_VARIABLE, cache_root
from trialoog.site.docs_cache import DocsCache
from trialoog.site.fingerprint import common_digest, student_digests

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "portfolios"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The students rendered by the builds that follow (in this process: --jobs 1)."""
    rendered: list[str] = []
    original = build_module.render_student

    def counting(context, student_id, docs):
        rendered.append(student_id)
        return original(context, student_id, docs)

    monkeypatch.setattr(build_module, "render_student", counting)
    return rendered


def _build(root: Path, out: Path):
    return build_cohort(root, out, jobs=1, echo=lambda line: None)


def test_a_rebuild_of_unchanged_texts_comes_from_the_cache_and_is_the_same_site(tmp_path, renders):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    first = _build(cohort, tmp_path / "een")
    assert first.exit_code == 0 and sorted(renders) == sorted(first.built)

    renders.clear()
    again = _build(cohort, tmp_path / "twee")  # a new output: every site is built by the engine again
    assert sorted(again.built) == sorted(first.built) and renders == []
    assert _files(tmp_path / "een") == _files(tmp_path / "twee")


def test_a_changed_text_renders_only_that_student_again(tmp_path, renders):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    _build(cohort, tmp_path / "een")
    profile = cohort / "jonas-verbeke" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nEen zin erbij.\n", encoding="utf-8")
    renders.clear()
    _build(cohort, tmp_path / "twee")
    assert renders == ["jonas-verbeke"]
    assert "Een zin erbij." in (tmp_path / "twee" / "jonas-verbeke" / "index.html").read_text(encoding="utf-8")


def test_the_stylesheet_and_main_html_are_not_part_of_the_docs_hash_but_the_page_templates_are(tmp_path):
    base = tmp_path / "basis"
    shutil.copytree(REPO / "theme", base / "theme")
    shutil.copy(REPO / "mkdocs.yml", base / "mkdocs.yml")
    student = EXAMPLE / "jonas-verbeke"

    def digests():
        return student_digests(common_digest("zout", "mkdocs", base / "mkdocs.yml", ()), student)

    before = digests()
    with open(base / "theme" / "assets" / "stylesheets" / "trialoog.css", "a", encoding="utf-8") as css:
        css.write("\n.tl-nieuw { color: red; }\n")
    restyled = digests()
    assert restyled.docs == before.docs and restyled.site != before.site  # rebuilt by the engine, not rendered
    with open(base / "theme" / "pages" / "entry.html", "a", encoding="utf-8") as template:
        template.write("\n")
    assert digests().docs != before.docs


def test_a_damaged_slot_is_rendered_again(tmp_path, renders):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    _build(cohort, tmp_path / "een")
    slots = {slot.name: slot for slot in Path(os.environ[CACHE_VARIABLE]).glob("docs/*/*")}
    assert set(slots) == {"amina-el-khatib", "jonas-verbeke", "lotte-vandenberghe"}
    attachment = next(path for path in sorted((slots["amina-el-khatib"] / "docs").rglob("*")) if path.is_file())
    attachment.unlink()  # the pages are in site.json, the attachments beside it
    (slots["jonas-verbeke"] / "site.json").write_text("{niet: json", encoding="utf-8")
    spec = json.loads((slots["lotte-vandenberghe"] / "site.json").read_text(encoding="utf-8"))
    (slots["lotte-vandenberghe"] / "site.json").write_text(json.dumps({**spec, "digest": "iets anders"}), encoding="utf-8")
    renders.clear()
    _build(cohort, tmp_path / "twee")
    assert sorted(renders) == sorted(slots)  # incomplete, unreadable, another digest
    assert _files(tmp_path / "een") == _files(tmp_path / "twee")


def test_an_empty_cache_setting_switches_it_off_and_an_unwritable_cache_never_fails_a_build(tmp_path, monkeypatch, renders):
    monkeypatch.setenv(CACHE_VARIABLE, "")
    assert cache_root() is None and DocsCache.of({tmp_path}, "student").folder is None
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    assert _build(cohort, tmp_path / "een").exit_code == 0
    blocked = tmp_path / "geen-map"
    blocked.write_text("een bestand, geen map", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocked))
    assert _build(cohort, tmp_path / "twee").exit_code == 0
    assert _files(tmp_path / "een") == _files(tmp_path / "twee")


def test_without_a_setting_the_cache_is_in_the_users_cache_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(CACHE_VARIABLE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "trialoog"


@pytest.mark.parametrize("stored", ["[1, 2]", '{"digest": "DIGEST", "files": {}, "spec": {"onbekend": 1}}',
                                    '{"digest": "DIGEST", "files": {}, "spec": []}'])
def test_a_slot_of_another_shape_is_rendered_again_and_never_fails_the_build(tmp_path, renders, stored):
    cohort = shutil.copytree(EXAMPLE, tmp_path / "cohorte")
    _build(cohort, tmp_path / "een")
    slot = next(Path(os.environ[CACHE_VARIABLE]).glob("docs/*/jonas-verbeke"))
    digest = json.loads((slot / "site.json").read_text(encoding="utf-8"))["digest"]
    (slot / "site.json").write_text(stored.replace("DIGEST", digest), encoding="utf-8")
    renders.clear()
    again = _build(cohort, tmp_path / "twee")
    assert again.exit_code == 0 and renders == ["jonas-verbeke"]
    assert _files(tmp_path / "een") == _files(tmp_path / "twee")
