import pytest

from platformgov.chapters.grammar import counted, has_final_consonant, join, particle


def test_particles_follow_the_last_sound():
    assert particle("합성 자료", "을", "를") == "합성 자료를"
    assert particle("정보제공형", "이", "가") == "정보제공형이"
    assert particle("정보제공형 (G2C)", "과", "와") == "정보제공형 (G2C)과"
    assert particle("주민", "은", "는") == "주민은"
    # digits are read as Korean numerals: 일, 이, 삼
    assert [has_final_consonant(d) for d in "123"] == [True, False, True]
    with pytest.raises(ValueError):
        particle("  ", "이", "가")


def test_english_counts():
    assert [counted(n, "row", "rows") for n in (0, 1, 2, 1234)] == [
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
