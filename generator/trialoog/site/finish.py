"""The last pass over a built site, one read and one write per page.

It puts the HTML that pages.py kept away from the engine into its placeholders, points shared
theme assets one folder up, drops the indentation of the engine's templates (a fifth of every
page, and the cohort must fit a static host's 1 GB), and tells search engines to stay away: every
page gets `<meta name="robots" content="noindex">` and the root a robots.txt that disallows all,
unless portfolio.yml says `search_engines: true`. Done here, after the engine, so it holds for
every engine and every page, the 404 page too.
"""

from __future__ import annotations

import re
from pathlib import Path

from trialoog.site.assets import relink

# Whitespace is content inside these elements; everything else may lose its indentation.
_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")  # indentation and blank lines at once


NOINDEX = '<meta name="robots" content="noindex">'
ROBOTS_CLOSED = "# Portfolio's van studenten: niet voor zoekmachines.\nUser-agent: *\nDisallow: /\n"
ROBOTS_OPEN = "User-agent: *\nAllow: /\n"


def finish_site(site: Path, slots: dict[str, dict[str, str]], shared: set[str] | frozenset[str] = frozenset(),
                search_engines: bool = False) -> None:
    """`slots` maps a docs path ("tijdlijn.md") to its placeholders; `shared` are the assets that
    only the shared folder holds (see trialoog.site.assets)."""
    for page in sorted(site.rglob("*.html")):
        relative = page.relative_to(site).as_posix()
        html = page.read_text(encoding="utf-8")
        html = fill_slots(html, slots.get(relative[: -len(".html")] + ".md", {}))
        html = relink(html, page.parent.relative_to(site).as_posix(), set(shared))
        if not search_engines:
            html = mark_noindex(html)
        page.write_text(strip_indentation(html), encoding="utf-8")


def mark_noindex(html: str) -> str:
    """The robots meta tag right after `<head>` (once; a page that has it keeps one)."""
    if NOINDEX in html:
        return html
    head = re.search(r"<head\b[^>]*>", html, flags=re.IGNORECASE)
    return html[: head.end()] + NOINDEX + html[head.end():] if head else html


def write_robots(site: Path, search_engines: bool = False) -> None:
    """robots.txt at the root of the output (the overview's folder). Crawlers read it only at the
    root of a host: under a project path (org.github.io/repo/) the meta tag is what counts."""
    (site / "robots.txt").write_text(ROBOTS_OPEN if search_engines else ROBOTS_CLOSED, encoding="utf-8")


def slot_placeholder(key: str) -> str:
    """What a page holds, as raw HTML, where pages.py kept a block of HTML away from the engine."""
    return f'<div class="tl-slot" data-tl-slot="{key}"></div>'


def fill_slots(html: str, slots: dict[str, str]) -> str:
    for key, content in slots.items():
        placeholder = slot_placeholder(key)
        if html.count(placeholder) != 1:
            raise ValueError(f"plaatshouder {key} niet precies één keer in de pagina gevonden")
        html = html.replace(placeholder, content, 1)
    return html


def strip_indentation(html: str) -> str:
    parts = _KEEP_WHITESPACE.split(html)
    # re.split with two groups yields [text, element, tag name, text, element, tag name, ...]
    kept = []
    for index in range(0, len(parts), 3):
        kept.append(_INDENT.sub("\n", parts[index]))
        if index + 1 < len(parts):
            kept.append(parts[index + 1])
    return "".join(kept)
