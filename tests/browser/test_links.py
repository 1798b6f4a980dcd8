"""No broken links: a crawler over the whole built site finds every local link and asset.

Every href, src and srcset of every page, every url() in a stylesheet and the search worker that
Material's page configuration names must resolve to a file inside the site; a link to a `#fragment`
must find that id on its page. Pages and assets never load anything from another host.
"""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from browser.htmlscan import read_page

CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)")
LEAVES_THE_PAGE = ("mailto:", "tel:")


def target(site: Path, page: Path, url: str) -> tuple[Path | None, str]:
    """The file a local URL of `page` points to (None when it leaves the site), and its fragment."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    base = page.relative_to(site).parent.as_posix()
    joined = posixpath.normpath(posixpath.join(base, path)) if path else page.relative_to(site).as_posix()
    if joined == ".." or joined.startswith("../") or path.startswith("/"):
        return None, parts.fragment
    resolved = site / joined
    if url.endswith("/") or resolved.is_dir():
        resolved = resolved / "index.html"
    return resolved, parts.fragment


def is_external(url: str) -> bool:
    return bool(urlsplit(url).scheme) or url.startswith("//")


def ids_of(path: Path, cache: dict[Path, set[str]]) -> set[str]:
    if path not in cache:
        page = read_page(path)
        cache[path] = {e.attrs[name] for e in page.elements for name in ("id", "name") if name in e.attrs}
    return cache[path]


def test_every_local_link_and_asset_resolves(built_site, built_pages):
    broken: list[str] = []
    ids: dict[Path, set[str]] = {}
    checked = 0
    for page in built_pages:
        for element in read_page(page).elements:
            for name, url in _urls(element):
                if not url or is_external(url) or url.startswith(LEAVES_THE_PAGE):
                    continue
                checked += 1
                found, fragment = target(built_site, page, url)
                where = f"{page.relative_to(built_site)}:{element.line} <{element.tag} {name}={url!r}>"
                if found is None:
                    broken.append(f"{where}: wijst buiten de site")
                elif not found.is_file():
                    broken.append(f"{where}: {found.relative_to(built_site)} bestaat niet")
                elif fragment and found.suffix == ".html" and unquote(fragment) not in ids_of(found, ids):
                    broken.append(f"{where}: geen id '{fragment}' op {found.relative_to(built_site)}")
    assert checked > 1000, f"te weinig links gevonden ({checked}): is de site wel gebouwd?"
    assert broken == [], "\n".join(broken[:50])


def test_every_url_in_a_stylesheet_resolves(built_site):
    broken = []
    for sheet in sorted(built_site.rglob("*.css")):
        for match in CSS_URL.finditer(sheet.read_text(encoding="utf-8", errors="replace")):
            url = match.group(2).strip()
            if url.startswith(("data:", "#")):
                continue
            assert not is_external(url), f"{sheet.relative_to(built_site)} laadt {url} van een andere host"
            found, _ = target(built_site, sheet, url)
            if found is None or not found.is_file():
                broken.append(f"{sheet.relative_to(built_site)}: url({url})")
    assert broken == []


def test_the_search_worker_that_each_page_names_exists(built_site, built_pages):
    missing = []
    for page in built_pages:
        config = [text for element, text in read_page(page).scripts if element.attrs.get("id") == "__config"]
        if not config:
            continue
        worker = json.loads(config[0]).get("search")
        if worker:
            found, _ = target(built_site, page, worker)
            if found is None or not found.is_file():
                missing.append(f"{page.relative_to(built_site)}: {worker}")
    assert missing == []


def test_pages_load_nothing_from_another_host(built_site, built_pages):
    """Links to other websites are fine (a reader chooses to follow them); loading is not."""
    loads = []
    for page in built_pages:
        for element in read_page(page).elements:
            loaded = element.attrs.get("src") or (element.attrs.get("href") if element.tag == "link" else None)
            if loaded and is_external(loaded) and not loaded.startswith("data:"):
                loads.append(f"{page.relative_to(built_site)}:{element.line} <{element.tag}> {loaded}")
    assert loads == []


def _urls(element):
    for name in ("href", "src"):
        if name in element.attrs:
            yield name, element.attrs[name].strip()
    for candidate in element.attrs.get("srcset", "").split(","):
        if candidate.strip():
            yield "srcset", candidate.split()[0]


@pytest.mark.parametrize("url, expected", [("../a/b.html#x", ("a/b.html", "x")), ("./", ("s/index.html", "")), ("#top", ("s/p.html", "top"))])
def test_the_crawler_resolves_relative_urls(tmp_path, url, expected):
    (tmp_path / "s").mkdir()
    page = tmp_path / "s" / "p.html"
    found, fragment = target(tmp_path, page, url)
    assert (found.relative_to(tmp_path).as_posix(), fragment) == expected
