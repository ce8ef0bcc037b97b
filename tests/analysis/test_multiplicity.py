import numpy as np
import pandas as pd
import pytest
from factories import comparison_rows, make_frame
from scipy import stats

from platformgov.analysis import models, multiplicity
from platformgov.vocabulary import MAIN_ACTIVATION, OUTCOMES, TYPE_CODES


def holm_by_hand(p: list[float]) -> list[float]:
    """Holm's step-down: sort ascending, scale the i-th (from 0) by m − i, carry the running
    maximum upwards, cap at 1, and put the values back in the original order."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def bh_by_hand(p: list[float]) -> list[float]:
    """Benjamini–Hochberg: q of the k-th smallest (from 1) is min over j ≥ k of m p₍ⱼ₎ / j."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    for rank, i in enumerate(order, start=1):
        out[i] = min(1.0, min(m * p[j] / (r + 1) for r, j in enumerate(order) if r + 1 >= rank))
    return out


#: Hand-made p-values with ties, a p-value of 1 and an unsorted order.
P = [0.04, 0.001, 0.04, 1.0, 0.012, 0.3, 0.012, 0.049]


def test_holm_and_bh_match_their_definitions_with_ties_and_one():
    frame = pd.DataFrame({"platform_type": "G2C", "p_value": P})
    out = multiplicity.adjust(frame)
    np.testing.assert_allclose(out["p_holm"], holm_by_hand(P))
    np.testing.assert_allclose(out["q_bh"], bh_by_hand(P))
    # the textbook values of a few entries, worked out on paper
    assert out["p_holm"][1] == pytest.approx(8 * 0.001)
    assert out["p_holm"][4] == out["p_holm"][6] == pytest.approx(7 * 0.012)
    assert out["p_holm"][3] == 1.0
    assert out["q_bh"][3] == 1.0
    assert out["q_bh"][0] == out["q_bh"][2] == pytest.approx(8 * 0.04 / 5)
    assert out["q_bh"][4] == out["q_bh"][6] == pytest.approx(8 * 0.012 / 3)


def test_holm_runs_within_each_type_and_bh_over_all():
    half = [0.001, 0.02, 0.03, 0.5]
    frame = pd.DataFrame({"platform_type": ["G2C"] * 4 + ["C2C"] * 4, "p_value": half * 2})
    out = multiplicity.adjust(frame)
    np.testing.assert_allclose(out["p_holm"], holm_by_hand(half) * 2)
    np.testing.assert_allclose(out["q_bh"], bh_by_hand(half * 2))
    assert not np.allclose(out["p_holm"], holm_by_hand(half * 2))


def test_missing_p_values_stay_out_of_the_families():
    frame = pd.DataFrame({"platform_type": "G2C", "p_value": [0.01, np.nan, 0.02]})
    out = multiplicity.adjust(frame)
    assert np.isnan(out["p_holm"][1]) and np.isnan(out["q_bh"][1])
    np.testing.assert_allclose(out["p_holm"][[0, 2]], holm_by_hand([0.01, 0.02]))


@pytest.fixture(scope="module")
def frame():
    return make_frame()


@pytest.fixture(scope="module")
def main(frame):
    return models.fit_main(frame)


def test_adjusted_p_values_cover_every_key_coefficient(main):
    adjusted = multiplicity.adjusted_p_values(main)
    assert len(adjusted) == len(TYPE_CODES) * len(OUTCOMES) * len(models.KEY_TERMS)
    for t in TYPE_CODES:
        rows = adjusted[adjusted["platform_type"] == t]
        np.testing.assert_allclose(rows["p_holm"], holm_by_hand(list(rows["p_value"])))
    np.testing.assert_allclose(adjusted["q_bh"], bh_by_hand(list(adjusted["p_value"])))


