"""Reading the holder's survey file as it is: SPSS (.sav), Stata (.dta), or a wide CSV or XLSX.

Each cell becomes text (whole numbers without decimals, a system-missing value empty); SPSS and
Stata files bring their value labels and the missing values they declare, read with
``pyreadstat`` (``user_missing=True``), so that a declared code such as 9 is known to mean
"no answer" rather than guessed. Rows are numbered as the holder counts them: an SPSS or
Stata file by case (the first case is row 1, as in SPSS's Data View), a CSV or XLSX file by
its spreadsheet row (the header is row 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from platformgov.inputs.survey.files import Workbook, os_reason, read_csv, read_error
from platformgov.inputs.survey.mapping import STAT_SUFFIXES, number_text
from platformgov.inputs.survey.report import Issue, Normalisation

_STATA_MISSING = re.compile(r"\.[a-z]?")


@dataclass
class HolderFile:
    """The holder's file: its columns, its rows as text, value labels and declared missing."""

    name: str  # as messages name it: survey.sav, answers.xlsx[응답]
    kind: str  # SPSS, Stata, XLSX or the CSV's encoding
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # column → code → label
    ranges: dict[str, list[tuple[object, object]]] = field(default_factory=dict)  # SPSS
    stata: bool = False
    issues: list[Issue] = field(default_factory=list)  # the file cannot be read: why
    bad_rows: list[Issue] = field(default_factory=list)  # rows that could not be split
    normalisations: list[Normalisation] = field(default_factory=list)

    def index(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.columns)}

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


def read_holder(path: Path, sheet: str | None = None) -> HolderFile:
    suffix = path.suffix.casefold()
    if suffix in STAT_SUFFIXES:
        return _read_stat(path)
    if suffix == ".csv":
        raw = read_csv(path, path.name, None)
        return _from_raw(path.name, raw)
    if suffix in (".xlsx", ".xlsm"):
        book = Workbook(path)
        holder = HolderFile(path.name, "XLSX")
        if book.error:
            holder.issues.append(read_error(path.name, "read-error", book.error))
            return holder
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
        name = f"{path.name}[{sheet}]"
        return _from_raw(name, book.read(sheet, name, None))
    holder = HolderFile(path.name, "")
    message = f"unsupported file type {path.suffix or '(none)'}; use .sav, .dta, .csv or .xlsx"
    holder.issues.append(read_error(path.name, "read-error", message))
    return holder


def _from_raw(name: str, raw) -> HolderFile:
    holder = HolderFile(name, raw.encoding or "")
    holder.issues.extend(raw.issues)
    holder.normalisations.extend(raw.normalisations)
    holder.bad_rows.extend(raw.bad_rows)
    if raw.header is None:
        return holder
    holder.columns = [h.strip() for h in raw.header]
    width = len(holder.columns)
    bad = {issue.row for issue in raw.bad_rows}
    for n, fields in raw.records:
        if n in bad:
            continue
        extra = [i for i in range(width, len(fields)) if fields[i].strip()]
        if (not raw.xlsx and len(fields) != width) or extra:
            message = f"the row has {len(fields)} fields, the header has {width}"
            if raw.xlsx:
                message = f"column {extra[0] + 1} holds a value but has no header"
            holder.bad_rows.append(read_error(name, "field-count", message, n))
            continue
        cells = [f.strip() for f in fields[:width]]
        holder.rows.append((n, cells + [""] * (width - len(cells))))
    return holder


#: Cases read from an SPSS or Stata file at a time.
CHUNK_ROWS = 10_000


def _read_stat(path: Path) -> HolderFile:
    """Read the file in chunks of :data:`CHUNK_ROWS` cases, each turned into text at once, so
    that the data frame of the whole file is never held."""
    import pyreadstat

    stata = path.suffix.casefold() == ".dta"
    holder = HolderFile(path.name, "Stata" if stata else "SPSS", stata=stata)
    reader = pyreadstat.read_dta if stata else pyreadstat.read_sav
    try:
        # Opened in Python so that a build records the file among the page's inputs.
        with open(path, "rb"):
            chunks = pyreadstat.read_file_in_chunks(
                reader, str(path), chunksize=CHUNK_ROWS, user_missing=True
            )
            for frame, meta in chunks:
                if not holder.columns:
                    _metadata(holder, frame, meta)
                types = getattr(meta, "readstat_variable_types", None) or {}
                texts = [
                    [_text(v, stata and types.get(c) != "string") for v in frame[c].tolist()]
                    for c in frame.columns
                ]
                start = len(holder.rows)
                holder.rows.extend(
                    (start + i + 1, [col[i] for col in texts]) for i in range(len(frame))
                )
    except OSError as exc:
        message = f"cannot read the file ({os_reason(exc)})"
        holder.issues.append(read_error(path.name, "read-error", message))
        return holder
    except Exception as exc:  # pyreadstat raises its own kinds on a damaged file
        what = "a Stata" if stata else "an SPSS"
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        message = f"not {what} file that can be read ({detail})"
        holder.issues.append(read_error(path.name, "read-error", message))
        return holder
    if not holder.columns:  # a file without cases gives no chunk: its columns from the metadata
        frame, meta = reader(str(path), metadataonly=True, user_missing=True)
        _metadata(holder, frame, meta)
    if not holder.rows:
        holder.issues.append(read_error(path.name, "header-only", "the file has no cases"))
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
