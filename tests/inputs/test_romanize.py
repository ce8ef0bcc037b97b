"""Revised Romanization of Korean: the rules' own examples and place-name forms."""

from __future__ import annotations

import pytest

from platformgov.inputs.romanize import romanize, romanize_place, romanize_word


# Examples given with the rules of the 2000 system (sound changes, ㄹ, ㅎ, palatalisation).
@pytest.mark.parametrize(
    ("hangul", "roman"),
    [
        ("구미", "Gumi"),
        ("영동", "Yeongdong"),
        ("백암", "Baegam"),
        ("옥천", "Okcheon"),
        ("합덕", "Hapdeok"),
        ("호법", "Hobeop"),
        ("월곶", "Wolgot"),
        ("벚꽃", "Beotkkot"),
        ("한밭", "Hanbat"),
        ("구리", "Guri"),
        ("설악", "Seorak"),
        ("칠곡", "Chilgok"),
        ("임실", "Imsil"),
        ("울릉", "Ulleung"),
        ("대관령", "Daegwallyeong"),
        ("백마", "Baengma"),
        ("종로", "Jongno"),
        ("왕십리", "Wangsimni"),
        ("별내", "Byeollae"),
        ("신라", "Silla"),
        ("해돋이", "Haedoji"),
        ("같이", "Gachi"),
        ("좋고", "Joko"),
        ("놓다", "Nota"),
        ("묵호", "Mukho"),
        ("집현전", "Jiphyeonjeon"),
        ("압구정", "Apgujeong"),
        ("낙동강", "Nakdonggang"),
        ("울산", "Ulsan"),
        ("서울", "Seoul"),
    ],
)
def test_rule_examples(hangul: str, roman: str) -> None:
    assert romanize(hangul) == roman


@pytest.mark.parametrize(
    ("name", "roman"),
    [
        ("서울특별시", "Seoul"),
        ("부산광역시", "Busan"),
        ("세종특별자치시", "Sejong"),
        ("경기도", "Gyeonggi-do"),
        ("전라북도", "Jeollabuk-do"),
        ("제주특별자치도", "Jeju-do"),
        ("수원시", "Suwon-si"),
        ("종로구", "Jongno-gu"),
        ("중구", "Jung-gu"),
        ("군위군", "Gunwi-gun"),
        ("철원군", "Cheorwon-gun"),
        ("밀양시", "Miryang-si"),
        ("강릉시", "Gangneung-si"),
        ("동래구", "Dongnae-gu"),
        ("의령군", "Uiryeong-gun"),
        ("창녕군", "Changnyeong-gun"),
        ("미추홀구", "Michuhol-gu"),
    ],
)
def test_place_names(name: str, roman: str) -> None:
    assert romanize_place(name) == roman


def test_only_the_last_unit_is_split_off() -> None:
    assert romanize_place("완도군") == "Wando-gun"  # 도 inside the name stays
    assert romanize_place("영등포구") == "Yeongdeungpo-gu"
    assert romanize_word("영등포구") == "yeongdeungpogu"
    assert romanize_place("서울특별시 종로구") == "Seoul Jongno-gu"


def test_rejects_non_hangul() -> None:
    with pytest.raises(ValueError):
        romanize_word("Seoul")