def test_with_adjusted_judges_each_finding_under_each_correction():
    comparison = comparison_rows(
        [
            ("G2C", "coop_metro", "democracy", 0.3, 0.001, True),
            ("G2C", "coop_metro", "efficiency", 0.3, 0.03, True),
            ("G2C", "coop_metro", "convenience", -0.3, 0.001, True),
        ]
    )
    adjusted = comparison[["platform_type", "outcome", "term"]].assign(
        p_holm=[0.003, 0.09, 0.003], q_bh=[0.003, 0.045, 0.003]
    )
    out = multiplicity.with_adjusted(comparison, adjusted)
    assert list(out["agrees_holm"]) == [True, False, False]
    assert list(out["agrees_bh"]) == [True, True, False]


def test_joint_wald_test_is_the_chi_square_of_the_two_coefficients(frame, main):
    joint = multiplicity.activation_joint(frame, main).set_index(["platform_type", "outcome"])
    for r in main:
        terms = list(r.design.columns)
        where = [terms.index(t) for t in MAIN_ACTIVATION]
        beta = np.asarray(r.model.params)[where]
        # the HC3 covariance by hand: (X'X)⁻¹ X' diag(e² / (1 − h)²) X (X'X)⁻¹
        x = r.design.to_numpy(dtype=float)
        e = r.endog.to_numpy() - x @ np.asarray(r.model.params)
        bread = np.linalg.inv(x.T @ x)
        h = np.einsum("ij,jk,ik->i", x, bread, x)
        cov = bread @ (x.T * (e / (1 - h)) ** 2) @ x @ bread
        block = cov[np.ix_(where, where)]
        chi2 = float(beta @ np.linalg.solve(block, beta))
        row = joint.loc[(r.spec.platform_type, r.spec.outcome)]
        assert row["wald_chi2"] == pytest.approx(chi2, rel=1e-8)
        assert row["wald_p"] == pytest.approx(stats.chi2.sf(chi2, 2), rel=1e-8)


def test_new_domain_effect_and_interval_by_hand(frame, main):
    joint = multiplicity.activation_joint(frame, main).set_index(["platform_type", "outcome"])
    log_term, diversity_term = MAIN_ACTIVATION
    for r in main:
        t = r.spec.platform_type
        n = float(np.median(frame.loc[frame["platform_type"] == t, "n_platforms"]))
        b = r.coefficients.set_index("term")["estimate"]
        cov = r.model.cov_params()
        w = np.log(n + 1) - np.log(n)
        effect = w * b[log_term] + b[diversity_term]
        var = (
            w**2 * cov.loc[log_term, log_term]
            + cov.loc[diversity_term, diversity_term]
            + 2 * w * cov.loc[log_term, diversity_term]
        )
        crit = stats.t.ppf(1 - models.ALPHA / 2, r.n_obs - r.design.shape[1])
        row = joint.loc[(t, r.spec.outcome)]
        assert row["median_count"] == n
        assert row["estimate"] == pytest.approx(effect, rel=1e-10)
        assert row["std_error"] == pytest.approx(np.sqrt(var), rel=1e-10)
        assert row["conf_low"] == pytest.approx(effect - crit * np.sqrt(var), rel=1e-10)
        assert row["conf_high"] == pytest.approx(effect + crit * np.sqrt(var), rel=1e-10)


def test_new_domain_weights():
    terms = ["Intercept", "log_n_platforms", "diversity", "coop_metro"]
    np.testing.assert_allclose(
        multiplicity.new_domain_weights(terms, 3.0), [0, np.log(4 / 3), 1, 0]
    )
    with pytest.raises(ValueError, match="diversity"):
        multiplicity.new_domain_weights(["Intercept", "log_n_platforms"], 3.0)


def test_activation_joint_refuses_ordered_logits(frame):
    fit = models.fit(frame, models.Spec("G2C", "democracy", estimator="ologit"))
    with pytest.raises(ValueError, match="OLS"):
        multiplicity.activation_joint(frame, [fit])
