"""The tables of the chapter "Data" that describe the data: the survey's structure (our
reconstruction, from the codebook), the registry, unit non-response and the synthetic
data-generating process.

Every function returns a :class:`platformgov.chapters.tables.Table` with its words from the
label table. Nothing here shows a row of the survey: counts are per table, per kind of local
government or per variable.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from platformgov import vocabulary
from platformgov.chapters.tables import Table, as_table
from platformgov.inputs import codebook as cb
from platformgov.inputs import registry, synthetic
from platformgov.inputs.survey import KEYS
from platformgov.labels import label, value_label

TABLES = cb.TABLES


# --------------------------------------------------------------------------------------------
# The survey's structure (our reconstruction, from the codebook)
# --------------------------------------------------------------------------------------------


def table_overview(survey: Any, lang: str) -> Table:
    """One row per survey table: what a row is, its key, its number of variables and rows.

    ``survey`` has the three tables as attributes, as a ``Survey`` has.
    """
    rows = {}
    for table in TABLES:
        keys, _ = KEYS[table]
        rows[label(f"table.{table}", lang)] = {
            label("data.col.unit", lang): label(f"data.unit.{table}", lang),
            label("data.col.key", lang): " + ".join(keys),
            label("ui.variables", lang): len(cb.variables(table)),
            label("data.col.rows", lang): len(getattr(survey, table)),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return as_table(frame, lang, "data.caption.tables", "ui.table")


def likert_items(lang: str) -> Table:
    """The performance items, by outcome: outcome, short label and wording, indexed by column name."""
    rows = {}
    for outcome, items in cb.outcome_items().items():
        for item in items:
            var = cb.variable("performance", item)
            rows[item] = {
                label("ui.outcome", lang): label(f"outcome.{outcome}", lang),
                label("data.col.label", lang): var.label(lang),
                label("data.col.wording", lang): var.question(lang),
            }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return as_table(frame, lang, "data.caption.likert", "data.col.item")


def _allowed(var: cb.Variable, lang: str) -> str:
    if var.dtype == "code":
        return label("data.allowed.registry", lang)
    if var.dtype == "string":
        return label("data.allowed.free_text", lang)
    if var.dtype in ("category", "binary"):
        return " | ".join(var.values or ())
    if var.dtype in ("integer", "likert"):
        lo, hi = var.bounds or (0, 0)
        return f"{lo}–{hi}"
    return var.allowed  # id: the pattern the whole value must match


def codebook_table(table: str, lang: str) -> Table:
    """The variables of one survey table: label, type, allowed values and whether required."""
    rows = []
    index = []
    for var in cb.variables(table):
        index.append(var.name)
        rows.append(
            {
                label("data.col.label", lang): var.label(lang),
                label("data.col.dtype", lang): label(f"data.dtype.{var.dtype}", lang),
                label("data.col.allowed", lang): _allowed(var, lang),
                label("data.col.required", lang): value_label("binary", int(var.required), lang),
            }
        )
    caption = label(f"table.{table}", lang)
    frame = pd.DataFrame(rows, index=index)
    return as_table(
        frame, lang, "data.caption.codebook", "data.col.variable", caption_detail=caption
    )


# --------------------------------------------------------------------------------------------
# The registry of local governments
# --------------------------------------------------------------------------------------------


#: Covariate columns of the registry, with the format of their summary numbers.
COVARIATE_FORMATS = {
    "population_2020": ",.0f",
    "households_2020": ",.0f",
    "area_km2": ",.1f",
    "density_2020": ",.1f",
    "share_one_person_hh_2020": "%",
    "share_foreign_2020": "%",
    "share_basic_pension_2020": "%",
    "share_basic_livelihood_2020": "%",
    "grdp_per_capita_2020": ",.1f",
}


def kind_counts(reg: pd.DataFrame) -> pd.Series:
    """Number of local governments of each kind, in ``registry.KINDS`` order."""
    counts = reg["kind"].value_counts()
    unknown = sorted(set(counts.index) - set(registry.KINDS))
    if unknown:
        raise ValueError(f"registry: unknown kinds {unknown}")
    return counts.reindex(list(registry.KINDS), fill_value=0).rename("count")


def level_counts(reg: pd.DataFrame) -> dict[str, int]:
    """Number of 광역 (``metro``) and 기초 (``basic``) local governments."""
    counts = reg["level"].value_counts()
    return {level: int(counts.get(level, 0)) for level in ("metro", "basic")}


def registry_table(reg: pd.DataFrame, lang: str) -> Table:
    """Local governments by level and kind, with the total as the last row."""
    counts = kind_counts(reg)
    level_of = reg.drop_duplicates("kind").set_index("kind")["level"]
    col_level = label("data.col.level", lang)
    col_n = label("ui.local_governments", lang)
    rows = {
        label(f"kind.{kind}", lang): {
            col_level: label(f"level.{level_of[kind]}", lang),
            col_n: int(n),
        }
        for kind, n in counts.items()
        if n
    }
    rows[label("data.col.total", lang)] = {col_level: "", col_n: int(counts.sum())}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return as_table(frame, lang, "data.caption.registry", "data.col.kind", footer_rows=1)


def covariate_columns(reg: pd.DataFrame) -> list[str]:
    """The registry's census covariates present in ``reg``, in ``COVARIATE_FORMATS`` order."""
    return [c for c in COVARIATE_FORMATS if c in reg.columns]


