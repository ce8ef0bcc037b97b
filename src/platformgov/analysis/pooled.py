"""The pooled model of the typology: one OLS per outcome over every platform type's rows.

The book's main models (:mod:`platformgov.analysis.models`) fit each type separately, so that
a difference between types can only be read off by comparing estimates from different models,
and a local government that runs platforms of two or three types enters two or three models as
if they were independent. The pooled model puts every row of the analysis frame into one
regression per outcome:

    outcome ~ Intercept + type_C2G + type_C2C
              + Σ_t Σ_x  x_t          (x_t = x where the row's type is t, else 0)

Design
    ``Intercept`` is the level of the first type of :data:`TYPE_CODES` (the base), and
    ``type_<t>`` shifts it for each other type. Every key predictor (:data:`models.KEY_TERMS`)
    **and every control** enters once per type as ``<term>_<type>``, e.g. ``coop_central_C2G``:
    the slope of that predictor among that type's rows. Letting the controls differ by type is
    our choice: it makes the pooled estimates exactly the separate models' estimates, so that
    a test below compares the very coefficients the book's tables show, and a difference
    between types in how, say, population relates to ratings cannot pass for a difference in a
    key predictor. The names join term and type with ``_`` (not ``:``) so that they are valid
    variable names in R and Stata as they stand in the replication export.
Missing values
    ``<term>_<type>`` is missing wherever ``<term>`` is, whatever the row's type, so that
    listwise deletion over the pooled columns drops exactly the rows the separate models drop.
    A pooled regressor that does not vary (a type with no metropolitan government has a
    ``level_metro_<type>`` of zeros) or is collinear with those before it is dropped, as in
    :func:`models.fit`.
Standard errors
    Clustered by ``lg_code``, with statsmodels' ``cov_type="cluster"`` and its default
    corrections: the sandwich is scaled by G/(G − 1) · (N − 1)/(N − K) (G clusters, N rows,
    K parameters), and t- and F-tests use G − 1 denominator degrees of freedom. That is
    Stata's ``regress …, vce(cluster lg_code)``; R's
    ``sandwich::vcovCL(m, cluster = ~lg_code, type = "HC1")`` gives the same matrix
    (``tests/analysis/test_pooled.py`` checks the scaling against a hand computation), and
    ``lmtest::coeftest(m, vcov. = …, df = G - 1)`` the same p-values.
Equality tests (per outcome and key predictor, among the types where it was estimated)
    ``equal``: the slope is the same in every type (a Wald F-test of k − 1 restrictions).
    The paper's reading — the types whose findings it reports gain from the predictor and the
    other types do not — is split into two one-restriction tests: ``within``, the gaining
    types' slopes are equal (G2C = C2C), and ``between``, the mean slope of the other types
    equals the mean slope of the gaining types (C2G = (G2C + C2C) / 2). The paper's reading
    predicts ``within`` holds and ``between`` fails. The gaining types are those that
    :data:`models.PAPER_FINDINGS` names; comparing with their mean, not with each of them,
    gives one test that uses both.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from platformgov.analysis import models
from platformgov.vocabulary import CONTROLS, OUTCOMES, TYPE_CODES

#: The pooled model's predictors that take one slope per type.
TYPED_TERMS = (*models.KEY_TERMS, *CONTROLS)
#: The types whose gains the paper reports, in :data:`TYPE_CODES` order.
GAINING_TYPES = tuple(
    t for t in TYPE_CODES if t in {f.platform_type for f in models.PAPER_FINDINGS}
)
TESTS = ("equal", "within", "between")
COEFFICIENT_COLUMNS = ("outcome", "term", "estimate", "std_error", "p_value", "n_obs", "n_clusters")
TEST_COLUMNS = (
    "outcome",
    "term",
    "test",
    "types",
    "statistic",
    "df_num",
    "df_denom",
    "p_value",
)


def type_dummy(platform_type: str) -> str:
    """The name of a type's intercept shift: ``type_C2G``."""
    return f"type_{platform_type}"


def typed_term(term: str, platform_type: str) -> str:
    """The name of a predictor's slope among one type's rows: ``coop_central_C2G``."""
    return f"{term}_{platform_type}"


#: Every pooled regressor, in design order (the intercept excluded).
POOLED_TERMS = (
    *(type_dummy(t) for t in TYPE_CODES[1:]),
    *(typed_term(x, t) for x in TYPED_TERMS for t in TYPE_CODES),
)


def pooled_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The pooled regressors of every row of the analysis frame, named as :data:`POOLED_TERMS`.

    ``type_<t>`` is 1 on type ``t``'s rows; ``<term>_<t>`` is ``<term>`` on type ``t``'s rows,
    0 on the others' and missing wherever ``<term>`` is.
    """
    missing = [c for c in ("platform_type", *TYPED_TERMS) if c not in frame.columns]
    if missing:
        raise models.ModelError(f"the analysis frame lacks the column(s) {', '.join(missing)}")
    kind = frame["platform_type"].astype(str)
    unknown = sorted(set(kind) - set(TYPE_CODES))
    if unknown:
        raise models.ModelError(f"unknown platform type(s) {', '.join(unknown)}")
    out = {}
    for t in TYPE_CODES[1:]:
        out[type_dummy(t)] = (kind == t).astype("float64")
    for x in TYPED_TERMS:
        values = pd.to_numeric(frame[x], errors="raise").astype("float64")
        for t in TYPE_CODES:
            out[typed_term(x, t)] = values.where(kind == t, 0.0).where(values.notna())
    return pd.DataFrame(out, index=frame.index)[list(POOLED_TERMS)]


@dataclass
class PooledFit:
    """One outcome's pooled OLS: tidy coefficients, notes on dropped terms, the statsmodels fit."""

    outcome: str
    coefficients: pd.DataFrame
    n_obs: int
    n_clusters: int
    notes: tuple[models.Note, ...]
    model: Any = field(repr=False, default=None)

    @property
    def terms(self) -> tuple[str, ...]:
        return tuple(self.coefficients["term"])


