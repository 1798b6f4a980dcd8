"""Student Markdown is untrusted: the HTML it renders to is cleaned with nh3 (Ammonia) before publishing.

No script, no event handlers, no `javascript:` or `data:` URLs, no iframes: the iframe allow-list is
empty on purpose, because no request may leave a portfolio site. What Markdown and its extensions
produce (tables, footnotes, admonitions, details, headings with ids) stays.
"""

from __future__ import annotations

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd", "del", "details",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "input", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},
    "details": {"open"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto"}
IFRAME_ALLOW_LIST: tuple[str, ...] = ()  # empty: see the module docstring


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
