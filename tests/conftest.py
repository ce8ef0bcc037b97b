"""Shared fixtures: real 2022 codes from the registry, a small valid survey written from Python,
and a runner for the command line that captures its output."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from platformgov.cli import main
from platformgov.inputs import codebook


@pytest.fixture(scope="session")
def registry():
    from platformgov.inputs.registry import load_registry

    return load_registry()


@pytest.fixture(scope="session")
def lg(registry) -> dict[str, str]:
    """2022 codes of a few real local governments, looked up by their 2022 names."""

    def code(sido: str, name: str | None = None) -> str:
        if name is None:
            hit = registry[(registry["level"] == "metro") & (registry["name_ko"] == sido)]
        else:
            hit = registry[(registry["sido_name_ko"] == sido) & (registry["name_ko"] == name)]
        assert len(hit) == 1, f"the registry should list {sido} {name or ''} once"
        return str(hit["code"].iloc[0])

    return {
        "seoul": code("서울특별시"),
        "jongno": code("서울특별시", "종로구"),
        "gangwon": code("강원도"),
        "chuncheon": code("강원도", "춘천시"),
        "jeonbuk": code("전라북도"),
        "jeonju": code("전라북도", "전주시"),
        "gunwi": code("경상북도", "군위군"),
    }


@pytest.fixture
def survey_tables(lg) -> dict[str, list[dict[str, str]]]:
    """A small valid survey as text, one dict per row (edit it, then write it)."""
    s, j, g, c = lg["seoul"], lg["jongno"], lg["gangwon"], lg["chuncheon"]
    organisations = [
        [s, "planning", "25", "1"],
        [j, "informatisation", "4", "0"],
        [c, "service", "3", ""],
        [g, "other", "", "1"],
    ]
    platforms = [
        ["P00001", s, "서울 열린데이터광장", "G2C", "open_data", "web", "2012", "operating", "0", "0", "1"],
        ["P00002", s, "민주주의 서울", "C2G", "participation", "web", "2017", "operating", "1", "0", "0"],
        ["P00003", j, "종로 주민 제안", "C2G", "participation", "mobile_app", "2020", "operating", "0", "1", "1"],
        ["P00004", j, "종로 공유 센터", "C2C", "economy", "", "", "suspended", "", "", ""],
        ["P00005", c, "춘천 생활 안내", "G2C", "welfare", "web_and_app", "2018", "operating", "0", "1", "0"],
        ["P00006", g, "강원 도민 제안", "C2G", "participation", "messenger", "2021", "operating", "1", "0", "1"],
    ]  # fmt: skip
    performance = [
        [s, "G2C", *"454434544545"],
        [s, "C2G", *"343323434343"],
        [j, "C2G", *"333333333333"],
        [j, "C2C", *"21222132221", ""],
        [c, "G2C", *"554455445554"],
        [g, "C2G", *"432343234323"],
    ]
    rows = {"platforms": platforms, "performance": performance, "organisations": organisations}
    return {
        table: [dict(zip(codebook.columns(table), r, strict=True)) for r in data]
        for table, data in rows.items()
    }


def csv_text(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    columns = columns if columns is not None else list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row.get(c, "") for c in columns] for row in rows)
    return out.getvalue()


@pytest.fixture
def write_table():
    """``write_table(path, rows, columns=None, encoding="utf-8")``: write one CSV table."""

    def write(path: Path, rows, columns=None, encoding: str = "utf-8") -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(csv_text(rows, columns).encode(encoding))
        return path

    return write


@pytest.fixture
def write_survey(write_table):
    """``write_survey(folder, tables, encoding="utf-8")``: one CSV per table; returns folder."""

    def write(folder: Path, tables: dict[str, list[dict[str, str]]], encoding: str = "utf-8"):
        for table, rows in tables.items():
            write_table(folder / f"{table}.csv", rows, encoding=encoding)
        return folder

    return write


@pytest.fixture
def survey_dir(tmp_path, survey_tables, write_survey) -> Path:
    """A folder holding the small valid survey as UTF-8 CSV files."""
    return write_survey(tmp_path / "survey", survey_tables)


@pytest.fixture
def cli(capsys):
    """``cli(*args) -> (exit status, stdout + stderr)`` of ``python -m platformgov``."""

    def run(*args) -> tuple[int, str]:
        status = main([str(a) for a in args])
        captured = capsys.readouterr()
        return status, captured.out + captured.err

    return run
