"""The power chapter's tables, sentences and prose numbers."""

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from IPython.display import Markdown

from platformgov.analysis import models, simulation, speccurve
from platformgov.chapters import power
from platformgov.chapters.tables import Table
from platformgov.inputs import synthetic
from platformgov.labels import label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

LANGS = ("ko", "en")


@pytest.fixture(scope="module")
def params():
    return synthetic.load_params()


@pytest.fixture(scope="module")
def frame(registry, params):
    tables = synthetic.generate(registry, params, seed=7)
    return speccurve.outcome_frame(SimpleNamespace(**tables), registry)


@pytest.fixture(scope="module")
def specs():
    specs = speccurve.specifications()
    return specs[(specs["estimator"] == "ols") & (specs["controls"] == "full")]


@pytest.fixture(scope="module")
def curve(frame, specs):
    return speccurve.specification_curve(frame, specs)


@pytest.fixture(scope="module")
def sim(frame, registry, params):
    return simulation.simulate(frame, registry, params, effect_sizes=(0.0, 0.4), n_sims=10)


@pytest.fixture(scope="module")
def exercises(sim):
    summary, recovery = simulation.power_summary(sim), simulation.recovery(sim)
    return {
        "sample": simulation.sample_needed(summary, recovery, "G2C", "coop_private"),
        "scales": speccurve.ScaleComparison(ratio=3.4, n_pairs=15, residual_sd=0.5),
        "precision": simulation.rate_precision(0.05, 0.045, n=500),
    }


@pytest.fixture(scope="module")
def numbers(frame, registry, specs, curve, sim, exercises):
    return {
        lang: power.numbers(frame, registry, specs, curve, sim, **exercises, truth=None, lang=lang)
        for lang in LANGS
    }


# --- tables -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_options_table_lists_every_choice(lang):
    options = power.options_table(lang)
    assert list(options.index) == [label(f"power.dimension.{d}", lang) for d in speccurve.OPTIONS]
    counts = options[label("power.n_options", lang)]
    assert math.prod(counts) == math.prod(len(o) for o in speccurve.OPTIONS.values())
    assert isinstance(power.options_display(lang), Table)


