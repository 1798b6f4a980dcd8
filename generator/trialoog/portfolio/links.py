"""The links and images of a student's text, as the Markdown parser sees them.

A link is what Python-Markdown, with the configuration of the build (trialoog.portfolio.render),
turns into an `href` or `src` attribute: inline and reference-style links and images, and raw
HTML written in the text, quoted or not (`<a href=../les.md>`, `<video src=clip.mp4>`). Text in
inline code and in fenced or indented code blocks is no link, because the parser makes it code.
`trialoog check` reports the links that do not resolve; `trialoog build` rewrites the same links
with the same `local_reference` and trialoog.portfolio.paths.resolve_inside.

Rendering is costly, so a text of plain paragraphs and `[tekst](pad)` links is read by a scan that
finds exactly the parser's links (scanned_links); any other text is rendered.

Python-Markdown keeps no source positions, so a link's line is found back in the source: the
n-th link with a given target is placed at the n-th occurrence of that target's text in the
body outside code (fences, indented code after a blank line, backtick spans, blanked out by a
light scan). A reference-style link thus lands on the line of its definition, where the target
is written. When the text is not found (written with entities, say), the link gets the body's
first line: the position is a hint, whether it is a link is the parser's decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from trialoog.portfolio.paths import is_external
from trialoog.portfolio.render import Extensions, markdown_extensions, to_html

ATTRIBUTES = frozenset({"href", "src"})  # on any element: a, img, source, video, audio, raw HTML

# What a text needs to hold any local link at all: an inline link or image `](`, a reference
# definition `]:`, or an element with an attribute (raw HTML `<… href=`, attr_list `{: src=`).
_SIMPLE = re.compile(r"\]\(([^\s()<>\"'\\&]+)\)")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_INDENTED = re.compile(r"(?:\A|\n[ \t]*\n)((?:(?: {4}|\t)[^\n]*(?:\n|\Z)|[ \t]*\n)+)")
_NOT_NEWLINE = re.compile(r"[^\n]")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
# scanned_links: a plain link or image, and what makes a text more than paragraphs of those.
_PLAIN_LINK = re.compile(r"(!?)\[[^\[\]\n|]*\]\(([^\s()<>\"'\\\[\]`{}&|]+)\)")
_NEEDS_PARSER = re.compile(r"[`\\<{\t]|    |^ {0,3}(?:!!!|\?\?\?)", re.MULTILINE)
# The extensions whose output scanned_links was compared with (their order does not matter).
SCANNED_EXTENSIONS = frozenset({"abbr", "admonition", "attr_list", "def_list", "footnotes", "tables", "toc",
                                "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist"})


@dataclass(frozen=True)
class Link:
    line: int  # in the entry's file
    column: int
    target: str  # the attribute's value as a browser reads it (entities decoded)
    tag: str  # "a", "img", "source", ...


@dataclass(frozen=True)
class Reference:
    path: str  # still percent-encoded, as written: resolve_inside decodes it
    fragment: str  # without the "#"


def local_reference(target: str) -> Reference | None:
    """The file that `target` (an href or src) names in the student's folder, or None when it is
    no local file: empty, only a fragment (`#kop`), a web address (`https:`, `mailto:`, or
    protocol-relative `//host/…`). Browsers trim spaces, and ignore the query for a file."""
    written = target.strip()
    if not written or written.startswith("#") or written.startswith("//") or is_external(written):
        return None
    path, _, fragment = written.partition("#")
    path = path.split("?", 1)[0]
    return Reference(path, fragment) if path else None


def may_hold_links(body: str) -> bool:
    return "](" in body or "]:" in body or ("=" in body and ("<" in body or "{" in body))


def quick_targets(body: str) -> list[str] | None:
    """Every target that the parser could make of `body`, without running it, or None when that
    takes the parser.

    Only for the common text whose links are all written `[tekst](pad)` with a path of plain
    characters (no space, bracket, quote, escape or entity): for those Python-Markdown's href is
    exactly that path. Nothing else can make a link without `<`, `{` or `]:` (see may_hold_links).
    The list may hold a path that the parser makes code: a caller that finds a problem among
    them asks `links_in` to decide, so this never reports a link by itself."""
    if not may_hold_links(body):
        return []
    if "]:" in body or "<" in body or "{" in body:
        return None
    targets = _SIMPLE.findall(body)
    if len(targets) != body.count("]("):
        return None
    return targets


def links_in(body: str, first_line: int = 1, extensions: Extensions | None = None) -> list[Link]:
    """Every href and src in the HTML of `body`, in document order, with its line in the file
    (`first_line` is the file's line where the body starts)."""
    if not may_hold_links(body):
        return []
    found = scanned_links(body) if extensions is None else None
    return list(_placed(body, first_line, found if found is not None else parsed_links(body, extensions)))


def parsed_links(body: str, extensions: Extensions | None = None) -> list[tuple[str, str]]:
    """(tag, target) of every href and src in the HTML Python-Markdown makes of `body`."""
    collector = _Collector()
    collector.feed(to_html(body, extensions))
    collector.close()
    return collector.found


def scanned_links(body: str) -> list[tuple[str, str]] | None:
    """What `parsed_links` returns, found without the parser, or None when that takes the parser.

    Rendering is the costly part of reading links, and most texts hold nothing but paragraphs,
    headings, lists and `[tekst](pad)` or `![tekst](pad)` written plainly. For such a text the
    parser's links are exactly those, in order, with the path as written. Whatever could change
    that is left to the parser: code (backticks, indentation), escapes, raw HTML, attribute lists
    (`{`), a bracket that is not part of such a link (reference links and definitions, footnotes,
    abbreviations, task lists, nested brackets), admonitions and details (`!!!`, `???`), and an
    extension in mkdocs.yml that this scan was not verified against (tests/portfolio/test_links_scan.py).
    """
    if not _scan_is_exact() or _NEEDS_PARSER.search(body):
        return None
    found = _PLAIN_LINK.findall(body)
    if not (len(found) == body.count("[") == body.count("]") == body.count("](")):
        return None
    return [("img" if bang else "a", target) for bang, target in found]


@lru_cache(maxsize=1)
def _scan_is_exact() -> bool:
    """Whether the base configuration's extensions are all ones the scan was verified against."""
    return set(markdown_extensions()[0]) <= SCANNED_EXTENSIONS


class _Collector(HTMLParser):
    """html.parser reads attributes as a browser does: quoted or not, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, value) for name, value in attrs if name in ATTRIBUTES and value is not None]

    handle_startendtag = handle_starttag


def _placed(body: str, first_line: int, found: list[tuple[str, str]]) -> Iterator[Link]:
    searchable = _without_code(body)
    seen: dict[str, int] = {}  # target -> where to search its next occurrence from
    for tag, target in found:
        written = target.strip()
        at = searchable.find(written, seen.get(written, 0)) if written else -1
        if at < 0 and written:
            at = searchable.find(written)  # more links than written texts: a reference used twice
        if at < 0 and written:
            at = body.find(written)  # in what the light scan took for code (a list's indented paragraph)
        if at < 0:
            yield Link(first_line, 1, target, tag)
            continue
        seen[written] = at + len(written)
        line_start = body.rfind("\n", 0, at) + 1
        yield Link(first_line + body.count("\n", 0, at), at - line_start + 1, target, tag)


def _without_code(body: str) -> str:
    """`body` with code blanked out (same length, same lines), so a target is not found in code."""
    if "```" in body or "~~~" in body:
        body = _FENCE.sub(lambda m: _blank(m[0]), body)
    if "    " in body or "\t" in body:
        body = _INDENTED.sub(lambda m: m[0][: m.start(1) - m.start(0)] + _blank(m[1]), body)
    if "`" in body:
        body = _CODE_SPAN.sub(lambda m: _blank(m[0]), body)
    return body


def _blank(text: str) -> str:
    return _NOT_NEWLINE.sub(" ", text)
