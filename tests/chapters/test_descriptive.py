import numpy as np
import pandas as pd
import pytest
from factories import make_registry, make_survey

from platformgov.analysis import descriptive, privacy
from platformgov.chapters import descriptive as chapter
from platformgov.labels import label, value_label
from platformgov.vocabulary import MIN_ITEMS

LANGS = ("ko", "en")


@pytest.fixture
def survey():
    return make_survey()


@pytest.fixture
def registry():
    return make_registry()


@pytest.fixture
def overview(survey, registry):
    return descriptive.adoption_overview(survey, registry)


def test_reliability_table_formats_alpha_and_complete_rows(survey):
    table = chapter.reliability_table(descriptive.reliability(survey), "ko")
    assert table.caption == label("desc.caption_alpha", "ko")
    g2c = table.frame[value_label("platform_type", "G2C", "ko")]
    # G2C convenience items agree perfectly across the three raters: alpha is 1
    assert g2c[value_label("outcome", "convenience", "ko")] == "1.00 (3)"
    # only two raters answered all democracy items
    assert g2c[value_label("outcome", "democracy", "ko")].endswith("(2)")
    # no C2C ratings at all: no alpha, and zero complete rows
    c2c = table.frame[value_label("platform_type", "C2C", "ko")]
    assert c2c[value_label("outcome", "democracy", "ko")] == "(0)"


@pytest.mark.parametrize("lang", LANGS)
def test_adoption_tables_are_labelled(overview, lang):
    table = chapter.adoption_table(overview, "synthetic", lang)
    assert table.caption == label("desc.caption_adoption", lang)
    assert label("sample.all", lang) in table.frame.index
    assert value_label("kind", "gun", lang) in table.frame.index
    assert value_label("platform_type", "C2C", lang) in table.frame.columns
    html = table.to_html()
    assert "nan" not in html.lower().replace("nanum", "")
    counts = chapter.platform_count_table(overview, "synthetic", lang)
    gun = counts.frame.loc[value_label("kind", "gun", lang)]
    assert gun[value_label("platform_type", "C2C", lang)] == "0.5 (0.5)"


def test_tables_blank_small_groups_only_for_real_data(overview, survey, registry):
    col = value_label("platform_type", "G2C", "en")
    seoul = value_label("kind", "special_city", "en")  # one responding government
    synthetic = chapter.adoption_table(overview, "synthetic", "en")
    assert synthetic.frame.loc[seoul, col] == 100.0
    assert label("desc.note_suppressed", "en").split("{")[0] not in synthetic.note
    with pytest.raises(ValueError, match="no disclosure mask"):
        chapter.adoption_table(overview.drop(columns="blank_G2C"), "real", "en")
    overview = descriptive.adoption_overview(survey, registry, kind="real")
    real = chapter.adoption_table(overview, "real", "en")
    assert real.frame.loc[seoul, col] is None
    assert real.frame.loc[seoul, label("desc.n_respondents", "en")] == 1  # the count stays
    assert real.frame.loc[label("sample.all", "en"), col] is not None
    assert str(privacy.MIN_CELL) in real.note and str(privacy.SMALL_GROUP) in real.note
    counts = chapter.platform_count_table(overview, "real", "en")
    assert counts.frame.loc[seoul, col] == ""


def test_scale_table_gives_mean_sd_and_raters():
    frame = pd.DataFrame(
        {
            "platform_type": ["G2C", "G2C", "G2C", "C2G"],
            "democracy": [2.0, 4.0, np.nan, 3.0],
            "efficiency": [1.0, 2.0, 3.0, 3.0],
            "service_quality": [3.0, 3.0, 3.0, 3.0],
            "convenience": [5.0, 4.0, 3.0, 2.0],
        }
    )
    table = chapter.scale_table(descriptive.scale_summary(frame), "en", min_items=2)
    democracy = table.frame.loc[value_label("outcome", "democracy", "en")]
    assert democracy.iloc[0] == "3.00 (1.41)"
    assert democracy.iloc[1] == "3.00"  # one value: no SD
    assert table.frame.loc[label("desc.n_rated", "en")].tolist() == [3, 1, 0]
    assert table.footer_rows == 1
    assert table.note == label("desc.note_scales", "en").format(k=2)
    assert "nan" not in table.to_html()
    default = chapter.scale_table(descriptive.scale_summary(frame), "ko")
    assert default.note == label("desc.note_scales", "ko").format(k=MIN_ITEMS)


# --- sentences -------------------------------------------------------------------------------


def test_extremes_sentence_reads_for_none_one_and_many():
    assert chapter.extremes_sentence(126, 23, 10, "en") == (
        "126 responding governments run no brokering platform at all, while 23 run 10 or more"
        " information platforms."
    )
    one = chapter.extremes_sentence(1, 1, 4, "en")
    assert one.startswith("1 responding government runs no brokering")
    assert ", while 1 runs 4 or more" in one
    none = chapter.extremes_sentence(0, 0, 4, "en")
    assert none.startswith("Every responding government runs at least one brokering platform")
    assert "while none runs 4 or more" in none
    ko = chapter.extremes_sentence(1234, 0, 10, "ko")
    assert "1,234곳이고" in ko and ko.endswith("0곳입니다.")


