"""The validation report: every row read, accepted or rejected, every error and every repair."""

from __future__ import annotations

import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from platformgov.inputs.survey.rules import RULES, TABLES

#: The counts of :meth:`ValidationReport.summary`, one row per file.
SUMMARY_COUNTS = ("rows_read", "rows_accepted", "rows_rejected", "errors", "warnings", "normalised")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _first_seen(keys: Iterable) -> dict:
    """Each key's position of first appearance."""
    first: dict = {}
    for key in keys:
        first.setdefault(key, len(first))
    return first


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


#: Issues kept in memory per file and rule, and normalisations per file and reason. The rest are
#: counted, and written to a spool file on disk so that the full report still lists them all.
KEPT = 1000

_KINDS = ("error", "warning", "normalised")


class _Spool:
    """Every issue and normalisation as a line of text, in temporary files, in the order found."""

    def __init__(self) -> None:
        # Open for the report's life; closed by close(), or when collected.
        self.files = {kind: tempfile.TemporaryFile("w+", encoding="utf-8") for kind in _KINDS}  # noqa: SIM115

    def write(self, kind: str, item: Issue | Normalisation) -> None:
        self.files[kind].write(f"{item}\n")

    def lines(self, kind: str) -> Iterator[str]:
        f = self.files[kind]
        f.flush()
        f.seek(0)
        for line in f:
            yield line.rstrip("\n")
        f.seek(0, 2)

    def close(self) -> None:
        for f in self.files.values():
            f.close()


