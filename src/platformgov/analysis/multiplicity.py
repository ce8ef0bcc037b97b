"""Many tests at once: p-values adjusted for multiplicity, and activation tested jointly.

The main models estimate :data:`models.KEY_TERMS` for every type × outcome. Two corrections
are reported beside the unadjusted p-values (:func:`adjusted_p_values`):

Holm, within each type's family
    The family of a type is its key predictors × outcomes. Holm's step-down procedure keeps
    the chance of any false rejection in the family at most ``models.ALPHA``, whatever the
    dependence between the tests.
Benjamini–Hochberg, across all key coefficients
    The q-values of the step-up procedure keep the expected share of false rejections among all
    rejections at most ``models.ALPHA`` (under independence or positive dependence).

The number of platforms and their diversity move together, so their coefficients are hard to
tell apart one at a time. :func:`activation_joint` tests them together (a Wald test with the
models' HC3 covariance) and estimates one effect that needs both: one more platform in a new
domain, at the type's median number of platforms.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from platformgov.analysis import models
from platformgov.vocabulary import MAIN_ACTIVATION

#: The grouping that forms one Holm family: one platform type's key coefficients.
HOLM_FAMILY = ("platform_type",)


def _adjust(p: pd.Series, method: str) -> pd.Series:
    """``multipletests`` over the finite p-values of ``p``; missing ones stay missing."""
    out = pd.Series(np.nan, index=p.index, dtype=float)
    finite = np.isfinite(p.to_numpy(dtype=float))
    if finite.any():
        out[finite] = multipletests(p[finite].to_numpy(dtype=float), method=method)[1]
    return out


def adjust(
    tidy: pd.DataFrame, family: Iterable[str] = HOLM_FAMILY, p_column: str = "p_value"
) -> pd.DataFrame:
    """``tidy`` with ``p_holm`` (Holm within each ``family`` group) and ``q_bh`` (BH over all).

    Rows with a missing p-value are left out of every family and get missing adjusted values.
    """
    family = list(family)
    out = tidy.copy()
    p = out[p_column].astype(float)
    out["p_holm"] = p.groupby([out[c] for c in family], sort=False).transform(
        lambda group: _adjust(group, "holm")
    )
    out["q_bh"] = _adjust(p, "fdr_bh")
    return out


def adjusted_p_values(results: Iterable[models.FitResult]) -> pd.DataFrame:
    """The key coefficients of ``results`` with their Holm and BH adjusted p-values.

    One row per type × outcome × key term (the columns of :meth:`models.FitResult.tidy`, plus
    ``p_holm`` and ``q_bh``); ``results`` holds one result per type × outcome.
    """
    results = list(results)
    keys = [(r.spec.platform_type, r.spec.outcome) for r in results]
    if len(set(keys)) != len(keys):
        raise ValueError("pass at most one result per type × outcome")
    tidy = models.tidy(results)
    tidy = tidy[tidy["term"].isin(models.KEY_TERMS)].reset_index(drop=True)
    return adjust(tidy)


def with_adjusted(comparison: pd.DataFrame, adjusted: pd.DataFrame) -> pd.DataFrame:
    """A :func:`models.compare_with_paper` frame with each finding's ``p_holm`` and ``q_bh``,
    and whether it still agrees after each correction (``agrees_holm``, ``agrees_bh``)."""
    keys = ["platform_type", "outcome", "term"]
    out = comparison.merge(
        adjusted[[*keys, "p_holm", "q_bh"]], on=keys, how="left", validate="many_to_one"
    )
    sign = out["paper_sign"].map({"+": 1, "-": -1})
    same = np.sign(out["estimate"].astype(float)) == sign
    for column, name in (("p_holm", "agrees_holm"), ("q_bh", "agrees_bh")):
        value = out[column].astype(float)
        agrees = pd.array(same & (value < models.ALPHA), dtype="boolean")
        agrees[~np.isfinite(value.to_numpy())] = pd.NA
        out[name] = agrees
    return out


def median_count(frame: pd.DataFrame, platform_type: str) -> float:
    """The median number of platforms among ``frame``'s rows of a type that run at least one."""
    n = frame.loc[frame["platform_type"] == platform_type, "n_platforms"].astype(float)
    n = n[n > 0]
    if n.empty:
        raise ValueError(f"no rows of type {platform_type!r} run a platform")
    return float(n.median())


def new_domain_weights(terms: Iterable[str], count: float) -> np.ndarray:
    """Weights on ``terms`` for one more platform in a new domain at ``count`` platforms.

    The log count rises by ln(count + 1) − ln(count) and diversity by one; every other term
    gets weight 0.
    """
    log_term, diversity_term = MAIN_ACTIVATION
    weights = {log_term: np.log1p(1 / count), diversity_term: 1.0}
    terms = list(terms)
    missing = [t for t in weights if t not in terms]
    if missing:
        raise ValueError(f"the terms lack {', '.join(missing)}")
    return np.array([weights.get(t, 0.0) for t in terms])


def activation_joint(frame: pd.DataFrame, results: Iterable[models.FitResult]) -> pd.DataFrame:
    """Activation tested jointly in each OLS model of ``results``, one row per type × outcome.

    ``wald_chi2``, ``wald_df`` and ``wald_p``: the Wald test that the log count and diversity
    coefficients are both zero, with the model's HC3 covariance (χ² with 2 degrees of freedom).
    ``median_count`` is the type's median number of platforms (:func:`median_count`);
    ``estimate``, ``std_error``, ``p_value``, ``conf_low`` and ``conf_high`` (95%, t with the
    model's residual degrees of freedom, as the coefficients) belong to the effect of one more
    platform in a new domain there (:func:`new_domain_weights`). Both activation terms must be
    estimated; a fit whose HC3 errors are undefined (leverage one) gets missing values.
    """
    rows = []
    for r in results:
        if r.spec.estimator != "ols":
            raise ValueError("activation is tested jointly for OLS fits only")
        count = median_count(frame, r.spec.platform_type)
        terms = list(r.design.columns)
        weights = new_domain_weights(terms, count)
        restrictions = np.zeros((len(MAIN_ACTIVATION), len(terms)))
        for i, t in enumerate(MAIN_ACTIVATION):
            restrictions[i, terms.index(t)] = 1.0
        row = {
            "platform_type": r.spec.platform_type,
            "outcome": r.spec.outcome,
            "n_obs": r.n_obs,
            "median_count": count,
            "wald_df": len(MAIN_ACTIVATION),
        }
        if any(n.reason == "leverage_one" for n in r.notes):
            row.update(dict.fromkeys(("wald_chi2", "wald_p", *_EFFECT), np.nan))
        else:
            wald = r.model.wald_test(restrictions, use_f=False, scalar=True)
            effect = r.model.t_test(weights)
            low, high = np.asarray(effect.conf_int(alpha=models.ALPHA)).ravel()
            row.update(
                {
                    "wald_chi2": float(wald.statistic),
                    "wald_p": float(wald.pvalue),
                    "estimate": float(np.ravel(effect.effect)[0]),
                    "std_error": float(np.ravel(effect.sd)[0]),
                    "p_value": float(np.ravel(effect.pvalue)[0]),
                    "conf_low": float(low),
                    "conf_high": float(high),
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)


_EFFECT = ("estimate", "std_error", "p_value", "conf_low", "conf_high")
