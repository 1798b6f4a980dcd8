"""A checked cohort → docs trees for the site engine: one per student, and the overview.

Every page comes from a Jinja template in theme/pages/ and is Markdown with HTML blocks; what a
page shows comes from trialoog.site.views (a student) and trialoog.site.overview (the cohort). Student text
arrives here already rendered and cleaned (trialoog.site.body). Titles and names written by students
go through the `md` filter in Markdown and through autoescaping in HTML; the engine itself does
not escape page titles and nav labels, so those are escaped here (`plain`).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

import jinja2
import markdown
from markupsafe import Markup, escape

from trialoog.site import baseconfig

from trialoog.site import charts, growth
from trialoog.site.body import localize, page_url, relative_url
from trialoog.site.cleaned_texts import CleanedTexts, texts_folder
from trialoog.site.builder import SiteSpec
from trialoog.dutch import counted, days, joined, long_date, short_date
from trialoog.portfolio.labels import label as value_label
from trialoog.site.exclusion import NONE, Exclusions
from trialoog.site.finish import slot_placeholder
from trialoog.site.images import copy_attachments
from trialoog.site.sanitize import sanitize_html
from trialoog.site.overview import CohortView, cohort_heat_scale, student_signals
from trialoog.site.sparkline import wellbeing_sparkline
from trialoog.portfolio.framework import Framework, competence_file_names
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.milestones import MilestoneProgress
from trialoog.site.views import (
    DISAGREEMENT_LEVELS, RATERS, RATIONALE_STATUS, SECTION_OF, SECTIONS, StudentView,
)
from trialoog.portfolio.evidence import EVALUATION, audience_note, evidence_kinds
from trialoog.portfolio.model import ENTRY_TYPE_TABLE, TYPES, Signoff
from trialoog.portfolio.paths import slug
from trialoog.portfolio.signature import signoff_state

# The student site's own pages: name -> file in the docs tree. A student file with the same path
# wins; the page then gets the suffix "-overzicht" (see StudentPages).
# The pages of entry types come from the entry-type table (the profile is the start page).
STUDENT_PAGES = {
    "start": "index.md",
    **{kind.page: f"{kind.page}.md" for kind in ENTRY_TYPE_TABLE if kind.type != "profile"},
    **{name: f"{name}.md" for name in ("tijdlijn", "competenties", "welbevinden", "mijlpalen", "driegesprek", "afdrukken")},
}
OVERVIEW_DIR = "overzicht"  # the overview's pages besides index.md; a reserved name in build.py


@dataclass(frozen=True)
class SiteContext:
    """Everything the render functions need; sent once to every worker process."""

    cohort: Cohort
    as_of: dt.date
    progress: dict[str, list[MilestoneProgress]]  # by student id, as `trialoog check` computes it
    exclusions: dict[str, Exclusions] = field(default_factory=dict)  # student id -> what their errors leave out
    audience: str = "student"
    base_config: Path = baseconfig.BASE_CONFIG

    @functools.cached_property
    def texts(self) -> Path | None:
        """Where the students' cleaned texts are kept between builds (trialoog.site.cleaned_texts)."""
        return texts_folder((student.folder for student in self.cohort.students), self.audience)

    @functools.cached_property
    def heat(self) -> charts.HeatScale:
        """The cohort's one colour scale for counts (the overview's and every matrix's)."""
        return cohort_heat_scale(self.cohort, self.audience, self.as_of, self.exclusions)


# -- a student's site ---------------------------------------------------------------------------


def render_student(context: SiteContext, student_id: str, docs: Path) -> SiteSpec:
    kept = CleanedTexts(context.texts / f"{student_id}.json" if context.texts is not None else None)
    with kept.remembered():
        return _render_student(context, student_id, docs)


def _render_student(context: SiteContext, student_id: str, docs: Path) -> SiteSpec:
    student = context.cohort.student(student_id)
    assert student is not None  # the builder builds the cohort's own students
    view = StudentView(
        context.cohort, student, audience=context.audience, as_of=context.as_of,
        progress=context.progress.get(student_id, ()), extensions=baseconfig.markdown_extensions(context.base_config),
        exclusions=context.exclusions.get(student_id, NONE),
    )
    # Files first: an image that cannot be cleaned is not copied, and the pages then show its alt text.
    view.withhold(copy_attachments(student.folder, view.published_files, docs))
    pages = StudentPages(student, context.cohort.framework)
    overview = in_cohort(context.cohort)
    writer = PageWriter(_environment(context.base_config), view=view, pages=pages, heat=context.heat,
                        audience=context.audience, in_cohort=overview)
    _write_student_pages(writer, view, pages)
    return SiteSpec(site_name=plain(f"Portfolio van {view.name}"), nav=_student_nav(pages),
                    site_url=_site_url(context, student_id), slots=writer.slots, pages=writer.pages,
                    search_engines=context.cohort.config.search_engines, extra=_footer(context, student=view, overview=overview))


