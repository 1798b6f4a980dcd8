"""One fixture per diagnostic code: it triggers the code through load_cohort + run_check.

`CASES` maps every code of trialoog.rules.RULES to a function that breaks the minimal cohort of
conftest.py and to the (path, line) where the diagnostic must point. A new code without a case
fails `test_every_code_has_a_case`.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from trialoog import rules
from trialoog.checks import run_check
from trialoog.portfolio.load import ConfigError, load_cohort

from conftest import PORTFOLIO_YML, STUDENT

S = STUDENT
REFLECTION = f"{S}/reflecties/eerste-week.md"
PROFILE = f"{S}/index.md"


def entry(relative, front, body="Tekst.\n"):
    return lambda c: c.entry(relative, front, body)


def raw(relative, content):
    return lambda c: c.write(f"{S}/{relative}", content)


def reflection(extra: str, body: str = "Tekst.\n", name: str = "tweede"):
    front = f"type: reflection\ntitle: Tweede week\ndate: 2017-09-15\n{extra}"
    return entry(f"reflecties/{name}.md", front, body)


def evidence(extra: str):
    return entry("bewijzen/les.md", f"type: evidence\ntitle: Les\ndate: 2017-10-12\n{extra}")


def _with_file(relative, content, then):
    def setup(c):
        c.write(f"{S}/{relative}", content)
        then(c)
    return setup


def _other_student(c):
    c.write("piet-claes/index.md", "---\ntype: profile\nname: Piet\nprogram: lager\n---\n")
    c.write("piet-claes/foto.jpg", b"\xff\xd8")
    c.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [../../piet-claes/foto.jpg]")


def _hidden_profile(c):
    c.write(f"{S}/index.md", "---\ntype: profile\nname: Jan\nprivate: true\nprogram: lager\n---\n")


def _photo_not_an_image(c):
    c.write(f"{S}/cv.pdf", b"%PDF-1.4")
    c.write(f"{S}/index.md", "---\ntype: profile\nname: Jan\nprogram: lager\nphoto: cv.pdf\n---\n")


def _large_attachment(c):
    c.config("limits:\n  attachment_bytes: 1000\n")
    c.write(f"{S}/bewijzen/foto.jpg", b"\xff" * 2000)


def _duplicate_id(c):
    c.write(f"{S}/reflecties/Eerste-week.md", c.path(REFLECTION).read_text().replace("Eerste week", "Andere"))


def _no_profile(c):
    c.path(PROFILE).unlink()


def _bad_folder(c):
    c.write("Jan Claes/index.md", "---\ntype: profile\nname: Jan\nprogram: lager\n---\n")


def _dangling_link(c):
    os.symlink("bestaat-niet.md", c.path(f"{S}/reflecties/kwijt.md"))


def _linked_outside(c):
    """`ln -s /usr usr` in the cohort: a folder outside the cohort's repository."""
    outside = c.root.parent / "elders"
    (outside / "bin").mkdir(parents=True)
    (outside / "bin" / "geheim.md").write_text("---\ntype: reflection\n---\n", encoding="utf-8")
    os.symlink(outside, c.path("usr"), target_is_directory=True)


def _missing_config(c):
    c.path("portfolio.yml").unlink()


def rationale(name: str, extra: str, title: str = "Onderbouwing"):
    return entry(f"onderbouwingen/{name}.md", f"type: rationale\ntitle: {title}\ndate: 2017-09-20\n{extra}")


def _two_rationales(c):
    rationale("a", "competence: FG1", "Eerste")(c)
    rationale("b", "competence: FG1", "Tweede")(c)


def _answer_before_feedback(c):
    c.entry("feedback/f.md", "type: feedback\ntitle: F\ndate: 2017-09-20\non: reflecties/eerste-week\nby: mentor-an")
    reflection("answers: [feedback/f]")(c)


def _unmet_milestone(c):
    c.path(REFLECTION).unlink()


def _replace_config(old: str, new: str):
    def setup(c):
        c.write("portfolio.yml", PORTFOLIO_YML.replace(old, new))
    return setup


def _milestone(extra: str):
    """A second milestone appended to portfolio.yml (its `- id:` is on line 21)."""
    return lambda c: c.write("portfolio.yml", PORTFOLIO_YML + extra)


def _mapping_to_nowhere(c):
    c.write("mapping.yml", "from: basiscompetenties-2007\ncodes:\n  FG1: [FG1]\n  FG2: [N2]\n")
    c.config("framework_mapping: mapping.yml\n")


