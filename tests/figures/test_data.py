"""The item-missingness figure of the chapter "Data": panels, bars, words and size."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from factories import assert_captioned_outside

from platformgov.figures import data as data_figures
from platformgov.figures import style
from platformgov.labels import label


@pytest.fixture(autouse=True)
def _style():
    style.use()
    yield
    plt.close("all")


def frame() -> pd.DataFrame:
    rows = [
        ("performance", "dem_1", 10, 1, 0.10),
        ("performance", "eff_2", 10, 3, 0.30),
        ("platforms", "channel", 20, 0, 0.0),
        ("platforms", "partner_metro", 0, 0, float("nan")),
        ("organisations", "it_staff", 5, 1, 0.20),
    ]
    return pd.DataFrame(rows, columns=["table", "variable", "applicable", "missing", "share"])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_one_panel_per_table_with_one_bar_per_variable(lang):
    fig = data_figures.missingness(frame(), lang)
    axes = fig.axes
    assert [ax.get_title(loc="left") for ax in axes] == [
        label(f"table.{t}", lang) for t in ("performance", "platforms", "organisations")
    ]
    assert [len(ax.patches) for ax in axes] == [2, 2, 1]
    widths = [p.get_width() for p in axes[0].patches]
    assert widths == pytest.approx([10.0, 30.0])  # shares in percent
    ticks = [t.get_text() for t in axes[1].get_yticklabels()]
    assert ticks[0] == label("channel", lang)
    assert ticks[1] == f"{label('partner_metro', lang)} {label('data.basic_only', lang)}"
    assert axes[-1].get_xlabel() == label("data.fig.share_missing", lang)
    assert_captioned_outside(fig, "fig-data-missingness", lang)


def test_value_labels_skip_variables_without_a_share_and_use_ascii():
    fig = data_figures.missingness(frame(), "en")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert texts == ["10.0", "30.0", "0.0", "20.0"]
    fig.canvas.draw()
    for ax in fig.axes:
        for tick in ax.get_xticklabels():
            assert "\u2212" not in tick.get_text()


def test_panels_follow_the_tables_present_and_the_figure_fits_the_page():
    only = frame()[frame()["table"] == "platforms"]
    fig = data_figures.missingness(only, "ko")
    assert len(fig.axes) == 1
    assert fig.get_size_inches()[0] <= 7.0
    with pytest.raises(ValueError):
        data_figures.missingness(frame().iloc[:0], "ko")
