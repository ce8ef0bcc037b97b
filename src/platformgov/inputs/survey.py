"""Read and validate the survey files against the codebook, and the ``validate`` command.

``load_survey(source)`` reads the three survey tables — ``platforms``, ``performance``,
``organisations`` — from a folder (``<table>.csv`` or ``<table>.xlsx``), from one XLSX workbook
with sheets of those names, or from single table files, and returns a ``Survey``: one DataFrame
per table holding the rows that passed every check, plus a ``ValidationReport`` that accounts
for every row read (read = accepted + rejected), every error and every normalised value.

Everything is read as text and converted column by column as the codebook says; nothing is
coerced silently. Only unambiguous repairs are made, and each is recorded in the report:

- the encoding (UTF-8, UTF-8 with a byte-order mark, or CP949) and the byte-order mark;
- leading and trailing whitespace;
- in id, code, category and number fields: full-width and other compatibility characters
  (Unicode NFKC, e.g. ``３`` → ``3``), invisible zero-width characters, and a spreadsheet's
  trailing ``.0`` on a whole number (``11110.0`` → ``11110``);
- local-government names and post-2022 codes, mapped to the 2022 code by
  ``registry.resolve_lg``;
- column names: whitespace, width and letter case (``LG_Code`` → ``lg_code``);
- blank rows, which are skipped.

Decisions (see also ``data/README.md``):

- A column the codebook does not define is a *warning*: the column is ignored and reported.
  A missing *required* column is an error that rejects every row of the file; a missing
  optional column is a warning and its values are missing.
- An empty file and a file with a header but no data rows are errors.
- Rows whose key is duplicated (``platform_id``; ``lg_code`` × ``platform_type`` in
  ``performance``; ``lg_code`` in ``organisations``) are all rejected: the file does not say
  which of them is right.
- Cross-table rules are checked against the *accepted* rows of the other table, so that the
  returned tables are consistent with one another. A table that could not be read, or was not
  supplied, is left out of those checks and the report says so.
- A performance row needs a platform of its type in ``platforms``, whatever its status.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import re
import unicodedata
import warnings
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from platformgov import paths
from platformgov.inputs import codebook as cb
from platformgov.labels import value_from_label

TABLES = cb.TABLES
SUFFIXES = (".csv", ".xlsx")
TABLES_EXPECTED = list(TABLES)

#: Key columns whose values must be unique within a table, with the rule id broken.
KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "platforms": (("platform_id",), "duplicate-platform-id"),
    "performance": (("lg_code", "platform_type"), "duplicate-performance"),
    "organisations": (("lg_code",), "duplicate-lg-code"),
}

#: Every rule, with a sentence describing it (messages name the rule id first).
RULES: dict[str, str] = {
    "read-error": "the file cannot be read",
    "encoding": "the file must be UTF-8 (with or without a byte-order mark) or CP949",
    "empty-file": "the file is empty",
    "header-only": "the file has a header but no data rows",
    "missing-table": "a survey table is missing",
    "ambiguous-source": "two files hold the same table",
    "unknown-table": "cannot tell which survey table the file holds",
    "missing-column": "a required column is missing",
    "missing-optional-column": "an optional column is missing; its values are missing",
    "unknown-column": "a column the codebook does not define; it is ignored",
    "duplicate-column": "a column name appears more than once in the header",
    "csv-syntax": "malformed CSV quoting",
    "field-count": "the row's number of fields differs from the header's",
    "required-missing": "a value is required",
    "id-pattern": "an id must match the codebook's pattern",
    "category-value": "the value is not one of the codebook's categories",
    "binary-value": "must be 0 or 1",
    "integer-type": "must be a whole number",
    "integer-range": "the integer is outside the codebook's range",
    "likert-range": "must be an integer from the scale's lowest to its highest point",
    "unknown-lg-code": "not a 2022 local-government code or name in the registry",
    "duplicate-platform-id": "platform_id must be unique",
    "duplicate-performance": "one performance row per local government and platform type",
    "duplicate-lg-code": "one organisations row per local government",
    "lg-not-in-organisations": "the local government has no accepted row in organisations",
    "no-platform-of-type": "the local government runs no platform of this type",
    "partner-metro-on-metro": "a metropolitan government has no metropolitan government above it",
}
WARNING_RULES = frozenset({"missing-optional-column", "unknown-column"})

_INTEGER = re.compile(r"[+-]?[0-9]+")
_TRAILING_ZERO = re.compile(r"([+-]?[0-9]+)\.0+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


# --------------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------------


#: The counts of :meth:`ValidationReport.summary`, one row per file.
SUMMARY_COUNTS = ("rows_read", "rows_accepted", "rows_rejected", "errors", "warnings", "normalised")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _show(value: object) -> str:
    return repr(value)


@dataclass(frozen=True)
class Issue:
    """One broken rule: an error (the row or file is rejected) or a warning (it is not)."""

    severity: str  # "error" | "warning"
    file: str
    row: int | None  # row number a person sees in the file (header = 1); None: the whole file
    column: str | None
    value: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        if self.value is not None:
            where += f", value {_show(self.value)}"
        return f"{where}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class Normalisation:
    """One value (or file property) changed on reading, with the reason."""

    file: str
    row: int | None
    column: str | None
    old: str
    new: str
    reason: str  # short and stable: reports count changes by reason
    detail: str = ""  # e.g. the registry's note on a mapped code

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column is not None:
            where += f", column {self.column!r}"
        why = f"{self.reason}: {self.detail}" if self.detail else self.reason
        return f"{where}: {_show(self.old)} → {_show(self.new)} ({why})"


@dataclass
class FileReport:
    """Row accounting for one table: rows read = rows accepted + rows rejected."""

    table: str | None
    file: str
    encoding: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_rejected: int = 0
    loaded: bool = False  # False when the file could not be used at all


@dataclass
class ValidationReport:
    """What reading the survey found: per-file counts, errors, warnings, normalisations."""

    source: str
    files: list[FileReport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and no file-level error occurred."""
        return not self.errors

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_accepted(self) -> int:
        return sum(f.rows_accepted for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    def summary(self) -> pd.DataFrame:
        """Per file: table, rows read, accepted, rejected, and counts of errors and changes."""
        errors = Counter(i.file for i in self.errors)
        warnings = Counter(i.file for i in self.warnings)
        changed = Counter(n.file for n in self.normalisations)
        rows = [
            {
                "table": f.table or "",
                "file": f.file,
                "encoding": f.encoding or "",
                "rows_read": f.rows_read,
                "rows_accepted": f.rows_accepted,
                "rows_rejected": f.rows_rejected,
                "errors": errors[f.file],
                "warnings": warnings[f.file],
                "normalised": changed[f.file],
            }
            for f in self.files
        ]
        return pd.DataFrame(rows, columns=["table", "file", "encoding", *SUMMARY_COUNTS])

    def by_rule(self) -> pd.DataFrame:
        """Errors and warnings counted by rule, with the rule's description."""
        counts = Counter((i.severity, i.rule) for i in self.issues)
        rows = [
            {"severity": sev, "rule": rule, "description": RULES.get(rule, ""), "count": n}
            for (sev, rule), n in sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1]))
        ]
        return pd.DataFrame(rows, columns=["severity", "rule", "description", "count"])

    def issues_frame(self) -> pd.DataFrame:
        cols = ["severity", "file", "row", "column", "value", "rule", "message"]
        frame = pd.DataFrame([i.__dict__ for i in self.issues], columns=cols)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def normalisations_frame(self) -> pd.DataFrame:
        cols = ["file", "row", "column", "old", "new", "reason", "detail"]
        frame = pd.DataFrame([n.__dict__ for n in self.normalisations], columns=cols)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_text(self, *, all_normalisations: bool = True, examples: int = 3) -> str:
        """The report as plain text. Every error and warning is listed; normalisations are
        listed in full, or (``all_normalisations=False``) counted by reason with examples."""
        lines = [f"Survey source: {self.source}"]
        for f in self.files:
            what = f"table {f.table}" if f.table else "table unknown"
            if f.encoding:
                what += f", {f.encoding}"
            lines.append(
                f"  {f.file} ({what}): {f.rows_read} rows read = "
                f"{f.rows_accepted} accepted + {f.rows_rejected} rejected"
            )
        for title, items in (("Errors", self.errors), ("Warnings", self.warnings)):
            if items:
                lines.append(f"{title} ({len(items)}):")
                lines.extend(f"  {i}" for i in items)
        if self.normalisations:
            lines.append(f"Normalised ({len(self.normalisations)}):")
            if all_normalisations:
                lines.extend(f"  {n}" for n in self.normalisations)
            else:
                groups: dict[tuple[str, str], list[Normalisation]] = defaultdict(list)
                for n in self.normalisations:
                    groups[(n.file, n.reason)].append(n)
                for (file, reason), items in groups.items():
                    lines.append(f"  {file}: {reason}: {len(items)}")
                    lines.extend(f"    {n}" for n in items[:examples])
                    if len(items) > examples:
                        lines.append(f"    … and {len(items) - examples} more")
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  {n}" for n in self.notes)
        if self.ok:
            lines.append(f"Result: valid ({self.rows_accepted} rows accepted)")
        else:
            lines.append(
                f"Result: INVALID ({_plural(len(self.errors), 'error')}; "
                f"{self.rows_rejected} of {self.rows_read} rows rejected)"
            )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


