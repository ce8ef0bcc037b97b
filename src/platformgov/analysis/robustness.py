"""How much the results depend on our choices, and how much a survey of this size can detect.

Specification curve
    The paper reports signs and significance from one set of choices it does not describe.
    :func:`specifications` lists every combination of the choices we consider reasonable
    (:data:`OPTIONS`), for each platform type × outcome; :func:`specification_curve` fits each
    one and keeps the estimate of every key predictor (:data:`KEYS`): the activation measure of
    the specification and cooperation with the central government, the 광역 government and the
    private sector. All four come from the same fit, so a specification is fitted once,
    whatever the number of predictors read from it. Ordered logits (the slow part) go through
    :func:`platformgov.analysis.models.fit`; OLS specifications that differ only in their outcome share
    the design matrix :func:`models.fit` builds and are solved together, with the same results.
    :func:`agreement` summarises, for each finding of :data:`models.PAPER_FINDINGS`, the share
    of specifications whose estimate has the paper's sign and p < 0.05.

Monte Carlo power and recovery
    :func:`simulate` fixes the survey's design — the local governments that answered, their
    platforms and partners, i.e. the regressors of the main model — and redraws only the
    answers, many times, from the synthetic process's outcome stage
    (:func:`synthetic.draw_performance`, the very function :func:`synthetic.generate` uses), with
    effects set by :func:`synthetic.with_effects`. Each simulated survey is refitted with the
    main OLS model, all replicates at once (:func:`batched_ols_hc3`: one weighted least squares
    with HC3 errors in numpy over many outcome vectors that share a design; a missing answer
    gives its row weight 0 in that replicate, which is exactly listwise deletion).

    Why fixing the design is valid: the OLS estimates, their HC3 standard errors and the tests
    built on them are statements conditional on the regressors, and in the synthetic process
    the answers are drawn from their own random stream given the regressors. Redrawing the
    answers for the survey's own design therefore samples exactly the distribution that the
    p-values and confidence intervals of the main model refer to. Power depends on the design
    (how many local governments run a type, how many cooperate), which is why we keep the
    survey's own rather than a new draw.

Both computations take seconds; :func:`chapter_curve` and :func:`chapter_simulation` go
through :func:`platformgov.analysis.cache.shared`, so that the two editions of the book (and the
tests) compute them once for the same inputs and code.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from platformgov.analysis import cache, models
from platformgov.analysis.measures import OUTCOMES, analysis_frame
from platformgov.analysis.taxonomy import TYPE_CODES
from platformgov.inputs import synthetic
from platformgov.inputs.codebook import outcome_items
from platformgov.labels import check_lang, label, value_label

ALPHA = models.ALPHA
#: The key predictors read from every specification.
KEYS = ("activation", "coop_central", "coop_metro", "coop_private")

#: The choices of the specification curve; the first option of each is our main model.
OPTIONS: dict[str, tuple[str, ...]] = {
    "estimator": ("ols", "ologit"),
    "activation": ("log_n_diversity", "log_n", "count", "diversity"),
    "controls": ("full", "size", "none"),
    "sample": ("all", "basic"),
    "outcome_form": ("scale", "item"),
}
ACTIVATION_SETS: dict[str, tuple[str, ...]] = {
    "log_n_diversity": models.MAIN_ACTIVATION,
    "log_n": ("log_n_platforms",),
    "count": ("n_platforms",),
    "diversity": ("diversity",),
}
CONTROL_SETS: dict[str, tuple[str, ...]] = {
    "full": models.MAIN_CONTROLS,
    "size": ("log_population",),
    "none": (),
}
#: The single item that stands for a dimension when ``outcome_form`` is ``"item"``: the first
#: of its three (our choice).
ITEM_SUFFIX = "_item"
SPEC_COLUMNS = ("platform_type", "outcome", *OPTIONS)
RESULT_COLUMNS = ("estimate", "std_error", "p_value", "conf_low", "conf_high")

#: The Monte Carlo study: the key predictors of the main model, the true effects given to them
#: (Likert points per unit of the predictor), and the simulated surveys per rotation (see
#: :func:`simulate`): with four rotations, each effect size is estimated 4 × N_SIMS times per
#: type and predictor.
SIM_TERMS = ("log_n_platforms", "coop_central", "coop_metro", "coop_private")
EFFECT_SIZES = tuple(round(0.05 * i, 2) for i in range(17))
N_SIMS = 125
SEED = 20221231
POWER_TARGET = 0.8
CHUNK = 250
#: Answered items a scale needs, as in :func:`measures.outcome_scales` (its default).
MIN_ITEMS = 2


# --- the specification set ----------------------------------------------------------------


def specifications() -> pd.DataFrame:
    """Every specification of the curve: one row per type × outcome × combination of choices.

    Columns ``platform_type, outcome`` and one per entry of :data:`OPTIONS`, plus ``main``
    (True for our main model). The number of rows is 3 types × 4 outcomes × the product of the
    option counts.
    """
    rows = itertools.product(TYPE_CODES, OUTCOMES, *OPTIONS.values())
    out = pd.DataFrame(list(rows), columns=list(SPEC_COLUMNS))
    main = np.ones(len(out), dtype=bool)
    for dim, options in OPTIONS.items():
        main &= out[dim] == options[0]
    out["main"] = main
    return out


def item_column(outcome: str) -> str:
    return f"{outcome}{ITEM_SUFFIX}"


def item_of(outcome: str) -> str:
    """The performance item that stands for ``outcome`` in single-item specifications."""
    return outcome_items()[outcome][0]


def to_spec(row: Mapping[str, Any]) -> models.Spec:
    """The :class:`models.Spec` of one row of :func:`specifications`."""
    outcome = row["outcome"] if row["outcome_form"] == "scale" else item_column(row["outcome"])
    return models.Spec(
        platform_type=row["platform_type"],
        outcome=outcome,
        activation=ACTIVATION_SETS[row["activation"]],
        collaboration=models.MAIN_COLLABORATION,
        controls=CONTROL_SETS[row["controls"]],
        estimator=row["estimator"],
        sample=row["sample"],
    )


def add_item_outcomes(frame: pd.DataFrame, performance: pd.DataFrame) -> pd.DataFrame:
    """The analysis frame with one single-item outcome per dimension (``democracy_item`` …).

    Each is the answer to the dimension's first item (:func:`item_of`) in the row's
    ``performance`` record, as a float with NaN for a blank.
    """
    items = {item_column(o): item_of(o) for o in OUTCOMES}
    perf = pd.DataFrame(
        {
            "lg_code": performance["lg_code"].astype("string").str.strip().astype(object),
            "platform_type": performance["platform_type"].astype("string").astype(object),
        }
    )
    for column, item in items.items():
        perf[column] = pd.to_numeric(performance[item], errors="raise").astype("float64")
    out = frame.drop(columns=list(items), errors="ignore")
    return out.merge(perf, on=["lg_code", "platform_type"], how="left", validate="one_to_one")


def outcome_frame(survey: Any, registry: pd.DataFrame) -> pd.DataFrame:
    """The analysis frame of ``survey`` with the single-item outcomes added."""
    return add_item_outcomes(analysis_frame(survey, registry), survey.performance)


def key_term(key: str, activation: str) -> str:
    """The model term that a key predictor stands for under an activation option."""
    return ACTIVATION_SETS[activation][0] if key == "activation" else key


@dataclass
class _Fit:
    """What the curve keeps of one fitted specification."""

    coefficients: pd.DataFrame | None  # indexed by term; None when not estimable
    n_obs: int
    reasons: str


def _fit_one(frame: pd.DataFrame, spec_row: Mapping[str, Any]) -> _Fit:
    try:
        result = models.fit(frame, to_spec(spec_row))
    except models.ModelError:
        return _Fit(None, 0, "not_estimable")
    reasons = ",".join(n.reason for n in result.notes)
    return _Fit(result.coefficients.set_index("term"), result.n_obs, reasons)


def _fit_ols_group(frame: pd.DataFrame, group: list[Mapping[str, Any]]) -> list[_Fit]:
    """OLS specifications that differ only in their outcome, fitted on one shared design.

    The design is the one :func:`models.fit` builds (constant and collinear terms dropped) over
    the rows with every regressor; each outcome is one vector of :func:`batched_ols_hc3`, whose
    missing values are listwise deletion. A specification whose own rows would change the design
    (a term constant or collinear once its missing outcomes are dropped) is fitted alone.
    """
    spec = replace(to_spec(group[0]), outcome="_probe")
    rows = frame[frame["platform_type"] == spec.platform_type]
    rows = rows[models.SAMPLES[spec.sample](rows).astype(bool)]
    rows = rows.dropna(subset=list(spec.terms))
    try:
        probe = models.fit(rows.assign(_probe=np.arange(len(rows), dtype=float)), spec)
    except models.ModelError:
        return [_fit_one(frame, r) for r in group]
    design = probe.design.to_numpy()
    terms = list(probe.design.columns)
    notes = [n.reason for n in probe.notes if n.reason in ("constant", "collinear")]
    outcomes = np.array(
        [rows[to_spec(r).outcome].to_numpy(dtype=float) for r in group], dtype=float
    )
    fits: list[_Fit | None] = [None] * len(group)
    batch = []
    for i, y in enumerate(outcomes):
        seen = design[np.isfinite(y)]
        if len(seen) <= design.shape[1] or np.linalg.matrix_rank(seen) < design.shape[1]:
            fits[i] = _fit_one(frame, group[i])
        else:
            batch.append(i)
    if batch:
        res = batched_ols_hc3(design, outcomes[batch])
        for j, i in enumerate(batch):
            coefs = pd.DataFrame({c: res[c][j] for c in RESULT_COLUMNS}, index=terms)
            reasons = list(notes)
            if not np.isfinite(res["std_error"][j]).any():
                reasons.append("leverage_one")
            fits[i] = _Fit(coefs, int(res["n_obs"][j]), ",".join(reasons))
    return fits


def specification_curve(frame: pd.DataFrame, specs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Fit every specification and return one row per specification × key predictor.

    ``frame`` is :func:`outcome_frame`'s frame; ``specs`` defaults to :func:`specifications`.
    Columns: the specification's columns, ``key``, ``term``, the coefficient columns of
    :class:`models.FitResult`, ``n_obs`` and ``note`` (empty, or why the estimate is missing or
    doubtful: ``not_estimable``, ``dropped``, or the reasons of the model's notes). A
    specification that cannot be estimated keeps its rows with missing numbers.

    Every specification is fitted once, and all key predictors are read from that fit. Ordered
    logits are fitted one by one with :func:`models.fit`; OLS specifications that differ only
    in their outcome share their design matrix and are fitted together
    (:func:`_fit_ols_group`), with the same estimates as :func:`models.fit`.
    """
    specs = specifications() if specs is None else specs
    records = specs.to_dict("records")
    fits: list[_Fit | None] = [None] * len(records)
    groups: dict[tuple, list[int]] = {}
    for i, r in enumerate(records):
        if r["estimator"] == "ols":
            key = (r["platform_type"], r["activation"], r["controls"], r["sample"])
            groups.setdefault(key, []).append(i)
        else:
            fits[i] = _fit_one(frame, r)
    for members in groups.values():
        for i, fit in zip(
            members, _fit_ols_group(frame, [records[i] for i in members]), strict=True
        ):
            fits[i] = fit
    rows = []
    for spec_row, fit in zip(records, fits, strict=True):
        for key in KEYS:
            term = key_term(key, spec_row["activation"])
            row = {**spec_row, "key": key, "term": term}
            if fit.coefficients is not None and term in fit.coefficients.index:
                row.update({c: float(fit.coefficients.at[term, c]) for c in RESULT_COLUMNS})
                row["note"] = fit.reasons
            else:
                row.update({c: np.nan for c in RESULT_COLUMNS})
                row["note"] = fit.reasons if fit.coefficients is None else "dropped"
            row["n_obs"] = fit.n_obs
            rows.append(row)
    out = pd.DataFrame(rows)
    out["n_obs"] = out["n_obs"].astype("int64")
    return out


