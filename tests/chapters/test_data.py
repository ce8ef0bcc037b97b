"""Summaries for the chapter "Data": small hand-made inputs whose answers are known, and the
broken copy of the synthetic survey checked fault by fault against the validator's report."""

from __future__ import annotations

import ast
import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from IPython.display import Markdown

from platformgov import paths
from platformgov.analysis import measures
from platformgov.chapters import data as datasummary
from platformgov.chapters.tables import Table
from platformgov.inputs import codebook, registry, synthetic
from platformgov.inputs.survey import RULES, validate
from platformgov.labels import label, value_label

LANGS = ("ko", "en")


# --- helpers ---------------------------------------------------------------------------------


def small_registry() -> pd.DataFrame:
    """Two 광역 and six 기초 units with round covariates."""
    rows = [
        ("11", "metro", "special_city", 1000, 0.50),
        ("26", "metro", "metropolitan_city", 900, 0.40),
        ("11110", "basic", "gu", 100, 0.10),
        ("11140", "basic", "gu", 300, 0.30),
        ("41110", "basic", "si", 200, 0.20),
        ("41130", "basic", "si", 400, 0.40),
        ("47720", "basic", "gun", 50, 0.05),
        ("47730", "basic", "gun", 70, 0.07),
    ]
    return pd.DataFrame(
        rows, columns=["code", "level", "kind", "population_2020", "share_basic_pension_2020"]
    )


def empty_table(table: str, n: int = 0) -> pd.DataFrame:
    return pd.DataFrame({c: [pd.NA] * n for c in codebook.columns(table)})


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken") / "my-survey"
    faults = datasummary.broken_copy(folder)
    return folder, faults, validate(folder)


# --- the survey's structure --------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_table_overview_counts_variables_and_rows(lang):
    tables = {"platforms": empty_table("platforms", 4)}
    tables["performance"] = empty_table("performance", 2)
    tables["organisations"] = empty_table("organisations", 0)
    frame = datasummary.table_overview(tables, lang)
    assert list(frame.index) == [label(f"table.{t}", lang) for t in codebook.TABLES]
    n_vars = frame[label("ui.variables", lang)].tolist()
    assert n_vars == [len(codebook.variables(t)) for t in codebook.TABLES]
    assert frame[label("data.col.rows", lang)].tolist() == [4, 2, 0]
    keys = frame[label("data.col.key", lang)].tolist()
    assert keys[1] == "lg_code + platform_type"


@pytest.mark.parametrize("lang", LANGS)
def test_likert_items_list_every_item_with_its_wording(lang):
    frame = datasummary.likert_items(lang)
    likert = [v for v in codebook.variables("performance") if v.dtype == "likert"]
    assert list(frame.index) == [v.name for v in likert]
    wording = frame[label("data.col.wording", lang)]
    for v in likert:
        assert wording[v.name] == v.question(lang)
    outcome = frame[label("ui.outcome", lang)]
    assert outcome["conv_1"] == label("outcome.convenience", lang)


def test_likert_scale_names_every_point():
    lo, hi = codebook.variable("performance", "dem_1").bounds
    text = datasummary.likert_scale("en")
    assert text.count(" = ") == hi - lo + 1 == datasummary.likert_points()
    assert text.startswith(f"{lo} = {value_label('likert', lo, 'en')}")
    assert text.endswith(f"{hi} = {value_label('likert', hi, 'en')}")


@pytest.mark.parametrize("table", codebook.TABLES)
def test_codebook_table_follows_the_codebook(table):
    frame = datasummary.codebook_table(table, "en")
    assert list(frame.index) == codebook.columns(table)
    required = frame[label("data.col.required", "en")]
    for v in codebook.variables(table):
        assert required[v.name] == value_label("binary", int(v.required), "en")
        allowed = frame.loc[v.name, label("data.col.allowed", "en")]
        if v.dtype == "category":
            assert allowed.split(" | ") == list(v.values)
        if v.dtype == "likert":
            assert allowed == f"{v.bounds[0]}–{v.bounds[1]}"


# --- the registry --------------------------------------------------------------------------


def test_kind_counts_in_registry_order_and_unknown_kinds_fail():
    reg = small_registry()
    counts = datasummary.kind_counts(reg)
    assert list(counts.index) == list(registry.KINDS)
    assert counts["gu"] == 2 and counts["province"] == 0
    assert counts.sum() == len(reg)
    bad = reg.assign(kind=reg["kind"].replace("gun", "county"))
    with pytest.raises(ValueError, match="county"):
        datasummary.kind_counts(bad)


