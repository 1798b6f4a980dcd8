"""Student content is untrusted input: one test per attack, each attack a file in fixtures/attacks/.

Every attack is planted as its own student in one test cohort that is checked and built once
(`python -m trialoog build`, as a user runs it). A test then asks two things of its attack:
what `trialoog check` says about it (file, line, code), and what the built site holds — no
script, no event handler, no `javascript:`/`data:` address, no iframe in any page, titles and
names shown as text, no file from outside the student's folder.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest

from trialoog.site.engine import write_pages
from trialoog.checks import run_check
from trialoog.portfolio.load import load_cohort
from trialoog.site.sanitize import IFRAME_ALLOW_LIST, sanitize_html

from browser.conftest import build_cohort
from browser.htmlscan import read_page, unsafe_markup, visible_text
from conftest import FIXTURES, PORTFOLIO_YML, PROFILE, REFLECTION

ATTACKS = FIXTURES / "attacks"
MARKER = "TRIALOOG_XSS"
SECRET = f"GEHEIM-{secrets.token_hex(8)}"  # the content of files outside the students' folders
MARKDOWN_EXTENSIONS = [
    "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tasklist",
]


@dataclass(frozen=True)
class Attack:
    fixture: str
    place: str  # where in the student's folder it is planted
    expected: tuple[tuple[str, int], ...]  # (code, line) that check must report
    shows: str = ""  # harmless text of the attack that must still be on the built site

    @property
    def student(self) -> str:
        return "aanval-" + self.fixture.removesuffix(".md")


ATTACK_LIST = [
    Attack("script-tag.md", "reflecties/script-tag.md", (("HT001", 10), ("HT001", 12), ("HT001", 14)), "Een gewone alinea."),
    Attack("event-handlers.md", "reflecties/event-handlers.md", (("HT001", 8), ("HT001", 10), ("HT001", 12), ("HT001", 14), ("HT001", 16)), "zweef hier"),
    Attack("javascript-url.md", "reflecties/javascript-url.md", (("HT001", 8), ("HT001", 10)), "HTML-link"),
    Attack("javascript-url-hidden.md", "reflecties/javascript-url-hidden.md", (("HT001", 10), ("HT001", 12))),
    Attack("data-url.md", "reflecties/data-url.md", (("HT001", 10), ("HT001", 12)), "HTML-link"),
    Attack("iframe.md", "reflecties/iframe.md", (("HT001", 10), ("HT001", 12), ("HT001", 14), ("HT001", 16)), "Een filmpje van de les:"),
    Attack("title-script.md", "reflecties/title-script.md", (("HT001", 3), ("HT001", 6)), "Een reflectie met een kwaadaardige titel"),
    Attack("profile-quotes.md", "index.md", (("HT001", 4), ("HT001", 7)), "Mijn naam bevat aanhalingstekens."),
    Attack("attachment-dotdot.md", "bewijzen/bijlage-dotdot.md", (("AT002", 6),)),
    Attack("attachment-absolute.md", "bewijzen/bijlage-absoluut.md", (("AT002", 6),)),
    Attack("attachment-symlink.md", "bewijzen/bijlage-symlink.md", (("AT002", 6),)),
    Attack("yaml-python-tag.md", "reflecties/yaml-python-tag.md", (("FM010", 3), ("FM010", 5))),
    Attack("yaml-alias-bomb.md", "reflecties/yaml-alias-bomb.md", (("FM008", 6),)),
    Attack("too-large.md", "reflecties/too-large.md", (("FM005", 1),)),
    Attack("mermaid.md", "reflecties/mermaid.md", (("HT001", 10), ("HT001", 12), ("HT001", 15)), "Mijn lesverloop als schema:"),
    Attack("fake-badge.md", "reflecties/fake-badge.md", (("HT001", 10), ("HT001", 12), ("HT001", 14)), "Ondertekend door de mentor"),
]
ATTACKS_BY_NAME = {attack.fixture: attack for attack in ATTACK_LIST}
# A symbolic link that no entry names: check has nothing to say, the student is built, and the
# build must still not copy what the link points to.
QUIET_SYMLINK = "stil-symlink"


def profile_for(student: str) -> str:
    return PROFILE.replace("Jan Peeters", student.replace("-", " ").title())


@dataclass
class AttackSite:
    root: Path
    out: Path
    diagnostics: dict[str, set[tuple[str, int]]]  # student -> {(code, line)}
    errors: dict[str, list[str]]
    build_output: str
    check_seconds: float

    def pages(self, student: str) -> list[Path]:
        return sorted((self.out / student).rglob("*.html"))


@pytest.fixture(scope="module")
def attack_site(tmp_path_factory) -> AttackSite:
    base = tmp_path_factory.mktemp("aanvallen")
    root = base / "cohorte"
    root.mkdir()
    (root / "portfolio.yml").write_text(PORTFOLIO_YML, encoding="utf-8")
    (root / "geheim.txt").write_text(SECRET, encoding="utf-8")  # `../../geheim.txt` from bewijzen/
    outside = base / "buiten"
    outside.mkdir()
    (outside / "geheim.txt").write_text(SECRET, encoding="utf-8")
    for attack in ATTACK_LIST:
        folder = root / attack.student
        (folder / "reflecties").mkdir(parents=True)
        (folder / "index.md").write_text(profile_for(attack.student), encoding="utf-8")
        (folder / "reflecties" / "eerste-week.md").write_text(REFLECTION, encoding="utf-8")
        target = folder / attack.place
        target.parent.mkdir(parents=True, exist_ok=True)
        content = (ATTACKS / attack.fixture).read_bytes()
        if attack.fixture == "too-large.md":
            content += b"Dit is opvulling. " * (1_000_000 // 18 + 1)
        target.write_bytes(content)
        if attack.fixture == "attachment-symlink.md":
            os.symlink(outside / "geheim.txt", folder / "bewijzen" / "link-naar-geheim.txt")
    quiet = root / QUIET_SYMLINK
    (quiet / "reflecties").mkdir(parents=True)
    (quiet / "bewijzen").mkdir()
    (quiet / "index.md").write_text(profile_for(QUIET_SYMLINK), encoding="utf-8")
    (quiet / "reflecties" / "eerste-week.md").write_text(REFLECTION, encoding="utf-8")
    os.symlink(outside / "geheim.txt", quiet / "bewijzen" / "geheim.txt")
    os.symlink(outside, quiet / "bewijzen" / "buitenmap")

    started = time.monotonic()
    result = run_check(load_cohort(root))
    check_seconds = time.monotonic() - started
    diagnostics: dict[str, set[tuple[str, int]]] = {}
    errors: dict[str, list[str]] = {}
    for d in result.diagnostics:
        diagnostics.setdefault(d.student, set()).add((d.code, d.line))
        if d.is_error:
            errors.setdefault(d.student, []).append(f"{d.path}:{d.line}: {d.code} {d.message}")
    out = base / "site"
    built = build_cohort(root, out, check=False)
    assert (out / "index.html").is_file(), built.stdout + built.stderr
    return AttackSite(root, out, diagnostics, errors, built.stdout + built.stderr, check_seconds)


def built_pages_of(site: AttackSite, attack: Attack) -> list[Path]:
    assert not site.errors.get(attack.student), f"{attack.fixture} mag alleen waarschuwingen geven: {site.errors[attack.student]}"
    pages = site.pages(attack.student)
    assert pages, f"{attack.student} werd niet gebouwd:\n{site.build_output}"
    return pages


def assert_checked(site: AttackSite, attack: Attack) -> None:
    found = site.diagnostics.get(attack.student, set())
    missing = set(attack.expected) - found
    assert not missing, f"check meldt niet {sorted(missing)} voor {attack.fixture}; wel: {sorted(found)}"


def assert_no_script_runs(site: AttackSite, attack: Attack) -> None:
    """No page of the student's site nor the overview holds anything that could run the attack."""
    problems = {}
    for page in [*built_pages_of(site, attack), site.out / "index.html"]:
        found = unsafe_markup(read_page(page), MARKER)
        if found:
            problems[str(page.relative_to(site.out))] = found
    assert not problems, problems
    if attack.shows:
        text = " ".join(visible_text(read_page(page)) for page in site.pages(attack.student))
        assert attack.shows in text, f"'{attack.shows}' staat op geen enkele pagina: de inhoud is verdwenen in plaats van opgeschoond"


