import re

import numpy as np
import pandas as pd
import pytest
from factories import comparison_rows, frame_with_effects, make_frame

from platformgov.analysis import findings, models
from platformgov.chapters import regression as results
from platformgov.chapters.grammar import number_word
from platformgov.labels import label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES


@pytest.fixture(scope="module")
def frame():
    return make_frame()


@pytest.fixture(scope="module")
def checks(frame):
    return findings.fit_checks(frame)


def test_key_coefficients(checks):
    kc = findings.key_coefficients(checks)
    assert set(kc["key_term"]) == set(models.KEY_TERMS)
    count = kc[kc["check"] == "count"]
    assert set(count.loc[count["key_term"] == "log_n_platforms", "term"]) == {"n_platforms"}
    assert len(kc) == len(checks) * len(TYPE_CODES) * len(OUTCOMES) * len(models.KEY_TERMS)
    np.testing.assert_allclose(kc["statistic"], kc["estimate"] / kc["std_error"])


def test_check_summary_counts_agreements(checks):
    table = results.check_summary_table(checks, "en")
    assert list(table.index) == [label(f"reg.check.{c}", "en") for c in checks]
    col = label("reg.findings_agree", "en")
    for name, fits in checks.items():
        counts = findings.agreement(models.compare_with_paper(fits, findings.findings_for(fits)))
        cell = table.loc[label(f"reg.check.{name}", "en"), col]
        assert cell == f"{counts.n_agree} / {counts.n_findings}"
    html = results.check_summary_display(checks, "ko").to_html()
    assert label("reg.caption.checks", "ko") in html


def truth_like(fits, shift: float) -> pd.DataFrame:
    tidy = models.tidy(fits)
    tidy = tidy[tidy["term"].isin(models.KEY_TERMS)]
    return tidy[["platform_type", "outcome", "term"]].assign(
        true_value=tidy["estimate"].to_numpy() + shift
    )


def test_truth_comparison_coverage(checks):
    fits = checks["main"]
    at_estimate = findings.truth_comparison(fits, truth_like(fits, 0.0))
    assert at_estimate["covers"].all()
    far = findings.truth_comparison(fits, truth_like(fits, 100.0))
    assert not far["covers"].any()
    counts = findings.truth_counts(far)
    assert counts["n"] == len(far) == len(fits) * len(models.KEY_TERMS)
    assert counts["covers"] == 0


def test_detected_and_false_positives(checks):
    fits = checks["main"]
    tidy = models.tidy(fits)
    tidy = tidy[tidy["term"].isin(models.KEY_TERMS)]
    keys = tidy[["platform_type", "outcome", "term"]]
    zero = findings.truth_comparison(fits, keys.assign(true_value=0.0))
    assert (zero["false_positive"] == (zero["p_value"] < 0.05)).all()
    assert not zero["detected"].any()
    signed = findings.truth_comparison(fits, keys.assign(true_value=np.sign(tidy["estimate"])))
    assert (signed["detected"] == (signed["p_value"] < 0.05)).all()
    assert not signed["false_positive"].any()
    counts = findings.truth_counts(signed)
    assert counts["zero"] == 0 and counts["nonzero"] == counts["n"]


