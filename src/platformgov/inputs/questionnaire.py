"""The synthetic survey in a survey institute's layout: an SPSS file and its mapping.

``python -m platformgov synth --layout questionnaire --out DIR`` writes ``DIR/survey.sav`` —
one row per responding government, columns named by question number (``Q4_2_3``: question 4,
platform 2, item 3), the platforms as a roster of repeated blocks, answers as numeric codes with
Korean variable and value labels, and special codes for "no answer" (9, 999, 9999) and "does not
apply" (8) declared as SPSS missing values — and ``DIR/mapping.toml``, the commented mapping that
reads it back into the three tables. The mapping doubles as the template for a real file.

The columns follow the codebook: each table's variables are numbered in codebook order, so a
variable added to the codebook gets its question here without a change to this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from platformgov.inputs import codebook as cb
from platformgov.inputs.survey.rules import TABLES

#: The questionnaire's own wording of answer categories (a code without wording is labelled by
#: itself): what a survey institute would print on the form.
WORDING: dict[str, dict[str, str]] = {
    "respondent_unit": {
        "planning": "기획·예산",
        "informatisation": "정보화",
        "communication": "소통·홍보",
        "service": "사업 부서",
        "other": "기타",
    },
    "platform_type": {"G2C": "정보제공형", "C2G": "정책제안형", "C2C": "민간역량중개형"},
    "domain": {
        "administration": "일반행정",
        "welfare": "복지·보건",
        "economy": "경제·일자리",
        "culture_tourism": "문화·관광",
        "transport_safety": "교통·안전",
        "environment": "환경",
        "participation": "주민참여",
        "open_data": "공공데이터",
    },
    "channel": {
        "web": "웹",
        "mobile_app": "모바일 앱",
        "web_and_app": "웹과 앱",
        "messenger": "메신저·SNS",
    },
    "status": {"operating": "운영 중", "suspended": "중단"},
}
YES, NO, NOT_APPLICABLE, NO_ANSWER = 1, 2, 8, 9
LIKERT_ENDS = ("전혀 그렇지 않다", "매우 그렇다")
#: Variables the mapping reads by value label rather than by code (to show both ways).
BY_LABEL = ("domain",)
ID, NAME = "ID", "SQ1"
QUESTION = {"organisations": "Q{k}", "platforms": "Q4_{{n}}_{k}", "performance": "Q5_{{n}}_{k}"}
#: Columns the reader makes itself: the key of each table that is not a question.
KEYS = {"platforms": ("platform_id", "lg_code"), "performance": ("lg_code", "platform_type")}


def _missing_code(var: cb.Variable) -> int:
    """The questionnaire's "no answer" code: 9, or the smallest 99…9 above the range."""
    hi = var.bounds[1] if var.bounds else len(var.values or ())
    code = NO_ANSWER
    while code <= hi:
        code = code * 10 + 9
    return code


def questions(table: str) -> dict[str, str]:
    """Our variable → the questionnaire's column (with ``{n}`` for the block)."""
    skip = KEYS.get(table, ("lg_code",))
    names = [v.name for v in cb.variables(table) if v.name not in skip]
    return {name: QUESTION[table].format(k=k) for k, name in enumerate(names, 1)}


def _codes(var: cb.Variable) -> dict[int, str]:
    """The questionnaire's code of each of our values (category and binary variables)."""
    if var.dtype == "binary":
        return {YES: "1", NO: "0"}
    return {k: value for k, value in enumerate(var.values or (), 1)}


def _value_labels(var: cb.Variable, metro_only: bool) -> dict[int, str]:
    labels: dict[int, str] = {}
    if var.dtype == "category":
        wording = WORDING.get(var.name, {})
        labels = {k: wording.get(v, v) for k, v in _codes(var).items()}
    elif var.dtype == "binary":
        labels = {YES: "예", NO: "아니오"}
    elif var.dtype == "likert" and var.bounds:
        lo, hi = var.bounds
        labels = {lo: LIKERT_ENDS[0], hi: LIKERT_ENDS[1]}
    if var.dtype in ("category", "binary", "likert", "integer"):
        if metro_only:
            labels[NOT_APPLICABLE] = "해당 없음"
        labels[_missing_code(var)] = "무응답"
    return labels


def _missing(var: cb.Variable, metro_only: bool) -> list[int]:
    if var.dtype in ("string", "id", "code"):
        return []
    return ([NOT_APPLICABLE] if metro_only else []) + [_missing_code(var)]


