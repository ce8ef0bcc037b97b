"""Regression models of perceived performance: OLS with HC3, ordered logit, diagnostics.

The main model, fitted separately for each platform type and each outcome, is

    outcome ~ log_n_platforms + diversity + coop_central + coop_metro + coop_private
              + level_metro + kind_gun + kind_gu + log_population + share_basic_pension
              + capital_region

over the analysis-frame rows of that type, with listwise deletion of rows missing the outcome
or any regressor. The paper does not report its estimator, controls or standard errors; these
are our choices, and :class:`Spec` lets the book vary each of them. Activation enters as the
log of the number of operating platforms of the type (our choice: counts run from 1 to several
dozen, and one more platform plausibly matters more to a government running two than to one
running thirty); the raw count is a robustness check.

OLS
    Fitted from an explicit design matrix whose columns are ``Intercept`` and the term names,
    so that the tables and the replication export name terms identically. Standard errors are
    HC3; p-values and confidence intervals use the t distribution with ``n - k`` degrees of
    freedom, as R's ``lmtest::coeftest(m, sandwich::vcovHC(m, "HC3"))`` and Stata's
    ``regress …, vce(hc3)`` do.
Ordered logit (robustness)
    Fitted to the **sum score** of the outcome's items (:func:`ordinal_score`: 3–15 for three
    items; a single item is its own score), so that each local government × type contributes
    one ordered answer that keeps all the information of its items, as in the OLS models.
    Modelling the item scores instead would count every respondent three times and need
    standard errors clustered by respondent. The thresholds replace the intercept and
    are not reported as terms; standard errors are robust (sandwich, HC0) and p-values use the
    normal distribution. ``r_squared`` holds McFadden's pseudo R².
Degenerate designs
    A regressor that does not vary in the estimation sample (e.g. ``level_metro`` when only
    basic governments are kept) is dropped and recorded as a note with reason ``constant``; a
    regressor that is an exact linear combination of the intercept and the terms before it is
    dropped with reason ``collinear``. An observation with leverage 1 makes HC3 undefined: the
    fit goes ahead and the note ``leverage_one`` says why the standard errors are missing.
    Too few observations for the remaining parameters raise :class:`ModelError`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from platformgov import vocabulary
from platformgov.vocabulary import COLLABORATION, CONTROLS, MAIN_ACTIVATION, OUTCOMES, TYPE_CODES

INTERCEPT = "Intercept"
#: Every term of the main model: activation, collaboration and the controls.
MAIN_TERMS = (*MAIN_ACTIVATION, *COLLABORATION, *CONTROLS)
#: The predictors the study is about: activation and collaboration (not the controls).
KEY_TERMS = (*MAIN_ACTIVATION, *COLLABORATION)
ESTIMATORS = ("ols", "ologit")
NOTE_REASONS = ("constant", "collinear", "leverage_one", "not_converged")
#: Named samples: which rows of one type's analysis frame a model uses.
SAMPLES: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "all": lambda f: pd.Series(True, index=f.index),
    "basic": lambda f: f["level_metro"] == 0,
}
#: Significance stars: (threshold, stars), the first threshold p falls under wins.
STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"))
ALPHA = 0.05
_RANK_TOL = 1e-9
_LEVERAGE_TOL = 1e-10


class ModelError(ValueError):
    """A model cannot be estimated (unknown column, no rows, too few observations …)."""


@dataclass(frozen=True)
class Spec:
    """One model: which type's rows, which outcome, which regressors, estimator and sample.

    ``activation``, ``collaboration`` and ``controls`` are column names of the analysis frame;
    the terms of the model are the three in that order. ``sample`` names an entry of
    :data:`SAMPLES`.
    """

    platform_type: str
    outcome: str
    activation: tuple[str, ...] = MAIN_ACTIVATION
    collaboration: tuple[str, ...] = COLLABORATION
    controls: tuple[str, ...] = CONTROLS
    estimator: str = "ols"
    sample: str = "all"

    def __post_init__(self) -> None:
        for name in ("activation", "collaboration", "controls"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.platform_type not in TYPE_CODES:
            raise ValueError(
                f"unknown platform type {self.platform_type!r}; allowed: {', '.join(TYPE_CODES)}"
            )
        if self.estimator not in ESTIMATORS:
            raise ValueError(
                f"unknown estimator {self.estimator!r}; allowed: {', '.join(ESTIMATORS)}"
            )
        if self.sample not in SAMPLES:
            raise ValueError(f"unknown sample {self.sample!r}; allowed: {', '.join(SAMPLES)}")
        terms = self.terms
        if len(set(terms)) != len(terms):
            raise ValueError(f"a term appears twice in {terms}")
        if INTERCEPT in terms or self.outcome in terms:
            raise ValueError(f"the terms {terms} may not include {INTERCEPT} or the outcome")

    @property
    def terms(self) -> tuple[str, ...]:
        return (*self.activation, *self.collaboration, *self.controls)


@dataclass(frozen=True)
class Note:
    """Something the reader must know about a fit: a dropped term or undefined errors."""

    reason: str
    term: str = ""

    def __str__(self) -> str:
        return f"{self.term}: {self.reason}" if self.term else self.reason


@dataclass
class FitResult:
    """A fitted model in tidy form, with what the diagnostics need.

    ``coefficients`` has one row per estimated term: ``term, estimate, std_error, p_value,
    conf_low, conf_high`` (95% interval). ``dropped`` lists terms left out of the design, and
    ``notes`` every note (dropped terms included). ``design`` is the design matrix actually
    used (with ``Intercept`` for OLS), ``endog`` the outcome, ``lg_code`` the rows' codes.
    """

    spec: Spec
    coefficients: pd.DataFrame
    n_obs: int
    r_squared: float
    notes: tuple[Note, ...]
    design: pd.DataFrame
    endog: pd.Series
    lg_code: pd.Series
    model: Any = field(repr=False, default=None)

    @property
    def dropped(self) -> tuple[str, ...]:
        return tuple(n.term for n in self.notes if n.reason in ("constant", "collinear"))

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self.coefficients["term"])

    def term(self, name: str) -> pd.Series:
        """The coefficient row of one term (``KeyError`` if it was not estimated)."""
        rows = self.coefficients[self.coefficients["term"] == name]
        if rows.empty:
            raise KeyError(f"{name!r} was not estimated in {self.spec}")
        return rows.iloc[0]

    def tidy(self) -> pd.DataFrame:
        """Coefficients with the spec's identifiers, ``n_obs`` and ``r_squared`` on every row."""
        out = self.coefficients.copy()
        out.insert(0, "platform_type", self.spec.platform_type)
        out.insert(1, "outcome", self.spec.outcome)
        out.insert(2, "estimator", self.spec.estimator)
        out.insert(3, "sample", self.spec.sample)
        out["n_obs"] = self.n_obs
        out["r_squared"] = self.r_squared
        return out


