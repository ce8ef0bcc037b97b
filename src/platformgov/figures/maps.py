"""Choropleth maps of Korea's local governments (descriptive status chapter).

With synthetic data a map shows every 시군구 (and 세종 and 제주, which have no 기초 below them);
with the real survey it shows the 17 광역 areas, each over its responding governments, and
hides areas with too few of them (:func:`platformgov.analysis.descriptive.map_values`). Areas without
a value are drawn in a neutral hatch that has its own legend entry.
"""

from __future__ import annotations

import textwrap
from itertools import pairwise

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Patch

from platformgov.analysis import privacy
from platformgov.figures import style
from platformgov.labels import check_lang, label, value_label

#: Korea 2000 / Unified CS: a metric projection in which the peninsula keeps its shape.
CRS = 5179
SEQUENTIAL = "YlGnBu"  # ColorBrewer, readable with colour-vision deficiencies
NO_DATA = {"facecolor": "#e0e0e0", "edgecolor": "#8c8c8c", "hatch": "////"}
SUPPRESSED = {"facecolor": "#ffffff", "edgecolor": "#8c8c8c", "hatch": "xxxx"}
# Areas are filled without edges and their borders drawn as lines, all without anti-aliasing:
# anti-aliased seams along thousands of coastline and border segments make the PNG about
# four times larger, and at the book's double-density resolution the difference is not visible.
FILL = {"linewidth": 0, "antialiased": False}
AREA_EDGE = {"color": "#ffffff", "linewidth": 0.3, "antialiased": False}
METRO_EDGE = {"color": "#404040", "linewidth": 0.6, "antialiased": False}

#: Class edges (lower bounds) per measure and map level; None marks a yes/no measure.
EDGES: dict[tuple[str, str], tuple[float, ...] | None] = {
    ("n_platforms", "unit"): (0, 1, 3, 6, 11, 21),
    ("n_platforms", "metro"): (0, 2, 4, 6, 8, 10),
    ("coop_private", "unit"): None,
    ("coop_private", "metro"): (0, 0.2, 0.4, 0.6, 0.8),
}


def _number(value: float, percent: bool) -> str:
    return f"{100 * value:g}%" if percent else f"{value:g}"


def class_labels(measure: str, level: str, lang: str) -> list[str]:
    """Legend labels of the classes of ``measure`` on a map of ``level``, lowest first."""
    check_lang(lang)
    edges = EDGES[(measure, level)]
    if edges is None:
        return [value_label("binary", v, lang) for v in (0, 1)]
    if level == "unit":  # whole numbers: classes are closed ranges
        out = []
        for lo, nxt in pairwise(edges):
            hi = nxt - 1
            out.append(f"{lo:g}" if lo == hi else label("desc.map.bin", lang).format(lo=lo, hi=hi))
        return [*out, label("desc.or_more", lang).format(n=edges[-1])]
    percent = measure == "coop_private"
    out = [label("desc.map.bin_below", lang).format(hi=_number(edges[1], percent))]
    for lo, hi in pairwise(edges[1:]):
        out.append(
            label("desc.map.bin_range", lang).format(
                lo=_number(lo, percent), hi=_number(hi, percent)
            )
        )
    return [*out, label("desc.or_more", lang).format(n=_number(edges[-1], percent))]


def classify(values: pd.DataFrame) -> np.ndarray:
    """The class (0 = lowest) of each row of :func:`descriptive.map_values`; -1 if not shown."""
    edges = EDGES[(values.attrs["measure"], values.attrs["level"])]
    shown = (values["state"] == "shown").to_numpy()
    v = values["value"].to_numpy(dtype="float64")
    if edges is None:
        cls = np.where(v >= 0.5, 1, 0)
    else:
        cls = np.digitize(v, np.asarray(edges[1:], dtype="float64"))
    return np.where(shown & ~np.isnan(v), cls, -1)


def class_colours(n: int) -> list:
    """``n`` sequential colours, light to dark."""
    return list(sns.color_palette(SEQUENTIAL, n + 1))[1:] if n > 2 else _binary_colours()


def _binary_colours() -> list:
    colours = sns.color_palette(SEQUENTIAL, 6)
    return [colours[1], colours[4]]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _plot(areas: gpd.GeoDataFrame, ax, **kwargs) -> None:
    if len(areas):  # geopandas warns when asked to draw nothing
        areas.plot(ax=ax, **kwargs)


@style.responsive
def choropleth(
    values: pd.DataFrame,
    lang: str,
    *,
    boundaries: gpd.GeoDataFrame | None = None,
    phone: bool = False,
):
    """A map of :func:`platformgov.analysis.descriptive.map_values` (its ``attrs`` say the measure
    and whether areas are 시군구 or 광역).

    ``boundaries`` defaults to :func:`platformgov.inputs.registry.load_boundaries` ``("all")``.
    """
    check_lang(lang)
    if boundaries is None:
        from platformgov.inputs.registry import load_boundaries

        boundaries = load_boundaries("all")
    measure, level = values.attrs["measure"], values.attrs["level"]
    shapes = boundaries.to_crs(CRS).set_index("code")
    missing = sorted(set(values["code"]) - set(shapes.index))
    if missing:
        raise ValueError(f"no boundary for code(s) {', '.join(missing)}")
    areas = shapes.loc[values["code"]].copy()
    areas["cls"] = classify(values)
    areas["state"] = values["state"].to_numpy()

    names = class_labels(measure, level, lang)
    colours = class_colours(len(names))
    fig, ax = plt.subplots(figsize=(style.PHONE_WIDTH, 5.6) if phone else (6, 7))
    for k, colour in enumerate(colours):
        _plot(areas[areas["cls"] == k], ax, facecolor=colour, **FILL)
    _plot(areas[areas["state"] == "no_data"], ax, **FILL, **NO_DATA)
    _plot(areas[areas["state"] == "suppressed"], ax, **FILL, **SUPPRESSED)
    if level == "unit":
        areas.boundary.plot(ax=ax, **AREA_EDGE)
    shapes[shapes["level"] == "metro"].boundary.plot(ax=ax, **METRO_EDGE)

    handles = [
        Patch(facecolor=c, edgecolor="#8c8c8c", linewidth=0.3, label=n)
        for c, n in zip(colours, names, strict=True)
    ]
    handles.append(Patch(**NO_DATA, linewidth=0.3, label=label("desc.map.no_data", lang)))
    if level == "metro":
        handles.append(
            Patch(
                **SUPPRESSED,
                linewidth=0.3,
                label=_wrap(label("desc.map.suppressed", lang).format(n=privacy.MIN_CELL), 24),
            )
        )
    ax.legend(
        handles=handles,
        # On a phone the legend goes under the map, which it would cover.
        loc="upper center" if phone else "lower right",
        bbox_to_anchor=(0.5, 0.0) if phone else (1.02, 0.0),
        frameon=False,
        fontsize=8.5,
        title=_wrap(label(f"desc.map.legend.{measure}.{level}", lang), 32),
        title_fontsize=9,
    )
    ax.set_axis_off()
    ax.set_aspect("equal")
    fig.tight_layout()
    return fig
