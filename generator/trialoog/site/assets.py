"""Store the theme's assets once for the whole cohort.

Every Material site carries the same ~2.5 MB of CSS, JavaScript and search
workers under assets/. The overview at the site root keeps its copy; a student
site at site/<id>/ drops every file that is byte-identical to the shared one and
its pages point one folder up instead. URLs stay relative, so the output works
under any base path and from disk.
"""

from __future__ import annotations

import filecmp
import posixpath
import re
from pathlib import Path

ASSETS = "assets"

# Only URLs that mention the assets folder can point into it; a page has hundreds of other links.
_ATTRIBUTE_URL = re.compile(r"""(?P<lead>\s(?:href|src)=(?P<quote>["']))(?P<url>[^"'<>]*""" + ASSETS + r"""/[^"'<>]*)(?P=quote)""")
# Material's page config names its search worker; the worker finds lunr beside itself.
_CONFIG_URL = re.compile(r"""(?P<lead>"search":\s*(?P<quote>"))(?P<url>[^"]*)(?P=quote)""")


def drop_shared_assets(student_site: Path, shared_assets: Path) -> tuple[set[str], int]:
    """Delete `student_site`'s copies of files that `shared_assets` holds byte for byte.

    Returns the site-relative paths that now live only in the shared folder (for `relink`) and
    the bytes saved. Files that differ from the shared copy stay in the student's site.
    """
    own_assets = student_site / ASSETS
    if not own_assets.is_dir():
        return set(), 0
    return _drop_duplicates(own_assets, shared_assets)


def _drop_duplicates(own_assets: Path, shared_assets: Path) -> tuple[set[str], int]:
    shared: set[str] = set()
    saved = 0
    for own in sorted(own_assets.rglob("*")):
        if not own.is_file():
            continue
        relative = own.relative_to(own_assets).as_posix()
        reference = shared_assets / relative
        if reference.is_file() and filecmp.cmp(own, reference, shallow=False):
            saved += own.stat().st_size
            own.unlink()
            shared.add(f"{ASSETS}/{relative}")
    _remove_empty_dirs(own_assets)
    return shared, saved


def _remove_empty_dirs(root: Path) -> None:
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    if root.is_dir() and not any(root.iterdir()):
        root.rmdir()


def relink(html: str, page_dir: str, shared: set[str]) -> str:
    """Point the URLs of a page in `page_dir` (relative to its site) that name a shared asset one
    folder up, where the shared copy lives."""
    if not shared:
        return html

    def one(match: re.Match[str]) -> str:
        url = match["url"]
        if _resolves_into(url, page_dir) in shared:
            url = "../" + url  # the student's site sits one folder below the shared assets
        return f"{match['lead']}{url}{match['quote']}"

    # The theme names its assets in <head>, in the header and the navigation (the programme's logo)
    # and in the scripts after the page's content; the content itself (often most of the page) is
    # left unsearched.
    head_end, tail_start = html.find('<div class="md-content"'), html.rfind("</main>")
    if head_end < 0 or tail_start < head_end:
        return _CONFIG_URL.sub(one, _ATTRIBUTE_URL.sub(one, html))
    head, middle, tail = html[:head_end], html[head_end:tail_start], html[tail_start:]
    return _ATTRIBUTE_URL.sub(one, head) + middle + _CONFIG_URL.sub(one, _ATTRIBUTE_URL.sub(one, tail))


def _resolves_into(url: str, page_dir: str) -> str | None:
    """The site-relative path a relative URL points at, or None for any other URL."""
    if not url or url.startswith(("/", "#", "data:")) or ":" in url.split("/", 1)[0]:
        return None
    path = url.split("#", 1)[0].split("?", 1)[0]
    resolved = posixpath.normpath(posixpath.join(page_dir, path))
    return None if resolved.startswith("..") else resolved
