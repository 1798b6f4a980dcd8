"""1EdTech CASE (Competencies and Academic Standards Exchange) packages, read and written.

State and national bodies publish frameworks as a CASE package (CFPackage): one CFDocument, its
CFItems, and CFAssociations between them. Reading (CASE 1.0 and 1.1):
- the tree comes from `isChildOf` associations (origin: the child, destination: its parent, the
  CFDocument for a top-level item), ordered by `sequenceNumber`;
- the code is `humanCodingScheme` where present, else the item's identifier; the title is
  `fullStatement`; `notes` becomes the description; `isRelatedTo` becomes `related`;
- the scale comes from the first CFRubric's criterion levels (by `position`), else from the
  items whose CFItemType is a level ("Level", "Niveau"), else a two-step default.
Writing: CASE 1.1, valid against the published JSON schema (tests/fixtures/case/), with
identifiers that stay the same across exports: uuid5 of the framework id and the code.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import quote

from trialoog.portfolio.framework import Competence, Framework
from trialoog.portfolio.paths import slug

# Our namespace for uuid5: fixed once, so an export names the same item the same way forever.
NAMESPACE = uuid.UUID("6f1b8e2a-3c4d-5e6f-8a9b-0c1d2e3f4a5b")
LEVEL_ITEM_TYPES = {"level", "niveau", "proficiency level", "beheersingsniveau"}
DEFAULT_LEVELS: list[dict[str, object]] = [
    {"id": "niet", "label": "nog niet beheerst"}, {"id": "wel", "label": "beheerst", "proficient": True},
]
EXTENSION = "trialoog"  # our keys inside CASE's `extensions` objects


class CaseError(ValueError):
    """A CASE package that cannot be read; the message is Dutch (raised as an import error)."""


def is_case_package(data: object) -> bool:
    return isinstance(data, dict) and ("CFDocument" in data or isinstance(data.get("CFPackage"), dict))


# ---- reading -------------------------------------------------------------------------------

def from_case(data: dict, name: str, warnings: list[str]) -> dict:
    """A CASE package (with or without the {"CFPackage": …} wrapper) as a framework dict."""
    package = data.get("CFPackage", data)
    document = package.get("CFDocument")
    if not isinstance(document, dict) or not _text(document.get("title")):
        raise CaseError("het CASE-pakket heeft geen CFDocument met een 'title'")
    items = _objects(package, "CFItems")
    by_id = {_text(item.get("identifier")): item for item in items}
    if "" in by_id:
        raise CaseError("een CFItem heeft geen 'identifier'")
    level_items = {key for key, item in by_id.items() if _text(item.get("CFItemType")).casefold() in LEVEL_ITEM_TYPES}
    codes = _codes(by_id, warnings)
    children, related = _associations(_objects(package, "CFAssociations"), _text(document.get("identifier")), by_id, warnings)
    tree = _tree(children, None, by_id, codes, related, level_items, set())
    reached = {item["code"] for item in _walk(tree)}
    placed = {key for keys in children.values() for _, key in keys}
    circular = [codes[key] for key in placed if codes[key] not in reached and key not in level_items]
    if circular:
        raise CaseError(f"CFItems {', '.join(sorted(circular))} verwijzen met 'isChildOf' in een kring naar elkaar")
    orphans = [key for key in by_id if key not in placed and key not in level_items]
    if orphans:
        warnings.append(f"{len(orphans)} CFItem(s) zonder 'isChildOf' staan bovenaan in de boom")
        tree += [_item(by_id[key], codes, related, children, by_id, level_items, set()) for key in orphans]
    if not tree:
        raise CaseError("het CASE-pakket heeft geen CFItems (competenties) onder zijn CFDocument")
    found_extension = document.get("extensions")
    extension: dict = found_extension if isinstance(found_extension, dict) else {}
    return {
        "id": _text(extension.get(f"{EXTENSION}Id")) or slug(_text(document["title"])) or "case",
        "title": _text(document["title"]),
        "source": _source(document, name),
        "levels": _levels(package, [by_id[key] for key in by_id if key in level_items]),
        "competences": tree,
    }


def _codes(by_id: dict[str, dict], warnings: list[str]) -> dict[str, str]:
    codes = {key: _text(item.get("humanCodingScheme")) or key for key, item in by_id.items()}
    seen: dict[str, str] = {}
    for key, code in codes.items():
        if code in seen:  # two items with one humanCodingScheme: the second keeps its identifier
            warnings.append(f"humanCodingScheme '{code}' komt meer dan eens voor; het tweede item krijgt zijn identifier als code")
            codes[key] = key
        seen.setdefault(code, key)
    return codes


def _objects(package: dict, key: str) -> list[dict]:
    found = package.get(key) or []
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise CaseError(f"'{key}' moet een lijst van objecten zijn")
    return found


def _walk(items: list[dict]):
    for item in items:
        yield item
        yield from _walk(item.get("competences", []))


def _associations(associations: list[dict], document_id: str, by_id: dict, warnings: list[str]) -> tuple[dict, dict]:
    """Children per parent (None: the document), in sequence order, and related codes per item.
    CASE allows an item under two parents; our tree has one, so the first `isChildOf` wins."""
    children: dict[str | None, list[tuple[int, str]]] = {}
    related: dict[str, list[str]] = {}
    parent_of: dict[str, str | None] = {}
    for number, association in enumerate(associations):
        kind = _text(association.get("associationType"))
        origin = _node(association.get("originNodeURI"))
        target = _node(association.get("destinationNodeURI"))
        if kind == "isChildOf" and origin in by_id:
            parent = None if target == document_id or target not in by_id else target
            if origin in parent_of:
                warnings.append(f"CFItem '{origin}' staat onder meer dan één ouder; alleen de eerste ('isChildOf') telt")
                continue
            parent_of[origin] = parent
            order = association.get("sequenceNumber")
            position = order if isinstance(order, int) and not isinstance(order, bool) else 10**6 + number
            children.setdefault(parent, []).append((position, origin))
        elif kind == "isRelatedTo" and origin in by_id:
            title = association.get("destinationNodeURI", {}).get("title") if isinstance(association.get("destinationNodeURI"), dict) else None
            related.setdefault(origin, []).append(target if target in by_id else _text(title) or target)
    for found in children.values():
        found.sort()
    return children, related


def _tree(children: dict, parent: str | None, by_id: dict, codes: dict, related: dict, levels: set, path: set) -> list[dict]:
    return [_item(by_id[key], codes, related, children, by_id, levels, path)
            for _, key in children.get(parent, []) if key not in path and key not in levels]


def _item(item: dict, codes: dict, related: dict, children: dict, by_id: dict, levels: set, path: set) -> dict:
    key = _text(item.get("identifier"))
    found: dict[str, object] = {"code": codes[key], "title": _text(item.get("fullStatement")) or codes[key]}
    if _text(item.get("notes")):
        found["description"] = _text(item.get("notes"))
    links = [codes.get(target, target) for target in related.get(key, [])]
    if links:
        found["related"] = links
    below = _tree(children, key, by_id, codes, related, levels, path | {key})  # a loop stops at its start
    if below:
        found["competences"] = below
    return found


def _levels(package: dict, level_items: list[dict]) -> list[dict]:
    for rubric in _objects(package, "CFRubrics"):
        for criterion in _objects(rubric, "CFRubricCriteria"):
            found = _objects(criterion, "CFRubricCriterionLevels")
            if found:
                return _rubric_levels(sorted(found, key=_position))
    if level_items:
        return _unique_levels([{"id": _text(i.get("humanCodingScheme")) or slug(_text(i.get("fullStatement"))),
                                "label": _text(i.get("fullStatement"))} for i in level_items])
    return [dict(level) for level in DEFAULT_LEVELS]


def _position(level: dict) -> int:
    found = level.get("position")
    return found if isinstance(found, int) and not isinstance(found, bool) else 10**6


def _rubric_levels(found: list[dict]) -> list[dict]:
    levels = []
    for number, level in enumerate(found, start=1):
        found_extensions = level.get("extensions")
        extensions: list = found_extensions if isinstance(found_extensions, list) else []
        ours = next((e for e in extensions if isinstance(e, dict) and f"{EXTENSION}LevelId" in e), {})
        label = _text(level.get("quality")) or _text(level.get("description")) or f"niveau {number}"
        entry: dict[str, object] = {"id": _text(ours.get(f"{EXTENSION}LevelId")) or slug(label) or str(number), "label": label}
        if ours.get(f"{EXTENSION}Proficient") is True:
            entry["proficient"] = True
        levels.append(entry)
    return _unique_levels(levels)


def _unique_levels(levels: list[dict]) -> list[dict]:
    used: set[str] = set()
    for number, level in enumerate(levels, start=1):
        while level["id"] in used or not level["id"]:
            level["id"] = f"{level['id'] or 'niveau'}-{number}"
        used.add(level["id"])
    return levels


def _source(document: dict, name: str) -> str:
    parts = [f"Geïmporteerd uit een 1EdTech CASE-pakket: {name}"]
    for key, label in (("creator", "Uitgever"), ("publisher", "Publicatie"), ("version", "Versie"),
                       ("officialSourceURL", "Officiële bron"), ("adoptionStatus", "Status")):
        if _text(document.get(key)):
            parts.append(f"{label}: {_text(document.get(key))}")
    if _text(document.get("description")):
        parts.append(_text(document.get("description")))
    return "\n\n".join(parts)


def _node(link: object) -> str:
    return _text(link.get("identifier")) if isinstance(link, dict) else ""


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


# ---- writing -------------------------------------------------------------------------------

def stable_id(framework_id: str, *parts: str) -> str:
    """uuid5 of the framework id and a code (or a role): the same in every export."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((framework_id, *parts))))


