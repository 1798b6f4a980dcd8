"""A student's Markdown text → HTML that is safe to publish, with its local links sorted out.

Student text is untrusted. It is rendered once with the extensions of the base mkdocs.yml, cleaned
with nh3 (trialoog.site.sanitize), and only then placed in the generated page as a raw HTML block, which
the site engine passes through untouched: nothing a student writes reaches the engine as Markdown.

Local links and images are read and resolved as `check` reads them (trialoog.portfolio.links and
trialoog.portfolio.paths, on HTML from the parser configuration of trialoog.portfolio.render):
a link to a published entry points at its page, a file that may be published is collected to be
copied into the site, and anything else (a draft, a private entry in the student build, a missing
or unsafe file) keeps its text but loses the link. Local URLs are kept as site-root markers
(`trialoog:/path`) until `localize` makes them relative to the page that shows the text, because
the same text appears on several pages at different depths.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Iterator, Mapping
from urllib.parse import quote, unquote

import nh3

from trialoog.portfolio.links import local_reference
from trialoog.portfolio.load import Entry, Student
from trialoog.portfolio.paths import resolve_inside
from trialoog.portfolio.render import converter
from trialoog.site.sanitize import sanitize_html

MARKER = "trialoog:/"
# Files a site may serve: a static host picks the content type by extension, and an .html, .svg or
# .js file of a student would run in the browser of everyone who opens it.
DOWNLOADS = frozenset({
    ".pdf", ".txt", ".csv", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods",
    ".odp", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp3", ".m4a", ".wav", ".ogg", ".mp4", ".webm",
    ".mov", ".zip",
})
IMAGES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})

_LINK = re.compile(r'<a\b(?P<attrs>[^>]*)>(?P<text>.*?)</a>', re.DOTALL)
_IMAGE = re.compile(r'<img\b(?P<attrs>[^>]*?)/?>')
_ATTRIBUTE = re.compile(r'\s(?P<name>[a-z-]+)="(?P<value>[^"]*)"')
_MARKED_URL = re.compile(r'(?P<lead>\s(?:href|src)=")' + re.escape(MARKER) + r'(?P<path>[^"#]*)(?P<fragment>#[^"]*)?"')
_ID = re.compile(r'\sid="[^"]*"')
_HEADING = re.compile(r"<h[1-6]\b.*?</h[1-6]>", re.DOTALL)
_SPACE = re.compile(r"\s+")
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


_CLEANED: dict[str, str] = {}  # text_key -> cleaned HTML, see BodyRenderer._clean
_CLEANED_KEPT = 4000  # about a cohort's texts of one student × 30, a few tens of MB at most
_USED: list[dict[str, str]] = []  # what `cleaned_texts_used` collects


def forget_cleaned_texts() -> None:
    """Start over as a new process would (the benchmark measures a first build in a warm process)."""
    _CLEANED.clear()


def text_key(configuration: str, text: str) -> str:
    """What a text's cleaned HTML is kept under: the parser's configuration and the text, hashed."""
    return hashlib.sha256(f"{configuration}\0{text}".encode("utf-8", "surrogatepass")).hexdigest()


@contextlib.contextmanager
def cleaned_texts_used(known: Mapping[str, str]) -> Iterator[dict[str, str]]:
    """Render with the cleaned texts `known` (by text_key) at hand, as if this process had cleaned
    them; yields the texts that the rendering cleaned or looked up, for the next build
    (trialoog.site.cleaned_texts)."""
    _CLEANED.update(known)
    used: dict[str, str] = {}
    _USED.append(used)
    try:
        yield used
    finally:
        _USED.remove(used)


@dataclass(frozen=True)
class Body:
    html: str  # safe HTML with local URLs as markers; see `localize`
    files: frozenset[str]  # student files (paths inside the folder) that the text shows or links to
    entries: frozenset[str]  # ids of the published entries the text links to
    text: str  # plain text, for excerpts


def is_publishable(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in DOWNLOADS


def is_image(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in IMAGES


def page_url(entry_id: str) -> str:
    return f"{entry_id}.html"


def marker(path: str) -> str:
    return MARKER + quote(path)


class BodyRenderer:
    """Renders the texts of one student; `visible` names the entries this site publishes."""

    def __init__(self, student: Student, visible: set[str], extensions: tuple[list[str], dict[str, dict]] | None = None) -> None:
        self.student = student
        self.visible = visible
        self._markdown = converter(extensions)
        self._configuration = repr(extensions)
        self._cache: dict[str, Body] = {}

    def render(self, entry: Entry) -> Body:
        if entry.id not in self._cache:
            clean = self._clean(entry.doc.body)
            files: set[str] = set()
            entries: set[str] = set()
            linked = _IMAGE.sub(lambda m: self._image(entry, m, files), clean)
            linked = _LINK.sub(lambda m: self._link(entry, m, files, entries), linked)
            linked = _LONE_IMAGE.sub(_figure, linked)
            self._cache[entry.id] = Body(linked, frozenset(files), frozenset(entries), _plain_text(clean))
        return self._cache[entry.id]

    def _clean(self, text: str) -> str:
        """The text's Markdown as cleaned HTML, its links not yet resolved: a pure function of the
        text and the parser's configuration, so a process keeps it (`trialoog serve` rebuilds a
        student on every save, and only the saved text is new), and so does the next build, through
        `cleaned_texts_used` (trialoog.site.cleaned_texts)."""
        key = text_key(self._configuration, text)
        clean = _CLEANED.get(key)
        if clean is None:
            self._markdown.reset()
            clean = _CLEANED[key] = _demote_headings(sanitize_html(self._markdown.convert(text)))
            while len(_CLEANED) > _CLEANED_KEPT:
                del _CLEANED[next(iter(_CLEANED))]  # the oldest first
        for used in _USED:
            used[key] = clean
        return clean

    def resolve(self, entry: Entry, reference: str) -> str | None:
        """The path inside the student's folder that `reference` (relative to `entry`) names, if any."""
        resolved = resolve_inside(self.student, entry, reference)
        return resolved.relative if resolved.found else None

    def _link(self, entry, match: re.Match[str], files: set[str], entries: set[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match["attrs"]))
        reference = local_reference(html.unescape(attributes.get("href", "")))
        if reference is None:
            return match[0]
        target = self._local_target(entry, reference.path, reference.fragment, files, entries)
        if target is None:
            return f'<span class="tl-unlinked">{match["text"]}</span>'
        return f'<a href="{target}">{match["text"]}</a>'

    def _local_target(self, entry, path: str, fragment: str, files: set[str], entries: set[str]) -> str | None:
        relative = self.resolve(entry, path)
        if relative is None:
            return None
        fragment = f"#{quote(unquote(fragment))}" if fragment else ""
        if relative.lower().endswith(".md"):
            entry_id = relative[:-3]
            if entry_id not in self.visible:
                return None
            entries.add(entry_id)
            return marker(page_url(entry_id)) + fragment
        if relative in self.student.files and is_publishable(relative):
            files.add(relative)
            return marker(relative) + fragment
        return None

    def _image(self, entry, match: re.Match[str], files: set[str]) -> str:
        attributes = dict(_ATTRIBUTE.findall(match["attrs"]))
        alt = attributes.get("alt", "")
        reference = local_reference(html.unescape(attributes.get("src", "")))
        relative = self.resolve(entry, reference.path) if reference is not None else None
        if relative is None or relative not in self.student.files or not is_image(relative):
            return f'<span class="tl-unlinked">{alt}</span>' if alt else ""
        files.add(relative)
        kept = "".join(f' {name}="{value}"' for name, value in attributes.items() if name not in ("src", "loading"))
        return f'<img src="{marker(relative)}"{kept} loading="lazy">'


