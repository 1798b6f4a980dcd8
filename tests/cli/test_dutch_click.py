"""Everything click itself prints is Dutch: help of every command, usage errors, --version; never a traceback.

click's texts (Usage, Options, Missing argument, No such command, Invalid value, is a directory, …)
come from trialoog.cli.dutch_click and the types in trialoog.cli.options. These tests walk the
whole command tree, so a new command that uses a plain click type or class fails here.
"""

from __future__ import annotations

import re

import click
import pytest
from click.testing import CliRunner

from trialoog.cli import dutch_click, main

# Phrases click prints in English, and metavars of its types (TEXT, INTEGER, DIRECTORY, ...).
ENGLISH = (
    "Usage:", "Options:", "Commands:", "Arguments:", "Show this message", "Show the version", "Error:",
    "Try '", "for help", "Missing argument", "Missing option", "Missing parameter", "Missing command",
    "No such", "Invalid value", "is not one of", "is not a valid", "not in the range", "does not exist",
    "is a directory", "is a file", "default:", "required]", "Got unexpected", "requires an argument",
    "does not take a value", "Did you mean", "Aborted", "Traceback", ", version ",
)
METAVARS = re.compile(r"\b(OPTIONS|COMMAND|ARGS|TEXT|INTEGER|DIRECTORY|FILE|PATH)\b")


def command_paths(group: click.Group = main, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


def commands(group: click.Group = main):
    for command in group.commands.values():
        yield command
        if isinstance(command, click.Group):
            yield from commands(command)


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def assert_dutch(result) -> None:
    text = result.output
    found = [phrase for phrase in ENGLISH if phrase in text] + METAVARS.findall(text)
    assert not found, f"Engels in de uitvoer: {found}\n{text}"
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize("path", command_paths(), ids=lambda path: " ".join(path) or "trialoog")
def test_help_of_every_command_is_dutch(path):
    result = invoke(*path, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith("Gebruik: trialoog")
    assert "Opties:" in result.stdout and "Toon deze hulp en stop." in result.stdout
    assert_dutch(result)


def test_group_help_lists_the_commands_in_dutch():
    result = invoke("--help")
    assert "Commando's:" in result.stdout and "check " in result.stdout
    assert "Toon de versie en stop." in result.stdout


def test_every_command_is_built_from_the_dutch_classes():
    for command in commands():
        assert isinstance(command, (dutch_click.Command, dutch_click.Group)), command.name


def test_no_command_uses_a_plain_click_type():
    plain = (click.Path, click.Choice, click.IntRange, click.FloatRange, click.File)
    for command in commands():
        for param in command.params:
            assert type(param.type) not in plain, f"{command.name} {param.name}: {type(param.type).__name__}"


def test_version_is_dutch():
    result = invoke("--version")
    assert result.exit_code == 0
    assert re.fullmatch(r"trialoog, versie \S+\n", result.stdout)


@pytest.fixture
def places(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "map").mkdir()
    (tmp_path / "bestand.md").write_text("tekst\n", encoding="utf-8")
    return tmp_path


USAGE_ERRORS = {
    "no command": (("framework", "--"), "Fout: geef een commando; kies uit: diff, export, import, show"),
    "unknown command": (("chek",), "Fout: onbekend commando 'chek' — bedoel je 'check'?"),
    "unknown command, no match": (("xyz",), "Fout: onbekend commando 'xyz'; kies uit: build, check,"),
    "unknown option": (("check", "--strikt"), "Fout: onbekende optie '--strikt' — bedoel je '--strict'?"),
    "missing argument": (("new", "reflection"), "Fout: argument 'TITEL' ontbreekt"),
    "missing option": (("new", "feedback", "Titel"), "Fout: optie '--on' ontbreekt"),
    "option without its value": (("check", "map", "--student"), "Fout: optie '--student' heeft een waarde nodig"),
    "flag with a value": (("check", "--strict=ja", "map"), "Fout: optie '--strict' neemt geen waarde"),
    "extra argument": (("check", "map", "nog"), "Fout: onverwacht argument: nog"),
    "bad choice": (("check", "map", "--format", "xml"), "Fout: ongeldige waarde voor '--format': 'xml' kan niet; kies uit: text, json, github, junit"),
    "no such folder": (("check", "nergens"), "Fout: ongeldige waarde voor 'MAP': 'nergens' bestaat niet"),
    "a file for a folder": (("check", "bestand.md"), "Fout: ongeldige waarde voor 'MAP': 'bestand.md' is een bestand; geef een map"),
    "a folder for a file": (("signoff", "map", "--by", "x"), "Fout: ongeldige waarde voor 'BESTAND': 'map' is een map; geef een bestand"),
    "no such file": (("feedback", "import", "weg.json"), "Fout: ongeldige waarde voor 'BESTAND': 'weg.json' bestaat niet"),
    "jobs not a number": (("build", "map", "--jobs", "veel"), "Fout: ongeldige waarde voor '--jobs': 'veel' is geen geheel getal"),
    "jobs out of range": (("build", "map", "--jobs", "0"), "Fout: ongeldige waarde voor '--jobs': 0 kan niet; kies een getal vanaf 1"),
    "port out of range": (("serve", "map", "--port", "70000"), "Fout: ongeldige waarde voor '--port': 70000 kan niet; kies een getal van 0 tot en met 65535"),
    "bad date": (("check", "map", "--as-of", "morgen"), "Fout: ongeldige waarde voor '--as-of': 'morgen' is geen datum; schrijf JJJJ-MM-DD"),
}


@pytest.mark.parametrize("args, expected", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_are_dutch_and_exit_2(places, args, expected):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Gebruik: trialoog")
    assert re.fullmatch(r"Zie 'trialoog[\w ]*--help' voor hulp\.", lines[1])
    assert lines[-1].startswith(expected), result.stderr
    assert_dutch(result)


@pytest.mark.parametrize("args", [(), ("new",), ("framework",), ("feedback",)], ids=["trialoog", "new", "framework", "feedback"])
def test_a_group_without_arguments_shows_its_help(args):
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Gebruik: trialoog") and "Commando's:" in result.stderr
    assert_dutch(result)


def test_option_notes_in_help_are_dutch():
    text = invoke("build", "--help").stdout
    assert "[standaard: mkdocs]" in text and "[vanaf 1]" in text
    assert "[verplicht]" in invoke("framework", "import", "--help").stdout
