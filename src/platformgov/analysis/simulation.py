"""Monte Carlo power and recovery: what a survey of this design can detect.

:func:`simulate` fixes the survey's design — the local governments that answered, their
platforms and partners, i.e. the regressors of the main model — and redraws only the answers,
many times, from the synthetic process's outcome stage (:func:`synthetic.draw_performance`,
the very function :func:`synthetic.generate` uses), with effects set by
:func:`synthetic.with_effects`. Each simulated survey is refitted with the main OLS model, all
replicates at once (:func:`batched_ols_hc3`: one weighted least squares with HC3 errors in
numpy over many outcome vectors that share a design; a missing answer gives its row weight 0
in that replicate, which is exactly listwise deletion).

Why fixing the design is valid: the OLS estimates, their HC3 standard errors and the tests
built on them are statements conditional on the regressors, and in the synthetic process the
answers are drawn from their own random stream given the regressors. Redrawing the answers
for the survey's own design therefore samples exactly the distribution that the p-values and
confidence intervals of the main model refer to. Power depends on the design (how many local
governments run a type, how many cooperate), which is why we keep the survey's own rather
than a new draw.

The study takes seconds; :func:`chapter_simulation` goes through
:func:`platformgov.analysis.cache.shared`, so that the two editions of the book (and the
tests) compute it once for the same inputs and code.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from platformgov import vocabulary
from platformgov.analysis import cache, models
from platformgov.inputs import synthetic
from platformgov.vocabulary import MIN_ITEMS, OUTCOMES, TYPE_CODES

#: The coefficient columns :func:`batched_ols_hc3` returns, as in :class:`models.FitResult`.
RESULT_COLUMNS = ("estimate", "std_error", "p_value", "conf_low", "conf_high")
#: The key predictors of the main model, the true effects given to them (Likert points per
#: unit of the predictor), and the simulated surveys per rotation (see :func:`simulate`): with
#: four rotations, each effect size is estimated 4 × N_SIMS times per type and predictor.
SIM_TERMS = (vocabulary.MAIN_ACTIVATION[0], *vocabulary.COLLABORATION)
EFFECT_SIZES = tuple(round(0.05 * i, 2) for i in range(17))
N_SIMS = 125
SEED = 20221231
POWER_TARGET = 0.8
CHUNK = 250


# --- batched least squares with HC3 ----------------------------------------------------------


def batched_ols_hc3(
    x: np.ndarray, y: np.ndarray, alpha: float = models.ALPHA
) -> dict[str, np.ndarray]:
    """OLS of many outcome vectors on one design, with HC3 errors, as :func:`models.fit` does.

    ``x`` is the design (n × p, with its intercept column); ``y`` holds R outcome vectors
    (R × n), NaN where a replicate's outcome is missing: that row gets weight 0 in that
    replicate, which is listwise deletion. Returns arrays ``estimate, std_error, p_value,
    conf_low, conf_high`` (R × p), ``n_obs`` and the residual variance ``sigma2`` (R,
    residual sum of squares over ``n_obs - p``). As in :mod:`models`, p-values and
    intervals use the t distribution with ``n_obs - p`` degrees of freedom, and a replicate in
    which a row has leverage 1 gets missing standard errors.
    """
    x = np.asarray(x, dtype=float)
    y = np.atleast_2d(np.asarray(y, dtype=float))
    p = x.shape[1]
    observed = np.isfinite(y)
    w = observed.astype(float)
    yw = np.where(observed, y, 0.0)
    xtwx = (x.T[None, :, :] * w[:, None, :]) @ x  # R × p × p
    inv = np.linalg.inv(xtwx)
    q = x[None, :, :] @ inv  # R × n × p: row i is (X'WX)⁻¹ xᵢ
    beta = np.einsum("rnp,rn->rp", q, yw)
    resid = (yw - beta @ x.T) * w
    h = np.einsum("rnp,np->rn", q, x) * w
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.where(observed, resid**2 / (1.0 - h) ** 2, 0.0)
    var = np.einsum("rn,rnp->rp", u, q**2)
    se = np.sqrt(var)
    se[(h > 1 - 1e-10).any(axis=1)] = np.nan
    n_obs = observed.sum(axis=1)
    df = (n_obs - p).astype(float)[:, None]
    with np.errstate(divide="ignore", invalid="ignore"):
        tval = beta / se
    pval = 2 * stats.t.sf(np.abs(tval), df)
    crit = stats.t.ppf(1 - alpha / 2, df)
    with np.errstate(divide="ignore", invalid="ignore"):
        sigma2 = (resid**2).sum(axis=1) / (n_obs - p)
    return {
        "estimate": beta,
        "std_error": se,
        "p_value": pval,
        "conf_low": beta - crit * se,
        "conf_high": beta + crit * se,
        "n_obs": n_obs,
        "sigma2": sigma2,
    }


# --- the Monte Carlo study --------------------------------------------------------------------


@dataclass
class Design:
    """The fixed part of a simulated survey: who rates which type, with which regressors.

    ``rows`` are the analysis-frame rows with every regressor of the main model present;
    ``lg`` the synthetic process's table of local governments (all of the registry, in code
    order); ``lg_index`` and ``type_index`` place each row in the process's arrays; ``terms``
    is the process's array of activation and collaboration terms (local government × type ×
    ``synthetic.TERMS``); ``designs`` the main model's design matrix of each type, as
    :func:`models.fit` builds it.
    """

    rows: pd.DataFrame
    lg: pd.DataFrame
    lg_index: np.ndarray
    type_index: np.ndarray
    terms: np.ndarray
    designs: dict[str, pd.DataFrame]

    def n_obs(self, platform_type: str) -> int:
        return len(self.designs[platform_type])


def design_of(frame: pd.DataFrame, registry: pd.DataFrame, params: Mapping | None = None) -> Design:
    """The :class:`Design` of an analysis frame (the survey's own local governments and terms)."""
    params = synthetic.load_params() if params is None else params
    rows = frame.dropna(subset=list(models.MAIN_TERMS)).reset_index(drop=True)
    lg = synthetic.prepare_registry(registry, params)
    position = pd.Series(np.arange(len(lg)), index=lg["code"])
    lg_index = position.loc[rows["lg_code"]].to_numpy()
    type_index = (
        rows["platform_type"].map({t: j for j, t in enumerate(vocabulary.TYPE_CODES)}).to_numpy()
    )
    terms = np.zeros((len(lg), len(vocabulary.TYPE_CODES), len(synthetic.TERMS)))
    for k, term in enumerate(synthetic.TERMS):
        terms[lg_index, type_index, k] = rows[term].to_numpy(dtype=float)
    designs = {}
    for t in TYPE_CODES:
        of_type = rows[rows["platform_type"] == t]
        if of_type.empty:
            continue
        # models.fit builds the design (and drops constant or collinear terms); the outcome is
        # a placeholder that every row has.
        probe = of_type.assign(_simulated=np.arange(len(of_type), dtype=float))
        try:
            fit = models.fit(probe, models.Spec(t, "_simulated"))
        except models.ModelError:
            continue
        designs[t] = fit.design
    return Design(rows, lg, lg_index, type_index, terms, designs)


def simulate_scales(
    design: Design, params: Mapping, rng: np.random.Generator, n_sims: int
) -> np.ndarray:
    """``n_sims`` draws of the four outcome scales of every design row (n_sims × rows × 4).

    The answers come from the synthetic process's outcome stage, for every local government
    of the registry at once (``n_sims`` copies stacked), exactly as :func:`synthetic.generate`
    draws them; the scales are then built as :func:`measures.outcome_scales` builds them (the
    mean of the answered items when at least two of three are answered).
    """
    n_lg = len(design.lg)
    stacked = pd.DataFrame(
        {
            "logpop": np.tile(design.lg["logpop"].to_numpy(), n_sims),
            "metro": np.tile(design.lg["metro"].to_numpy(), n_sims),
        }
    )
    terms = np.tile(design.terms, (n_sims, 1, 1))
    answers = synthetic.draw_performance(stacked, terms, params, rng)
    answers = answers.reshape(n_sims, n_lg, len(vocabulary.TYPE_CODES), len(vocabulary.ITEMS))
    answers = answers[:, design.lg_index, design.type_index, :]
    items = answers.reshape(n_sims, len(design.rows), len(OUTCOMES), synthetic.items_per_outcome())
    answered = np.isfinite(items).sum(axis=3)
    means = np.nansum(items, axis=3) / np.maximum(answered, 1)
    return np.where(answered >= MIN_ITEMS, means, np.nan)


# --- the noise, calibrated to the data --------------------------------------------------------

#: The noise of the process's outcome stage: the local government's, the dimension's and the
#: item's standard deviations (``[performance]`` of the parameter file). Calibration scales all
#: three by one factor, keeping their proportions (our choice).
NOISE = ("lg_sd", "dimension_sd", "item_sd")
#: Simulated surveys per step of the calibration, and its steps at most.
CALIBRATION_SIMS = 100
CALIBRATION_STEPS = 8


def with_noise(params: Mapping, factor: float) -> dict:
    """``params`` with the outcome stage's noise (:data:`NOISE`) multiplied by ``factor``."""
    if not factor > 0:
        raise ValueError(f"a noise factor must be positive, not {factor}")
    out = copy.deepcopy(dict(params))
    for key in NOISE:
        out["performance"][key] = float(params["performance"][key]) * factor
    return out


def data_residual_variance(frame: pd.DataFrame) -> float:
    """The residual variance the main OLS models leave in ``frame``: their residual sums of
    squares over their residual degrees of freedom, pooled over types and outcomes."""
    ssr = dof = 0.0
    for spec in models.main_specs():
        try:
            result = models.fit(frame, spec).model
        except models.ModelError:
            continue
        ssr, dof = ssr + float(result.ssr), dof + float(result.df_resid)
    if not dof > 0:
        raise ValueError("no main model could be fitted: the noise cannot be calibrated")
    return ssr / dof


def simulated_residual_variance(
    design: Design, params: Mapping, *, n_sims: int = CALIBRATION_SIMS, seed: int = SEED
) -> float:
    """:func:`data_residual_variance` of surveys redrawn under ``params``, pooled over them."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 11]))
    scales = simulate_scales(design, params, rng, n_sims)
    ssr = dof = 0.0
    for t, x in design.designs.items():
        of_type = (design.rows["platform_type"] == t).to_numpy()
        for k in range(len(OUTCOMES)):
            res = batched_ols_hc3(x.to_numpy(), scales[:, of_type, k])
            df = res["n_obs"] - x.shape[1]
            ok = df > 0
            ssr += float((res["sigma2"][ok] * df[ok]).sum())
            dof += float(df[ok].sum())
    return ssr / dof


@dataclass(frozen=True)
class Calibration:
    """The noise factor that makes surveys redrawn for the design leave the residual variance
    of the data (``target``; ``achieved`` with ``factor``, ``uncalibrated`` with the parameter
    file's own noise)."""

    factor: float
    target: float
    achieved: float
    uncalibrated: float


def calibrate_noise(
    frame: pd.DataFrame, registry: pd.DataFrame, params: Mapping | None = None
) -> Calibration:
    """The :class:`Calibration` of the process's noise to ``frame``.

    The residual variance of redrawn surveys grows with the noise factor c, roughly as
    a·c² + b (b: what rounding the answers to whole points adds), so the step
    c ← c·√(target / achieved) closes in on the factor from the side it starts; the random
    numbers are the same in every step, so the steps compare like with like.
    """
    params = synthetic.load_params() if params is None else params
    design = design_of(frame, registry, params)
    target = data_residual_variance(frame)
    factor, achieved = 1.0, simulated_residual_variance(design, params)
    uncalibrated = achieved
    for _ in range(CALIBRATION_STEPS):
        if abs(achieved / target - 1) < 1e-3:
            break
        factor *= math.sqrt(target / achieved)
        achieved = simulated_residual_variance(design, with_noise(params, factor))
    return Calibration(factor, target, achieved, uncalibrated)


def rotation_effects(params: Mapping, size: float, rotation: int) -> dict:
    """``params`` with one key predictor per outcome set to ``size`` and the others to 0.

    In rotation r, outcome number d (in :data:`OUTCOMES` order) gets the effect on
    ``SIM_TERMS[(d + r) % 4]``, for every type. Over the four rotations every predictor meets
    every outcome once, and in each simulated survey only one predictor moves each outcome, so
    that large effects of several predictors do not pile up against the top of the scale.
    """
    n = len(SIM_TERMS)
    changes = {
        (t, o, term): (size if term == SIM_TERMS[(d + rotation) % n] else 0.0)
        for t in vocabulary.TYPE_CODES
        for d, o in enumerate(OUTCOMES)
        for term in SIM_TERMS
    }
    return synthetic.with_effects(params, changes)


def _summarise(
    fits: dict[tuple[str, str], dict[str, np.ndarray]],
    design: Design,
    params: Mapping,
) -> list[dict[str, Any]]:
    rows = []
    for (t, outcome), res in fits.items():
        columns = list(design.designs[t].columns)
        for term in SIM_TERMS:
            if term not in columns:
                continue
            j = columns.index(term)
            truth = synthetic.effect(params, t, outcome, term)
            est = res["estimate"][:, j]
            ok = np.isfinite(res["std_error"][:, j])
            e, low, high, p = (
                est[ok],
                res["conf_low"][ok, j],
                res["conf_high"][ok, j],
                res["p_value"][ok, j],
            )
            n = int(ok.sum())
            rows.append(
                {
                    "platform_type": t,
                    "outcome": outcome,
                    "term": term,
                    "true_value": truth,
                    "n_sims": n,
                    "n_obs": design.n_obs(t),
                    "mean_estimate": e.mean() if n else np.nan,
                    "bias": e.mean() - truth if n else np.nan,
                    "sd_estimate": e.std(ddof=1) if n > 1 else np.nan,
                    "mean_se": res["std_error"][ok, j].mean() if n else np.nan,
                    "rejection": (p < models.ALPHA).mean() if n else np.nan,
                    "rejection_positive": ((p < models.ALPHA) & (e > 0)).mean() if n else np.nan,
                    "coverage": ((low <= truth) & (truth <= high)).mean() if n else np.nan,
                }
            )
    return rows


def refitted(
    design: Design, params: Mapping, *, n_sims: int, seed: int | Iterable[int] = SEED
) -> Iterator[tuple[int, str, str, list[str], dict[str, np.ndarray]]]:
    """``n_sims`` surveys redrawn under ``params``, :data:`CHUNK` at a time, each refitted with
    the main model: ``(first survey of the chunk, type, outcome, the design's columns, the
    batched fit)`` per chunk, type and outcome. The chunk's random numbers depend only on
    ``seed`` and its first survey (common random numbers across effects)."""
    seed = [seed] if isinstance(seed, int) else list(seed)
    for start in range(0, n_sims, CHUNK):
        size = min(CHUNK, n_sims - start)
        rng = np.random.default_rng(np.random.SeedSequence([*seed, start]))
        scales = simulate_scales(design, params, rng, size)
        for t, x in design.designs.items():
            of_type = (design.rows["platform_type"] == t).to_numpy()
            for k, outcome in enumerate(OUTCOMES):
                res = batched_ols_hc3(x.to_numpy(), scales[:, of_type, k])
                yield start, t, outcome, list(x.columns), res


def simulate_condition(
    design: Design, params: Mapping, *, n_sims: int = N_SIMS, seed: int | Iterable[int] = SEED
) -> pd.DataFrame:
    """Simulate ``n_sims`` surveys under ``params`` and summarise the main model's estimates.

    One row per type × outcome × key term of the main model (:data:`SIM_TERMS`):
    ``true_value``, ``n_sims`` (replicates with standard errors), ``n_obs`` (rows of the
    design), ``mean_estimate``, ``bias``, ``sd_estimate``, ``mean_se``, ``rejection``
    (p < 0.05), ``rejection_positive`` (p < 0.05 and a positive estimate) and ``coverage``
    (share of 95% intervals that contain the true value), and ``n_surveys`` (``n_sims``). The
    same ``seed`` gives the same noise under any effects (common random numbers), so conditions
    differ only by the effects.
    """
    fits: dict[tuple[str, str], list[dict[str, np.ndarray]]] = {}
    for _, t, outcome, _, res in refitted(design, params, n_sims=n_sims, seed=seed):
        fits.setdefault((t, outcome), []).append(res)
    merged = {
        key: {name: np.concatenate([r[name] for r in parts]) for name in parts[0]}
        for key, parts in fits.items()
    }
    return pd.DataFrame(_summarise(merged, design, params)).assign(n_surveys=n_sims)


def simulate(
    frame: pd.DataFrame,
    registry: pd.DataFrame,
    params: Mapping | None = None,
    *,
    effect_sizes: Iterable[float] = EFFECT_SIZES,
    n_sims: int = N_SIMS,
    seed: int = SEED,
) -> pd.DataFrame:
    """The Monte Carlo study on the design of ``frame`` (see the module docstring).

    Condition ``"grid"``: for each value of ``effect_sizes`` (column ``effect_size``) and
    each of four rotations (:func:`rotation_effects`), ``n_sims`` surveys in which one key
    predictor per outcome has that true effect and the others none; a zero effect needs one
    rotation only. Condition ``"synthetic"``: ``4 × n_sims`` surveys under the effects of the
    parameter file, i.e. the process behind the book's synthetic data. Rotations share their
    random numbers across effect sizes (common random numbers), so the power curves differ
    between effect sizes only through the effects. Columns are :func:`simulate_condition`'s
    plus ``condition``, ``effect_size`` and ``rotation``.
    """
    params = synthetic.load_params() if params is None else params
    design = design_of(frame, registry, params)
    parts = []
    for size in effect_sizes:
        for rotation in range(len(SIM_TERMS) if size else 1):
            part = simulate_condition(
                design,
                rotation_effects(params, size, rotation),
                n_sims=n_sims,
                seed=(seed, rotation),
            )
            parts.append(part.assign(condition="grid", effect_size=float(size), rotation=rotation))
    part = simulate_condition(design, params, n_sims=len(SIM_TERMS) * n_sims, seed=(seed, 99))
    parts.append(part.assign(condition="synthetic", effect_size=np.nan, rotation=-1))
    out = pd.concat(parts, ignore_index=True)
    first = ["condition", "effect_size", "rotation"]
    return out[first + [c for c in out.columns if c not in first]]


def surveys_simulated(sim: pd.DataFrame) -> int:
    """How many surveys :func:`simulate` drew in all."""
    runs = sim.drop_duplicates(["condition", "effect_size", "rotation"])
    return int(runs["n_surveys"].sum())


def distinct_surveys(rows: pd.DataFrame) -> int:
    """How many different simulated surveys ``rows`` (of :func:`simulate`) come from.

    The surveys of one condition and rotation share their random numbers across effect sizes
    (common random numbers), and every outcome and term of a survey comes from the same
    answers: the estimates of a rate are only as many independent draws as there are
    distinct surveys behind them.
    """
    runs = rows.drop_duplicates(["condition", "rotation"])
    return int(runs["n_surveys"].sum())


def _pool(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Replicate-weighted means of the rates over outcomes (and rotations), with the number of
    distinct surveys behind each (``n_surveys``)."""
    rates = ("rejection", "rejection_positive", "coverage", "bias", "mean_se")
    weighted = rows.assign(**{f"_{c}": rows[c] * rows["n_sims"] for c in rates})
    out = (
        weighted.groupby(by, sort=False)
        .agg(
            n_sims=("n_sims", "sum"),
            n_obs=("n_obs", "first"),
            **{f"_{c}": (f"_{c}", "sum") for c in rates},
        )
        .reset_index()
    )
    for c in rates:
        out[c] = out[f"_{c}"] / out["n_sims"]
    surveys = rows.groupby(by, sort=False)[["condition", "rotation", "n_surveys"]].apply(
        distinct_surveys
    )
    out = out.merge(surveys.rename("n_surveys").reset_index(), on=by, how="left")
    return out.drop(columns=[f"_{c}" for c in rates])


def power_curves(sim: pd.DataFrame) -> pd.DataFrame:
    """Detection probability by type × key term × true effect, pooled over the four outcomes.

    Only estimates whose true value is the grid's effect size count (at zero, all of them).
    Columns ``platform_type, term, effect_size, power`` (share of p < 0.05), ``n_sims`` (the
    estimates pooled), ``n_surveys`` (the distinct surveys they come from,
    :func:`distinct_surveys`), ``mc_se`` (the Monte Carlo standard error of ``power``, from
    ``n_surveys``: estimates of one survey are not independent draws), ``power_positive``
    (p < 0.05 and a positive estimate), ``coverage``, ``bias``, ``mean_se`` and ``n_obs``.
    """
    grid = sim[(sim["condition"] == "grid") & np.isclose(sim["true_value"], sim["effect_size"])]
    out = _pool(grid, ["platform_type", "term", "effect_size"])
    out = out.rename(columns={"rejection": "power", "rejection_positive": "power_positive"})
    out["mc_se"] = np.sqrt(out["power"] * (1 - out["power"]) / out["n_surveys"])
    columns = ["platform_type", "term", "effect_size", "power", "n_sims", "n_surveys", "mc_se"]
    return out[[*columns, "power_positive", "coverage", "bias", "mean_se", "n_obs"]]


def detectable_effect(effect_sizes: np.ndarray, power: np.ndarray, target: float) -> float:
    """The smallest effect at which the power curve reaches ``target`` (linear interpolation
    between grid points); NaN when it never does within the grid."""
    order = np.argsort(effect_sizes)
    x, y = np.asarray(effect_sizes)[order], np.asarray(power)[order]
    above = np.nonzero(y >= target)[0]
    if len(above) == 0:
        return float("nan")
    i = above[0]
    if i == 0:
        return float(x[0])
    return float(x[i - 1] + (target - y[i - 1]) * (x[i] - x[i - 1]) / (y[i] - y[i - 1]))


def mde_multiplier(target: float = POWER_TARGET) -> float:
    """Standard errors between zero and the smallest effect detected with probability
    ``target`` in a two-sided test at level α: z₁₋α/₂ + z_target (about 2.8 for 80%)."""
    return float(stats.norm.ppf(1 - models.ALPHA / 2) + stats.norm.ppf(target))


def power_summary(sim: pd.DataFrame, target: float = POWER_TARGET) -> pd.DataFrame:
    """What the survey can detect: one row per type × key term of the main model.

    ``n_obs``; ``mean_se`` (standard error at zero effect); ``size`` (rejection rate when the
    true effect is zero, nominally 0.05, over every grid survey where it is zero) with
    ``size_surveys``, the distinct surveys behind it, and ``size_mc_se``, its Monte Carlo
    standard error from them;
    ``coverage`` (of the 95% intervals, over the whole grid); ``mde`` (smallest true effect
    detected with probability ``target``, read off the simulated curve; NaN beyond the grid);
    ``mde_approx`` (the textbook approximation (z₀.₉₇₅ + z_target) × standard error).
    """
    curves = power_curves(sim)
    grid = sim[sim["condition"] == "grid"]
    nulls = _pool(grid[grid["true_value"] == 0], ["platform_type", "term"])
    nulls = nulls.set_index(["platform_type", "term"])
    multiplier = mde_multiplier(target)
    rows = []
    for (t, term), c in curves.groupby(["platform_type", "term"], sort=False):
        null = nulls.loc[(t, term)]
        rows.append(
            {
                "platform_type": t,
                "term": term,
                "n_obs": int(c["n_obs"].iloc[0]),
                "mean_se": float(null["mean_se"]),
                "size": float(null["rejection"]),
                "size_surveys": int(null["n_surveys"]),
                "size_mc_se": math.sqrt(
                    float(null["rejection"]) * (1 - float(null["rejection"])) / null["n_surveys"]
                ),
                "coverage": float((c["coverage"] * c["n_sims"]).sum() / c["n_sims"].sum()),
                "mde": detectable_effect(
                    c["effect_size"].to_numpy(), c["power"].to_numpy(), target
                ),
                "mde_approx": multiplier * float(null["mean_se"]),
            }
        )
    return pd.DataFrame(rows)


def recovery(sim: pd.DataFrame, findings: Iterable[models.Finding] = models.PAPER_FINDINGS):
    """The ``"synthetic"`` condition for the paper's findings: truth, bias, coverage, power."""
    synth = sim[sim["condition"] == "synthetic"].set_index(["platform_type", "outcome", "term"])
    rows = []
    for f in findings:
        key = (f.platform_type, f.outcome, f.term)
        if key not in synth.index:
            continue
        r = synth.loc[key]
        rows.append(
            {
                "platform_type": f.platform_type,
                "term": f.term,
                "outcome": f.outcome,
                "true_value": float(r["true_value"]),
                "mean_estimate": float(r["mean_estimate"]),
                "bias": float(r["bias"]),
                "coverage": float(r["coverage"]),
                "power": float(r["rejection_positive"]),
            }
        )
    return pd.DataFrame(rows)


# --- how unusual one survey is ------------------------------------------------------------


@dataclass(frozen=True)
class DrawTails:
    """Where one survey's counts fall among ``n_surveys`` surveys redrawn from the process.

    ``covers`` and ``false_positives`` hold, per redrawn survey, how many of the main models'
    ``n_key`` key coefficients have an interval that covers the truth, and how many of its
    ``n_zero`` true zeros are significant. ``observed_covers`` and ``observed_false_positives``
    are the survey's own counts; ``p_covers`` is the share of redrawn surveys with at most as
    many covering intervals, ``p_false_positives`` the share with at least as many false
    positives.
    """

    n_surveys: int
    n_key: int
    n_zero: int
    covers: np.ndarray
    false_positives: np.ndarray
    observed_covers: int
    observed_false_positives: int

    @property
    def p_covers(self) -> float:
        return float((self.covers <= self.observed_covers).mean())

    @property
    def p_false_positives(self) -> float:
        return float((self.false_positives >= self.observed_false_positives).mean())


def redrawn_counts(
    design: Design, params: Mapping, *, n_sims: int, seed: int | Iterable[int] = SEED
) -> tuple[np.ndarray, np.ndarray, int, int]:
    """Per redrawn survey: covering intervals and false positives among the main models' key
    coefficients (:data:`models.KEY_TERMS`), with the number of each kind of coefficient."""
    covers, false_pos = np.zeros(n_sims, dtype=int), np.zeros(n_sims, dtype=int)
    n_key = n_zero = 0
    for start, t, outcome, columns, res in refitted(design, params, n_sims=n_sims, seed=seed):
        rows = slice(start, start + len(res["n_obs"]))
        for term in models.KEY_TERMS:
            if term not in columns:
                continue
            j = columns.index(term)
            truth = synthetic.effect(params, t, outcome, term)
            low, high = res["conf_low"][:, j], res["conf_high"][:, j]
            covers[rows] += (low <= truth) & (truth <= high)
            if truth == 0:
                false_pos[rows] += res["p_value"][:, j] < models.ALPHA
            if start == 0:
                n_key += 1
                n_zero += truth == 0
    return covers, false_pos, n_key, n_zero


def draw_tails(
    frame: pd.DataFrame,
    registry: pd.DataFrame,
    comparison: pd.DataFrame | None,
    *,
    n_sims: int = 2000,
    seed: int = SEED,
) -> DrawTails | None:
    """How unusual the survey's coverage and false positives are for the synthetic process.

    ``comparison`` is :func:`findings.truth_comparison` of the survey's main models (None for
    real data, which gives None). The survey's answers are redrawn ``n_sims`` times for its own
    design from the process's outcome stage with the parameter file's effects, and each
    redrawn survey is analysed with the main models (as :func:`simulate` does).
    """
    if comparison is None:
        return None
    counts = _redrawn_counts_cached(frame, registry, n_sims, seed)
    covers, false_pos, n_key, n_zero = counts
    return DrawTails(
        n_sims,
        n_key,
        n_zero,
        covers,
        false_pos,
        int(comparison["covers"].sum()),
        int(comparison["false_positive"].sum()),
    )


@cache.shared
def _redrawn_counts_cached(
    frame: pd.DataFrame, registry: pd.DataFrame, n_sims: int, seed: int
) -> tuple[np.ndarray, np.ndarray, int, int]:
    params = synthetic.load_params()
    design = design_of(frame, registry, params)
    return redrawn_counts(design, params, n_sims=n_sims, seed=(seed, 7))


# --- the chapter's exercises -----------------------------------------------------------------


@dataclass(frozen=True)
class SampleSize:
    """The survey a true effect needs: ``needed`` rows detect ``effect`` with probability
    ``target``, where the survey's ``n_obs`` rows detect ``detectable`` (its standard error
    ``std_error`` times :func:`mde_multiplier`). Standard errors shrink with √n."""

    effect: float
    n_obs: int
    std_error: float
    detectable: float
    needed: int


def sample_needed(
    summary: pd.DataFrame,
    recovery_table: pd.DataFrame,
    platform_type: str,
    term: str,
    target: float = POWER_TARGET,
) -> SampleSize:
    """How many local governments of ``platform_type`` a survey needs to detect the smallest
    synthetic effect of ``term`` (in ``recovery_table``, :func:`recovery`'s frame) with
    probability ``target``, assuming new ones resemble the present ones.

    ``summary`` is :func:`power_summary`'s frame. Raises ``ValueError`` when either frame has
    no row for the type and term, or the effect is not positive.
    """
    rows = summary[(summary["platform_type"] == platform_type) & (summary["term"] == term)]
    effects = recovery_table[
        (recovery_table["platform_type"] == platform_type) & (recovery_table["term"] == term)
    ]
    if rows.empty or effects.empty:
        raise ValueError(f"no simulated result for {platform_type} × {term}")
    effect = float(effects["true_value"].min())
    if not effect > 0:
        raise ValueError(f"the synthetic effect of {term} on {platform_type} is not positive")
    row = rows.iloc[0]
    detectable = mde_multiplier(target) * float(row["mean_se"])
    needed = row["n_obs"] * (detectable / effect) ** 2
    return SampleSize(
        effect, int(row["n_obs"]), float(row["mean_se"]), detectable, math.ceil(needed)
    )


@dataclass(frozen=True)
class RatePrecision:
    """The Monte Carlo precision of a rejection rate ``rate`` estimated from ``n`` independent
    simulations (``std_error``), and the simulations ``needed`` to tell ``other`` from
    ``rate`` with ``spread`` standard errors to spare."""

    rate: float
    n: int
    other: float
    spread: float
    std_error: float
    needed: int

    @property
    def band(self) -> tuple[float, float]:
        """The rates within ``spread`` standard errors of ``rate``."""
        return self.rate - self.spread * self.std_error, self.rate + self.spread * self.std_error


def rate_precision(rate: float, other: float, n: int, spread: float = 2.0) -> RatePrecision:
    """A rejection rate over ``n`` simulations is a binomial proportion: standard error
    √(p(1 − p)/n); separating ``other`` needs p(1 − p)·(spread / (p − other))² simulations."""
    if not 0 < rate < 1 or not 0 <= other <= 1 or other == rate:
        raise ValueError(f"need 0 < rate < 1 and another rate in [0, 1]: {rate}, {other}")
    if int(n) < 1:
        raise ValueError(f"need at least one simulation, not {n}")
    se = math.sqrt(rate * (1 - rate) / int(n))
    needed = math.ceil(rate * (1 - rate) * (spread / (rate - other)) ** 2)
    return RatePrecision(rate, int(n), other, spread, se, needed)


# --- the chapter's study, computed once ---------------------------------------------------------


@cache.shared
def chapter_calibration(frame: pd.DataFrame, registry: pd.DataFrame) -> Calibration:
    """The chapter's noise calibration (:func:`calibrate_noise`, cached)."""
    return calibrate_noise(frame, registry)


@cache.shared
def chapter_simulation(frame: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """The chapter's Monte Carlo study on the design of ``frame``, with the process's noise
    calibrated to ``frame`` (:func:`chapter_calibration`; cached)."""
    factor = chapter_calibration(frame, registry).factor
    return simulate(frame, registry, with_noise(synthetic.load_params(), factor))
