"""A framework switch in the middle of a year: which old codes count for which new ones.

A programme that moves from one framework to another (the 2007 basiscompetenties to its own file
with the 2018 set) names a mapping file in portfolio.yml (`framework_mapping:`). It is YAML:

    from: basiscompetenties-2007        # the old framework (a built-in id or a path), optional
    codes:                              # old code -> the new code(s) it counts for
      FG1: [FG1]
      FG5: [FG5, FG9]
      BH3: A3

An entry written before the switch that cites an old code is then accepted by `trialoog check`
and counts as evidence for the new codes (trialoog.portfolio.evidence.covered_codes), so a student
is not punished for the switch; the site shows the new tree only. Problems in the file (a new code
that does not exist, an old code the old framework does not have) are reported with their line
by the configuration check (trialoog.checks.config); such a pair is not used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trialoog import rules
from trialoog.diagnostics import START, Diagnostic, Position
from trialoog.portfolio.framework import Framework, FrameworkError, load_framework
from trialoog.portfolio.frontmatter import Document, read_yaml
from trialoog.portfolio.paths import is_within, repository_root

MAX_BYTES = 1_000_000
MAPPING_KEYS = ("from", "codes")


@dataclass
class Mapping:
    """The pairs that can be used, and the problems of the others (each with its line)."""

    path: Path
    old_framework: str | None
    pairs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)


class MappingError(FrameworkError):
    """A mapping file that cannot be read at all."""


def load_mapping(ref: str, base_dir: Path, new: Framework) -> Mapping:
    """Read the mapping file `ref` (relative to base_dir, inside the repository) against the new
    framework; the old framework is loaded from `from:` when given, to check the old codes."""
    path = Path(base_dir) / ref
    if not is_within(path, repository_root(Path(base_dir))):
        raise MappingError(f"mappingbestand '{ref}' ligt buiten de repository: zet het in de repository, bv. kaders/mapping.yml")
    if not path.is_file():
        raise MappingError(f"mappingbestand '{ref}' niet gevonden ({path}): maak het (zie de README, \"Van kader wisselen\") of haal `framework_mapping` weg")
    doc = _read(path)
    data = doc.data or {}
    old_ref = data.get("from")
    mapping = Mapping(path, old_ref if isinstance(old_ref, str) else None)
    old = _old_framework(mapping, doc, base_dir)
    codes = data.get("codes")
    if not isinstance(codes, dict):
        raise MappingError(f"{path}: een mappingbestand heeft `codes:` met per oude code de nieuwe code(s), bv. `FG1: [FG1]`", path=path)
    for old_code, targets in codes.items():
        _add_pair(mapping, doc, new, old, str(old_code), targets)
    return mapping


def _read(path: Path) -> Document:
    try:
        raw = path.read_bytes()
    except OSError as error:
        from trialoog.errors import os_reason

        raise MappingError(f"{path}: kan het mappingbestand niet lezen ({os_reason(error)})", path=path) from None
    doc = read_yaml(raw, max_bytes=MAX_BYTES)
    errors = [p for p in doc.problems if rules.RULES[p.code].severity is rules.ERROR]
    if errors:
        first = errors[0]
        raise MappingError(f"{path}, regel {first.position.line}: {first.message}", path=path, line=first.position.line)
    if not isinstance(doc.data, dict) or "codes" not in doc.data:
        raise MappingError(f"{path}: een mappingbestand is een mapping met `codes:` (en optioneel `from:`)", path=path)
    unknown = [key for key in doc.data if key not in MAPPING_KEYS]
    if unknown:
        line = doc.position((unknown[0],), of_key=True).line
        raise MappingError(f"{path}, regel {line}: onbekende sleutel '{unknown[0]}' (toegestaan: from, codes)", path=path, line=line)
    return doc


def _old_framework(mapping: Mapping, doc: Document, base_dir: Path) -> Framework | None:
    if mapping.old_framework is None:
        return None
    try:
        return load_framework(mapping.old_framework, base_dir)
    except FrameworkError as error:
        message = f"het oude kader '{mapping.old_framework}' kan niet geladen worden ({error}); de oude codes worden niet nagekeken"
        mapping.problems.append(rules.make(rules.MAPPING_CODE, str(mapping.path), doc.position(("from",)), message))
        return None


def _add_pair(mapping: Mapping, doc: Document, new: Framework, old: Framework | None, old_code: str, targets: object) -> None:
    where = doc.position(("codes", old_code))
    listed = [targets] if isinstance(targets, str) else targets
    if not isinstance(listed, list) or not listed or not all(isinstance(t, str) for t in listed):
        _problem(mapping, where, f"'{old_code}': geef de nieuwe code(s) als lijst, bv. `{old_code}: [FG1]`")
        return
    if old is not None and old.get(old_code) is None:
        _problem(mapping, doc.position(("codes", old_code), of_key=True), f"oude code '{old_code}' staat niet in het oude kader '{mapping.old_framework}'{_hint(old, old_code)}")
        return
    missing = [target for target in listed if new.get(target) is None]
    for index, target in enumerate(listed):
        if target in missing:
            position = doc.position(("codes", old_code, index)) if not isinstance(targets, str) else where
            _problem(mapping, position, f"'{old_code}' wijst naar '{target}', maar die code staat niet in het kader '{new.id}'{_hint(new, target)}")
    if not missing:
        mapping.pairs[old_code] = tuple(listed)


def _hint(framework: Framework, code: str) -> str:
    found = framework.suggest(code)
    return f" — bedoel je '{found}'?" if found else ""


def _problem(mapping: Mapping, position: Position, message: str) -> None:
    mapping.problems.append(rules.make(rules.MAPPING_CODE, str(mapping.path), position or START, message))