def test_truth_comparison_sorts_each_key_coefficient():
    effects = {
        ("G2C", "democracy", "coop_metro"): 1.0,  # in the data and in the truth: detected
        ("G2C", "efficiency", "coop_private"): 1.0,  # in the data, not in the truth: false positive
        ("C2C", "efficiency", "coop_metro"): -1.0,  # in the data with the opposite sign
    }
    fits = models.fit_main(frame_with_effects(effects))
    params = {
        "effects": {
            "G2C": {
                "democracy": {"coop_metro": 1.0},
                "convenience": {"coop_central": 0.5},  # in the truth, not in the data: missed
            },
            "C2C": {"efficiency": {"coop_metro": 1.0}},
        }
    }
    comparison = findings.truth_comparison(fits, findings.true_values("synthetic", params))
    row = comparison.set_index(["platform_type", "outcome", "term"])
    assert row.loc[("G2C", "democracy", "coop_metro"), "detected"]
    assert row.loc[("G2C", "efficiency", "coop_private"), "false_positive"]
    assert not row.loc[("G2C", "convenience", "coop_central"), "detected"]
    opposite = row.loc[("C2C", "efficiency", "coop_metro")]
    assert opposite["significant"] and not opposite["detected"]
    # Every key coefficient is compared; a term the truth does not list has no effect.
    assert len(comparison) == len(fits) * len(models.KEY_TERMS)
    counts = findings.truth_counts(comparison)
    assert (counts["nonzero"], counts["zero"]) == (3, len(comparison) - 3)
    assert counts["detected"] == 1
    assert counts["false_positive"] == int(comparison["false_positive"].sum()) >= 1


def test_paper_table_is_built_from_compare_table(checks):
    fits = checks["main"]
    comparison = models.compare_with_paper(fits)
    labelled = results.compare_table(comparison, "en")
    table = results.paper_table(comparison, "en")
    assert len(table) == len(comparison)
    assert list(table.index) == list(labelled[label("ui.term", "en")])
    assert list(table[label("ui.agrees", "en")]) == list(labelled[label("ui.agrees", "en")])
    first = table[label("reg.estimate_ci", "en")].iloc[0].split("\n")
    assert first == [
        labelled[label("ui.estimate", "en")].iloc[0],
        labelled[label("ui.conf_int", "en")].iloc[0],
    ]
    # Every finding of the paper is positive: the direction goes to the note, not a column.
    assert label("ui.paper_sign", "en") not in table.columns
    one = results.paper_table(comparison, "en", platform_type="C2C")
    assert len(one) == int((comparison["platform_type"] == "C2C").sum())
    assert label("platform_type", "en") not in one.columns
    assert label("platform_type", "en") in table.columns
    with pytest.raises(ValueError):
        results.paper_table(comparison, "en", platform_type="C2G")


def test_paper_table_adds_the_truth(checks):
    fits = checks["main"]
    comparison = models.compare_with_paper(fits)
    at_estimate = truth_like(fits, 0.0)
    table = results.paper_table(comparison, "en", at_estimate)
    assert (table[label("reg.covers_truth", "en")] == label("binary.1", "en")).all()
    far = results.paper_table(comparison, "en", truth_like(fits, 100.0))
    assert (far[label("reg.covers_truth", "en")] == label("binary.0", "en")).all()
    html = results.paper_display(comparison, "ko", at_estimate, platform_type="G2C").to_html()
    assert label("reg.caption.paper", "ko") in html
    assert label("reg.note.true_value", "ko") in html
    assert value_label("platform_type", "G2C", "ko") in html


def test_coefficient_display_has_footer_and_caption(checks):
    html = results.coefficient_display(checks["main"], "C2G", "ko").to_html()
    assert value_label("platform_type", "C2G", "ko") in html
    assert "<tfoot>" in html and label("stat.n_obs", "ko") in html
    basic = results.coefficient_display(checks["basic"], "G2C", "en").to_html()
    assert label("model_note.constant", "en") in basic


def test_vif_table_is_the_largest_per_type(checks):
    fits = checks["main"]
    table = results.vif_table(fits, "en")
    for t in TYPE_CODES:
        per_model = pd.concat(
            [models.vif(r).set_index("term")["vif"] for r in fits if r.spec.platform_type == t],
            axis=1,
        )
        col = table[value_label("platform_type", t, "en")]
        assert col[label("term.coop_metro", "en")] == pytest.approx(
            per_model.loc["coop_metro"].max()
        )
    platform_type, term, value = findings.largest_vif(fits)
    assert value == pytest.approx(table.to_numpy().max())
    assert (
        table.loc[label(f"term.{term}", "en"), value_label("platform_type", platform_type, "en")]
        == value
    )


