"""The regression chapter's views of many fits at once: checks, comparisons, diagnostics.

:mod:`platformgov.analysis.models` fits one specification at a time. This module fits the book's
robustness checks side by side, compares estimates with the paper's findings and — when the
data are synthetic — with the true effects the data were generated with, and builds the
diagnostic and teaching tables of the regression chapter. Functions named ``*_table`` return
a DataFrame with reader-facing labels; ``*_display`` wraps it in an accessible
:class:`platformgov.chapters.tables.Table` with its caption and note.

The results by type are one section per platform type (:func:`type_sections`): a heading,
sentences written per language from the type's numbers, and its coefficient table, so that a
new type in :data:`platformgov.analysis.taxonomy.TYPE_CODES` adds a section by itself.
:func:`numbers` gives the page's prose every number and clause it quotes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from IPython.display import Markdown

from platformgov import vocabulary
from platformgov.analysis import findings, models, multiplicity, pooled, simulation
from platformgov.analysis.privacy import share_sensitive, unit_level_allowed
from platformgov.chapters.grammar import attach, join, number_word, plural, subject
from platformgov.chapters.tables import Table
from platformgov.labels import check_lang, label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

# --- robustness checks ---------------------------------------------------------------------


def check_summary_table(
    checks: Mapping[str, Iterable[models.FitResult]], lang: str
) -> pd.DataFrame:
    """One row per check: estimator, activation measure, sample, N and agreement with the paper."""
    check_lang(lang)
    rows = {}
    for name, results in checks.items():
        results = findings._one_per_model(results)
        spec = results[0].spec
        n = [r.n_obs for r in results]
        counts = findings.agreement(
            models.compare_with_paper(results, findings.findings_for(results))
        )
        rows[label(f"reg.check.{name}", lang)] = {
            label("reg.estimator", lang): label(f"estimator.{spec.estimator}", lang),
            label("reg.activation_measure", lang): label(
                f"term.{findings.activation_term(results)}", lang
            ),
            label("reg.sample", lang): label(f"sample.{spec.sample}", lang),
            label("reg.n_range", lang): f"{min(n)}–{max(n)}",
            label("reg.findings_agree", lang): f"{counts.n_agree} / {counts.n_findings}",
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("reg.check", lang)
    return out


def check_summary_display(checks: Mapping[str, Iterable[models.FitResult]], lang: str) -> Table:
    return Table(
        check_summary_table(checks, lang),
        caption=label("reg.caption.checks", lang),
        index_label=label("reg.check", lang),
        note=label("reg.note.checks", lang),
    )


# --- the paper and the truth ---------------------------------------------------------------


def _agreement_label(value: Any, lang: str) -> str:
    if value is pd.NA or value is None:
        return label("agree.na", lang)
    return label("agree.yes" if value else "agree.no", lang)


def compare_table(comparison: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`models.compare_with_paper`'s frame with reader-facing labels and formatted numbers."""
    check_lang(lang)

    def interval(row: pd.Series) -> str:
        if not np.isfinite(row["conf_low"]):
            return ""
        return f"[{_fmt(row['conf_low'])}, {_fmt(row['conf_high'])}]"

    return pd.DataFrame(
        {
            label("platform_type", lang): [
                value_label("platform_type", t, lang) for t in comparison["platform_type"]
            ],
            label("ui.term", lang): [label(f"term.{t}", lang) for t in comparison["term"]],
            label("ui.outcome", lang): [label(f"outcome.{o}", lang) for o in comparison["outcome"]],
            label("ui.paper_sign", lang): list(comparison["paper_sign"]),
            label("ui.estimate", lang): [
                _fmt(e) + models.stars(p)
                for e, p in zip(comparison["estimate"], comparison["p_value"], strict=True)
            ],
            label("ui.conf_int", lang): [interval(r) for _, r in comparison.iterrows()],
            label("ui.agrees", lang): [_agreement_label(v, lang) for v in comparison["agrees"]],
        }
    )


def paper_table(
    comparison: pd.DataFrame,
    lang: str,
    truth: pd.DataFrame | None = None,
    platform_type: str | None = None,
) -> pd.DataFrame:
    """The findings of one type (or all), compact: one row per finding, headed by the term.

    Built from :func:`compare_table`: the outcome, our estimate with its stars and, on a
    second line, its 95% interval, and the agreement. The paper's direction is a column only
    when the findings differ in direction (the note says it otherwise), and the type only when
    ``platform_type`` is None. With ``truth`` (``platform_type, outcome, term, true_value``),
    the true value of each finding's coefficient and whether our interval covers it are added.
    """
    labelled = compare_table(comparison, lang)
    keep = np.ones(len(comparison), dtype=bool)
    if platform_type is not None:
        keep = (comparison["platform_type"] == platform_type).to_numpy()
        if not keep.any():
            raise ValueError(f"no findings for platform type {platform_type!r}")
    rows = comparison[keep].reset_index(drop=True)
    labelled = labelled[keep].reset_index(drop=True)
    estimate, interval = label("ui.estimate", lang), label("ui.conf_int", lang)
    out = pd.DataFrame(index=labelled[label("ui.term", lang)].to_list())
    out.index.name = label("ui.term", lang)
    if platform_type is None:
        out[label("platform_type", lang)] = labelled[label("platform_type", lang)].to_list()
    out[label("ui.outcome", lang)] = labelled[label("ui.outcome", lang)].to_list()
    if rows["paper_sign"].nunique() > 1:
        out[label("ui.paper_sign", lang)] = rows["paper_sign"].to_list()
    out[label("reg.estimate_ci", lang)] = [
        f"{e}\n{i}" if i else e for e, i in zip(labelled[estimate], labelled[interval], strict=True)
    ]
    out[label("ui.agrees", lang)] = labelled[label("ui.agrees", lang)].to_list()
    if truth is None:
        return out
    keys = ["platform_type", "outcome", "term"]
    merged = rows[[*keys, "conf_low", "conf_high"]].merge(
        truth[[*keys, "true_value"]], on=keys, how="left", validate="many_to_one"
    )
    value = merged["true_value"]
    covers = (merged["conf_low"] <= value) & (value <= merged["conf_high"])
    out[label("reg.true_value", lang)] = ["" if pd.isna(v) else f"{v:.2f}" for v in value]
    out[label("reg.covers_truth", lang)] = [
        "" if pd.isna(v) or not np.isfinite(low) else label(f"binary.{int(c)}", lang)
        for v, low, c in zip(value, merged["conf_low"], covers, strict=True)
    ]
    return out