def _encode(var: cb.Variable, value, metro: bool, metro_only: bool):
    """Our value → the questionnaire's code (a number, or text for free-text answers)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        if var.dtype in ("string", "id", "code"):
            return ""
        return NOT_APPLICABLE if metro_only and metro else _missing_code(var)
    if var.dtype in ("category", "binary"):
        back = {v: k for k, v in _codes(var).items()}
        return back[str(value)]
    if var.dtype in ("integer", "likert"):
        return int(value)
    return str(value)


def _types() -> tuple[str, ...]:
    """The platform types, in codebook order: the blocks of the performance questions."""
    return next(v for v in cb.variables("performance") if v.name == "platform_type").values or ()


def _metro_only(var: cb.Variable) -> bool:
    # Cooperation with the metropolitan government does not apply to a metropolitan government.
    return var.name == "partner_metro"


def wide_frame(
    tables: Mapping[str, pd.DataFrame], registry: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, dict[str, str], dict[str, dict], dict[str, list], dict[str, int]]:
    """The questionnaire's data with its variable labels, value labels, missing codes and the
    number of blocks of each repeated table."""
    orgs = tables["organisations"].reset_index(drop=True)
    codes = orgs["lg_code"].astype(str).tolist()
    levels = {}
    names = {}
    if registry is not None:
        reg = registry.assign(code=registry["code"].astype(str)).set_index("code")
        levels = reg["level"].astype(str).to_dict()
        names = reg["name_ko"].astype(str).to_dict()
    data: dict[str, list] = {ID: codes}
    var_labels = {ID: "지자체 코드 (행정표준코드)"}
    if names:
        data[NAME] = [names.get(c, "") for c in codes]
        var_labels[NAME] = "기관명"
    value_labels: dict[str, dict] = {}
    missing: dict[str, list] = {}
    for var in cb.variables("organisations"):
        if var.name == "lg_code":
            continue
        column = questions("organisations")[var.name]
        data[column] = [_encode(var, v, False, False) for v in orgs[var.name].tolist()]
        var_labels[column] = var.label_ko
        value_labels[column] = _value_labels(var, False)
        missing[column] = _missing(var, False)
    platforms = tables["platforms"]
    performance = tables["performance"]
    by_lg = {c: g for c, g in platforms.groupby(platforms["lg_code"].astype(str), sort=False)}
    n_platforms = max((len(g) for g in by_lg.values()), default=1)
    types = _types()
    rated = {
        (str(r["lg_code"]), str(r["platform_type"])): r for r in performance.to_dict("records")
    }
    blocks = {"platforms": n_platforms, "performance": len(types)}
    for table, count in blocks.items():
        for n in range(1, count + 1):
            for var in cb.variables(table):
                if var.name in KEYS[table]:
                    continue
                column = questions(table)[var.name].format(n=n)
                metro_only = _metro_only(var)
                values = []
                for code in codes:
                    metro = levels.get(code, "basic" if len(code) == 5 else "metro") == "metro"
                    if table == "platforms":
                        group = by_lg.get(code)
                        row = group.iloc[n - 1] if group is not None and n <= len(group) else None
                    else:
                        row = rated.get((code, types[n - 1]))
                    if row is None:
                        values.append("" if var.dtype == "string" else None)
                    else:
                        values.append(_encode(var, row[var.name], metro, metro_only))
                data[column] = values
                what = (
                    f"플랫폼 {n}"
                    if table == "platforms"
                    else WORDING["platform_type"].get(types[n - 1], types[n - 1])
                )
                var_labels[column] = f"{what}: {var.label_ko}"
                value_labels[column] = _value_labels(var, metro_only)
                missing[column] = _missing(var, metro_only)
    frame = pd.DataFrame(data)
    for column in frame.columns:
        if column not in (ID, NAME) and frame[column].map(lambda v: isinstance(v, str)).any():
            frame[column] = frame[column].fillna("").astype(str)
        elif column not in (ID, NAME):
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
    return frame, var_labels, value_labels, missing, blocks


def write(
    tables: Mapping[str, pd.DataFrame], out: str | Path, registry: pd.DataFrame | None = None
) -> list[Path]:
    """Write ``out/survey.sav`` and ``out/mapping.toml``; return their paths."""
    import pyreadstat

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    frame, var_labels, value_labels, missing, blocks = wide_frame(tables, registry)
    sav = out / "survey.sav"
    pyreadstat.write_sav(
        frame,
        str(sav),
        file_label="지방자치단체 플랫폼 정부 활용 실태조사 (합성 자료)",
        column_labels=[var_labels[c] for c in frame.columns],
        variable_value_labels={c: v for c, v in value_labels.items() if v},
        missing_ranges={c: v for c, v in missing.items() if v},
    )
    toml = out / "mapping.toml"
    toml.write_text(mapping_text(sav.name, blocks), encoding="utf-8")
    return [sav, toml]


# --- the mapping ---------------------------------------------------------------------------

HEAD = """\
# How {file} becomes the book's three tables: platforms, performance and organisations
# (their variables are listed in data/codebook.csv). Written by
# `python -m platformgov synth --layout questionnaire`; copy it as the template for a real file.
#
# Each table has a section; in it, each codebook variable names the column of the survey file
# that holds it, in one of these forms:
#   variable = "Q2"                          the column's values are ours as they stand
#   variable = {{ column = "Q1", codes = {{ 1 = "planning", 2 = "informatisation" }} }}
#                                            the file's codes, each mapped to our value
#   variable = {{ column = "Q4_{{n}}_3", labels = {{ "일반행정" = "administration" }} }}
#                                            the file's value labels, each mapped to our value
#   variable = {{ column = "Q2", missing = [999] }}
#                                            codes that mean "no answer" in this column
#   variable = {{ by_block = {{ 1 = "G2C", 2 = "C2G" }} }}
#                                            a value fixed by the block (see blocks)
# A table whose rows are repeated blocks of columns in one row of the file (platform 1, 2, …)
# gives the number of blocks (blocks = 12) and writes {{n}} where the block's number stands in
# a column name. A block whose repeated columns are all empty or missing codes is an unused slot
# of the roster and gives no row. A variable the mapping does not name is missing in every row
# (a required one is an error), except platform_id, which is then numbered P00001, P00002, …
# in the order of the file. SPSS and Stata files declare missing values of their own; they are
# read as "no answer" too. Errors name the file's row and column and the line of this mapping.

