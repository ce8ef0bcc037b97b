import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Annotation

from platformgov.analysis import taxonomy as tx
from platformgov.figures import taxonomy as fig_tx
from platformgov.labels import LANGS, label, table, value_label


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def all_label_texts() -> set[str]:
    return {text for entry in table().values() for text in entry.values()}


@pytest.mark.parametrize("lang", LANGS)
def test_decision_table_shows_the_rule_deciding(lang):
    cases = {
        "seoul_open_data": ("information", "provider", "g2c"),
        "neighbourhood_map": {
            "main_function": "information",
            "government_role": "facilitator",
            "direction": "c2c",
        },
        "safety_map": ("information", "facilitator", "c2g"),
    }
    out = fig_tx.decision_table(cases, lang)
    assert list(out.index) == [
        label("example.seoul_open_data.name", lang),
        label("taxonomy.case.neighbourhood_map", lang),
        label("taxonomy.case.safety_map", lang),
    ]
    assert out.index.name == label("taxonomy.case", lang)
    verdict = out[label("taxonomy.verdict", lang)].tolist()
    assert verdict == [value_label("platform_type", t, lang) for t in ("G2C", "C2C", "C2G")]
    how = out[label("taxonomy.decided_by", lang)].tolist()
    assert how == [
        label(f"taxonomy.decided_by.{k}", lang) for k in ("unanimous", "majority", "direction")
    ]
    role = out[label("criterion.government_role", lang)].iloc[2]
    assert role == f"{label('role.facilitator', lang)} (C2C)"


def test_decision_table_needs_a_label_for_every_case():
    with pytest.raises(KeyError, match=r"taxonomy\.case\.nowhere"):
        fig_tx.decision_table({"nowhere": ("information", "provider", "g2c")}, "en")
    with pytest.raises(ValueError):
        fig_tx.decision_table({"safety_map": ("information", "provider")}, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_examples_frame_and_sources(lang):
    frame = fig_tx.examples_frame(lang)
    assert frame.index.name == label("platform_name", lang)
    assert list(frame.index) == [ex.text("name", lang) for ex in tx.EXAMPLES]
    assert list(frame.columns) == [
        label(k, lang) for k in ("ui.operator", "platform_type", "ui.fact")
    ]
    sources = fig_tx.example_sources(lang).data
    lines = sources.splitlines()
    assert len(lines) == len(tx.EXAMPLES)
    for ex, line in zip(tx.EXAMPLES, lines, strict=True):
        assert line.startswith(f"- {ex.text('name', lang)}: ")
        for url in ex.sources:
            assert f"<{url}>" in line
        assert (f"<{ex.url}>" in line) == bool(ex.url)


def make_platforms() -> pd.DataFrame:
    rows = [
        # lg, type, status
        ("11", "G2C", "operating"),
        ("11", "G2C", "operating"),
        ("11", "C2G", "suspended"),
        ("11010", "G2C", "operating"),
        ("11010", "C2G", "operating"),
        ("11010", "C2G", "operating"),
        ("26", "G2C", "suspended"),
    ]
    return pd.DataFrame(rows, columns=["lg_code", "platform_type", "status"])


def test_inventory_counts_by_hand():
    counts = fig_tx.inventory_counts(make_platforms())
    assert list(counts.index) == [*tx.TYPE_CODES, "all"]
    assert counts.loc["G2C"].tolist() == [4, 3, 2]
    # 11's only C2G platform is suspended: it runs none
    assert counts.loc["C2G"].tolist() == [3, 2, 1]
    assert counts.loc["C2C"].tolist() == [0, 0, 0]
    # 11 and 11010 run something; 26 only a suspended platform; each government once
    assert counts.loc["all"].tolist() == [7, 5, 2]


def test_inventory_counts_rejects_bad_input():
    with pytest.raises(ValueError, match="status"):
        fig_tx.inventory_counts(make_platforms().drop(columns="status"))
    bad = make_platforms()
    bad.loc[0, "platform_type"] = "G2G"
    with pytest.raises(ValueError, match="G2G"):
        fig_tx.inventory_counts(bad)


@pytest.mark.parametrize("lang", LANGS)
def test_inventory_table_labels(lang):
    out = fig_tx.inventory_table(fig_tx.inventory_counts(make_platforms()), lang)
    assert list(out.index) == [
        *(value_label("platform_type", t, lang) for t in tx.TYPE_CODES),
        label("taxonomy.all_types", lang),
    ]
    assert list(out.columns) == [label(f"taxonomy.{c}", lang) for c in fig_tx.INVENTORY_COLUMNS]
    assert out.iloc[-1].tolist() == [7, 5, 2]


def annotations(ax) -> dict[str, Annotation]:
    return {a.get_gid(): a for a in ax.texts if isinstance(a, Annotation)}


def gid_of(coords) -> str | None:
    return coords.get_gid() if hasattr(coords, "get_gid") else None


@pytest.mark.parametrize("lang", LANGS)
def test_diagram_draws_each_direction(lang):
    figure = fig_tx.types_diagram(lang)
    axes = figure.axes
    assert len(axes) == len(tx.TYPE_CODES)
    for ax, code in zip(axes, tx.TYPE_CODES, strict=True):
        assert ax.get_title() == value_label("platform_type", code, lang)
    g2c, c2g, c2c = (annotations(ax) for ax in axes)
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
    for ax, code in zip(figure.axes, tx.TYPE_CODES, strict=True):
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
    assert list(colours) == list(tx.TYPE_CODES)
    assert len(set(colours.values())) == len(tx.TYPE_CODES)
