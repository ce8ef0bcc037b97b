"""The specification curve: how much the results depend on choices the paper does not report.

The paper reports signs and significance from one set of choices it does not describe.
:func:`specifications` lists every combination of the choices we consider reasonable
(:data:`OPTIONS`), for each platform type × outcome; :func:`specification_curve` fits each one
and keeps the estimate of every key predictor (:data:`KEYS`): the activation measure of the
specification and cooperation with the central government, the 광역 government and the
private sector. All four come from the same fit, so a specification is fitted once, whatever
the number of predictors read from it. Specifications that share a design are solved
together: OLS ones with :func:`platformgov.analysis.simulation.batched_ols_hc3`, with the same
results as :func:`models.fit`, and ordered logits with
:func:`platformgov.analysis.ordinal.fit_specs`, which carries each maximisation to convergence
(statsmodels' optimiser, which :func:`models.fit` uses, stops slightly short of it).
:func:`agreement` summarises, for each finding of :data:`models.PAPER_FINDINGS`, the share of
specifications whose estimate has the paper's sign and p < 0.05.

The curve takes seconds; :func:`chapter_curve` goes through
:func:`platformgov.analysis.cache.shared`, so that the two editions of the book (and the
tests) compute it once for the same inputs and code.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from platformgov import vocabulary
from platformgov.analysis import cache, models, ordinal
from platformgov.analysis.measures import analysis_frame
from platformgov.analysis.simulation import RESULT_COLUMNS, batched_ols_hc3
from platformgov.inputs.codebook import outcome_items
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

#: The key predictors read from every specification.
KEYS = ("activation", *vocabulary.COLLABORATION)

#: The choices of the specification curve; the first option of each is our main model.
OPTIONS: dict[str, tuple[str, ...]] = {
    "estimator": ("ols", "ologit"),
    "activation": ("log_n_diversity", "log_n", "count", "diversity"),
    "controls": ("full", "size", "none"),
    "sample": ("all", "basic"),
    "outcome_form": ("scale", "item"),
}
ACTIVATION_SETS: dict[str, tuple[str, ...]] = {
    "log_n_diversity": vocabulary.MAIN_ACTIVATION,
    "log_n": ("log_n_platforms",),
    "count": ("n_platforms",),
    "diversity": ("diversity",),
}
CONTROL_SETS: dict[str, tuple[str, ...]] = {
    "full": vocabulary.CONTROLS,
    "size": ("log_population",),
    "none": (),
}
#: The single item that stands for a dimension when ``outcome_form`` is ``"item"``: the first
#: of its three (our choice).
ITEM_SUFFIX = "_item"
SPEC_COLUMNS = ("platform_type", "outcome", *OPTIONS)
#: The standard deviation of the logistic distribution, the error of the ordered logit's
#: latent score: π/√3.
LOGISTIC_SD = math.pi / math.sqrt(3)


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
        collaboration=vocabulary.COLLABORATION,
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

    Every specification is fitted once, and all key predictors are read from that fit.
    Specifications that differ only in their outcome share their design matrix and are fitted
    together: OLS by :func:`_fit_ols_group`, with the same estimates as :func:`models.fit`, and
    ordered logits by :func:`platformgov.analysis.ordinal.fit_specs`.
    """
    specs = specifications() if specs is None else specs
    records = specs.to_dict("records")
    fits: list[_Fit | None] = [None] * len(records)
    groups: dict[tuple, list[int]] = {}
    ologit: list[int] = []
    for i, r in enumerate(records):
        if r["estimator"] == "ols":
            key = (r["platform_type"], r["activation"], r["controls"], r["sample"])
            groups.setdefault(key, []).append(i)
        else:
            ologit.append(i)
    # Ordered logits that share a design are solved together (analysis.ordinal).
    batched = ordinal.fit_specs(frame, [to_spec(records[i]) for i in ologit])
    for i, fit in zip(ologit, batched, strict=True):
        fits[i] = _Fit(fit.coefficients, fit.n_obs, fit.reasons)
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
    return "activation" if finding.term in vocabulary.MAIN_ACTIVATION else finding.term


