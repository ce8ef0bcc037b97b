"""Helpers that every chapter calls: style, the data statement, and glued numbers.

A chapter's code cells are identical in both editions except for ``LANG``; everything
language-dependent is looked up here or in :mod:`platformgov.labels`.
"""

from __future__ import annotations

from IPython.display import Markdown

from platformgov import style
from platformgov.labels import check_lang, label
from platformgov.paths import SYNTHETIC, survey_source


def setup(lang: str) -> str:
    """Apply the figure style and check the edition's language; returns ``lang``."""
    style.use()
    return check_lang(lang)


def data_source() -> str:
    """``"synthetic"`` when the book reads its bundled synthetic survey, ``"real"`` otherwise."""
    return "synthetic" if survey_source() == SYNTHETIC.resolve() else "real"


def data_banner(lang: str) -> Markdown:
    """The statement of which data a results page shows, as an admonition."""
    source = data_source()
    kind = "warning" if source == "synthetic" else "note"
    title = label(f"ui.data_title_{source}", lang)
    body = label(f"ui.data_{source}", lang)
    return Markdown(f":::{{admonition}} {title}\n:class: {kind} pg-data-banner\n{body}\n:::\n")
