import math

import numpy as np
import pandas as pd
import pytest
from factories import (
    PLATFORM_ROWS,
    RESPONDENTS,
    make_registry,
    make_survey,
)

from platformgov.analysis import descriptive, privacy
from platformgov.vocabulary import ITEMS, PARTNERS, TYPE_CODES


@pytest.fixture
def survey():
    return make_survey()


@pytest.fixture
def registry():
    return make_registry()


def test_respondents_count_operating_platforms_only(survey, registry):
    resp = descriptive.respondents(survey, registry)
    assert list(resp.index) == sorted(RESPONDENTS)
    assert resp.loc["11", ["G2C", "C2G", "C2C", "total"]].tolist() == [2, 0, 0, 2]
    assert resp.loc["11140", ["G2C", "C2C", "total"]].tolist() == [0, 1, 1]  # G2C suspended
    assert resp.loc["47830", "total"] == 0
    assert resp.loc["11110", "level"] == "basic" and resp.loc["47820", "kind"] == "gun"


def test_respondents_partner_any_none_and_unknown(survey, registry):
    resp = descriptive.respondents(survey, registry)
    assert resp.loc["11", "coop_central"] == 1
    assert np.isnan(resp.loc["11", "coop_metro"])  # 광역 were not asked
    assert resp.loc["11110", "coop_metro"] == 1
    assert resp.loc["11110", "coop_private"] == 0  # answers: missing, 0, missing
    assert np.isnan(resp.loc["11170", "coop_private"])  # its only platform did not answer
    assert resp.loc["47830", ["coop_central", "coop_private"]].tolist() == [0, 0]  # runs none


def test_respondents_reject_unknown_codes_and_stray_platforms(survey, registry):
    with pytest.raises(ValueError, match="99999"):
        descriptive.respondents(make_survey(organisations=(*RESPONDENTS, "99999")), registry)
    with pytest.raises(ValueError, match="11200"):
        stray = (*PLATFORM_ROWS, ("P00099", "11200", "G2C", "operating", 0, 0, 0))
        descriptive.respondents(make_survey(platform_rows=stray), registry)
    with pytest.raises(ValueError, match="sido_code"):
        descriptive.respondents(survey, registry.drop(columns="sido_code"))


def test_adoption_by_level(survey, registry):
    a = descriptive.adoption(survey, registry, "level")
    assert list(a.index) == ["metro", "basic"]  # label-table order
    metro, basic = a.loc["metro"], a.loc["basic"]
    assert (metro["n_governments"], metro["n_respondents"]) == (4, 2)
    assert metro["response_rate"] == pytest.approx(2 / 4)
    assert (metro["share_G2C"], metro["share_C2C"]) == (1.0, 0.0)  # 서울's C2C is suspended
    assert (basic["n_governments"], basic["n_respondents"]) == (6, 5)
    for t in ("G2C", "C2G", "C2C"):
        assert basic[f"share_{t}"] == pytest.approx(2 / 5)
    assert basic["mean_G2C"] == pytest.approx((2 + 0 + 0 + 1 + 0) / 5)
    assert basic["median_G2C"] == 0


def test_adoption_all_kind_and_bad_grouping(survey, registry):
    everyone = descriptive.adoption(survey, registry)
    assert list(everyone.index) == ["all"]
    assert everyone.loc["all", "n_respondents"] == len(RESPONDENTS)
    gun = descriptive.adoption(survey, registry, "kind").loc["gun"]
    assert gun["share_C2C"] == pytest.approx(1 / 2)
    assert "si" not in descriptive.adoption(survey, registry, "kind").index  # no 시 here
    with pytest.raises(ValueError, match="by must be"):
        descriptive.adoption(survey, registry, "sido")


def test_adoption_overview_stacks_all_groupings(survey, registry):
    ov = descriptive.adoption_overview(survey, registry)
    assert list(ov.index.get_level_values("grouping").unique()) == ["all", *descriptive.GROUPINGS]
    by_level = ov.loc["level"]
    assert by_level["n_respondents"].sum() == ov.loc[("all", "all"), "n_respondents"]


def test_count_distribution_caps_the_tail(survey, registry):
    dist = descriptive.count_distribution(survey, registry, cap=1)
    assert dist["G2C"].tolist() == [3, 4]  # zero: 11140, 11170, 47830
    assert (dist.sum() == len(RESPONDENTS)).all()
    assert descriptive.count_distribution(survey, registry, cap=2)["G2C"].tolist() == [3, 2, 2]
    with pytest.raises(ValueError):
        descriptive.count_distribution(survey, registry, cap=0)