def test_refit_without_a_control(frame, checks):
    full = checks["main"][0]
    reduced = findings.refit_without(frame, full.spec, "level_metro")
    assert "level_metro" not in reduced.terms
    assert set(reduced.terms) == set(full.terms) - {"level_metro"}
    table = results.shift_table(full, reduced, "en")
    np.testing.assert_allclose(
        table[label("reg.difference", "en")],
        table[label("reg.reduced_model", "en")] - table[label("reg.full_model", "en")],
    )
    with pytest.raises(ValueError, match="not a term"):
        findings.refit_without(frame, full.spec, "share_coop_metro")


def test_coop_metro_is_zero_for_metropolitan_rows(frame):
    table = results.coop_metro_by_level(frame, "en", "synthetic")
    share = table[label("reg.share_coop_metro", "en")]
    metro = [i for i in table.index if value_label("level", "metro", "en") in i]
    basic = [i for i in table.index if value_label("level", "basic", "en") in i]
    assert len(metro) == len(basic) == len(TYPE_CODES)
    assert (share[metro] == 0).all()
    assert (share[basic] > 0).all()


def test_coop_metro_table_suppresses_small_cells_with_real_data(frame):
    small = frame[(frame["level_metro"] == 0) | (frame["lg_code"].isin(["00", "01"]))]
    real = results.coop_metro_by_level(small, "en", "real")
    synthetic = results.coop_metro_by_level(small, "en", "synthetic")
    share = label("reg.share_coop_metro", "en")
    metro = [i for i in real.index if value_label("level", "metro", "en") in i]
    assert real.loc[metro, share].isna().all()
    assert synthetic.loc[metro, share].notna().all()


# --- tables moved from the models ------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_coefficient_table(checks, lang):
    fits = checks["main"]
    with pytest.raises(ValueError, match="platform_type"):
        results.coefficient_table(fits, lang)
    table = results.coefficient_table(fits, lang, platform_type="G2C")
    assert list(table.columns) == [label(f"outcome.{o}", lang) for o in OUTCOMES]
    assert list(table.index) == [
        *(label(f"term.{t}", lang) for t in models.MAIN_TERMS),
        label("term.Intercept", lang),
        label("stat.n_obs", lang),
        label("stat.r_squared", lang),
    ]
    g2c_dem = next(
        r for r in fits if r.spec.platform_type == "G2C" and r.spec.outcome == "democracy"
    )
    cell = table.loc[label("term.coop_private", lang), label("outcome.democracy", lang)]
    c = g2c_dem.term("coop_private")
    est, se = cell.split("\n")
    assert float(est.rstrip("*")) == pytest.approx(c["estimate"], abs=5e-4)
    assert se == f"({c['std_error']:.3f})"
    assert est.count("*") == len(models.stars(c["p_value"]))
    assert table.iloc[-2, 0] == str(g2c_dem.n_obs)
    assert float(table.iloc[-1, 0]) == pytest.approx(g2c_dem.r_squared, abs=5e-4)


def test_coefficient_table_marks_dropped_terms_and_notes_say_why(checks):
    fits = checks["basic"]
    table = results.coefficient_table(fits, "en", platform_type="C2C")
    row = table.loc[label("term.level_metro", "en")]
    assert (row == label("ui.dropped", "en")).all()
    note = results.table_note(fits, "en")
    assert "HC3" in note and "0.05" in note
    dropped = next(n for n in fits[0].notes if n.term == "level_metro")
    text = results.note_text(dropped, "en")
    assert text == f"{label('term.level_metro', 'en')}: {label('model_note.constant', 'en')}"
    assert results.note_text(models.Note("leverage_one"), "ko") == label(
        "model_note.leverage_one", "ko"
    )


