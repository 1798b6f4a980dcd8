"""Pupils' privacy and untrusted content: consent for visible pupils, personal data, unsafe HTML.

- PV001 `pupils_visible: true` without `consent: true`.
- PV003 `private: true` or `draft: true` on the profile: the profile is the student's home page
  and always published; keeping a whole portfolio from readers is the forge's job (a private
  repository), not a key that would leave a site without a start page.
- PV002 an e-mail address or phone number, in the text or in a front-matter value.
- HT001 HTML that the build removes (script, iframe, `on…=` handlers, `javascript:` and `data:`
  addresses, also written with entities such as `javascript&colon;`) or an image from another
  website, which the build leaves out because no request may leave a portfolio site; a class the
  build removes because it would load a script from another host (`mermaid`) or fake the look of
  the theme or of Trialoog's badges (`md-…`, `tl-…`). Code blocks
  and inline code are shown as text, so they are not reported. A front-matter value is always
  shown as text, never run; a tag in one (`title: "<b>Week 1</b>"`) is reported all the same,
  because it is almost always a mistake.

Passing: `Mail mij via het portfolio.` · Failing: `<img src=x onerror="alert(1)">` (HT001).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from trialoog import rules
from trialoog.diagnostics import Diagnostic, Position
from trialoog.portfolio.load import Cohort, Student
from trialoog.portfolio.model import Evidence

if TYPE_CHECKING:
    from trialoog.checks import Context

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?<![\w/.-])(?:\+32|0032|0)\s?4?\d{1,2}(?:[ ./-]?\d{2,3}){2,3}(?![\w/-])")
UNSAFE = re.compile(
    r"<\s*(?:script|iframe|frame|object|embed|form|style|meta|link|base|svg|math)\b"
    r"|<[a-z][^<>]*?[\s\"'/](?P<handler>on[a-z]+\s*=)"  # only inside a tag: Dutch has many words on on-
    r"|\b(?:java|vb)script\s*:"
    r"|\b(?:src|href|data|action|formaction|srcdoc)\s*=\s*[\"']?\s*data:"
    # classes that would load a script from another host (mermaid) or fake the theme's and
    # Trialoog's own look (md-, tl-): in HTML, or with attr_list (`{.mermaid}`)
    r"|<[a-z][^<>]*?\bclass\s*=\s*[\"']?[^\"'<>]*?(?<![\w-])(?:mermaid|md-|tl-)[\w-]*"
    r"|\{:?[^{}\n]*?(?<![\w-])\.(?:mermaid|md-|tl-)[\w-]*[^{}\n]*\}",
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
# Where a PHONE match can start: its prefix, a digit, and four more digits or separators.
PHONE_START = re.compile(r"\+(?=32\s?\d[\d\s./-]{4})|0(?=\s?\d[\d\s./-]{4})")
# Every UNSAFE or REMOTE_IMAGE match, also one hidden by entities or tabs, needs one of these:
# "<", ":", "&", a tab, "//" or "{" (see _has_unsafe_mark).


def check(cohort: Cohort, student: Student, context: Context) -> Iterator[Diagnostic]:
    for entry in student.entries:
        if entry.model is None:
            continue
        if isinstance(entry.model, Evidence) and entry.model.pupils_visible and not entry.model.consent:
            message = "leerlingen zijn zichtbaar (`pupils_visible: true`) maar er staat geen `consent: true`"
            yield rules.make(rules.NO_CONSENT, str(entry.path), entry.doc.position(("pupils_visible",)), message, student.id)
    yield from _hidden_profile(student)
    for entry in ([student.profile] if student.profile else []) + student.entries:
        if entry.model is not None:
            yield from _body(entry)
            yield from _front_matter(entry)


def _hidden_profile(student: Student) -> Iterator[Diagnostic]:
    profile = student.profile
    if profile is None or profile.model is None:
        return
    for key in ("private", "draft"):
        if getattr(profile.model, key, False):
            message = (f"`{key}: true` in het profiel: het profiel is je startpagina en wordt altijd gepubliceerd; "
                       f"haal `{key}` weg (wie je portfolio mag lezen, regelt de privé-repository)")
            yield rules.make(rules.HIDDEN_PROFILE, str(profile.path), profile.doc.position((key,)), message, student.id)


def _body(entry):
    yield from _personal_data_in_body(entry)
    body = entry.doc.body
    if not _has_unsafe_mark(body):
        return
    in_fence = False
    for number, text in enumerate(body.split("\n"), start=entry.doc.body_line):
        if ("```" in text or "~~~" in text) and FENCE.match(text):
            in_fence = not in_fence
            continue
        if in_fence or not _has_unsafe_mark(text):
            continue
        shown = INLINE_CODE.sub(lambda code: " " * len(code.group(0)), text) if "`" in text else text
        for column, found in unsafe_html(shown):
            message = f"onveilige HTML '{found}': wordt verwijderd bij het bouwen; schrijf Markdown"
            yield rules.make(rules.UNSAFE_HTML, str(entry.path), Position(number, column), message, entry.student)
        for match in REMOTE_IMAGE.finditer(shown):
            message = (
                f"afbeelding van een andere website '{_short(match.group(0))}': wordt weggelaten bij het bouwen "
                "(een portfoliosite vraagt niets op bij andere websites); zet de afbeelding in je eigen map"
            )
            yield rules.make(rules.UNSAFE_HTML, str(entry.path), Position(number, match.start() + 1), message, entry.student)


def _has_unsafe_mark(text: str) -> bool:
    return "<" in text or ":" in text or "&" in text or "\t" in text or "//" in text or "{" in text


def _personal_data_in_body(entry):
    """E-mail addresses and phone numbers, line by line (code blocks too), found in the whole body."""
    body = entry.doc.body
    for what, matches in (("e-mailadres", _emails(body)), ("telefoonnummer", _phones_per_line(body))):
        for match in matches:
            start = match.start()
            line_start = body.rfind("\n", 0, start) + 1
            position = Position(entry.doc.body_line + body.count("\n", 0, start), start - line_start + 1)
            message = f"{what} '{match.group(0)}' in de tekst: haal persoonsgegevens weg"
            yield rules.make(rules.PERSONAL_DATA, str(entry.path), position, message, entry.student)


def _emails(text: str):
    # An address never spans a line end, so the whole text gives what each line gives.
    return EMAIL.finditer(text) if "@" in text else ()


def _phones_per_line(text: str):
    """PHONE.finditer of each line, found faster: a number starts at a `0` or a `+`."""
    line_end = -1
    taken = 0
    for at in _phone_starts(text):
        if at < taken:
            continue
        if at > line_end:
            line_end = text.find("\n", at)
            line_end = len(text) if line_end < 0 else line_end
        match = PHONE.match(text, at, line_end)
        if match:
            taken = match.end()
            yield match


def _phone_starts(text: str) -> list[int]:
    """Every `0` and `+` of the text, in order (str.find is much faster than a regex scan)."""
    found = []
    for character in "0+":
        at = text.find(character)
        while at >= 0:
            found.append(at)
            at = text.find(character, at + 1)
    return sorted(found)


def _front_matter(entry):
    if not _may_report_in_values("\n".join(entry.doc.texts)):
        return
    for path, value in _strings(entry.doc.data, ()):
        yield from _personal_data(entry, value, lambda column, path=path: entry.doc.position(path))
        markup = MARKUP.search(value)
        if markup:
            position = entry.doc.position(path)
            key = ".".join(str(part) for part in path)
            message = f"HTML '{_short(markup.group(0))}' in `{key}`: wordt als gewone tekst getoond, nooit uitgevoerd; haal ze weg"
            yield rules.make(rules.UNSAFE_HTML, str(entry.path), position, message, entry.student)


def _may_report_in_values(text: str) -> bool:
    """False when no front-matter value (`text` joins them with line ends) can be reported.

    A match inside one value is also a match in the joined text: no pattern is anchored, and a
    line end passes every look-around. The literal checks are what each pattern needs.
    """
    return (("@" in text and EMAIL.search(text) is not None) or ("<" in text and MARKUP.search(text) is not None)
            or (PHONE_START.search(text) is not None and PHONE.search(text) is not None))


def _personal_data(entry, text, where):
    phones = PHONE.finditer(text) if PHONE_START.search(text) else ()
    for matches, what in ((_emails(text), "e-mailadres"), (phones, "telefoonnummer")):
        for match in matches:
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
