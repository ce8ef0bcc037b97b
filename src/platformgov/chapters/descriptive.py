"""The chapter "Descriptive status": its tables and the numbers of its prose.

The aggregates are :mod:`platformgov.analysis.descriptive`; this module puts labels on them
(from the label table) and writes the sentences whose words depend on a count, per language.
Built from the real survey, the tables blank groups too small to publish
(:func:`platformgov.analysis.descriptive.published`) and say so in their note.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from platformgov.analysis import descriptive, privacy
from platformgov.chapters.grammar import attach, count
from platformgov.chapters.tables import Table
from platformgov.inputs.codebook import outcome_items
from platformgov.labels import check_lang, label, value_label
from platformgov.vocabulary import LEVELS, MIN_ITEMS, OUTCOMES, TYPE_CODES


def _row_label(grouping: str, group: str, lang: str) -> str:
    if grouping == "all":
        return label("sample.all", lang)
    return value_label(grouping, group, lang)


def _by_label(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    out = frame.copy()
    out.index = [_row_label(g, v, lang) for g, v in frame.index]
    return out


def _note(key: str, kind: str, lang: str) -> str:
    parts = [label(key, lang)]
    if not privacy.unit_level_allowed(kind):
        parts.append(suppressed_note(lang))
    return " ".join(parts)


def suppressed_note(lang: str) -> str:
    """What a table built from the real survey leaves blank, with the rule's thresholds."""
    return label("desc.note_suppressed", lang).format(n=privacy.MIN_CELL, small=privacy.SMALL_GROUP)


def _type_labels(lang: str) -> list[str]:
    return [value_label("platform_type", t, lang) for t in TYPE_CODES]


def adoption_table(overview: pd.DataFrame, kind: str, lang: str) -> Table:
    """Respondents, response rate and the share of respondents running each type (in %), by
    level, kind and region, from :func:`~platformgov.analysis.descriptive.adoption_overview`;
    ``source`` (``"synthetic"`` or ``"real"``) decides whether small groups are blanked."""
    check_lang(lang)
    shown = descriptive.published(overview, kind)
    frame = pd.DataFrame(
        {
            "n_respondents": shown["n_respondents"],
            "response_rate": 100 * shown["response_rate"],
            **{f"share_{t}": _times_100(shown[f"share_{t}"]) for t in TYPE_CODES},
        }
    ).astype(object)
    frame.columns = [
        label("desc.n_respondents", lang),
        label("desc.response_rate", lang),
        *_type_labels(lang),
    ]
    return Table(
        _by_label(frame, lang),
        caption=label("desc.caption_adoption", lang),
        index_label=label("desc.group", lang),
        note=_note("desc.note_adoption", kind, lang),
        digits=1,
    )


def _times_100(values: pd.Series) -> pd.Series:
    """Shares in %, blanked cells (None) kept blank."""
    cells = [None if v is None else 100 * v for v in values]
    return pd.Series(cells, index=values.index, dtype=object)


def _mean_median(mean: float, median: float) -> str:
    if mean is None or pd.isna(mean):
        return ""
    return f"{mean:.1f} ({median:g})"


def platform_count_table(overview: pd.DataFrame, kind: str, lang: str) -> Table:
    """Operating platforms of each type per respondent, mean (median), by level, kind and
    region, from :func:`~platformgov.analysis.descriptive.adoption_overview`."""
    check_lang(lang)
    shown = descriptive.published(overview, kind)
    frame = pd.DataFrame({"n_respondents": shown["n_respondents"]}, index=shown.index)
    for t in TYPE_CODES:
        pairs = zip(shown[f"mean_{t}"], shown[f"median_{t}"], strict=True)
        frame[t] = [_mean_median(m, d) for m, d in pairs]
    frame = frame.astype(object)
    frame.columns = [label("desc.n_respondents", lang), *_type_labels(lang)]
    return Table(
        _by_label(frame, lang),
        caption=label("desc.caption_counts", lang),
        index_label=label("desc.group", lang),
        note=_note("desc.note_counts", kind, lang),
    )


def _mean_sd(mean: float, sd: float) -> str:
    if pd.isna(mean):
        return ""
    return f"{mean:.2f}" if pd.isna(sd) else f"{mean:.2f} ({sd:.2f})"


