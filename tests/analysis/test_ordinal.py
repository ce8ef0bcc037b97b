import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats

from platformgov.analysis import models, ordinal, speccurve

COLUMNS = list(ordinal.RESULT_COLUMNS)


@pytest.fixture(scope="module")
def book_frame(registry):
    from platformgov.inputs.survey import load_survey

    return speccurve.outcome_frame(load_survey(), registry)


def book_ologit_specs() -> list[models.Spec]:
    table = speccurve.specifications()
    rows = table[table["estimator"] == "ologit"].to_dict("records")
    return [speccurve.to_spec(r) for r in rows]


def polished(result: models.FitResult):
    """The one-at-a-time fit's own statsmodels model, optimised on to convergence by Newton.

    :func:`models.fit` stops BFGS when the mean score is below 1e-5. On the book's data that
    leaves most estimates more than 1e-6 (relative) from the maximum, and some (of badly scaled
    regressors such as the share of basic pensioners) up to 0.6% of a standard error away;
    continuing from there with the same model, likelihood and HC0 covariance reaches the
    maximum itself.
    """
    res = result.model
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = res.model.fit(
            start_params=res.params, method="newton", maxiter=50, disp=False, cov_type="HC0"
        )
    assert out.mle_retvals["converged"]
    return out


def test_every_ordered_logit_of_the_curve_matches_the_one_at_a_time_fit(book_frame):
    specs = book_ologit_specs()
    assert len(specs) == len(speccurve.specifications()) // 2
    fits = ordinal.fit_specs(book_frame, specs)
    assert len(fits) == len(specs)
    raw_gap = []
    for spec, fit in zip(specs, fits, strict=True):
        try:
            one = models.fit(book_frame, spec)
        except models.ModelError:
            assert fit.coefficients is None and fit.reasons == "not_estimable"
            continue
        assert fit.reasons == ",".join(n.reason for n in one.notes), spec
        assert fit.n_obs == one.n_obs
        assert list(fit.coefficients.index) == list(one.terms)
        k = len(one.terms)
        best = polished(one)
        est, se = best.params.to_numpy()[:k], best.bse.to_numpy()[:k]
        got = fit.coefficients
        np.testing.assert_allclose(got["estimate"], est, rtol=1e-6, atol=1e-9, err_msg=str(spec))
        np.testing.assert_allclose(got["std_error"], se, rtol=1e-5, err_msg=str(spec))
        z = stats.norm.ppf(0.975)
        np.testing.assert_allclose(got["p_value"], 2 * stats.norm.sf(np.abs(est / se)), rtol=1e-4)
        np.testing.assert_allclose(got["conf_low"], est - z * se, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(got["conf_high"], est + z * se, rtol=1e-5, atol=1e-6)
        # the unpolished one-at-a-time estimates lie close to the maximum, within BFGS's tolerance
        raw = one.coefficients.set_index("term")
        raw_gap.append(np.max(np.abs(got["estimate"] - raw["estimate"]) / raw["std_error"]))
    assert max(raw_gap) < 0.02
    notes = {f.reasons for f in fits}
    assert "constant" in notes and "" in notes  # both kinds of specification were compared


# --- hand-made cases ----------------------------------------------------------------------


def small_frame(n: int = 80, seed: int = 5, **outcomes: np.ndarray) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = (rng.random(n) < 0.4).astype(float)
    latent = 0.8 * a + 0.5 * b + rng.logistic(size=n)
    frame = pd.DataFrame(
        {
            "lg_code": [f"{i:05d}" for i in range(n)],
            "platform_type": "G2C",
            "level_metro": (np.arange(n) < 10).astype(float),
            "a": a,
            "b": b,
            "y": np.digitize(latent, [-1.0, 0.0, 1.0]) + 1.0,
        }
    )
    for name, values in outcomes.items():
        frame[name] = values(frame) if callable(values) else values
    return frame


def spec(outcome: str, terms=("a", "b"), sample: str = "all") -> models.Spec:
    return models.Spec(
        "G2C", outcome, activation=terms, collaboration=(), controls=(), estimator="ologit",
        sample=sample,
    )  # fmt: skip


def one_at_a_time(frame: pd.DataFrame, s: models.Spec) -> ordinal.OrdinalFit:
    try:
        one = models.fit(frame, s)
    except models.ModelError:
        return ordinal.NOT_ESTIMABLE
    return ordinal.OrdinalFit(
        one.coefficients.set_index("term"), one.n_obs, ",".join(n.reason for n in one.notes)
    )


def test_separated_and_degenerate_outcomes_get_the_notes_of_the_one_at_a_time_path():
    frame = small_frame(
        separated=lambda f: np.where(f["a"] > 0, 4.0, 2.0),
        separated3=lambda f: np.where(f["a"] > 0.5, 5.0, np.where(f["a"] > -0.5, 3.0, 1.0)),
        constant=3.2,  # rounds to one category
        almost=lambda f: np.where(np.arange(len(f)) < 2, 4.0, 2.0),  # 2 rows in one category
        few=lambda f: np.where(np.arange(len(f)) < 3, np.arange(len(f)) + 1.0, np.nan),
    )
    frame["c"] = 1.0
    frame["a2"] = 2 * frame["a"] - 1
    specs = [
        spec("separated"),
        spec("separated3"),
        spec("constant"),
        spec("almost"),
        spec("few"),
        spec("y", ("c", "a", "b")),
        spec("y", ("a", "a2", "b")),
        spec("y", ("c",)),
        spec("y", ("a", "b"), sample="basic"),
        spec("y", ("level_metro", "a")),
        spec("y", ("level_metro", "a"), sample="basic"),
    ]
    fits = ordinal.fit_specs(frame, specs)
    expected = [one_at_a_time(frame, s) for s in specs]
    reasons = [f.reasons for f in fits]
    assert reasons == [e.reasons for e in expected]
    assert reasons[:5] == ["", "", "not_estimable", "", "not_estimable"]
    assert reasons[5:] == ["constant", "collinear", "not_estimable", "", "", "constant"]
    for got, want in zip(fits, expected, strict=True):
        assert got.n_obs == want.n_obs
        if want.coefficients is None:
            assert got.coefficients is None
            continue
        assert list(got.coefficients.index) == list(want.coefficients.index)
    # without separation, the numbers agree too (BFGS on a well-scaled design is accurate)
    np.testing.assert_allclose(
        fits[5].coefficients["estimate"], expected[5].coefficients["estimate"], rtol=1e-4
    )


def test_a_term_constant_in_one_outcomes_rows_only_is_dropped_for_that_outcome():
    # b is 1 only where y_gap is missing: constant among y_gap's rows, not among y's
    frame = small_frame()
    frame["y_gap"] = np.where(frame["b"] == 1, np.nan, frame["y"])
    frame["y_item"] = frame["y"].where(np.arange(len(frame)) % 7 > 0)
    specs = [spec("y"), spec("y_gap"), spec("y_item")]
    fits = ordinal.fit_specs(frame, specs)
    assert [f.reasons for f in fits] == ["", "constant", ""]
    assert list(fits[1].coefficients.index) == ["a"]
    for got, s in zip(fits, specs, strict=True):
        want = one_at_a_time(frame, s)
        assert got.n_obs == want.n_obs
        np.testing.assert_allclose(
            got.coefficients["estimate"], want.coefficients["estimate"], rtol=1e-4
        )


def test_two_categories_reduce_to_a_logit():
    rng = np.random.default_rng(11)
    n = 300
    x = np.column_stack([rng.normal(size=n), rng.random(n) < 0.5])
    y = (x @ [1.0, -0.7] + 0.3 + rng.logistic(size=n) > 0).astype(float)
    res = ordinal.ordered_logit(x, y[None, :])
    logit = sm.Logit(y, sm.add_constant(x)).fit(disp=False, method="newton", cov_type="HC0")
    np.testing.assert_allclose(res["estimate"][0], logit.params[1:], rtol=1e-8)
    np.testing.assert_allclose(res["std_error"][0], logit.bse[1:], rtol=1e-6)
    # P(y = 0) = F(θ − x'β) = 1 − F(const + x'β): the threshold is minus the constant
    np.testing.assert_allclose(res["thresholds"][0], [-logit.params[0]], rtol=1e-8)
    np.testing.assert_allclose(res["loglike"][0], logit.llf, rtol=1e-10)
    assert res["converged"][0] and res["n_categories"][0] == 2


def test_missing_rows_are_dropped_as_in_listwise_deletion():
    rng = np.random.default_rng(2)
    n = 200
    x = np.column_stack([rng.normal(size=n), rng.normal(size=n), rng.random(n) < 0.3])
    latent = x @ [0.6, -0.4, 0.9] + rng.logistic(size=n)
    y = np.stack(
        [
            np.digitize(latent, [-1.5, -0.5, 0.5, 1.5]) + 1.0,  # five categories
            np.digitize(latent, [0.0]) * 3 + 2.0,  # two, coded 2 and 5
            np.digitize(latent, [-0.5, 0.8]) - 1.0,  # three, coded -1, 0, 1
        ]
    )
    y[0, rng.random(n) < 0.2] = np.nan
    y[2, :40] = np.nan
    weight = np.ones_like(y)
    weight[1, rng.random(n) < 0.3] = 0
    batch = ordinal.ordered_logit(x, y, weight)
    assert batch["n_categories"].tolist() == [5, 2, 3]
    for m in range(len(y)):
        keep = ~np.isnan(y[m]) & (weight[m] > 0)
        assert batch["n_obs"][m] == keep.sum()
        alone = ordinal.ordered_logit(x[keep], y[m, keep][None, :])
        for name in (*COLUMNS, "loglike"):
            np.testing.assert_allclose(batch[name][m], alone[name][0], rtol=1e-9, err_msg=name)
        cuts = batch["thresholds"][m]
        np.testing.assert_allclose(cuts[: batch["n_categories"][m] - 1], alone["thresholds"][0])
        assert np.isnan(cuts[batch["n_categories"][m] - 1 :]).all()
    # a missing regressor in a row that no model uses is no obstacle; in a used row it is
    x_gap = x.copy()
    x_gap[:40, 0] = np.nan
    only = ordinal.ordered_logit(x_gap, y[2:])
    np.testing.assert_allclose(only["estimate"], batch["estimate"][2:], rtol=1e-12)
    with pytest.raises(ValueError, match="missing regressor"):
        ordinal.ordered_logit(x_gap, y[:1])


def test_a_model_needs_two_categories():
    x = np.arange(10.0)[:, None]
    with pytest.raises(ValueError, match="fewer than two categories"):
        ordinal.ordered_logit(x, np.stack([np.r_[np.ones(5), np.full(5, 2.0)], np.ones(10)]))


def test_specifications_that_differ_in_their_outcome_share_a_design():
    specs = [spec("y"), spec("z"), spec("y", ("a",)), spec("z", sample="basic"), spec("w")]
    assert list(ordinal.group_specs(specs).values()) == [[0, 1, 4], [2], [3]]
    with pytest.raises(ValueError, match="not an ordered logit"):
        ordinal.group_specs([models.Spec("G2C", "y")])
    book = ordinal.group_specs(book_ologit_specs())
    assert len(book) == 72 and {len(m) for m in book.values()} == {8}


def test_a_poor_start_still_reaches_the_maximum():
    rng = np.random.default_rng(4)
    n = 120
    x = np.column_stack([rng.normal(size=n), rng.random(n) < 0.5])
    y = np.digitize(x @ [1.5, -1.0] + rng.logistic(size=n), [-1.0, 0.5, 2.0])[None, :] + 1.0
    best = ordinal.ordered_logit(x, y)
    for start in ([8.0, 8.0, -3.0, -2.9, -2.8], [-5.0, 4.0, 0.0, 6.0, 12.0]):
        far = ordinal.ordered_logit(x, y, start=np.array([start]))
        assert far["converged"][0] and far["iterations"][0] > best["iterations"][0]
        np.testing.assert_allclose(far["estimate"], best["estimate"], rtol=1e-8)
        np.testing.assert_allclose(far["std_error"], best["std_error"], rtol=1e-7)
    # rescaling a regressor rescales its estimate and nothing else
    for factor in (1e-9, 1e9):
        scaled = ordinal.ordered_logit(x * [factor, 1.0], y)
        assert scaled["converged"][0]
        np.testing.assert_allclose(scaled["estimate"] * [factor, 1.0], best["estimate"], rtol=1e-8)
        np.testing.assert_allclose(scaled["p_value"], best["p_value"], rtol=1e-7)


def test_a_fit_stopped_before_convergence_is_noted(monkeypatch):
    frame = small_frame()
    specs = [spec("y", ("level_metro", "a"), sample="basic"), spec("y")]
    assert [f.reasons for f in ordinal.fit_specs(frame, specs)] == ["constant", ""]
    stopped = ordinal.ordered_logit(frame[["a", "b"]].to_numpy(), frame["y"].to_numpy(), maxiter=1)
    assert not stopped["converged"][0] and stopped["iterations"][0] == 1
    original = ordinal.ordered_logit
    monkeypatch.setattr(
        ordinal, "ordered_logit", lambda x, y, **kw: original(x, y, maxiter=1, **kw)
    )
    fits = ordinal.fit_specs(frame, specs)
    assert [f.reasons for f in fits] == ["constant,not_converged", "not_converged"]
