"""Parameter types shared by the click commands, each failing with a Dutch message.

click's own Path, Choice and IntRange say "Directory … does not exist" or "is not one of …";
these subclasses keep click's checks and replace only the sentence the user reads. Commands use
them instead of click's types (tests/cli/test_dutch_click.py holds that). The cohort argument
[MAP] that most commands share is here too, with the rule for which student a command works on.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from trialoog.cli.dutch_click import describe_range
from trialoog.output.formats import printable
from trialoog.portfolio.locate import Place


class DateType(click.ParamType):
    name = "DATUM"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is geen datum; schrijf JJJJ-MM-DD", param, ctx)


class DutchPath(click.Path):
    """click.Path with Dutch names (MAP, BESTAND, PAD) and messages."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.name = "map" if not self.file_okay else "bestand" if not self.dir_okay else "pad"

    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(self._why(os.fsdecode(value)), param, ctx)

    def _why(self, path: str) -> str:
        if not os.path.exists(path):
            return f"'{path}' bestaat niet"
        if os.path.isdir(path) and not self.dir_okay:
            return f"'{path}' is een map; geef een bestand"
        if not os.path.isdir(path) and not self.file_okay:
            return f"'{path}' is een bestand; geef een map"
        return f"'{path}' kan niet gelezen of geschreven worden (rechten?)"


class DutchChoice(click.Choice):
    def convert(self, value, param, ctx):
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter:
            self.fail(f"'{value}' kan niet; kies uit: {', '.join(map(str, self.choices))}", param, ctx)


class DutchIntRange(click.IntRange):
    name = "getal"

    def convert(self, value, param, ctx):
        try:
            number = int(value)
        except (TypeError, ValueError):
            self.fail(f"'{value}' is geen geheel getal", param, ctx)
        try:
            return super().convert(number, param, ctx)
        except click.BadParameter:
            self.fail(f"{number} kan niet; kies een getal {describe_range(self)}", param, ctx)


DATE = DateType()
FOLDER = DutchPath(file_okay=False, path_type=Path)
FILE = DutchPath(dir_okay=False, path_type=Path)
EXISTING_FOLDER = DutchPath(exists=True, file_okay=False, path_type=Path)
EXISTING_FILE = DutchPath(exists=True, dir_okay=False, path_type=Path)


# ---- the cohort argument ------------------------------------------------------------------------

def cohort_argument(function):
    """[MAP]: the folder with portfolio.yml or a student folder in it; without it, found from here."""
    return click.argument("path", type=EXISTING_FOLDER, required=False, metavar="[MAP]")(function)


def student_for(place: Place, student: str | None, command: str | None = None) -> str | None:
    """--student, else the student folder the user stands in or named; says so on stderr.

    The note goes to stderr so that the output of `check --format json` stays the report alone;
    `command` adds how to reach the whole cohort instead.
    """
    if student is not None or place.student is None:
        return student
    whole = f" (de hele cohorte: `trialoog {command} {_relative(place.root)}`)" if command else ""
    click.echo(f"Student {printable(place.student)}: de studentenmap waarin je staat of die je gaf{whole}.", err=True)
    return place.student


def _relative(folder: Path) -> str:
    """`folder` as one would type it from here ('../..'), for a command to copy."""
    try:
        return printable(Path(os.path.relpath(folder)).as_posix())
    except ValueError:  # another drive (Windows)
        return printable(folder.as_posix())
