"""The tables that describe the data: survey structure, registry, non-response and the
synthetic process, on small inputs and on the repository's own files."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from datafactories import empty_table, small_registry

from platformgov import vocabulary
from platformgov.analysis import nonresponse
from platformgov.chapters import data_tables
from platformgov.inputs import codebook, registry, synthetic
from platformgov.labels import LANGS, label, value_label


@pytest.mark.parametrize("lang", LANGS)
def test_table_overview_counts_variables_and_rows(lang):
    survey = SimpleNamespace(
        platforms=empty_table("platforms", 4),
        performance=empty_table("performance", 2),
        organisations=empty_table("organisations", 0),
    )
    frame = data_tables.table_overview(survey, lang).frame
    assert list(frame.index) == [label(f"table.{t}", lang) for t in codebook.TABLES]
    n_vars = frame[label("ui.variables", lang)].tolist()
    assert n_vars == [len(codebook.variables(t)) for t in codebook.TABLES]
    assert frame[label("data.col.rows", lang)].tolist() == [4, 2, 0]
    keys = frame[label("data.col.key", lang)].tolist()
    assert keys[1] == "lg_code + platform_type"


@pytest.mark.parametrize("lang", LANGS)
def test_likert_items_list_every_item_with_its_wording(lang):
    frame = data_tables.likert_items(lang).frame
    likert = [v for v in codebook.variables("performance") if v.dtype == "likert"]
    assert list(frame.index) == [v.name for v in likert]
    wording = frame[label("data.col.wording", lang)]
    for v in likert:
        assert wording[v.name] == v.question(lang)
    outcome = frame[label("ui.outcome", lang)]
    assert outcome["conv_1"] == label("outcome.convenience", lang)


@pytest.mark.parametrize("table", codebook.TABLES)
def test_codebook_table_follows_the_codebook(table):
    frame = data_tables.codebook_table(table, "en").frame
    assert list(frame.index) == codebook.columns(table)
    required = frame[label("data.col.required", "en")]
    for v in codebook.variables(table):
        assert required[v.name] == value_label("binary", int(v.required), "en")
        allowed = frame.loc[v.name, label("data.col.allowed", "en")]
        if v.dtype == "category":
            assert allowed.split(" | ") == list(v.values)
        if v.dtype == "likert":
            assert allowed == f"{v.bounds[0]}–{v.bounds[1]}"


def test_kind_counts_in_registry_order_and_unknown_kinds_fail():
    reg = small_registry()
    counts = data_tables.kind_counts(reg)
    assert list(counts.index) == list(registry.KINDS)
    assert counts["gu"] == 2 and counts["province"] == 0
    assert counts.sum() == len(reg)
    bad = reg.assign(kind=reg["kind"].replace("gun", "county"))
    with pytest.raises(ValueError, match="county"):
        data_tables.kind_counts(bad)


def test_registry_table_shows_present_kinds_and_the_total():
    reg = small_registry()
    frame = data_tables.registry_table(reg, "ko").frame
    n = frame[label("ui.local_governments", "ko")]
    assert n.iloc[-1] == len(reg)
    assert frame.index[-1] == label("data.col.total", "ko")
    assert label("kind.province", "ko") not in frame.index
    assert n.iloc[:-1].sum() == len(reg)


def test_the_real_registry_has_the_2022_map():
    reg = registry.load_registry()
    assert data_tables.level_counts(reg) == {"metro": 17, "basic": 226}
    kinds = data_tables.kind_counts(reg)
    assert (kinds["si"], kinds["gun"], kinds["gu"]) == (75, 82, 69)


def test_covariate_table_summarises_basic_units_only():
    reg = small_registry()
    frame = data_tables.covariate_table(reg, "en").frame
    pop = frame.loc[label("data.registry.population_2020", "en")]
    # basic populations 100, 300, 200, 400, 50, 70: median 150, min 50, max 400
    assert pop[label("data.col.median", "en")] == "150"
    assert pop[label("data.col.min", "en")] == "50"
    assert pop[label("data.col.max", "en")] == "400"
    share = frame.loc[label("data.registry.share_basic_pension_2020", "en")]
    assert share[label("data.col.max", "en")] == "40.0%"
    assert len(frame) == 2  # only the covariates present in ``reg``


def test_every_registry_covariate_has_a_label_and_a_definition():
    reg = registry.load_registry()
    columns = data_tables.covariate_columns(reg)
    assert "share_basic_pension_2020" in columns
    for lang in LANGS:
        frame = data_tables.covariate_table(reg, lang).frame
        assert len(frame) == len(columns)


def test_post2022_changes_come_from_the_registry_constants():
    frame = data_tables.post2022_changes("en").frame
    expected = len(registry.RENAMED_SIDO) + len(registry.MOVED_UNITS)
    assert len(frame) == expected
    dates = frame[label("data.col.date", "en")].tolist()
    assert dates == sorted(dates)
    pairs = set(
        zip(
            frame[label("data.col.code_new", "en")],
            frame[label("data.col.code_2022", "en")],
            strict=True,
        )
    )
    for new, (old, _, _) in {**registry.RENAMED_SIDO, **registry.MOVED_UNITS}.items():
        assert (new, old) in pairs


def test_response_table_formats_rates_and_leaves_empty_groups_blank():
    reg = small_registry()
    reg = reg[reg["kind"] != "gun"]
    counts = nonresponse.response_counts(pd.DataFrame({"lg_code": ["41110"]}), reg)
    frame = data_tables.response_table(counts, "en").frame
    rate = frame[label("data.col.response_rate", "en")]
    assert rate[label("kind.gun", "en")] == ""
    assert rate[label("kind.si", "en")] == "50.0"
    assert frame.index[-1] == label("data.col.total", "en")


def test_platform_parameters_copy_the_parameter_file():
    params = synthetic.load_params()
    frame = data_tables.platform_parameters(params, "en").frame
    row = frame.loc[value_label("platform_type", "C2C", "en")]
    assert row[label("data.col.base_mean", "en")] == params["counts"]["base_mean"]["C2C"]
    assert (
        row[label("data.col.p_partner_private", "en")]
        == params["platforms"]["partners"]["C2C"]["private"]
    )


def test_effects_table_fills_unlisted_terms_with_zero():
    truth = pd.DataFrame(
        [
            ("G2C", "democracy", "coop_metro", 0.2),
            ("G2C", "convenience", "log_n_platforms", 0.4),
            ("C2G", "democracy", "coop_private", 0.1),
        ],
        columns=["type", "outcome", "term", "value"],
    )
    frame = data_tables.effects_table(truth, "G2C", "en").frame
    assert list(frame.index) == [
        label("term.log_n_platforms", "en"),
        label("term.coop_metro", "en"),
        label("term.coop_private", "en"),
    ]
    assert list(frame.columns) == [
        label("outcome.democracy", "en"),
        label("outcome.convenience", "en"),
    ]
    assert frame.loc[label("term.coop_metro", "en"), label("outcome.democracy", "en")] == 0.2
    assert frame.loc[label("term.coop_private", "en")].sum() == 0.0
    assert data_tables.effects_table(truth, "C2C", "en").frame.to_numpy().sum() == 0.0


def test_effects_tables_hold_every_true_effect():
    truth = synthetic.true_effects()
    total = sum(
        data_tables.effects_table(truth, t, "ko").frame.to_numpy().sum()
        for t in vocabulary.TYPE_CODES
    )
    assert math.isclose(total, truth["value"].sum())