class SurveyError(Exception):
    """Raised by ``load_survey(..., strict=True)`` when anything was rejected."""

    def __init__(self, report: ValidationReport):
        self.report = report
        super().__init__(report.to_text())


@dataclass
class Survey:
    """The accepted rows of the three survey tables, with the report of how they were read."""

    platforms: pd.DataFrame
    performance: pd.DataFrame
    organisations: pd.DataFrame
    source: str  # "synthetic" | "real"
    path: Path
    report: ValidationReport

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"unknown survey table {name!r}; the tables are {', '.join(TABLES)}")
        return getattr(self, name)


# --------------------------------------------------------------------------------------------
# Reading files as text
# --------------------------------------------------------------------------------------------


@dataclass
class _Raw:
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


def _error(file: str, rule: str, message: str, row=None, column=None, value=None) -> Issue:
    severity = "warning" if rule in WARNING_RULES else "error"
    return Issue(severity, file, row, column, value, rule, message)


def _decode(raw: _Raw, data: bytes) -> str | None:
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
            _error(
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


def _encoding_error(raw: _Raw, data: bytes, utf8_at: int, cp949_at: int | None) -> None:
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
    raw.issues.append(_error(raw.file, "encoding", message, row=line))


def _is_blank(fields: Sequence[str]) -> bool:
    return all(not f.strip() for f in fields)


def _read_csv(path: Path, file: str, table: str | None) -> _Raw:
    raw = _Raw(file=file, table=table)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raw.issues.append(_error(file, "read-error", f"cannot read the file ({_os_reason(exc)})"))
        return raw
    if not data.strip():
        raw.issues.append(_error(file, "empty-file", "the file is empty"))
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


def _take_rows(raw: _Raw, rows: list[tuple[int, list[str] | None, str]]) -> None:
    """Split parsed rows into header, records and blank rows (recorded as skipped)."""
    if not rows or rows[0][1] is None or _is_blank(rows[0][1]):
        if rows and rows[0][1] is None:
            raw.issues.append(
                _error(raw.file, "csv-syntax", f"the header cannot be parsed ({rows[0][2]})", 1)
            )
        elif len(rows) > 1 or (rows and rows[0][1]):
            raw.issues.append(
                _error(raw.file, "missing-column", "row 1 must hold the column names", 1)
            )
        else:
            raw.issues.append(_error(raw.file, "empty-file", "the file is empty"))
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
                _error(raw.file, "csv-syntax", f"the row cannot be parsed ({problem})", n)
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


def _os_reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


class _Workbook:
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
            self.error = f"cannot read the file ({_os_reason(exc)})"
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

    def read(self, sheet: str, file: str, table: str | None) -> _Raw:
        raw = _Raw(file=file, table=table, encoding="XLSX", xlsx=True)
        ws = self.book[sheet]
        rows: list[tuple[int, list[str] | None, str]] = []
        for n, cells in enumerate(ws.iter_rows(min_row=1, max_row=ws.max_row, values_only=True), 1):
            rows.append((n, [_cell_text(c) for c in cells], ""))
        if not rows or all(_is_blank(r[1] or []) for r in rows):
            raw.issues.append(_error(file, "empty-file", "the sheet is empty"))
            return raw
        _take_rows(raw, rows)
        if raw.header is not None:
            # Columns after the last named one are not part of the table's header.
            width = max(i for i, name in enumerate(raw.header) if name.strip()) + 1
            raw.header = raw.header[:width]
        return raw


# --------------------------------------------------------------------------------------------
# Finding the tables in a source
# --------------------------------------------------------------------------------------------


@dataclass
class _Entry:
    table: str | None
    path: Path
    sheet: str | None = None
    issue: Issue | None = None  # the file cannot be used; the issue says why


def _display(path: Path, sheet: str | None) -> str:
    return f"{path.name}[{sheet}]" if sheet else path.name


def _table_of_stem(path: Path) -> str | None:
    stem = path.stem.strip().casefold()
    return stem if stem in TABLES else None


def _file_entries(path: Path, books: dict[Path, _Workbook]) -> list[_Entry]:
    """The tables one file holds."""
    table = _table_of_stem(path)
    suffix = path.suffix.casefold()
    if not path.exists():
        return [_Entry(table, path, None, _error(path.name, "read-error", "no such file"))]
    if suffix == ".csv":
        return [_Entry(table, path)]
    if suffix == ".xls":
        message = "the old .xls format is not supported; save the file as .xlsx or .csv"
        return [_Entry(table, path, None, _error(path.name, "read-error", message))]
    if suffix not in (".xlsx", ".xlsm"):
        message = f"unsupported file type {path.suffix or '(none)'}; use .csv or .xlsx"
        return [_Entry(table, path, None, _error(path.name, "read-error", message))]
    book = books.setdefault(path, _Workbook(path))
    if book.error:
        return [_Entry(table, path, None, _error(path.name, "read-error", book.error))]
    if table is not None:
        sheet = book.sheet_for(table)
        if sheet is None:
            nonempty = book.nonempty_sheets()
            if len(nonempty) != 1:
                message = (
                    f"the workbook has {len(nonempty)} non-empty sheets and none is named {table!r}"
                )
                return [_Entry(table, path, None, _error(path.name, "unknown-table", message))]
            sheet = nonempty[0]
        return [_Entry(table, path, sheet)]
    named = {t: book.sheet_for(t) for t in TABLES if book.sheet_for(t) is not None}
    if len(named) == 1:
        return [_Entry(t, path, sheet) for t, sheet in named.items()]
    if named:
        entries = []
        for t in TABLES:
            if t in named:
                entries.append(_Entry(t, path, named[t]))
            else:
                issue = _error(
                    _display(path, t), "missing-table", f"the workbook has no sheet named {t!r}"
                )
                entries.append(_Entry(t, path, None, issue))
        return entries
    nonempty = book.nonempty_sheets()
    if len(nonempty) == 1:
        return [_Entry(None, path, nonempty[0])]
    message = (
        "no sheet is named platforms, performance or organisations "
        f"(sheets: {', '.join(book.sheets)})"
    )
    return [_Entry(None, path, None, _error(path.name, "unknown-table", message))]


def _folder_entries(folder: Path, books: dict[Path, _Workbook]) -> tuple[list[_Entry], list[str]]:
    try:
        files = sorted(
            p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
        )
    except OSError as exc:
        issue = _error(folder.name, "read-error", f"cannot list the folder ({_os_reason(exc)})")
        return [_Entry(None, folder, None, issue)], []
    by_table = {
        t: [p for p in files if p.name.casefold() in {t + s for s in SUFFIXES}] for t in TABLES
    }
    if not any(by_table.values()):
        books_here = [p for p in files if p.suffix.casefold() == ".xlsx"]
        if len(books_here) == 1:
            entries = _file_entries(books_here[0], books)
            return entries, TABLES_EXPECTED
    others = [p.name for p in files if p.suffix.casefold() in SUFFIXES]
    hint = ""
    if not any(by_table.values()) and others:
        hint = f" (it holds {', '.join(others)}: give a workbook's path to read its sheets)"
    entries: list[_Entry] = []
    for table, found in by_table.items():
        if not found:
            message = f"the folder has no {table}.csv or {table}.xlsx{hint}"
            issue = _error(f"{table}.csv", "missing-table", message)
            entries.append(_Entry(table, folder / f"{table}.csv", None, issue))
        elif len(found) > 1:
            names = " and ".join(p.name for p in found)
            message = f"the folder holds both {names}; keep one"
            issue = _error(found[0].name, "ambiguous-source", message)
            entries.append(_Entry(table, found[0], None, issue))
        else:
            entries.extend(_file_entries(found[0], books))
    return entries, TABLES_EXPECTED


def _infer_table(header: list[str]) -> str | None:
    names = {_header_name(h)[0] for h in header}
    scores = {t: len(names & set(cb.columns(t))) for t in TABLES}
    best = max(scores.values())
    winners = [t for t, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _header_name(name: str) -> tuple[str, bool]:
    new = unicodedata.normalize("NFKC", _INVISIBLE.sub("", name)).strip().casefold()
    return new, new != name


# --------------------------------------------------------------------------------------------
# Checking one table
# --------------------------------------------------------------------------------------------


@dataclass
class _Row:
    row: int
    values: dict[str, Any]
    errors: list[Issue] = field(default_factory=list)


@dataclass
class _Table:
    raw: _Raw
    table: str
    rows: list[_Row] = field(default_factory=list)
    loaded: bool = False


class _Resolver:
    """Local-government codes through the registry, each distinct value resolved once."""

    def __init__(self) -> None:
        from platformgov.inputs import registry

        self._resolve = registry.resolve_lg
        self._cache: dict[str, tuple[str | None, str | None]] = {}
        self._levels: dict[str, str] | None = None
        self._registry = registry

    def resolve(self, value: str) -> tuple[str | None, str | None]:
        if value not in self._cache:
            self._cache[value] = self._resolve(value)
        return self._cache[value]

    def is_metro(self, code: str) -> bool:
        if self._levels is None:
            reg = self._registry.load_registry()
            self._levels = dict(zip(reg["code"].astype(str), reg["level"].astype(str), strict=True))
        level = self._levels.get(code)
        return level == "metro" if level is not None else len(code) == 2


def _normalise_cell(
    var: cb.Variable, text: str, file: str, row: int, out: list[Normalisation]
) -> str:
    value = text.strip()
    if value != text:
        out.append(Normalisation(file, row, var.name, text, value, "stray whitespace removed"))
    if var.code_like and value:
        new = _INVISIBLE.sub("", value)
        if new != value:
            out.append(
                Normalisation(file, row, var.name, value, new, "invisible characters removed")
            )
            value = new
        new = unicodedata.normalize("NFKC", value).strip()
        if new != value:
            out.append(
                Normalisation(
                    file, row, var.name, value, new, "full-width characters normalised (NFKC)"
                )
            )
            value = new
        if var.numeric or var.dtype == "code":
            m = _TRAILING_ZERO.fullmatch(value)
            if m:
                new = m.group(1)
                out.append(
                    Normalisation(
                        file, row, var.name, value, new, "trailing .0 of a whole number removed"
                    )
                )
                value = new
    return value


def _check_value(
    var: cb.Variable,
    value: str,
    file: str,
    row: int,
    resolver: _Resolver,
    norms: list[Normalisation],
) -> tuple[Any, Issue | None]:
    """Convert one normalised, non-empty value; return (value, None) or (None, issue)."""

    def fail(rule: str, message: str | None = None) -> tuple[Any, Issue]:
        return None, _error(file, rule, message or var.rule_text(), row, var.name, value)

    if var.dtype == "string":
        return value, None
    if var.dtype == "id":
        assert var.pattern is not None
        return (value, None) if var.pattern.fullmatch(value) else fail("id-pattern")
    if var.dtype == "category":
        if value in (var.values or ()):
            return value, None
        # A value written as its label (정보제공형, "Information (G2C)") or in other case (g2c).
        code = value_from_label(var.name, value)
        if code is None or code not in (var.values or ()):
            return fail("category-value")
        norms.append(Normalisation(file, row, var.name, value, code, "label mapped to its code"))
        return code, None
    if var.dtype == "binary":
        return (int(value), None) if value in (var.values or ()) else fail("binary-value")
    if var.dtype == "code":
        code, note = resolver.resolve(value)
        if code is None:
            message = var.rule_text()
            if note:
                message += f" ({note})"
            elif not value.isdigit():
                message += " (a name must be a full 2022 name, or unique in the registry)"
            return fail("unknown-lg-code", message)
        if code != value:
            reason = "mapped to the 2022 local-government code"
            norms.append(Normalisation(file, row, var.name, value, code, reason, note or ""))
        return code, None
    # integer, likert
    lo, hi = var.bounds or (0, 0)
    rule_range = "likert-range" if var.dtype == "likert" else "integer-range"
    if not _INTEGER.fullmatch(value):
        if var.dtype == "likert":
            return fail("likert-range")
        return fail("integer-type", f"must be a whole number (from {lo} to {hi})")
    number = int(value)
    if not lo <= number <= hi:
        return fail(rule_range)
    return number, None


def _check_table(raw: _Raw, table: str, resolver: _Resolver, report: ValidationReport) -> _Table:
    out = _Table(raw=raw, table=table)
    file = raw.file
    report.issues.extend(raw.issues)
    report.normalisations.extend(raw.normalisations)
    if raw.header is None:
        return out
    specs = {v.name: v for v in cb.variables(table)}
    # Header: normalise names, find the codebook's columns, flag the rest.
    positions: dict[str, list[int]] = defaultdict(list)
    unnamed: list[int] = []
    for i, name in enumerate(raw.header):
        new, changed = _header_name(name)
        if changed and new:
            report.normalisations.append(
                Normalisation(file, 1, new, name, new, "column name normalised")
            )
        if new:
            positions[new].append(i)
        else:
            unnamed.append(i)
    fatal = False
    separator = ""
    if not raw.xlsx and len(raw.header) == 1:
        found = [sep for sep in (";", "\t", "|") if sep in raw.header[0]]
        if found:
            shown = "tabs" if found[0] == "\t" else repr(found[0])
            separator = f" (the header is a single field: are the columns separated by {shown}?"
            separator += " They must be separated by commas)"
    missing = [name for name in specs if name not in positions]
    unknown = [name for name in positions if name not in specs]
    for name in missing:
        spec = specs[name]
        close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.75)
        hint = f" (is {close[0]!r} meant to be {name!r}?)" if close else ""
        if spec.required:
            report.issues.append(
                _error(
                    file,
                    "missing-column",
                    f"the required column {name!r} is missing{hint or separator}",
                    1,
                    name,
                )
            )
            fatal = True
        else:
            report.issues.append(
                _error(
                    file,
                    "missing-optional-column",
                    f"the optional column {name!r} is missing; its values are missing{hint}",
                    1,
                    name,
                )
            )
    for name in unknown:
        report.issues.append(
            _error(
                file,
                "unknown-column",
                f"column {positions[name][0] + 1} ({name!r}) is not in the codebook; ignored",
                1,
                name,
            )
        )
    for i in unnamed:
        report.issues.append(
            _error(file, "unknown-column", f"column {i + 1} has no name; ignored", 1, "")
        )
    for name, where in positions.items():
        if len(where) > 1 and name in specs:
            cols = ", ".join(str(i + 1) for i in where)
            report.issues.append(
                _error(
                    file,
                    "duplicate-column",
                    f"the column {name!r} appears more than once (columns {cols})",
                    1,
                    name,
                )
            )
            fatal = True
    if not raw.records:
        if not fatal:
            report.issues.append(
                _error(file, "header-only", "the file has a header but no data rows", 1)
            )
        return out
    width = len(raw.header)
    bad = {issue.row: issue for issue in raw.bad_rows}
    rows: list[_Row] = []
    for n, fields in raw.records:
        row = _Row(n, {})
        rows.append(row)
        if n in bad:
            row.errors.append(bad[n])
            continue
        if fatal:
            continue
        if raw.xlsx:
            extra = [i for i in range(width, len(fields)) if fields[i].strip()]
            if extra:
                message = f"column {extra[0] + 1} holds a value but has no header"
                row.errors.append(_error(file, "field-count", message, n, None, fields[extra[0]]))
                continue
            fields = fields[:width] + [""] * (width - len(fields))
        elif len(fields) != width:
            kind = "truncated" if len(fields) < width else "overlong"
            message = f"the line has {len(fields)} fields, the header has {width} ({kind} line)"
            row.errors.append(_error(file, "field-count", message, n))
            continue
        for name, spec in specs.items():
            if name not in positions:
                row.values[name] = None
                continue
            text = fields[positions[name][0]]
            value = _normalise_cell(spec, text, file, n, report.normalisations)
            if not value:
                row.values[name] = None
                if spec.required:
                    row.errors.append(
                        _error(file, "required-missing", "a value is required", n, name, text)
                    )
                continue
            converted, issue = _check_value(spec, value, file, n, resolver, report.normalisations)
            row.values[name] = converted
            if issue is not None:
                row.errors.append(issue)
        if (
            table == "platforms"
            and row.values.get("partner_metro") == 1
            and isinstance(row.values.get("lg_code"), str)
            and resolver.is_metro(row.values["lg_code"])
        ):
            row.errors.append(
                _error(
                    file,
                    "partner-metro-on-metro",
                    f"must be 0 or empty: {row.values['lg_code']} is a metropolitan government, "
                    "which has no metropolitan government above it",
                    n,
                    "partner_metro",
                    "1",
                )
            )
    if fatal:
        for row in rows:
            if not row.errors:
                row.errors.append(_FATAL)
    out.rows = rows
    out.loaded = not fatal
    _check_keys(out)
    return out


#: Marks rows rejected by a file-level error (reported once, at row 1, not per row).
_FATAL = Issue("error", "", None, None, None, "file-level", "rejected with the whole file")


def _check_keys(t: _Table) -> None:
    keys, rule = KEYS[t.table]
    seen: dict[tuple, list[_Row]] = defaultdict(list)
    for row in t.rows:
        key = tuple(row.values.get(k) for k in keys)
        if all(v is not None for v in key):
            seen[key].append(row)
    for key, rows in seen.items():
        if len(rows) < 2:
            continue
        shown = ", ".join(f"{k}={v}" for k, v in zip(keys, key, strict=True))
        for row in rows:
            others = ", ".join(str(r.row) for r in rows if r is not row)
            message = f"{RULES[rule]}: {shown} is also on row {others}"
            value = " / ".join(str(v) for v in key)
            row.errors.append(_error(t.raw.file, rule, message, row.row, "+".join(keys), value))


def _accepted(t: _Table) -> list[_Row]:
    return [r for r in t.rows if not r.errors]


def _check_cross(tables: dict[str, _Table], report: ValidationReport) -> None:
    orgs = tables.get("organisations")
    plats = tables.get("platforms")
    perf = tables.get("performance")

    if orgs is not None and orgs.loaded:
        accepted = {r.values["lg_code"] for r in _accepted(orgs)}
        rejected: dict[str, int] = {}
        for r in orgs.rows:
            if r.errors and r.values.get("lg_code"):
                rejected.setdefault(r.values["lg_code"], r.row)
        for t in (plats, perf):
            if t is None or not t.loaded:
                continue
            for row in _accepted(t):
                code = row.values["lg_code"]
                if code in accepted:
                    continue
                if code in rejected:
                    why = f"its row {rejected[code]} in {orgs.raw.file} was rejected"
                else:
                    why = f"{orgs.raw.file} has no row for it"
                row.errors.append(
                    _error(
                        t.raw.file,
                        "lg-not-in-organisations",
                        f"local government {code} has no accepted row in organisations: {why}",
                        row.row,
                        "lg_code",
                        code,
                    )
                )
    elif any(t is not None and t.loaded for t in (plats, perf)):
        report.notes.append(
            "organisations is not available: platforms and performance rows were not "
            "checked against it"
        )

    if plats is not None and plats.loaded:
        if perf is not None and perf.loaded:
            runs = {(r.values["lg_code"], r.values["platform_type"]) for r in _accepted(plats)}
            rejected = {}
            for r in plats.rows:
                key = (r.values.get("lg_code"), r.values.get("platform_type"))
                if r.errors and None not in key:
                    rejected.setdefault(key, r.row)
            for row in _accepted(perf):
                key = (row.values["lg_code"], row.values["platform_type"])
                if key in runs:
                    continue
                why = (
                    f"its platform on row {rejected[key]} of {plats.raw.file} was rejected"
                    if key in rejected
                    else f"{plats.raw.file} lists no {key[1]} platform of {key[0]}"
                )
                row.errors.append(
                    _error(
                        perf.raw.file,
                        "no-platform-of-type",
                        f"local government {key[0]} runs no accepted {key[1]} platform: {why}",
                        row.row,
                        "platform_type",
                        key[1],
                    )
                )
    elif perf is not None and perf.loaded:
        report.notes.append(
            "platforms is not available: performance rows were not checked against it"
        )


# --------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------


def _frame(table: str, rows: list[_Row]) -> pd.DataFrame:
    data: dict[str, Any] = {}
    for var in cb.variables(table):
        values = [r.values.get(var.name) for r in rows]
        dtype = "Int64" if var.numeric else "str"
        data[var.name] = pd.array(values, dtype=dtype)
    return pd.DataFrame(data, columns=cb.columns(table))


def _is_synthetic(path: Path) -> bool:
    try:
        path.resolve().relative_to(paths.SYNTHETIC.resolve())
    except ValueError:
        return False
    return True


def _as_paths(source: str | Path | Iterable[str | Path] | None) -> list[Path]:
    if source is None:
        return [paths.survey_source()]
    if isinstance(source, (str, Path)):
        return [Path(source).expanduser()]
    return [Path(p).expanduser() for p in source]


def load_survey(
    source: str | Path | Iterable[str | Path] | None = None, *, strict: bool = False
) -> Survey:
    """Read and validate the survey.

    ``source`` is a folder holding ``platforms``, ``performance`` and ``organisations`` as
    ``.csv`` or ``.xlsx``; an ``.xlsx`` workbook with sheets of those names; a single table file
    (named after its table, or recognised by its header); or a list of table files. By default
    it is ``paths.survey_source()`` (``$PLATFORMGOV_SURVEY`` or the synthetic data).

    Returns the accepted rows and the report. With ``strict=True``, raises ``SurveyError``
    carrying the full report if any error occurred (any row or file rejected).
    """
    sources = _as_paths(source)
    if not sources:
        raise ValueError("no survey source given")
    if len(sources) == 1:
        path = sources[0].resolve() if sources[0].exists() else sources[0]
        shown = str(path)
    else:
        path = Path(*_common_parts([p.resolve() for p in sources]))
        shown = ", ".join(str(p) for p in sources)
    report = ValidationReport(source=shown)
    books: dict[Path, _Workbook] = {}

    entries: list[_Entry] = []
    expected: list[str] = []
    for p in sources:
        if p.is_dir():
            found, exp = _folder_entries(p, books)
            entries.extend(found)
            expected.extend(exp)
        else:
            entries.extend(_file_entries(p, books))

    # Read every usable entry as text; settle which table each holds.
    raws: list[_Raw] = []
    for entry in entries:
        file = _display(entry.path, entry.sheet)
        if entry.issue is not None:
            raw = _Raw(file=entry.issue.file, table=entry.table)
            raw.issues.append(entry.issue)
        elif entry.sheet is not None:
            raw = books[entry.path].read(entry.sheet, file, entry.table)
        else:
            raw = _read_csv(entry.path, file, entry.table)
        if raw.table is None and raw.header is not None:
            raw.table = _infer_table(raw.header)
            if raw.table is not None:
                report.notes.append(f"{raw.file}: read as table {raw.table} (from its columns)")
        if raw.table is None and not raw.issues:
            raw.issues.append(
                _error(
                    raw.file,
                    "unknown-table",
                    "cannot tell which survey table the file holds; name it platforms, "
                    "performance or organisations",
                    1,
                )
            )
        raws.append(raw)

    claimed: dict[str, _Raw] = {}
    for raw in raws:
        if raw.table is not None and raw.table in claimed:
            message = f"{claimed[raw.table].file} already holds table {raw.table}; keep one"
            raw.issues.append(_error(raw.file, "ambiguous-source", message))
            raw.header = None
            raw.table = None
        elif raw.table is not None:
            claimed[raw.table] = raw

    resolver = _Resolver()
    tables: dict[str, _Table] = {}
    unused: list[FileReport] = []
    for raw in raws:
        if raw.table is None or raw.header is None:
            report.issues.extend(raw.issues)
            report.normalisations.extend(raw.normalisations)
            unused.append(FileReport(raw.table, raw.file, raw.encoding))
            continue
        tables[raw.table] = _check_table(raw, raw.table, resolver, report)

    for table in TABLES:
        if table not in tables and table not in claimed and table not in expected:
            report.notes.append(f"table {table} was not supplied")

    _check_cross(tables, report)

    for table in TABLES:
        t = tables.get(table)
        if t is None:
            continue
        real_errors = [e for r in t.rows for e in r.errors if e is not _FATAL]
        report.issues.extend(real_errors)
        accepted = len(_accepted(t))
        report.files.append(
            FileReport(
                table=table,
                file=t.raw.file,
                encoding=t.raw.encoding,
                rows_read=len(t.rows),
                rows_accepted=accepted,
                rows_rejected=len(t.rows) - accepted,
                loaded=t.loaded,
            )
        )
    report.files.extend(unused)
    rank = {t: i for i, t in enumerate(TABLES)}
    report.files.sort(key=lambda f: rank.get(f.table or "", len(rank)))
    _sort(report)
    frames = {
        table: _frame(table, _accepted(tables[table]) if table in tables else [])
        for table in TABLES
    }
    survey = Survey(
        platforms=frames["platforms"],
        performance=frames["performance"],
        organisations=frames["organisations"],
        source="synthetic" if all(_is_synthetic(p) for p in sources) else "real",
        path=path,
        report=report,
    )
    if strict and not report.ok:
        raise SurveyError(report)
    return survey


def _common_parts(paths_: list[Path]) -> tuple[str, ...]:
    parts = [p.parent.parts if not p.is_dir() else p.parts for p in paths_]
    common: list[str] = []
    for group in zip(*parts, strict=False):
        if len(set(group)) != 1:
            break
        common.append(group[0])
    return tuple(common) or ("/",)


def _sort(report: ValidationReport) -> None:
    order = {f.file: i for i, f in enumerate(report.files)}

    def key(item: Issue | Normalisation) -> tuple:
        return (order.get(item.file, len(order)), item.row or 0)

    report.issues.sort(key=key)
    report.normalisations.sort(key=key)


def validate(source: str | Path | Iterable[str | Path] | None = None) -> ValidationReport:
    """The report of reading ``source`` (see ``load_survey``); never raises for bad data."""
    return load_survey(source).report


# --------------------------------------------------------------------------------------------
# The validate command
# --------------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="survey folders, workbooks or table files (default: $PLATFORMGOV_SURVEY, "
        "else the synthetic data); table files given together are checked together",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every normalised value (by default they are counted, with examples)",
    )


def _groups(args_paths: list[Path]) -> list[list[Path]]:
    """Folders and workbooks of several tables stand alone; loose table files form one group
    unless two of them claim the same table, in which case each is checked on its own."""
    groups: list[list[Path]] = []
    loose: list[Path] = []
    for p in args_paths:
        if p.is_dir() or _table_of_stem(p) is None:
            groups.append([p])
        else:
            loose.append(p)
    if loose:
        tables = [_table_of_stem(p) for p in loose]
        if len(set(tables)) == len(tables):
            groups.append(loose)
        else:
            groups.extend([p] for p in loose)
    return groups


def run(args: argparse.Namespace) -> int:
    targets = list(args.paths) or [paths.survey_source()]
    status = 0
    for i, group in enumerate(_groups(targets)):
        if i:
            print()
        try:
            report = validate(group)
        except Exception as exc:  # the command must end with a message, never a traceback
            print(f"error: could not validate {', '.join(map(str, group))}: {exc}")
            status = max(status, 2)
            continue
        print(report.to_text(all_normalisations=args.verbose))
        if not report.ok:
            status = max(status, 1)
    return status
