"""Competence frameworks: the typed model, loading from YAML, look-ups, and a text tree.

A framework file is YAML with `id`, `title`, `source`, `levels` (ordered {id, label})
and `competences`, a recursive list of {code, title, description?, competences?}.
Look-ups are indexed once, when the model is built; treat a Framework as read-only.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from trialoog import rules
from trialoog.portfolio.frontmatter import YAML_MESSAGES, read_yaml
from trialoog.portfolio.paths import is_within, repository_root
from trialoog.errors import TrialoogError, os_reason

MAX_BYTES = 5_000_000  # a framework is small; this only keeps a wrong file from being read whole
FRAMEWORKS_DIR = Path(__file__).parent / "frameworks"


@dataclass(frozen=True)
class Builtin:
    """A framework shipped with Trialoog, named by its decree; `note` is what `framework show` and
    `trialoog init` say about its status (a repealed decree), `alias_of` marks an old id kept."""

    file: str
    note: str | None = None
    alias_of: str | None = None


REPEALED_2007 = (
    "Let op: het besluit van 5 oktober 2007 is opgeheven door het besluit van 8 juni 2018 "
    "betreffende de basiscompetenties van de leraren, van kracht vanaf het academiejaar 2019-2020. "
    "Dit kader is er voor cohortes van vóór 2019-2020; een opleiding van nu gebruikt haar eigen kaderbestand "
    "met de basiscompetenties van 2018 (zie de README, \"Een eigen kader\")."
)
# The 2018 set is not built in: its functionele gehelen and attitudes could not be sourced
# literally (../shared/reference/basiscompetenties-2018.md), and Trialoog ships no invented titles.
BUILTINS: dict[str, Builtin] = {
    "basiscompetenties-2007": Builtin("basiscompetenties-2007.yml", REPEALED_2007),
    # The id of before the decree was in the name; kept so existing portfolio.yml files keep working.
    "basiscompetenties": Builtin("basiscompetenties-2007.yml", REPEALED_2007, alias_of="basiscompetenties-2007"),
}
BUILTIN: dict[str, Path] = {name: FRAMEWORKS_DIR / found.file for name, found in BUILTINS.items()}


def builtin_note(ref: str) -> str | None:
    """What to say about a built-in framework's status (None for a file or a current set)."""
    found = BUILTINS.get(ref)
    if found is None:
        return None
    alias = f"'{ref}' is een andere naam voor '{found.alias_of}'. " if found.alias_of else ""
    return f"{alias}{found.note}" if found.note else (alias or None)


class FrameworkError(TrialoogError):
    """A framework that cannot be used; the message is Dutch and names the fix (exit 1: a problem in the file)."""

    def __init__(self, message: str, path: Path | None = None, line: int | None = None):
        super().__init__(message)
        self.path = path
        self.line = line


