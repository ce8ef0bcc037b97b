"""Ordered logits fitted many at a time, for the specification curve.

:func:`ordered_logit` fits the proportional-odds model with the logit link,

    P(y ≤ c) = F(θ_c − x'β),   F(z) = 1 / (1 + e^−z),

to several outcome vectors that share one matrix of regressors ``x``, each with its own 0/1
weight per row (a missing outcome gives its row weight 0, which is listwise deletion). The
categories of a model are the outcome values present among its weighted rows, as
:class:`statsmodels.miscmodels.ordinal_model.OrderedModel` and R's ``MASS::polr`` take them, so
models of one batch may have different numbers of thresholds. The solver is Newton–Raphson on
(β, θ) with the exact gradient and Hessian, stacked over the models in numpy, with step halving
until the log-likelihood rises and the thresholds stay ordered. The log-likelihood is concave
in (β, θ), so started from β = 0 and the thresholds of the marginal distribution, Newton
converges in a few steps. A model has converged when every element of its mean score (the
score divided by the number of observations, which is what statsmodels' optimiser sees),
divided by the largest absolute value its parameter multiplies (1 for a threshold), is below
``gtol``: the criterion does not change when a regressor is rescaled.

Standard errors are those :func:`platformgov.analysis.models.fit` reports for an ordered logit:
the sandwich (HC0) H⁻¹ (Σ sᵢ sᵢ') H⁻¹ with H the Hessian and sᵢ the score of observation i.
statsmodels parametrises the thresholds by the first one and the logs of the increments; the
estimates of β and their block of the sandwich do not depend on how the thresholds are
parametrised, so they are the same here. p-values and 95% intervals use the normal distribution.

:func:`fit_specs` takes ordered-logit :class:`models.Spec` objects and returns, for each, what
the curve keeps of :func:`models.fit`: the coefficient table, the number of observations and
the reasons of the notes. Specifications with the same type, sample and terms (they differ in
their outcome) share one design matrix (:func:`group_specs`); each specification's own complete
rows decide which terms are dropped, with :func:`models._prune` as in :func:`models.fit`, and
specifications that keep the same terms are solved in one batch.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from platformgov.analysis import models

GTOL = 1e-10
MAXITER = 100
MAX_HALVINGS = 60
RESULT_COLUMNS = ("estimate", "std_error", "p_value", "conf_low", "conf_high")


# --- the batched solver -----------------------------------------------------------------------


def _category_codes(y: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per model, the rank of each row's value among the values of its weighted rows (0 for
    rows without weight), and the number of those values."""
    codes = np.zeros(y.shape, dtype=np.int64)
    n_cat = np.zeros(len(y), dtype=np.int64)
    for m, (values, used) in enumerate(zip(y, weight > 0, strict=True)):
        levels, inverse = np.unique(values[used], return_inverse=True)
        codes[m, used] = inverse
        n_cat[m] = len(levels)
    return codes, n_cat


def _start(codes: np.ndarray, weight: np.ndarray, n_cat: np.ndarray, k: int) -> np.ndarray:
    """β = 0 and the thresholds that reproduce each model's marginal distribution."""
    n_cuts = int(n_cat.max()) - 1
    counts = np.stack([np.bincount(c, w, n_cuts + 1) for c, w in zip(codes, weight, strict=True)])
    share = np.cumsum(counts, axis=1)[:, :-1] / counts.sum(axis=1, keepdims=True)
    share = np.where(np.arange(n_cuts) < (n_cat - 1)[:, None], share, 0.5)
    return np.column_stack([np.zeros((len(codes), k)), special.logit(share)])


def _cross(left: np.ndarray, weight: np.ndarray | float, right: np.ndarray) -> np.ndarray:
    """Σₙ weightₙ leftₙ rightₙ' for every model: models × parameters × parameters."""
    return np.swapaxes(left, 1, 2) @ (np.asarray(weight)[..., None] * right)


