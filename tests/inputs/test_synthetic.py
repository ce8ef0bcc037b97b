"""Tests of the synthetic survey: reproducibility, structure, the process's bands, the effects."""

from __future__ import annotations

import copy
import math
import re
import types

import numpy as np
import pandas as pd
import pytest

from platformgov import cli, paths, vocabulary
from platformgov.inputs import codebook, synthetic

SEEDS = range(101, 113)  # extra seeds for checks that pool several draws


@pytest.fixture(scope="module")
def params() -> dict:
    return synthetic.load_params()


@pytest.fixture(scope="module")
def tables(registry, params) -> dict[str, pd.DataFrame]:
    return synthetic.generate(registry, params)


@pytest.fixture(scope="module")
def pooled(registry, params) -> list[dict[str, pd.DataFrame]]:
    return [synthetic.generate(registry, params, seed) for seed in SEEDS]


def operating_types(platforms: pd.DataFrame) -> set[tuple[str, str]]:
    live = platforms[platforms["status"] == "operating"]
    return set(zip(live["lg_code"], live["platform_type"], strict=True))


# --- reproducibility ---------------------------------------------------------------------


def test_synth_command_reproduces_the_committed_files(tmp_path):
    status = cli.main(["synth", "--out", str(tmp_path)])
    assert status == 0
    for name in synthetic.TABLES:
        committed = paths.SYNTHETIC / f"{name}.csv"
        assert committed.exists(), f"{committed} is not committed"
        assert (tmp_path / f"{name}.csv").read_bytes() == committed.read_bytes(), name


def test_same_seed_same_data_and_other_seed_other_data(registry, params, tables):
    again = synthetic.generate(registry, params, params["seed"])
    other = synthetic.generate(registry, params, params["seed"] + 1)
    for name in synthetic.TABLES:
        pd.testing.assert_frame_equal(tables[name], again[name])
    assert not tables["performance"].equals(other["performance"])
    assert not tables["platforms"].equals(other["platforms"])


def test_generate_does_not_modify_its_inputs(registry, params):
    reg_before = registry.copy()
    params_before = repr(params)
    synthetic.generate(registry, params, 7)
    pd.testing.assert_frame_equal(registry, reg_before)
    assert repr(params) == params_before


def test_generate_works_for_any_set_of_local_governments(registry, params):
    part = registry[registry["sido_code"].isin(["26", "42"])].iloc[::-1]
    t = synthetic.generate(part, params, 5)
    assert set(t["organisations"]["lg_code"]) <= set(part["code"])
    assert set(t["platforms"]["lg_code"]) <= set(t["organisations"]["lg_code"])
    for name in synthetic.TABLES:
        assert list(t[name].columns) == codebook.columns(name)
    # Row order of the registry does not matter: it is sorted by code first.
    again = synthetic.generate(part.iloc[::-1], params, 5)
    for name in synthetic.TABLES:
        pd.testing.assert_frame_equal(t[name], again[name])


def test_written_files_are_plain_utf8_with_blanks_and_whole_numbers(tables, tmp_path):
    synthetic.write_tables(tables, tmp_path)
    for name in synthetic.TABLES:
        data = (tmp_path / f"{name}.csv").read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
        text = data.decode("utf-8")
        assert text.endswith("\n")
        assert text.splitlines()[0] == ",".join(codebook.columns(name))
        assert not re.search(r"(^|,)-?\d+\.0(,|$)", text, flags=re.M), name
        assert "nan" not in text.lower() and "<NA>" not in text
        back = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        assert len(back) == len(tables[name])
    # Missing values are written as empty fields.
    perf = (tmp_path / "performance.csv").read_text(encoding="utf-8")
    assert tables["performance"].isna().any().any()
    assert re.search(r",,|,$", perf, flags=re.M)


def test_committed_files_pass_the_survey_validator():
    survey = pytest.importorskip("platformgov.inputs.survey")
    result = survey.load_survey(paths.SYNTHETIC, strict=True)
    for name in synthetic.TABLES:
        committed = pd.read_csv(paths.SYNTHETIC / f"{name}.csv", dtype=str)
        assert len(getattr(result, name)) == len(committed), name
    assert result.kind == "synthetic"


# --- structure ---------------------------------------------------------------------------


def test_columns_follow_the_codebook(tables):
    for name in synthetic.TABLES:
        assert list(tables[name].columns) == codebook.columns(name)
    items = codebook.outcome_items()
    assert tuple(items) == tuple(vocabulary.OUTCOMES)
    assert list(vocabulary.ITEMS) == [item for group in items.values() for item in group]


