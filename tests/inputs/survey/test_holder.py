"""Reading the holder's SPSS file in chunks: every case, its value labels and its declared
missing values, whatever the size of a chunk."""

from __future__ import annotations

import pyreadstat
import pytest

from platformgov import paths
from platformgov.inputs import questionnaire
from platformgov.inputs.survey import holder, load_survey
from platformgov.inputs.survey.rules import TABLES


@pytest.fixture(scope="module")
def sav(tmp_path_factory, registry):
    out = tmp_path_factory.mktemp("questionnaire")
    survey = load_survey(paths.SYNTHETIC, strict=True)
    questionnaire.write({t: survey.table(t) for t in TABLES}, out, registry)
    return out / "survey.sav"


def test_chunks_give_every_case_with_its_labels_and_missing_values(sav, monkeypatch):
    frame, meta = pyreadstat.read_sav(sav, user_missing=True)
    assert len(frame) > 7 * 3
    monkeypatch.setattr(holder, "CHUNK_ROWS", 7)
    chunked = holder.read_holder(sav)
    expected = [
        (i + 1, [holder._text(v, False) for v in values])
        for i, values in enumerate(frame.itertuples(index=False))
    ]
    assert list(chunked.records()) == expected
    assert list(chunked.records()) == expected  # each pass reads the file afresh
    assert chunked.rows_read == len(expected)
    assert set(chunked.labels) == set(meta.variable_value_labels)
    assert chunked.ranges and set(chunked.ranges) == set(meta.missing_ranges)
    # A declared missing code is read as the code (user_missing), known to be missing.
    column, ((lo, _),) = next(iter(chunked.ranges.items()))
    assert chunked.declared_missing(column, holder.number_text(lo))


def test_a_file_without_cases_has_its_columns_and_says_so(sav, tmp_path):
    frame, meta = pyreadstat.read_sav(sav, user_missing=True)
    empty = tmp_path / "empty.sav"
    pyreadstat.write_sav(frame.iloc[:0], empty, column_labels=meta.column_names_to_labels)
    read = holder.read_holder(empty)
    assert read.columns == [str(c) for c in frame.columns]
    assert not list(read.records())
    assert [i.rule for i in read.issues] == ["header-only"]
