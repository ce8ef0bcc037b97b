"""Reading the holder's survey file as it is: SPSS (.sav), Stata (.dta), or a wide CSV or XLSX.

Each cell becomes text (whole numbers without decimals, a system-missing value empty); SPSS and
Stata files bring their value labels and the missing values they declare, read with
``pyreadstat`` (``user_missing=True``), so that a declared code such as 9 is known to mean
"no answer" rather than guessed. Rows are numbered as the holder counts them: an SPSS or
Stata file by case (the first case is row 1, as in SPSS's Data View), a CSV or XLSX file by
its spreadsheet row (the header is row 1).

Opening the file reads its columns and metadata only; each call of ``HolderFile.records``
reads its rows afresh, one at a time (SPSS and Stata in chunks of cases), so memory does not
grow with the file's rows, however many passes are made.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformgov.inputs.survey.files import (
    RawTable,
    Record,
    Workbook,
    os_reason,
    read_csv,
    read_error,
)
from platformgov.inputs.survey.mapping import STAT_SUFFIXES, number_text
from platformgov.inputs.survey.report import Issue, Normalisation, ValidationReport

_STATA_MISSING = re.compile(r"\.[a-z]?")


@dataclass
class HolderFile:
    """The holder's file: its columns, value labels and declared missing values, and its rows
    read afresh on each call of :meth:`records`, one at a time, so that no pass holds the file."""

    name: str  # as messages name it: survey.sav, answers.xlsx[응답]
    kind: str  # SPSS, Stata, XLSX or the CSV's encoding
    columns: list[str] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column → code → label
    ranges: dict[str, list[tuple[object, object]]] = field(default_factory=dict)  # SPSS
    stata: bool = False
    issues: list[Issue] = field(default_factory=list)  # found on opening the file
    normalisations: list[Normalisation] = field(default_factory=list)
    rows_read: int = 0  # rows of the last complete pass
    _open: Callable[[Any], Iterator[Record]] | None = None

    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.columns)}

    def records(self, report: ValidationReport | None = None) -> Iterator[Record]:
        """The file's rows in order, as ``(row, cells)``, or ``(row, issue)`` for a row that
        cannot be read. Problems with the file found while reading (a read that stops, blank
        rows skipped) go to ``report`` when one is given: one pass reports them, the others
        read past them."""
        if self._open is None:
            return
        count = 0
        for n, cells in self._open(report if report is not None else _Discard()):
            count += 1
            yield n, cells
        self.rows_read = count

    def declared_missing(self, column: str, text: str) -> bool:
        """Whether the file itself declares ``text`` a missing value of ``column``."""
        if self.stata and _STATA_MISSING.fullmatch(text):
            return True
        for lo, hi in self.ranges.get(column, ()):
            if isinstance(lo, str) or isinstance(hi, str):
                if text == str(lo).strip():
                    return True
                continue
            try:
                value = float(text)
            except ValueError:
                continue
            if lo <= value <= hi:
                return True
        return False

    def label(self, column: str, text: str) -> str | None:
        return self.labels.get(column, {}).get(text)


class _Discard:
    """Where a pass that does not report puts what it finds."""

    def add(self, issue: Issue) -> None:
        pass

    def extend(self, items: Iterable[Issue | Normalisation]) -> None:
        pass


def read_holder(path: Path, sheet: str | None = None) -> HolderFile:
    """Open the holder's file: its columns and metadata now, its rows on each pass."""
    suffix = path.suffix.casefold()
    if suffix in STAT_SUFFIXES:
        return _read_stat(path)
    if suffix == ".csv":
        return _from_raw(path.name, lambda: read_csv(path, path.name, None))
    if suffix in (".xlsx", ".xlsm"):
        book = Workbook(path)
        holder = HolderFile(path.name, "XLSX")
        if book.error:
            holder.issues.append(read_error(path.name, "read-error", book.error))
            return holder
        try:
            if sheet is None:
                nonempty = book.nonempty_sheets()
                if len(nonempty) != 1:
                    message = (
                        f"the workbook has {len(nonempty)} non-empty sheets "
                        f"({', '.join(nonempty)}): name one in the mapping's [survey] sheet = …"
                    )
                    holder.issues.append(read_error(path.name, "read-error", message))
                    return holder
                sheet = nonempty[0]
            elif sheet not in book.sheets:
                message = f"the workbook has no sheet {sheet!r} (sheets: {', '.join(book.sheets)})"
                holder.issues.append(read_error(path.name, "read-error", message))
                return holder
        finally:
            book.close()
        name = f"{path.name}[{sheet}]"
        return _from_raw(name, lambda: _sheet(path, sheet, name))
    holder = HolderFile(path.name, "")
    message = f"unsupported file type {path.suffix or '(none)'}; use .sav, .dta, .csv or .xlsx"
    holder.issues.append(read_error(path.name, "read-error", message))
    return holder


@contextmanager
def _sheet(path: Path, sheet: str, name: str):
    book = Workbook(path)
    try:
        if book.error:
            raw = RawTable(file=name, encoding="XLSX", xlsx=True)
            raw.issues.append(read_error(path.name, "read-error", book.error))
            yield raw
        else:
            yield book.read(sheet, name, None)
    finally:
        book.close()