def test_codes_come_from_the_registry_and_non_respondents_appear_nowhere(registry, tables):
    codes = set(registry["code"].astype(str))
    respondents = set(tables["organisations"]["lg_code"])
    assert respondents <= codes
    assert set(tables["platforms"]["lg_code"]) <= respondents
    assert set(tables["performance"]["lg_code"]) <= respondents
    assert len(respondents) < len(codes), "somebody should not have answered"


def test_keys_are_unique_and_rows_sorted(tables):
    plat, perf, org = tables["platforms"], tables["performance"], tables["organisations"]
    assert plat["platform_id"].is_unique
    assert not perf.duplicated(["lg_code", "platform_type"]).any()
    assert org["lg_code"].is_unique
    assert list(plat["platform_id"]) == sorted(plat["platform_id"])
    assert list(org["lg_code"]) == sorted(org["lg_code"])
    rank = perf["platform_type"].map({t: i for i, t in enumerate(vocabulary.TYPE_CODES)})
    keys = list(zip(perf["lg_code"], rank, strict=True))
    assert keys == sorted(keys)


def test_values_are_allowed_by_the_codebook(tables):
    for name, table in tables.items():
        for var in codebook.variables(name):
            values = table[var.name].dropna()
            if var.required:
                assert table[var.name].notna().all(), f"{name}.{var.name} has blanks"
            if var.dtype == "id":
                assert values.astype(str).str.fullmatch(var.pattern.pattern).all(), var.name
            elif var.dtype in ("category", "binary"):
                assert set(values.astype(str)) <= set(var.values), var.name
            elif var.dtype in ("integer", "likert"):
                lo, hi = var.bounds
                assert values.between(lo, hi).all(), var.name


def test_likert_answers_look_like_a_perceptions_survey(tables):
    answers = tables["performance"][list(vocabulary.ITEMS)].stack().dropna().astype(int)
    share = answers.value_counts(normalize=True)
    assert set(share.index) <= {1, 2, 3, 4, 5}
    assert share.get(3, 0) + share.get(4, 0) > 0.6
    assert share.get(1, 0) < 0.05
    assert share.get(1, 0) < share.get(5, 0)


def test_partner_metro_never_set_for_metropolitan_governments(registry, tables):
    metro = set(registry.loc[registry["level"] == "metro", "code"].astype(str))
    plat = tables["platforms"]
    on_metro = plat["lg_code"].isin(metro)
    assert on_metro.any()
    assert plat.loc[on_metro, "partner_metro"].isna().all()
    assert plat.loc[~on_metro, "partner_metro"].notna().all()


def test_performance_rows_exactly_for_types_with_an_operating_platform(tables):
    perf = tables["performance"]
    rated = set(zip(perf["lg_code"], perf["platform_type"], strict=True))
    assert rated == operating_types(tables["platforms"])


def test_platform_names_are_invented_from_the_local_government_name(registry, tables):
    names = registry.set_index(registry["code"].astype(str))["name_ko"]
    plat = tables["platforms"]
    starts = [
        n.startswith(names[c] + " ")
        for c, n in zip(plat["lg_code"], plat["platform_name"], strict=True)
    ]
    assert all(starts)
    assert not plat.duplicated(["lg_code", "platform_name"]).any()
    assert plat["platform_name"].str.contains(r"[가-힣]").all()
    real = ["열린데이터광장", "민주주의 서울", "경기도의 소리", "배달특급", "e음", "공유허브"]
    assert not plat["platform_name"].str.contains("|".join(real)).any()


# --- the process -------------------------------------------------------------------------


def test_expected_response_rate_lies_in_the_target_band(registry, params):
    p = synthetic.response_probability(registry, params)
    low, high = params["response"]["target_band"]
    assert low <= p.mean() <= high
    level = registry.set_index(registry["code"].astype(str))["level"]
    kind = registry.set_index(registry["code"].astype(str))["kind"]
    assert p[level == "metro"].min() > p[level == "basic"].mean()
    assert p[kind == "gun"].mean() < p[kind == "si"].mean()


def test_realised_response_rate_matches_the_model(registry, params, tables, pooled):
    p = synthetic.response_probability(registry, params)
    low, high = params["response"]["target_band"]
    assert low <= len(tables["organisations"]) / len(registry) <= high
    answered = sum(len(t["organisations"]) for t in pooled)
    expected = p.sum() * len(pooled)
    sd = math.sqrt((p * (1 - p)).sum() * len(pooled))
    assert abs(answered - expected) < 4 * sd


