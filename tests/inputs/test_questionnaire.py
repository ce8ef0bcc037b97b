"""The synthetic survey in a survey institute's layout (survey.sav and its mapping.toml): read back
through the mapping it gives the same tables, the same analysis frame and the same coefficients
as the long tables; a broken mapping names its line and the holder's column."""

from __future__ import annotations

import shutil
import tomllib

import pandas as pd
import pyreadstat
import pytest

from platformgov import paths
from platformgov.analysis import measures, models
from platformgov.inputs import questionnaire
from platformgov.inputs.survey import load_survey, validate
from platformgov.inputs.survey.rules import TABLES


@pytest.fixture(scope="module")
def long_survey():
    return load_survey(paths.SYNTHETIC, strict=True)


@pytest.fixture(scope="module")
def folder(tmp_path_factory, long_survey, registry):
    out = tmp_path_factory.mktemp("questionnaire")
    tables = {t: long_survey.table(t) for t in TABLES}
    questionnaire.write(tables, out, registry)
    return out


@pytest.fixture
def broken(folder, tmp_path):
    """``broken(old, new)``: a copy of the questionnaire whose mapping has ``old`` → ``new``."""

    def make(old: str, new: str):
        copy = tmp_path / "copy"
        shutil.copytree(folder, copy)
        mapping = copy / "mapping.toml"
        text = mapping.read_text(encoding="utf-8")
        assert old in text
        mapping.write_text(text.replace(old, new, 1), encoding="utf-8")
        line = text[: text.index(old)].count("\n") + 1
        return copy, line

    return make


def test_the_file_is_spss_with_korean_labels_blocks_and_declared_missing_codes(folder):
    frame, meta = pyreadstat.read_sav(folder / "survey.sav", user_missing=True)
    assert len(frame) == 197  # one row per responding government
    assert "Q4_1_2" in frame.columns and "Q4_67_2" in frame.columns  # the roster's blocks
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["Q4_2_2"] == "플랫폼 2: 플랫폼 유형"
    assert meta.variable_value_labels["Q4_1_2"][1.0] == "정보제공형"
    assert meta.missing_ranges["Q4_1_8"] == [{"lo": 8.0, "hi": 8.0}, {"lo": 9.0, "hi": 9.0}]
    assert (frame["Q4_1_8"] == 8).sum() > 0  # 해당 없음: metropolitan governments
    doc = tomllib.loads((folder / "mapping.toml").read_text(encoding="utf-8"))
    assert doc["survey"]["file"] == "survey.sav"
    assert doc["platforms"]["blocks"] == 67


def test_read_through_the_mapping_the_tables_equal_the_long_tables(folder, long_survey):
    survey = load_survey(folder, strict=True)
    for table in TABLES:
        pd.testing.assert_frame_equal(survey.table(table), long_survey.table(table))
    assert survey.kind == "real"
    assert [f.file for f in survey.report.files] == [f"survey.sav[{t}]" for t in TABLES]
    reasons = {n.reason for n in survey.report.normalisations}
    assert reasons == {"missing code declared in the file"}


def test_the_analysis_and_the_main_models_are_the_same(folder, long_survey, registry):
    survey = load_survey(folder, strict=True)
    frame = measures.analysis_frame(survey, registry)
    expected = measures.analysis_frame(long_survey, registry)
    pd.testing.assert_frame_equal(frame, expected)
    got, want = models.tidy(models.fit_main(frame)), models.tidy(models.fit_main(expected))
    assert len(got) > 0
    pd.testing.assert_frame_equal(got, want)


def test_missing_codes_declared_in_the_file_need_no_mapping(folder, broken, long_survey):
    copy, _ = broken("missing = [8, 9]\ncodes = { 1 = 1, 2 = 0 }", "codes = { 1 = 1, 2 = 0 }")
    survey = load_survey(copy, strict=True)
    pd.testing.assert_frame_equal(survey.platforms, long_survey.platforms)


