"""The taxonomy chapter's tables and prose numbers, in either language.

The rule and the examples' coding are :mod:`platformgov.analysis.taxonomy`; this module puts
them into words: the criteria table, the examples with their sources, the rule at work on
named cases, the survey's platforms by type, and :func:`numbers` for the prose. Words come from
the label table (criterion values under ``criterion.*``, ``function.*``, ``role.*`` and
``direction.*``; the examples' names, operators and facts under ``example.<id>.*``); the
sentences with numbers are written here, one per language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from IPython.display import Markdown

from platformgov import vocabulary
from platformgov.analysis import taxonomy
from platformgov.chapters.grammar import attach, count, join
from platformgov.chapters.tables import Table
from platformgov.labels import check_lang, label, value_label

EXAMPLE_FIELDS = ("name", "operator", "fact")


def criterion_value_label(criterion: str, value: str, lang: str) -> str:
    """Reader-facing label of one criterion value, e.g. ``("direction", "g2c")``."""
    if criterion not in taxonomy.VALUES:
        raise ValueError(
            f"unknown criterion {criterion!r}; allowed: {', '.join(taxonomy.CRITERIA)}"
        )
    if value not in taxonomy.VALUES[criterion]:
        allowed = ", ".join(taxonomy.VALUES[criterion])
        raise ValueError(f"unknown value {value!r} for criterion {criterion!r}; allowed: {allowed}")
    return value_label(taxonomy.LABEL_GROUP[criterion], value, lang)


def example_text(example: taxonomy.Example, field: str, lang: str) -> str:
    """An example platform's ``name``, ``operator`` or ``fact`` in ``lang``."""
    if field not in EXAMPLE_FIELDS:
        raise ValueError(f"unknown field {field!r}; allowed: {', '.join(EXAMPLE_FIELDS)}")
    return label(f"example.{example.id}.{field}", lang)


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def criteria_frame(lang: str) -> pd.DataFrame:
    """The typology: one row per criterion, one column per type, each cell the type's value."""
    check_lang(lang)
    rows = {
        label(f"criterion.{c}", lang): [
            criterion_value_label(c, getattr(taxonomy.TYPES[t], c), lang)
            for t in vocabulary.TYPE_CODES
        ]
        for c in taxonomy.CRITERIA
    }
    columns = [value_label("platform_type", t, lang) for t in vocabulary.TYPE_CODES]
    out = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    out.index.name = label("ui.criterion", lang)
    return out


def criteria_table(lang: str) -> Table:
    return Table(
        criteria_frame(lang),
        caption=label("taxonomy.criteria_caption", lang),
        index_label=label("ui.criterion", lang),
        note=label("taxonomy.criteria_note", lang),
    )


def examples_frame(lang: str) -> pd.DataFrame:
    """The example platforms with operator, type (our coding) and key fact, indexed by name.

    The criteria are left out: every example is coded on its own type's three values, which the
    criteria table already shows. Sources are listed by :func:`example_sources`.
    """
    check_lang(lang)
    out = pd.DataFrame(
        {
            label("ui.operator", lang): [
                example_text(ex, "operator", lang) for ex in taxonomy.EXAMPLES
            ],
            label("platform_type", lang): [
                value_label("platform_type", ex.platform_type, lang) for ex in taxonomy.EXAMPLES
            ],
            label("ui.fact", lang): [example_text(ex, "fact", lang) for ex in taxonomy.EXAMPLES],
        },
        index=[example_text(ex, "name", lang) for ex in taxonomy.EXAMPLES],
    )
    out.index.name = label("platform_name", lang)
    return out


def examples_table(lang: str) -> Table:
    return Table(
        examples_frame(lang),
        caption=label("taxonomy.examples_caption", lang),
        index_label=label("platform_name", lang),
        note=label("taxonomy.examples_note", lang),
    )


