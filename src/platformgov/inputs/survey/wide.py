"""From the holder's wide file to the three long tables, through the mapping.

Each holder row gives one ``organisations`` row and, for a table with ``blocks``, one row per
block that holds an answer (a block whose every repeated column is empty or a missing code is
an unused slot of the roster and gives no row; the report counts them). Every long row keeps
where its values came from, so that the codebook's checks, which see our columns, report the
holder's row and column: ``survey.sav[platforms] row 14, column 'Q3_2_type (platform_type)'``.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.checks import Resolver, Table, Via, check_table
from platformgov.inputs.survey.files import RawTable, Record, read_error
from platformgov.inputs.survey.holder import HolderFile, read_holder
from platformgov.inputs.survey.mapping import (
    NUMBERED,
    Column,
    Mapping,
    MappingError,
    TableMap,
    number_text,
    read_mapping,
)
from platformgov.inputs.survey.report import Issue, Normalisation, ValidationReport

#: Normalisation reasons (the data chapter labels them).
MISSING_IN_FILE = "missing code declared in the file"
MISSING_IN_MAPPING = "missing code declared in the mapping"


@dataclass(frozen=True)
class Origin:
    column: str  # the holder's column
    value: str  # the holder's value, as text


@dataclass
class LongRow:
    row: int  # the holder's row
    block: str | None
    values: dict[str, str] = field(default_factory=dict)
    origin: dict[str, Origin] = field(default_factory=dict)
    errors: list[Issue] = field(default_factory=list)  # from the mapping (unmapped codes)
    normalisations: list[Normalisation] = field(default_factory=list)
    broken: bool = False  # the holder's row could not be read at all


def shown(column: str, variable: str) -> str:
    """A column as errors name it: the holder's, then ours."""
    return f"{column} ({variable})"


def _check_columns(mapping: Mapping, holder: HolderFile) -> None:
    counts = Counter(holder.columns)
    index = set(holder.columns)
    for tm in mapping.tables.values():
        for col in tm.columns.values():
            if col.column is None:
                continue
            blocks = tm.blocks if col.repeats and tm.blocks else (None,)
            found: list[str] = []
            for block in blocks:
                name = col.name(block)
                if counts[name] > 1:
                    raise MappingError(
                        f"{col.where}: column {name} appears {counts[name]} times in {holder.name}"
                    )
                if name not in index:
                    raise MappingError(_not_found(col, tm, name, block, found, holder))
                if block is not None:
                    found.append(block)


def _not_found(
    col: Column, tm: TableMap, name: str, block: str | None, found: list[str], holder: HolderFile
) -> str:
    head = f"{col.where}: column {name} not found in {holder.name}"
    if found:
        blocks = tm.blocks or ()
        return (
            f"{head}: the block {col.column} repeats for n = {found[0]} to {found[-1]}, not for "
            f"n = {block} (blocks = {len(blocks)} in [{tm.table}]: n = {blocks[0]} to {blocks[-1]})"
        )
    close = difflib.get_close_matches(name, holder.columns, n=3, cutoff=0.6)
    if close:
        return f"{head} (similar columns: {', '.join(close)})"
    listed = ", ".join(holder.columns[:12])
    more = f", … ({len(holder.columns)} columns)" if len(holder.columns) > 12 else ""
    return f"{head} (columns: {listed}{more})"


def _convert(
    col: Column,
    name: str,
    text: str,
    holder: HolderFile,
    mapping: Mapping,
    file: str,
    row: LongRow,
) -> str:
    """Our value of one holder cell ('' for no answer); problems go on ``row``."""
    if not text:
        return ""
    where = shown(name, col.variable)
    if holder.declared_missing(name, text):
        row.normalisations.append(Normalisation(file, row.row, where, text, "", MISSING_IN_FILE))
        return ""
    missing = col.missing if col.missing is not None else mapping.missing
    code = number_text(text)
    if code in missing:
        row.normalisations.append(Normalisation(file, row.row, where, text, "", MISSING_IN_MAPPING))
        return ""
    table, key, what = (
        (col.codes, code, "code") if col.codes is not None else (col.labels, None, "label")
    )
    if table is None:
        return text
    label = holder.label(name, code)
    if key is None:  # by value label: the file's label of the code, or the text itself
        key = label if label is not None else text
    if key in table:
        return table[key]
    about = f" (value label {label!r})" if label is not None and what == "code" else ""
    listed = ", ".join(list(table)[:10])
    message = (
        f"{col.where_values}: the {what} {key!r}{about} is not in the mapping's "
        f"{'codes' if what == 'code' else 'labels'} ({listed}); map it or list it in missing"
    )
    row.errors.append(read_error(file, "unmapped-code", message, row.row, where, text))
    return ""