class Level(BaseModel):
    """One step of the rating scale, e.g. id '+-' with label 'nipt voldoende'."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    label: str = Field(min_length=1)
    # This level counts as mastered (Moodle's "proficient" scale values).
    proficient: bool = False


class Competence(BaseModel):
    """A competence (or a group of them): a code, a title, and optional sub-competences."""

    model_config = ConfigDict(extra="forbid")
    code: str = Field(min_length=1)
    title: str = Field(min_length=1)
    description: str | None = None
    # Codes this competence refers to (Moodle's cross-referenced competencies); they need not be in
    # this framework (a cross-reference may point into another one).
    related: list[str] = Field(default_factory=list)
    competences: list[Competence] = Field(default_factory=list)


class Framework(BaseModel):
    """A competence framework with a rating scale; look-ups are indexed at construction."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    competences: list[Competence] = Field(min_length=1)

    _order: list[str] = PrivateAttr(default_factory=list)
    _by_code: dict[str, Competence] = PrivateAttr(default_factory=dict)
    _group: dict[str, str] = PrivateAttr(default_factory=dict)
    _folded: dict[str, str] = PrivateAttr(default_factory=dict)
    _labels: dict[str, str] = PrivateAttr(default_factory=dict)
    _mapped: dict[str, tuple[str, ...]] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique(self) -> Framework:
        codes = [c.code for c in _walk(self.competences)]
        _reject_duplicates(codes, "competentiecode")
        _reject_duplicates([lv.id for lv in self.levels], "niveau-id")
        return self

    def model_post_init(self, context: object) -> None:
        for group in self.competences:
            for comp in _walk([group]):
                self._order.append(comp.code)
                self._by_code[comp.code] = comp
                self._group[comp.code] = group.code
                self._folded.setdefault(_fold(comp.code), comp.code)
        self._labels = {lv.id: lv.label for lv in self.levels}

    def codes(self) -> list[str]:
        """All codes, depth-first in file order."""
        return list(self._order)

    def with_mapping(self, mapped: dict[str, tuple[str, ...]]) -> Framework:
        """A copy that also accepts the old codes of a framework switch (old code -> new codes),
        so entries written before the switch count as evidence for the new codes they map to."""
        copy = self.model_copy()
        copy._mapped = {old: tuple(new) for old, new in mapped.items() if old not in self._by_code}
        return copy

    def mapped_codes(self) -> dict[str, tuple[str, ...]]:
        """Old codes accepted through a mapping, with the new codes each counts for."""
        return dict(self._mapped)

    def accepts(self, code: str) -> bool:
        """A code an entry may cite: one of this framework, or an old code that a mapping maps."""
        return code in self._by_code or code in self._mapped

    def proficient_level(self) -> Level | None:
        """The first level that counts as mastered, when the framework says so."""
        return next((level for level in self.levels if level.proficient), None)

    def get(self, code: str) -> Competence | None:
        return self._by_code.get(code)

    def groups(self) -> list[Competence]:
        """The top-level competences (for the built-in: FG1..FG10, BH1..BH8)."""
        return list(self.competences)

    def group_of(self, code: str) -> str:
        """The top-level code that contains `code` (itself when top-level); KeyError if unknown."""
        return self._group[code]

    def descendants(self, code: str) -> list[str]:
        """`code` itself and every code below it, depth-first; KeyError if unknown."""
        return [c.code for c in _walk([self._by_code[code]])]

    def level_ids(self) -> list[str]:
        return [lv.id for lv in self.levels]

    def level_label(self, level_id: str) -> str:
        """The label of a level id; KeyError if unknown."""
        return self._labels[level_id]

    def suggest(self, code: str) -> str | None:
        """The nearest existing code, for 'bedoel je …?' hints; None when nothing is close."""
        if code in self._by_code:
            return code
        folded = _fold(code)
        if folded in self._folded:
            return self._folded[folded]
        same_depth = [k for k in self._folded if k.count(".") == folded.count(".")]
        for candidates in (same_depth, list(self._folded)):
            match = difflib.get_close_matches(folded, candidates, n=1, cutoff=0.6)
            if match:
                return self._folded[match[0]]
        return None


def competence_file_names(codes: list[str]) -> dict[str, str]:
    """A file name (without extension) for each code, unique for any codes, also on a file system
    that ignores case: the code in ASCII (accents dropped: "Tā" -> "Ta", other characters a hyphen:
    "K1/a" -> "K1-a"). When names clash, or nothing is left, every code whose name is not itself
    gets a suffix from a hash of the code: a page never replaces another, the names do not depend
    on the order of the codes, and a code that is a plain name ("K1-a") keeps it when a clashing
    code is added."""
    bases = {code: _ascii_name(code) for code in codes}
    groups: dict[str, list[str]] = {}
    for code, base in bases.items():
        groups.setdefault(base.casefold(), []).append(code)
    names: dict[str, str] = {}
    used: set[str] = set()
    for members in groups.values():
        plain = [code for code in members if bases[code] == code]
        for code in members:
            alone = len(members) == 1 or (len(plain) == 1 and plain[0] == code)
            name = bases[code] if alone and bases[code] else f"{bases[code] or 'competentie'}-{_code_hash(code)}"
            while name.casefold() in used:  # a code that is literally another one's suffixed name
                name += "-" + _code_hash(name)[:2]
            used.add(name.casefold())
            names[code] = name
    return names


