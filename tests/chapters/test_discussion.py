import numpy as np
import pandas as pd
import pytest
from factories import comparison_rows
from factories import frame_with_effects as make_frame

from platformgov.analysis import models
from platformgov.chapters import discussion as summary
from platformgov.labels import label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

# --- the findings table ---------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_findings_table_has_one_row_per_type_and_term(lang):
    comparison = models.compare_with_paper(models.fit_main(make_frame()))
    table = summary.findings_table(comparison, lang)
    pairs = list(dict.fromkeys((f.platform_type, f.term) for f in models.PAPER_FINDINGS))
    assert len(table) == len(pairs)
    assert table.index.name == label("discussion.col_finding", lang)
    assert table.columns[-1] == label("discussion.col_agreements", lang)
    assert len(table.columns) == len(OUTCOMES) + 1
    first = f"{label('platform_type.' + pairs[0][0], lang)} · {label('term.' + pairs[0][1], lang)}"
    assert table.index[0] == first


def test_findings_table_marks_outcomes_only_the_korean_abstract_reports():
    comparison = comparison_rows(
        [
            ("G2C", "coop_metro", "democracy", 0.4, 0.001, False),
            ("G2C", "coop_metro", "efficiency", 0.1, 0.30, True),
        ]
    )
    table = summary.findings_table(comparison, "en")
    assert table.columns[0] == label("outcome.democracy", "en") + summary.KO_ONLY_MARK
    assert table.columns[1] == label("outcome.efficiency", "en")


def test_findings_table_cells_show_estimate_stars_interval_and_gaps():
    comparison = comparison_rows(
        [
            ("G2C", "log_n_platforms", "service_quality", 0.456, 0.004, True),
            ("G2C", "coop_metro", "democracy", -0.001, 0.9, True),
            ("G2C", "coop_metro", "service_quality", np.nan, np.nan, True),
        ]
    )
    table = summary.findings_table(comparison, "en")
    quality = label("outcome.service_quality", "en")
    democracy = label("outcome.democracy", "en")
    activation = table.iloc[0]
    assert activation[quality] == "0.46**\n[0.26,\u00a00.66]"
    assert activation[democracy] == label("discussion.not_reported", "en")
    metro = table.iloc[1]
    assert metro[democracy].startswith("0.00\n")  # no "-0.00"
    assert metro[quality] == label("agree.na", "en")
    agreements = label("discussion.col_agreements", "en")
    assert list(table[agreements]) == ["1 / 1", "0 / 2"]


def test_findings_table_rejects_an_empty_comparison():
    with pytest.raises(ValueError):
        empty = comparison_rows([("G2C", "coop_metro", "democracy", 0.4, 0.01, True)]).iloc[:0]
        summary.findings_table(empty, "ko")


# --- focal counts ---------------------------------------------------------------------------


def test_focal_counts_find_a_strong_effect_everywhere_it_was_put():
    effects = {(t, o, "coop_private"): 1.0 for t in TYPE_CODES for o in OUTCOMES}
    results = models.fit_main(make_frame(effects))
    counts = summary.focal_counts(results).set_index("term")
    assert list(counts.index) == list(models.KEY_TERMS)
    n_models = len(TYPE_CODES) * len(OUTCOMES)
    assert (counts["n_coefficients"] == n_models).all()
    assert counts.loc["coop_private", "n_positive"] == n_models
    assert counts.loc["coop_private", "n_negative"] == 0
    paper = sum(f.term == "coop_private" for f in models.PAPER_FINDINGS)
    assert counts.loc["coop_private", "n_paper"] == paper
    tidy = models.tidy(results)
    sig = tidy[tidy["term"].isin(models.KEY_TERMS) & (tidy["p_value"] < models.ALPHA)]
    assert counts["n_positive"].sum() + counts["n_negative"].sum() == len(sig)


def test_focal_counts_skip_terms_without_a_p_value():
    results = models.fit_main(make_frame())
    broken = results[0]
    coefs = broken.coefficients.copy()
    coefs.loc[coefs["term"] == "coop_metro", "p_value"] = np.nan
    broken.coefficients = coefs
    counts = summary.focal_counts(results).set_index("term")
    assert counts.loc["coop_metro", "n_coefficients"] == len(results) - 1


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_focal_table_labels_terms_and_adds_a_total(lang):
    counts = pd.DataFrame(
        {
            "term": ["coop_metro", "coop_private"],
            "n_paper": [8, 8],
            "n_coefficients": [12, 12],
            "n_positive": [5, 2],
            "n_negative": [1, 0],
        }
    )
    table = summary.focal_table(counts, lang)
    assert list(table.index) == [
        label("term.coop_metro", lang),
        label("term.coop_private", lang),
        label("discussion.total", lang),
    ]
    assert list(table.iloc[-1]) == [16, 24, 7, 1]
    assert table.columns[0] == label("discussion.col_n_paper", lang)


