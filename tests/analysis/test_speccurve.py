"""The specification curve: the set of specifications, the curve, and agreement with the paper."""

import math
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from platformgov import vocabulary
from platformgov.analysis import measures, models, speccurve
from platformgov.inputs import synthetic
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

SEED = 7


@pytest.fixture(scope="module")
def params():
    return synthetic.load_params()


@pytest.fixture(scope="module")
def tables(registry, params):
    return synthetic.generate(registry, params, seed=SEED)


@pytest.fixture(scope="module")
def frame(tables, registry):
    return speccurve.outcome_frame(SimpleNamespace(**tables), registry)


# --- the specification set ------------------------------------------------------------------


def test_specifications_are_the_full_product_of_the_options():
    specs = speccurve.specifications()
    per_cell = math.prod(len(o) for o in speccurve.OPTIONS.values())
    assert per_cell == 2 * 4 * 3 * 2 * 2
    assert len(specs) == len(TYPE_CODES) * len(OUTCOMES) * per_cell
    assert not specs.duplicated(subset=list(speccurve.SPEC_COLUMNS)).any()
    for dim, options in speccurve.OPTIONS.items():
        assert set(specs[dim]) == set(options)
        # a full factorial: every option appears equally often
        assert specs[dim].value_counts().nunique() == 1
    assert specs.groupby(["platform_type", "outcome"]).size().eq(per_cell).all()


def test_the_main_specification_is_the_main_model():
    specs = speccurve.specifications()
    main = specs[specs["main"]]
    assert len(main) == len(TYPE_CODES) * len(OUTCOMES)
    assert [speccurve.to_spec(r) for r in main.to_dict("records")] == models.main_specs()


def test_to_spec_follows_each_choice():
    row = {
        "platform_type": "C2C",
        "outcome": "efficiency",
        "estimator": "ologit",
        "activation": "count",
        "controls": "size",
        "sample": "basic",
        "outcome_form": "item",
    }
    spec = speccurve.to_spec(row)
    assert spec.outcome == "efficiency_item"
    assert spec.activation == ("n_platforms",)
    assert spec.collaboration == vocabulary.COLLABORATION
    assert spec.controls == ("log_population",)
    assert (spec.estimator, spec.sample) == ("ologit", "basic")
    assert speccurve.key_term("activation", "count") == "n_platforms"
    assert speccurve.key_term("activation", "log_n_diversity") == "log_n_platforms"
    assert speccurve.key_term("coop_metro", "count") == "coop_metro"


def test_item_outcomes_are_the_first_item_of_each_dimension(frame, tables):
    perf = tables["performance"].set_index(["lg_code", "platform_type"])
    row = frame.iloc[5]
    for outcome in OUTCOMES:
        item = speccurve.item_of(outcome)
        assert item.endswith("_1")
        expected = perf.loc[(row["lg_code"], row["platform_type"]), item]
        value = row[speccurve.item_column(outcome)]
        assert (pd.isna(expected) and np.isnan(value)) or value == expected


def test_item_outcomes_keep_the_analysis_frame(frame, tables, registry):
    base = measures.analysis_frame(SimpleNamespace(**tables), registry)
    pd.testing.assert_frame_equal(frame[base.columns], base)
    assert [c for c in frame.columns if c not in base.columns] == [
        speccurve.item_column(o) for o in OUTCOMES
    ]


def test_specification_curve_reads_each_key_from_one_fit(frame):
    specs = speccurve.specifications()
    chosen = specs[
        (specs["platform_type"] == "G2C")
        & (specs["outcome"] == "convenience")
        & (specs["controls"] == "full")
        & (specs["sample"] == "all")
        & (specs["estimator"] == "ols")
    ]
    curve = speccurve.specification_curve(frame, chosen)
    assert len(curve) == len(chosen) * len(speccurve.KEYS)
    for spec_row in chosen.to_dict("records"):
        fit = models.fit(frame, speccurve.to_spec(spec_row))
        coefs = fit.coefficients.set_index("term")
        mine = curve[
            (curve["activation"] == spec_row["activation"])
            & (curve["outcome_form"] == spec_row["outcome_form"])
        ].set_index("key")
        for key in speccurve.KEYS:
            term = speccurve.key_term(key, spec_row["activation"])
            assert mine.at[key, "term"] == term
            assert mine.at[key, "estimate"] == pytest.approx(coefs.at[term, "estimate"])
            assert mine.at[key, "p_value"] == pytest.approx(coefs.at[term, "p_value"])
            assert mine.at[key, "n_obs"] == fit.n_obs


def test_an_unestimable_specification_keeps_its_rows(frame):
    specs = speccurve.specifications().head(1).copy()
    tiny = frame[frame["platform_type"] != specs["platform_type"].iloc[0]]
    curve = speccurve.specification_curve(tiny, specs)
    assert len(curve) == len(speccurve.KEYS)
    assert curve["estimate"].isna().all()
    assert (curve["note"] == "not_estimable").all()