def example_sources(lang: str) -> Markdown:
    """A Markdown list: each example platform with its own address and its sources as links."""
    check_lang(lang)
    lines = []
    for ex in taxonomy.EXAMPLES:
        parts = []
        if ex.url:
            parts.append(f"{label('taxonomy.website', lang)} <{ex.url}>")
        parts.append(f"{label('ui.source', lang)} " + ", ".join(f"<{s}>" for s in ex.sources))
        lines.append(f"- {example_text(ex, 'name', lang)}: " + "; ".join(parts))
    return Markdown("\n".join(lines))


def case_name(case: str, lang: str) -> str:
    """A case named after an example platform uses its name; others ``taxonomy.case.<case>``."""
    for ex in taxonomy.EXAMPLES:
        if ex.id == case:
            return example_text(ex, "name", lang)
    return label(f"taxonomy.case.{case}", lang)


def decision_frame(
    cases: Mapping[str, Mapping[str, str] | Sequence[str]], lang: str
) -> pd.DataFrame:
    """The rule at work: one row per case with each criterion's value and the type it points
    to, the type :func:`~platformgov.analysis.taxonomy.classify` assigns and which step decided it.

    ``cases`` maps a case key to its criteria: a mapping with keys ``main_function``,
    ``government_role`` and ``direction``, or the three values in that order. The key names an
    example platform (its ``example.<id>.name`` label) or a ``taxonomy.case.<key>`` label.
    """
    check_lang(lang)
    rows = {}
    for case, given in cases.items():
        criteria = (
            dict(given)
            if isinstance(given, Mapping)
            else dict(zip(taxonomy.CRITERIA, given, strict=True))
        )
        pointed = taxonomy.pointed_types(**criteria)
        row = {
            label(f"criterion.{c}", lang): (
                f"{criterion_value_label(c, criteria[c], lang)} ({pointed[c]})"
            )
            for c in taxonomy.CRITERIA
        }
        row[label("taxonomy.verdict", lang)] = value_label(
            "platform_type", taxonomy.classify(**criteria), lang
        )
        row[label("taxonomy.decided_by", lang)] = value_label(
            "taxonomy.decided_by", taxonomy.decided_by(**criteria), lang
        )
        rows[case_name(case, lang)] = row
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("taxonomy.case", lang)
    return out


def decision_table(cases: Mapping[str, Mapping[str, str] | Sequence[str]], lang: str) -> Table:
    return Table(
        decision_frame(cases, lang),
        caption=label("taxonomy.decision_caption", lang),
        index_label=label("taxonomy.case", lang),
        note=label("taxonomy.decision_note", lang),
    )