def _ascii_name(code: str) -> str:
    decomposed = unicodedata.normalize("NFKD", code).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE_NAME.sub("-", decomposed).strip("-.")


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()[:6]


_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _walk(competences: list[Competence]):
    """Yield competences depth-first, parents before children."""
    for comp in competences:
        yield comp
        yield from _walk(comp.competences)


def _fold(code: str) -> str:
    """Case- and space-insensitive form of a code; a comma counts as a dot ('FG1,2')."""
    return "".join(code.split()).casefold().replace(",", ".")


def _reject_duplicates(values: list[str], what: str) -> None:
    doubles = [value for value, count in Counter(values).items() if count > 1]
    if doubles:
        listed = ", ".join(f"'{v}'" for v in doubles)
        raise ValueError(f"dubbele {what}: {listed} — elke {what} mag maar één keer voorkomen")


# --- loading -----------------------------------------------------------------

_PYDANTIC_NL = {
    "missing": "verplicht veld ontbreekt",
    "string_type": "moet tekst zijn (zet getallen of codes tussen aanhalingstekens)",
    "list_type": "moet een lijst zijn",
    "model_type": "moet een mapping zijn (sleutel: waarde)",
    "model_attributes_type": "moet een mapping zijn (sleutel: waarde)",
    "string_too_short": "mag niet leeg zijn",
    "too_short": "mag niet leeg zijn",
}


def explain_validation_error(error: ValidationError) -> str:
    """Dutch, one line per problem, each naming the field ('competences[0].code: …')."""
    lines = []
    for item in error.errors():
        where = _field_path(item["loc"]) or "(raamwerk)"
        if item["type"] == "value_error":
            what = str(item.get("ctx", {}).get("error", item["msg"]))
        elif item["type"] == "extra_forbidden":
            what = _unknown_key(item["loc"])
        else:
            what = _PYDANTIC_NL.get(item["type"], item["msg"])
        lines.append(f"{where}: {what}")
    return "\n".join(lines)


def _unknown_key(loc: tuple) -> str:
    """'onbekend veld', with the allowed keys of the model it sits in and a likely fix."""
    model: type[BaseModel] = Framework
    nested: dict[object, type[BaseModel]] = {"levels": Level, "competences": Competence}
    for part in loc[:-1]:
        model = nested.get(part, model)
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    hint = f" — bedoel je '{close[0]}'?" if close else ""
    return f"onbekend veld (toegestaan: {', '.join(allowed)}){hint}"


def _field_path(loc: tuple) -> str:
    parts = ""
    for part in loc:
        parts += f"[{part}]" if isinstance(part, int) else (f".{part}" if parts else str(part))
    return parts


def resolve_framework_path(ref: str, base_dir: Path) -> Path:
    """A built-in id maps to the shipped file; anything else is a path relative to base_dir."""
    if ref in BUILTIN:
        return BUILTIN[ref]
    return Path(base_dir) / ref


def load_framework(ref: str, base_dir: Path) -> Framework:
    """Load a built-in framework by id, or a framework file relative to base_dir.

    A file must lie inside the cohort's repository (trialoog.portfolio.paths.repository_root):
    portfolio.yml is written by whoever can push, and `framework: /etc/shadow` must not make a
    check in CI read (and echo) a file of the machine it runs on."""
    path = resolve_framework_path(ref, base_dir)
    known = ", ".join(sorted(BUILTIN))
    if ref not in BUILTIN:
        repository = repository_root(Path(base_dir))
        if not is_within(path, repository):
            raise FrameworkError(
                f"raamwerk '{ref}' ligt buiten de repository ({repository}): een kader is een ingebouwd id "
                f"(kies uit: {known}) of een YAML-bestand in de repository, bv. kaders/eigen-kader.yml"
            )
    if not path.is_file():
        raise FrameworkError(
            f"raamwerk '{ref}' niet gevonden: geen ingebouwd raamwerk (kies uit: {known}) "
            f"en geen bestand {path}",
            path=path,
        )
    return _parse(_read_yaml(path), path)


