"""Figures for the chapter "Data": item missingness."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import pandas as pd

from platformgov.figures import style
from platformgov.figures.style import palette
from platformgov.labels import label

#: Panels from top to bottom: the Likert items first, then the platform and organisation fields.
PANELS = ("performance", "platforms", "organisations")


def _variable_label(name: str, lang: str) -> str:
    text = label(name, lang)
    return f"{text} {label('data.basic_only', lang)}" if name == "partner_metro" else text


@style.responsive
def missingness(frame: pd.DataFrame, lang: str, *, phone: bool = False):
    """Horizontal bars: the share missing (in %) of each optional variable, one panel per table.

    ``frame`` is :func:`platformgov.analysis.nonresponse.missingness` (``table, variable, share``).
    Returns the figure.
    """
    tables = [t for t in PANELS if (frame["table"] == t).any()]
    if not tables:
        raise ValueError("no variable to show")
    sizes = [int((frame["table"] == t).sum()) for t in tables]
    fig, axes = plt.subplots(
        len(tables),
        1,
        figsize=(style.PHONE_WIDTH if phone else 7.0, 0.9 + 0.28 * sum(sizes) + 0.45 * len(tables)),
        sharex=True,
        gridspec_kw={"height_ratios": sizes},
        squeeze=False,
    )
    colours = palette(len(PANELS))
    # The x axis runs a little past the largest share (at least to 1 %), leaving room for labels.
    top = max(float(frame["share"].astype(float).fillna(0.0).max()) * 100, 1.0)
    for ax, table in zip(axes[:, 0], tables, strict=True):
        part = frame[frame["table"] == table]
        names = [_variable_label(v, lang) for v in part["variable"]]
        if phone:
            names = [textwrap.fill(n, 24, break_long_words=False) for n in names]
        shares = (part["share"].astype(float) * 100).tolist()
        ax.barh(names, shares, color=colours[PANELS.index(table)], height=0.7)
        ax.invert_yaxis()
        ax.set_title(label(f"table.{table}", lang), loc="left", fontsize=11)
        ax.set_xlim(0, top * 1.18)
        for y, value in enumerate(shares):
            if value == value:  # no text for a variable with no applicable row
                ax.text(value + top * 0.01, y, f"{value:.1f}", va="center", fontsize=8)
        ax.tick_params(axis="y", labelsize=9)
        ax.grid(axis="y", visible=False)
    axes[-1, 0].set_xlabel(label("data.fig.share_missing", lang))
    fig.tight_layout()
    return fig