def test_registry_table_shows_present_kinds_and_the_total():
    reg = small_registry()
    frame = datasummary.registry_table(reg, "ko")
    n = frame[label("ui.local_governments", "ko")]
    assert n.iloc[-1] == len(reg)
    assert frame.index[-1] == label("data.col.total", "ko")
    assert label("kind.province", "ko") not in frame.index
    assert n.iloc[:-1].sum() == len(reg)


def test_the_real_registry_has_the_2022_map():
    reg = registry.load_registry()
    assert datasummary.level_counts(reg) == {"metro": 17, "basic": 226}
    kinds = datasummary.kind_counts(reg)
    assert (kinds["si"], kinds["gun"], kinds["gu"]) == (75, 82, 69)


def test_covariate_table_summarises_basic_units_only():
    reg = small_registry()
    frame = datasummary.covariate_table(reg, "en")
    pop = frame.loc[label("data.registry.population_2020", "en")]
    # basic populations 100, 300, 200, 400, 50, 70: median 150, min 50, max 400
    assert pop[label("data.col.median", "en")] == "150"
    assert pop[label("data.col.min", "en")] == "50"
    assert pop[label("data.col.max", "en")] == "400"
    share = frame.loc[label("data.registry.share_basic_pension_2020", "en")]
    assert share[label("data.col.max", "en")] == "40.0%"
    assert len(frame) == 2  # only the covariates present in ``reg``


def test_every_registry_covariate_has_a_label_and_a_definition():
    reg = registry.load_registry()
    columns = datasummary.covariate_columns(reg)
    assert "share_basic_pension_2020" in columns
    for lang in LANGS:
        frame = datasummary.covariate_table(reg, lang)
        assert len(frame) == len(columns)


def test_post2022_changes_come_from_the_registry_constants():
    frame = datasummary.post2022_changes("en")
    expected = len(registry.RENAMED_SIDO) + len(registry.MOVED_UNITS)
    assert len(frame) == expected
    dates = frame[label("data.col.date", "en")].tolist()
    assert dates == sorted(dates)
    pairs = set(
        zip(
            frame[label("data.col.code_new", "en")],
            frame[label("data.col.code_2022", "en")],
            strict=True,
        )
    )
    for new, (old, _, _) in {**registry.RENAMED_SIDO, **registry.MOVED_UNITS}.items():
        assert (new, old) in pairs


def test_vintage_date_reads_the_registry_vintage():
    assert datasummary.vintage_date().replace("-", "") == registry.VINTAGE


# --- the validation report --------------------------------------------------------------------


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
            assert label(datasummary.reason_key(reason), lang), reason


def test_reason_key_ignores_a_leading_count():
    assert datasummary.reason_key("2 blank rows at the end skipped") == datasummary.reason_key(
        "17 blank rows at the end skipped"
    )


def test_broken_copy_gives_each_fault_its_rule_or_normalisation(broken):
    _, faults, report = broken
    assert not report.ok
    issues = {(i.file, i.row, i.column, i.rule) for i in report.issues}
    changes = {(n.file, n.row, n.column, n.reason) for n in report.normalisations}
    rules = set(RULES)
    kinds = set()
    for f in faults:
        kinds.add(f.kind)
        if f.expect in rules:
            assert (f.file, f.row, f.column, f.expect) in issues, f
        else:
            assert (f.file, f.row, f.column, f.expect) in changes, f
        assert label(f"data.fault.{f.kind}", "ko")
    assert len(kinds) == len(faults)  # every fault is of its own kind


def test_broken_copy_takes_the_government_s_other_rows_with_it(broken):
    _, faults, report = broken
    (fault,) = [f for f in faults if f.kind == "ambiguous_name"]
    code = fault.old
    n = 0
    for table in ("platforms", "performance"):
        with (paths.SYNTHETIC / f"{table}.csv").open(encoding="utf-8") as fh:
            n += sum(row["lg_code"] == code for row in csv.DictReader(fh))
    assert n >= 1
    assert datasummary.rows_rejected_by(report, "lg-not-in-organisations") == n
    # the other faults sit on rows of other governments
    for f in faults:
        if f.kind != "ambiguous_name" and f.column == "lg_code":
            assert f.old != code


