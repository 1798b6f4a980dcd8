"""The last touch on every page of a built site, whichever engine rendered it.

It puts the HTML that pages.py kept away from the engine into its placeholders, points shared
theme assets one folder up, drops the indentation of the engine's templates (a fifth of every
page, and the cohort must fit a static host's 1 GB), and tells search engines to stay away: every
page gets `<meta name="robots" content="noindex">` and the root a robots.txt that disallows all,
unless portfolio.yml says `search_engines: true`. Done here, after the engine, so it holds for
every engine and every page.

MkDocs hands each page to `finish_page` before it writes it (trialoog.site.engine), so a page is
written once; Zensical runs no plugins, so its site gets `finish_site`, one read and one write per
page afterwards. Both give the same bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from trialoog.site.assets import drop_shared_assets, relink

# Whitespace is content inside these elements; everything else may lose its indentation.
_KEEP_WHITESPACE = re.compile(r"(<(pre|textarea)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_PRESERVING = re.compile(r"<(?:pre|textarea)\b", re.IGNORECASE)
_INDENT = re.compile(r"\n\s+")  # indentation and blank lines at once


NOINDEX = '<meta name="robots" content="noindex">'
ROBOTS_CLOSED = "# Portfolio's van studenten: niet voor zoekmachines.\nUser-agent: *\nDisallow: /\n"
ROBOTS_OPEN = "User-agent: *\nAllow: /\n"


@dataclass(frozen=True)
class Finishing:
    """What the builder wants done to every page of one site after the engine."""

    slots: dict[str, dict[str, str]] = field(default_factory=dict)  # docs path ("tijdlijn.md") -> placeholders
    search_engines: bool = False  # portfolio.yml opts in: no noindex
    shared_assets: Path | None = None  # the cohort's one copy of the theme's assets (a student's site links there)


def finish_page(html: str, page: str, finishing: Finishing, shared: set[str] | frozenset[str]) -> str:
    """One page (`page`: its path in the site, "competenties/fg1.html"); `shared` are the assets
    that only the shared folder holds (see trialoog.site.assets)."""
    html = fill_slots(html, finishing.slots.get(page[: -len(".html")] + ".md", {}))
    html = relink(html, page.rpartition("/")[0], set(shared))
    if not finishing.search_engines:
        html = mark_noindex(html)
    return strip_indentation(html)


def finish_site(site: Path, finishing: Finishing) -> int:
    """The pass after an engine that cannot call `finish_page` itself: drop the site's copies of the
    shared assets, then finish every page. Returns the bytes that sharing saved."""
    shared, saved = drop_shared_assets(site, finishing.shared_assets) if finishing.shared_assets else (set(), 0)
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page.write_text(finish_page(html, page.relative_to(site).as_posix(), finishing, shared), encoding="utf-8")
    return saved


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
    if not _PRESERVING.search(html):
        return _INDENT.sub("\n", html)  # most pages: no code block, no text area
    parts = _KEEP_WHITESPACE.split(html)
    # re.split with two groups yields [text, element, tag name, text, element, tag name, ...]
    kept = []
    for index in range(0, len(parts), 3):
        kept.append(_INDENT.sub("\n", parts[index]))
        if index + 1 < len(parts):
            kept.append(parts[index + 1])
    return "".join(kept)