CASES = {
    rules.MILESTONE_CODE: (_milestone("  - id: lente\n    title: Lente\n    due: 2018-04-20\n    require:\n      competences: [FG1, N3]\n"), "../portfolio.yml", 25),
    rules.DUPLICATE_MILESTONE: (_milestone("  - id: start\n    title: Nog eens\n    due: 2018-04-20\n"), "../portfolio.yml", 21),
    rules.DUE_OUTSIDE_YEAR: (_replace_config("due: 2017-10-15", "due: 2018-10-15"), "../portfolio.yml", 18),
    rules.REVERSED_YEAR: (_replace_config("end: 2018-06-30", "end: 2017-06-30"), "../portfolio.yml", 6),
    rules.MAPPING_CODE: (_mapping_to_nowhere, "../mapping.yml", 4),
    rules.REPEALED_FRAMEWORK: (_replace_config("start: 2017-08-28\n  end: 2018-06-30", "start: 2026-09-01\n  end: 2027-06-30"), "../portfolio.yml", 3),
    rules.EMPTY_FILE: (raw("reflecties/leeg.md", ""), "reflecties/leeg.md", 1),
    rules.NO_FRONT_MATTER: (raw("reflecties/kaal.md", "# Titel\n\nTekst\n"), "reflecties/kaal.md", 1),
    rules.UNCLOSED_FRONT_MATTER: (raw("reflecties/open.md", "---\ntype: reflection\n\nTekst\n"), "reflecties/open.md", 1),
    rules.NOT_UTF8: (raw("reflecties/w.md", "---\ntype: reflection\ntitle: Café\n---\n".encode("cp1252")), "reflecties/w.md", 3),
    rules.TOO_LARGE: (lambda c: c.config("limits:\n  markdown_bytes: 50\n"), "reflecties/eerste-week.md", 1),
    rules.TABS: (raw("reflecties/tab.md", "---\ntype: reflection\nschool:\n\tcity: Gent\n---\n"), "reflecties/tab.md", 4),
    rules.YAML_SYNTAX: (reflection("model: vrij: echt"), "reflecties/tweede.md", 5),
    rules.ALIAS: (reflection("competences: &c [FG1]\ntags: *c"), "reflecties/tweede.md", 5),
    rules.DUPLICATE_KEY: (reflection("title: Nog eens"), "reflecties/tweede.md", 5),
    rules.UNSAFE_TAG: (reflection("model: !!python/object/apply:os.system [ls]"), "reflecties/tweede.md", 5),
    rules.BAD_DATE: (entry("reflecties/x.md", "type: reflection\ntitle: X\ndate: 2017-02-30"), "reflecties/x.md", 4),
    rules.YAML11_BOOL: (entry("leerdoelen/rust.md", "type: goal\ntitle: Rust\nwhat: rust\nstatus: no"), "leerdoelen/rust.md", 5),
    rules.NOT_A_MAPPING: (raw("reflecties/lijst.md", "---\n- een\n- twee\n---\n"), "reflecties/lijst.md", 2),
    rules.CURLY_QUOTES: (reflection("model: “vrij”"), "reflecties/tweede.md", 5),
    rules.UNREADABLE: (_dangling_link, "reflecties/kwijt.md", 1),
    rules.UNKNOWN_TYPE: (entry("reflecties/x.md", "type: reflexie\ntitle: X\ndate: 2017-09-15"), "reflecties/x.md", 2),
    rules.MISSING_KEY: (entry("reflecties/x.md", "type: reflection\ntitle: X"), "reflecties/x.md", 1),
    rules.UNKNOWN_KEY: (reflection("competenties: [FG1]"), "reflecties/tweede.md", 5),
    rules.WRONG_VALUE: (reflection("wellbeing: goed"), "reflecties/tweede.md", 5),
    rules.NOT_ALLOWED: (entry("leerdoelen/rust.md", "type: goal\ntitle: Rust\nwhat: rust\nstatus: klaar"), "leerdoelen/rust.md", 5),
    rules.OUT_OF_RANGE: (reflection("wellbeing: 7"), "reflecties/tweede.md", 5),
    rules.UNKNOWN_LEVEL: (
        entry("evaluaties/tussentijds.md", "type: evaluation\ntitle: T\ndate: 2018-01-25\nmoment: tussentijds\nratings:\n  FG1: {self: goed}"),
        "evaluaties/tussentijds.md", 7),
    rules.NO_PROFILE: (_no_profile, "index.md", 1),
    rules.UNKNOWN_COMPETENCE: (reflection("competences:\n  - FG1\n  - FG11"), "reflecties/tweede.md", 7),
    rules.UNKNOWN_GOAL: (reflection("goals: [leerdoelen/klasmanagment]"), "reflecties/tweede.md", 5),
    rules.UNKNOWN_EVIDENCE: (reflection("evidence: [bewijzen/les-breuken]"), "reflecties/tweede.md", 5),
    rules.UNKNOWN_TARGET: (
        entry("feedback/f.md", "type: feedback\ntitle: F\ndate: 2017-09-10\nby: mentor-an\non: reflecties/eerste-weeek"),
        "feedback/f.md", 6),
    rules.UNKNOWN_PERSON: (
        entry("feedback/f.md", "type: feedback\ntitle: F\ndate: 2017-09-10\non: reflecties/eerste-week\nby: mentor-jan"),
        "feedback/f.md", 6),
    rules.WRONG_KIND: (reflection("goals: [reflecties/eerste-week]"), "reflecties/tweede.md", 5),
    rules.DUPLICATE_RATIONALE: (_two_rationales, "onderbouwingen/b.md", 5),
    rules.UNKNOWN_ANSWERED: (reflection("answers: [feedback/kwijt]"), "reflecties/tweede.md", 5),
    rules.ANSWER_BEFORE_FEEDBACK: (_answer_before_feedback, "reflecties/tweede.md", 5),
    rules.MISSING_FILE: (evidence("attachments: [foto.jpg]"), "bewijzen/les.md", 5),
    rules.ESCAPING_PATH: (_other_student, "bewijzen/les.md", 5),
    rules.CASE_MISMATCH: (_with_file("bewijzen/Foto.JPG", b"\xff\xd8", evidence("attachments: [foto.jpg]")), "bewijzen/les.md", 5),
    rules.BROKEN_LINK: (reflection("", body="Zie\n[les](../bewijzen/les.md).\n"), "reflecties/tweede.md", 8),
    rules.LARGE_ATTACHMENT: (_large_attachment, "bewijzen/foto.jpg", 1),
    rules.OUTSIDE_YEAR: (entry("reflecties/x.md", "type: reflection\ntitle: X\ndate: 2016-09-01"), "reflecties/x.md", 4),
    rules.FOLDER_NAME: (_bad_folder, "../Jan Claes", 1),
    rules.DUPLICATE_ID: (_duplicate_id, "reflecties/eerste-week.md", 1),
    rules.DUPLICATE_TITLE: (entry("reflecties/zz.md", "type: reflection\ntitle: Eerste week\ndate: 2017-09-15"), "reflecties/zz.md", 3),
    rules.LINKED_FOLDER: (_linked_outside, "../usr", 1),
    rules.RESERVED_NAME: (entry("404.md", "type: reflection\ntitle: Niet gevonden\ndate: 2017-09-15"), "404.md", 1),
    rules.CONTROL_CHARACTER: (entry("reflecties/cr.md", 'type: reflection\ntitle: "Week\\r2"\ndate: 2017-09-15'), "reflecties/cr.md", 3),
    rules.CONFIG: (_missing_config, "../portfolio.yml", 1),
    rules.MILESTONE: (_unmet_milestone, "index.md", 1),
    "SG001": (  # rules.CHANGED_AFTER_SIGNOFF: the recorded sha256 does not match the text
        entry("evaluaties/e.md", "type: evaluation\ntitle: E\ndate: 2018-01-25\nmoment: tussentijds\n"
              "signoff:\n  - by: mentor-an\n    date: 2018-01-26\n    sha256: '" + "0" * 64 + "'"),
        "evaluaties/e.md", 9),
    rules.NO_CONSENT: (evidence("pupils_visible: true"), "bewijzen/les.md", 5),
    rules.PERSONAL_DATA: (reflection("", body="Mail juf.an@school.be gerust.\n"), "reflecties/tweede.md", 7),
    rules.UNSAFE_HTML: (reflection("", body="Tekst\n\n<script>alert(1)</script>\n"), "reflecties/tweede.md", 9),
    rules.UNCLEANABLE_IMAGE: (_with_file("bewijzen/foto.jpg", b"\xff\xd8\xff\xe0 afgebroken", evidence("attachments: [foto.jpg]")), "bewijzen/les.md", 5),
    rules.METADATA_KEPT: (_with_file("bewijzen/les.mp4", b"\x00\x00\x00\x18ftypmp42", evidence("attachments: [les.mp4]")), "bewijzen/les.md", 5),
    rules.HIDDEN_PROFILE: (_hidden_profile, "index.md", 4),
    rules.PHOTO_NOT_SHOWN: (_photo_not_an_image, "index.md", 5),
}


