import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from factories import comparison_rows, frame_with_effects, make_frame

from platformgov.analysis import findings, models
from platformgov.inputs import synthetic
from platformgov.vocabulary import OUTCOMES, TYPE_CODES


@pytest.fixture(scope="module")
def frame():
    return make_frame()


@pytest.fixture(scope="module")
def checks(frame):
    return findings.fit_checks(frame)


def test_checks_change_one_thing_each(checks):
    assert list(checks) == list(findings.CHECKS)
    for fits in checks.values():
        assert len(fits) == len(TYPE_CODES) * len(OUTCOMES)
    assert {r.spec.estimator for r in checks["ologit"]} == {"ologit"}
    assert {r.spec.activation[0] for r in checks["count"]} == {"n_platforms"}
    assert {r.spec.sample for r in checks["basic"]} == {"basic"}
    main = checks["main"][0].spec
    assert (main.estimator, main.activation[0], main.sample) == ("ols", "log_n_platforms", "all")
    # Without 광역 rows level_metro cannot vary.
    assert all("level_metro" in r.dropped for r in checks["basic"])


def test_findings_follow_the_activation_measure(checks):
    main = findings.findings_for(checks["main"])
    count = findings.findings_for(checks["count"])
    assert main == models.PAPER_FINDINGS
    changed = [(a, b) for a, b in zip(main, count, strict=True) if a != b]
    assert changed and all(a.term == "log_n_platforms" for a, _ in changed)
    assert all(b.term == "n_platforms" for _, b in changed)


def test_mixed_activation_measures_are_refused(checks):
    with pytest.raises(ValueError, match="activation"):
        findings.activation_term([checks["main"][0], checks["count"][0]])


def test_agreement_counts_each_kind_of_finding():
    comparison = comparison_rows(
        [
            ("G2C", "coop_metro", "democracy", 0.4, 0.001, False),  # agrees
            ("G2C", "coop_metro", "efficiency", 0.1, 0.30, True),  # same sign, not significant
            ("G2C", "coop_metro", "convenience", -0.5, 0.01, True),  # significant, opposite
            ("C2C", "coop_private", "efficiency", np.nan, np.nan, True),  # not estimated
            ("C2C", "coop_private", "convenience", 0.3, 0.02, True),  # agrees
        ]
    )
    a = findings.agreement(comparison)
    assert a.n_findings == 5
    assert (a.n_agree, a.n_disagree, a.n_not_estimable) == (2, 2, 1)
    assert a.n_same_sign == 3
    assert a.n_opposite == 1
    assert (a.n_en_abstract, a.n_agree_en_abstract) == (4, 1)


def test_agreement_rejects_a_frame_without_the_comparison_columns():
    with pytest.raises(ValueError, match="agrees"):
        findings.agreement(pd.DataFrame({"paper_sign": ["+"], "estimate": [1.0]}))


def test_agreement_of_the_real_comparison_matches_its_rows():
    effects = {("G2C", o, "coop_metro"): 1.0 for o in OUTCOMES}
    comparison = models.compare_with_paper(models.fit_main(frame_with_effects(effects)))
    a = findings.agreement(comparison)
    assert a.n_findings == len(models.PAPER_FINDINGS) == len(comparison)
    assert a.n_agree == int(comparison["agrees"].fillna(False).sum())
    assert a.n_agree + a.n_disagree + a.n_not_estimable == a.n_findings
    # A strong effect in every G2C outcome: the metro-cooperation findings about G2C agree.
    g2c_metro = comparison[
        (comparison["platform_type"] == "G2C") & (comparison["term"] == "coop_metro")
    ]
    assert len(g2c_metro) and g2c_metro["agrees"].all()
    assert a.n_agree >= len(g2c_metro)


def test_true_values_only_for_synthetic_data():
    assert findings.true_values("real") is None
    truth = findings.true_values("synthetic")
    assert {"platform_type", "outcome", "term", "true_value"} <= set(truth.columns)
    assert set(truth["platform_type"]) == set(TYPE_CODES)


def test_true_values_list_every_term_and_an_unlisted_one_is_zero():
    params = {"effects": {"C2G": {"efficiency": {"coop_private": 0.7}}}}
    truth = findings.true_values("synthetic", params)
    keys = ["platform_type", "outcome", "term"]
    assert not truth.duplicated(keys).any()
    assert len(truth) == len(TYPE_CODES) * len(OUTCOMES) * len(synthetic.TERMS)
    value = truth.set_index(keys)["true_value"]
    assert value[("C2G", "efficiency", "coop_private")] == 0.7
    assert (value.drop(("C2G", "efficiency", "coop_private")) == 0).all()


def test_findings_built_in_follows_the_parameter_file():
    params = synthetic.load_params()

    def built_in(p):
        return findings.findings_built_in(findings.true_values("synthetic", p))

    base = built_in(params)
    f = models.PAPER_FINDINGS[0]
    key = (f.platform_type, f.outcome, f.term)
    was_built_in = synthetic.effect(params, *key) * f.sign > 0
    assert built_in(synthetic.with_effects(params, {key: 0.0})) == base - int(was_built_in)
    flipped = synthetic.with_effects(params, {key: -0.3 * f.sign})
    assert built_in(flipped) == base - int(was_built_in)
    added = synthetic.with_effects(params, {key: 0.3 * f.sign})
    assert built_in(added) == base + int(not was_built_in)


def test_standard_errors_match_statsmodels(checks):
    fit = checks["main"][0]
    se = findings.standard_errors(fit).set_index("term")
    classical = sm.OLS(fit.endog, fit.design).fit()
    hc3 = sm.OLS(fit.endog, fit.design).fit(cov_type="HC3")
    np.testing.assert_allclose(se["se_classical"], classical.bse[se.index], rtol=1e-8)
    np.testing.assert_allclose(se["se_hc3"], hc3.bse[se.index], rtol=1e-8)
    np.testing.assert_allclose(se["ratio"], se["se_hc3"] / se["se_classical"])
    # The errors were made to spread more where there are more platforms: HC3 must notice.
    assert not np.allclose(se["ratio"], 1, atol=0.01)
    with pytest.raises(ValueError):
        findings.standard_errors(checks["ologit"][0])
