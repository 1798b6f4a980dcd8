"""`trialoog serve` previews one student on 127.0.0.1 and rebuilds when a file is saved."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
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
    from trialoog.site.serve import Preview

    preview = Preview(tmp_path / "site", "jan-peeters")

    def skipped(echo):
        echo("jan-peeters/reflecties/week.md:3:1: AT001 onbekende sleutel 'titel' — bedoel je 'title'?")
        echo("jan-peeters: overgeslagen — 1 fout(en) in het portfolio")

    preview.rebuild(skipped, echo=lambda line: None)
    assert preview.problem is not None
    assert 'lang="nl"' in preview.problem and "kan niet gebouwd worden" in preview.problem
    assert "reflecties/week.md:3:1: AT001" in preview.problem and "bedoel je &#39;title&#39;?" in preview.problem

    def built(echo):
        (tmp_path / "site" / "jan-peeters").mkdir(parents=True)
        (tmp_path / "site" / "jan-peeters" / "index.html").write_text("<h1>site</h1>")

    preview.rebuild(built, echo=lambda line: None)
    assert preview.problem is None


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
