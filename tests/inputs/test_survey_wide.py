"""A wide survey file (CSV, XLSX or Stata) read through a mapping: one row per platform block,
missing codes, value labels, and errors that name the holder's row (as the holder counts it),
column and value, with ours."""

from __future__ import annotations

import csv

import pandas as pd
import pyreadstat
import pytest
from factories import WIDE_HEADER as HEADER
from factories import WIDE_MAPPING as MAPPING

from platformgov.inputs.survey import load_survey, validate
from platformgov.inputs.survey.holder import read_holder


@pytest.fixture
def rows(lg):
    return [
        [lg["seoul"], "1", "25", "열린데이터", "정보제공형", "open_data", "1",
         "민주주의 서울", "정책제안형", "participation", "1", "4", "3"],
        [lg["jongno"], "2", "99", "종로 안내", "정보제공형", "welfare", "2", "", "", "", "", "9", ""],
    ]  # fmt: skip


def write_csv(folder, rows, header=HEADER):
    folder.mkdir(exist_ok=True)
    with open(folder / "wide.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    (folder / "mapping.toml").write_text(MAPPING.format(file="wide.csv"), encoding="utf-8")
    return folder


def test_a_wide_csv_gives_one_row_per_block_that_holds_an_answer(tmp_path, rows, lg):
    survey = load_survey(write_csv(tmp_path / "s", rows), strict=True)
    assert survey.platforms["platform_name"].tolist() == [
        "열린데이터",
        "민주주의 서울",
        "종로 안내",
    ]
    assert survey.platforms["platform_type"].tolist() == ["G2C", "C2G", "G2C"]
    assert survey.platforms["platform_id"].tolist() == ["P00001", "P00002", "P00003"]
    assert survey.platforms["status"].tolist() == ["operating", "operating", "suspended"]
    assert survey.organisations["it_staff"].isna().tolist() == [False, True]  # 99: no answer
    # jongno answered 9 (no answer) for G2C and nothing for C2G: two empty blocks, no rows
    assert survey.performance[["lg_code", "platform_type"]].values.tolist() == [
        [lg["seoul"], "G2C"],
        [lg["seoul"], "C2G"],
    ]
    notes = "\n".join(survey.report.notes)
    assert "wide.csv: 2 rows read through mapping.toml" in notes
    assert "3 platforms rows (1 empty blocks skipped)" in notes
    assert "2 performance rows (2 empty blocks skipped)" in notes


def test_errors_name_the_spreadsheet_row_the_holder_s_column_and_ours(tmp_path, rows):
    # platform 2 of the second data row (spreadsheet row 3): a typo in its type
    rows[1][7:11] = ["종로 제안", "정보제공", "participation", "1"]
    rows[0][12] = "7"  # spreadsheet row 2: not a Likert point
    report = validate(write_csv(tmp_path / "s", rows))
    found = {(i.file, i.row, i.column, i.value, i.rule) for i in report.errors}
    assert (
        "wide.csv[platforms]",
        3,
        "P2_TYPE (platform_type)",
        "정보제공",
        "unmapped-code",
    ) in found
    assert ("wide.csv[performance]", 2, "R2_1 (dem_1)", "7", "likert-range") in found
    assert len(report.errors) == 2
    line = MAPPING.splitlines().index(next(t for t in MAPPING.splitlines() if "P{{n}}_TYPE" in t))
    assert (
        "wide.csv[platforms] row 3, column 'P2_TYPE (platform_type)', value '정보제공': "
        f"unmapped-code: mapping.toml line {line + 1} [platforms] platform_type = "
    ) in report.to_text()
    for f in report.files:
        assert f.rows_read == f.rows_accepted + f.rows_rejected


def test_a_row_with_the_wrong_number_of_fields_is_rejected_not_cut(tmp_path, rows):
    rows[0] = [*rows[0], "extra"]
    report = validate(write_csv(tmp_path / "s", rows))
    (issue,) = report.errors
    assert (issue.file, issue.row, issue.rule) == ("wide.csv[organisations]", 2, "field-count")
    orgs = next(f for f in report.files if f.table == "organisations")
    assert (orgs.rows_read, orgs.rows_rejected) == (2, 1)


def test_a_wide_workbook_names_its_sheet(tmp_path, rows):
    folder = tmp_path / "x"
    folder.mkdir()
    with pd.ExcelWriter(folder / "wide.xlsx") as writer:
        pd.DataFrame(rows, columns=HEADER).to_excel(writer, sheet_name="응답", index=False)
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="메모", index=False)
    mapping = MAPPING.format(file="wide.xlsx").replace(
        "missing = [99]", 'missing = [99]\nsheet = "응답"'
    )
    (folder / "mapping.toml").write_text(mapping, encoding="utf-8")
    survey = load_survey(folder, strict=True)
    assert len(survey.platforms) == 3
    assert survey.report.files[0].file == "wide.xlsx[응답][platforms]"


def test_stata_declared_missing_values_are_read_as_no_answer(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=HEADER)
    for column in ("UNIT", "STAFF", "P1_STATUS", "P2_STATUS", "R1_1", "R2_1"):
        frame[column] = pd.to_numeric(frame[column]).astype(object)
    frame.loc[0, "STAFF"] = "a"  # Stata's .a: declared missing
    pyreadstat.write_dta(frame, tmp_path / "wide.dta", missing_user_values={"STAFF": ["a"]})
    (tmp_path / "mapping.toml").write_text(MAPPING.format(file="wide.dta"), encoding="utf-8")
    holder = read_holder(tmp_path / "wide.dta")
    assert holder.kind == "Stata" and holder.declared_missing("STAFF", ".a")
    survey = load_survey(tmp_path / "wide.dta", strict=True)
    assert survey.organisations["it_staff"].isna().tolist() == [True, True]
    reasons = {n.reason for n in survey.report.normalisations}
    assert reasons == {"missing code declared in the file", "missing code declared in the mapping"}