def scale_table(scales: pd.DataFrame, lang: str, *, min_items: int = MIN_ITEMS) -> Table:
    """The outcome scales' mean (SD) by type, from
    :func:`~platformgov.analysis.descriptive.scale_summary`; the footer row gives the number of
    raters. ``min_items`` is the rule the analysis frame was built with, for the note."""
    check_lang(lang)
    body = {}
    for t, name in zip(TYPE_CODES, _type_labels(lang), strict=True):
        sub = scales[scales["platform_type"] == t].set_index("outcome")
        cells = [_mean_sd(sub.at[o, "mean"], sub.at[o, "sd"]) for o in OUTCOMES]
        body[name] = [*cells, int(sub["n_rated"].iloc[0])]
    index = [value_label("outcome", o, lang) for o in OUTCOMES] + [label("desc.n_rated", lang)]
    return Table(
        pd.DataFrame(body, index=index).astype(object),
        caption=label("desc.caption_scales", lang),
        index_label=label("ui.outcome", lang),
        footer_rows=1,
        note=label("desc.note_scales", lang).format(k=min_items),
    )


def _alpha_cell(alpha: float, n: int) -> str:
    return f"({n})" if pd.isna(alpha) else f"{alpha:.2f} ({n})"


def reliability_table(alphas: pd.DataFrame, lang: str) -> Table:
    """Cronbach's alpha of each outcome (rows) per type (columns), with the number of complete
    responses, from :func:`~platformgov.analysis.descriptive.reliability`."""
    check_lang(lang)
    body = {}
    for t, name in zip(TYPE_CODES, _type_labels(lang), strict=True):
        sub = alphas[alphas["platform_type"] == t].set_index("outcome")
        body[name] = [
            _alpha_cell(sub.at[o, "alpha"], int(sub.at[o, "n_complete"])) for o in OUTCOMES
        ]
    return Table(
        pd.DataFrame(body, index=[value_label("outcome", o, lang) for o in OUTCOMES]).astype(
            object
        ),
        caption=label("desc.caption_alpha", lang),
        index_label=label("ui.outcome", lang),
        note=label("desc.note_alpha", lang),
    )


# --------------------------------------------------------------------------------------------
# Sentences whose words follow a count
# --------------------------------------------------------------------------------------------


def extremes_sentence(n_zero: int, n_cap: int, cap: int, lang: str) -> str:
    """Governments running no brokering (C2C) platform, and those running ``cap`` or more
    information (G2C) platforms, as one sentence."""
    if check_lang(lang) == "ko":
        return (
            f"민간역량중개형 플랫폼을 하나도 운영하지 않는 응답 지자체가 {n_zero:,d}곳이고, "
            f"정보제공형 플랫폼을 {cap}개 이상 운영하는 곳은 {n_cap:,d}곳입니다."
        )
    if n_zero == 0:
        first = "Every responding government runs at least one brokering platform"
    else:
        first = (
            f"{count(n_zero, 'responding government runs', 'responding governments run')}"
            " no brokering platform at all"
        )
    runs = "none runs" if n_cap == 0 else f"{n_cap:,d} {'runs' if n_cap == 1 else 'run'}"
    return f"{first}, while {runs} {cap} or more information platforms."


def reached_clause(n_reached: int, n_values: int, lang: str) -> str:
    """How many of the alphas reach the reference line."""
    if check_lang(lang) == "ko":
        return f"{n_values:,d}개 가운데 {n_reached:,d}개가 이 기준선 이상입니다"
    if n_reached == 0:
        return f"none of the {n_values:,d} values reaches it"
    verb = "reaches" if n_reached == 1 else "reach"
    return f"{n_reached:,d} of the {n_values:,d} values {verb} it"


def no_data_clause(n_no_data: int, n_areas: int, lang: str) -> str:
    """How many areas of the map have no response (and are hatched)."""
    if check_lang(lang) == "ko":
        if n_no_data == 0:
            return f"지도 {n_areas:,d}개 지역 모두 응답이 있습니다"
        return (
            f"지도 {n_areas:,d}개 지역 가운데 {n_no_data:,d}곳은 응답이 없어 회색 빗금으로 "
            "표시했습니다"
        )
    if n_no_data == 0:
        return f"all {n_areas:,d} areas have a response"
    if n_no_data == 1:
        return f"1 of the {n_areas:,d} areas has no response and is hatched in grey"
    return f"{n_no_data:,d} of the {n_areas:,d} areas have no response and are hatched in grey"


