"""The survey codebook (``data/codebook.csv``) read into typed variable specs.

The codebook is the single source of truth for the survey's tables, columns, types and allowed
values: ``survey`` validates against it, ``labels`` takes variable labels from it, and
:mod:`platformgov.vocabulary` reads the platform types, the partners and each outcome's items
from it. A malformed codebook raises ``CodebookError`` naming the codebook row and column: it is
never read half-way.

Columns of the codebook:

``table``
    ``platforms``, ``performance`` or ``organisations``.
``variable``
    column name in the survey file (lower case, ``[a-z][a-z0-9_]*``), unique within its table.
``label_ko``, ``label_en``
    short labels for tables and figures.
``dtype``
    one of ``id, code, string, category, integer, binary, likert``.
``allowed``
    what ``dtype`` admits: a regular expression for ``id`` (the whole value must match);
    ``registry`` for ``code`` (a 2022 local-government code); empty for ``string``;
    ``a|b|c`` for ``category`` and ``binary`` (binary is always ``0|1``); ``lo..hi`` (inclusive
    integer bounds) for ``integer`` and ``likert``.
``required``
    ``yes`` (the column must be present and every row must have a value) or ``no``.
``question_ko``, ``question_en``
    the wording of the question or a description of the variable.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from platformgov.paths import CODEBOOK

HEADER = (
    "table",
    "variable",
    "label_ko",
    "label_en",
    "dtype",
    "allowed",
    "required",
    "question_ko",
    "question_en",
)
TABLES = ("platforms", "performance", "organisations")
DTYPES = ("id", "code", "string", "category", "integer", "binary", "likert")
#: Types whose values are compared after Unicode NFKC normalisation (full-width digits etc.).
CODE_LIKE = frozenset({"id", "code", "category", "integer", "binary", "likert"})
#: Types stored as nullable integers (``Int64``) once validated.
NUMERIC = frozenset({"integer", "binary", "likert"})

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_RANGE = re.compile(r"(-?[0-9]+)\.\.(-?[0-9]+)")


class CodebookError(ValueError):
    """The codebook file is malformed."""


@dataclass(frozen=True)
class Variable:
    """One column of one survey table, as the codebook describes it."""

    table: str
    name: str
    label_ko: str
    label_en: str
    dtype: str
    allowed: str
    required: bool
    question_ko: str
    question_en: str
    #: Allowed values of a ``category`` or ``binary`` variable, in codebook order.
    values: tuple[str, ...] | None = None
    #: Inclusive bounds of an ``integer`` or ``likert`` variable.
    bounds: tuple[int, int] | None = None
    #: Pattern an ``id`` must match in full.
    pattern: re.Pattern[str] | None = None

    @property
    def numeric(self) -> bool:
        return self.dtype in NUMERIC

    @property
    def code_like(self) -> bool:
        return self.dtype in CODE_LIKE

    def label(self, lang: str) -> str:
        if lang not in ("ko", "en"):
            raise ValueError(f"language must be 'ko' or 'en', not {lang!r}")
        return self.label_ko if lang == "ko" else self.label_en

    def question(self, lang: str) -> str:
        if lang not in ("ko", "en"):
            raise ValueError(f"language must be 'ko' or 'en', not {lang!r}")
        return self.question_ko if lang == "ko" else self.question_en

    def rule_text(self) -> str:
        """What the variable admits, in words (used in validation messages)."""
        if self.dtype == "id":
            return f"must match the pattern {self.allowed}"
        if self.dtype == "code":
            return "must be a 2022 local-government code or name in the registry"
        if self.dtype == "category":
            return "must be one of " + ", ".join(self.values or ())
        if self.dtype == "binary":
            return "must be 0 or 1"
        if self.dtype in ("integer", "likert"):
            lo, hi = self.bounds or (0, 0)
            return f"must be an integer from {lo} to {hi}"
        return "free text"


@dataclass(frozen=True)
class Codebook:
    """All variables of all tables, in codebook order."""

    path: Path
    variables: tuple[Variable, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v.table for v in self.variables))

    def table(self, table: str) -> tuple[Variable, ...]:
        if table not in TABLES:
            raise KeyError(f"unknown survey table {table!r}; the tables are {', '.join(TABLES)}")
        return tuple(v for v in self.variables if v.table == table)

    def variable(self, table: str, name: str) -> Variable:
        for v in self.table(table):
            if v.name == name:
                return v
        raise KeyError(f"the codebook has no variable {name!r} in table {table!r}")


def _fail(path: Path, row: int, column: str, value: str, why: str) -> CodebookError:
    return CodebookError(f"{path.name}: row {row}, column {column!r}, value {value!r}: {why}")


def _parse_row(path: Path, n: int, row: dict[str, str]) -> Variable:
    for key in HEADER:
        value = row[key]
        if value != value.strip():
            raise _fail(path, n, key, value, "leading or trailing whitespace")
    table, name, dtype, allowed = row["table"], row["variable"], row["dtype"], row["allowed"]
    if table not in TABLES:
        raise _fail(path, n, "table", table, f"table must be one of {', '.join(TABLES)}")
    if not _NAME.fullmatch(name):
        raise _fail(path, n, "variable", name, "variable names are [a-z][a-z0-9_]*")
    if dtype not in DTYPES:
        raise _fail(path, n, "dtype", dtype, f"dtype must be one of {', '.join(DTYPES)}")
    if row["required"] not in ("yes", "no"):
        raise _fail(path, n, "required", row["required"], "required must be yes or no")
    for key in ("label_ko", "label_en", "question_ko", "question_en"):
        if not row[key]:
            raise _fail(path, n, key, "", "must not be empty")

    values = bounds = pattern = None
    if dtype == "id":
        try:
            pattern = re.compile(allowed)
        except re.error as exc:
            raise _fail(path, n, "allowed", allowed, f"not a regular expression ({exc})") from None
        if not allowed:
            raise _fail(path, n, "allowed", allowed, "an id needs a pattern")
    elif dtype == "code":
        if allowed != "registry":
            raise _fail(path, n, "allowed", allowed, "a code's allowed values must be 'registry'")
    elif dtype == "string":
        if allowed:
            raise _fail(path, n, "allowed", allowed, "a string takes no allowed values")
    elif dtype in ("category", "binary"):
        values = tuple(allowed.split("|"))
        if not allowed or any(not v or v != v.strip() for v in values):
            raise _fail(path, n, "allowed", allowed, "expected values separated by '|'")
        if len(set(values)) != len(values):
            raise _fail(path, n, "allowed", allowed, "a value is listed twice")
        if dtype == "binary" and values != ("0", "1"):
            raise _fail(path, n, "allowed", allowed, "a binary variable's values must be 0|1")
    else:  # integer, likert
        m = _RANGE.fullmatch(allowed)
        if not m:
            raise _fail(path, n, "allowed", allowed, "expected an integer range lo..hi")
        lo, hi = int(m.group(1)), int(m.group(2))
        if lo > hi:
            raise _fail(path, n, "allowed", allowed, "the lower bound exceeds the upper bound")
        bounds = (lo, hi)
    return Variable(
        table=table,
        name=name,
        label_ko=row["label_ko"],
        label_en=row["label_en"],
        dtype=dtype,
        allowed=allowed,
        required=row["required"] == "yes",
        question_ko=row["question_ko"],
        question_en=row["question_en"],
        values=values,
        bounds=bounds,
        pattern=pattern,
    )


def read_codebook(path: Path | str = CODEBOOK) -> Codebook:
    """Read and check a codebook file; raise ``CodebookError`` if anything is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: cannot read the codebook ({exc})") from None
    if text.startswith("\ufeff"):
        raise CodebookError(f"{path.name}: the codebook must be UTF-8 without a byte-order mark")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise CodebookError(f"{path.name}: the codebook is empty")
    if tuple(rows[0]) != HEADER:
        raise CodebookError(
            f"{path.name}: row 1: the header must be {','.join(HEADER)}, not {','.join(rows[0])}"
        )
    out: list[Variable] = []
    seen: dict[tuple[str, str], int] = {}
    for n, fields in enumerate(rows[1:], start=2):
        if len(fields) != len(HEADER):
            raise CodebookError(
                f"{path.name}: row {n}: {len(fields)} fields, the header has {len(HEADER)}"
            )
        var = _parse_row(path, n, dict(zip(HEADER, fields, strict=True)))
        key = (var.table, var.name)
        if key in seen:
            raise _fail(path, n, "variable", var.name, f"already defined on row {seen[key]}")
        seen[key] = n
        out.append(var)
    book = Codebook(path=path, variables=tuple(out))
    for table in TABLES:
        if not book.table(table):
            raise CodebookError(f"{path.name}: no variable of table {table!r}")
        if not any(v.name == "lg_code" and v.dtype == "code" for v in book.table(table)):
            raise CodebookError(
                f"{path.name}: table {table!r} needs an lg_code column of dtype code"
            )
    return book


