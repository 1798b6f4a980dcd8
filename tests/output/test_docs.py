"""Docs that cannot go stale: every diagnostic code and every command is in the README."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest

from trialoog.output import docs
from trialoog.cli import main
from trialoog.rules import RULES

from conftest import REPO

README = REPO / "README.md"


def readme() -> str:
    return README.read_text(encoding="utf-8")


def documented_codes() -> list[str]:
    start, end = readme().index(docs.START), readme().index(docs.END)
    return re.findall(r"^\| `([A-Z]{2}\d{3})` \|", readme()[start:end], re.MULTILINE)


def commands(group: click.Group, prefix: str = "trialoog"):
    for name, command in sorted(group.commands.items()):
        path = f"{prefix} {name}"
        yield path
        if isinstance(command, click.Group):
            yield from commands(command, path)


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_code_is_in_the_readme_table(code):
    assert code in documented_codes(), f"{code} ontbreekt in README.md: python -m trialoog.output.docs --write README.md"


def test_readme_table_has_no_unknown_codes():
    assert sorted(set(documented_codes()) - set(RULES)) == []


def test_readme_table_is_up_to_date():
    done = subprocess.run([sys.executable, "-m", "trialoog.output.docs", "--check", str(README)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("command", list(commands(main)))
def test_every_command_is_in_the_readme(command):
    assert f"`{command}" in readme(), f"'{command}' staat niet in README.md"


def test_table_row_per_rule_with_dutch_severity():
    lines = docs.codes_table().splitlines()
    assert lines[0] == "| code | ernst | betekenis | voorbeeld | oplossing |"
    assert len(lines) == 2 + len(RULES)
    row = next(line for line in lines if line.startswith("| `FM012` |"))
    assert row.split(" | ")[1:3] == ["waarschuwing", "ja/nee wordt waar/onwaar"]
    assert next(line for line in lines if line.startswith("| `RF001` |")).split(" | ")[1] == "fout"


def test_pipes_in_cells_are_escaped():
    assert docs._cell("a | b\nc") == "a \\| b c"


def test_write_replaces_only_between_markers(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(f"# Titel\n\n{docs.START}\nOUDE TABEL\n{docs.END}\n\nRest\n", encoding="utf-8")
    assert docs.main(["--check", str(path)]) == 1
    assert docs.main(["--write", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Titel\n\n" + docs.START + "\n| code |")
    assert text.endswith(docs.END + "\n\nRest\n") and "OUDE TABEL" not in text
    assert docs.main(["--check", str(path)]) == 0


def test_missing_markers_exit_2(tmp_path, capsys):
    path = tmp_path / "README.md"
    path.write_text("# Titel\n", encoding="utf-8")
    assert docs.main(["--check", str(path)]) == 2
    assert "markeringen" in capsys.readouterr().err


def test_print_table(capsys):
    assert docs.main([]) == 0
    assert capsys.readouterr().out == docs.codes_table()