def test_an_unknown_column_names_the_mapping_line_and_the_column(broken, cli):
    copy, line = broken('column = "Q4_{n}_2"', 'column = "Q4_{n}_kind"')
    status, out = cli("validate", copy)
    assert status == 1
    assert (
        f'mapping.toml: mapping: line {line} [platforms.platform_type] column = "Q4_{{n}}_kind": '
        "column Q4_1_kind not found in survey.sav"
    ) in out


def test_a_block_that_does_not_repeat_says_where_it_stops(folder, broken):
    copy, _ = broken("blocks = 67", "blocks = 68")
    (issue,) = validate(copy).errors
    assert (issue.file, issue.rule) == ("mapping.toml", "mapping")
    text = (folder / "mapping.toml").read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if t.startswith("platform_name = "))
    assert issue.message == (
        f'line {line} [platforms] platform_name = "Q4_{{n}}_1": column Q4_68_1 not found in '
        "survey.sav: the block Q4_{n}_1 repeats for n = 1 to 67, not for n = 68 "
        "(blocks = 68 in [platforms]: n = 1 to 68)"
    )


def test_an_unmapped_code_rejects_its_rows_naming_row_column_value_and_mapping_line(broken):
    copy, line = broken('codes = { 1 = "G2C", 2 = "C2G", 3 = "C2C" }', 'codes = { 1 = "G2C" }')
    report = validate(copy)
    unmapped = [i for i in report.errors if i.rule == "unmapped-code"]
    frame, _ = pyreadstat.read_sav(copy / "survey.sav", user_missing=True)
    blocks = [c for c in frame.columns if c.startswith("Q4_") and c.endswith("_2")]
    cells = frame[blocks].stack()
    assert len(unmapped) == int(cells.isin([2, 3]).sum())
    first = unmapped[0]
    row = frame.index[frame[blocks].isin([2, 3]).any(axis=1)][0] + 1  # SPSS counts cases from 1
    block = next(c for c in blocks if frame.loc[row - 1, c] in (2, 3))
    assert first.file == "survey.sav[platforms]"
    assert (first.row, first.column) == (row, f"{block} (platform_type)")
    assert first.value == str(int(frame.loc[row - 1, block]))
    assert first.message.startswith(f"mapping.toml line {line} [platforms.platform_type] codes")
    assert "not in the mapping's codes (1)" in first.message
    rejected = next(f for f in report.files if f.table == "platforms")
    assert rejected.rows_rejected == len(unmapped)
    assert rejected.rows_read == rejected.rows_accepted + rejected.rows_rejected


def test_a_value_the_codebook_rejects_names_the_holder_s_row_column_and_value(folder, tmp_path):
    frame, meta = pyreadstat.read_sav(folder / "survey.sav", user_missing=True)
    frame.loc[4, "Q5_1_3"] = 7  # not a Likert point, not a missing code
    shutil.copy(folder / "mapping.toml", tmp_path / "mapping.toml")
    pyreadstat.write_sav(
        frame,
        tmp_path / "survey.sav",
        column_labels=meta.column_labels,
        variable_value_labels=meta.variable_value_labels,
        missing_ranges=meta.missing_ranges,
    )
    (issue,) = validate(tmp_path).errors
    assert (issue.file, issue.row, issue.column, issue.value, issue.rule) == (
        "survey.sav[performance]",
        5,
        "Q5_1_3 (dem_3)",
        "7",
        "likert-range",
    )


def test_synth_writes_the_questionnaire_and_validate_reads_it(tmp_path, cli):
    out = tmp_path / "q"
    status, text = cli("synth", "--layout", "questionnaire", "--out", out)
    assert status == 0, text
    assert sorted(p.name for p in out.iterdir()) == ["mapping.toml", "survey.sav"]
    status, text = cli("validate", out)
    assert status == 0, text
    assert "survey.sav: 197 rows read through mapping.toml" in text
    status, text = cli("validate", out / "survey.sav")
    assert status == 0, text
    status, text = cli("synth", "--layout", "questionnaire")
    assert status == 2 and "give --out DIR" in text
