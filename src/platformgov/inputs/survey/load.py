"""Loading the survey: read, check, and return the accepted rows with the report."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from platformgov import paths
from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.checks import Resolver, Row, Table, check_cross, check_table
from platformgov.inputs.survey.files import RawTable, Workbook, read_csv, read_error
from platformgov.inputs.survey.mapping import MappingError
from platformgov.inputs.survey.mapping import find as find_mapping
from platformgov.inputs.survey.report import (
    FileReport,
    Issue,
    Normalisation,
    Survey,
    SurveyError,
    ValidationReport,
)
from platformgov.inputs.survey.rules import TABLES
from platformgov.inputs.survey.sources import (
    Entry,
    display_name,
    file_entries,
    folder_entries,
    infer_table,
)
from platformgov.inputs.survey.wide import load_mapped


def _frame(table: str, rows: list[Row]) -> pd.DataFrame:
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
    books: dict[Path, Workbook] = {}
    # A file in its holder's layout is read through its mapping (see ``wide``).
    mapped = _read_mapped(sources, report)

    entries: list[Entry] = []
    expected: list[str] = [] if mapped is None else list(TABLES)
    for p in sources if mapped is None else ():
        if p.is_dir():
            found, exp = folder_entries(p, books)
            entries.extend(found)
            expected.extend(exp)
        else:
            entries.extend(file_entries(p, books))

    # Read every usable entry as text; settle which table each holds.
    raws: list[RawTable] = []
    for entry in entries:
        file = display_name(entry.path, entry.sheet)
        if entry.issue is not None:
            raw = RawTable(file=entry.issue.file, table=entry.table)
            raw.issues.append(entry.issue)
        elif entry.sheet is not None:
            raw = books[entry.path].read(entry.sheet, file, entry.table)
        else:
            raw = read_csv(entry.path, file, entry.table)
        if raw.table is None and raw.header is not None:
            raw.table = infer_table(raw.header)
            if raw.table is not None:
                report.notes.append(f"{raw.file}: read as table {raw.table} (from its columns)")
        if raw.table is None and not raw.issues:
            raw.issues.append(
                read_error(
                    raw.file,
                    "unknown-table",
                    "cannot tell which survey table the file holds; name it platforms, "
                    "performance or organisations",
                    1,
                )
            )
        raws.append(raw)

    claimed: dict[str, RawTable] = {}
    for raw in raws:
        if raw.table is not None and raw.table in claimed:
            message = f"{claimed[raw.table].file} already holds table {raw.table}; keep one"
            raw.issues.append(read_error(raw.file, "ambiguous-source", message))
            raw.header = None
            raw.table = None
        elif raw.table is not None:
            claimed[raw.table] = raw

    resolver = Resolver()
    tables: dict[str, Table] = dict(mapped or {})
    unused: list[FileReport] = []
    for raw in raws:
        if raw.table is None or raw.header is None:
            report.extend(raw.issues)
            report.extend(raw.normalisations)
            unused.append(FileReport(raw.table, raw.file, raw.encoding))
            continue
        tables[raw.table] = check_table(raw, raw.table, resolver, report)

    for table in TABLES:
        if table not in tables and table not in claimed and table not in expected:
            report.notes.append(f"table {table} was not supplied")

    for book in books.values():
        book.close()
    check_cross(tables, report)

    for table in TABLES:
        t = tables.get(table)
        if t is None:
            continue
        report.files.append(
            FileReport(
                table=table,
                file=t.raw.file,
                encoding=t.raw.encoding,
                rows_read=t.read,
                rows_accepted=t.accepted,
                rows_rejected=t.rejected,
                loaded=t.loaded,
            )
        )
    report.files.extend(unused)
    rank = {t: i for i, t in enumerate(TABLES)}
    report.files.sort(key=lambda f: rank.get(f.table or "", len(rank)))
    _sort(report)
    frames = {
        table: _frame(table, tables[table].rows if table in tables else []) for table in TABLES
    }
    survey = Survey(
        platforms=frames["platforms"],
        performance=frames["performance"],
        organisations=frames["organisations"],
        kind="synthetic" if all(_is_synthetic(p) for p in sources) else "real",
        path=path,
        report=report,
    )
    if strict and not report.ok:
        raise SurveyError(report)
    return survey


def _read_mapped(sources: list[Path], report: ValidationReport) -> dict[str, Table] | None:
    """The checked tables of a survey file read through a mapping (None when there is no
    mapping)."""
    try:
        found = find_mapping(sources[0]) if len(sources) == 1 else None
        if found is None:
            return None
        return load_mapped(*found, report, Resolver())
    except MappingError as exc:
        name = _mapping_name(sources[0])
        message = str(exc).removeprefix(f"{name}: ").removeprefix(f"{name} ")
        report.add(read_error(name, "mapping", message))
        return {}


def _mapping_name(source: Path) -> str:
    """The mapping file's name, or the survey's when there is none."""
    found = paths.mapping_file()
    if found is None:
        found = (source if source.is_dir() else source.parent) / paths.MAPPING_NAME
    return found.name if found.is_file() else source.name


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