def test_item_missingness_matches_the_configured_rates(params, pooled):
    rates = synthetic.item_missing_rates(params)
    perf = pd.concat([t["performance"] for t in pooled])
    n = len(perf)
    for item, rate in rates.items():
        assert 0.01 <= rate <= 0.10
        observed = perf[item].isna().mean()
        assert abs(observed - rate) < 4 * math.sqrt(rate * (1 - rate) / n), item


def test_larger_and_metropolitan_governments_run_more_platforms(registry, pooled):
    reg = registry.set_index(registry["code"].astype(str))
    counts = pd.concat(
        [
            t["platforms"]
            .groupby("lg_code")
            .size()
            .reindex(t["organisations"]["lg_code"], fill_value=0)
            for t in pooled
        ]
    )
    level = reg.loc[counts.index, "level"].to_numpy()
    assert counts[level == "metro"].mean() > 2 * counts[level == "basic"].mean()
    logpop = np.log(reg.loc[counts.index, "population_2020"].astype(float))
    basic = level == "basic"
    assert np.corrcoef(logpop[basic], counts[basic])[0, 1] > 0.2


def test_types_order_and_many_without_c2c(pooled):
    plat = pd.concat([t["platforms"] for t in pooled])
    n = plat["platform_type"].value_counts()
    assert n["G2C"] > n["C2G"] > n["C2C"]
    share_with_c2c = np.mean(
        [
            t["platforms"].loc[t["platforms"]["platform_type"] == "C2C", "lg_code"].nunique()
            / len(t["organisations"])
            for t in pooled
        ]
    )
    assert share_with_c2c < 0.6


def test_partners_differ_by_type(pooled):
    plat = pd.concat([t["platforms"] for t in pooled])
    rates = plat.groupby("platform_type")[["partner_central", "partner_private"]].mean()
    assert rates.loc["C2C", "partner_private"] > 0.5
    assert rates.loc["C2C", "partner_private"] > rates.loc["G2C", "partner_private"]
    assert rates.loc["G2C", "partner_central"] > rates.loc["C2G", "partner_central"]


def test_launch_years_mostly_recent_and_few_suspended(pooled):
    plat = pd.concat([t["platforms"] for t in pooled])
    years = plat["year_launched"].dropna()
    assert (years > 2015).mean() > 0.5
    assert years.max() <= 2022
    assert 0 < (plat["status"] == "suspended").mean() < 0.15


def test_it_staff_grows_with_population(registry, pooled):
    reg = registry.set_index(registry["code"].astype(str))
    org = pd.concat([t["organisations"] for t in pooled]).dropna(subset=["it_staff"])
    logpop = np.log(reg.loc[org["lg_code"], "population_2020"].astype(float).to_numpy())
    staff = np.log1p(org["it_staff"].astype(float).to_numpy())
    assert np.corrcoef(logpop, staff)[0, 1] > 0.3


# --- effects -----------------------------------------------------------------------------


def test_true_effects_table_mirrors_the_parameters(params):
    table = synthetic.true_effects(params)
    assert list(table.columns) == ["type", "outcome", "term", "value"]
    assert not table.duplicated(["type", "outcome", "term"]).any()
    for row in table.itertuples():
        assert row.value == synthetic.effect(params, row.type, row.outcome, row.term)
    value = table.set_index(["type", "outcome", "term"])["value"]
    assert (value.xs("coop_central", level="term") == 0).all()
    for outcome in ("service_quality", "convenience"):
        assert value[("G2C", outcome, "log_n_platforms")] > 0
    for t in ("G2C", "C2C"):
        for outcome in vocabulary.OUTCOMES:
            assert value[(t, outcome, "coop_metro")] > 0
            assert value[(t, outcome, "coop_private")] > 0
    assert value.xs("C2G", level="type").abs().max() <= 0.1
    with_controls = synthetic.true_effects(params, controls=True)
    assert set(with_controls["term"]) - set(table["term"]) == set(vocabulary.CONTROLS)


def test_overriding_effects_changes_only_the_answers(registry, params, tables):
    changed = synthetic.with_effects(params, {("G2C", "convenience", "coop_private"): 1.5})
    assert params["effects"]["G2C"]["convenience"]["coop_private"] != 1.5
    other = synthetic.generate(registry, changed)
    pd.testing.assert_frame_equal(other["platforms"], tables["platforms"])
    pd.testing.assert_frame_equal(other["organisations"], tables["organisations"])
    assert not other["performance"].equals(tables["performance"])

    def gap(t):
        plat = t["platforms"]
        live = plat[(plat["status"] == "operating") & (plat["platform_type"] == "G2C")]
        coop = set(live.loc[live["partner_private"] == 1, "lg_code"])
        perf = t["performance"][t["performance"]["platform_type"] == "G2C"]
        conv = perf[["conv_1", "conv_2", "conv_3"]].astype(float).mean(axis=1)
        with_partner = perf["lg_code"].isin(coop)
        return conv[with_partner].mean() - conv[~with_partner].mean()

    assert gap(other) > gap(tables) + 0.3
    with pytest.raises(KeyError):
        synthetic.with_effects(params, {("G2C", "happiness", "coop_private"): 1.0})


