import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from factories import with_control_columns

from platformgov import vocabulary
from platformgov.analysis import measures
from platformgov.inputs.codebook import columns
from platformgov.paths import REGISTRY, SYNTHETIC
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

NA = None

REGISTRY_ROWS = [
    # code, level, kind, region, population_2020, share_basic_pension_2020
    ("11", "metro", "special_city", "capital", 9_600_000, 0.16),
    ("11110", "basic", "gu", "capital", 140_000, 0.19),
    ("41110", "basic", "si", "capital", 1_190_000, 0.12),
    ("47820", "basic", "gun", "yeongnam", 42_000, 0.38),
]

PLATFORM_ROWS = [
    # id, lg, type, domain, status, central, metro, private
    ("P00001", "11110", "G2C", "open_data", "operating", 0, 1, NA),
    ("P00002", "11110", "G2C", "welfare", "operating", 0, 0, 0),
    ("P00003", "11110", "G2C", "open_data", "operating", NA, NA, 1),
    ("P00004", "11110", "G2C", "economy", "suspended", 1, 1, 1),
    ("P00005", "11110", "C2G", "participation", "operating", NA, NA, NA),
    ("P00006", "11", "G2C", "open_data", "operating", 1, NA, 0),
    ("P00007", "11", "G2C", "transport_safety", "operating", 1, 1, 1),
    ("P00008", "11", "C2C", "economy", "suspended", 1, NA, 1),
    ("P00009", "41110", "C2C", "economy", "operating", 0, 0, 1),
    ("P00010", "41110", "C2C", "economy", "operating", 0, 1, 0),
    ("P00011", "47820", "G2C", "culture_tourism", "operating", 0, 0, 0),
    ("P00012", "47820", "C2G", "participation", "operating", 1, 1, 1),
]

PERFORMANCE_ROWS = [
    # lg, type, dem_1..3, eff_1..3, qual_1..3, conv_1..3
    ("11110", "G2C", (4, 5, 3), (2, NA, 4), (NA, NA, 5), (1, 2, 2)),
    ("11110", "C2G", (3, 3, 3), (5, 4, NA), (2, 2, 2), (NA, NA, NA)),
    ("11", "G2C", (4, 4, 4), (4, 4, 4), (4, 4, 4), (4, 4, 4)),
    ("11", "C2C", (5, 5, 4), (3, 3, 3), (3, 3, 3), (3, 3, 3)),
    ("41110", "C2C", (2, 2, 2), (2, 2, 2), (2, 2, 2), (2, 2, 2)),
    ("47820", "G2C", (1, 1, 1), (1, 1, 1), (1, 1, 1), (1, 1, 1)),
]


def make_registry() -> pd.DataFrame:
    return with_control_columns(
        pd.DataFrame(
            REGISTRY_ROWS,
            columns=[
                "code",
                "level",
                "kind",
                "region",
                "population_2020",
                "share_basic_pension_2020",
            ],
        )
    )


def make_survey(performance_rows=PERFORMANCE_ROWS) -> SimpleNamespace:
    platforms = pd.DataFrame(
        [
            {
                "platform_id": pid,
                "lg_code": lg,
                "platform_name": f"platform {pid}",
                "platform_type": t,
                "domain": d,
                "channel": "web",
                "year_launched": 2020,
                "status": s,
                "partner_central": c,
                "partner_metro": m,
                "partner_private": p,
            }
            for pid, lg, t, d, s, c, m, p in PLATFORM_ROWS
        ],
        columns=columns("platforms"),
    )
    for col in ("year_launched", "partner_central", "partner_metro", "partner_private"):
        platforms[col] = platforms[col].astype("Int64")
    perf = []
    for lg, t, dem, eff, qual, conv in performance_rows:
        row = {"lg_code": lg, "platform_type": t}
        for prefix, values in (("dem", dem), ("eff", eff), ("qual", qual), ("conv", conv)):
            for i, v in enumerate(values, start=1):
                row[f"{prefix}_{i}"] = v
        perf.append(row)
    performance = pd.DataFrame(perf, columns=columns("performance"))
    for col in performance.columns[2:]:
        performance[col] = performance[col].astype("Int64")
    return SimpleNamespace(platforms=platforms, performance=performance)


@pytest.fixture
def frame() -> pd.DataFrame:
    return measures.analysis_frame(make_survey(), make_registry())


