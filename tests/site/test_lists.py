"""List pages repeat every entry's card: what a card shows is short, whatever a student writes."""

from __future__ import annotations

import datetime as dt

from conftest import STUDENT

from trialoog.site.pages import SiteContext, render_student
from trialoog.site.views import DESCRIPTION_LENGTH, StudentView

AS_OF = dt.date(2018, 3, 15)
HUGE = "Een heel lange beschrijving van mijn les over breuken. " * 2000  # 110 kB, on one entry


def test_a_huge_description_is_shortened_on_the_cards(cohort, tmp_path):
    """4.7 MB of descriptions once became a 109 MB site: every list page repeated them whole."""
    cohort.entry("reflecties/lang.md", f"type: reflection\ntitle: Lang\ndate: 2017-09-12\ndescription: \"{HUGE}\"")
    loaded = cohort.load()
    view = StudentView(loaded, loaded.student(STUDENT), as_of=AS_OF)
    card = view.excerpt(view.by_id["reflecties/lang"])
    assert len(card) <= DESCRIPTION_LENGTH + 2 and card.endswith(" …") and HUGE.startswith(card[:-2])
    assert not card[:-2].endswith((" ", "breu"))  # cut at a word boundary

    docs = tmp_path / "docs"
    docs.mkdir()
    spec = render_student(SiteContext(cohort=loaded, as_of=AS_OF, progress={}), STUDENT, docs)
    listed = sum(len(html) for slots in spec.slots.values() for html in slots.values())
    assert listed < 20 * len(card) + 200_000  # without shortening: a copy of 110 kB on every list page


def test_a_short_description_is_shown_whole(cohort):
    cohort.entry("reflecties/kort.md", "type: reflection\ntitle: Kort\ndate: 2017-09-12\ndescription: Breuken met pizza's.")
    loaded = cohort.load()
    view = StudentView(loaded, loaded.student(STUDENT), as_of=AS_OF)
    assert view.excerpt(view.by_id["reflecties/kort"]) == "Breuken met pizza's."
