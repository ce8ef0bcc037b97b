"""The mapping file: how a survey file in its holder's own layout becomes the three tables.

A survey institute's file has one row per responding government, questions named by their
questionnaire number, a block of columns per listed platform and answers as numeric codes. A
mapping (TOML) declares, in the holder's terms, which column is which codebook variable, how
codes map to ours, which codes mean "no answer", and how a repeated block of columns becomes
one row per platform. ``python -m platformgov synth --layout questionnaire`` writes a commented
example; the README shows how to write one.

Every problem with the mapping raises :class:`MappingError`, whose message names the mapping
file, the line and the key (``mapping.toml line 12 [platforms] platform_type = …``).
"""

from __future__ import annotations

import math
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platformgov import paths
from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.rules import TABLES

#: Survey files that only make sense through a mapping.
STAT_SUFFIXES = (".sav", ".zsav", ".dta")
#: Keys of a column's table in the mapping.
COLUMN_KEYS = ("column", "codes", "labels", "missing", "by_block")
#: A variable the reader numbers itself when the mapping gives it no column.
NUMBERED = {"platforms": "platform_id"}


class MappingError(ValueError):
    """The mapping cannot be used; the message names the file, the line and the key."""


def number_text(value: Any) -> str:
    """A value as the text the mapping compares: whole numbers without decimals (``9.0`` → 9)."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    if math.isfinite(number) and number.is_integer() and re.fullmatch(r"[+-]?[0-9.eE+-]+", text):
        return str(int(number))
    return text


# --- where each key is written -----------------------------------------------------------

_BARE = r"[A-Za-z0-9_-]+"
_QUOTED = r'"(?:[^"\\]|\\.)*"|' + r"'[^']*'"
_KEY = rf"(?:{_BARE}|{_QUOTED})(?:\s*\.\s*(?:{_BARE}|{_QUOTED}))*"
_HEADER = re.compile(rf"^\[\[?\s*({_KEY})\s*\]\]?")
_ASSIGN = re.compile(rf"^({_KEY})\s*=")
_PART = re.compile(rf"{_BARE}|{_QUOTED}")
_COMMENT = re.compile(r"\s+#[^\"']*$")


def _parts(key: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in _PART.findall(key))


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line on which each table header and key of a TOML text is written."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            lines.setdefault(table + _parts(assign.group(1)), number)
    return lines


# --- the mapping ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """How one codebook variable is read from the holder's file."""

    table: str
    variable: str
    where: str  # "mapping.toml line 12 [platforms] platform_type = …", for messages
    where_values: str  # the line of its codes or labels
    column: str | None = None  # the holder's column; may hold {n}, the block
    codes: dict[str, str] | None = None  # holder code → our value
    labels: dict[str, str] | None = None  # holder value label → our value
    missing: frozenset[str] | None = None  # codes that mean no answer (None: the default)
    by_block: dict[str, str] | None = None  # block → our value (no column)

    @property
    def repeats(self) -> bool:
        return self.column is not None and "{" in self.column

    def name(self, block: str | None) -> str:
        """The holder's column for ``block``."""
        assert self.column is not None
        if not self.repeats:
            return self.column
        return self.column.format(n=int(block) if block and block.isdigit() else block)


@dataclass(frozen=True)
class TableMap:
    table: str
    where: str
    blocks: tuple[str, ...] | None  # None: one row per holder row
    columns: dict[str, Column]


@dataclass(frozen=True)
class Mapping:
    path: Path
    file: str | None  # the survey file named by the mapping, relative to its folder
    sheet: str | None
    missing: frozenset[str]
    tables: dict[str, TableMap]

    @property
    def name(self) -> str:
        return self.path.name


def _where(path: Path, lines: dict, text: list[str], key: tuple[str, ...]) -> str:
    """``mapping.toml line 12 [platforms] platform_type = "Q3_{n}_type"`` for a key path."""
    for depth in range(len(key), 0, -1):
        number = lines.get(key[:depth])
        if number is not None:
            break
    else:
        return f"{path.name} [{key[0]}]" if key else path.name
    source = text[number - 1].strip() if number <= len(text) else ""
    source = _COMMENT.sub("", source)
    if len(source) > 90:
        source = source[:87] + "…"
    table = f"[{'.'.join(key[: depth - 1])}] " if depth > 1 and not source.startswith("[") else ""
    return f"{path.name} line {number} {table}{source}".rstrip()


