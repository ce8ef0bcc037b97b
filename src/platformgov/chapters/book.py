"""Helpers that every chapter calls: style, data, the data statement, and numbers for the prose.

A chapter's code cells are identical in both editions except for ``LANG``; everything
language-dependent is looked up here or in :mod:`platformgov.labels`. Data are read once per
kernel and shared by the cells of a chapter.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache

import pandas as pd
from IPython.display import Markdown

from platformgov import pagedeps
from platformgov.figures import style
from platformgov.labels import check_lang, label

# In a build, the kernel records what this page reads (platformgov.pagedeps).
pagedeps.start_recording()


def setup(lang: str) -> str:
    """Apply the figure style and check the edition's language; returns ``lang``."""
    style.use()
    return check_lang(lang)


@cache
def survey():
    """The survey the book reads (``PLATFORMGOV_SURVEY`` or the synthetic data), validated."""
    from platformgov.inputs.survey import load_survey

    return load_survey()


@cache
def registry() -> pd.DataFrame:
    from platformgov.inputs.registry import load_registry

    return load_registry()


@cache
def frame() -> pd.DataFrame:
    """The analysis frame: one row per local government × platform type it runs."""
    from platformgov.analysis.measures import analysis_frame

    return analysis_frame(survey(), registry())


def precompute() -> None:
    """Compute the book's slow results into the shared cache (:mod:`platformgov.analysis.cache`).

    The build runs this in a process of its own beside the two editions, so that the power
    chapter of each edition reads the specification curve and the simulation instead of waiting
    for one of them to compute them. The calls are the chapter's own, with the same inputs.
    """
    from platformgov.analysis import simulation, speccurve

    frame = speccurve.outcome_frame(survey(), registry())
    speccurve.chapter_curve(frame)
    simulation.chapter_simulation(frame, registry())


def data_kind() -> str:
    """What the book reads: ``"synthetic"`` (its bundled survey) or ``"real"`` (a survey file)."""
    return survey().kind


def in_build() -> bool:
    """True while the book's build executes the page (the Sphinx extension records its reads)."""
    return bool(os.environ.get(pagedeps.RECORDS_ENV))


def data_banner(lang: str) -> Markdown:
    """The statement of which data a results page shows: an admonition in the book, a quotation
    with a bold title in plain Jupyter (a downloaded notebook), which knows no MyST."""
    kind = data_kind()
    title = label(f"ui.data_title_{kind}", lang)
    body = label(f"ui.data_{kind}", lang)
    if not in_build():
        return Markdown(f"> **{title}**\n>\n> {body}\n")
    admonition = "warning" if kind == "synthetic" else "note"
    return Markdown(
        f":::{{admonition}} {title}\n:class: {admonition} pg-data-banner\n{body}\n:::\n"
    )


def glue(name: str, value, fmt: str = "") -> None:
    """Make ``value`` available to the prose as ``{glue:md}`name```, formatted with ``fmt``.

    Numbers in the text are always glued, never typed, so that they follow the data.
    """
    from myst_nb import glue as nb_glue

    nb_glue(name, Markdown(format(value, fmt)), display=False)


def glue_all(numbers: Mapping[str, object]) -> None:
    """Glue a page's prose numbers: ``{name: (value, format)}``, or ``{name: text}`` for words.

    A page's ``chapters/<page>.numbers(...)`` returns this mapping, so that one visible cell
    makes every number of the prose available.
    """
    for name, entry in numbers.items():
        value, fmt = entry if isinstance(entry, tuple) else (entry, "")
        glue(name, value, fmt)