def test_ordered_logit_tables_say_pseudo_r_squared(checks):
    table = results.coefficient_table(checks["ologit"], "en", platform_type="G2C")
    assert table.index[-1] == label("stat.pseudo_r_squared", "en")
    assert label("term.Intercept", "en") not in table.index


def test_compare_table_marks_findings_that_could_not_be_estimated(frame):
    metro = frame[frame["level_metro"] == 1]
    fits = [
        models.fit(metro, models.Spec("G2C", o, controls=("log_population",))) for o in OUTCOMES
    ]
    table = results.compare_table(models.compare_with_paper(fits), "ko")
    assert len(table) == len(models.PAPER_FINDINGS)
    assert label("agree.na", "ko") in set(table[label("ui.agrees", "ko")])


# --- sentences about the types ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "n", "first", "expected"),
    [
        ("en", 0, True, "Of the 20 coefficients of the five key predictors, none is significant"),
        ("en", 1, True, "Of the 20 coefficients of the five key predictors, 1 is significant"),
        ("en", 9, True, "Of the 20 coefficients of the five key predictors, 9 are significant"),
        ("en", 0, False, "Here none of the 20 key coefficients is significant at 5%."),
        ("en", 1, False, "Here 1 of 20 key coefficients is significant at 5%."),
        ("en", 6, False, "Here 6 of 20 key coefficients are significant at 5%."),
        ("ko", 0, False, "핵심 계수 20개 가운데 5% 수준에서 유의한 것은 없습니다."),
        ("ko", 1, False, "핵심 계수 20개 가운데 1개가 5% 수준에서 유의합니다."),
        ("ko", 9, True, "핵심 설명변수 다섯 개의 계수 20개 가운데 9개가 5% 수준에서 유의합니다."),
    ],
)
def test_significance_sentence(lang, n, first, expected):
    assert results.significance_sentence(n, 20, lang, first).startswith(expected)


def test_small_sample_sentence_reads_in_both_languages():
    en = results.small_sample_sentence("C2C", 71, 12, 3, "en")
    assert en == (
        "Few local governments run brokering platforms: 71 rows carry 12 parameters each, "
        "so the standard errors are the widest of the three types."
    )
    assert "1 row carries" in results.small_sample_sentence("C2C", 1, 12, 4, "en")
    ko = results.small_sample_sentence("C2C", 71, 12, 3, "ko")
    assert ko.startswith("민간역량중개형 플랫폼을 운영하는 지자체는 많지 않습니다. 71개 행으로")
    assert "세 유형 가운데" in ko


def test_type_numbers_count_each_types_key_coefficients(frame, checks):
    main = checks["main"]
    table = findings.type_numbers(frame, main)
    assert list(table["platform_type"]) == list(TYPE_CODES)
    for row in table.itertuples(index=False):
        key = models.tidy([r for r in main if r.spec.platform_type == row.platform_type])
        key = key[key["term"].isin(models.KEY_TERMS)]
        assert row.n_key == len(key) == len(OUTCOMES) * len(models.KEY_TERMS)
        assert row.n_significant == int((key["p_value"] < 0.05).sum())
        assert row.n_rows == int((frame["platform_type"] == row.platform_type).sum())
        assert row.key_se == pytest.approx(key["std_error"].median())


def type_table(rows, ses):
    return pd.DataFrame(
        {
            "platform_type": list(TYPE_CODES),
            "n_rows": rows,
            "n_key": 20,
            "n_significant": [9, 1, 6],
            "n_params": 12,
            "key_se": ses,
        }
    )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_type_texts_one_section_per_type(lang):
    texts = results.type_texts(type_table([178, 128, 71], [0.1, 0.15, 0.3]), lang)
    assert list(texts) == list(TYPE_CODES)
    for t, text in texts.items():
        assert text.startswith(f"### {results.type_heading(t, lang)}\n\n")
    first, second, last = texts.values()
    assert number_word(len(models.KEY_TERMS), lang) in first
    assert number_word(len(models.KEY_TERMS), lang) not in second
    assert results.small_sample_sentence("C2C", 71, 12, 3, lang) in last
    assert "71" not in first + second


