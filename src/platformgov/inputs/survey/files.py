"""Reading survey files as text, row by row: CSV in UTF-8, UTF-8 with a byte-order mark or
CP949, and XLSX.

Files are streamed, never held whole: a CSV is checked for its encoding in chunks and then read
line by line; a worksheet is read row by row in openpyxl's read-only mode, ignoring the size the
file declares. A table's rows are produced lazily (``RawTable.records``) and checked as they
come. Every line of a CSV is accounted for: a line that cannot be parsed is rejected on its own
and reading goes on with the next line, so a stray quote never swallows the rest of the file.
"""

from __future__ import annotations

import codecs
import csv
import warnings
import zipfile
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformgov.inputs.survey.report import Issue, Normalisation
from platformgov.inputs.survey.rules import WARNING_RULES

#: Bytes decoded at a time when checking a CSV's encoding.
CHUNK = 1 << 20
#: A quoted field may hold line breaks, but one row spans at most this many lines.
MAX_ROW_LINES = 32
#: A line longer than this (in characters) is rejected without being held in memory.
MAX_LINE_CHARS = 1 << 20
#: What the spreadsheet shows in a cell whose formula failed.
FORMULA_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA"}
)

#: One record as read: the row number a person sees, and its fields, or the issue rejecting it.
Record = tuple[int, "list[str] | Issue"]


@dataclass
class RawTable:
    """One table's cells as text, before any checking.

    ``records`` yields ``(row, fields)`` once, lazily; ``fields`` is an ``Issue`` when the row
    could not be read. ``issues`` and ``normalisations`` may grow while ``records`` is consumed.
    """

    file: str
    table: str | None
    encoding: str | None = None
    header: list[str] | None = None  # None: nothing could be read
    records: Iterable[tuple[int, Any]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)  # file-level problems
    normalisations: list[Normalisation] = field(default_factory=list)
    xlsx: bool = False


def read_error(file: str, rule: str, message: str, row=None, column=None, value=None) -> Issue:
    severity = "warning" if rule in WARNING_RULES else "error"
    return Issue(severity, file, row, column, value, rule, message)


def failure_reason(exc: BaseException) -> str:
    """A sentence for any exception, never an empty one."""
    if isinstance(exc, MemoryError):
        return "not enough memory"
    if isinstance(exc, OSError):
        return os_reason(exc)
    detail = str(exc).splitlines()[0].strip() if str(exc).strip() else ""
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _is_blank(fields: Sequence[str]) -> bool:
    return all(not f.strip() for f in fields)


# --- CSV -------------------------------------------------------------------------------------


def _first_invalid(path: Path, codec: str, start: int) -> tuple[int | None, int, bool]:
    """Decode the file from byte ``start`` in chunks: (offset of the first invalid byte or
    None, its line, whether any byte is not whitespace)."""
    decoder = codecs.getincrementaldecoder(codec)()
    base = start
    lines = 1
    content = False
    with path.open("rb") as f:
        f.seek(start)
        while True:
            chunk = f.read(CHUNK)
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                at = base - pending + exc.start
                within = max(at - base, 0)
                return at, lines + chunk[:within].count(b"\n"), True
            if not chunk:
                return None, lines, content
            content = content or bool(chunk.strip())
            lines += chunk.count(b"\n")
            base += len(chunk)


