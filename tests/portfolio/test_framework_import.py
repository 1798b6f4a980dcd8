"""Importing Mahara SmartEvidence and Moodle competency frameworks, and writing them out."""

import json
from pathlib import Path

import markdown
import pytest

from trialoog.portfolio.framework import Framework, load_framework
from trialoog.portfolio.framework_import import (
    FrameworkImportError,
    html_to_text,
    import_framework,
    write_framework,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "interop"
MAHARA_STATES = ["begun", "incomplete", "partialcomplete", "completed"]

MOODLE_HEADER = (
    '"Parent id number","Id number",Shortname,Description,"Description format","Scale values",'
    '"Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)",'
    '"Cross referenced competency id numbers","Exported id (optional)","Is framework",Taxonomy\n'
)


def tree(items: list[dict]) -> list:
    """Codes only, nested: [("A", [("A.1", [])]), ...]."""
    return [(item["code"], tree(item.get("competences", []))) for item in items]


def moodle(tmp_path: Path, rows: str, name: str = "kader.csv") -> Path:
    path = tmp_path / name
    path.write_text(MOODLE_HEADER + rows, encoding="utf-8")
    return path


def matrix(tmp_path: Path, framework: dict, name: str = "kader.matrix") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"framework": framework}), encoding="utf-8")
    return path


# --- Mahara SmartEvidence --------------------------------------------------------------


def test_mahara_flat():
    data = import_framework(FIXTURES / "mahara-flat.matrix")
    assert data["id"] == "praktijkcompetenties-lager-onderwijs"
    assert data["title"] == "Praktijkcompetenties lager onderwijs"
    assert data["source"].startswith("Geïmporteerd uit Mahara SmartEvidence: mahara-flat.matrix")
    assert "Raamwerk voor de stage & het werkplekleren." in data["source"]
    assert [level["id"] for level in data["levels"]] == MAHARA_STATES
    assert data["levels"][3]["label"] == "Bereikt"
    assert tree(data["competences"]) == [
        ("PLAN", [("PLAN.1", [("PLAN.1.a", []), ("PLAN.1.b", [])]), ("PLAN.2", [])]),
        ("KLAS", [("KLAS.1", [])]),
    ]
    plan = data["competences"][0]
    assert plan["title"] == "Lessen voorbereiden"
    assert plan["description"] == "Van doel\nnaar werkvorm"
    assert plan["competences"][0]["competences"][1]["description"] == "Kijkwijzer gebruiken"
    assert "description" not in data["competences"][1]  # empty descriptions are left out


def test_mahara_nested_older_form():
    data = import_framework(FIXTURES / "mahara-nested.matrix")
    assert data["title"] == "Stagecompetenties (oud formaat)"
    assert tree(data["competences"]) == [
        ("S1", [("S1.1", []), ("S1.2", [("S1.2.1", [])]), ("S1.3", [])]),
        ("S2", []),
    ]
    # no evidencestatuses in the file: Mahara's four states, in order
    assert [level["id"] for level in data["levels"]] == MAHARA_STATES
    assert data["competences"][0]["competences"][1]["competences"][0]["title"] == "Doelen differentiëren"


def test_mahara_result_validates():
    for name in ("mahara-flat.matrix", "mahara-nested.matrix"):
        Framework.model_validate(import_framework(FIXTURES / name))


def test_mahara_bad_json_names_the_line():
    with pytest.raises(FrameworkImportError, match=r"ongeldige JSON op regel 4, kolom \d+"):
        import_framework(FIXTURES / "mahara-broken.matrix")


def test_mahara_without_framework_key(tmp_path):
    path = tmp_path / "x.matrix"
    path.write_text('{"name": "los"}', encoding="utf-8")
    with pytest.raises(FrameworkImportError, match="de sleutel 'framework' ontbreekt"):
        import_framework(path)


def test_mahara_unknown_parent_element(tmp_path):
    path = matrix(tmp_path, {
        "name": "Wees",
        "standards": [{"shortname": "S", "name": "Standaard", "standardid": 1}],
        "standardelements": [
            {"shortname": "S.1", "name": "een", "standardid": 1, "elementid": "1"},
            {"shortname": "S.2", "name": "twee", "standardid": 1, "elementid": "2", "parentelementid": "9"},
        ],
    })
    with pytest.raises(FrameworkImportError, match="element\\(en\\) 'S.2' verwijzen met 'parentelementid'"):
        import_framework(path)


