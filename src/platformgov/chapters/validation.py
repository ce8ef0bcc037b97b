"""The validation report, for the chapter "Data": its counts as tables, and its text as the
``validate`` command prints it.

With the real survey the book shows the counts only: the individual messages name rows and
values. :func:`report_text` is shown for the broken copy of the synthetic survey
(:mod:`platformgov.chapters.faults`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from platformgov.chapters.tables import Table, as_table
from platformgov.inputs.survey import RULES, SUMMARY_COUNTS, ValidationReport
from platformgov.labels import label

_COUNT_COLUMNS = SUMMARY_COUNTS


def _encoding(value: str, lang: str) -> str:
    key = "data.encoding." + value.replace(" ", "_")
    try:
        return label(key, lang)
    except KeyError:
        return value


def validation_table(report: ValidationReport, lang: str) -> Table | Markdown:
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
    frame = pd.DataFrame(columns, index=index)
    return as_table(frame, lang, "data.caption.validation", "data.col.measure")


def _rule(rule: str, lang: str) -> str:
    try:
        return label(f"data.rule.{rule}", lang)
    except KeyError:
        return RULES.get(rule, rule)


def rule_table(report: ValidationReport, lang: str) -> Table | Markdown:
    """Errors and warnings counted by rule (index: the rule id that messages name); a sentence
    when there are none."""
    by_rule = report.by_rule()
    frame = pd.DataFrame(
        {
            label("data.col.severity", lang): [
                label(f"data.severity.{s}", lang) for s in by_rule["severity"]
            ],
            label("data.col.rule_meaning", lang): [_rule(r, lang) for r in by_rule["rule"]],
            label("ui.count", lang): [int(n) for n in by_rule["count"]],
        },
        index=pd.Index(list(by_rule["rule"])),
    )
    return as_table(
        frame, lang, "data.caption.rules", "data.col.rule", empty_key="data.none.issues"
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


def normalisation_table(report: ValidationReport, lang: str) -> Table | Markdown:
    """Normalised values counted by file and reason; a sentence when there are none."""
    counts: Counter = Counter()
    for (file, reason), n in report.reason_counts().items():
        counts[(file, _reason(reason, lang))] += n
    frame = pd.DataFrame(
        {
            label("data.col.reason", lang): [r for _, r in counts],
            label("ui.count", lang): list(counts.values()),
        },
        index=pd.Index([f for f, _ in counts]),
    )
    return as_table(
        frame,
        lang,
        "data.caption.normalisations",
        "data.col.file",
        empty_key="data.none.normalisations",
    )


def rows_rejected_by(report: ValidationReport, rule: str) -> int:
    """How many rows an error of ``rule`` was reported on."""
    return report.rows_with[rule]


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
