import numpy as np
import pandas as pd
import pytest
from factories import with_other_controls
from scipy import stats

from platformgov import vocabulary
from platformgov.analysis import models
from platformgov.analysis.measures import COLUMNS
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

#: The terms of our main model; the vocabulary may append controls.
STUDY_TERMS = [
    "log_n_platforms",
    "diversity",
    "coop_central",
    "coop_metro",
    "coop_private",
    "level_metro",
    "kind_gun",
    "kind_gu",
    "log_population",
    "share_basic_pension",
    "capital_region",
]
MAIN = list(models.MAIN_TERMS)


def random_frame(n_basic: int = 90, n_metro: int = 12, seed: int = 1) -> pd.DataFrame:
    """An analysis frame with known structure: outcomes linear in the regressors plus noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for t in TYPE_CODES:
        for i in range(n_basic + n_metro):
            metro = i < n_metro
            kind = "metro" if metro else rng.choice(["si", "gun", "gu"])
            n = int(rng.poisson(3))
            div = int(rng.integers(1, n + 1)) if n else 0
            coop = {
                "coop_central": float(rng.random() < 0.4),
                "coop_metro": 0.0 if metro else float(rng.random() < 0.5),
                "coop_private": float(rng.random() < 0.3),
            }
            pop = np.exp(rng.normal(13 if not metro else 15, 0.8))
            row = {
                "lg_code": f"{i:02d}" if metro else f"{10000 + i}",
                "platform_type": t,
                "n_platforms": n,
                "log_n_platforms": np.log(n) if n else np.nan,
                "diversity": div,
                **coop,
                "share_coop_central": coop["coop_central"],
                "share_coop_metro": coop["coop_metro"],
                "share_coop_private": coop["coop_private"],
                "level_metro": int(metro),
                "kind_gun": int(kind == "gun"),
                "kind_gu": int(kind == "gu"),
                "log_population": np.log(pop),
                "share_basic_pension": rng.uniform(0.1, 0.4),
                "capital_region": int(rng.random() < 0.3),
            }
            signal = 0.15 * n + 0.8 * coop["coop_metro"] + 0.8 * coop["coop_private"]
            for k, o in enumerate(OUTCOMES):
                value = 2.5 + signal * (1 + 0.1 * k) + rng.normal(0, 0.5)
                row[o] = float(np.clip(np.round(value * 3) / 3, 1, 5))
            rows.append(row)
    frame = with_other_controls(pd.DataFrame(rows), seed)[list(COLUMNS)]
    # some missing outcomes and a missing regressor, for listwise deletion
    frame.loc[frame.sample(15, random_state=seed).index, "democracy"] = np.nan
    frame.loc[frame.sample(5, random_state=seed + 1).index, "coop_private"] = np.nan
    return frame


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return random_frame()


def design(frame, t, outcome, terms, sample="all"):
    rows = frame[frame["platform_type"] == t]
    if sample == "basic":
        rows = rows[rows["level_metro"] == 0]
    rows = rows.dropna(subset=[outcome, *terms])
    x = np.column_stack([np.ones(len(rows)), rows[terms].to_numpy(dtype=float)])
    return x, rows[outcome].to_numpy(dtype=float)


def hc3_by_hand(x, y):
    xtx_inv = np.linalg.inv(x.T @ x)
    beta = xtx_inv @ x.T @ y
    e = y - x @ beta
    h = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
    meat = x.T @ np.diag(e**2 / (1 - h) ** 2) @ x
    return beta, np.sqrt(np.diag(xtx_inv @ meat @ xtx_inv)), e


@pytest.mark.parametrize("t", ["G2C", "C2G", "C2C"])
@pytest.mark.parametrize("outcome", ["democracy", "convenience"])
def test_ols_matches_least_squares_and_hand_hc3(frame, t, outcome):
    res = models.fit(frame, models.Spec(t, outcome))
    x, y = design(frame, t, outcome, MAIN)
    beta_ls, *_ = np.linalg.lstsq(x, y, rcond=None)
    beta, se, e = hc3_by_hand(x, y)
    assert res.terms == ("Intercept", *MAIN)
    assert res.n_obs == len(y)
    np.testing.assert_allclose(res.coefficients["estimate"], beta_ls, rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(res.coefficients["std_error"], se, rtol=1e-9)
    df = len(y) - x.shape[1]
    p = 2 * stats.t.sf(np.abs(beta / se), df)
    np.testing.assert_allclose(res.coefficients["p_value"], p, rtol=1e-7, atol=1e-14)
    crit = stats.t.ppf(0.975, df)
    np.testing.assert_allclose(res.coefficients["conf_low"], beta - crit * se, rtol=1e-9)
    np.testing.assert_allclose(res.coefficients["conf_high"], beta + crit * se, rtol=1e-9)
    r2 = 1 - (e @ e) / ((y - y.mean()) @ (y - y.mean()))
    assert res.r_squared == pytest.approx(r2, rel=1e-10)
    assert res.notes == ()


def test_listwise_deletion_drops_rows_missing_outcome_or_regressor(frame):
    rows = frame[frame["platform_type"] == "G2C"]
    complete = rows.dropna(subset=["democracy", *MAIN])
    assert len(complete) < len(rows)
    assert models.fit(frame, models.Spec("G2C", "democracy")).n_obs == len(complete)


def test_constant_regressor_is_dropped_and_recorded(frame):
    res = models.fit(frame, models.Spec("C2C", "efficiency", sample="basic"))
    assert "level_metro" not in res.terms
    assert models.Note("constant", "level_metro") in res.notes
    assert res.dropped == ("level_metro",)
    kept = [t for t in MAIN if t != "level_metro"]
    x, y = design(frame, "C2C", "efficiency", kept, sample="basic")
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    np.testing.assert_allclose(res.coefficients["estimate"], beta, rtol=1e-9, atol=1e-10)
    assert not res.coefficients[["estimate", "std_error", "p_value"]].isna().any().any()
    assert str(res.notes[0]) == "level_metro: constant"
    assert str(models.Note("leverage_one")) == "leverage_one"


def test_metro_only_sample_drops_coop_metro_and_kind_dummies(frame):
    metro = frame[frame["level_metro"] == 1]
    res = models.fit(metro, models.Spec("G2C", "convenience", controls=("log_population",)))
    assert set(res.dropped) == {"coop_metro"}
    assert "coop_metro" not in res.terms


def test_collinear_regressor_is_dropped_and_recorded(frame):
    f = frame.copy()
    f["diversity"] = 2 * f["log_n_platforms"]
    res = models.fit(f, models.Spec("G2C", "service_quality"))
    assert models.Note("collinear", "diversity") in res.notes
    assert "diversity" not in res.terms
    # a combination of earlier terms: kind_gu = 1 - kind_gun - level_metro when no 시 exists
    g = frame[frame["platform_type"] == "C2G"].copy()
    g["kind_gu"] = 1 - g["kind_gun"] - g["level_metro"]
    res = models.fit(g, models.Spec("C2G", "service_quality"))
    assert models.Note("collinear", "kind_gu") in res.notes


def test_leverage_one_is_recorded_not_silent(frame):
    f = frame[frame["platform_type"] == "G2C"].dropna(subset=["efficiency", *MAIN]).copy()
    f["only_one"] = 0
    f.loc[f.index[0], "only_one"] = 1
    spec = models.Spec("G2C", "efficiency", controls=("log_population", "only_one"))
    res = models.fit(f, spec)
    assert models.Note("leverage_one") in res.notes
    assert res.coefficients["std_error"].isna().all()
    assert res.coefficients["estimate"].notna().all()


def test_regressors_and_controls_are_parameters(frame):
    spec = models.Spec(
        "G2C",
        "convenience",
        activation=("log_n_platforms",),
        collaboration=("coop_private",),
        controls=("level_metro",),
    )
    res = models.fit(frame, spec)
    assert res.terms == ("Intercept", "log_n_platforms", "coop_private", "level_metro")
    x, y = design(frame, "G2C", "convenience", ["log_n_platforms", "coop_private", "level_metro"])
    assert res.n_obs == len(y)  # rows with n_platforms = 0 have no log and are deleted
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    np.testing.assert_allclose(res.coefficients["estimate"], beta, rtol=1e-9)


def test_spec_validation(frame):
    with pytest.raises(ValueError, match="estimator"):
        models.Spec("G2C", "democracy", estimator="probit")
    with pytest.raises(ValueError, match="sample"):
        models.Spec("G2C", "democracy", sample="rural")
    with pytest.raises(ValueError, match="platform type"):
        models.Spec("B2B", "democracy")
    with pytest.raises(ValueError, match="twice"):
        models.Spec("G2C", "democracy", controls=(vocabulary.MAIN_ACTIVATION[0],))
    with pytest.raises(models.ModelError, match="no_such_column"):
        models.fit(frame, models.Spec("G2C", "democracy", controls=("no_such_column",)))
    tiny = frame[frame["platform_type"] == "G2C"].head(8)
    with pytest.raises(models.ModelError, match="too few"):
        models.fit(tiny, models.Spec("G2C", "efficiency"))


def test_main_specs_cover_every_type_and_outcome():
    specs = models.main_specs()
    assert len(specs) == len(TYPE_CODES) * len(OUTCOMES)
    assert {(s.platform_type, s.outcome) for s in specs} == {
        (t, o) for t in TYPE_CODES for o in OUTCOMES
    }
    assert all(s.terms == tuple(MAIN) for s in specs)
    assert MAIN[: len(STUDY_TERMS)] == STUDY_TERMS
    assert all(s.sample == "basic" for s in models.main_specs(sample="basic"))


def test_ordinal_score_is_the_sum_of_three_items():
    # Means of three answered items give their exact sum; a mean of two answered items gives
    # the prorated sum, halves rounded up.
    items = np.array([[1, 1, 1], [5, 5, 5], [2, 3, 3], [4, 5, 5], [1, 2, 4]], dtype=float)
    means = pd.Series(items.mean(axis=1), name="democracy")
    assert models.ordinal_score(means, "democracy").tolist() == items.sum(axis=1).tolist()
    two_answered = pd.Series([4.5, 3.5, 2.0, np.nan])  # (4, 5), (3, 4), (2, 2), none
    assert models.ordinal_score(two_answered, "democracy")[:3].tolist() == [14, 11, 6]
    assert np.isnan(models.ordinal_score(two_answered, "democracy")[3])


def test_ordinal_score_of_a_single_item_is_the_item():
    assert models.ordinal_score(pd.Series([1.0, 3.0, 5.0]), "democracy_item").tolist() == [1, 3, 5]


def test_ordered_logit_recovers_the_sign_of_a_strong_effect():
    rng = np.random.default_rng(3)
    n = 400
    x1 = rng.normal(size=n)
    x2 = rng.binomial(1, 0.5, size=n).astype(float)
    latent = 1.2 * x1 - 0.8 * x2 + rng.logistic(size=n)
    y = np.digitize(latent, [-2.0, -0.7, 0.7, 2.0]) + 1  # 1..5
    f = pd.DataFrame(
        {
            "lg_code": [str(10000 + i) for i in range(n)],
            "platform_type": "C2C",
            "democracy": y.astype(float),
            "x1": x1,
            "x2": x2,
            "level_metro": 0,
        }
    )
    spec = models.Spec(
        "C2C",
        "democracy",
        activation=("x1",),
        collaboration=("x2",),
        controls=(),
        estimator="ologit",
    )
    res = models.fit(f, spec)
    assert res.terms == ("x1", "x2")  # thresholds are not terms, and there is no intercept
    est = res.coefficients.set_index("term")["estimate"]
    assert est["x1"] == pytest.approx(1.2, abs=0.3)
    assert est["x2"] == pytest.approx(-0.8, abs=0.4)
    assert (res.coefficients["p_value"] < 0.01).all()
    assert 0 < res.r_squared < 1
    c = res.coefficients.iloc[0]
    assert c["conf_low"] < c["estimate"] < c["conf_high"]


def test_ordered_logit_on_the_main_spec(frame):
    res = models.fit(frame, models.Spec("G2C", "service_quality", estimator="ologit"))
    assert "Intercept" not in res.terms
    assert res.coefficients.set_index("term").loc["coop_private", "estimate"] > 0


def test_vif_against_correlation():
    rng = np.random.default_rng(5)
    a = rng.normal(size=300)
    b = 0.8 * a + rng.normal(scale=0.6, size=300)
    f = pd.DataFrame(
        {
            "lg_code": [str(i) for i in range(300)],
            "platform_type": "G2C",
            "democracy": a + b + rng.normal(size=300),
            "a": a,
            "b": b,
        }
    )
    res = models.fit(
        f, models.Spec("G2C", "democracy", activation=("a", "b"), collaboration=(), controls=())
    )
    v = models.vif(res).set_index("term")["vif"]
    r = np.corrcoef(a, b)[0, 1]
    assert v["a"] == pytest.approx(1 / (1 - r**2))
    assert v["b"] == pytest.approx(1 / (1 - r**2))


def test_residual_data(frame):
    res = models.fit(frame, models.Spec("C2G", "democracy"))
    rd = models.residual_data(res)
    assert len(rd) == res.n_obs
    np.testing.assert_allclose(rd["fitted"] + rd["residual"], res.endog.to_numpy())
    assert abs(rd["residual"].sum()) < 1e-8
    assert rd["leverage"].sum() == pytest.approx(len(res.terms))
    assert list(rd["lg_code"]) == list(res.lg_code)


def test_stars():
    assert models.stars(0.0009) == "***"
    assert models.stars(0.001) == "**"
    assert models.stars(0.0099) == "**"
    assert models.stars(0.04) == "*"
    assert models.stars(0.05) == ""
    assert models.stars(float("nan")) == ""


def test_compare_with_paper_lists_the_abstract_findings(frame):
    findings = {(f.platform_type, f.term, f.outcome) for f in models.PAPER_FINDINGS}
    expected = {
        ("G2C", "log_n_platforms", "service_quality"),
        ("G2C", "log_n_platforms", "convenience"),
    }
    expected |= {
        (t, term, o)
        for t in ("G2C", "C2C")
        for term in ("coop_metro", "coop_private")
        for o in OUTCOMES
    }
    assert findings == expected
    assert len(models.PAPER_FINDINGS) == 18


def test_compare_with_paper_judges_agreement(frame):
    results = models.fit_main(frame)
    cmp = models.compare_with_paper(results)
    assert len(cmp) == 18
    for _, r in cmp.iterrows():
        res = next(
            x
            for x in results
            if (x.spec.platform_type, x.spec.outcome) == (r["platform_type"], r["outcome"])
        )
        c = res.term(r["term"])
        assert r["estimate"] == c["estimate"]
        assert r["conf_low"] == c["conf_low"] and r["conf_high"] == c["conf_high"]
        assert bool(r["agrees"]) == (c["estimate"] > 0 and c["p_value"] < 0.05)
    # the frame is built with strong positive private and metro effects
    coop = cmp[cmp["term"] == "coop_private"]
    assert coop["agrees"].all()


def test_compare_with_paper_disagrees_with_a_negative_effect(frame):
    f = frame.copy()
    g2c = f["platform_type"] == "G2C"
    f.loc[g2c, "convenience"] = 6 - f.loc[g2c, "convenience"]  # reverse the scale
    cmp = models.compare_with_paper(models.fit_main(f))
    row = cmp[
        (cmp["platform_type"] == "G2C")
        & (cmp["term"] == "coop_private")
        & (cmp["outcome"] == "convenience")
    ]
    assert row["estimate"].iloc[0] < 0
    assert not row["agrees"].iloc[0]


def test_compare_with_paper_without_an_estimate_is_missing(frame):
    metro = frame[frame["level_metro"] == 1]
    results = [
        models.fit(metro, models.Spec("G2C", o, controls=("log_population",))) for o in OUTCOMES
    ]
    cmp = models.compare_with_paper(results)
    g2c_metro = cmp[(cmp["platform_type"] == "G2C") & (cmp["term"] == "coop_metro")]
    assert g2c_metro["agrees"].isna().all()  # dropped: no variation among 광역
    c2c = cmp[cmp["platform_type"] == "C2C"]
    assert c2c["agrees"].isna().all() and c2c["estimate"].isna().all()  # no C2C results passed