def test_mahara_unknown_standard(tmp_path):
    path = matrix(tmp_path, {
        "name": "Wees",
        "standards": [{"shortname": "S", "name": "Standaard", "standardid": 1}],
        "standardelements": [{"shortname": "S.1", "name": "een", "standardid": 2, "elementid": "1"}],
    })
    with pytest.raises(FrameworkImportError, match="verwijst met 'standardid' naar '2'"):
        import_framework(path)


def test_mahara_missing_shortname(tmp_path):
    path = matrix(tmp_path, {"name": "X", "standards": [{"name": "zonder code"}]})
    with pytest.raises(FrameworkImportError, match="standaard nr. 1 in 'standards' heeft geen 'shortname'"):
        import_framework(path)


def test_mahara_duplicate_codes_fail_validation(tmp_path):
    path = matrix(tmp_path, {
        "name": "Dubbel",
        "standards": [
            {"shortname": "S", "name": "een", "standardelement": [{"shortname": "1.1", "name": "a"}]},
            {"shortname": "T", "name": "twee", "standardelement": [{"shortname": "1.1", "name": "b"}]},
        ],
    })
    with pytest.raises(FrameworkImportError, match="dubbele competentiecode: '1.1'"):
        import_framework(path)


# --- Moodle CSV ------------------------------------------------------------------------


def test_moodle_two_levels_and_quoted_commas():
    data = import_framework(FIXTURES / "moodle.csv")
    assert data["id"] == "bk-2018"
    assert data["title"] == "Basiscompetenties, stage"
    assert data["source"].startswith("Geïmporteerd uit Moodle-competentieraamwerk (CSV): moodle.csv")
    assert data["levels"] == [
        {"id": "nog-niet-bereikt", "label": "Nog niet bereikt"},
        {"id": "bereikt", "label": "Bereikt", "proficient": True},  # Scale configuration: proficient 1
        {"id": "ruim-bereikt", "label": "Ruim bereikt"},
    ]
    assert tree(data["competences"]) == [
        ("FG1", [("FG1.1", []), ("FG1.2", [])]),
        ("FG2", [("FG2.1", [])]),
    ]
    fg1 = data["competences"][0]
    assert fg1["description"] == "Beginsituatie, doelen, inhouden en werkvormen"  # HTML stripped
    assert fg1["competences"][0]["description"] == "Van de leerlingen, en van de groep"  # plain kept
    assert fg1["competences"][1]["title"] == "Doelen kiezen, formuleren"
    assert fg1["competences"][1]["description"] == "Doelen over twee regels"


def test_moodle_missing_columns_are_named():
    with pytest.raises(FrameworkImportError, match="mist kolom\\(men\\) 'Scale values', 'Is framework'"):
        import_framework(FIXTURES / "moodle-missing-columns.csv")


def test_moodle_without_framework_row(tmp_path):
    path = moodle(tmp_path, ",A,Een,,1,,,,,,,,0,\n")
    with pytest.raises(FrameworkImportError, match="'Is framework' = 1 .*gevonden: geen"):
        import_framework(path)


def test_moodle_unknown_parent_names_the_line(tmp_path):
    path = moodle(tmp_path, ',K,Kader,,1,"a,b",,,,,,,1,\n,A,Een,,1,,,,,,,,,\nZ,A.1,Kind,,1,,,,,,,,,\n')
    with pytest.raises(FrameworkImportError, match="regel 4: 'Parent id number' 'Z' bestaat niet"):
        import_framework(path)


def test_moodle_duplicate_id_number(tmp_path):
    path = moodle(tmp_path, ',K,Kader,,1,"a,b",,,,,,,1,\n,A,Een,,1,,,,,,,,,\n,A,Nog een,,1,,,,,,,,,\n')
    with pytest.raises(FrameworkImportError, match="regel 4: 'Id number' 'A' staat ook al op regel 3"):
        import_framework(path)


