"""The Monte Carlo study: batched OLS with HC3, the fixed design, power and recovery."""

import inspect
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from platformgov import vocabulary
from platformgov.analysis import findings, measures, models, simulation, speccurve
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


@pytest.fixture(scope="module")
def design(frame, registry, params):
    return simulation.design_of(frame, registry, params)


def binomial_tolerance(p: float, n: int, z: float = 3.5) -> float:
    return z * math.sqrt(p * (1 - p) / n)


# --- batched OLS with HC3 -------------------------------------------------------------------


def test_batched_hc3_equals_models_fit_on_one_replicate(design, params):
    rng = np.random.default_rng(3)
    scales = simulation.simulate_scales(design, params, rng, 3)
    for t in ("G2C", "C2C"):
        of_type = (design.rows["platform_type"] == t).to_numpy()
        y = scales[:, of_type, OUTCOMES.index("efficiency")].copy()
        y[1, [0, 4, 9]] = np.nan  # a replicate with missing answers: listwise deletion
        batch = simulation.batched_ols_hc3(design.designs[t].to_numpy(), y)
        for r in range(len(y)):
            data = design.rows[of_type].assign(simulated=y[r])
            fit = models.fit(data, models.Spec(t, "simulated"))
            assert list(fit.design.columns) == list(design.designs[t].columns)
            assert fit.n_obs == batch["n_obs"][r]
            for column in simulation.RESULT_COLUMNS:
                np.testing.assert_allclose(
                    batch[column][r], fit.coefficients[column].to_numpy(), rtol=1e-8, atol=1e-12
                )


def test_batched_hc3_against_the_textbook_formula():
    rng = np.random.default_rng(11)
    n, p = 60, 3
    x = np.column_stack([np.ones(n), rng.normal(size=(n, p - 1))])
    y = x @ np.array([1.0, 0.5, -0.2]) + rng.normal(size=n) * (1 + np.abs(x[:, 1]))
    res = simulation.batched_ols_hc3(x, y[None, :])
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
    design = simulation.design_of(frame, registry, params)
    seeds = np.random.SeedSequence(SEED).spawn(len(synthetic.STREAMS))
    rng = np.random.default_rng(seeds[synthetic.STREAMS.index("performance")])
    scales = simulation.simulate_scales(design, params, rng, 1)[0]
    expected = design.rows[list(OUTCOMES)].to_numpy()
    np.testing.assert_allclose(scales, expected, equal_nan=True)


def test_min_items_follows_measures():
    default = inspect.signature(measures.outcome_scales).parameters["min_items"].default
    assert default == simulation.MIN_ITEMS


def test_rotations_put_each_predictor_on_each_outcome_once(params):
    seen = set()
    for rotation in range(len(simulation.SIM_TERMS)):
        p = simulation.rotation_effects(params, 0.3, rotation)
        for t in vocabulary.TYPE_CODES:
            for outcome in OUTCOMES:
                moving = [
                    term
                    for term in simulation.SIM_TERMS
                    if synthetic.effect(p, t, outcome, term) != 0
                ]
                assert len(moving) == 1
                assert synthetic.effect(p, t, outcome, moving[0]) == pytest.approx(0.3)
                seen.add((rotation, t, outcome, moving[0]))
    pairs = {(outcome, term) for _, _, outcome, term in seen}
    assert len(pairs) == len(OUTCOMES) * len(simulation.SIM_TERMS)


# --- the Monte Carlo study ------------------------------------------------------------------


def test_zero_effects_are_rejected_about_five_percent_of_the_time(design, params):
    n = 200
    null = synthetic.scaled_effects(params, 0.0)
    res = simulation.simulate_condition(design, null, n_sims=n, seed=5)
    assert (res["true_value"] == 0).all()
    assert (res["n_sims"] == n).all()
    # every cell within a generous binomial band; their mean close to 0.05
    assert (res["rejection"] - 0.05).abs().max() < binomial_tolerance(0.05, n, z=4)
    assert res["rejection"].mean() == pytest.approx(0.05, abs=0.02)


