"""The docs cache: a student's rendered docs tree, kept for the next build that needs the same one.

Rendering a student's docs tree (the students' Markdown, cleaned; the page templates; the cleaned
images) is Trialoog's own work and the larger part of it. The docs tree depends only on what the
docs hash covers (trialoog.site.fingerprint), so when only the engine's inputs change (the
stylesheet, main.html, the logo, an engine upgrade) every site is rebuilt by the engine from the
docs tree of the previous build, and Trialoog renders nothing again.

It lives outside the output and the repository (trialoog.portfolio.cache), so it is never
published or committed. One slot per cohort folder, audience and student, replaced on each
render, so it holds at most one docs tree per student. A slot that cannot be read
is rendered again; a cache that cannot be written is skipped: the cache never makes a build fail.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable, TypeVar

from trialoog.portfolio.cache import cohort_cache
from trialoog.site.staging import link_or_copy

Spec = TypeVar("Spec")
_SPEC = "site.json"  # the SiteSpec beside the docs tree
_DOCS = "docs"


@dataclass(frozen=True)
class DocsCache:
    """The slots of one cohort folder and audience; picklable, so each build worker gets it."""

    folder: Path | None  # None: no cache

    @classmethod
    def of(cls, student_folders: set[Path], audience: str) -> DocsCache:
        return cls(cohort_cache("docs", student_folders, audience))

    def restore(self, student_id: str, digest: str, docs: Path, read_spec: Callable[[dict], Spec]) -> Spec | None:
        """Put the cached docs tree for `digest` into the empty folder `docs` and return its site
        spec (`read_spec` of what was stored), or None when there is none or it cannot be read
        (then `docs` is left empty)."""
        slot = self._slot(student_id)
        if slot is None:
            return None
        try:
            stored = json.loads((slot / _SPEC).read_text(encoding="utf-8"))
            if not isinstance(stored, dict) or stored.get("digest") != digest:
                return None
            spec = read_spec(stored["spec"])
            shutil.copytree(slot / _DOCS, docs, copy_function=link_or_copy, dirs_exist_ok=True)
            if _listing(docs) != stored["files"]:
                raise ValueError("the slot's files are not the ones stored")  # a damaged slot: render again
            return spec
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(docs, ignore_errors=True)
            docs.mkdir()
            return None

    def store(self, student_id: str, digest: str, docs: Path, spec: object) -> None:
        """Keep the docs tree just rendered at `docs` as this student's slot (replacing the last)."""
        slot = self._slot(student_id)
        if slot is None:
            return
        fresh = slot.with_name(f"{slot.name}.nieuw-{os.getpid()}")
        old = slot.with_name(f"{slot.name}.oud-{os.getpid()}")
        try:
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.copytree(docs, fresh / _DOCS, copy_function=link_or_copy)
            stored = {"digest": digest, "files": _listing(docs), "spec": asdict(spec)}  # type: ignore[call-overload]
            (fresh / _SPEC).write_text(json.dumps(stored), encoding="utf-8")
            if slot.exists():
                slot.rename(old)
            fresh.rename(slot)
        except OSError:
            pass  # a full or read-only cache folder: the next build renders again
        finally:
            shutil.rmtree(fresh, ignore_errors=True)
            shutil.rmtree(old, ignore_errors=True)

    def _slot(self, student_id: str) -> Path | None:
        return None if self.folder is None else self.folder / student_id


def _listing(docs: Path) -> dict[str, int]:
    """Every file of a docs tree and its size: what a restored slot must hold."""
    return {path.relative_to(docs).as_posix(): path.stat().st_size for path in sorted(docs.rglob("*")) if path.is_file()}
