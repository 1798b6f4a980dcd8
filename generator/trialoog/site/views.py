"""What a student's site shows, derived once from the model: the entries this audience may see.

A view also says how they relate (goals ↔ reflections ↔ evidence, feedback, competences, ratings,
wellbeing).

Pages (trialoog.site.pages) only arrange what a view offers; no page counts or filters on its own, so
the matrix, the competence pages and the overview cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from trialoog.site.body import Body, BodyRenderer, excerpt, is_image, is_publishable, marker, without_images
from trialoog.site.exclusion import NONE, Exclusions
from trialoog.dutch import joined, month_year
from trialoog.portfolio import labels
from trialoog.portfolio.evidence import AUDIENCES, EVALUATION, counts_as_evidence, covered_codes, cites
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.milestones import MilestoneProgress
from trialoog.portfolio.model import DUTCH_TYPE_NAMES, EVIDENCE_TYPES, TYPES

PROFILE_ID = "index"

# The site's sections: a page per entry type that counts as evidence (entry-type table).
SECTIONS = tuple(TYPES[kind] for kind in EVIDENCE_TYPES)
SECTION_OF = {section.type: section for section in SECTIONS}
RATERS = (("self", "Zelf"), ("mentor", "Mentor"), ("coach", "Coach"))
# Human labels of the format's values live in trialoog.portfolio.labels; these names stay for the pages that import them.
PROGRAMS = labels.PROGRAM
TRAJECTORIES = labels.TRAJECTORY
GOAL_STATUS = labels.GOAL_STATUS

# What a reader is told about a file before opening it: its kind, and whether a browser shows it
# (a PDF opens in a tab) or can only save it (a Word document).
FILE_KINDS = {
    ".pdf": ("PDF", True), ".txt": ("tekst", True), ".csv": ("CSV-tabel", False),
    ".doc": ("Word-document", False), ".docx": ("Word-document", False),
    ".xls": ("Excel-rekenblad", False), ".xlsx": ("Excel-rekenblad", False),
    ".ppt": ("PowerPoint-presentatie", False), ".pptx": ("PowerPoint-presentatie", False),
    ".odt": ("OpenDocument-tekst", False), ".ods": ("OpenDocument-rekenblad", False), ".odp": ("OpenDocument-presentatie", False),
    ".png": ("afbeelding", True), ".jpg": ("afbeelding", True), ".jpeg": ("afbeelding", True), ".gif": ("afbeelding", True),
    ".webp": ("afbeelding", True), ".mp3": ("geluid", True), ".m4a": ("geluid", True), ".wav": ("geluid", True),
    ".ogg": ("geluid", True), ".mp4": ("video", True), ".webm": ("video", True), ".mov": ("video", False), ".zip": ("zip-archief", False),
}


@dataclass(frozen=True)
class Attachment:
    path: str  # inside the student's folder
    name: str
    size: int
    image: bool
    published: bool  # False: a file type a site does not serve (shown by name only)
    withheld: bool = False  # an image that could not be cleaned of its metadata: not on the site
    in_text: bool = False  # an image the student's text already shows: the page shows it once, there

    @property
    def kind(self) -> str:
        """PDF, Word-document, ... (from the extension)."""
        return FILE_KINDS.get(_suffix(self.name), ("bestand", False))[0]

    @property
    def opens_in_browser(self) -> bool:
        return FILE_KINDS.get(_suffix(self.name), ("bestand", False))[1]


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class MatrixRow:
    code: str
    title: str
    depth: int
    counts: dict[str, int]  # entry type -> entries citing the code or a code below it
    total: int


@dataclass(frozen=True)
class RatingCell:
    level: str | None
    label: str | None


DESCRIPTION_LENGTH = 300  # characters of a description on a list card; a written summary may be longer than an excerpt


class StudentView:
    def __init__(self, cohort: Cohort, student: Student, *, audience: str = "student", as_of: dt.date,
                 progress: Iterable[MilestoneProgress] = (), extensions: tuple[list[str], dict[str, dict]] | None = None,
                 exclusions: Exclusions = NONE) -> None:
        if audience not in AUDIENCES:
            raise ValueError(f"onbekend publiek '{audience}': kies uit {', '.join(AUDIENCES)}")
        self.cohort = cohort
        self.student = student
        self.framework = cohort.framework
        self.audience = audience
        self.as_of = as_of
        self.progress = list(progress)
        self.exclusions = exclusions  # entries with errors: left out, and listed in the notice
        self.entries: list = visible_entries(student, audience, exclusions.entry_ids)  # published entries: their model is set
        self.by_id = {entry.id: entry for entry in self.entries}
        self.withheld: frozenset[str] = frozenset()  # images the build could not clean; see `withhold`
        self.extensions = extensions  # Markdown extensions for student texts; None: the base mkdocs.yml's

    @cached_property
    def bodies(self) -> BodyRenderer:
        return BodyRenderer(self.student, self.visible_ids, self.extensions)

    # -- who -------------------------------------------------------------------------------------

    @cached_property
    def profile(self):
        return None if self.exclusions.profile_left_out else self.student.profile_model

    @cached_property
    def name(self) -> str:
        return self.profile.name if self.profile else self.student.id

    @cached_property
    def visible_ids(self) -> set[str]:
        shown = self.student.profile is not None and not self.exclusions.profile_left_out
        return set(self.by_id) | ({PROFILE_ID} if shown else set())

    def person(self, person_id: str | None) -> str:
        if not person_id:
            return "—"
        if person_id == self.student.id:
            return self.name
        person = self.cohort.config.people.get(person_id)
        return person.name if person else person_id

    def people(self, person_ids) -> str:
        """"An Peeters, Tom Wouters en Koen Smets": names as a sentence says them."""
        return joined([self.person(person_id) for person_id in person_ids])

    @cached_property
    def mentors(self) -> list[str]:
        return [self.person(mentor) for mentor in (self.profile.mentors if self.profile else [])]

    @cached_property
    def coach(self) -> str:
        return self.person(self.profile.coach) if self.profile and self.profile.coach else "—"

    # -- entries ---------------------------------------------------------------------------------

    def of_type(self, kind: str) -> list:
        return self._by_type.get(kind, [])

    @cached_property
    def _by_type(self) -> dict[str, list]:
        grouped = defaultdict(list)
        for entry in self.entries:
            grouped[entry.type].append(entry)
        return grouped

    @cached_property
    def dated(self) -> list:
        return [entry for entry in self.entries if entry.model.date is not None]

    @cached_property
    def undated(self) -> list:
        return [entry for entry in self.entries if entry.model.date is None]

    @cached_property
    def months(self) -> list[tuple[str, list]]:
        """The dated entries per month, oldest first: [("september 2017", [...]), ...]."""
        grouped: dict[tuple[int, int], list] = defaultdict(list)
        for entry in self.dated:
            grouped[(entry.model.date.year, entry.model.date.month)].append(entry)
        return [(month_year(dt.date(year, month, 1)), entries) for (year, month), entries in sorted(grouped.items())]

    @cached_property
    def last_entry_date(self) -> dt.date | None:
        dates = [entry.model.date for entry in self.dated if entry.model.date <= self.as_of]
        return max(dates, default=None)

    def body(self, entry: Entry) -> Body:
        body = self.bodies.render(entry)
        return without_images(body, self.withheld) if self.withheld else body

    def withhold(self, images: Iterable[str]) -> None:
        """The images (paths inside the folder) that were not copied: pages show the alt text instead."""
        self.withheld = frozenset(images)

    def excerpt(self, entry: Entry, length: int = 220) -> str:
        """The text of a list card: the description, else the start of the body; both shortened,
        since every list page repeats it (4.7 MB of descriptions once made a 109 MB site)."""
        description = entry.model.description  # type: ignore[union-attr]  # published
        if description and description.strip():
            return excerpt(description, DESCRIPTION_LENGTH)
        return excerpt(self.body(entry).text, length)

    def caption(self, entry: Entry) -> str:
        """The words under an attached picture the text does not show: the entry's description,
        else its title (a file name says nothing to a reader)."""
        description = (entry.model.description or "").strip()  # type: ignore[union-attr]  # published
        return excerpt(description, DESCRIPTION_LENGTH) if description else entry.model.title  # type: ignore[union-attr]

    def neighbours(self, entry: Entry) -> tuple[Entry | None, Entry | None]:
        """The entry before and after this one in its section, in the site's one order (oldest first)."""
        siblings = self.of_type(entry.type or "")
        place = next((index for index, item in enumerate(siblings) if item.id == entry.id), None)
        if place is None:
            return None, None
        before = siblings[place - 1] if place > 0 else None
        after = siblings[place + 1] if place + 1 < len(siblings) else None
        return before, after

    @cached_property
    def featured(self) -> list:
        """Entries the student marked `featured: true`: shown first on Start, in the site's order."""
        return [entry for entry in self.entries if getattr(entry.model, "featured", False)]

    def next_due(self, kind: str):
        """(milestone, requirement): the first milestone not yet met that still needs entries of
        `kind` (reflection, evidence, task, evaluation); None when none asks for more. An empty
        page says what is due, not only that there is nothing."""
        for progress in self.progress:
            for requirement in progress.requirements:
                if requirement.kind == kind and not requirement.met:
                    return progress, requirement
        return None

    def type_plural(self, entry: Entry) -> str:
        kind = TYPES.get(entry.type or "")
        return kind.plural if kind else "items"

    def type_name(self, entry: Entry) -> str:
        kind = entry.type or ""  # published entries have a type
        return DUTCH_TYPE_NAMES.get(kind, kind)

    def competences_of(self, entry: Entry) -> list:
        """The competences an entry cites, as framework items (unknown codes are left out)."""
        found = (self.framework.get(code) for code in entry.model.competences)  # type: ignore[union-attr]
        return [competence for competence in found if competence is not None]

    # -- links between entries -------------------------------------------------------------------

    def linked(self, entry: Entry, key: str) -> list[Entry]:
        """Visible entries named by an id list in the front matter (`goals`, `evidence`)."""
        return [self.by_id[item] for item in getattr(entry.model, key, []) if item in self.by_id]

    @cached_property
    def _cited_by(self) -> dict[str, list]:
        cited = defaultdict(list)
        for entry in self.entries:
            for key in ("goals", "evidence"):
                for target in self.linked(entry, key):
                    cited[target.id].append(entry)
        return cited

    def cited_by(self, entry: Entry) -> list[Entry]:
        """Entries whose `goals` or `evidence` name this one (a goal's reflections, evidence's uses)."""
        return self._cited_by.get(entry.id, [])

    def goal_evidence(self, goal) -> list:
        """Evidence for a goal: what the goal's reflections name as evidence, and entries citing the goal."""
        found = {}
        for reflection in self.cited_by(goal):
            if reflection.type != "reflection":
                found[reflection.id] = reflection
            for item in self.linked(reflection, "evidence"):
                found[item.id] = item
        return sorted(found.values(), key=_by_date)

    def goal_reflections(self, goal) -> list:
        return [entry for entry in self.cited_by(goal) if entry.type == "reflection"]

    @cached_property
    def open_goals(self) -> list:
        return [goal for goal in self.of_type("goal") if goal.model.status != "behaald"]

    # -- attachments -----------------------------------------------------------------------------

    def attachments(self, entry: Entry) -> list[Attachment]:
        written = list(getattr(entry.model, "attachments", []))
        written += [item for item in getattr(entry.model, "evidence", []) if item not in self.student.by_id]
        found = {}
        body = self.body(entry) if written else None
        for reference in written:
            path = self.bodies.resolve(entry, reference)
            if path is not None and path in self.student.files:
                image = is_image(path)
                found[path] = Attachment(
                    path, path.rsplit("/", 1)[-1], self.student.files[path], image, is_publishable(path),
                    path in self.withheld, in_text=image and body is not None and marker(path) in body.html,
                )
        if self.exclusions.privacy and entry.id not in self.exclusions.privacy:
            return [attachment for attachment in found.values() if attachment.path not in self.withheld_files]
        return list(found.values())

    @cached_property
    def published_files(self) -> list[str]:
        """Every student file the site serves: attachments and what the texts show or link to."""
        files: set[str] = set()
        for entry in self.entries:
            files.update(attachment.path for attachment in self.attachments(entry) if attachment.published)
        for entry in self.entries + self.profile_entry:
            files.update(self.body(entry).files)
        files.update([self.photo_path] if self.photo_path else [])
        return sorted(files - self.withheld_files)

    @cached_property
    def photo_path(self) -> str | None:
        """The student's own picture for Start (`photo` in index.md), when it is an image in the folder."""
        photo = getattr(self.profile, "photo", None)
        if not photo or not self.profile_entry:
            return None
        path = self.bodies.resolve(self.profile_entry[0], photo)
        return path if path is not None and path in self.student.files and is_image(path) else None

    @property
    def photo(self) -> str | None:
        """The photo as it is on the site: None when the build could not clean it (then it is not there)."""
        return self.photo_path if self.photo_path and self.photo_path not in self.withheld else None

    @cached_property
    def withheld_files(self) -> set[str]:
        """The attachments and pictures of entries with a privacy error: never published, also
        not when another entry names the same file."""
        files: set[str] = set()
        for entry_id in self.exclusions.privacy:
            entry = self.student.by_id.get(entry_id)
            if entry is not None and entry.model is not None:
                files.update(attachment.path for attachment in self.attachments(entry))
                files.update(self.body(entry).files)
        return files

    @cached_property
    def profile_entry(self) -> list:
        """The profile as a one-item list (empty without a valid profile), to add to `entries`."""
        profile = self.student.profile
        shown = profile is not None and profile.model is not None and not self.exclusions.profile_left_out
        return [profile] if shown else []

    # -- competences -----------------------------------------------------------------------------

    @cached_property
    def evidence_entries(self) -> list:
        """The entries that count as evidence for this audience as of the date (the one rule)."""
        return [entry for entry in self.entries if counts_as_evidence(entry, self.audience, self.as_of)]

    def evidence_for(self, code: str) -> list:
        """Entries that cite `code` or a code below it (FG1.2 is evidence for FG1)."""
        if code not in self._evidence:
            codes = covered_codes(self.framework, code)
            self._evidence[code] = [entry for entry in self.evidence_entries if cites(entry, codes)]
        return self._evidence[code]

    @cached_property
    def _evidence(self) -> dict[str, list]:
        return {}

    @cached_property
    def matrix(self) -> list[MatrixRow]:
        rows = []
        for competence, depth in _walk(self.framework.competences):
            entries = self.evidence_for(competence.code)
            counts = {section.type: sum(1 for e in entries if e.type == section.type) for section in SECTIONS}
            rows.append(MatrixRow(competence.code, competence.title, depth, counts, len(entries)))
        return rows

    @cached_property
    def coverage(self) -> tuple[int, int]:
        """(groups with evidence, groups): how much of the framework's top level has evidence."""
        groups = self.framework.groups()
        return sum(1 for group in groups if self.evidence_for(group.code)), len(groups)

    # -- evaluations -----------------------------------------------------------------------------

    @cached_property
    def evaluations(self) -> list:
        return self.of_type("evaluation")

    def level_label(self, level: str | None) -> str | None:
        if level is None:
            return None
        try:
            return self.framework.level_label(level)
        except KeyError:
            return level

    def level_rank(self, level: str | None) -> int | None:
        levels = self.framework.level_ids()
        return levels.index(level) if level in levels else None

    def rating(self, evaluation, code: str, rater: str) -> RatingCell:
        rating = evaluation.model.ratings.get(code)
        level = getattr(rating, rater) if rating else None
        return RatingCell(level, self.level_label(level))

    def evaluations_rating(self, code: str) -> list:
        return [evaluation for evaluation in self.evaluations if code in evaluation.model.ratings]

    @cached_property
    def rated_codes(self) -> list[str]:
        """Codes with a rating in any evaluation, in framework order."""
        rated = {code for evaluation in self.evaluations for code in evaluation.model.ratings}
        return [code for code in self.framework.codes() if code in rated] + sorted(rated - set(self.framework.codes()))

    @cached_property
    def latest_ratings(self) -> dict[str, dict[str, tuple[RatingCell, object]]]:
        """Per code and rater, the most recent level given, with the evaluation it comes from."""
        latest: dict[str, dict] = defaultdict(dict)
        for evaluation in self.evaluations:  # by date: later ones overwrite
            for code, rating in evaluation.model.ratings.items():
                for rater, _ in RATERS:
                    if getattr(rating, rater) is not None:
                        latest[code][rater] = (self.rating(evaluation, code, rater), evaluation)
        return latest

    def average_rank(self, evaluation, rater: str) -> float | None:
        ranks = [rank for r in evaluation.model.ratings.values() if (rank := self.level_rank(getattr(r, rater))) is not None]
        return sum(ranks) / len(ranks) if ranks else None

    # -- wellbeing -------------------------------------------------------------------------------

    @cached_property
    def wellbeing(self) -> list[tuple[dt.date, int, Entry]]:
        return [(e.model.date, e.model.wellbeing, e) for e in self.of_type("reflection") if e.model.wellbeing is not None]

    # -- feedback --------------------------------------------------------------------------------

    def feedback_on(self, entry: Entry) -> list[Entry]:
        return [item for item in self.of_type("feedback") if item.model.on == entry.id]

    @cached_property
    def feedback_by_person(self) -> list[tuple[str, list]]:
        grouped = defaultdict(list)
        for item in self.of_type("feedback"):
            grouped[item.model.by].append(item)
        return sorted(((self.person(by), items) for by, items in grouped.items()), key=lambda pair: pair[0].casefold())

    @cached_property
    def feedback_elsewhere(self) -> list:
        """Feedback about the profile or about an entry this site does not show."""
        shown = {entry.id for entry in self.entries if entry.type != "feedback"}
        return [item for item in self.of_type("feedback") if item.model.on not in shown]

    def is_answered(self, feedback) -> bool:
        """The student answered when a later entry of theirs names the feedback (evidence or a link)."""
        return feedback.model.date <= self._answered.get(feedback.id, dt.date.min)

    @cached_property
    def _answered(self) -> dict[str, dt.date]:
        """Feedback id -> the date of the latest entry that names it."""
        latest: dict[str, dt.date] = {}
        for entry in self.dated:
            if entry.type == "feedback":
                continue
            for named in set(getattr(entry.model, "evidence", [])) | self.body(entry).entries:
                latest[named] = max(latest.get(named, dt.date.min), entry.model.date)
        return latest

    @cached_property
    def unanswered_feedback(self) -> list:
        return [item for item in self.of_type("feedback") if not self.is_answered(item)]


