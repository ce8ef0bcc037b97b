"""Figure for the preface: how many questionnaire variables each survey table holds."""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns

from platformgov.figures import style
from platformgov.inputs import codebook as cb
from platformgov.labels import check_lang, label


@style.responsive
def variables_per_table(lang: str, book: cb.Codebook | None = None, *, phone: bool = False):
    """A horizontal bar per survey table, in codebook order, its length the number of variables.

    ``book`` defaults to the repository's codebook. Returns the Axes.
    """
    check_lang(lang)
    book = book or cb.codebook()
    tables = book.tables
    fig, ax = plt.subplots(figsize=(style.PHONE_WIDTH if phone else 6, 2.4))
    sns.barplot(
        x=[len(book.table(t)) for t in tables],
        y=[label(f"table.{t}", lang) for t in tables],
        ax=ax,
    )
    ax.set_xlabel(label("ui.variables", lang))
    ax.set_ylabel("")
    fig.tight_layout()
    return ax
