import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from factories import frame_with_effects
from scipy import stats

from platformgov.analysis import export, models, pooled
from platformgov.vocabulary import OUTCOMES, TYPE_CODES


@pytest.fixture(scope="module")
def small() -> pd.DataFrame:
    return frame_with_effects({("G2C", "democracy", "coop_private"): 0.5}, n=60, seed=5)


def hand_fit(frame: pd.DataFrame, outcome: str):
    """OLS by numpy with the cluster sandwich scaled by G/(G-1) · (N-1)/(N-K)."""
    x = pooled.pooled_columns(frame)
    keep = x.notna().all(axis=1) & frame[outcome].notna()
    xm = np.column_stack([np.ones(keep.sum()), x[keep].to_numpy(dtype=float)])
    y = frame.loc[keep, outcome].to_numpy(dtype=float)
    codes = frame.loc[keep, "lg_code"].to_numpy()
    bread = np.linalg.inv(xm.T @ xm)
    beta = bread @ xm.T @ y
    e = y - xm @ beta
    meat = np.zeros((xm.shape[1], xm.shape[1]))
    clusters = np.unique(codes)
    for g in clusters:
        s = xm[codes == g].T @ e[codes == g]
        meat += np.outer(s, s)
    n, k, g = len(y), xm.shape[1], len(clusters)
    cov = g / (g - 1) * (n - 1) / (n - k) * bread @ meat @ bread
    return ["Intercept", *x.columns], beta, cov, n, g