def inventory_frame(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`~platformgov.analysis.taxonomy.inventory_counts` with reader-facing labels (the
    ``"all"`` row last)."""
    check_lang(lang)
    columns = list(taxonomy.INVENTORY_COLUMNS)
    out = counts.loc[[*vocabulary.TYPE_CODES, taxonomy.ALL], columns].copy()
    out.index = [
        label("taxonomy.all_types", lang)
        if i == taxonomy.ALL
        else value_label("platform_type", i, lang)
        for i in out.index
    ]
    out.columns = [label(f"taxonomy.{c}", lang) for c in columns]
    return out


def inventory_table(counts: pd.DataFrame, lang: str) -> Table:
    return Table(
        inventory_frame(counts, lang),
        caption=label("taxonomy.inventory_caption", lang),
        index_label=label("platform_type", lang),
        footer_rows=1,
        note=label("taxonomy.inventory_note", lang),
    )


# --------------------------------------------------------------------------------------------
# Sentences with numbers
# --------------------------------------------------------------------------------------------


def type_name(code: str, lang: str) -> str:
    """A type's name without its code in brackets: ``정보제공형``, ``Information``."""
    return value_label("platform_type", code, lang).removesuffix(f" ({code})")


def _ranked(counts: pd.DataFrame, lang: str) -> str:
    """Which type is most and which least common in the inventory (all types tied: say so)."""
    listed = counts.loc[list(vocabulary.TYPE_CODES), "n_platforms"]
    if listed.max() == listed.min():
        return (
            "모든 유형의 플랫폼 수가 같습니다." if lang == "ko" else "All types are equally common."
        )
    most = [value_label("platform_type", t, lang) for t in listed.index[listed == listed.max()]]
    least = [value_label("platform_type", t, lang) for t in listed.index[listed == listed.min()]]
    if lang == "ko":
        return f"가장 많은 유형은 {join(most, lang)}, 가장 적은 유형은 {join(least, lang)}입니다."
    verb = "type is" if len(most) == 1 else "types are"
    return f"The most common {verb} {join(most, lang)}, the least common {join(least, lang)}."


def inventory_text(counts: pd.DataFrame, lang: str) -> str:
    """How many platforms the survey lists, by type with shares, and which type is most common.

    ``counts`` is :func:`~platformgov.analysis.taxonomy.inventory_counts`.
    """
    check_lang(lang)
    total = int(counts.loc[taxonomy.ALL, "n_platforms"])
    if total == 0:
        if lang == "ko":
            return "이 페이지가 읽는 조사의 플랫폼 목록에는 플랫폼이 하나도 없습니다."
        return "The survey this page reads lists no platforms."
    parts = []
    for code in vocabulary.TYPE_CODES:
        n = int(counts.loc[code, "n_platforms"])
        share = format(n / total, ".0%")
        if lang == "ko":
            parts.append(f"{attach(type_name(code, lang), '이/가')} {n:,d}개({share})")
        else:
            platform = label(f"taxonomy.platform_of.{code}", lang)
            parts.append(f"{count(n, platform, platform + 's')} ({share})")
    if lang == "ko":
        return (
            f"이 페이지가 읽는 조사의 플랫폼 목록에는 모두 {total:,d}개 플랫폼이 있습니다. "
            f"{', '.join(parts)}로, {_ranked(counts, lang)}"
        )
    return (
        f"The survey this page reads lists {count(total, 'platform', 'platforms')}: "
        f"{join(parts, lang)}. {_ranked(counts, lang)}"
    )


def operating_text(counts: pd.DataFrame, lang: str) -> str:
    """How many of the listed platforms are operating, and how many local governments run one."""
    check_lang(lang)
    n = int(counts.loc[taxonomy.ALL, "n_operating"])
    governments = int(counts.loc[taxonomy.ALL, "n_governments"])
    if counts.loc[taxonomy.ALL, "n_platforms"] == 0:
        return ""
    if lang == "ko":
        if n == 0:
            return "운영 중인 플랫폼은 없습니다."
        return f"운영 중인 플랫폼은 모두 {n:,d}개이고, 하나 이상 운영하는 지자체는 {governments:,d}곳입니다."
    if n == 0:
        return "None of these platforms is operating."
    verb = "is" if n == 1 else "are"
    return (
        f"Of these, {count(n, 'platform', 'platforms')} {verb} operating, run by "
        f"{count(governments, 'local government', 'local governments')}."
    )


def rows_text(n: int, lang: str) -> str:
    """A number of table rows: ``1,234행``, ``1 row``, ``1,234 rows``."""
    return f"{n:,d}행" if check_lang(lang) == "ko" else count(n, "row", "rows")


def numbers(
    counts: pd.DataFrame,
    performance: pd.DataFrame,
    combinations: Sequence,
    split: Sequence,
    changed: Sequence,
    lang: str,
) -> dict[str, object]:
    """Everything the chapter's prose quotes, as ``{name: (value, format) or text}``.

    ``counts`` is :func:`~platformgov.analysis.taxonomy.inventory_counts` of the survey's
    platforms, ``performance`` the survey's performance table; ``combinations``, ``split`` and
    ``changed`` are the criteria combinations of exercise 3: all of them, those the tie-break
    decides, and those whose verdict a tie-break by main function would change.
    """
    check_lang(lang)
    return {
        "n_examples": (len(taxonomy.EXAMPLES), ",d"),
        "inventory": inventory_text(counts, lang),
        "operating": operating_text(counts, lang),
        "performance_rows": rows_text(len(performance), lang),
        "n_combinations": (len(combinations), ",d"),
        "n_split": (len(split), ",d"),
        "n_changed": (len(changed), ",d"),
    }