def in_cohort(cohort: Cohort) -> bool:
    """Whether a student's site sits inside a cohort build: its pages then link back to the
    overview. A cohort of one (a student's own repository) has no overview worth going back to."""
    return len(cohort.students) > 1


def _footer(context: SiteContext, student: StudentView | None = None, overview: bool = False) -> dict[str, Any]:
    """What theme/main.html puts in every page's footer: the programme, whose portfolio, and the
    date it shows. Plain text; the theme escapes it."""
    config = context.cohort.config
    profile = student.profile if student is not None else None
    programme = " · ".join(part for part in (config.institution, value_label("program", profile.program) if profile else None) if part)
    facts = {
        "programme": programme or config.title,
        "cohort": (profile.cohort if profile and profile.cohort else None) or config.title,
        "as_of": long_date(context.as_of),
        "student": student.name if student is not None else None,
        "overview": overview,
    }
    return {"trialoog": facts}


def _write_student_pages(writer: PageWriter, view: StudentView, pages: StudentPages) -> None:
    # Search finds the start page and the entries; the pages that list entries again (with
    # excerpts) would only repeat every hit, so they stay out of the search index.
    lists = functools.partial(writer.write, search=False)
    writer.write(pages.start, "start.html", view.name)
    lists(pages.tijdlijn, "tijdlijn.html", "Tijdlijn")
    lists(pages.competenties, "competenties.html", "Competenties")
    for row in view.matrix:
        lists(pages.competence(row.code), "competentie.html", f"{row.code} {row.title}", row=row,
              competence=view.framework.get(row.code))
    goal, evaluation, feedback = TYPES["goal"], TYPES["evaluation"], TYPES["feedback"]
    lists(pages[goal.page], "leerdoelen.html", goal.title)
    for section in SECTIONS:
        lists(pages[section.page], "sectie.html", section.title, section=section)
    wellbeing = _wellbeing_chart(view)
    lists(pages[evaluation.page], "evaluaties.html", evaluation.title, multiples=_growth_multiples(view))
    lists(pages.welbevinden, "welbevinden.html", "Welbevinden", wellbeing=wellbeing)
    lists(pages[feedback.page], "feedback.html", feedback.title)
    lists(pages.mijlpalen, "mijlpalen.html", "Mijlpalen")
    _write_print_pages(lists, view, pages)
    for entry in view.entries:
        writer.write(f"{entry.id}.md", "entry.html", entry.model.title, entry=entry)


# -- the pages made for paper: driegesprek and afdrukken (issue 10 items 4, 5) ----------------------


def _write_print_pages(lists, view: StudentView, pages: StudentPages) -> None:
    """Both carry a running head (name, what, date) that the browser prints on every page."""
    day = long_date(view.as_of)
    signals = student_signals(view, view.progress, view.cohort.config.signals, view.as_of)
    points = [(day_, value, entry.model.title) for day_, value, entry in view.wellbeing]  # type: ignore[union-attr]
    lists(pages.driegesprek, "driegesprek.html", "Driegesprek", signals=signals,
          sparkline=wellbeing_sparkline(points), running_head=f"{view.name} · driegesprek van {day}")
    lists(pages.afdrukken, "afdrukken.html", f"Portfolio van {view.name}",
          running_head=f"Portfolio van {view.name} · stand op {day}")


def css_string(text: str) -> str:
    """`text` for inside a double-quoted CSS string in a <style> element: every character but
    letters, digits and spaces as a six-digit escape (the space after it ends the escape), so no quote, backslash or </style> survives."""
    return "".join(char if char.isascii() and (char.isalnum() or char == " ") else f"\\{ord(char):06X} " for char in text)


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def demote_headings(html: str, below: int) -> Markup:
    """A student's headings under a heading of level `below`: h1 becomes h<below+1>, and so on
    (at most h6), so an item's title stays the biggest heading of the item on the print page."""
    shifted = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + below)}", str(html))
    return Markup(shifted)  # safe: the same cleaned HTML with other heading levels


