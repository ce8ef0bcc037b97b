"""The one figure style of the book: a Hangul font, a seaborn theme and a colour-blind-safe palette.

The font is NanumGothic as shipped inside the ``koreanize-matplotlib`` wheel, which the
project installs from ``requirements.txt``; its files are registered with matplotlib directly
(importing that package would need ``distutils``), so figures render Hangul on any machine
that installed the requirements, whatever fonts the system has.
"""

from __future__ import annotations

from functools import cache
from importlib.util import find_spec
from pathlib import Path

import matplotlib as mpl
import seaborn as sns
from matplotlib import font_manager

FONT_FAMILY = "NanumGothic"
PALETTE = "colorblind"
# Device pixels per CSS pixel the inline PNGs are drawn for: sharp on high-density screens.
RETINA = True


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


def use() -> None:
    """Apply the book's style; chapters call this once at the top."""
    register_fonts()
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    mpl.rcParams.update(
        {
            "font.family": FONT_FAMILY,
            # NanumGothic has no U+2212 minus sign: use the ASCII hyphen-minus.
            "axes.unicode_minus": False,
            "figure.dpi": 100,
            "savefig.dpi": 100,
            "figure.figsize": (7.0, 4.2),
            "axes.titleweight": "bold",
            "svg.fonttype": "path",
        }
    )
    if RETINA:
        try:
            from matplotlib_inline.backend_inline import set_matplotlib_formats
        except ImportError:  # outside IPython nothing is displayed inline
            return
        set_matplotlib_formats("retina")