def test_the_sample_sentence_needs_the_fewest_rows_and_the_widest_errors():
    texts = results.type_texts(type_table([178, 128, 71], [0.1, 0.35, 0.3]), "en")
    assert not any("Few local governments" in t for t in texts.values())
    texts = results.type_texts(type_table([178, 60, 71], [0.1, 0.35, 0.3]), "en")
    assert "Few local governments run policy-proposal platforms: 60" in texts["C2G"]


def test_a_fourth_type_adds_a_section(monkeypatch):
    table = type_table([178, 128, 71], [0.1, 0.15, 0.3])
    extra = table.iloc[[0]].assign(platform_type="NEW", n_rows=20, key_se=0.5)
    table = pd.concat([table, extra], ignore_index=True)
    real = results.label
    monkeypatch.setattr(
        results,
        "label",
        lambda key, lang: "new platforms" if key == "reg.platforms.NEW" else real(key, lang),
    )
    texts = results.type_texts(table, "en")
    assert list(texts) == [*TYPE_CODES, "NEW"]
    assert texts["NEW"].startswith("### New platforms (NEW)")
    assert "widest of the four types" in texts["NEW"]


def test_type_sections_show_each_types_table(frame, checks):
    sections = results.type_sections(frame, checks["main"], "ko")
    assert len(sections) == len(TYPE_CODES)
    for t, (text, table) in zip(TYPE_CODES, sections, strict=True):
        assert text.data.startswith(f"### {results.type_heading(t, 'ko')}")
        assert value_label("platform_type", t, "ko") in table.caption


def test_clauses_by_type(frame, checks):
    en = results.rows_by_type(frame, "en")
    n = [int((frame["platform_type"] == t).sum()) for t in TYPE_CODES]
    assert en == (
        f"{n[0]} rows for information platforms, {n[1]} for policy-proposal platforms "
        f"and {n[2]} for brokering platforms"
    )
    assert results.rows_by_type(frame, "ko") == (
        f"정보제공형은 {n[0]}행, 정책제안형은 {n[1]}행, 민간역량중개형은 {n[2]}행"
    )
    comparison = comparison_rows(
        [
            ("G2C", "coop_metro", "democracy", 0.4, 0.001, False),
            ("G2C", "coop_metro", "efficiency", 0.1, 0.30, True),
            ("C2C", "coop_private", "efficiency", 0.3, 0.02, True),
        ]
    )
    assert results.agreement_by_type(comparison, "en") == (
        "1 of 2 for information platforms and 1 of 1 for brokering platforms"
    )
    assert results.agreement_by_type(comparison, "ko") == (
        "정보제공형은 2개 가운데 1개, 민간역량중개형은 1개 가운데 1개"
    )
    tables = results.paper_displays(comparison, "en")
    assert [
        value_label("platform_type", t, "en") in x.caption
        for t, x in zip(("G2C", "C2C"), tables, strict=True)
    ] == [True, True]


# --- numbers for the prose --------------------------------------------------------------------


@pytest.fixture(scope="module")
def exercise(frame):
    full = models.fit(frame, models.Spec("G2C", "democracy"))
    reduced = findings.refit_without(frame, full.spec, "level_metro")
    se_fit = models.fit(frame, models.Spec("G2C", "convenience"))
    return {"shift": (full, reduced), "se_fit": se_fit}


