"""Descriptive aggregates: who runs which platforms, how many, with whom, and how they rate them.

Every function takes the survey (a :class:`platformgov.inputs.survey.Survey`, or anything with
``platforms``, ``performance`` and ``organisations`` DataFrames in the codebook's columns) and,
where groups are needed, the registry of :func:`platformgov.inputs.registry.load_registry`.

Definitions (our choices; the paper does not state its own):

- A **responding** local government is one with a row in ``organisations``.
- A government **runs** a platform type when at least one of its platforms of that type was
  **operating** at the time of the survey; suspended platforms are not counted anywhere here,
  as in :mod:`platformgov.analysis.measures`.
- A platform is run **with a partner** when its ``partner_*`` answer is 1. Shares of platforms
  are over the operating platforms that answered the question. A government runs a type with a
  partner when any of its operating platforms of that type does
  (:func:`platformgov.analysis.measures.platform_measures`). The survey asks about a metropolitan
  partner of basic governments only, so every ``metro`` partner figure is over 기초 only.

With the real survey nothing may be shown per local government, and every aggregate passes
the disclosure rule of :mod:`platformgov.analysis.privacy`: :func:`published` blanks the cells
:func:`overview_mask` marks, :func:`count_distribution` pools small counts, the shares and means
of the other functions are NaN where the rule protects them, and :func:`map_values` aggregates
to the 17 광역 areas. Everything here is numbers; the chapter's
tables and sentences are in :mod:`platformgov.chapters.descriptive`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from platformgov.analysis import privacy
from platformgov.analysis.measures import alpha_by_type, platform_measures
from platformgov.inputs.codebook import outcome_items, variable
from platformgov.inputs.registry import REGIONS
from platformgov.vocabulary import KINDS, LEVELS, OUTCOMES, PARTNERS, TYPE_CODES

GROUPINGS = ("level", "kind", "region")
#: The alpha the book draws as a reference line when it reads reliability (our choice).
ALPHA_REFERENCE = 0.7
MAP_MEASURES = ("n_platforms", "coop_private")
REGISTRY_COLUMNS = ("code", "sido_code", "level", "kind", "region")


def _codes(series: pd.Series) -> pd.Series:
    return series.astype("string").str.strip().astype(object)


def _binary(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="raise").astype("float64")


def _kind(survey: Any, kind: str | None) -> str:
    return kind if kind is not None else survey.kind


def operating_platforms(survey: Any) -> pd.DataFrame:
    """The survey's operating platforms: ``lg_code``, ``platform_type`` and the three partners
    (``central``, ``metro``, ``private`` as float 0/1 with NaN for no answer)."""
    p = survey.platforms
    out = pd.DataFrame(
        {
            "lg_code": _codes(p["lg_code"]),
            "platform_type": _codes(p["platform_type"]),
            "status": _codes(p["status"]),
        }
    )
    for partner, column in PARTNERS.items():
        out[partner] = _binary(p[column])
    out = out[out["status"] == "operating"].drop(columns="status")
    return out.reset_index(drop=True)


def _registry(registry: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in REGISTRY_COLUMNS if c not in registry.columns]
    if missing:
        raise ValueError(f"the registry lacks the column(s) {', '.join(missing)}")
    reg = pd.DataFrame({c: _codes(registry[c]) for c in REGISTRY_COLUMNS})
    return reg.set_index("code")


def respondents(survey: Any, registry: pd.DataFrame) -> pd.DataFrame:
    """One row per responding local government, indexed by ``lg_code`` (sorted).

    Columns: ``sido_code, level, kind, region`` from the registry; the number of operating
    platforms of each type (``G2C``, ``C2G``, ``C2C``) and in all (``total``); and
    ``coop_central``, ``coop_metro``, ``coop_private``: 1 if any operating platform (of any
    type) is run with the partner, 0 if some answered and none says so or if the government
    runs no platform, NaN if none of its operating platforms answered (``coop_metro`` is NaN
    for 광역, which were not asked).

    Raises ``ValueError`` when a respondent is not in the registry or a platform belongs to a
    government that has no row in ``organisations``.
    """
    reg = _registry(registry)
    codes = sorted(set(_codes(survey.organisations["lg_code"])))
    unknown = sorted(set(codes) - set(reg.index))
    if unknown:
        raise ValueError(f"local government code(s) not in the registry: {', '.join(unknown)}")
    index = pd.Index(codes, name="lg_code", dtype=object)
    platforms = operating_platforms(survey)
    stray = sorted(set(platforms["lg_code"]) - set(codes))
    if stray:
        raise ValueError(f"platforms of governments not in organisations: {', '.join(stray)}")

    out = reg.loc[index, ["sido_code", "level", "kind", "region"]].copy()
    out.index.name = "lg_code"
    counts = (
        platforms.groupby(["lg_code", "platform_type"]).size().unstack("platform_type")
        if len(platforms)
        else pd.DataFrame(index=index)
    )
    counts = counts.reindex(index=index, columns=list(TYPE_CODES)).fillna(0).astype("int64")
    out[list(TYPE_CODES)] = counts
    out["total"] = counts.sum(axis=1)
    grouped = platforms.groupby("lg_code")
    for partner in PARTNERS:
        answered = grouped[partner].count().reindex(index, fill_value=0)
        yes = grouped[partner].sum().reindex(index, fill_value=0.0)
        coop = pd.Series(np.where(yes > 0, 1.0, 0.0), index=index)
        coop[(answered == 0) & (out["total"] > 0)] = np.nan
        out[f"coop_{partner}"] = coop
    out.loc[out["level"] == "metro", "coop_metro"] = np.nan
    return out


def _group_keys(by: str) -> list[str]:
    """The values of grouping ``by`` in the order the tables show them."""
    values = {"level": LEVELS, "kind": KINDS, "region": tuple(REGIONS)}
    return list(values[by])


def adoption(survey: Any, registry: pd.DataFrame, by: str | None = None) -> pd.DataFrame:
    """Response and adoption by group (``by`` one of :data:`GROUPINGS`, or None for all).

    One row per group (in the label table's order; index = the group's value, or ``"all"``)
    with ``n_governments`` (in the registry), ``n_respondents``, ``response_rate``, and for each
    type ``T``: ``share_T`` (share of respondents running it), ``mean_T`` and ``median_T``
    (operating platforms of the type per respondent, zeros included).
    """
    if by is not None and by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)} or None, not {by!r}")
    reg = _registry(registry)
    resp = respondents(survey, registry)
    if by is None:
        keys = ["all"]
        in_registry = {"all": pd.Series(True, index=reg.index)}
        in_resp = {"all": pd.Series(True, index=resp.index)}
    else:
        found = set(reg[by])
        keys = [k for k in _group_keys(by) if k in found]
        in_registry = {k: reg[by] == k for k in keys}
        in_resp = {k: resp[by] == k for k in keys}
    rows = []
    for key in keys:
        sub = resp[in_resp[key]]
        n_gov = int(in_registry[key].sum())
        row: dict[str, Any] = {
            "n_governments": n_gov,
            "n_respondents": len(sub),
            "response_rate": len(sub) / n_gov if n_gov else np.nan,
        }
        for t in TYPE_CODES:
            row[f"share_{t}"] = float((sub[t] > 0).mean()) if len(sub) else np.nan
            row[f"mean_{t}"] = float(sub[t].mean()) if len(sub) else np.nan
            row[f"median_{t}"] = float(sub[t].median()) if len(sub) else np.nan
        rows.append(row)
    return pd.DataFrame(rows, index=pd.Index(keys, name=by or "all"))


def _group_members(resp: pd.DataFrame, overview: pd.DataFrame) -> pd.DataFrame:
    """Which respondents (columns) belong to each group of ``overview``'s index (rows)."""
    rows = {}
    for grouping, group in overview.index:
        if grouping == "all":
            rows[(grouping, group)] = pd.Series(True, index=resp.index)
        else:
            rows[(grouping, group)] = resp[grouping] == group
    return pd.DataFrame(rows).T.set_axis(overview.index, axis=0)


