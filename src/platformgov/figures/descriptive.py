"""Figures for the chapter on how local governments run platforms (descriptive status)."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from platformgov.analysis import descriptive
from platformgov.figures import style
from platformgov.inputs.codebook import outcome_items
from platformgov.labels import check_lang, label, value_label
from platformgov.vocabulary import OUTCOMES, PARTNERS, TYPE_CODES

#: ColorBrewer's purple–orange, a diverging scheme that stays readable with colour-vision
#: deficiencies; its near-white middle is replaced by a grey that shows on a white page.
DIVERGING = "PuOr_r"
NEUTRAL = "#bdbdbd"


def diverging_colours(n: int) -> list:
    """``n`` colours from disagree (purple) to agree (orange); an odd ``n`` has a grey middle."""
    colours = list(sns.color_palette(DIVERGING, n))
    if n % 2:
        colours[n // 2] = NEUTRAL
    return colours


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _percent(x: float, _pos: int | None = None) -> str:
    return f"{abs(x):.0f}%"


@style.responsive
def platform_counts(dist: pd.DataFrame, lang: str, *, phone: bool = False):
    """Bars: how many responding governments run 0, 1, …, or the last row's count or more
    platforms of each type, from :func:`platformgov.analysis.descriptive.count_distribution`."""
    check_lang(lang)
    fig, ax = plt.subplots(figsize=(style.PHONE_WIDTH if phone else 7, 3.4))
    colours = style.palette(len(TYPE_CODES))
    width = 0.8 / len(TYPE_CODES)
    x = np.arange(len(dist))
    for i, t in enumerate(TYPE_CODES):
        ax.bar(
            x + (i - (len(TYPE_CODES) - 1) / 2) * width,
            dist[t],
            width=width,
            color=colours[i],
            label=value_label("platform_type", t, lang),
        )
    ticks = [str(n) for n in dist.index[:-1]] + [
        label("desc.or_more", lang).format(n=dist.index[-1])
    ]
    ax.set_xticks(x, ticks)
    ax.set_xlabel(label("desc.n_platforms_axis", lang))
    ax.set_ylabel(label("desc.n_respondents", lang))
    ax.legend(frameon=False)
    ax.grid(axis="x", visible=False)
    fig.tight_layout()
    return fig


@style.responsive
def cooperation(coop: pd.DataFrame, lang: str, *, phone: bool = False):
    """Two panels of horizontal bars: the share of platforms, and of governments running the
    type, run with each partner, by type (:func:`platformgov.analysis.descriptive.cooperation`);
    on a phone the panels are stacked."""
    check_lang(lang)
    partners = list(PARTNERS)
    shape, size = ((2, 1), (style.PHONE_WIDTH, 6.4)) if phone else ((1, 2), (7, 3.6))
    fig, axes = plt.subplots(*shape, figsize=size, sharey=True, sharex=True)
    colours = style.palette(len(TYPE_CODES))
    height = 0.8 / len(TYPE_CODES)
    y = np.arange(len(partners))
    for ax, measure in zip(axes, ("share_platforms", "share_governments"), strict=True):
        for i, t in enumerate(TYPE_CODES):
            sub = coop[coop["platform_type"] == t].set_index("partner").loc[partners]
            values = 100 * sub[measure].to_numpy(dtype="float64")
            pos = y + (i - (len(TYPE_CODES) - 1) / 2) * height
            bars = ax.barh(
                pos,
                np.nan_to_num(values),
                height=height,
                color=colours[i],
                label=value_label("platform_type", t, lang),
            )
            ax.bar_label(
                bars,
                labels=["" if np.isnan(v) else f"{v:.0f}%" for v in values],
                padding=2,
                fontsize=8,
            )
        ax.set_title(_wrap(label(f"desc.coop_{measure}", lang), 40 if phone else 30), fontsize=9.5)
        ax.xaxis.set_major_formatter(FuncFormatter(_percent))
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.tick_params(labelsize=9)
        ax.grid(axis="y", visible=False)
    for ax in axes[:1] if not phone else axes:
        ax.set_yticks(y, [_wrap(label(f"desc.partner.{p}", lang), 16) for p in partners])
    axes[0].invert_yaxis()
    handles, labels_ = axes[0].get_legend_handles_labels()
    fig.legend(
        handles,
        labels_,
        loc="lower center",
        ncol=1 if phone else len(TYPE_CODES),
        frameon=False,
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.1 if phone else 0.08, 1, 1))
    return fig


@style.responsive
def likert(
    shares: pd.DataFrame, lang: str, types: tuple[str, ...] = TYPE_CODES, *, phone: bool = False
):
    """Diverging stacked bars of the twelve performance items, one panel per type, side by side,
    from :func:`platformgov.analysis.descriptive.likert_shares`.

    Each bar splits the item's answers into the scale's categories, centred on the middle
    (neutral) category: half of it lies left of zero and half right, disagreement extends to
    the left and agreement to the right. Items are grouped by outcome, separated by thin lines;
    the panels share the item labels, which are drawn once (text is most of a PNG's weight).
    On a phone the panels are stacked, each with its labels.
    """
    check_lang(lang)
    points = descriptive.likert_points()
    colours = diverging_colours(len(points))
    items = [i for o in OUTCOMES for i in outcome_items()[o]]
    group_ends = np.cumsum([len(outcome_items()[o]) for o in OUTCOMES])[:-1]
    mid = len(points) // 2
    shape, size = (
        ((len(types), 1), (style.PHONE_WIDTH, 1.2 + 3.3 * len(types)))
        if phone
        else ((1, len(types)), (7, 4.6))
    )
    fig, axes = plt.subplots(*shape, figsize=size, sharex=True, sharey=True, squeeze=False)
    y = np.arange(len(items))
    for ax, t in zip(axes.flat, types, strict=True):
        sub = shares[shares["platform_type"] == t].set_index("item").loc[items]
        matrix = 100 * sub[list(points)].to_numpy(dtype="float64")
        # left edge: everything below the middle category, plus half of the middle one
        left = -matrix[:, :mid].sum(axis=1)
        if len(points) % 2:
            left -= matrix[:, mid] / 2
        for j, _p in enumerate(points):
            ax.barh(
                y,
                matrix[:, j],
                left=left,
                height=0.75,
                color=colours[j],
                linewidth=0,
                antialiased=False,
            )
            left = left + matrix[:, j]
        for end in group_ends:
            ax.axhline(end - 0.5, color="#808080", linewidth=0.6)
        ax.axvline(0, color="#404040", linewidth=0.8)
        n = int(sub["n_rated"].iloc[0])
        ax.set_title(
            f"{value_label('platform_type', t, lang)}\n{label('desc.n_short', lang).format(n=n)}",
            fontsize=8.5,
        )
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="x", labelsize=8)
    first = axes[0, 0]
    for ax in axes[:, 0]:
        ax.set_yticks(y, [label(i, lang) for i in items], fontsize=8)
    first.set_ylim(len(items) - 0.5, -0.5)
    first.set_xlim(-100, 100)
    first.set_xticks([-50, 0, 50])
    first.xaxis.set_major_formatter(FuncFormatter(_percent))
    axis = label("desc.likert_axis", lang)
    fig.supxlabel(_wrap(axis, 44) if phone else axis, fontsize=9)
    handles = [
        Patch(facecolor=c, label=value_label("likert", p, lang))
        for p, c in zip(points, colours, strict=True)
    ]
    fig.legend(
        handles=handles,
        loc="upper center",
        ncol=2 if phone else len(points),
        frameon=False,
        fontsize=8,
        handlelength=1.2,
        columnspacing=1.0,
    )
    fig.tight_layout(rect=(0, 0, 1, 1 - (0.75 if phone else 0.3) / fig.get_figheight()), w_pad=0.6)
    return fig