def test_agreement_counts_sign_and_significance():
    finding = models.Finding("G2C", "coop_metro", "democracy")
    rows = []
    values = [(0.3, 0.01), (0.2, 0.2), (-0.1, 0.5), (-0.4, 0.001), (np.nan, np.nan)]
    for i, (est, p) in enumerate(values):
        rows.append(
            {
                "platform_type": "G2C",
                "outcome": "democracy",
                "key": "coop_metro",
                "term": "coop_metro",
                "estimate": est,
                "p_value": p,
                "main": i == 0,
                **{dim: options[0] for dim, options in speccurve.OPTIONS.items()},
            }
        )
    table = speccurve.agreement(pd.DataFrame(rows), [finding]).iloc[0]
    assert table["n_specs"] == 4
    assert table["share_agree"] == pytest.approx(1 / 4)
    assert table["share_same_sign"] == pytest.approx(2 / 4)
    assert table["share_opposite"] == pytest.approx(1 / 4)
    assert bool(table["main_agrees"]) is True


def test_agreement_of_an_activation_finding_uses_every_activation_measure():
    finding = models.PAPER_FINDINGS[0]
    assert finding.term == "log_n_platforms"
    assert speccurve.finding_key(finding) == "activation"


# --- the faster ordered logit in models -----------------------------------------------------


def test_fast_ordered_logit_matches_statsmodels(frame):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    fit = models.fit(frame, models.Spec("G2C", "service_quality", estimator="ologit"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = OrderedModel(
            models.ordinal_score(fit.endog, "service_quality"), fit.design, distr="logit"
        ).fit(method="bfgs", disp=False, maxiter=2000, cov_type="HC0")
    terms = list(fit.design.columns)
    np.testing.assert_allclose(fit.coefficients["estimate"], ref.params[terms], atol=1e-4)
    np.testing.assert_allclose(fit.coefficients["std_error"], ref.bse[terms], rtol=1e-3)
    assert fit.r_squared == pytest.approx(ref.prsquared, abs=1e-6)


def test_exact_score_matches_the_numerical_one(frame):
    from statsmodels.tools.numdiff import approx_fprime

    fit = models.fit(frame, models.Spec("C2G", "democracy", estimator="ologit"))
    model = fit.model.model
    params = np.asarray(fit.model.params) + 0.05
    numerical = approx_fprime(params, model.loglike, centered=True)
    np.testing.assert_allclose(model.score(params), numerical, rtol=1e-5, atol=1e-6)


# --- OLS specifications fitted together ----------------------------------------------------


def test_an_outcome_that_changes_the_design_is_fitted_alone(frame):
    # Without the metropolitan governments' answers, level_metro no longer varies: that
    # specification cannot share the design of the others and must match models.fit alone.
    changed = frame.copy()
    changed.loc[changed["level_metro"] == 1, "democracy"] = np.nan
    specs = speccurve.specifications()
    specs = specs[
        (specs["platform_type"] == "C2G")
        & (specs["estimator"] == "ols")
        & (specs["activation"] == "log_n_diversity")
        & (specs["controls"] == "full")
        & (specs["sample"] == "all")
        & (specs["outcome_form"] == "scale")
    ]
    curve = speccurve.specification_curve(changed, specs)
    democracy = curve[curve["outcome"] == "democracy"].set_index("key")
    fit = models.fit(changed, speccurve.to_spec(specs[specs["outcome"] == "democracy"].iloc[0]))
    assert "level_metro" in fit.dropped
    assert "constant" in democracy["note"].iloc[0]
    for key in speccurve.KEYS:
        term = speccurve.key_term(key, "log_n_diversity")
        assert democracy.at[key, "estimate"] == pytest.approx(fit.term(term)["estimate"])
        assert democracy.at[key, "std_error"] == pytest.approx(fit.term(term)["std_error"])
    others = curve[curve["outcome"] != "democracy"]
    assert others["estimate"].notna().all()


def test_ordered_logit_estimates_are_larger_by_about_the_logistic_scale(frame):
    specs = speccurve.specifications()
    main = specs
    for dim, options in speccurve.OPTIONS.items():
        if dim != "estimator":
            main = main[main[dim] == options[0]]
    main = main[main["platform_type"] == "G2C"]
    curve = speccurve.specification_curve(frame, main)
    scales = speccurve.compare_scales(curve, frame)
    assert 0 < scales.n_pairs <= 4 * len(speccurve.KEYS)
    assert scales.residual_sd == pytest.approx(speccurve.main_residual_sd(frame))
    assert scales.predicted == pytest.approx(math.pi / math.sqrt(3) / scales.residual_sd)
    assert scales.ratio > 1
