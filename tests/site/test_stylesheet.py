"""The theme's stylesheet stays well-formed: an unclosed block swallows every rule after it.

A browser does not complain about a missing `}`: it reads the rest of the file as part of the
open block (an `@media print` block, say), and the footer, the phone layout and the dark scheme
quietly stop working on screen. Merges of sections written side by side are where this happens.
"""

import re
from pathlib import Path

STYLESHEET = Path(__file__).resolve().parents[2] / "theme" / "assets" / "stylesheets" / "trialoog.css"


def _without_comments_and_strings(css: str) -> str:
    css = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group().count("\n"), css, flags=re.S)
    return re.sub(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'', '""', css)


def test_every_block_of_the_stylesheet_is_closed():
    depth, opened = 0, []
    for number, line in enumerate(_without_comments_and_strings(STYLESHEET.read_text(encoding="utf-8")).splitlines(), 1):
        for char in line:
            if char == "{":
                depth += 1
                opened.append(number)
            elif char == "}":
                assert depth > 0, f"regel {number}: een }} te veel"
                depth -= 1
                opened.pop()
    assert depth == 0, f"niet gesloten blok(ken), geopend op regel(s) {opened}"


def test_each_section_starts_outside_any_block():
    """Sections begin with a `/* --` or `/* ==` heading; one inside a block means the block above is open."""
    depth = 0
    for number, line in enumerate(STYLESHEET.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"/\* (--|==)", line):
            assert depth == 0, f"regel {number}: een sectie begint binnen een open blok"
        depth += _without_comments_and_strings(line).count("{") - _without_comments_and_strings(line).count("}")
