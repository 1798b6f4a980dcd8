"""The site engines build a small real docs tree with the repository's base configuration."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
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
    needs_zensical()
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


def needs_zensical() -> None:
    if ZensicalEngine.command() is None:
        pytest.skip("Zensical is niet geïnstalleerd (pip install 'trialoog[zensical]')")


def site_files(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in sorted(site.rglob("*")) if path.is_file()}


def test_zensical_builds_in_this_process_again_and_again_silently_as_its_cli_does(tmp_path, capfd):
    """Zensical runs in the building process (no subprocess per site): each build in the same
    process is the site of its own config, byte for byte what Zensical's own CLI writes, and
    nothing is printed (Zensical's core writes to the file descriptors itself)."""
    needs_zensical()
    first = make_project(tmp_path / "eerste")
    second = make_project(tmp_path / "tweede")
    (second.parent / "docs" / "index.md").write_text("# Start\n\nEen ander portfolio.\n", encoding="utf-8")
    cli = shutil.copytree(second.parent, tmp_path / "cli")

    for config_file in (first, second, first):
        get_engine("zensical").build(config_file, tmp_path / f"site-{config_file.parent.name}")

    assert capfd.readouterr() == ("", "")
    assert "Een ander portfolio." in (tmp_path / "site-tweede" / "index.html").read_text(encoding="utf-8")
    assert "Een ander portfolio." not in (tmp_path / "site-eerste" / "index.html").read_text(encoding="utf-8")
    (cli / ".cli.yml").write_text("INHERIT: mkdocs.yml\nsite_dir: site\n", encoding="utf-8")
    subprocess.run([*ZensicalEngine.command(), "build", "--clean", "--config-file", ".cli.yml"], cwd=cli,  # type: ignore[misc]
                   check=True, capture_output=True)
    assert site_files(tmp_path / "site-tweede") == site_files(cli / "site")


def test_a_failing_zensical_build_raises_engine_error_in_dutch_without_a_traceback(tmp_path, capfd):
    needs_zensical()
    no_docs = make_project(tmp_path / "zonder-docs")
    shutil.rmtree(no_docs.parent / "docs")
    broken = make_project(tmp_path / "kapotte-extensie")
    broken.write_text(broken.read_text(encoding="utf-8") + "markdown_extensions:\n  - trialoog_bestaat_niet\n", encoding="utf-8")

    for config_file, cause in ((no_docs, "Docs directory does not exist"), (broken, "No module named 'trialoog_bestaat_niet'")):
        with pytest.raises(EngineError, match="Zensical kon .* niet bouwen") as failure:
            ZensicalEngine().build(config_file, tmp_path / "site")
        assert cause in str(failure.value) and "Traceback" not in str(failure.value)
        assert not (tmp_path / "site").exists()
        assert not list(config_file.parent.glob(".zensical*"))
    assert capfd.readouterr() == ("", "")


def test_zensical_leaves_search_out_where_mkdocs_does(tmp_path):
    """Zensical turns search on unless it is switched off, and appends an inherited plugin list
    where MkDocs replaces it: a site with `plugins: []` (the overview) must get no search box."""
    needs_zensical()
    config_file = tmp_path / "project" / "mkdocs.yml"
    make_project(tmp_path / "project")
    write_site_config(config_file, SiteSpec(site_name="Overzicht", nav=NAV, search=False))

    for engine in ("mkdocs", "zensical"):
        get_engine(engine).build(config_file, tmp_path / engine)
        assert 'data-md-component="search"' not in (tmp_path / engine / "index.html").read_text(encoding="utf-8"), engine
    get_engine("zensical").build(make_project(tmp_path / "met-zoeken"), tmp_path / "met-zoeken-site")
    assert 'data-md-component="search"' in (tmp_path / "met-zoeken-site" / "index.html").read_text(encoding="utf-8")


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