def overview_mask(survey: Any, registry: pd.DataFrame, overview: pd.DataFrame) -> pd.DataFrame:
    """The cells of :func:`adoption_overview` that the real survey may not show, per type.

    One boolean column per type (``G2C`` …) over ``overview``'s index: the disclosure rule of
    :mod:`platformgov.analysis.privacy` applied to the number of respondents running the type
    in each group (levels, kinds and regions all sum to the ``all`` row, which is blanked only
    if nothing else protects a cell). Columns ``mean_<type>`` mark the means (and medians):
    those of the blanked shares, and more where the sums of platforms behind the means would
    give one back (a published 0 % or 100 % states who runs a type, not how many platforms).
    """
    resp = respondents(survey, registry)
    members = _group_members(resp, overview)
    m = members.astype(int).to_numpy()
    counts = pd.DataFrame(
        {t: m @ (resp[t] > 0).to_numpy(int) for t in TYPE_CODES}, index=overview.index
    )
    protected = pd.Series(
        overview.index.get_level_values("grouping") == "all", index=overview.index
    )
    out = privacy.group_mask(members, counts, overview["n_respondents"], protected)
    unbounded = [None] * m.shape[1]
    for t in TYPE_CODES:
        sums = m @ resp[t].to_numpy(dtype="float64")
        blank = privacy.complete(m, sums, out[t].to_numpy(), protected.to_numpy(), unbounded)
        out[f"mean_{t}"] = blank
    return out


