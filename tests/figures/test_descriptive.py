import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest
from factories import assert_captioned_outside, make_registry, make_survey, titles

from platformgov.analysis import descriptive, privacy
from platformgov.figures import descriptive as figs
from platformgov.figures import maps, style
from platformgov.inputs.registry import load_boundaries
from platformgov.labels import label, value_label
from platformgov.vocabulary import TYPE_CODES


@pytest.fixture(autouse=True)
def book_style():
    style.use()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would fail the strict book build
        yield
    plt.close("all")


@pytest.fixture
def survey():
    return make_survey()


@pytest.fixture
def registry():
    return make_registry()


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def render(fig) -> None:
    fig.canvas.draw()  # fonts are resolved on drawing: a missing glyph warns here
    assert not any("\u2212" in t for t in texts(fig))


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_platform_counts_bars_match_the_distribution(survey, registry, lang):
    dist = descriptive.count_distribution(survey, registry, cap=2)
    fig = figs.platform_counts(dist, lang)
    render(fig)
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert heights == [h for t in TYPE_CODES for h in dist[t]]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == ["0", "1", label("desc.or_more", lang).format(n=2)]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [value_label("platform_type", t, lang) for t in TYPE_CODES]
    assert_captioned_outside(fig, "fig-desc-counts", lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_cooperation_bars_show_percentages(survey, registry, lang):
    coop = descriptive.cooperation(survey, registry)
    fig = figs.cooperation(coop, lang)
    render(fig)
    left, right = fig.axes
    g2c = coop[coop["platform_type"] == "G2C"].set_index("partner")
    widths = [p.get_width() for p in left.patches[:3]]  # G2C bars: central, metro, private
    assert widths == pytest.approx(100 * g2c["share_platforms"].to_numpy())
    widths = [p.get_width() for p in right.patches[:3]]
    assert widths == pytest.approx(100 * g2c["share_governments"].to_numpy())
    ticks = [t.get_text().replace("\n", " ") for t in left.get_yticklabels()]
    assert ticks == [label(f"desc.partner.{p}", lang) for p in ("central", "metro", "private")]
    assert left.get_title().replace("\n", " ") == label("desc.coop_share_platforms", lang)
    assert_captioned_outside(fig, "fig-desc-cooperation", lang)


def test_diverging_colours_have_a_grey_middle():
    colours = figs.diverging_colours(5)
    assert len(colours) == 5
    assert matplotlib.colors.to_hex(colours[2]) == figs.NEUTRAL
    assert colours[0] != colours[4]
    assert figs.NEUTRAL not in [matplotlib.colors.to_hex(c) for c in figs.diverging_colours(4)]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_likert_bars_are_centred_on_the_neutral_category(survey, lang):
    fig = figs.likert(descriptive.likert_shares(survey), lang)
    render(fig)
    axes = [ax for ax in fig.axes if ax.patches]
    assert len(axes) == len(TYPE_CODES)
    c2g = axes[1]
    n_items = 12
    rects = c2g.patches
    assert len(rects) == 5 * n_items
    # C2G item 3 (dem_3): its one answer is the neutral 3, so the bar spans -50 .. 50
    neutral = rects[2 * n_items + 2]
    assert (neutral.get_x(), neutral.get_width()) == (pytest.approx(-50), pytest.approx(100))
    # dem_1 is answered 1 (strongly disagree): the bar lies wholly left of zero
    first = rects[0 * n_items + 0]
    assert (first.get_x(), first.get_width()) == (pytest.approx(-100), pytest.approx(100))
    ticks = [t.get_text() for t in axes[0].get_yticklabels()]  # drawn once, on the left
    assert ticks[0] == label("dem_1", lang) and ticks[-1] == label("conv_3", lang)
    assert len(ticks) == n_items
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == [value_label("likert", p, lang) for p in range(1, 6)]
    assert value_label("platform_type", "C2G", lang) in c2g.get_title()
    assert_captioned_outside(fig, "fig-desc-likert", lang)


def test_likert_can_show_one_type(survey):
    fig = figs.likert(descriptive.likert_shares(survey), "en", types=("C2C",))
    assert len([ax for ax in fig.axes if ax.patches]) == 1


def test_map_class_labels_and_classes(survey, registry):
    assert maps.class_labels("n_platforms", "unit", "en") == [
        "0",
        "1-2",
        "3-5",
        "6-10",
        "11-20",
        label("desc.or_more", "en").format(n=21),
    ]
    shares = maps.class_labels("coop_private", "metro", "ko")
    assert shares[0] == label("desc.map.bin_below", "ko").format(hi="20%")
    assert shares[-1] == label("desc.or_more", "ko").format(n="80%")
    assert maps.class_labels("coop_private", "unit", "en") == [
        value_label("binary", 0, "en"),
        value_label("binary", 1, "en"),
    ]
    values = descriptive.map_values(survey, registry, "n_platforms").set_index("code")
    classes = dict(zip(values.index, maps.classify(values.reset_index()), strict=True))
    assert classes["47830"] == 0  # no platform
    assert classes["36"] == 1 and classes["11110"] == 2  # 1 platform; 3 platforms
    assert classes["11200"] == -1  # no response


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_unit_map_draws_governments_with_a_no_response_entry(survey, registry, lang):
    fig = maps.choropleth(descriptive.map_values(survey, registry, "n_platforms"), lang)
    render(fig)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert label("desc.map.no_data", lang) in legend
    assert not any(str(privacy.MIN_CELL) in t and "(" in t for t in legend[-1:])
    hatched = [c for c in ax.collections if c.get_hatch()]
    assert hatched  # non-respondents drawn in the neutral hatch
    w, h = fig.get_size_inches()
    assert w <= 7 and h <= 7.5
    # the caption under the map says what it shows, the legend's title what a colour means
    assert titles(fig) == []
    assert_captioned_outside(fig, "fig-desc-map-platforms", lang)


def test_real_data_map_is_drawn_by_metropolitan_area_only(survey, registry):
    metro_only = load_boundaries("metro")
    real = descriptive.map_values(survey, registry, "coop_private", kind="real")
    fig = maps.choropleth(real, "en", boundaries=metro_only)
    render(fig)
    legend = [t.get_text().replace("\n", " ") for t in fig.axes[0].get_legend().get_texts()]
    assert label("desc.map.suppressed", "en").format(n=privacy.MIN_CELL) in legend
    assert label("desc.map.no_data", "en") in legend
    # without 시군구 shapes a per-government map cannot be drawn: the synthetic path needs them
    with pytest.raises(ValueError, match="no boundary"):
        unit = descriptive.map_values(survey, registry, "coop_private")
        maps.choropleth(unit, "en", boundaries=metro_only)


def test_real_survey_source_is_honoured_by_default(registry):
    real = make_survey()
    real.kind = "real"
    values = descriptive.map_values(real, registry, "n_platforms")
    fig = maps.choropleth(values, "ko", boundaries=load_boundaries("metro"))
    assert titles(fig) == []
    legend = fig.axes[0].get_legend().get_title().get_text().replace("\n", " ")
    assert legend == label("desc.map.legend.n_platforms.metro", "ko")
    assert np.isfinite(fig.get_size_inches()).all()
