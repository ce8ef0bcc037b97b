"""Reading and validating survey files: a valid survey, then one malformed variant at a time.

Each variant checks the exit status of ``python -m platformgov validate``, that the message names
file, row, column, value and rule, and that rows read = rows accepted + rows rejected."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from platformgov import paths
from platformgov.inputs import codebook
from platformgov.inputs.survey import (
    RULES,
    SurveyError,
    ValidationReport,
    load_survey,
    validate,
)
from platformgov.vocabulary import TYPE_CODES


def where(file: str, row: int, column: str | None = None, value: str | None = None) -> str:
    """The start of an error line: file, row, column and value, as a reader sees them."""
    text = f"{file} row {row}"
    if column is not None:
        text += f", column '{column}'"
    if value is not None:
        text += f", value '{value}'"
    return text + ": "


def assert_line(out: str, start: str, rule: str, sentence: str = "") -> str:
    """One line of ``out`` starts (after indentation) with ``start`` then ``rule: sentence``."""
    expected = start + rule + ": " + sentence
    lines = [line.strip() for line in out.splitlines()]
    hits = [line for line in lines if line.startswith(expected)]
    assert hits, f"no line starting {expected!r} in:\n{out}"
    return hits[0]


def assert_balanced(report: ValidationReport) -> None:
    for f in report.files:
        assert f.rows_read == f.rows_accepted + f.rows_rejected, f
    assert report.rows_read == report.rows_accepted + report.rows_rejected


def counts(report: ValidationReport, file: str) -> tuple[int, int, int]:
    (f,) = [f for f in report.files if f.file == file]
    return f.rows_read, f.rows_accepted, f.rows_rejected


def no_traceback(out: str) -> None:
    assert "Traceback" not in out


# --- the valid survey --------------------------------------------------------------------------


def test_valid_survey_loads_with_codebook_columns_and_dtypes(survey_dir, lg):
    survey = load_survey(survey_dir, strict=True)
    assert survey.report.ok
    assert survey.kind == "real"
    assert survey.path == survey_dir.resolve()
    for table, n in (("platforms", 6), ("performance", 6), ("organisations", 4)):
        frame = survey.table(table)
        assert list(frame.columns) == codebook.columns(table)
        assert len(frame) == n
        for var in codebook.variables(table):
            if var.dtype in ("integer", "binary", "likert"):
                assert frame[var.name].dtype == "Int64", var.name
            else:
                assert pd.api.types.is_string_dtype(frame[var.name]), var.name
    p = survey.platforms
    assert p.loc[0, "lg_code"] == lg["seoul"]
    assert p.loc[0, "year_launched"] == 2012
    assert p["year_launched"].isna().sum() == 1  # P00004 has no year
    assert p["platform_name"].tolist()[1] == "민주주의 서울"
    assert survey.performance["conv_3"].isna().sum() == 1
    assert counts(survey.report, "platforms.csv") == (6, 6, 0)
    assert not survey.report.normalisations
    assert_balanced(survey.report)


def test_valid_survey_through_the_command(cli, survey_dir):
    status, out = cli("validate", survey_dir)
    assert status == 0
    assert "platforms.csv (table platforms, UTF-8): 6 rows read = 6 accepted + 0 rejected" in out
    assert "Result: valid" in out
    assert "Errors" not in out


def test_default_source_is_the_environment_variable(survey_dir, monkeypatch):
    monkeypatch.setenv(paths.SURVEY_ENV, str(survey_dir))
    survey = load_survey()
    assert survey.path == survey_dir.resolve()
    assert survey.kind == "real"
    assert len(survey.platforms) == 6


def test_command_without_a_path_reads_the_configured_source(cli, survey_dir, monkeypatch):
    monkeypatch.setenv(paths.SURVEY_ENV, str(survey_dir))
    status, out = cli("validate")
    assert status == 0, out
    assert f"Survey source: {survey_dir.resolve()}" in out


def test_synthetic_data_validates_without_errors():
    if not (paths.SYNTHETIC / "platforms.csv").exists():
        pytest.skip("the synthetic data have not been written yet")
    survey = load_survey(paths.SYNTHETIC)
    assert survey.kind == "synthetic"
    assert survey.report.errors == [], survey.report.to_text()
    assert survey.report.rows_rejected == 0
    assert_balanced(survey.report)


def test_report_frames_for_the_book(survey_dir, survey_tables, write_survey):
    survey_tables["performance"][1]["dem_1"] = "9"
    survey_tables["performance"][2]["dem_2"] = "0"
    survey_tables["platforms"][0]["domain"] = "sports"
    report = validate(write_survey(survey_dir, survey_tables))
    summary = report.summary()
    assert list(summary["table"]) == ["platforms", "performance", "organisations"]
    row = summary.set_index("table").loc["performance"]
    assert (row["rows_read"], row["rows_accepted"], row["rows_rejected"]) == (6, 3, 3)
    by_rule = report.by_rule().set_index("rule")["count"]
    assert by_rule["likert-range"] == 2
    assert by_rule["category-value"] == 1
    # P00001's rejection leaves Seoul without a G2C platform, so its performance row goes too.
    assert by_rule["no-platform-of-type"] == 1
    assert set(report.issues_frame().columns) >= {"file", "row", "column", "value", "rule"}


def test_strict_raises_with_the_full_report(survey_dir, survey_tables, write_survey):
    survey_tables["organisations"][1]["it_staff"] = "501"
    write_survey(survey_dir, survey_tables)
    with pytest.raises(SurveyError) as info:
        load_survey(survey_dir, strict=True)
    text = str(info.value)
    assert_line(
        text,
        where("organisations.csv", 3, "it_staff", "501"),
        "integer-range",
        "must be an integer from 0 to 500",
    )
    assert info.value.report.rows_rejected >= 1
    # Not strict: the accepted rows come back with the same report.
    survey = load_survey(survey_dir)
    assert lg_codes(survey.organisations) == [
        r["lg_code"] for i, r in enumerate(survey_tables["organisations"]) if i != 1
    ]


def lg_codes(frame: pd.DataFrame) -> list[str]:
    return frame["lg_code"].tolist()


# --- encodings ---------------------------------------------------------------------------------


def test_bytes_neither_utf8_nor_cp949_are_an_error_with_offset(cli, survey_dir):
    path = survey_dir / "organisations.csv"
    data = path.read_bytes().replace(b"other", b"caf\xe9")
    path.write_bytes(data)
    offset = data.index(b"\xe9")
    line = data[:offset].count(b"\n") + 1
    status, out = cli("validate", survey_dir)
    assert status == 1
    hit = assert_line(out, f"organisations.csv row {line}: ", "encoding", "neither UTF-8")
    assert f"offset {offset}" in hit
    assert "0xE9" in hit
    no_traceback(out)


def test_cp949_file_is_accepted_and_reported(cli, survey_dir, survey_tables, write_table):
    write_table(survey_dir / "platforms.csv", survey_tables["platforms"], encoding="cp949")
    status, out = cli("validate", survey_dir)
    assert status == 0, out
    assert "platforms.csv (table platforms, CP949)" in out
    assert "platforms.csv: 'CP949' → 'UTF-8' (decoded from CP949)" in out
    survey = load_survey(survey_dir)
    assert survey.platforms["platform_name"].tolist()[0] == "서울 열린데이터광장"


def test_byte_order_mark_is_removed_and_reported(cli, survey_dir, survey_tables, write_table):
    write_table(survey_dir / "performance.csv", survey_tables["performance"], encoding="utf-8-sig")
    status, out = cli("validate", survey_dir)
    assert status == 0, out
    assert "performance.csv (table performance, UTF-8 with BOM)" in out
    assert "(byte-order mark removed)" in out
    assert "missing-column" not in out  # the first column name is read without the mark


def test_utf16_is_named_as_such(cli, survey_dir):
    path = survey_dir / "organisations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, "organisations.csv: ", "encoding", "the file is UTF-16")


# --- file structure ----------------------------------------------------------------------------


def test_missing_required_column_rejects_every_row(cli, survey_dir, survey_tables, write_table):
    columns = [c for c in codebook.columns("platforms") if c != "platform_type"]
    write_table(survey_dir / "platforms.csv", survey_tables["platforms"], columns)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(
        out,
        "platforms.csv row 1, column 'platform_type': ",
        "missing-column",
        "the required column 'platform_type' is missing",
    )
    report = validate(survey_dir)
    assert counts(report, "platforms.csv") == (6, 0, 6)
    assert_balanced(report)
    # platforms is unusable, so performance is not checked against it (and says so).
    assert counts(report, "performance.csv") == (6, 6, 0)
    assert any("platforms is not available" in note for note in report.notes)


def test_semicolon_separated_file_gets_a_hint(cli, survey_dir):
    path = survey_dir / "organisations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    status, out = cli("validate", survey_dir)
    assert status == 1
    line = assert_line(out, "organisations.csv row 1, column 'lg_code': ", "missing-column")
    assert "separated by ';'" in line
    assert counts(validate(survey_dir), "organisations.csv") == (4, 0, 4)


@pytest.mark.parametrize(("name", "why"), [("platforms.xls", "the old .xls format"),
                                           ("platforms.txt", "unsupported file type .txt")])  # fmt: skip
def test_unsupported_file_types(cli, tmp_path, name, why):
    (tmp_path / name).write_text("platform_id\n", encoding="utf-8")
    status, out = cli("validate", tmp_path / name)
    assert status == 1
    assert_line(out, f"{name}: ", "read-error", why)


def test_missing_optional_column_is_a_warning(cli, survey_dir, survey_tables, write_table):
    columns = [c for c in codebook.columns("platforms") if c != "channel"]
    write_table(survey_dir / "platforms.csv", survey_tables["platforms"], columns)
    status, out = cli("validate", survey_dir)
    assert status == 0, out
    assert_line(out, "platforms.csv row 1, column 'channel': ", "missing-optional-column")
    assert load_survey(survey_dir).platforms["channel"].isna().all()


def test_unknown_column_is_a_warning_and_dropped(cli, survey_dir, survey_tables, write_table):
    for row in survey_tables["organisations"]:
        row["respondent_name"] = "홍길동"
    write_table(survey_dir / "organisations.csv", survey_tables["organisations"])
    status, out = cli("validate", survey_dir)
    assert status == 0, out
    assert_line(
        out, "organisations.csv row 1, column 'respondent_name': ", "unknown-column", "column 5"
    )
    survey = load_survey(survey_dir)
    assert list(survey.organisations.columns) == codebook.columns("organisations")


def test_misspelt_required_column_gets_a_hint(cli, survey_dir, survey_tables, write_table):
    rows = [{("platfrom_type" if k == "platform_type" else k): v for k, v in r.items()}
            for r in survey_tables["performance"]]  # fmt: skip
    write_table(survey_dir / "performance.csv", rows)
    status, out = cli("validate", survey_dir)
    assert status == 1
    line = assert_line(out, "performance.csv row 1, column 'platform_type': ", "missing-column")
    assert "'platfrom_type'" in line


def test_column_names_are_normalised(cli, survey_dir, survey_tables, write_table):
    columns = codebook.columns("organisations")
    shown = [" LG_Code ", *columns[1:]]
    rows = [{(" LG_Code " if k == "lg_code" else k): v for k, v in r.items()}
            for r in survey_tables["organisations"]]  # fmt: skip
    write_table(survey_dir / "organisations.csv", rows, shown)
    status, out = cli("validate", survey_dir)
    assert status == 0, out
    assert "organisations.csv row 1, column 'lg_code': ' LG_Code ' → 'lg_code'" in out


def test_empty_file(cli, survey_dir):
    (survey_dir / "organisations.csv").write_bytes(b"")
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, "organisations.csv: ", "empty-file", "the file is empty")
    assert "organisations.csv (table organisations): 0 rows read = 0 accepted + 0 rejected" in out
    no_traceback(out)


def test_header_only_is_an_error(cli, survey_dir):
    (survey_dir / "performance.csv").write_text(
        ",".join(codebook.columns("performance")) + "\n", encoding="utf-8"
    )
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, "performance.csv row 1: ", "header-only", "the file has a header but no")
    report = validate(survey_dir)
    assert counts(report, "performance.csv") == (0, 0, 0)


@pytest.mark.parametrize(("cut", "kind", "n"), [(-2, "truncated", 9), (+1, "overlong", 12)])
def test_truncated_or_overlong_line(cli, survey_dir, cut, kind, n):
    path = survey_dir / "platforms.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    fields = lines[3].split(",")
    lines[3] = ",".join(fields[:cut] if cut < 0 else [*fields, "extra"])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(
        out,
        "platforms.csv row 4: ",
        "field-count",
        f"the line has {n} fields, the header has 11 ({kind} line)",
    )
    report = validate(survey_dir)
    assert counts(report, "platforms.csv") == (6, 5, 1)
    assert_balanced(report)


def test_bad_quoting_is_reported_and_later_rows_still_read(cli, survey_dir):
    path = survey_dir / "organisations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace("informatisation", '"informat"isation')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, "organisations.csv row 3: ", "csv-syntax")
    assert counts(validate(survey_dir), "organisations.csv") == (4, 3, 1)


def test_blank_rows_are_skipped_and_reported(survey_dir):
    path = survey_dir / "organisations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, ",,,")
    path.write_text("\n".join(lines) + "\n\n\n", encoding="utf-8")
    report = validate(survey_dir)
    assert report.ok, report.to_text()
    assert counts(report, "organisations.csv") == (4, 4, 0)
    reasons = [(n.row, n.reason) for n in report.normalisations]
    assert (3, "blank row skipped") in reasons
    assert (7, "2 blank rows at the end skipped") in reasons


# --- values ------------------------------------------------------------------------------------


def test_likert_out_of_range(cli, survey_dir, survey_tables, write_survey):
    survey_tables["performance"][1]["dem_2"] = "7"
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(
        out,
        where("performance.csv", 3, "dem_2", "7"),
        "likert-range",
        "must be an integer from 1 to 5",
    )
    report = validate(survey_dir)
    assert counts(report, "performance.csv") == (6, 5, 1)
    assert_balanced(report)


def test_unknown_local_government_code(cli, survey_dir, survey_tables, write_survey):
    survey_tables["platforms"][2]["lg_code"] = "99999"
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(
        out,
        where("platforms.csv", 4, "lg_code", "99999"),
        "unknown-lg-code",
        "must be a 2022 local-government code or name in the registry",
    )
    assert counts(validate(survey_dir), "platforms.csv") == (6, 5, 1)


def test_duplicate_platform_id_rejects_both_rows(cli, survey_dir, survey_tables, write_survey):
    survey_tables["platforms"][4]["platform_id"] = "P00002"
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    for row, other in ((3, 6), (6, 3)):
        line = assert_line(
            out, where("platforms.csv", row, "platform_id", "P00002"), "duplicate-platform-id"
        )
        assert f"also on row {other}" in line
    report = validate(survey_dir)
    assert counts(report, "platforms.csv") == (6, 4, 2)
    assert_balanced(report)


def test_duplicate_performance_and_organisation_keys(survey_dir, survey_tables, write_survey, lg):
    survey_tables["performance"].append(dict(survey_tables["performance"][0]))
    survey_tables["organisations"].append(dict(survey_tables["organisations"][2]))
    report = validate(write_survey(survey_dir, survey_tables))
    text = report.to_text()
    value = f"{lg['seoul']} / G2C"
    assert_line(
        text, where("performance.csv", 8, "lg_code+platform_type", value), "duplicate-performance"
    )
    assert_line(
        text, where("organisations.csv", 4, "lg_code", lg["chuncheon"]), "duplicate-lg-code"
    )
    assert counts(report, "organisations.csv") == (5, 3, 2)
    assert_balanced(report)


TYPES = ", ".join(TYPE_CODES)


@pytest.mark.parametrize(
    ("table", "index", "column", "value", "rule", "sentence"),
    [
        ("platforms", 0, "year_launched", "two thousand", "integer-type", "must be a whole"),
        ("platforms", 0, "year_launched", "2012.5", "integer-type", "must be a whole"),
        ("platforms", 1, "year_launched", "2023", "integer-range", "must be an integer from 1995"),
        ("organisations", 0, "it_staff", "about 20", "integer-type", "must be a whole"),
        ("performance", 2, "eff_1", "good", "likert-range", "must be an integer from 1 to 5"),
        ("platforms", 3, "platform_type", "Z2Z", "category-value", f"must be one of {TYPES}"),
        ("platforms", 3, "partner_private", "2", "binary-value", "must be 0 or 1"),
        ("platforms", 3, "platform_id", "X1", "id-pattern", "must match the pattern P[0-9]{5}"),
        ("organisations", 3, "respondent_unit", "", "required-missing", "a value is required"),
    ],
)
def test_value_rules(cli, survey_dir, survey_tables, write_survey, table, index, column, value,
                     rule, sentence):  # fmt: skip
    survey_tables[table][index][column] = value
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, where(f"{table}.csv", index + 2, column, value), rule, sentence)
    report = validate(survey_dir)
    read, accepted, rejected = counts(report, f"{table}.csv")
    assert rejected >= 1 and read == accepted + rejected == len(survey_tables[table])
    assert rule in RULES


def test_full_width_digits_are_normalised_and_reported(cli, survey_dir, survey_tables,
                                                       write_survey):  # fmt: skip
    survey_tables["platforms"][0]["year_launched"] = "２０１２"
    survey_tables["performance"][0]["dem_1"] = " ４ "
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", "--verbose", survey_dir)
    assert status == 0, out
    assert (
        "platforms.csv row 2, column 'year_launched': '２０１２' → '2012' "
        "(full-width characters normalised (NFKC))"
    ) in out
    assert "performance.csv row 2, column 'dem_1': ' ４ ' → '４' (stray whitespace removed)" in out
    survey = load_survey(survey_dir)
    assert survey.platforms.loc[0, "year_launched"] == 2012
    assert survey.performance.loc[0, "dem_1"] == 4


def test_spreadsheet_decimals_on_whole_numbers(survey_dir, survey_tables, write_survey, lg):
    survey_tables["organisations"][0]["it_staff"] = "25.0"
    survey_tables["organisations"][0]["lg_code"] = lg["seoul"] + ".0"
    report = validate(write_survey(survey_dir, survey_tables))
    assert report.ok, report.to_text()
    reasons = {(n.column, n.new, n.reason) for n in report.normalisations}
    assert ("it_staff", "25", "trailing .0 of a whole number removed") in reasons
    assert ("lg_code", lg["seoul"], "trailing .0 of a whole number removed") in reasons


def test_post_2022_names_map_to_2022_codes(cli, survey_dir, survey_tables, write_survey, lg):
    survey_tables["organisations"][2]["lg_code"] = "강원특별자치도 춘천시"
    survey_tables["organisations"][3]["lg_code"] = "강원특별자치도"
    survey_tables["organisations"].append(
        {"lg_code": "대구광역시 군위군", "respondent_unit": "other"}
    )
    survey_tables["organisations"].append({"lg_code": "전북특별자치도", "respondent_unit": "other"})
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", "-v", survey_dir)
    assert status == 0, out
    for row, old, new in (
        (4, "강원특별자치도 춘천시", lg["chuncheon"]),
        (5, "강원특별자치도", lg["gangwon"]),
        (6, "대구광역시 군위군", lg["gunwi"]),
        (7, "전북특별자치도", lg["jeonbuk"]),
    ):
        assert (
            f"organisations.csv row {row}, column 'lg_code': '{old}' → '{new}' "
            "(mapped to the 2022 local-government code"
        ) in out
    survey = load_survey(survey_dir)
    assert lg_codes(survey.organisations)[2:] == [
        lg["chuncheon"],
        lg["gangwon"],
        lg["gunwi"],
        lg["jeonbuk"],
    ]


def test_post_2022_codes_map_to_2022_codes(survey_dir, survey_tables, write_survey, lg):
    new_chuncheon = "51" + lg["chuncheon"][2:]  # 강원특별자치도's code since June 2023
    survey_tables["platforms"][4]["lg_code"] = new_chuncheon
    survey_tables["performance"][4]["lg_code"] = "５１" + lg["chuncheon"][2:]
    report = validate(write_survey(survey_dir, survey_tables))
    assert report.ok, report.to_text()
    mapped = [
        (n.file, n.row, n.old, n.new)
        for n in report.normalisations
        if n.reason == "mapped to the 2022 local-government code"
    ]
    assert mapped == [
        ("platforms.csv", 6, new_chuncheon, lg["chuncheon"]),
        ("performance.csv", 6, new_chuncheon, lg["chuncheon"]),
    ]


def test_normalised_codes_take_part_in_key_checks(survey_dir, survey_tables, write_survey, lg):
    survey_tables["organisations"].append({"lg_code": "강원특별자치도", "respondent_unit": "other"})
    report = validate(write_survey(survey_dir, survey_tables))
    assert_line(
        report.to_text(),
        where("organisations.csv", 6, "lg_code", lg["gangwon"]),
        "duplicate-lg-code",
    )


# --- rules across tables -----------------------------------------------------------------------


def test_performance_for_a_type_the_government_does_not_run(cli, survey_dir, survey_tables,
                                                            write_survey, lg):  # fmt: skip
    survey_tables["performance"][4]["platform_type"] = "C2C"
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(
        out,
        where("performance.csv", 6, "platform_type", "C2C"),
        "no-platform-of-type",
        f"local government {lg['chuncheon']} runs no accepted C2C platform",
    )


def test_platform_of_a_government_absent_from_organisations(cli, survey_dir, survey_tables,
                                                            write_survey, lg):  # fmt: skip
    survey_tables["organisations"] = survey_tables["organisations"][:3]  # drop Gangwon
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    for file, row in (("platforms.csv", 7), ("performance.csv", 7)):
        assert_line(out, where(file, row, "lg_code", lg["gangwon"]), "lg-not-in-organisations")


def test_rejected_organisation_cascades_with_a_reason(survey_dir, survey_tables, write_survey, lg):
    survey_tables["organisations"][1]["respondent_unit"] = "mayor"  # Jongno's row
    report = validate(write_survey(survey_dir, survey_tables))
    line = assert_line(
        report.to_text(),
        where("platforms.csv", 4, "lg_code", lg["jongno"]),
        "lg-not-in-organisations",
    )
    assert "its row 3 in organisations.csv was rejected" in line
    assert counts(report, "platforms.csv") == (6, 4, 2)
    assert counts(report, "performance.csv") == (6, 4, 2)
    assert_balanced(report)


def test_partner_metro_on_a_metropolitan_platform(cli, survey_dir, survey_tables, write_survey, lg):
    survey_tables["platforms"][5]["partner_metro"] = "1"  # Gangwon's own platform
    survey_tables["platforms"][4]["partner_metro"] = "1"  # Chuncheon's: allowed
    write_survey(survey_dir, survey_tables)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(
        out, where("platforms.csv", 7, "partner_metro", "1"), "partner-metro-on-metro", "must be 0"
    )
    assert "platforms.csv row 6, column 'partner_metro'" not in out


# --- other sources -----------------------------------------------------------------------------


def frames(survey_tables) -> dict[str, pd.DataFrame]:
    return {t: pd.DataFrame(rows, dtype=str) for t, rows in survey_tables.items()}


def test_xlsx_workbook_with_three_sheets(cli, tmp_path, survey_tables):
    book = tmp_path / "krila_2022.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        for table, frame in frames(survey_tables).items():
            frame.to_excel(writer, sheet_name=table, index=False)
    status, out = cli("validate", book)
    assert status == 0, out
    assert "krila_2022.xlsx[platforms] (table platforms, XLSX): 6 rows read" in out
    survey = load_survey(book)
    assert len(survey.performance) == 6
    assert survey.platforms["year_launched"].dtype == "Int64"


def test_folder_with_one_workbook_reads_its_sheets(tmp_path, survey_tables):
    folder = tmp_path / "from_krila"
    folder.mkdir()
    with pd.ExcelWriter(folder / "survey 2022.xlsx", engine="openpyxl") as writer:
        for table, frame in frames(survey_tables).items():
            frame.to_excel(writer, sheet_name=table.capitalize(), index=False)
    (folder / "notes.txt").write_text("not a table", encoding="utf-8")
    survey = load_survey(folder, strict=True)
    assert [len(survey.table(t)) for t in ("platforms", "performance", "organisations")] == [
        6,
        6,
        4,
    ]


def test_xlsx_files_in_a_folder_with_numbers_as_cells(cli, tmp_path, survey_tables):
    folder = tmp_path / "xlsx"
    folder.mkdir()
    for table, frame in frames(survey_tables).items():
        for var in codebook.variables(table):  # store numbers as numbers, as Excel would
            if var.dtype in ("integer", "binary", "likert"):
                column = frame[var.name]
                frame[var.name] = pd.to_numeric(column.mask(column == ""))
        frame.to_excel(folder / f"{table}.xlsx", index=False)
    status, out = cli("validate", folder)
    assert status == 0, out
    survey = load_survey(folder, strict=True)
    assert survey.platforms.loc[0, "year_launched"] == 2012


def test_xlsx_error_names_sheet_row_and_column(cli, tmp_path, survey_tables):
    survey_tables["performance"][2]["qual_3"] = "10"
    book = tmp_path / "survey.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        for table, frame in frames(survey_tables).items():
            frame.to_excel(writer, sheet_name=table, index=False)
    status, out = cli("validate", book)
    assert status == 1
    assert_line(
        out, where("survey.xlsx[performance]", 4, "qual_3", "10"), "likert-range", "must be"
    )


@pytest.mark.parametrize(
    "content",
    [b"", b"this is not a workbook", b"PK\x03\x04broken zip"],
    ids=["empty", "text", "bad-zip"],
)
def test_broken_xlsx_is_reported_without_a_traceback(cli, tmp_path, content):
    book = tmp_path / "platforms.xlsx"
    book.write_bytes(content)
    status, out = cli("validate", book)
    assert status == 1
    assert_line(out, "platforms.xlsx: ", "read-error", "not a valid XLSX workbook")
    no_traceback(out)


def test_xlsx_with_a_missing_part_is_reported(cli, tmp_path, survey_tables):
    good = tmp_path / "good.xlsx"
    frames(survey_tables)["platforms"].to_excel(good, index=False)
    bad = tmp_path / "platforms.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            if item.filename != "xl/workbook.xml":
                dst.writestr(item, src.read(item))
    status, out = cli("validate", bad)
    assert status == 1
    assert_line(out, "platforms.xlsx: ", "read-error")
    no_traceback(out)


def test_single_table_files_are_checked_together(cli, survey_dir):
    status, out = cli("validate", survey_dir / "platforms.csv")
    assert status == 0, out
    assert "table performance was not supplied" in out
    assert "organisations is not available" in out
    status, out = cli("validate", survey_dir / "platforms.csv", survey_dir / "performance.csv")
    assert status == 0, out
    survey = load_survey([survey_dir / "platforms.csv", survey_dir / "organisations.csv"])
    assert len(survey.platforms) == 6 and len(survey.performance) == 0
    assert list(survey.performance.columns) == codebook.columns("performance")


def test_table_recognised_from_its_columns(survey_dir, tmp_path):
    other = tmp_path / "export_2022.csv"
    other.write_bytes((survey_dir / "organisations.csv").read_bytes())
    survey = load_survey(other)
    assert len(survey.organisations) == 4
    assert any("read as table organisations" in note for note in survey.report.notes)


def test_missing_table_and_unreadable_paths(cli, survey_dir, tmp_path):
    (survey_dir / "performance.csv").unlink()
    status, out = cli("validate", survey_dir, tmp_path / "nowhere" / "platforms.csv")
    assert status == 1
    assert_line(out, "performance.csv: ", "missing-table", "the folder has no performance.csv")
    assert_line(out, "platforms.csv: ", "read-error", "no such file")
    no_traceback(out)


def test_two_files_for_one_table(cli, survey_dir, survey_tables):
    frames(survey_tables)["organisations"].to_excel(survey_dir / "organisations.xlsx", index=False)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, "organisations.csv: ", "ambiguous-source", "the folder holds both")


def test_unreadable_file(cli, survey_dir, monkeypatch):
    open_ = Path.open

    def denied(self: Path, *args, **kwargs):
        if self.name == "platforms.csv":
            raise PermissionError(13, "Permission denied", str(self))
        return open_(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert_line(out, "platforms.csv: ", "read-error", "cannot read the file (Permission denied)")
    no_traceback(out)


def test_messages_are_stable_in_form(survey_dir, survey_tables, write_survey):
    survey_tables["performance"][0]["eff_2"] = "x"
    report = validate(write_survey(survey_dir, survey_tables))
    (issue,) = report.errors
    assert (issue.file, issue.row, issue.column, issue.value, issue.rule) == (
        "performance.csv",
        2,
        "eff_2",
        "x",
        "likert-range",
    )
    assert str(issue) == (
        "performance.csv row 2, column 'eff_2', value 'x': likert-range: "
        "must be an integer from 1 to 5"
    )
    assert re.search(r"Result: INVALID \(1 error; 1 of 16 rows rejected\)", report.to_text())


def test_a_missing_file_still_gives_a_report(tmp_path):
    survey = load_survey(tmp_path / "platforms.csv")  # a missing file: still a report
    assert survey.kind == "real"
    assert not survey.report.ok
    assert isinstance(survey.path, Path)


@pytest.mark.parametrize(
    ("column", "written", "code"),
    [
        ("platform_type", "정보제공형", "G2C"),
        ("platform_type", "Information (G2C)", "G2C"),
        ("platform_type", "g2c", "G2C"),
        ("status", "운영 중", "operating"),
        ("channel", "web and app", "web_and_app"),
    ],
)
def test_a_category_written_as_its_label_is_mapped_and_listed(
    survey_dir, survey_tables, write_survey, column, written, code
):
    survey_tables["platforms"][0][column] = written
    report = validate(write_survey(survey_dir, survey_tables))
    assert report.errors == [], report.to_text()
    (change,) = [n for n in report.normalisations if n.reason == "label mapped to its code"]
    assert (change.file, change.row, change.column) == ("platforms.csv", 2, column)
    assert (change.old, change.new) == (written, code)


def test_a_category_value_that_is_no_label_is_still_rejected(
    survey_dir, survey_tables, write_survey
):
    survey_tables["platforms"][0]["status"] = "폐지"
    report = validate(write_survey(survey_dir, survey_tables))
    (issue,) = [i for i in report.issues if i.rule == "category-value"]
    assert (issue.row, issue.column, issue.value) == (2, "status", "폐지")
