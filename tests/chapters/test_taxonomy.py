import itertools

import pandas as pd
import pytest

from platformgov import vocabulary
from platformgov.analysis import taxonomy as tx
from platformgov.chapters import taxonomy as ch
from platformgov.chapters.tables import Table
from platformgov.labels import LANGS, label, value_label


def counts_of(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return tx.inventory_counts(pd.DataFrame(rows, columns=["lg_code", "platform_type", "status"]))


MANY = counts_of(
    [
        ("11", "G2C", "operating"),
        ("11", "G2C", "operating"),
        ("11", "C2G", "suspended"),
        ("11010", "G2C", "operating"),
        ("11010", "C2G", "operating"),
        ("11010", "C2G", "operating"),
        ("26", "G2C", "suspended"),
        ("26", "C2C", "operating"),
    ]
)
ONE = counts_of([("11", "C2G", "operating")])
NONE = counts_of([])


@pytest.mark.parametrize("lang", LANGS)
def test_criteria_table(lang):
    table = ch.criteria_frame(lang)
    assert table.shape == (3, 3)
    assert list(table.index) == [label(f"criterion.{c}", lang) for c in tx.CRITERIA]
    assert list(table.columns) == [label(f"platform_type.{t}", lang) for t in vocabulary.TYPE_CODES]
    # the diagonal structure: each type's cells are the labels of its own values
    assert table.iloc[:, 0].tolist() == [
        label("function.information", lang),
        label("role.provider", lang),
        label("direction.g2c", lang),
    ]
    assert table.iloc[2, 2] == label("direction.c2c", lang)
    assert len(set(table.to_numpy().ravel().tolist())) == 9
    shown = ch.criteria_table(lang)
    assert isinstance(shown, Table) and shown.caption == label("taxonomy.criteria_caption", lang)


def test_criterion_value_labels_differ_between_languages_and_reject_unknown_keys():
    for c in tx.CRITERIA:
        for v in tx.VALUES[c]:
            ko = ch.criterion_value_label(c, v, "ko")
            en = ch.criterion_value_label(c, v, "en")
            assert ko and en and ko != en
    with pytest.raises(ValueError, match="criterion"):
        ch.criterion_value_label("colour", "red", "en")
    with pytest.raises(ValueError, match="allowed: g2c, c2g, c2c"):
        ch.criterion_value_label("direction", "g2g", "en")
    with pytest.raises(ValueError):
        ch.criteria_frame("fr")


@pytest.mark.parametrize("lang", LANGS)
def test_examples_frame_and_sources(lang):
    frame = ch.examples_frame(lang)
    assert frame.index.name == label("platform_name", lang)
    assert list(frame.index) == [ch.example_text(ex, "name", lang) for ex in tx.EXAMPLES]
    assert len(set(frame.index)) == len(tx.EXAMPLES)
    assert list(frame.columns) == [
        label(k, lang) for k in ("ui.operator", "platform_type", "ui.fact")
    ]
    assert (frame.map(lambda v: isinstance(v, str) and v.strip() != "")).all().all()
    lines = ch.example_sources(lang).data.splitlines()
    assert len(lines) == len(tx.EXAMPLES)
    for ex, line in zip(tx.EXAMPLES, lines, strict=True):
        assert line.startswith(f"- {ch.example_text(ex, 'name', lang)}: ")
        for url in ex.sources:
            assert f"<{url}>" in line
        assert (f"<{ex.url}>" in line) == bool(ex.url)


def test_example_names_match_the_notes():
    names = {e.id: ch.example_text(e, "name", "ko") for e in tx.EXAMPLES}
    assert names["seoul_open_data"] == "서울 열린데이터광장"
    assert names["democracy_seoul"] == "민주주의 서울"
    assert names["gyeonggi_vog"] == "경기도의 소리"
    assert names["gyeonggi_petitions"] == "경기도민 청원"
    assert names["baedal_teukgeup"].startswith("배달특급")
    assert names["incheon_eum"].startswith("인천e음")
    with pytest.raises(ValueError, match="url"):
        ch.example_text(tx.EXAMPLES[0], "url", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_decision_table_shows_the_rule_deciding(lang):
    cases = {
        "seoul_open_data": ("information", "provider", "g2c"),
        "neighbourhood_map": {
            "main_function": "information",
            "government_role": "facilitator",
            "direction": "c2c",
        },
        "safety_map": ("information", "facilitator", "c2g"),
    }
    out = ch.decision_frame(cases, lang)
    assert list(out.index) == [
        label("example.seoul_open_data.name", lang),
        label("taxonomy.case.neighbourhood_map", lang),
        label("taxonomy.case.safety_map", lang),
    ]
    assert out.index.name == label("taxonomy.case", lang)
    verdict = out[label("taxonomy.verdict", lang)].tolist()
    assert verdict == [value_label("platform_type", t, lang) for t in ("G2C", "C2C", "C2G")]
    how = out[label("taxonomy.decided_by", lang)].tolist()
    assert how == [
        label(f"taxonomy.decided_by.{k}", lang) for k in ("unanimous", "majority", "direction")
    ]
    role = out[label("criterion.government_role", lang)].iloc[2]
    assert role == f"{label('role.facilitator', lang)} (C2C)"
    assert ch.decision_table(cases, lang).caption == label("taxonomy.decision_caption", lang)


def test_decision_table_needs_a_label_for_every_case():
    with pytest.raises(KeyError, match=r"taxonomy\.case\.nowhere"):
        ch.decision_frame({"nowhere": ("information", "provider", "g2c")}, "en")
    with pytest.raises(ValueError):
        ch.decision_frame({"safety_map": ("information", "provider")}, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_inventory_table_labels(lang):
    out = ch.inventory_frame(MANY, lang)
    assert list(out.index) == [
        *(value_label("platform_type", t, lang) for t in vocabulary.TYPE_CODES),
        label("taxonomy.all_types", lang),
    ]
    assert list(out.columns) == [label(f"taxonomy.{c}", lang) for c in tx.INVENTORY_COLUMNS]
    assert out.iloc[-1].tolist() == [8, 6, 3]
    assert ch.inventory_table(MANY, lang).footer_rows == 1


def test_inventory_sentences_for_many():
    assert ch.inventory_text(MANY, "en") == (
        "The survey this page reads lists 8 platforms: 4 information platforms (50%), "
        "3 policy proposal platforms (38%) and 1 brokering platform (12%). The most common "
        "type is Information (G2C), the least common Brokering private capacity (C2C)."
    )
    assert ch.inventory_text(MANY, "ko") == (
        "이 페이지가 읽는 조사의 플랫폼 목록에는 모두 8개 플랫폼이 있습니다. 정보제공형이 "
        "4개(50%), 정책제안형이 3개(38%), 민간역량중개형이 1개(12%)로, 가장 많은 유형은 "
        "정보제공형 (G2C), 가장 적은 유형은 민간역량중개형 (C2C)입니다."
    )
    assert ch.operating_text(MANY, "en") == (
        "Of these, 6 platforms are operating, run by 3 local governments."
    )
    assert ch.operating_text(MANY, "ko") == (
        "운영 중인 플랫폼은 모두 6개이고, 하나 이상 운영하는 지자체는 3곳입니다."
    )


def test_inventory_sentences_for_one_and_ties():
    en = ch.inventory_text(ONE, "en")
    assert en.startswith("The survey this page reads lists 1 platform: 0 information platforms")
    assert "1 policy proposal platform (100%)" in en
    assert en.endswith(
        "The most common type is Policy proposal (C2G), the least common "
        "Information (G2C) and Brokering private capacity (C2C)."
    )
    ko = ch.inventory_text(ONE, "ko")
    assert ko.endswith("가장 적은 유형은 정보제공형 (G2C)과 민간역량중개형 (C2C)입니다.")
    assert ch.operating_text(ONE, "en") == (
        "Of these, 1 platform is operating, run by 1 local government."
    )
    even = counts_of([("11", t, "suspended") for t in vocabulary.TYPE_CODES])
    assert ch.inventory_text(even, "en").endswith("All types are equally common.")
    assert ch.operating_text(even, "en") == "None of these platforms is operating."
    assert ch.operating_text(even, "ko") == "운영 중인 플랫폼은 없습니다."


def test_inventory_sentences_for_none():
    assert ch.inventory_text(NONE, "en") == "The survey this page reads lists no platforms."
    assert "하나도 없습니다" in ch.inventory_text(NONE, "ko")
    assert ch.operating_text(NONE, "en") == ch.operating_text(NONE, "ko") == ""


def test_rows_text():
    assert [ch.rows_text(n, "en") for n in (0, 1, 1234)] == ["0 rows", "1 row", "1,234 rows"]
    assert ch.rows_text(1234, "ko") == "1,234행"


def test_numbers_have_the_same_keys_in_both_languages_and_count_right():
    combinations = list(itertools.product(*(tx.VALUES[c] for c in tx.CRITERIA)))
    split = [c for c in combinations if tx.decided_by(*c) == "direction"]
    performance = pd.DataFrame({"lg_code": ["11", "11", "26"]})
    ko, en = (ch.numbers(MANY, performance, combinations, split, split[:2], lang) for lang in LANGS)
    assert ko.keys() == en.keys()
    assert en["n_examples"] == (len(tx.EXAMPLES), ",d")
    assert (en["n_combinations"], en["n_split"], en["n_changed"]) == (
        (27, ",d"),
        (6, ",d"),
        (2, ",d"),
    )
    assert en["performance_rows"] == "3 rows" and ko["performance_rows"] == "3행"
    assert en["inventory"] == ch.inventory_text(MANY, "en")
    with pytest.raises(ValueError):
        ch.numbers(MANY, performance, combinations, split, split, "fr")


def test_type_names_drop_the_code():
    assert ch.type_name("C2C", "ko") == "민간역량중개형"
    assert [ch.type_name(t, "en") for t in vocabulary.TYPE_CODES] == [
        value_label("platform_type", t, "en").split(" (")[0] for t in vocabulary.TYPE_CODES
    ]