class _Batch:
    """The log-likelihood of every model of a batch, with its score and Hessian."""

    def __init__(self, x: np.ndarray, codes: np.ndarray, weight: np.ndarray, n_cat: np.ndarray):
        n_models, n = codes.shape
        n_cuts = int(n_cat.max()) - 1
        cut = np.arange(n_cuts)
        upper = (codes[..., None] == cut) & (cut < (n_cat - 1)[:, None])[:, None, :]
        lower = codes[..., None] == cut + 1
        minus_x = np.broadcast_to(-x, (n_models, n, x.shape[1]))
        # a = θ_y − x'β and b = θ_{y−1} − x'β are linear in the parameters (β, θ)
        self.z_upper = np.concatenate([minus_x, upper.astype(float)], axis=2)
        self.z_lower = np.concatenate([minus_x, lower.astype(float)], axis=2)
        self.top = codes == (n_cat - 1)[:, None]
        self.bottom = codes == 0
        self.weight = weight
        size = np.maximum(np.abs(self.z_upper).max(axis=1), np.abs(self.z_lower).max(axis=1))
        self.scale = np.where(size > 0, size, 1.0)
        self.inactive = np.concatenate(
            [np.zeros((n_models, x.shape[1]), bool), cut[None, :] >= (n_cat - 1)[:, None]], axis=1
        )

    def _bounds(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.where(self.top, np.inf, (self.z_upper @ params[..., None])[..., 0])
        b = np.where(self.bottom, -np.inf, (self.z_lower @ params[..., None])[..., 0])
        return a, b

    @staticmethod
    def _loglike_obs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        # log(F(a) − F(b)) = log F(a) + log(1 − F(b)) + log(1 − e^(b − a))
        with np.errstate(invalid="ignore", divide="ignore"):
            return special.log_expit(a) + special.log_expit(-b) + np.log(-np.expm1(b - a))

    def loglike(self, params: np.ndarray) -> np.ndarray:
        ll = self._loglike_obs(*self._bounds(params))
        return np.where(self.weight > 0, ll, 0.0).sum(axis=1)

    def derivatives(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Log-likelihood, per-observation scores (models × rows × parameters), Hessian."""
        a, b = self._bounds(params)
        ll = self._loglike_obs(a, b)
        used = self.weight > 0
        ll = np.where(used, ll, 0.0)

        def ratios(z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            # F'(z) / P and F''(z) / P, with F' = F(1 − F) and F'' = F'(1 − 2F)
            g = np.where(used, np.exp(special.log_expit(z) + special.log_expit(-z) - ll), 0.0)
            return g, g * (1 - 2 * special.expit(z))

        g_a, h_a = ratios(a)
        g_b, h_b = ratios(b)
        w = self.weight
        scores = (g_a * w)[..., None] * self.z_upper - (g_b * w)[..., None] * self.z_lower
        hessian = (
            _cross(self.z_upper, w * h_a, self.z_upper)
            - _cross(self.z_lower, w * h_b, self.z_lower)
            - _cross(scores, 1.0, scores)
        )
        return (ll * w).sum(axis=1), scores, hessian

    def information(self, hessian: np.ndarray) -> np.ndarray:
        """−H, with the unused thresholds of a model fixed (identity rows and columns)."""
        info = -hessian
        idx = np.nonzero(self.inactive)
        info[idx[0], idx[1], :] = 0.0
        info[idx[0], :, idx[1]] = 0.0
        info[idx[0], idx[1], idx[1]] = 1.0
        return info


def _solve(matrix: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    try:
        return np.linalg.solve(matrix, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        return np.einsum("mij,mj->mi", np.linalg.pinv(matrix), rhs)


def ordered_logit(
    x: np.ndarray,
    y: np.ndarray,
    weight: np.ndarray | None = None,
    *,
    gtol: float = GTOL,
    maxiter: int = MAXITER,
    start: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """Fit one ordered logit per row of ``y`` on the shared regressors ``x`` (n × k, no constant).

    ``y`` is models × n; ``weight`` (models × n, 0 or 1) defaults to 1 where ``y`` is not
    missing, and rows with a missing ``y`` get weight 0 whatever ``weight`` says. Every model
    needs two categories among its weighted rows. Returns arrays with one row per model:
    ``estimate, std_error, p_value, conf_low, conf_high`` (models × k), ``thresholds`` (models ×
    the largest number of categories − 1, NaN beyond a model's own), ``loglike``, ``n_obs``,
    ``n_categories``, ``converged`` and ``iterations``. ``start`` (models × parameters: β, then
    the thresholds in increasing order) replaces the default starting values; it is padded as
    ``thresholds`` is, and a model's thresholds beyond its own are ignored.
    """
    x = np.asarray(x, dtype=float)
    y = np.atleast_2d(np.asarray(y, dtype=float))
    if x.ndim != 2 or y.shape[1] != len(x):
        raise ValueError(f"x is {x.shape} and y {y.shape}: they need the same number of rows")
    seen = ~np.isnan(y)
    weight = seen.astype(float) if weight is None else np.where(seen, weight, 0.0)
    if not np.isin(weight, (0.0, 1.0)).all():
        raise ValueError("weights must be 0 or 1")
    used = weight > 0
    x = np.where(used.any(axis=0)[:, None], x, 0.0)
    if not np.isfinite(x[used.any(axis=0)]).all():
        raise ValueError("a weighted row has a missing regressor")
    codes, n_cat = _category_codes(np.where(used, y, 0.0), weight)
    if (n_cat < 2).any():
        raise ValueError(
            f"models {np.nonzero(n_cat < 2)[0].tolist()} have fewer than two categories"
        )
    k = x.shape[1]
    n_obs = weight.sum(axis=1)
    batch = _Batch(x, codes, weight, n_cat)
    params = _start(codes, weight, n_cat, k)
    if start is not None:
        params = np.where(batch.inactive, params, np.asarray(start, dtype=float))
    stalled = np.zeros(len(y), dtype=bool)
    iterations = np.zeros(len(y), dtype=np.int64)
    for it in range(maxiter + 1):
        ll, scores, hessian = batch.derivatives(params)
        grad = scores.sum(axis=1)
        converged = (np.abs(grad) / batch.scale).max(axis=1) / n_obs < gtol
        active = ~converged & ~stalled
        if not active.any() or it == maxiter:
            break
        step = _solve(batch.information(hessian), grad)
        step[~active] = 0.0
        slope = (grad * step).sum(axis=1)
        size = np.ones(len(y))
        pending = active.copy()
        for _ in range(MAX_HALVINGS):
            trial = params + size[:, None] * step
            gain = batch.loglike(trial) - ll
            ok = np.isfinite(gain) & (gain >= 1e-4 * size * slope - 1e-12 * (1 + np.abs(ll)))
            params[pending & ok] = trial[pending & ok]
            pending &= ~ok
            if not pending.any():
                break
            size[pending] /= 2
        stalled |= pending  # no step along the Newton direction raises the likelihood
        iterations[active] += 1
    info = batch.information(hessian)
    with np.errstate(invalid="ignore"):
        try:
            bread = np.linalg.inv(info)
        except np.linalg.LinAlgError:
            bread = np.linalg.pinv(info)
        meat = _cross(scores, 1.0, scores)
        cov = bread @ meat @ bread
        se = np.sqrt(np.diagonal(cov, axis1=1, axis2=2)[:, :k])
    est = params[:, :k]
    crit = stats.norm.ppf(1 - models.ALPHA / 2)
    thresholds = np.where(batch.inactive[:, k:], np.nan, params[:, k:])
    return {
        "estimate": est,
        "std_error": se,
        "p_value": 2 * stats.norm.sf(np.abs(est / se)),
        "conf_low": est - crit * se,
        "conf_high": est + crit * se,
        "thresholds": thresholds,
        "loglike": ll,
        "n_obs": n_obs.astype(np.int64),
        "n_categories": n_cat,
        "converged": converged,
        "iterations": iterations,
    }


# --- specifications of the curve ---------------------------------------------------------------


@dataclass
class OrdinalFit:
    """What the specification curve keeps of one fit, as its ``_Fit``: the coefficient table
    indexed by term (None when the model cannot be estimated), the number of observations and
    the reasons of the notes joined by commas (``not_estimable`` when there is no fit)."""

    coefficients: pd.DataFrame | None
    n_obs: int
    reasons: str


NOT_ESTIMABLE = OrdinalFit(None, 0, "not_estimable")


def design_key(spec: models.Spec) -> tuple:
    """What decides a specification's rows and regressors: all but its outcome."""
    return (spec.platform_type, spec.sample, spec.terms)


def group_specs(specs: Sequence[models.Spec]) -> dict[tuple, list[int]]:
    """Positions in ``specs`` of the specifications that share a design (:func:`design_key`)."""
    groups: dict[tuple, list[int]] = {}
    for i, spec in enumerate(specs):
        if spec.estimator != "ologit":
            raise ValueError(f"{spec} is not an ordered logit")
        groups.setdefault(design_key(spec), []).append(i)
    return groups


class _Columns:
    """The numeric columns of the rows of a type and sample, each converted once."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self.rows: dict[tuple[str, str], pd.DataFrame] = {}
        self.columns: dict[tuple[str, str, str], np.ndarray] = {}

    def __call__(self, spec: models.Spec, column: str) -> np.ndarray:
        rows_key = (spec.platform_type, spec.sample)
        if rows_key not in self.rows:
            rows = self.frame[self.frame["platform_type"] == spec.platform_type]
            self.rows[rows_key] = rows[models.SAMPLES[spec.sample](rows).astype(bool)]
        key = (*rows_key, column)
        if key not in self.columns:
            values = pd.to_numeric(self.rows[rows_key][column], errors="raise")
            self.columns[key] = values.to_numpy(dtype="float64")
        return self.columns[key]


class _Pruner:
    """:func:`models._prune` of the rows a specification uses, for specifications of one design.

    :func:`models._prune` runs once on the rows with every regressor. When it dropped constant
    terms only and the terms it kept, with the intercept, have full rank on a specification's
    rows, those rows give the same terms and notes (a constant stays constant on fewer rows,
    and the kept terms, being of full rank together, each add to the rank one by one). Otherwise
    :func:`models._prune` runs on the specification's own rows.
    """

    def __init__(self, x: np.ndarray, terms: list[str], complete: np.ndarray):
        self.x, self.terms = x, terms
        self.probe = models._prune(pd.DataFrame(x[complete], columns=terms), terms)
        self.columns = [terms.index(t) for t in self.probe[0]]
        self.shortcut = all(n.reason == "constant" for n in self.probe[1])
        self.cache: dict[bytes, tuple[list[str], list[models.Note]]] = {}

    def _full_rank(self, used: np.ndarray) -> bool:
        design = np.column_stack([np.ones(used.sum()), self.x[used][:, self.columns]])
        scale = np.abs(design).max(axis=0)
        if len(design) <= design.shape[1] or not scale.all():
            return False
        tol = models._RANK_TOL * len(design)
        return np.linalg.matrix_rank(design / scale, tol=tol) == design.shape[1]

    def __call__(self, used: np.ndarray) -> tuple[list[str], list[models.Note]]:
        key = used.tobytes()
        if key not in self.cache:
            if self.shortcut and self._full_rank(used):
                self.cache[key] = self.probe
            else:
                rows = pd.DataFrame(self.x[used], columns=self.terms)
                self.cache[key] = models._prune(rows, self.terms)
        return self.cache[key]


def _fit_group(frame: pd.DataFrame, column: _Columns, specs: list[models.Spec]) -> list[OrdinalFit]:
    """Specifications of one design: each with its complete rows and its own dropped terms."""
    first = specs[0]
    needed = {"lg_code", "platform_type", *first.terms}
    if first.sample != "all":
        needed.add("level_metro")
    fits = [NOT_ESTIMABLE] * len(specs)
    if not needed <= set(frame.columns):
        return fits
    terms = list(first.terms)
    if not terms:
        return fits
    x = np.column_stack([column(first, t) for t in terms])
    complete = ~np.isnan(x).any(axis=1)
    if not complete.any():
        return fits
    prune = _Pruner(x, terms, complete)
    batches: dict[tuple[str, ...], list[tuple[int, np.ndarray, list[models.Note]]]] = {}
    for i, spec in enumerate(specs):
        if spec.outcome not in frame.columns:
            continue
        y = column(spec, spec.outcome)
        used = complete & ~np.isnan(y)
        if not used.any():
            continue
        kept, notes = prune(used)
        rounded = np.where(used, models.ordinal_score(y, spec.outcome), np.nan)
        n_cat = len(np.unique(rounded[used]))
        if not kept or n_cat < 2 or used.sum() <= len(kept) + n_cat - 1:
            continue
        batches.setdefault(tuple(kept), []).append((i, rounded, notes))
    for kept, members in batches.items():
        columns = [terms.index(t) for t in kept]
        res = ordered_logit(x[:, columns], np.array([m[1] for m in members]))
        table = np.stack([res[c] for c in RESULT_COLUMNS], axis=2)
        index = pd.Index(kept, name="term")
        for j, (i, _, notes) in enumerate(members):
            coefs = pd.DataFrame(table[j], index=index, columns=list(RESULT_COLUMNS))
            reasons = [n.reason for n in notes]
            if not res["converged"][j]:
                reasons.append("not_converged")
            fits[i] = OrdinalFit(coefs, int(res["n_obs"][j]), ",".join(reasons))
    return fits


def fit_specs(frame: pd.DataFrame, specs: Sequence[models.Spec]) -> list[OrdinalFit]:
    """Fit ordered-logit ``specs`` to the analysis frame, specifications that share a design
    together; one :class:`OrdinalFit` per specification, in the order of ``specs``, with the
    numbers and notes of :func:`models.fit`."""
    specs = list(specs)
    fits: list[OrdinalFit] = [NOT_ESTIMABLE] * len(specs)
    column = _Columns(frame)
    for members in group_specs(specs).values():
        group = [specs[i] for i in members]
        for i, fit in zip(members, _fit_group(frame, column, group), strict=True):
            fits[i] = fit
    return fits


# --- timing -------------------------------------------------------------------------------------


def benchmark(repeat: int = 3) -> dict[str, tuple[float, float]]:
    """Seconds (wall clock, CPU) to fit every ordered logit of the specification curve on the
    book's data, one at a time with :func:`models.fit` and in batches with :func:`fit_specs`;
    the fastest of ``repeat`` runs of each."""
    from platformgov.analysis import speccurve
    from platformgov.inputs.registry import load_registry
    from platformgov.inputs.survey import load_survey

    frame = speccurve.outcome_frame(load_survey(), load_registry())
    table = speccurve.specifications()
    specs = [speccurve.to_spec(r) for r in table[table["estimator"] == "ologit"].to_dict("records")]

    def one_at_a_time() -> None:
        for spec in specs:
            with contextlib.suppress(models.ModelError):
                models.fit(frame, spec)

    times = {}
    for name, run in (
        ("one_at_a_time", one_at_a_time),
        ("batched", lambda: fit_specs(frame, specs)),
    ):
        runs = []
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            runs.append((time.perf_counter() - wall, time.process_time() - cpu))
        times[name] = (min(r[0] for r in runs), min(r[1] for r in runs))
    one, batched = times["one_at_a_time"], times["batched"]
    print(f"{len(specs)} ordered logits of the specification curve (best of {repeat}):")
    for label, (a, b) in (("one at a time", one), ("batched", batched)):
        print(f"  {label:<14} wall {a:6.2f} s   CPU {b:6.2f} s")
    print(f"  speed-up       wall {one[0] / batched[0]:5.1f}×    CPU {one[1] / batched[1]:5.1f}×")
    return times


if __name__ == "__main__":
    benchmark()
