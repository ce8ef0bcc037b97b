from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from factories import assert_captioned_outside

from platformgov import vocabulary
from platformgov.analysis import models, simulation, speccurve
from platformgov.chapters.power import finding_label, option_label
from platformgov.figures import power as figures
from platformgov.figures import style
from platformgov.inputs import synthetic
from platformgov.labels import label, value_label


@pytest.fixture(scope="module", autouse=True)
def book_style():
    style.use()
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def frame(registry):
    tables = synthetic.generate(registry, synthetic.load_params(), seed=3)
    return speccurve.outcome_frame(SimpleNamespace(**tables), registry)


@pytest.fixture(scope="module")
def curve(frame):
    specs = speccurve.specifications()
    specs = specs[(specs["platform_type"] == "G2C") & (specs["outcome"] == "convenience")]
    # OLS only, to keep the test fast; the figure does not depend on the estimator
    return speccurve.specification_curve(frame, specs[specs["estimator"] == "ols"])


@pytest.fixture(scope="module")
def curves(frame, registry):
    sim = simulation.simulate(frame, registry, effect_sizes=(0.0, 0.3), n_sims=20, seed=1)
    return simulation.power_curves(sim)


def texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]


def check_figure(fig) -> list[str]:
    assert fig.get_figwidth() <= 7.0
    words = texts(fig)
    assert not any("\u2212" in w for w in words), "NanumGothic has no U+2212 minus sign"
    fig.canvas.draw()
    return words


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_specification_curve(curve, lang):
    finding = models.Finding("G2C", "log_n_platforms", "convenience")
    fig = figures.specification_curve(curve, finding, lang)
    words = check_figure(fig)
    for dim, options in speccurve.OPTIONS.items():
        for option in options:
            assert option_label(dim, option, lang) in words
    # the finding is named by the text and the caption, not drawn as a title
    assert finding_label(finding, lang) not in words
    assert_captioned_outside(fig, "fig-power-curve-first", lang)
    assert label("power.main_model", lang) in words
    assert label("power.spec_rank", lang) in words
    top = fig.axes[0]
    # one interval per estimated specification, and the main model ringed
    n_specs = int(speccurve.finding_rows(curve, finding)["estimate"].notna().sum())
    assert n_specs == len(curve) // len(speccurve.KEYS)
    points = sum(len(line.get_xdata()) for line in top.get_lines()[1:-1])
    assert points == n_specs
    plt.close(fig)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_power_curves(curves, lang):
    fig = figures.power_curves(curves, lang)
    words = check_figure(fig)
    for term in simulation.SIM_TERMS:
        assert label(f"term.{term}", lang) in words
    assert label("power.detection", lang) in words
    assert label("power.true_effect", lang) in words
    titles = [ax.get_title() for ax in fig.axes]
    assert any(value_label("platform_type", "C2C", lang) in t for t in titles)
    assert_captioned_outside(fig, "fig-power-curves", lang)
    plt.close(fig)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_bias_coverage(curves, lang):
    fig = figures.bias_coverage(curves, lang)
    words = check_figure(fig)
    assert label("power.bias", lang) in words
    assert label("power.coverage", lang) in words
    assert len(fig.axes) == 2 * len(vocabulary.TYPE_CODES)
    assert_captioned_outside(fig, "fig-power-bias", lang)
    plt.close(fig)