def adoption_overview(
    survey: Any, registry: pd.DataFrame, *, kind: str | None = None
) -> pd.DataFrame:
    """:func:`adoption` for all respondents, then by level, kind and region, stacked.

    The index has two levels: ``grouping`` (``"all"``, ``"level"``, ``"kind"``, ``"region"``)
    and ``group`` (the group's value; ``"all"`` for the first row). Built from the real survey
    (``kind``, by default the survey's), ``blank_<type>`` and ``blank_mean_<type>`` columns
    mark the shares and the means (with medians) that :func:`published` blanks
    (:func:`overview_mask`); they are False for synthetic data.
    """
    parts = {"all": adoption(survey, registry)}
    parts.update({by: adoption(survey, registry, by) for by in GROUPINGS})
    out = pd.concat(parts, names=["grouping", "group"])
    columns = [*TYPE_CODES, *(f"mean_{t}" for t in TYPE_CODES)]
    if privacy.unit_level_allowed(_kind(survey, kind)):
        mask = pd.DataFrame(False, index=out.index, columns=columns)
    else:
        mask = overview_mask(survey, registry, out)
    for column in columns:
        out[f"blank_{column}"] = mask[column].to_numpy()
    return out


def published(overview: pd.DataFrame, kind: str) -> pd.DataFrame:
    """``overview`` (of :func:`adoption_overview`) as it may be published: unchanged for
    synthetic data; for the real survey each type's share is blanked (None) where its
    ``blank_<type>`` column says so, its mean and median where ``blank_mean_<type>`` does. Respondent counts and response rates stay:
    whether a government answered is not one of its answers."""
    if privacy.unit_level_allowed(kind):
        return overview
    needed = [f"blank_{c}" for t in TYPE_CODES for c in (t, f"mean_{t}")]
    missing = [c for c in needed if c not in overview.columns]
    if missing:
        raise ValueError(
            "the overview has no disclosure mask (columns "
            f"{', '.join(missing)}): build it with adoption_overview(..., kind={kind!r})"
        )
    out = overview.copy()
    for t in TYPE_CODES:
        for stat, flag in (("share", t), ("mean", f"mean_{t}"), ("median", f"mean_{t}")):
            column = f"{stat}_{t}"
            if column in out.columns:
                rows = out.index[out[f"blank_{flag}"].to_numpy(dtype=bool)]
                out[column] = out[column].astype(object)
                out.loc[rows, column] = None
    return out


