"""Reading survey files as text: CSV in UTF-8, UTF-8 with a byte-order mark or CP949, and XLSX."""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformgov.inputs.survey.report import Issue, Normalisation
from platformgov.inputs.survey.rules import WARNING_RULES


@dataclass
class RawTable:
    """One table's cells as text, before any checking."""

    file: str
    table: str | None
    encoding: str | None = None
    header: list[str] | None = None  # None: nothing could be read
    records: list[tuple[int, list[str]]] = field(default_factory=list)
    bad_rows: list[Issue] = field(default_factory=list)  # rows the parser could not split
    issues: list[Issue] = field(default_factory=list)  # file-level problems
    normalisations: list[Normalisation] = field(default_factory=list)
    xlsx: bool = False


def read_error(file: str, rule: str, message: str, row=None, column=None, value=None) -> Issue:
    severity = "warning" if rule in WARNING_RULES else "error"
    return Issue(severity, file, row, column, value, rule, message)


def _decode(raw: RawTable, data: bytes) -> str | None:
    """Decode CSV bytes: UTF-8 (BOM aware), then CP949; record what was done."""
    if data.startswith(b"\xef\xbb\xbf"):
        raw.encoding = "UTF-8 with BOM"
        try:
            text = data[3:].decode("utf-8")
        except UnicodeDecodeError as exc:
            _encoding_error(raw, data, exc.start + 3, None)
            return None
        raw.normalisations.append(
            Normalisation(
                raw.file, None, None, "UTF-8 with BOM", "UTF-8", "byte-order mark removed"
            )
        )
        return text
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw.issues.append(
            read_error(
                raw.file,
                "encoding",
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark, offset 0); "
                "save it as UTF-8 or CP949",
            )
        )
        return None
    try:
        text = data.decode("utf-8")
        raw.encoding = "UTF-8"
        return text
    except UnicodeDecodeError as exc:
        utf8_at = exc.start
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError as exc:
        _encoding_error(raw, data, utf8_at, exc.start)
        return None
    raw.encoding = "CP949"
    raw.normalisations.append(
        Normalisation(raw.file, None, None, "CP949", "UTF-8", "decoded from CP949")
    )
    return text


def _encoding_error(raw: RawTable, data: bytes, utf8_at: int, cp949_at: int | None) -> None:
    line = data[:utf8_at].count(b"\n") + 1
    byte = data[utf8_at : utf8_at + 1].hex().upper()
    if cp949_at is None:
        message = (
            f"the file starts with a UTF-8 byte-order mark but byte 0x{byte} at offset "
            f"{utf8_at} is not valid UTF-8"
        )
    else:
        message = (
            f"neither UTF-8 (byte 0x{byte} at offset {utf8_at} is invalid) nor CP949 "
            f"(invalid at offset {cp949_at}); save the file as UTF-8"
        )
    raw.issues.append(read_error(raw.file, "encoding", message, row=line))


def _is_blank(fields: Sequence[str]) -> bool:
    return all(not f.strip() for f in fields)


def read_csv(path: Path, file: str, table: str | None) -> RawTable:
    raw = RawTable(file=file, table=table)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raw.issues.append(
            read_error(file, "read-error", f"cannot read the file ({os_reason(exc)})")
        )
        return raw
    if not data.strip():
        raw.issues.append(read_error(file, "empty-file", "the file is empty"))
        return raw
    text = _decode(raw, data)
    if text is None:
        return raw
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str] | None, str]] = []
    last = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            rows.append((last + 1, None, str(exc)))
        else:
            rows.append((last + 1, fields, ""))
        last = reader.line_num
    _take_rows(raw, rows)
    return raw


def _take_rows(raw: RawTable, rows: list[tuple[int, list[str] | None, str]]) -> None:
    """Split parsed rows into header, records and blank rows (recorded as skipped)."""
    if not rows or rows[0][1] is None or _is_blank(rows[0][1]):
        if rows and rows[0][1] is None:
            raw.issues.append(
                read_error(raw.file, "csv-syntax", f"the header cannot be parsed ({rows[0][2]})", 1)
            )
        elif len(rows) > 1 or (rows and rows[0][1]):
            raw.issues.append(
                read_error(raw.file, "missing-column", "row 1 must hold the column names", 1)
            )
        else:
            raw.issues.append(read_error(raw.file, "empty-file", "the file is empty"))
        return
    raw.header = list(rows[0][1])
    body = rows[1:]
    last_data = max(
        (i for i, (_, fields, _) in enumerate(body) if fields is None or not _is_blank(fields)),
        default=-1,
    )
    for i, (n, fields, problem) in enumerate(body):
        if fields is None:
            raw.bad_rows.append(
                read_error(raw.file, "csv-syntax", f"the row cannot be parsed ({problem})", n)
            )
            raw.records.append((n, []))
        elif _is_blank(fields):
            if i < last_data:
                raw.normalisations.append(
                    Normalisation(raw.file, n, None, "", "", "blank row skipped")
                )
        else:
            raw.records.append((n, list(fields)))
    trailing = len(body) - 1 - last_data
    if trailing > 0:
        first = body[last_data + 1][0]
        raw.normalisations.append(
            Normalisation(
                raw.file, first, None, "", "", f"{trailing} blank rows at the end skipped"
            )
        )


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


class Workbook:
    """An XLSX workbook opened once; errors become a message instead of an exception."""

    def __init__(self, path: Path):
        self.path = path
        self.book = None
        self.error: str | None = None
        try:
            import openpyxl

            with warnings.catch_warnings():  # e.g. "Data Validation extension not supported"
                warnings.simplefilter("ignore")
                self.book = openpyxl.load_workbook(path, data_only=True)
        except OSError as exc:
            self.error = f"cannot read the file ({os_reason(exc)})"
        except zipfile.BadZipFile:
            self.error = "not a valid XLSX workbook (the file is not a zip archive)"
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            detail = str(exc).splitlines()[0] if str(exc) else ""
            self.error = f"not a valid XLSX workbook ({type(exc).__name__}: {detail})".replace(
                ": )", ")"
            )

    @property
    def sheets(self) -> list[str]:
        # Worksheets only: a chart sheet holds no table.
        return [ws.title for ws in self.book.worksheets] if self.book is not None else []

    def sheet_for(self, table: str) -> str | None:
        for name in self.sheets:
            if name.strip().casefold() == table:
                return name
        return None

    def nonempty_sheets(self) -> list[str]:
        return [n for n in self.sheets if self.book[n].max_row > 1 or self.book[n]["A1"].value]

    def read(self, sheet: str, file: str, table: str | None) -> RawTable:
        raw = RawTable(file=file, table=table, encoding="XLSX", xlsx=True)
        ws = self.book[sheet]
        rows: list[tuple[int, list[str] | None, str]] = []
        for n, cells in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True), 1):
            rows.append((n, [_cell_text(c) for c in cells], ""))
        if not rows or all(_is_blank(r[1] or []) for r in rows):
            raw.issues.append(read_error(file, "empty-file", "the sheet is empty"))
            return raw
        _take_rows(raw, rows)
        if raw.header is not None:
            # Columns after the last named one are not part of the table's header.
            width = max(i for i, name in enumerate(raw.header) if name.strip()) + 1
            raw.header = raw.header[:width]
        return raw