def to_case(framework: Framework, now: dt.datetime | None = None) -> dict:
    """A CASE 1.1 CFPackage of `framework` (the object the published schema describes)."""
    stamp = (now or dt.datetime.now(dt.timezone.utc)).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    doc_id = stable_id(framework.id)
    document = {
        "identifier": doc_id, "uri": _uri(doc_id), "caseVersion": "1.1",
        "creator": _first_sentence(framework.source), "title": framework.title, "lastChangeDateTime": stamp,
        "description": framework.source, "language": "nl", "extensions": {f"{EXTENSION}Id": framework.id},
    }
    items: list[dict] = []
    associations: list[dict] = []
    doc_link = {"title": framework.title, "identifier": doc_id, "uri": _uri(doc_id)}
    _export(framework, framework.competences, doc_link, items, associations, stamp)
    return {
        "CFDocument": document, "CFItems": items, "CFAssociations": associations,
        "CFRubrics": [_rubric(framework, doc_id, stamp)],
    }


def _export(framework: Framework, competences: list[Competence], parent: dict, items: list, associations: list, stamp: str) -> None:
    for number, competence in enumerate(competences, start=1):
        item_id = stable_id(framework.id, competence.code)
        item = {"identifier": item_id, "uri": _uri(item_id), "humanCodingScheme": competence.code,
                "fullStatement": competence.title, "language": "nl", "lastChangeDateTime": stamp}
        if competence.description:
            item["notes"] = competence.description
        items.append(item)
        link = {"title": competence.title, "identifier": item_id, "uri": _uri(item_id)}
        associations.append(_association(framework, "isChildOf", link, parent, number, stamp))
        for related in competence.related:
            target = framework.get(related)
            target_id = stable_id(framework.id, related) if target else related
            destination = {"title": target.title if target else related, "identifier": target_id,
                           "uri": _uri(target_id) if target else f"urn:x-trialoog-code:{quote(related, safe='')}"}
            associations.append(_association(framework, "isRelatedTo", link, destination, None, stamp))
        _export(framework, competence.competences, link, items, associations, stamp)