# A picture on a line of its own (`![Schets van het bord](bord.png)`): Markdown makes it a paragraph.
_LONE_IMAGE = re.compile(r'<p>\s*(?P<img><img src="' + re.escape(MARKER) + r'[^>]*>)\s*</p>')


def _figure(match: re.Match[str]) -> str:
    """A picture on its own line becomes a figure captioned with the student's alt text: the
    words the student chose for it, seen by everyone, not only by a screen reader."""
    alt = dict(_ATTRIBUTE.findall(match["img"])).get("alt", "")
    caption = f"<figcaption>{alt}</figcaption>" if alt.strip() else ""
    return f'<figure class="tl-figure">{match["img"]}{caption}</figure>'


def localize(safe_html: str, page: str, *, keep_ids: bool = True) -> str:
    """Make the markers in `safe_html` relative to `page` (a path in the docs tree, e.g. "tijdlijn.md").

    Without `keep_ids` heading and footnote ids are dropped, for a page that shows several texts.
    """
    page_dir = posixpath.dirname(page)

    def relative(match: re.Match[str]) -> str:
        return f'{match["lead"]}{relative_url(unquote(match["path"]), page_dir, quoted=True)}{match["fragment"] or ""}"'

    localized = _MARKED_URL.sub(relative, safe_html)
    return localized if keep_ids else _ID.sub("", localized)