@dataclass
class Tally:
    """What one pass made of the holder's rows for one table."""

    rows: int = 0  # long rows given
    skipped: int = 0  # unused slots of the roster


def _shape(
    mapping: Mapping, holder: HolderFile, tm: TableMap, file: str, index, n, cells, block
) -> LongRow | None:
    """One block of one holder row as a long row; None for an unused slot of the roster."""
    row = LongRow(n, block)
    answered = False
    for var, col in tm.columns.items():
        if col.by_block is not None:
            row.values[var] = col.by_block[block]
            continue
        name = col.name(block)
        text = cells[index[name]]
        row.origin[var] = Origin(name, text)
        errors = len(row.errors)
        row.values[var] = _convert(col, name, text, holder, mapping, file, row)
        if col.repeats and (row.values[var] or len(row.errors) > errors):
            answered = True
    return row if tm.blocks is None or answered else None


def long_rows(
    mapping: Mapping,
    holder: HolderFile,
    table: str,
    tally: Tally,
    report: ValidationReport | None = None,
) -> Iterator[LongRow]:
    """The long rows of ``table``, made as the holder's rows are read (one pass over the file).

    A holder row that cannot be read gives one broken ``organisations`` row carrying its error.
    Platforms without a mapped id are numbered P00001, … in the order they come. ``report``
    receives the problems with the file found while reading (give it to one pass only)."""
    tm = mapping.tables[table]
    index = holder.index()
    file = f"{holder.name}[{table}]"
    numbered = NUMBERED.get(table)
    numbered = numbered if numbered is not None and numbered not in tm.columns else None
    for n, cells in holder.records(report):
        if isinstance(cells, Issue):
            if table == "organisations":
                tally.rows += 1
                yield LongRow(n, None, errors=[dataclasses.replace(cells, file=file)], broken=True)
            continue
        for block in tm.blocks or (None,):
            row = _shape(mapping, holder, tm, file, index, n, cells, block)
            if row is None:
                tally.skipped += 1
                continue
            tally.rows += 1
            if numbered is not None:
                row.values[numbered] = f"P{tally.rows:05d}"
            yield row


def notes(mapping: Mapping, holder: HolderFile, tallies: dict[str, Tally]) -> list[str]:
    """What was made of the holder's rows, once every table has been read."""
    parts = []
    for table, tally in tallies.items():
        part = f"{tally.rows} {table} rows"
        if tally.skipped:
            part += f" ({tally.skipped} empty blocks skipped)"
        parts.append(part)
    out = [
        f"{holder.name}: {holder.rows_read} rows read through {mapping.name}: {'; '.join(parts)}"
    ]
    for table, numbered in NUMBERED.items():
        count = tallies[table].rows if table in tallies else 0
        if numbered not in mapping.tables[table].columns and count:
            out.append(
                f"{holder.name}[{table}]: {numbered} numbered P00001 to P{count:05d} "
                f"in the order of {holder.name} (by row, then by block)"
            )
    used = {
        col.name(b)
        for tm in mapping.tables.values()
        for col in tm.columns.values()
        if col.column is not None
        for b in (tm.blocks if col.repeats and tm.blocks else (None,))
    }
    unused = [c for c in holder.columns if c not in used]
    if unused:
        listed = ", ".join(unused[:8]) + (", …" if len(unused) > 8 else "")
        what = "column" if len(unused) == 1 else "columns"
        out.append(f"{holder.name}: {len(unused)} {what} not in the mapping, ignored: {listed}")
    return out


# --- checking the long rows and reporting in the holder's terms ---------------------------