def test_zero_effects_remove_the_collaboration_gap(registry, params):
    null = synthetic.scaled_effects(params, 0.0)
    assert synthetic.true_effects(null)["value"].eq(0).all()
    strong = synthetic.scaled_effects(params, 3.0)
    gaps = {}
    for label, p in (("null", null), ("strong", strong)):
        diffs = []
        for seed in SEEDS:
            t = synthetic.generate(registry, p, seed)
            frame = _analysis(t, registry)
            g2c = frame[frame["platform_type"] == "G2C"]
            diffs.append(
                g2c.loc[g2c["coop_metro"] == 1, "efficiency"].mean()
                - g2c.loc[g2c["coop_metro"] == 0, "efficiency"].mean()
            )
        gaps[label] = np.nanmean(diffs)
    assert gaps["strong"] > gaps["null"] + 0.3


def _analysis(t: dict[str, pd.DataFrame], registry: pd.DataFrame) -> pd.DataFrame:
    from platformgov.analysis import measures

    survey = types.SimpleNamespace(platforms=t["platforms"], performance=t["performance"])
    return measures.analysis_frame(survey, registry)


def test_least_squares_recovers_the_true_effects_on_average(registry, params, pooled):
    """Pooled over seeds, least squares on the item means lands near the coefficients put in."""
    terms = ["log_n_platforms", "diversity", "coop_central", "coop_metro", "coop_private"]
    controls = ["level_metro", "kind_gun", "kind_gu", "log_population"]
    truth = synthetic.true_effects(params).set_index(["type", "outcome", "term"])["value"]
    frame = pd.concat([_analysis(t, registry) for t in pooled])
    g2c = frame[frame["platform_type"] == "G2C"]
    for outcome in ("service_quality", "convenience", "efficiency"):
        data = g2c.dropna(subset=[outcome, *terms])
        x = np.column_stack([np.ones(len(data)), data[terms + controls].astype(float)])
        beta, *_ = np.linalg.lstsq(x, data[outcome].to_numpy(float), rcond=None)
        for j, term in enumerate(terms, start=1):
            assert abs(beta[j] - truth[("G2C", outcome, term)]) < 0.12, (outcome, term)


# --- parameter checks --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p["platforms"]["domain"]["G2C"].update(welfare=0.9), "sum to 1"),
        (lambda p: p["effects"]["G2C"]["democracy"].update(happiness=1.0), "unknown term"),
        (lambda p: p["platforms"]["partners"]["C2C"].update(private=1.0), "probability"),
        (lambda p: p["performance"].update(thresholds=[1.5, 3.5, 2.5, 4.5]), "increasing"),
        (lambda p: p["performance"]["missing"].update(dem_9=0.1), "unknown item"),
        (lambda p: p.pop("counts"), "missing"),
    ],
)
def test_bad_parameters_are_rejected_with_their_key(params, change, message):
    broken = copy.deepcopy(params)
    change(broken)
    with pytest.raises(ValueError, match=message):
        synthetic.check_params(broken)


def test_bad_registry_is_rejected(registry, params):
    with pytest.raises(ValueError, match="population_2020"):
        synthetic.generate(registry.assign(population_2020=0), params)
    with pytest.raises(ValueError, match="missing columns"):
        synthetic.generate(registry.drop(columns=["kind"]), params)


# --- documentation -----------------------------------------------------------------------


def test_readme_row_counts_match_the_committed_files():
    readme = (paths.SYNTHETIC / "README.md").read_text(encoding="utf-8")
    for name in synthetic.TABLES:
        rows = len(pd.read_csv(paths.SYNTHETIC / f"{name}.csv", dtype=str))
        match = re.search(rf"`{name}\.csv`\s*\|\s*([\d,]+)", readme)
        assert match, f"README lists no row count for {name}.csv"
        assert int(match.group(1).replace(",", "")) == rows, name
        if name == "organisations":
            answered = re.search(r"(\d+) of (\d+) \((\d+) %\)", readme)
            assert answered, "README does not state how many local governments answered"
            assert int(answered.group(1)) == rows
            total = len(pd.read_csv(paths.REGISTRY, dtype=str))
            assert int(answered.group(2)) == total
            assert int(answered.group(3)) == round(100 * rows / total)