def diagnostics_of(cohort):
    """(path relative to the student folder, line, code) of every diagnostic, config errors too."""
    try:
        found = run_check(cohort.load()).diagnostics
    except ConfigError as error:
        found = error.diagnostics
    root = cohort.root.resolve()  # a Diagnostic's path is relative to the cohort root
    return [(os.path.relpath(root / d.path, root / S).replace(os.sep, "/"), d.line, d.code) for d in found]


# Codes that need the git history (`check --changed-since REF`), each with its cases in the test named.
FROM_HISTORY = {rules.FOREIGN_SIGNOFF: "tests/workflow/test_forge_signoff.py"}
IN_ONE_FOLDER = sorted(set(rules.RULES) - set(FROM_HISTORY))


def test_every_code_has_a_case():
    assert sorted(set(rules.RULES) - set(CASES) - set(FROM_HISTORY)) == []
    root = Path(__file__).resolve().parents[2]
    assert all((root / test).is_file() for test in FROM_HISTORY.values())


@pytest.mark.parametrize("code", IN_ONE_FOLDER)
def test_code_is_triggered_at_path_and_line(cohort, code):
    assert code in CASES, f"geen testgeval voor {code}: voeg er een toe aan CASES"
    setup, path, line = CASES[code]
    setup(cohort)
    assert (path, line, code) in diagnostics_of(cohort)


