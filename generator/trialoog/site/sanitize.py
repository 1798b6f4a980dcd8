"""Student Markdown is untrusted: the HTML it renders to is cleaned with nh3 (Ammonia) before publishing.

No script, no event handlers, no `javascript:` or `data:` URLs, no iframes: the iframe allow-list is
empty on purpose, because no request may leave a portfolio site. For the same reason an image must be
a file in the student's folder: an `<img>` from another host (a tracking pixel) loses its `src`.
What Markdown and its extensions produce (tables, footnotes, admonitions, details, task lists,
headings with ids) stays.

Two more rules keep student HTML from steering the theme (DOM clobbering): Material finds its own
elements by ids that start with `__` (`#__config`, its settings as JSON, comes after the content and
would lose to a student's `<p id="__config">`), and student content keeps no ids of that kind.

Classes steer the theme too: Material turns a `<pre class="mermaid">` into a diagram by loading a
script from unpkg.com, `md-` classes draw its interface and `tl-` classes Trialoog's own badges
(a student could fake "ondertekend"). So a class survives only when it is on CLASS_ALLOW_LIST:
what the Markdown extensions of the base mkdocs.yml produce themselves (admonitions and details
with Material's types, footnotes, task lists, the table of contents, code highlighting with
Pygments' token classes, `language-…` on code). A class a student writes (`{.mermaid}` with
attr_list, or in HTML) that is not on the list is dropped.
"""

from __future__ import annotations

import re

import nh3
from pygments.token import STANDARD_TYPES  # type: ignore[import-untyped]  # no stubs; Material depends on it

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "input", "ins", "kbd", "label", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "input": {"checked"},  # always a disabled checkbox: see SET_ATTRIBUTES
    "details": {"open"},
    "abbr": {"title"},
}
# Task lists render as checkboxes; any other input (a text field to phish with) becomes one too.
SET_ATTRIBUTES = {"input": {"type": "checkbox", "disabled": "disabled"}}
URL_SCHEMES = {"http", "https", "mailto"}
IFRAME_ALLOW_LIST: tuple[str, ...] = ()  # empty: see the module docstring
RESERVED_ID_PREFIX = "__"  # Material's own element ids
RESERVED_CLASS_PREFIX = "md-"  # Material's interface
# Material's admonition types and their aliases: `!!! note`, `??? tip` (admonition, pymdownx.details).
ADMONITION_TYPES = frozenset({
    "note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
    "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
    "danger", "error", "bug", "example", "quote", "cite", "inline", "end",
})
CLASS_ALLOW_LIST = frozenset({
    "admonition", "admonition-title",  # admonition
    "footnote", "footnote-ref", "footnote-backref",  # footnotes
    "task-list", "task-list-item", "task-list-control", "task-list-indicator",  # pymdownx.tasklist
    "toc", "toctitle",  # toc with [TOC]
    "highlight", "highlighttable", "linenos", "linenodiv", "filename", "hll",  # pymdownx.highlight / superfences
}) | ADMONITION_TYPES | frozenset(name for name in STANDARD_TYPES.values() if name)  # Pygments tokens
_LANGUAGE_CLASS = re.compile(r"language-[a-z0-9_+#.-]{1,40}")  # a fenced block's language, on <code>
_NEVER = re.compile(r"mermaid|md-|tl-", re.IGNORECASE)


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_filter_attribute,
        set_tag_attribute_values=SET_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Runs after nh3 kept an attribute; None drops it."""
    if attribute == "id":
        return None if value.strip().startswith(RESERVED_ID_PREFIX) else value
    if attribute == "class":
        kept = [name for name in value.split() if is_allowed_class(tag, name)]
        return " ".join(kept) or None
    if tag == "img" and attribute == "src":
        return None if is_remote(value) else value
    return value


def is_allowed_class(tag: str, name: str) -> bool:
    """A class the extensions of the base mkdocs.yml produce; see the module docstring."""
    if _NEVER.search(name):
        return False  # whatever list grows later: never Material's diagrams, interface or our badges
    return name in CLASS_ALLOW_LIST or (tag == "code" and _LANGUAGE_CLASS.fullmatch(name) is not None)


def is_remote(url: str) -> bool:
    """An address on another host: with a scheme (`https:`) or protocol-relative (`//host/…`)."""
    cleaned = "".join(url.split()).lower()  # browsers ignore tabs and newlines inside URLs
    return cleaned.startswith("//") or ":" in cleaned.split("/", 1)[0]
