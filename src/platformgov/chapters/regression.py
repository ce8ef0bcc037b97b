"""The regression chapter's views of many fits at once: checks, comparisons, diagnostics.

:mod:`platformgov.analysis.models` fits one specification at a time. This module fits the book's
robustness checks side by side, compares estimates with the paper's findings and — when the
data are synthetic — with the true effects the data were generated with, and builds the
diagnostic and teaching tables of the regression chapter. Functions named ``*_table`` return
a DataFrame with reader-facing labels; ``*_display`` wraps it in an accessible
:class:`platformgov.chapters.tables.Table` with its caption and note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from platformgov.analysis import models
from platformgov.analysis.measures import OUTCOMES
from platformgov.analysis.privacy import suppress_small_cells, unit_level_allowed
from platformgov.analysis.taxonomy import TYPE_CODES
from platformgov.chapters.tables import Table
from platformgov.labels import check_lang, label, value_label

#: The five predictors the study is about: activation (two) and collaboration (three).
KEY_TERMS = models.KEY_TERMS
#: The robustness checks of the chapter: name -> fields of :class:`models.Spec` to replace.
CHECKS: dict[str, dict[str, Any]] = {
    "main": {},
    "ologit": {"estimator": "ologit"},
    "count": {"activation": ("n_platforms", "diversity")},
    "basic": {"sample": "basic"},
}


def _one_per_model(results: Iterable[models.FitResult]) -> list[models.FitResult]:
    results = list(results)
    keys = [(r.spec.platform_type, r.spec.outcome) for r in results]
    if len(set(keys)) != len(keys):
        raise ValueError("pass at most one result per type × outcome")
    if not results:
        raise ValueError("no results")
    return results


# --- robustness checks ---------------------------------------------------------------------


def fit_checks(
    frame: pd.DataFrame, checks: Mapping[str, Mapping[str, Any]] = CHECKS
) -> dict[str, list[models.FitResult]]:
    """The main specification of every type × outcome under each check's overrides."""
    return {name: models.fit_main(frame, **dict(overrides)) for name, overrides in checks.items()}


def activation_term(results: Iterable[models.FitResult]) -> str:
    """The number-of-platforms measure the results use (the first activation term)."""
    terms = {r.spec.activation[0] for r in results if r.spec.activation}
    if len(terms) != 1:
        raise ValueError(f"the results use {len(terms)} different activation measures: {terms}")
    return terms.pop()


def findings_for(results: Iterable[models.FitResult]) -> tuple[models.Finding, ...]:
    """The paper's findings, with 'more platforms' read on the activation measure used.

    The paper reports that running more G2C platforms goes with better outcomes; in a check
    that measures activation by the raw count, that finding is about the count's coefficient.
    """
    measure = activation_term(results)
    main = models.MAIN_ACTIVATION[0]
    return tuple(replace(f, term=measure) if f.term == main else f for f in models.PAPER_FINDINGS)


@dataclass(frozen=True)
class Agreement:
    """Counts over the study's findings (see :func:`agreement`)."""

    n_findings: int
    n_agree: int
    n_disagree: int
    n_not_estimable: int
    n_same_sign: int
    n_opposite: int
    n_en_abstract: int
    n_agree_en_abstract: int


def agreement(comparison: pd.DataFrame) -> Agreement:
    """Count the findings of a :func:`models.compare_with_paper` frame.

    ``n_agree``: same sign as the paper and significant; ``n_disagree``: estimated but not
    agreeing; ``n_not_estimable``: the term was not estimated. ``n_same_sign`` counts estimates
    with the paper's sign whatever their p-value; ``n_opposite`` counts estimates significant
    with the opposite sign. The last two fields repeat the count of findings and of agreements
    for the findings that the English abstract reports too.
    """
    required = ("paper_sign", "estimate", "p_value", "agrees", "in_en_abstract")
    missing = [c for c in required if c not in comparison.columns]
    if missing:
        raise ValueError(f"the comparison lacks the column(s) {', '.join(missing)}")
    agrees = comparison["agrees"].astype("boolean")
    sign = comparison["paper_sign"].map({"+": 1, "-": -1})
    if sign.isna().any():
        raise ValueError("paper_sign must be '+' or '-'")
    own = np.sign(comparison["estimate"].astype(float))
    significant = comparison["p_value"].astype(float) < models.ALPHA
    en = comparison["in_en_abstract"].astype(bool)
    return Agreement(
        n_findings=len(comparison),
        n_agree=int(agrees.fillna(False).sum()),
        n_disagree=int((~agrees).fillna(False).sum()),
        n_not_estimable=int(agrees.isna().sum()),
        n_same_sign=int((own == sign).sum()),
        n_opposite=int(((own == -sign) & significant).sum()),
        n_en_abstract=int(en.sum()),
        n_agree_en_abstract=int(agrees[en].fillna(False).sum()),
    )