def _association(framework: Framework, kind: str, origin: dict, destination: dict, number: int | None, stamp: str) -> dict:
    association_id = stable_id(framework.id, kind, origin["identifier"], destination["identifier"])
    found: dict[str, object] = {"identifier": association_id, "associationType": kind, "uri": _uri(association_id),
                                "originNodeURI": origin, "destinationNodeURI": destination, "lastChangeDateTime": stamp}
    if number is not None:
        found["sequenceNumber"] = number
    return found


def _rubric(framework: Framework, doc_id: str, stamp: str) -> dict:
    rubric_id, criterion_id = stable_id(framework.id, "rubric"), stable_id(framework.id, "rubric", "criterion")
    levels = []
    for position, level in enumerate(framework.levels, start=1):
        level_id = stable_id(framework.id, "level", level.id)
        levels.append({"identifier": level_id, "uri": _uri(level_id), "quality": level.label, "position": position,
                       "rubricCriterionId": criterion_id, "lastChangeDateTime": stamp,
                       "extensions": [{f"{EXTENSION}LevelId": level.id, f"{EXTENSION}Proficient": level.proficient}]})
    criterion = {"identifier": criterion_id, "uri": _uri(criterion_id), "category": "Schaal", "position": 1,
                 "rubricId": rubric_id, "lastChangeDateTime": stamp, "CFRubricCriterionLevels": levels}
    return {"identifier": rubric_id, "uri": _uri(rubric_id), "title": f"Schaal van {framework.title}",
            "lastChangeDateTime": stamp, "CFRubricCriteria": [criterion]}


def _uri(identifier: str) -> str:
    """A URI that names the object without a host: Trialoog publishes no CASE server."""
    return f"urn:uuid:{identifier}"


def _first_sentence(text: str) -> str:
    """The creator: the first sentence of the source's first paragraph (the decree or the file)."""
    flat = " ".join(text.strip().split("\n\n")[0].split())
    end = flat.find(". ")
    return (flat if end < 0 else flat[: end + 1])[:255]


def case_json(framework: Framework, now: dt.datetime | None = None) -> str:
    return json.dumps(to_case(framework, now), ensure_ascii=False, indent=2) + "\n"

