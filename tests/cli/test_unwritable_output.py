"""`framework import -o` and `codeowners -o` into a place that cannot be written: a Dutch message,
exit 1, no traceback, and no folder created that nobody asked for."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from click.testing import CliRunner

from trialoog.cli import main
from workflow_helpers import FIXTURES, example_repo, trialoog

MOODLE = FIXTURES / "interop" / "moodle.csv"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def places(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "een-bestand").write_text("niet weggooien\n", encoding="utf-8")
    return {"missing": tmp_path / "bestaat-niet" / "map" / "uit.yml", "file-in-the-way": tmp_path / "een-bestand" / "uit.yml"}


@pytest.mark.parametrize("place", ["missing", "file-in-the-way"])
def test_framework_import_into_a_missing_folder_or_under_a_file(tmp_path, place):
    out = places(tmp_path)[place]
    result = run("framework", "import", MOODLE, "-o", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"Fout: {out} kan niet geschreven worden: de map {out.parent}" in result.output
    assert not (tmp_path / "bestaat-niet").exists() and (tmp_path / "een-bestand").read_text() == "niet weggooien\n"


def test_framework_import_without_rights_or_space(tmp_path, monkeypatch):
    out = tmp_path / "uit.yml"

    real_open = Path.open

    class Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            raise OSError(errno.ENOSPC, "No space left on device")

    def open_full(self, mode="r", *args, **kwargs):
        handle = real_open(self, mode, *args, **kwargs)
        return Full(handle) if mode == "x" else handle

    monkeypatch.setattr(Path, "open", open_full)
    result = run("framework", "import", MOODLE, "-o", out)
    assert result.exit_code == 1, result.output
    assert "kan niet geschreven worden: de schijf is vol (ENOSPC)" in result.output and not out.exists()


@pytest.mark.parametrize("place", ["missing", "file-in-the-way"])
def test_codeowners_output_into_a_missing_folder_or_under_a_file(tmp_path, monkeypatch, place):
    repo = example_repo(tmp_path, "repo")
    out = places(tmp_path)[place]
    result = trialoog(monkeypatch, repo, "codeowners", "-o", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "kan niet geschreven worden: de map" in result.output and "maak de map eerst" in result.output
    assert not (tmp_path / "bestaat-niet").exists()


def test_codeowners_without_rights(tmp_path, monkeypatch):
    repo = example_repo(tmp_path, "repo")

    def refused(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_text", refused)
    result = trialoog(monkeypatch, repo, "codeowners")
    assert result.exit_code == 1 and "kan niet geschreven worden: geen toegang" in result.output


def test_codeowners_still_makes_the_github_folder_by_default(tmp_path, monkeypatch):
    repo = example_repo(tmp_path, "repo")
    assert trialoog(monkeypatch, repo, "codeowners").exit_code == 0
    assert (repo / ".github" / "CODEOWNERS").is_file()
