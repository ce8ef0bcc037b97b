import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from factories import assert_captioned_outside, make_frame
from matplotlib.text import Text

from platformgov.analysis import findings, models
from platformgov.analysis.privacy import MIN_CELL
from platformgov.chapters import regression as results
from platformgov.figures import regression, style
from platformgov.labels import label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES


@pytest.fixture(scope="module")
def checks():
    style.use()
    return findings.fit_checks(make_frame())


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def all_axes(fig):
    return [ax for ax in fig.findobj(plt.Axes)]


def check_words(fig, lang: str, keys: list[str]) -> None:
    words = "\n".join(texts(fig))
    for key in keys:
        assert label(key, lang).split(" ")[0] in words, key
    assert "\u2212" not in words, "NanumGothic has no U+2212 minus sign"
    assert fig.get_figwidth() <= 7.01


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_coefficient_plot(checks, lang):
    fig = regression.coefficient_plot(checks["main"], lang)
    assert len(all_axes(fig)) == len(models.KEY_TERMS) * len(TYPE_CODES)
    check_words(
        fig,
        lang,
        [f"term.{t}" for t in models.KEY_TERMS] + [f"outcome.{o}" for o in OUTCOMES],
    )
    words = "\n".join(texts(fig))
    for t in TYPE_CODES:
        assert value_label("platform_type", t, lang).split(" ")[0] in words
    assert_captioned_outside(fig, "fig-reg-coefficients", lang)


def test_coefficient_plot_marks_significance(checks):
    fits = checks["main"]
    fig = regression.coefficient_plot(fits, "en")
    markers = [
        line
        for ax in all_axes(fig)
        for line in ax.get_lines()
        if line.get_marker() not in ("None", "", None) and len(line.get_xdata()) == 1
    ]
    hollow = sum(1 for m in markers if m.get_markerfacecolor() in ("white", (1, 1, 1, 1)))
    tidy = results.models.tidy(fits)
    key = tidy[tidy["term"].isin(models.KEY_TERMS)]
    assert len(markers) == len(key)
    assert hollow == int((key["p_value"] >= 0.05).sum())


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_robustness_plot(checks, lang):
    kc = findings.key_coefficients(checks)
    fig = regression.robustness_plot(kc, lang)
    assert len(all_axes(fig)) == len(models.KEY_TERMS) * len(TYPE_CODES)
    check_words(fig, lang, [f"reg.check.{c}" for c in checks] + ["reg.activation_either"])
    # Every statistic is drawn once.
    drawn = sum(
        len(line.get_xdata())
        for ax in all_axes(fig)
        for line in ax.get_lines()
        if line.get_marker() not in ("None", "", None)
    )
    assert drawn == len(kc)
    assert_captioned_outside(fig, "fig-reg-robustness", lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_truth_plot(checks, lang):
    fits = checks["main"]
    truth = findings.true_values("synthetic")
    comparison = findings.truth_comparison(fits, truth)
    fig = regression.truth_plot(comparison, lang)
    assert len(all_axes(fig)) == len(TYPE_CODES)
    check_words(fig, lang, ["reg.estimation_error", "reg.misses_truth"])
    hollow = sum(
        len(line.get_xdata())
        for ax in all_axes(fig)
        for line in ax.get_lines()
        if line.get_markerfacecolor() in ("white", (1, 1, 1, 1))
    )
    assert hollow == int((~comparison["covers"]).sum())
    assert_captioned_outside(fig, "fig-reg-truth", lang)


def test_truth_plot_without_truth():
    fig = regression.truth_plot(None, "ko")
    assert label("reg.truth_unavailable", "ko") in texts(fig)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_residual_plots(checks, lang):
    fits = checks["main"]
    fig = regression.residual_plots(fits, lang)
    assert len(all_axes(fig)) == len(TYPE_CODES) * len(OUTCOMES)
    check_words(fig, lang, ["ui.fitted", "ui.residual"])
    points = max(len(line.get_xdata()) for ax in all_axes(fig) for line in ax.get_lines())
    assert points == max(r.n_obs for r in fits)
    assert_captioned_outside(fig, "fig-reg-residuals", lang)


def test_residual_plots_without_points_show_bins_only(checks):
    fits = checks["main"]
    fig = regression.residual_plots(fits, "en", points=False)
    smallest = min(r.n_obs for r in fits)
    for ax in all_axes(fig):
        for line in ax.get_lines():
            n = len(line.get_xdata())
            if n > 2:  # not the zero line
                assert n <= min(10, smallest // MIN_CELL)


def test_bins_hold_at_least_the_minimum():
    fitted = np.arange(17, dtype=float)
    x, y = regression._binned(fitted, fitted * 0 + 1, MIN_CELL)
    assert len(x) == 17 // MIN_CELL
    np.testing.assert_allclose(y, 1)
