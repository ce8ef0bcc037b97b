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
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.checks import Resolver, Table, check_table
from platformgov.inputs.survey.files import RawTable, read_error
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


def reshape(mapping: Mapping, holder: HolderFile) -> tuple[dict[str, list[LongRow]], list[str]]:
    """The long rows of each table, and notes on what was made of the holder's rows."""
    _check_columns(mapping, holder)
    index = holder.index()
    out: dict[str, list[LongRow]] = {t: [] for t in mapping.tables}
    skipped: Counter[str] = Counter()
    files = {t: f"{holder.name}[{t}]" for t in mapping.tables}
    bad = {issue.row: issue for issue in holder.bad_rows}
    rows = sorted([*holder.rows, *((n, None) for n in bad)], key=lambda r: r[0] or 0)
    for n, cells in rows:
        if cells is None:
            issue = dataclasses.replace(bad[n], file=files["organisations"])
            out["organisations"].append(LongRow(n, None, errors=[issue], broken=True))
            continue
        for table, tm in mapping.tables.items():
            for block in tm.blocks or (None,):
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
                    row.values[var] = _convert(col, name, text, holder, mapping, files[table], row)
                    if col.repeats and (row.values[var] or len(row.errors) > errors):
                        answered = True
                if tm.blocks is None or answered:
                    out[table].append(row)
                else:
                    skipped[table] += 1
    numbered = NUMBERED.get("platforms")
    if numbered and numbered not in mapping.tables["platforms"].columns:
        for k, row in enumerate(out["platforms"], 1):
            row.values[numbered] = f"P{k:05d}"
    notes = [_summary(mapping, holder, out, skipped)]
    if numbered and numbered not in mapping.tables["platforms"].columns and out["platforms"]:
        notes.append(
            f"{files['platforms']}: {numbered} numbered P00001 to P{len(out['platforms']):05d} "
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
        notes.append(f"{holder.name}: {len(unused)} {what} not in the mapping, ignored: {listed}")
    return out, notes


def _summary(mapping, holder, out, skipped) -> str:
    parts = []
    for table, rows in out.items():
        part = f"{len(rows)} {table} rows"
        if skipped[table]:
            part += f" ({skipped[table]} empty blocks skipped)"
        parts.append(part)
    read = len(holder.rows) + len(holder.bad_rows)
    return f"{holder.name}: {read} rows read through {mapping.name}: {'; '.join(parts)}"


# --- checking the long rows and reporting in the holder's terms ---------------------------


def _raw(file: str, table: str, kind: str, rows: list[LongRow]) -> RawTable:
    header = cb.columns(table)
    raw = RawTable(file=file, table=table, encoding=kind, header=list(header), xlsx=True)
    raw.records = [(r.row, [r.values.get(c) or "" for c in header]) for r in rows]
    return raw


def _translator(rows: list[LongRow], file: str) -> Callable[[int, Issue], Issue]:
    """Rewrites an issue of long row ``i`` in the holder's terms (its column and value)."""

    def name(row: LongRow, variable: str) -> str:
        origin = row.origin.get(variable)
        if origin is not None:
            return shown(origin.column, variable)
        return f"{variable} (block {row.block})" if row.block is not None else variable

    def translate(i: int, issue: Issue) -> Issue:
        if issue.file != file or issue.column is None or "(" in issue.column:
            return issue
        row = rows[i]
        variables = issue.column.split("+")
        column = " + ".join(name(row, v) for v in variables)
        origin = row.origin.get(variables[0]) if len(variables) == 1 else None
        if origin is None or origin.value == (issue.value or ""):
            return dataclasses.replace(issue, column=column)
        message = f"{issue.message} ({origin.column} = {origin.value!r} read as {issue.value!r})"
        return dataclasses.replace(issue, column=column, value=origin.value, message=message)

    return translate


def _norm_translator(rows: list[LongRow]) -> Callable[[Normalisation], Normalisation]:
    by_row: dict[int, list[LongRow]] = defaultdict(list)
    for row in rows:
        by_row[row.row].append(row)

    def translate(norm: Normalisation) -> Normalisation:
        if norm.column is None or "(" in norm.column:
            return norm
        columns = {
            r.origin[norm.column].column
            for r in by_row.get(norm.row or 0, ())
            if norm.column in r.origin
        }
        if len(columns) > 1:
            exact = {
                r.origin[norm.column].column
                for r in by_row[norm.row or 0]
                if norm.column in r.origin and r.values.get(norm.column) == norm.old
            }
            columns = exact or columns
        if not columns:
            return norm
        return dataclasses.replace(norm, column=shown(" or ".join(sorted(columns)), norm.column))

    return translate


def load_mapped(
    mapping_path: Path, survey_path: Path | None, report: ValidationReport, resolver: Resolver
) -> tuple[dict[str, Table], dict[str, Callable[[int, Issue], Issue]]]:
    """Read the holder's file through the mapping and check the long rows.

    Returns the checked tables and, per table, a function that rewrites an error of its
    ``i``-th row in the holder's terms. Raises :class:`MappingError` if the mapping cannot be
    used with this file.
    """
    mapping = read_mapping(mapping_path)
    if survey_path is None:
        raise MappingError(
            f'{mapping.name}: say which file holds the survey: [survey] file = "survey.sav"'
        )
    if not survey_path.is_file():
        raise MappingError(f"{mapping.name}: the survey file {survey_path.name} does not exist")
    holder = read_holder(survey_path, mapping.sheet)
    report.issues.extend(holder.issues)
    report.normalisations.extend(holder.normalisations)
    tables: dict[str, Table] = {}
    translators: dict[str, Callable[[int, Issue], Issue]] = {}
    if not holder.columns:
        return tables, translators
    rows, notes = reshape(mapping, holder)
    report.notes.extend(notes)
    for table, long_rows in rows.items():
        file = f"{holder.name}[{table}]"
        start = len(report.normalisations)
        checked = check_table(_raw(file, table, holder.kind, long_rows), table, resolver, report)
        if not long_rows:  # no block answered: the notes say so; the file has rows
            report.issues[:] = [
                i for i in report.issues if not (i.file == file and i.rule == "header-only")
            ]
        fix = _norm_translator(long_rows)
        report.normalisations[start:] = [
            fix(n) if n.file == file else n for n in report.normalisations[start:]
        ]
        for row, long in zip(checked.rows, long_rows, strict=True):
            report.normalisations.extend(long.normalisations)
            if long.broken:
                row.errors[:] = long.errors
                continue
            failed = {e.column for e in long.errors}
            row.errors[:] = [
                e
                for e in row.errors
                if not (e.rule == "required-missing" and e.column in failed_vars(long, failed))
            ]
            row.errors.extend(long.errors)
        tables[table] = checked
        translators[table] = _translator(long_rows, file)
    return tables, translators


def failed_vars(row: LongRow, columns: set[str | None]) -> set[str]:
    """Our variables whose holder cell already has a mapping error."""
    return {v for v, o in row.origin.items() if shown(o.column, v) in columns}
