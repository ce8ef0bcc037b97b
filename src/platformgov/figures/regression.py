"""Figures of the regression chapter: coefficients, robustness, the true effects, residuals."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from statsmodels.nonparametric.smoothers_lowess import lowess

from platformgov import vocabulary
from platformgov.analysis import models
from platformgov.analysis.privacy import MIN_CELL
from platformgov.figures.style import PHONE_WIDTH, palette, responsive
from platformgov.labels import label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

KEY_TERMS = models.KEY_TERMS

MARKERS = ("o", "s", "D", "^", "v")
WIDTH = 7.0
# The two-sided 5% critical value of the normal distribution, drawn as a guide.
Z_CRIT = 1.96


def _wrap(text: str, width: int = 22) -> str:
    """Break a long panel title or tick label into lines (Hangul labels are short enough)."""
    return textwrap.fill(text, width, break_long_words=False)


def _grid(
    n_rows: int, height: float, row_titles: list[str], col_titles: list[str], phone: bool = False
):
    """A figure of ``n_rows`` sub-figures (one title each) of len(col_titles) axes; on a phone
    narrower, with shorter lines in the column titles and fewer ticks."""
    fig = plt.figure(figsize=(PHONE_WIDTH if phone else WIDTH, height), layout="constrained")
    subfigs = np.atleast_1d(fig.subfigures(n_rows, 1))
    axes = []
    for i, (sub, title) in enumerate(zip(subfigs, row_titles, strict=True)):
        row = sub.subplots(1, len(col_titles), sharex=True, sharey=True)
        sub.suptitle(title, fontsize="medium", fontweight="bold", x=0.02, ha="left")
        if i == 0:
            for ax, col in zip(row, col_titles, strict=True):
                ax.set_title(_wrap(col, 11 if phone else 22), fontsize="small")
        if phone:
            for ax in row:
                ax.xaxis.set_major_locator(MaxNLocator(2))
        axes.append(row)
    return fig, np.array(axes)


def _outcome_axis(ax, lang: str, phone: bool = False) -> None:
    # The axes of a row share y, so the labels show on the first panel only.
    ax.set_yticks(range(len(OUTCOMES)))
    names = [label(f"outcome.{o}", lang) for o in OUTCOMES]
    ax.set_yticklabels([_wrap(n, 11) for n in names] if phone else names)
    ax.set_ylim(len(OUTCOMES) - 0.5, -0.5)
    ax.tick_params(axis="both", labelsize="small")
    if phone:
        ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="y", visible=False)


@responsive
def coefficient_plot(results: Iterable[models.FitResult], lang: str, *, phone: bool = False):
    """Estimates and 95% intervals of the five key predictors: one row of panels per predictor,
    one column per platform type, one line per outcome. Filled markers: p < 0.05."""
    tidy = models.tidy(results)
    tidy = tidy[tidy["term"].isin(KEY_TERMS)]
    colours = palette(len(OUTCOMES))
    fig, axes = _grid(
        len(KEY_TERMS),
        10.0,
        [label(f"term.{t}", lang) for t in KEY_TERMS],
        [value_label("platform_type", t, lang) for t in TYPE_CODES],
        phone,
    )
    for i, term in enumerate(KEY_TERMS):
        for j, platform_type in enumerate(TYPE_CODES):
            ax = axes[i, j]
            ax.axvline(0, color="0.3", linewidth=0.8)
            rows = tidy[(tidy["term"] == term) & (tidy["platform_type"] == platform_type)]
            for k, outcome in enumerate(OUTCOMES):
                hit = rows[rows["outcome"] == outcome]
                if hit.empty:
                    continue
                r = hit.iloc[0]
                significant = bool(r["p_value"] < models.ALPHA)
                ax.plot([r["conf_low"], r["conf_high"]], [k, k], color=colours[k], linewidth=1.6)
                ax.plot(
                    r["estimate"],
                    k,
                    marker=MARKERS[k],
                    markersize=6,
                    color=colours[k],
                    markerfacecolor=colours[k] if significant else "white",
                    markeredgewidth=1.4,
                    linestyle="none",
                )
            _outcome_axis(ax, lang, phone)
    axes[-1, len(TYPE_CODES) // 2].set_xlabel(label("reg.coefficient_ci", lang), fontsize="small")
    handles = [
        _legend_marker(label("reg.p_below", lang)),
        _legend_marker(label("reg.p_above", lang), hollow=True),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize="small")
    return fig


def _legend_marker(text: str, marker: str = "o", colour="0.2", *, hollow: bool = False):
    """A legend entry that is a marker alone; ``hollow`` draws it white inside."""
    face = "white" if hollow else colour
    return Line2D(
        [], [], marker=marker, color=colour, markerfacecolor=face, linestyle="none", label=text
    )


@responsive
def robustness_plot(key_coefficients: pd.DataFrame, lang: str, *, phone: bool = False):
    """Test statistics (estimate / SE) of the key predictors under each robustness check.

    ``key_coefficients`` is :func:`platformgov.chapters.findings.key_coefficients`; its checks are drawn
    in their order of appearance, offset vertically within each outcome.
    """
    checks = list(dict.fromkeys(key_coefficients["check"]))
    colours = palette(len(checks))
    offsets = np.linspace(-0.27, 0.27, len(checks)) if len(checks) > 1 else np.zeros(1)
    row_titles = [
        label("reg.activation_either", lang)
        if t == vocabulary.MAIN_ACTIVATION[0]
        else label(f"term.{t}", lang)
        for t in KEY_TERMS
    ]
    fig, axes = _grid(
        len(KEY_TERMS),
        10.5,
        row_titles,
        [value_label("platform_type", t, lang) for t in TYPE_CODES],
        phone,
    )
    for i, term in enumerate(KEY_TERMS):
        for j, platform_type in enumerate(TYPE_CODES):
            ax = axes[i, j]
            ax.axvline(0, color="0.3", linewidth=0.8)
            for crit in (-Z_CRIT, Z_CRIT):
                ax.axvline(crit, color="0.5", linewidth=0.8, linestyle="--")
            rows = key_coefficients[
                (key_coefficients["key_term"] == term)
                & (key_coefficients["platform_type"] == platform_type)
            ]
            for c, check in enumerate(checks):
                part = rows[rows["check"] == check]
                y = [OUTCOMES.index(o) + offsets[c] for o in part["outcome"]]
                ax.plot(
                    part["statistic"],
                    y,
                    marker=MARKERS[c % len(MARKERS)],
                    markersize=4.5,
                    color=colours[c],
                    linestyle="none",
                )
            _outcome_axis(ax, lang, phone)
    axes[-1, len(TYPE_CODES) // 2].set_xlabel(label("reg.statistic", lang), fontsize="small")
    handles = [
        _legend_marker(label(f"reg.check.{check}", lang), MARKERS[c % len(MARKERS)], colours[c])
        for c, check in enumerate(checks)
    ]
    handles.append(Line2D([], [], color="0.5", linestyle="--", label=label("reg.critical", lang)))
    fig.legend(
        handles=handles, loc="outside lower center", ncols=1 if phone else 2, fontsize="small"
    )
    return fig


@responsive
def truth_plot(comparison: pd.DataFrame | None, lang: str, *, phone: bool = False):
    """How far each key estimate lies from the synthetic process's true value.

    ``comparison`` is :func:`platformgov.chapters.findings.truth_comparison`. Each point is estimate minus
    true value with its 95% interval, one panel per type, one group per predictor, one marker per
    outcome; an interval that crosses zero covers the true value, a hollow marker misses it.
    With no ``comparison`` (real data) the figure says that there is no true value to compare.
    On a phone the panels are stacked.
    """
    if comparison is None or comparison.empty:
        fig, ax = plt.subplots(figsize=(PHONE_WIDTH if phone else WIDTH, 1.2), layout="constrained")
        text = label("reg.truth_unavailable", lang)
        ax.text(0.5, 0.5, _wrap(text, 40) if phone else text, ha="center", va="center")
        ax.set_axis_off()
        return fig
    colours = palette(len(OUTCOMES))
    offsets = np.linspace(-0.3, 0.3, len(OUTCOMES))
    n = len(TYPE_CODES)
    shape, size = ((n, 1), (PHONE_WIDTH, 1.4 + 2.6 * n)) if phone else ((1, n), (WIDTH, 4.8))
    fig, axes = plt.subplots(*shape, figsize=size, sharex=phone, sharey=True, layout="constrained")
    for ax, platform_type in zip(axes, TYPE_CODES, strict=True):
        ax.axvline(0, color="0.3", linewidth=0.9)
        ax.set_title(_wrap(value_label("platform_type", platform_type, lang)), fontsize="small")
        part = comparison[comparison["platform_type"] == platform_type]
        for k, outcome in enumerate(OUTCOMES):
            rows = part[part["outcome"] == outcome]
            y = np.array([KEY_TERMS.index(t) for t in rows["term"]]) + offsets[k]
            error = (rows["estimate"] - rows["true_value"]).to_numpy()
            low = (rows["conf_low"] - rows["true_value"]).to_numpy()
            high = (rows["conf_high"] - rows["true_value"]).to_numpy()
            ax.hlines(y, low, high, color=colours[k], linewidth=1.3)
            covers = rows["covers"].to_numpy(dtype=bool)
            for mask, face in ((covers, colours[k]), (~covers, "white")):
                ax.plot(
                    error[mask],
                    y[mask],
                    marker=MARKERS[k],
                    markersize=5,
                    color=colours[k],
                    markerfacecolor=face,
                    markeredgewidth=1.2,
                    linestyle="none",
                )
        ax.set_yticks(range(len(KEY_TERMS)))
        ax.set_yticklabels([_wrap(label(f"term.{t}", lang)) for t in KEY_TERMS])
        ax.set_ylim(len(KEY_TERMS) - 0.5, -0.5)
        ax.grid(axis="y", visible=False)
        ax.tick_params(labelsize="small")
    axes[-1 if phone else n // 2].set_xlabel(label("reg.estimation_error", lang), fontsize="small")
    handles = [
        _legend_marker(label(f"outcome.{o}", lang), MARKERS[k], colours[k])
        for k, o in enumerate(OUTCOMES)
    ]
    handles.append(_legend_marker(label("reg.misses_truth", lang), hollow=True))
    fig.legend(
        handles=handles, loc="outside lower center", ncols=1 if phone else 3, fontsize="small"
    )
    return fig


def _binned(
    fitted: np.ndarray, residual: np.ndarray, minimum: int
) -> tuple[np.ndarray, np.ndarray]:
    """Mean fitted value and mean residual in consecutive bins of at least ``minimum`` rows."""
    order = np.argsort(fitted)
    n_bins = max(1, min(10, len(fitted) // minimum))
    groups = np.array_split(order, n_bins)
    return (
        np.array([fitted[g].mean() for g in groups]),
        np.array([residual[g].mean() for g in groups]),
    )


@responsive
def residual_plots(
    results: Iterable[models.FitResult], lang: str, points: bool = True, *, phone: bool = False
):
    """Residuals against fitted values of each OLS model: one row per type, one column per
    outcome, with a lowess smoother.

    With ``points=False`` (the real survey) no point stands for one local government: the
    panels show the mean residual in bins of at least :data:`MIN_CELL` governments instead.
    """
    by_key: Mapping[tuple[str, str], models.FitResult] = {
        (r.spec.platform_type, r.spec.outcome): r for r in results
    }
    fig, axes = _grid(
        len(TYPE_CODES),
        7.0,
        [value_label("platform_type", t, lang) for t in TYPE_CODES],
        [label(f"outcome.{o}", lang) for o in OUTCOMES],
        phone,
    )
    colours = palette(len(TYPE_CODES))
    for i, platform_type in enumerate(TYPE_CODES):
        for j, outcome in enumerate(OUTCOMES):
            ax = axes[i, j]
            ax.axhline(0, color="0.3", linewidth=0.8)
            ax.tick_params(labelsize=8 if phone else "small")
            result = by_key.get((platform_type, outcome))
            if result is None:
                continue
            data = models.residual_data(result)
            fitted = data["fitted"].to_numpy()
            residual = data["residual"].to_numpy()
            if points:
                ax.plot(fitted, residual, "o", markersize=2.5, alpha=0.45, color=colours[i])
                smooth = lowess(residual, fitted, frac=0.6, return_sorted=True)
                ax.plot(smooth[:, 0], smooth[:, 1], color="0.15", linewidth=1.4)
            else:
                x, y = _binned(fitted, residual, MIN_CELL)
                ax.plot(x, y, "o-", markersize=4, color=colours[i])
    fig.supxlabel(label("ui.fitted", lang), fontsize="small")
    fig.supylabel(label("ui.residual", lang), fontsize="small")
    return fig
