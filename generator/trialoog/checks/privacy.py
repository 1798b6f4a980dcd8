"""Pupils' privacy and untrusted content: consent for visible pupils, personal data, unsafe HTML.

- PV001 `pupils_visible: true` without `consent: true`.
- PV002 an e-mail address or phone number, in the text or in a front-matter value.
- HT001 HTML that the build removes (script, iframe, `on…=` handlers, `javascript:` and `data:`
  addresses, also written with entities such as `javascript&colon;`) or an image from another
  website, which the build leaves out because no request may leave a portfolio site. Code blocks
  and inline code are shown as text, so they are not reported. A front-matter value is always
  shown as text, never run; a tag in one (`title: "<b>Week 1</b>"`) is reported all the same,
  because it is almost always a mistake.

Passing: `Mail mij via het portfolio.` · Failing: `<img src=x onerror="alert(1)">` (HT001).
"""

from __future__ import annotations

import html
import re

from trialoog import rules
from trialoog.diagnostics import Position

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w/.-])(?:\+32|0032|0)\s?4?\d{1,2}(?:[ ./-]?\d{2,3}){2,3}(?![\w/-])")
UNSAFE = re.compile(
    r"<\s*(?:script|iframe|frame|object|embed|form|style|meta|link|base|svg|math)\b"
    r"|<[a-z][^<>]*?[\s\"'/](?P<handler>on[a-z]+\s*=)"  # only inside a tag: Dutch has many words on on-
    r"|\b(?:java|vb)script\s*:"
    r"|\b(?:src|href|data|action|formaction|srcdoc)\s*=\s*[\"']?\s*data:",
    re.IGNORECASE,
)
REMOTE_IMAGE = re.compile(
    r"!\[[^\]\n]*\]\(\s*<?(?:https?:)?//[^)\s>]*"
    r"|<\s*img\b[^>]*?\bsrc\s*=\s*[\"']?\s*(?:https?:)?//[^\"'\s>]*",
    re.IGNORECASE,
)
MARKUP = re.compile(r"<\s*/?[a-z][a-z0-9-]*(?:[\s/][^<>]*)?>?", re.IGNORECASE)
FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
INVISIBLE_IN_URLS = str.maketrans("", "", "\t\r\n")  # browsers drop these inside a URL


def check(cohort, student, context):
    for entry in student.entries:
        if entry.model is None:
            continue
        if getattr(entry.model, "pupils_visible", False) and not entry.model.consent:
            message = "leerlingen zijn zichtbaar (`pupils_visible: true`) maar er staat geen `consent: true`"
            yield rules.make(rules.NO_CONSENT, str(entry.path), entry.doc.position(("pupils_visible",)), message, student.id)
    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.model is not None:
            yield from _body(entry)
            yield from _front_matter(entry)


def _body(entry):
    in_fence = False
    for number, text in enumerate(entry.doc.body.split("\n"), start=entry.doc.body_line):
        yield from _personal_data(entry, text, lambda column: Position(number, column))
        if FENCE.match(text):
            in_fence = not in_fence
            continue
        if not in_fence:
            shown = INLINE_CODE.sub(lambda code: " " * len(code.group(0)), text)
            for column, found in unsafe_html(shown):
                message = f"onveilige HTML '{found}': wordt verwijderd bij het bouwen; schrijf Markdown"
                yield rules.make(rules.UNSAFE_HTML, str(entry.path), Position(number, column), message, entry.student)
            for match in REMOTE_IMAGE.finditer(shown):
                message = (
                    f"afbeelding van een andere website '{_short(match.group(0))}': wordt weggelaten bij het bouwen "
                    "(een portfoliosite vraagt niets op bij andere websites); zet de afbeelding in je eigen map"
                )
                yield rules.make(rules.UNSAFE_HTML, str(entry.path), Position(number, match.start() + 1), message, entry.student)


def _front_matter(entry):
    for path, value in _strings(entry.doc.data, ()):
        position = entry.doc.position(path)
        yield from _personal_data(entry, value, lambda column: position)
        markup = MARKUP.search(value)
        if markup:
            key = ".".join(str(part) for part in path)
            message = f"HTML '{_short(markup.group(0))}' in `{key}`: wordt als gewone tekst getoond, nooit uitgevoerd; haal ze weg"
            yield rules.make(rules.UNSAFE_HTML, str(entry.path), position, message, entry.student)


def _personal_data(entry, text, where):
    for pattern, what in ((EMAIL, "e-mailadres"), (PHONE, "telefoonnummer")):
        for match in pattern.finditer(text):
            message = f"{what} '{match.group(0)}' in de tekst: haal persoonsgegevens weg"
            yield rules.make(rules.PERSONAL_DATA, str(entry.path), where(match.start() + 1), message, entry.student)


def unsafe_html(text: str) -> list[tuple[int, str]]:
    """(1-based column, what) of each piece of unsafe HTML in one line.

    What only entities or tabs hide (`JaVaScRiPt&colon;`, `java&#9;script:`) is found in the
    decoded line and reported at the first entity.
    """
    found = [_where(match) for match in UNSAFE.finditer(text)]
    if found or ("&" not in text and "\t" not in text):
        return found
    decoded = html.unescape(text).translate(INVISIBLE_IN_URLS)
    hidden = [_where(match)[1] for match in UNSAFE.finditer(decoded)]
    column = (text.find("&") if "&" in text else text.find("\t")) + 1
    return [(column, what) for what in hidden]


def _where(match: re.Match) -> tuple[int, str]:
    group = "handler" if match.group("handler") else 0
    return match.start(group) + 1, match.group(group).strip()


def _strings(value, path):
    """(key path, text) of every string in a front-matter value, depth first."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, path + (index,))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
