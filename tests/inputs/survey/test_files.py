"""Reading survey files row by row: every line of a CSV is counted once, a damaged line is
rejected on its own, a worksheet is read to its last real row in bounded memory, and a formula
cell without a saved value is an error."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from factories import validate_within

from platformgov import paths
from platformgov.inputs.survey import files, load_survey, validate


def counts(report, file: str) -> tuple[int, int, int]:
    (f,) = [f for f in report.files if f.file == file]
    return f.rows_read, f.rows_accepted, f.rows_rejected


def data_lines(path: Path) -> int:
    """Lines of a CSV after the header, blank ones left out."""
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip())


def edit_line(path: Path, index: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert old in lines[index], lines[index]
    lines[index] = lines[index].replace(old, new, 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def synthetic(tmp_path) -> Path:
    """A copy of the bundled synthetic survey, to damage."""
    folder = tmp_path / "synthetic"
    folder.mkdir()
    for path in paths.SYNTHETIC.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    return folder


def test_an_unclosed_quote_rejects_its_line_only(cli, synthetic):
    platforms = synthetic / "platforms.csv"
    edit_line(platforms, 5, ",", ',"')  # the platform's name opens a quote that never closes
    status, out = cli("validate", synthetic)
    assert status == 1
    report = validate(synthetic)
    rows = data_lines(platforms)
    assert counts(report, "platforms.csv") == (rows, rows - 1, 1)
    (error,) = [e for e in report.errors if e.file == "platforms.csv"]
    assert (error.row, error.rule) == (6, "csv-syntax")
    assert "a quoted field opened on this line is not closed" in error.message
    assert "platforms.csv row 6: csv-syntax: " in out
    # The other tables lose no row to the damaged one.
    assert counts(report, "performance.csv")[2] == 0


def test_an_unclosed_quote_on_the_last_line(survey_dir):
    path = survey_dir / "organisations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[-1] = lines[-1].replace(",", ',"', 1)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = validate(survey_dir)
    assert counts(report, "organisations.csv") == (4, 3, 1)
    assert "never closed" in next(e for e in report.errors if e.rule == "csv-syntax").message


def test_a_quote_closed_lines_later_does_not_merge_the_lines_between(survey_dir):
    path = survey_dir / "platforms.csv"
    edit_line(path, 2, "민주주의", '"민주주의')
    edit_line(path, 4, "공유 센터,", '공유 센터",')  # closing it here would give 11 fields
    report = validate(survey_dir)
    assert counts(report, "platforms.csv") == (6, 5, 1)
    (error,) = [e for e in report.errors if e.file == "platforms.csv"]
    assert (error.row, error.rule) == (3, "csv-syntax")
    assert "runs to line 5 over text separated by commas" in error.message
    names = set(validate(survey_dir).files and load_survey(survey_dir).platforms["platform_name"])
    assert "종로 주민 제안" in names


def test_a_stray_quote_rejects_its_line_only(survey_dir):
    edit_line(survey_dir / "platforms.csv", 1, "서울 열린데이터광장", '"서울 열린"데이터광장')
    report = validate(survey_dir)
    assert counts(report, "platforms.csv") == (6, 5, 1)
    (error,) = [e for e in report.errors if e.file == "platforms.csv"]
    assert (error.row, error.rule) == (2, "csv-syntax")


def test_a_quoted_line_break_is_one_row_and_is_reported(survey_dir):
    path = survey_dir / "platforms.csv"
    edit_line(path, 1, "서울 열린데이터광장", '"서울\n열린데이터광장"')
    report = validate(survey_dir)
    assert report.ok, report.to_text()
    assert counts(report, "platforms.csv") == (6, 6, 0)
    (change,) = [n for n in report.normalisations if n.column == "platform_name"]
    assert (change.row, change.old, change.new) == (
        2,
        "서울\n열린데이터광장",
        "서울 열린데이터광장",
    )
    assert change.reason == "line break or tab replaced by a space"
    # The row after the two-line one is numbered by its line in the file.
    survey = validate(survey_dir)
    assert survey.rows_read == 16


def test_an_overlong_line_is_rejected_without_being_held(survey_dir, monkeypatch):
    monkeypatch.setattr(files, "MAX_LINE_CHARS", 160)
    edit_line(survey_dir / "platforms.csv", 3, "종로 주민 제안", "종로 " + "가" * 300)
    report = validate(survey_dir)
    assert counts(report, "platforms.csv") == (6, 5, 1)
    (error,) = [e for e in report.errors if e.file == "platforms.csv"]
    assert error.row == 4
    assert "longer than 160 characters" in error.message


# --- XLSX ------------------------------------------------------------------------------------

ORGANISATIONS = ["lg_code", "respondent_unit", "it_staff", "has_platform_strategy"]


def organisations_book(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "organisations"
    sheet.append(ORGANISATIONS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_formula_without_a_saved_value_is_an_error(cli, tmp_path, lg):
    # openpyxl writes formulas without computing them, like many programs that export XLSX.
    book = organisations_book(
        tmp_path / "organisations.xlsx",
        [[lg["seoul"], "planning", "=2+3", 1], [lg["jongno"], "planning", 4, 1]],
    )
    status, out = cli("validate", book)
    assert status == 1
    report = validate(book)
    assert counts(report, "organisations.xlsx[organisations]") == (2, 1, 1)
    (error,) = report.errors
    assert (error.row, error.column, error.value, error.rule) == (
        2,
        "it_staff",
        "=2+3",
        "formula-value",
    )
    assert (
        "organisations.xlsx[organisations] row 2, column 'it_staff', value '=2+3': formula-value"
        in out
    )


def saved_value(book: Path, cell: str, value: str, kind: str = "n") -> None:
    """Give the formula in ``cell`` a saved value, as a spreadsheet program would."""
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    xml = parts[member].decode()
    start = xml.index(f'<c r="{cell}"')
    end = xml.index("</c>", start)
    formula = xml[xml.index("<f>", start) : xml.index("</f>", start) + 4]
    parts[member] = (
        xml[:start] + f'<c r="{cell}" t="{kind}">{formula}<v>{value}</v>' + xml[end:]
    ).encode()
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_formula_with_a_saved_value_reads_the_value(tmp_path, lg):
    book = organisations_book(
        tmp_path / "organisations.xlsx", [[lg["seoul"], "planning", "=2+3", 1]]
    )
    saved_value(book, "C2", "5")
    report = validate(book)
    assert report.ok, report.to_text()


def test_a_formula_whose_saved_value_is_an_error_is_an_error(tmp_path, lg):
    book = organisations_book(
        tmp_path / "organisations.xlsx", [[lg["seoul"], "planning", "=1/0", 1]]
    )
    saved_value(book, "C2", "#DIV/0!", kind="e")
    (error,) = validate(book).errors
    assert (error.rule, error.column) == ("formula-value", "it_staff")
    assert "#DIV/0!" in error.message


def test_a_far_cell_is_read_in_bounded_memory(tmp_path, lg):
    """One value at XFD1048576 declares a sheet of 17 billion cells: reading it must neither
    build that grid nor trust the declared size."""
    book = organisations_book(tmp_path / "organisations.xlsx", [[lg["seoul"], "planning", 3, 1]])
    far = openpyxl.load_workbook(book)
    far.active["XFD1048576"] = "x"
    far.save(book)
    assert book.stat().st_size < 100_000
    out = validate_within(1_500_000_000, str(book), cwd=tmp_path)
    assert "2 rows read = 1 accepted + 1 rejected" in out
    assert (
        "organisations.xlsx[organisations] row 1048576, value 'x': field-count: "
        "column 16384 holds a value but has no header" in out
    )
    assert "1048573 blank rows skipped" in out
    assert "Traceback" not in out


def test_trailing_empty_rows_and_columns_are_not_data(tmp_path, lg):
    book = organisations_book(tmp_path / "organisations.xlsx", [[lg["seoul"], "planning", 3, 1]])
    styled = openpyxl.load_workbook(book)
    sheet = styled.active
    for row in range(3, 2000):  # formatted but empty cells, as spreadsheets leave them
        sheet.cell(row=row, column=30).number_format = "0.00"
    styled.save(book)
    report = validate(book)
    assert report.ok, report.to_text()
    assert counts(report, "organisations.xlsx[organisations]") == (1, 1, 0)


def test_a_damaged_sheet_ends_with_a_message(tmp_path, lg):
    book = organisations_book(tmp_path / "organisations.xlsx", [[lg["seoul"], "planning", 3, 1]])
    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(book) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[member] = parts[member][: len(parts[member]) // 2]  # cut off in the middle
    with zipfile.ZipFile(book, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    report = validate(book)
    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert any("read-error" in m and m.rstrip().endswith(")") for m in messages), messages
