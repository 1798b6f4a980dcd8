"""Facts declared once and derived everywhere: the entry-type table, enum choices, the slug rule,
milestone states, Dutch dates and the thresholds of portfolio.yml in what people read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
from pathlib import Path

import click
import pytest

from trialoog.checks import run_check
from trialoog.dutch import days, long_date, month_year, short_date, short_month
from trialoog.portfolio.load import load_cohort
from trialoog.portfolio.milestones import MilestoneProgress, RequirementProgress
from trialoog.portfolio.model import (ENTRY_TYPE_TABLE, ENTRY_TYPES, EVIDENCE_TYPES, PROGRAMS, TASK_KINDS,
                                      TRAJECTORIES, TYPES, Signals)
from trialoog.portfolio.paths import is_slug, slug

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "portfolios"
PAGES = ROOT / "theme" / "pages"


# -- the entry-type table ---------------------------------------------------------------------

def test_every_entry_type_has_a_model_folder_page_and_dutch_labels():
    from trialoog.site.pages import STUDENT_PAGES

    assert list(ENTRY_TYPES) == [kind.type for kind in ENTRY_TYPE_TABLE]
    folders = [kind.folder for kind in ENTRY_TYPE_TABLE if kind.folder is not None]
    assert len(folders) == len(set(folders)) == len(ENTRY_TYPE_TABLE) - 1  # the profile is index.md
    for kind in ENTRY_TYPE_TABLE:
        assert kind.model.model_fields["type"].annotation.__args__ == (kind.type,)
        assert kind.page in STUDENT_PAGES
        assert kind.singular and kind.plural and kind.title
        assert kind.folder is None or is_slug(kind.folder)
    assert EVIDENCE_TYPES == ("reflection", "task", "evidence", "meeting")


def test_the_nav_and_the_sections_come_from_the_table():
    from trialoog.site.pages import StudentPages, _student_nav
    from trialoog.site.views import SECTIONS

    cohort = load_cohort(EXAMPLE, only="amina-el-khatib")
    pages = StudentPages(cohort.students[0], cohort.framework)
    nav = _student_nav(pages)
    flat = {}

    def walk(items):
        for item in items:
            for label, target in item.items():
                walk(target) if isinstance(target, list) else flat.setdefault(label, target)

    walk(nav)
    for kind in ENTRY_TYPE_TABLE:
        if kind.type != "profile":
            assert flat[kind.title] == pages[kind.page]
    assert [section.type for section in SECTIONS] == list(EVIDENCE_TYPES)
    assert [next(iter(item)) for item in nav[2]["Werk"]] == [TYPES[kind].title for kind in EVIDENCE_TYPES]


@pytest.mark.parametrize("kind", [kind for kind in ENTRY_TYPE_TABLE if kind.folder is not None], ids=lambda kind: kind.type)
def test_new_writes_into_the_folder_of_the_table(tmp_path, monkeypatch, kind):
    from trialoog.workflow.scaffold import NewEntry, new_entry

    root = tmp_path / "portfolios"
    shutil.copytree(EXAMPLE, root)
    required = {  # the options `trialoog new` requires for these types
        "feedback": {"on": "reflecties/2017-09-08-eerste-week", "by": "mentor-an-peeters"},
        "rationale": {"competence": "FG2"},
    }
    options = required.get(kind.type, {})
    path = new_entry(root, NewEntry(kind.type, "Een nieuwe titel", dt.date(2018, 3, 1), "amina-el-khatib", options), cwd=root)
    assert path.parent == root / "amina-el-khatib" / kind.folder
    assert path.name.startswith("2018-03-01-") == kind.dated_name


def test_click_choices_come_from_the_model():
    from trialoog.cli import main
    from trialoog.portfolio.evidence import AUDIENCES
    from trialoog.site.engine import ENGINES
    from trialoog.workflow.scaffold import REFLECTION_MODELS

    def choices(*names):
        command = main
        for name in names[:-1]:
            command = command.commands[name]
        option = next(p for p in command.params if p.name == names[-1])
        assert isinstance(option.type, click.Choice)
        return tuple(option.type.choices)

    assert choices("build", "engine") == tuple(ENGINES)
    assert choices("build", "audience") == AUDIENCES == choices("report", "audience")
    assert choices("new", "student", "program") == PROGRAMS == ("lager", "kleuter", "secundair")
    assert choices("new", "student", "trajectory") == TRAJECTORIES
    assert choices("new", "task", "kind") == TASK_KINDS
    assert choices("new", "reflection", "model") == REFLECTION_MODELS


# -- one slug rule ----------------------------------------------------------------------------

def test_one_slug_rule_for_files_pages_and_imports():
    from trialoog.site.pages import _slug
    from trialoog.workflow.scaffold import slugify

    assert slug("Breuken met pizza's: 3de leerjaar!") == "breuken-met-pizzas-3de-leerjaar"
    assert slug("Vrije Kleuterschool 't Klavertje") == "vrije-kleuterschool-t-klavertje"
    assert slug("École Één_2.0") == "ecole-een-2-0"
    for text in ("Breuken met pizza's", "École de la Paix", "mijlpaal_1.b"):
        assert slugify(text) == _slug(text) == slug(text)
    assert slugify("???") == "zonder-titel" and _slug("???") == "x" and slug("???") == ""
    assert is_slug("amina-el-khatib") and not is_slug("Amina") and not is_slug("a--b") and not is_slug("")


# -- milestone states -------------------------------------------------------------------------

def test_no_template_decides_a_milestone_state():
    for template in PAGES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        for decision in ("is_due", "mp.fraction", "mp.met", "progress.met", ".requirements|sum"):
            assert decision not in text, f"{template.name} decides a milestone's state ({decision})"


def test_milestone_state_and_wording_are_decided_in_python():
    day = dt.date(2018, 1, 26)
    half = (RequirementProgress("reflecties", 2, 4),)
    running = MilestoneProgress("m", "M", day, False, half)
    unmet = MilestoneProgress("m", "M", day, True, half)
    met = MilestoneProgress("m", "M", day, True, (RequirementProgress("reflecties", 5, 4),))
    assert (running.state, running.label, running.status) == ("running", "loopt", "loopt nog · 50% klaar")
    assert (unmet.state, unmet.label, unmet.status) == ("unmet", "niet gehaald", "niet gehaald")
    assert (met.state, met.label, met.status, met.done, met.need, met.percent) == ("met", "gehaald", "gehaald", 4, 4, 100)


# -- Dutch dates through Babel ------------------------------------------------------------------

def test_dutch_dates_come_from_babel():
    march = dt.date(2018, 3, 15)
    assert short_date(march) in ("15 mrt 2018", "15 mrt. 2018")  # CLDR's Dutch; never "maa"
    assert short_month(march) in ("mrt", "mrt.")
    assert long_date(march) == "15 maart 2018"
    assert month_year(dt.date(2017, 9, 4)) == "september 2017"
    assert short_date(dt.date(2018, 1, 26)) == "26 jan 2018" and short_date(None) == "—"


def test_babel_is_a_declared_dependency():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^\s*"babel[>=<~ ]', text, re.MULTILINE)


# -- thresholds of portfolio.yml in what people read ----------------------------------------------

def test_days_as_a_reader_says_them():
    assert (days(21), days(7), days(10), days(1)) == ("3 weken", "1 week", "10 dagen", "1 dag")


@pytest.mark.parametrize("inactive_days, shown", [(21, "3 weken"), (100, "100 dagen")])
def test_the_inactivity_threshold_text_follows_portfolio_yml(tmp_path, inactive_days, shown):
    from trialoog.site.pages import SiteContext, render_overview

    cohort = load_cohort(EXAMPLE)
    # Thresholds nobody reaches, so the page says why there are no signals.
    signals = Signals(inactive_days=inactive_days, wellbeing_window=50, risk_days=1)
    as_of = dt.date(2017, 10, 10)
    config = cohort.config.model_copy(update={"signals": signals, "milestones": [], "as_of": as_of})
    cohort = dataclasses.replace(cohort, config=config)
    result = run_check(cohort, as_of)
    context = SiteContext(cohort=cohort, as_of=as_of, progress=result.progress)
    spec = render_overview(context, tmp_path, [])
    html = "\n".join(spec.slots["index.md"].values())
    assert f"niemand is {shown} stil" in html
    assert "drie weken" not in html
    assert f"geen nieuw item sinds {inactive_days} dagen" in html