def _walk(competences, depth: int = 0):
    for competence in competences:
        yield competence, depth
        yield from _walk(competence.competences, depth + 1)


def _by_date(entry):
    return (entry.model.date or dt.date.min, entry.id)


def visible_entries(student: Student, audience: str, excluded: Collection[str] = frozenset()) -> list[Entry]:
    """The published entries this audience may see, by date then id.

    Privacy is transitive: feedback answers what it is `on`, so feedback (also feedback on
    feedback, at any depth) whose `on` chain reaches an entry this audience cannot see (private,
    a draft, invalid, left out for its errors (`excluded`), unknown) is hidden too. A chain that runs in a circle never reaches an entry
    anyone wrote about, so it is hidden as well; following it stops at the first id seen twice.
    """
    candidates = {entry.id: entry for entry in student.published(private=audience == EVALUATION) if entry.id not in excluded}
    if student.profile is not None and student.profile.model is not None:
        candidates.setdefault(PROFILE_ID, student.profile)
    decided: dict[str, bool] = {}

    def visible(entry_id: str) -> bool:
        chain: list[str] = []
        current: str | None = entry_id
        answer = False
        while current is not None:
            if current in decided:
                answer = decided[current]
                break
            entry = candidates.get(current)
            if entry is None or current in chain:
                break  # hidden, missing, or a circle: not visible
            chain.append(current)
            if entry.type != "feedback":
                answer = True
                break
            current = getattr(entry.model, "on", None)
        for seen in chain:
            decided[seen] = answer
        return answer

    return [entry for entry in student.published(private=audience == EVALUATION) if visible(entry.id)]
