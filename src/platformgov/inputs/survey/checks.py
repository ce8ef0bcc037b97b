"""Checking one table against the codebook, and the tables against one another."""

from __future__ import annotations

import difflib
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.files import RawTable, read_error
from platformgov.inputs.survey.report import Issue, Normalisation, ValidationReport
from platformgov.inputs.survey.rules import (
    CONTROL,
    INTEGER,
    INVISIBLE,
    KEYS,
    LINE_BREAKS,
    RULES,
    TRAILING_ZERO,
)
from platformgov.inputs.survey.sources import header_name
from platformgov.labels import value_from_label


class Values(Mapping):
    """One row's converted values by column name, held as a tuple (a survey may be large)."""

    __slots__ = ("_data", "_index")

    def __init__(self, index: dict[str, int], data: Sequence[Any]):
        self._index = index
        self._data = tuple(data)

    def __getitem__(self, name: str) -> Any:
        return self._data[self._index[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)


NO_VALUES = Values({}, ())


@dataclass(slots=True)
class Row:
    row: int
    values: Mapping[str, Any]
    errors: list[Issue] = field(default_factory=list)


@dataclass
class Table:
    raw: RawTable
    table: str
    rows: list[Row] = field(default_factory=list)
    loaded: bool = False


class Resolver:
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
    new = LINE_BREAKS.sub(" ", value)
    if new != value:
        out.append(
            Normalisation(file, row, var.name, value, new, "line break or tab replaced by a space")
        )
        value = new
    if var.code_like and value:
        new = INVISIBLE.sub("", value)
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
            m = TRAILING_ZERO.fullmatch(value)
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
    resolver: Resolver,
    norms: list[Normalisation],
) -> tuple[Any, Issue | None]:
    """Convert one normalised, non-empty value; return (value, None) or (None, issue)."""

    def fail(rule: str, message: str | None = None) -> tuple[Any, Issue]:
        return None, read_error(file, rule, message or var.rule_text(), row, var.name, value)

    if var.dtype == "string":
        return value, None
    if var.dtype == "id":
        assert var.pattern is not None
        return (value, None) if var.pattern.fullmatch(value) else fail("id-pattern")
    if var.dtype == "category":
        if value in (var.values or ()):
            return var.values[var.values.index(value)], None  # one string object per category
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
    if not INTEGER.fullmatch(value):
        if var.dtype == "likert":
            return fail("likert-range")
        return fail("integer-type", f"must be a whole number (from {lo} to {hi})")
    number = int(value)
    if not lo <= number <= hi:
        return fail(rule_range)
    if str(number) != value:
        reason = "leading zeros or plus sign removed"
        norms.append(Normalisation(file, row, var.name, value, str(number), reason))
    return number, None


_UNSEEN = object()


def _check_cell(
    spec: cb.Variable,
    text: str,
    file: str,
    n: int,
    resolver: Resolver,
    norms: list[Normalisation],
) -> tuple[Any, Issue | None]:
    """One cell's value, or None and the rule it breaks."""
    control = CONTROL.search(text)
    if control:
        message = (
            f"the value holds the control character U+{ord(control.group()):04X} "
            f"(character {control.start() + 1}); remove it"
        )
        return None, read_error(file, "control-character", message, n, spec.name, text)
    value = _normalise_cell(spec, text, file, n, norms)
    if not value:
        if spec.required:
            return None, read_error(
                file, "required-missing", "a value is required", n, spec.name, text
            )
        return None, None
    return _check_value(spec, value, file, n, resolver, norms)


def check_table(raw: RawTable, table: str, resolver: Resolver, report: ValidationReport) -> Table:
    """Check every row of ``raw`` as it is read; the file's own issues and repairs, which may
    grow while its rows are read, join the report at the end."""
    try:
        return _check_rows(raw, table, resolver, report)
    finally:
        report.issues.extend(raw.issues)
        report.normalisations.extend(raw.normalisations)