def paper_display(
    comparison: pd.DataFrame,
    lang: str,
    truth: pd.DataFrame | None = None,
    platform_type: str | None = None,
) -> Table:
    """:func:`paper_table` with its caption and a note on how agreement is judged."""
    rows = comparison
    if platform_type is not None:
        rows = comparison[comparison["platform_type"] == platform_type]
    parts = [label("reg.note.paper", lang), label("note.stars", lang) + "."]
    if set(rows["paper_sign"]) == {"+"}:
        parts.append(label("reg.note.all_positive", lang))
    ko_only = int((~rows["in_en_abstract"]).sum())
    if ko_only:
        parts.append(label("reg.note.ko_abstract_only", lang).format(n=ko_only))
    if truth is not None:
        parts.append(label("reg.note.true_value", lang))
    caption = label("reg.caption.paper", lang)
    if platform_type is not None:
        caption = f"{value_label('platform_type', platform_type, lang)}: {caption}"
    return Table(
        paper_table(comparison, lang, truth, platform_type),
        caption=caption,
        index_label=label("ui.term", lang),
        note=" ".join(parts),
    )


# --- tables of the main models -------------------------------------------------------------


def _fmt(value: float, digits: int = 3) -> str:
    """A number with ``digits`` decimals; empty when missing, and never a negative zero."""
    if value is None or not np.isfinite(value):
        return ""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _cell(row: pd.Series) -> str:
    est = _fmt(row["estimate"]) + models.stars(row["p_value"])
    se = _fmt(row["std_error"])
    return f"{est}\n({se})" if se else est


def note_text(note: models.Note, lang: str) -> str:
    """A fit's note for the reader: the term it concerns (if any) and why."""
    reason = label(f"model_note.{note.reason}", lang)
    return f"{label(f'term.{note.term}', lang)}: {reason}" if note.term else reason


def coefficient_table(
    results: Iterable[models.FitResult], lang: str, platform_type: str | None = None
) -> pd.DataFrame:
    """Side-by-side coefficients of one type's models, one column per outcome, for the book.

    Rows are the terms (labelled), then ``Intercept``, then two footer rows: N and R² (pseudo
    R² for ordered logit); render with ``footer_rows=2``. A cell holds the estimate with stars
    and, on a new line, the standard error in parentheses; a term dropped from a model shows
    the label ``ui.dropped``. ``results`` may span several types if ``platform_type`` picks one.
    """
    check_lang(lang)
    chosen = [r for r in results if platform_type is None or r.spec.platform_type == platform_type]
    if not chosen:
        raise ValueError(f"no results for platform type {platform_type!r}")
    types = {r.spec.platform_type for r in chosen}
    if len(types) > 1:
        raise ValueError(f"results span types {sorted(types)}: pass platform_type")
    by_outcome: dict[str, models.FitResult] = {}
    for r in chosen:
        if r.spec.outcome in by_outcome:
            raise ValueError(f"two results for outcome {r.spec.outcome!r}: pass one per outcome")
        by_outcome[r.spec.outcome] = r
    outcomes = [o for o in OUTCOMES if o in by_outcome] + [
        o for o in by_outcome if o not in OUTCOMES
    ]
    terms: list[str] = []
    for o in outcomes:
        for t in by_outcome[o].spec.terms:
            if t not in terms:
                terms.append(t)
    if any(models.INTERCEPT in by_outcome[o].terms for o in outcomes):
        terms.append(models.INTERCEPT)

    body: dict[str, list[str]] = {}
    for o in outcomes:
        r = by_outcome[o]
        coefs = r.coefficients.set_index("term")
        column = []
        for t in terms:
            if t in coefs.index:
                column.append(_cell(coefs.loc[t]))
            elif t in r.dropped:
                column.append(label("ui.dropped", lang))
            else:
                column.append("")
        column.append(str(r.n_obs))
        column.append(_fmt(r.r_squared))
        body[label(f"outcome.{o}", lang)] = column
    all_ologit = all(by_outcome[o].spec.estimator == "ologit" for o in outcomes)
    index = [label(f"term.{t}", lang) for t in terms] + [
        label("stat.n_obs", lang),
        label("stat.pseudo_r_squared" if all_ologit else "stat.r_squared", lang),
    ]
    out = pd.DataFrame(body, index=index)
    out.index.name = label("ui.term", lang)
    return out


def table_note(results: Iterable[models.FitResult], lang: str) -> str:
    """The note under a coefficient table: star thresholds and the kind of standard errors."""
    estimators = sorted({r.spec.estimator for r in results})
    parts = [label("note.stars", lang) + "."] + [label(f"note.se_{e}", lang) for e in estimators]
    return " ".join(parts)


def coefficient_display(
    results: Iterable[models.FitResult], platform_type: str, lang: str
) -> Table:
    """One type's side-by-side coefficient table (:func:`coefficient_table`) with its notes."""
    chosen = [r for r in results if r.spec.platform_type == platform_type]
    frame = coefficient_table(chosen, lang, platform_type=platform_type)
    notes = [table_note(chosen, lang)]
    for r in chosen:
        for note in r.notes:
            notes.append(f"{label(f'outcome.{r.spec.outcome}', lang)} — {note_text(note, lang)}.")
    caption = label("reg.caption.coef", lang).format(
        type=value_label("platform_type", platform_type, lang),
        estimator=label(f"estimator.{chosen[0].spec.estimator}", lang),
    )
    return Table(
        frame,
        caption=caption,
        index_label=label("ui.term", lang),
        footer_rows=2,
        note=" ".join(notes),
    )