def _numbers(values: Any, where: str, what: str) -> frozenset[str]:
    if not isinstance(values, list) or not all(
        isinstance(v, (int, float, str)) and not isinstance(v, bool) for v in values
    ):
        raise MappingError(f"{where}: {what} must be a list of codes, such as [9, 99]")
    return frozenset(number_text(v) for v in values)


def _value_table(value: Any, where: str, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise MappingError(f'{where}: {what} must be a table such as {{ 1 = "…", 2 = "…" }}')
    out = {}
    for key, ours in value.items():
        if not isinstance(ours, (str, int)) or isinstance(ours, bool):
            raise MappingError(f"{where}: {what} {key!r} must map to a text or a whole number")
        out[number_text(key) if what == "codes" else str(key).strip()] = number_text(ours)
    return out


def _column(table: str, variable: str, spec: Any, where, blocks) -> Column:
    key = "codes" if isinstance(spec, dict) and "codes" in spec else "labels"
    where_values = where(table, variable, key)
    where = where(table, variable, "column")
    if isinstance(spec, str):
        spec = {"column": spec}
    if not isinstance(spec, dict):
        raise MappingError(
            f"{where}: give the holder's column name, or a table such as "
            '{ column = "Q1", codes = { 1 = "…" } }'
        )
    unknown = [k for k in spec if k not in COLUMN_KEYS]
    if unknown:
        raise MappingError(
            f"{where}: unknown key {unknown[0]!r} (the keys are {', '.join(COLUMN_KEYS)})"
        )
    if ("column" in spec) == ("by_block" in spec):
        raise MappingError(f'{where}: give either column = "…" or by_block = {{ … }}')
    if "codes" in spec and "labels" in spec:
        raise MappingError(f"{where}: give codes or labels, not both")
    column = spec.get("column")
    if column is not None:
        if not isinstance(column, str) or not column.strip():
            raise MappingError(f"{where}: column must be the holder's column name")
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(column) if f is not None]
        except ValueError as exc:
            raise MappingError(f"{where}: column {column!r} is not a valid name ({exc})") from None
        if any(f != "n" for f in fields):
            raise MappingError(
                f"{where}: column {column!r}: the only placeholder is {{n}}, the block's number"
            )
        if fields and blocks is None:
            raise MappingError(
                f"{where}: column {column!r} repeats by {{n}}, but [{table}] has no blocks = …"
            )
    by_block = None
    if "by_block" in spec:
        if blocks is None:
            raise MappingError(f"{where}: by_block needs blocks = … in [{table}]")
        by_block = _value_table(spec["by_block"], where, "by_block")
        by_block = {number_text(k): v for k, v in by_block.items()}
        lacking = [b for b in blocks if b not in by_block]
        if lacking:
            raise MappingError(f"{where}: by_block gives no value for block {lacking[0]}")
    return Column(
        table=table,
        variable=variable,
        where=where,
        where_values=where_values,
        column=column.strip() if column else None,
        codes=_value_table(spec["codes"], where, "codes") if "codes" in spec else None,
        labels=_value_table(spec["labels"], where, "labels") if "labels" in spec else None,
        missing=_numbers(spec["missing"], where, "missing") if "missing" in spec else None,
        by_block=by_block,
    )


