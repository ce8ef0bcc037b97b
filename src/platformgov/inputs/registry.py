"""The 2022 registry of local governments and their boundaries, as the book reads them, and the
resolution of codes and names found in survey files. The files are made by
:mod:`platformgov.inputs.registry_build`.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from platformgov import paths

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

BDONG_PACKAGE = "PublicDataReader"

BDONG_VERSION = "1.1.1.post2"

# The registry is the map in force on this day (the code list itself runs to 2022-09-01).
VINTAGE = "20221231"

CENSUS_YEAR = 2020

METRO_KINDS = (
    ("특별자치시", "special_self_governing_city"),
    ("특별자치도", "special_self_governing_province"),
    ("특별시", "special_city"),
    ("광역시", "metropolitan_city"),
    ("도", "province"),
)

BASIC_KINDS = {"시": "si", "군": "gun", "구": "gu"}

KINDS = tuple(k for _, k in METRO_KINDS) + tuple(BASIC_KINDS.values())

# Regions by 2022 시도 code.
REGIONS = {
    "capital": ("11", "28", "41"),
    "chungcheong": ("30", "36", "43", "44"),
    "honam": ("29", "45", "46"),
    "yeongnam": ("26", "27", "31", "47", "48"),
    "gangwon": ("42",),
    "jeju": ("50",),
}

REGION_OF = {sido: region for region, codes in REGIONS.items() for sido in codes}

COUNT_COLUMNS = ("population_2020", "households_2020")

FLOAT_COLUMNS = {
    "area_km2": 2,
    "density_2020": 2,
    "share_one_person_hh_2020": 6,
    "share_foreign_2020": 6,
    "share_basic_pension_2020": 6,
    "share_basic_livelihood_2020": 6,
    "grdp_per_capita_2020": 3,
}


# Short forms of the 시도 names as they appear in addresses and survey files.
SIDO_SHORT = {
    "11": ("서울", "서울시"),
    "26": ("부산", "부산시"),
    "27": ("대구", "대구시"),
    "28": ("인천", "인천시"),
    "29": ("광주", "광주시"),  # "광주시" is also 경기도 광주시, so it stays ambiguous
    "30": ("대전", "대전시"),
    "31": ("울산", "울산시"),
    "36": ("세종", "세종시"),
    "41": ("경기",),
    "42": ("강원",),
    "43": ("충북",),
    "44": ("충남",),
    "45": ("전북",),
    "46": ("전남",),
    "47": ("경북",),
    "48": ("경남",),
    "50": ("제주",),
}


# Changes after 2022 that the registry does not follow: new 시도 codes and names, and 군위군.
RENAMED_SIDO = {
    "51": ("42", "강원특별자치도", "2023-06-11"),
    "52": ("45", "전북특별자치도", "2024-01-18"),
}


MOVED_UNITS = {"27720": ("47720", "대구광역시 군위군", "2023-07-01")}


# Codes of 2022 that name a unit of the registry at another level.
ALIAS_CODES = {"36110": "36"}  # 세종's own 시군구-level code


# Column order of the CSV and the number of decimals of each float column.
ID_COLUMNS = (
    "code",
    "sido_code",
    "name_ko",
    "name_en",
    "full_name_ko",
    "full_name_en",
    "sido_name_ko",
    "sido_name_en",
    "level",
    "kind",
    "region",
    "census_code",
)
COLUMNS = ID_COLUMNS + COUNT_COLUMNS + tuple(FLOAT_COLUMNS)
STRING_COLUMNS = ("code", "sido_code", "census_code")


class RegistryError(ValueError):
    """The sources do not give the registry they should (counts, joins, missing values)."""


@cache
def registry_cached(path: str) -> pd.DataFrame:
    return pd.read_csv(
        path, dtype={col: str for col in ID_COLUMNS}, keep_default_na=False, encoding="utf-8"
    )


def load_registry(path: str | Path | None = None) -> pd.DataFrame:
    """The committed registry (codes as strings); a fresh copy of a cached read."""
    return registry_cached(str(Path(path) if path else paths.REGISTRY)).copy()


def load_boundaries(level: str = "basic", path: str | Path | None = None) -> gpd.GeoDataFrame:
    """Boundaries of ``level`` ("basic", "metro" or "all") as a GeoDataFrame in EPSG:4326."""
    import geopandas as gpd

    if level not in ("basic", "metro", "all"):
        raise ValueError(f"level must be 'basic', 'metro' or 'all', not {level!r}")
    frame = boundaries_cached(str(Path(path) if path else paths.BOUNDARIES))
    if level != "all":
        frame = frame[frame["level"] == level]
    return gpd.GeoDataFrame(frame.reset_index(drop=True), geometry="geometry", crs=4326)


@cache
def boundaries_cached(path: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    # Read through Python, so that a build records the file as an input of the page.
    frame = gpd.read_file(io.BytesIO(Path(path).read_bytes()))
    frame["code"] = frame["code"].astype(str)
    return frame.set_crs(4326, allow_override=True)


_TRAILING_ZERO = re.compile(r"([0-9]+)\.0+")


def _norm(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value))
    text = re.sub(r"[\u200b-\u200d\ufeff]", "", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class _Index:
    codes: frozenset[str]
    exact: dict[str, str]  # 2022 official names → code
    alias: dict[str, str | None]  # other spellings → code (None: ambiguous)
    notes: dict[str, str]  # other spellings → what was assumed


@cache
def lg_index() -> _Index:
    reg = load_registry()
    metro = reg[reg["level"] == "metro"]
    basic = reg[reg["level"] == "basic"]
    exact = dict(zip(metro["name_ko"], metro["code"], strict=True))
    exact.update(zip(basic["full_name_ko"], basic["code"], strict=True))
    alias: dict[str, str | None] = {}
    notes: dict[str, str] = {}

    def add(key: str, code: str, note: str) -> None:
        for variant in dict.fromkeys((key, key.replace(" ", ""))):
            if variant in exact:
                continue
            if variant in alias and alias[variant] != code:
                alias[variant] = None  # two units share this spelling: ambiguous
            elif variant not in alias:
                alias[variant] = code
                spaced = f"{note}; spaces ignored" if note else "spaces ignored"
                notes[variant] = note if variant == key else spaced

    for row in metro.itertuples(index=False):
        add(row.name_ko, row.code, "")
        add(row.name_en.lower(), row.code, "English name")
        for short in SIDO_SHORT.get(row.code, ()):
            add(short, row.code, f"short name {short!r} read as {row.name_ko}")
    for new, (old, new_name, since) in RENAMED_SIDO.items():
        old_name = metro.loc[metro["code"] == old, "name_ko"].iloc[0]
        add(new_name, old, f"{new_name} (since {since}, code {new}) read as 2022 {old_name}")
    for row in basic.itertuples(index=False):
        add(row.full_name_ko, row.code, "")
        for short in SIDO_SHORT.get(row.sido_code, ()):
            add(f"{short} {row.name_ko}", row.code, f"short 시도 name {short!r}")
        add(row.name_ko, row.code, "matched by its name alone (unique in the registry)")
        add(row.full_name_en.lower(), row.code, "English name")
        add(row.name_en.lower(), row.code, "English name alone (unique in the registry)")
        for old, new_name, since in RENAMED_SIDO.values():
            if row.sido_code == old:
                note = f"{new_name} (since {since}) read as 2022 {row.sido_name_ko}"
                add(f"{new_name} {row.name_ko}", row.code, note)
    for new_code, (old, new_name, since) in MOVED_UNITS.items():
        note = f"{new_name} (since {since}, code {new_code}) read as 2022 code {old}"
        add(new_name, old, note)
        sido_name, unit_name = new_name.split(" ")
        new_sido = exact[sido_name]
        for short in SIDO_SHORT.get(new_sido, ()):
            add(f"{short} {unit_name}", old, note)
    return _Index(codes=frozenset(reg["code"]), exact=exact, alias=alias, notes=notes)


def resolve_lg(value: str) -> tuple[str | None, str | None]:
    """The 2022 code of a local government given as a code or a name, and a note.

    Returns ``(code, None)`` when ``value`` is a 2022 code or official name as it stands,
    ``(code, note)`` when it had to be normalised (whitespace, full-width characters, a
    post-2022 code or name, a short 시도 name, a 10-digit 법정동 code, an English name), and
    ``(None, None)`` when it is unknown or ambiguous (e.g. "중구" alone names six 자치구).
    """
    if value is None:
        return None, None
    raw = str(value)
    text = _norm(raw)
    if not text:
        return None, None
    notes: list[str] = []
    if text != raw:
        notes.append("whitespace or character width normalised")
    index = lg_index()
    compact = text.replace(" ", "")
    if re.fullmatch(r"[0-9.]+", compact):
        return _resolve_code(compact, notes, index)
    if text in index.exact:
        return index.exact[text], "; ".join(notes) or None
    for key in (text, compact, text.lower(), compact.lower()):
        if key in index.alias:
            code = index.alias[key]
            if code is None:
                return None, None
            notes.append(index.notes[key])
            return code, "; ".join(notes)
    return None, None


def _resolve_code(text: str, notes: list[str], index: _Index) -> tuple[str | None, str | None]:
    m = _TRAILING_ZERO.fullmatch(text)
    if m:
        notes.append(f"trailing .0 removed from {text}")
        text = m.group(1)
    if not text.isdigit():
        return None, None
    if len(text) == 10:
        if text.endswith("00000000"):
            notes.append(f"10-digit code {text} read as 시도 code {text[:2]}")
            text = text[:2]
        elif text.endswith("00000"):
            notes.append(f"10-digit code {text} read as 시군구 code {text[:5]}")
            text = text[:5]
        else:
            return None, None
    if text in index.codes:
        return text, "; ".join(notes) or None
    if len(text) == 5 and text.endswith("000") and text[:2] in index.codes:
        notes.append(f"시도-level code {text} read as {text[:2]}")
        return text[:2], "; ".join(notes)
    if text in ALIAS_CODES:
        notes.append(f"{text} is 세종특별자치시's own code; read as {ALIAS_CODES[text]}")
        return ALIAS_CODES[text], "; ".join(notes)
    if text in MOVED_UNITS:
        old, name, since = MOVED_UNITS[text]
        notes.append(f"post-2022 code {text} ({name}, since {since}) read as 2022 code {old}")
        return old, "; ".join(notes)
    if len(text) in (2, 5) and text[:2] in RENAMED_SIDO:
        old_sido, name, since = RENAMED_SIDO[text[:2]]
        old = old_sido + text[2:]
        if old in index.codes:
            notes.append(f"post-2022 code {text} ({name}, since {since}) read as 2022 code {old}")
            return old, "; ".join(notes)
    return None, None