def _estimation_data(frame: pd.DataFrame, spec: Spec) -> pd.DataFrame:
    needed = ["lg_code", "platform_type", spec.outcome, *spec.terms]
    if spec.sample != "all":
        needed.append("level_metro")
    missing = [c for c in dict.fromkeys(needed) if c not in frame.columns]
    if missing:
        raise ModelError(f"the analysis frame lacks the column(s) {', '.join(missing)}")
    rows = frame[frame["platform_type"] == spec.platform_type]
    rows = rows[SAMPLES[spec.sample](rows).astype(bool)]
    data = rows[["lg_code", spec.outcome, *spec.terms]].copy()
    for c in (spec.outcome, *spec.terms):
        data[c] = pd.to_numeric(data[c], errors="raise").astype("float64")
    data = data.dropna(subset=[spec.outcome, *spec.terms])
    if data.empty:
        raise ModelError(f"no complete rows for {spec}")
    return data


def _prune(x: pd.DataFrame, terms: Sequence[str]) -> tuple[list[str], list[Note]]:
    """Terms kept in order, and notes for terms dropped as constant or collinear."""
    kept: list[str] = []
    notes: list[Note] = []
    basis = np.ones((len(x), 1))
    rank = 1
    for t in terms:
        col = x[t].to_numpy()
        if np.ptp(col) == 0:
            notes.append(Note("constant", t))
            continue
        trial = np.column_stack([basis, col])
        scale = np.abs(trial).max(axis=0)
        new_rank = np.linalg.matrix_rank(trial / scale, tol=_RANK_TOL * len(x))
        if new_rank <= rank:
            notes.append(Note("collinear", t))
            continue
        basis, rank = trial, new_rank
        kept.append(t)
    return kept, notes