def test_numbers(frame, checks, exercise):
    truth = truth_like(checks["main"], 0.0)
    numbers = results.numbers(frame, checks, truth, "en", **exercise)
    comparison = models.compare_with_paper(checks["main"])
    assert numbers["n_findings"][0] == len(comparison)
    assert numbers["n_agree"][0] == findings.agreement(comparison).n_agree
    for t in TYPE_CODES:
        assert numbers[f"n_{t}"][0] == (frame["platform_type"] == t).sum()
    assert numbers["rows_by_type"] == results.rows_by_type(frame, "en")
    assert numbers["n_cover"][0] == numbers["n_key"][0]  # the truth is our estimate
    assert numbers["n_nonzero"][0] + numbers["n_zero"][0] == numbers["n_key"][0]
    full, reduced = exercise["shift"]
    assert numbers["ex1_full"][0] == full.term("coop_metro")["estimate"]
    assert numbers["ex1_reduced"][0] == reduced.term("coop_metro")["estimate"]
    assert numbers["ex1_level"][0] == full.term("level_metro")["estimate"]
    se = findings.standard_errors(exercise["se_fit"])["ratio"]
    assert (numbers["ex3_ratio_low"][0], numbers["ex3_ratio_high"][0]) == (se.min(), se.max())
    for entry in numbers.values():
        if isinstance(entry, tuple):
            format(*entry)  # every format spec fits its value


def test_numbers_have_the_same_keys_in_both_languages_and_without_truth(frame, checks, exercise):
    en = results.numbers(frame, checks, truth_like(checks["main"], 0.0), "en", **exercise)
    ko = results.numbers(frame, checks, None, "ko", **exercise)
    assert set(ko) == set(en)
    assert ko["n_cover"] == label("reg.not_applicable", "ko")
    assert ko["vif_type"] in {value_label("platform_type", t, "ko") for t in TYPE_CODES}


def test_numbers_refuse_an_exercise_that_drops_no_term(frame, checks, exercise):
    full, _ = exercise["shift"]
    with pytest.raises(ValueError, match="one term"):
        results.numbers(frame, checks, None, "en", shift=(full, full), se_fit=full)


# --- many tests at once; activation tested jointly ----------------------------------------------


def test_multiplicity_table_shows_each_findings_three_p_values(checks):
    from platformgov.analysis import multiplicity

    main = checks["main"]
    comparison = models.compare_with_paper(main)
    adjusted = multiplicity.with_adjusted(comparison, multiplicity.adjusted_p_values(main))
    for lang in ("ko", "en"):
        table = results.multiplicity_table(adjusted, lang)
        assert len(table) == len(comparison)
        holm = table[label("reg.p_holm", lang)]
        assert list(holm) == [results._fmt_p(p) for p in adjusted["p_holm"]]
        agrees = table[label("reg.agrees_by_rule", lang)].str.split(" / ")
        assert all(len(cell) == 3 for cell in agrees)
    assert results._fmt_p(0.0004) == "<0.001"
    assert results._fmt_p(0.0123) == "0.012"


def test_activation_joint_table_has_a_row_per_model(frame, checks):
    from platformgov.analysis import multiplicity

    joint = multiplicity.activation_joint(frame, checks["main"])
    table = results.activation_joint_table(joint, "en")
    assert len(table) == len(checks["main"])
    assert table.columns[0] == label("reg.wald_chi2", "en").format(df=2)
    html = results.activation_joint_display(joint, "ko").to_html()
    assert label("reg.caption.activation_joint", "ko") in html


def test_multiplicity_numbers_follow_the_adjusted_p_values(frame, checks, exercise):
    from platformgov.analysis import multiplicity

    numbers = results.numbers(frame, checks, None, "en", **exercise)
    adjusted = multiplicity.adjusted_p_values(checks["main"])
    assert numbers["mult_n_key"][0] == len(adjusted)
    holm, bh = ((adjusted[c] < models.ALPHA).sum() for c in ("p_holm", "q_bh"))
    assert f" {holm:,d} after Holm's correction and {bh:,d} after" in numbers["mult_counts"]
    joint = multiplicity.activation_joint(frame, checks["main"])
    assert numbers["joint_n_sig"][0] == (joint["wald_p"] < models.ALPHA).sum()
    effects = results.new_domain_sentence(
        int((joint["p_value"] < models.ALPHA).sum()), len(joint), "en"
    )
    assert numbers["joint_effect_sentence"] == effects


