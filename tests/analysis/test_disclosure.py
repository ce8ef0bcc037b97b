"""The published aggregates of a real survey, attacked by differencing.

The synthetic survey is marked real; every table the book builds from it is then read as an
attacker would: a blanked cell must not come back as a published total less the published
cells beside it, no published cell may stand for fewer than ``MIN_CELL`` governments, and no
share of 0 % or 100 % of fewer than ``SMALL_GROUP`` governments may show.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from platformgov.analysis import descriptive, privacy
from platformgov.analysis.measures import analysis_frame
from platformgov.chapters import descriptive as chapter
from platformgov.chapters import regression as reg_chapter
from platformgov.inputs.registry import load_registry
from platformgov.inputs.survey import load_survey
from platformgov.paths import SYNTHETIC
from platformgov.vocabulary import TYPE_CODES


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def real(registry):
    s = load_survey(SYNTHETIC)
    return SimpleNamespace(
        platforms=s.platforms, performance=s.performance, organisations=s.organisations, kind="real"
    )


@pytest.fixture(scope="module")
def overview(real, registry):
    return descriptive.adoption_overview(real, registry)


def _stated(resp, overview, shown, t, members):
    """Respondents whose answer on type ``t`` a published 0 % or 100 % cell states."""
    out = pd.Series(False, index=resp.index)
    for key in overview.index:
        share = shown.loc[key, f"share_{t}"]
        if share is not None and share in (0.0, 1.0):
            out |= members(key)
    return out


def test_no_blanked_share_comes_back_by_differencing(real, registry, overview):
    resp = descriptive.respondents(real, registry)
    shown = descriptive.published(overview, "real")

    def members(key):
        grouping, group = key
        return pd.Series(True, index=resp.index) if grouping == "all" else resp[grouping] == group

    assert shown.loc[("all", "all")].notna().all()
    n_blank = 0
    for t in TYPE_CODES:
        stated = _stated(resp, overview, shown, t, members)
        total = round(
            shown.loc[("all", "all"), f"share_{t}"] * overview.loc[("all", "all"), "n_respondents"]
        )
        for grouping in descriptive.GROUPINGS:
            block = shown.loc[grouping]
            blank = [g for g in block.index if block.loc[g, f"share_{t}"] is None]
            n_blank += len(blank)
            if len(blank) != 1:
                continue
            # one blank in a block: total less the rest gives it back, which is only allowed
            # when a published 0 % or 100 % already states every member's answer
            g = blank[0]
            rest = sum(
                round(block.loc[k, f"share_{t}"] * block.loc[k, "n_respondents"])
                for k in block.index
                if k != g
            )
            truth = int((resp.loc[members((grouping, g)), t] > 0).sum())
            assert total - rest == truth  # the attack works on this table…
            assert stated[members((grouping, g))].all(), f"{t} {grouping} {g} is recoverable"
    assert n_blank >= 3  # the single-government groups are blanked


def test_no_published_share_is_small_or_a_small_unanimous_group(overview):
    shown = descriptive.published(overview, "real")
    for t in TYPE_CODES:
        published = shown[shown[f"share_{t}"].notna()]
        n = published["n_respondents"]
        share = published[f"share_{t}"].astype(float)
        assert (n >= privacy.MIN_CELL).all()
        extreme = share.isin([0.0, 1.0])
        assert (n[extreme] >= privacy.SMALL_GROUP).all()


def test_the_adoption_table_shows_what_published_shows(overview):
    table = chapter.adoption_table(overview, "real", "en").frame
    jeju = table.loc[table.index[-1]]  # the last region: 제주
    assert overview.index[-1] == ("region", "jeju")
    assert all(jeju.iloc[2:].isna())
    counts = chapter.platform_count_table(overview, "real", "en").frame
    assert (counts.loc[counts.index[-1]].iloc[1:] == "").all()


def test_the_count_distribution_has_no_small_or_lone_blank(real, registry):
    dist = descriptive.count_distribution(real, registry)
    assert not ((dist > 0) & (dist < privacy.MIN_CELL)).any().any()
    assert (dist.isna().sum() != 1).all()  # a lone blank = respondents less the rest


def test_other_shares_follow_the_rule(real, registry):
    coop = descriptive.cooperation(real, registry)
    shown = coop[coop["share_governments"].notna()]
    assert (shown["n_governments"] >= privacy.MIN_CELL).all()
    extreme = shown["share_governments"].isin([0.0, 1.0])
    assert (shown.loc[extreme, "n_governments"] >= privacy.SMALL_GROUP).all()

    shares = descriptive.likert_shares(real)
    points = list(descriptive.likert_points())
    blank = shares[points].isna()
    assert (blank.all(axis=1) == blank.any(axis=1)).all()  # rows are blanked whole
    shown = shares[~blank.any(axis=1)]
    assert (shown["n_answered"] >= privacy.MIN_CELL).all()
    small = shown["n_answered"] < privacy.SMALL_GROUP
    assert not shown.loc[small, points].isin([0.0, 1.0]).any().any()


def test_scales_alphas_and_maps_follow_the_rule(real, registry):
    frame = analysis_frame(real, registry)
    scales = descriptive.scale_summary(frame, kind="real")
    assert (scales.loc[scales["mean"].notna(), "n"] >= privacy.MIN_CELL).all()
    alphas = descriptive.reliability(real)
    assert (alphas.loc[alphas["alpha"].notna(), "n_complete"] >= privacy.MIN_CELL).all()
    for measure in descriptive.MAP_MEASURES:
        values = descriptive.map_values(real, registry, measure)
        assert values.attrs["level"] == "metro"
        shown = values[values["state"] == "shown"]
        assert (shown["n"] >= privacy.MIN_CELL).all()
        # the national figure is published: a lone blanked area would come back
        assert (values["state"] == "suppressed").sum() != 1


def test_cooperation_with_the_metro_government_by_level(real, registry):
    frame = analysis_frame(real, registry)
    table = reg_chapter.coop_metro_by_level(frame, "en", "real")
    n, share = table.iloc[:, 0], table.iloc[:, 1]
    shown = share.notna()
    assert (n[shown] >= privacy.MIN_CELL).all()
    extreme = shown & share.isin([0.0, 1.0])
    assert (n[extreme] >= privacy.SMALL_GROUP).all()


# --- the rule itself --------------------------------------------------------------------------


def test_a_lone_small_cell_takes_the_smallest_other_with_it():
    counts = pd.DataFrame({"a": [1, 10, 20], "b": [5, 6, 30]}, index=["x", "y", "z"])
    mask = privacy.table_mask(counts, column_totals=True)
    assert mask["a"].tolist() == [True, True, False]  # 1 is small, 10 the smallest other
    assert not mask["b"].any()
    both = privacy.table_mask(counts, row_totals=True, column_totals=True)
    assert both.loc["x", "a"] and both.sum().sum() >= 4  # a row and a column to cover


def test_unanimous_small_groups_are_blanked_large_ones_shown():
    sensitive = privacy.share_sensitive([0, 4, 5, 12, 6], [5, 5, 5, 12, 12])
    assert sensitive.tolist() == [True, False, True, False, False]
    assert privacy.share_sensitive([1], [2]).tolist() == [True]  # too few governments
    assert privacy.share_sensitive([0], [0]).tolist() == [False]  # nothing to protect


def test_the_jeju_row_does_not_come_back_from_the_total():
    # five regions and "all"; 제주 has one government, which runs the type
    sizes = {"capital": 40, "south": 30, "east": 20, "west": 15, "jeju": 1}
    units = [r for r, k in sizes.items() for _ in range(k)]
    members = pd.DataFrame({r: [u == r for u in units] for r in sizes}).T
    members.loc["all"] = True
    yes = {"capital": 30, "south": 12, "east": 9, "west": 7, "jeju": 1}
    counts = pd.DataFrame({"G2C": [*yes.values(), sum(yes.values())]}, index=members.index)
    n = members.sum(axis=1)
    mask = privacy.group_mask(members, counts, n, pd.Series(members.index == "all", members.index))
    assert mask.loc["jeju", "G2C"] and mask.loc["west", "G2C"]  # west: the smallest other
    assert mask["G2C"].sum() == 2
    blank = mask["G2C"].to_numpy()
    assert not privacy.recoverable(members.to_numpy(float), counts["G2C"].to_numpy(), blank).any()
    lone = blank & (members.index == "jeju")
    assert privacy.recoverable(members.to_numpy(float), counts["G2C"].to_numpy(), lone)[-2]


def test_a_sum_of_blanks_of_zero_gives_both_away():
    # 제주 and the smallest other both run nothing: blanking both would still state both
    members = pd.DataFrame({"a": [1, 1, 0, 0, 0], "b": [0, 0, 1, 1, 1], "c": [0, 0, 0, 0, 1]}).T
    members.loc["all"] = 1
    members = members.astype(bool)
    counts = np.array([2.0, 0.0, 0.0, 2.0])
    blank = np.array([False, True, True, False])
    assert privacy.recoverable(members.to_numpy(float), counts, blank)[1:3].all()


def test_no_blanked_mean_comes_back_from_the_total(overview):
    # a published 0 % or 100 % says who runs a type, not how many platforms: no exemption
    shown = descriptive.published(overview, "real")
    for t in TYPE_CODES:
        for grouping in descriptive.GROUPINGS:
            blank = shown.loc[grouping, f"mean_{t}"].isna()
            assert blank.sum() != 1, f"{t} {grouping}: one blanked mean = total less the rest"
        assert (shown[f"median_{t}"].isna() == shown[f"mean_{t}"].isna()).all()