def _tidy_frame(
    terms: Sequence[str],
    estimate: np.ndarray,
    se: np.ndarray,
    p: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": list(terms),
            "estimate": np.asarray(estimate, dtype=float),
            "std_error": np.asarray(se, dtype=float),
            "p_value": np.asarray(p, dtype=float),
            "conf_low": np.asarray(low, dtype=float),
            "conf_high": np.asarray(high, dtype=float),
        }
    )


def leverage(design: pd.DataFrame | np.ndarray) -> np.ndarray:
    """Diagonal of the hat matrix X (X'X)⁻¹ X'."""
    x = np.asarray(design, dtype=float)
    q, _ = np.linalg.qr(x)
    return (q**2).sum(axis=1)


def _fit_ols(y: pd.Series, x: pd.DataFrame, notes: list[Note]) -> tuple[pd.DataFrame, float, Any]:
    h = leverage(x)
    if (h > 1 - _LEVERAGE_TOL).any():
        notes.append(Note("leverage_one"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sm.OLS(y, x).fit(cov_type="HC3", use_t=True)
    ci = np.asarray(res.conf_int(alpha=ALPHA))
    se = np.asarray(res.bse, dtype=float)
    p = np.asarray(res.pvalues, dtype=float)
    if (h > 1 - _LEVERAGE_TOL).any():
        se = np.full(len(x.columns), np.nan)
        p = np.full(len(x.columns), np.nan)
        ci = np.full((len(x.columns), 2), np.nan)
    coefs = _tidy_frame(x.columns, res.params, se, p, ci[:, 0], ci[:, 1])
    return coefs, float(res.rsquared), res


def ordinal_score(values: pd.Series | np.ndarray, outcome: str) -> np.ndarray:
    """The ordered answer an ordered logit models: the sum score of ``outcome``'s items.

    A scale is the mean of its answered items (:mod:`platformgov.analysis.measures`), so the
    sum is the mean times the number of items (3–15 for three items). Where an item is blank
    this is the prorated sum, rounded to the nearest whole point with halves up (a mean of 4.5
    over two answered items gives 13.5 → 14). An outcome that is not a scale (a single item)
    is its own score. Missing values stay missing.
    """
    n_items = len(vocabulary.OUTCOME_ITEMS.get(outcome, ("item",)))
    return np.floor(np.asarray(values, dtype=float) * n_items + 0.5)


@cache
def _ordered_logit() -> type:
    """statsmodels' ordered logit with the logistic cdf from ``scipy.special`` and an exact score.

    The same model and estimates as ``OrderedModel(..., distr="logit")``, about ten times
    faster: statsmodels evaluates the logistic cdf through ``scipy.stats`` (slow per call) and
    differentiates the likelihood numerically. Here the score is exact and the Hessian is the
    numerical derivative of the exact score.
    """
    from scipy.special import expit
    from statsmodels.miscmodels.ordinal_model import OrderedModel
    from statsmodels.tools.numdiff import approx_fprime

    class OrderedLogit(OrderedModel):
        def cdf(self, x):
            return expit(x)

        def pdf(self, x):
            p = expit(x)
            return p * (1 - p)

        def score_obs(self, params):
            # Category y lies between thresholds y - 1 and y; the thresholds are the cumulative
            # sum of (first threshold, exp(increments)).
            low, upp = self._bounds(params)
            prob = self.prob(low, upp) + 1e-20  # as in loglikeobs
            f_low, f_upp = self.pdf(low) / prob, self.pdf(upp) / prob
            k = self.k_levels - 1
            rows = np.arange(len(self.endog))
            d_cut = np.zeros((len(self.endog), k + 2))
            d_cut[rows, self.endog + 1] += f_upp
            d_cut[rows, self.endog] -= f_low
            th = np.asarray(params)[-k:]
            jac = np.tril(np.ones((k, k))) * np.concatenate(([1.0], np.exp(th[1:])))[None, :]
            d_beta = -(f_upp - f_low)[:, None] * self.exog
            return np.column_stack([d_beta, d_cut[:, 1:-1] @ jac])

        def score(self, params):
            return self.score_obs(params).sum(axis=0)

        def hessian(self, params):
            h = approx_fprime(np.asarray(params, dtype=float), self.score, centered=True)
            return (h + h.T) / 2

    return OrderedLogit


def _fit_ologit(
    y: pd.Series, x: pd.DataFrame, notes: list[Note]
) -> tuple[pd.DataFrame, float, Any]:
    endog = pd.Series(ordinal_score(y, str(y.name)), index=y.index).astype("int64")
    if endog.nunique() < 2:
        raise ModelError("the ordered outcome takes a single value: an ordered logit needs two")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = _ordered_logit()(endog, x, distr="logit")
        res = model.fit(method="bfgs", disp=False, maxiter=2000, cov_type="HC0")
    if not res.mle_retvals.get("converged", True):
        notes.append(Note("not_converged"))
    terms = list(x.columns)
    est = np.asarray(res.params[terms], dtype=float)
    se = np.asarray(res.bse[terms], dtype=float)
    z = est / se
    p = 2 * stats.norm.sf(np.abs(z))
    crit = stats.norm.ppf(1 - ALPHA / 2)
    coefs = _tidy_frame(terms, est, se, p, est - crit * se, est + crit * se)
    return coefs, float(res.prsquared), res


def fit(frame: pd.DataFrame, spec: Spec) -> FitResult:
    """Fit ``spec`` to the analysis frame (see the module docstring for the estimators)."""
    data = _estimation_data(frame, spec)
    kept, notes = _prune(data, spec.terms)
    y = data[spec.outcome]
    if spec.estimator == "ols":
        x = pd.concat(
            [pd.Series(1.0, index=data.index, name=INTERCEPT), data[kept]], axis=1
        ).astype("float64")
    else:
        x = data[kept].astype("float64")
    if spec.estimator == "ols":
        n_params = x.shape[1]
    else:
        n_params = x.shape[1] + len(np.unique(ordinal_score(y, spec.outcome))) - 1
    if len(data) <= n_params:
        raise ModelError(
            f"{len(data)} complete rows are too few for {n_params} parameters in {spec}"
        )
    if spec.estimator == "ologit" and not kept:
        raise ModelError(f"no regressor varies in the sample of {spec}")
    fitter = _fit_ols if spec.estimator == "ols" else _fit_ologit
    coefs, r2, res = fitter(y, x, notes)
    return FitResult(
        spec=spec,
        coefficients=coefs,
        n_obs=len(data),
        r_squared=r2,
        notes=tuple(notes),
        design=x,
        endog=y,
        lg_code=data["lg_code"],
        model=res,
    )


def main_specs(**overrides: Any) -> list[Spec]:
    """The main specification for every type × outcome; keyword arguments replace fields."""
    return [replace(Spec(t, o), **overrides) for t in TYPE_CODES for o in OUTCOMES]


def fit_many(frame: pd.DataFrame, specs: Iterable[Spec]) -> list[FitResult]:
    return [fit(frame, s) for s in specs]


def fit_main(frame: pd.DataFrame, **overrides: Any) -> list[FitResult]:
    """Fit :func:`main_specs` (with ``overrides``) to the analysis frame."""
    return fit_many(frame, main_specs(**overrides))


def tidy(results: Iterable[FitResult]) -> pd.DataFrame:
    """All results' :meth:`FitResult.tidy` rows in one frame."""
    frames = [r.tidy() for r in results]
    if not frames:
        raise ValueError("no results to tidy")
    return pd.concat(frames, ignore_index=True)


# --- diagnostics -------------------------------------------------------------------------


def vif(result: FitResult) -> pd.DataFrame:
    """Variance inflation factor of each regressor in the fitted design: 1 / (1 − R²ⱼ).

    R²ⱼ is from the regression of regressor j on the other regressors and an intercept.
    """
    x = result.design.drop(columns=[INTERCEPT], errors="ignore")
    rows = []
    for t in x.columns:
        others = np.column_stack([np.ones(len(x)), x.drop(columns=[t]).to_numpy()])
        target = x[t].to_numpy()
        beta, *_ = np.linalg.lstsq(others, target, rcond=None)
        resid = target - others @ beta
        r2 = 1 - (resid @ resid) / ((target - target.mean()) @ (target - target.mean()))
        rows.append({"term": t, "vif": np.inf if r2 >= 1 else 1 / (1 - r2)})
    return pd.DataFrame(rows, columns=["term", "vif"])


def residual_data(result: FitResult) -> pd.DataFrame:
    """Fitted values, residuals and leverage of an OLS fit, one row per observation."""
    if result.spec.estimator != "ols":
        raise ValueError("residuals vs fitted values are defined here for OLS fits only")
    beta = result.coefficients.set_index("term")["estimate"].reindex(result.design.columns)
    fitted = result.design.to_numpy() @ beta.to_numpy()
    return pd.DataFrame(
        {
            "lg_code": result.lg_code.to_numpy(),
            "fitted": fitted,
            "residual": result.endog.to_numpy() - fitted,
            "leverage": leverage(result.design),
        }
    )


# --- significance ----------------------------------------------------------------------


def stars(p: float) -> str:
    """Significance stars of a p-value (see :data:`STARS`); empty when missing or p ≥ 0.05."""
    if p is None or not np.isfinite(p):
        return ""
    for threshold, mark in STARS:
        if p < threshold:
            return mark
    return ""


# --- the paper's findings ------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A positive effect the study's abstract reports.

    ``in_en_abstract`` is False where only the Korean abstract reports it (the English abstract
    does not list democracy among the outcomes of cooperation).
    """

    platform_type: str
    term: str
    outcome: str
    sign: int = 1
    in_en_abstract: bool = True


PAPER_FINDINGS: tuple[Finding, ...] = (
    Finding("G2C", MAIN_ACTIVATION[0], "service_quality"),
    Finding("G2C", MAIN_ACTIVATION[0], "convenience"),
    *(
        Finding(t, term, o, in_en_abstract=o != "democracy")
        for t in ("G2C", "C2C")
        for term in ("coop_metro", "coop_private")
        for o in OUTCOMES
    ),
)


def compare_with_paper(
    results: Iterable[FitResult], findings: Iterable[Finding] = PAPER_FINDINGS
) -> pd.DataFrame:
    """Each finding of ``findings`` (default :data:`PAPER_FINDINGS`) next to our estimate and
    whether they agree.

    ``agrees`` is True when our estimate has the paper's sign and p < 0.05, False otherwise, and
    missing when the term was not estimated (no result for that type × outcome, or dropped).
    ``results`` must hold at most one result per type × outcome.
    """
    index: dict[tuple[str, str], FitResult] = {}
    for r in results:
        key = (r.spec.platform_type, r.spec.outcome)
        if key in index:
            raise ValueError(f"two results for {key}: pass one per type × outcome")
        index[key] = r
    rows = []
    for f in findings:
        row: dict[str, Any] = {
            "platform_type": f.platform_type,
            "outcome": f.outcome,
            "term": f.term,
            "paper_sign": "+" if f.sign > 0 else "-",
            "in_en_abstract": f.in_en_abstract,
            "estimate": np.nan,
            "std_error": np.nan,
            "p_value": np.nan,
            "conf_low": np.nan,
            "conf_high": np.nan,
            "n_obs": pd.NA,
            "agrees": pd.NA,
        }
        r = index.get((f.platform_type, f.outcome))
        if r is not None:
            row["n_obs"] = r.n_obs
            if f.term in r.terms:
                c = r.term(f.term)
                for k in ("estimate", "std_error", "p_value", "conf_low", "conf_high"):
                    row[k] = float(c[k])
                if np.isfinite(row["p_value"]):
                    row["agrees"] = bool(
                        np.sign(row["estimate"]) == f.sign and row["p_value"] < ALPHA
                    )
        rows.append(row)
    out = pd.DataFrame(rows)
    out["n_obs"] = out["n_obs"].astype("Int64")
    out["agrees"] = out["agrees"].astype("boolean")
    return out
