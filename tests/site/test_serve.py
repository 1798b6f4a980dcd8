"""`trialoog serve` previews one student on 127.0.0.1 and rebuilds when a file is saved."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolios"
URL = re.compile(r"http://127\.0\.0\.1:\d+/[\w-]+/")


def _read_url(process, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        found = URL.search(line)
        if found:
            return found.group(0)
    raise AssertionError("serve printed no address")


def _page(url):
    with urllib.request.urlopen(url + "index.html", timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.slow
def test_serve_rebuilds_when_a_file_is_saved(tmp_path):
    cohort = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, cohort)
    process = subprocess.Popen(
        [sys.executable, "-m", "trialoog", "serve", str(cohort), "--student", "jonas-verbeke", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = _read_url(process)
        assert url.startswith("http://127.0.0.1:") and url.endswith("/jonas-verbeke/")
        assert "ZEBRAPAD" not in _page(url)
        with (cohort / "jonas-verbeke" / "index.md").open("a", encoding="utf-8") as profile:
            profile.write("\nEen nieuwe zin over het ZEBRAPAD.\n")
        deadline = time.monotonic() + 60
        while "ZEBRAPAD" not in _page(url):
            assert time.monotonic() < deadline, "the preview was not rebuilt after the save"
            time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=20)


def _get(url):
    """(status, text) of `url`; an error status is an answer too."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def test_a_port_in_use_is_a_dutch_message_not_a_traceback(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "trialoog", "serve", str(EXAMPLE), "--student", "jonas-verbeke", "--port", str(port)],
            capture_output=True, text=True, timeout=60, env={**os.environ, "TMPDIR": str(tmp_path)},
        )
    assert result.returncode == 2
    assert f"poort {port} is al in gebruik" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # the temporary folder went with the refusal


def test_a_student_that_cannot_be_built_shows_the_problems_in_dutch(tmp_path):
    """When the build leaves the student out, the preview shows why (whatever the builder decides)."""
    from trialoog.site.build import PreviewBuild
    from trialoog.site.serve import Preview

    preview = Preview(tmp_path, "jan-peeters")
    before = preview.version
    skipped = PreviewBuild(False, ("jan-peeters/reflecties/week.md:3:1: CO002 de mapnaam 'Jan' is ongeldig — hernoem ze",))
    preview.rebuild(lambda target, work: skipped)
    assert preview.problem is not None and preview.version != before
    assert 'lang="nl"' in preview.problem and "kan niet gebouwd worden" in preview.problem
    assert "reflecties/week.md:3:1: CO002" in preview.problem and "hernoem ze" in preview.problem
    assert list(tmp_path.iterdir()) == []  # the half-built folder went

    def built(target, work):
        (target / "jan-peeters").mkdir(parents=True)
        (target / "jan-peeters" / "index.html").write_text("<html><body><h1>site</h1></body></html>")
        return PreviewBuild(True, ("jan-peeters/reflecties/week.md:3:1: SC003 onbekende sleutel 'titel'",))

    preview.rebuild(built)
    assert preview.problem is None and (preview.root / "jan-peeters" / "index.html").is_file()
    page = preview.decorated((preview.root / "jan-peeters" / "index.html").read_text())
    assert page.index("SC003 onbekende sleutel &#39;titel&#39;") < page.index("</body>")
    assert f'data-versie="{preview.version}"' in page and "/.trialoog-serve/versie" in page

    def broken(target, work):
        raise OSError(2, "No such file or directory", "jan-peeters/index.md")

    preview.rebuild(broken)  # an editor that replaces the file just then: a Dutch line, no traceback
    assert preview.problem is not None and "jan-peeters/index.md" in preview.problem and "No such file" not in preview.problem


def test_a_long_poll_answers_when_the_rebuild_is_done(tmp_path):
    from trialoog.site.build import PreviewBuild
    from trialoog.site.serve import Preview

    preview = Preview(tmp_path, "jan-peeters")
    seen = preview.version
    assert preview.wait_past(seen, 0.05) == seen  # nothing new: the poll answers with the same version
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(preview.wait_past(seen, 30)))
    waiter.start()
    preview.rebuild(lambda target, work: PreviewBuild(False, ("kapot",)))
    waiter.join(timeout=10)
    assert answers == [preview.version] and answers[0] != seen


