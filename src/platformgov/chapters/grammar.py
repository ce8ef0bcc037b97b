"""Small pieces of grammar for sentences with numbers: Korean particles, English plurals, lists.

A Korean particle follows the sound a word ends in (이/가, 을/를, 은/는, 과/와); an English noun
follows its count (1 platform, 2 platforms). Chapters write their sentences per language and
use these helpers where a value decides the form.
"""

from __future__ import annotations

from collections.abc import Sequence

from platformgov.labels import check_lang

# Whether a digit, read in Korean (영, 일, 이, 삼, 사, 오, 육, 칠, 팔, 구), ends in a consonant.
_DIGIT_HAS_FINAL = dict(zip("0123456789", (1, 1, 0, 1, 0, 0, 1, 1, 1, 0), strict=True))


def has_final_consonant(word: str) -> bool:
    """Whether a Korean word ends in a consonant (받침), which decides 이/가, 을/를, 과/와.

    A trailing part in brackets is not read (``정보제공형 (G2C)`` ends in 형); a final digit is
    read as a Korean numeral, and any other character (a Latin letter) as ending in a vowel.
    """
    text = word.strip()
    if text.endswith(")") and "(" in text:
        text = text[: text.rindex("(")].rstrip()
    if not text:
        raise ValueError(f"no word to attach a particle to in {word!r}")
    last = text[-1]
    if "가" <= last <= "힣":
        return (ord(last) - ord("가")) % 28 != 0
    return bool(_DIGIT_HAS_FINAL.get(last, 0))


def particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """``word`` followed by the particle its last sound takes: ``particle("자료", "을", "를")``
    is ``자료를``."""
    return word + (after_consonant if has_final_consonant(word) else after_vowel)


def counted(n: int, singular: str, plural: str) -> str:
    """An English count with its noun: ``1 platform``, ``0 platforms``, ``1,234 platforms``."""
    return f"{n:,d} {singular if n == 1 else plural}"


def join(words: Sequence[str], lang: str) -> str:
    """``A``, ``A and B``, ``A, B and C``; in Korean ``A와 B``, ``A, B과 C`` (the particle
    follows the word before the last)."""
    check_lang(lang)
    words = list(words)
    if not words:
        raise ValueError("nothing to join")
    if len(words) == 1:
        return words[0]
    if lang == "ko":
        return ", ".join([*words[:-2], particle(words[-2], "과", "와")]) + " " + words[-1]
    return ", ".join(words[:-1]) + " and " + words[-1]
