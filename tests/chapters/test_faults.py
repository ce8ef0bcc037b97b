"""The broken copy of the synthetic survey, checked fault by fault against the validator's
report, and the plain copy for the exercises."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from platformgov import paths
from platformgov.chapters import faults, validation
from platformgov.inputs import codebook
from platformgov.inputs.survey import RULES, validate
from platformgov.labels import label


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "my-survey"
    made = faults.broken_copy(folder)
    return folder, made, validate(folder)


def test_broken_copy_gives_each_fault_its_rule_or_normalisation(broken):
    _, made, report = broken
    assert not report.ok
    issues = {(i.file, i.row, i.column, i.rule) for i in report.issues}
    changes = {(n.file, n.row, n.column, n.reason) for n in report.normalisations}
    rules = set(RULES)
    kinds = set()
    for f in made:
        kinds.add(f.kind)
        if f.expect in rules:
            assert (f.file, f.row, f.column, f.expect) in issues, f
        else:
            assert (f.file, f.row, f.column, f.expect) in changes, f
        assert label(f"data.fault.{f.kind}", "ko")
    assert len(kinds) == len(made)  # every fault is of its own kind


def test_broken_copy_takes_the_government_s_other_rows_with_it(broken):
    _, made, report = broken
    (fault,) = [f for f in made if f.kind == "ambiguous_name"]
    code = fault.old
    n = 0
    for table in ("platforms", "performance"):
        with (paths.SYNTHETIC / f"{table}.csv").open(encoding="utf-8") as fh:
            n += sum(row["lg_code"] == code for row in csv.DictReader(fh))
    assert n >= 1
    assert validation.rows_rejected_by(report, "lg-not-in-organisations") == n
    # the other made sit on rows of other governments
    for f in made:
        if f.kind != "ambiguous_name" and f.column == "lg_code":
            assert f.old != code


def test_broken_copy_writes_the_files_it_claims(broken):
    folder, made, _ = broken
    raw = (folder / "organisations.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.decode("cp949").splitlines()[0].split(",")
    assert header[-1] == "memo"
    rows = list(csv.reader((folder / "performance.csv").open(encoding="utf-8")))
    for f in made:
        if f.file == "performance.csv":
            assert rows[f.row - 1][rows[0].index(f.column)] == f.new


def test_copy_synthetic_copies_the_three_tables(tmp_path):
    folder = faults.copy_synthetic(tmp_path / "copy")
    for table in codebook.TABLES:
        assert (folder / f"{table}.csv").read_bytes() == (
            paths.SYNTHETIC / f"{table}.csv"
        ).read_bytes()


def test_fault_table_lists_every_fault(broken):
    _, made, _ = broken
    frame = faults.fault_table(made, "en").frame
    assert len(frame) == len(made)
    assert list(frame.index) == [f.file for f in made]
    assert Path(frame.index[0]).suffix == ".csv"
