"""Revised Romanization of Korean (2000) for place names.

Only what place names need: syllables are split into initial, vowel and final sounds, the
final of one syllable is read together with the initial of the next (linking, nasalisation,
the ㄹ rules, palatalisation, aspiration with ㅎ), and tense sounds are not marked, as the
system prescribes. Administrative suffixes (시, 군, 구, 도, …) are written after a hyphen
and no sound change is applied across that hyphen: 종로구 → ``Jongno-gu``.
"""

from __future__ import annotations

_BASE = 0xAC00
_LAST = 0xD7A3

# Initial consonants in Unicode order: ㄱ ㄲ ㄴ ㄷ ㄸ ㄹ ㅁ ㅂ ㅃ ㅅ ㅆ ㅇ ㅈ ㅉ ㅊ ㅋ ㅌ ㅍ ㅎ
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_INITIAL_ROMAN = {
    "ㄱ": "g", "ㄲ": "kk", "ㄴ": "n", "ㄷ": "d", "ㄸ": "tt", "ㄹ": "r", "ㅁ": "m",
    "ㅂ": "b", "ㅃ": "pp", "ㅅ": "s", "ㅆ": "ss", "ㅇ": "", "ㅈ": "j", "ㅉ": "jj",
    "ㅊ": "ch", "ㅋ": "k", "ㅌ": "t", "ㅍ": "p", "ㅎ": "h",
}  # fmt: skip

_VOWELS = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
    "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]  # fmt: skip

# Finals in Unicode order (index 0 = none).
_FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]

# A compound final keeps its first consonant and hands the second to a following ㅇ.
_COMPOUND = {
    "ㄳ": ("ㄱ", "ㅅ"), "ㄵ": ("ㄴ", "ㅈ"), "ㄶ": ("ㄴ", "ㅎ"), "ㄺ": ("ㄹ", "ㄱ"),
    "ㄻ": ("ㄹ", "ㅁ"), "ㄼ": ("ㄹ", "ㅂ"), "ㄽ": ("ㄹ", "ㅅ"), "ㄾ": ("ㄹ", "ㅌ"),
    "ㄿ": ("ㄹ", "ㅍ"), "ㅀ": ("ㄹ", "ㅎ"), "ㅄ": ("ㅂ", "ㅅ"),
}  # fmt: skip

# The seven sounds a syllable can end in, and how each is written.
_NEUTRAL = {
    "ㄱ": "ㄱ", "ㄲ": "ㄱ", "ㅋ": "ㄱ", "ㄳ": "ㄱ", "ㄺ": "ㄱ",
    "ㄴ": "ㄴ", "ㄵ": "ㄴ", "ㄶ": "ㄴ",
    "ㄷ": "ㄷ", "ㅅ": "ㄷ", "ㅆ": "ㄷ", "ㅈ": "ㄷ", "ㅊ": "ㄷ", "ㅌ": "ㄷ", "ㅎ": "ㄷ",
    "ㄹ": "ㄹ", "ㄼ": "ㄹ", "ㄽ": "ㄹ", "ㄾ": "ㄹ", "ㅀ": "ㄹ",
    "ㅁ": "ㅁ", "ㄻ": "ㅁ",
    "ㅂ": "ㅂ", "ㅍ": "ㅂ", "ㅄ": "ㅂ", "ㄿ": "ㅂ",
    "ㅇ": "ㅇ",
}  # fmt: skip
_FINAL_ROMAN = {"ㄱ": "k", "ㄴ": "n", "ㄷ": "t", "ㄹ": "l", "ㅁ": "m", "ㅂ": "p", "ㅇ": "ng"}

# Before ㄴ or ㅁ the stops become nasals.
_NASAL = {"ㄱ": "ㅇ", "ㄷ": "ㄴ", "ㅂ": "ㅁ"}
# ㅎ next to a plain stop makes it aspirated.
_ASPIRATE = {"ㄱ": "ㅋ", "ㄷ": "ㅌ", "ㅈ": "ㅊ", "ㅂ": "ㅍ"}

SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시", "시", "군", "구", "도")
_SUFFIX_ROMAN = {"시": "si", "군": "gun", "구": "gu", "도": "do"}


