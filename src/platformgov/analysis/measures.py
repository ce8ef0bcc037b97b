"""From survey answers to the analysis frame: outcome scales, activation, collaboration, controls.

:func:`analysis_frame` builds one row per local government × platform type that has a row in
the survey's ``performance`` table. The paper does not say how it built its measures; every
choice below is ours, and the book states it as an assumption.

The words (types, outcomes and their items, partners, controls) are declared in
:mod:`platformgov.vocabulary`; the names below are aliases of it.

Outcomes (``democracy``, ``efficiency``, ``service_quality``, ``convenience``)
    The mean of the dimension's Likert items (1–5; three each) when at least ``min_items`` of
    them are answered (default :data:`MIN_ITEMS`, 2), else missing. Answered items are averaged as they are: no item is
    imputed.

Activation
    ``n_platforms``: the number of the government's platforms of that type that were
    **operating** at the time of the survey. Suspended platforms do not count: they deliver
    nothing the respondent could rate. ``log_n_platforms`` is ``log(n_platforms)``, missing when
    ``n_platforms`` is 0. ``diversity``: the number of distinct service domains among those
    operating platforms (0 when there are none).

Collaboration (``coop_central``, ``coop_metro``, ``coop_private``)
    1 if **any** operating platform of that type is run with that partner, 0 if at least one
    operating platform has an answer and none says 1, missing if no operating platform has an
    answer. A government with no operating platform of the type runs none with any partner: 0.
    ``share_coop_*`` is the share of operating platforms with an answer that are run with the
    partner (missing when none has an answer), for robustness checks.
    A metropolitan government (광역) has no metropolitan government above it, and the survey asks
    ``partner_metro`` of basic governments only, so ``coop_metro`` and ``share_coop_metro`` are
    0 on 광역 rows (whatever was answered); in a model with ``level_metro`` the coefficient of
    ``coop_metro`` is therefore estimated among basic governments.

Controls (from the registry, one entry each in :data:`platformgov.vocabulary.CONTROL_SPECS`)
    ``level_metro`` (1 for 광역), ``kind_gun`` and ``kind_gu`` (dummies for 군 and 자치구; the
    base is 시, and 광역 rows are 0 on both), ``log_population`` (natural log of
    ``population_2020``), ``share_basic_pension`` (``share_basic_pension_2020``, see below) and
    ``capital_region`` (1 in 수도권).

    The registry has no share of residents aged 65 or over (the census tables it is built from
    have no age breakdown for 시군구; see ``data/registry/README.md``). The ageing control is
    therefore the share of residents receiving the basic pension (기초연금), which is paid only to
    people aged 65 and over but is means-tested: an indicator of ageing **and** need, named for
    what it measures, not a share aged 65+.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from platformgov import vocabulary
from platformgov.vocabulary import (
    ACTIVATION,
    COLLABORATION,
    CONTROLS,
    MIN_ITEMS,
    OUTCOMES,
    PARTNERS,
    SHARES,
    TYPE_CODES,
)

COLUMNS = ("lg_code", "platform_type", *OUTCOMES, *ACTIVATION, *COLLABORATION, *SHARES, *CONTROLS)

PLATFORM_COLUMNS = ("lg_code", "platform_type", "domain", "status", *PARTNERS.values())
REGISTRY_COLUMNS = ("code", *vocabulary.CONTROL_COLUMNS)


def _require(frame: pd.DataFrame, columns: tuple[str, ...] | list[str], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {', '.join(missing)}")


def _numeric(series: pd.Series) -> pd.Series:
    """A survey column as float64 with NaN for missing (accepts Int64, strings, objects)."""
    return pd.to_numeric(series, errors="raise").astype("float64")


def _codes(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().astype(object)


def outcome_scales(performance: pd.DataFrame, *, min_items: int = MIN_ITEMS) -> pd.DataFrame:
    """The outcome scales of each ``performance`` row (same index as ``performance``).

    A scale is the mean of its answered items when at least ``min_items`` are answered.
    """
    items = vocabulary.OUTCOME_ITEMS
    n_max = min(len(v) for v in items.values())
    if not 1 <= min_items <= n_max:
        raise ValueError(f"min_items must be between 1 and {n_max}, not {min_items}")
    out = {}
    for outcome in OUTCOMES:
        cols = list(items[outcome])
        _require(performance, cols, "the performance table")
        values = performance[cols].apply(_numeric)
        answered = values.notna().sum(axis=1)
        out[outcome] = values.mean(axis=1).where(answered >= min_items)
    return pd.DataFrame(out, index=performance.index)


def _any_partner(values: pd.Series) -> float:
    known = values.dropna()
    if known.empty:
        return np.nan
    return float((known == 1).any())


def platform_measures(platforms: pd.DataFrame) -> pd.DataFrame:
    """Activation and collaboration of each (``lg_code``, ``platform_type``) with platforms.

    Only operating platforms count. Indexed by (``lg_code``, ``platform_type``); a pair with no
    operating platform has no row here (:func:`analysis_frame` fills it with zeros).
    """
    _require(platforms, PLATFORM_COLUMNS, "the platforms table")
    p = pd.DataFrame(
        {
            "lg_code": _codes(platforms["lg_code"]),
            "platform_type": _codes(platforms["platform_type"]),
            "domain": _codes(platforms["domain"]),
            "status": _codes(platforms["status"]),
        }
    )
    for partner, column in PARTNERS.items():
        p[partner] = _numeric(platforms[column])
    p = p[p["status"] == "operating"]
    grouped = p.groupby(["lg_code", "platform_type"], sort=True)
    out = pd.DataFrame(
        {
            "n_platforms": grouped.size(),
            "diversity": grouped["domain"].nunique(),
        }
    )
    for partner in PARTNERS:
        out[f"coop_{partner}"] = grouped[partner].agg(_any_partner)
        out[f"share_coop_{partner}"] = grouped[partner].mean()
    return out


def registry_controls(registry: pd.DataFrame) -> pd.DataFrame:
    """The control variables of every local government, indexed by its code."""
    _require(registry, REGISTRY_COLUMNS, "the registry")
    codes = _codes(registry["code"])
    if codes.duplicated().any():
        dup = sorted(set(codes[codes.duplicated()]))
        raise ValueError(f"the registry lists code(s) {', '.join(dup)} more than once")
    frame = registry.loc[:, list(vocabulary.CONTROL_COLUMNS)]
    frame.index = pd.Index(codes, name="lg_code")
    return pd.DataFrame({c.term: c.compute(frame) for c in vocabulary.CONTROL_SPECS})


def analysis_frame(
    survey: Any, registry: pd.DataFrame, *, min_items: int = MIN_ITEMS
) -> pd.DataFrame:
    """One row per local government × platform type with a ``performance`` row.

    ``survey`` is a :class:`platformgov.inputs.survey.Survey` (anything with ``platforms`` and
    ``performance`` DataFrames in the codebook's columns); ``registry`` the frame of
    :func:`platformgov.inputs.registry.load_registry`. The columns are :data:`COLUMNS`; the measures
    are defined in this module's docstring. Rows are ordered by type (G2C, C2G, C2C), then code.

    Raises ``ValueError`` when a (local government, type) pair has two performance rows, when a
    type is unknown, or when a local government is missing from the registry.
    """
    performance = survey.performance
    _require(performance, ["lg_code", "platform_type"], "the performance table")
    keys = pd.DataFrame(
        {
            "lg_code": _codes(performance["lg_code"]),
            "platform_type": _codes(performance["platform_type"]),
        },
        index=performance.index,
    )
    unknown = sorted(set(keys["platform_type"]) - set(TYPE_CODES), key=str)
    if unknown:
        raise ValueError(
            f"the performance table has unknown platform type(s) {unknown}; "
            f"allowed: {', '.join(TYPE_CODES)}"
        )
    dup = keys.duplicated(keep=False)
    if dup.any():
        pairs = sorted({f"{c}/{t}" for c, t in keys[dup].itertuples(index=False)})
        raise ValueError(f"the performance table rates the same pair twice: {', '.join(pairs)}")

    frame = pd.concat([keys, outcome_scales(performance, min_items=min_items)], axis=1)

    measures = platform_measures(survey.platforms)
    frame = frame.join(measures, on=["lg_code", "platform_type"])
    none = frame["n_platforms"].isna()
    frame.loc[none, ["n_platforms", "diversity", *COLLABORATION]] = 0
    frame["n_platforms"] = frame["n_platforms"].astype("int64")
    frame["diversity"] = frame["diversity"].astype("int64")
    n = frame["n_platforms"].astype("float64")
    frame["log_n_platforms"] = np.log(n.where(n > 0))

    controls = registry_controls(registry)
    missing = sorted(set(frame["lg_code"]) - set(controls.index))
    if missing:
        raise ValueError(f"local government code(s) not in the registry: {', '.join(missing)}")
    frame = frame.join(controls, on="lg_code")
    metro = frame["level_metro"] == 1
    frame.loc[metro, ["coop_metro", "share_coop_metro"]] = 0.0

    order = {t: i for i, t in enumerate(TYPE_CODES)}
    frame = frame.sort_values(
        ["platform_type", "lg_code"], key=lambda s: s.map(order) if s.name == "platform_type" else s
    )
    return frame.loc[:, list(COLUMNS)].reset_index(drop=True)


def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of the item columns of ``items`` over rows that answer every item.

    ``alpha = k / (k - 1) * (1 - sum of item variances / variance of the total)``, variances with
    ``ddof=1``. NaN when there are fewer than two items or two complete rows, or when the total
    does not vary.
    """
    values = items.apply(_numeric).dropna()
    k = values.shape[1]
    if k < 2 or len(values) < 2:
        return float("nan")
    total_var = values.sum(axis=1).var(ddof=1)
    if not total_var > 0:
        return float("nan")
    return float(k / (k - 1) * (1 - values.var(ddof=1).sum() / total_var))


def alpha_by_type(survey_or_performance: Any) -> pd.DataFrame:
    """Cronbach's alpha of each outcome dimension within each platform type.

    Accepts a Survey or its ``performance`` DataFrame. Returns one row per type × outcome with
    ``platform_type, outcome, alpha, n_complete`` (rows answering all items) and ``n_items``.
    """
    performance = getattr(survey_or_performance, "performance", survey_or_performance)
    _require(performance, ["platform_type"], "the performance table")
    items: Mapping[str, tuple[str, ...]] = vocabulary.OUTCOME_ITEMS
    types = _codes(performance["platform_type"])
    rows = []
    for t in TYPE_CODES:
        sub = performance[types == t]
        for outcome in OUTCOMES:
            cols = list(items[outcome])
            _require(sub, cols, "the performance table")
            rows.append(
                {
                    "platform_type": t,
                    "outcome": outcome,
                    "alpha": cronbach_alpha(sub[cols]),
                    "n_complete": int(sub[cols].notna().all(axis=1).sum()),
                    "n_items": len(cols),
                }
            )
    return pd.DataFrame(rows)
