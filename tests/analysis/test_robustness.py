import inspect
import math
import warnings
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from platformgov.analysis import measures, models, robustness
from platformgov.analysis.measures import OUTCOMES
from platformgov.analysis.taxonomy import TYPE_CODES
from platformgov.inputs import synthetic
from platformgov.labels import label

SEED = 7


@pytest.fixture(scope="module")
def params():
    return synthetic.load_params()


@pytest.fixture(scope="module")
def tables(registry, params):
    return synthetic.generate(registry, params, seed=SEED)


@pytest.fixture(scope="module")
def frame(tables, registry):
    survey = SimpleNamespace(**tables)
    return robustness.outcome_frame(survey, registry)


@pytest.fixture(scope="module")
def design(frame, registry, params):
    return robustness.design_of(frame, registry, params)


def binomial_tolerance(p: float, n: int, z: float = 3.5) -> float:
    return z * math.sqrt(p * (1 - p) / n)


# --- the specification set ------------------------------------------------------------------


def test_specifications_are_the_full_product_of_the_options():
    specs = robustness.specifications()
    per_cell = math.prod(len(o) for o in robustness.OPTIONS.values())
    assert per_cell == 2 * 4 * 3 * 2 * 2
    assert len(specs) == len(TYPE_CODES) * len(OUTCOMES) * per_cell
    assert not specs.duplicated(subset=list(robustness.SPEC_COLUMNS)).any()
    for dim, options in robustness.OPTIONS.items():
        assert set(specs[dim]) == set(options)
        # a full factorial: every option appears equally often
        assert specs[dim].value_counts().nunique() == 1
    assert specs.groupby(["platform_type", "outcome"]).size().eq(per_cell).all()


def test_the_main_specification_is_the_main_model():
    specs = robustness.specifications()
    main = specs[specs["main"]]
    assert len(main) == len(TYPE_CODES) * len(OUTCOMES)
    assert [robustness.to_spec(r) for r in main.to_dict("records")] == models.main_specs()


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
    spec = robustness.to_spec(row)
    assert spec.outcome == "efficiency_item"
    assert spec.activation == ("n_platforms",)
    assert spec.collaboration == models.MAIN_COLLABORATION
    assert spec.controls == ("log_population",)
    assert (spec.estimator, spec.sample) == ("ologit", "basic")
    assert robustness.key_term("activation", "count") == "n_platforms"
    assert robustness.key_term("activation", "log_n_diversity") == "log_n_platforms"
    assert robustness.key_term("coop_metro", "count") == "coop_metro"


def test_item_outcomes_are_the_first_item_of_each_dimension(frame, tables):
    perf = tables["performance"].set_index(["lg_code", "platform_type"])
    row = frame.iloc[5]
    for outcome in OUTCOMES:
        item = robustness.item_of(outcome)
        assert item.endswith("_1")
        expected = perf.loc[(row["lg_code"], row["platform_type"]), item]
        value = row[robustness.item_column(outcome)]
        assert (pd.isna(expected) and np.isnan(value)) or value == expected


def test_item_outcomes_keep_the_analysis_frame(frame, tables, registry):
    base = measures.analysis_frame(SimpleNamespace(**tables), registry)
    pd.testing.assert_frame_equal(frame[base.columns], base)
    assert [c for c in frame.columns if c not in base.columns] == [
        robustness.item_column(o) for o in OUTCOMES
    ]