def _split(syllable: str) -> tuple[str, int, str]:
    n = ord(syllable) - _BASE
    return _INITIALS[n // 588], (n % 588) // 28, _FINALS[n % 28]


def _is_hangul(ch: str) -> bool:
    return _BASE <= ord(ch) <= _LAST


def _join(final: str, initial: str) -> tuple[str, str]:
    """The final and next initial as pronounced (both as jamo; "" for none)."""
    if not final:
        return "", initial
    if initial == "ㅇ":  # linking: the final is carried over to the next syllable
        if final in _COMPOUND:
            first, second = _COMPOUND[final]
            return (first, "" if second == "ㅎ" else second)
        if final == "ㅇ":
            return "ㅇ", "ㅇ"
        if final == "ㅎ":
            return "", "ㅇ"
        return "", final
    if initial in _ASPIRATE and final in ("ㅎ", "ㄶ", "ㅀ"):
        return ("" if final == "ㅎ" else _COMPOUND[final][0]), _ASPIRATE[initial]
    sound = _NEUTRAL[final]
    if initial == "ㄹ":
        if sound in ("ㄹ", "ㄴ"):
            return "ㄹ", "ㄹ"
        # After any other consonant ㄹ is read ㄴ, which in turn nasalises a stop.
        initial = "ㄴ"
    if initial in ("ㄴ", "ㅁ"):
        if sound == "ㄹ" and initial == "ㄴ":
            return "ㄹ", "ㄹ"
        return _NASAL.get(sound, sound), initial
    return sound, initial


def romanize_word(word: str) -> str:
    """Romanize a run of Hangul syllables (no suffix handling), lower case."""
    if not word:
        return ""
    if not all(_is_hangul(ch) for ch in word):
        raise ValueError(f"not a Hangul word: {word!r}")
    parts = [_split(ch) for ch in word]
    initials = [p[0] for p in parts]
    vowels = [p[1] for p in parts]
    finals = [p[2] for p in parts]
    for i in range(len(parts) - 1):
        final, nxt = _join(finals[i], initials[i + 1])
        # Palatalisation: ㄷ or ㅌ before 이 is read ㅈ or ㅊ.
        if (
            nxt in ("ㄷ", "ㅌ")
            and finals[i] in ("ㄷ", "ㅌ", "ㄾ")
            and _VOWELS[vowels[i + 1]] == "i"
        ):
            nxt = "ㅈ" if nxt == "ㄷ" else "ㅊ"
        finals[i], initials[i + 1] = final, nxt
    out = []
    for i, (initial, vowel, final) in enumerate(zip(initials, vowels, finals, strict=True)):
        if initial == "ㄹ" and i > 0 and finals[i - 1] == "ㄹ":
            out.append("l")
        else:
            out.append(_INITIAL_ROMAN.get(initial, ""))
        out.append(_VOWELS[vowel])
        if final:
            out.append(_FINAL_ROMAN[_NEUTRAL.get(final, final)])
    return "".join(out)


def romanize(name: str) -> str:
    """Romanize a name, capitalised; words separated by spaces are romanized one by one."""
    words = name.split()
    return " ".join(romanize_word(w).capitalize() for w in words)


def romanize_place(name: str) -> str:
    """Romanize a local government's name with its unit after a hyphen: 수원시 → Suwon-si.

    The unit suffix (시, 군, 구, 도) is split off only if something is left before it; the
    longer titles 특별시, 광역시, 특별자치시 and 특별자치도 are dropped (서울특별시 → Seoul),
    following the usual short English forms, except that 특별자치도 keeps ``-do``. Several
    words are romanized one by one: "서울특별시 종로구" → ``Seoul Jongno-gu``.
    """
    words = name.split()
    if len(words) != 1:
        return " ".join(romanize_place(w) for w in words)
    name = words[0]
    for suffix in SUFFIXES:
        stem = name[: -len(suffix)]
        if name.endswith(suffix) and stem:
            if suffix in ("특별시", "광역시", "특별자치시"):
                return romanize(stem)
            unit = "do" if suffix == "특별자치도" else _SUFFIX_ROMAN[suffix]
            return f"{romanize(stem)}-{unit}"
    return romanize(name)
