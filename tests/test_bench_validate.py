"""The cheap piece of benchmarks/validate.py: the large file it writes. Nothing is timed here."""

from __future__ import annotations

import importlib.util

import pytest

from platformgov.inputs.survey import validate
from platformgov.paths import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location(
        "bench_validate", ROOT / "benchmarks" / "validate.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_large_file_has_the_size_and_rows_it_says(bench, tmp_path):
    path = tmp_path / "platforms.csv"
    rows = bench.write_large_csv(path, 0.25)
    assert 0.25 * 1024 * 1024 <= path.stat().st_size < 0.25 * 1024 * 1024 + 1000
    report = validate(path)
    (table,) = report.files
    assert table.rows_read == rows
    assert table.rows_accepted == rows  # ids repeat only after 100,000 rows
