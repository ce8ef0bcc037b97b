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
    origin: Any = None  # where a row read through a mapping came from (see ``Via``)


class Via:
    """How a table names its rows in messages. A table read through a mapping (see ``wide``)
    overrides these to speak in the holder's terms; a table read as it is keeps them."""

    def origin(self, row: int) -> Any:
        """What to remember of the row being read (called once per row, in order)."""
        return None

    def issue(self, origin: Any, issue: Issue) -> Issue:
        return issue

    def normalisation(self, origin: Any, norm: Normalisation) -> Normalisation:
        return norm

    def errors(self, origin: Any, errors: list[Issue]) -> list[Issue]:
        """The row's errors, given those the codebook's checks found."""
        return errors

    def after(self, origin: Any) -> list[Normalisation]:
        """Normalisations made before the checks, reported after the row's own."""
        return []


@dataclass
class Table:
    """One table as checked: the rows accepted so far (rejected rows are counted and their
    issues reported, never kept), and the first rejected row of each local government and of
    each local government and platform type, for the cross-table messages."""

    raw: RawTable
    table: str
    report: ValidationReport
    via: Via = field(default_factory=Via)
    rows: list[Row] = field(default_factory=list)
    loaded: bool = False
    read: int = 0
    rejected: int = 0
    rejected_at: dict[tuple, int] = field(default_factory=dict)
    _last: tuple = ()

    def emit(self, row: Row, issue: Issue) -> None:
        """Report one error of ``row`` (an error repeated on the same row is reported once)."""
        issue = self.via.issue(row.origin, issue)
        if self._last and self._last[0] == (issue.file, issue.row) and issue in self._last[1]:
            return
        if not self._last or self._last[0] != (issue.file, issue.row):
            self._last = ((issue.file, issue.row), set())
        self._last[1].add(issue)
        self.report.add(issue)

    def reject(self, row: Row) -> None:
        """Count ``row`` as rejected and remember its local government (and platform type)."""
        self.rejected += 1
        code = row.values.get("lg_code")
        if isinstance(code, str):
            kind = row.values.get("platform_type")
            for key in [(code,), (code, kind)] if kind is not None else [(code,)]:
                self.rejected_at[key] = min(self.rejected_at.get(key, row.row), row.row)

    def drop_rejected(self) -> None:
        """Keep only the rows that are still accepted."""
        self.rows = [r for r in self.rows if not r.errors]

    @property
    def accepted(self) -> int:
        return self.read - self.rejected


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


def check_table(
    raw: RawTable,
    table: str,
    resolver: Resolver,
    report: ValidationReport,
    via: Via | None = None,
    *,
    header_only: bool = True,
) -> Table:
    """Check every row of ``raw`` as it is read, reporting each rejected row's errors at once.

    Only the rows accepted so far are kept; a row accepted at first may still be rejected as a
    duplicate (when its key comes again) or by :func:`check_cross`. The file's own issues and
    repairs, which grow while its rows are read, join the report as they come. With
    ``header_only=False`` a table without rows is not an error (the caller explains why)."""
    out = Table(raw=raw, table=table, report=report, via=via or Via())
    try:
        _check_rows(out, resolver, header_only)
    finally:
        _flush(raw, report)
    return out


def _flush(raw: RawTable, report: ValidationReport) -> None:
    if raw.issues:
        report.extend(raw.issues)
        raw.issues.clear()
    if raw.normalisations:
        report.extend(raw.normalisations)
        raw.normalisations.clear()