def _governments(n: int, lang: str) -> str:
    if lang == "ko":
        return f"{n:,d}곳"
    return count(n, "metropolitan government", "metropolitan governments")


# --------------------------------------------------------------------------------------------
# The numbers of the prose
# --------------------------------------------------------------------------------------------


BLANK = "–"


def _percent(value: float | None) -> tuple[float, str] | str:
    """A share for the prose in %; a share the disclosure rule blanks as a dash."""
    if value is None or pd.isna(value):
        return BLANK
    return (100 * value, ".1f")


def _respondents(survey: Any, overview: pd.DataFrame) -> dict[str, object]:
    everyone = overview.loc[("all", "all")]
    level = overview.loc["level"]
    n_operating = len(descriptive.operating_platforms(survey))
    out: dict[str, object] = {
        "n_governments": (int(everyone["n_governments"]), ",d"),
        "n_respondents": (int(everyone["n_respondents"]), ",d"),
        "response_rate": _percent(everyone["response_rate"]),
        "n_platforms_all": (len(survey.platforms), ",d"),
        "n_platforms_operating": (n_operating, ",d"),
        "n_platforms_suspended": (len(survey.platforms) - n_operating, ",d"),
    }
    for lv in LEVELS:
        out[f"n_gov_{lv}"] = (int(level.loc[lv, "n_governments"]), ",d")
        out[f"n_resp_{lv}"] = (int(level.loc[lv, "n_respondents"]), ",d")
    return out


def _adoption(overview: pd.DataFrame, counts: pd.DataFrame, lang: str) -> dict[str, object]:
    everyone = overview.loc[("all", "all")]
    level = overview.loc["level"]
    out: dict[str, object] = {}
    for t in TYPE_CODES:
        out[f"share_{t}"] = _percent(everyone[f"share_{t}"])
        for lv in LEVELS:
            out[f"share_{t}_{lv}"] = _percent(level.loc[lv, f"share_{t}"])
    shares = pd.Series({t: everyone[f"share_{t}"] for t in TYPE_CODES}, dtype="float64")
    out["most_common_type"] = value_label("platform_type", shares.idxmax(), lang)
    out["least_common_type"] = value_label("platform_type", shares.idxmin(), lang)
    cap = int(counts.index[-1])
    out["cap"] = (cap, "d")
    out["min_cell"] = (privacy.MIN_CELL, "d")
    n_zero, n_cap = counts["C2C"].iloc[0], counts["G2C"].iloc[-1]
    if pd.isna(n_zero) or pd.isna(n_cap):
        out["extremes"] = label("desc.extremes_withheld", lang)
    else:
        out["extremes"] = extremes_sentence(int(n_zero), int(n_cap), cap, lang)
    out["median_G2C"] = _number(everyone["median_G2C"], "g")
    out["mean_G2C"] = _number(everyone["mean_G2C"], ".1f")
    for lv in LEVELS:
        out[f"mean_G2C_{lv}"] = _number(level.loc[lv, "mean_G2C"], ".1f")
    return out


def _number(value: float | None, fmt: str) -> tuple[float, str] | str:
    return BLANK if value is None or pd.isna(value) else (value, fmt)


def _cooperation(coop: pd.DataFrame, lang: str) -> dict[str, object]:
    coop = coop.set_index(["platform_type", "partner"])
    out: dict[str, object] = {}
    for (t, partner), row in coop.iterrows():
        out[f"coop_{t}_{partner}_platforms"] = _percent(row["share_platforms"])
        out[f"coop_{t}_{partner}_governments"] = _percent(row["share_governments"])
    top = coop.loc["C2C", "share_platforms"].idxmax()
    out["c2c_top_partner"] = label(f"desc.partner.{top}", lang)
    return out


def _ratings(agreement: pd.DataFrame, scales: pd.DataFrame, lang: str) -> dict[str, object]:
    out: dict[str, object] = {
        "n_items": (sum(len(v) for v in outcome_items().values()), "d"),
        "n_points": (len(descriptive.likert_points()), "d"),
        "min_items": (MIN_ITEMS, "d"),
    }
    for t in TYPE_CODES:
        out[f"agree_{t}"] = _percent(agreement.loc[t, "agree"])
        out[f"disagree_{t}"] = _percent(agreement.loc[t, "disagree"])
        means = scales[scales["platform_type"] == t].set_index("outcome")["mean"].dropna()
        for name, pick in (("top", "idxmax"), ("low", "idxmin")):
            outcome = getattr(means, pick)() if len(means) else None
            out[f"{name}_outcome_{t}"] = (
                BLANK if outcome is None else value_label("outcome", outcome, lang)
            )
    return out


