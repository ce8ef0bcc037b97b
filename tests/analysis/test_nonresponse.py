"""Unit and item non-response counted on small hand-made inputs whose answers are known."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pandas as pd
import pytest
from datafactories import empty_table, small_registry

from platformgov import vocabulary
from platformgov.analysis import nonresponse
from platformgov.inputs import codebook


def test_response_counts_by_group_with_a_total():
    reg = small_registry()
    orgs = pd.DataFrame({"lg_code": ["11", "11110", "41110", "41130", "47720"]})
    counts = nonresponse.response_counts(orgs, reg)
    assert list(counts.index) == [*nonresponse.RESPONSE_GROUPS, "all"]
    assert counts.loc["metro", "registry"] == 2 and counts.loc["metro", "responding"] == 1
    assert counts.loc["si", "rate"] == 1.0
    assert counts.loc["all", "responding"] == 5
    assert math.isclose(counts.loc["all", "rate"], 5 / 8)
    assert nonresponse.lowest_response_group(counts) == "metro"  # tie with gu and gun: first
    with pytest.raises(ValueError, match="99999"):
        nonresponse.response_counts(pd.DataFrame({"lg_code": ["99999"]}), reg)


def test_missingness_uses_the_right_denominators():
    reg = small_registry()
    platforms = empty_table("platforms", 4)
    platforms["lg_code"] = ["11", "11110", "11110", "41110"]
    platforms["channel"] = ["web", None, "web", None]
    platforms["year_launched"] = [2020, 2021, None, 2019]
    platforms["partner_central"] = platforms["partner_private"] = [0, 1, 0, 0]
    platforms["partner_metro"] = [None, 1, None, 0]  # blank on the 광역 row by design
    performance = empty_table("performance", 2)
    performance["dem_1"] = [3, None]
    organisations = empty_table("organisations", 1)
    survey = SimpleNamespace(
        platforms=platforms, performance=performance, organisations=organisations
    )
    frame = nonresponse.missingness(survey, reg).set_index("variable")
    assert "platform_id" not in frame.index  # required: never missing in accepted rows
    assert frame.loc["channel", "share"] == 0.5
    assert frame.loc["partner_metro", "applicable"] == 3
    assert math.isclose(frame.loc["partner_metro", "share"], 1 / 3)
    perf = frame[frame["table"] == "performance"]
    assert perf.loc["dem_1", "share"] == 0.5
    assert perf.loc["dem_2", "share"] == 1.0
    assert nonresponse.most_missing(frame.reset_index(), "platforms")[0] == "channel"


def test_blank_answers_and_rows_missing_a_scale():
    k = vocabulary.MIN_ITEMS
    items = codebook.outcome_items()
    performance = empty_table("performance", 2)
    for dim in items.values():
        for item in dim:
            performance[item] = [4, 4]
    performance = performance.astype({i: "Float64" for d in items.values() for i in d})
    # row 0 keeps exactly k democracy items; row 1 keeps k - 1
    dem = items["democracy"]
    for item in dem[k:]:
        performance.loc[0, item] = pd.NA
    for item in dem[k - 1 :]:
        performance.loc[1, item] = pd.NA
    blank, cells = nonresponse.blank_answers(performance)
    assert cells == 2 * sum(len(d) for d in items.values())
    assert blank == (len(dem) - k) + (len(dem) - k + 1)
    assert nonresponse.rows_missing_a_scale(performance) == 1