[survey]
file = "{file}"  # the survey file, beside this mapping: .sav, .dta, .csv or .xlsx
# sheet = "Sheet1"  # a workbook: the sheet that holds the answers
missing = []  # codes that mean "no answer" in every column that gives no missing of its own
"""


def _toml_value(value: str) -> str:
    return str(int(value)) if value.isdigit() and value in ("0", "1") else f'"{value}"'


def _pairs(table: Mapping, key_text) -> list[str]:
    return [f"{key_text(k)} = {_toml_value(v)}" for k, v in table.items()]


def _entry(table: str, var: cb.Variable, column: str, note: str) -> tuple[str, list[str]]:
    """The variable's line in its table's section, or ("", the lines of its own sub-table)."""
    missing = _missing(var, _metro_only(var))
    if var.dtype not in ("category", "binary"):
        if not missing:
            return f'{var.name} = "{column}"{note}', []
        listed = ", ".join(str(m) for m in missing)
        return f'{var.name} = {{ column = "{column}", missing = [{listed}] }}{note}', []
    codes = _codes(var)
    if var.name in BY_LABEL:
        wording = _value_labels(var, False)
        key, pairs = "labels", _pairs({wording[k]: v for k, v in codes.items()}, lambda k: f'"{k}"')
    else:
        key, pairs = "codes", _pairs(codes, str)
    lines = [f"[{table}.{var.name}]{note}", f'column = "{column}"']
    lines.append(f"missing = [{', '.join(str(m) for m in missing)}]")
    if len(pairs) <= 4:
        lines.append(f"{key} = {{ {', '.join(pairs)} }}")
    else:
        lines.extend(["", f"[{table}.{var.name}.{key}]", *pairs])
    return "", lines


def mapping_text(file: str, blocks: Mapping[str, int]) -> str:
    """The commented mapping of the questionnaire layout."""
    lines = [HEAD.format(file=file)]
    comments = {
        "organisations": "one row per row of the file: the responding local government",
        "platforms": "the roster: one row per platform listed in a row of the file",
        "performance": "ratings of each platform type the government runs, one block per type",
    }
    types = _types()
    for table in ("organisations", *(t for t in TABLES if t != "organisations")):
        lines.append(f"[{table}]  # {comments[table]}")
        subtables: list[str] = []
        if table in blocks:
            lines.append(f"blocks = {blocks[table]}  # n = 1 to {blocks[table]}")
        for var in cb.variables(table):
            note = f"  # {var.label_ko}"
            if var.name == "lg_code":
                lines.append(f'lg_code = "{ID}"  # 행정표준코드, or the government\'s 2022 name')
            elif var.name == "platform_id":
                lines.append("# platform_id is not in the file: numbered in the file's order")
            elif table == "performance" and var.name == "platform_type":
                pairs = ", ".join(f'{n} = "{t}"' for n, t in enumerate(types, 1))
                lines.append(f"platform_type = {{ by_block = {{ {pairs} }} }}{note}")
            else:
                line, own = _entry(table, var, questions(table)[var.name], note)
                lines.extend([line] if line else [])
                subtables.extend(["", *own] if own else [])
        lines.extend([*subtables, ""])
    return "\n".join(lines)