@pytest.mark.parametrize("code", IN_ONE_FOLDER)
def test_case_triggers_nothing_unexpected(cohort, code):
    """Each case breaks one thing: no other error codes appear (milestone warnings aside)."""
    setup, _, _ = CASES[code]
    setup(cohort)
    codes = {found for _, _, found in diagnostics_of(cohort)} - {rules.MILESTONE}
    assert codes <= {code, *ALSO.get(code, ())}


# Cases whose single mistake legitimately shows up as a second code too.
ALSO = {
    rules.DUPLICATE_ID: (rules.DUPLICATE_TITLE,),  # the copy keeps the title
    rules.BAD_DATE: (rules.MISSING_KEY,),  # the impossible date is dropped, so `date` is missing
    rules.REVERSED_YEAR: (rules.OUTSIDE_YEAR, rules.DUE_OUTSIDE_YEAR),  # nothing lies inside a reversed year
    rules.REPEALED_FRAMEWORK: (rules.OUTSIDE_YEAR, rules.DUE_OUTSIDE_YEAR),  # the entries stay in 2017-2018
}


# ---- messages and details -----------------------------------------------------------------

def messages(cohort, code=None):
    return [d.message for d in cohort.check().diagnostics if code is None or d.code == code]


@pytest.mark.parametrize("written, suggested", [("competenties", "competences"), ("titel", "title"), ("datum", "date"), ("welbevinden", "wellbeing"), ("competence", "competences"), ("wellbeeing", "wellbeing")])
def test_unknown_key_suggests_the_english_key(cohort, written, suggested):
    cohort.entry("reflecties/tweede.md", f"type: reflection\ntitle: Tweede\ndate: 2017-09-15\n{written}: x")
    assert messages(cohort, rules.UNKNOWN_KEY) == [f"onbekende sleutel '{written}' — bedoel je '{suggested}'?"]


def test_dutch_title_and_date_keys_are_reported_once_with_the_fix(cohort):
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitel: Tweede\ndatum: 2017-09-15")
    found = [(d.line, d.code, d.message) for d in cohort.check().diagnostics if d.path.endswith("tweede.md")]
    assert (3, rules.UNKNOWN_KEY, "onbekende sleutel 'titel' — bedoel je 'title'?") in found
    assert (4, rules.UNKNOWN_KEY, "onbekende sleutel 'datum' — bedoel je 'date'?") in found
    assert len(found) == 2  # no extra "sleutel 'title' ontbreekt": the suggestion already says it


def test_unknown_competence_suggests_the_nearest(cohort):
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: Tweede\ndate: 2017-09-15\ncompetences: [FG11]")
    assert messages(cohort, rules.UNKNOWN_COMPETENCE) == ["onbekende competentie 'FG11' — bedoel je 'FG1'?"]


def test_unknown_competence_in_ratings(cohort):
    cohort.entry("evaluaties/e.md", "type: evaluation\ntitle: E\ndate: 2018-01-25\nmoment: tussentijds\nratings:\n  BH9: {self: '+'}")
    assert [(d.line, d.code) for d in cohort.check().diagnostics] == [(7, rules.UNKNOWN_COMPETENCE)]


def test_link_into_another_students_folder_escapes(cohort):
    cohort.write("piet-claes/index.md", "---\ntype: profile\nname: Piet\nprogram: lager\n---\n")
    cohort.entry("reflecties/tweede.md", "type: reflection\ntitle: T\ndate: 2017-09-15", "[piet](../../piet-claes/index.md)\n")
    found = [(d.line, d.column, d.code) for d in cohort.check().diagnostics if d.student == STUDENT]
    assert found == [(7, 8, rules.ESCAPING_PATH)]


def test_absolute_attachment_path_escapes(cohort):
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [/etc/passwd]")
    assert [(d.line, d.code) for d in cohort.check().diagnostics] == [(5, rules.ESCAPING_PATH)]


def test_symlink_that_leads_outside_escapes(cohort, tmp_path):
    secret = tmp_path / "geheim.txt"
    secret.write_text("geheim")
    cohort.path(f"{S}/bewijzen").mkdir(parents=True)
    os.symlink(secret, cohort.path(f"{S}/bewijzen/geheim.txt"))
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [geheim.txt]")
    found = cohort.check().diagnostics
    assert [(d.line, d.code) for d in found] == [(5, rules.ESCAPING_PATH)]
    assert "symbolische link" in found[0].message


