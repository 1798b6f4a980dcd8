"""The one error boundary: what a user can cause becomes Dutch text on stderr and an exit code.

Every such error is a TrialoogError (trialoog.errors) or a click usage error. The root group catches
both, once, around parsing and around every command, and never shows a traceback. Exit codes follow
DESIGN.md: 1 for a refusal or a problem, 2 for a usage or configuration error. Modelled on
sqlite-utils, whose library errors become `Error: …` at its click boundary.
"""

from __future__ import annotations

import contextlib
import errno

import click

from trialoog.cli.dutch_click import Failure, Group, explain
from trialoog.errors import TrialoogError, os_reason
from trialoog.output.formats import diagnostic_line, printable_lines


class Trialoog(Group):
    """The root group: parsing and every command run inside `boundary()`."""

    group_class = Group  # type: ignore[assignment]  # the boundary is only here, around everything

    def make_context(self, *args, **kwargs):
        with boundary():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx):
        with boundary():
            return super().invoke(ctx)


@contextlib.contextmanager
def boundary():
    """Turn what a user can cause into a Failure, which click shows and exits with; never a traceback."""
    try:
        yield
    except Failure:
        raise
    except click.ClickException as error:
        raise Failure(explain(error), error.exit_code) from None
    except TrialoogError as error:
        raise Failure(error_lines(error), error.exit_code) from None
    except (click.Abort, KeyboardInterrupt, EOFError):
        raise Failure(["Afgebroken."], 1) from None
    except OSError as error:
        if error.errno == errno.EPIPE:
            raise  # click itself silences a closed pipe (`trialoog check | head`)
        raise Failure([f"Fout: {_os_error(error)}"], 1) from None


def error_lines(error: TrialoogError) -> list[str]:
    """A configuration error shows its diagnostics (file, line, fix); any other error one `Fout: …`."""
    if error.diagnostics:
        return [diagnostic_line(d, error.root) for d in error.diagnostics]
    return [f"Fout: {printable_lines(error.message)}"]


def report_error(error: TrialoogError) -> None:
    """Print an error as the boundary does, for a command that goes on afterwards (serve's rebuilds)."""
    Failure(error_lines(error), error.exit_code).show()


def _os_error(error: OSError) -> str:
    """The operating system's reason in Dutch (its own text is English), with the file it concerns."""
    return f"{error.filename}: {os_reason(error)}" if error.filename else os_reason(error)