def _wellbeing_chart(view: StudentView):
    points = [(day, value, entry.model.title) for day, value, entry in view.wellbeing]  # type: ignore[union-attr]
    year = view.cohort.config.academic_year
    return charts.wellbeing_chart(points, year.start, min(year.end, max(view.as_of, year.start)))


def _growth_multiples(view: StudentView) -> list[growth.SmallMultiple]:
    labels = [evaluation.model.moment for evaluation in view.evaluations]
    return growth.small_multiples(view.growth, RATERS, view.framework.level_ids(), labels)


def _student_nav(pages: StudentPages) -> list:
    def of_type(kind: str) -> dict:
        return {TYPES[kind].title: pages[TYPES[kind].page]}

    return [
        {"Start": pages.start},
        {"Tijdlijn": pages.tijdlijn},
        {"Werk": [{section.title: pages[section.page]} for section in SECTIONS]},
        {"Groei": [{"Competenties": pages.competenties}, of_type("goal"), of_type("evaluation"),
                   {"Welbevinden": pages.welbevinden}, of_type("feedback"), {"Mijlpalen": pages.mijlpalen}]},
        {"Gesprek": [{"Driegesprek": pages.driegesprek}, {"Afdrukken": pages.afdrukken}]},
    ]


class StudentPages:
    """Where each generated page of a student's site lives in the docs tree."""

    def __init__(self, student: Student, framework: Framework) -> None:
        taken = {path.casefold() for path in student.files} - {STUDENT_PAGES["start"]}  # the profile is the start page
        self._paths = {name: _free(path, taken) for name, path in STUDENT_PAGES.items()}
        names = competence_file_names(framework.codes())  # one name rule, unique for any codes
        self._competences = {code: _free(f"competenties/{names[code]}.md", taken) for code in framework.codes()}

    def __getattr__(self, name: str) -> str:
        try:
            return self._paths[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> str:
        return self._paths[name]

    def competence(self, code: str) -> str:
        return self._competences[code]


def _free(path: str, taken: set[str]) -> str:
    while path.casefold() in taken:
        path = path[:-3] + "-overzicht.md"
    return path


def _site_url(context: SiteContext, student_id: str | None = None) -> str | None:
    base = context.cohort.config.site_url
    if not base:
        return None
    base = base if base.endswith("/") else base + "/"
    return f"{base}{student_id}/" if student_id else base


# -- the overview -------------------------------------------------------------------------------


def render_overview(context: SiteContext, docs: Path, site_ids: list[str]) -> SiteSpec:
    cohort_view = CohortView(context.cohort, context.as_of, context.progress, context.exclusions, set(site_ids), context.audience)
    pages_of = {student.id: StudentPages(student, context.cohort.framework) for student in context.cohort.students}
    writer = PageWriter(_environment(context.base_config), cohort=cohort_view, overview_dir=OVERVIEW_DIR, pages_of=pages_of,
                        heat=cohort_view.heat, audience=context.audience)
    # Full width (no navigation, no table of contents): the dashboard needs every column. The
    # browser tab reads "Overzicht - <cohort title>": the site name already is the cohort's title.
    dashboard = functools.partial(writer.write, search=False, wide=True, template="overzicht.html")
    dashboard("index.md", title="Overzicht", rows=cohort_view.rows, heading="Overzicht")
    nav: list = [{"Overzicht": "index.md"}]
    milestones = []
    for milestone in cohort_view.milestones:
        path = f"{OVERVIEW_DIR}/mijlpaal-{_slug(milestone.id)}.md"
        writer.write(path, "overzicht-mijlpaal.html", f"Mijlpaal: {milestone.title}", search=False, milestone=milestone)
        milestones.append({plain(milestone.title): path})
    for label, groups in (("Per coach", cohort_view.by_coach), ("Per school", cohort_view.by_school)):
        items = []
        for group in groups:
            path = f"{OVERVIEW_DIR}/{group.page}.md"
            dashboard(path, title=group.title, rows=group.rows, heading=group.title, group=group)
            items.append({plain(group.name): path})
        if items:
            nav.append({label: items})
    if milestones:
        nav.insert(1, {"Mijlpalen": milestones})
    # No search box: the overview's pages are tables the page itself filters and searches.
    return SiteSpec(site_name=plain(context.cohort.config.title), nav=nav, site_url=_site_url(context), slots=writer.slots, pages=writer.pages,
                    search=False, search_engines=context.cohort.config.search_engines,
                    extra=_footer(context))


def _slug(text: str) -> str:
    """A page name from an id or a name (the one slug rule), never empty."""
    return slug(text) or "x"


# -- writing pages ------------------------------------------------------------------------------


class PageWriter:
    """Renders a template into a Markdown page of the docs tree, with helpers bound to that page.

    The pages stay in memory (`pages`, handed to the engine in the SiteSpec): MkDocs reads them from
    there, so a student's hundreds of pages are never written to disk and read back.

    Templates write headings in Markdown (the engine builds the table of contents from them) and
    everything else as HTML. On a page left out of search, `{% call slot() %}…{% endcall %}` keeps
    a block of HTML away from the engine: the page gets an empty placeholder, and the HTML is put
    in its place after the engine built the site (`slots`, see trialoog.site.finish). The engine would
    pass it through unchanged anyway; skipping its HTML parser halves the build of a student.

    On a student's site whose errors left something out, and on every page of an evaluation
    build (private entries included: not for publishing), every page gets the notice of
    `_banner.html` under its heading, placed the same way: it is not the page's text, so search
    does not index it (a search for a left-out entry finds nothing).
    """

    BANNER = "weggelaten"  # the notice's placeholder key, beside the numbered slots

    def __init__(self, environment: jinja2.Environment, **shared: Any):
        self.environment = environment
        self.shared = shared
        self.slots: dict[str, dict[str, str]] = {}  # docs path -> placeholder id -> HTML
        self.pages: dict[str, str] = {}  # docs path -> Markdown
        view = shared.get("view")
        left_out = bool(view is not None and view.exclusions.shown_to(view.audience))
        audience = shared.get("audience", "student")
        shown = left_out or audience == EVALUATION
        context = {**shared, "left_out": left_out, "evaluation_build": audience == EVALUATION}
        self.banner = environment.get_template("_banner.html").render(context).strip() if shown else ""

    def write(self, path: str, template: str, title: str, *, search: bool = True, wide: bool = False,
              running_head: str | None = None, **data: Any) -> None:
        """`wide`: the overview's dashboards, without navigation and table of contents.
        `running_head`: printed at the top of every paper page."""
        page_dir = posixpath.dirname(path)
        slots: dict[str, str] = {}
        helpers = {
            "page": path,
            "title": title,
            "url": functools.partial(_url, page_dir),
            "body": functools.partial(_body, self.shared.get("view"), path),
            "slot": functools.partial(_slot, slots, searchable=search),
        }
        text = self.environment.get_template(template).render({**self.shared, **helpers, **data}).strip()
        if self.banner:
            slots[self.BANNER] = self.banner
            heading, _, rest = text.partition("\n")
            notice = slot_placeholder(self.BANNER)
            text = f"{heading}\n\n{notice}\n\n{rest}" if heading.startswith("# ") else f"{notice}\n\n{text}"
        if slots:
            self.slots[path] = slots
        meta: dict[str, Any] = {"title": plain(title)}
        if not search:
            meta["search"] = {"exclude": True}
        if wide:  # wide tables get the room of the navigation and the table of contents
            meta["hide"] = ["navigation", "toc"]
        if running_head:  # printed at the top of every page (theme/main.html, @page in trialoog.css)
            meta["running_head"] = css_string(running_head)
        # JSON is YAML, and much quicker to write for a few keys on thousands of pages.
        front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
        self.pages[path] = f"---\n{front}---\n\n{text.strip()}\n"


def _slot(slots: dict[str, str], caller, searchable: bool) -> Markup:
    if searchable:
        raise ValueError("slot() only on pages left out of search: the search index would miss its text")
    key = str(len(slots))
    slots[key] = str(caller()).strip()
    return Markup(slot_placeholder(key))


def _url(page_dir: str, target: str, anchor: str | None = None) -> str:
    """Relative URL from the current page to `target`, a docs path (`.md` becomes its page)."""
    if target.lower().endswith(".md"):
        target = page_url(target[:-3])
    return relative_url(target, page_dir, quoted=True) + (f"#{anchor}" if anchor else "")


def _body(view: StudentView | None, page: str, entry, keep_ids: bool = True, headings: bool = False) -> Markup:
    """The student's text as HTML for `page`. With `headings` (the entry's own page) the
    student's headings become Markdown headings of the page, so the engine puts them in the table
    of contents with a permalink and search finds them; the text between them stays HTML, in
    blocks of class tl-body (the caller does not wrap it)."""
    # Safe: rendered from the student's Markdown and cleaned by nh3 in trialoog.site.body.
    safe = localize(view.body(entry).html, page, keep_ids=keep_ids)  # type: ignore[union-attr]  # student pages
    if not headings:
        return Markup(safe)
    blocks = f'<div class="tl-body">\n{_top_level_headings_as_markdown(safe)}\n</div>'
    return Markup(_EMPTY_BLOCK.sub("", blocks).strip())


# A heading of the student's text (already demoted below the page's title, see trialoog.site.body).
_STUDENT_HEADING = re.compile(r'<h(?P<level>[2-6])(?: id="(?P<id>[^"]*)")?>(?P<inner>.*?)</h(?P=level)>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_EMPTY_BLOCK = re.compile(r'<div class="tl-body">\s*</div>')


# Elements a heading can sit inside (a quote, a list, a table, a details block): such a heading
# stays HTML, since closing the text's block there would break the element open around it.
_CONTAINER = re.compile(r"<(?P<close>/?)(?:blockquote|ul|ol|li|table|details|div|dl|figure|section|aside)\b[^>]*>")


def _top_level_headings_as_markdown(safe: str) -> str:
    parts: list[str] = []
    depth, done = 0, 0
    for match in re.finditer(f"{_CONTAINER.pattern}|{_STUDENT_HEADING.pattern}", safe, re.DOTALL):
        if match["level"] is None:
            depth = max(0, depth - 1) if match["close"] else depth + 1
        elif depth == 0:
            parts += [safe[done:match.start()], _markdown_heading(match)]
            done = match.end()
    return "".join(parts) + safe[done:]


def _markdown_heading(match: re.Match[str]) -> str:
    """Close the text's block, write the heading as Markdown with the text's own id, reopen."""
    text = markdown_text(unescape(_TAG.sub("", match["inner"])).strip())
    anchor = f" {{: #{match['id']} }}" if match["id"] else ""
    return f'</div>\n\n{"#" * int(match["level"])} {text}{anchor}\n\n<div class="tl-body">'


def plain(text: str) -> str:
    """Text for places the engine prints without escaping: page titles, nav labels, and the site
    name, which Material and Zensical also put in a double-quoted attribute (the logo's aria-label).
    "&" stays, so the same text escaped once more (a `title` attribute) shows no entities."""
    return str(text).replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# Python-Markdown's backslash escapes (Markdown.ESCAPED_CHARS, plus "|" of the tables extension);
# "<", ">" and "&" are escaped as HTML first.
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def markdown_text(text: Any) -> Markup:
    """Text that stays text inside Markdown: HTML-escaped, and Markdown's specials backslashed."""
    escaped = str(escape(str(text)))
    return Markup(_MARKDOWN_SPECIALS.sub(r"\\\1", escaped).replace("\n", " "))


def framework_markdown(text: Any) -> Markup:
    """A framework's description (Markdown, from the programme's file or an import that kept links
    and lists) as HTML, cleaned like a student's text. `![…](…)` stays text: a framework brings no
    images, and none may be requested from another host."""
    rendered = markdown.markdown(str(text).replace("![", "\\!["), extensions=["sane_lists"])
    return Markup(sanitize_html(rendered))


def file_size(size: int) -> str:
    """1,2 MB — sizes as a Dutch reader writes them."""
    for unit, factor in (("MB", 1_000_000), ("kB", 1_000)):
        if size >= factor:
            return f"{size / factor:.1f} {unit}".replace(".", ",")
    return f"{size} bytes"


def changed_signoffs(entry: Entry) -> list[Signoff]:
    """The sign-offs of an evaluation that no longer match its text (SG001): the page says so."""
    return [signoff for signoff, valid in signoff_state(entry) if not valid]


@functools.lru_cache(maxsize=4)
def _environment(base_config: Path) -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(baseconfig.theme_dir(base_config) / "pages"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # a build renders thousands of pages from a dozen templates
    )
    environment.filters.update(
        md=markdown_text, framework_markdown=framework_markdown, long_date=long_date, short_date=short_date, size=file_size,
        demote=demote_headings,
    )
    environment.globals.update(
        charts=charts, counted=counted, sections=SECTIONS, section_of=SECTION_OF, raters=RATERS,
        slug=_slug,
        rationale_status=RATIONALE_STATUS, disagreement_levels=DISAGREEMENT_LEVELS,
        audience_note=audience_note, days=days, label=value_label, joined=joined, evidence_kinds=evidence_kinds(), changed_signoffs=changed_signoffs,
    )
    return environment