def row(frame: pd.DataFrame, lg: str, t: str) -> pd.Series:
    hit = frame[(frame["lg_code"] == lg) & (frame["platform_type"] == t)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_columns_rows_and_order(frame):
    assert list(frame.columns) == list(measures.COLUMNS)
    # one row per performance row; 47820 C2G has platforms but no performance row
    assert list(zip(frame["platform_type"], frame["lg_code"], strict=True)) == [
        ("G2C", "11"),
        ("G2C", "11110"),
        ("G2C", "47820"),
        ("C2G", "11110"),
        ("C2C", "11"),
        ("C2C", "41110"),
    ]


def test_activation_counts_only_operating_platforms(frame):
    r = row(frame, "11110", "G2C")
    assert r["n_platforms"] == 3  # P00004 is suspended
    assert r["diversity"] == 2  # open_data twice, welfare
    assert r["log_n_platforms"] == pytest.approx(math.log(3))
    r = row(frame, "41110", "C2C")
    assert (r["n_platforms"], r["diversity"]) == (2, 1)
    r = row(frame, "47820", "G2C")
    assert (r["n_platforms"], r["diversity"], r["log_n_platforms"]) == (1, 1, 0.0)


def test_no_operating_platform_gives_zeros_and_missing_log(frame):
    r = row(frame, "11", "C2C")  # only a suspended platform
    assert (r["n_platforms"], r["diversity"]) == (0, 0)
    assert np.isnan(r["log_n_platforms"])
    assert (r["coop_central"], r["coop_metro"], r["coop_private"]) == (0, 0, 0)
    assert np.isnan(r["share_coop_central"]) and np.isnan(r["share_coop_private"])


def test_cooperation_any_and_share(frame):
    r = row(frame, "11110", "G2C")
    # central answers 0, 0, missing; metro 1, 0, missing; private missing, 0, 1
    assert (r["coop_central"], r["coop_metro"], r["coop_private"]) == (0, 1, 1)
    assert r["share_coop_central"] == 0
    assert r["share_coop_metro"] == pytest.approx(0.5)
    assert r["share_coop_private"] == pytest.approx(0.5)
    r = row(frame, "41110", "C2C")
    assert (r["coop_central"], r["coop_metro"], r["coop_private"]) == (0, 1, 1)


def test_cooperation_unanswered_is_missing(frame):
    r = row(frame, "11110", "C2G")
    for c in (*vocabulary.COLLABORATION, *vocabulary.SHARES):
        assert np.isnan(r[c]), c


def test_metro_rows_never_cooperate_with_a_metro_government(frame):
    r = row(frame, "11", "G2C")  # P00007 answered partner_metro = 1
    assert r["coop_metro"] == 0 and r["share_coop_metro"] == 0
    assert r["coop_central"] == 1 and r["share_coop_central"] == 1
    assert r["coop_private"] == 1 and r["share_coop_private"] == pytest.approx(0.5)


def test_outcome_scales_need_two_items(frame):
    r = row(frame, "11110", "G2C")
    assert r["democracy"] == pytest.approx(4.0)
    assert r["efficiency"] == pytest.approx(3.0)  # two of three answered
    assert np.isnan(r["service_quality"])  # one of three answered
    assert r["convenience"] == pytest.approx(5 / 3)
    r = row(frame, "11110", "C2G")
    assert r["efficiency"] == pytest.approx(4.5)
    assert np.isnan(r["convenience"])
    assert row(frame, "11", "C2C")["democracy"] == pytest.approx(14 / 3)


def test_min_items_is_a_parameter():
    f1 = measures.analysis_frame(make_survey(), make_registry(), min_items=1)
    assert row(f1, "11110", "G2C")["service_quality"] == pytest.approx(5.0)
    f3 = measures.analysis_frame(make_survey(), make_registry(), min_items=3)
    assert np.isnan(row(f3, "11110", "G2C")["efficiency"])
    for bad in (0, 4):
        with pytest.raises(ValueError, match="min_items"):
            measures.analysis_frame(make_survey(), make_registry(), min_items=bad)


def test_controls_from_registry(frame):
    expected = {
        # code: level_metro, kind_gun, kind_gu, capital, population, share
        "11": (1, 0, 0, 1, 9_600_000, 0.16),
        "11110": (0, 0, 1, 1, 140_000, 0.19),
        "41110": (0, 0, 0, 1, 1_190_000, 0.12),
        "47820": (0, 1, 0, 0, 42_000, 0.38),
    }
    for _, r in frame.iterrows():
        metro, gun, gu, capital, pop, share = expected[r["lg_code"]]
        assert (r["level_metro"], r["kind_gun"], r["kind_gu"]) == (metro, gun, gu)
        assert r["capital_region"] == capital
        assert r["log_population"] == pytest.approx(math.log(pop))
        assert r["share_basic_pension"] == pytest.approx(share)


def test_unknown_local_government_is_an_error():
    rows = [*PERFORMANCE_ROWS, ("99999", "G2C", (1, 1, 1), (1, 1, 1), (1, 1, 1), (1, 1, 1))]
    with pytest.raises(ValueError, match="99999"):
        measures.analysis_frame(make_survey(rows), make_registry())


def test_duplicate_performance_row_is_an_error():
    rows = [*PERFORMANCE_ROWS, PERFORMANCE_ROWS[0]]
    with pytest.raises(ValueError, match="11110/G2C"):
        measures.analysis_frame(make_survey(rows), make_registry())


def test_cronbach_alpha_by_hand():
    items = pd.DataFrame(
        {
            "a": [1, 2, 3, 4, 5, 1],
            "b": [2, 3, 3, 5, 4, np.nan],
            "c": [2, 3, 4, 4, 5, 5],
        }
    )
    # complete rows only. Item variances 2.5, 1.3, 1.3; totals 5, 8, 10, 13, 14 have
    # variance 13.5; alpha = 3/2 * (1 - 5.1 / 13.5) = 14/15.
    assert measures.cronbach_alpha(items) == pytest.approx(14 / 15)


def test_cronbach_alpha_against_the_covariance_formula():
    rng = np.random.default_rng(7)
    latent = rng.normal(size=200)
    items = pd.DataFrame(
        {f"i{k}": latent + rng.normal(scale=0.8 + 0.2 * k, size=200) for k in range(4)}
    )
    cov = np.cov(items.to_numpy(), rowvar=False)
    k = cov.shape[0]
    expected = k / (k - 1) * (1 - np.trace(cov) / cov.sum())
    assert measures.cronbach_alpha(items) == pytest.approx(expected)


def test_cronbach_alpha_degenerate_cases():
    assert np.isnan(measures.cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]})))
    assert np.isnan(measures.cronbach_alpha(pd.DataFrame({"a": [1], "b": [2]})))
    assert np.isnan(measures.cronbach_alpha(pd.DataFrame({"a": [3, 3], "b": [3, 3]})))


