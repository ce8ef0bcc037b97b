"""The power chapter: its tables, its sentences and every number of its prose.

:mod:`platformgov.analysis.speccurve` and :mod:`platformgov.analysis.simulation` compute; this
module names and formats. Functions named ``*_table`` return a DataFrame with reader-facing
labels, ``*_display`` wraps it in an accessible :class:`~platformgov.chapters.tables.Table`
with its caption and note, ``*_sentence`` returns one sentence of the page in its language, and
:func:`numbers` gives the prose all its numbers in one call.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import Markdown

from platformgov import vocabulary
from platformgov.analysis import models, simulation, speccurve
from platformgov.chapters.grammar import attach
from platformgov.chapters.tables import Table
from platformgov.labels import check_lang, label, value_label
from platformgov.vocabulary import OUTCOMES

# --- names --------------------------------------------------------------------------------------


def option_label(dimension: str, option: str, lang: str) -> str:
    return label(f"power.option.{dimension}.{option}", lang)


def key_label(key: str, lang: str) -> str:
    return label("power.key.activation" if key == "activation" else f"term.{key}", lang)


def finding_label(finding: models.Finding, lang: str) -> str:
    """ "Type: predictor → outcome", the name of a finding in figures and tables."""
    return "{}: {} → {}".format(
        value_label("platform_type", finding.platform_type, lang),
        key_label(speccurve.finding_key(finding), lang),
        label(f"outcome.{finding.outcome}", lang),
    )


def _percent(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{100 * value:.0f}%"


def _lower_first(text: str) -> str:
    """A label as it stands inside an English sentence: "Information (G2C)" → "information
    (G2C)"."""
    return text[:1].lower() + text[1:]


def _fmt(value: float, digits: int = 2) -> str:
    if value is None or not np.isfinite(value):
        return ""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def format_effect(value: float, lang: str, grid_max: float) -> str:
    """An effect size for the text: two decimals, or "above <grid max>" when it is missing
    because the power curve never reached the target within the grid."""
    if value is None or not np.isfinite(value):
        return label("power.beyond_grid", lang).format(value=_fmt(grid_max))
    return _fmt(value)


# --- the specification curve's tables ------------------------------------------------------------