def count_distribution(
    survey: Any, registry: pd.DataFrame, cap: int = 10, *, kind: str | None = None
) -> pd.DataFrame:
    """How many respondents run 0, 1, …, ``cap`` or more operating platforms of each type.

    Index 0 … ``cap`` (the last row counts ``cap`` or more); one column per type. Built from
    the real survey, ``cap`` is lowered where needed so that no count above 0 is below
    ``privacy.MIN_CELL``: a small count starts the pooled last row instead of standing alone.
    A small count that pooling cannot mend (of no platform) is then blanked (NaN) with the
    disclosure rule of :func:`platformgov.analysis.privacy.table_mask` (each column's total,
    the respondents, is published), and the frame turns to float.
    """
    if cap < 1:
        raise ValueError(f"cap must be at least 1, not {cap}")
    resp = respondents(survey, registry)

    def counted(cap: int) -> pd.DataFrame:
        index = pd.RangeIndex(cap + 1, name="n_platforms")
        return pd.DataFrame(
            {
                t: resp[t].clip(upper=cap).value_counts().reindex(index, fill_value=0)
                for t in TYPE_CODES
            }
        ).astype("int64")

    dist = counted(cap)
    if privacy.unit_level_allowed(_kind(survey, kind)):
        return dist
    while cap > 1:
        small = ((dist > 0) & (dist < privacy.MIN_CELL)).any(axis=1).iloc[1:]
        if not small.any():
            break
        first = int(small.idxmax())  # pooling cannot mend a small count of zero platforms
        cap = first if first < cap else cap - 1
        dist = counted(cap)
    mask = privacy.table_mask(dist, column_totals=True)
    if mask.any().any():
        dist = dist.astype("float64").mask(mask)
    return dist


def cooperation(survey: Any, registry: pd.DataFrame, *, kind: str | None = None) -> pd.DataFrame:
    """Cooperation with each partner in running each type.

    One row per type × partner (``central``, ``metro``, ``private``) with
    ``n_platforms`` (operating platforms that answered), ``share_platforms`` (share of them run
    with the partner), ``n_governments`` (respondents running the type whose platforms
    answered) and ``share_governments`` (share of them running at least one platform of the type
    with the partner). ``metro`` rows count 기초 governments and their platforms only.
    Built from the real survey, a share is NaN where the disclosure rule blanks it
    (:func:`platformgov.analysis.privacy.share_sensitive`; a share of platforms stands for the
    governments that run them).
    """
    resp = respondents(survey, registry)
    basic = set(resp.index[resp["level"] == "basic"])
    platforms = operating_platforms(survey)
    if len(survey.platforms):
        per_gov = platform_measures(survey.platforms).reset_index()
        per_gov["lg_code"] = _codes(per_gov["lg_code"])
        per_gov["platform_type"] = _codes(per_gov["platform_type"])
    else:
        per_gov = pd.DataFrame(
            columns=["lg_code", "platform_type", *(f"coop_{p}" for p in PARTNERS)]
        )
    rows = []
    for t in TYPE_CODES:
        for partner in PARTNERS:
            plats = platforms[platforms["platform_type"] == t]
            govs = per_gov[per_gov["platform_type"] == t]
            if partner == "metro":
                plats = plats[plats["lg_code"].isin(basic)]
                govs = govs[govs["lg_code"].isin(basic)]
            answers = plats[partner].dropna()
            coop = pd.to_numeric(govs[f"coop_{partner}"]).dropna()
            rows.append(
                {
                    "platform_type": t,
                    "partner": partner,
                    "n_platforms": len(answers),
                    "share_platforms": float(answers.mean()) if len(answers) else np.nan,
                    "n_governments": len(coop),
                    "share_governments": float(coop.mean()) if len(coop) else np.nan,
                    "_behind": plats.loc[answers.index, "lg_code"].nunique(),
                    "_yes": int(answers.sum()),
                    "_coop": int(coop.sum()),
                }
            )
    out = pd.DataFrame(rows)
    if not privacy.unit_level_allowed(_kind(survey, kind)):
        by_platform = privacy.share_sensitive(
            out["_yes"], out["n_platforms"], governments=out["_behind"]
        )
        by_government = privacy.share_sensitive(out["_coop"], out["n_governments"])
        out.loc[by_platform, "share_platforms"] = np.nan
        out.loc[by_government, "share_governments"] = np.nan
    return out.drop(columns=["_behind", "_yes", "_coop"])