def _choose_codec(raw: RawTable, path: Path) -> str | None:
    """The codec to read ``path`` with (UTF-8, BOM aware, then CP949), recorded in ``raw``."""
    with path.open("rb") as f:
        head = f.read(3)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raw.issues.append(
            read_error(
                raw.file,
                "encoding",
                "the file is UTF-16 (it starts with a UTF-16 byte-order mark, offset 0); "
                "save it as UTF-8 or CP949",
            )
        )
        return None
    bom = head == b"\xef\xbb\xbf"
    at, line, content = _first_invalid(path, "utf-8", 3 if bom else 0)
    if not content and at is None:
        raw.issues.append(read_error(raw.file, "empty-file", "the file is empty"))
        return None
    if bom:
        raw.encoding = "UTF-8 with BOM"
        if at is not None:
            raw.issues.append(
                read_error(
                    raw.file,
                    "encoding",
                    f"the file starts with a UTF-8 byte-order mark but byte "
                    f"0x{_byte(path, at)} at offset {at} is not valid UTF-8",
                    row=line,
                )
            )
            return None
        raw.normalisations.append(
            Normalisation(
                raw.file, None, None, "UTF-8 with BOM", "UTF-8", "byte-order mark removed"
            )
        )
        return "utf-8-sig"
    if at is None:
        raw.encoding = "UTF-8"
        return "utf-8"
    cp949_at, _, _ = _first_invalid(path, "cp949", 0)
    if cp949_at is not None:
        raw.issues.append(
            read_error(
                raw.file,
                "encoding",
                f"neither UTF-8 (byte 0x{_byte(path, at)} at offset {at} is invalid) nor CP949 "
                f"(invalid at offset {cp949_at}); save the file as UTF-8",
                row=line,
            )
        )
        return None
    raw.encoding = "CP949"
    raw.normalisations.append(
        Normalisation(raw.file, None, None, "CP949", "UTF-8", "decoded from CP949")
    )
    return "cp949"


def _byte(path: Path, offset: int) -> str:
    with path.open("rb") as f:
        f.seek(offset)
        return f.read(1).hex().upper()


def _lines(path: Path, codec: str) -> Iterator[str | None]:
    """The file's lines with their line breaks; None for a line too long to hold."""
    with path.open("r", encoding=codec, newline="") as f:
        while line := f.readline(MAX_LINE_CHARS):
            if len(line) == MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
                while (rest := f.readline(MAX_LINE_CHARS)) and not rest.endswith(("\n", "\r")):
                    pass
                yield None
            else:
                yield line


_OPEN = "unexpected end of data"  # csv's word for a quoted field still open at the end


def _parse(lines: list[str]) -> tuple[list[str] | None, str]:
    try:
        rows = list(csv.reader(lines, strict=True))
    except csv.Error as exc:
        return None, str(exc)
    return (rows[0] if rows else []), ""


class CsvRows:
    """Split lines into rows: ``(first line, fields or None, why it cannot be parsed)``.

    A quoted field may run over line breaks. When it is not closed within
    :data:`MAX_ROW_LINES` lines, when the lines it runs over hold commas (whole rows swallowed
    by a stray quote), or when closing it gives a row whose number of fields differs from the
    header's (``width``, once known), the first line alone is rejected and reading resumes on
    the next line: each line is counted once, in one row.
    """

    def __init__(self, lines: Iterable[str | None]):
        self._numbered = enumerate(lines, 1)
        self._ahead: deque[tuple[int, str | None]] = deque()
        self.width: int | None = None

    def _pull(self) -> tuple[int, str | None] | None:
        return self._ahead.popleft() if self._ahead else next(self._numbered, None)

    def __iter__(self) -> Iterator[tuple[int, list[str] | None, str]]:
        while (item := self._pull()) is not None:
            n, line = item
            if line is None:
                yield n, None, f"the line is longer than {MAX_LINE_CHARS:,} characters"
                continue
            fields, problem = _parse([line])
            if problem != _OPEN:
                yield n, fields, problem
                continue
            yield self._spanning(n, line)

    def _spanning(self, n: int, line: str) -> tuple[int, list[str] | None, str]:
        """The row starting with ``line``, whose quoted field is still open at its end."""
        taken: list[tuple[int, str | None]] = []
        chunk = [line]
        why = f"a quoted field opened on this line is not closed within {MAX_ROW_LINES} lines"
        while len(chunk) < MAX_ROW_LINES:
            item = self._pull()
            if item is None:
                why = "a quoted field opened on this line is never closed"
                break
            taken.append(item)
            if item[1] is None:
                why = "a quoted field opened on this line runs into an overlong line"
                break
            chunk.append(item[1])
            if '"' not in item[1]:
                continue
            fields, problem = _parse(chunk)
            if problem == _OPEN:
                continue
            if problem:
                why = f"{problem}, in the quoted field opened on this line"
                break
            assert fields is not None
            if _holds_rows(chunk):
                why = (
                    f"a quoted field opened on this line runs to line {item[0]} over text "
                    "separated by commas, as whole rows are"
                )
                break
            if self.width is None or len(fields) == self.width:
                return n, fields, ""
            why = (
                f"a quoted field opened on this line closes on line {item[0]}, giving "
                f"{len(fields)} fields where the header has {self.width}"
            )
            break
        self._ahead.extendleft(reversed(taken))
        return n, None, why + "; the line is read alone and the next line as a new row"


