"""A deliberately broken copy of the synthetic survey, for the chapter "Data" to show what the
validator reports, and a plain copy for the exercises.

The copy is always made from the bundled synthetic data, whatever survey the book reads: the
report printed for it names rows and values.
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from platformgov import paths
from platformgov.chapters.tables import Table, as_table
from platformgov.inputs import codebook as cb
from platformgov.inputs import registry
from platformgov.labels import label

TABLES = cb.TABLES

#: The name put in place of a code in the broken copy: several 2022 governments share it.
AMBIGUOUS_NAME = "중구"


@dataclass(frozen=True)
class Fault:
    """One change made on purpose, and the rule or normalisation the validator should report."""

    file: str
    row: int | None  # as a person sees it in the file (header = 1); None: the whole file
    column: str | None
    old: str
    new: str
    kind: str  # label key suffix: data.fault.<kind>
    expect: str  # a rule id, or a normalisation reason


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def broken_copy(dest: str | Path, source: str | Path | None = None) -> list[Fault]:
    """Write a copy of the synthetic survey into ``dest`` with a few faults put in on purpose.

    The faults cover errors, a warning and normalisations. Each is put on the first row that
    fits a rule, so that any synthetic survey gives the same kinds of fault: one local
    government's ``organisations`` row gets an ambiguous name (and its rows in the other tables
    are rejected with it); the other faults go to rows of other local governments, on
    distinct rows. Returns the faults in file order. ``source`` defaults to the bundled
    synthetic data: the copy demonstrates the validator and is never made from the real survey.
    """
    src = paths.SYNTHETIC if source is None else Path(source)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    faults: list[Fault] = []
    used: set[tuple[str, int]] = set()

    def set_cell(file, header, rows, i, column, new, kind, expect):
        j = header.index(column)
        faults.append(Fault(file, i + 2, column, rows[i][j], new, kind, expect))
        rows[i][j] = new
        used.add((file, i))

    def first(file, rows, fits):
        for i, r in enumerate(rows):
            if (file, i) not in used and fits(r):
                return i
        raise ValueError(f"{file}: no row fits the fault")

    header, rows = _read(src / "platforms.csv")
    col = {name: header.index(name) for name in header}
    # The government whose organisations row is broken: the first of those running the fewest
    # platforms (at least one), so that the rows rejected with it are few but not none.
    org_header, org_rows = _read(src / "organisations.csv")
    org_code = org_header.index("lg_code")
    runs = Counter(r[col["lg_code"]] for r in rows)
    fewest = min(runs.values())
    org_i = next(i for i, r in enumerate(org_rows) if runs.get(r[org_code]) == fewest)
    cut_off = org_rows[org_i][org_code]

    # platforms: a post-2022 code, full-width digits, the Korean label of a category value (all
    # three repaired), and a category value the codebook does not know (rejected).
    file = "platforms.csv"
    renamed = {old: new for new, (old, _, _) in registry.RENAMED_SIDO.items()}

    def other(r):
        return r[col["lg_code"]] != cut_off

    i = first(
        file,
        rows,
        lambda r: other(r) and len(r[col["lg_code"]]) == 5 and r[col["lg_code"]][:2] in renamed,
    )
    code = rows[i][col["lg_code"]]
    expect = "mapped to the 2022 local-government code"
    set_cell(
        file, header, rows, i, "lg_code", renamed[code[:2]] + code[2:], "post2022_code", expect
    )
    i = first(file, rows, lambda r: other(r) and r[col["year_launched"]].isdigit())
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in rows[i][col["year_launched"]])
    expect = "full-width characters normalised (NFKC)"
    set_cell(file, header, rows, i, "year_launched", wide, "full_width", expect)
    # A platform whose government runs another of its type: rejecting it rejects nothing else.
    pairs = Counter((r[col["lg_code"]], r[col["platform_type"]]) for r in rows)
    i = first(
        file, rows, lambda r: other(r) and pairs[(r[col["lg_code"]], r[col["platform_type"]])] > 1
    )
    set_cell(file, header, rows, i, "status", "폐지", "category_unknown", "category-value")
    i = first(file, rows, lambda r: other(r))
    word = label(f"status.{rows[i][col['status']]}", "ko")
    set_cell(file, header, rows, i, "status", word, "category_label", "label mapped to its code")
    _write(dest / file, header, rows)

    # performance: an answer off the scale and a text for a missing answer.
    header, rows = _read(src / "performance.csv")
    file = "performance.csv"
    lg = header.index("lg_code")
    items = [
        v for v in cb.columns("performance") if cb.variable("performance", v).dtype == "likert"
    ]
    for item, new, kind in ((items[1], "7", "off_scale"), (items[3], "NA", "na_text")):
        j = header.index(item)
        i = first(file, rows, lambda r, j=j: r[lg] != cut_off and r[j] != "")
        set_cell(file, header, rows, i, item, new, kind, "likert-range")
    _write(dest / file, header, rows)

    # organisations: an ambiguous name for a code, a column the codebook lacks, CP949.
    file = "organisations.csv"
    set_cell(
        file, org_header, org_rows, org_i, "lg_code", "중구", "ambiguous_name", "unknown-lg-code"
    )
    org_header = [*org_header, "memo"]
    org_rows = [[*r, ""] for r in org_rows]
    faults.append(Fault(file, 1, "memo", "", "memo", "extra_column", "unknown-column"))
    faults.append(Fault(file, None, None, "UTF-8", "CP949", "cp949", "decoded from CP949"))
    _write(dest / file, org_header, org_rows, encoding="cp949")
    order = {f"{t}.csv": n for n, t in enumerate(TABLES)}
    return sorted(faults, key=lambda f: (order[f.file], f.row or 0))


def fault_table(faults: list[Fault], lang: str) -> Table:
    """The faults of a broken copy: file, row, column, old and new value, and what they are."""
    frame = pd.DataFrame(
        {
            label("data.col.row", lang): ["" if f.row is None else f.row for f in faults],
            label("data.col.column", lang): [f.column or "" for f in faults],
            label("data.col.old", lang): [f.old for f in faults],
            label("data.col.new", lang): [f.new for f in faults],
            label("data.col.fault", lang): [label(f"data.fault.{f.kind}", lang) for f in faults],
        },
        index=pd.Index([f.file for f in faults]),
    )
    return as_table(
        frame, lang, "data.caption.faults", "data.col.file", note_key="data.note.faults"
    )


def copy_synthetic(dest: str | Path) -> Path:
    """Copy the bundled synthetic survey files into ``dest`` (for exercises); returns ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        shutil.copyfile(paths.SYNTHETIC / f"{table}.csv", dest / f"{table}.csv")
    return dest
