"""Internal links and images in the Markdown body resolve to a file inside the student's folder."""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import Diagnostic, Position
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.paths import Resolved, is_external, resolve_inside

if TYPE_CHECKING:
    from trialoog.checks import Context

MARKDOWN_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")
PATTERNS = (MARKDOWN_LINK, HTML_LINK)
NEEDS = ("](", "=")  # a literal each pattern needs


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    known: dict[tuple[str, str], Resolved] = {}  # (folder of the entry, target) -> Resolved: entries in one folder link alike
    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.doc.data is None:
            continue
        folder = posixpath.dirname(entry.id)
        for line, column, target in links_in(entry.doc.body, entry.doc.body_line):
            resolved = known.get((folder, target))
            if resolved is None:
                resolved = known[(folder, target)] = resolve_inside(student, entry, target)
            if not resolved.found:
                code = rules.BROKEN_LINK if resolved.code in (rules.MISSING_FILE, None) else resolved.code
                message = f"link {resolved.message}"
                yield rules.make(code, str(entry.path), Position(line, column), message, student.id)


def links_in(body: str, first_line: int) -> Iterator[tuple[int, int, str]]:
    """(line, column, target) of every local link or image outside code blocks."""
    if "](" not in body and "=" not in body:  # what both patterns need
        return
    fenced = "```" in body or "~~~" in body
    for line, column, target in _links_by_line(body, first_line) if fenced else _links_in_text(body, first_line):
        # Browsers decode entities and trim spaces: `href=" https://…"` and `&colon;` are external.
        target = html.unescape(target).strip().split("#", 1)[0].split("?", 1)[0]
        if target and not is_external(target):
            yield line, column, target


def _links_in_text(body: str, first_line: int) -> list:
    """The links of a body without code blocks, scanning only the lines that can hold one.

    Each pattern runs on one line at a time (pos/endpos), exactly as the line-by-line scan does,
    but only on lines that contain the literal it needs.
    """
    found = []
    for order, (pattern, needs) in enumerate(zip(PATTERNS, NEEDS)):
        for line_start, line_end in _lines_with(body, needs):
            for match in pattern.finditer(body, line_start, line_end):
                found.append((line_start, order, match.start(1) - line_start + 1, match.group(1)))
    found.sort()
    return [(first_line + body.count("\n", 0, line_start), column, target) for line_start, _, column, target in found]


def _lines_with(body: str, needle: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of `body` that contains `needle`, in order."""
    at = body.find(needle)
    while at >= 0:
        line_start = body.rfind("\n", 0, at) + 1
        line_end = body.find("\n", at)
        line_end = len(body) if line_end < 0 else line_end
        yield line_start, line_end
        at = body.find(needle, line_end)


def _links_by_line(body: str, first_line: int) -> Iterator[tuple[int, int, str]]:
    in_fence = False
    for number, text in enumerate(body.split("\n"), start=first_line):
        if ("```" in text or "~~~" in text) and FENCE.match(text):
            in_fence = not in_fence
            continue
        if in_fence or ("](" not in text and "=" not in text):
            continue
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                yield number, match.start(1) + 1, match.group(1)