def test_families_clause_and_only_jointly_sentence(checks):
    from platformgov.analysis import multiplicity

    adjusted = multiplicity.adjusted_p_values(checks["main"])
    n = len(OUTCOMES) * len(models.KEY_TERMS)
    en = results.families_clause(adjusted, ["G2C", "C2C"], "en")
    assert en == (
        f"the {n} key coefficients of {label('reg.platforms.G2C', 'en')} and "
        f"the {n} key coefficients of {label('reg.platforms.C2C', 'en')}"
    )
    ko = results.families_clause(adjusted, ["G2C"], "ko")
    assert ko == f"{label('reg.platforms.G2C', 'ko')}의 핵심 계수 {n}개"
    assert results.only_jointly_sentence(1, "en").startswith("In 1 model neither")
    assert results.only_jointly_sentence(2, "en").startswith("In 2 models neither")
    assert results.only_jointly_sentence(0, "en").startswith("No model")
    assert results.only_jointly_sentence(3, "ko").startswith("3개 모형에서는")


def test_new_domain_sentence_reads_naturally_at_zero():
    assert results.new_domain_sentence(0, 12, "en") == "It is significant in none of the 12 models."
    assert results.new_domain_sentence(2, 12, "en") == "It is significant in 2 of the 12 models."
    assert "하나도 없습니다" in results.new_domain_sentence(0, 12, "ko")
    assert (
        results.new_domain_sentence(2, 12, "ko") == "이 효과는 12개 모형 가운데 2개에서 유의합니다."
    )


# --- are the types different? --------------------------------------------------------------


