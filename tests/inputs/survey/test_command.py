"""The validate command: a capped list of errors, the full report in a file, a message for every
failure, and memory that does not grow with the rows rejected."""

from __future__ import annotations

from factories import validate_within, write_large_wide_csv

from platformgov import paths
from platformgov.inputs.survey import command


def many_bad_rows(survey_dir, survey_tables, write_survey, n: int):
    row = dict(survey_tables["organisations"][0])
    rows = [dict(row, it_staff="x") for _ in range(n)]  # each row also duplicates the code
    survey_tables["organisations"] = survey_tables["organisations"] + rows
    write_survey(survey_dir, survey_tables)


def errors_listed(text: str) -> tuple[list[str], int]:
    """The error lines under "Errors (N):", and N minus their number."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Errors ("))
    total = int(lines[start].removeprefix("Errors (").removesuffix("):"))
    listed = []
    for line in lines[start + 1 :]:
        if not line.startswith("  ") or line.startswith("  … and "):
            break
        listed.append(line)
    return listed, total - len(listed)


def test_printed_errors_are_capped_and_the_full_report_written(
    cli, survey_dir, survey_tables, write_survey, tmp_path
):
    many_bad_rows(survey_dir, survey_tables, write_survey, 30)
    full = tmp_path / "out" / "report.txt"
    status, out = cli("validate", survey_dir, "--max-errors", "10", "--report", full)
    assert status == 1
    listed, rest = errors_listed(out)
    total = len(listed) + rest
    assert len(listed) == 10 and total > 10
    assert f"  … and {total - 10} more errors (all are listed in {full.resolve()})" in out
    assert f"The full report is in {full.resolve()}" in out
    assert errors_listed(full.read_text(encoding="utf-8")) == (
        errors_listed(cli("validate", survey_dir, "--max-errors", "0")[1])[0],
        0,
    )


def test_a_short_report_is_printed_whole_and_no_file_is_written(
    cli, survey_dir, survey_tables, write_survey, tmp_path, monkeypatch
):
    monkeypatch.setattr(command, "DEFAULT_REPORT", tmp_path / "report.txt")
    many_bad_rows(survey_dir, survey_tables, write_survey, 2)
    status, out = cli("validate", survey_dir)
    assert status == 1
    assert "more errors" not in out
    assert not (tmp_path / "report.txt").exists()
    cli("validate", survey_dir, "--max-errors", "1")
    assert (tmp_path / "report.txt").exists()


def test_no_limit_lists_every_error(cli, survey_dir, survey_tables, write_survey):
    many_bad_rows(survey_dir, survey_tables, write_survey, 60)
    _, out = cli("validate", survey_dir, "--max-errors", "0")
    assert "more errors" not in out
    listed, rest = errors_listed(out)
    assert len(listed) > 60 and rest == 0


def test_a_failure_without_words_still_gets_a_message(cli, survey_dir, monkeypatch):
    def exhausted(group):
        raise MemoryError()

    monkeypatch.setattr(command, "validate", exhausted)
    status, out = cli("validate", survey_dir)
    assert status == 2
    assert out.strip() == f"error: could not validate {survey_dir}: not enough memory"


def all_duplicates(path, rows: int) -> None:
    """A platforms table of ``rows`` rows whose ids repeat every 1,000 rows: all are rejected."""
    lines = (paths.SYNTHETIC / "platforms.csv").read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [line.split(",", 1)[1] for line in lines[1:] if line.strip()]
    with path.open("w", encoding="utf-8") as out:
        out.write(header + "\n")
        out.writelines(f"P{i % 1000:05d},{body[i % len(body)]}\n" for i in range(rows))


def test_memory_does_not_grow_with_rejected_rows(tmp_path):
    """300,000 rejected rows in 1 GB of address space; the full report lists every error. (Kept
    one issue and one record per row, validating this file needed more than 2 GB.)"""
    path = tmp_path / "platforms.csv"
    all_duplicates(path, 300_000)
    full = tmp_path / "report.txt"
    out = validate_within(1 << 30, str(path), "--report", str(full), cwd=tmp_path)
    assert "300000 rows read = 0 accepted + 300000 rejected" in out
    assert "Result: INVALID (300000 errors;" in out
    with full.open(encoding="utf-8") as report:
        assert sum(": duplicate-platform-id: " in line for line in report) == 300_000


def test_memory_does_not_grow_with_the_rows_of_a_mapped_wide_file(tmp_path):
    """100,000 holder rows of a wide CSV read through a mapping (500,000 long rows, all rejected)
    in 1 GB of address space. (Holding the holder's rows and the long rows whole, validating
    this file needed more than 1 GB.)"""
    folder = write_large_wide_csv(tmp_path / "survey", 100_000)
    out = validate_within(1 << 30, str(folder), "--report", "report.txt", cwd=tmp_path)
    assert "wide.csv: 100000 rows read through mapping.toml: 200000 platforms rows" in out
    assert "errors; 500000 of 500000 rows rejected)" in out
    with (tmp_path / "report.txt").open(encoding="utf-8") as report:
        assert sum(": unmapped-code: " in line for line in report) == 200_000
