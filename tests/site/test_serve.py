"""`trialoog serve` previews one student on 127.0.0.1 and rebuilds when a file is saved."""

import re
import shutil
import subprocess
import sys
import time
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