def classify(estimate: pd.Series, p_value: pd.Series, sign: int) -> pd.Series:
    """``agree`` (paper's sign, p < α), ``not_significant``, ``opposite`` (other sign, p < α),
    or ``missing``."""
    significant = p_value < models.ALPHA
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


@dataclass(frozen=True)
class KeySplit:
    """Where the significant estimates of one key predictor come from.

    ``share`` of its ``n`` estimates are significant (p < α); ``by_option`` gives that share
    under each option of every choice (``dimension, option, n, share``) and ``by_cell`` under
    each type × outcome (``platform_type, outcome, n, share, main_significant``: whether the
    main model's estimate is significant), sorted from the largest share down.
    """

    key: str
    n: int
    share: float
    by_option: pd.DataFrame
    by_cell: pd.DataFrame

    def option_range(self, dimension: str) -> tuple[float, float]:
        """The smallest and the largest share over the options of ``dimension``."""
        shares = self.by_option.loc[self.by_option["dimension"] == dimension, "share"]
        return float(shares.min()), float(shares.max())

    @property
    def top(self) -> pd.Series:
        """The type × outcome with the largest share of significant estimates."""
        return self.by_cell.iloc[0]


def significance_split(curve: pd.DataFrame, key: str) -> KeySplit:
    """How often ``key`` is significant, over all specifications, by choice and by cell."""
    rows = curve[(curve["key"] == key) & curve["p_value"].notna()]
    if rows.empty:
        raise ValueError(f"the curve has no estimate of {key!r}")
    rows = rows.assign(_significant=rows["p_value"] < models.ALPHA)
    by_option = [
        {"dimension": dim, "option": option, "n": len(chosen), "share": chosen.mean()}
        for dim, options in OPTIONS.items()
        for option in options
        if len(chosen := rows.loc[rows[dim] == option, "_significant"])
    ]
    cells = (
        rows.groupby(["platform_type", "outcome"], sort=False)
        .agg(n=("_significant", "size"), share=("_significant", "mean"))
        .reset_index()
    )
    main = rows[rows["main"].astype(bool)].set_index(["platform_type", "outcome"])["_significant"]
    keys = list(zip(cells["platform_type"], cells["outcome"], strict=True))
    cells["main_significant"] = [bool(main.get(k, False)) for k in keys]
    cells = cells.sort_values("share", ascending=False, kind="stable").reset_index(drop=True)
    return KeySplit(
        key, len(rows), float(rows["_significant"].mean()), pd.DataFrame(by_option), cells
    )


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
    clear = pairs[pairs[("p_value", "ols")] < models.ALPHA]
    use = clear if len(clear) else pairs
    ratio = use[("estimate", "ologit")] / use[("estimate", "ols")]
    return float(ratio.median()), len(use)


def main_residual_sd(frame: pd.DataFrame) -> float:
    """The median residual standard deviation of the main OLS models of ``frame`` (points)."""
    return float(np.median([np.sqrt(r.model.mse_resid) for r in models.fit_main(frame)]))


@dataclass(frozen=True)
class ScaleComparison:
    """Ordered-logit against OLS estimates: their median ``ratio`` over ``n_pairs`` key
    predictors (:func:`estimator_ratio`), and the ratio ``predicted`` from the residual
    standard deviation of the OLS models (an ordered logit measures effects in units of an
    error with standard deviation :data:`LOGISTIC_SD`)."""

    ratio: float
    n_pairs: int
    residual_sd: float

    @property
    def predicted(self) -> float:
        return LOGISTIC_SD / self.residual_sd


def compare_scales(curve: pd.DataFrame, frame: pd.DataFrame) -> ScaleComparison:
    """The :class:`ScaleComparison` of ``curve``, fitted on ``frame``."""
    ratio, n_pairs = estimator_ratio(curve)
    return ScaleComparison(ratio, n_pairs, main_residual_sd(frame))


# --- the chapter's curve, computed once ----------------------------------------------------------


@cache.shared
def chapter_curve(frame: pd.DataFrame) -> pd.DataFrame:
    """The chapter's specification curve of ``frame`` (cached: see :mod:`analysis.cache`)."""
    return specification_curve(frame)