def finding_key(finding: models.Finding) -> str:
    """The key predictor a finding is about (its activation term counts as ``activation``)."""
    return "activation" if finding.term in models.MAIN_ACTIVATION else finding.term


def classify(estimate: pd.Series, p_value: pd.Series, sign: int) -> pd.Series:
    """``agree`` (paper's sign, p < α), ``not_significant``, ``opposite`` (other sign, p < α),
    or ``missing``."""
    significant = p_value < ALPHA
    same = np.sign(estimate) == sign
    out = np.where(
        significant & same, "agree", np.where(significant, "opposite", "not_significant")
    )
    out = np.where(estimate.isna() | p_value.isna(), "missing", out)
    return pd.Series(out, index=estimate.index)


def finding_rows(curve: pd.DataFrame, finding: models.Finding) -> pd.DataFrame:
    """The curve's rows for one finding, with its ``verdict`` (see :func:`classify`)."""
    rows = curve[
        (curve["platform_type"] == finding.platform_type)
        & (curve["outcome"] == finding.outcome)
        & (curve["key"] == finding_key(finding))
    ].copy()
    rows["verdict"] = classify(rows["estimate"], rows["p_value"], finding.sign)
    return rows


def agreement(
    curve: pd.DataFrame, findings: Iterable[models.Finding] = models.PAPER_FINDINGS
) -> pd.DataFrame:
    """For each finding: how many specifications estimate it and what share agree.

    ``share_agree``: the paper's sign and p < 0.05; ``share_same_sign``: the paper's sign
    whatever the p-value; ``share_opposite``: the other sign and p < 0.05. Shares are over the
    specifications with an estimate (``n_specs``). ``main_agrees`` is the verdict of our main
    model.
    """
    out = []
    for f in findings:
        rows = finding_rows(curve, f)
        valid = rows[rows["verdict"] != "missing"]
        n = len(valid)
        main = rows[rows["main"]]
        out.append(
            {
                "platform_type": f.platform_type,
                "key": finding_key(f),
                "term": f.term,
                "outcome": f.outcome,
                "sign": f.sign,
                "n_specs": n,
                "share_agree": (valid["verdict"] == "agree").mean() if n else np.nan,
                "share_same_sign": (np.sign(valid["estimate"]) == f.sign).mean() if n else np.nan,
                "share_opposite": (valid["verdict"] == "opposite").mean() if n else np.nan,
                "main_agrees": bool((main["verdict"] == "agree").any()) if len(main) else pd.NA,
            }
        )
    frame = pd.DataFrame(out)
    frame["main_agrees"] = frame["main_agrees"].astype("boolean")
    return frame