def _fmt(value: float, spec: str) -> str:
    return f"{100 * value:.1f}%" if spec == "%" else format(value, spec)


def covariate_table(reg: pd.DataFrame, lang: str) -> Table:
    """Each covariate: its definition and the median, minimum and maximum over the 기초 units."""
    basic = reg[reg["level"] == "basic"]
    rows = {}
    for col in covariate_columns(reg):
        spec = COVARIATE_FORMATS[col]
        values = pd.to_numeric(basic[col])
        rows[label(f"data.registry.{col}", lang)] = {
            label("data.col.definition", lang): label(f"data.registry_def.{col}", lang),
            label("data.col.median", lang): _fmt(values.median(), spec),
            label("data.col.min", lang): _fmt(values.min(), spec),
            label("data.col.max", lang): _fmt(values.max(), spec),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return as_table(
        frame,
        lang,
        "data.caption.covariates",
        "data.col.covariate",
        note_key="data.note.covariates",
    )


def post2022_changes(lang: str) -> Table:
    """The changes to the map after 2022 that the registry does not follow, by date."""
    rows = [(since, new, old) for new, (old, _, since) in registry.RENAMED_SIDO.items()]
    rows += [(since, new, old) for new, (old, _, since) in registry.MOVED_UNITS.items()]
    rows.sort()
    frame = pd.DataFrame(
        {
            label("data.col.date", lang): [d for d, _, _ in rows],
            label("data.col.code_2022", lang): [o for _, _, o in rows],
            label("data.col.code_new", lang): [n for _, n, _ in rows],
        },
        index=pd.Index([label(f"data.change.{n}", lang) for _, n, _ in rows]),
    )
    return as_table(frame, lang, "data.caption.changes", "data.col.change")


# --------------------------------------------------------------------------------------------
# Unit non-response
# --------------------------------------------------------------------------------------------


def group_label(group: str, lang: str) -> str:
    """The label of a ``response_counts`` group."""
    if group == "metro":
        return label("level.metro", lang)
    if group == "all":
        return label("data.col.total", lang)
    return label(f"kind.{group}", lang)


def _rates(rates) -> list[str]:
    """Rates (0–1) in percent with one decimal; blank for a group with no government."""
    return ["" if pd.isna(r) else f"{100 * r:.1f}" for r in rates]


def response_table(counts: pd.DataFrame, lang: str) -> Table:
    """:func:`platformgov.analysis.nonresponse.response_counts` with labels; the rate in percent
    (one decimal); total last."""
    frame = pd.DataFrame(
        {
            label("data.col.in_registry", lang): counts["registry"].tolist(),
            label("data.col.responding", lang): counts["responding"].tolist(),
            label("data.col.response_rate", lang): _rates(counts["rate"]),
        },
        index=pd.Index([group_label(g, lang) for g in counts.index]),
    )
    return as_table(
        frame,
        lang,
        "data.caption.response",
        "data.col.group",
        footer_rows=1,
        note_key="data.note.response",
    )


def quintile_table(counts: pd.DataFrame, lang: str) -> Table:
    """Basic governments by population quintile: ``counts`` has one row per quintile with
    ``size`` (in the registry), ``sum`` (responding) and ``mean`` (the response rate, 0–1)."""
    frame = pd.DataFrame(
        {
            label("data.col.in_registry", lang): counts["size"].astype(int).tolist(),
            label("data.col.responding", lang): counts["sum"].astype(int).tolist(),
            label("data.col.response_rate", lang): _rates(counts["mean"]),
        },
        index=counts.index.astype(str),
    )
    return as_table(
        frame,
        lang,
        "data.caption.response_quintile",
        "data.col.quintile",
        note_key="data.note.quintile",
    )


# --------------------------------------------------------------------------------------------
# The synthetic data-generating process
# --------------------------------------------------------------------------------------------


def platform_parameters(params: dict, lang: str) -> Table:
    """Per platform type: mean count at the reference 기초, its gamma shape, the probability of
    being suspended and of each partner."""
    counts = params["counts"]
    plat = params["platforms"]
    rows = {}
    for t in vocabulary.TYPE_CODES:
        row = {
            label("data.col.base_mean", lang): float(counts["base_mean"][t]),
            label("data.col.nb_shape", lang): float(counts["shape"][t]),
            label("data.col.p_suspended", lang): float(plat["suspended"][t]),
        }
        for k in vocabulary.PARTNERS:
            row[label(f"data.col.p_partner_{k}", lang)] = float(plat["partners"][t][k])
        rows[value_label("platform_type", t, lang)] = row
    frame = pd.DataFrame.from_dict(rows, orient="index")
    return as_table(frame, lang, "data.caption.platform_params", "platform_type", digits=2)


def effects_table(truth: pd.DataFrame, platform_type: str, lang: str) -> Table:
    """The true effects of one platform type from ``synthetic.true_effects()``: one row per
    term, one column per outcome (a term the type does not list is 0)."""
    part = truth[truth["type"] == platform_type]
    wide = part.pivot_table(index="term", columns="outcome", values="value", fill_value=0.0)
    terms = [t for t in synthetic.TERMS if t in set(truth["term"])]
    outcomes = [o for o in vocabulary.OUTCOMES if o in set(truth["outcome"])]
    wide = wide.reindex(index=terms, columns=outcomes, fill_value=0.0)
    frame = pd.DataFrame(
        wide.to_numpy(dtype=float),
        index=pd.Index([label(f"term.{t}", lang) for t in terms]),
        columns=[label(f"outcome.{o}", lang) for o in outcomes],
    )
    caption = value_label("platform_type", platform_type, lang)
    return as_table(
        frame, lang, "data.caption.effects", "ui.term", caption_detail=caption, digits=2
    )


def regenerated_table(unchanged: dict[str, bool], lang: str) -> Table:
    """Whether each survey table came out the same when generated again (``unchanged`` maps a
    table name to True when it did)."""
    frame = pd.DataFrame(
        {
            label("data.col.unchanged", lang): [
                value_label("binary", int(same), lang) for same in unchanged.values()
            ]
        },
        index=[label(f"table.{name}", lang) for name in unchanged],
    )
    return as_table(frame, lang, "data.caption.regenerated", "ui.table")