def test_specification_curve_reads_each_key_from_one_fit(frame):
    specs = robustness.specifications()
    chosen = specs[
        (specs["platform_type"] == "G2C")
        & (specs["outcome"] == "convenience")
        & (specs["controls"] == "full")
        & (specs["sample"] == "all")
        & (specs["estimator"] == "ols")
    ]
    curve = robustness.specification_curve(frame, chosen)
    assert len(curve) == len(chosen) * len(robustness.KEYS)
    for spec_row in chosen.to_dict("records"):
        fit = models.fit(frame, robustness.to_spec(spec_row))
        coefs = fit.coefficients.set_index("term")
        mine = curve[
            (curve["activation"] == spec_row["activation"])
            & (curve["outcome_form"] == spec_row["outcome_form"])
        ].set_index("key")
        for key in robustness.KEYS:
            term = robustness.key_term(key, spec_row["activation"])
            assert mine.at[key, "term"] == term
            assert mine.at[key, "estimate"] == pytest.approx(coefs.at[term, "estimate"])
            assert mine.at[key, "p_value"] == pytest.approx(coefs.at[term, "p_value"])
            assert mine.at[key, "n_obs"] == fit.n_obs


def test_an_unestimable_specification_keeps_its_rows(frame):
    specs = robustness.specifications().head(1).copy()
    tiny = frame[frame["platform_type"] != specs["platform_type"].iloc[0]]
    curve = robustness.specification_curve(tiny, specs)
    assert len(curve) == len(robustness.KEYS)
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
                **{dim: options[0] for dim, options in robustness.OPTIONS.items()},
            }
        )
    table = robustness.agreement(pd.DataFrame(rows), [finding]).iloc[0]
    assert table["n_specs"] == 4
    assert table["share_agree"] == pytest.approx(1 / 4)
    assert table["share_same_sign"] == pytest.approx(2 / 4)
    assert table["share_opposite"] == pytest.approx(1 / 4)
    assert bool(table["main_agrees"]) is True


