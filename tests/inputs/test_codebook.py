"""The codebook reader: the repository's codebook, its helpers, and malformed codebooks."""

from __future__ import annotations

import re

import pytest

from platformgov import vocabulary
from platformgov.inputs import codebook as cb
from platformgov.labels import label
from platformgov.paths import CODEBOOK


def test_repository_codebook_reads():
    book = cb.read_codebook(CODEBOOK)
    assert book.tables == ("platforms", "performance", "organisations")
    assert len(book.variables) == 29  # 11 + 14 + 4
    for var in book.variables:
        assert var.dtype in cb.DTYPES
        assert var.label_ko and var.label_en and var.question_ko and var.question_en


def test_columns_and_variables_in_codebook_order():
    assert cb.columns("platforms")[:4] == [
        "platform_id",
        "lg_code",
        "platform_name",
        "platform_type",
    ]
    assert cb.columns("organisations") == [
        "lg_code",
        "respondent_unit",
        "it_staff",
        "has_platform_strategy",
    ]
    assert [v.name for v in cb.variables("performance")] == cb.columns("performance")
    required = [v.name for v in cb.variables("performance") if v.required]
    assert required == ["lg_code", "platform_type"]
    with pytest.raises(KeyError, match="unknown survey table"):
        cb.columns("respondents")


def test_typed_specs():
    pid = cb.variable("platforms", "platform_id")
    assert pid.dtype == "id" and pid.required
    assert pid.pattern is not None and pid.pattern.fullmatch("P00012")
    assert not pid.pattern.fullmatch("P0001")
    assert cb.variable("platforms", "platform_type").values[:3] == ("G2C", "C2G", "C2C")
    assert cb.variable("platforms", "partner_metro").values == ("0", "1")
    assert cb.variable("platforms", "year_launched").bounds == (1995, 2022)
    dem = cb.variable("performance", "dem_1")
    assert dem.dtype == "likert" and dem.bounds == (1, 5) and not dem.required
    assert dem.rule_text() == "must be an integer from 1 to 5"
    assert cb.variable("organisations", "lg_code").allowed == "registry"
    assert dem.label("en") == label("dem_1", "en")
    with pytest.raises(KeyError):
        cb.variable("platforms", "dem_1")


def test_outcome_items():
    items = cb.outcome_items()
    assert list(items) == ["democracy", "efficiency", "service_quality", "convenience"]
    assert items["democracy"] == ["dem_1", "dem_2", "dem_3"]
    assert items["service_quality"] == ["qual_1", "qual_2", "qual_3"]
    assert cb.likert_items("conv_") == ["conv_1", "conv_2", "conv_3"]
    assert tuple(items) == vocabulary.OUTCOMES
    every = [name for names in items.values() for name in names]
    likert = [v.name for v in cb.variables("performance") if v.dtype == "likert"]
    assert sorted(every) == sorted(likert)
    with pytest.raises(KeyError):
        cb.likert_items("sat_")


# --- malformed codebooks -----------------------------------------------------------------------

GOOD = CODEBOOK.read_text(encoding="utf-8")


def replace_line(text: str, startswith: str, new: str) -> str:
    lines = text.splitlines()
    (i,) = [i for i, line in enumerate(lines) if line.startswith(startswith)]
    lines[i] = new
    return "\n".join(lines) + "\n"


def edit(text: str, variable_prefix: str, old: str, new: str) -> str:
    lines = text.splitlines()
    (i,) = [i for i, line in enumerate(lines) if line.startswith(variable_prefix)]
    assert old in lines[i]
    lines[i] = lines[i].replace(old, new, 1)
    return "\n".join(lines) + "\n"


def row_of(prefix: str) -> int:
    lines = GOOD.splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(prefix))


@pytest.mark.parametrize(
    ("prefix", "old", "new", "column", "why"),
    [
        ("platforms,channel,", ",category,", ",categorical,", "dtype", "dtype must be one of"),
        ("performance,dem_1,", ",1..5,", ",5..1,", "allowed", "lower bound exceeds"),
        ("performance,dem_2,", ",1..5,", ",1-5,", "allowed", "integer range lo..hi"),
        ("platforms,status,", "operating|suspended", "operating||suspended", "allowed", "'|'"),
        ("platforms,status,", "operating|suspended", "operating|operating", "allowed", "twice"),
        ("platforms,partner_central,", ",0|1,", ",1|2,", "allowed", "must be 0|1"),
        ("platforms,platform_id,", "P[0-9]{5}", "P[0-9{5}", "allowed", "regular expression"),
        ("platforms,lg_code,", ",registry,", ",codes,", "allowed", "must be 'registry'"),
        ("platforms,platform_name,", ",string,,", ",string,x,", "allowed", "no allowed values"),
        ("platforms,domain,", ",yes,", ",maybe,", "required", "yes or no"),
        ("organisations,it_staff,", "organisations,", "organisation,", "table", "table must be"),
        ("organisations,it_staff,", "it_staff", "IT staff", "variable", "variable names"),
    ],
)
def test_malformed_codebook_names_row_and_column(tmp_path, prefix, old, new, column, why):
    path = tmp_path / "codebook.csv"
    path.write_text(edit(GOOD, prefix, old, new), encoding="utf-8")
    with pytest.raises(cb.CodebookError) as info:
        cb.read_codebook(path)
    message = str(info.value)
    assert message.startswith(f"codebook.csv: row {row_of(prefix)}, column '{column}'"), message
    assert why in message


def test_duplicate_variable(tmp_path):
    line = next(line for line in GOOD.splitlines() if line.startswith("performance,eff_2,"))
    path = tmp_path / "codebook.csv"
    path.write_text(GOOD + line + "\n", encoding="utf-8")
    with pytest.raises(cb.CodebookError, match=r"already defined on row \d+"):
        cb.read_codebook(path)


def test_wrong_field_count_and_header(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text(GOOD + "platforms,extra,x,y,string\n", encoding="utf-8")
    n = len(GOOD.splitlines()) + 1
    with pytest.raises(cb.CodebookError, match=re.escape(f"row {n}: 5 fields, the header has 9")):
        cb.read_codebook(path)
    path.write_text(GOOD.replace("question_en", "wording", 1), encoding="utf-8")
    with pytest.raises(cb.CodebookError, match="row 1: the header must be"):
        cb.read_codebook(path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(cb.CodebookError, match="empty"):
        cb.read_codebook(path)
    with pytest.raises(cb.CodebookError, match="cannot read"):
        cb.read_codebook(tmp_path / "missing.csv")


def test_whitespace_in_a_field_is_an_error(tmp_path):
    path = tmp_path / "codebook.csv"
    path.write_text(edit(GOOD, "platforms,status,", ",category,", ",category ,"), "utf-8")
    with pytest.raises(cb.CodebookError, match=r"column 'dtype'.*whitespace"):
        cb.read_codebook(path)
