"""The sha256 a sign-off of an evaluation records, and whether each sign-off still matches.

The sha256 of a sign-off covers the entry's content without its `signoff` key, so signing
(adding to `signoff`) does not change it, and any other change does. Precisely, it is the
SHA-256 (lowercase hex) of the UTF-8 bytes of

    FRONT + "\\n" + BODY

FRONT: the front matter's values without the top-level key `signoff`, as JSON with sorted keys,
       separators "," and ":", non-ASCII characters as themselves, dates as YYYY-MM-DD (ISO 8601).
       So YAML comments, quoting and key order do not count; every value does.
BODY:  the text after the closing `---` line, with line endings as LF, spaces and tabs at the
       end of each line removed, and empty lines at the start and end removed.

Checks (SG001), the site and `trialoog signoff` all use this one definition.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING

from trialoog.portfolio.frontmatter import Document
from trialoog.portfolio.model import Signoff

if TYPE_CHECKING:
    from trialoog.portfolio.load import Entry

KEY = "signoff"


def content_hash(doc: Document) -> str:
    """The sha256 a sign-off records: see the module docstring for the exact definition."""
    front = {key: value for key, value in (doc.data or {}).items() if key != KEY}
    text = json.dumps(front, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso)
    return hashlib.sha256(f"{text}\n{normalized_body(doc.body)}".encode("utf-8")).hexdigest()


def normalized_body(body: str) -> str:
    lines = [line.rstrip(" \t") for line in body.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


def _iso(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} in front matter")


def latest_signoffs(entry: Entry) -> list[tuple[int, Signoff, bool]]:
    """Per person their last sign-off: (index in `signoff`, sign-off, still valid), in file order."""
    signoffs = list(getattr(entry.model, "signoff", None) or [])
    if not signoffs:
        return []
    current = content_hash(entry.doc)
    latest = {signoff.by: index for index, signoff in enumerate(signoffs)}
    return [(index, signoffs[index], signoffs[index].sha256 == current) for index in sorted(latest.values())]


def signoff_state(entry: Entry) -> list[tuple[Signoff, bool]]:
    """For the site: each signer's last sign-off and whether it still matches the text.

    True is "ondertekend", False is "gewijzigd na ondertekening". An earlier sign-off by the same
    person is history and left out.
    """
    return [(signoff, valid) for _, signoff, valid in latest_signoffs(entry)]