def _serve(cohort, student, temporary=None):
    env = {**os.environ, "TMPDIR": str(temporary)} if temporary else None
    return subprocess.Popen(
        [sys.executable, "-m", "trialoog", "serve", str(cohort), "--student", student, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
    )


def _version(url, seen="-"):
    """The preview's version; with `seen`, the long poll that answers once a rebuild moved past it."""
    root = url.split("/", 3)
    with urllib.request.urlopen(f"{root[0]}//{root[2]}/.trialoog-serve/versie?na={seen}", timeout=40) as answer:
        return answer.read().decode("utf-8")


@pytest.mark.slow
def test_a_save_rebuilds_only_that_student_and_a_broken_entry_shows_dutch_diagnostics_in_the_page(tmp_path):
    cohort = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, cohort)
    process = _serve(cohort, "jonas-verbeke")
    try:
        url = _read_url(process)
        base = url.rsplit("/", 2)[0]
        assert _get(base + "/")[1] == _page(url)  # the root leads to the student, no English folder listing
        assert "overzicht" not in [p.name for p in cohort.iterdir()]
        status, page = _get(url.rsplit("/", 2)[0] + "/overzicht/")
        assert status == 404 and "Pagina niet gevonden" in page  # the overview is not built by serve
        status, page = _get(url + "reflecties/")  # a folder without index.html: Dutch, never a listing
        assert status in (200, 404) and "Directory listing" not in page

        seen = _version(url)
        entry = sorted((cohort / "jonas-verbeke" / "reflecties").glob("*.md"))[0]
        good = entry.read_text(encoding="utf-8")
        entry.write_text(good.replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
        seen = _wait_for(url, seen, lambda page: "SC003" in page)
        page = _page(url)
        assert 'aria-label="Fouten in je portfolio"' in page and "1 fout in je portfolio" in page
        assert f"{entry.relative_to(cohort.parent).as_posix()}:" in page or entry.name in page
        assert "bedoel je &#39;title&#39;?" in page

        entry.write_text(good, encoding="utf-8")
        _wait_for(url, seen, lambda page: "Fouten in je portfolio" not in page)
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert "Traceback" not in output and "Opnieuw gebouwd in" in output


def _wait_for(url, seen, condition, rounds=6):
    """Long-poll until a rebuild gives a page that meets `condition`; returns the version it came with."""
    for _ in range(rounds):
        seen = _version(url, seen)
        if condition(_page(url)):
            return seen
    raise AssertionError("no rebuild gave the expected page")


@pytest.mark.slow
def test_a_normal_build_holds_nothing_of_the_preview(tmp_path):
    from trialoog.site.build import build_cohort

    build_cohort(EXAMPLE, tmp_path / "site", jobs=1, echo=lambda line: None)
    for path in (tmp_path / "site").rglob("*"):
        assert "serve" not in path.relative_to(tmp_path / "site").parts
        if path.suffix in (".html", ".js"):
            text = path.read_text(encoding="utf-8")
            assert ".trialoog-serve" not in text and "trialoog-voorbeeld" not in text, path


@pytest.mark.slow
@pytest.mark.browser
def test_the_open_page_reloads_itself_after_a_save(tmp_path):
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = os.environ.get("TRIALOOG_CHROMIUM", "/usr/bin/chromium")
    if not Path(chromium).exists():
        pytest.skip("apt-get install chromium")
    cohort = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, cohort)
    process = _serve(cohort, "jonas-verbeke")
    try:
        url = _read_url(process)
        with playwright.sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            requested = []
            page.on("request", lambda request: requested.append(request.url))
            page.goto(url)
            assert "ZEBRAPAD" not in page.content()
            page.wait_for_timeout(300)  # the script has sent its first long poll
            with (cohort / "jonas-verbeke" / "index.md").open("a", encoding="utf-8") as profile:
                profile.write("\nEen nieuwe zin over het ZEBRAPAD.\n")
            page.get_by_text("ZEBRAPAD").wait_for(timeout=60_000)  # no reload by the test: the page did it
            browser.close()
        assert all(address.startswith("http://127.0.0.1:") for address in requested), requested
    finally:
        process.terminate()
        process.communicate(timeout=30)


@pytest.mark.slow
def test_a_broken_cohort_shows_dutch_diagnostics_and_sigterm_leaves_no_temporary_folder(tmp_path):
    cohort = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, cohort)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "trialoog", "serve", str(cohort), "--student", "jonas-verbeke", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "TMPDIR": str(temporary)},
    )
    try:
        url = _read_url(process)
        assert list(temporary.iterdir()), "serve builds in a temporary folder under TMPDIR"
        status, page = _get(url + "bestaat-niet.html")
        assert status == 404 and 'lang="nl"' in page and "Pagina niet gevonden" in page

        config = cohort / "portfolio.yml"
        good = config.read_text(encoding="utf-8")
        config.write_text(good + "\nmilestones: [kapot\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while _get(url)[0] != 503:
            assert time.monotonic() < deadline, "a broken portfolio.yml did not show the problem page"
            time.sleep(0.5)
        for address in (url, url + "reflecties/elders.html", url.rsplit("/", 2)[0] + "/"):
            status, page = _get(address)
            assert status == 503 and "kan niet gebouwd worden" in page and "portfolio.yml" in page

        config.write_text(good, encoding="utf-8")
        deadline = time.monotonic() + 60
        while _get(url)[0] != 200:
            assert time.monotonic() < deadline, "the site did not come back after the fix"
            time.sleep(0.5)
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=30)[0]
    assert process.returncode == 0, output
    assert "Traceback" not in output
    assert list(temporary.iterdir()) == []