def likert_points() -> tuple[int, ...]:
    """The Likert scale's points, from the codebook (the same for every outcome item)."""
    bounds = {
        variable("performance", i).bounds for items in outcome_items().values() for i in items
    }
    if len(bounds) != 1:
        raise ValueError(f"the outcome items have different scales: {sorted(bounds)}")
    lo, hi = bounds.pop()
    return tuple(range(lo, hi + 1))


def likert_shares(survey: Any, *, kind: str | None = None) -> pd.DataFrame:
    """Shares of answers in each Likert category, per type and item.

    One row per type × item (types in G2C, C2G, C2C order; items in codebook order, grouped by
    outcome) with ``platform_type, outcome, item, n_rated`` (governments rating the type),
    ``n_answered`` (those answering the item) and one column per scale point
    (``1`` … ``5``) holding the share of the item's answers in that category (missing answers
    left out; the shares of a row sum to 1). Built from the real survey, a row whose answers
    the disclosure rule protects (any share of it, of the ``n_answered`` governments) has all
    its shares NaN.
    """
    perf = survey.performance
    types = _codes(perf["platform_type"])
    points = likert_points()
    rows = []
    for t in TYPE_CODES:
        sub = perf[types == t]
        for outcome in OUTCOMES:
            for item in outcome_items()[outcome]:
                answers = _binary(sub[item]).dropna()
                row: dict[str, Any] = {
                    "platform_type": t,
                    "outcome": outcome,
                    "item": item,
                    "n_rated": len(sub),
                    "n_answered": len(answers),
                }
                counts = answers.value_counts()
                for p in points:
                    row[p] = float(counts.get(float(p), 0) / len(answers)) if len(answers) else 0.0
                rows.append(row)
    out = pd.DataFrame(rows)
    if len(out) and not privacy.unit_level_allowed(_kind(survey, kind)):
        shares = out[list(points)].to_numpy(dtype="float64")
        n = out["n_answered"].to_numpy(dtype="float64")[:, None]
        sensitive = privacy.share_sensitive(np.rint(shares * n), np.broadcast_to(n, shares.shape))
        out.loc[sensitive.any(axis=1), list(points)] = np.nan
    return out