def key_coefficients(checks: Mapping[str, Iterable[models.FitResult]]) -> pd.DataFrame:
    """The five key predictors' coefficients under every check, one row per check × model × term.

    ``key_term`` names the predictor whatever its measure (the raw count is listed under
    ``log_n_platforms``, the main measure it replaces); ``statistic`` is estimate / standard
    error, the one number that compares across estimators and measurement scales.
    """
    frames = []
    for name, results in checks.items():
        results = _one_per_model(results)
        measure = activation_term(results)
        tidy = models.tidy(results)
        tidy = tidy[tidy["term"].isin({*KEY_TERMS, measure})].copy()
        tidy["key_term"] = tidy["term"].replace({measure: models.MAIN_ACTIVATION[0]})
        tidy.insert(0, "check", name)
        frames.append(tidy)
    out = pd.concat(frames, ignore_index=True)
    out["statistic"] = out["estimate"] / out["std_error"]
    return out


def check_summary_table(
    checks: Mapping[str, Iterable[models.FitResult]], lang: str
) -> pd.DataFrame:
    """One row per check: estimator, activation measure, sample, N and agreement with the paper."""
    check_lang(lang)
    rows = {}
    for name, results in checks.items():
        results = _one_per_model(results)
        spec = results[0].spec
        n = [r.n_obs for r in results]
        counts = agreement(models.compare_with_paper(results, findings_for(results)))
        rows[label(f"reg.check.{name}", lang)] = {
            label("reg.estimator", lang): label(f"estimator.{spec.estimator}", lang),
            label("reg.activation_measure", lang): label(f"term.{activation_term(results)}", lang),
            label("reg.sample", lang): label(f"sample.{spec.sample}", lang),
            label("reg.n_range", lang): f"{min(n)}–{max(n)}",
            label("reg.findings_agree", lang): f"{counts.n_agree} / {counts.n_findings}",
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("reg.check", lang)
    return out


def check_summary_display(checks: Mapping[str, Iterable[models.FitResult]], lang: str) -> Table:
    return Table(
        check_summary_table(checks, lang),
        caption=label("reg.caption.checks", lang),
        index_label=label("reg.check", lang),
        note=label("reg.note.checks", lang),
    )


# --- the paper and the truth ---------------------------------------------------------------


def true_values(source: str, params: Mapping | None = None) -> pd.DataFrame | None:
    """The synthetic process's true effects (``platform_type, outcome, term, true_value``).

    One row per type × outcome × term of the process (``synthetic.TERMS``), from ``params``
    (default: the parameter file); a term the file does not list has no effect (0), as in the
    process itself. ``None`` when ``source`` is not ``"synthetic"``: real data have no known
    true effects.
    """
    if source != "synthetic":
        return None
    from platformgov.inputs import synthetic

    params = synthetic.load_params() if params is None else params
    rows = [
        (t, o, term, synthetic.effect(params, t, o, term))
        for t in TYPE_CODES
        for o in OUTCOMES
        for term in synthetic.TERMS
    ]
    return pd.DataFrame(rows, columns=["platform_type", "outcome", "term", "true_value"])


def findings_built_in(
    truth: pd.DataFrame, findings: Iterable[models.Finding] = models.PAPER_FINDINGS
) -> int:
    """How many of ``findings`` the true effects contain: a true value of the finding's sign.

    ``truth`` is :func:`true_values`; a finding whose coefficient it does not list (or lists as
    zero) does not count.
    """
    value = truth.set_index(["platform_type", "outcome", "term"])["true_value"]
    return sum(
        int(np.sign(value.get((f.platform_type, f.outcome, f.term), 0.0)) == f.sign)
        for f in findings
    )


def truth_comparison(results: Iterable[models.FitResult], truth: pd.DataFrame) -> pd.DataFrame:
    """The key coefficients next to their true values, and whether the 95% interval covers them.

    One row per type × outcome × key term that has a true value in ``truth`` (:func:`true_values`
    lists every one); ``significant`` is p < ``models.ALPHA``; ``detected`` is significant with
    the true effect's sign (for a non-zero true effect), and ``false_positive`` is significant
    where the true effect is zero.
    """
    tidy = models.tidy(_one_per_model(results))
    tidy = tidy[tidy["term"].isin(KEY_TERMS)]
    out = tidy.merge(
        truth[["platform_type", "outcome", "term", "true_value"]],
        on=["platform_type", "outcome", "term"],
        how="inner",
        validate="one_to_one",
    )
    out["covers"] = (out["conf_low"] <= out["true_value"]) & (out["true_value"] <= out["conf_high"])
    out["significant"] = out["p_value"] < models.ALPHA
    same_sign = np.sign(out["estimate"]) == np.sign(out["true_value"])
    out["detected"] = out["significant"] & (out["true_value"] != 0) & same_sign
    out["false_positive"] = out["significant"] & (out["true_value"] == 0)
    return out.reset_index(drop=True)


def truth_counts(comparison: pd.DataFrame) -> dict[str, int]:
    """Counts of :func:`truth_comparison`: coverage, detected effects, false positives.

    ``n`` coefficients, ``covers`` (interval covers the true value), ``nonzero`` (a true
    effect), ``detected``, ``zero`` (no true effect) and ``false_positive``.
    """
    nonzero = comparison["true_value"] != 0
    return {
        "n": len(comparison),
        "covers": int(comparison["covers"].sum()),
        "nonzero": int(nonzero.sum()),
        "detected": int(comparison["detected"].sum()),
        "zero": int((~nonzero).sum()),
        "false_positive": int(comparison["false_positive"].sum()),
    }


def paper_table(
    comparison: pd.DataFrame,
    lang: str,
    truth: pd.DataFrame | None = None,
    platform_type: str | None = None,
) -> pd.DataFrame:
    """The findings of one type (or all), compact: one row per finding, headed by the term.

    Built from :func:`models.compare_table`: the outcome, our estimate with its stars and, on a
    second line, its 95% interval, and the agreement. The paper's direction is a column only
    when the findings differ in direction (the note says it otherwise), and the type only when
    ``platform_type`` is None. With ``truth`` (``platform_type, outcome, term, true_value``),
    the true value of each finding's coefficient and whether our interval covers it are added.
    """
    labelled = models.compare_table(comparison, lang)
    keep = np.ones(len(comparison), dtype=bool)
    if platform_type is not None:
        keep = (comparison["platform_type"] == platform_type).to_numpy()
        if not keep.any():
            raise ValueError(f"no findings for platform type {platform_type!r}")
    rows = comparison[keep].reset_index(drop=True)
    labelled = labelled[keep].reset_index(drop=True)
    estimate, interval = label("ui.estimate", lang), label("ui.conf_int", lang)
    out = pd.DataFrame(index=labelled[label("ui.term", lang)].to_list())
    out.index.name = label("ui.term", lang)
    if platform_type is None:
        out[label("platform_type", lang)] = labelled[label("platform_type", lang)].to_list()
    out[label("ui.outcome", lang)] = labelled[label("ui.outcome", lang)].to_list()
    if rows["paper_sign"].nunique() > 1:
        out[label("ui.paper_sign", lang)] = rows["paper_sign"].to_list()
    out[label("reg.estimate_ci", lang)] = [
        f"{e}\n{i}" if i else e for e, i in zip(labelled[estimate], labelled[interval], strict=True)
    ]
    out[label("ui.agrees", lang)] = labelled[label("ui.agrees", lang)].to_list()
    if truth is None:
        return out
    keys = ["platform_type", "outcome", "term"]
    merged = rows[[*keys, "conf_low", "conf_high"]].merge(
        truth[[*keys, "true_value"]], on=keys, how="left", validate="many_to_one"
    )
    value = merged["true_value"]
    covers = (merged["conf_low"] <= value) & (value <= merged["conf_high"])
    out[label("reg.true_value", lang)] = ["" if pd.isna(v) else f"{v:.2f}" for v in value]
    out[label("reg.covers_truth", lang)] = [
        "" if pd.isna(v) or not np.isfinite(low) else label(f"binary.{int(c)}", lang)
        for v, low, c in zip(value, merged["conf_low"], covers, strict=True)
    ]
    return out


def paper_display(
    comparison: pd.DataFrame,
    lang: str,
    truth: pd.DataFrame | None = None,
    platform_type: str | None = None,
) -> Table:
    """:func:`paper_table` with its caption and a note on how agreement is judged."""
    rows = comparison
    if platform_type is not None:
        rows = comparison[comparison["platform_type"] == platform_type]
    parts = [label("reg.note.paper", lang), label("note.stars", lang) + "."]
    if set(rows["paper_sign"]) == {"+"}:
        parts.append(label("reg.note.all_positive", lang))
    ko_only = int((~rows["in_en_abstract"]).sum())
    if ko_only:
        parts.append(label("reg.note.ko_abstract_only", lang).format(n=ko_only))
    if truth is not None:
        parts.append(label("reg.note.true_value", lang))
    caption = label("reg.caption.paper", lang)
    if platform_type is not None:
        caption = f"{value_label('platform_type', platform_type, lang)}: {caption}"
    return Table(
        paper_table(comparison, lang, truth, platform_type),
        caption=caption,
        index_label=label("ui.term", lang),
        note=" ".join(parts),
    )


# --- tables of the main models -------------------------------------------------------------


def coefficient_display(
    results: Iterable[models.FitResult], platform_type: str, lang: str
) -> Table:
    """One type's side-by-side coefficient table (:func:`models.coefficient_table`)."""
    chosen = [r for r in results if r.spec.platform_type == platform_type]
    frame = models.coefficient_table(chosen, lang, platform_type=platform_type)
    notes = [models.table_note(chosen, lang)]
    for r in chosen:
        for text in r.notes_text(lang):
            notes.append(f"{label(f'outcome.{r.spec.outcome}', lang)} — {text}.")
    caption = label("reg.caption.coef", lang).format(
        type=value_label("platform_type", platform_type, lang),
        estimator=label(f"estimator.{chosen[0].spec.estimator}", lang),
    )
    return Table(
        frame,
        caption=caption,
        index_label=label("ui.term", lang),
        footer_rows=2,
        note=" ".join(notes),
    )


def vif_table(results: Iterable[models.FitResult], lang: str) -> pd.DataFrame:
    """The largest VIF of each regressor across each type's outcome models, one column per type.

    The four models of a type share their regressors and differ only where an outcome is
    missing, so their VIFs barely differ; the largest is shown.
    """
    check_lang(lang)
    results = _one_per_model(results)
    per_type: dict[str, pd.Series] = {}
    terms: list[str] = []
    for t in TYPE_CODES:
        fits = [r for r in results if r.spec.platform_type == t]
        if not fits:
            continue
        values = pd.concat([models.vif(r).set_index("term")["vif"] for r in fits], axis=1)
        per_type[t] = values.max(axis=1)
        terms += [x for x in values.index if x not in terms]
    out = pd.DataFrame(
        {
            value_label("platform_type", t, lang): [s.get(x, np.nan) for x in terms]
            for t, s in per_type.items()
        },
        index=[label(f"term.{x}", lang) for x in terms],
    )
    out.index.name = label("ui.term", lang)
    return out


def vif_display(results: Iterable[models.FitResult], lang: str) -> Table:
    return Table(
        vif_table(results, lang),
        caption=label("reg.caption.vif", lang),
        index_label=label("ui.term", lang),
        note=label("reg.note.vif", lang),
        digits=2,
    )


def largest_vif(results: Iterable[models.FitResult]) -> tuple[str, str, float]:
    """``(platform_type, term, vif)`` of the largest VIF over all models."""
    rows = [
        (r.spec.platform_type, row.term, float(row.vif))
        for r in _one_per_model(results)
        for row in models.vif(r).itertuples(index=False)
    ]
    return max(rows, key=lambda x: x[2])


# --- teaching: standard errors, a control left out, coop_metro by level ----------------------


def standard_errors(result: models.FitResult) -> pd.DataFrame:
    """Classical and HC3 standard errors of an OLS fit, term by term, and their ratio.

    Classical: ``s² (X'X)⁻¹`` with ``s² = RSS / (n - k)``, valid when every observation has the
    same error variance. HC3 (what the book reports): ``(X'X)⁻¹ X' diag(e²ᵢ / (1 - hᵢ)²) X
    (X'X)⁻¹``, valid under any pattern of error variances and cautious with high-leverage rows.
    """
    if result.spec.estimator != "ols":
        raise ValueError("classical and HC3 standard errors are compared for OLS fits only")
    x = result.design.to_numpy(dtype=float)
    resid = models.residual_data(result)["residual"].to_numpy()
    n, k = x.shape
    xtx_inv = np.linalg.pinv(x.T @ x)
    classical = np.sqrt(np.diag(xtx_inv) * (resid @ resid) / (n - k))
    hc3 = result.coefficients.set_index("term")["std_error"].reindex(result.design.columns)
    out = pd.DataFrame(
        {
            "term": list(result.design.columns),
            "se_classical": classical,
            "se_hc3": hc3.to_numpy(dtype=float),
        }
    )
    out["ratio"] = out["se_hc3"] / out["se_classical"]
    return out


def standard_error_display(result: models.FitResult, lang: str) -> Table:
    se = standard_errors(result)
    frame = pd.DataFrame(
        {
            label("reg.se_classical", lang): se["se_classical"].to_numpy(),
            label("reg.se_hc3", lang): se["se_hc3"].to_numpy(),
            label("reg.se_ratio", lang): se["ratio"].to_numpy(),
        },
        index=[label(f"term.{t}", lang) for t in se["term"]],
    )
    caption = label("reg.caption.se", lang).format(
        type=value_label("platform_type", result.spec.platform_type, lang),
        outcome=label(f"outcome.{result.spec.outcome}", lang),
    )
    return Table(frame, caption=caption, index_label=label("ui.term", lang))


def refit_without(frame: pd.DataFrame, spec: models.Spec, term: str) -> models.FitResult:
    """Fit ``spec`` again with ``term`` left out of whichever group of regressors holds it."""
    if term not in spec.terms:
        raise ValueError(f"{term!r} is not a term of {spec}")
    groups = {
        g: tuple(t for t in getattr(spec, g) if t != term)
        for g in ("activation", "collaboration", "controls")
    }
    return models.fit(frame, replace(spec, **groups))


def shift_table(
    full: models.FitResult,
    reduced: models.FitResult,
    lang: str,
    terms: Iterable[str] = KEY_TERMS,
) -> pd.DataFrame:
    """Estimates of ``terms`` in two fits side by side, and the change from ``full``."""
    check_lang(lang)
    a = full.coefficients.set_index("term")["estimate"]
    b = reduced.coefficients.set_index("term")["estimate"]
    terms = [t for t in terms if t in a.index and t in b.index]
    out = pd.DataFrame(
        {
            label("reg.full_model", lang): a[terms].to_numpy(),
            label("reg.reduced_model", lang): b[terms].to_numpy(),
            label("reg.difference", lang): (b[terms] - a[terms]).to_numpy(),
        },
        index=[label(f"term.{t}", lang) for t in terms],
    )
    out.index.name = label("ui.term", lang)
    return out


def shift_display(
    full: models.FitResult, reduced: models.FitResult, dropped: str, lang: str
) -> Table:
    caption = label("reg.caption.shift", lang).format(
        type=value_label("platform_type", full.spec.platform_type, lang),
        outcome=label(f"outcome.{full.spec.outcome}", lang),
        term=label(f"term.{dropped}", lang),
    )
    return Table(
        shift_table(full, reduced, lang), caption=caption, index_label=label("ui.term", lang)
    )


def coop_metro_by_level(frame: pd.DataFrame, lang: str, source: str) -> pd.DataFrame:
    """Rows per type × level and the share of them run with the 광역 government.

    With real data, cells over fewer than :data:`platformgov.analysis.privacy.MIN_CELL` governments are
    blanked.
    """
    check_lang(lang)
    rows = []
    for t in TYPE_CODES:
        sub = frame[frame["platform_type"] == t]
        for level, is_metro in (("metro", 1), ("basic", 0)):
            part = sub[sub["level_metro"] == is_metro]
            rows.append(
                {
                    "row": f"{value_label('platform_type', t, lang)} · "
                    f"{value_label('level', level, lang)}",
                    "n": len(part),
                    "share": float(part["coop_metro"].mean()) if len(part) else np.nan,
                }
            )
    out = pd.DataFrame(rows).set_index("row")
    if not unit_level_allowed(source):
        out = suppress_small_cells(out, "n")
    out = out.rename(
        columns={"n": label("ui.count", lang), "share": label("reg.share_coop_metro", lang)}
    )
    out.index.name = label("reg.group", lang)
    return out


def coop_metro_display(frame: pd.DataFrame, lang: str, source: str) -> Table:
    return Table(
        coop_metro_by_level(frame, lang, source),
        caption=label("reg.caption.coop_metro", lang),
        index_label=label("reg.group", lang),
    )


def r_squared_range(results: Iterable[models.FitResult]) -> tuple[float, float]:
    values = [r.r_squared for r in results]
    return min(values), max(values)


# --- numbers for the prose -------------------------------------------------------------------

TRUTH_NUMBERS = (
    "n_true",
    "n_key",
    "n_cover",
    "expected_cover",
    "n_nonzero",
    "n_detected",
    "n_zero",
    "n_false_positive",
    "expected_false_positive",
)


def chapter_numbers(
    frame: pd.DataFrame,
    checks: Mapping[str, list[models.FitResult]],
    truth: pd.DataFrame | None,
    lang: str,
) -> dict[str, tuple[Any, str]]:
    """Every number the regression chapter's prose quotes: ``name -> (value, format spec)``.

    ``checks`` is :func:`fit_checks` (its ``"main"`` entry holds the main models) and ``truth``
    :func:`true_values`. Without ``truth`` (real data) the numbers about the truth are the
    label ``reg.not_applicable``.
    """
    from platformgov.analysis.export import coefficients_table

    check_lang(lang)
    main = checks["main"]
    comparison = models.compare_with_paper(main)
    out: dict[str, tuple[Any, str]] = {}
    for t in TYPE_CODES:
        fits = [r for r in main if r.spec.platform_type == t]
        key = models.tidy(fits)
        key = key[key["term"].isin(KEY_TERMS)]
        out[f"n_{t}"] = (int((frame["platform_type"] == t).sum()), ",d")
        out[f"sig_{t}"] = (int((key["p_value"] < models.ALPHA).sum()), "d")
        out[f"key_{t}"] = (len(key), "d")
    out["n_lg"] = (int(frame["lg_code"].nunique()), ",d")
    out["n_params"] = (max(len(r.design.columns) for r in main), "d")
    low, high = r_squared_range(main)
    out["r2_low"], out["r2_high"] = (low, ".2f"), (high, ".2f")

    counts = agreement(comparison)
    out["n_agree"], out["n_findings"] = (counts.n_agree, "d"), (counts.n_findings, "d")
    for t in sorted(set(comparison["platform_type"])):
        part = agreement(comparison[comparison["platform_type"] == t])
        out[f"agree_{t}"], out[f"findings_{t}"] = (part.n_agree, "d"), (part.n_findings, "d")
    activation = comparison["term"].isin(models.MAIN_ACTIVATION)
    out["n_activation_findings"] = (int(activation.sum()), "d")
    out["n_coop_findings"] = (int(comparison["term"].isin(models.MAIN_COLLABORATION).sum()), "d")
    out["n_ko_only"] = (int((~comparison["in_en_abstract"]).sum()), "d")

    agree = [
        agreement(models.compare_with_paper(fits, findings_for(fits))).n_agree
        for fits in checks.values()
    ]
    out["agree_min"], out["agree_max"] = (min(agree), "d"), (max(agree), "d")

    vif_type, vif_term, vif_value = largest_vif(main)
    out["vif_max"] = (vif_value, ".1f")
    out["vif_term"] = (label(f"term.{vif_term}", lang), "")
    out["vif_type"] = (value_label("platform_type", vif_type, lang), "")
    out["n_coef_rows"] = (len(coefficients_table(main)), ",d")
    out["n_models"] = (len(main), "d")

    if truth is None:
        na = label("reg.not_applicable", lang)
        out.update({name: (na, "") for name in TRUTH_NUMBERS})
        return out
    tc = truth_counts(truth_comparison(main, truth))
    out["n_true"] = (findings_built_in(truth), "d")
    out["n_key"] = (tc["n"], "d")
    out["n_cover"] = (tc["covers"], "d")
    out["expected_cover"] = ((1 - models.ALPHA) * tc["n"], ".0f")
    out["n_nonzero"] = (tc["nonzero"], "d")
    out["n_detected"] = (tc["detected"], "d")
    out["n_zero"] = (tc["zero"], "d")
    out["n_false_positive"] = (tc["false_positive"], "d")
    out["expected_false_positive"] = (models.ALPHA * tc["zero"], ".1f")
    return out