@cache
def codebook() -> Codebook:
    """The repository's codebook, read once."""
    return read_codebook(CODEBOOK)


def variables(table: str) -> tuple[Variable, ...]:
    """The variables of ``table`` in codebook order."""
    return codebook().table(table)


def columns(table: str) -> list[str]:
    """The column names of ``table`` in codebook order."""
    return [v.name for v in variables(table)]


def variable(table: str, name: str) -> Variable:
    """One variable's spec."""
    return codebook().variable(table, name)


def likert_items(prefix: str) -> list[str]:
    """The Likert items of ``performance`` whose names start with ``prefix`` (e.g. ``"dem_"``)."""
    items = [v.name for v in variables("performance") if v.dtype == "likert"]
    found = [name for name in items if name.startswith(prefix)]
    if not found:
        raise KeyError(f"no Likert item starts with {prefix!r}")
    return found


def outcome_items() -> dict[str, list[str]]:
    """Outcome name → its Likert items, e.g. ``{"democracy": ["dem_1", "dem_2", "dem_3"], ...}``.

    A copy of :data:`platformgov.vocabulary.OUTCOME_ITEMS`, which is read from this codebook.
    """
    from platformgov.vocabulary import OUTCOME_ITEMS  # the vocabulary imports this module

    return {outcome: list(items) for outcome, items in OUTCOME_ITEMS.items()}