def test_symlink_inside_the_folder_is_fine(cohort):
    import io

    from PIL import Image

    photo = io.BytesIO()
    Image.new("RGB", (8, 8)).save(photo, "JPEG")  # a real photo: a broken one gets AT006
    cohort.write(f"{S}/bewijzen/foto.jpg", photo.getvalue())
    os.symlink("foto.jpg", cohort.path(f"{S}/bewijzen/kopie.jpg"))
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [kopie.jpg]")
    assert cohort.check().diagnostics == []


def test_case_mismatch_names_the_real_file(cohort):
    cohort.write(f"{S}/bewijzen/Foto.JPG", b"\xff\xd8")
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [foto.jpg]")
    assert messages(cohort) == ["'foto.jpg' verschilt in hoofdletters van het bestand 'bewijzen/Foto.JPG'"]


def test_sparse_40_megabyte_photo_warns(cohort):
    path = cohort.write(f"{S}/bewijzen/foto.jpg", b"")
    os.truncate(path, 40_000_000)
    result = cohort.check()
    assert [(d.code, d.severity.value) for d in result.diagnostics] == [(rules.LARGE_ATTACHMENT, "warning")]
    assert result.exit_code() == 0 and result.exit_code(strict=True) == 1


def test_crlf_and_bom_file_is_valid(cohort):
    text = "\ufeff---\r\ntype: reflection\r\ntitle: Tweede\r\ndate: 2017-09-15\r\ncompetences: [FG2]\r\n---\r\n\r\n[terug](eerste-week.md)\r\n"
    cohort.write(f"{S}/reflecties/tweede.md", text.encode("utf-8"))
    assert cohort.check().diagnostics == []


def test_one_broken_file_never_stops_the_others(cohort):
    cohort.write(f"{S}/reflecties/a-leeg.md", "")
    cohort.write(f"{S}/reflecties/b-latin1.md", "---\ntitle: Café\n---\n".encode("latin-1"))
    cohort.write(f"{S}/reflecties/c-yaml.md", "---\ntitle: [\n---\n")
    cohort.write(f"{S}/reflecties/d-bom.md", b"---\nx: !!python/object/apply:os.system [ls]\n---\n")
    cohort.entry("reflecties/e-geldig.md", "type: reflection\ntitle: E\ndate: 2017-09-15\ncompetences: [FG11]")
    cohort.write("piet-claes/index.md", "---\ntype: profile\nname: Piet\nprogram: lager\nmentors: [mentor-x]\n---\n")
    found = {(os.path.basename(d.path), d.code) for d in cohort.check().diagnostics}
    assert {("a-leeg.md", rules.EMPTY_FILE), ("b-latin1.md", rules.NOT_UTF8), ("c-yaml.md", rules.YAML_SYNTAX),
            ("d-bom.md", rules.UNSAFE_TAG), ("e-geldig.md", rules.UNKNOWN_COMPETENCE), ("index.md", rules.UNKNOWN_PERSON)} <= found


def test_config_error_names_the_file(cohort):
    cohort.write("portfolio.yml", "title: x\nacademic_year:\n  start: 2017-08-28\n  end: 2018-02-30\n")
    with pytest.raises(ConfigError) as caught:
        cohort.load()
    assert [(d.line, d.code) for d in caught.value.diagnostics] == [(4, rules.BAD_DATE)]


@pytest.mark.parametrize("form", ["---\n{}", "# Cohorte\n---\n{}", "{}...\n", "\ufeff{}", "crlf"])
def test_portfolio_yml_as_any_yaml_file(cohort, form):
    from conftest import PORTFOLIO_YML

    text = PORTFOLIO_YML.replace("\n", "\r\n") if form == "crlf" else form.format(PORTFOLIO_YML)
    cohort.write("portfolio.yml", text)
    assert cohort.check().diagnostics == []


@pytest.mark.parametrize("written, expected", [
    ("", [(1, rules.EMPTY_FILE)]),
    ("title: x\n", [(1, rules.MISSING_KEY)]),
    ("title: x\n---\ntitle: y\n", [(2, rules.YAML_SYNTAX)]),
    ("title: x\ntitle: y\n", [(2, rules.DUPLICATE_KEY)]),
    ("- title\n", [(1, rules.NOT_A_MAPPING)]),
])
def test_portfolio_yml_problems_have_their_own_lines(cohort, written, expected):
    cohort.write("portfolio.yml", written)
    with pytest.raises(ConfigError) as caught:
        cohort.load()
    assert [(d.line, d.code) for d in caught.value.diagnostics][:len(expected)] == expected


