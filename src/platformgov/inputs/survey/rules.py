"""The survey's tables, their keys and every validation rule, with the sentence that describes it."""

from __future__ import annotations

import re

from platformgov.inputs import codebook as cb

TABLES = cb.TABLES


SUFFIXES = (".csv", ".xlsx")


TABLES_EXPECTED = list(TABLES)


#: Key columns whose values must be unique within a table, with the rule id broken.
KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "platforms": (("platform_id",), "duplicate-platform-id"),
    "performance": (("lg_code", "platform_type"), "duplicate-performance"),
    "organisations": (("lg_code",), "duplicate-lg-code"),
}


#: Every rule, with a sentence describing it (messages name the rule id first).
RULES: dict[str, str] = {
    "read-error": "the file cannot be read",
    "encoding": "the file must be UTF-8 (with or without a byte-order mark) or CP949",
    "empty-file": "the file is empty",
    "header-only": "the file has a header but no data rows",
    "missing-table": "a survey table is missing",
    "ambiguous-source": "two files hold the same table",
    "unknown-table": "cannot tell which survey table the file holds",
    "missing-column": "a required column is missing",
    "missing-optional-column": "an optional column is missing; its values are missing",
    "unknown-column": "a column the codebook does not define; it is ignored",
    "duplicate-column": "a column name appears more than once in the header",
    "csv-syntax": "malformed CSV quoting",
    "formula-value": "a formula cell must hold a saved value that is not an error",
    "control-character": "a value must not hold control characters",
    "field-count": "the row's number of fields differs from the header's",
    "required-missing": "a value is required",
    "id-pattern": "an id must match the codebook's pattern",
    "category-value": "the value is not one of the codebook's categories",
    "binary-value": "must be 0 or 1",
    "integer-type": "must be a whole number",
    "integer-range": "the integer is outside the codebook's range",
    "likert-range": "must be an integer from the scale's lowest to its highest point",
    "unknown-lg-code": "not a 2022 local-government code or name in the registry",
    "duplicate-platform-id": "platform_id must be unique",
    "duplicate-performance": "one performance row per local government and platform type",
    "duplicate-lg-code": "one organisations row per local government",
    "lg-not-in-organisations": "the local government has no accepted row in organisations",
    "no-platform-of-type": "the local government runs no platform of this type",
    "partner-metro-on-metro": "a metropolitan government has no metropolitan government above it",
    "mapping": "the mapping file cannot be used with the survey file",
    "unmapped-code": "the holder's code or value label is not in the mapping",
}


WARNING_RULES = frozenset({"missing-optional-column", "unknown-column"})


INTEGER = re.compile(r"[+-]?[0-9]+")


TRAILING_ZERO = re.compile(r"([+-]?[0-9]+)\.0+")


INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")


#: Control characters a value must not hold (tab and line breaks are replaced by a space).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


LINE_BREAKS = re.compile("[\t\r\n\u2028\u2029]+")
