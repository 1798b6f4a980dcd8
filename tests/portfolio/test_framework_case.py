"""1EdTech CASE packages: import (1.0 and 1.1), export valid against the published schema, stable ids, round trip."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from trialoog.portfolio.framework import Framework, load_framework
from trialoog.portfolio.framework_case import stable_id, to_case
from trialoog.portfolio.framework_import import FrameworkImportError, import_framework

CASE = Path(__file__).resolve().parents[1] / "fixtures" / "case"
SCHEMA = json.loads((CASE / "case-v1p1-cfpackage-schema.json").read_text(encoding="utf-8"))
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def tree(items: list[dict]) -> list:
    return [(item["code"], tree(item.get("competences", []))) for item in items]


def schema_errors(package: dict) -> list[str]:
    validator = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(package)]


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework("basiscompetenties-2007", Path("/nonexistent"))


def test_import_builds_the_tree_from_is_child_of_in_sequence_order():
    warnings: list[str] = []
    data = import_framework(CASE / "kader-case-1.0.json", warnings=warnings)
    assert data["title"] == "Stagekader lerarenopleiding" and data["id"] == "stagekader-lerarenopleiding"
    # humanCodingScheme as code, else the identifier; K1.1 before K1.2 by sequenceNumber, not file order
    assert tree(data["competences"]) == [("K1", [("K1.1", []), ("K1.2", [])]), ("c0ffee00-0000-4000-8000-000000000020", [])]
    k1 = data["competences"][0]
    assert k1["title"] == "De leraar als begeleider van leerprocessen" and k1["description"] == "Het eerste cluster."
    assert k1["competences"][1]["related"] == ["K1.1"]  # isRelatedTo
    assert [level["label"] for level in data["levels"]] == ["Nog niet bereikt", "Bereikt", "Ruim bereikt"]  # by position
    assert "Uitgever: Hogeschool Voorbeeld" in data["source"] and "https://case.example/kader" in data["source"]
    assert warnings == []


def test_a_package_without_a_document_title_is_refused(tmp_path):
    path = tmp_path / "leeg.json"
    path.write_text('{"CFPackage": {"CFDocument": {"identifier": "x"}, "CFItems": []}}', encoding="utf-8")
    with pytest.raises(FrameworkImportError, match="geen CFDocument met een 'title'"):
        import_framework(path)


def test_export_of_the_builtin_validates_against_the_published_schema(builtin):
    package = to_case(builtin, NOW)
    assert schema_errors(package) == []
    assert len(package["CFItems"]) == len(builtin.codes())
    child_of = [a for a in package["CFAssociations"] if a["associationType"] == "isChildOf"]
    assert len(child_of) == len(builtin.codes())


def test_the_schema_is_really_checked():
    """The validator refuses what the schema forbids (no vacuous pass)."""
    broken = {"CFDocument": {"identifier": "not-a-uuid", "uri": "urn:x", "title": "T", "lastChangeDateTime": "2026-01-01T00:00:00Z"}}
    errors = schema_errors(broken)
    assert any("creator" in error for error in errors) and any("does not match" in error for error in errors)


def test_identifiers_are_stable_across_exports(builtin):
    first, second = to_case(builtin, NOW), to_case(builtin, NOW + dt.timedelta(days=30))
    assert [i["identifier"] for i in first["CFItems"]] == [i["identifier"] for i in second["CFItems"]]
    assert first["CFDocument"]["identifier"] == second["CFDocument"]["identifier"] == stable_id("basiscompetenties-2007")
    assert first["CFItems"][0]["identifier"] == stable_id("basiscompetenties-2007", "FG1")


def test_round_trip_keeps_codes_titles_tree_and_scale(builtin, tmp_path):
    path = tmp_path / "kader.json"
    path.write_text(json.dumps(to_case(builtin, NOW), ensure_ascii=False), encoding="utf-8")
    back = Framework.model_validate(import_framework(path))
    assert back.id == builtin.id and back.title == builtin.title
    assert back.codes() == builtin.codes()
    assert [(c.code, c.title, c.description) for c in back.competences] == [(c.code, c.title, c.description) for c in builtin.competences]
    assert back.descendants("FG1") == builtin.descendants("FG1")
    assert [(lv.id, lv.label, lv.proficient) for lv in back.levels] == [(lv.id, lv.label, lv.proficient) for lv in builtin.levels]


def test_round_trip_keeps_related_and_proficient(tmp_path):
    framework = Framework.model_validate({
        "id": "eigen", "title": "Eigen", "source": "Test.", "levels": [{"id": "n", "label": "nee"}, {"id": "j", "label": "ja", "proficient": True}],
        "competences": [{"code": "Tā", "title": "Een", "related": ["Tō", "ELDERS-1"]}, {"code": "Tō", "title": "Twee"}],
    })
    package = to_case(framework, NOW)
    assert schema_errors(package) == []
    path = tmp_path / "eigen.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    back = Framework.model_validate(import_framework(path))
    assert back.get("Tā").related == ["Tō", "ELDERS-1"]
    assert back.proficient_level().id == "j"


def _package(tmp_path, items, associations, rubrics=()):
    path = tmp_path / "pakket.json"
    path.write_text(json.dumps({"CFDocument": {"identifier": "d", "title": "T"}, "CFItems": items,
                                "CFAssociations": associations, "CFRubrics": list(rubrics)}), encoding="utf-8")
    return path


def _child(child, parent):
    return {"associationType": "isChildOf", "originNodeURI": {"identifier": child}, "destinationNodeURI": {"identifier": parent}}


def test_a_loop_of_is_child_of_is_an_error(tmp_path):
    items = [{"identifier": "x", "fullStatement": "X"}, {"identifier": "y", "fullStatement": "Y"}]
    with pytest.raises(FrameworkImportError, match="CFItems x, y verwijzen met 'isChildOf' in een kring"):
        import_framework(_package(tmp_path, items, [_child("x", "y"), _child("y", "x")]))


def test_an_item_under_two_parents_keeps_the_first_with_a_warning(tmp_path):
    items = [{"identifier": i, "fullStatement": i.upper(), "humanCodingScheme": i.upper()} for i in ("a", "b", "c")]
    warnings: list[str] = []
    data = import_framework(_package(tmp_path, items, [_child("a", "d"), _child("b", "d"), _child("c", "a"), _child("c", "b")]), warnings=warnings)
    assert [(i["code"], [c["code"] for c in i.get("competences", [])]) for i in data["competences"]] == [("A", ["C"]), ("B", [])]
    assert warnings == ["CFItem 'c' staat onder meer dan één ouder; alleen de eerste ('isChildOf') telt"]


@pytest.mark.parametrize("broken", [{"CFItems": {"a": 1}}, {"CFAssociations": "nee"}, {"CFRubrics": [{"CFRubricCriteria": 3}]}])
def test_wrong_shapes_are_dutch_errors(tmp_path, broken):
    package = {"CFDocument": {"identifier": "d", "title": "T"}, "CFItems": [{"identifier": "x", "fullStatement": "X"}]} | broken
    path = tmp_path / "pakket.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    with pytest.raises(FrameworkImportError, match="moet een lijst van objecten zijn"):
        import_framework(path)


def test_levels_with_odd_positions_still_import(tmp_path):
    rubric = {"CFRubricCriteria": [{"CFRubricCriterionLevels": [{"quality": "Laat", "position": "x"}, {"quality": "Vroeg", "position": 1}]}]}
    data = import_framework(_package(tmp_path, [{"identifier": "x", "fullStatement": "X"}], [_child("x", "d")], [rubric]))
    assert [level["label"] for level in data["levels"]] == ["Vroeg", "Laat"]
