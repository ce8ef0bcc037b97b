"""The validation report in bounded memory: every issue and normalisation is counted exactly,
at most ``KEPT`` of each rule (or reason) per file are kept in memory, and the full report still
lists every one of them."""

from __future__ import annotations

import pytest

from platformgov.inputs.survey import report as report_module
from platformgov.inputs.survey import validate
from platformgov.inputs.survey.files import read_error
from platformgov.inputs.survey.report import FileReport, Normalisation, ValidationReport


@pytest.fixture
def kept_three(monkeypatch):
    monkeypatch.setattr(report_module, "KEPT", 3)


def filled() -> ValidationReport:
    report = ValidationReport(source="survey")
    report.files.append(FileReport("platforms", "platforms.csv", rows_read=12, rows_rejected=12))
    for row in range(2, 12):
        report.add(read_error("platforms.csv", "id-pattern", "bad id", row, "platform_id", "x"))
    for row in (2, 3):
        report.add(read_error("platforms.csv", "binary-value", "0 or 1", row, "partner_metro"))
    report.add(read_error("platforms.csv", "unknown-column", "ignored", 1, "extra"))
    for row in range(2, 9):
        report.normalise(Normalisation("platforms.csv", row, "year", " 1", "1", "stray whitespace"))
    return report


def test_counts_stay_exact_when_issues_are_dropped_from_memory(kept_three):
    report = filled()
    assert not report.complete
    assert len(report.errors) == 3 + 2 and len(report.normalisations) == 3
    assert (report.error_count, report.warning_count, report.normalised_count) == (12, 1, 7)
    assert not report.ok
    rules = report.by_rule().set_index("rule")["count"]
    assert rules.to_dict() == {"id-pattern": 10, "binary-value": 2, "unknown-column": 1}
    (summary,) = report.summary().to_dict("records")
    assert (summary["errors"], summary["warnings"], summary["normalised"]) == (12, 1, 7)
    assert report.reason_counts() == {("platforms.csv", "stray whitespace"): 7}
    assert report.rows_with["id-pattern"] == 10


def test_the_printed_report_counts_what_it_does_not_list(kept_three):
    report = filled()
    text = report.to_text(limit=None, full_report="full.txt")
    assert "Errors (12):" in text
    assert "  … and 7 more errors (all are listed in full.txt)" in text
    assert "Result: INVALID (12 errors; 12 of 12 rows rejected)" in text
    assert report.truncated(None)


def test_the_full_report_lists_every_issue_and_normalisation(kept_three):
    report = filled()
    lines = list(report.full_lines())
    assert sum("id-pattern: bad id" in line for line in lines) == 10
    assert sum("(stray whitespace)" in line for line in lines) == 7
    assert "Errors (12):" in lines and "Normalised (7):" in lines
    assert not any("more errors" in line for line in lines)
    report.close()


def test_a_report_within_the_cap_is_kept_whole():
    report = filled()
    assert report.complete
    assert len(report.errors) == report.error_count == 12
    assert list(report.full_lines()) == list(report.lines())


def test_a_survey_with_more_rejected_rows_than_kept_is_counted_exactly(
    kept_three, cli, survey_dir, survey_tables, write_survey, tmp_path
):
    row = survey_tables["platforms"][0]
    extra = [dict(row, year_launched="x") for _ in range(20)]  # each also repeats the id
    survey_tables["platforms"] = survey_tables["platforms"] + extra
    write_survey(survey_dir, survey_tables)
    report = validate(survey_dir)
    (platforms,) = [f for f in report.files if f.table == "platforms"]
    assert platforms.rows_rejected == 21  # the first row with the id too
    rules = report.by_rule().set_index("rule")["count"]
    assert rules["integer-type"] == 20 and rules["duplicate-platform-id"] == 21
    assert len([e for e in report.errors if e.rule == "duplicate-platform-id"]) == 3
    full = tmp_path / "full.txt"
    assert cli("validate", survey_dir, "--report", full)[0] == 1
    text = full.read_text(encoding="utf-8")
    assert text.count(": duplicate-platform-id: ") == 21
    assert text.count(": integer-type: ") == 20
    assert "also on rows " in text and " and 15 more" in text
