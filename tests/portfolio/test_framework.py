"""The framework model, the built-in basiscompetenties, loading errors and the text tree."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from trialoog.portfolio.framework import (
    BUILTIN,
    Competence,
    Framework,
    FrameworkError,
    Level,
    load_framework,
    render_tree,
)

FG = [f"FG{n}" for n in range(1, 11)]
BH = [f"BH{n}" for n in range(1, 9)]

SMALL = """\
id: klein
title: Klein raamwerk
source: test
levels:
  - {id: "-", label: onvoldoende}
  - {id: "+", label: voldoende}
competences:
  - code: A
    title: Eerste
    competences:
      - code: A.1
        title: Eerste deel
        competences:
          - {code: A.1.a, title: Diep}
      - {code: A.2, title: Tweede deel}
  - code: B
    title: Tweede
"""


@pytest.fixture(scope="module")
def builtin() -> Framework:
    return load_framework("basiscompetenties", Path("/nonexistent"))


def write(tmp_path: Path, text: str, name: str = "kader.yml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the built-in framework ------------------------------------------------------------


def test_builtin_top_level_is_fg1_to_fg10_then_bh1_to_bh8(builtin):
    assert [group.code for group in builtin.groups()] == FG + BH


def test_builtin_only_fg1_has_items(builtin):
    assert [c.code for c in builtin.get("FG1").competences] == ["FG1.1", "FG1.2", "FG1.3"]
    assert all(not builtin.get(code).competences for code in FG[1:] + BH)
    assert len(builtin.codes()) == 10 + 3 + 8


def test_builtin_verified_texts(builtin):
    assert builtin.get("FG1").title == "De leraar als begeleider van leer- en ontwikkelingsprocessen"
    assert builtin.get("FG1.2").title == "De leerkracht kan doelstellingen kiezen en formuleren"
    assert [builtin.get(code).title for code in BH[:3]] == [
        "Beslissingsvermogen",
        "Relationele gerichtheid",
        "Kritische ingesteldheid",
    ]


def test_builtin_source_cites_both_decrees_and_labels_the_short_form(builtin):
    assert "5 oktober 2007" in builtin.source and "8 juni 2018" in builtin.source
    assert "FG2-FG10" in builtin.source and "BH1-BH8" in builtin.source
    assert "gangbare korte vorm" in builtin.source and "Opgeheven" in builtin.source


def test_builtin_scale(builtin):
    assert builtin.level_ids() == ["--", "-", "+-", "+", "++"]
    assert builtin.level_label("--") == "ruim onvoldoende"
    assert builtin.level_label("+-") == "nipt voldoende"


def test_builtin_path_is_shipped():
    assert BUILTIN["basiscompetenties"].is_file()


# --- look-ups --------------------------------------------------------------------------


def test_codes_are_depth_first(tmp_path):
    fw = load_framework("kader.yml", write(tmp_path, SMALL).parent)
    assert fw.codes() == ["A", "A.1", "A.1.a", "A.2", "B"]


def test_group_of_and_descendants(builtin, tmp_path):
    assert builtin.group_of("FG1.2") == "FG1"
    assert builtin.group_of("BH3") == "BH3"
    assert builtin.descendants("FG1") == ["FG1", "FG1.1", "FG1.2", "FG1.3"]
    assert builtin.descendants("FG1.1") == ["FG1.1"]
    fw = load_framework("kader.yml", write(tmp_path, SMALL).parent)
    assert fw.group_of("A.1.a") == "A"
    assert fw.descendants("A.1") == ["A.1", "A.1.a"]


def test_unknown_codes(builtin):
    assert builtin.get("FG11") is None
    with pytest.raises(KeyError):
        builtin.group_of("FG11")
    with pytest.raises(KeyError):
        builtin.descendants("FG11")
    with pytest.raises(KeyError):
        builtin.level_label("+++")


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("FG11", "FG1"),
        ("fg3", "FG3"),
        ("Fg10", "FG10"),
        ("FG 1", "FG1"),
        ("fg1,2", "FG1.2"),
        ("BH9", "BH8"),
        ("FG1.4", "FG1.3"),
        ("FG1", "FG1"),
        ("reflectie", None),
    ],
)
def test_suggest(builtin, typed, expected):
    assert builtin.suggest(typed) == expected


# --- the model -------------------------------------------------------------------------


def test_models_forbid_unknown_keys():
    with pytest.raises(ValidationError):
        Level(id="+", label="goed", kleur="groen")
    with pytest.raises(ValidationError):
        Competence(code="A", title="a", titel="a")


def test_duplicate_codes_are_rejected():
    data = {
        "id": "x",
        "title": "x",
        "source": "x",
        "levels": [{"id": "+", "label": "goed"}],
        "competences": [{"code": "A", "title": "a", "competences": [{"code": "A", "title": "b"}]}],
    }
    with pytest.raises(ValidationError, match="dubbele competentiecode: 'A'"):
        Framework.model_validate(data)


# --- loading errors --------------------------------------------------------------------


def test_relative_path_is_resolved_from_base_dir(tmp_path):
    (tmp_path / "kaders").mkdir()
    write(tmp_path / "kaders", SMALL, "eigen.yml")
    assert load_framework("kaders/eigen.yml", tmp_path).id == "klein"


def test_missing_file(tmp_path):
    with pytest.raises(FrameworkError, match="raamwerk 'bestaat-niet.yml' niet gevonden") as info:
        load_framework("bestaat-niet.yml", tmp_path)
    assert "basiscompetenties" in str(info.value)  # names the built-in choices


def test_bad_yaml_names_the_line(tmp_path):
    write(tmp_path, "id: x\ntitle: [oeps\nsource: y\n")
    with pytest.raises(FrameworkError, match="ongeldige YAML op regel") as info:
        load_framework("kader.yml", tmp_path)
    assert info.value.line is not None


def test_schema_error_names_the_field(tmp_path):
    write(tmp_path, SMALL.replace("title: Tweede deel", "titel: Tweede deel"))
    with pytest.raises(FrameworkError) as info:
        load_framework("kader.yml", tmp_path)
    message = str(info.value)
    assert "competences[0].competences[1].titel: onbekend veld" in message
    assert "bedoel je 'title'?" in message
    assert "competences[0].competences[1].title: verplicht veld ontbreekt" in message


def test_number_where_text_is_expected(tmp_path):
    write(tmp_path, SMALL.replace("code: B", "code: 7"))
    with pytest.raises(FrameworkError, match=r"competences\[1\]\.code: moet tekst zijn"):
        load_framework("kader.yml", tmp_path)


def test_duplicate_code_in_file(tmp_path):
    write(tmp_path, SMALL.replace("code: B", "code: A.2"))
    with pytest.raises(FrameworkError, match="dubbele competentiecode: 'A.2'"):
        load_framework("kader.yml", tmp_path)


@pytest.mark.parametrize("text", ["", "- een lijst\n", "gewoon tekst\n"])
def test_not_a_mapping(tmp_path, text):
    write(tmp_path, text)
    with pytest.raises(FrameworkError, match="een raamwerk is een mapping"):
        load_framework("kader.yml", tmp_path)


def test_not_utf8(tmp_path):
    (tmp_path / "kader.yml").write_bytes(SMALL.replace("Eerste", "Eerste \xe9").encode("latin-1"))
    with pytest.raises(FrameworkError, match="geen geldige UTF-8"):
        load_framework("kader.yml", tmp_path)


# --- text tree -------------------------------------------------------------------------


def test_render_tree(builtin):
    text = render_tree(builtin)
    lines = text.splitlines()
    assert lines[0] == "Basiscompetenties van de leraar (Vlaanderen, besluit van 2007) (basiscompetenties-2007)"
    assert any(line.startswith("FG1 ") and "begeleider" in line for line in lines)
    assert any(line.startswith("  FG1.1 ") for line in lines)
    assert any(line.startswith("BH8 ") and line.endswith("Flexibiliteit") for line in lines)
    assert lines[-1] == (
        "Schaal: -- (ruim onvoldoende), - (onvoldoende), +- (nipt voldoende), + (goed), ++ (zeer goed)"
    )


def test_render_tree_nests_deeper_levels(tmp_path):
    fw = load_framework("kader.yml", write(tmp_path, SMALL).parent)
    lines = render_tree(fw).splitlines()
    assert "    A.1.a  Diep" in lines