def _holds_rows(chunk: list[str]) -> bool:
    """Whether the lines a quoted field runs over hold commas: rows swallowed by a stray quote,
    not a value with a line break."""
    inside = [*chunk[1:-1], chunk[-1].split('"', 1)[0]]
    return any("," in line for line in inside)


def read_csv(path: Path, file: str, table: str | None) -> RawTable:
    raw = RawTable(file=file, table=table)
    try:
        codec = _choose_codec(raw, path)
        if codec is None:
            return raw
        rows = CsvRows(_lines(path, codec))
        stream = iter(rows)
        first = next(stream, None)
    except (OSError, MemoryError) as exc:
        raw.issues.append(
            read_error(file, "read-error", f"cannot read the file ({failure_reason(exc)})")
        )
        return raw
    if first is None:
        raw.issues.append(read_error(file, "empty-file", "the file is empty"))
        return raw
    if _take_header(raw, first, stream, "the file is empty"):
        rows.width = len(raw.header or [])
        raw.records = _body(raw, stream)
    return raw


def _take_header(
    raw: RawTable,
    first: tuple[int, list[str] | None, Any],
    rest: Iterator[tuple[int, list[str] | None, Any]],
    empty: str,
) -> bool:
    """Take row 1 as the header; record why not when it cannot be."""
    _, fields, problem = first
    if isinstance(problem, Issue):
        raw.issues.append(problem)
        return False
    if fields is None:
        raw.issues.append(
            read_error(raw.file, "csv-syntax", f"the header cannot be parsed ({problem})", 1)
        )
        return False
    if _is_blank(fields):
        if any(f is None or not _is_blank(f) for _, f, _ in rest):
            raw.issues.append(
                read_error(raw.file, "missing-column", "row 1 must hold the column names", 1)
            )
        else:
            raw.issues.append(read_error(raw.file, "empty-file", empty))
        return False
    raw.header = list(fields)
    return True


def _body(raw: RawTable, rows: Iterator[tuple[int, list[str] | None, Any]]) -> Iterator[Record]:
    """The data rows after the header; runs of blank rows are skipped and recorded."""
    blank_from, blanks = 0, 0
    n = 1
    try:
        for n, fields, problem in rows:
            if fields is not None and _is_blank(fields):
                blank_from = blank_from if blanks else n
                blanks += 1
                continue
            if blanks:
                reason = "blank row skipped" if blanks == 1 else f"{blanks} blank rows skipped"
                raw.normalisations.append(Normalisation(raw.file, blank_from, None, "", "", reason))
                blanks = 0
            if isinstance(problem, Issue):
                yield n, problem
            elif fields is None:
                yield (
                    n,
                    read_error(raw.file, "csv-syntax", f"the row cannot be parsed ({problem})", n),
                )
            else:
                yield n, fields
    except Exception as exc:  # a damaged file or sheet, or no memory left
        message = f"reading stopped after row {n} ({failure_reason(exc)})"
        raw.issues.append(read_error(raw.file, "read-error", message, n))
        return
    if blanks:
        raw.normalisations.append(
            Normalisation(
                raw.file, blank_from, None, "", "", f"{blanks} blank rows at the end skipped"
            )
        )


# --- XLSX ------------------------------------------------------------------------------------


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


def _formula_text(value: Any) -> str | None:
    """The formula a cell holds (openpyxl without ``data_only``), or None."""
    if isinstance(value, str):
        return value if value.startswith("=") else None
    text = getattr(value, "text", None)  # ArrayFormula, DataTableFormula
    return str(text) if text is not None else (type(value).__name__ if value is not None else None)