def test_moodle_framework_without_scale(tmp_path):
    path = moodle(tmp_path, ",K,Kader,,1,,,,,,,,1,\n,A,Een,,1,,,,,,,,,\n")
    with pytest.raises(FrameworkImportError, match="geen 'Scale values'"):
        import_framework(path)


def test_moodle_semicolons_from_a_spreadsheet(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_text(
        MOODLE_HEADER.replace(",", ";") + ';K;Kader;;1;"-,+";;;;;;;1;\n;A;Een;;1;;;;;;;;;\n',
        encoding="utf-8",
    )
    data = import_framework(path)
    assert tree(data["competences"]) == [("A", [])]
    assert [level["id"] for level in data["levels"]] == ["-", "+"]


# --- dispatch and plain text -------------------------------------------------------------


def test_unknown_format(tmp_path):
    path = tmp_path / "notities.txt"
    path.write_text("Dit is geen raamwerk.\n", encoding="utf-8")
    with pytest.raises(FrameworkImportError, match="onbekend formaat"):
        import_framework(path)


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(FrameworkImportError, match="bestand niet gevonden"):
        import_framework(tmp_path / "weg.matrix")
    (tmp_path / "leeg.csv").write_text("  \n", encoding="utf-8")
    with pytest.raises(FrameworkImportError, match="het bestand is leeg"):
        import_framework(tmp_path / "leeg.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "oud.csv"
    path.write_bytes((MOODLE_HEADER + ",K,Caf\xe9,,1,a,,,,,,,1,\n").encode("latin-1"))
    with pytest.raises(FrameworkImportError, match="geen geldige UTF-8"):
        import_framework(path)


def test_html_to_text():
    assert html_to_text("<p>Een &amp; twee</p><p>drie<br/>vier</p>") == "Een & twee\n\ndrie\nvier"
    assert html_to_text("<ul><li>a</li><li>b</li></ul>") == "- a\n- b"
    assert html_to_text("<style>p {}</style>tekst  over\n  regels") == "tekst over regels"
    assert html_to_text(None) == ""


# --- writing ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["mahara-flat.matrix", "mahara-nested.matrix", "moodle.csv"])
def test_round_trip_through_yaml(tmp_path, name):
    data = import_framework(FIXTURES / name)
    write_framework(data, tmp_path / "kader.yml")
    loaded = load_framework("kader.yml", tmp_path)
    assert loaded == Framework.model_validate(data)


def test_round_trip_keeps_symbol_levels(tmp_path):
    path = moodle(tmp_path, ',K,Kader,,1,"--,-,+-,+,++",,,,,,,1,\n,A,Een,,1,,,,,,,,,\n')
    write_framework(import_framework(path), tmp_path / "kader.yml")
    assert load_framework("kader.yml", tmp_path).level_ids() == ["--", "-", "+-", "+", "++"]


def test_write_refuses_to_overwrite(tmp_path):
    out = tmp_path / "kader.yml"
    out.write_text("mijn eigen raamwerk\n", encoding="utf-8")
    with pytest.raises(FrameworkImportError, match="bestaat al"):
        write_framework(import_framework(FIXTURES / "moodle.csv"), out)
    assert out.read_text(encoding="utf-8") == "mijn eigen raamwerk\n"


# --- what real files contain (issue 14) ------------------------------------------------------


def _element(shortname, name, eid, standard="1", **extra):
    return {"shortname": shortname, "name": name, "description": "", "standardid": standard, "elementid": eid, **extra}


def _two_standards(elements):
    return {"name": "Kader", "standards": [
        {"shortname": "S1", "name": "Eerste", "description": "", "standardid": "1"},
        {"shortname": "S2", "name": "Tweede", "description": "", "standardid": "2"},
    ], "standardelements": elements}


def test_identical_mahara_duplicates_are_merged_with_a_warning(tmp_path):
    same = _element("4.4.3", "Reflecteren", "7")
    warnings: list[str] = []
    data = import_framework(matrix(tmp_path, _two_standards([same, dict(same)])), warnings=warnings)
    assert tree(data["competences"]) == [("S1", [("4.4.3", [])]), ("S2", [])]
    assert warnings == ["element '4.4.3' (elementid 7) staat er twee keer, gelijk: één keer overgenomen"]


def test_different_mahara_elements_with_one_elementid_are_refused(tmp_path):
    elements = [_element("A", "Een", "7"), _element("B", "Twee", "7")]
    with pytest.raises(FrameworkImportError, match="'elementid' '7' komt meer dan eens voor, met een andere inhoud"):
        import_framework(matrix(tmp_path, _two_standards(elements)))


def test_repeated_short_names_hint_at_elementid_and_import_with_it(tmp_path):
    path = matrix(tmp_path, _two_standards([_element("1.1", "Een", "11"), _element("1.1", "Ander", "21", standard="2")]))
    with pytest.raises(FrameworkImportError, match="--codes elementid"):
        import_framework(path)
    data = import_framework(path, codes="elementid")
    assert tree(data["competences"]) == [("S1", [("11", [])]), ("S2", [("21", [])])]


def test_a_broken_quote_in_csv_is_an_error_with_its_line(tmp_path):
    rows = (',KADER,Kader,,1,"Nee,Ja",,,,,,,1,\n'
            ',K1,"Een titel met een "fout" aanhalingsteken",,1,,,,,,,,,\n'
            ',K2,Twee,,1,,,,,,,,,\n')
    with pytest.raises(FrameworkImportError, match=r"ongeldige CSV op regel 3: na een sluitend aanhalingsteken"):
        import_framework(moodle(tmp_path, rows))


def test_an_unclosed_quote_in_csv_is_an_error_not_one_garbled_row(tmp_path):
    rows = ',KADER,Kader,,1,"Nee,Ja",,,,,,,1,\n,K1,"Een,,1,,,,,,,,,\n,K2,Twee,,1,,,,,,,,,\n'
    with pytest.raises(FrameworkImportError, match=r"ongeldige CSV op regel 3: een aanhalingsteken .* wordt nergens gesloten"):
        import_framework(moodle(tmp_path, rows))


@pytest.mark.parametrize(("text", "reason"), [
    ('{"framework": {"name": "x', "regel 1, kolom 24: tekst die hier begint, wordt nergens afgesloten"),
    ('{"framework": {"name": "x",}}', "regel 1, kolom 28: verwacht een sleutel tussen dubbele aanhalingstekens"),
    ('{"framework":\n  {"name" "x"}}', "regel 2, kolom 11: verwacht een `:` na de sleutel"),
])
def test_json_errors_are_dutch_with_line_and_column(tmp_path, text, reason):
    path = tmp_path / "kader.matrix"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkImportError) as info:
        import_framework(path)
    assert reason in str(info.value) and "Unterminated" not in str(info.value) and "Expecting" not in str(info.value)


def test_links_and_nested_lists_survive_as_markdown():
    html = ('<p>Bron: <a href="https://example.org/besluit">het besluit</a></p>'
            '<ul><li>een<ul><li>onder een</li></ul></li><li>twee</li></ul><ol><li>eerst</li><li>dan</li></ol>'
            '<p><a href="javascript:alert(1)">geen link</a></p>')
    text = html_to_text(html)
    assert text == ("Bron: [het besluit](https://example.org/besluit)\n\n- een\n    - onder een\n- twee\n\n"
                    "1. eerst\n2. dan\n\ngeen link")
    # and it is Markdown that the sites' renderer reads as a link and a nested list
    rendered = markdown.markdown(text)
    assert '<a href="https://example.org/besluit">het besluit</a>' in rendered
    assert "<li>een<ul>\n<li>onder een</li>\n</ul>" in rendered


def test_moodle_cross_references_are_kept(tmp_path):
    rows = (',KADER,Kader,,1,"Nee,Ja","[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1}]",,,,,,1,\n'
            ',K1,Een,,1,,,,,,"K2, EXT-9",,,\n,K2,Twee,,1,,,,,,,,,\n')
    data = import_framework(moodle(tmp_path, rows))
    assert data["competences"][0]["related"] == ["K2", "EXT-9"]
    assert data["levels"] == [{"id": "nee", "label": "Nee"}, {"id": "ja", "label": "Ja", "proficient": True}]
    framework = Framework.model_validate(data)
    assert framework.proficient_level().id == "ja"
