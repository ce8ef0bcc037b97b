"""The one bilingual label table: every label a reader sees is looked up here.

Variable labels come from the codebook (``data/codebook.csv``); value labels and words used in
figures and tables come from ``data/labels.csv``. Both are read once; a key found in neither,
or found in both with different wording, is an error rather than a silent fallback.
"""

from __future__ import annotations

import csv
from functools import cache

from platformgov.paths import CODEBOOK, LABELS

LANGS = ("ko", "en")


@cache
def table() -> dict[str, dict[str, str]]:
    """Map each key to its ``{"ko": ..., "en": ...}`` labels."""
    out: dict[str, dict[str, str]] = {}
    with LABELS.open(encoding="utf-8") as fh:
        for n, row in enumerate(csv.DictReader(fh), start=2):
            key = row["key"]
            if key in out:
                raise ValueError(f"{LABELS}: row {n}: key {key!r} appears twice")
            out[key] = {"ko": row["ko"], "en": row["en"]}
    with CODEBOOK.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            entry = {"ko": row["label_ko"], "en": row["label_en"]}
            key = row["variable"]
            if key in out and out[key] != entry:
                raise ValueError(f"{CODEBOOK}: variable {key!r} is labelled differently elsewhere")
            out[key] = entry
    return out


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    return lang


def label(key: str, lang: str) -> str:
    """The reader-facing label of ``key`` (a variable name or ``group.value``) in ``lang``."""
    check_lang(lang)
    try:
        return table()[key][lang]
    except KeyError:
        raise KeyError(f"no label for {key!r} in {LABELS.name} or {CODEBOOK.name}") from None


def value_label(group: str, value: object, lang: str) -> str:
    """Label of one category value, e.g. ``value_label("platform_type", "G2C", "ko")``."""
    return label(f"{group}.{value}", lang)


def value_labels(group: str, lang: str) -> dict[str, str]:
    """All values of ``group`` with their labels, in table order."""
    check_lang(lang)
    prefix = f"{group}."
    return {k[len(prefix) :]: v[lang] for k, v in table().items() if k.startswith(prefix)}