def agreement(survey: Any, *, kind: str | None = None) -> pd.DataFrame:
    """Answers to all twelve items pooled, per type: shares below, at and above the middle.

    Indexed by type (G2C, C2G, C2C) with ``disagree`` (the lower half of the scale),
    ``neutral`` (its middle point; 0 on a scale with an even number of points) and ``agree``
    (the upper half), as shares of all answered items, and ``n_answers``. The shares are NaN for
    a type without answers. Built from the real survey, a type's shares are NaN when an item
    row of :func:`likert_shares` is blanked (the pooled shares would give it back) or when the
    pooled shares break the disclosure rule over the governments rating the type.
    """
    kind = _kind(survey, kind)
    shares = likert_shares(survey, kind=kind)
    points = list(likert_points())
    half = len(points) // 2
    parts = {
        "disagree": points[:half],
        "neutral": points[half : len(points) - half],
        "agree": points[len(points) - half :],
    }
    rows = {}
    for t in TYPE_CODES:
        sub = shares[shares["platform_type"] == t]
        n = sub["n_answered"].to_numpy(dtype="float64")
        total = n.sum()
        row: dict[str, Any] = {}
        for name, cols in parts.items():
            pooled = (sub[cols].to_numpy(dtype="float64").sum(axis=1) * n).sum()
            row[name] = float(pooled / total) if total else np.nan
        row["n_answers"] = int(total)
        if not privacy.unit_level_allowed(kind):
            n_rated = int(sub["n_rated"].iloc[0]) if len(sub) else 0
            pooled = [row[name] * total for name in parts]
            if (
                sub[cols].isna().any().any()
                or privacy.share_sensitive(
                    np.nan_to_num(pooled), [total] * len(parts), governments=[n_rated] * len(parts)
                ).any()
            ):
                row.update(dict.fromkeys(parts, np.nan))
        rows[t] = row
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("platform_type")


def scale_summary(frame: pd.DataFrame, *, kind: str = "synthetic") -> pd.DataFrame:
    """Mean, standard deviation and N of each outcome scale per type, from the analysis frame.

    One row per type × outcome: ``platform_type, outcome, mean, sd, n`` (rows with a scale
    value) and ``n_rated`` (rows of the type). With ``kind="real"`` the mean and SD are NaN
    over fewer than ``privacy.MIN_CELL`` governments, or when fewer than
    ``privacy.SMALL_GROUP`` all gave the same value (an SD of 0 states every answer).
    """
    rows = []
    for t in TYPE_CODES:
        sub = frame[frame["platform_type"] == t]
        for outcome in OUTCOMES:
            values = pd.to_numeric(sub[outcome]).dropna()
            rows.append(
                {
                    "platform_type": t,
                    "outcome": outcome,
                    "mean": float(values.mean()) if len(values) else np.nan,
                    "sd": float(values.std(ddof=1)) if len(values) > 1 else np.nan,
                    "n": len(values),
                    "n_rated": len(sub),
                }
            )
    out = pd.DataFrame(rows)
    if len(out) and not privacy.unit_level_allowed(kind):
        n = out["n"]
        alike = np.isclose(out["sd"].fillna(0.0), 0.0)  # every value the same
        small = (n < privacy.MIN_CELL) | ((n < privacy.SMALL_GROUP) & alike)
        out.loc[(n > 0) & small, ["mean", "sd"]] = np.nan
    return out


def reliability(survey: Any, *, kind: str | None = None) -> pd.DataFrame:
    """Cronbach's alpha per outcome and type (:func:`platformgov.analysis.measures.alpha_by_type`);
    built from the real survey, NaN over fewer than ``privacy.MIN_CELL`` complete responses."""
    out = alpha_by_type(survey)
    if not privacy.unit_level_allowed(_kind(survey, kind)):
        out.loc[out["n_complete"] < privacy.MIN_CELL, "alpha"] = np.nan
    return out


# --------------------------------------------------------------------------------------------
# Values for the maps
# --------------------------------------------------------------------------------------------


def map_level(kind: str) -> str:
    """``"unit"`` (시군구, plus 세종 and 제주) when per-government maps are allowed, else ``"metro"``."""
    return "unit" if privacy.unit_level_allowed(kind) else "metro"


def map_units(registry: pd.DataFrame) -> list[str]:
    """Codes drawn on a per-government map: every 기초, and the 광역 with no 기초 below them."""
    reg = _registry(registry)
    basic = reg[reg["level"] == "basic"]
    with_basic = set(basic["sido_code"])
    lone = reg[(reg["level"] == "metro") & ~reg.index.isin(with_basic)]
    return sorted([*basic.index, *lone.index])