def vif_table(results: Iterable[models.FitResult], lang: str) -> pd.DataFrame:
    """The largest VIF of each regressor across each type's outcome models, one column per type.

    The four models of a type share their regressors and differ only where an outcome is
    missing, so their VIFs barely differ; the largest is shown.
    """
    check_lang(lang)
    results = findings._one_per_model(results)
    per_type: dict[str, pd.Series] = {}
    terms: list[str] = []
    for t in TYPE_CODES:
        fits = [r for r in results if r.spec.platform_type == t]
        if not fits:
            continue
        values = pd.concat([models.vif(r).set_index("term")["vif"] for r in fits], axis=1)
        per_type[t] = values.max(axis=1)
        terms += [x for x in values.index if x not in terms]
    out = pd.DataFrame(
        {
            value_label("platform_type", t, lang): [s.get(x, np.nan) for x in terms]
            for t, s in per_type.items()
        },
        index=[label(f"term.{x}", lang) for x in terms],
    )
    out.index.name = label("ui.term", lang)
    return out


def vif_display(results: Iterable[models.FitResult], lang: str) -> Table:
    return Table(
        vif_table(results, lang),
        caption=label("reg.caption.vif", lang),
        index_label=label("ui.term", lang),
        note=label("reg.note.vif", lang),
        digits=2,
    )


# --- teaching: standard errors, a control left out, coop_metro by level ----------------------


def standard_error_display(result: models.FitResult, lang: str) -> Table:
    se = findings.standard_errors(result)
    frame = pd.DataFrame(
        {
            label("reg.se_classical", lang): se["se_classical"].to_numpy(),
            label("reg.se_hc3", lang): se["se_hc3"].to_numpy(),
            label("reg.se_ratio", lang): se["ratio"].to_numpy(),
        },
        index=[label(f"term.{t}", lang) for t in se["term"]],
    )
    caption = label("reg.caption.se", lang).format(
        type=value_label("platform_type", result.spec.platform_type, lang),
        outcome=label(f"outcome.{result.spec.outcome}", lang),
    )
    return Table(frame, caption=caption, index_label=label("ui.term", lang))


def shift_table(
    full: models.FitResult,
    reduced: models.FitResult,
    lang: str,
    terms: Iterable[str] = models.KEY_TERMS,
) -> pd.DataFrame:
    """Estimates of ``terms`` in two fits side by side, and the change from ``full``."""
    check_lang(lang)
    a = full.coefficients.set_index("term")["estimate"]
    b = reduced.coefficients.set_index("term")["estimate"]
    terms = [t for t in terms if t in a.index and t in b.index]
    out = pd.DataFrame(
        {
            label("reg.full_model", lang): a[terms].to_numpy(),
            label("reg.reduced_model", lang): b[terms].to_numpy(),
            label("reg.difference", lang): (b[terms] - a[terms]).to_numpy(),
        },
        index=[label(f"term.{t}", lang) for t in terms],
    )
    out.index.name = label("ui.term", lang)
    return out


def shift_display(
    full: models.FitResult, reduced: models.FitResult, dropped: str, lang: str
) -> Table:
    caption = label("reg.caption.shift", lang).format(
        type=value_label("platform_type", full.spec.platform_type, lang),
        outcome=label(f"outcome.{full.spec.outcome}", lang),
        term=label(f"term.{dropped}", lang),
    )
    return Table(
        shift_table(full, reduced, lang), caption=caption, index_label=label("ui.term", lang)
    )


def coop_metro_by_level(frame: pd.DataFrame, lang: str, kind: str) -> pd.DataFrame:
    """Rows per type × level and the share of them run with the 광역 government.

    With real data, a share the disclosure rule protects
    (:func:`platformgov.analysis.privacy.share_sensitive`) is blanked; the counts stay.
    """
    check_lang(lang)
    rows = []
    for t in TYPE_CODES:
        sub = frame[frame["platform_type"] == t]
        for level, is_metro in (("metro", 1), ("basic", 0)):
            part = sub[sub["level_metro"] == is_metro]
            rows.append(
                {
                    "row": f"{value_label('platform_type', t, lang)} · "
                    f"{value_label('level', level, lang)}",
                    "n": len(part),
                    "share": float(part["coop_metro"].mean()) if len(part) else np.nan,
                }
            )
    out = pd.DataFrame(rows).set_index("row")
    if not unit_level_allowed(kind):
        yes = (out["share"] * out["n"]).round()
        blank = share_sensitive(yes, out["n"])
        out["share"] = out["share"].astype(object)
        out.loc[blank, "share"] = None
    out = out.rename(
        columns={"n": label("ui.count", lang), "share": label("reg.share_coop_metro", lang)}
    )
    out.index.name = label("reg.group", lang)
    return out


def coop_metro_display(frame: pd.DataFrame, lang: str, kind: str) -> Table:
    return Table(
        coop_metro_by_level(frame, lang, kind),
        caption=label("reg.caption.coop_metro", lang),
        index_label=label("reg.group", lang),
    )


# --- sentences about the types ------------------------------------------------------------


def _platforms(platform_type: str, lang: str) -> str:
    return label(f"reg.platforms.{platform_type}", lang)


def type_heading(platform_type: str, lang: str) -> str:
    """The heading of a type's section: "Information platforms (G2C)"."""
    noun = _platforms(platform_type, lang)
    return f"{noun[:1].upper()}{noun[1:]} ({platform_type})"


