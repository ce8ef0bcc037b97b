import matplotlib.pyplot as plt
import pytest
from factories import assert_captioned_outside

from platformgov.figures import preface, style
from platformgov.inputs import codebook as cb
from platformgov.labels import LANGS, label


@pytest.fixture(autouse=True)
def _style():
    style.use()
    yield
    plt.close("all")


@pytest.mark.parametrize("lang", LANGS)
def test_one_bar_per_table_as_long_as_its_variables(lang):
    book = cb.codebook()
    ax = preface.variables_per_table(lang)
    widths = [patch.get_width() for patch in ax.patches]
    assert widths == [len(book.table(t)) for t in book.tables]
    names = [tick.get_text() for tick in ax.get_yticklabels()]
    assert names == [label(f"table.{t}", lang) for t in book.tables]
    assert ax.get_xlabel() == label("ui.variables", lang)
    assert_captioned_outside(ax.figure, "fig-index-variables", lang)


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        preface.variables_per_table("fr")
