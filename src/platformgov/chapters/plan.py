"""The analysis plan for the real survey: hypotheses, the primary specification, the families
of tests and their corrections, the tests of the typology and the checks, in either language.

Nothing here reads the survey. Every row comes from the code that will run on the real file
(:mod:`platformgov.vocabulary`, :data:`models.PAPER_FINDINGS`, :mod:`multiplicity`,
:mod:`pooled`, :data:`findings.CHECKS`, :data:`speccurve.OPTIONS`), so the plan cannot drift
from the analysis it announces.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from platformgov import vocabulary
from platformgov.analysis import findings, models, multiplicity, pooled, simulation, speccurve
from platformgov.chapters.grammar import join
from platformgov.chapters.power import finding_label, option_label
from platformgov.chapters.tables import Table
from platformgov.labels import check_lang, label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES


def hypothesis_id(i: int) -> str:
    """The name of the paper's finding number ``i`` (from 0) in the plan: H1, H2, …"""
    return f"H{i + 1}"


def _terms(terms: tuple[str, ...], lang: str) -> str:
    return join([label(f"term.{t}", lang) for t in terms], lang)


def hypotheses_table(lang: str) -> pd.DataFrame:
    """One row per finding of the paper: type, predictor, outcome, expected sign, source."""
    check_lang(lang)
    rows = {}
    for i, f in enumerate(models.PAPER_FINDINGS):
        rows[hypothesis_id(i)] = {
            label("plan.col.type", lang): value_label("platform_type", f.platform_type, lang),
            label("plan.col.predictor", lang): label(f"term.{f.term}", lang),
            label("plan.col.outcome", lang): label(f"outcome.{f.outcome}", lang),
            label("plan.col.sign", lang): "+" if f.sign > 0 else "−",
            label("plan.col.source", lang): label(
                "plan.source.both" if f.in_en_abstract else "plan.source.ko_only", lang
            ),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def hypotheses_display(lang: str) -> Table:
    return Table(
        hypotheses_table(lang),
        caption=label("plan.hypotheses.caption", lang),
        index_label=label("plan.col.hypothesis", lang),
        note=label("plan.hypotheses.note", lang),
    )


def specification_table(lang: str) -> pd.DataFrame:
    """The primary specification, one decision a row, with the words of the label table."""
    check_lang(lang)
    n_items = {len(items) for items in vocabulary.OUTCOME_ITEMS.values()}
    items = "/".join(str(n) for n in sorted(n_items))
    decisions = {
        "unit": label("plan.choice.unit", lang),
        "outcome": label("plan.choice.outcome", lang).format(
            outcomes=join([label(f"outcome.{o}", lang) for o in OUTCOMES], lang),
            min_items=vocabulary.MIN_ITEMS,
            n_items=items,
        ),
        "activation": _terms(vocabulary.MAIN_ACTIVATION, lang),
        "collaboration": _terms(vocabulary.COLLABORATION, lang),
        "controls": _terms(vocabulary.CONTROLS, lang),
        "estimator": label("plan.choice.estimator", lang),
        "sample": label("plan.choice.sample", lang),
        "level": label("plan.choice.level", lang).format(alpha=models.ALPHA),
    }
    return pd.DataFrame(
        {label("plan.col.choice", lang): list(decisions.values())},
        index=[label(f"plan.decision.{k}", lang) for k in decisions],
    )


def specification_display(lang: str) -> Table:
    return Table(
        specification_table(lang),
        caption=label("plan.specification.caption", lang),
        index_label=label("plan.col.decision", lang),
    )


def families_table(lang: str) -> pd.DataFrame:
    """The families of tests: one per type (Holm) and one over all key coefficients (BH)."""
    check_lang(lang)
    per_type = len(OUTCOMES) * len(models.KEY_TERMS)
    rows = {}
    for t in TYPE_CODES:
        members = [
            hypothesis_id(i) for i, f in enumerate(models.PAPER_FINDINGS) if f.platform_type == t
        ]
        rows[value_label("platform_type", t, lang)] = {
            label("plan.col.tests", lang): per_type,
            label("plan.col.hypotheses", lang): ", ".join(members) or "–",
            label("plan.col.correction", lang): label("plan.correction.holm", lang),
        }
    rows[label("plan.family.all", lang)] = {
        label("plan.col.tests", lang): per_type * len(TYPE_CODES),
        label("plan.col.hypotheses", lang): f"{hypothesis_id(0)}–"
        f"{hypothesis_id(len(models.PAPER_FINDINGS) - 1)}",
        label("plan.col.correction", lang): label("plan.correction.bh", lang),
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def families_display(lang: str) -> Table:
    return Table(
        families_table(lang),
        caption=label("plan.families.caption", lang),
        index_label=label("plan.col.family", lang),
    )


def checks_table(lang: str) -> pd.DataFrame:
    """The robustness checks that change one choice of the main model each, and the
    specification curve that changes all of them at once."""
    check_lang(lang)
    rows = {
        label(f"reg.check.{name}", lang): {
            label("plan.col.changes", lang): label(f"plan.check.{name}", lang)
        }
        for name in findings.CHECKS
        if name != "main"
    }
    options = {
        label(f"power.dimension.{dim}", lang): " · ".join(option_label(dim, o, lang) for o in opts)
        for dim, opts in speccurve.OPTIONS.items()
    }
    rows[label("plan.check.curve_name", lang)] = {
        label("plan.col.changes", lang): "; ".join(f"{k}: {v}" for k, v in options.items())
    }
    return pd.DataFrame.from_dict(rows, orient="index")


def checks_display(lang: str) -> Table:
    return Table(
        checks_table(lang),
        caption=label("plan.checks.caption", lang),
        index_label=label("plan.col.check", lang),
    )


def numbers(lang: str) -> dict[str, Any]:
    """Every number and phrase of the page's prose: ``{name: (value, format)}`` or text."""
    check_lang(lang)
    gaining = [value_label("platform_type", t, lang) for t in pooled.GAINING_TYPES]
    others = [
        value_label("platform_type", t, lang) for t in TYPE_CODES if t not in pooled.GAINING_TYPES
    ]
    first = models.PAPER_FINDINGS[0]
    return {
        "n_hypotheses": (len(models.PAPER_FINDINGS), "d"),
        "n_ko_only": (sum(not f.in_en_abstract for f in models.PAPER_FINDINGS), "d"),
        "n_families": (len(TYPE_CODES), "d"),
        "n_key_terms": (len(models.KEY_TERMS), "d"),
        "n_outcomes": (len(OUTCOMES), "d"),
        "n_key_tests": (len(TYPE_CODES) * len(OUTCOMES) * len(models.KEY_TERMS), "d"),
        "alpha": (models.ALPHA, ".2f"),
        "holm_family": label(f"plan.family_by.{multiplicity.HOLM_FAMILY[0]}", lang),
        "gaining": join(gaining, lang),
        "others": join(others, lang),
        "activation_terms": _terms(vocabulary.MAIN_ACTIVATION, lang),
        "n_checks": (len(findings.CHECKS) - 1, "d"),
        "n_curve_choices": (len(speccurve.OPTIONS), "d"),
        "power_target": (simulation.POWER_TARGET, ".0%"),
        "first_hypothesis": finding_label(first, lang),
    }
