import itertools

import pandas as pd
import pytest

from platformgov import vocabulary
from platformgov.analysis import taxonomy as tx


def test_each_type_is_classified_as_itself():
    assert tx.classify("information", "provider", "g2c") == "G2C"
    assert tx.classify("proposal", "listener", "c2g") == "C2G"
    assert tx.classify("brokering", "facilitator", "c2c") == "C2C"
    for code, t in tx.TYPES.items():
        assert tx.classify(**t.criteria()) == code


def test_majority_of_two_criteria_wins():
    # function and role say C2G, direction says G2C
    assert tx.classify("proposal", "listener", "g2c") == "C2G"
    # function and direction say C2C, role says G2C
    assert tx.classify("brokering", "provider", "c2c") == "C2C"
    # role and direction say G2C, function says C2C
    assert tx.classify("brokering", "provider", "g2c") == "G2C"


def test_three_way_disagreement_is_decided_by_direction():
    assert tx.classify("information", "listener", "c2c") == "C2C"
    assert tx.classify("brokering", "provider", "c2g") == "C2G"
    assert tx.classify("proposal", "facilitator", "g2c") == "G2C"


POINTS_TO = {
    "information": "G2C",
    "proposal": "C2G",
    "brokering": "C2C",
    "provider": "G2C",
    "listener": "C2G",
    "facilitator": "C2C",
    "g2c": "G2C",
    "c2g": "C2G",
    "c2c": "C2C",
}


def test_rule_over_all_27_combinations():
    functions = ("information", "proposal", "brokering")
    roles = ("provider", "listener", "facilitator")
    directions = ("g2c", "c2g", "c2c")
    for f, r, d in itertools.product(functions, roles, directions):
        votes = [POINTS_TO[f], POINTS_TO[r], POINTS_TO[d]]
        majority = [t for t in set(votes) if votes.count(t) >= 2]
        expected = majority[0] if majority else POINTS_TO[d]
        assert tx.classify(f, r, d) == expected, (f, r, d)
        assert (tx.decided_by(f, r, d) == "unanimous") == (len(set(votes)) == 1)


@pytest.mark.parametrize(
    ("args", "criterion"),
    [
        (("info", "provider", "g2c"), "main_function"),
        (("information", "Provider", "g2c"), "government_role"),
        (("information", "provider", "G2C"), "direction"),
        (("information", "provider", ""), "direction"),
    ],
)
def test_unknown_values_are_rejected(args, criterion):
    with pytest.raises(ValueError, match=criterion):
        tx.classify(*args)


def test_examples_are_classified_as_the_notes_assign_them():
    expected = {
        "seoul_open_data": "G2C",
        "democracy_seoul": "C2G",
        "gyeonggi_vog": "C2G",
        "gyeonggi_petitions": "C2G",
        "baedal_teukgeup": "C2C",
        "sharing_seoul": "C2C",
        "incheon_eum": "C2C",
    }
    assert {e.id: e.platform_type for e in tx.EXAMPLES} == expected
    for e in tx.EXAMPLES:
        assert tx.classify(e.main_function, e.government_role, e.direction) == e.platform_type
        assert e.sources and all(s.startswith(("http://", "https://")) for s in e.sources)


def test_pointed_types_and_decided_by_over_all_combinations():
    # The study's three types point as POINTS_TO says; any other type as TYPE_CRITERIA defines.
    points_to = {v: t for t, values in tx.TYPE_CRITERIA.items() for v in values}
    assert POINTS_TO.items() <= points_to.items()
    for f, r, d in itertools.product(*(tx.VALUES[c] for c in tx.CRITERIA)):
        pointed = tx.pointed_types(f, r, d)
        assert pointed == {
            "main_function": points_to[f],
            "government_role": points_to[r],
            "direction": points_to[d],
        }
        n_types = len({points_to[f], points_to[r], points_to[d]})
        expected = {1: "unanimous", 2: "majority", 3: "direction"}[n_types]
        assert tx.decided_by(f, r, d) == expected


def test_pointed_types_rejects_unknown_values():
    with pytest.raises(ValueError, match="government_role"):
        tx.pointed_types("information", "boss", "g2c")


def test_examples_are_all_coded_unanimously():
    # The chapter says every example's three criteria point to its type.
    for ex in tx.EXAMPLES:
        assert tx.decided_by(**ex.criteria()) == "unanimous", ex.id
        assert set(tx.pointed_types(**ex.criteria()).values()) == {ex.platform_type}


def make_platforms() -> pd.DataFrame:
    rows = [
        # lg, type, status
        ("11", "G2C", "operating"),
        ("11", "G2C", "operating"),
        ("11", "C2G", "suspended"),
        ("11010", "G2C", "operating"),
        ("11010", "C2G", "operating"),
        ("11010", "C2G", "operating"),
        ("26", "G2C", "suspended"),
    ]
    return pd.DataFrame(rows, columns=["lg_code", "platform_type", "status"])


def test_inventory_counts_by_hand():
    counts = tx.inventory_counts(make_platforms())
    assert list(counts.index) == [*vocabulary.TYPE_CODES, tx.ALL]
    assert list(counts.columns) == list(tx.INVENTORY_COLUMNS)
    assert counts.loc["G2C"].tolist() == [4, 3, 2]
    # 11's only C2G platform is suspended: it runs none
    assert counts.loc["C2G"].tolist() == [3, 2, 1]
    assert counts.loc["C2C"].tolist() == [0, 0, 0]
    # 11 and 11010 run something; 26 only a suspended platform; each government once
    assert counts.loc[tx.ALL].tolist() == [7, 5, 2]


def test_inventory_counts_of_an_empty_inventory_are_zero():
    counts = tx.inventory_counts(make_platforms().iloc[:0])
    assert (counts.to_numpy() == 0).all()


def test_inventory_counts_rejects_bad_input():
    with pytest.raises(ValueError, match="status"):
        tx.inventory_counts(make_platforms().drop(columns="status"))
    bad = make_platforms()
    bad.loc[0, "platform_type"] = "G2G"
    with pytest.raises(ValueError, match="G2G"):
        tx.inventory_counts(bad)