def open_framework(ref: str, here: Path) -> Framework:
    """A framework a user names on the command line: a built-in id, or a file relative to where
    they stand (`here`, the current folder). Not confined to a repository: the user chose the
    file themselves (portfolio.yml's `framework:` is, see load_framework)."""
    if ref in BUILTIN:
        return load_framework(ref, here)
    path = Path(here) / ref
    if not path.is_file():
        known = ", ".join(sorted(BUILTIN))
        what = "is een map" if path.is_dir() else "bestaat niet"
        raise FrameworkError(f"kader '{ref}': geen ingebouwd kader (kies uit: {known}) en het bestand {path} {what}", path=path)
    return _parse(_read_yaml(path), path)


# The Dutch explanations of YAML syntax errors that quote nothing of the file.
_QUOTING_NOTHING = {f"ongeldige YAML: {dutch}" for dutch in YAML_MESSAGES.values()}


def _read_yaml(path: Path) -> object:
    """The framework file's data, read as portfolio.yml and front matter are (one YAML reader):
    anchors, object tags and duplicate keys are refused with their line. Nothing or a non-mapping
    comes back as such, for `_parse` to explain what a framework is.

    Until the file has shown to be a framework, no message quotes its content (a value, a key, a
    tag): `framework:` may name the wrong file, and CI logs are read by many."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FrameworkError(f"{path}: kan het raamwerk niet lezen ({os_reason(exc)})", path=path)
    doc = read_yaml(raw, max_bytes=MAX_BYTES)
    for problem in doc.problems:
        if problem.code in (rules.EMPTY_FILE, rules.NOT_A_MAPPING) or rules.RULES[problem.code].severity is not rules.ERROR:
            continue
        if problem.code == rules.NOT_UTF8:
            raise FrameworkError(f"{path}: geen geldige UTF-8-tekst — sla het bestand op als UTF-8", path=path)
        line, column = problem.position.line, problem.position.column
        if problem.code == rules.YAML_SYNTAX:
            detail = problem.message if problem.message in _QUOTING_NOTHING else rules.RULES[problem.code].fix
            detail = detail.removeprefix("ongeldige YAML: ")
            raise FrameworkError(f"{path}: ongeldige YAML op regel {line}, kolom {column}: {detail}", path=path, line=line)
        found = rules.RULES[problem.code]
        raise FrameworkError(f"{path}, regel {line}: {found.title} — {found.fix}", path=path, line=line)
    return doc.data


# A mapping with fewer of these keys is some other file; its keys are not quoted back.
FRAMEWORK_KEYS = ("id", "title", "source", "levels", "competences")


def _parse(data: object, path: Path) -> Framework:
    if not isinstance(data, dict) or sum(key in data for key in FRAMEWORK_KEYS) < 2:
        raise FrameworkError(
            f"{path}: een raamwerk is een mapping met id, title, source, levels en competences",
            path=path,
        )
    try:
        return Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(f"{path}: ongeldig raamwerk:\n{explain_validation_error(exc)}", path=path)


# --- text tree -----------------------------------------------------------------


def render_tree(framework: Framework) -> str:
    """An indented text tree of codes and titles, with the rating scale at the end."""
    source = textwrap.fill(" ".join(framework.source.split()), width=88, subsequent_indent="      ")
    lines = [f"{framework.title} ({framework.id})", f"Bron: {source}", ""]
    width = max(len(code) for code in framework.codes())
    lines += _tree_lines(framework.competences, depth=0, width=width)
    scale = ", ".join(f"{lv.id} ({lv.label})" for lv in framework.levels)
    lines += ["", f"Schaal: {scale}"]
    proficient = framework.proficient_level()
    if proficient is not None:
        lines.append(f"Beheerst vanaf: {proficient.id} ({proficient.label})")
    return "\n".join(lines) + "\n"


def _tree_lines(competences: list[Competence], depth: int, width: int) -> list[str]:
    lines = []
    for comp in competences:
        lines.append(f"{'  ' * depth}{comp.code.ljust(width)}  {comp.title}")
        if comp.related:
            lines.append(f"{'  ' * depth}{''.ljust(width)}  (verwant: {', '.join(comp.related)})")
        lines += _tree_lines(comp.competences, depth + 1, width)
    return lines
