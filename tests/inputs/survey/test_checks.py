"""Checking cells: control characters are errors, and every repair of a number is reported."""

from __future__ import annotations

import pytest

from platformgov.inputs.survey import load_survey, validate


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_in_a_text_field_is_an_error(
    cli, survey_dir, survey_tables, write_survey, char
):
    survey_tables["platforms"][1]["platform_name"] = f"민주주의{char} 서울"
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    report = validate(survey_dir)
    (error,) = [e for e in report.errors if e.rule == "control-character"]
    assert (error.file, error.row, error.column) == ("platforms.csv", 3, "platform_name")
    assert f"U+{ord(char):04X} (character 5)" in error.message
    assert "platforms.csv row 3, column 'platform_name', value " in out
    assert "P00002" not in set(load_survey(survey_dir).platforms["platform_id"])


def test_a_tab_in_a_text_field_is_replaced_and_reported(survey_dir, survey_tables, write_survey):
    survey_tables["platforms"][1]["platform_name"] = "민주주의\t서울"
    write_survey(survey_dir, survey_tables)
    survey = load_survey(survey_dir, strict=True)
    assert "민주주의 서울" in set(survey.platforms["platform_name"])
    (change,) = survey.report.normalisations
    assert (change.row, change.column, change.reason) == (
        3,
        "platform_name",
        "line break or tab replaced by a space",
    )


@pytest.mark.parametrize(
    ("table", "index", "column", "text", "number"),
    [
        ("organisations", 0, "it_staff", "025", 25),
        ("performance", 2, "dem_1", "03", 3),
        ("platforms", 0, "year_launched", "+2012", 2012),
    ],
)
def test_a_number_written_with_leading_zeros_or_a_sign_is_reported(
    survey_dir, survey_tables, write_survey, table, index, column, text, number
):
    survey_tables[table][index][column] = text
    write_survey(survey_dir, survey_tables)
    survey = load_survey(survey_dir, strict=True)
    assert survey.table(table)[column].iloc[index] == number
    (change,) = survey.report.normalisations
    assert (change.file, change.row, change.column, change.old, change.new) == (
        f"{table}.csv",
        index + 2,
        column,
        text,
        str(number),
    )
    assert change.reason == "leading zeros or plus sign removed"


def test_a_repeated_value_is_reported_on_every_row(survey_dir, survey_tables, write_survey):
    # Coded values are converted once; a repair must still be listed for each row.
    for row in survey_tables["performance"]:
        row["dem_1"] = "04"
    write_survey(survey_dir, survey_tables)
    report = validate(survey_dir)
    rows = [n.row for n in report.normalisations if n.column == "dem_1"]
    assert rows == list(range(2, 2 + len(survey_tables["performance"])))
