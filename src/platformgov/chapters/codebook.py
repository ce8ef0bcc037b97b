"""The full codebook as reader-facing tables, one per survey table, in either language.

Everything shown comes from ``data/codebook.csv`` (through :mod:`platformgov.inputs.codebook`) and
from the label table (through :mod:`platformgov.labels`): variable labels and wording from the
codebook; the words for types, allowed values and value labels from ``data/labels.csv`` (the
same words as the compact overview of :func:`platformgov.chapters.data_tables.codebook_table`).
"""

from __future__ import annotations

import pandas as pd

from platformgov.chapters.tables import Table
from platformgov.inputs import codebook as cb
from platformgov.labels import check_lang, label, value_label


def value_group(variable: cb.Variable) -> str:
    """The label group of a variable's values: ``binary``, ``likert`` or the variable's name."""
    return variable.dtype if variable.dtype in ("binary", "likert") else variable.name


def allowed_text(variable: cb.Variable, lang: str) -> str:
    """What the variable admits, in words; one ``value = label`` line per category.

    Likert items show their range only: the labels of their points are shared by every item and
    are given once, under the table (:func:`likert_note`).
    """
    check_lang(lang)
    dtype = variable.dtype
    if dtype == "id":
        return f"{label('codebook.pattern', lang)}: {variable.allowed}"
    if dtype == "code":
        return label("data.allowed.registry", lang)
    if dtype == "string":
        return label("data.allowed.free_text", lang)
    if dtype in ("category", "binary"):
        group = value_group(variable)
        return "\n".join(f"{v} = {value_label(group, v, lang)}" for v in variable.values or ())
    lo, hi = variable.bounds or (0, 0)
    return f"{lo}–{hi}"


def type_and_allowed(variable: cb.Variable, lang: str) -> str:
    """The type's name on the first line, then what it admits (one table column, to save width)."""
    return f"{label(f'data.dtype.{variable.dtype}', lang)}:\n{allowed_text(variable, lang)}"


def likert_points(variables: tuple[cb.Variable, ...]) -> list[int]:
    """Every scale point any of the Likert ``variables`` admits, in order."""
    points: set[int] = set()
    for v in variables:
        if v.dtype == "likert" and v.bounds:
            points.update(range(v.bounds[0], v.bounds[1] + 1))
    return sorted(points)


def likert_note(variables: tuple[cb.Variable, ...], lang: str) -> str:
    """The labels of the Likert points, e.g. ``1 = 전혀 그렇지 않다, …``; empty without Likert items."""
    points = likert_points(variables)
    if not points:
        return ""
    pairs = ", ".join(f"{p} = {value_label('likert', p, lang)}" for p in points)
    return f"{label('codebook.likert_values', lang)}: {pairs}"


def codebook_frame(table: str, lang: str, book: cb.Codebook | None = None) -> pd.DataFrame:
    """One row per variable of ``table`` in codebook order, indexed by the variable's name.

    Columns: label, type and allowed values (one column: six would not fit a page), required,
    wording of the question.
    """
    check_lang(lang)
    variables = (book or cb.codebook()).table(table)
    return pd.DataFrame(
        {
            label("data.col.label", lang): [v.label(lang) for v in variables],
            label("codebook.type_allowed", lang): [type_and_allowed(v, lang) for v in variables],
            label("data.col.required", lang): [
                value_label("binary", int(v.required), lang) for v in variables
            ],
            label("data.col.wording", lang): [v.question(lang) for v in variables],
        },
        index=[v.name for v in variables],
    )


def codebook_table(table: str, lang: str, book: cb.Codebook | None = None) -> Table:
    """The codebook of one survey table as an accessible table in ``lang``."""
    variables = (book or cb.codebook()).table(table)
    caption = f"{label('ui.codebook', lang)}: {label(f'table.{table}', lang)} ({table})"
    return Table(
        codebook_frame(table, lang, book),
        caption=caption,
        index_label=label("data.col.variable", lang),
        note=likert_note(variables, lang),
    )


def numbers(book: cb.Codebook, lang: str) -> dict[str, tuple[int, str]]:
    """The counts the codebook appendix quotes, as ``{name: (value, format)}``.

    ``n_variables`` and ``n_tables`` for the whole codebook, ``n_<table>`` for each survey table,
    ``n_likert`` for the Likert items of the performance table and ``n_required`` for the
    variables that must be present.
    """
    check_lang(lang)
    out = {
        "n_variables": (len(book.variables), ",d"),
        "n_tables": (len(book.tables), ",d"),
    }
    for table in book.tables:
        out[f"n_{table}"] = (len(book.table(table)), ",d")
    out["n_likert"] = (sum(v.dtype == "likert" for v in book.table("performance")), ",d")
    out["n_required"] = (sum(v.required for v in book.variables), ",d")
    return out
