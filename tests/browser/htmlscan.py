"""Read built pages the way a browser does (entities decoded), for the security, privacy and link tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

RUNS_SCRIPT = ("javascript:", "vbscript:", "data:")
EMBEDDING = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    scripts: list[tuple[Element, str]] = field(default_factory=list)  # inline script elements and their text
    text: list[str] = field(default_factory=list)  # visible text nodes, entities decoded


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._script: Element | None = None
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.getpos()[0])
        self.page.elements.append(element)
        if tag == "script":
            self._script, self._script_text = element, []

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.page.scripts.append((self._script, "".join(self._script_text)))
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            self._script_text.append(data)
        else:
            self.page.text.append(data)


def read_page(path: Path) -> Page:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    reader.close()
    return reader.page


def unsafe_markup(page: Page, marker: str) -> list[str]:
    """What in a page could run an attacker's script: every finding names line and element.

    - any `on…` attribute (the theme uses none);
    - a `javascript:`, `vbscript:` or `data:` address in a URL attribute;
    - an iframe, object, embed …;
    - a script element whose source is another host, or whose text carries the attack's marker.
    """
    found = []
    for element in page.elements:
        where = f"regel {element.line} <{element.tag}>"
        for name, value in element.attrs.items():
            if name.startswith("on"):
                found.append(f"{where}: event handler {name}={value!r}")
            if name in URL_ATTRIBUTES and "".join(value.split()).lower().startswith(RUNS_SCRIPT):
                found.append(f"{where}: {name}={value!r}")
            if name == "srcdoc":
                found.append(f"{where}: srcdoc")
        if element.tag in EMBEDDING:
            found.append(f"{where}: {element.tag} {element.attrs}")
        if element.tag == "script" and "://" in element.attrs.get("src", ""):
            found.append(f"{where}: script van een andere host {element.attrs['src']!r}")
    for element, text in page.scripts:
        if marker in text:
            found.append(f"regel {element.line} <script>: bevat {marker}")
    return found


def visible_text(page: Page) -> str:
    return " ".join(" ".join(page.text).split())


def local_references(page: Page) -> list[tuple[int, str, str]]:
    """(line, attribute, URL) of every href/src/srcset of a page."""
    found = []
    for element in page.elements:
        for name in ("href", "src"):
            if name in element.attrs:
                found.append((element.line, name, element.attrs[name]))
        if "srcset" in element.attrs:
            for candidate in element.attrs["srcset"].split(","):
                if candidate.strip():
                    found.append((element.line, "srcset", candidate.split()[0]))
    return found