def significance_sentence(n_significant: int, n_key: int, lang: str, first: bool) -> str:
    """How many of a type's key coefficients are significant; ``first`` names the predictors."""
    check_lang(lang)
    level = f"{models.ALPHA:.0%}"
    n_terms = number_word(len(models.KEY_TERMS), lang)
    if lang == "ko":
        whole = f"핵심 설명변수 {n_terms} 개의 계수 {n_key}개" if first else f"핵심 계수 {n_key}개"
        if n_significant == 0:
            return f"{whole} 가운데 {level} 수준에서 유의한 것은 없습니다."
        return f"{whole} 가운데 {n_significant}개가 {level} 수준에서 유의합니다."
    verb = "is" if n_significant <= 1 else "are"
    if first:
        coefficients = plural(n_key, "coefficient", "coefficients")
        some = "none" if n_significant == 0 else f"{n_significant}"
        return (
            f"Of the {n_key} {coefficients} of the {n_terms} key predictors, {some} {verb} "
            f"significant at the {level} level."
        )
    if n_significant == 0:
        return f"Here none of the {n_key} key coefficients is significant at {level}."
    return f"Here {n_significant} of {n_key} key coefficients {verb} significant at {level}."


def small_sample_sentence(
    platform_type: str, n_rows: int, n_params: int, n_types: int, lang: str
) -> str:
    """Why a type with few rows has the widest standard errors of the ``n_types`` types."""
    check_lang(lang)
    noun = _platforms(platform_type, lang)
    types = number_word(n_types, lang)
    if lang == "ko":
        return (
            f"{attach(noun, '을/를')} 운영하는 지자체는 많지 않습니다. "
            f"{n_rows:,d}개 행으로 모수 {n_params}개를 추정하므로, {types} 유형 가운데 "
            "표준오차가 가장 큽니다."
        )
    rows = plural(n_rows, "row carries", "rows carry")
    parameters = plural(n_params, "parameter", "parameters")
    return (
        f"Few local governments run {noun}: {n_rows:,d} {rows} {n_params} {parameters} each, "
        f"so the standard errors are the widest of the {types} types."
    )


def type_texts(numbers: pd.DataFrame, lang: str) -> dict[str, str]:
    """Each type's section as Markdown: its heading and the sentences about its models.

    The first section names the key predictors. The type with the fewest rows gets a sentence
    on its sample when its standard errors are also the widest.
    """
    check_lang(lang)
    smallest = numbers.loc[numbers["n_rows"].idxmin()]
    widest = numbers.loc[numbers["key_se"].idxmax(), "platform_type"]
    out = {}
    for i, row in enumerate(numbers.itertuples(index=False)):
        sentences = [significance_sentence(row.n_significant, row.n_key, lang, first=i == 0)]
        if len(numbers) > 1 and row.platform_type == smallest["platform_type"] == widest:
            sentences.append(
                small_sample_sentence(
                    row.platform_type, row.n_rows, row.n_params, len(numbers), lang
                )
            )
        heading = type_heading(row.platform_type, lang)
        out[row.platform_type] = f"### {heading}\n\n" + " ".join(sentences) + "\n"
    return out


def type_sections(
    frame: pd.DataFrame, results: Iterable[models.FitResult], lang: str
) -> list[tuple[Markdown, Table]]:
    """The results by type: for each type, its heading and sentences, then its coefficients."""
    results = findings._one_per_model(results)
    texts = type_texts(findings.type_numbers(frame, results), lang)
    return [(Markdown(text), coefficient_display(results, t, lang)) for t, text in texts.items()]


def _join(parts: list[str], lang: str) -> str:
    if lang == "ko" or len(parts) < 2:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def rows_by_type(frame: pd.DataFrame, lang: str) -> str:
    """The rows of each type, as one clause ("178 rows for information platforms, …")."""
    check_lang(lang)
    counts = [(t, int((frame["platform_type"] == t).sum())) for t in TYPE_CODES]
    if lang == "ko":
        parts = []
        for t, n in counts:
            short = label(f"reg.type_short.{t}", lang)
            parts.append(f"{attach(short, '은/는')} {n:,d}행")
        return _join(parts, lang)
    parts = [f"{n:,d} for {_platforms(t, lang)}" for t, n in counts]
    if parts:
        n = counts[0][1]
        parts[0] = f"{n:,d} {plural(n, 'row', 'rows')} for {_platforms(counts[0][0], lang)}"
    return _join(parts, lang)


def agreement_by_type(comparison: pd.DataFrame, lang: str) -> str:
    """The findings that agree, type by type ("9 of 10 for information platforms and …")."""
    check_lang(lang)
    parts = []
    for t in dict.fromkeys(comparison["platform_type"]):
        counts = findings.agreement(comparison[comparison["platform_type"] == t])
        k, m = counts.n_agree, counts.n_findings
        if lang == "ko":
            short = label(f"reg.type_short.{t}", lang)
            parts.append(f"{attach(short, '은/는')} {m}개 가운데 {k}개")
        else:
            parts.append(f"{k} of {m} for {_platforms(t, lang)}")
    return _join(parts, lang)


def paper_displays(
    comparison: pd.DataFrame, lang: str, truth: pd.DataFrame | None = None
) -> list[Table]:
    """:func:`paper_display` for each type with findings, in the order of the findings."""
    types = dict.fromkeys(comparison["platform_type"])
    return [paper_display(comparison, lang, truth, platform_type=t) for t in types]


# --- many tests at once; activation tested jointly -------------------------------------------


def _fmt_p(p: float) -> str:
    """A p-value with three decimals, or "<0.001"; empty when missing."""
    if p is None or not np.isfinite(p):
        return ""
    return "<0.001" if p < 0.0005 else f"{p:.3f}"


