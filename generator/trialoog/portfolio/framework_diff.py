"""`trialoog framework diff OLD NEW`: what changes for a programme that switches framework.

Codes that disappeared, appeared or changed title; and, given a cohort, every entry, rating and
milestone that cites a code NEW does not have, so the coordinator sees who is affected before the
switch and which old codes a mapping file (trialoog.portfolio.framework_mapping) should cover.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from trialoog.portfolio.framework import Framework

if TYPE_CHECKING:
    from trialoog.portfolio.load import Cohort


@dataclass(frozen=True)
class Citation:
    where: str  # "portfolio.yml, mijlpaal 'lente'" or "amina-el-khatib/reflecties/2017-09-08-eerste-week.md"
    line: int
    code: str
    mapped: tuple[str, ...] = ()  # the new codes a mapping file maps it to (empty: not mapped)


@dataclass
class FrameworkDiff:
    old: Framework
    new: Framework
    disappeared: list[str] = field(default_factory=list)
    appeared: list[str] = field(default_factory=list)
    retitled: list[tuple[str, str, str]] = field(default_factory=list)  # code, old title, new title
    citations: list[Citation] | None = None  # None: no cohort was given


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Codes compared as written (case and dots matter: entries cite them as written)."""
    found = FrameworkDiff(old, new)
    new_codes, old_codes = set(new.codes()), set(old.codes())
    found.disappeared = [code for code in old.codes() if code not in new_codes]
    found.appeared = [code for code in new.codes() if code not in old_codes]
    for code in old.codes():
        before, after = old.get(code), new.get(code)
        if before is not None and after is not None and " ".join(before.title.split()) != " ".join(after.title.split()):
            found.retitled.append((code, before.title, after.title))
    return found


def cite_missing(found: FrameworkDiff, cohort: Cohort, mapped: dict[str, tuple[str, ...]]) -> None:
    """Add every place in `cohort` that cites a code `found.new` does not have."""
    known = set(found.new.codes())
    doc = cohort.config_doc
    citations: list[Citation] = []
    found.citations = citations
    for index, milestone in enumerate(cohort.config.milestones):
        for number, code in enumerate(milestone.require.competences):
            if code not in known:
                line = doc.position(("milestones", index, "require", "competences", number)).line if doc else 1
                citations.append(Citation(f"portfolio.yml, mijlpaal '{milestone.id}'", line, code, mapped.get(code, ())))
    for student in cohort.students:
        for entry in student.entries:
            if entry.model is None:
                continue
            where = f"{student.id}/{entry.id}.md"
            for number, code in enumerate(entry.model.competences):
                if code not in known:
                    line = entry.doc.position(("competences", number)).line
                    citations.append(Citation(where, line, code, mapped.get(code, ())))
            for code in getattr(entry.model, "ratings", {}) or {}:
                if code not in known:
                    citations.append(Citation(where, entry.doc.position(("ratings", code)).line, code, mapped.get(code, ())))


def render_diff(found: FrameworkDiff) -> str:
    """The diff as Dutch text, one line per code or citation."""
    lines = [f"Van {found.old.title} ({found.old.id}) naar {found.new.title} ({found.new.id})", ""]
    lines += _section("Verdwenen", [f"{code}  {found.old.get(code).title}" for code in found.disappeared])  # type: ignore[union-attr]
    lines += _section("Nieuw", [f"{code}  {found.new.get(code).title}" for code in found.appeared])  # type: ignore[union-attr]
    lines += _section("Andere titel", [f"{code}  '{before}' → '{after}'" for code, before, after in found.retitled])
    if found.citations is not None:
        lines += _section("Verwijzingen naar codes die niet meer bestaan", [_citation(c) for c in found.citations])
    return "\n".join(lines).rstrip("\n") + "\n"


def _section(title: str, items: list[str]) -> list[str]:
    return [f"{title} ({len(items)}):", *(f"  {item}" for item in items or ["geen"]), ""]


def _citation(citation: Citation) -> str:
    status = f"telt via de mapping voor {', '.join(citation.mapped)}" if citation.mapped else "niet gemapt: telt nergens meer voor"
    return f"{citation.where}:{citation.line}: {citation.code} ({status})"
