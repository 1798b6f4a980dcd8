"""click in Dutch, in one place: usage, help headings, the help and version options, and click's errors.

click marks its texts for gettext but ships no Dutch catalogue, and installing one would change the
gettext domain of the whole process. So every command is built from the subclasses here
(Command, Group, Context, Formatter), and `explain()` writes a Dutch sentence from the structured
fields of a click exception (its parameter, option name, close matches) instead of translating its
English text. The parameter types with Dutch messages live in trialoog.cli.options.
"""

from __future__ import annotations

import difflib

from typing import TYPE_CHECKING

import click
from click.exceptions import NoArgsIsHelpError

HELP = "Toon deze hulp en stop."
HEADINGS = {"Options": "Opties", "Commands": "Commando's", "Arguments": "Argumenten", "Positional arguments": "Argumenten"}
USAGE = "Gebruik: "
OPTIONS_METAVAR = "[OPTIES]"
SUBCOMMAND_METAVAR = "COMMANDO [ARGUMENTEN]..."
TEXT_METAVAR = "TEKST"  # click shows TEXT for an option without a type


class Formatter(click.HelpFormatter):
    """click's formatter with a Dutch usage prefix and Dutch section headings."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(HEADINGS.get(heading, heading))


class Context(click.Context):
    formatter_class = Formatter


if TYPE_CHECKING:
    _Base = click.Command
else:
    _Base = object  # a mixin: the real base comes second in Command and Group


class _Dutch(_Base):
    """What a Dutch command and group share: the context, the help option and the option list."""

    context_class: type[click.Context] = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, click.Option) and param.metavar is None and isinstance(param.type, click.types.StringParamType):
                param.metavar = TEXT_METAVAR

    def parse_args(self, ctx, args):
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            error.ctx = error.ctx or ctx  # the parser's errors lack it; explain() needs it for the usage line
            raise

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP
        return option

    def format_options(self, ctx, formatter):
        rows = [row for param in self.get_params(ctx) if isinstance(param, click.Option) and (row := _help_row(param, ctx))]
        if rows:
            with formatter.section("Opties"):
                formatter.write_dl(rows)


class Command(_Dutch, click.Command):
    # click refuses extra arguments in English; accept them here so parse_args can refuse them in Dutch.
    allow_extra_args = True

    def parse_args(self, ctx, args):
        rest = super().parse_args(ctx, args)
        if rest and not ctx.resilient_parsing:
            ctx.fail(f"onverwacht argument: {' '.join(rest)}")
        return rest


class Group(_Dutch, click.Group):
    command_class = Command
    group_class = type  # subgroups are of the same class

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)

    def format_options(self, ctx, formatter):
        super().format_options(ctx, formatter)  # the Dutch option rows replace click.Group's, which listed the commands too
        self.format_commands(ctx, formatter)

    def resolve_command(self, ctx, args):
        name = args[0]
        if self.get_command(ctx, name) is None and not name.startswith("-") and not ctx.resilient_parsing:
            names = self.list_commands(ctx)
            ctx.fail(f"onbekend commando '{name}'{_suggestion(name, names) or '; kies uit: ' + ', '.join(names)}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        if not ctx._protected_args and not self.invoke_without_command:  # click would say "Missing command."
            ctx.fail(f"geef een commando; kies uit: {', '.join(self.list_commands(ctx))}")
        return super().invoke(ctx)


def command(*args, **kwargs):
    """click.command, building a Dutch Command."""
    return click.command(*args, cls=Command, **kwargs)


def group(*args, **kwargs):
    """click.group, building a Dutch Group."""
    return click.group(*args, cls=Group, **kwargs)


def version_option(version: str, prog_name: str):
    return click.version_option(version, prog_name=prog_name, message="%(prog)s, versie %(version)s", help="Toon de versie en stop.")


# ---- help rows --------------------------------------------------------------------------------


def _help_row(option: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """The option's row in --help, with Dutch notes instead of click's `[default: …; required]`."""
    record = option.get_help_record(ctx)
    if record is None:
        return None
    extra = option.get_help_extra(ctx)
    notes = [f"standaard: {extra['default']}"] if "default" in extra else []
    notes += [describe_range(option.type)] if "range" in extra else []
    notes += ["verplicht"] if "required" in extra else []
    text = option.help or ""
    if notes:
        text = f"{text}  [{'; '.join(notes)}]" if text else f"[{'; '.join(notes)}]"
    return record[0], text


def describe_range(kind) -> str:
    """A click number range in words: 'van 0 tot en met 65535', 'vanaf 1'."""
    if kind.min is not None and kind.max is not None:
        return f"van {kind.min} tot en met {kind.max}"
    return f"vanaf {kind.min}" if kind.min is not None else f"tot en met {kind.max}"


# ---- errors -----------------------------------------------------------------------------------


class Failure(click.ClickException):
    """What the user reads when a command stops: Dutch lines on stderr, and the exit code."""

    def __init__(self, lines: list[str], exit_code: int):
        super().__init__("\n".join(lines))
        self.lines = lines
        self.exit_code = exit_code  # type: ignore[misc]  # click reads it from the instance

    def show(self, file=None) -> None:
        for line in self.lines:
            click.echo(line, err=True)


def explain(error: click.ClickException) -> list[str]:
    """Dutch lines for a click error: the usage and a pointer to --help for a usage error, then `Fout: …`."""
    if isinstance(error, NoArgsIsHelpError):
        return [error.ctx.get_help()]
    lines = []
    if isinstance(error, click.UsageError) and error.ctx is not None:
        lines += [error.ctx.get_usage(), f"Zie '{error.ctx.command_path} --help' voor hulp."]
    return [*lines, f"Fout: {message(error)}"]


def message(error: click.ClickException) -> str:
    """The Dutch sentence for one click error, built from its fields rather than from its English text."""
    if isinstance(error, click.NoSuchOption):
        return f"onbekende optie '{error.option_name}'{_suggestion(error.option_name, error.possibilities or ())}"
    if isinstance(error, click.MissingParameter):
        return _missing(error)
    if isinstance(error, click.BadParameter):
        hint = _hint(error)
        return f"ongeldige waarde voor {hint}: {error.message}" if hint else f"ongeldige waarde: {error.message}"
    if isinstance(error, click.BadOptionUsage):
        return _option_usage(error)
    if isinstance(error, click.FileError):
        return f"kan het bestand '{error.ui_filename}' niet openen"
    return error.message  # our own ctx.fail and self.fail texts, already Dutch


def _hint(error: click.BadParameter) -> str | None:
    if error.param_hint is not None:
        hints = [error.param_hint] if isinstance(error.param_hint, str) else list(error.param_hint)
        return " / ".join(hint if hint.startswith("'") else f"'{hint}'" for hint in hints)
    if isinstance(error.param, click.Argument):
        return f"'{(error.param.metavar or error.param.name.upper()).strip('[].')}'"
    return error.param.get_error_hint(error.ctx) if error.param is not None else None


def _missing(error: click.MissingParameter) -> str:
    param_type = error.param_type or getattr(error.param, "param_type_name", None)
    kind = {"argument": "argument", "option": "optie"}.get(param_type or "", "waarde")
    hint = _hint(error)
    text = f"{kind} {hint} ontbreekt" if hint else f"{kind} ontbreekt"
    choices = getattr(error.param, "type", None)
    if isinstance(choices, click.Choice):
        text += f"; kies uit: {', '.join(map(str, choices.choices))}"
    return text


def _option_usage(error: click.BadOptionUsage) -> str:
    command = error.ctx.command if error.ctx is not None else None
    flags = {name for param in getattr(command, "params", ()) if getattr(param, "is_flag", False) for name in param.opts}
    if error.option_name in flags:
        return f"optie '{error.option_name}' neemt geen waarde"
    return f"optie '{error.option_name}' heeft een waarde nodig"


def _suggestion(name: str, possibilities) -> str:
    close = difflib.get_close_matches(name, list(possibilities), n=3)
    if not close:
        return ""
    return f" — bedoel je {' of '.join(repr(c) for c in close)}?"
