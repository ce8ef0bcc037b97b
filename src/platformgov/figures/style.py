"""The one figure style of the book: a Hangul font, a seaborn theme and a colour-blind-safe palette.

The font is NanumGothic as shipped inside the ``koreanize-matplotlib`` wheel, which the
project installs from ``requirements.txt``; its files are registered with matplotlib directly
(importing that package would need ``distutils``), so figures render Hangul on any machine
that installed the requirements, whatever fonts the system has.

A figure is read on a desktop at about its drawn size and on a phone in a column of about
343 CSS pixels. Its text is never smaller than :data:`MIN_FONT_PT`, which is 9 CSS pixels or
more at the drawn size; a figure function also draws a phone rendering, :data:`PHONE_WIDTH`
wide, often with its panels in more rows (:func:`for_phone`), which the site shows on narrow
screens instead of the full one shrunk to half its size (:mod:`platformgov.site.phone`). Each
inline PNG records how it was drawn in its text chunks: its layout and its smallest text in
the PNG's pixels, which the browser tests turn into CSS pixels at each screen width.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable
from functools import cache
from importlib.util import find_spec
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

FONT_FAMILY = "NanumGothic"
PALETTE = "colorblind"
# Device pixels per CSS pixel the inline PNGs are drawn for: sharp on high-density screens.
RETINA = True
DPI = 100
# The smallest text a figure may have: 7.5 pt is 10.4 CSS pixels at DPI, 9 or more when the
# browser shrinks a figure by up to 13 % to fit the column.
MIN_FONT_PT = 7.5
# The phone rendering fills the column of a 375-pixel-wide phone at its drawn size.
PHONE_WIDTH = 3.43
PHONE = "phone"
WIDE = "wide"
# The PNG text chunks that say how an inline figure was drawn.
LAYOUT_KEY = "platformgov:layout"
FONT_KEY = "platformgov:min-font-px"


def font_files() -> list[Path]:
    spec = find_spec("koreanize_matplotlib")
    if spec is None or spec.origin is None:
        raise RuntimeError(
            "koreanize-matplotlib is not installed: run `make site` or install requirements.txt"
        )
    files = sorted((Path(spec.origin).parent / "fonts").glob("NanumGothic*.ttf"))
    if not files:
        raise RuntimeError("koreanize-matplotlib ships no NanumGothic font files")
    return files


@cache
def register_fonts() -> None:
    for path in font_files():
        font_manager.fontManager.addfont(str(path))


def palette(n: int | None = None) -> list:
    """The book's colour-blind-safe palette (seaborn's ``colorblind``)."""
    return sns.color_palette(PALETTE, n)


def for_phone(fig: Figure) -> Figure:
    """Mark ``fig`` as the phone rendering of the figure drawn just before it in the cell, and
    break its text that is wider than the figure into lines: a title or legend entry longer
    than a phone's column would widen the inline PNG, which is cut to everything drawn, and so
    shrink all of it. (Matplotlib's own wrapping fails under its layout engines.)"""
    fig.set_label(PHONE)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    for text in fig.findobj(Text):
        words = text.get_text()
        if not text.get_visible() or not words.strip():
            continue
        width = text.get_window_extent(renderer).width
        if width > 0.95 * fig.bbox.width:
            chars = max(8, int(len(words) * 0.85 * fig.bbox.width / width))
            text.set_text(textwrap.fill(words, chars, break_long_words=False))
    return fig


def _inline() -> bool:
    return "inline" in mpl.get_backend()


def _figure_of(drawn) -> Figure:
    return drawn if isinstance(drawn, Figure) else drawn.figure


def responsive(draw: Callable) -> Callable:
    """Give the figure function ``draw(..., phone=False)`` a phone rendering.

    Called as before, the decorated function returns the full figure; in a notebook (the inline
    backend) it then also draws ``draw(..., phone=True)``, marked by :func:`for_phone`, which
    the cell shows after the full one. ``phone=True`` or ``False`` draws that rendering alone.
    """

    @functools.wraps(draw)
    def figure(*args, phone: bool | None = None, **kwargs):
        if phone is not None:
            drawn = draw(*args, phone=phone, **kwargs)
            if phone:
                for_phone(_figure_of(drawn))
            return drawn
        drawn = draw(*args, phone=False, **kwargs)
        if _inline():
            for_phone(_figure_of(draw(*args, phone=True, **kwargs)))
        return drawn

    return figure


def smallest_font_pt(fig: Figure) -> float:
    """The size in points of the smallest text that ``fig`` draws."""
    fig.draw_without_rendering()  # tick labels get their text when drawn
    # Text beyond the figure's edge counts too: the inline PNG is cut to everything drawn.
    sizes = [
        t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
    ]
    return min(sizes) if sizes else 0.0


def png_metadata(fig: Figure, scale: float) -> dict[str, str]:
    """The text chunks of ``fig``'s PNG drawn at ``scale`` device pixels per CSS pixel."""
    font_px = smallest_font_pt(fig) * fig.dpi * scale / 72
    return {
        LAYOUT_KEY: PHONE if fig.get_label() == PHONE else WIDE,
        FONT_KEY: f"{font_px:.2f}",
    }


def png_layout(path: Path) -> str:
    """``PHONE`` or ``WIDE`` for a PNG drawn by :func:`inline_png`; "" for any other image."""
    from PIL import Image

    with Image.open(path) as image:
        return getattr(image, "text", {}).get(LAYOUT_KEY, "")


def inline_png(fig: Figure):
    """IPython's PNG formatter for figures: the book's resolution and the text chunks."""
    from IPython.core.pylabtools import print_figure, retina_figure

    scale = 2 if RETINA else 1
    metadata = png_metadata(fig, scale)
    if RETINA:
        return retina_figure(fig, metadata=metadata)
    return print_figure(fig, "png", metadata=metadata)


def use() -> None:
    """Apply the book's style; chapters call this once at the top."""
    register_fonts()
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    mpl.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            # NanumGothic has no U+2212 minus sign: use the ASCII hyphen-minus.
            "axes.unicode_minus": False,
            "figure.dpi": DPI,
            "savefig.dpi": DPI,
            "figure.figsize": (7.0, 4.2),
            "axes.titleweight": "bold",
            "svg.fonttype": "path",
        }
    )
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside IPython nothing is displayed inline
        return
    shell = get_ipython()
    if shell is None:
        return
    set_matplotlib_formats("retina" if RETINA else "png")
    shell.display_formatter.formatters["image/png"].for_type(Figure, inline_png)
