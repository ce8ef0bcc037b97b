"""Words that follow a value: Korean particles (은/는, 이/가, 을/를, 과/와, 으로/로), English nouns
counted by a number, and lists.

A Korean particle's form depends on whether the last syllable, as read aloud, ends in a consonant
(받침): 정보제공형은, 중구는. A trailing part in brackets is not read (정보제공형 (G2C)은).
Digits are read in Sino-Korean (0.7 → 영 점 칠, so 0.7을), and Latin letters by their Korean
names (G2C → 지투씨, so G2C는). Chapters write their sentences per language and use these helpers
where a value decides the form.
"""

from __future__ import annotations

from collections.abc import Sequence

from platformgov.labels import check_lang, label

#: Particle pairs: (after a final consonant, after a vowel).
PAIRS = {
    "은/는": ("은", "는"),
    "이/가": ("이", "가"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "으로/로": ("으로", "로"),
    "이며/며": ("이며", "며"),
    "이라는/라는": ("이라는", "라는"),
}
#: Digits whose Sino-Korean reading ends in a consonant (영, 일, 삼, 육, 칠, 팔), and the
#: consonant: "l" for ㄹ, which takes 로 rather than 으로.
_DIGITS = {"0": "ng", "1": "l", "3": "m", "6": "k", "7": "l", "8": "l"}
#: Latin letters whose Korean names end in a consonant (엘, 엠, 엔, 알).
_LETTERS = {"l": "l", "m": "m", "n": "n", "r": "l"}
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_RIEUL = 8  # index of ㄹ among the final consonants of a Hangul syllable


def _final(word: str) -> str | None:
    """The final consonant of ``word`` as read (``"l"`` for ㄹ, another mark for the rest), or
    None when it ends in a vowel. A bracketed ending, closing quotes and spaces are skipped."""
    text = word.strip()
    if text.endswith(")") and "(" in text:
        text = text[: text.rindex("(")]
    text = text.rstrip(" )]}'\"”’」』")
    if not text:
        raise ValueError(f"no word to attach a particle to: {word!r}")
    last = text[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        final = (code - _HANGUL_FIRST) % 28
        return None if final == 0 else ("l" if final == _RIEUL else "c")
    if last.isdigit():
        return _DIGITS.get(last)
    if last.isascii() and last.isalpha():
        return _LETTERS.get(last.lower())
    if last == "%":  # read 퍼센트
        return None
    raise ValueError(f"cannot tell how {word!r} ends when read aloud")


def particle(word: str, pair: str) -> str:
    """The form of ``pair`` (e.g. ``"을/를"``) that follows ``word``."""
    if pair not in PAIRS:
        raise ValueError(f"unknown particle {pair!r}; known: {', '.join(PAIRS)}")
    after_consonant, after_vowel = PAIRS[pair]
    final = _final(word)
    if pair == "으로/로" and final == "l":
        return after_vowel
    return after_vowel if final is None else after_consonant


def attach(word: str, pair: str) -> str:
    """``word`` followed by the right form of ``pair``: ``attach("중구", "은/는") == "중구는"``."""
    return word + particle(word, pair)


def plural(n: int, singular: str, plural: str) -> str:
    """The English noun a count of ``n`` takes: ``plural(1, "row", "rows") == "row"``."""
    return singular if n == 1 else plural


def count(n: int, singular: str, plural_: str, fmt: str = ",d") -> str:
    """An English count: ``count(1, "row", "rows") == "1 row"``, ``count(0, …) == "0 rows"``."""
    return f"{format(n, fmt)} {plural(n, singular, plural_)}"


def subject(n: int, verb_one: str, verb_many: str) -> str:
    """An English count as a subject with its verb: "none is", "one is", "5 are"."""
    if n == 0:
        return f"none {verb_one}"
    return f"one {verb_one}" if n == 1 else f"{n:,d} {verb_many}"


def number_word(n: int, lang: str) -> str:
    """A small count in words, as it stands before a noun ("three", "세"); digits above ten."""
    return label(f"number.{n}", lang) if 1 <= n <= 10 else f"{n:,d}"


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
        return ", ".join([*words[:-2], attach(words[-2], "과/와")]) + " " + words[-1]
    return ", ".join(words[:-1]) + " and " + words[-1]
