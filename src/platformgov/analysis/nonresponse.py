"""Who answered and which answers are missing: unit and item non-response, counted.

A local government has answered when it has an accepted row in ``organisations``. Counts are per
group of local governments (:data:`RESPONSE_GROUPS`) or per variable; nothing here shows a row
of the survey. The chapter "Data" labels them (:mod:`platformgov.chapters.data_tables`).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from platformgov.analysis.measures import outcome_scales
from platformgov.inputs import codebook as cb

#: Groups of the non-response table: all 광역 together (a kind with one government would show
#: that government's answer), then the three kinds of 기초.
RESPONSE_GROUPS = ("metro", "si", "gun", "gu")


def _group(reg: pd.DataFrame) -> pd.Series:
    return reg["kind"].where(reg["level"] == "basic", "metro")


def response_counts(organisations: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """Local governments in the registry and responding ones (an accepted ``organisations`` row),
    by group (``RESPONSE_GROUPS``), with the response rate (0–1) and a total row ``all``."""
    codes = set(organisations["lg_code"].astype(str))
    unknown = codes - set(reg["code"].astype(str))
    if unknown:
        raise ValueError(f"organisations: codes not in the registry: {sorted(unknown)}")
    group = _group(reg)
    responded = reg["code"].astype(str).isin(codes)
    out = pd.DataFrame(
        {
            "registry": group.value_counts().reindex(RESPONSE_GROUPS, fill_value=0),
            "responding": group[responded].value_counts().reindex(RESPONSE_GROUPS, fill_value=0),
        }
    )
    out.loc["all"] = out.sum()
    out = out.astype(int)
    out["rate"] = out["responding"] / out["registry"].where(out["registry"] > 0)
    return out


def lowest_response_group(counts: pd.DataFrame) -> str:
    """The group of ``response_counts`` (not ``all``) with the lowest response rate; the first
    in ``RESPONSE_GROUPS`` order on a tie."""
    rates = counts.loc[[g for g in RESPONSE_GROUPS if g in counts.index], "rate"].dropna()
    if rates.empty:
        raise ValueError("no group has a response rate")
    return str(rates.idxmin())


def missingness(survey: Any, reg: pd.DataFrame) -> pd.DataFrame:
    """Share of missing values of every optional variable: ``table, variable, applicable,
    missing, share``, in codebook order. ``survey`` has the three tables as attributes
    (``platforms``, ``performance``, ``organisations``), as a ``Survey`` has.

    Required variables cannot be missing in accepted rows and are left out. ``partner_metro``
    applies to the platforms of 기초 governments only (a 광역 has none above it), so its
    denominator is those platforms.
    """
    level = dict(zip(reg["code"].astype(str), reg["level"], strict=True))
    rows = []
    for table in cb.TABLES:
        frame = getattr(survey, table)
        for var in cb.variables(table):
            if var.required:
                continue
            values = frame[var.name]
            if var.name == "partner_metro":
                values = values[frame["lg_code"].astype(str).map(level).eq("basic").to_numpy()]
            n = len(values)
            k = int(values.isna().sum())
            rows.append((table, var.name, n, k, k / n if n else math.nan))
    return pd.DataFrame(rows, columns=["table", "variable", "applicable", "missing", "share"])


def most_missing(frame: pd.DataFrame, table: str) -> tuple[str, float]:
    """The variable of ``table`` with the largest share missing in ``missingness`` output."""
    part = frame[(frame["table"] == table) & frame["share"].notna()]
    if part.empty:
        raise ValueError(f"no variable of {table!r} to compare")
    row = part.loc[part["share"].idxmax()]
    return str(row["variable"]), float(row["share"])


def rows_missing_a_scale(performance: pd.DataFrame) -> int:
    """Performance rows on which at least one outcome scale is missing (too few items answered)."""
    return int(outcome_scales(performance).isna().any(axis=1).sum())


def blank_answers(performance: pd.DataFrame) -> tuple[int, int]:
    """Blank Likert answers and all Likert cells of ``performance``."""
    items = [item for items in cb.outcome_items().values() for item in items]
    values = performance[items]
    return int(values.isna().sum().sum()), int(values.size)