def test_broken_copy_writes_the_files_it_claims(broken):
    folder, faults, _ = broken
    raw = (folder / "organisations.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.decode("cp949").splitlines()[0].split(",")
    assert header[-1] == "memo"
    rows = list(csv.reader((folder / "performance.csv").open(encoding="utf-8")))
    for f in faults:
        if f.file == "performance.csv":
            assert rows[f.row - 1][rows[0].index(f.column)] == f.new


@pytest.mark.parametrize("lang", LANGS)
def test_validation_table_balances_and_totals(broken, lang):
    _, _, report = broken
    frame = datasummary.validation_table(report, lang)
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
    frame = datasummary.validation_table(report, "en")
    assert label("data.col.total", "en") not in frame.columns


def test_rule_and_normalisation_tables_count_everything(broken):
    _, _, report = broken
    rules = datasummary.rule_table(report, "en")
    assert rules[label("ui.count", "en")].sum() == len(report.issues)
    assert "likert-range" in rules.index
    assert rules.loc["likert-range", label("data.col.rule_meaning", "en")] == label(
        "data.rule.likert-range", "en"
    )
    changes = datasummary.normalisation_table(report, "ko")
    assert changes[label("ui.count", "ko")].sum() == len(report.normalisations)
    assert label("data.normalisation.decoded_from_cp949", "ko") in set(
        changes[label("data.col.reason", "ko")]
    )


def test_report_text_hides_the_temporary_path_and_fits_the_page(broken):
    folder, _, report = broken
    text = datasummary.report_text(report, width=60)
    assert str(folder.parent) not in text
    assert text.splitlines()[0].endswith(folder.name)
    assert all(
        datasummary._display_width(line) <= 60 for line in text.splitlines() if " " in line.strip()
    )
    plain = datasummary.report_text(report, width=None)
    assert text.split() == plain.split()  # wrapping changes only the line breaks


def test_wrap_line_counts_hangul_as_two_columns():
    line = "  " + " ".join(["가나다"] * 6)  # 6 words of 6 columns
    lines = datasummary.wrap_line(line, 20)
    assert [datasummary._display_width(x) for x in lines] == [
        2 + 6 + 1 + 6,
        6 + 6 + 1 + 6,
        6 + 6 + 1 + 6,
    ]
    assert lines[1].startswith("      가")
    assert datasummary.wrap_line("   ", 10) == [""]


# --- non-response and missing answers -------------------------------------------------------


def test_response_counts_by_group_with_a_total():
    reg = small_registry()
    orgs = pd.DataFrame({"lg_code": ["11", "11110", "41110", "41130", "47720"]})
    counts = datasummary.response_counts(orgs, reg)
    assert list(counts.index) == [*datasummary.RESPONSE_GROUPS, "all"]
    assert counts.loc["metro", "registry"] == 2 and counts.loc["metro", "responding"] == 1
    assert counts.loc["si", "rate"] == 1.0
    assert counts.loc["all", "responding"] == 5
    assert math.isclose(counts.loc["all", "rate"], 5 / 8)
    assert datasummary.lowest_response_group(counts) == "metro"  # tie with gu and gun: first
    with pytest.raises(ValueError, match="99999"):
        datasummary.response_counts(pd.DataFrame({"lg_code": ["99999"]}), reg)


def test_response_table_formats_rates_and_leaves_empty_groups_blank():
    reg = small_registry()
    reg = reg[reg["kind"] != "gun"]
    counts = datasummary.response_counts(pd.DataFrame({"lg_code": ["41110"]}), reg)
    frame = datasummary.response_table(counts, "en")
    rate = frame[label("data.col.response_rate", "en")]
    assert rate[label("kind.gun", "en")] == ""
    assert rate[label("kind.si", "en")] == "50.0"
    assert frame.index[-1] == label("data.col.total", "en")


def test_missingness_uses_the_right_denominators():
    reg = small_registry()
    platforms = empty_table("platforms", 4)
    platforms["lg_code"] = ["11", "11110", "11110", "41110"]
    platforms["channel"] = ["web", None, "web", None]
    platforms["year_launched"] = [2020, 2021, None, 2019]
    platforms["partner_central"] = platforms["partner_private"] = [0, 1, 0, 0]
    platforms["partner_metro"] = [None, 1, None, 0]  # blank on the 광역 row by design
    performance = empty_table("performance", 2)
    performance["dem_1"] = [3, None]
    organisations = empty_table("organisations", 1)
    tables = {"platforms": platforms, "performance": performance, "organisations": organisations}
    frame = datasummary.missingness(tables, reg).set_index("variable")
    assert "platform_id" not in frame.index  # required: never missing in accepted rows
    assert frame.loc["channel", "share"] == 0.5
    assert frame.loc["partner_metro", "applicable"] == 3
    assert math.isclose(frame.loc["partner_metro", "share"], 1 / 3)
    perf = frame[frame["table"] == "performance"]
    assert perf.loc["dem_1", "share"] == 0.5
    assert perf.loc["dem_2", "share"] == 1.0
    assert datasummary.most_missing(frame.reset_index(), "platforms")[0] == "channel"


def test_blank_answers_and_rows_missing_a_scale():
    k = measures.MIN_ITEMS
    items = codebook.outcome_items()
    performance = empty_table("performance", 2)
    for dim in items.values():
        for item in dim:
            performance[item] = [4, 4]
    performance = performance.astype({i: "Float64" for d in items.values() for i in d})
    # row 0 keeps exactly k democracy items; row 1 keeps k - 1
    dem = items["democracy"]
    for item in dem[k:]:
        performance.loc[0, item] = pd.NA
    for item in dem[k - 1 :]:
        performance.loc[1, item] = pd.NA
    blank, cells = datasummary.blank_answers(performance)
    assert cells == 2 * sum(len(d) for d in items.values())
    assert blank == (len(dem) - k) + (len(dem) - k + 1)
    assert datasummary.rows_missing_a_scale(performance) == 1


# --- the synthetic process -------------------------------------------------------------------


def test_reference_response_is_the_logistic_of_the_parameters():
    params = synthetic.load_params()
    r = params["response"]
    got = datasummary.reference_response(params)
    assert math.isclose(got["si"], 1 / (1 + math.exp(-r["intercept"])))
    assert math.isclose(got["gun"], 1 / (1 + math.exp(-(r["intercept"] + r["gun"]))))
    assert got["metro"] > got["si"] if r["metro"] > 0 else got["metro"] <= got["si"]


def test_platform_parameters_copy_the_parameter_file():
    params = synthetic.load_params()
    frame = datasummary.platform_parameters(params, "en")
    row = frame.loc[value_label("platform_type", "C2C", "en")]
    assert row[label("data.col.base_mean", "en")] == params["counts"]["base_mean"]["C2C"]
    assert (
        row[label("data.col.p_partner_private", "en")]
        == params["platforms"]["partners"]["C2C"]["private"]
    )


def test_effects_table_fills_unlisted_terms_with_zero():
    truth = pd.DataFrame(
        [
            ("G2C", "democracy", "coop_metro", 0.2),
            ("G2C", "convenience", "log_n_platforms", 0.4),
            ("C2G", "democracy", "coop_private", 0.1),
        ],
        columns=["type", "outcome", "term", "value"],
    )
    frame = datasummary.effects_table(truth, "G2C", "en")
    assert list(frame.index) == [
        label("term.log_n_platforms", "en"),
        label("term.coop_metro", "en"),
        label("term.coop_private", "en"),
    ]
    assert list(frame.columns) == [
        label("outcome.democracy", "en"),
        label("outcome.convenience", "en"),
    ]
    assert frame.loc[label("term.coop_metro", "en"), label("outcome.democracy", "en")] == 0.2
    assert frame.loc[label("term.coop_private", "en")].sum() == 0.0
    assert datasummary.effects_table(truth, "C2C", "en").to_numpy().sum() == 0.0


def test_effects_tables_hold_every_true_effect():
    truth = synthetic.true_effects()
    total = sum(datasummary.effects_table(truth, t, "ko").to_numpy().sum() for t in synthetic.TYPES)
    assert math.isclose(total, truth["value"].sum())


def test_synthetic_survey_is_the_bundled_one(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.SURVEY_ENV, str(tmp_path))
    survey = datasummary.synthetic_survey()
    assert survey.source == "synthetic"
    assert survey.report.ok


def test_copy_synthetic_copies_the_three_tables(tmp_path):
    folder = datasummary.copy_synthetic(tmp_path / "copy")
    for table in codebook.TABLES:
        assert (folder / f"{table}.csv").read_bytes() == (
            paths.SYNTHETIC / f"{table}.csv"
        ).read_bytes()


# --- display --------------------------------------------------------------------------------


def test_as_table_and_its_empty_sentence():
    frame = pd.DataFrame({"a": [1]}, index=["x"])
    shown = datasummary.as_table(
        frame, "en", "data.caption.rules", "data.col.rule", caption_detail="Z"
    )
    assert isinstance(shown, Table)
    assert shown.caption == f"{label('data.caption.rules', 'en')}: Z"
    empty = datasummary.as_table(
        frame.iloc[:0], "ko", "data.caption.rules", "data.col.rule", empty_key="data.none.issues"
    )
    assert isinstance(empty, Markdown)
    assert empty.data == label("data.none.issues", "ko")
    with pytest.raises(ValueError):
        datasummary.as_table(frame.iloc[:0], "en", "data.caption.rules", "data.col.rule")


def test_fault_table_lists_every_fault(broken):
    _, faults, _ = broken
    frame = datasummary.fault_table(faults, "en")
    assert len(frame) == len(faults)
    assert list(frame.index) == [f.file for f in faults]
    assert Path(frame.index[0]).suffix == ".csv"
