"""Links in the body: what a browser treats as external is not a broken local link (AT004)."""

from conftest import STUDENT

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
