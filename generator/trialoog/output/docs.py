"""The README's table of diagnostic codes, generated from trialoog.rules so the two never drift.

    python -m trialoog.output.docs                     print the table
    python -m trialoog.output.docs --check README.md   exit 1 when the README's table is out of date
    python -m trialoog.output.docs --write README.md   replace the table between the markers
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialoog.diagnostics import Severity
from trialoog.rules import RULES

START = "<!-- codes:start -->"
END = "<!-- codes:end -->"
SEVERITY = {Severity.ERROR: "fout", Severity.WARNING: "waarschuwing"}
HEADER = ("code", "ernst", "betekenis", "voorbeeld", "oplossing")


def codes_table() -> str:
    """A Markdown table of every rule, in code order."""
    rows = [HEADER, ("---",) * len(HEADER)]
    for code in sorted(RULES):
        rule = RULES[code]
        rows.append((f"`{code}`", SEVERITY[rule.severity], rule.title, rule.example, rule.fix))
    return "\n".join("| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("\n", " ").replace("|", "\\|")


def replace_table(document: str, table: str) -> str:
    """`document` with the part between the markers replaced by `table`."""
    start, end = document.find(START), document.find(END)
    if start < 0 or end < start:
        raise ValueError(f"markeringen {START} en {END} niet gevonden")
    return document[: start + len(START)] + "\n" + table + document[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trialoog.output.docs", description="De tabel met meldingscodes voor de README.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="README", type=Path, help="exit 1 als de tabel verouderd is")
    group.add_argument("--write", metavar="README", type=Path, help="vervang de tabel tussen de markeringen")
    args = parser.parse_args(argv)
    if not (args.check or args.write):
        sys.stdout.write(codes_table())
        return 0
    return _update(args.check or args.write, write=bool(args.write))


def _update(path: Path, write: bool) -> int:
    try:
        current = path.read_text(encoding="utf-8")
        wanted = replace_table(current, codes_table())
    except (OSError, ValueError) as error:
        print(f"Fout: {path}: {error}", file=sys.stderr)
        return 2
    if wanted == current:
        return 0
    if write:
        path.write_text(wanted, encoding="utf-8")
        print(f"Bijgewerkt: {path}")
        return 0
    print(f"{path}: de tabel met meldingscodes is verouderd; draai `python -m trialoog.output.docs --write {path}`", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
