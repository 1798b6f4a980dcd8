"""On CI a missing browser, Java or axe-core fails the test; on a developer's machine it skips and says how to install."""

from __future__ import annotations

import pytest

from browser.conftest import require_tool


def test_a_missing_tool_fails_on_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install iets"):
        require_tool("trialoog-bestaat-niet", "apt-get install iets")


def test_a_missing_tool_skips_elsewhere_with_how_to_install(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="installeer met: npm ci"):
        require_tool("axe-core", "npm ci", path="/nergens/axe.min.js")


def test_a_present_tool_is_returned(monkeypatch, tmp_path):
    monkeypatch.setenv("CI", "true")
    assert require_tool("sh", "apt-get install dash")
    assert require_tool("json", "-", module="json") == "json"
    assert require_tool("bestand", "-", path=tmp_path) == str(tmp_path)