# --- sample sizes and activation ------------------------------------------------------------


def test_sample_sizes_report_the_smallest_and_largest_model_of_each_type():
    frame = make_frame(n=60)
    gaps = (frame["platform_type"] == "C2G") & (frame.index % 4 == 0)
    frame.loc[gaps, "efficiency"] = np.nan
    sizes = summary.sample_sizes(models.fit_main(frame)).set_index("platform_type")
    assert list(sizes.index) == list(TYPE_CODES)
    assert sizes.loc["G2C", "n_min"] == sizes.loc["G2C", "n_max"] == 60
    assert sizes.loc["C2G", "n_min"] == 60 - int(gaps.sum())
    assert sizes.loc["C2G", "n_max"] == 60


def test_activation_correlation_within_each_type():
    frame = make_frame(n=40)
    g2c = frame["platform_type"] == "G2C"
    frame["diversity"] = frame["diversity"].astype(float)
    frame.loc[g2c, "diversity"] = 2 * frame.loc[g2c, "log_n_platforms"] + 1
    frame.loc[frame["platform_type"] == "C2C", "diversity"] = 1
    corr = summary.activation_correlation(frame).set_index("platform_type")
    assert corr.loc["G2C", "correlation"] == pytest.approx(1.0)
    assert np.isnan(corr.loc["C2C", "correlation"])
    assert -1 <= corr.loc["C2G", "correlation"] <= 1
    assert (corr["n"] == 40).all()


# --- against the synthetic truth ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_truth_sentence_fills_every_count_or_explains_the_real_data(lang):
    counts = {"n": 60, "covers": 55, "nonzero": 20, "detected": 13, "zero": 40, "false_positive": 3}
    sentence = summary.truth_sentence("synthetic", counts, lang)
    assert "{" not in sentence
    # Built in, detected, missed (20 - 13), no effect, false positives; not n or coverage.
    for value in (20, 13, 7, 40, 3):
        assert str(value) in sentence
    assert "55" not in sentence
    assert summary.truth_sentence("real", None, lang) == label("discussion.truth_real", lang)
    with pytest.raises(ValueError):
        summary.truth_sentence("synthetic", None, lang)
    with pytest.raises(ValueError):
        summary.truth_sentence("other", counts, lang)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_rule_table_counts_grow_as_the_rule_loosens(lang):
    comparison = comparison_rows(
        [
            ("G2C", "coop_metro", "democracy", 0.4, 0.001, True),
            ("G2C", "coop_metro", "efficiency", 0.2, 0.07, True),
            ("G2C", "coop_metro", "convenience", 0.1, 0.40, True),
            ("G2C", "coop_metro", "service_quality", -0.3, 0.01, True),
        ]
    )
    table = summary.rule_table(comparison, lang, alphas=(0.05, 0.10))
    agree = table[label("discussion.col_n_agree", lang)]
    assert list(agree) == [1, 2, 3]
    assert (table[label("discussion.col_n_findings", lang)] == 4).all()
    assert "0.1" in table.index[1] and "{" not in table.index[1]
    assert table.index[-1] == label("discussion.rule_sign", lang)


def test_sample_size_text_shows_a_range_only_when_models_differ():
    sizes = pd.DataFrame(
        {"platform_type": ["G2C", "C2C"], "n_min": [1200, 70], "n_max": [1200, 71]}
    )
    assert summary.sample_size_text(sizes) == {"G2C": "1,200", "C2C": "70–71"}


# --- tables for the page and numbers for the prose ------------------------------------------


def test_displays_carry_their_captions():
    comparison = models.compare_with_paper(models.fit_main(make_frame()))
    assert (
        label("discussion.caption_findings", "ko")
        in summary.findings_display(comparison, "ko").to_html()
    )
    counts = summary.focal_counts(models.fit_main(make_frame()))
    html = summary.focal_display(counts, "en").to_html()
    assert label("discussion.caption_focal", "en") in html and "<tfoot>" in html
    assert (
        label("discussion.caption_rules", "en") in summary.rule_display(comparison, "en").to_html()
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "1 observation for Information (G2C), 70–71 for Policy proposal (C2G) "
            "and 1,200 for Brokering private capacity (C2C)",
        ),
        (
            "ko",
            "정보제공형 (G2C) 모형은 관측치 1개, 정책제안형 (C2G) 모형은 70–71개, "
            "민간역량중개형 (C2C) 모형은 1,200개",
        ),
    ],
)
def test_observations_by_type(lang, expected):
    sizes = pd.DataFrame(
        {"platform_type": list(TYPE_CODES), "n_min": [1, 70, 1200], "n_max": [1, 71, 1200]}
    )
    assert summary.observations_by_type(sizes, lang) == expected
    two = summary.observations_by_type(sizes.iloc[[2]], lang)
    assert "1,200" in two and " and " not in two


