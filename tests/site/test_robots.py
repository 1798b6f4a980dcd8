"""Private unless the programme decides otherwise: no page invites a search engine.

Every page of both audiences carries `<meta name="robots" content="noindex">` and the output's root a
robots.txt that disallows all, unless portfolio.yml says `search_engines: true`; real builds.
"""

from __future__ import annotations

import pytest

from trialoog.site.build import build_cohort
from trialoog.site.finish import NOINDEX, mark_noindex

pytestmark = pytest.mark.slow


def pages(site):
    return sorted(site.rglob("*.html"))


@pytest.mark.parametrize("audience", ["student", "evaluation"])
def test_every_page_says_noindex_and_robots_txt_disallows_all(cohort, tmp_path, audience):
    out = tmp_path / "site"
    assert build_cohort(cohort.root, out, audience=audience, jobs=1, echo=lambda line: None).exit_code == 0
    found = pages(out)
    assert len(found) > 5 and (out / "index.html") in found
    assert [page for page in found if page.read_text(encoding="utf-8").count(NOINDEX) != 1] == []
    assert (out / "robots.txt").read_text(encoding="utf-8").endswith("User-agent: *\nDisallow: /\n")


def test_a_programme_may_opt_in(cohort, tmp_path):
    cohort.config("search_engines: true\n")
    out = tmp_path / "site"
    assert build_cohort(cohort.root, out, jobs=1, echo=lambda line: None).exit_code == 0
    assert [page for page in pages(out) if 'name="robots"' in page.read_text(encoding="utf-8")] == []
    assert (out / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"


def test_the_tag_goes_in_the_head_once():
    html = '<!doctype html><html lang="nl"><HEAD class="x"><title>t</title></head><body>noindex</body></html>'
    marked = mark_noindex(html)
    assert marked.startswith(f'<!doctype html><html lang="nl"><HEAD class="x">{NOINDEX}<title>') and mark_noindex(marked) == marked
