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
from trialoog.dutch import joined, long_date, month_year
from trialoog.portfolio.evidence import AUDIENCES, EVALUATION, counts_as_evidence, covered_codes, cites
from trialoog.portfolio.load import Cohort, Entry, Student
from trialoog.portfolio.milestones import REQUIREMENT_KIND_OF_TYPE, MilestoneProgress
from trialoog.portfolio.model import DUTCH_TYPE_NAMES, EVIDENCE_TYPES, RATIONALE_STATUS_LABELS, TYPES
from trialoog.portfolio.signature import signoff_state

PROFILE_ID = "index"

# The site's sections: a page per entry type that counts as evidence (entry-type table).
SECTIONS = tuple(TYPES[kind] for kind in EVIDENCE_TYPES)
SECTION_OF = {section.type: section for section in SECTIONS}
RATERS = (("self", "Zelf"), ("mentor", "Mentor"), ("coach", "Coach"))

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
RATIONALE_STATUS = RATIONALE_STATUS_LABELS
# Ratings that lie this many levels apart (self, mentor, coach) are a disagreement to talk about.
DISAGREEMENT_LEVELS = 2
SIGNER_ROLES = (("mentor", "Mentor"), ("coach", "Coach"))  # the two who sign an evaluation
# Meeting kinds that are a conversation of student, mentor and coach (the driegesprek's "since").
CONVERSATION_KINDS = ("driegesprek", "evaluatiegesprek")


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