@dataclass
class ValidationReport:
    """What reading the survey found: per-file counts, errors, warnings, normalisations.

    Every issue and normalisation is counted (by file, severity, rule and column; by file,
    column and reason). The first :data:`KEPT` of each rule (and each reason) in a file are kept
    in memory (``issues``, ``normalisations``, in file and row order); once one more is found,
    everything from then on is also written to a spool file on disk, so that memory stays flat
    while :meth:`full_lines` still lists every item (in the order found).
    """

    source: str
    files: list[FileReport] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    normalisations: list[Normalisation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    issue_counts: Counter = field(default_factory=Counter)  # (severity, file, rule, column)
    normalisation_counts: Counter = field(default_factory=Counter)  # (file, column, reason)
    rows_with: Counter = field(default_factory=Counter)  # rule → rows with an issue of it
    _kept: Counter = field(default_factory=Counter, repr=False)
    _last_row: dict = field(default_factory=dict, repr=False)
    _spool: _Spool | None = field(default=None, repr=False)

    # --- adding -------------------------------------------------------------------------------

    def add(self, issue: Issue) -> None:
        """Count ``issue``; keep it, or write it to the spool."""
        self.issue_counts[(issue.severity, issue.file, issue.rule, issue.column)] += 1
        where = (issue.file, issue.row)
        if self._last_row.get(issue.rule) != where:
            self._last_row[issue.rule] = where
            self.rows_with[issue.rule] += 1
        self._keep(self.issues, ("issue", issue.file, issue.rule), issue, issue.severity)

    def normalise(self, norm: Normalisation) -> None:
        """Count ``norm``; keep it, or write it to the spool."""
        self.normalisation_counts[(norm.file, norm.column, norm.reason)] += 1
        self._keep(self.normalisations, ("norm", norm.file, norm.reason), norm, "normalised")

    def extend(self, items: Iterable[Issue | Normalisation]) -> None:
        for item in items:
            if isinstance(item, Issue):
                self.add(item)
            else:
                self.normalise(item)

    def _keep(self, kept: list, key: tuple, item: Issue | Normalisation, kind: str) -> None:
        if self._spool is not None:
            self._spool.write(kind, item)
        if self._kept[key] < KEPT:
            self._kept[key] += 1
            kept.append(item)
        elif self._spool is None:
            self._start_spool()
            self._spool.write(kind, item)

    def _start_spool(self) -> None:
        """From the first item not kept: the spool holds what was kept so far and all after."""
        self._spool = _Spool()
        for issue in self.issues:
            self._spool.write(issue.severity, issue)
        for norm in self.normalisations:
            self._spool.write("normalised", norm)

    def close(self) -> None:
        """Delete the spool files (if any)."""
        if self._spool is not None:
            self._spool.close()
            self._spool = None

    @property
    def complete(self) -> bool:
        """Whether every issue and normalisation is kept in memory."""
        return self._spool is None

    # --- counts -------------------------------------------------------------------------------

    def count(self, severity: str) -> int:
        """How many issues of ``severity`` ("error" or "warning") were found."""
        return sum(n for (sev, *_), n in self.issue_counts.items() if sev == severity)

    @property
    def error_count(self) -> int:
        return self.count("error")

    @property
    def warning_count(self) -> int:
        return self.count("warning")

    @property
    def normalised_count(self) -> int:
        return sum(self.normalisation_counts.values())

    def reason_counts(self) -> dict[tuple[str, str], int]:
        """Normalisations counted by (file, reason), in the order of the kept ones."""
        out: Counter = Counter()
        for (file, _, reason), n in self.normalisation_counts.items():
            out[(file, reason)] += n
        first = _first_seen((n.file, n.reason) for n in self.normalisations)
        return dict(sorted(out.items(), key=lambda kv: first.get(kv[0], len(first))))

    @property
    def errors(self) -> list[Issue]:
        """The errors kept in memory (all of them when :attr:`complete`)."""
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        """The warnings kept in memory (all of them when :attr:`complete`)."""
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing was rejected and no file-level error occurred."""
        return self.error_count == 0

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
        errors: Counter = Counter()
        warnings: Counter = Counter()
        for (severity, file, _, _), n in self.issue_counts.items():
            (errors if severity == "error" else warnings)[file] += n
        changed: Counter = Counter()
        for (file, _), n in self.reason_counts().items():
            changed[file] += n
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
        counts: Counter = Counter()
        for (severity, _, rule, _), n in self.issue_counts.items():
            counts[(severity, rule)] += n
        first = _first_seen((i.severity, i.rule) for i in self.issues)
        rows = [
            {"severity": sev, "rule": rule, "description": RULES.get(rule, ""), "count": n}
            for (sev, rule), n in sorted(
                counts.items(), key=lambda kv: (kv[0][0], -kv[1], first.get(kv[0], len(first)))
            )
        ]
        return pd.DataFrame(rows, columns=["severity", "rule", "description", "count"])

    def issues_frame(self) -> pd.DataFrame:
        """The issues kept in memory, one row each."""
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
        """The lines of :meth:`to_text`, one at a time, from the items kept in memory."""
        kept = {
            "error": self.errors,
            "warning": self.warnings,
            "normalised": self.normalisations,
        }

        def listed(kind: str, word: str) -> Iterator[str]:
            total, items = self._total(kind), kept[kind]
            shown = items if limit is None else items[:limit]
            yield from (f"  {i}" for i in shown)
            if total > len(shown):
                left = total - len(shown)
                rest = f"  … and {left} more {word if left == 1 else word + 's'}"
                yield rest + (f" (all are listed in {full_report})" if full_report else "")

        yield from self._head()
        for kind, title in (("error", "Errors"), ("warning", "Warnings")):
            if self._total(kind):
                yield f"{title} ({self._total(kind)}):"
                yield from listed(kind, kind)
        if self.normalised_count:
            yield f"Normalised ({self.normalised_count}):"
            if all_normalisations:
                yield from listed("normalised", "normalised value")
            else:
                groups: dict[tuple[str, str], list[Normalisation]] = defaultdict(list)
                for n in self.normalisations:
                    if len(groups[(n.file, n.reason)]) < examples:
                        groups[(n.file, n.reason)].append(n)
                for (file, reason), count in self.reason_counts().items():
                    yield f"  {file}: {reason}: {count}"
                    yield from (f"    {n}" for n in groups[(file, reason)])
                    if count > examples:
                        yield f"    … and {count - examples} more"
        yield from self._tail()

    def full_lines(self) -> Iterator[str]:
        """Every line of the report, every issue and normalisation listed: from memory when all
        are kept (in file and row order), else from the spool (in the order found)."""
        if self._spool is None:
            yield from self.lines()
            return
        yield from self._head()
        for kind, title in (("error", "Errors"), ("warning", "Warnings"), ("normalised", "")):
            if self._total(kind):
                yield f"{title or 'Normalised'} ({self._total(kind)}):"
                yield from (f"  {line}" for line in self._spool.lines(kind))
        yield from self._tail()

    def _total(self, kind: str) -> int:
        return self.normalised_count if kind == "normalised" else self.count(kind)

    def _head(self) -> Iterator[str]:
        yield f"Survey source: {self.source}"
        for f in self.files:
            what = f"table {f.table}" if f.table else "table unknown"
            if f.encoding:
                what += f", {f.encoding}"
            yield (
                f"  {f.file} ({what}): {f.rows_read} rows read = "
                f"{f.rows_accepted} accepted + {f.rows_rejected} rejected"
            )

    def _tail(self) -> Iterator[str]:
        if self.notes:
            yield "Notes:"
            yield from (f"  {n}" for n in self.notes)
        errors = self.error_count
        if not errors:
            yield f"Result: valid ({self.rows_accepted} rows accepted)"
        else:
            yield (
                f"Result: INVALID ({_plural(errors, 'error')}; "
                f"{self.rows_rejected} of {self.rows_read} rows rejected)"
            )

    def truncated(self, limit: int | None, *, all_normalisations: bool = False) -> bool:
        """Whether ``to_text(limit=limit, ...)`` leaves an error, warning or value out."""
        if not self.complete:
            return True
        if limit is None:
            return False
        listed = [self.error_count, self.warning_count]
        if all_normalisations:
            listed.append(self.normalised_count)
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
