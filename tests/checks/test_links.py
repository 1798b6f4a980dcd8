"""Links in the body: what a browser treats as external is not a broken local link (AT004)."""

from conftest import STUDENT, image_bytes

from trialoog import rules

FRONT = """
type: reflection
title: Links
date: 2017-10-02
"""


def test_external_links_written_with_spaces_or_entities_are_not_local(cohort):
    body = '<a href=" https://example.org">spatie</a> <a href="https&colon;//example.org">entiteit</a>\n'
    cohort.entry("reflecties/links.md", FRONT, body)
    codes = [code for _, _, code in cohort.diagnostics()]
    assert rules.BROKEN_LINK not in codes


def test_a_missing_local_file_is_still_reported_with_its_line(cohort):
    cohort.entry("reflecties/links.md", FRONT, "Eerst tekst.\n[plan](../bewijzen/plan.pdf)\n")
    # line 1-5 front matter, 6 blank, 7 text, 8 the link
    assert (f"{STUDENT}/reflecties/links.md", 8, rules.BROKEN_LINK) in cohort.diagnostics()


def _broken(cohort):
    return [(line, code) for path, line, code in cohort.diagnostics() if path.endswith("links.md")]


def test_an_encoded_name_with_brackets_is_fine(cohort):
    cohort.write(f"{STUDENT}/reflecties/foto (1).png", image_bytes("PNG"))
    cohort.entry("reflecties/links.md", FRONT, "![foto](foto%20(1).png) en [foto](<foto (1).png>)\n")
    assert _broken(cohort) == []


def test_links_in_code_are_not_checked(cohort):
    body = (
        "Schrijf `[plan](weg.md)` of `<a href=\"weg.md\">`.\n"
        "\n"
        "    [ingesprongen](weg.md)\n"
        "\n"
        "```markdown\n"
        "![foto](weg.png)\n"
        "```\n"
        "\n"
        "~~~\n"
        "<img src=weg.png>\n"
        "~~~\n"
    )
    cohort.entry("reflecties/links.md", FRONT, body)
    assert _broken(cohort) == []


def test_a_reference_style_link_is_reported_at_its_definition(cohort):
    body = "Zie [het plan][plan] en nog eens [hier][plan].\n\nMeer tekst.\n\n[plan]: ../missing.md\n"
    cohort.entry("reflecties/links.md", FRONT, body)
    # line 1-5 front matter, 6 blank, 7 text, 8 blank, 9 text, 10 blank, 11 the definition
    assert _broken(cohort) == [(11, rules.BROKEN_LINK)]


def test_an_unquoted_html_attribute_is_reported(cohort):
    body = "Tekst.\n\n<a href=../missing.md>kaal</a>\n\n<video src=clip.mp4 controls></video>\n"
    cohort.entry("reflecties/links.md", FRONT, body)
    assert _broken(cohort) == [(9, rules.BROKEN_LINK), (11, rules.BROKEN_LINK)]


def test_the_same_target_twice_is_reported_on_each_line(cohort):
    body = "`[weg](weg.md)` eerst in code.\n\n[een](weg.md)\n\n[twee](weg.md)\n"
    cohort.entry("reflecties/links.md", FRONT, body)
    assert _broken(cohort) == [(9, rules.BROKEN_LINK), (11, rules.BROKEN_LINK)]


def test_the_check_reads_the_links_the_build_publishes(cohort):
    """Check and build share one parser configuration and one reading of a target."""
    from trialoog.portfolio.links import links_in
    from trialoog.site.body import BodyRenderer

    cohort.write(f"{STUDENT}/reflecties/foto (1).png", image_bytes("PNG"))
    body = "![foto](foto%20(1).png)\n\n[x][r] `[code](weg.md)`\n\n[r]: eerste-week.md#kop\n"
    path = cohort.entry("reflecties/links.md", FRONT, body)
    student = cohort.load().students[0]
    entry = student.by_id["reflecties/links"]
    assert [link.target for link in links_in(entry.doc.body)] == ["foto%20(1).png", "eerste-week.md#kop"]
    rendered = BodyRenderer(student, {"reflecties/eerste-week", "reflecties/links"}).render(entry)
    assert rendered.files == {"reflecties/foto (1).png"} and rendered.entries == {"reflecties/eerste-week"}
    assert "weg.md" in rendered.html and path.exists()


def test_quick_targets_leave_anything_unusual_to_the_parser():
    from trialoog.portfolio.links import quick_targets

    assert quick_targets("Gewone tekst zonder links.") == []
    assert quick_targets("[a](b.md) en ![c](d/e.png)") == ["b.md", "d/e.png"]
    for body in ("[a][r]\n\n[r]: x.md", "<a href=x.md>", "[a](foto (1).png)", "[a](b.md 'titel')", "[a]{: href=x}(y)"):
        assert quick_targets(body) is None, body
