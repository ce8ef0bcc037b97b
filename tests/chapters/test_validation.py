"""The validation report as tables and text: every rule and normalisation reason has a label,
the tables balance, and the text fits the page."""

from __future__ import annotations

import ast

import pytest

from platformgov import paths
from platformgov.chapters import faults, validation
from platformgov.inputs.survey import RULES, validate
from platformgov.labels import LANGS, label


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "my-survey"
    made = faults.broken_copy(folder)
    return folder, made, validate(folder)


def test_every_rule_has_a_label_in_both_languages():
    for rule in RULES:
        for lang in LANGS:
            assert label(f"data.rule.{rule}", lang)


def validator_reasons() -> set[str]:
    """The normalisation reasons written in the survey package: the sixth argument of each
    ``Normalisation(...)`` call (an f-string's text with its fields as ``3``), and any string
    assigned to a variable named ``reason``."""
    package = paths.ROOT / "src" / "platformgov" / "inputs" / "survey"
    trees = [ast.parse(path.read_text("utf-8")) for path in sorted(package.glob("*.py"))]
    found = set()

    def text(node):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(v.value if isinstance(v, ast.Constant) else "3" for v in node.values)
        return None

    for node in (node for tree in trees for node in ast.walk(tree)):
        is_call = isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Normalisation"
        if is_call and len(node.args) >= 6 and text(node.args[5]) is not None:
            found.add(text(node.args[5]))
        is_reason = isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "reason" for t in node.targets
        )
        if is_reason and text(node.value) is not None:
            found.add(text(node.value))
    return found


def test_every_normalisation_reason_of_the_validator_has_a_label():
    reasons = validator_reasons()
    assert {"byte-order mark removed", "3 blank rows at the end skipped"} <= reasons
    for reason in reasons:
        for lang in LANGS:
            assert label(validation.reason_key(reason), lang), reason


def test_reason_key_ignores_a_leading_count():
    assert validation.reason_key("2 blank rows at the end skipped") == validation.reason_key(
        "17 blank rows at the end skipped"
    )


@pytest.mark.parametrize("lang", LANGS)
def test_validation_table_balances_and_totals(broken, lang):
    _, _, report = broken
    frame = validation.validation_table(report, lang).frame
    read = frame.loc[label("data.col.rows_read", lang)]
    accepted = frame.loc[label("data.col.rows_accepted", lang)]
    rejected = frame.loc[label("data.col.rows_rejected", lang)]
    assert (read == accepted + rejected).all()
    total = label("data.col.total", lang)
    assert read[total] == report.rows_read
    assert rejected[total] == report.rows_rejected
    assert frame.loc[label("data.col.errors", lang), total] == len(report.errors)
    assert frame.loc[label("data.col.encoding", lang)].iloc[2] == "CP949"


def test_validation_table_of_one_file_has_no_total(tmp_path):
    src = paths.SYNTHETIC / "organisations.csv"
    (tmp_path / "organisations.csv").write_bytes(src.read_bytes())
    report = validate(tmp_path / "organisations.csv")
    frame = validation.validation_table(report, "en").frame
    assert label("data.col.total", "en") not in frame.columns


def test_rule_and_normalisation_tables_count_everything(broken):
    _, _, report = broken
    rules = validation.rule_table(report, "en").frame
    assert rules[label("ui.count", "en")].sum() == len(report.issues)
    assert "likert-range" in rules.index
    assert rules.loc["likert-range", label("data.col.rule_meaning", "en")] == label(
        "data.rule.likert-range", "en"
    )
    changes = validation.normalisation_table(report, "ko").frame
    assert changes[label("ui.count", "ko")].sum() == len(report.normalisations)
    assert label("data.normalisation.decoded_from_cp949", "ko") in set(
        changes[label("data.col.reason", "ko")]
    )


def test_report_text_hides_the_temporary_path_and_fits_the_page(broken):
    folder, _, report = broken
    text = validation.report_text(report, width=60)
    assert str(folder.parent) not in text
    assert text.splitlines()[0].endswith(folder.name)
    assert all(
        validation._display_width(line) <= 60 for line in text.splitlines() if " " in line.strip()
    )
    plain = validation.report_text(report, width=None)
    assert text.split() == plain.split()  # wrapping changes only the line breaks


def test_wrap_line_counts_hangul_as_two_columns():
    line = "  " + " ".join(["가나다"] * 6)  # 6 words of 6 columns
    lines = validation.wrap_line(line, 20)
    assert [validation._display_width(x) for x in lines] == [
        2 + 6 + 1 + 6,
        6 + 6 + 1 + 6,
        6 + 6 + 1 + 6,
    ]
    assert lines[1].startswith("      가")
    assert validation.wrap_line("   ", 10) == [""]
