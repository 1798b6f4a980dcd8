"""The README's generated sections (codes, commands, map of the code), so docs and code never drift.

Each section lives between two markers in README.md and is rendered here from the thing it
describes: the code table from trialoog.rules, the command table from the live click commands,
the map of the code from the module docstrings (read with ast, nothing imported). The click
commands sit above this stage, so they come in as an argument; `python -m trialoog.cli.docs`
passes them and is the one entry that writes or checks the README.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import click

from trialoog.diagnostics import Severity
from trialoog.rules import RULES

START = "<!-- codes:start -->"
END = "<!-- codes:end -->"
SEVERITY = {Severity.ERROR: "fout", Severity.WARNING: "waarschuwing"}
HEADER = ("code", "ernst", "betekenis", "voorbeeld", "oplossing")

PACKAGE = Path(__file__).resolve().parents[1]
# The stages of DESIGN.md from the bottom up (tests/test_layout.py holds the imports to it); the
# map lists them in this order so a reader sees the pipeline, not the alphabet.
STAGES = ("portfolio", "checks", "output", "site", "workflow", "cli")


@dataclass(frozen=True)
class Section:
    """One generated part of the README: its markers and what it says."""

    name: str
    start: str
    end: str
    render: Callable[[], str]


def _table(rows: list[tuple[str, ...]]) -> str:
    rows = [rows[0], ("---",) * len(rows[0]), *rows[1:]]
    return "\n".join("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


# ---- codes -------------------------------------------------------------------------------------

def codes_table() -> str:
    """A Markdown table of every rule, in code order."""
    return _table([HEADER, *((f"`{code}`", SEVERITY[RULES[code].severity], RULES[code].title, RULES[code].example, RULES[code].fix)
                              for code in sorted(RULES))])


# ---- commands ----------------------------------------------------------------------------------

def commands(group: click.Group, parent: click.Context | None = None):
    """(context, command) for every command that runs something, in the order they were added."""
    context = parent or click.Context(group, info_name="trialoog")  # the console script, not the function
    for name, command in group.commands.items():
        if command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=context)
        if isinstance(command, click.Group):
            yield from commands(command, sub)
        else:
            yield sub, command


def usage(context: click.Context, command: click.Command) -> str:
    """`trialoog new feedback TITLE --on TEXT …`: the command path, its arguments, then its options."""
    arguments = [param.make_metavar(context) for param in command.params if isinstance(param, click.Argument)]
    options = [_option(context, param) for param in command.params if isinstance(param, click.Option) and not param.hidden]
    return " ".join([context.command_path, *arguments, *options])


def _option(context: click.Context, option: click.Option) -> str:
    name = "/".join(option.opts)
    if option.is_flag:
        text = name
    elif isinstance(option.type, click.Choice) and option.metavar is None:
        text = f"{name} {'|'.join(map(str, option.type.choices))}"  # click's own [a|b] would nest brackets
    else:
        text = f"{name} {option.make_metavar(context)}"
    if not option.required:
        text = f"[{text}]"
    return text + ("…" if option.multiple else "")


def summary(command: click.Command) -> str:
    """The first paragraph of a command's help, on one line."""
    paragraph = inspect.cleandoc(command.help or "").split("\n\n")[0]
    return " ".join(paragraph.split())


def commands_table(group: click.Group) -> str:
    """A Markdown table with a row per command: how to call it and what it does."""
    return _table([("commando", "wat het doet"), *((f"`{usage(context, command)}`", summary(command)) for context, command in commands(group))])


# ---- map of the code ---------------------------------------------------------------------------

def modules(package: Path = PACKAGE) -> list[Path]:
    """The package's modules in map order: the flat ones, then each stage's `__init__` and modules."""
    flat = sorted(package.glob("*.py"), key=lambda path: (path.stem not in ("__init__", "__main__"), path.name))
    folders = sorted((path for path in package.iterdir() if (path / "__init__.py").is_file()), key=_stage_rank)
    staged = [path for folder in folders for path in sorted(folder.glob("*.py"), key=lambda path: (path.stem != "__init__", path.name))]
    return flat + staged


def _stage_rank(folder: Path) -> tuple[int, str]:
    return (STAGES.index(folder.name) if folder.name in STAGES else len(STAGES), folder.name)


def first_line(path: Path) -> str:
    """The summary line of a module's docstring; a module without one cannot be put on the map."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    paragraph = (docstring or "").strip().split("\n\n")[0]
    if not paragraph:
        raise ValueError(f"{path.name} heeft geen docstring: schrijf in één regel waarvoor de module dient")
    if "\n" in paragraph:
        raise ValueError(f"de docstring van {path.name} begint met meer dan één regel: zet de samenvatting op de eerste regel en dan een lege regel")
    return paragraph


def code_map(package: Path = PACKAGE) -> str:
    """A Markdown table of every package and module with the first line of its docstring."""
    rows: list[tuple[str, ...]] = [("module", "waarvoor")]
    for path in modules(package):
        relative = path.relative_to(package)
        name = f"{relative.parent.as_posix()}/" if path.name == "__init__.py" and relative.parent.parts else relative.as_posix()
        rows.append((f"`{name}`", first_line(path)))
    return _table(rows)


# ---- the README ----------------------------------------------------------------------------------

def sections(group: click.Group) -> list[Section]:
    return [
        Section("de tabel met meldingscodes", START, END, codes_table),
        Section("de tabel met commando's", "<!-- commands:start -->", "<!-- commands:end -->", lambda: commands_table(group)),
        Section("de kaart van de code", "<!-- map:start -->", "<!-- map:end -->", code_map),
    ]


def replace_section(document: str, section: Section, text: str) -> str:
    """`document` with the part between the section's markers replaced by `text`."""
    start, end = document.find(section.start), document.find(section.end)
    if start < 0 or end < start:
        raise ValueError(f"markeringen {section.start} en {section.end} niet gevonden")
    return document[: start + len(section.start)] + "\n" + text + document[end:]


def update(path: Path, group: click.Group, write: bool, command: str) -> int:
    """Check (or rewrite) every generated section of `path`: 0 up to date, 1 out of date, 2 unusable."""
    try:
        current = path.read_text(encoding="utf-8")
        wanted, stale = current, []
        for section in sections(group):
            before, wanted = wanted, replace_section(wanted, section, section.render())
            if wanted != before:
                stale.append(section.name)
    except (OSError, ValueError) as error:
        click.echo(f"Fout: {path}: {error}", err=True)
        return 2
    if not stale:
        return 0
    if write:
        path.write_text(wanted, encoding="utf-8")
        click.echo(f"Bijgewerkt: {path} ({', '.join(stale)})")
        return 0
    click.echo(f"{path}: {', '.join(stale)} is verouderd; draai `{command} --write {path}`", err=True)
    return 1