def equality_rows(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    """An equality-test frame from (term, outcome, test, p_value) tuples."""
    return pd.DataFrame(
        [
            {
                "outcome": o,
                "term": t,
                "test": test,
                "types": ",".join(TYPE_CODES),
                "statistic": 2.0,
                "df_num": 2 if test == "equal" else 1,
                "df_denom": 99,
                "p_value": p,
            }
            for t, o, test, p in rows
        ]
    )


def test_equality_numbers_count_the_tests():
    frame = pd.DataFrame({"lg_code": ["1", "1", "2", "3", "3"], "platform_type": list("ABABC")})
    tests = equality_rows(
        [
            ("coop_metro", "democracy", "equal", 0.01),
            ("coop_metro", "democracy", "within", 0.40),
            ("coop_metro", "democracy", "between", 0.001),
            ("coop_private", "democracy", "equal", 0.30),
            ("coop_private", "democracy", "within", 0.02),
            ("coop_private", "democracy", "between", 0.01),
            ("diversity", "efficiency", "equal", 0.049),
            ("diversity", "efficiency", "within", 0.01),
            ("diversity", "efficiency", "between", 0.60),
        ]
    )
    en = results.equality_numbers(frame, tests, "en")
    assert en["n_lg_multi"][0] == 2
    # Two of three pairs differ (equal p < 0.05); one shows the paper's pattern.
    assert en["eq_sentence"] == results.equal_slopes_sentence(3, 2, 1, "en")
    assert "**2 of the 3 predictor × outcome pairs differ" in en["eq_sentence"]
    ko = results.equality_numbers(frame, tests, "ko")
    assert set(ko) == set(en) and ko["eq_others"].endswith(("은", "는"))


def test_equality_table_shows_each_test_with_its_p_value():
    tests = equality_rows(
        [
            ("coop_metro", "democracy", "equal", 0.0004),
            ("coop_metro", "democracy", "within", 0.40),
            ("coop_metro", "democracy", "between", 0.02),
        ]
    )
    table = results.equality_table(tests, "en")
    assert list(table.index) == [label("term.coop_metro", "en")]
    row = table.iloc[0].tolist()
    assert row[0] == label("outcome.democracy", "en")
    assert row[1:] == ["2.00***\n(< 0.001)", "2.00\n(0.400)", "2.00*\n(0.020)"]
    html = results.equality_display(tests, "ko").to_html()
    assert label("reg.caption.equality", "ko") in html


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_tails_sentence_states_both_shares_and_a_verdict(lang):
    from platformgov.analysis import simulation

    def tails(covers, false_positives):
        return simulation.DrawTails(
            n_surveys=2000,
            n_key=60,
            n_zero=40,
            covers=np.asarray(covers),
            false_positives=np.asarray(false_positives),
            observed_covers=51,
            observed_false_positives=6,
        )

    unusual = results.tails_sentence(tails([51] * 8 + [57] * 1992, [1] * 2000), lang)
    ordinary = results.tails_sentence(tails([51] * 1000 + [57] * 1000, [6] * 2000), lang)
    assert "0.4%" in unusual and "0.0%" in unusual and "2,000" in unusual
    assert "50.0%" in ordinary and "100.0%" in ordinary
    assert unusual != ordinary
    if lang == "en":
        assert "is an unusual draw" in unusual and "is not an unusual draw" in ordinary


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_agree_range_says_one_count_when_the_checks_agree(lang):
    same = results.agree_range_sentence(10, 10, 18, 4, lang)
    spread = results.agree_range_sentence(9, 11, 18, 4, lang)
    assert "10" in same and "9" not in same
    assert "9" in spread and "11" in spread
    if lang == "en":
        assert same == "In each of the four specifications, 10 of the 18 findings agree."
        assert (
            spread == "Across the four specifications, between 9 and 11 of the 18 findings agree."
        )
    else:
        assert same.startswith("네 모형 모두에서") and "9~11개" in spread


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_equal_slopes_sentence_reads_for_none_one_and_many(lang):
    none = results.equal_slopes_sentence(20, 0, 0, lang)
    one = results.equal_slopes_sentence(20, 1, 1, lang)
    many = results.equal_slopes_sentence(20, 7, 4, lang)
    for text in (none, one, many):
        assert "20" in text and "1.0" in text  # 5% of 20 pairs by chance
        assert not re.search(r"(?<![\d,.])0(?:쌍| [a-z])", text), text
    assert "7" in many and "4" in many
    if lang == "en":
        assert none.startswith("**None of the 20 predictor × outcome pairs differs significantly")
        assert "In none of the 20 pairs is the pattern the paper's" in none
        assert one.startswith("**1 of the 20 predictor × outcome pairs differs significantly")
        assert many.startswith("**7 of the 20 predictor × outcome pairs differ significantly")
        assert "In 4 of the 20 pairs the pattern is the paper's" in many
    else:
        assert "유의하게 다른 쌍은 없습니다**" in none and "평균과 다른 쌍은 없습니다" in none
        assert "**설명변수 × 성과 차원 20쌍 가운데 7쌍이 유형 사이에 유의하게 다릅니다**" in many
        assert "20쌍 가운데 4쌍은 논문의 해석과 같은 모습입니다" in many


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_corrections_sentence_reads_for_none_one_and_many(lang):
    many = results.corrections_sentence(60, (12, 5, 8), 18, (10, 4, 6), lang)
    for n in ("60", "12", "5", "8", "18", "10", "4", "6"):
        assert n in many
    if lang == "en":
        assert "12 are significant without correction" in many and "10 agree without" in many
        one = results.corrections_sentence(60, (1, 0, 0), 18, (1, 0, 0), lang)
        assert "one is significant" in one and "one agrees" in one
        none = results.corrections_sentence(60, (0, 0, 0), 18, (0, 0, 0), lang)
        assert "none is significant" in none and "none agrees" in none