def assert_skipped_and_nothing_copied(site: AttackSite, attack: Attack) -> None:
    """The entry with the error is skipped (the rest of the student is built, with the notice)."""
    assert site.errors.get(attack.student), f"check moet {attack.fixture} als fout melden"
    assert not (site.out / attack.student / attack.place.replace(".md", ".html")).exists(), "een item met fouten wordt weggelaten"
    start = (site.out / attack.student / "index.html").read_text(encoding="utf-8")
    assert f"<code>{attack.place}</code>" in start, "de melding op de site noemt het weggelaten item"
    assert_no_secret_in(site.out)


def assert_render_copies_nothing_from_outside(site: AttackSite, attack: Attack, tmp_path: Path) -> None:
    """Defence in depth: render the student's docs tree as the build does, without asking check
    first, and look for the file from outside."""
    import datetime as dt

    from trialoog.site.pages import SiteContext, render_student

    cohort = load_cohort(site.root, only=attack.student)
    docs = tmp_path / "docs"
    docs.mkdir()
    write_pages(docs, render_student(SiteContext(cohort, dt.date(2018, 3, 15), {}), attack.student, docs).pages)
    entry_page = docs / attack.place
    assert entry_page.is_file(), "the entry itself is rendered; only its attachment is left out"
    assert_no_secret_in(docs)