def test_alpha_by_type():
    out = measures.alpha_by_type(make_survey())
    assert len(out) == len(TYPE_CODES) * len(OUTCOMES)
    assert set(out["platform_type"]) == set(TYPE_CODES)
    g2c_dem = out[(out["platform_type"] == "G2C") & (out["outcome"] == "democracy")].iloc[0]
    assert g2c_dem["n_complete"] == 3
    items = pd.DataFrame([(4, 5, 3), (4, 4, 4), (1, 1, 1)])
    assert g2c_dem["alpha"] == pytest.approx(measures.cronbach_alpha(items))


@pytest.mark.skipif(
    not (REGISTRY.exists() and (SYNTHETIC / "performance.csv").exists()),
    reason="the registry or the synthetic survey has not been generated",
)
def test_on_the_synthetic_survey():
    survey_mod = pytest.importorskip("platformgov.inputs.survey")
    registry_mod = pytest.importorskip("platformgov.inputs.registry")
    survey = survey_mod.load_survey(Path(SYNTHETIC))
    registry = registry_mod.load_registry()
    frame = measures.analysis_frame(survey, registry)
    assert list(frame.columns) == list(measures.COLUMNS)
    assert len(frame) == len(survey.performance)
    assert not frame.duplicated(["lg_code", "platform_type"]).any()
    assert (frame["diversity"] <= frame["n_platforms"]).all()
    assert ((frame["n_platforms"] == 0) | (frame["diversity"] >= 1)).all()
    assert frame.loc[frame["level_metro"] == 1, "coop_metro"].eq(0).all()
    for c in vocabulary.COLLABORATION:
        assert frame[c].dropna().isin([0, 1]).all()
    for o in vocabulary.OUTCOMES:
        assert frame[o].dropna().between(1, 5).all()
    operating = survey.platforms[survey.platforms["status"] == "operating"]
    counts = operating.groupby(["lg_code", "platform_type"]).size()
    for _, r in frame.sample(20, random_state=1).iterrows():
        assert r["n_platforms"] == counts.get((r["lg_code"], r["platform_type"]), 0)
