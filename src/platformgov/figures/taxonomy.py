"""Figures and reader-facing tables of the taxonomy chapter.

- :func:`types_diagram` draws the three platform types as who serves whom: government and
  citizens joined by the platform, with the direction of service as arrows (G2C: government →
  citizens, C2G: citizens → government, C2C: citizens ↔ citizens, the government facilitating).
- :func:`decision_table` shows :func:`platformgov.analysis.taxonomy.classify` at work on named cases:
  the type each criterion points to, the type assigned and which step of the rule decided it.
- :func:`examples_frame` and :func:`example_sources` show the real example platforms of
  :data:`platformgov.analysis.taxonomy.EXAMPLES` and the public pages their facts come from.
- :func:`inventory_counts` and :func:`inventory_table` count the survey's platforms by type.

Every word comes from the label table; type codes (``G2C`` …) are the study's own codes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown
from matplotlib.patches import FancyBboxPatch

from platformgov.analysis import taxonomy
from platformgov.figures.style import palette
from platformgov.labels import check_lang, label, value_label

INVENTORY_COLUMNS = ("n_platforms", "n_operating", "n_governments")
ALL = "all"

# Layout of one panel of the diagram, in axes fractions.
_GOV_Y = 0.77
_PLATFORM_Y = (0.35, 0.55)
_CITIZENS_Y = 0.16
_WRAP = {"ko": 14, "en": 24}


def type_colours() -> dict[str, tuple]:
    """One colour per type from the book's palette, in the order of ``TYPE_CODES``."""
    colours = palette(len(taxonomy.TYPE_CODES))
    return dict(zip(taxonomy.TYPE_CODES, colours, strict=True))


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
    function = taxonomy.criterion_value_label("main_function", kind.main_function, lang)
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

    role = taxonomy.criterion_value_label("government_role", kind.government_role, lang)
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
        ends = {"g2c": (citizens, government), "c2g": (government, citizens)}[kind.direction]
        head, tail = ends
        _arrow(
            ax,
            (head, (0.5, 1 if head is citizens else 0)),
            (tail, (0.5, 0 if tail is government else 1)),
            style="-|>",
            colour=colour,
            gid=f"service-{kind.direction}",
        )

    direction = taxonomy.criterion_value_label("direction", kind.direction, lang)
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


def types_diagram(lang: str):
    """The three types side by side: who serves whom through the platform.

    Each panel names the type and its main function, shows the government with its role, the
    platform, the citizens, and an arrow for the direction of service. Returns the Figure.
    """
    check_lang(lang)
    colours = type_colours()
    fig, axes = plt.subplots(1, len(taxonomy.TYPE_CODES), figsize=(7.0, 3.9))
    for ax, code in zip(axes, taxonomy.TYPE_CODES, strict=True):
        _panel(ax, code, colours[code], lang)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.90, bottom=0.02, wspace=0.08)
    return fig


def _case_name(case: str, lang: str) -> str:
    """A case named after an example platform uses its name; others ``taxonomy.case.<case>``."""
    if any(e.id == case for e in taxonomy.EXAMPLES):
        return label(f"example.{case}.name", lang)
    return label(f"taxonomy.case.{case}", lang)


def decision_table(
    cases: Mapping[str, Mapping[str, str] | Sequence[str]], lang: str
) -> pd.DataFrame:
    """The rule at work: one row per case with each criterion's value and the type it points
    to, the type :func:`~platformgov.analysis.taxonomy.classify` assigns and which step decided it.

    ``cases`` maps a case key to its criteria: a mapping with keys ``main_function``,
    ``government_role`` and ``direction``, or the three values in that order. The key names an
    example platform (its ``example.<id>.name`` label) or a ``taxonomy.case.<key>`` label.
    """
    check_lang(lang)
    rows = {}
    for case, given in cases.items():
        criteria = (
            dict(given)
            if isinstance(given, Mapping)
            else dict(zip(taxonomy.CRITERIA, given, strict=True))
        )
        pointed = taxonomy.pointed_types(**criteria)
        row = {
            label(f"criterion.{c}", lang): (
                f"{taxonomy.criterion_value_label(c, criteria[c], lang)} ({pointed[c]})"
            )
            for c in taxonomy.CRITERIA
        }
        row[label("taxonomy.verdict", lang)] = value_label(
            "platform_type", taxonomy.classify(**criteria), lang
        )
        row[label("taxonomy.decided_by", lang)] = value_label(
            "taxonomy.decided_by", taxonomy.decided_by(**criteria), lang
        )
        rows[_case_name(case, lang)] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("taxonomy.case", lang)
    return out


def examples_frame(lang: str) -> pd.DataFrame:
    """The example platforms with operator, type (our coding) and key fact, indexed by name.

    The criteria columns are left out: every example is coded on its own type's three values,
    which the criteria table already shows. Sources are listed by :func:`example_sources`.
    """
    table = taxonomy.examples(lang)
    name = label("platform_name", lang)
    keep = [label(k, lang) for k in ("ui.operator", "platform_type", "ui.fact")]
    return table.set_index(name)[keep]


def example_sources(lang: str) -> Markdown:
    """A Markdown list: each example platform with its own address and its sources as links."""
    check_lang(lang)
    lines = []
    for ex in taxonomy.EXAMPLES:
        parts = []
        if ex.url:
            parts.append(f"{label('taxonomy.website', lang)} <{ex.url}>")
        parts.append(f"{label('ui.source', lang)} " + ", ".join(f"<{s}>" for s in ex.sources))
        lines.append(f"- {ex.text('name', lang)}: " + "; ".join(parts))
    return Markdown("\n".join(lines))


def inventory_counts(platforms: pd.DataFrame) -> pd.DataFrame:
    """Platforms in the survey's inventory by type, and a row ``"all"`` for all types together.

    Columns: ``n_platforms`` (all listed platforms), ``n_operating`` (status ``operating``) and
    ``n_governments`` (local governments with at least one operating platform of the type; in
    the ``"all"`` row each government counts once, however many types it runs). The index holds
    every code of ``TYPE_CODES``, with zeros for a type the inventory lacks.
    """
    missing = {"lg_code", "platform_type", "status"} - set(platforms.columns)
    if missing:
        raise ValueError(f"platforms table lacks column(s): {', '.join(sorted(missing))}")
    unknown = set(platforms["platform_type"].dropna()) - set(taxonomy.TYPE_CODES)
    if unknown:
        raise ValueError(f"unknown platform_type value(s): {', '.join(sorted(map(str, unknown)))}")
    operating = platforms[platforms["status"] == "operating"]

    def counts(listed: pd.DataFrame, running: pd.DataFrame) -> list[int]:
        return [len(listed), len(running), running["lg_code"].nunique()]

    rows = {
        code: counts(
            platforms[platforms["platform_type"] == code],
            operating[operating["platform_type"] == code],
        )
        for code in taxonomy.TYPE_CODES
    }
    rows[ALL] = counts(platforms, operating)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(INVENTORY_COLUMNS))


def inventory_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`inventory_counts` with reader-facing labels (the ``"all"`` row last)."""
    check_lang(lang)
    out = counts.loc[[*taxonomy.TYPE_CODES, ALL], list(INVENTORY_COLUMNS)].copy()
    out.index = [
        label("taxonomy.all_types", lang) if i == ALL else value_label("platform_type", i, lang)
        for i in out.index
    ]
    out.columns = [label(f"taxonomy.{c}", lang) for c in INVENTORY_COLUMNS]
    return out
