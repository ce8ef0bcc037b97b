"""What the regression chapter finds, as numbers: the main model and its checks, agreement
with the paper's findings, and, on synthetic data, the comparison with the true effects.

Everything here returns frames and numbers; :mod:`platformgov.chapters.regression` and
:mod:`platformgov.chapters.discussion` turn them into the pages' tables and sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from platformgov import vocabulary
from platformgov.analysis import models
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

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
    main = vocabulary.MAIN_ACTIVATION[0]
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
        tidy = tidy[tidy["term"].isin({*models.KEY_TERMS, measure})].copy()
        tidy["key_term"] = tidy["term"].replace({measure: vocabulary.MAIN_ACTIVATION[0]})
        tidy.insert(0, "check", name)
        frames.append(tidy)
    out = pd.concat(frames, ignore_index=True)
    out["statistic"] = out["estimate"] / out["std_error"]
    return out


def true_values(kind: str, params: Mapping | None = None) -> pd.DataFrame | None:
    """The synthetic process's true effects (``platform_type, outcome, term, true_value``).

    One row per type × outcome × term of the process (``synthetic.TERMS``), from ``params``
    (default: the parameter file); a term the file does not list has no effect (0), as in the
    process itself. ``None`` when ``source`` is not ``"synthetic"``: real data have no known
    true effects.
    """
    if kind != "synthetic":
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


def truth_comparison(
    results: Iterable[models.FitResult], truth: pd.DataFrame | None
) -> pd.DataFrame | None:
    """The key coefficients next to their true values, and whether the 95% interval covers them.

    One row per type × outcome × key term that has a true value in ``truth`` (:func:`true_values`
    lists every one); ``significant`` is p < ``models.ALPHA``; ``detected`` is significant with
    the true effect's sign (for a non-zero true effect), and ``false_positive`` is significant
    where the true effect is zero. ``None`` when ``truth`` is (real data).
    """
    if truth is None:
        return None
    tidy = models.tidy(_one_per_model(results))
    tidy = tidy[tidy["term"].isin(models.KEY_TERMS)]
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


def largest_vif(results: Iterable[models.FitResult]) -> tuple[str, str, float]:
    """``(platform_type, term, vif)`` of the largest VIF over all models."""
    rows = [
        (r.spec.platform_type, row.term, float(row.vif))
        for r in _one_per_model(results)
        for row in models.vif(r).itertuples(index=False)
    ]
    return max(rows, key=lambda x: x[2])


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


def refit_without(frame: pd.DataFrame, spec: models.Spec, term: str) -> models.FitResult:
    """Fit ``spec`` again with ``term`` left out of whichever group of regressors holds it."""
    if term not in spec.terms:
        raise ValueError(f"{term!r} is not a term of {spec}")
    groups = {
        g: tuple(t for t in getattr(spec, g) if t != term)
        for g in ("activation", "collaboration", "controls")
    }
    return models.fit(frame, replace(spec, **groups))


def r_squared_range(results: Iterable[models.FitResult]) -> tuple[float, float]:
    values = [r.r_squared for r in results]
    return min(values), max(values)


def type_numbers(frame: pd.DataFrame, results: Iterable[models.FitResult]) -> pd.DataFrame:
    """What the text says about each type's models, one row per type in :data:`TYPE_CODES`.

    ``n_rows`` (rows of the type in ``frame``), ``n_key`` and ``n_significant`` (key
    coefficients estimated, and of those p < ``models.ALPHA``), ``n_params`` (parameters of
    its largest model) and ``key_se`` (the median standard error of its key coefficients).
    Types without results are left out.
    """
    results = _one_per_model(results)
    rows = []
    for t in TYPE_CODES:
        fits = [r for r in results if r.spec.platform_type == t]
        if not fits:
            continue
        key = models.tidy(fits)
        key = key[key["term"].isin(models.KEY_TERMS)]
        rows.append(
            {
                "platform_type": t,
                "n_rows": int((frame["platform_type"] == t).sum()),
                "n_key": len(key),
                "n_significant": int((key["p_value"] < models.ALPHA).sum()),
                "n_params": max(len(r.design.columns) for r in fits),
                "key_se": float(key["std_error"].median()),
            }
        )
    return pd.DataFrame(rows)