def test_unknown_framework_is_a_config_error(cohort):
    cohort.write("portfolio.yml", cohort.path("portfolio.yml").read_text().replace("framework: basiscompetenties", "framework: onbestaand"))
    with pytest.raises(ConfigError) as caught:
        cohort.load()
    assert [d.code for d in caught.value.diagnostics] == [rules.CONFIG]


# ---- milestones ---------------------------------------------------------------------------

MILESTONES = """\
  - id: tussentijds
    title: "Tussentijdse evaluatie"
    due: 2018-01-26
    require:
      reflections: 10
"""


def _with_reflections(cohort, count: int):
    from conftest import PORTFOLIO_YML

    cohort.write("portfolio.yml", PORTFOLIO_YML + MILESTONES)
    for number in range(2, count + 1):
        cohort.entry(f"reflecties/r{number:02}.md", f"type: reflection\ntitle: R{number}\ndate: 2017-10-{number:02}")


def test_due_milestone_reports_numbers(cohort):
    _with_reflections(cohort, 3)
    found = [(d.path.endswith("index.md"), d.line, d.code, d.message) for d in cohort.check().diagnostics]
    assert found == [(True, 1, rules.MILESTONE, "mijlpaal 'Tussentijdse evaluatie': 3 van de 10 reflecties vóór 26 januari 2018")]


def test_milestone_not_yet_due_is_progress(cohort):
    _with_reflections(cohort, 3)
    result = cohort.check(as_of=dt.date(2018, 1, 1))
    assert result.diagnostics == []
    progress = {p.id: p for p in result.progress[STUDENT]}
    assert not progress["tussentijds"].is_due
    assert progress["tussentijds"].describe(progress["tussentijds"].requirements[0]) == "3 van de 10 reflecties vóór 26 januari 2018"
    assert progress["start"].is_due and progress["start"].met


def test_entries_after_the_due_date_do_not_count(cohort):
    _with_reflections(cohort, 3)
    for number in range(1, 9):
        cohort.entry(f"reflecties/late{number}.md", f"type: reflection\ntitle: Laat {number}\ndate: 2018-02-0{number}")
    assert "3 van de 10 reflecties" in messages(cohort, rules.MILESTONE)[0]


def test_drafts_do_not_count(cohort):
    cohort.write(f"{S}/reflecties/eerste-week.md", cohort.path(REFLECTION).read_text().replace("date:", "draft: true\ndate:"))
    assert messages(cohort, rules.MILESTONE) == ["mijlpaal 'Goed gestart': 0 van de 1 reflecties vóór 15 oktober 2017"]


def test_profile_override_gives_own_pace(cohort):
    _with_reflections(cohort, 3)
    profile = cohort.path(PROFILE).read_text().replace(
        "coach: coach-koen\n", "coach: coach-koen\nmilestones:\n  - id: tussentijds\n    due: 2018-04-20\n    require: {reflections: 3}\n")
    cohort.write(PROFILE, profile)
    result = cohort.check()
    assert result.diagnostics == []
    own = next(p for p in result.progress[STUDENT] if p.id == "tussentijds")
    assert (own.due, own.is_due, own.requirements[0].need) == (dt.date(2018, 4, 20), False, 3)


def test_override_of_unknown_milestone(cohort):
    cohort.write(PROFILE, cohort.path(PROFILE).read_text().replace("coach: coach-koen\n", "coach: coach-koen\nmilestones:\n  - id: onbestaand\n"))
    assert [(d.line, d.code) for d in cohort.check().diagnostics] == [(9, rules.NOT_ALLOWED)]


def test_as_of_overrides_pinned_date(cohort):
    _with_reflections(cohort, 3)
    assert cohort.check().as_of == dt.date(2018, 3, 15)  # pinned in portfolio.yml
    assert len(messages(cohort, rules.MILESTONE)) == 1
    early = cohort.check(as_of=dt.date(2017, 10, 1))
    assert early.as_of == dt.date(2017, 10, 1)
    assert early.diagnostics == []
    assert not any(p.is_due for p in early.progress[STUDENT])


def test_without_pinned_date_today_is_used(cohort):
    cohort.write("portfolio.yml", cohort.path("portfolio.yml").read_text().replace("as_of: 2018-03-15\n", ""))
    assert cohort.check().as_of == dt.date.today()


def test_load_only_one_student(cohort):
    cohort.write("piet-claes/index.md", "---\ntype: profile\nname: Piet\nprogram: lager\n---\n")
    assert [s.id for s in load_cohort(cohort.root).students] == [STUDENT, "piet-claes"]
    assert [s.id for s in cohort.load(only="piet-claes").students] == ["piet-claes"]


