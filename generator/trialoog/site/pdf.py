"""`trialoog pdf`: the print pages of a built site as PDF files, for the exam board's archive.

Headless Chromium prints a student's Afdrukken page to `<student>/portfolio.pdf` and the Driegesprek
to `<student>/driegesprek.pdf`, through Playwright for Python. The pages carry their own paper
layout (A4, running head, page numbers: CSS `@page` with margin boxes in trialoog.css), so the PDF
is what a mentor gets from the browser's own print menu. Chromium adds an outline from the headings
and a tagged (structured) PDF; its text stays selectable.

Chromium is the one on the system (Debian's `chromium`, or the path in TRIALOOG_CHROMIUM):
Playwright's own browser download is not needed. The page is opened from disk and every request
that is not for a file of the site is refused, so printing never asks another host for anything.

Nothing is lost: a PDF is written only where there is none yet, or over one this command wrote
itself. `.trialoog-pdf.json` in the student's folder remembers the SHA-256 of each PDF it wrote; a
file at that path with another content (a student's own attachment, a PDF someone edited) is left
alone and the command says so. A new PDF is written beside the old one and renamed into place, so
an interrupted print leaves the previous PDF whole (and a file that a build shares by a hard link
with the previous site is never written into).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trialoog.errors import PROBLEM, TrialoogError, os_reason
from trialoog.portfolio.load import Cohort
from trialoog.site.body import page_url
from trialoog.site.pages import StudentPages

CHROMIUM_VARIABLE = "TRIALOOG_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
LEDGER = ".trialoog-pdf.json"  # in the student's folder: PDF name -> SHA-256 of the file this command wrote
# The PDFs of a student's site: file name -> the generated page it prints (trialoog.site.pages).
PRINTED = {"portfolio.pdf": "afdrukken", "driegesprek.pdf": "driegesprek"}
# The flags a headless Chromium needs in a container or on CI (no sandbox as root, no calls home).
CHROMIUM_ARGS = (
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
)
PAGE_TIMEOUT_MS = 120_000  # a whole portfolio with pictures, on a busy CI runner


class PdfError(TrialoogError):
    """Printing cannot start or may not write; the message is Dutch and names the way out."""

    exit_code = PROBLEM


@dataclass
class PdfSummary:
    written: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # Dutch sentences: a file that is not ours

    @property
    def exit_code(self) -> int:
        return PROBLEM if self.refused else 0


def chromium_path() -> Path:
    """The Chromium to print with: TRIALOOG_CHROMIUM, else Debian's /usr/bin/chromium."""
    return Path(os.environ.get(CHROMIUM_VARIABLE) or DEFAULT_CHROMIUM)


def require_printer() -> Path:
    """Chromium and Playwright, or a Dutch message that says how to install what is missing."""
    try:
        import playwright.sync_api  # noqa: F401  - only to know it is there
    except ImportError:
        raise PdfError(
            "Playwright voor Python ontbreekt; `trialoog pdf` stuurt Chromium ermee aan. "
            "Installeer het met: pip install 'trialoog[pdf]' (Playwright's eigen browserdownload is niet nodig)"
        ) from None
    chromium = chromium_path()
    if not chromium.is_file() or not os.access(chromium, os.X_OK):
        where = f"{CHROMIUM_VARIABLE}={chromium}" if os.environ.get(CHROMIUM_VARIABLE) else str(chromium)
        raise PdfError(
            f"Chromium niet gevonden ({where}); `trialoog pdf` drukt af met Chromium. "
            f"Installeer het (Debian/Ubuntu: apt-get install chromium) of zet {CHROMIUM_VARIABLE} op het pad van "
            "chromium of google-chrome"
        )
    return chromium


def printed_pages(cohort: Cohort, student_id: str) -> dict[str, str]:
    """PDF name -> the HTML file (inside the student's site) that it prints."""
    student = cohort.student(student_id)
    assert student is not None
    pages = StudentPages(student, cohort.framework)
    return {name: page_url(pages[page].removesuffix(".md")) for name, page in PRINTED.items()}


def print_students(cohort: Cohort, out: Path, student_ids: Iterable[str], echo: Callable[[str], Any] = print) -> PdfSummary:
    """Print every student's pages in the built site at `out` (a student without a site is skipped)."""
    chromium = require_printer()
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    summary = PdfSummary()
    site = out.resolve()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(chromium), headless=True, args=list(CHROMIUM_ARGS))
            try:
                for student_id in student_ids:
                    folder = site / student_id
                    for name, html in printed_pages(cohort, student_id).items():
                        if (folder / html).is_file():
                            _print_one(browser, site, folder / html, folder / name, summary, echo)
            finally:
                browser.close()
    except PlaywrightError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise PdfError(f"Chromium ({chromium}) kon niet afdrukken: {first}") from None
    return summary


def _print_one(browser, site: Path, page_file: Path, target: Path, summary: PdfSummary, echo) -> None:
    refusal = refusal_to_replace(target)
    if refusal:
        summary.refused.append(refusal)
        echo(refusal)
        return
    context = browser.new_context(locale="nl-BE", service_workers="block", java_script_enabled=True)
    try:
        context.route("**/*", lambda route: _only_the_site(route, site))
        page = context.new_page()
        page.goto(page_file.as_uri(), wait_until="load", timeout=PAGE_TIMEOUT_MS)
        data = page.pdf(prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
    finally:
        context.close()
    write_pdf(target, data)
    summary.written.append(target)
    echo(f"{target}: {_pages_in(data)} A4-bladzijden")


def _only_the_site(route, site: Path) -> None:
    """Files of the built site load; anything else (another host, a file elsewhere) is refused."""
    from urllib.parse import unquote, urlsplit

    url = urlsplit(route.request.url)
    if url.scheme in ("data", "blob") or (url.scheme == "file" and Path(unquote(url.path)).resolve().is_relative_to(site)):
        route.continue_()
    else:
        route.abort()


def _pages_in(data: bytes) -> int:
    """A count of the PDF's pages for the progress line (Chromium writes one /Type /Page per page)."""
    return len(_PAGE_OBJECT.findall(data))


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


# -- writing without losing anything --------------------------------------------------------------


def _ledger(folder: Path) -> dict[str, str]:
    try:
        found = json.loads((folder / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refusal_to_replace(target: Path) -> str | None:
    """None when `target` may be written (absent, or the PDF this command wrote there, unchanged);
    else the Dutch sentence that says why not."""
    if not target.exists() and not target.is_symlink():
        return None
    if target.is_file() and not target.is_symlink() and _ledger(target.parent).get(target.name) == _sha256(target):
        return None
    return (
        f"{target}: bestaat al en is niet door `trialoog pdf` gemaakt (of werd nadien gewijzigd); niet overschreven. "
        "Verplaats of hernoem het bestand en probeer opnieuw"
    )


def write_pdf(target: Path, data: bytes) -> None:
    """Beside the target first, then renamed into place; the ledger remembers what was written."""
    folder = target.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        ledger = {**_ledger(folder), target.name: hashlib.sha256(data).hexdigest()}
        (folder / LEDGER).write_text(json.dumps(ledger, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    except OSError as error:
        raise PdfError(f"{error.filename or target}: {os_reason(error)}; de pdf is niet geschreven") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