def options_table(lang: str) -> pd.DataFrame:
    """The choices of the curve: one row per dimension, its options, and our main choice."""
    check_lang(lang)
    rows = {}
    for dim, options in speccurve.OPTIONS.items():
        rows[label(f"power.dimension.{dim}", lang)] = {
            label("power.options", lang): " · ".join(option_label(dim, o, lang) for o in options),
            label("power.n_options", lang): len(options),
            label("power.main_choice", lang): option_label(dim, options[0], lang),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def options_display(lang: str) -> Table:
    return Table(
        options_table(lang),
        caption=label("power.caption.options", lang),
        index_label=label("power.dimension", lang),
        digits=0,
    )


def agreement_table(
    table: pd.DataFrame, lang: str, findings: Iterable[models.Finding] = models.PAPER_FINDINGS
) -> pd.DataFrame:
    """:func:`speccurve.agreement`'s frame of ``findings`` with labels and percentages, one row
    per finding (named by :func:`finding_label`)."""
    check_lang(lang)

    def main(value: Any) -> str:
        if value is pd.NA or value is None:
            return label("agree.na", lang)
        return label("agree.yes" if value else "agree.no", lang)

    return pd.DataFrame(
        {
            label("power.n_specs", lang): [int(n) for n in table["n_specs"]],
            label("power.share_agree", lang): [_percent(v) for v in table["share_agree"]],
            label("power.share_same_sign", lang): [_percent(v) for v in table["share_same_sign"]],
            label("power.share_opposite", lang): [_percent(v) for v in table["share_opposite"]],
            label("power.main_agrees", lang): [main(v) for v in table["main_agrees"]],
        },
        index=[finding_label(f, lang) for f in findings],
    )


def agreement_display(table: pd.DataFrame, lang: str) -> Table:
    return Table(
        agreement_table(table, lang),
        caption=label("power.caption.agreement", lang),
        index_label=label("power.finding", lang),
        note=label("power.note.agreement", lang),
    )


def agreement_by_choice_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`speccurve.agreement_by_choice`'s frame with labels, indexed by the option."""
    check_lang(lang)
    return pd.DataFrame(
        {
            label("power.dimension", lang): [
                label(f"power.dimension.{d}", lang) for d in table["dimension"]
            ],
            label("power.n_specs", lang): [int(n) for n in table["n_specs"]],
            label("power.share_agree", lang): [_percent(v) for v in table["share_agree"]],
        },
        index=[
            option_label(d, o, lang)
            for d, o in zip(table["dimension"], table["option"], strict=True)
        ],
    )


def agreement_by_choice_display(table: pd.DataFrame, lang: str) -> Table:
    return Table(
        agreement_by_choice_table(table, lang),
        caption=label("power.caption.by_choice", lang),
        index_label=label("power.option_col", lang),
    )


# --- the simulation's tables ---------------------------------------------------------------------


def power_table(
    summary: pd.DataFrame,
    lang: str,
    grid_max: float = max(simulation.EFFECT_SIZES),
    target: float = simulation.POWER_TARGET,
) -> pd.DataFrame:
    """:func:`simulation.power_summary` with labels, one row per type × key term."""
    check_lang(lang)
    multiplier = simulation.mde_multiplier(target)
    return pd.DataFrame(
        {
            label("stat.n_obs", lang): [int(n) for n in summary["n_obs"]],
            label("power.mean_se", lang): [_fmt(v, 3) for v in summary["mean_se"]],
            label("power.mde", lang).format(target=f"{target:.0%}"): [
                format_effect(v, lang, grid_max) for v in summary["mde"]
            ],
            label("power.mde_approx", lang).format(multiplier=f"{multiplier:.1f}"): [
                _fmt(v) for v in summary["mde_approx"]
            ],
            label("power.size", lang): [_fmt(v, 3) for v in summary["size"]],
            label("power.coverage", lang): [_fmt(v, 3) for v in summary["coverage"]],
        },
        index=[
            "{}: {}".format(value_label("platform_type", t, lang), label(f"term.{k}", lang))
            for t, k in zip(summary["platform_type"], summary["term"], strict=True)
        ],
    )


def power_display(summary: pd.DataFrame, lang: str) -> Table:
    return Table(
        power_table(summary, lang),
        caption=label("power.caption.power", lang),
        index_label=label("power.type_predictor", lang),
        note=label("power.note.power", lang),
    )


def recovery_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`simulation.recovery` with labels, one row per finding of the paper."""
    check_lang(lang)
    findings = [
        models.Finding(t, term, o)
        for t, term, o in zip(table["platform_type"], table["term"], table["outcome"], strict=True)
    ]
    return pd.DataFrame(
        {
            label("power.true_value", lang): [_fmt(v) for v in table["true_value"]],
            label("power.mean_estimate", lang): [_fmt(v, 3) for v in table["mean_estimate"]],
            label("power.coverage", lang): [_fmt(v, 3) for v in table["coverage"]],
            label("power.power", lang): [_percent(v) for v in table["power"]],
        },
        index=[finding_label(f, lang) for f in findings],
    )


def recovery_display(table: pd.DataFrame, lang: str) -> Table:
    return Table(
        recovery_table(table, lang),
        caption=label("power.caption.recovery", lang),
        index_label=label("power.finding", lang),
        note=label("power.note.recovery", lang),
    )


# --- sentences --------------------------------------------------------------------------------


def _count(n: int) -> str:
    return f"{n:,d}"


def estimation_sentence(n_missing: int, n_not_converged: int, lang: str) -> str:
    """How many estimates the curve could not make, and how many come from an ordered logit
    that did not converge."""
    if check_lang(lang) == "ko":
        first = (
            "추정하지 못한 추정치는 없고"
            if n_missing == 0
            else f"추정하지 못한 추정치는 {_count(n_missing)}개이고"
        )
        second = (
            "순서형 로짓은 모두 수렴했습니다"
            if n_not_converged == 0
            else f"수렴하지 않은 순서형 로짓에서 나온 추정치는 {_count(n_not_converged)}개입니다"
        )
        return f"{first}, {second}."
    if n_missing == 0:
        first = "Every estimate could be made"
    elif n_missing == 1:
        first = "1 estimate could not be made"
    else:
        first = f"{_count(n_missing)} estimates could not be made"
    if n_not_converged == 0:
        second = "every ordered logit converged"
    elif n_not_converged == 1:
        second = "1 comes from an ordered logit that did not converge"
    else:
        second = f"{_count(n_not_converged)} come from ordered logits that did not converge"
    return f"{first}, and {second}."


def extremes_sentence(n_all: int, n_none: int, lang: str) -> str:
    """How many findings agree in every specification, and how many in none."""
    if check_lang(lang) == "ko":
        first = "모든 사양에서 일치하는 발견은 " + ("없고" if n_all == 0 else f"{_count(n_all)}개")
        second = "어느 사양에서도 일치하지 않는 발견은 " + (
            "없습니다" if n_none == 0 else f"{_count(n_none)}개입니다"
        )
        return f"{first}, {second}."
    if n_all == 0:
        first = "none agrees in every specification"
    elif n_all == 1:
        first = "1 agrees in every specification"
    else:
        first = f"{_count(n_all)} agree in every specification"
    second = "every finding agrees in some" if n_none == 0 else f"{_count(n_none)} in none"
    return f"{first} and {second}."


#: Options of one choice whose shares of significant estimates lie within this many
#: percentage points of each other are said not to move the share (our wording rule).
SPLIT_TOLERANCE = 0.05


def central_split_sentence(split: speccurve.KeySplit, truth: pd.DataFrame | None, lang: str) -> str:
    """Where the significant estimates of a predictor the paper does not discuss come from:
    the share under each activation measure and set of controls, the type × outcome that
    gives most of them, and, where the truth is known, whether it is an effect there."""
    check_lang(lang)
    ranges = {dim: split.option_range(dim) for dim in ("activation", "controls")}
    steady = all(high - low <= SPLIT_TOLERANCE for low, high in ranges.values())
    (act_low, act_high), (ctl_low, ctl_high) = (
        tuple(_percent(v) for v in ranges[dim]) for dim in ("activation", "controls")
    )
    top = split.top
    part = _percent(top["share"] * top["n"] / (split.share * split.n)) if split.share else ""
    type_name = value_label("platform_type", top["platform_type"], lang)
    outcome = label(f"outcome.{top['outcome']}", lang)
    effect = None
    if truth is not None:
        row = truth[
            (truth["platform_type"] == top["platform_type"])
            & (truth["outcome"] == top["outcome"])
            & (truth["term"] == split.key)
        ]
        effect = float(row["true_value"].iloc[0]) if len(row) else 0.0
    if lang == "ko":
        first = (
            f"선택별로 나누어 보면 활성화 측정이 무엇이든 {act_low}~{act_high}, 통제변수가 "
            f"무엇이든 {ctl_low}~{ctl_high}입니다"
        )
        first += (
            ". 변수를 빼는 선택이 이 비율을 만든 것이 아닙니다."
            if steady
            else ". 이 비율은 선택에 따라 달라집니다."
        )
        where = (
            f"유의한 추정치의 {attach(part, '은/는')} {type_name} 플랫폼의 "
            f"{attach(outcome, '이라는/라는')} 한 조합에서 나옵니다. 이 조합은 사양 {top['n']:,d}개 가운데 "
            f"{_percent(top['share'])}에서 유의하며"
            + (
                ", 주 모형의 추정치도 그 가운데 하나입니다."
                if top["main_significant"]
                else ", 주 모형의 추정치는 유의하지 않습니다."
            )
        )
        if effect is None:
            last = (
                "이것이 실제 효과인지, 아니면 자료와 선택 대부분을 공유하는 사양들이 한 번의 "
                "우연을 함께 옮긴 것인지는 조사 하나로는 가릴 수 없습니다."
            )
        elif effect == 0 and top["main_significant"]:
            last = (
                "합성 생성 과정은 그곳에 중앙정부 협력의 효과를 두지 않았습니다. 주 모형의 "
                "추정치는 거짓 양성이고, 자료와 선택 대부분을 공유하는 사양들이 그 오류를 함께 "
                "옮깁니다."
            )
        elif effect == 0:
            last = (
                "합성 생성 과정은 그곳에 효과를 두지 않았으므로, 이는 자료와 선택 대부분을 "
                "공유하는 사양들의 거짓 양성입니다."
            )
        else:
            last = f"합성 생성 과정은 그곳에 {effect:.2f}점의 효과를 두었습니다."
        return f"{first} {where} {last}"
    first = (
        f"Split by choice, the share is {act_low} to {act_high} whatever the activation "
        f"measure and {ctl_low} to {ctl_high} whatever the controls"
    )
    first += (
        ": leaving variables out is not what makes it."
        if steady
        else ": it moves with these choices."
    )
    where = (
        f"One type and outcome gives {part} of the significant estimates: "
        f"{_lower_first(type_name)} platforms and {_lower_first(outcome)}, significant in "
        f"{_percent(top['share'])} of its {top['n']:,d} specifications"
        + (
            ", our main model's among them."
            if top["main_significant"]
            else "; our main model's estimate is not."
        )
    )
    if effect is None:
        last = (
            "Whether that is an effect, or one chance result carried along by specifications "
            "that share the data and most of their choices, a single survey cannot tell."
        )
    elif effect == 0 and top["main_significant"]:
        last = (
            "The synthetic process gives cooperation with the central government no effect "
            "there: the main model's estimate is a false positive, and the specifications, "
            "which share the data and most of their choices, carry it along."
        )
    elif effect == 0:
        last = (
            "The synthetic process gives it no effect there: these are false positives of "
            "specifications that share the data and most of their choices."
        )
    else:
        last = f"The synthetic process gives it an effect of {effect:.2f} points there."
    return f"{first} {where} {last}"


def sample_sentence(sample: simulation.SampleSize, lang: str) -> Markdown:
    """What exercise 1 finds: the survey an effect needs."""
    effect, needed = f"{sample.effect:.2f}", _count(sample.needed)
    if check_lang(lang) == "ko":
        text = f"{effect}점의 효과를 찾아내려면 지자체가 약 {needed}곳 필요합니다"
    else:
        governments = "local government" if sample.needed == 1 else "local governments"
        text = f"{effect} points need about {needed} {governments}"
    return Markdown(text)


def scale_sentence(scales: speccurve.ScaleComparison, lang: str) -> Markdown:
    """What exercise 2 finds: the ratio of ordered-logit to OLS estimates, and its prediction."""
    ratio, predicted = f"{scales.ratio:.2f}", f"{scales.predicted:.2f}"
    if check_lang(lang) == "ko":
        return Markdown(f"비의 중앙값 {ratio}, 예측값 {predicted}")
    return Markdown(f"median ratio {ratio}; predicted {predicted}")


def precision_sentence(precision: simulation.RatePrecision, lang: str) -> Markdown:
    """What exercise 3 finds: a rejection rate's Monte Carlo standard error, and the
    simulations needed to tell two rates apart."""
    se, needed = f"{precision.std_error:.4f}", _count(precision.needed)
    other, rate = f"{precision.other:g}", f"{precision.rate:g}"
    if check_lang(lang) == "ko":
        text = (
            f"표준오차 {se}, {attach(other, '과/와')} {attach(rate, '을/를')} 구별하려면 "
            f"모의실험 {needed}번"
        )
    else:
        runs = "simulation" if precision.needed == 1 else "simulations"
        text = f"standard error {se}; {needed} {runs} to separate {other} from {rate}"
    return Markdown(text)


# --- the numbers of the prose ------------------------------------------------------------------


def _curve_numbers(
    frame: pd.DataFrame,
    specs: pd.DataFrame,
    curve: pd.DataFrame,
    truth: pd.DataFrame | None,
    lang: str,
) -> dict[str, Any]:
    agreement = speccurve.agreement(curve)
    by_choice = speccurve.agreement_by_choice(curve)
    per_cell = math.prod(len(options) for options in speccurve.OPTIONS.values())
    out: dict[str, Any] = {
        "n_dimensions": (len(speccurve.OPTIONS), "d"),
        "n_controls": (len(vocabulary.CONTROLS), "d"),
        "per_cell": (per_cell, ",d"),
        "n_cells": (len(specs.drop_duplicates(["platform_type", "outcome"])), "d"),
        "n_specs": (len(specs), ",d"),
        "n_keys": (len(speccurve.KEYS), "d"),
        "n_estimates": (len(curve), ",d"),
        "estimation": estimation_sentence(
            int(curve["estimate"].isna().sum()),
            int(curve["note"].str.contains("not_converged").sum()),
            lang,
        ),
        "n_findings": (len(agreement), "d"),
        "n_majority": (int((agreement["share_agree"] >= 0.5).sum()), "d"),
        "extremes": extremes_sentence(
            int((agreement["share_agree"] == 1).sum()),
            int((agreement["share_agree"] == 0).sum()),
            lang,
        ),
        "n_main_agree": (int(agreement["main_agrees"].fillna(False).sum()), "d"),
        "n_any_opposite": (int((agreement["share_opposite"] > 0).sum()), "d"),
    }
    for name, finding in speccurve.selected_findings(agreement).items():
        row = agreement.iloc[models.PAPER_FINDINGS.index(finding)]
        out[f"{name}_title"] = finding_label(finding, lang)
        out[f"{name}_share"] = (row["share_agree"], ".0%")
        out[f"{name}_same_sign"] = (row["share_same_sign"], ".0%")
    ranked = by_choice.dropna(subset=["share_agree"]).sort_values("share_agree", kind="stable")
    for name, row in (("low", ranked.iloc[0]), ("high", ranked.iloc[-1])):
        # Bold here, not around the role in the page: a closing ** before a Korean particle
        # would not close.
        out[f"choice_{name}"] = f"**{option_label(row['dimension'], row['option'], lang)}**"
        out[f"choice_{name}_share"] = (row["share_agree"], ".0%")
    central = speccurve.significance_split(curve, "coop_central")
    out["central_n"] = (central.n, ",d")
    out["central_share"] = (central.share, ".0%")
    out["central_split"] = central_split_sentence(central, truth, lang)
    out["outcome_sd"] = (frame[list(OUTCOMES)].stack().std(), ".2f")
    c2c = frame[frame["platform_type"] == "C2C"]
    out["c2c_one"] = ((c2c["n_platforms"] == 1).mean(), ".0%")
    return out


def _simulation_numbers(sim: pd.DataFrame, lang: str) -> dict[str, Any]:
    curves = simulation.power_curves(sim)
    summary = simulation.power_summary(sim)
    recovery = simulation.recovery(sim)
    grid = sim[sim["condition"] == "grid"]
    sizes = np.sort(grid["effect_size"].unique())
    grid_max = float(sizes.max())
    out: dict[str, Any] = {
        "n_surveys": (simulation.surveys_simulated(sim), ",d"),
        "n_sims_rotation": (int(grid["n_surveys"].max()), ",d"),
        "n_rotations": (int(grid["rotation"].nunique()), "d"),
        "n_per_point": (int(curves["n_sims"].max()), ",d"),
        "n_zero_surveys": (int(curves.loc[curves["effect_size"] == 0, "n_surveys"].min()), ",d"),
        "grid_n": (len(sizes), "d"),
        "grid_step": (float(sizes[1] - sizes[0]) if len(sizes) > 1 else 0.0, ".2f"),
        "grid_max": (grid_max, ".2f"),
        "target": (simulation.POWER_TARGET, ".0%"),
        "multiplier": (simulation.mde_multiplier(), ".1f"),
    }
    for t, rows in summary.groupby("platform_type"):
        rows = rows.set_index("term")
        coop = rows.loc[list(vocabulary.COLLABORATION), "mde"]
        low = coop.min() if coop.notna().any() else float("nan")
        high = coop.max() if coop.notna().all() else float("nan")
        activation = rows.at[vocabulary.MAIN_ACTIVATION[0], "mde"]
        out[f"n_{t}"] = (int(rows["n_obs"].iloc[0]), ",d")
        out[f"mde_{t}_coop_low"] = format_effect(low, lang, grid_max)
        out[f"mde_{t}_coop_high"] = format_effect(high, lang, grid_max)
        out[f"mde_{t}_activation"] = format_effect(activation, lang, grid_max)
    finite = summary.dropna(subset=["mde"])
    worst = curves.loc[curves["bias"].abs().idxmax()]
    out |= {
        "mde_gap": ((finite["mde"] - finite["mde_approx"]).abs().max(), ".2f"),
        "size_low": (summary["size"].min(), ".3f"),
        "size_high": (summary["size"].max(), ".3f"),
        "size_surveys": (int(summary["size_surveys"].min()), ",d"),
        "size_mc_se": (summary["size_mc_se"].max(), ".3f"),
        "cover_low": (curves["coverage"].min(), ".3f"),
        "cover_high": (curves["coverage"].max(), ".3f"),
        "bias_worst": (worst["bias"], ".3f"),
        "bias_worst_term": label(f"term.{worst['term']}", lang),
        "bias_worst_type": value_label("platform_type", worst["platform_type"], lang),
        "bias_worst_effect": (worst["effect_size"], ".2f"),
        "bias_worst_coverage": (worst["coverage"], ".3f"),
        "truth_low": (recovery["true_value"].min(), ".2f"),
        "truth_high": (recovery["true_value"].max(), ".2f"),
        "recovery_power_low": (recovery["power"].min(), ".0%"),
        "recovery_power_high": (recovery["power"].max(), ".0%"),
        "recovery_expected": (recovery["power"].sum(), ".1f"),
        "recovery_true": (int((recovery["true_value"] != 0).sum()), "d"),
        "recovery_cover_low": (recovery["coverage"].min(), ".3f"),
        "recovery_cover_high": (recovery["coverage"].max(), ".3f"),
    }
    return out


def _noise_numbers(calibration: simulation.Calibration) -> dict[str, Any]:
    return {
        "noise_factor": (calibration.factor, ".2f"),
        "noise_target": (math.sqrt(calibration.target), ".3f"),
        "noise_uncalibrated": (math.sqrt(calibration.uncalibrated), ".3f"),
    }


def _exercise_numbers(
    sample: simulation.SampleSize,
    scales: speccurve.ScaleComparison,
    precision: simulation.RatePrecision,
    n_registry: int,
    n_lg: int,
    lang: str,
) -> dict[str, Any]:
    if sample.needed > n_registry:
        verdict = "beyond"
    elif sample.needed > n_lg:
        verdict = "within"
    else:
        verdict = "already"
    low, high = precision.band
    return {
        "ex1_effect": (sample.effect, ".2f"),
        "ex1_n": (sample.n_obs, ",d"),
        "ex1_se": (sample.std_error, ".3f"),
        "ex1_mde": (sample.detectable, ".2f"),
        "ex1_needed": (sample.needed, ",d"),
        "ex1_verdict": label(f"power.ex1.{verdict}", lang),
        "ex2_ratio": (scales.ratio, ".1f"),
        "ex2_pairs": (scales.n_pairs, "d"),
        "ex2_sd": (scales.residual_sd, ".2f"),
        "ex2_logistic_sd": (speccurve.LOGISTIC_SD, ".2f"),
        "ex2_predicted": (scales.predicted, ".1f"),
        "ex3_n": (precision.n, ",d"),
        "ex3_other": (precision.other, ".3f"),
        "ex3_se": (precision.std_error, ".4f"),
        "ex3_band_low": (low, ".3f"),
        "ex3_band_high": (high, ".3f"),
        "ex3_needed": (precision.needed, ",d"),
    }


def numbers(
    frame: pd.DataFrame,
    registry: pd.DataFrame,
    specs: pd.DataFrame,
    curve: pd.DataFrame,
    sim: pd.DataFrame,
    sample: simulation.SampleSize,
    scales: speccurve.ScaleComparison,
    precision: simulation.RatePrecision,
    truth: pd.DataFrame | None,
    lang: str,
) -> dict[str, Any]:
    """Every number and phrase of the page's prose: ``{name: (value, format)}`` for numbers,
    ``{name: text}`` for words, in ``lang``.

    ``frame`` is :func:`speccurve.outcome_frame`'s frame, ``curve`` its specification curve
    over ``specs`` (:func:`speccurve.specifications`),
    ``sim`` its Monte Carlo study (:func:`simulation.simulate`), and ``sample``, ``scales`` and
    ``precision`` what the three exercises compute; ``truth`` the true effects
    (:func:`findings.true_values`, None for real data).
    """
    check_lang(lang)
    n_lg = frame["lg_code"].nunique()
    return {
        "alpha": (models.ALPHA, ".2f"),
        "n_registry": (len(registry), ",d"),
        "n_lg": (n_lg, ",d"),
        **_curve_numbers(frame, specs, curve, truth, lang),
        **_simulation_numbers(sim, lang),
        **_noise_numbers(simulation.chapter_calibration(frame, registry)),
        **_exercise_numbers(sample, scales, precision, len(registry), n_lg, lang),
    }