def _check_rows(out: Table, resolver: Resolver, header_only: bool) -> None:
    raw, table, report, via = out.raw, out.table, out.report, out.via
    file = raw.file
    if raw.header is None:
        return
    specs = {v.name: v for v in cb.variables(table)}
    # Header: normalise names, find the codebook's columns, flag the rest.
    positions: dict[str, list[int]] = defaultdict(list)
    unnamed: list[int] = []
    for i, name in enumerate(raw.header):
        new, changed = header_name(name)
        if changed and new:
            report.normalise(Normalisation(file, 1, new, name, new, "column name normalised"))
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
            report.add(
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
            report.add(
                read_error(
                    file,
                    "missing-optional-column",
                    f"the optional column {name!r} is missing; its values are missing{hint}",
                    1,
                    name,
                )
            )
    for name in unknown:
        report.add(
            read_error(
                file,
                "unknown-column",
                f"column {positions[name][0] + 1} ({name!r}) is not in the codebook; ignored",
                1,
                name,
            )
        )
    for i in unnamed:
        report.add(
            read_error(file, "unknown-column", f"column {i + 1} has no name; ignored", 1, "")
        )
    for name, where in positions.items():
        if len(where) > 1 and name in specs:
            cols = ", ".join(str(i + 1) for i in where)
            report.add(
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
    index = {name: i for i, name in enumerate(specs)}
    clean: dict[tuple[str, str], Any] = {}
    keys = Keys(out)
    for n, fields in raw.records:
        out.read += 1
        row = Row(n, NO_VALUES, origin=via.origin(n))
        if raw.issues or raw.normalisations:
            _flush(raw, report)
        if isinstance(fields, Issue):
            _reject(out, row, via.errors(row.origin, [fields]))
            continue
        if fatal:
            out.rejected += 1  # reported once, by the file-level error
            continue
        if raw.xlsx:
            extra = next((i for i in range(width, len(fields)) if fields[i].strip()), None)
            if extra is not None:
                message = f"column {extra + 1} holds a value but has no header"
                issue = read_error(file, "field-count", message, n, None, fields[extra])
                _reject(out, row, via.errors(row.origin, [issue]))
                continue
            fields = fields[:width] + [""] * (width - len(fields))
        elif len(fields) != width:
            kind = "truncated" if len(fields) < width else "overlong"
            message = f"the line has {len(fields)} fields, the header has {width} ({kind} line)"
            issue = read_error(file, "field-count", message, n)
            _reject(out, row, via.errors(row.origin, [issue]))
            continue
        values: dict[str, Any] = {}
        errors: list[Issue] = []
        norms: list[Normalisation] = []
        for name, spec in specs.items():
            if name not in positions:
                values[name] = None
                continue
            text = fields[positions[name][0]]
            known = clean.get((name, text), _UNSEEN)
            if known is not _UNSEEN:
                values[name] = known
                continue
            repairs = len(norms)
            values[name], issue = _check_cell(spec, text, file, n, resolver, norms)
            if issue is not None:
                errors.append(issue)
            elif len(norms) == repairs and spec.dtype not in ("string", "id"):
                # Coded values repeat: a value that needed nothing is converted once.
                clean[(name, text)] = values[name]
        for norm in norms:
            report.normalise(via.normalisation(row.origin, norm))
        for norm in via.after(row.origin):
            report.normalise(norm)
        row.values = Values(index, [values[name] for name in specs])
        if (
            table == "platforms"
            and row.values.get("partner_metro") == 1
            and isinstance(row.values.get("lg_code"), str)
            and resolver.is_metro(row.values["lg_code"])
        ):
            errors.append(
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
        errors = via.errors(row.origin, errors)
        duplicate = keys.see(row, not errors)
        if duplicate is not None:
            errors.append(duplicate)
        if errors:
            _reject(out, row, errors)
        else:
            out.rows.append(row)
    _flush(raw, report)
    if not out.read and not fatal and header_only:
        report.add(read_error(file, "header-only", "the file has a header but no data rows", 1))
    out.loaded = not fatal
    keys.finish()
    out.drop_rejected()


def _reject(t: Table, row: Row, errors: list[Issue]) -> None:
    """Reject a row not accepted before: count it and report its errors."""
    t.reject(row)
    for issue in errors:
        t.emit(row, issue)


#: Marks a row rejected as a duplicate whose error is reported when the table has been read.
PENDING = Issue("error", "", None, None, None, "duplicate", "rejected with the other rows")


class Keys:
    """Rows whose key is duplicated are all rejected. The first row of each key is remembered
    (its number, and the row itself while it is accepted); a later row with the same key is
    rejected at once, naming the first; the first row's error, naming the later ones, is
    reported when the table has been read."""

    #: Later rows named in the first row's message.
    NAMED = 5

    def __init__(self, t: Table):
        self.t = t
        self.columns, self.rule = KEYS[t.table]
        self.first: dict[tuple, tuple[int, Any]] = {}  # key → its first row and origin
        self.candidate: dict[tuple, Row] = {}  # first rows still accepted, by key
        self.later: dict[tuple, list[int]] = {}  # key → [count of later rows, first few rows]

    def _message(self, key: tuple, others: str) -> tuple[str, str]:
        shown = ", ".join(f"{k}={v}" for k, v in zip(self.columns, key, strict=True))
        return f"{RULES[self.rule]}: {shown} is also on {others}", " / ".join(map(str, key))

    def see(self, row: Row, ok: bool) -> Issue | None:
        """The duplicate-key error of ``row`` (``ok``: it has no other error), or None; remembers
        its key."""
        key = tuple(row.values.get(k) for k in self.columns)
        if any(v is None for v in key):
            return None
        first, _ = self.first.setdefault(key, (row.row, row.origin))
        if first == row.row:
            if ok:
                self.candidate[key] = row
            return None
        later = self.later.setdefault(key, [0])
        later[0] += 1
        if len(later) <= self.NAMED:
            later.append(row.row)
        accepted = self.candidate.pop(key, None)
        if accepted is not None:
            accepted.errors.append(PENDING)
            self.t.reject(accepted)
        message, value = self._message(key, f"row {first}")
        return read_error(
            self.t.raw.file, self.rule, message, row.row, "+".join(self.columns), value
        )

    def finish(self) -> None:
        """Report the error of the first row of every duplicated key."""
        for key, (count, *rows) in self.later.items():
            named = ", ".join(map(str, rows))
            others = f"row {named}" if count == 1 else f"rows {named}"
            if count > len(rows):
                others += f" and {count - len(rows)} more"
            message, value = self._message(key, others)
            first, origin = self.first[key]
            row = Row(first, NO_VALUES, origin=origin)
            issue = read_error(
                self.t.raw.file, self.rule, message, first, "+".join(self.columns), value
            )
            self.t.emit(row, issue)
        self.first.clear()
        self.candidate.clear()


def accepted_rows(t: Table) -> list[Row]:
    return [r for r in t.rows if not r.errors]


def check_cross(tables: dict[str, Table], report: ValidationReport) -> None:
    """Check the accepted rows of each table against the accepted rows of the others; a row that
    fails is rejected and its error reported."""
    orgs = tables.get("organisations")
    plats = tables.get("platforms")
    perf = tables.get("performance")

    if orgs is not None and orgs.loaded:
        accepted = {r.values["lg_code"] for r in orgs.rows}
        for t in (plats, perf):
            if t is None or not t.loaded:
                continue
            for row in t.rows:
                code = row.values["lg_code"]
                if code in accepted:
                    continue
                if (code,) in orgs.rejected_at:
                    why = f"its row {orgs.rejected_at[(code,)]} in {orgs.raw.file} was rejected"
                else:
                    why = f"{orgs.raw.file} has no row for it"
                _fail(
                    t,
                    row,
                    read_error(
                        t.raw.file,
                        "lg-not-in-organisations",
                        f"local government {code} has no accepted row in organisations: {why}",
                        row.row,
                        "lg_code",
                        code,
                    ),
                )
            t.drop_rejected()
    elif any(t is not None and t.loaded for t in (plats, perf)):
        report.notes.append(
            "organisations is not available: platforms and performance rows were not "
            "checked against it"
        )

    if plats is not None and plats.loaded:
        if perf is not None and perf.loaded:
            runs = {(r.values["lg_code"], r.values["platform_type"]) for r in plats.rows}
            for row in perf.rows:
                key = (row.values["lg_code"], row.values["platform_type"])
                if key in runs:
                    continue
                why = (
                    f"its platform on row {plats.rejected_at[key]} of {plats.raw.file} was rejected"
                    if key in plats.rejected_at
                    else f"{plats.raw.file} lists no {key[1]} platform of {key[0]}"
                )
                _fail(
                    perf,
                    row,
                    read_error(
                        perf.raw.file,
                        "no-platform-of-type",
                        f"local government {key[0]} runs no accepted {key[1]} platform: {why}",
                        row.row,
                        "platform_type",
                        key[1],
                    ),
                )
            perf.drop_rejected()
    elif perf is not None and perf.loaded:
        report.notes.append(
            "platforms is not available: performance rows were not checked against it"
        )


def _fail(t: Table, row: Row, issue: Issue) -> None:
    """Reject an accepted row with ``issue``."""
    row.errors.append(issue)
    t.reject(row)
    t.emit(row, issue)