def test_odd_paths_are_diagnostics_not_tracebacks(cohort):
    long_name = "a" * 5000
    cohort.entry("bewijzen/les.md", f'type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: ["{long_name}", "\\0", ""]',
                 f"[x]({'b' * 5000}) [y](%00) [z](%2e%2e/%2e%2e/piet/index.md)\n")
    cohort.entry("reflecties/tweede.md", f'type: reflection\ntitle: T\ndate: 2017-09-15\nevidence: ["{long_name}", ""]')
    found = [(os.path.basename(d.path), d.line, d.code) for d in cohort.check().diagnostics]
    assert found == [
        ("les.md", 5, rules.MISSING_FILE), ("les.md", 5, rules.MISSING_FILE), ("les.md", 5, rules.MISSING_FILE),
        ("les.md", 8, rules.BROKEN_LINK), ("les.md", 8, rules.BROKEN_LINK), ("les.md", 8, rules.ESCAPING_PATH),
        ("tweede.md", 5, rules.UNKNOWN_EVIDENCE), ("tweede.md", 5, rules.UNKNOWN_EVIDENCE),
    ]


def test_file_in_a_linked_folder_outside_escapes(cohort, tmp_path):
    outside = tmp_path / "elders"
    outside.mkdir()
    (outside / "foto.jpg").write_bytes(b"\xff\xd8")
    cohort.path(f"{S}/bewijzen").mkdir(parents=True)
    os.symlink(outside, cohort.path(f"{S}/bewijzen/extern"))
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [extern/foto.jpg, extern]",
                 "![foto](extern/foto.jpg)\n")
    found = [(d.line, d.code) for d in cohort.check().diagnostics]
    assert found == [(5, rules.ESCAPING_PATH), (5, rules.ESCAPING_PATH), (8, rules.ESCAPING_PATH)]


def test_file_in_a_linked_folder_inside_is_fine(cohort):
    cohort.write(f"{S}/bewijzen/fotos/foto.jpg", b"\xff\xd8")
    os.symlink("fotos", cohort.path(f"{S}/bewijzen/kopie"))
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [kopie/foto.jpg]")
    assert cohort.check().diagnostics == []


def test_markdown_link_to_outside_is_never_read(cohort, tmp_path):
    secret = tmp_path / "geheim.md"
    secret.write_text("---\ntype: reflection\ntitle: Geheim\ndate: 2017-10-01\n---\nGEHEIME TEKST\n")
    os.symlink(secret, cohort.path(f"{S}/reflecties/link.md"))
    result = cohort.check()
    assert [(os.path.basename(d.path), d.line, d.code) for d in result.diagnostics] == [("link.md", 1, rules.ESCAPING_PATH)]
    entry = result.cohort.students[0].by_id["reflecties/link"]
    assert entry.doc.data is None and "GEHEIM" not in entry.doc.body


def test_markdown_link_inside_is_read(cohort):
    os.symlink("eerste-week.md", cohort.path(f"{S}/reflecties/kopie.md"))
    found = {d.code for d in cohort.check().diagnostics}
    assert found == {rules.DUPLICATE_TITLE}  # read like any entry: the same title twice


# ---- accidents that once stopped the whole cohort (issue 9) ---------------------------------------


@pytest.mark.parametrize("title, found", [
    ('"Week\\r2"', "een regeleinde (\\r)"),
    ('"Week\\u00072"', "U+0007"),
    ('"Week\\u20282"', "U+2028"),
    ('"Week\\t2"', "een tab"),
    ('"Week\\n\\n2"', "een regeleinde"),
])
def test_control_characters_in_a_title_are_refused_with_a_dutch_fix(cohort, title, found):
    cohort.entry("reflecties/cr.md", f"type: reflection\ntitle: {title}\ndate: 2017-09-15")
    errors = [d for d in cohort.check().diagnostics if d.code == rules.CONTROL_CHARACTER]
    assert [(d.path.rsplit("/", 1)[-1], d.line) for d in errors] == [("cr.md", 3)]
    assert found in errors[0].message and "typ de titel opnieuw" in errors[0].message


def test_a_folded_title_over_two_lines_is_fine(cohort):
    cohort.entry("reflecties/lang.md", "type: reflection\ntitle: >\n  Een lange\n  titel\ndate: 2017-09-15")
    assert not [d for d in cohort.check().diagnostics if d.code == rules.CONTROL_CHARACTER]


def test_a_control_character_in_a_profile_name_or_a_file_name_is_refused(cohort):
    cohort.write(PROFILE, cohort.path(PROFILE).read_text().replace('name: "Jan Peeters"', 'name: "Jan\\rPeeters"'))
    cohort.entry("reflecties/a\x1bb.md", "type: reflection\ntitle: Esc\ndate: 2017-09-15")
    found = sorted((os.path.basename(d.path), d.line, d.message.split(":")[0]) for d in cohort.check().diagnostics
                   if d.code == rules.CONTROL_CHARACTER)
    assert found == [("a\x1bb.md", 1, "de bestandsnaam 'reflecties/a\x1bb.md' bevat een onzichtbaar stuurteken (U+001B)"),
                     ("index.md", 4, "de naam bevat een regeleinde (\\r)")]