def test_reached_clause_agrees_with_the_count():
    assert chapter.reached_clause(1, 12, "en") == "1 of the 12 values reaches it"
    assert chapter.reached_clause(3, 12, "en") == "3 of the 12 values reach it"
    assert chapter.reached_clause(0, 12, "en") == "none of the 12 values reaches it"
    assert chapter.reached_clause(3, 12, "ko") == "12개 가운데 3개가 이 기준선 이상입니다"


def test_no_data_clause_agrees_with_the_count():
    assert chapter.no_data_clause(46, 228, "en") == (
        "46 of the 228 areas have no response and are hatched in grey"
    )
    assert chapter.no_data_clause(1, 17, "en") == (
        "1 of the 17 areas has no response and is hatched in grey"
    )
    assert chapter.no_data_clause(0, 17, "en") == "all 17 areas have a response"
    assert chapter.no_data_clause(0, 17, "ko") == "지도 17개 지역 모두 응답이 있습니다"
    assert chapter.no_data_clause(2, 17, "ko").startswith("지도 17개 지역 가운데 2곳은")


# --- numbers ---------------------------------------------------------------------------------


def page_numbers(survey, registry, lang):
    overview = descriptive.adoption_overview(survey, registry)
    alphas = descriptive.reliability(survey)
    frame = pd.DataFrame(
        {
            "platform_type": ["G2C", "G2C", "C2G", "C2C"],
            "level_metro": [1, 0, 0, 0],
            "coop_metro": [0.0, 1.0, 0.0, 1.0],
            **{o: [3.0, 4.0, 2.0, 5.0] for o in ("democracy", "efficiency")},
            **{o: [2.0, 2.0, 4.0, 1.0] for o in ("service_quality", "convenience")},
        }
    )
    gun = descriptive.respondents(survey, registry).query("kind == 'gun'")
    exercises = {
        "gun": gun,
        "without": {"conv_1": 0.2, "conv_2": 0.5, "conv_3": 0.1},
        "metro_all": frame.groupby("platform_type")["coop_metro"].mean(),
        "metro_basic": frame[frame["level_metro"] == 0]
        .groupby("platform_type")["coop_metro"]
        .mean(),
    }
    return chapter.numbers(
        survey,
        registry,
        overview=overview,
        counts=descriptive.count_distribution(survey, registry, cap=2),
        coop=descriptive.cooperation(survey, registry),
        agreement=descriptive.agreement(survey),
        scales=descriptive.scale_summary(frame),
        alphas=alphas,
        map_values=descriptive.map_values(survey, registry, "n_platforms"),
        exercises=exercises,
        lang=lang,
    )


def test_numbers_have_the_same_names_in_both_languages(survey, registry):
    ko, en = (page_numbers(survey, registry, lang) for lang in LANGS)
    assert ko.keys() == en.keys()
    for name, entry in en.items():
        assert isinstance(entry, tuple) == isinstance(ko[name], tuple), name


def test_numbers_on_the_small_survey(survey, registry):
    n = page_numbers(survey, registry, "en")
    # 10 governments in the registry, 7 respond; 2 of the 4 광역 and 5 of the 6 기초
    assert n["n_governments"] == (10, ",d") and n["n_respondents"] == (7, ",d")
    assert n["response_rate"] == (pytest.approx(70.0), ".1f")
    assert (n["n_resp_metro"][0], n["n_gov_metro"][0]) == (2, 4)
    assert (n["n_resp_basic"][0], n["n_gov_basic"][0]) == (5, 6)
    assert n["n_platforms_all"][0] == n["n_platforms_operating"][0] + n["n_platforms_suspended"][0]
    assert n["cap"] == (2, "d")
    # 3 of the 7 respondents run 2 or more G2C platforms; 5 run no C2C platform
    assert n["extremes"].startswith("5 responding governments run no brokering")
    assert "while 2 run 2 or more" in n["extremes"]
    assert n["n_metro_hidden"] == "2 metropolitan governments"  # 서울 and 경북; 세종, 제주 shown
    assert n["alpha_reference"] == "0.7"
    assert n["ex_gun_n"] == (2, ",d") and n["ex_gun_c2c"][0] == pytest.approx(50.0)
    assert n["ex_drop_item"] == f"“{label('conv_2', 'en')}”"
    assert n["ex_drop_alpha"] == (0.5, ".2f")
    assert n["ex_metro_all"][0] == pytest.approx(50.0)
    assert n["ex_metro_basic"][0] == pytest.approx(100.0)
    assert n["top_outcome_G2C"] == value_label("outcome", "democracy", "en")
    assert n["low_outcome_C2C"] == value_label("outcome", "service_quality", "en")
    assert n["coop_C2G_private_platforms"] == chapter.BLANK  # no C2G platform answered


def test_korean_numbers_carry_their_particles(survey, registry):
    n = page_numbers(survey, registry, "ko")
    assert n["alpha_reference"] == "0.7을"  # 칠
    assert n["ex_drop_item"] == f"“{label('conv_2', 'ko')}”을"  # 사용 용이성
    assert n["n_metro_hidden"] == "2곳"
