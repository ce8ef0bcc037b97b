import pytest

from platformgov.chapters.grammar import (
    attach,
    count,
    join,
    number_word,
    particle,
    plural,
    subject,
)


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("중구", "은/는", "중구는"),
        ("정보제공형", "은/는", "정보제공형은"),
        ("민주성", "이/가", "민주성이"),
        ("효율성", "을/를", "효율성을"),
        ("“사용 용이성”", "을/를", "“사용 용이성”을"),
        ("0.7", "을/를", "0.7을"),  # 칠
        ("0.2", "을/를", "0.2를"),  # 이
        ("10", "과/와", "10과"),  # 십
        ("G2C", "은/는", "G2C는"),  # 씨
        ("URL", "을/를", "URL을"),  # 엘
        ("서울", "으로/로", "서울로"),  # ㄹ takes 로
        ("부산", "으로/로", "부산으로"),
        ("17개 시도", "이며/며", "17개 시도며"),
    ],
)
def test_attach_picks_the_form_the_reading_needs(word, pair, expected):
    assert attach(word, pair) == expected


def test_particle_rejects_what_it_cannot_read():
    with pytest.raises(ValueError, match="unknown particle"):
        particle("중구", "에게/께")
    with pytest.raises(ValueError, match="no word"):
        particle(" )", "은/는")
    with pytest.raises(ValueError, match="cannot tell"):
        particle("50°", "은/는")


def test_count_uses_the_singular_for_one_only():
    assert count(0, "row", "rows") == "0 rows"
    assert count(1, "row", "rows") == "1 row"
    assert count(2028, "row", "rows") == "2,028 rows"


def test_particles_follow_the_last_sound():
    assert attach("합성 자료", "을/를") == "합성 자료를"
    assert attach("정보제공형", "이/가") == "정보제공형이"
    assert attach("정보제공형 (G2C)", "과/와") == "정보제공형 (G2C)과"
    assert attach("주민", "은/는") == "주민은"
    # digits are read as Korean numerals: 일, 이, 삼
    assert [attach(d, "이/가") for d in "123"] == ["1이", "2가", "3이"]
    with pytest.raises(ValueError):
        attach("  ", "이/가")


def test_english_counts():
    assert [count(n, "row", "rows") for n in (0, 1, 2, 1234)] == [
        "0 rows",
        "1 row",
        "2 rows",
        "1,234 rows",
    ]


def test_lists():
    assert join(["A"], "en") == "A"
    assert join(["A", "B"], "en") == "A and B"
    assert join(["A", "B", "C"], "en") == "A, B and C"
    assert join(["정보제공형", "정책제안형"], "ko") == "정보제공형과 정책제안형"
    assert join(["자료", "정책제안형", "주민"], "ko") == "자료, 정책제안형과 주민"
    assert join(["주민 자료", "정책"], "ko") == "주민 자료와 정책"
    with pytest.raises(ValueError):
        join([], "en")


def test_numbers_read_as_korean_numerals():
    assert attach("0.045", "과/와") == "0.045와"  # 오
    assert attach("0.05", "을/를") == "0.05를"
    assert attach("0.041", "과/와") == "0.041과"  # 일
    assert attach("7,600", "이/가") == "7,600이"  # 백
    assert attach("3", "은/는") == "3은"  # 삼
    assert attach("2", "을/를") == "2를"  # 이
    assert attach("12%", "이/가") == "12%가"  # 퍼센트
    assert attach("C2C", "을/를") == "C2C를"  # 씨
    assert attach("협력 상대", "이/가") == "협력 상대가"


def test_plurals_and_number_words():
    assert [plural(n, "row", "rows") for n in (0, 1, 2)] == ["rows", "row", "rows"]
    assert number_word(3, "en") == "three"
    assert number_word(5, "ko") == "다섯"
    assert number_word(12, "ko") == "12"


def test_subject_reads_for_none_one_and_many():
    assert subject(0, "is", "are") == "none is"
    assert subject(1, "agrees", "agree") == "one agrees"
    assert subject(1200, "is", "are") == "1,200 are"
