"""The site engines build a small real docs tree with the repository's base configuration."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from trialoog.site.builder import BASE_CONFIG, SiteSpec, write_site_config
from trialoog.site.engine import EngineError, MkDocsEngine, ZensicalEngine, get_engine

NAV = [{"Start": "index.md"}, {"Reflecties": ["reflecties/eerste-week.md"]}]


def make_project(root: Path) -> Path:
    """A generated docs tree and its mkdocs.yml, as build.py writes them."""
    docs = root / "docs"
    (docs / "reflecties").mkdir(parents=True)
    (docs / "index.md").write_text("# Start\n\nWelkom in mijn **portfolio**.\n", encoding="utf-8")
    (docs / "reflecties" / "eerste-week.md").write_text(
        "# Eerste week\n\n!!! note \"Klasmanagement\"\n    Ik leerde de namen van de leerlingen.\n\n"
        "| dag | les |\n|---|---|\n| maandag | wiskunde |\n",
        encoding="utf-8",
    )
    config_file = root / "mkdocs.yml"
    write_site_config(config_file, SiteSpec(site_name="Portfolio van Amina", nav=NAV))
    return config_file


def local_urls(html: str) -> list[str]:
    return re.findall(r'<(?:link|script)[^>]*?(?:href|src)="([^"]+)"', html)


def test_mkdocs_builds_a_dutch_site_without_requests_to_other_hosts(tmp_path, capfd):
    config_file = make_project(tmp_path / "project")
    site = tmp_path / "site"

    get_engine("mkdocs").build(config_file, site)

    page = (site / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in page
    assert 'class="admonition note"' in page and "<table>" in page
    assert "fonts.googleapis" not in page and "fonts.gstatic" not in page
    assert all(not url.startswith(("http:", "https:", "//")) for url in local_urls(page))
    assert "trialoog.css" in page  # the programme's stylesheet from theme/
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["nl"]
    assert capfd.readouterr().err == ""  # no end-of-life banner, no info lines


def test_zensical_builds_the_same_docs_tree(tmp_path):
    if ZensicalEngine.command() is None:
        pytest.skip("Zensical is niet geïnstalleerd (pip install 'trialoog[zensical]')")
    config_file = make_project(tmp_path / "project")
    site = tmp_path / "site"

    get_engine("zensical").build(config_file, site)

    page = (site / "reflecties" / "eerste-week.html").read_text(encoding="utf-8")
    assert '<html lang="nl"' in page
    assert "Ik leerde de namen van de leerlingen." in page
    assert "fonts.googleapis" not in page
    assert all(not url.startswith(("http:", "https:", "//")) for url in local_urls(page))
    assert (site / "index.html").is_file()
    assert not list(config_file.parent.glob(".zensical*"))  # its helper files are cleaned up


def test_a_failing_build_raises_engine_error_in_dutch(tmp_path):
    config_file = make_project(tmp_path / "project")
    (tmp_path / "project" / "docs" / "index.md").unlink()
    (tmp_path / "project" / "docs" / "reflecties" / "eerste-week.md").unlink()
    (tmp_path / "project" / "docs" / "reflecties").rmdir()
    (tmp_path / "project" / "docs").rmdir()

    with pytest.raises(EngineError, match="MkDocs kon .* niet bouwen"):
        MkDocsEngine().build(config_file, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_unknown_engine_names_the_choices():
    with pytest.raises(EngineError, match="onbekende engine 'hugo' — kies uit: mkdocs, zensical"):
        get_engine("hugo")


def test_the_base_configuration_alone_builds_nothing(tmp_path):
    # `mkdocs build` at the repository root must not touch site/: there is no docs/ there.
    assert not (BASE_CONFIG.parent / "docs").exists()
    with pytest.raises(EngineError):
        MkDocsEngine().build(BASE_CONFIG, tmp_path / "site")
    assert not (tmp_path / "site").exists()
