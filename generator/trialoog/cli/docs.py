"""`python -m trialoog.cli.docs`: write or check the README's generated sections (codes, commands, map).

    python -m trialoog.cli.docs --check README.md   exit 1 when a section is out of date
    python -m trialoog.cli.docs --write README.md   replace every section between its markers
    python -m trialoog.cli.docs                     print the sections

The renderers are in trialoog.output.docs; this entry sits at the top of the house because the
command table is rendered from the click commands themselves, so a changed option or help text
shows up in the README at the next --write (and the test fails until then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trialoog.cli import main as trialoog
from trialoog.output import docs

COMMAND = "python -m trialoog.cli.docs"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=COMMAND, description="De gegenereerde delen van de README: meldingscodes, commando's en de kaart van de code.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="README", type=Path, help="exit 1 als een deel verouderd is")
    group.add_argument("--write", metavar="README", type=Path, help="vervang elk deel tussen zijn markeringen")
    args = parser.parse_args(argv)
    if not (args.check or args.write):
        try:
            sys.stdout.write("\n".join(f"{s.start}\n{s.render()}{s.end}\n" for s in docs.sections(trialoog)))
        except ValueError as error:
            print(f"Fout: {error}", file=sys.stderr)
            return 2
        return 0
    return docs.update(args.check or args.write, trialoog, write=bool(args.write), command=COMMAND)


if __name__ == "__main__":
    sys.exit(main())
