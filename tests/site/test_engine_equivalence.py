"""Both engines build the same site: every page, its content, the search index and Trialoog's theme.

Zensical ignores what it does not support (plugins, some options) without failing, so a fast
Zensical build proves nothing by itself. This compares a full `trialoog build` of the example
cohort with each engine, page by page: the same pages; per page the same title, the same text
and the same links and images in the article, the same footer (theme/main.html), the same robots
instruction (noindex) and a search box on the same pages; Trialoog's stylesheet linked and
present, and no slot left unfilled; and the search index of each site holding the same pages,
the overview none. The Zensical engine skips Zensical's own link scan (trialoog.site.engine):
a build with the scan must be the same, byte for byte.
"""

from __future__ import annotations

import json
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from trialoog.site import engine as engines
from trialoog.site.build import build_cohort
from trialoog.site.engine import ZensicalEngine

EXAMPLE = Path(__file__).resolve().parents[2] / "portfolios"
STYLESHEET = "assets/stylesheets/trialoog.css"
VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}
FOOTER = re.compile(r'<footer class="md-footer tl-footer">(.*?)</footer>', re.S)
ROBOTS = re.compile(r'<meta name="robots" content="([^"]*)"')
SEARCH_BOX = 'data-md-component="search"'


class _Page(HTMLParser):
    """The parts of a page both engines must agree on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.title, self.text, self.links, self.stylesheets = "", [], [], []
        self._depth, self._in_title = 0, False

    def handle_starttag(self, tag, attributes):
        values = dict(attributes)
        self._in_title = self._in_title or tag == "title"
        if tag == "link" and values.get("rel") == "stylesheet":
            self.stylesheets.append(values.get("href") or "")
        if tag == "article" or (self._depth and tag not in VOID):
            self._depth += 1
        if self._depth and (tag == "a" and values.get("href") or tag == "img"):
            self.links.append(values.get("href") or values.get("src") or "")

    def handle_endtag(self, tag):
        self._in_title = self._in_title and tag != "title"
        if self._depth and tag not in VOID:
            self._depth -= 1

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._depth:
            self.text.append(data)


def _read(path: Path) -> dict:
    page = _Page()
    html = path.read_text(encoding="utf-8")
    page.feed(html)
    footer = FOOTER.search(html)
    return {"title": page.title, "text": " ".join("".join(page.text).split()), "links": [_normal(u) for u in page.links],
            "stylesheets": [_normal(u) for u in page.stylesheets], "empty slot": 'data-tl-slot="' in html,
            "footer": " ".join(re.sub(r"<[^>]+>", " ", footer.group(1)).split()) if footer else None,
            "robots": ROBOTS.findall(html), "search box": SEARCH_BOX in html}


def _normal(url: str) -> str:
    """`.././assets/x` and `../assets/x` are the same address."""
    if not url or ":" in url.split("/", 1)[0] or url.startswith("#"):
        return url
    path, hash_mark, fragment = url.partition("#")
    return posixpath.normpath(path) + hash_mark + fragment if path else url


def _indexed(site: Path) -> dict[str, str]:
    """Page → title of every page a site's search index holds (MkDocs and Zensical name it differently)."""
    mkdocs, zensical = site / "search" / "search_index.json", site / "search.json"
    data = json.loads((mkdocs if mkdocs.is_file() else zensical).read_text(encoding="utf-8"))
    items = data.get("docs", data.get("items", []))
    return {item["location"]: item["title"] for item in items if "#" not in item["location"]}


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> tuple[Path, Path]:
    if ZensicalEngine.command() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("Zensical ontbreekt: pip install -e '.[zensical]'")
        pytest.skip("Zensical is niet geïnstalleerd (pip install -e '.[zensical]')")
    root = tmp_path_factory.mktemp("engines")
    for engine in ("mkdocs", "zensical"):
        summary = build_cohort(EXAMPLE, root / engine, jobs=2, engine=engine, echo=lambda line: None)
        assert summary.failure is None and summary.built, summary.line()
    return root / "mkdocs", root / "zensical"


def _pages(site: Path) -> list[str]:
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


@pytest.mark.slow
def test_both_engines_write_the_same_pages(both):
    mkdocs, zensical = both
    assert _pages(zensical) == _pages(mkdocs)
    assert len(_pages(mkdocs)) > 50


@pytest.mark.slow
def test_every_page_has_the_same_title_text_and_links_and_trialoogs_theme(both):
    mkdocs, zensical = both
    different = []
    for page in _pages(mkdocs):
        first, second = _read(mkdocs / page), _read(zensical / page)
        for site, seen in ((mkdocs, first), (zensical, second)):
            sheets = [url for url in seen["stylesheets"] if url.endswith(STYLESHEET)]
            assert sheets, f"{site.name}/{page}: Trialoogs stylesheet ontbreekt"
            assert (site / Path(page).parent / sheets[0]).resolve().is_file(), f"{site.name}/{page}: {sheets[0]}"
            assert not seen["empty slot"], f"{site.name}/{page}: een slot is niet gevuld"
        assert first["footer"], f"{page}: Trialoogs voettekst (theme/main.html) ontbreekt"
        different += [f"{page}: {part}" for part in ("title", "text", "links", "footer", "robots", "search box")
                      if first[part] != second[part]]
    assert different == []


@pytest.mark.slow
def test_the_search_index_of_every_site_holds_the_same_pages(both):
    mkdocs, zensical = both
    sites = [index.parent for index in mkdocs.rglob("search_index.json")]
    assert len(sites) >= 3  # every student of the example
    for search in sites:
        site = search.parent
        twin = zensical / site.relative_to(mkdocs)
        assert site != mkdocs, "het overzicht heeft geen zoekvak: zijn tabellen zoeken en filteren zelf"
        assert _indexed(twin) == _indexed(site), site.relative_to(mkdocs).as_posix()
        assert _indexed(site), f"{site}: een lege zoekindex"
    for site in (mkdocs, zensical):
        assert SEARCH_BOX not in (site / "index.html").read_text(encoding="utf-8"), f"{site.name}: een zoekvak op het overzicht"
        assert not (site / "search" / "search_index.json").exists() and not _indexed_if_any(site), site.name


def _indexed_if_any(site: Path) -> dict[str, str]:
    has_index = (site / "search" / "search_index.json").is_file() or (site / "search.json").is_file()
    return _indexed(site) if has_index else {}


@pytest.mark.slow
def test_zensical_without_its_link_scan_builds_the_same_bytes(both, tmp_path, monkeypatch):
    """The engine replaces Zensical's link scan, which only feeds a report; with the scan, every
    file must come out the same (one process, so the setting reaches every build)."""
    zensical = both[1]
    monkeypatch.setattr(engines, "_LINK_REPORT_ONLY", ((0,), (0,)))  # no version: the scan runs
    summary = build_cohort(EXAMPLE, tmp_path / "met-scan", jobs=1, engine="zensical", echo=lambda line: None)
    assert summary.failure is None and summary.built, summary.line()
    files = {path.relative_to(zensical).as_posix() for path in zensical.rglob("*") if path.is_file()}
    with_scan = {path.relative_to(tmp_path / "met-scan").as_posix() for path in (tmp_path / "met-scan").rglob("*") if path.is_file()}
    assert files == with_scan
    assert [name for name in sorted(files) if (zensical / name).read_bytes() != (tmp_path / "met-scan" / name).read_bytes()] == []
