"""The students' texts as cleaned HTML, kept from one build to the next, per student.

Python-Markdown and nh3 are a third of Trialoog's own time in a first build (bench/scale_bench.py),
and every new day is a first build for the docs cache (trialoog.site.docs_cache): each page shows
the date it was built for, and the signals and milestones follow that date. A text does not: its
cleaned HTML depends only on the text, the parser's configuration (both in its key,
trialoog.site.body.text_key) and the code and libraries that render it
(trialoog.site.fingerprint.render_code_digest). So the texts that one render of a student cleaned
are at hand for the next, and only a text that changed is parsed and cleaned again.

Kept beside the docs cache (trialoog.portfolio.cache: never in a student's folder), in one file
per cohort folder, audience and student, replaced on each render by the texts that render used:
it never holds more than one student's texts. A file that cannot be read, or that other code
wrote, counts as empty; one that cannot be written is skipped.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from trialoog.portfolio.cache import cohort_cache
from trialoog.site.body import cleaned_texts_used
from trialoog.site.fingerprint import render_code_digest

FOLDER = "texts"


def texts_folder(student_folders: Iterable[Path], audience: str) -> Path | None:
    """Where the cleaned texts of this cohort and audience are kept; None: not kept."""
    return cohort_cache(FOLDER, student_folders, audience)


@dataclass(frozen=True)
class CleanedTexts:
    """One student's file of cleaned texts (`path` None: nothing is kept)."""

    path: Path | None

    @contextlib.contextmanager
    def remembered(self) -> Iterator[None]:
        """Render the student inside this: the texts of the last render are at hand, and the
        ones this render used are kept for the next (not when the render failed)."""
        if self.path is None:
            yield
            return
        version = render_code_digest()
        with cleaned_texts_used(self._read(version)) as used:
            yield
        self._write(version, used)

    def _read(self, version: str) -> dict[str, str]:
        assert self.path is not None
        try:
            stored = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(stored, dict) or stored.get("version") != version or not isinstance(stored.get("texts"), dict):
            return {}
        return {key: html for key, html in stored["texts"].items() if isinstance(key, str) and len(key) == 64 and isinstance(html, str)}

    def _write(self, version: str, used: dict[str, str]) -> None:
        assert self.path is not None
        temporary = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".texts-", suffix=".tmp")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump({"version": version, "texts": dict(sorted(used.items()))}, handle)
            os.replace(temporary, self.path)
        except OSError:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)  # our own temporary file