def _map_mask(values: pd.Series, sido: pd.Series, sidos: list[str], *, binary: bool) -> pd.Series:
    """The 광역 areas whose value the real survey may not show: the disclosure rule over the
    areas' sums of ``values`` (one per responding government, in area ``sido``), with the
    national sum published (:func:`platformgov.analysis.privacy.complete`)."""
    members = pd.DataFrame(
        {code: (sido == code).to_numpy() for code in sidos}, index=values.index
    ).T
    members.loc["all"] = True
    m = members.to_numpy(dtype="float64")
    sums = m @ values.to_numpy(dtype="float64")
    n = m.sum(axis=1)
    spread = [values[row.astype(bool)].nunique() for row in m]
    alike = np.array([k <= 1 for k in spread])
    primary = (n > 0) & ((n < privacy.MIN_CELL) | ((n < privacy.SMALL_GROUP) & alike))
    primary[-1] = False
    protected = np.zeros(len(m), dtype=bool)
    protected[-1] = True
    upper = None if binary else [None] * m.shape[1]
    blank = privacy.complete(m, sums, primary, protected, upper)
    return pd.Series(blank[:-1], index=sidos)


def map_values(
    survey: Any, registry: pd.DataFrame, measure: str, *, kind: str | None = None
) -> pd.DataFrame:
    """One row per area of the map: ``code, value, n, state``.

    ``measure`` is ``"n_platforms"`` (operating platforms of all types) or ``"coop_private"``
    (1 if any operating platform is run with the private sector). With synthetic data the areas
    are :func:`map_units` and ``value`` is the government's own; ``n`` is 1 for a respondent
    with a value, else 0. With real data the areas are the 17 광역, ``value`` is the mean over
    the responding governments of the area (광역 and 기초) that have a value — the mean number of
    platforms, or the share running one with the private sector — and ``n`` is their number.
    ``state`` is ``"shown"``, ``"no_data"`` (no responding government with a value) or
    ``"suppressed"`` (blanked by the disclosure rule of :mod:`platformgov.analysis.privacy`:
    fewer than ``privacy.MIN_CELL`` governments, a small area whose governments all have the
    same value, or an area blanked so that another cannot be worked out from the national
    figure; ``value`` blank).
    ``out.attrs["level"]`` is ``"unit"`` or ``"metro"``.
    """
    if measure not in MAP_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MAP_MEASURES)}, not {measure!r}")
    kind = _kind(survey, kind)
    resp = respondents(survey, registry)
    values = resp["total"].astype("float64") if measure == "n_platforms" else resp[measure]
    level = map_level(kind)
    if level == "unit":
        codes = map_units(registry)
        value = values.reindex(codes)
        out = pd.DataFrame(
            {
                "code": codes,
                "value": value.to_numpy(),
                "n": value.notna().to_numpy().astype("int64"),
            }
        )
        out["state"] = np.where(out["n"] > 0, "shown", "no_data")
    else:
        reg = _registry(registry)
        sidos = sorted(reg.index[reg["level"] == "metro"])
        known = values.dropna()
        by_sido = resp.loc[known.index, "sido_code"]
        agg = pd.DataFrame(
            {
                "n": known.groupby(by_sido).size().reindex(sidos, fill_value=0),
                "value": known.groupby(by_sido).mean().reindex(sidos),
            }
        )
        blank = _map_mask(known, by_sido, sidos, binary=measure == "coop_private")
        agg.loc[blank, "value"] = np.nan
        out = pd.DataFrame(
            {
                "code": sidos,
                "value": pd.to_numeric(agg["value"]).astype("float64").to_numpy(),
                "n": agg["n"].astype("int64").to_numpy(),
            }
        )
        out["state"] = np.select(
            [out["n"] == 0, blank.to_numpy()], ["no_data", "suppressed"], "shown"
        )
    out.attrs["level"] = level
    out.attrs["measure"] = measure
    return out
