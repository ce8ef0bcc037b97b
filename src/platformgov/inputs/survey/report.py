"""The validation report: every row read, accepted or rejected, every error and every repair."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from platformgov.inputs.survey.rules import RULES, TABLES

#: The counts of :meth:`ValidationReport.summary`, one row per file.
SUMMARY_COUNTS = ("rows_read", "rows_accepted", "rows_rejected", "errors", "warnings", "normalised")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _show(value: object) -> str:
    return repr(value)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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

    def unusable_tables(self) -> list[str]:
        """The survey tables that could not be read or have no accepted row."""
        usable = {f.table for f in self.files if f.loaded and f.rows_accepted > 0}
        return [t for t in TABLES if t not in usable]

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
        frame = pd.DataFrame([[getattr(i, c) for c in cols] for i in self.issues], columns=cols)
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def normalisations_frame(self) -> pd.DataFrame:
        cols = ["file", "row", "column", "old", "new", "reason", "detail"]
        frame = pd.DataFrame(
            [[getattr(n, c) for c in cols] for n in self.normalisations], columns=cols
        )
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_text(
        self,
        *,
        all_normalisations: bool = True,
        examples: int = 3,
        limit: int | None = None,
        full_report: str | Path | None = None,
    ) -> str:
        """The report as plain text. Errors and warnings are listed (at most ``limit`` of each,
        then a count of the rest and where ``full_report`` holds them all); normalisations are
        listed (at most ``limit``), or (``all_normalisations=False``) counted by reason with
        examples."""
        return "\n".join(
            self.lines(
                all_normalisations=all_normalisations,
                examples=examples,
                limit=limit,
                full_report=full_report,
            )
        )

    def lines(
        self,
        *,
        all_normalisations: bool = True,
        examples: int = 3,
        limit: int | None = None,
        full_report: str | Path | None = None,
    ) -> Iterator[str]:
        """The lines of :meth:`to_text`, one at a time (a full report may be long)."""

        def capped(items: list, word: str) -> Iterator[str]:
            shown = items if limit is None else items[:limit]
            yield from (f"  {i}" for i in shown)
            if len(items) > len(shown):
                left = len(items) - len(shown)
                rest = f"  … and {left} more {word if left == 1 else word + 's'}"
                yield rest + (f" (all are listed in {full_report})" if full_report else "")

        yield f"Survey source: {self.source}"
        for f in self.files:
            what = f"table {f.table}" if f.table else "table unknown"
            if f.encoding:
                what += f", {f.encoding}"
            yield (
                f"  {f.file} ({what}): {f.rows_read} rows read = "
                f"{f.rows_accepted} accepted + {f.rows_rejected} rejected"
            )
        errors = self.errors
        for title, items in (("Errors", errors), ("Warnings", self.warnings)):
            if items:
                yield f"{title} ({len(items)}):"
                yield from capped(items, title.lower()[:-1])
        if self.normalisations:
            yield f"Normalised ({len(self.normalisations)}):"
            if all_normalisations:
                yield from capped(self.normalisations, "normalised value")
            else:
                groups: dict[tuple[str, str], list[Normalisation]] = defaultdict(list)
                for n in self.normalisations:
                    groups[(n.file, n.reason)].append(n)
                for (file, reason), items in groups.items():
                    yield f"  {file}: {reason}: {len(items)}"
                    yield from (f"    {n}" for n in items[:examples])
                    if len(items) > examples:
                        yield f"    … and {len(items) - examples} more"
        if self.notes:
            yield "Notes:"
            yield from (f"  {n}" for n in self.notes)
        if not errors:
            yield f"Result: valid ({self.rows_accepted} rows accepted)"
        else:
            yield (
                f"Result: INVALID ({_plural(len(errors), 'error')}; "
                f"{self.rows_rejected} of {self.rows_read} rows rejected)"
            )

    def truncated(self, limit: int | None, *, all_normalisations: bool = False) -> bool:
        """Whether ``to_text(limit=limit, ...)`` leaves an error, warning or value out."""
        if limit is None:
            return False
        listed = [len(self.errors), len(self.warnings)]
        if all_normalisations:
            listed.append(len(self.normalisations))
        return max(listed) > limit

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
    kind: str  # "synthetic" | "real"
    path: Path
    report: ValidationReport

    def table(self, name: str) -> pd.DataFrame:
        if name not in TABLES:
            raise KeyError(f"unknown survey table {name!r}; the tables are {', '.join(TABLES)}")
        return getattr(self, name)