class Workbook:
    """An XLSX workbook opened once, read-only and streamed; errors become a message.

    It is opened twice: once for the values a spreadsheet program saved, once for the formulas,
    so that a formula cell without a saved value is an error rather than a missing answer.
    """

    def __init__(self, path: Path):
        self.path = path
        self.book = None
        self.formulas = None
        self.error: str | None = None
        try:
            import openpyxl

            with warnings.catch_warnings():  # e.g. "Data Validation extension not supported"
                warnings.simplefilter("ignore")
                self.book = openpyxl.load_workbook(path, read_only=True, data_only=True)
                self.formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except OSError as exc:
            self.error = f"cannot read the file ({os_reason(exc)})"
        except zipfile.BadZipFile:
            self.error = "not a valid XLSX workbook (the file is not a zip archive)"
        except MemoryError:
            self.error = "the workbook cannot be opened: not enough memory"
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            self.error = f"not a valid XLSX workbook ({failure_reason(exc)})"
        if self.error:
            self.close()

    def close(self) -> None:
        for book in (self.book, self.formulas):
            if book is not None:
                book.close()
        self.book = self.formulas = None

    @property
    def sheets(self) -> list[str]:
        # Worksheets only: a chart sheet holds no table.
        return [ws.title for ws in self.book.worksheets] if self.book is not None else []

    def sheet_for(self, table: str) -> str | None:
        for name in self.sheets:
            if name.strip().casefold() == table:
                return name
        return None

    def _values(self, book, sheet: str) -> Iterator[tuple]:
        ws = book[sheet]
        ws.reset_dimensions()  # the size the file declares may be anything: read what is there
        return ws.iter_rows(min_row=1, min_col=1, values_only=True)

    def nonempty_sheets(self) -> list[str]:
        found = []
        for name in self.sheets:
            try:
                if any(
                    not _is_blank([_cell_text(c) for c in r]) for r in self._values(self.book, name)
                ):
                    found.append(name)
            except Exception:  # a damaged sheet is reported when it is read
                found.append(name)
        return found

    def _rows(
        self, sheet: str, file: str, header: list[str]
    ) -> Iterator[tuple[int, list[str] | None, str | Issue]]:
        """Rows as text; a formula cell without a usable saved value rejects its row."""
        pairs = zip(self._values(self.book, sheet), self._values(self.formulas, sheet), strict=True)
        for n, (values, formulas) in enumerate(pairs, 1):
            bad = []
            for i, (value, formula) in enumerate(zip(values, formulas, strict=True)):
                text = _formula_text(formula)
                if text is not None and (value is None or value in FORMULA_ERRORS):
                    bad.append((i, text, value))
            if bad:
                yield n, None, _formula_issue(file, n, bad, header)
            else:
                yield n, [_cell_text(c) for c in values], ""

    def read(self, sheet: str, file: str, table: str | None) -> RawTable:
        raw = RawTable(file=file, table=table, encoding="XLSX", xlsx=True)
        header: list[str] = []
        stream = self._rows(sheet, file, header)
        try:
            first = next(stream, None)
        except Exception as exc:
            raw.issues.append(
                read_error(file, "read-error", f"cannot read the sheet ({failure_reason(exc)})")
            )
            return raw
        if first is None:
            raw.issues.append(read_error(file, "empty-file", "the sheet is empty"))
            return raw
        if not _take_header(raw, first, stream, "the sheet is empty"):
            return raw
        assert raw.header is not None
        # Columns after the last named one are not part of the table's header.
        width = max(i for i, name in enumerate(raw.header) if name.strip()) + 1
        raw.header = raw.header[:width]
        header[:] = raw.header
        raw.records = _body(raw, stream)
        return raw


def _formula_issue(file: str, n: int, bad: list[tuple[int, str, Any]], header: list[str]) -> Issue:
    i, formula, value = bad[0]
    name = header[i].strip() if i < len(header) and header[i].strip() else f"column {i + 1}"
    if value is None:
        message = "the formula has no saved value: the program that wrote the file does not "
        message += "calculate formulas; open and save it in a spreadsheet program, or paste values"
    else:
        message = f"the formula's saved value is the error {value}; correct it or enter the value"
    if len(bad) > 1:
        message += f" ({len(bad) - 1} more formula cells in the row)"
    return read_error(file, "formula-value", message, n, name, formula)