def _check_rows(raw: RawTable, table: str, resolver: Resolver, report: ValidationReport) -> Table:
    out = Table(raw=raw, table=table)
    file = raw.file
    if raw.header is None:
        return out
    specs = {v.name: v for v in cb.variables(table)}
    # Header: normalise names, find the codebook's columns, flag the rest.
    positions: dict[str, list[int]] = defaultdict(list)
    unnamed: list[int] = []
    for i, name in enumerate(raw.header):
        new, changed = header_name(name)
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
                read_error(
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
                read_error(
                    file,
                    "missing-optional-column",
                    f"the optional column {name!r} is missing; its values are missing{hint}",
                    1,
                    name,
                )
            )
    for name in unknown:
        report.issues.append(
            read_error(
                file,
                "unknown-column",
                f"column {positions[name][0] + 1} ({name!r}) is not in the codebook; ignored",
                1,
                name,
            )
        )
    for i in unnamed:
        report.issues.append(
            read_error(file, "unknown-column", f"column {i + 1} has no name; ignored", 1, "")
        )
    for name, where in positions.items():
        if len(where) > 1 and name in specs:
            cols = ", ".join(str(i + 1) for i in where)
            report.issues.append(
                read_error(
                    file,
                    "duplicate-column",
                    f"the column {name!r} appears more than once (columns {cols})",
                    1,
                    name,
                )
            )
            fatal = True
    width = len(raw.header)
    bad = {issue.row: issue for issue in raw.bad_rows}
    rows: list[Row] = []
    index = {name: i for i, name in enumerate(specs)}
    clean: dict[tuple[str, str], Any] = {}
    for n, fields in raw.records:
        row = Row(n, NO_VALUES)
        rows.append(row)
        if isinstance(fields, Issue) or n in bad:
            row.errors.append(fields if isinstance(fields, Issue) else bad[n])
            continue
        if fatal:
            continue
        if raw.xlsx:
            extra = next((i for i in range(width, len(fields)) if fields[i].strip()), None)
            if extra is not None:
                message = f"column {extra + 1} holds a value but has no header"
                row.errors.append(read_error(file, "field-count", message, n, None, fields[extra]))
                continue
            fields = fields[:width] + [""] * (width - len(fields))
        elif len(fields) != width:
            kind = "truncated" if len(fields) < width else "overlong"
            message = f"the line has {len(fields)} fields, the header has {width} ({kind} line)"
            row.errors.append(read_error(file, "field-count", message, n))
            continue
        values: dict[str, Any] = {}
        for name, spec in specs.items():
            if name not in positions:
                values[name] = None
                continue
            text = fields[positions[name][0]]
            known = clean.get((name, text), _UNSEEN)
            if known is not _UNSEEN:
                values[name] = known
                continue
            repairs = len(report.normalisations)
            values[name], issue = _check_cell(spec, text, file, n, resolver, report.normalisations)
            if issue is not None:
                row.errors.append(issue)
            elif len(report.normalisations) == repairs and spec.dtype not in ("string", "id"):
                # Coded values repeat: a value that needed nothing is converted once.
                clean[(name, text)] = values[name]
        row.values = Values(index, [values[name] for name in specs])
        if (
            table == "platforms"
            and row.values.get("partner_metro") == 1
            and isinstance(row.values.get("lg_code"), str)
            and resolver.is_metro(row.values["lg_code"])
        ):
            row.errors.append(
                read_error(
                    file,
                    "partner-metro-on-metro",
                    f"must be 0 or empty: {row.values['lg_code']} is a metropolitan government, "
                    "which has no metropolitan government above it",
                    n,
                    "partner_metro",
                    "1",
                )
            )
    if not rows and not fatal:
        report.issues.append(
            read_error(file, "header-only", "the file has a header but no data rows", 1)
        )
    if fatal:
        for row in rows:
            if not row.errors:
                row.errors.append(FATAL)
    out.rows = rows
    out.loaded = not fatal
    _check_keys(out)
    return out


#: Marks rows rejected by a file-level error (reported once, at row 1, not per row).
FATAL = Issue("error", "", None, None, None, "file-level", "rejected with the whole file")


def _check_keys(t: Table) -> None:
    keys, rule = KEYS[t.table]
    seen: dict[tuple, list[Row]] = defaultdict(list)
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
            row.errors.append(read_error(t.raw.file, rule, message, row.row, "+".join(keys), value))


def accepted_rows(t: Table) -> list[Row]:
    return [r for r in t.rows if not r.errors]


def check_cross(tables: dict[str, Table], report: ValidationReport) -> None:
    orgs = tables.get("organisations")
    plats = tables.get("platforms")
    perf = tables.get("performance")

    if orgs is not None and orgs.loaded:
        accepted = {r.values["lg_code"] for r in accepted_rows(orgs)}
        rejected: dict[str, int] = {}
        for r in orgs.rows:
            if r.errors and r.values.get("lg_code"):
                rejected.setdefault(r.values["lg_code"], r.row)
        for t in (plats, perf):
            if t is None or not t.loaded:
                continue
            for row in accepted_rows(t):
                code = row.values["lg_code"]
                if code in accepted:
                    continue
                if code in rejected:
                    why = f"its row {rejected[code]} in {orgs.raw.file} was rejected"
                else:
                    why = f"{orgs.raw.file} has no row for it"
                row.errors.append(
                    read_error(
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
            runs = {(r.values["lg_code"], r.values["platform_type"]) for r in accepted_rows(plats)}
            rejected = {}
            for r in plats.rows:
                key = (r.values.get("lg_code"), r.values.get("platform_type"))
                if r.errors and None not in key:
                    rejected.setdefault(key, r.row)
            for row in accepted_rows(perf):
                key = (row.values["lg_code"], row.values["platform_type"])
                if key in runs:
                    continue
                why = (
                    f"its platform on row {rejected[key]} of {plats.raw.file} was rejected"
                    if key in rejected
                    else f"{plats.raw.file} lists no {key[1]} platform of {key[0]}"
                )
                row.errors.append(
                    read_error(
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
