"""The analysis plan: every row comes from the code that runs on the real survey."""

import pytest

from platformgov import vocabulary
from platformgov.analysis import findings, models, speccurve
from platformgov.chapters import plan
from platformgov.chapters.tables import Table
from platformgov.labels import label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

LANGS = ("ko", "en")


@pytest.mark.parametrize("lang", LANGS)
def test_one_hypothesis_per_finding_of_the_paper(lang):
    table = plan.hypotheses_table(lang)
    assert list(table.index) == [f"H{i + 1}" for i in range(len(models.PAPER_FINDINGS))]
    types = table[label("plan.col.type", lang)].tolist()
    assert types == [
        value_label("platform_type", f.platform_type, lang) for f in models.PAPER_FINDINGS
    ]
    outcomes = table[label("plan.col.outcome", lang)].tolist()
    assert outcomes == [label(f"outcome.{f.outcome}", lang) for f in models.PAPER_FINDINGS]
    ko_only = table[label("plan.col.source", lang)] == label("plan.source.ko_only", lang)
    assert ko_only.sum() == sum(not f.in_en_abstract for f in models.PAPER_FINDINGS)


@pytest.mark.parametrize("lang", LANGS)
def test_the_specification_names_every_term_of_the_main_model(lang):
    text = " ".join(plan.specification_table(lang).iloc[:, 0])
    for term in models.MAIN_TERMS:
        assert label(f"term.{term}", lang) in text, term
    for outcome in OUTCOMES:
        assert label(f"outcome.{outcome}", lang) in text
    assert str(vocabulary.MIN_ITEMS) in text and f"{models.ALPHA:.2f}" in text


@pytest.mark.parametrize("lang", LANGS)
def test_families_hold_each_hypothesis_once_and_count_the_key_tests(lang):
    table = plan.families_table(lang)
    tests = table[label("plan.col.tests", lang)]
    per_type = len(OUTCOMES) * len(models.KEY_TERMS)
    assert tests.iloc[:-1].tolist() == [per_type] * len(TYPE_CODES)
    assert tests.iloc[-1] == per_type * len(TYPE_CODES)
    members = [
        h
        for cell in table[label("plan.col.hypotheses", lang)].iloc[:-1]
        for h in cell.split(", ")
        if h != "–"
    ]
    assert sorted(members) == sorted(f"H{i + 1}" for i in range(len(models.PAPER_FINDINGS)))


@pytest.mark.parametrize("lang", LANGS)
def test_checks_list_every_check_and_every_choice_of_the_curve(lang):
    table = plan.checks_table(lang)
    names = [label(f"reg.check.{n}", lang) for n in findings.CHECKS if n != "main"]
    assert list(table.index[:-1]) == names
    curve = table.iloc[-1, 0]
    for dim in speccurve.OPTIONS:
        assert label(f"power.dimension.{dim}", lang) in curve


def test_numbers_have_the_same_names_in_both_languages():
    ko, en = plan.numbers("ko"), plan.numbers("en")
    assert ko.keys() == en.keys()
    assert en["n_hypotheses"] == (len(models.PAPER_FINDINGS), "d")
    assert en["n_key_tests"][0] == len(TYPE_CODES) * len(OUTCOMES) * len(models.KEY_TERMS)
    assert all(
        isinstance(d(lang), Table)
        for d in (
            plan.hypotheses_display,
            plan.specification_display,
            plan.families_display,
            plan.checks_display,
        )
        for lang in LANGS
    )