def agreement_by_choice(
    curve: pd.DataFrame, findings: Iterable[models.Finding] = models.PAPER_FINDINGS
) -> pd.DataFrame:
    """Share of specifications that agree with the paper, over all findings, by each choice.

    One row per dimension × option of :data:`OPTIONS`: ``dimension, option, n_specs,
    share_agree``.
    """
    rows = pd.concat([finding_rows(curve, f) for f in findings], ignore_index=True)
    rows = rows[rows["verdict"] != "missing"]
    out = []
    for dim, options in OPTIONS.items():
        for option in options:
            chosen = rows[rows[dim] == option]
            out.append(
                {
                    "dimension": dim,
                    "option": option,
                    "n_specs": len(chosen),
                    "share_agree": (chosen["verdict"] == "agree").mean() if len(chosen) else np.nan,
                }
            )
    return pd.DataFrame(out)


def selected_findings(
    table: pd.DataFrame, findings: tuple[models.Finding, ...] = models.PAPER_FINDINGS
) -> dict[str, models.Finding]:
    """Three findings whose curves the chapter shows: the paper's first (``"first"``), the one
    most specifications agree with (``"robust"``) and the one fewest agree with
    (``"fragile"``), three different findings.

    ``table`` is :func:`agreement` of ``findings`` (same order). Ties go to the larger share
    with the paper's sign, then to the finding listed first.
    """
    if len(table) != len(findings) or len(findings) < 3:
        raise ValueError("pass agreement() of the same findings, at least three")
    ranked = table.assign(_order=np.arange(len(table))).sort_values(
        ["share_agree", "share_same_sign", "_order"],
        ascending=[False, False, True],
        na_position="last",
    )
    order = list(ranked["_order"])
    robust = next(i for i in order if i != 0)
    fragile = next(i for i in reversed(order) if i not in (0, robust))
    return {"first": findings[0], "robust": findings[robust], "fragile": findings[fragile]}