def assert_no_secret_in(out: Path) -> None:
    passwd = Path("/etc/passwd").read_bytes().split(b"\n", 1)[0]
    for path in out.rglob("*"):
        assert not path.is_symlink(), f"symbolische link in de site: {path}"
        if path.is_file():
            content = path.read_bytes()
            assert SECRET.encode() not in content, f"{path} bevat een bestand van buiten de studentenmap"
            assert not passwd or passwd not in content, f"{path} bevat /etc/passwd"
        assert path.name not in {"geheim.txt", "passwd", "link-naar-geheim.txt", "buitenmap"}, path


def sanitized(fixture: str) -> str:
    body = (ATTACKS / fixture).read_text(encoding="utf-8").split("---", 2)[2]
    return sanitize_html(markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS))


def unsafe_in_fragment(html: str, tmp_path: Path) -> list[str]:
    page = tmp_path / "fragment.html"
    page.write_text(html, encoding="utf-8")
    return unsafe_markup(read_page(page), MARKER)


# -- raw HTML in Markdown ------------------------------------------------------------------------


def test_script_elements_are_removed(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["script-tag.md"]
    assert_checked(attack_site, attack)
    assert "<script" not in sanitized(attack.fixture).lower()
    assert_no_script_runs(attack_site, attack)


def test_event_handler_attributes_are_removed(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["event-handlers.md"]
    assert_checked(attack_site, attack)
    assert unsafe_in_fragment(sanitized(attack.fixture), tmp_path) == []
    assert_no_script_runs(attack_site, attack)


def test_javascript_urls_are_removed(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["javascript-url.md"]
    assert_checked(attack_site, attack)
    assert unsafe_in_fragment(sanitized(attack.fixture), tmp_path) == []
    assert_no_script_runs(attack_site, attack)


def test_javascript_urls_hidden_by_entities_and_tabs_are_found_and_removed(attack_site, tmp_path):
    """`JaVaScRiPt&colon;` and `java&#9;script:` run in a browser; check decodes them as it does.

    The link check also sees these as broken local links (errors), so this entry is left out;
    the sanitiser is asked directly."""
    attack = ATTACKS_BY_NAME["javascript-url-hidden.md"]
    assert_checked(attack_site, attack)
    assert ("HT001", 8) not in attack_site.diagnostics[attack.student], "`javascript:` in inline code is text, not HTML"
    html = sanitized(attack.fixture)
    assert unsafe_in_fragment(html, tmp_path) == [] and "verstopte link" in html
    assert_no_secret_in(attack_site.out)
    for page in attack_site.pages(attack.student):
        assert unsafe_markup(read_page(page), MARKER) == []


def test_data_urls_are_removed(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["data-url.md"]
    assert_checked(attack_site, attack)
    assert unsafe_in_fragment(sanitized(attack.fixture), tmp_path) == []
    assert_no_script_runs(attack_site, attack)


def test_iframes_objects_and_embeds_are_removed_the_allow_list_is_empty(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["iframe.md"]
    assert IFRAME_ALLOW_LIST == ()
    assert_checked(attack_site, attack)
    html = sanitized(attack.fixture).lower()
    assert "<iframe" not in html and "<object" not in html and "<embed" not in html
    assert_no_script_runs(attack_site, attack)


def test_student_html_cannot_take_the_themes_ids_or_classes():
    """DOM clobbering: Material reads its settings from the first `#__config` in the page."""
    html = sanitize_html('<p id="__config" class="md-header eigen">{"base": "https://aanvaller.example"}</p><h2 id="mijn-kop">Kop</h2>')
    assert "__config" not in html and "md-header" not in html and "eigen" not in html
    assert 'id="mijn-kop"' in html


def test_a_mermaid_class_is_removed_so_material_loads_nothing_from_another_host(attack_site, tmp_path):
    """Material turns `<pre class="mermaid">` into a diagram with a script from unpkg.com."""
    attack = ATTACKS_BY_NAME["mermaid.md"]
    assert_checked(attack_site, attack)
    assert "mermaid" not in sanitized(attack.fixture).split("<div class=\"highlight\">")[0]
    assert_no_script_runs(attack_site, attack)
    page = (attack_site.out / attack.student / "reflecties" / "mermaid.html").read_text(encoding="utf-8")
    assert "mermaid" not in page.split('<div class="highlight">')[0] and 'class="highlight"' in page  # the fenced block stays code


def test_a_student_cannot_fake_trialoogs_badges_or_the_themes_look(attack_site):
    attack = ATTACKS_BY_NAME["fake-badge.md"]
    assert_checked(attack_site, attack)
    assert_no_script_runs(attack_site, attack)
    html = sanitized(attack.fixture)
    assert "tl-" not in html and "md-" not in html and "Ondertekend door de mentor" in html
    page = (attack_site.out / attack.student / "reflecties" / "fake-badge.html").read_text(encoding="utf-8")
    assert "tl-signed" not in page and "md-banner" not in page


def test_the_classes_markdown_extensions_produce_are_kept():
    """Admonitions, details, footnotes, task lists and highlighted code keep their look."""
    body = "!!! warning \"Let op\"\n    x\n\n??? tip \"Meer\"\n    y\n\n- [x] klaar\n\nZie[^1].\n\n[^1]: noot\n\n```python\nprint(1)\n```\n"
    html = sanitize_html(markdown.markdown(body, extensions=MARKDOWN_EXTENSIONS))
    for kept in ('class="admonition warning"', 'class="admonition-title"', '<details class="tip"', 'class="task-list-item"',
                 'class="footnote-ref"', 'class="highlight"', 'class="nb"'):
        assert kept in html, kept


def test_images_from_other_hosts_lose_their_address_and_check_warns(cohort):
    """A tracking pixel would tell another host who reads the portfolio, and when."""
    html = sanitize_html('<img src="https://volger.example/p.png" alt="a"><img src="//volger.example/p.png" alt="b"><img src="foto.jpg" alt="c">')
    assert "volger.example" not in html and 'src="foto.jpg"' in html
    cohort.entry("reflecties/pixel.md", 'type: reflection\ntitle: "Pixel"\ndate: 2017-09-20', "![foto](https://volger.example/p.png)\n")
    assert ("jan-peeters/reflecties/pixel.md", 7, "HT001") in cohort.diagnostics()


def test_html_in_code_is_text_and_not_reported(cohort):
    cohort.entry("reflecties/code.md", 'type: reflection\ntitle: "Code"\ndate: 2017-09-20', "Schrijf nooit `<script>` in een les.\n\n```html\n<iframe src=x></iframe>\n```\n")
    assert [d for d in cohort.diagnostics() if d[2] == "HT001"] == []


def test_dutch_words_starting_with_on_are_not_event_handlers(cohort):
    cohort.entry("reflecties/on.md", 'type: reflection\ntitle: "Onderwijs"\ndate: 2017-09-20', "onderwijs = ontwikkeling, ontmoeting=groei\n")
    assert [d for d in cohort.diagnostics() if d[2] == "HT001"] == []


# -- front-matter values in templates --------------------------------------------------------------


def test_a_title_with_script_is_shown_as_text_in_every_template(attack_site):
    attack = ATTACKS_BY_NAME["title-script.md"]
    assert_checked(attack_site, attack)
    assert_no_script_runs(attack_site, attack)
    title = "<script>alert('TRIALOOG_XSS titel')</script>"
    shown_on = [page for page in attack_site.pages(attack.student) if title in visible_text(read_page(page))]
    assert len(shown_on) >= 2, "de titel hoort als tekst op de eigen pagina én in de lijsten (matrix, overzicht) te staan"


def test_a_name_with_quotes_is_escaped_in_every_template(attack_site):
    attack = ATTACKS_BY_NAME["profile-quotes.md"]
    assert_checked(attack_site, attack)
    assert_no_script_runs(attack_site, attack)
    name = "Jan \" onmouseover=\"alert('TRIALOOG_XSS naam')\" x=\"<script>alert('TRIALOOG_XSS naam-script')</script>"
    assert name in visible_text(read_page(attack_site.out / attack.student / "index.html"))
    assert name in visible_text(read_page(attack_site.out / "index.html")), "de naam hoort als tekst in het overzicht"


# -- attachments that leave the student's folder ----------------------------------------------------


def test_attachment_with_dotdot_is_refused_and_never_copied(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["attachment-dotdot.md"]
    assert_checked(attack_site, attack)
    assert_skipped_and_nothing_copied(attack_site, attack)
    assert_render_copies_nothing_from_outside(attack_site, attack, tmp_path)


def test_attachment_with_an_absolute_path_is_refused_and_never_copied(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["attachment-absolute.md"]
    assert_checked(attack_site, attack)
    assert_skipped_and_nothing_copied(attack_site, attack)
    assert_render_copies_nothing_from_outside(attack_site, attack, tmp_path)


def test_attachment_that_is_a_symlink_outside_is_refused_and_never_copied(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["attachment-symlink.md"]
    assert_checked(attack_site, attack)
    assert_skipped_and_nothing_copied(attack_site, attack)
    assert_render_copies_nothing_from_outside(attack_site, attack, tmp_path)


def test_a_symlink_that_no_entry_names_is_never_copied(attack_site):
    """Nothing for check to refuse, so the student is built: the build itself must not follow it."""
    assert not attack_site.errors.get(QUIET_SYMLINK), attack_site.errors.get(QUIET_SYMLINK)
    assert (attack_site.out / QUIET_SYMLINK / "index.html").is_file(), attack_site.build_output
    assert_no_secret_in(attack_site.out)


# -- YAML and sizes ------------------------------------------------------------------------------------


def test_yaml_python_tags_build_no_objects(attack_site, tmp_path):
    attack = ATTACKS_BY_NAME["yaml-python-tag.md"]
    assert_checked(attack_site, attack)
    assert_skipped_and_nothing_copied(attack_site, attack)
    for where in (Path.cwd(), attack_site.root, attack_site.root / attack.student, Path(__file__).parents[2]):
        assert not (where / "TRIALOOG_PWNED").exists(), "os.system ran"


def test_yaml_alias_bomb_is_refused_without_expanding(attack_site):
    attack = ATTACKS_BY_NAME["yaml-alias-bomb.md"]
    assert_checked(attack_site, attack)
    assert attack_site.check_seconds < 10, "the check of the whole attack cohort must not expand aliases"
    assert_skipped_and_nothing_copied(attack_site, attack)


def test_a_too_large_file_is_refused_before_it_is_parsed(attack_site):
    attack = ATTACKS_BY_NAME["too-large.md"]
    assert_checked(attack_site, attack)
    assert_skipped_and_nothing_copied(attack_site, attack)


def test_every_attack_fixture_has_a_test():
    on_disk = {path.name for path in ATTACKS.glob("*.md")} - {"README.md"}
    assert on_disk == set(ATTACKS_BY_NAME)