def test_count_distribution_pools_small_counts_when_the_data_are_real(
    survey, registry, monkeypatch
):
    synthetic = descriptive.count_distribution(survey, registry, cap=10, kind="synthetic")
    assert len(synthetic) == 11
    real = descriptive.count_distribution(survey, registry, cap=10, kind="real")
    assert len(real) == 2  # pooled as far as it goes
    assert not ((real > 0) & (real < privacy.MIN_CELL)).any().any()
    # what pooling cannot mend is blanked, and never alone in its column (the total is known)
    assert real["G2C"].tolist() == [3, 4]
    assert real["C2G"].isna().all() and real["C2C"].isna().all()
    # A larger survey: 3 governments run each count 0…4 and 1 government runs 9.
    fake = pd.DataFrame({t: [*sorted(list(range(5)) * 3), 9] for t in descriptive.TYPE_CODES})
    monkeypatch.setattr(descriptive, "respondents", lambda survey, registry: fake)
    pooled = descriptive.count_distribution(survey, registry, cap=10, kind="real")
    assert pooled.index.tolist() == [0, 1, 2, 3, 4]
    assert pooled["G2C"].tolist() == [3, 3, 3, 3, 4]  # "4 or more" holds the 9


def coop_row(coop, t, partner):
    return coop[(coop["platform_type"] == t) & (coop["partner"] == partner)].iloc[0]


def test_cooperation_shares_of_platforms_and_governments(survey, registry):
    coop = descriptive.cooperation(survey, registry)
    assert len(coop) == len(TYPE_CODES) * len(PARTNERS)
    r = coop_row(coop, "G2C", "central")
    assert (r["n_platforms"], r["share_platforms"]) == (6, pytest.approx(1 / 6))
    assert (r["n_governments"], r["share_governments"]) == (4, pytest.approx(1 / 4))
    r = coop_row(coop, "G2C", "private")
    assert (r["n_platforms"], r["share_platforms"]) == (5, pytest.approx(2 / 5))
    assert r["share_governments"] == pytest.approx(2 / 4)
    r = coop_row(coop, "C2C", "private")  # 서울's suspended C2C platform is left out
    assert (r["n_platforms"], r["share_platforms"]) == (2, pytest.approx(1 / 2))


def test_metropolitan_partner_counts_basic_governments_only(survey, registry):
    r = coop_row(descriptive.cooperation(survey, registry), "G2C", "metro")
    # 11's second platform says 1 but 서울 is a 광역; basic: 1, 0 (11110) and 1 (47820)
    assert (r["n_platforms"], r["share_platforms"]) == (3, pytest.approx(2 / 3))
    assert (r["n_governments"], r["share_governments"]) == (2, 1.0)


def test_cooperation_without_answers_is_missing_not_zero(survey, registry):
    r = coop_row(descriptive.cooperation(survey, registry), "C2G", "private")
    assert r["n_platforms"] == 0 and np.isnan(r["share_platforms"])
    assert r["n_governments"] == 0 and np.isnan(r["share_governments"])


def test_likert_shares(survey):
    shares = descriptive.likert_shares(survey)
    points = list(descriptive.likert_points())
    assert points == [1, 2, 3, 4, 5]
    assert len(shares) == len(TYPE_CODES) * len(ITEMS)
    g = shares[(shares["platform_type"] == "G2C")].set_index("item")
    assert g.loc["dem_1", "n_answered"] == 2 and g.loc["dem_1", "n_rated"] == 3
    assert g.loc["dem_1", [4, 5]].tolist() == [0.5, 0.5]
    assert g.loc["conv_1", [1, 2]].tolist() == [pytest.approx(2 / 3), pytest.approx(1 / 3)]
    answered = shares[shares["n_answered"] > 0]
    assert np.allclose(answered[points].sum(axis=1), 1.0)
    c2c = shares[shares["platform_type"] == "C2C"]
    assert (c2c["n_answered"] == 0).all() and (c2c[points].to_numpy() == 0).all()


def test_agreement_pools_all_items(survey):
    a = descriptive.agreement(survey)
    assert list(a.index) == list(TYPE_CODES)
    # C2G: one rater; dem 1, 2, 3 and nine 3s -> 2 of 12 below the middle, 10 at it
    assert a.loc["C2G", "n_answers"] == 12
    assert a.loc["C2G", ["disagree", "neutral", "agree"]].tolist() == pytest.approx(
        [2 / 12, 10 / 12, 0]
    )
    # G2C: 35 answers (one missing); 4s and 5s: 6 (11) + 3 (11110) + 0 (47820)
    assert a.loc["G2C", "n_answers"] == 35
    assert a.loc["G2C", "agree"] == pytest.approx(9 / 35)
    assert np.isnan(a.loc["C2C", "agree"]) and a.loc["C2C", "n_answers"] == 0