def _reliability(alphas: pd.DataFrame, lang: str) -> dict[str, object]:
    reference = descriptive.ALPHA_REFERENCE
    n_reached = int((alphas["alpha"] >= reference).sum())
    shown = f"{reference:.1f}"
    return {
        "alpha_min": (alphas["alpha"].min(), ".2f"),
        "alpha_max": (alphas["alpha"].max(), ".2f"),
        "alpha_reference": attach(shown, "을/를") if lang == "ko" else shown,
        "alpha_reached": reached_clause(n_reached, int(alphas["alpha"].count()), lang),
    }


def _maps(map_values: pd.DataFrame, registry: pd.DataFrame, lang: str) -> dict[str, object]:
    metro = set(registry.loc[registry["level"] == "metro", "code"])
    hidden = len(metro - set(descriptive.map_units(registry)))
    n_no_data = int((map_values["state"] == "no_data").sum())
    return {
        "map_level": label(f"desc.map_level.{map_values.attrs['level']}", lang),
        "map_no_data": no_data_clause(n_no_data, len(map_values), lang),
        "n_metro_hidden": _governments(hidden, lang),
    }


def _exercises(alphas: pd.DataFrame, exercises: Mapping[str, Any], lang: str) -> dict[str, object]:
    gun = exercises["gun"]
    lowest = alphas.loc[alphas["alpha"].idxmin()]
    without = exercises["without"]
    best = max(without, key=without.get)
    quoted = f"“{label(best, lang)}”"
    metro_all, metro_basic = exercises["metro_all"], exercises["metro_basic"]
    shown = exercises.get("gun_shown", True)
    return {
        "ex_gun_n": (len(gun), ",d"),
        "ex_gun_c2c": _percent((gun["C2C"] > 0).mean()) if shown else BLANK,
        "ex_low_type": value_label("platform_type", lowest["platform_type"], lang),
        "ex_low_outcome": value_label("outcome", lowest["outcome"], lang),
        "ex_low_alpha": (lowest["alpha"], ".2f"),
        "ex_drop_item": attach(quoted, "을/를") if lang == "ko" else quoted,
        "ex_drop_alpha": (without[best], ".2f"),
        "ex_metro_all": _percent(metro_all["G2C"]),
        "ex_metro_basic": _percent(metro_basic["G2C"]),
    }


def numbers(
    survey: Any,
    registry: pd.DataFrame,
    *,
    overview: pd.DataFrame,
    counts: pd.DataFrame,
    coop: pd.DataFrame,
    agreement: pd.DataFrame,
    scales: pd.DataFrame,
    alphas: pd.DataFrame,
    map_values: pd.DataFrame,
    exercises: Mapping[str, Any],
    lang: str,
) -> dict[str, object]:
    """Every number and counted phrase of the chapter's prose: ``{name: (value, format)}`` or
    ``{name: text}``, the same names in both languages.

    The frames are the page's results from :mod:`platformgov.analysis.descriptive`
    (``adoption_overview``, ``count_distribution``, ``cooperation``, ``agreement``,
    ``scale_summary``, ``reliability`` and ``map_values`` of ``"n_platforms"``); ``exercises``
    holds the exercises' answers: ``gun`` (the responding counties of ``respondents``),
    ``without`` (alpha of the lowest scale without each item, by item), ``metro_all`` and
    ``metro_basic`` (mean ``coop_metro`` by type, with and without the 광역 rows).
    """
    check_lang(lang)
    shown = descriptive.published(overview, survey.kind)
    gun = ("kind", "gun")
    blank_gun = gun in shown.index and shown.loc[gun, "share_C2C"] is None
    exercises = {**exercises, "gun_shown": not blank_gun}
    return {
        **_respondents(survey, overview),
        **_adoption(shown, counts, lang),
        **_cooperation(coop, lang),
        **_ratings(agreement, scales, lang),
        **_reliability(alphas, lang),
        **_maps(map_values, registry, lang),
        **_exercises(alphas, exercises, lang),
    }
