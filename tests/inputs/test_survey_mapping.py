"""Reading the mapping file: each mistake is an error that names the file, the line and the key;
and where the mapping is found (beside the survey file, in its folder, or $PLATFORMGOV_MAPPING)."""

from __future__ import annotations

import pytest

from platformgov import paths
from platformgov.inputs.survey import mapping as m

GOOD = """\
[survey]
file = "wide.csv"
missing = [99]

[organisations]
lg_code = "ID"
respondent_unit = { column = "UNIT", codes = { 1 = "planning", 2 = "other" } }

[platforms]
blocks = 2
lg_code = "ID"
platform_name = "P{n}_NAME"
platform_type = { column = "P{n}_TYPE", labels = { "정보제공형" = "G2C", "정책제안형" = "C2G" } }
domain = "P{n}_DOMAIN"
status = "P{n}_STATUS"

[performance]
blocks = [1, 2]
lg_code = "ID"
platform_type = { by_block = { 1 = "G2C", 2 = "C2G" } }
dem_1 = { column = "R{n}_1", missing = [9] }
"""


def write(tmp_path, text: str, name: str = "mapping.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_mapping_is_read(tmp_path):
    mapping = m.read_mapping(write(tmp_path, GOOD))
    assert mapping.file == "wide.csv" and mapping.missing == frozenset({"99"})
    platforms = mapping.tables["platforms"]
    assert platforms.blocks == ("1", "2")
    assert platforms.columns["platform_type"].name("2") == "P2_TYPE"
    assert platforms.columns["platform_type"].labels == {"정보제공형": "G2C", "정책제안형": "C2G"}
    assert mapping.tables["organisations"].columns["respondent_unit"].codes == {
        "1": "planning",
        "2": "other",
    }
    assert mapping.tables["performance"].columns["platform_type"].by_block == {
        "1": "G2C",
        "2": "C2G",
    }
    assert mapping.tables["performance"].columns["dem_1"].missing == frozenset({"9"})


def test_key_lines_find_headers_dotted_and_quoted_keys():
    text = '[a]\nx = 1\n[a.b]  # c\n"q r" = 2\ny.z = { w = 1 }\n'
    lines = m.key_lines(text)
    assert lines[("a",)] == 1 and lines[("a", "x")] == 2 and lines[("a", "b")] == 3
    assert lines[("a", "b", "q r")] == 4 and lines[("a", "b", "y", "z")] == 5


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('platform_name = "P{n}_NAME"', 'plaform_name = "P{n}_NAME"', "plaform_name = ",
         "'plaform_name' is not a variable of platforms in the codebook"),
        ('domain = "P{n}_DOMAIN"', 'domain = "P{x}_DOMAIN"', 'domain = "P{x}',
         "the only placeholder is {n}, the block's number"),
        ('respondent_unit = { column = "UNIT"', 'respondent_unit = { column = "U{n}"',
         "respondent_unit = ", "repeats by {n}, but [organisations] has no blocks"),
        ("by_block = { 1 = \"G2C\", 2 = \"C2G\" }", "by_block = { 1 = \"G2C\" }", "platform_type = { by",
         "by_block gives no value for block 2"),
        ('{ column = "R{n}_1", missing = [9] }', '{ column = "R{n}_1", missing = 9 }', "dem_1 = ",
         "missing must be a list of codes"),
        ('codes = { 1 = "planning", 2 = "other" }', 'codes = { 1 = "planning" }, labels = { a = "b" }',
         "respondent_unit = ", "give codes or labels, not both"),
        ("blocks = 2", "blocks = 0", "blocks = 0", "blocks must be at least 1"),
        ('lg_code = "ID"\nrespondent_unit', "respondent_unit", "[organisations]",
         "no column is mapped to lg_code, which the codebook requires"),
        ("[performance]", "[performances]", "[performances]", "unknown section [performances]"),
    ],
)  # fmt: skip
def test_each_mistake_names_the_line_and_the_key(tmp_path, old, new, key, problem):
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith(key))
    with pytest.raises(m.MappingError) as caught:
        m.read_mapping(write(tmp_path, text))
    message = str(caught.value)
    assert message.startswith(f"mapping.toml line {line} "), message
    assert problem in message


def test_invalid_toml_names_the_file_and_the_position(tmp_path):
    with pytest.raises(m.MappingError, match=r"mapping.toml: not valid TOML: .*line 5"):
        m.read_mapping(write(tmp_path, GOOD.replace("missing = [99]", "missing = [99")))


def test_where_the_mapping_is_found(tmp_path, monkeypatch):
    monkeypatch.delenv(paths.MAPPING_ENV, raising=False)
    write(tmp_path, GOOD)
    (tmp_path / "wide.csv").write_text("ID\n", encoding="utf-8")
    assert m.find(tmp_path) == (tmp_path / "mapping.toml", tmp_path / "wide.csv")
    assert m.find(tmp_path / "wide.csv") == (tmp_path / "mapping.toml", tmp_path / "wide.csv")
    other = tmp_path / "platforms.csv"
    other.write_text("platform_id\n", encoding="utf-8")
    assert m.find(other) is None  # a long table beside a mapping that is not about it
    elsewhere = tmp_path / "else"
    elsewhere.mkdir()
    assert m.find(elsewhere) is None
    sav = elsewhere / "survey.sav"
    sav.write_bytes(b"")
    with pytest.raises(m.MappingError, match=r"survey\.sav needs a mapping .* PLATFORMGOV_MAPPING"):
        m.find(sav)
    monkeypatch.setenv(paths.MAPPING_ENV, str(tmp_path / "mapping.toml"))
    assert m.find(sav) == (tmp_path / "mapping.toml", sav)
    assert m.find(elsewhere) == (tmp_path / "mapping.toml", elsewhere / "wide.csv")


def test_number_text_writes_whole_numbers_without_decimals():
    assert [m.number_text(v) for v in (9.0, 9, "09", " 7 ", "1.5", float("nan"), "a")] == [
        "9",
        "9",
        "9",
        "7",
        "1.5",
        "",
        "a",
    ]