def test_scale_summary():
    frame = pd.DataFrame(
        {
            "platform_type": ["G2C", "G2C", "G2C", "C2G"],
            "democracy": [2.0, 4.0, np.nan, 3.0],
            "efficiency": [1.0, 2.0, 3.0, 3.0],
            "service_quality": [3.0, 3.0, 3.0, 3.0],
            "convenience": [5.0, 4.0, 3.0, 2.0],
        }
    )
    s = descriptive.scale_summary(frame).set_index(["platform_type", "outcome"])
    dem = s.loc[("G2C", "democracy")]
    assert (dem["mean"], dem["n"], dem["n_rated"]) == (3.0, 2, 3)
    assert dem["sd"] == pytest.approx(math.sqrt(2))
    assert np.isnan(s.loc[("C2G", "democracy"), "sd"])  # one value
    assert s.loc[("C2C", "democracy"), "n"] == 0


def test_map_units_are_basic_governments_and_lone_metros(registry):
    assert descriptive.map_units(registry) == sorted(
        ["11110", "11140", "11170", "11200", "36", "47820", "47830", "50"]
    )


def test_map_values_per_government_for_synthetic_data(survey, registry):
    v = descriptive.map_values(survey, registry, "n_platforms").set_index("code")
    assert v.attrs == {"level": "unit", "measure": "n_platforms"}
    assert v.loc["11110", "value"] == 3 and v.loc["36", "value"] == 1
    assert v.loc["47830", "state"] == "shown" and v.loc["47830", "value"] == 0
    assert v.loc["11200", "state"] == "no_data" and np.isnan(v.loc["11200", "value"])
    assert v.loc["50", "state"] == "no_data"
    p = descriptive.map_values(survey, registry, "coop_private").set_index("code")
    assert p.loc["11140", "value"] == 1 and p.loc["11110", "value"] == 0
    assert p.loc["11170", "state"] == "no_data"  # responded, but no partner answer
    with pytest.raises(ValueError, match="measure"):
        descriptive.map_values(survey, registry, "coop_metro")


def test_map_values_aggregate_to_metro_areas_for_real_data(survey, registry, monkeypatch):
    monkeypatch.setattr(privacy, "MIN_CELL", 3)
    v = descriptive.map_values(survey, registry, "n_platforms", kind="real")
    assert v.attrs["level"] == "metro"
    assert sorted(v["code"]) == ["11", "36", "47", "50"]  # no 시군구 at all
    v = v.set_index("code")
    # 서울 area: 11 (2), 11110 (3), 11140 (1), 11170 (1)
    assert v.loc["11", "n"] == 4 and v.loc["11", "state"] == "shown"
    assert v.loc["11", "value"] == pytest.approx(7 / 4)
    assert v.loc["36", "n"] == 1 and v.loc["36", "state"] == "suppressed"
    assert np.isnan(v.loc["36", "value"])
    assert v.loc["50", "n"] == 0 and v.loc["50", "state"] == "no_data"
    p = descriptive.map_values(survey, registry, "coop_private", kind="real").set_index("code")
    # 11170 has no answer: 서울 area is 11 (1), 11110 (0), 11140 (1)
    assert p.loc["11", "n"] == 3 and p.loc["11", "value"] == pytest.approx(2 / 3)
    monkeypatch.setattr(privacy, "MIN_CELL", 4)
    p = descriptive.map_values(survey, registry, "coop_private", kind="real").set_index("code")
    assert p.loc["11", "state"] == "suppressed" and np.isnan(p.loc["11", "value"])


def test_published_blanks_small_groups_of_the_real_survey(survey, registry):
    overview = descriptive.adoption_overview(survey, registry)
    assert descriptive.published(overview, "synthetic") is overview
    assert not overview.filter(like="blank_").any().any()
    overview = descriptive.adoption_overview(survey, registry, kind="real")
    real = descriptive.published(overview, "real")
    seoul = ("kind", "special_city")  # one responding government
    assert real.loc[seoul, "share_G2C"] is None and real.loc[seoul, "n_respondents"] == 1
    assert real.loc[("all", "all"), "share_G2C"] == overview.loc[("all", "all"), "share_G2C"]


def test_source_defaults_to_the_survey(registry):
    real = make_survey()
    real.kind = "real"
    assert descriptive.map_values(real, registry, "n_platforms").attrs["level"] == "metro"
    assert descriptive.map_level("synthetic") == "unit"