def _records(rows: Iterator[LongRow], via: HolderVia, header: list[str]) -> Iterator[Record]:
    """The long rows as records for :func:`check_table`; ``via`` learns each row's origin."""
    for row in rows:
        via.current = row
        if row.broken:
            yield row.row, row.errors[0]
        else:
            yield row.row, [row.values.get(c) or "" for c in header]
            row.values = {}  # kept as the row's origin: its values are the checked row's


class HolderVia(Via):
    """Names a long row's issues and repairs in the holder's terms (its column and value), and
    adds the mapping's own errors and repairs of the row."""

    def __init__(self, file: str):
        self.file = file
        self.current: LongRow | None = None

    def origin(self, row: int) -> LongRow | None:
        return self.current

    @staticmethod
    def _name(row: LongRow, variable: str) -> str:
        origin = row.origin.get(variable)
        if origin is not None:
            return shown(origin.column, variable)
        return f"{variable} (block {row.block})" if row.block is not None else variable

    def issue(self, origin: LongRow | None, issue: Issue) -> Issue:
        if origin is None or issue.file != self.file or issue.column is None:
            return issue
        if "(" in issue.column:
            return issue
        variables = issue.column.split("+")
        column = " + ".join(self._name(origin, v) for v in variables)
        source = origin.origin.get(variables[0]) if len(variables) == 1 else None
        if source is None or source.value == (issue.value or ""):
            return dataclasses.replace(issue, column=column)
        message = f"{issue.message} ({source.column} = {source.value!r} read as {issue.value!r})"
        return dataclasses.replace(issue, column=column, value=source.value, message=message)

    def normalisation(self, origin: LongRow | None, norm: Normalisation) -> Normalisation:
        if origin is None or norm.column is None or norm.column not in origin.origin:
            return norm
        return dataclasses.replace(
            norm, column=shown(origin.origin[norm.column].column, norm.column)
        )

    def errors(self, origin: LongRow | None, errors: list[Issue]) -> list[Issue]:
        if origin is None:
            return errors
        if origin.broken:
            return list(origin.errors)
        failed = failed_vars(origin, {e.column for e in origin.errors})
        kept = [e for e in errors if not (e.rule == "required-missing" and e.column in failed)]
        return kept + origin.errors

    def after(self, origin: LongRow | None) -> list[Normalisation]:
        return origin.normalisations if origin is not None else []


def load_mapped(
    mapping_path: Path, survey_path: Path | None, report: ValidationReport, resolver: Resolver
) -> dict[str, Table]:
    """Read the holder's file through the mapping and check the long rows; their issues are
    reported in the holder's terms. Raises :class:`MappingError` if the mapping cannot be used
    with this file.
    """
    mapping = read_mapping(mapping_path)
    if survey_path is None:
        raise MappingError(
            f'{mapping.name}: say which file holds the survey: [survey] file = "survey.sav"'
        )
    if not survey_path.is_file():
        raise MappingError(f"{mapping.name}: the survey file {survey_path.name} does not exist")
    holder = read_holder(survey_path, mapping.sheet)
    report.extend(holder.issues)
    report.extend(holder.normalisations)
    tables: dict[str, Table] = {}
    if not holder.columns:
        return tables
    _check_columns(mapping, holder)
    at = len(report.notes)
    tallies = {table: Tally() for table in mapping.tables}
    # One pass over the holder's file per table: the first reports the file's own problems.
    for k, table in enumerate(mapping.tables):
        file = f"{holder.name}[{table}]"
        via = HolderVia(file)
        header = list(cb.columns(table))
        raw = RawTable(file=file, table=table, encoding=holder.kind, header=header, xlsx=True)
        rows = long_rows(mapping, holder, table, tallies[table], report if k == 0 else None)
        raw.records = _records(rows, via, header)
        # No block answered: the notes say so; the file has rows.
        tables[table] = check_table(raw, table, resolver, report, via, header_only=False)
    report.notes[at:at] = notes(mapping, holder, tallies)
    return tables


def failed_vars(row: LongRow, columns: set[str | None]) -> set[str]:
    """Our variables whose holder cell already has a mapping error."""
    return {v for v, o in row.origin.items() if shown(o.column, v) in columns}
