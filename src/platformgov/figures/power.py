"""Figures of the power chapter: specification curves, power curves, bias and coverage."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from platformgov.analysis import models, simulation, speccurve
from platformgov.chapters.power import option_label
from platformgov.figures.style import PHONE_WIDTH, palette, responsive
from platformgov.labels import label, value_label
from platformgov.vocabulary import TYPE_CODES

WIDTH = 7.0
VERDICTS = ("agree", "not_significant", "opposite")
MARKERS = ("o", "s", "D", "^")


def _verdict_colours() -> dict[str, tuple]:
    colours = palette(8)
    return {"agree": colours[0], "not_significant": "0.6", "opposite": colours[3]}


@responsive
def specification_curve(
    curve: pd.DataFrame, finding: models.Finding, lang: str, *, phone: bool = False
):
    """The specification curve of one finding: sorted estimates with 95% intervals above a panel
    that marks each specification's choices.

    Colours say whether an estimate agrees with the paper (its sign, p < 0.05), is not
    significant, or is significant with the other sign; the ring marks our main model.
    Estimates of OLS (Likert points) and ordered logit (log-odds) share the axis: compare their
    signs and intervals, not their sizes.
    """
    rows = speccurve.finding_rows(curve, finding)
    rows = rows[rows["verdict"] != "missing"].sort_values("estimate", kind="stable")
    rows = rows.reset_index(drop=True)
    colours = _verdict_colours()
    n_options = sum(len(o) for o in speccurve.OPTIONS.values())
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(PHONE_WIDTH, 6.0) if phone else (WIDTH, 6.4),
        sharex=True,
        gridspec_kw={"height_ratios": [1.0, 1.15], "hspace": 0.06},
        layout="constrained",
    )
    top.axhline(0, color="0.3", linewidth=0.8)
    for verdict in VERDICTS:
        hit = rows[rows["verdict"] == verdict]
        if hit.empty:
            continue
        top.vlines(
            hit.index, hit["conf_low"], hit["conf_high"], color=colours[verdict], linewidth=0.9
        )
        top.plot(
            hit.index,
            hit["estimate"],
            "o",
            markersize=3.2,
            color=colours[verdict],
            label=label(f"power.verdict.{verdict}", lang),
        )
    main = rows[rows["main"]]
    top.plot(
        main.index,
        main["estimate"],
        "o",
        markersize=9,
        markerfacecolor="none",
        markeredgecolor="black",
        markeredgewidth=1.3,
        label=label("power.main_model", lang),
    )
    top.set_ylabel(label("power.estimate_ci", lang), fontsize="small")
    top.tick_params(labelsize="small")
    top.legend(
        loc="lower left",
        bbox_to_anchor=(0, 1.01),
        ncols=1 if phone else 4,
        fontsize="x-small",
        frameon=False,
    )

    ticks = []
    y = 0
    for d, (dim, options) in enumerate(speccurve.OPTIONS.items()):
        for option in options:
            chosen = rows.index[rows[dim] == option]
            bottom.plot(
                chosen,
                np.full(len(chosen), y),
                "|",
                markersize=7,
                color=palette(len(speccurve.OPTIONS))[d],
            )
            ticks.append(option_label(dim, option, lang))
            y += 1
        if y < n_options:
            bottom.axhline(y - 0.5, color="0.75", linewidth=0.6)
    bottom.set_yticks(range(n_options))
    bottom.set_yticklabels(ticks, fontsize="x-small")
    bottom.set_ylim(n_options - 0.5, -0.5)
    bottom.grid(axis="y", visible=False)
    bottom.set_xlim(-1, len(rows))
    bottom.set_xlabel(label("power.spec_rank", lang), fontsize="small")
    bottom.tick_params(axis="x", labelsize="small")
    return fig


@responsive
def power_curves(
    curves: pd.DataFrame,
    lang: str,
    target: float = simulation.POWER_TARGET,
    *,
    phone: bool = False,
):
    """Probability of detection (p < 0.05) against the true effect: one panel per platform type,
    one line per key predictor of the main model; on a phone the panels are stacked."""
    terms = list(simulation.SIM_TERMS)
    colours = palette(len(terms))
    types = [t for t in TYPE_CODES if t in set(curves["platform_type"])]
    shape, size = (
        ((len(types), 1), (PHONE_WIDTH, 1.0 + 2.3 * len(types)))
        if phone
        else ((1, len(types)), (WIDTH, 3.4))
    )
    fig, axes = plt.subplots(
        *shape, figsize=size, sharex=phone, sharey=True, squeeze=False, layout="constrained"
    )
    for ax, t in zip(axes.flat, types, strict=True):
        ax.axhline(target, color="0.3", linewidth=0.8, linestyle="--")
        ax.axhline(models.ALPHA, color="0.3", linewidth=0.8, linestyle=":")
        for k, term in enumerate(terms):
            c = curves[(curves["platform_type"] == t) & (curves["term"] == term)]
            c = c.sort_values("effect_size")
            ax.plot(
                c["effect_size"],
                c["power"],
                marker=MARKERS[k],
                markersize=3.5,
                linewidth=1.3,
                color=colours[k],
                label=label(f"term.{term}", lang),
            )
        n = int(curves.loc[curves["platform_type"] == t, "n_obs"].iloc[0])
        title = value_label("platform_type", t, lang)
        ax.set_title(f"{title}\nN = {n}", fontsize="small")
        ax.set_ylim(-0.02, 1.02)
        ax.tick_params(labelsize="x-small")
    middle = axes.flat[len(types) // 2]
    (middle if phone else axes[0, 0]).set_ylabel(label("power.detection", lang), fontsize="small")
    (axes.flat[-1] if phone else middle).set_xlabel(
        label("power.true_effect", lang), fontsize="small"
    )
    handles, names = axes[0, 0].get_legend_handles_labels()
    fig.legend(
        handles, names, loc="outside lower center", ncols=1 if phone else 2, fontsize="x-small"
    )
    return fig


@responsive
def bias_coverage(curves: pd.DataFrame, lang: str, *, phone: bool = False):
    """Bias of the estimates (top) and coverage of the 95% intervals (bottom) against the true
    effect, per platform type and key predictor. The band around 95% is ± 2 Monte Carlo
    standard errors. On a phone each type is a row: bias left, coverage right."""
    terms = list(simulation.SIM_TERMS)
    colours = palette(len(terms))
    types = [t for t in TYPE_CODES if t in set(curves["platform_type"])]
    if phone:
        fig, axes = plt.subplots(
            len(types), 2, figsize=(PHONE_WIDTH, 1.2 + 2.2 * len(types)), sharex=True,
            sharey="col", squeeze=False, layout="constrained",
        )  # fmt: skip
        axes = axes.T
    else:
        fig, axes = plt.subplots(
            2, len(types), figsize=(WIDTH, 5.2), sharex=True, sharey="row", squeeze=False,
            layout="constrained",
        )  # fmt: skip
    n = curves["n_surveys"].min()  # the distinct surveys behind a point, not its estimates
    band = 2 * np.sqrt(0.95 * 0.05 / n)
    for j, t in enumerate(types):
        top, bottom = axes[0, j], axes[1, j]
        top.axhline(0, color="0.3", linewidth=0.8)
        bottom.axhspan(0.95 - band, 0.95 + band, color="0.88")
        bottom.axhline(0.95, color="0.3", linewidth=0.8)
        for k, term in enumerate(terms):
            c = curves[(curves["platform_type"] == t) & (curves["term"] == term)]
            c = c.sort_values("effect_size")
            style = {"marker": MARKERS[k], "markersize": 3.2, "linewidth": 1.2, "color": colours[k]}
            top.plot(c["effect_size"], c["bias"], label=label(f"term.{term}", lang), **style)
            bottom.plot(c["effect_size"], c["coverage"], **style)
        top.set_title(value_label("platform_type", t, lang), fontsize="small")
        for ax in (top, bottom):
            ax.tick_params(labelsize="x-small")
    axes[0, 0].set_ylabel(label("power.bias", lang), fontsize="small")
    axes[1, 0].set_ylabel(label("power.coverage", lang), fontsize="small")
    if phone:  # under both columns
        fig.supxlabel(label("power.true_effect", lang), fontsize="small")
    else:
        axes[1, len(types) // 2].set_xlabel(label("power.true_effect", lang), fontsize="small")
    handles = [
        Line2D([], [], marker=MARKERS[k], color=colours[k], label=label(f"term.{term}", lang))
        for k, term in enumerate(terms)
    ]
    fig.legend(
        handles=handles, loc="outside lower center", ncols=1 if phone else 2, fontsize="x-small"
    )
    return fig
