"""Internal links and images in the Markdown body resolve to a file inside the student's folder.

The links are the parser's (trialoog.portfolio.links): what the build turns into a link is what
is checked, so code is never checked and reference-style links and unquoted HTML attributes are.
Rendering costs more than the rest of the check together, so a text whose links are all plain
`[tekst](pad)` links that resolve is passed without it; any problem is confirmed by links_in, which
renders only a text its scan does not read exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import Diagnostic, Position
from trialoog.portfolio.links import links_in, local_reference, quick_targets
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.paths import Resolved

if TYPE_CHECKING:
    from trialoog.checks import Context


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    def resolved(entry: Entry, path: str) -> Resolved:
        return context.resolve(student, entry, path)

    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.doc.data is None:
            continue
        body = entry.doc.body
        quick = quick_targets(body)
        if quick is not None and all(reference is None or resolved(entry, reference.path).found
                                     for reference in map(local_reference, quick)):
            continue
        for link in links_in(body, entry.doc.body_line):
            reference = local_reference(link.target)
            if reference is None:
                continue
            found = resolved(entry, reference.path)
            if not found.found:
                code = rules.BROKEN_LINK if found.code in (rules.MISSING_FILE, None) else found.code
                yield rules.make(code, str(entry.path), Position(link.line, link.column), f"link {found.message}", student.id)
