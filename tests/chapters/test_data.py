"""The chapter "Data": the facts its prose states, its counted sentences, and numbers() on the
repository's own data."""

from __future__ import annotations

import math
import re

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
    assert f"{report.rows_read:,d}" in n["val_sentence"]
    assert report.error_count == 0 and "0 errors" not in n["val_sentence"]  # none: said in words
    assert n["reg_total"] == (243, ",d") and n["reg_metro"] == (17, ",d")
    assert n["demo_faults"] == f"{len(page['broken'])} faults"
    assert n["demo_rejected"] == f"{page['demo_report'].rows_rejected} rejected rows"
    same_name = int((page["reg"]["name_ko"] == faults.AMBIGUOUS_NAME).sum())
    assert n["demo_name_count"] == f"{same_name} districts" and same_name > 1
    total = page["response"].loc["all"]
    assert f"{int(total['responding']):,d}" in n["resp_sentence"]
    assert f"{int(total['registry']):,d}" in n["resp_sentence"]
    perf = page["missing"][page["missing"]["table"] == "performance"]
    top = perf.loc[perf["share"].idxmax()]
    assert label(top["variable"], "en") in n["miss_blank_sentence"]
    truth = synthetic.true_effects(page["params"])
    assert str(len(truth)) in n["syn_nonzero"]
    assert n["syn_seed"] == (int(page["params"]["seed"]), "d")


def test_korean_numbers_carry_their_counters_and_particles(page):
    n = page_numbers(page, "ko")
    assert n["demo_name"] == "중구는"
    assert n["demo_rejected"] == f"{page['demo_report'].rows_rejected}행"
    assert n["likert_scale"].startswith(f"1 = {value_label('likert', 1, 'ko')}")


#: A count of zero glued into a sentence: "0행", "0 rejected", "and 0".
ZERO_COUNT = re.compile(r"(?<![\d,.])0(?:[개행건곳]| [a-z])")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_validation_sentence_reads_for_none_one_and_many(lang):
    clean = data.validation_sentence(2028, 2028, 0, 0, 0, 0, lang)
    mixed = data.validation_sentence(10, 9, 1, 1, 0, 3, lang)
    lost = data.validation_sentence(5, 0, 5, 7, 0, 0, lang)
    for text in (clean, mixed, lost):
        assert not ZERO_COUNT.search(text), text
    if lang == "en":
        assert clean == (
            "All 2,028 rows read were accepted; the report counts no errors, warnings or "
            "normalised values."
        )
        assert mixed == (
            "Of the 10 rows read, 9 were accepted and 1 rejected; the report counts 1 error, "
            "no warnings and 3 normalised values."
        )
        assert lost.startswith("All 5 rows read were rejected; the report counts 7 errors")
        assert data.validation_sentence(2, 1, 1, 1, 1, 1, lang).startswith(
            "Of the 2 rows read, 1 was accepted and 1 rejected; the report counts 1 error, "
            "1 warning and 1 normalised value."
        )
    else:
        assert (
            clean
            == "읽은 2,028행을 모두 받아들였습니다. 보고서에는 오류도, 경고도, 정규화한 값도 없습니다."
        )
        assert mixed == (
            "읽은 10행 가운데 9행을 받아들이고 1행을 거부했습니다. "
            "보고서에는 오류 1건과 정규화한 값 3건이 있습니다. 경고는 없습니다."
        )
        assert (
            lost
            == "읽은 5행을 모두 거부했습니다. 보고서에는 오류 7건이 있습니다. 경고와 정규화한 값은 없습니다."
        )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_response_sentence_reads_for_all_some_and_none(lang):
    every = data.response_sentence(243, 243, 100.0, lang)
    some = data.response_sentence(197, 243, 81.07, lang)
    none = data.response_sentence(0, 243, 0.0, lang)
    assert "243" in every and "100.0" in every and not ZERO_COUNT.search(every)
    assert "197" in some and "46" in some and "81.1" in some
    assert not ZERO_COUNT.search(none)
    if lang == "en":
        assert every == "All 243 local governments in the registry did (100.0 %)."
        assert some == "197 of the 243 local governments in the registry did (81.1 %); 46 did not."
        assert none == "None of the 243 local governments in the registry did."
    else:
        assert every == "명부의 243개 지자체가 모두 응답했습니다(100.0%)."
        assert (
            some
            == "명부의 243개 지자체 가운데 197곳이 응답했고(81.1%), 46곳은 응답하지 않았습니다."
        )


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_blank_and_scale_sentences_read_for_none_one_and_many(lang):
    none = data.blank_sentence(7000, 0, "Item", 0.0, lang)
    one = data.blank_sentence(7000, 1, "Item", 0.001, lang)
    many = data.blank_sentence(7000, 350, "Item", 0.08, lang)
    assert "Item" not in none and not ZERO_COUNT.search(none)
    assert "Item" in one and "Item" in many and "350" in many and "5.0" in many
    no_rows = data.scale_rows_sentence(0, 600, lang)
    rows = data.scale_rows_sentence(12, 600, lang)
    assert "600" in rows and "12" in rows and not ZERO_COUNT.search(no_rows)
    if lang == "en":
        assert none == "None of the 7,000 answers to the performance statements is blank."
        assert " 1 (0.0 %) is blank" in one and "350 (5.0 %) are blank" in many
        assert no_rows == "none of the 600 performance rows loses a scale for that reason."
    else:
        assert none == "성과 진술에 대한 응답 7,000개 가운데 비어 있는 것은 없습니다."
        assert "350개(5.0%)가 비어 있습니다" in many and "‘Item’(8.0%)입니다" in many


def test_nonzero_clause_in_korean_for_none_and_all():
    assert data.nonzero_clause(0, 60, "ko") == "계수 60개 가운데 0이 아닌 것은 없습니다"
    assert data.nonzero_clause(60, 60, "ko") == "계수 60개가 모두 0이 아닙니다"