def fit_outcome(frame: pd.DataFrame, outcome: str) -> PooledFit:
    """The pooled OLS of ``outcome`` with standard errors clustered by ``lg_code``."""
    if outcome not in frame.columns:
        raise models.ModelError(f"the analysis frame lacks the outcome {outcome!r}")
    x = pooled_columns(frame)
    data = pd.concat(
        [frame["lg_code"], pd.to_numeric(frame[outcome], errors="raise").astype("float64"), x],
        axis=1,
    ).dropna(subset=[outcome, *POOLED_TERMS])
    if data.empty:
        raise models.ModelError(f"no complete rows for the pooled model of {outcome}")
    kept, notes = models._prune(data, POOLED_TERMS)
    design = pd.concat(
        [pd.Series(1.0, index=data.index, name=models.INTERCEPT), data[kept]], axis=1
    )
    groups = pd.factorize(data["lg_code"])[0]
    n_clusters = int(groups.max()) + 1
    if n_clusters <= design.shape[1] or len(data) <= design.shape[1]:
        raise models.ModelError(
            f"{len(data)} rows in {n_clusters} clusters are too few for {design.shape[1]} "
            f"parameters in the pooled model of {outcome}"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = sm.OLS(data[outcome], design).fit(
            cov_type="cluster", cov_kwds={"groups": groups}, use_t=True
        )
    coefs = pd.DataFrame(
        {
            "outcome": outcome,
            "term": list(design.columns),
            "estimate": np.asarray(res.params, dtype=float),
            "std_error": np.asarray(res.bse, dtype=float),
            "p_value": np.asarray(res.pvalues, dtype=float),
            "n_obs": len(data),
            "n_clusters": n_clusters,
        }
    )
    return PooledFit(outcome, coefs, len(data), n_clusters, tuple(notes), res)


def fit_pooled(frame: pd.DataFrame, outcomes: tuple[str, ...] = OUTCOMES) -> list[PooledFit]:
    """:func:`fit_outcome` for every outcome."""
    return [fit_outcome(frame, o) for o in outcomes]


def coefficients(fits: list[PooledFit]) -> pd.DataFrame:
    """Every fit's coefficients, with the columns of :data:`COEFFICIENT_COLUMNS`."""
    return pd.concat([f.coefficients for f in fits], ignore_index=True)[list(COEFFICIENT_COLUMNS)]


def _contrasts(term: str, types: list[str]) -> dict[str, np.ndarray | None]:
    """Restriction weights over ``types`` (rows) for each test; None when it cannot be formed."""
    k = len(types)
    out: dict[str, np.ndarray | None] = {"equal": None, "within": None, "between": None}
    if k >= 2:
        out["equal"] = np.column_stack([np.ones(k - 1), -np.eye(k - 1)])
    gaining = [i for i, t in enumerate(types) if t in GAINING_TYPES]
    others = [i for i, t in enumerate(types) if t not in GAINING_TYPES]
    if len(gaining) >= 2:
        rows = []
        for i in gaining[1:]:
            w = np.zeros(k)
            w[gaining[0]], w[i] = 1.0, -1.0
            rows.append(w)
        out["within"] = np.array(rows)
    if gaining and others:
        w = np.zeros(k)
        w[others] = 1.0 / len(others)
        w[gaining] = -1.0 / len(gaining)
        out["between"] = w[None, :]
    return out


def equality_tests(
    fits: list[PooledFit], terms: tuple[str, ...] = models.KEY_TERMS
) -> pd.DataFrame:
    """Wald F-tests of each term's slopes across types (see the module docstring).

    One row per outcome × term × test with the columns of :data:`TEST_COLUMNS`; ``types`` lists
    the types whose slope was estimated (joined by ``,``). A test that cannot be formed (fewer
    than two types estimated) is left out.
    """
    rows = []
    for f in fits:
        names = list(f.model.params.index)
        for term in terms:
            types = [t for t in TYPE_CODES if typed_term(term, t) in names]
            columns = [names.index(typed_term(term, t)) for t in types]
            for test, weights in _contrasts(term, types).items():
                if weights is None:
                    continue
                r = np.zeros((weights.shape[0], len(names)))
                r[:, columns] = weights
                w = f.model.f_test(r)
                rows.append(
                    {
                        "outcome": f.outcome,
                        "term": term,
                        "test": test,
                        "types": ",".join(types),
                        "statistic": float(np.squeeze(w.fvalue)),
                        "df_num": int(w.df_num),
                        "df_denom": int(w.df_denom),
                        "p_value": float(w.pvalue),
                    }
                )
    return pd.DataFrame(rows, columns=list(TEST_COLUMNS))