def relative_url(target: str, page_dir: str, *, quoted: bool = False) -> str:
    """URL of `target` (a path from the site root) as seen from a page in `page_dir`.

    Both are relative to the same root, so this is path arithmetic (posixpath.relpath asks the
    file system for the working directory on every call, and pages have thousands of links)."""
    here = [part for part in page_dir.split("/") if part and part != "."]
    there = [part for part in target.split("/") if part and part != "."]
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    url = "/".join([".."] * (len(here) - common) + there[common:])
    return quote(url) if quoted else url


def excerpt(text: str, length: int = 220) -> str:
    text = _SPACE.sub(" ", text).strip()
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return f"{cut} …"


def _demote_headings(clean_html: str) -> str:
    """The page has its own <h1> (the entry's title): a student's `# Heading` becomes an <h2>."""
    if "<h1" not in clean_html:
        return clean_html
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 1)}", clean_html)


def _plain_text(clean_html: str) -> str:
    # Headings of a reflection model ("1. Handelen") say nothing about the content.
    without_headings = _HEADING.sub(" ", clean_html)
    return html.unescape(nh3.clean(without_headings, tags=set()))


WITHHELD_NOTE = "afbeelding niet op de site gezet: ze kon niet zonder metadata bewaard worden"
_MARKED_IMAGE = re.compile(r'<img src="' + re.escape(MARKER) + r'(?P<path>[^"]*)"(?P<attrs>[^>]*)>')


def without_images(body: Body, withheld: frozenset[str]) -> Body:
    """`body` with the images in `withheld` (not copied into the site) replaced by their alt text.

    An image the build could not clean of its metadata is left out (trialoog.site.images); a
    broken image icon would help no reader, the student's own description does.
    """

    def replace(match: re.Match[str]) -> str:
        if unquote(match["path"]) not in withheld:
            return match[0]
        alt = dict(_ATTRIBUTE.findall(match["attrs"])).get("alt", "")
        return f'<span class="tl-unlinked" title="{WITHHELD_NOTE}">{alt or f"({WITHHELD_NOTE})"}</span>'

    def replace_figure(match: re.Match[str]) -> str:
        # A figure of a left-out picture: its caption is the alt text, shown once, as the text.
        image = _MARKED_IMAGE.search(match[0])
        return f'<p>{replace(image)}</p>' if image and unquote(image["path"]) in withheld else match[0]

    if "<img" not in body.html:
        return body
    shown = _FIGURE.sub(replace_figure, body.html)
    return Body(_MARKED_IMAGE.sub(replace, shown), body.files - withheld, body.entries, body.text)


_FIGURE = re.compile(r'<figure class="tl-figure"><img [^>]*>(?:<figcaption>.*?</figcaption>)?</figure>', re.DOTALL)