@pytest.fixture(scope="module")
def fitted():
    frame = make_frame({("G2C", o, "coop_metro"): 1.0 for o in OUTCOMES})
    return frame, models.fit_main(frame)


def test_numbers_have_the_same_keys_in_both_languages(fitted):
    frame, main = fitted
    registry = pd.DataFrame({"code": [f"{i:05d}" for i in range(50)]})
    en = summary.numbers(frame, main, registry, "synthetic", "en")
    ko = summary.numbers(frame, main, registry, "real", "ko")
    assert set(en) == set(ko)
    assert ko["disc_truth"] == label("discussion.truth_real", "ko")
    assert en["disc_n_lg"] == (50, ",d")
    for entry in en.values():
        if isinstance(entry, tuple):
            format(*entry)


def test_numbers_count_the_models(fitted):
    frame, main = fitted
    registry = pd.DataFrame({"code": ["11"]})
    numbers = summary.numbers(frame, main, registry, "synthetic", "en")
    agreement = models.compare_with_paper(main)
    assert numbers["disc_n_findings"][0] == len(agreement)
    assert numbers["disc_n_agree"][0] == int(agreement["agrees"].fillna(False).sum())
    counts = summary.focal_counts(main).set_index("term")
    assert numbers["disc_n_focal"][0] == counts["n_coefficients"].sum()
    central = counts.loc["coop_central"]
    assert numbers["disc_central"].startswith(
        summary.central_sentence(
            int(central["n_positive"]), int(central["n_negative"]),
            int(central["n_coefficients"]), 0, len(main), "en",
        ).split(" On the synthetic data")[0]
    )  # fmt: skip
    assert numbers["disc_expected_chance"][0] == pytest.approx(
        counts["n_coefficients"].sum() * models.ALPHA
    )
    assert numbers["disc_n_by_type"] == summary.observations_by_type(
        summary.sample_sizes(main), "en"
    )


# --- sentences that carry counts read for none, one and many ---------------------------------


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_verdict_sentence_reads_for_none_one_and_many(lang):
    from platformgov.analysis.findings import Agreement

    many = summary.verdict_sentence(Agreement(18, 10, 8, 2, 16, 3, 14, 9), lang)
    none = summary.verdict_sentence(Agreement(18, 18, 0, 0, 18, 0, 14, 14), lang)
    one = summary.verdict_sentence(Agreement(18, 16, 1, 1, 17, 1, 14, 12), lang)
    assert len({many, none, one}) == 3
    assert " 0 " not in none and "0개" not in none
    if lang == "en":
        assert "8 findings do not agree" in many and "2 could not be estimated" in many
        assert "Every finding agrees" in none and "all 18 estimates point" in none
        assert "One finding does not agree" in one and "one is significant" in one
    else:
        assert "8개입니다" in many and "2개 있습니다" in many
        assert "없습니다" in none and "18개 모두의" in none


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_central_sentence_names_only_the_signs_found(lang):
    both = summary.central_sentence(1, 2, 12, 3, 12, lang)
    positive = summary.central_sentence(2, 0, 12, 0, 12, lang)
    neither = summary.central_sentence(0, 0, 12, 0, 12, lang)
    assert "12" in both and "3" in both
    assert " 0 " not in positive and "0개" not in positive and "0개" not in neither
    if lang == "en":
        assert "2 are significantly negative" not in both and "2 significantly negative" in both
        assert "none is significantly negative" in positive
        assert "none of the 12 coefficients" in neither and "none of the models" in neither
    else:
        assert "음(-)" not in positive and "유의한 것이 없습니다" in neither


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_ko_only_sentence_reads_for_none_one_and_many(lang):
    texts = [summary.ko_only_sentence(n, lang) for n in (0, 1, 4)]
    assert len(set(texts)) == 3
    if lang == "en":
        assert texts[1].startswith("One finding") and texts[2].startswith("Four of the findings")
