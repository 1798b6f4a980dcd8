"""Pupils' privacy and untrusted content: consent for visible pupils, personal data, unsafe HTML."""

from __future__ import annotations

import re

from trialoog import rules
from trialoog.diagnostics import Position

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w/.-])(?:\+32|0032|0)\s?4?\d{1,2}(?:[ ./-]?\d{2,3}){2,3}(?![\w/-])")
UNSAFE = re.compile(
    r"<\s*(?:script|iframe|object|embed|form|style|meta|link|base)\b|\bon[a-z]+\s*=|javascript\s*:|\b(?:src|href)\s*=\s*[\"']?\s*data:",
    re.IGNORECASE,
)


def check(cohort, student, context):
    for entry in student.entries:
        if entry.model is None:
            continue
        if getattr(entry.model, "pupils_visible", False) and not entry.model.consent:
            message = "leerlingen zijn zichtbaar (`pupils_visible: true`) maar er staat geen `consent: true`"
            yield rules.make(rules.NO_CONSENT, str(entry.path), entry.doc.position(("pupils_visible",)), message, student.id)
    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.doc.data is not None:
            yield from _body(entry)


def _body(entry):
    for number, text in enumerate(entry.doc.body.split("\n"), start=entry.doc.body_line):
        for pattern, what in ((EMAIL, "e-mailadres"), (PHONE, "telefoonnummer")):
            for match in pattern.finditer(text):
                message = f"{what} '{match.group(0)}' in de tekst: haal persoonsgegevens weg"
                yield rules.make(rules.PERSONAL_DATA, str(entry.path), Position(number, match.start() + 1), message, entry.student)
        for match in UNSAFE.finditer(text):
            message = f"onveilige HTML '{match.group(0).strip()}': wordt verwijderd bij het bouwen; schrijf Markdown"
            yield rules.make(rules.UNSAFE_HTML, str(entry.path), Position(number, match.start() + 1), message, entry.student)