@dataclass(frozen=True)
class SignoffLine:
    """One place to sign on an evaluation: the mentor's, the coach's, or another signer's."""

    role: str  # "Mentor", "Coach", "Evaluator"
    name: str | None  # who signed; None: nobody yet
    date: dt.date | None
    valid: bool  # False: the text changed after this sign-off (SG001)

    @property
    def state(self) -> str:
        return "niet" if self.name is None else "ondertekend" if self.valid else "gewijzigd"


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
        wanted = REQUIREMENT_KIND_OF_TYPE.get(kind)
        for progress in self.progress:
            for requirement in progress.requirements:
                if requirement.kind == wanted and not requirement.met:
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

    def spread(self, evaluation, code: str) -> int:
        """How many levels the highest and lowest of self, mentor and coach lie apart (0: agreed)."""
        rating = evaluation.model.ratings.get(code)
        return _spread(self.level_rank(getattr(rating, rater)) for rater, _ in RATERS) if rating else 0

    def disagrees(self, evaluation, code: str) -> bool:
        """Self, mentor and coach lie DISAGREEMENT_LEVELS or more apart on this competence."""
        return self.spread(evaluation, code) >= DISAGREEMENT_LEVELS

    def disagreements(self, evaluation) -> list[str]:
        return [code for code in evaluation.model.ratings if self.disagrees(evaluation, code)]

    def signoff_lines(self, evaluation) -> list[SignoffLine]:
        """A line for the mentor and one for the coach (signed or still open), then other signers.

        Each signer's last sign-off counts (trialoog.portfolio.signature); whether a signer is the
        mentor or the coach comes from their role in portfolio.yml."""
        people = self.cohort.config.people
        signed = [(signoff, valid, people[signoff.by].role if signoff.by in people else "") for signoff, valid in signoff_state(evaluation)]
        lines = []
        for role, label in SIGNER_ROLES:
            mine = [SignoffLine(label, self.person(s.by), s.date, valid) for s, valid, r in signed if r == role]
            lines += mine or [SignoffLine(label, None, None, True)]
        known = {role for role, _ in SIGNER_ROLES}
        lines += [SignoffLine(self._role_label(r), self.person(s.by), s.date, valid) for s, valid, r in signed if r not in known]
        return lines

    @staticmethod
    def _role_label(role: str) -> str:
        return {"evaluator": "Evaluator"}.get(role, "Ondertekend")

    def signoff_summary(self, evaluation) -> str:
        """The sign-off state in words, for a page or the overview: 'niet ondertekend',
        'ondertekend door An Peeters op 26 januari 2018', or 'gewijzigd na ondertekening door …'."""
        signed = [line for line in self.signoff_lines(evaluation) if line.name is not None]
        if not signed:
            return "niet ondertekend"
        changed = [line for line in signed if not line.valid]
        shown = changed or signed
        who = " en ".join(f"{line.name} op {long_date(line.date)}" for line in shown)
        return f"gewijzigd na ondertekening door {who}" if changed else f"ondertekend door {who}"

    def signoff_changed(self, evaluation) -> bool:
        return any(line.name is not None and not line.valid for line in self.signoff_lines(evaluation))

    @cached_property
    def growth(self) -> list[CompetenceGrowth]:
        """Per rated competence its levels at each evaluation moment: the small multiples of the
        evaluation page, one per competence (an average over all competences hides who grows where)."""
        found = []
        for code in self.rated_codes:
            competence = self.framework.get(code)
            moments = tuple(
                GrowthMoment(evaluation, tuple((rater, self.rating(evaluation, code, rater)) for rater, _ in RATERS),
                             self.disagrees(evaluation, code))
                for evaluation in self.evaluations
            )
            found.append(CompetenceGrowth(code, competence.title if competence else code, moments))
        return found

    # -- onderbouwingen --------------------------------------------------------------------------

    @cached_property
    def rationales(self) -> dict[str, Entry]:
        """The student's onderbouwing per competence code (one per code: RF010 keeps it so)."""
        found: dict[str, Entry] = {}
        for entry in self.of_type("rationale"):
            found.setdefault(entry.model.competence, entry)
        return found

    @cached_property
    def rationale_status(self) -> dict[str, str]:
        """Per competence code the status of its onderbouwing ("begonnen" or "klaar"); a code
        without one is absent. For the matrix and the cohort overview; labels: RATIONALE_STATUS."""
        return {code: entry.model.status for code, entry in self.rationales.items()}  # type: ignore[union-attr]

    # -- wellbeing -------------------------------------------------------------------------------

    @cached_property
    def wellbeing(self) -> list[tuple[dt.date, int, Entry]]:
        return [(e.model.date, e.model.wellbeing, e) for e in self.of_type("reflection") if e.model.wellbeing is not None]

    # -- feedback --------------------------------------------------------------------------------

    # Feedback and its answers. A student answers feedback with `answers: [feedback id]` on any
    # entry; a reply in a review thread is a feedback entry by the student (`by: <folder id>`)
    # that answers the comment. Such a reply is shown with the feedback it answers (`replies`),
    # not on its own; an entry of another type that answers is linked from it (`answered_in`).

    def feedback_on(self, entry: Entry) -> list[Entry]:
        """The feedback about an entry, without the replies (they appear under what they answer)."""
        return [item for item in self.threads if item.model.on == entry.id]

    @cached_property
    def threads(self) -> list:
        """Feedback that starts a conversation: everything but replies to visible feedback."""
        return [item for item in self.of_type("feedback") if not self.is_reply(item)]

    def is_reply(self, item) -> bool:
        return any(target in self.by_id and self.by_id[target].type == "feedback" for target in item.model.answers)

    def is_students(self, item) -> bool:
        return item.model.by == self.student.id

    def replies(self, feedback) -> list:
        """Feedback entries (a student's reply, a mentor's answer to it) that answer this feedback."""
        return [entry for entry in self._answers.get(feedback.id, []) if entry.type == "feedback"]

    def answered_in(self, feedback) -> list:
        """Entries of other types that answer this feedback with `answers`."""
        return [entry for entry in self._answers.get(feedback.id, []) if entry.type != "feedback"]

    @cached_property
    def _answers(self) -> dict[str, list]:
        found = defaultdict(list)
        for entry in self.entries:
            for target in entry.model.answers:
                found[target].append(entry)
        return found

    @cached_property
    def feedback_by_person(self) -> list[tuple[str, list]]:
        grouped = defaultdict(list)
        for item in self.threads:
            grouped[item.model.by].append(item)
        return sorted(((self.person(by), items) for by, items in grouped.items()), key=lambda pair: pair[0].casefold())

    @cached_property
    def feedback_elsewhere(self) -> list:
        """Feedback about the profile or about an entry this site does not show."""
        shown = {entry.id for entry in self.entries if entry.type != "feedback"}
        return [item for item in self.threads if item.model.on not in shown]

    def is_answered(self, feedback) -> bool:
        """Answered: an entry `answers` it, or a later entry of the student names it (evidence or a link).
        The student's own feedback (a reply) asks for no answer."""
        if self.is_students(feedback) or self._answers.get(feedback.id):
            return True
        return feedback.model.date <= self._answered.get(feedback.id, dt.date.min)

    def awaits_reply(self, feedback) -> bool:
        """"nog geen reactie": unanswered and at least `signals.reply_days` old on the as-of date;
        younger feedback is simply new."""
        if self.is_answered(feedback):
            return False
        return (self.as_of - feedback.model.date).days >= self.cohort.config.signals.reply_days

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
        """Feedback of mentors and coaches the student has not answered (new feedback included)."""
        return [item for item in self.of_type("feedback") if not self.is_answered(item)]

    @cached_property
    def feedback_without_reply(self) -> list:
        """The unanswered feedback that is `signals.reply_days` old: "nog geen reactie"."""
        return [item for item in self.unanswered_feedback if self.awaits_reply(item)]

    # -- the driegesprek on paper (issue 10 item 4) ----------------------------------------------

    @cached_property
    def last_conversation(self) -> Entry | None:
        """The latest trialogue before the date: an evaluation, or a meeting of a conversation kind."""
        held = [
            entry for entry in self.dated
            if entry.model.date <= self.as_of  # published
            and (entry.type == "evaluation" or getattr(entry.model, "kind", None) in CONVERSATION_KINDS)
        ]
        return max(held, key=_by_date, default=None)

    @cached_property
    def since_last_conversation(self) -> list:
        """What the student and the others wrote after the last conversation, up to the date, oldest first."""
        last = self.last_conversation
        after = last.model.date if last is not None else dt.date.min  # type: ignore[union-attr]
        return [entry for entry in self.dated if after < entry.model.date <= self.as_of and entry is not last]

    def is_overdue(self, goal) -> bool:
        return goal.model.status != "behaald" and goal.model.when is not None and goal.model.when < self.as_of

    def latest_spread(self, code: str) -> int:
        """How far apart the latest levels of self, mentor and coach for `code` lie (possibly from different evaluations)."""
        return _spread(self.level_rank(cell.level) for cell, _ in self.latest_ratings.get(code, {}).values())

    def latest_disagrees(self, code: str) -> bool:
        """The latest levels of self, mentor and coach for `code` lie DISAGREEMENT_LEVELS or more apart."""
        return self.latest_spread(code) >= DISAGREEMENT_LEVELS

    @cached_property
    def latest_disagreements(self) -> list[str]:
        return [code for code in self.rated_codes if self.latest_disagrees(code)]

    @cached_property
    def signers(self) -> list[tuple[str, str]]:
        """(role, name) of everyone who signs the driegesprek: the student, each mentor, the coach."""
        coach = self.coach if self.profile and self.profile.coach else ""
        return [("Student", self.name), *(("Mentor", mentor) for mentor in self.mentors or [""]), ("Coach", coach)]

    @cached_property
    def missing_requirements(self) -> list[tuple[MilestoneProgress, list]]:
        """Per milestone not yet met, only the requirements that are still missing."""
        return [(mp, [r for r in mp.requirements if not r.met]) for mp in self.progress if not mp.met]


@dataclass(frozen=True)
class GrowthMoment:
    evaluation: Entry
    ratings: tuple[tuple[str, RatingCell], ...]  # (rater, cell) for self, mentor, coach
    disagreement: bool


@dataclass(frozen=True)
class CompetenceGrowth:
    code: str
    title: str
    moments: tuple[GrowthMoment, ...]  # one per evaluation, oldest first (empty cells where not rated)


def _spread(ranks: Iterable[int | None]) -> int:
    """Levels between the highest and the lowest of the given ranks (unknown levels left out; 0: agreed)."""
    known = [rank for rank in ranks if rank is not None]
    return max(known) - min(known) if len(known) > 1 else 0


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