def test_a_huge_hexadecimal_integer_is_a_diagnostic(cohort):
    cohort.entry("reflecties/hex.md", "type: reflection\ntitle: 0x" + "f" * 5000 + "\ndate: 2017-09-15")
    found = [(d.code, d.line) for d in cohort.check().diagnostics if d.path.endswith("hex.md")]
    assert (rules.YAML_SYNTAX, 3) in found


@pytest.mark.parametrize("name", ["assets", "search", "overzicht"])
def test_a_student_folder_with_a_reserved_name_is_a_check_error(cohort, name):
    cohort.write(f"{name}/index.md", "---\ntype: profile\nname: A\nprogram: lager\n---\n")
    found = [d for d in cohort.check().diagnostics if d.code == rules.FOLDER_NAME]
    assert [d.path for d in found] == [name] and "voorbehouden voor het overzicht" in found[0].message


def test_a_fifo_named_like_a_reflection_is_fm015_and_never_read(cohort):
    os.mkfifo(cohort.path(f"{S}/reflecties/reflectie.md"))  # opening it for reading would wait forever
    found = [(os.path.basename(d.path), d.code) for d in cohort.check().diagnostics if d.is_error]
    assert found == [("reflectie.md", rules.UNREADABLE)]


def test_a_fifo_used_as_an_image_is_fm015_and_not_a_file(cohort):
    os.mkfifo(cohort.path(f"{S}/foto.jpg"))
    cohort.entry("bewijzen/les.md", "type: evidence\ntitle: Les\ndate: 2017-10-12\nattachments: [../foto.jpg]")
    student = cohort.load().students[0]
    assert "foto.jpg" not in student.files and student.irregular == {"foto.jpg"}
    found = sorted((os.path.basename(d.path), d.code) for d in cohort.check().diagnostics if d.is_error)
    assert found == [("foto.jpg", rules.UNREADABLE), ("les.md", rules.MISSING_FILE)]


def test_a_huge_markdown_file_is_refused_before_it_is_read(cohort, monkeypatch):
    cohort.config("limits:\n  markdown_bytes: 1000\n")
    with open(cohort.path(f"{S}/reflecties/groot.md"), "wb") as handle:
        handle.truncate(1_500_000_000)  # sparse: 1.5 GB that takes no room on disk
    import trialoog.portfolio.load as load

    read = []  # how many bytes each read asked for: never the whole file
    real_read = load._read_regular
    monkeypatch.setattr(load, "_read_regular", lambda path, limit: read.append(path.name) or real_read(path, limit))
    found = [(os.path.basename(d.path), d.message) for d in cohort.check().diagnostics if d.code == rules.TOO_LARGE]
    assert found == [("groot.md", "bestand is 1500.0 MB, meer dan de grens van 1 kB")]
    assert "groot.md" in read  # through the reader that stats before it reads, and reads at most the limit


def test_file_sizes_are_listed(cohort):
    cohort.write(f"{S}/bewijzen/foto.jpg", b"x" * 1234)
    student = cohort.load().students[0]
    assert student.files == {"index.md": len(cohort.path(PROFILE).read_bytes()), "bewijzen/foto.jpg": 1234,
                             "reflecties/eerste-week.md": len(cohort.path(REFLECTION).read_bytes())}
    assert list(student.files) == ["index.md", "bewijzen/foto.jpg", "reflecties/eerste-week.md"]  # like os.walk


def test_unreadable_folder_is_skipped(cohort):
    folder = cohort.path(f"{S}/geheim")
    folder.mkdir()
    (folder / "x.md").write_text("---\n---\n")
    folder.chmod(0)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("root leest alles")
        assert cohort.check().diagnostics == []
    finally:
        folder.chmod(0o755)


def test_a_very_deep_folder_is_walked(cohort):
    top = str(cohort.path(S))
    deep = top
    for _ in range(1200):  # deeper than Python's recursion limit
        deep += "/d"
        os.mkdir(deep)
    open(deep + "/x.md", "w").close()
    try:
        found = [(d.path.count("/d"), d.code) for d in cohort.check().diagnostics]
        assert found == [(1200, rules.EMPTY_FILE)]
    finally:  # shutil.rmtree (and pytest's clean-up) would recurse too deep
        os.remove(deep + "/x.md")
        while deep != top:
            os.rmdir(deep)
            deep = os.path.dirname(deep)


def test_walk_order_is_files_then_folders_sorted(cohort):
    for name in ("b/z.md", "b/a/y.md", "a.md", "c/x.md"):
        cohort.write(f"{S}/extra/{name}", "---\n---\n")
    order = [entry.id for entry in cohort.load().students[0].entries]
    assert order == ["extra/a", "extra/b/z", "extra/b/a/y", "extra/c/x", "reflecties/eerste-week"]
