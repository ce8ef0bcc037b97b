"""The chapter "Data": the facts its prose states, its counted sentences, and numbers() on the
repository's own data."""

from __future__ import annotations

import math

import pytest

from platformgov import paths
from platformgov.analysis import nonresponse
from platformgov.chapters import data, faults
from platformgov.inputs import codebook, registry, synthetic
from platformgov.inputs.survey import load_survey, validate
from platformgov.labels import LANGS, label, value_label


def test_likert_scale_names_every_point():
    lo, hi = codebook.variable("performance", "dem_1").bounds
    text = data.likert_scale("en")
    assert text.count(" = ") == hi - lo + 1 == data.likert_points()
    assert text.startswith(f"{lo} = {value_label('likert', lo, 'en')}")
    assert text.endswith(f"{hi} = {value_label('likert', hi, 'en')}")


def test_vintage_date_reads_the_registry_vintage():
    assert data.vintage_date().replace("-", "") == registry.VINTAGE


def test_reference_response_is_the_logistic_of_the_parameters():
    params = synthetic.load_params()
    r = params["response"]
    got = data.reference_response(params)
    assert math.isclose(got["si"], 1 / (1 + math.exp(-r["intercept"])))
    assert math.isclose(got["gun"], 1 / (1 + math.exp(-(r["intercept"] + r["gun"]))))
    assert got["metro"] > got["si"] if r["metro"] > 0 else got["metro"] <= got["si"]


def test_synthetic_survey_is_the_bundled_one(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.SURVEY_ENV, str(tmp_path))
    survey = data.synthetic_survey()
    assert survey.kind == "synthetic"
    assert survey.report.ok


def test_nonzero_clause_reads_for_none_one_and_many():
    assert data.nonzero_clause(20, 60, "en") == "20 of the 60 coefficients are not zero"
    assert data.nonzero_clause(1, 60, "en") == "1 of the 60 coefficients is not zero"
    assert data.nonzero_clause(0, 60, "en") == "none of the 60 coefficients differs from zero"
    assert data.nonzero_clause(1, 60, "ko") == "계수 60개 가운데 1개가 0이 아닙니다"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """What the chapter computes, from the synthetic survey and the real registry."""
    survey = load_survey(paths.SYNTHETIC)
    reg = registry.load_registry()
    folder = tmp_path_factory.mktemp("demo") / "my-survey"
    broken = faults.broken_copy(folder)
    return {
        "survey": survey,
        "reg": reg,
        "response": nonresponse.response_counts(survey.organisations, reg),
        "missing": nonresponse.missingness(survey, reg),
        "broken": broken,
        "demo_report": validate(folder),
        "params": synthetic.load_params(),
    }


def page_numbers(page, lang):
    return data.numbers(**page, lang=lang)


def test_numbers_have_the_same_names_in_both_languages(page):
    ko, en = (page_numbers(page, lang) for lang in LANGS)
    assert ko.keys() == en.keys()
    for name, entry in en.items():
        assert isinstance(entry, tuple) == isinstance(ko[name], tuple), name


def test_numbers_count_what_the_page_shows(page):
    n = page_numbers(page, "en")
    report = page["survey"].report
    assert n["val_read"] == (report.rows_read, ",d")
    assert n["val_errors"] == f"{len(report.errors)} errors"  # the synthetic data have none
    assert n["reg_total"] == (243, ",d") and n["reg_metro"] == (17, ",d")
    assert n["demo_faults"] == f"{len(page['broken'])} faults"
    assert n["demo_rejected"] == f"{page['demo_report'].rows_rejected} rejected rows"
    same_name = int((page["reg"]["name_ko"] == faults.AMBIGUOUS_NAME).sum())
    assert n["demo_name_count"] == f"{same_name} districts" and same_name > 1
    total = page["response"].loc["all"]
    assert n["resp_missing"] == (int(total["registry"] - total["responding"]), ",d")
    assert n["resp_rate"][0] == pytest.approx(100 * total["rate"])
    perf = page["missing"][page["missing"]["table"] == "performance"]
    top = perf.loc[perf["share"].idxmax()]
    assert n["miss_top_item"] == label(top["variable"], "en")
    assert n["miss_top_share"][0] == pytest.approx(100 * top["share"])
    truth = synthetic.true_effects(page["params"])
    assert str(len(truth)) in n["syn_nonzero"]
    assert n["syn_seed"] == (int(page["params"]["seed"]), "d")


def test_korean_numbers_carry_their_counters_and_particles(page):
    n = page_numbers(page, "ko")
    assert n["demo_name"] == "중구는"
    assert n["demo_rejected"] == f"{page['demo_report'].rows_rejected}행"
    assert n["val_normalised"].endswith("건")
    assert n["likert_scale"].startswith(f"1 = {value_label('likert', 1, 'ko')}")