def test_clustered_errors_match_a_hand_computation(small):
    fit = pooled.fit_outcome(small, "democracy")
    names, beta, cov, n, g = hand_fit(small, "democracy")
    assert list(fit.coefficients["term"]) == names
    se = np.sqrt(np.diag(cov))
    np.testing.assert_allclose(fit.coefficients["estimate"], beta, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(fit.coefficients["std_error"], se, rtol=1e-9)
    p = 2 * stats.t.sf(np.abs(beta / se), g - 1)
    np.testing.assert_allclose(fit.coefficients["p_value"], p, rtol=1e-7, atol=1e-14)
    assert fit.n_obs == n == len(small) and fit.n_clusters == g == small["lg_code"].nunique()
    # every government appears in all three types, so clustering must change the errors
    hc1 = sm.OLS(fit.model.model.endog, fit.model.model.exog).fit(cov_type="HC1")
    assert not np.allclose(fit.coefficients["std_error"], hc1.bse, rtol=1e-3)


def test_pooled_estimates_are_the_separate_models_estimates(small):
    fit = pooled.fit_outcome(small, "efficiency")
    coefs = fit.coefficients.set_index("term")["estimate"]
    for t in TYPE_CODES:
        separate = models.fit(small, models.Spec(t, "efficiency"))
        for term in models.MAIN_TERMS:
            assert coefs[pooled.typed_term(term, t)] == pytest.approx(
                separate.term(term)["estimate"], rel=1e-8, abs=1e-10
            )


def test_wald_tests_match_a_hand_computation(small):
    fit = pooled.fit_outcome(small, "democracy")
    tests = pooled.equality_tests([fit]).set_index(["term", "test"])
    names, beta, cov, _, g = hand_fit(small, "democracy")
    term = "coop_private"
    at = {t: names.index(pooled.typed_term(term, t)) for t in TYPE_CODES}
    weights = {
        "equal": [{"G2C": 1, "C2G": -1}, {"G2C": 1, "C2C": -1}],
        "within": [{"G2C": 1, "C2C": -1}],
        "between": [{"C2G": 1, "G2C": -0.5, "C2C": -0.5}],
    }
    for test, rows in weights.items():
        r = np.zeros((len(rows), len(names)))
        for i, w in enumerate(rows):
            for t, v in w.items():
                r[i, at[t]] = v
        d = r @ beta
        f = d @ np.linalg.solve(r @ cov @ r.T, d) / len(rows)
        row = tests.loc[(term, test)]
        assert row["statistic"] == pytest.approx(f, rel=1e-8)
        assert (row["df_num"], row["df_denom"]) == (len(rows), g - 1)
        assert row["p_value"] == pytest.approx(stats.f.sf(f, len(rows), g - 1), rel=1e-7)


def _p_values(effects: dict, seed: int) -> pd.Series:
    frame = frame_with_effects(effects, n=100, seed=seed)
    tests = pooled.equality_tests([pooled.fit_outcome(frame, "convenience")])
    return tests[tests["term"] == "coop_private"].set_index("test")["p_value"]


def test_a_difference_between_types_is_detected_and_its_absence_is_not():
    """Over 20 seeded frames: a built-in difference is found every time; with none, the
    equality test rejects about as often as its level says (at most 4 of 20 at 5%)."""
    gaining = {(t, "convenience", "coop_private"): 0.8 for t in pooled.GAINING_TYPES}
    common = {(t, "convenience", "coop_private"): 0.8 for t in TYPE_CODES}
    differ = [_p_values(gaining, seed) for seed in range(20)]
    same = [_p_values(common, seed) for seed in range(20)]
    assert all(p["equal"] < 0.01 and p["between"] < 0.01 for p in differ)
    assert sum(p["within"] < 0.05 for p in differ) <= 4
    assert sum(p["equal"] < 0.05 for p in same) <= 4
    assert sum(p["between"] < 0.05 for p in same) <= 4


def test_a_regressor_that_does_not_vary_is_dropped_and_its_tests_use_the_rest():
    frame = frame_with_effects(n=60, seed=9)
    frame = frame[~((frame["platform_type"] == "C2C") & (frame["level_metro"] == 1))]
    fit = pooled.fit_outcome(frame, "democracy")
    assert models.Note("constant", "level_metro_C2C") in fit.notes
    assert "level_metro_C2C" not in fit.terms
    tests = pooled.equality_tests([fit], terms=("level_metro",)).set_index("test")
    assert tests.loc["equal", "types"] == "G2C,C2G" and tests.loc["equal", "df_num"] == 1
    assert "within" not in tests.index


def test_missing_values_are_missing_in_every_typed_column():
    frame = frame_with_effects(n=20, seed=2)
    frame.loc[frame.index[0], "log_population"] = np.nan
    cols = pooled.pooled_columns(frame)
    assert cols.loc[frame.index[0], [f"log_population_{t}" for t in TYPE_CODES]].isna().all()
    assert cols.drop(index=frame.index[0]).notna().all().all()


def test_export_reproduces_the_pooled_coefficients_with_plain_statsmodels(tmp_path):
    frame = frame_with_effects({("C2G", "democracy", "coop_central"): 0.4}, n=70, seed=4)
    frame = frame[~((frame["platform_type"] == "C2C") & (frame["level_metro"] == 1))].copy()
    frame.loc[frame.index[::17], "democracy"] = np.nan
    frame.loc[frame.index[5::23], "share_basic_pension"] = np.nan
    frame["share_coop_central"] = frame["coop_central"]
    frame["share_coop_metro"] = frame["coop_metro"]
    frame["share_coop_private"] = frame["coop_private"]
    export.write_package(frame, tmp_path)
    analysis = pd.read_csv(tmp_path / "analysis.csv", dtype={"lg_code": str, "type": str})
    coefs = pd.read_csv(tmp_path / "pooled_coefficients.csv")
    assert list(coefs.columns) == [
        "outcome",
        "term",
        "estimate",
        "std_error",
        "p_value",
        "n_obs",
        "n_clusters",
    ]
    assert set(pooled.POOLED_TERMS) <= set(analysis.columns)
    assert "level_metro_C2C" not in set(coefs["term"])
    assert set(coefs["outcome"]) == set(OUTCOMES)
    for outcome, block in coefs.groupby("outcome"):
        terms = [t for t in block["term"] if t != "Intercept"]
        rows = analysis.dropna(subset=[outcome, *pooled.POOLED_TERMS])
        res = sm.OLS(rows[outcome], sm.add_constant(rows[terms])).fit(
            cov_type="cluster",
            cov_kwds={"groups": pd.factorize(rows["lg_code"])[0]},
            use_t=True,
        )
        np.testing.assert_allclose(block["estimate"], res.params, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(block["std_error"], res.bse, rtol=1e-8)
        np.testing.assert_allclose(block["p_value"], res.pvalues, rtol=1e-6, atol=1e-14)
        assert (block["n_obs"] == len(rows)).all()
        assert (block["n_clusters"] == rows["lg_code"].nunique()).all()