def test_coverage_is_near_nominal(design, params):
    n = 200
    res = simulation.simulate_condition(design, params, n_sims=n, seed=6)
    assert (res["coverage"] - 0.95).abs().max() < binomial_tolerance(0.95, n, z=4)
    assert res["coverage"].mean() == pytest.approx(0.95, abs=0.02)
    # the synthetic truth is recovered: mean estimates within Monte Carlo error of it
    z = res["bias"] / (res["sd_estimate"] / np.sqrt(res["n_sims"]))
    assert (z.abs() < 4.5).mean() > 0.95


def test_power_increases_with_effect_size(frame, registry, params):
    sim = simulation.simulate(
        frame, registry, params, effect_sizes=(0.0, 0.2, 0.4), n_sims=60, seed=8
    )
    curves = simulation.power_curves(sim)
    assert set(curves["n_sims"]) == {4 * 60}
    for (t, term), c in curves.groupby(["platform_type", "term"]):
        power = c.sort_values("effect_size")["power"].to_numpy()
        assert np.all(np.diff(power) >= 0), (t, term, power)
        assert power[-1] > power[0], (t, term, power)
    g2c = curves[(curves["platform_type"] == "G2C") & (curves["effect_size"] == 0.4)]
    assert (g2c["power"] > 0.5).all()
    summary = simulation.power_summary(sim)
    assert len(summary) == len(TYPE_CODES) * len(simulation.SIM_TERMS)
    finite = summary.dropna(subset=["mde"])
    assert ((finite["mde"] > 0) & (finite["mde"] <= 0.4)).all()


def test_detectable_effect_interpolates():
    x = np.array([0.0, 0.1, 0.2, 0.3])
    y = np.array([0.05, 0.4, 0.7, 0.9])
    assert simulation.detectable_effect(x, y, 0.8) == pytest.approx(0.25)
    assert simulation.detectable_effect(x, y, 0.4) == pytest.approx(0.1)
    assert np.isnan(simulation.detectable_effect(x, y, 0.95))


# --- the exercises --------------------------------------------------------------------------


def test_sample_needed_scales_with_the_square_of_the_standard_error():
    summary = pd.DataFrame(
        {"platform_type": ["G2C"], "term": ["coop_private"], "n_obs": [100], "mean_se": [0.1]}
    )
    recovery = pd.DataFrame(
        {"platform_type": ["G2C", "G2C"], "term": ["coop_private"] * 2, "true_value": [0.2, 0.14]}
    )
    sample = simulation.sample_needed(summary, recovery, "G2C", "coop_private")
    detectable = simulation.mde_multiplier() * 0.1
    assert sample.effect == pytest.approx(0.14)
    assert sample.detectable == pytest.approx(detectable)
    assert sample.needed == math.ceil(100 * (detectable / 0.14) ** 2)
    with pytest.raises(ValueError, match="C2C"):
        simulation.sample_needed(summary, recovery, "C2C", "coop_private")


def test_rate_precision_is_binomial():
    precision = simulation.rate_precision(0.05, 0.045, n=500)
    assert precision.std_error == pytest.approx(math.sqrt(0.05 * 0.95 / 500))
    assert precision.band == pytest.approx(
        (0.05 - 2 * precision.std_error, 0.05 + 2 * precision.std_error)
    )
    assert precision.needed == 7600
    with pytest.raises(ValueError):
        simulation.rate_precision(0.05, 0.05, n=500)
    with pytest.raises(ValueError):
        simulation.rate_precision(0.05, 0.04, n=0)


# --- Monte Carlo standard errors count surveys -------------------------------------------------


def test_monte_carlo_errors_count_distinct_surveys(frame, registry, params):
    sim = simulation.simulate(frame, registry, params, effect_sizes=(0.0, 0.3), n_sims=20, seed=4)
    curves = simulation.power_curves(sim)
    zero, effect = curves[curves["effect_size"] == 0], curves[curves["effect_size"] > 0]
    # At zero effect one rotation of 20 surveys gives an estimate per outcome (4 × 20 estimates);
    # at an effect each of the four rotations gives one estimate per survey.
    assert set(zero["n_sims"]) == {4 * 20} and set(zero["n_surveys"]) == {20}
    assert set(effect["n_sims"]) == {4 * 20} and set(effect["n_surveys"]) == {4 * 20}
    p = zero["power"].to_numpy()
    np.testing.assert_allclose(zero["mc_se"], np.sqrt(p * (1 - p) / 20))
    summary = simulation.power_summary(sim)
    # Every grid survey (the four rotation streams, shared by both effect sizes) has true zeros.
    assert set(summary["size_surveys"]) == {4 * 20}
    s = summary["size"].to_numpy()
    np.testing.assert_allclose(summary["size_mc_se"], np.sqrt(s * (1 - s) / 80))


