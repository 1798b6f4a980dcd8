"""Student Markdown is untrusted: the HTML it renders to is cleaned with nh3 (Ammonia) before publishing.

No script, no event handlers, no `javascript:` or `data:` URLs, no iframes: the iframe allow-list is
empty on purpose, because no request may leave a portfolio site. For the same reason an image must be
a file in the student's folder: an `<img>` from another host (a tracking pixel) loses its `src`.
What Markdown and its extensions produce (tables, footnotes, admonitions, details, task lists,
headings with ids) stays.

Two more rules keep student HTML from steering the theme (DOM clobbering): Material finds its own
elements by ids that start with `__` (`#__config`, its settings as JSON, comes after the content and
would lose to a student's `<p id="__config">`), and draws its interface with `md-` classes. Student
content keeps neither.
"""

from __future__ import annotations

import nh3

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
        kept = [name for name in value.split() if not name.startswith(RESERVED_CLASS_PREFIX)]
        return " ".join(kept) or None
    if tag == "img" and attribute == "src":
        return None if is_remote(value) else value
    return value


def is_remote(url: str) -> bool:
    """An address on another host: with a scheme (`https:`) or protocol-relative (`//host/…`)."""
    cleaned = "".join(url.split()).lower()  # browsers ignore tabs and newlines inside URLs
    return cleaned.startswith("//") or ":" in cleaned.split("/", 1)[0]