def multiplicity_table(adjusted: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Each finding's unadjusted, Holm and BH p-values and whether it agrees under each.

    ``adjusted`` is :func:`multiplicity.with_adjusted`'s frame; one row per finding, headed by
    its type and term.
    """
    check_lang(lang)
    index = [
        f"{label(f'reg.type_short.{t}', lang)} · {label(f'term.{term}', lang)}"
        for t, term in zip(adjusted["platform_type"], adjusted["term"], strict=True)
    ]
    out = pd.DataFrame(
        {
            label("ui.outcome", lang): [label(f"outcome.{o}", lang) for o in adjusted["outcome"]],
            label("ui.p_value", lang): [_fmt_p(p) for p in adjusted["p_value"]],
            label("reg.p_holm", lang): [_fmt_p(p) for p in adjusted["p_holm"]],
            label("reg.q_bh", lang): [_fmt_p(p) for p in adjusted["q_bh"]],
            label("reg.agrees_by_rule", lang): [
                " / ".join(_agreement_label(v, lang) for v in values)
                for values in zip(
                    adjusted["agrees"], adjusted["agrees_holm"], adjusted["agrees_bh"], strict=True
                )
            ],
        },
        index=index,
    )
    out.index.name = label("reg.finding", lang)
    return out


def multiplicity_display(adjusted: pd.DataFrame, lang: str) -> Table:
    return Table(
        multiplicity_table(adjusted, lang),
        caption=label("reg.caption.multiplicity", lang),
        index_label=label("reg.finding", lang),
        note=label("reg.note.multiplicity", lang).format(alpha=f"{models.ALPHA:g}"),
    )


def activation_joint_table(joint: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`multiplicity.activation_joint` for the reader: one row per type × outcome."""
    check_lang(lang)
    index = [
        f"{label(f'reg.type_short.{t}', lang)} · {label(f'outcome.{o}', lang)}"
        for t, o in zip(joint["platform_type"], joint["outcome"], strict=True)
    ]
    effect = [
        f"{_fmt(e)}{models.stars(p)}\n[{_fmt(low)}, {_fmt(high)}]" if np.isfinite(e) else ""
        for e, p, low, high in zip(
            joint["estimate"], joint["p_value"], joint["conf_low"], joint["conf_high"], strict=True
        )
    ]
    df = sorted({int(d) for d in joint["wald_df"]})
    wald = label("reg.wald_chi2", lang).format(df=", ".join(map(str, df)))
    out = pd.DataFrame(
        {
            wald: [_fmt(x, 2) for x in joint["wald_chi2"]],
            label("ui.p_value", lang): [_fmt_p(p) for p in joint["wald_p"]],
            label("reg.median_count", lang): [f"{n:g}" for n in joint["median_count"]],
            label("reg.new_domain_effect", lang): effect,
        },
        index=index,
    )
    out.index.name = label("reg.model", lang)
    return out


def activation_joint_display(joint: pd.DataFrame, lang: str) -> Table:
    return Table(
        activation_joint_table(joint, lang),
        caption=label("reg.caption.activation_joint", lang),
        index_label=label("reg.model", lang),
        note=label("reg.note.activation_joint", lang) + " " + label("note.stars", lang) + ".",
    )


def only_jointly_sentence(n_only: int, lang: str) -> str:
    """How many models find activation only when its two coefficients are tested together."""
    check_lang(lang)
    if lang == "ko":
        if n_only == 0:
            return (
                "두 계수가 하나씩으로는 유의하지 않은데 함께 검정해야 유의해지는 모형은 없습니다."
            )
        return (
            f"{n_only}개 모형에서는 두 계수 모두 하나씩으로는 유의하지 않지만 함께 검정하면 "
            "유의합니다."
        )
    if n_only == 0:
        return (
            "No model has activation significant jointly while neither coefficient is "
            "significant on its own."
        )
    models_ = plural(n_only, "model", "models")
    return (
        f"In {n_only} {models_} neither coefficient is significant on its own, yet the two are "
        "jointly."
    )


def new_domain_sentence(n_significant: int, n_models: int, lang: str) -> str:
    """In how many models the effect of one more platform in a new domain is significant."""
    check_lang(lang)
    if lang == "ko":
        if n_significant == 0:
            return f"이 효과가 유의한 모형은 {n_models}개 가운데 하나도 없습니다."
        return f"이 효과는 {n_models}개 모형 가운데 {n_significant}개에서 유의합니다."
    if n_significant == 0:
        return f"It is significant in none of the {n_models} models."
    return f"It is significant in {n_significant} of the {n_models} models."


def families_clause(adjusted: pd.DataFrame, types: Iterable[str], lang: str) -> str:
    """The Holm families of ``types`` ("the 20 key coefficients of information platforms and …").

    ``adjusted`` is :func:`multiplicity.adjusted_p_values`'s frame: one row per key coefficient.
    """
    check_lang(lang)
    sizes = adjusted.groupby("platform_type").size()
    parts = []
    for t in types:
        n = int(sizes.get(t, 0))
        if lang == "ko":
            parts.append(f"{_platforms(t, lang)}의 핵심 계수 {n}개")
        else:
            coefficients = plural(n, "coefficient", "coefficients")
            parts.append(f"the {n} key {coefficients} of {_platforms(t, lang)}")
    return join(parts, lang)


# --- are the types different? (the pooled model) -----------------------------------------


def _type_list(types: Iterable[str], lang: str) -> str:
    return _join([_platforms(t, lang) for t in types], lang)


def _topic(text: str, lang: str) -> str:
    return attach(text, "은/는") if lang == "ko" else text


def _test_header(test: str, lang: str) -> str:
    gaining = pooled.GAINING_TYPES
    others = tuple(t for t in TYPE_CODES if t not in gaining)
    return label(f"reg.eq.{test}", lang).format(
        equal=" = ".join(gaining),
        gaining=", ".join(gaining),
        others=", ".join(others),
    )


def _test_cell(statistic: float, p: float) -> str:
    shown = "< 0.001" if p < 0.001 else f"{p:.3f}"
    return f"{_fmt(statistic, 2)}{models.stars(p)}\n({shown})"


def equality_table(tests: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`pooled.equality_tests` as one row per key predictor × outcome, one column per test.

    A cell holds the F statistic with stars and, on a new line, its p-value in parentheses;
    a test that could not be formed is empty.
    """
    check_lang(lang)
    wide = tests.pivot_table(
        index=["term", "outcome"], columns="test", values=["statistic", "p_value"], aggfunc="first"
    )
    terms = [t for t in models.KEY_TERMS if t in set(tests["term"])]
    outcomes = [o for o in OUTCOMES if o in set(tests["outcome"])]
    keys = [(t, o) for t in terms for o in outcomes if (t, o) in wide.index]
    out = pd.DataFrame(index=[label(f"term.{t}", lang) for t, _ in keys])
    out.index.name = label("ui.term", lang)
    out[label("ui.outcome", lang)] = [label(f"outcome.{o}", lang) for _, o in keys]
    for test in pooled.TESTS:
        if test not in set(tests["test"]):
            continue
        out[_test_header(test, lang)] = [
            ""
            if pd.isna(wide.loc[k, ("p_value", test)])
            else _test_cell(wide.loc[k, ("statistic", test)], wide.loc[k, ("p_value", test)])
            for k in keys
        ]
    return out


def equality_display(tests: pd.DataFrame, lang: str) -> Table:
    """:func:`equality_table` with its caption and a note on the tests and standard errors."""
    note = " ".join([label("reg.note.equality", lang), label("note.stars", lang) + "."])
    return Table(
        equality_table(tests, lang),
        caption=label("reg.caption.equality", lang),
        index_label=label("ui.term", lang),
        note=note,
    )


def equality_numbers(
    frame: pd.DataFrame, tests: pd.DataFrame, lang: str
) -> dict[str, tuple[Any, str] | str]:
    """The section's prose numbers: governments in several types, and what the tests find.

    The two lists of types are the subjects of a clause: in Korean they carry the topic
    particle.

    The sentence counts the predictor × outcome pairs whose slopes differ (``equal``:
    p < 0.05) and those that show the paper's pattern: the gaining types do not differ from each
    other (``within``: p ≥ 0.05) and the other types differ from their mean (``between``:
    p < 0.05).
    """
    check_lang(lang)
    wide = tests.pivot_table(
        index=["term", "outcome"], columns="test", values="p_value", aggfunc="first"
    ).reindex(columns=list(pooled.TESTS))
    equal = wide["equal"].dropna()
    per_lg = frame.groupby("lg_code", observed=True)["platform_type"].nunique()
    paper = (wide["within"] >= models.ALPHA) & (wide["between"] < models.ALPHA)
    others = [t for t in TYPE_CODES if t not in pooled.GAINING_TYPES]
    return {
        "n_lg_multi": (int((per_lg > 1).sum()), ",d"),
        "eq_sentence": equal_slopes_sentence(
            len(equal), int((equal < models.ALPHA).sum()), int(paper.sum()), lang
        ),
        "eq_gaining": _topic(_type_list(pooled.GAINING_TYPES, lang), lang),
        "eq_others": _topic(_type_list(others, lang), lang),
    }


# --- numbers for the prose -------------------------------------------------------------------

TRUTH_NUMBERS = (
    "n_true",
    "n_key",
    "n_cover",
    "expected_cover",
    "n_nonzero",
    "n_detected",
    "n_zero",
    "n_false_positive",
    "expected_false_positive",
    "tails",
)
#: The coefficient whose shift Exercise 1 asks about.
SHIFT_TERM = "coop_metro"


def numbers(
    frame: pd.DataFrame,
    checks: Mapping[str, list[models.FitResult]],
    truth: pd.DataFrame | None,
    lang: str,
    *,
    shift: tuple[models.FitResult, models.FitResult],
    se_fit: models.FitResult,
    equality: pd.DataFrame | None = None,
    tails: simulation.DrawTails | None = None,
) -> dict[str, tuple[Any, str] | str]:
    """Every number the regression chapter's prose quotes: ``name -> (value, format)`` or text.

    ``checks`` is :func:`fit_checks` (its ``"main"`` entry holds the main models) and ``truth``
    :func:`true_values`. Without ``truth`` (real data) the numbers about the truth are the
    label ``reg.not_applicable``. The exercises' numbers come from ``shift``, a model and the
    same model with one control left out (:func:`refit_without`), and ``se_fit``, the model
    whose standard errors Exercise 3 compares. ``equality`` (:func:`pooled.equality_tests`)
    adds the numbers of the section on the pooled model (:func:`equality_numbers`), and
    ``tails`` (:func:`simulation.draw_tails`) how unusual the survey's coverage and false
    positives are.
    """
    from platformgov.analysis.export import coefficients_table

    check_lang(lang)
    main = checks["main"]
    comparison = models.compare_with_paper(main)
    out: dict[str, tuple[Any, str] | str] = {}
    for t in TYPE_CODES:
        out[f"n_{t}"] = (int((frame["platform_type"] == t).sum()), ",d")
    out["rows_by_type"] = rows_by_type(frame, lang)
    out["n_lg"] = (int(frame["lg_code"].nunique()), ",d")
    low, high = findings.r_squared_range(main)
    out["r2_low"], out["r2_high"] = (low, ".2f"), (high, ".2f")

    counts = findings.agreement(comparison)
    out["n_agree"], out["n_findings"] = (counts.n_agree, "d"), (counts.n_findings, "d")
    out["agree_by_type"] = agreement_by_type(comparison, lang)
    activation = comparison["term"].isin(vocabulary.MAIN_ACTIVATION)
    out["n_activation_findings"] = (int(activation.sum()), "d")
    out["n_coop_findings"] = (int(comparison["term"].isin(vocabulary.COLLABORATION).sum()), "d")
    out["n_ko_only"] = (int((~comparison["in_en_abstract"]).sum()), "d")

    agree = [
        findings.agreement(models.compare_with_paper(fits, findings.findings_for(fits))).n_agree
        for fits in checks.values()
    ]
    out["agree_range"] = agree_range_sentence(
        min(agree), max(agree), counts.n_findings, len(agree), lang
    )

    vif_type, vif_term, vif_value = findings.largest_vif(main)
    out["vif_max"] = (vif_value, ".1f")
    out["vif_term"] = label(f"term.{vif_term}", lang)
    out["vif_type"] = value_label("platform_type", vif_type, lang)
    out["n_coef_rows"] = (len(coefficients_table(main)), ",d")
    out["n_models"] = (len(main), "d")
    out.update(_exercise_numbers(*shift, se_fit))
    out.update(_truth_numbers(main, truth, tails, lang))
    out.update(_multiplicity_numbers(frame, main, comparison, lang))
    if equality is not None:
        out.update(equality_numbers(frame, equality, lang))
    return out


def equal_slopes_sentence(n_tests: int, n_differ: int, n_paper: int, lang: str) -> str:
    """How many predictor × outcome pairs differ across types, against chance, and how many
    follow the paper's pattern; for none, one and many."""
    expected = models.ALPHA * n_tests
    if check_lang(lang) == "ko":
        pairs = f"설명변수 × 성과 차원 {n_tests:,d}쌍 가운데"
        if n_differ == 0:
            differ = f"**{pairs} 유형 사이에 유의하게 다른 쌍은 없습니다**"
        else:
            differ = f"**{pairs} {n_differ:,d}쌍이 유형 사이에 유의하게 다릅니다**"
        chance = f"(p < {models.ALPHA:g}). 우연만으로도 약 {expected:.1f}쌍은 그럴 수 있습니다."
        pattern = "성과를 얻는 유형끼리는 다르지 않고, 나머지 유형은 그 평균과 다릅니다."
        if n_paper == 0:
            paper = (
                "논문의 해석대로 성과를 얻는 유형끼리는 다르지 않고 나머지 유형은 그 평균과 "
                "다른 쌍은 없습니다."
            )
        else:
            paper = (
                f"{n_tests:,d}쌍 가운데 {n_paper:,d}쌍은 논문의 해석과 같은 모습입니다. {pattern}"
            )
        return f"{differ}{chance} {paper}"
    pairs = f"of the {n_tests:,d} predictor × outcome pairs"
    if n_differ == 0:
        differ = f"**None {pairs} differs significantly across types**"
    else:
        verb = "differs" if n_differ == 1 else "differ"
        differ = f"**{n_differ:,d} {pairs} {verb} significantly across types**"
    chance = f" (p < {models.ALPHA:g}); by chance alone about {expected:.1f} would."
    pattern = (
        "the gaining types do not differ from each other, and the others differ from their mean"
    )
    if n_paper == 0:
        paper = f"In none of the {n_tests:,d} pairs is the pattern the paper's ({pattern})."
    else:
        paper = f"In {n_paper:,d} of the {n_tests:,d} pairs the pattern is the paper's: {pattern}."
    return f"{differ}{chance} {paper}"


def corrections_sentence(
    n_key: int,
    significant: tuple[int, int, int],
    n_findings: int,
    agree: tuple[int, int, int],
    lang: str,
) -> str:
    """How many key coefficients are significant, and how many findings agree, without
    correction, after Holm's and after Benjamini–Hochberg's (each a triple in that order)."""
    sig, sig_holm, sig_bh = significant
    agr, agr_holm, agr_bh = agree
    if check_lang(lang) == "ko":
        return (
            f"핵심 계수 {n_key:,d}개 가운데 유의한 것은 보정 전 {sig:,d}개, Holm 보정 뒤 "
            f"{sig_holm:,d}개, Benjamini–Hochberg 보정 뒤 {sig_bh:,d}개입니다. 논문의 발견 "
            f"{n_findings:,d}개 가운데 일치하는 것은 보정 전 {agr:,d}개, Holm 보정 뒤 "
            f"{agr_holm:,d}개, Benjamini–Hochberg 보정 뒤 {agr_bh:,d}개입니다."
        )
    return (
        f"Of the {n_key:,d} key coefficients, "
        f"{subject(sig, 'is', 'are')} significant without correction, "
        f"{sig_holm:,d} after Holm's correction and {sig_bh:,d} after Benjamini–Hochberg's. "
        f"Of the {n_findings:,d} findings, {subject(agr, 'agrees', 'agree')} without "
        f"correction, {agr_holm:,d} after Holm's and {agr_bh:,d} after Benjamini–Hochberg's."
    )


def agree_range_sentence(low: int, high: int, n_findings: int, n_specs: int, lang: str) -> str:
    """How many findings agree across the checks: one count when all agree on it, else a
    range."""
    if check_lang(lang) == "ko":
        if low == high:
            return (
                f"{number_word(n_specs, lang)} 모형 모두에서 발견 {n_findings:,d}개 가운데 "
                f"{low:,d}개가 일치합니다."
            )
        return f"일치하는 발견은 모형에 따라 {n_findings:,d}개 가운데 {low:,d}~{high:,d}개입니다."
    if low == high:
        verb = "agrees" if low == 1 else "agree"
        return (
            f"In each of the {number_word(n_specs, lang)} specifications, {low:,d} of the "
            f"{n_findings:,d} findings {verb}."
        )
    return (
        f"Across the {number_word(n_specs, lang)} specifications, between {low:,d} and {high:,d} of the "
        f"{n_findings:,d} findings agree."
    )


def _exercise_numbers(
    full: models.FitResult, reduced: models.FitResult, se_fit: models.FitResult
) -> dict[str, tuple[Any, str]]:
    dropped = [t for t in full.spec.terms if t not in reduced.spec.terms]
    if len(dropped) != 1:
        raise ValueError(
            f"the reduced model must leave out one term of the full one, not {dropped}"
        )
    se = findings.standard_errors(se_fit)
    return {
        "ex1_full": (full.term(SHIFT_TERM)["estimate"], ".3f"),
        "ex1_reduced": (reduced.term(SHIFT_TERM)["estimate"], ".3f"),
        "ex1_level": (full.term(dropped[0])["estimate"], ".3f"),
        "ex3_ratio_low": (se["ratio"].min(), ".2f"),
        "ex3_ratio_high": (se["ratio"].max(), ".2f"),
        "ex3_n": (se_fit.n_obs, ",d"),
    }


def _truth_numbers(
    main: list[models.FitResult],
    truth: pd.DataFrame | None,
    tails: simulation.DrawTails | None,
    lang: str,
) -> dict[str, tuple[Any, str] | str]:
    if truth is None:
        na = label("reg.not_applicable", lang)
        return {name: na for name in TRUTH_NUMBERS}
    tc = findings.truth_counts(findings.truth_comparison(main, truth))
    return {
        "n_true": (findings.findings_built_in(truth), "d"),
        "n_key": (tc["n"], "d"),
        "n_cover": (tc["covers"], "d"),
        "expected_cover": ((1 - models.ALPHA) * tc["n"], ".0f"),
        "n_nonzero": (tc["nonzero"], "d"),
        "n_detected": (tc["detected"], "d"),
        "n_zero": (tc["zero"], "d"),
        "n_false_positive": (tc["false_positive"], "d"),
        "expected_false_positive": (models.ALPHA * tc["zero"], ".1f"),
        "tails": label("reg.not_applicable", lang)
        if tails is None
        else tails_sentence(tails, lang),
    }


#: A survey whose count lies in a tail this thin is called unusual (our wording rule).
UNUSUAL = 0.05


def tails_sentence(tails: simulation.DrawTails, lang: str) -> str:
    """How unusual the survey's coverage and false positives are among redrawn surveys."""
    check_lang(lang)
    p_cover, p_fp = f"{tails.p_covers:.1%}", f"{tails.p_false_positives:.1%}"
    k, m, n = tails.observed_covers, tails.observed_false_positives, f"{tails.n_surveys:,d}"
    unusual = min(tails.p_covers, tails.p_false_positives) < UNUSUAL
    if lang == "ko":
        verdict = (
            "이 책의 합성 조사는 분포의 꼬리에서 나온 드문 추첨입니다."
            if unusual
            else "이 책의 합성 조사는 드문 추첨이 아닙니다."
        )
        return (
            f"이 결과가 얼마나 드문지 보려고 같은 지자체와 플랫폼에 같은 생성 과정으로 응답만 "
            f"{n}번 다시 뽑아 주 모형을 맞추었습니다. 참값을 포함하는 구간이 {k}개 이하인 "
            f"조사는 {p_cover}, 거짓 양성이 {m}개 이상인 조사는 {p_fp}입니다. {verdict}"
        )
    verdict = (
        "The synthetic survey this book ships is an unusual draw, from the tail of the "
        "distribution."
        if unusual
        else "The synthetic survey this book ships is not an unusual draw."
    )
    intervals = "interval" if k == 1 else "intervals"
    positives = "false positive" if m == 1 else "false positives"
    return (
        f"How unusual is that? Redrawing the answers {n} times from the same process, for the "
        f"same local governments and platforms, and fitting the main models each time, "
        f"{p_cover} of the redrawn surveys have at most {k} covering {intervals} and {p_fp} "
        f"have at least {m} {positives}. {verdict}"
    )


def _multiplicity_numbers(
    frame: pd.DataFrame,
    main: list[models.FitResult],
    comparison: pd.DataFrame,
    lang: str,
) -> dict[str, tuple[Any, str] | str]:
    """The prose numbers of the corrections for many tests and of activation tested jointly."""
    adjusted = multiplicity.adjusted_p_values(main)
    scored = multiplicity.with_adjusted(comparison, adjusted)
    joint = multiplicity.activation_joint(frame, main)
    significant = adjusted.assign(
        **{c: adjusted[c].astype(float) < models.ALPHA for c in ("p_value", "p_holm", "q_bh")}
    )
    alone = significant.pivot_table(
        index=["platform_type", "outcome"], columns="term", values="p_value", aggfunc="any"
    )
    count_term, diversity_term = vocabulary.MAIN_ACTIVATION
    jointly = joint.set_index(["platform_type", "outcome"])["wald_p"] < models.ALPHA
    either = alone[count_term] | alone[diversity_term]
    return {
        "mult_families": families_clause(
            adjusted, dict.fromkeys(comparison["platform_type"]), lang
        ),
        "mult_alpha": (models.ALPHA, ".0%"),
        "mult_n_key": (len(adjusted), "d"),
        "mult_counts": corrections_sentence(
            len(adjusted),
            tuple(int(significant[c].sum()) for c in ("p_value", "p_holm", "q_bh")),
            len(comparison),
            (
                int(findings.agreement(comparison).n_agree),
                int(scored["agrees_holm"].fillna(False).sum()),
                int(scored["agrees_bh"].fillna(False).sum()),
            ),
            lang,
        ),
        "joint_n_models": (len(joint), "d"),
        "joint_n_sig": (int(jointly.sum()), "d"),
        "joint_n_count_sig": (int(alone[count_term].sum()), "d"),
        "joint_n_diversity_sig": (int(alone[diversity_term].sum()), "d"),
        "joint_only_jointly": only_jointly_sentence(
            int((jointly & ~either.reindex(jointly.index)).sum()), lang
        ),
        "joint_effect_sentence": new_domain_sentence(
            int((joint["p_value"] < models.ALPHA).sum()), len(joint), lang
        ),
    }