# --- reader-facing tables of the specification curve -----------------------------------------


def option_label(dimension: str, option: str, lang: str) -> str:
    return label(f"power.option.{dimension}.{option}", lang)


def options_table(lang: str) -> pd.DataFrame:
    """The choices of the curve: one row per dimension, its options, and our main choice."""
    check_lang(lang)
    rows = {}
    for dim, options in OPTIONS.items():
        rows[label(f"power.dimension.{dim}", lang)] = {
            label("power.options", lang): " · ".join(option_label(dim, o, lang) for o in options),
            label("power.n_options", lang): len(options),
            label("power.main_choice", lang): option_label(dim, options[0], lang),
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    return out


def key_label(key: str, lang: str) -> str:
    return label("power.key.activation" if key == "activation" else f"term.{key}", lang)


def finding_label(finding: models.Finding, lang: str) -> str:
    """ "Type: predictor → outcome", the name of a finding in figures and tables."""
    return "{}: {} → {}".format(
        value_label("platform_type", finding.platform_type, lang),
        key_label(finding_key(finding), lang),
        label(f"outcome.{finding.outcome}", lang),
    )


def _percent(value: float) -> str:
    return "" if value is None or not np.isfinite(value) else f"{100 * value:.0f}%"


def agreement_table(
    table: pd.DataFrame, lang: str, findings: Iterable[models.Finding] = models.PAPER_FINDINGS
) -> pd.DataFrame:
    """:func:`agreement`'s frame of ``findings`` with labels and percentages, one row per
    finding (named by :func:`finding_label`)."""
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


def agreement_by_choice_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`agreement_by_choice`'s frame with labels, indexed by the option."""
    check_lang(lang)
    out = pd.DataFrame(
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
    return out


# --- batched least squares with HC3 ----------------------------------------------------------


def batched_ols_hc3(x: np.ndarray, y: np.ndarray, alpha: float = ALPHA) -> dict[str, np.ndarray]:
    """OLS of many outcome vectors on one design, with HC3 errors, as :func:`models.fit` does.

    ``x`` is the design (n × p, with its intercept column); ``y`` holds R outcome vectors
    (R × n), NaN where a replicate's outcome is missing: that row gets weight 0 in that
    replicate, which is listwise deletion. Returns arrays ``estimate, std_error, p_value,
    conf_low, conf_high`` (R × p) and ``n_obs`` (R). As in :mod:`models`, p-values and
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
    return {
        "estimate": beta,
        "std_error": se,
        "p_value": pval,
        "conf_low": beta - crit * se,
        "conf_high": beta + crit * se,
        "n_obs": n_obs,
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
    type_index = rows["platform_type"].map({t: j for j, t in enumerate(synthetic.TYPES)}).to_numpy()
    terms = np.zeros((len(lg), len(synthetic.TYPES), len(synthetic.TERMS)))
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
    answers = answers.reshape(n_sims, n_lg, len(synthetic.TYPES), len(synthetic.ITEMS))
    answers = answers[:, design.lg_index, design.type_index, :]
    items = answers.reshape(n_sims, len(design.rows), len(OUTCOMES), 3)
    answered = np.isfinite(items).sum(axis=3)
    means = np.nansum(items, axis=3) / np.maximum(answered, 1)
    return np.where(answered >= MIN_ITEMS, means, np.nan)


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
        for t in synthetic.TYPES
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
                    "rejection": (p < ALPHA).mean() if n else np.nan,
                    "rejection_positive": ((p < ALPHA) & (e > 0)).mean() if n else np.nan,
                    "coverage": ((low <= truth) & (truth <= high)).mean() if n else np.nan,
                }
            )
    return rows


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
    seed = [seed] if isinstance(seed, int) else list(seed)
    fits: dict[tuple[str, str], list[dict[str, np.ndarray]]] = {}
    for start in range(0, n_sims, CHUNK):
        size = min(CHUNK, n_sims - start)
        rng = np.random.default_rng(np.random.SeedSequence([*seed, start]))
        scales = simulate_scales(design, params, rng, size)
        for t, x in design.designs.items():
            of_type = (design.rows["platform_type"] == t).to_numpy()
            for k, outcome in enumerate(OUTCOMES):
                res = batched_ols_hc3(x.to_numpy(), scales[:, of_type, k])
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


def _pool(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Replicate-weighted means of the rates over outcomes (and rotations)."""
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
    return out.drop(columns=[f"_{c}" for c in rates])


def power_curves(sim: pd.DataFrame) -> pd.DataFrame:
    """Detection probability by type × key term × true effect, pooled over the four outcomes.

    Only estimates whose true value is the grid's effect size count (at zero, all of them).
    Columns ``platform_type, term, effect_size, power`` (share of p < 0.05), ``n_sims``,
    ``mc_se`` (the Monte Carlo standard error of ``power``), ``power_positive`` (p < 0.05 and a
    positive estimate), ``coverage``, ``bias``, ``mean_se`` and ``n_obs``.
    """
    grid = sim[(sim["condition"] == "grid") & np.isclose(sim["true_value"], sim["effect_size"])]
    out = _pool(grid, ["platform_type", "term", "effect_size"])
    out = out.rename(columns={"rejection": "power", "rejection_positive": "power_positive"})
    out["mc_se"] = np.sqrt(out["power"] * (1 - out["power"]) / out["n_sims"])
    columns = ["platform_type", "term", "effect_size", "power", "n_sims", "mc_se"]
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
    return float(stats.norm.ppf(1 - ALPHA / 2) + stats.norm.ppf(target))


def estimator_ratio(curve: pd.DataFrame) -> tuple[float, int]:
    """Median ratio of the ordered-logit to the OLS estimate of the same key predictor in the
    same model, over the main model's choices, and the number of pairs it is taken over.

    Only pairs whose OLS estimate is significant count (a ratio of two estimates near zero
    says nothing about scale), unless there is none.
    """
    main = curve
    for dim, options in OPTIONS.items():
        if dim != "estimator":
            main = main[main[dim] == options[0]]
    pairs = main.pivot_table(
        index=["platform_type", "outcome", "key"],
        columns="estimator",
        values=["estimate", "p_value"],
    ).dropna()
    clear = pairs[pairs[("p_value", "ols")] < ALPHA]
    use = clear if len(clear) else pairs
    ratio = use[("estimate", "ologit")] / use[("estimate", "ols")]
    return float(ratio.median()), len(use)


def power_summary(sim: pd.DataFrame, target: float = POWER_TARGET) -> pd.DataFrame:
    """What the survey can detect: one row per type × key term of the main model.

    ``n_obs``; ``mean_se`` (standard error at zero effect); ``size`` (rejection rate when the
    true effect is zero, nominally 0.05, over every grid survey where it is zero);
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


def power_table(
    summary: pd.DataFrame, lang: str, grid_max: float, target: float = POWER_TARGET
) -> pd.DataFrame:
    """:func:`power_summary` with labels, one row per type × key term ("Type: predictor")."""
    check_lang(lang)
    multiplier = mde_multiplier(target)
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


def recovery_table(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`recovery` with labels, one row per finding of the paper."""
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


# --- the chapter's results, computed once -----------------------------------------------


@cache.shared
def chapter_curve(frame: pd.DataFrame) -> pd.DataFrame:
    """The chapter's specification curve of ``frame`` (cached: see :mod:`analysis.cache`)."""
    return specification_curve(frame)


@cache.shared
def chapter_simulation(frame: pd.DataFrame, registry: pd.DataFrame) -> pd.DataFrame:
    """The chapter's Monte Carlo study on the design of ``frame`` (cached)."""
    return simulate(frame, registry)


# --- benchmarks -------------------------------------------------------------------------------


def _book_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    from platformgov.inputs.registry import load_registry
    from platformgov.inputs.survey import load_survey

    registry = load_registry()
    return outcome_frame(load_survey(), registry), registry


def benchmark_specification_curve() -> pd.DataFrame:
    """The chapter's full specification curve, computed afresh (no cache)."""
    frame, _ = _book_inputs()
    return specification_curve(frame)


def benchmark_simulation() -> pd.DataFrame:
    """The chapter's full Monte Carlo study, computed afresh (no cache)."""
    frame, registry = _book_inputs()
    return simulate(frame, registry)
