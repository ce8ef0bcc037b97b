"""The validate command: a capped list of errors, the full report in a file, and a message for
every failure."""

from __future__ import annotations

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