@pytest.mark.parametrize("lang", LANGS)
def test_result_tables_name_every_finding(curve, specs, sim, lang):
    agreement = speccurve.agreement(curve)
    table = power.agreement_table(agreement, lang)
    assert list(table.index) == [power.finding_label(f, lang) for f in models.PAPER_FINDINGS]
    assert table.index.is_unique
    n_cells = len(TYPE_CODES) * len(OUTCOMES)
    assert (table[label("power.n_specs", lang)] == len(specs) // n_cells).all()
    by_choice = power.agreement_by_choice_table(speccurve.agreement_by_choice(curve), lang)
    assert len(by_choice) == sum(len(o) for o in speccurve.OPTIONS.values())

    summary = simulation.power_summary(sim)
    table_power = power.power_table(summary, lang, 0.4)
    assert len(table_power) == len(TYPE_CODES) * len(simulation.SIM_TERMS)
    assert table_power.index.is_unique
    recovery = power.recovery_table(simulation.recovery(sim), lang)
    assert len(recovery) == len(models.PAPER_FINDINGS)
    for t in (table, table_power, recovery):
        assert all(str(c).strip() for c in t.columns)
    for display in (
        power.agreement_display(agreement, lang),
        power.agreement_by_choice_display(speccurve.agreement_by_choice(curve), lang),
        power.power_display(summary, lang),
        power.recovery_display(simulation.recovery(sim), lang),
    ):
        assert display.caption.strip()


def test_an_effect_beyond_the_grid_says_so():
    assert power.format_effect(0.3456, "en", 0.8) == "0.35"
    assert power.format_effect(float("nan"), "en", 0.8) == "above 0.80"
    assert power.format_effect(float("nan"), "ko", 0.8) == "0.80 초과"


# --- sentences --------------------------------------------------------------------------------


def test_the_estimation_sentence_reads_for_zero_one_and_many():
    assert power.estimation_sentence(0, 0, "en") == (
        "Every estimate could be made, and every ordered logit converged."
    )
    assert power.estimation_sentence(1, 1, "en") == (
        "1 estimate could not be made, and 1 comes from an ordered logit that did not converge."
    )
    assert power.estimation_sentence(1200, 3, "en").startswith("1,200 estimates could not")
    assert power.estimation_sentence(0, 0, "ko") == (
        "추정하지 못한 추정치는 없고, 순서형 로짓은 모두 수렴했습니다."
    )
    assert power.estimation_sentence(2, 1, "ko") == (
        "추정하지 못한 추정치는 2개이고, 수렴하지 않은 순서형 로짓에서 나온 추정치는 1개입니다."
    )


def test_the_extremes_sentence_reads_for_zero_one_and_many():
    assert (
        power.extremes_sentence(0, 3, "en") == "none agrees in every specification and 3 in none."
    )
    assert power.extremes_sentence(1, 0, "en") == (
        "1 agrees in every specification and every finding agrees in some."
    )
    assert power.extremes_sentence(2, 1, "en") == "2 agree in every specification and 1 in none."
    assert power.extremes_sentence(0, 0, "ko") == (
        "모든 사양에서 일치하는 발견은 없고, 어느 사양에서도 일치하지 않는 발견은 없습니다."
    )
    assert power.extremes_sentence(2, 3, "ko") == (
        "모든 사양에서 일치하는 발견은 2개, 어느 사양에서도 일치하지 않는 발견은 3개입니다."
    )


def test_the_exercise_sentences_are_in_the_page_language():
    sample = simulation.SampleSize(effect=0.15, n_obs=178, std_error=0.1, detectable=0.28, needed=1)
    assert power.sample_sentence(sample, "en").data == "0.15 points need about 1 local government"
    assert power.sample_sentence(sample, "ko").data == (
        "0.15점의 효과를 찾아내려면 지자체가 약 1곳 필요합니다"
    )
    precision = simulation.rate_precision(0.05, 0.045, n=500)
    assert power.precision_sentence(precision, "en").data == (
        "standard error 0.0097; 7,600 simulations to separate 0.045 from 0.05"
    )
    assert power.precision_sentence(precision, "ko").data == (
        "표준오차 0.0097, 0.045와 0.05를 구별하려면 모의실험 7,600번"
    )
    scales = speccurve.ScaleComparison(ratio=3.456, n_pairs=15, residual_sd=0.5)
    assert power.scale_sentence(scales, "en").data == "median ratio 3.46; predicted 3.63"
    assert isinstance(power.scale_sentence(scales, "ko"), Markdown)
    assert "중앙값" in power.scale_sentence(scales, "ko").data


# --- the numbers of the prose -------------------------------------------------------------------


def test_numbers_have_the_same_names_in_both_languages(numbers):
    assert numbers["ko"].keys() == numbers["en"].keys()
    for lang in LANGS:
        for name, entry in numbers[lang].items():
            if isinstance(entry, tuple):
                value, fmt = entry
                format(value, fmt)
            else:
                assert isinstance(entry, str) and entry.strip(), name
    # the numbers are the same, only the words differ
    for name, entry in numbers["en"].items():
        if isinstance(entry, tuple):
            value, fmt = numbers["ko"][name]
            assert fmt == entry[1] and format(value, fmt) == format(entry[0], fmt), name


def test_numbers_count_what_the_page_computed(numbers, frame, registry, curve, specs, sim):
    en = numbers["en"]
    assert en["n_specs"][0] == len(specs)
    assert en["n_estimates"][0] == len(curve) == len(specs) * len(speccurve.KEYS)
    assert en["n_cells"][0] == len(TYPE_CODES) * 4
    assert en["n_registry"][0] == len(registry)
    assert en["n_lg"][0] == frame["lg_code"].nunique()
    assert en["n_findings"][0] == len(models.PAPER_FINDINGS)
    assert en["grid_max"][0] == pytest.approx(0.4)
    assert en["grid_n"][0] == 2
    assert en["n_sims_rotation"][0] == 10
    assert en["n_per_point"][0] == len(simulation.SIM_TERMS) * 10  # one outcome per rotation
    assert en["n_surveys"][0] == simulation.surveys_simulated(sim)
    assert en["choice_high"] != "**" + power.option_label("estimator", "ologit", "en") + "**"
    labels = {
        "**" + power.option_label(d, o, "en") + "**"
        for d, options in speccurve.OPTIONS.items()
        for o in options
    }
    assert en["choice_low"] in labels and en["choice_high"] in labels  # bold, as the page shows
    assert en["estimation"] == "Every estimate could be made, and every ordered logit converged."
    assert en["bias_worst_type"] in {value_label("platform_type", t, "en") for t in TYPE_CODES}
    assert en["first_title"] == power.finding_label(models.PAPER_FINDINGS[0], "en")
    assert en["ex3_needed"] == (7600, ",d")
    assert en["ex1_verdict"] in {
        label(f"power.ex1.{v}", "en") for v in ("beyond", "within", "already")
    }


# --- where the significant central-cooperation estimates come from ---------------------------


def _split(main_significant: bool, activation=(0.15, 0.17), controls=(0.14, 0.18)):
    by_option = pd.DataFrame(
        [
            {"dimension": "activation", "option": "log_n", "n": 10, "share": activation[0]},
            {"dimension": "activation", "option": "count", "n": 10, "share": activation[1]},
            {"dimension": "controls", "option": "full", "n": 10, "share": controls[0]},
            {"dimension": "controls", "option": "none", "n": 10, "share": controls[1]},
        ]
    )
    by_cell = pd.DataFrame(
        [
            {"platform_type": "G2C", "outcome": "democracy", "n": 96, "share": 0.93,
             "main_significant": main_significant},
            {"platform_type": "C2C", "outcome": "democracy", "n": 96, "share": 0.2,
             "main_significant": False},
        ]
    )  # fmt: skip
    return speccurve.KeySplit("coop_central", 1000, 0.16, by_option, by_cell)


def _truth(value: float) -> pd.DataFrame:
    return pd.DataFrame(
        [{"platform_type": "G2C", "outcome": "democracy", "term": "coop_central",
          "true_value": value}]
    )  # fmt: skip


def test_significance_split_counts_by_choice_and_cell(curve):
    split = speccurve.significance_split(curve, "coop_central")
    rows = curve[(curve["key"] == "coop_central") & curve["p_value"].notna()]
    assert split.n == len(rows)
    assert split.share == pytest.approx((rows["p_value"] < models.ALPHA).mean())
    low, high = split.option_range("activation")
    by_act = rows.groupby("activation")["p_value"].apply(lambda p: (p < models.ALPHA).mean())
    assert (low, high) == pytest.approx((by_act.min(), by_act.max()))
    assert split.by_cell["share"].is_monotonic_decreasing
    assert split.top["share"] == split.by_cell["share"].max()
    weighted = (split.by_cell["share"] * split.by_cell["n"]).sum() / split.by_cell["n"].sum()
    assert weighted == pytest.approx(split.share)
    with pytest.raises(ValueError, match="no estimate"):
        speccurve.significance_split(curve, "no_such_key")


@pytest.mark.parametrize("lang", LANGS)
def test_the_central_split_sentence_follows_the_truth(lang):
    false_positive = power.central_split_sentence(_split(True), _truth(0.0), lang)
    effect = power.central_split_sentence(_split(True), _truth(0.2), lang)
    unknown = power.central_split_sentence(_split(False), None, lang)
    assert len({false_positive, effect, unknown}) == 3
    assert ("0.20" in effect) and ("0.20" not in false_positive)
    for text in (false_positive, effect, unknown):
        assert "15%" in text and "17%" in text and "14%" in text and "18%" in text
        assert "93%" in text and "96" in text
        # 0.93 × 96 of 0.16 × 1000 significant estimates come from the top cell.
        assert f"{0.93 * 96 / 160:.0%}" in text
        assert value_label("platform_type", "G2C", lang).split(" ")[-1] in text
    if lang == "en":
        assert "false positive" in false_positive and "information (G2C)" in effect
        assert "not what makes it" in effect
        moving = power.central_split_sentence(_split(True, activation=(0.05, 0.3)), None, lang)
        assert "moves with these choices" in moving
    else:
        assert "거짓 양성" in false_positive and "민주성이라는" in effect