@contextmanager
def _plain(raw: RawTable):
    yield raw


def _from_raw(name: str, open_raw: Callable[[], Any]) -> HolderFile:
    """A CSV file or a sheet: the header and the issues of opening it now, its rows per pass
    (``open_raw`` reads the file afresh, as a :class:`RawTable` or a context giving one)."""
    first = open_raw()
    context = first if hasattr(first, "__enter__") else _plain(first)
    with context as raw:
        holder = HolderFile(name, raw.encoding or "")
        holder.issues.extend(raw.issues)
        holder.normalisations.extend(raw.normalisations)
        if raw.header is None:
            return holder
        holder.columns = [h.strip() for h in raw.header]

    def rows(report: ValidationReport) -> Iterator[Record]:
        opened = open_raw()
        with opened if hasattr(opened, "__enter__") else _plain(opened) as raw:
            raw.issues.clear()  # reported on opening the file
            raw.normalisations.clear()
            yield from _cells(name, raw, len(holder.columns), report)

    holder._open = rows
    return holder


def _cells(name: str, raw: RawTable, width: int, report: ValidationReport) -> Iterator[Record]:
    for n, fields in raw.records:
        if raw.issues or raw.normalisations:
            _flush(raw, report)
        if isinstance(fields, Issue):
            yield n, fields
            continue
        extra = [i for i in range(width, len(fields)) if fields[i].strip()]
        if (not raw.xlsx and len(fields) != width) or extra:
            message = f"the row has {len(fields)} fields, the header has {width}"
            if raw.xlsx:
                message = f"column {extra[0] + 1} holds a value but has no header"
            yield n, read_error(name, "field-count", message, n)
            continue
        cells = [f.strip() for f in fields[:width]]
        yield n, cells + [""] * (width - len(cells))
    _flush(raw, report)


def _flush(raw: RawTable, report: ValidationReport) -> None:
    report.extend(raw.issues)
    report.extend(raw.normalisations)
    raw.issues.clear()
    raw.normalisations.clear()


#: Cases read from an SPSS or Stata file at a time.
CHUNK_ROWS = 10_000


def _read_stat(path: Path) -> HolderFile:
    """Open the file for its metadata; each pass reads it in chunks of :data:`CHUNK_ROWS`
    cases, each turned into text at once, so that the data frame of the whole file is never
    held."""
    import pyreadstat

    stata = path.suffix.casefold() == ".dta"
    what = "a Stata" if stata else "an SPSS"
    holder = HolderFile(path.name, "Stata" if stata else "SPSS", stata=stata)
    reader = pyreadstat.read_dta if stata else pyreadstat.read_sav

    def failure(exc: Exception) -> Issue:
        if isinstance(exc, OSError):
            message = f"cannot read the file ({os_reason(exc)})"
        else:  # pyreadstat raises its own kinds on a damaged file
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            message = f"not {what} file that can be read ({detail})"
        return read_error(path.name, "read-error", message)

    try:
        with open(path, "rb"):  # opened in Python so that a build records the file as an input
            frame, meta = reader(str(path), metadataonly=True, user_missing=True)
    except Exception as exc:
        holder.issues.append(failure(exc))
        return holder
    _metadata(holder, frame, meta)
    types = getattr(meta, "readstat_variable_types", None) or {}
    if getattr(meta, "number_rows", None) == 0:
        holder.issues.append(read_error(path.name, "header-only", "the file has no cases"))
        return holder

    def rows(report: ValidationReport) -> Iterator[Record]:
        n = 0
        try:
            with open(path, "rb"):
                chunks = pyreadstat.read_file_in_chunks(
                    reader, str(path), chunksize=CHUNK_ROWS, user_missing=True
                )
                for frame, _ in chunks:
                    texts = [
                        [_text(v, stata and types.get(c) != "string") for v in frame[c].tolist()]
                        for c in frame.columns
                    ]
                    for i in range(len(frame)):
                        n += 1
                        yield n, [col[i] for col in texts]
        except Exception as exc:
            issue = failure(exc)
            if n:
                issue = dataclasses.replace(
                    issue, message=f"reading stopped after case {n}: {issue.message}", row=n
                )
            report.add(issue)
            return
        if not n:
            report.add(read_error(path.name, "header-only", "the file has no cases"))

    holder._open = rows
    return holder


def _metadata(holder: HolderFile, frame, meta) -> None:
    """Columns, value labels and declared missing values, as the file's metadata gives them."""
    holder.columns = [str(c) for c in frame.columns]
    for column, labels in (meta.variable_value_labels or {}).items():
        holder.labels[column] = {number_text(k): str(v) for k, v in labels.items()}
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        holder.ranges[column] = [(r["lo"], r["hi"]) for r in ranges]


def _text(value: object, stata_number: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # Stata returns a declared missing value (.a to .z) of a numeric variable as its letter.
        return (
            f".{value}" if stata_number and len(value) == 1 and value.isalpha() else value.strip()
        )
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return number_text(value)
