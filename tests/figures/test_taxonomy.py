import matplotlib.pyplot as plt
import pytest
from factories import assert_captioned_outside
from matplotlib.text import Annotation

from platformgov import vocabulary
from platformgov.analysis import taxonomy as tx
from platformgov.figures import taxonomy as fig_tx
from platformgov.labels import LANGS, label, table, value_label


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def all_label_texts() -> set[str]:
    return {text for entry in table().values() for text in entry.values()}


def annotations(ax) -> dict[str, Annotation]:
    return {a.get_gid(): a for a in ax.texts if isinstance(a, Annotation)}


def gid_of(coords) -> str | None:
    return coords.get_gid() if hasattr(coords, "get_gid") else None


@pytest.mark.parametrize("lang", LANGS)
def test_diagram_draws_each_direction(lang):
    figure = fig_tx.types_diagram(lang)
    axes = figure.axes
    assert len(axes) == len(vocabulary.TYPE_CODES)
    for ax, code in zip(axes, vocabulary.TYPE_CODES, strict=True):
        assert ax.get_title() == value_label("platform_type", code, lang)
    assert_captioned_outside(figure, "fig-tax-types", lang)
    g2c, c2g, c2c = (annotations(ax) for ax in axes[:3])
    # G2C: tail at the government, head at the citizens; C2G the other way round
    arrow = g2c["service-g2c"]
    assert (gid_of(arrow.anncoords), gid_of(arrow.xycoords)) == (
        "actor-government",
        "actor-citizens",
    )
    assert arrow.arrowprops["arrowstyle"] == "-|>"
    arrow = c2g["service-c2g"]
    assert (gid_of(arrow.anncoords), gid_of(arrow.xycoords)) == (
        "actor-citizens",
        "actor-government",
    )
    # C2C: two heads, citizens at both ends; the government only linked to the platform
    arrow = c2c["service-c2c"]
    assert arrow.arrowprops["arrowstyle"] == "<|-|>"
    assert {gid_of(arrow.anncoords), gid_of(arrow.xycoords)} == {"actor-citizens"}
    assert arrow.anncoords is not arrow.xycoords
    assert "facilitates" in c2c and "facilitates" not in g2c and "facilitates" not in c2g
    assert sum(t.get_gid() == "actor-citizens" for t in axes[2].texts) == 2


@pytest.mark.parametrize("lang", LANGS)
def test_diagram_words_all_come_from_the_label_table(lang):
    figure = fig_tx.types_diagram(lang)
    known = {" ".join(v.split()) for v in all_label_texts()}
    government = label("taxonomy.actor.government", lang)
    directions = {label(f"direction.{v}", lang) for v in tx.VALUES["direction"]}
    for ax, code in zip(figure.axes, vocabulary.TYPE_CODES, strict=True):
        for text in ax.texts:
            words = " ".join(text.get_text().split())
            if not words:
                continue  # arrows carry no text
            if text.get_gid() == "actor-government":
                # "Government (role)": both parts are labels
                assert words.startswith(f"{government} (") and words.endswith(")"), words
                words = words[len(government) + 2 : -1]
            assert words in known, words
        shown = [t.get_text() for t in ax.texts if t.get_text() in directions]
        assert shown == [label(f"direction.{tx.TYPES[code].direction}", lang)]


def test_diagram_rejects_unknown_language():
    with pytest.raises(ValueError):
        fig_tx.types_diagram("fr")


def test_type_colours_are_distinct():
    colours = fig_tx.type_colours()
    assert list(colours) == list(vocabulary.TYPE_CODES)
    assert len(set(colours.values())) == len(vocabulary.TYPE_CODES)
