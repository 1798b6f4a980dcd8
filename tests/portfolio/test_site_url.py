"""An invalid `site_url` is a Dutch configuration error at `check`, not MkDocs' English one at `build`."""

from __future__ import annotations

import pytest

from trialoog import rules
from trialoog.portfolio.load import ConfigError

from conftest import PORTFOLIO_YML


@pytest.mark.parametrize("url", ["portfolio.example.org", "ftp://x.org/", "https://", "https://[::1", "https://x.org/een pad", "javascript:alert(1)"])
def test_an_invalid_site_url_is_refused_in_dutch(cohort, url):
    cohort.config(f"site_url: \"{url}\"\n")
    with pytest.raises(ConfigError) as info:
        cohort.load()
    (found,) = info.value.diagnostics
    assert found.code == rules.WRONG_VALUE and found.path == "portfolio.yml" and found.line == PORTFOLIO_YML.count("\n") + 1
    assert "geen volledig webadres" in found.message and "https://" in found.message


@pytest.mark.parametrize("url", ["https://hogeschool.github.io/portfolio/", "http://localhost:8000", "https://p.example.org"])
def test_a_web_address_is_fine(cohort, url):
    cohort.config(f"site_url: {url}\n")
    assert cohort.load().config.site_url == url
