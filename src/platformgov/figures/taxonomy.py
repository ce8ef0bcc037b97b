"""The figure of the taxonomy chapter.

:func:`types_diagram` draws the three platform types as who serves whom: government and
citizens joined by the platform, with the direction of service as arrows (G2C: government →
citizens, C2G: citizens → government, C2C: citizens ↔ citizens, the government facilitating).
Every word comes from the label table; type codes (``G2C`` …) are the study's own codes.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
from matplotlib.patches import FancyBboxPatch

from platformgov import vocabulary
from platformgov.analysis import taxonomy
from platformgov.figures.style import PHONE_WIDTH, palette, responsive
from platformgov.labels import check_lang, label, value_label

# Layout of one panel of the diagram, in axes fractions.
_GOV_Y = 0.77
_PLATFORM_Y = (0.35, 0.55)
_CITIZENS_Y = 0.16
_WRAP = {"ko": 14, "en": 24}


def type_colours() -> dict[str, tuple]:
    """One colour per type from the book's palette, in the order of ``TYPE_CODES``."""
    colours = palette(len(vocabulary.TYPE_CODES))
    return dict(zip(vocabulary.TYPE_CODES, colours, strict=True))


def _words(criterion: str, value: str, lang: str) -> str:
    """The label of one criterion value."""
    return value_label(taxonomy.LABEL_GROUP[criterion], value, lang)


def _wrap(text: str, lang: str) -> str:
    return textwrap.fill(text, _WRAP[lang], break_long_words=False, break_on_hyphens=False)


def _node(ax, x: float, y: float, text: str, *, face, edge, gid: str, size: float = 9.5):
    """A labelled rounded box; its bbox is the anchor arrows attach to."""
    return ax.text(
        x,
        y,
        text,
        ha="center",
        va="center",
        fontsize=size,
        linespacing=1.3,
        zorder=4,
        gid=gid,
        bbox={"boxstyle": "round,pad=0.45", "facecolor": face, "edgecolor": edge, "lw": 1.2},
    )


def _arrow(ax, head, tail, *, style: str, colour, gid: str, rad: float = 0.0):
    """An arrow from ``tail`` to ``head``: each is ``(artist, (fx, fy))`` on the artist's box."""
    return ax.annotate(
        "",
        xy=head[1],
        xycoords=head[0],
        xytext=tail[1],
        textcoords=tail[0],
        zorder=3,
        gid=gid,
        arrowprops={
            "arrowstyle": style,
            "color": colour,
            "lw": 2.4,
            "mutation_scale": 18,
            "shrinkA": 3,
            "shrinkB": 3,
            "connectionstyle": f"arc3,rad={rad}",
        },
    )


def _panel(ax, code: str, colour, lang: str) -> None:
    kind = taxonomy.TYPES[code]
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(value_label("platform_type", code, lang), color=colour, fontsize=11, pad=4)
    function = _words("main_function", kind.main_function, lang)
    ax.text(0.5, 0.965, _wrap(function, lang), ha="center", va="top", fontsize=8.5, color="0.3")

    low, high = _PLATFORM_Y
    ax.add_patch(
        FancyBboxPatch(
            (0.05, low),
            0.90,
            high - low,
            boxstyle="round,pad=0,rounding_size=0.04",
            facecolor=(*colour[:3], 0.16),
            edgecolor=colour,
            lw=1.0,
            zorder=1,
        )
    )
    ax.text(
        0.09,
        high - 0.025,
        label("taxonomy.actor.platform", lang),
        ha="left",
        va="top",
        fontsize=8.5,
        color="0.25",
        style="italic",
        zorder=2,
    )

    role = _words("government_role", kind.government_role, lang)
    government = _node(
        ax,
        0.5,
        _GOV_Y,
        f"{label('taxonomy.actor.government', lang)}\n({_wrap(role, lang)})",
        face="0.93",
        edge="0.35",
        gid="actor-government",
    )
    citizens_word = label("taxonomy.actor.citizens", lang)
    if kind.direction == "c2c":
        left = _node(
            ax, 0.24, _CITIZENS_Y, citizens_word, face="white", edge="0.35", gid="actor-citizens"
        )
        right = _node(
            ax, 0.76, _CITIZENS_Y, citizens_word, face="white", edge="0.35", gid="actor-citizens"
        )
        # Citizens serve each other through the platform; the government only sets it up.
        _arrow(
            ax,
            (right, (0.5, 1)),
            (left, (0.5, 1)),
            style="<|-|>",
            colour=colour,
            gid="service-c2c",
            rad=-1.1,
        )
        link = _arrow(
            ax,
            (ax.transAxes, (0.5, high)),
            (government, (0.5, 0)),
            style="-",
            colour="0.45",
            gid="facilitates",
        )
        link.arrow_patch.set_linestyle((0, (3, 2)))
        link.arrow_patch.set_linewidth(1.4)
    else:
        citizens = _node(
            ax, 0.5, _CITIZENS_Y, citizens_word, face="white", edge="0.35", gid="actor-citizens"
        )
        # A direction the diagram has no drawing for is named below, without an arrow.
        ends = {"g2c": (citizens, government), "c2g": (government, citizens)}.get(kind.direction)
        if ends is not None:
            head, tail = ends
            _arrow(
                ax,
                (head, (0.5, 1 if head is citizens else 0)),
                (tail, (0.5, 0 if tail is government else 1)),
                style="-|>",
                colour=colour,
                gid=f"service-{kind.direction}",
            )

    direction = _words("direction", kind.direction, lang)
    ax.text(
        0.5,
        0.02,
        direction,
        ha="center",
        va="bottom",
        fontsize=9.5,
        color=colour,
        fontweight="bold",
    )


@responsive
def types_diagram(lang: str, *, phone: bool = False):
    """The three types side by side: who serves whom through the platform.

    Each panel names the type and its main function, shows the government with its role, the
    platform, the citizens, and an arrow for the direction of service; on a phone the panels
    are stacked. Returns the Figure.
    """
    check_lang(lang)
    colours = type_colours()
    n = len(vocabulary.TYPE_CODES)
    if phone:
        fig, axes = plt.subplots(n, 1, figsize=(PHONE_WIDTH, 3.2 * n))
    else:
        fig, axes = plt.subplots(1, n, figsize=(7.0, 3.9))
    for ax, code in zip(axes, vocabulary.TYPE_CODES, strict=True):
        _panel(ax, code, colours[code], lang)
    if phone:
        fig.subplots_adjust(left=0.02, right=0.98, top=0.96, bottom=0.01, hspace=0.12)
    else:
        fig.subplots_adjust(left=0.01, right=0.99, top=0.90, bottom=0.02, wspace=0.08)
    return fig
