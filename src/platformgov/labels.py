"""The one bilingual label table: every label a reader sees is looked up here.

Variable labels come from the codebook (``data/codebook.csv``); value labels and words used in
figures and tables come from ``data/labels.csv``. Both are read once; a key found in neither,
or found in both with different wording, is an error rather than a silent fallback.
"""

from __future__ import annotations

import csv
import re
import unicodedata
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


_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")


def normalise_text(text: str) -> str:
    """Text as labels and terms are compared: NFKC, typographic apostrophes as ``'``,
    case-folded, single spaces."""
    text = unicodedata.normalize("NFKC", text).replace("\u2019", "'")
    return " ".join(text.casefold().split())


def text_forms(text: str) -> set[str]:
    """The normalised text, and the same without a trailing parenthesis (``정보제공형 (G2C)``
    also matches ``정보제공형``)."""
    full = normalise_text(text)
    bare = normalise_text(_TRAILING_PAREN.sub("", text))
    return {full, bare} if bare else {full}


def value_from_label(group: str, text: str) -> str | None:
    """The category value whose code or label (in either language) ``text`` is, compared as
    :func:`text_forms` does; None if there is none, or more than one."""
    found = set()
    wanted = text_forms(text)
    for value in value_labels(group, "ko"):
        names = {value, label(f"{group}.{value}", "ko"), label(f"{group}.{value}", "en")}
        if any(wanted & text_forms(name) for name in names):
            found.add(value)
    return found.pop() if len(found) == 1 else None