def test_agreement_of_an_activation_finding_uses_every_activation_measure():
    finding = models.PAPER_FINDINGS[0]
    assert finding.term == "log_n_platforms"
    assert robustness.finding_key(finding) == "activation"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_reader_tables_are_labelled(lang):
    options = robustness.options_table(lang)
    assert list(options.index) == [label(f"power.dimension.{d}", lang) for d in robustness.OPTIONS]
    counts = options[label("power.n_options", lang)]
    assert math.prod(counts) == math.prod(len(o) for o in robustness.OPTIONS.values())
    assert all(str(c).strip() for c in options.columns)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_result_tables_name_every_finding(frame, registry, params, lang):
    specs = robustness.specifications()
    specs = specs[(specs["estimator"] == "ols") & (specs["controls"] == "full")]
    curve = robustness.specification_curve(frame, specs)
    agreement = robustness.agreement(curve)
    table = robustness.agreement_table(agreement, lang)
    assert list(table.index) == [robustness.finding_label(f, lang) for f in models.PAPER_FINDINGS]
    assert table.index.is_unique
    assert (table[label("power.n_specs", lang)] == len(specs) // 12).all()
    by_choice = robustness.agreement_by_choice_table(robustness.agreement_by_choice(curve), lang)
    assert len(by_choice) == sum(len(o) for o in robustness.OPTIONS.values())

    sim = robustness.simulate(frame, registry, params, effect_sizes=(0.0, 0.4), n_sims=10)
    summary = robustness.power_summary(sim)
    power = robustness.power_table(summary, lang, 0.4)
    assert len(power) == len(TYPE_CODES) * len(robustness.SIM_TERMS)
    assert power.index.is_unique
    recovery = robustness.recovery_table(robustness.recovery(sim), lang)
    assert len(recovery) == len(models.PAPER_FINDINGS)
    for t in (table, power, recovery):
        assert all(str(c).strip() for c in t.columns)


# --- batched OLS with HC3 -------------------------------------------------------------------


def test_batched_hc3_equals_models_fit_on_one_replicate(design, params):
    rng = np.random.default_rng(3)
    scales = robustness.simulate_scales(design, params, rng, 3)
    for t in ("G2C", "C2C"):
        of_type = (design.rows["platform_type"] == t).to_numpy()
        y = scales[:, of_type, OUTCOMES.index("efficiency")].copy()
        y[1, [0, 4, 9]] = np.nan  # a replicate with missing answers: listwise deletion
        batch = robustness.batched_ols_hc3(design.designs[t].to_numpy(), y)
        for r in range(len(y)):
            data = design.rows[of_type].assign(simulated=y[r])
            fit = models.fit(data, models.Spec(t, "simulated"))
            assert list(fit.design.columns) == list(design.designs[t].columns)
            assert fit.n_obs == batch["n_obs"][r]
            for column in robustness.RESULT_COLUMNS:
                np.testing.assert_allclose(
                    batch[column][r], fit.coefficients[column].to_numpy(), rtol=1e-8, atol=1e-12
                )


def test_batched_hc3_against_the_textbook_formula():
    rng = np.random.default_rng(11)
    n, p = 60, 3
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    y = x @ np.array([1.0, 0.5, -0.2]) + rng.normal(size=n) * (1 + np.abs(x[:, 1]))
    res = robustness.batched_ols_hc3(x, y[None, :])
    inv = np.linalg.inv(x.T @ x)
    beta = inv @ x.T @ y
    e = y - x @ beta
    h = np.einsum("ij,jk,ik->i", x, inv, x)
    cov = inv @ (x.T * (e**2 / (1 - h) ** 2)) @ x @ inv
    np.testing.assert_allclose(res["estimate"][0], beta)
    np.testing.assert_allclose(res["std_error"][0], np.sqrt(np.diag(cov)))
    t = beta / np.sqrt(np.diag(cov))
    np.testing.assert_allclose(res["p_value"][0], 2 * stats.t.sf(np.abs(t), n - p))


# --- the outcome stage ----------------------------------------------------------------------


def test_simulated_answers_are_the_generators_answers(tables, frame, registry, params):
    # With the generator's own random stream, the outcome stage run on the survey's design
    # reproduces the scales of the generated survey exactly.
    design = robustness.design_of(frame, registry, params)
    seeds = np.random.SeedSequence(SEED).spawn(len(synthetic.STREAMS))
    rng = np.random.default_rng(seeds[synthetic.STREAMS.index("performance")])
    scales = robustness.simulate_scales(design, params, rng, 1)[0]
    expected = design.rows[list(OUTCOMES)].to_numpy()
    np.testing.assert_allclose(scales, expected, equal_nan=True)


def test_min_items_follows_measures():
    default = inspect.signature(measures.outcome_scales).parameters["min_items"].default
    assert default == robustness.MIN_ITEMS


def test_rotations_put_each_predictor_on_each_outcome_once(params):
    seen = set()
    for rotation in range(len(robustness.SIM_TERMS)):
        p = robustness.rotation_effects(params, 0.3, rotation)
        for t in synthetic.TYPES:
            for outcome in OUTCOMES:
                moving = [
                    term
                    for term in robustness.SIM_TERMS
                    if synthetic.effect(p, t, outcome, term) != 0
                ]
                assert len(moving) == 1
                assert synthetic.effect(p, t, outcome, moving[0]) == pytest.approx(0.3)
                seen.add((rotation, t, outcome, moving[0]))
    pairs = {(outcome, term) for _, _, outcome, term in seen}
    assert len(pairs) == len(OUTCOMES) * len(robustness.SIM_TERMS)


# --- the Monte Carlo study ------------------------------------------------------------------


def test_zero_effects_are_rejected_about_five_percent_of_the_time(design, params):
    n = 200
    null = synthetic.scaled_effects(params, 0.0)
    res = robustness.simulate_condition(design, null, n_sims=n, seed=5)
    assert (res["true_value"] == 0).all()
    assert (res["n_sims"] == n).all()
    # every cell within a generous binomial band; their mean close to 0.05
    assert (res["rejection"] - 0.05).abs().max() < binomial_tolerance(0.05, n, z=4)
    assert res["rejection"].mean() == pytest.approx(0.05, abs=0.02)


def test_coverage_is_near_nominal(design, params):
    n = 200
    res = robustness.simulate_condition(design, params, n_sims=n, seed=6)
    assert (res["coverage"] - 0.95).abs().max() < binomial_tolerance(0.95, n, z=4)
    assert res["coverage"].mean() == pytest.approx(0.95, abs=0.02)
    # the synthetic truth is recovered: mean estimates within Monte Carlo error of it
    z = res["bias"] / (res["sd_estimate"] / np.sqrt(res["n_sims"]))
    assert (z.abs() < 4.5).mean() > 0.95


def test_power_increases_with_effect_size(frame, registry, params):
    sim = robustness.simulate(
        frame, registry, params, effect_sizes=(0.0, 0.2, 0.4), n_sims=60, seed=8
    )
    curves = robustness.power_curves(sim)
    assert set(curves["n_sims"]) == {4 * 60}
    for (t, term), c in curves.groupby(["platform_type", "term"]):
        power = c.sort_values("effect_size")["power"].to_numpy()
        assert np.all(np.diff(power) >= 0), (t, term, power)
        assert power[-1] > power[0], (t, term, power)
    g2c = curves[(curves["platform_type"] == "G2C") & (curves["effect_size"] == 0.4)]
    assert (g2c["power"] > 0.5).all()
    summary = robustness.power_summary(sim)
    assert len(summary) == len(TYPE_CODES) * len(robustness.SIM_TERMS)
    finite = summary.dropna(subset=["mde"])
    assert ((finite["mde"] > 0) & (finite["mde"] <= 0.4)).all()


def test_detectable_effect_interpolates():
    x = np.array([0.0, 0.1, 0.2, 0.3])
    y = np.array([0.05, 0.4, 0.7, 0.9])
    assert robustness.detectable_effect(x, y, 0.8) == pytest.approx(0.25)
    assert robustness.detectable_effect(x, y, 0.4) == pytest.approx(0.1)
    assert np.isnan(robustness.detectable_effect(x, y, 0.95))


# --- the faster ordered logit in models -----------------------------------------------------


def test_fast_ordered_logit_matches_statsmodels(frame):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    fit = models.fit(frame, models.Spec("G2C", "service_quality", estimator="ologit"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = OrderedModel(models.round_scale(fit.endog), fit.design, distr="logit").fit(
            method="bfgs", disp=False, maxiter=2000, cov_type="HC0"
        )
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


# --- caching --------------------------------------------------------------------------------


def test_an_outcome_that_changes_the_design_is_fitted_alone(frame):
    # Without the metropolitan governments' answers, level_metro no longer varies: that
    # specification cannot share the design of the others and must match models.fit alone.
    changed = frame.copy()
    changed.loc[changed["level_metro"] == 1, "democracy"] = np.nan
    specs = robustness.specifications()
    specs = specs[
        (specs["platform_type"] == "C2G")
        & (specs["estimator"] == "ols")
        & (specs["activation"] == "log_n_diversity")
        & (specs["controls"] == "full")
        & (specs["sample"] == "all")
        & (specs["outcome_form"] == "scale")
    ]
    curve = robustness.specification_curve(changed, specs)
    democracy = curve[curve["outcome"] == "democracy"].set_index("key")
    fit = models.fit(changed, robustness.to_spec(specs[specs["outcome"] == "democracy"].iloc[0]))
    assert "level_metro" in fit.dropped
    assert "constant" in democracy["note"].iloc[0]
    for key in robustness.KEYS:
        term = robustness.key_term(key, "log_n_diversity")
        assert democracy.at[key, "estimate"] == pytest.approx(fit.term(term)["estimate"])
        assert democracy.at[key, "std_error"] == pytest.approx(fit.term(term)["std_error"])
    others = curve[curve["outcome"] != "democracy"]
    assert others["estimate"].notna().all()
