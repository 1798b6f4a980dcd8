"""One error family, one boundary: every TrialoogError has an exit code and a Dutch message, and the
root group prints it once, as `Fout: …` or as diagnostics, without a traceback."""

from __future__ import annotations

import ast
import errno
import importlib
import pkgutil
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import trialoog
from trialoog.cli.boundary import Trialoog
from trialoog.diagnostics import Diagnostic
from trialoog.errors import TrialoogError
from trialoog.portfolio.framework import FrameworkError
from trialoog.portfolio.framework_import import FrameworkImportError
from trialoog.portfolio.load import ConfigError
from trialoog.site.builder import BuildError
from trialoog.site.engine import EngineError
from trialoog.workflow.gitrepo import Refused, WorkflowError

PACKAGE = Path(trialoog.__file__).parent
ENGLISH = re.compile(r"\b(the|is not|cannot|could not|invalid|error|failed|missing|unknown|must|should|not found|already)\b", re.I)


def all_subclasses(cls: type) -> set[type]:
    found = set(cls.__subclasses__())
    return found.union(*(all_subclasses(sub) for sub in found))


def family() -> set[type]:
    for module in pkgutil.walk_packages([str(PACKAGE)], "trialoog."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    return {cls for cls in all_subclasses(TrialoogError) if cls.__module__.startswith("trialoog.")}


def test_the_seven_classes_are_one_family():
    assert {ConfigError, FrameworkError, FrameworkImportError, EngineError, BuildError, WorkflowError, Refused} <= family()


@pytest.mark.parametrize("cls", sorted(family(), key=lambda cls: cls.__name__), ids=lambda cls: cls.__name__)
def test_every_error_declares_an_exit_code_and_why(cls):
    assert cls.exit_code in (1, 2)
    assert cls.__doc__, f"{cls.__name__} heeft geen docstring"


def raised_messages():
    """The literal text of every `raise SomeError(...)` of the family in the package."""
    names = {cls.__name__ for cls in family()} | {"TrialoogError", "UsageError"}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and getattr(node.exc.func, "id", None) in names and node.exc.args:
                text = _literal(node.exc.args[0])
                if text is not None:
                    yield f"{path.relative_to(PACKAGE)}:{node.lineno}", text


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    return None


def test_every_raised_message_is_dutch():
    messages = list(raised_messages())
    assert len(messages) > 50
    english = [(where, text) for where, text in messages if ENGLISH.search(text)]
    assert english == []


# ---- the boundary -----------------------------------------------------------------------------

def raising(error: BaseException) -> Trialoog:
    """A root group like `trialoog`'s, with one command (in a subgroup) that raises `error`."""
    root = Trialoog("trialoog")

    @root.group("groep")
    def group():
        """Een groep."""

    @group.command("stuk")
    def broken():
        """Gaat stuk."""
        raise error

    return root


def run(error: BaseException):
    return CliRunner().invoke(raising(error), ["groep", "stuk"])


DIAGNOSTIC = Diagnostic("portfolio.yml", 3, 5, "SC002", "sleutel 'title' ontbreekt")


@pytest.mark.parametrize("error, code", [
    (FrameworkError("raamwerk 'x' niet gevonden"), 1),
    (FrameworkImportError("k.yml bestaat al"), 1),
    (EngineError("MkDocs kon niet bouwen"), 1),
    (BuildError("onbekende student 'y'", exit_code=2), 2),
    (WorkflowError("geen portfolio.yml"), 2),
    (Refused("bestaat al"), 1),
], ids=lambda value: type(value).__name__ if isinstance(value, Exception) else str(value))
def test_the_boundary_prints_the_message_once_with_its_exit_code(error, code):
    result = run(error)
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"Fout: {error.message}\n")
    assert isinstance(result.exception, SystemExit)


def test_a_configuration_error_shows_its_diagnostics():
    result = run(ConfigError([DIAGNOSTIC]))
    assert (result.exit_code, result.stderr) == (2, "portfolio.yml:3:5: SC002 sleutel 'title' ontbreekt\n")


def test_an_os_error_is_dutch_without_the_systems_english():
    result = run(PermissionError(errno.EACCES, "Permission denied", "/site/index.html"))
    assert (result.exit_code, result.stderr) == (1, "Fout: /site/index.html: geen toegang (geen schrijfrechten of leesrechten) (EACCES)\n")


def test_an_interrupt_is_dutch():
    result = run(KeyboardInterrupt())
    assert (result.exit_code, result.stderr) == (1, "Afgebroken.\n")


def test_a_bug_is_not_hidden():
    # Only what a user can cause is turned into a message; a programming error keeps its traceback.
    result = run(ZeroDivisionError())
    assert isinstance(result.exception, ZeroDivisionError)


def test_an_existing_failing_command_goes_through_the_boundary(tmp_path):
    from trialoog.cli import main

    result = CliRunner().invoke(main, ["framework", "show", "onbestaand", "--path", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Fout: kader 'onbestaand': geen ingebouwd kader")
    assert "Traceback" not in result.output


def test_serve_reports_a_failed_rebuild_and_goes_on():
    from trialoog.site.serve import _reporting

    reported = []

    def rebuild():
        raise ConfigError([DIAGNOSTIC])

    _reporting(rebuild, reported.append)()
    assert [error.diagnostics for error in reported] == [(DIAGNOSTIC,)]


def test_the_root_group_is_the_boundary():
    from trialoog.cli import main

    assert isinstance(main, Trialoog)
    assert not any(isinstance(command, Trialoog) for command in main.commands.values())
    assert click.ClickException.show.__module__ == "click.exceptions"  # no patch of click