def _blocks(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 1:
            raise MappingError(f"{where}: blocks must be at least 1")
        return tuple(str(n) for n in range(1, value + 1))
    if isinstance(value, list) and value and all(isinstance(v, (int, str)) for v in value):
        blocks = tuple(number_text(v) for v in value)
        if len(set(blocks)) == len(blocks):
            return blocks
    raise MappingError(
        f"{where}: blocks must be the number of blocks (blocks = 10: n = 1 to 10) or their "
        "distinct names (blocks = [1, 2, 3])"
    )


def read_mapping(path: str | Path) -> Mapping:
    """Read and check the mapping at ``path``; raise :class:`MappingError` on any problem."""
    path = Path(path)
    try:
        with open(path, "rb") as fh:  # opened in Python: a build records what a page read
            data = fh.read()
    except OSError as exc:
        raise MappingError(f"{path}: cannot read the mapping ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
        doc = tomllib.loads(text)
    except UnicodeDecodeError:
        raise MappingError(f"{path.name}: the mapping must be UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(f"{path.name}: not valid TOML: {exc}") from None
    lines = key_lines(text)
    source = text.splitlines()

    def where(*key: str) -> str:
        return _where(path, lines, source, key)

    survey = doc.get("survey", {})
    if not isinstance(survey, dict):
        raise MappingError(f"{where('survey')}: [survey] must be a table")
    for key in survey:
        if key not in ("file", "sheet", "missing"):
            raise MappingError(
                f"{where('survey', key)}: unknown key {key!r} (the keys are file, sheet, missing)"
            )
    for key in ("file", "sheet"):
        if key in survey and not isinstance(survey[key], str):
            raise MappingError(f"{where('survey', key)}: {key} must be a text")
    missing = _numbers(survey.get("missing", []), where("survey", "missing"), "missing")
    for key in doc:
        if key != "survey" and key not in TABLES:
            raise MappingError(
                f"{where(key)}: unknown section [{key}] (the sections are survey, "
                f"{', '.join(TABLES)})"
            )
    tables: dict[str, TableMap] = {}
    for table in TABLES:
        if table not in doc:
            raise MappingError(f"{path.name}: no [{table}] section: say which columns hold {table}")
        section = doc[table]
        if not isinstance(section, dict):
            raise MappingError(f"{where(table)}: [{table}] must be a table")
        blocks = _blocks(section["blocks"], where(table, "blocks")) if "blocks" in section else None
        specs = {v.name: v for v in cb.variables(table)}
        columns: dict[str, Column] = {}
        for key, spec in section.items():
            if key == "blocks":
                continue
            if key not in specs:
                raise MappingError(
                    f"{where(table, key)}: {key!r} is not a variable of {table} in the codebook "
                    f"(its variables are {', '.join(specs)})"
                )
            columns[key] = _column(table, key, spec, where, blocks)
        for name, var in specs.items():
            if var.required and name not in columns and NUMBERED.get(table) != name:
                raise MappingError(
                    f"{where(table)}: no column is mapped to {name}, which the codebook requires"
                )
        if blocks is not None and not any(c.repeats for c in columns.values()):
            raise MappingError(
                f"{where(table, 'blocks')}: [{table}] has blocks, but no column name holds {{n}}"
            )
        tables[table] = TableMap(table, where(table), blocks, columns)
    return Mapping(
        path=path,
        file=survey.get("file"),
        sheet=survey.get("sheet"),
        missing=missing,
        tables=tables,
    )


# --- finding the mapping --------------------------------------------------------------------


def _names(mapping_path: Path, target: Path) -> bool:
    """Whether the mapping beside ``target`` names it as its survey file."""
    try:
        doc = tomllib.loads(mapping_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return True  # a broken mapping beside the file: reading it will say what is wrong
    named = doc.get("survey", {}).get("file") if isinstance(doc.get("survey"), dict) else None
    return isinstance(named, str) and (mapping_path.parent / named).resolve() == target.resolve()


def find(source: Path) -> tuple[Path, Path | None] | None:
    """``(mapping, survey file)`` when ``source`` is to be read through a mapping, else None.

    The mapping is ``$PLATFORMGOV_MAPPING`` if set, else ``mapping.toml`` in the folder
    ``source`` names or beside the file it names. The survey file is ``source`` itself when it
    is a file, else the mapping's ``[survey] file`` inside the folder (None when it names none).
    An SPSS or Stata file without a mapping is an error: nothing says what its codes mean.
    """
    env = paths.mapping_file()
    if source.is_dir():
        mapping = env or source / paths.MAPPING_NAME
        if not mapping.is_file() and env is None:
            return None
        named = _named_file(mapping)
        return mapping, (source / named) if named else None
    beside = source.parent / paths.MAPPING_NAME
    if env is not None:
        return env, source
    if beside.is_file() and (source.suffix.casefold() in STAT_SUFFIXES or _names(beside, source)):
        return beside, source
    if source.suffix.casefold() in STAT_SUFFIXES:
        raise MappingError(
            f"{source.name} needs a mapping that says which column is which variable: put "
            f"{paths.MAPPING_NAME} beside it or set {paths.MAPPING_ENV} (for a commented "
            "example, run: python -m platformgov synth --layout questionnaire --out DIR)"
        )
    return None


def _named_file(mapping: Path) -> str | None:
    try:
        doc = tomllib.loads(mapping.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    survey = doc.get("survey")
    named = survey.get("file") if isinstance(survey, dict) else None
    return named if isinstance(named, str) and named.strip() else None
