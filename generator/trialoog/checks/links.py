"""Internal links and images in the Markdown body resolve to a file inside the student's folder."""

from __future__ import annotations

import re

from trialoog import rules
from trialoog.diagnostics import Position
from trialoog.paths import is_external, resolve_inside

MARKDOWN_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"'\n]*[\"'])?\s*\)")
HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")


def check(cohort, student, context):
    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.doc.data is None:
            continue
        for line, column, target in links_in(entry.doc.body, entry.doc.body_line):
            resolved = resolve_inside(student, entry, target)
            if not resolved.found:
                code = rules.BROKEN_LINK if resolved.code == rules.MISSING_FILE else resolved.code
                message = f"link {resolved.message}"
                yield rules.make(code, str(entry.path), Position(line, column), message, student.id)


def links_in(body: str, first_line: int):
    """(line, column, target) of every local link or image outside code blocks."""
    if "](" not in body and "=" not in body:  # what both patterns need
        return
    in_fence = False
    for number, text in enumerate(body.split("\n"), start=first_line):
        if ("```" in text or "~~~" in text) and FENCE.match(text):
            in_fence = not in_fence
            continue
        if in_fence or ("](" not in text and "=" not in text):
            continue
        for pattern in (MARKDOWN_LINK, HTML_LINK):
            for match in pattern.finditer(text):
                target = match.group(1).split("#", 1)[0].split("?", 1)[0]
                if target and not is_external(target):
                    yield number, match.start(1) + 1, target
