"""`trialoog pdf` without a browser: what it may overwrite, what it says when Chromium or Playwright
is missing, and the helpers of the print pages (running head, demoted headings).

The browser half (Chromium prints, pages are counted) is tests/browser/test_print.py."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from trialoog.cli import main
from trialoog.site.pages import css_string, demote_headings
from trialoog.site.pdf import LEDGER, refusal_to_replace, write_pdf

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "portfolios"
PDF = b"%PDF-1.7\n% een pdf van trialoog pdf\n"


def test_a_pdf_is_written_where_there_is_none_and_remembered(tmp_path):
    target = tmp_path / "portfolio.pdf"
    assert refusal_to_replace(target) is None
    write_pdf(target, PDF)
    assert target.read_bytes() == PDF
    assert LEDGER in {p.name for p in tmp_path.iterdir()}
    assert sorted(p.name for p in tmp_path.iterdir()) == [LEDGER, "portfolio.pdf"], "no temporary file stays behind"
    assert refusal_to_replace(target) is None, "its own, unchanged PDF may be replaced"


def test_a_file_it_did_not_write_is_never_replaced(tmp_path):
    target = tmp_path / "portfolio.pdf"
    target.write_bytes(b"%PDF-1.4 de eigen bijlage van een student\n")
    refusal = refusal_to_replace(target)
    assert refusal is not None and "niet door `trialoog pdf` gemaakt" in refusal and str(target) in refusal


def test_a_pdf_changed_after_it_was_written_is_not_replaced(tmp_path):
    target = tmp_path / "driegesprek.pdf"
    write_pdf(target, PDF)
    target.write_bytes(PDF + b"% nadien aangevuld met de hand\n")
    assert refusal_to_replace(target) is not None


def test_a_symbolic_link_is_not_written_through(tmp_path):
    elsewhere = tmp_path / "elders.pdf"
    elsewhere.write_bytes(PDF)
    folder = tmp_path / "student"
    folder.mkdir()
    write_pdf(folder / "portfolio.pdf", PDF)  # the ledger knows this content
    (folder / "portfolio.pdf").unlink()
    (folder / "portfolio.pdf").symlink_to(elsewhere)
    assert refusal_to_replace(folder / "portfolio.pdf") is not None


def test_a_new_pdf_never_writes_into_a_file_shared_by_a_hard_link(tmp_path):
    """A build carries an unchanged student's folder over with hard links to the previous site."""
    target = tmp_path / "portfolio.pdf"
    write_pdf(target, PDF)
    previous_site = tmp_path / "vorige-site.pdf"
    os.link(target, previous_site)
    write_pdf(target, PDF + b"% nieuw\n")
    assert previous_site.read_bytes() == PDF
    assert target.read_bytes() == PDF + b"% nieuw\n"


def test_a_missing_chromium_is_a_dutch_message_before_any_build(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "site"
    result = CliRunner().invoke(
        main, ["pdf", str(EXAMPLE), "--out", str(out)], env={"TRIALOOG_CHROMIUM": str(tmp_path / "geen-chromium")},
    )
    assert result.exit_code == 1, result.output
    assert "Chromium niet gevonden" in result.output and "apt-get install chromium" in result.output
    assert "TRIALOOG_CHROMIUM" in result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "nothing is built when nothing can be printed"


def test_a_missing_playwright_is_a_dutch_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "playwright", None)  # `import playwright…` now raises ImportError
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    result = CliRunner().invoke(main, ["pdf", str(EXAMPLE), "--out", str(tmp_path / "site")])
    assert result.exit_code == 1, result.output
    assert "Playwright voor Python ontbreekt" in result.output and "pip install 'trialoog[pdf]'" in result.output
    assert "Traceback" not in result.output


def test_pdf_refuses_an_output_that_is_not_a_build(tmp_path, monkeypatch):
    """The build's own rule (site/staging.py) holds for `pdf` too: a folder of other files stays."""
    if shutil.which(os.environ.get("TRIALOOG_CHROMIUM", "/usr/bin/chromium")) is None:
        monkeypatch.setenv("TRIALOOG_CHROMIUM", sys.executable)  # any executable: the build refuses first
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "mijn-map"
    out.mkdir()
    (out / "notities.txt").write_text("van mij\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["pdf", str(EXAMPLE), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "geen eerdere Trialoog-build" in result.output
    assert (out / "notities.txt").read_text(encoding="utf-8") == "van mij\n"


def test_the_running_head_cannot_break_out_of_its_css_string():
    hostile = 'Amina "El" Khatib \\ </style><script>alert(1)</script> · é'
    escaped = css_string(hostile)
    assert set(escaped) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 \\")
    assert escaped.startswith("Amina \\000022 El\\000022  Khatib")


def test_the_students_headings_go_below_the_item_title():
    html = '<h1 id="a">Handelen</h1><p>tekst</p><h2>Terugblikken</h2><h5>diep</h5><header>geen kop</header>'
    assert str(demote_headings(html, 3)) == (
        '<h4 id="a">Handelen</h4><p>tekst</p><h5>Terugblikken</h5><h6>diep</h6><header>geen kop</header>'
    )