def test_distinct_surveys_counts_each_stream_once():
    rows = pd.DataFrame(
        {
            "condition": ["grid"] * 5 + ["synthetic"],
            "rotation": [0, 0, 1, 1, 2, -1],
            "effect_size": [0.0, 0.1, 0.1, 0.2, 0.2, np.nan],
            "n_surveys": [10, 10, 10, 10, 10, 40],
        }
    )
    assert simulation.distinct_surveys(rows) == 10 + 10 + 10 + 40


# --- the noise calibrated to the data --------------------------------------------------------


def test_with_noise_scales_the_three_sources_only(params):
    scaled = simulation.with_noise(params, 1.5)
    for key in simulation.NOISE:
        assert scaled["performance"][key] == pytest.approx(1.5 * params["performance"][key])
    assert scaled["effects"] == params["effects"]
    assert params["performance"]["item_sd"] == synthetic.load_params()["performance"]["item_sd"]
    with pytest.raises(ValueError, match="positive"):
        simulation.with_noise(params, 0)


def test_data_residual_variance_pools_the_main_models(frame):
    fits = [models.fit(frame, spec) for spec in models.main_specs()]
    ssr = sum(float(np.sum((f.endog - f.model.fittedvalues) ** 2)) for f in fits)
    dof = sum(f.n_obs - f.design.shape[1] for f in fits)
    assert simulation.data_residual_variance(frame) == pytest.approx(ssr / dof)


@pytest.mark.parametrize("factor", [0.6, 1.6])
def test_calibration_recovers_the_noise_a_survey_was_drawn_with(registry, params, factor):
    # A survey drawn with the noise scaled by a known factor: calibrating the parameter file's
    # noise to it must find about that factor.
    noisy = simulation.with_noise(params, factor)
    tables = synthetic.generate(registry, noisy, seed=11)
    frame = speccurve.outcome_frame(SimpleNamespace(**tables), registry)
    calibration = simulation.calibrate_noise(frame, registry, params)
    assert calibration.achieved == pytest.approx(calibration.target, rel=0.01)
    assert calibration.factor == pytest.approx(factor, rel=0.15)
    assert (calibration.uncalibrated > calibration.target) == (factor < 1)


# --- how unusual one survey is ---------------------------------------------------------------


def test_redrawn_counts_match_a_survey_analysed_one_by_one(design, params):
    covers, false_pos, n_key, n_zero = simulation.redrawn_counts(design, params, n_sims=3, seed=21)
    assert n_key == len(TYPE_CODES) * len(OUTCOMES) * len(models.KEY_TERMS)
    truth = findings.true_values("synthetic", params)
    assert n_zero == int(
        (truth.set_index("term").loc[list(models.KEY_TERMS), "true_value"] == 0).sum()
    )
    # The first redrawn survey, analysed with models.fit and findings.truth_comparison.
    rng = np.random.default_rng(np.random.SeedSequence([21, 0]))
    scales = simulation.simulate_scales(design, params, rng, 3)
    rows = design.rows.copy()
    for k, outcome in enumerate(OUTCOMES):
        rows[outcome] = scales[0, :, k]
    fits = [models.fit(rows, spec) for spec in models.main_specs()]
    counts = findings.truth_counts(findings.truth_comparison(fits, truth))
    assert covers[0] == counts["covers"]
    assert false_pos[0] == counts["false_positive"]


def test_draw_tails_are_shares_of_redrawn_surveys():
    tails = simulation.DrawTails(
        n_surveys=5,
        n_key=60,
        n_zero=40,
        covers=np.array([60, 58, 55, 51, 50]),
        false_positives=np.array([0, 2, 6, 1, 7]),
        observed_covers=51,
        observed_false_positives=6,
    )
    assert tails.p_covers == pytest.approx(2 / 5)
    assert tails.p_false_positives == pytest.approx(2 / 5)


def test_draw_tails_need_a_truth(frame, registry):
    assert simulation.draw_tails(frame, registry, None) is None
