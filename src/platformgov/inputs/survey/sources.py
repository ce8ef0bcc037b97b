"""Finding the survey tables in what the user points at: a folder, a workbook, single files."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.files import Workbook, os_reason, read_error
from platformgov.inputs.survey.report import Issue
from platformgov.inputs.survey.rules import INVISIBLE, SUFFIXES, TABLES, TABLES_EXPECTED


@dataclass
class Entry:
    table: str | None
    path: Path
    sheet: str | None = None
    issue: Issue | None = None  # the file cannot be used; the issue says why


def display_name(path: Path, sheet: str | None) -> str:
    return f"{path.name}[{sheet}]" if sheet else path.name


def table_of_stem(path: Path) -> str | None:
    stem = path.stem.strip().casefold()
    return stem if stem in TABLES else None


def file_entries(path: Path, books: dict[Path, Workbook]) -> list[Entry]:
    """The tables one file holds."""
    table = table_of_stem(path)
    suffix = path.suffix.casefold()
    if not path.exists():
        return [Entry(table, path, None, read_error(path.name, "read-error", "no such file"))]
    if suffix == ".csv":
        return [Entry(table, path)]
    if suffix == ".xls":
        message = "the old .xls format is not supported; save the file as .xlsx or .csv"
        return [Entry(table, path, None, read_error(path.name, "read-error", message))]
    if suffix not in (".xlsx", ".xlsm"):
        message = f"unsupported file type {path.suffix or '(none)'}; use .csv or .xlsx"
        return [Entry(table, path, None, read_error(path.name, "read-error", message))]
    book = books.setdefault(path, Workbook(path))
    if book.error:
        return [Entry(table, path, None, read_error(path.name, "read-error", book.error))]
    if table is not None:
        sheet = book.sheet_for(table)
        if sheet is None:
            nonempty = book.nonempty_sheets()
            if len(nonempty) != 1:
                message = (
                    f"the workbook has {len(nonempty)} non-empty sheets and none is named {table!r}"
                )
                return [Entry(table, path, None, read_error(path.name, "unknown-table", message))]
            sheet = nonempty[0]
        return [Entry(table, path, sheet)]
    named = {t: book.sheet_for(t) for t in TABLES if book.sheet_for(t) is not None}
    if len(named) == 1:
        return [Entry(t, path, sheet) for t, sheet in named.items()]
    if named:
        entries = []
        for t in TABLES:
            if t in named:
                entries.append(Entry(t, path, named[t]))
            else:
                issue = read_error(
                    display_name(path, t), "missing-table", f"the workbook has no sheet named {t!r}"
                )
                entries.append(Entry(t, path, None, issue))
        return entries
    nonempty = book.nonempty_sheets()
    if len(nonempty) == 1:
        return [Entry(None, path, nonempty[0])]
    message = (
        "no sheet is named platforms, performance or organisations "
        f"(sheets: {', '.join(book.sheets)})"
    )
    return [Entry(None, path, None, read_error(path.name, "unknown-table", message))]


def folder_entries(folder: Path, books: dict[Path, Workbook]) -> tuple[list[Entry], list[str]]:
    try:
        files = sorted(
            p for p in folder.iterdir() if p.is_file() and not p.name.startswith((".", "~$"))
        )
    except OSError as exc:
        issue = read_error(folder.name, "read-error", f"cannot list the folder ({os_reason(exc)})")
        return [Entry(None, folder, None, issue)], []
    by_table = {
        t: [p for p in files if p.name.casefold() in {t + s for s in SUFFIXES}] for t in TABLES
    }
    if not any(by_table.values()):
        books_here = [p for p in files if p.suffix.casefold() == ".xlsx"]
        if len(books_here) == 1:
            entries = file_entries(books_here[0], books)
            return entries, TABLES_EXPECTED
    others = [p.name for p in files if p.suffix.casefold() in SUFFIXES]
    hint = ""
    if not any(by_table.values()) and others:
        hint = f" (it holds {', '.join(others)}: give a workbook's path to read its sheets)"
    entries: list[Entry] = []
    for table, found in by_table.items():
        if not found:
            message = f"the folder has no {table}.csv or {table}.xlsx{hint}"
            issue = read_error(f"{table}.csv", "missing-table", message)
            entries.append(Entry(table, folder / f"{table}.csv", None, issue))
        elif len(found) > 1:
            names = " and ".join(p.name for p in found)
            message = f"the folder holds both {names}; keep one"
            issue = read_error(found[0].name, "ambiguous-source", message)
            entries.append(Entry(table, found[0], None, issue))
        else:
            entries.extend(file_entries(found[0], books))
    return entries, TABLES_EXPECTED


def infer_table(header: list[str]) -> str | None:
    names = {header_name(h)[0] for h in header}
    scores = {t: len(names & set(cb.columns(t))) for t in TABLES}
    best = max(scores.values())
    winners = [t for t, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def header_name(name: str) -> tuple[str, bool]:
    new = unicodedata.normalize("NFKC", INVISIBLE.sub("", name)).strip().casefold()
    return new, new != name
