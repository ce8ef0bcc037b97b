"""A compact recap of the main results, for the discussion chapter.

Everything here condenses what :mod:`platformgov.analysis.models` has already estimated; nothing is
re-estimated. The counts the discussion shares with the regression chapter live in
:mod:`platformgov.chapters.regression`: :func:`~platformgov.chapters.findings.agreement` (how many of the study's
findings the main models agree with) and, with the synthetic data,
:func:`~platformgov.chapters.findings.truth_comparison` / :func:`~platformgov.chapters.findings.truth_counts` (each
key coefficient against the value the data were generated with). The building blocks here are

- :func:`findings_table`: the study's findings as a small table, one row per platform type ×
  term and one column per outcome, each cell our estimate with its 95% interval;
- :func:`focal_counts` / :func:`focal_table`: for each activation and collaboration term, how
  many of its coefficients over all types and outcomes are significant, and in which direction;
- :func:`rule_table`: how many findings agree under looser or stricter rules;
- :func:`truth_sentence`: the sentence that reports the check against the true effects;
- :func:`numbers`: every number and clause the chapter's prose quotes.

The ``*_display`` functions wrap a table in an accessible
:class:`platformgov.chapters.tables.Table` with its caption and note.

"Agrees" and "detected" use one rule throughout, the one :func:`models.compare_with_paper` uses:
the estimate has the expected sign and ``p < models.ALPHA``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from platformgov import vocabulary
from platformgov.analysis import findings, models
from platformgov.chapters.grammar import number_word, subject
from platformgov.chapters.tables import Table
from platformgov.labels import check_lang, label, value_label
from platformgov.vocabulary import OUTCOMES, TYPE_CODES

#: Marks an outcome column whose findings only the Korean abstract reports.
KO_ONLY_MARK = "†"


def rule_table(
    comparison: pd.DataFrame, lang: str, alphas: Iterable[float] = (models.ALPHA, 0.10)
) -> pd.DataFrame:
    """How many findings agree under looser or stricter rules (an exercise of the chapter).

    One row per ``alpha`` in ``alphas`` (same sign and p < alpha), then one row for "same sign,
    whatever the p-value". Columns: the number of findings that agree and the number of findings.
    Counts can only grow as a rule loosens.
    """
    check_lang(lang)
    sign = comparison["paper_sign"].map({"+": 1, "-": -1})
    if sign.isna().any():
        raise ValueError("paper_sign must be '+' or '-'")
    same = np.sign(comparison["estimate"].astype(float)) == sign
    p = comparison["p_value"].astype(float)
    rows = {
        label("discussion.rule_alpha", lang).format(alpha=f"{a:g}"): int((same & (p < a)).sum())
        for a in alphas
    }
    rows[label("discussion.rule_sign", lang)] = int(same.sum())
    out = pd.DataFrame(
        {
            label("discussion.col_n_agree", lang): list(rows.values()),
            label("discussion.col_n_findings", lang): len(comparison),
        },
        index=list(rows),
    )
    return out


def rule_display(comparison: pd.DataFrame, lang: str) -> Table:
    return Table(
        rule_table(comparison, lang),
        caption=label("discussion.caption_rules", lang),
        index_label=label("discussion.col_rule", lang),
    )


def _num(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _estimate_cell(row: pd.Series, digits: int, lang: str) -> str:
    if not np.isfinite(row["estimate"]):
        return label("agree.na", lang)
    text = _num(row["estimate"], digits) + models.stars(row["p_value"])
    if np.isfinite(row["conf_low"]) and np.isfinite(row["conf_high"]):
        low, high = _num(row["conf_low"], digits), _num(row["conf_high"], digits)
        # A no-break space keeps the interval on one line in a narrow column.
        text += f"\n[{low},\u00a0{high}]"
    return text


def findings_table(comparison: pd.DataFrame, lang: str, digits: int = 2) -> pd.DataFrame:
    """The study's findings with our estimates: rows type × term, columns outcomes.

    A cell holds our estimate with significance stars and, on a new line, its 95% interval
    (its two ends joined by a no-break space);
    ``discussion.not_reported`` where the paper reports no finding, ``agree.na`` where the term
    was not estimated. The last column counts agreements over the row's findings (``k / m``).
    An outcome column whose findings only the Korean abstract reports is marked
    :data:`KO_ONLY_MARK`. Rows follow the order of the findings; render with
    :class:`platformgov.chapters.tables.Table`.
    """
    check_lang(lang)
    if comparison.empty:
        raise ValueError("no findings to tabulate")
    outcomes = [o for o in OUTCOMES if o in set(comparison["outcome"])]
    headers = {}
    for o in outcomes:
        ko_only = (
            not comparison.loc[comparison["outcome"] == o, "in_en_abstract"].astype(bool).any()
        )
        headers[o] = label(f"outcome.{o}", lang) + (KO_ONLY_MARK if ko_only else "")
    rows = {}
    for (t, term), group in comparison.groupby(["platform_type", "term"], sort=False):
        by_outcome = group.set_index("outcome")
        cells = {
            headers[o]: (
                _estimate_cell(by_outcome.loc[o], digits, lang)
                if o in by_outcome.index
                else label("discussion.not_reported", lang)
            )
            for o in outcomes
        }
        agrees = group["agrees"].astype("boolean").fillna(False)
        cells[label("discussion.col_agreements", lang)] = f"{int(agrees.sum())} / {len(group)}"
        name = f"{value_label('platform_type', t, lang)} · {label(f'term.{term}', lang)}"
        rows[name] = cells
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = label("discussion.col_finding", lang)
    return out


def findings_display(comparison: pd.DataFrame, lang: str) -> Table:
    return Table(
        findings_table(comparison, lang),
        caption=label("discussion.caption_findings", lang),
        index_label=label("discussion.col_finding", lang),
        note=label("discussion.note_findings", lang),
    )


def focal_counts(
    results: Iterable[models.FitResult],
    terms: Iterable[str] = models.KEY_TERMS,
    alpha: float = models.ALPHA,
) -> pd.DataFrame:
    """For each term, how many of its estimated coefficients are significant, by sign.

    One row per term in ``terms``: ``term``, ``n_paper`` (the study's findings about it),
    ``n_coefficients`` (models in which it was estimated with a p-value), ``n_positive`` and
    ``n_negative`` (of those, significant at ``alpha`` with that sign).
    """
    terms = tuple(terms)
    results = list(results)
    if not results:
        raise ValueError("no results to count")
    tidy = models.tidy(results)
    tidy = tidy[tidy["term"].isin(terms) & np.isfinite(tidy["p_value"].astype(float))]
    significant = tidy["p_value"] < alpha
    rows = []
    for term in terms:
        mine = tidy["term"] == term
        rows.append(
            {
                "term": term,
                "n_paper": sum(f.term == term for f in models.PAPER_FINDINGS),
                "n_coefficients": int(mine.sum()),
                "n_positive": int((mine & significant & (tidy["estimate"] > 0)).sum()),
                "n_negative": int((mine & significant & (tidy["estimate"] < 0)).sum()),
            }
        )
    return pd.DataFrame(rows)


def focal_table(counts: pd.DataFrame, lang: str) -> pd.DataFrame:
    """:func:`focal_counts` with labels and a total row (render with ``footer_rows=1``)."""
    check_lang(lang)
    columns = ("n_paper", "n_coefficients", "n_positive", "n_negative")
    body = counts.set_index("term").loc[:, list(columns)].astype("int64")
    body.index = [label(f"term.{t}", lang) for t in body.index]
    total = pd.DataFrame([body.sum()], index=[label("discussion.total", lang)])
    out = pd.concat([body, total])
    out.columns = [label(f"discussion.col_{c}", lang) for c in columns]
    return out


def focal_display(counts: pd.DataFrame, lang: str) -> Table:
    return Table(
        focal_table(counts, lang),
        caption=label("discussion.caption_focal", lang),
        index_label=label("ui.term", lang),
        footer_rows=1,
        note=label("discussion.note_focal", lang),
    )


def sample_sizes(results: Iterable[models.FitResult]) -> pd.DataFrame:
    """Smallest and largest number of observations of each type's models, in type order."""
    rows = {}
    for r in results:
        low, high = rows.get(r.spec.platform_type, (r.n_obs, r.n_obs))
        rows[r.spec.platform_type] = (min(low, r.n_obs), max(high, r.n_obs))
    if not rows:
        raise ValueError("no results")
    order = [t for t in TYPE_CODES if t in rows]
    return pd.DataFrame(
        {
            "platform_type": order,
            "n_min": [rows[t][0] for t in order],
            "n_max": [rows[t][1] for t in order],
        }
    )


def sample_size_text(sizes: pd.DataFrame) -> dict[str, str]:
    """Each type's N for the prose: one number, or ``low–high`` when its models differ."""
    return {
        t: f"{lo:,d}" if lo == hi else f"{lo:,d}–{hi:,d}"
        for t, lo, hi in sizes[["platform_type", "n_min", "n_max"]].itertuples(index=False)
    }


def activation_correlation(frame: pd.DataFrame) -> pd.DataFrame:
    """Pearson correlation of ``log_n_platforms`` and ``diversity`` within each type.

    Over the rows where both are known; ``correlation`` is NaN when either does not vary.
    These are the two activation terms the main model holds side by side.
    """
    a, b = vocabulary.MAIN_ACTIVATION
    missing = [c for c in ("platform_type", a, b) if c not in frame.columns]
    if missing:
        raise ValueError(f"the analysis frame lacks the column(s) {', '.join(missing)}")
    rows = []
    for t in TYPE_CODES:
        sub = frame.loc[frame["platform_type"] == t, [a, b]].astype(float).dropna()
        varies = len(sub) > 1 and sub[a].std() > 0 and sub[b].std() > 0
        rows.append(
            {
                "platform_type": t,
                "correlation": float(sub[a].corr(sub[b])) if varies else np.nan,
                "n": len(sub),
            }
        )
    return pd.DataFrame(rows)


def truth_sentence(kind: str, counts: Mapping[str, int] | None, lang: str) -> str:
    """The sentence that reports :func:`platformgov.chapters.findings.truth_counts`, or says why there is
    no truth to check.

    With ``source == "synthetic"`` the counts fill the label ``discussion.truth_synthetic``:
    of the coefficients with a true effect, how many were detected and how many missed; of
    those without, how many came out significant. With real data the label
    ``discussion.truth_real`` says that no true values are known.
    """
    check_lang(lang)
    if kind == "synthetic":
        if counts is None:
            raise ValueError("the synthetic sentence needs the counts of the truth comparison")
        return label("discussion.truth_synthetic", lang).format(
            built_in=counts["nonzero"],
            found=counts["detected"],
            missed=counts["nonzero"] - counts["detected"],
            null=counts["zero"],
            false_alarm=counts["false_positive"],
        )
    if kind == "real":
        return label("discussion.truth_real", lang)
    raise ValueError(f"kind must be 'synthetic' or 'real', not {kind!r}")


def observations_by_type(sizes: pd.DataFrame, lang: str) -> str:
    """The observations of each type's models as one clause ("178 observations for …")."""
    check_lang(lang)
    text = sample_size_text(sizes)
    parts = []
    for i, t in enumerate(text):
        name = value_label("platform_type", t, lang)
        if lang == "ko":
            n = f"관측치 {text[t]}개" if i == 0 else f"{text[t]}개"
            parts.append(f"{name} 모형은 {n}")
        else:
            one = text[t] == "1"
            n = f"{text[t]} {'observation' if one else 'observations'}" if i == 0 else text[t]
            parts.append(f"{n} for {name}")
    if lang == "ko" or len(parts) < 2:
        return ", ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def verdict_sentence(agreement: findings.Agreement, lang: str) -> str:
    """The findings that do not agree, those that could not be estimated, and the looser
    reading by sign, for any counts (none, one, many)."""
    a = agreement
    if check_lang(lang) == "ko":
        first = (
            "이 기준으로 일치하지 않는 발견은 없습니다"
            if a.n_disagree == 0
            else f"이 기준으로 일치하지 않는 발견은 {a.n_disagree:,d}개입니다"
        )
        first += (
            ". 모든 발견을 추정할 수 있었습니다."
            if a.n_not_estimable == 0
            else f". 아예 추정할 수 없었던 발견도 {a.n_not_estimable:,d}개 있습니다."
        )
        share = (
            f"{a.n_findings:,d}개 모두의"
            if a.n_same_sign == a.n_findings
            else f"{a.n_findings:,d}개 가운데 {a.n_same_sign:,d}개의"
        )
        second = f"방향만 보는 느슨한 기준으로는 {share} 추정치가 논문과 같은 방향을 가리키고, "
        second += (
            "반대 방향으로 유의한 추정치는 없습니다."
            if a.n_opposite == 0
            else f"{a.n_opposite:,d}개는 반대 방향으로 유의합니다."
        )
        return f"{first} {second}"
    if a.n_disagree == 0:
        first = "Every finding agrees in this sense"
    elif a.n_disagree == 1:
        first = "One finding does not agree in this sense"
    else:
        first = f"{a.n_disagree:,d} findings do not agree in this sense"
    if a.n_not_estimable == 0:
        first += ", and every one could be estimated."
    elif a.n_not_estimable == 1:
        first += ", and one could not be estimated at all."
    else:
        first += f", and {a.n_not_estimable:,d} could not be estimated at all."
    opposite = f"{subject(a.n_opposite, 'is', 'are')} significant in the opposite direction"
    if a.n_same_sign == a.n_findings:
        same = f"all {a.n_findings:,d} estimates point"
    else:
        verb = "estimate points" if a.n_same_sign == 1 else "estimates point"
        same = f"{a.n_same_sign:,d} of the {a.n_findings:,d} {verb}"
    return (
        f"{first} A looser reading counts signs only: {same} the way the paper reports, "
        f"and {opposite}."
    )


def ko_only_sentence(n: int, lang: str) -> str:
    """How many findings (democracy as an outcome of cooperation) the Korean abstract alone
    reports."""
    if check_lang(lang) == "ko":
        if n == 0:
            return "모든 발견이 두 초록에 다 나옵니다."
        return f"협력이 민주성을 높인다는 발견 {n:,d}개는 국문 초록에만 있습니다."
    if n == 0:
        return "Every finding appears in both abstracts."
    if n == 1:
        return (
            "One finding — democracy as an outcome of cooperation — appears only in the "
            "Korean abstract."
        )
    return (
        f"{number_word(n, lang).capitalize()} of the findings — democracy as an outcome of "
        "cooperation — appear only in the Korean abstract."
    )


def central_sentence(pos: int, neg: int, n: int, built: int, n_models: int, lang: str) -> str:
    """The significant coefficients of central cooperation, and how many models the
    synthetic process gives such an effect."""
    if check_lang(lang) == "ko":
        if pos == 0 and neg == 0:
            found = f"이 책의 모형에서는 중앙정부 협력의 계수 {n:,d}개 가운데 유의한 것이 없습니다."
        else:
            parts = []
            if pos:
                parts.append(f"{pos:,d}개가 양(+)의 방향으로")
            if neg:
                parts.append(f"{neg:,d}개가 음(-)의 방향으로")
            found = (
                f"이 책의 모형에서는 중앙정부 협력의 계수 {n:,d}개 가운데 "
                f"{', '.join(parts)} 유의합니다."
            )
        built_text = (
            "생성 과정은 어느 모형에도 중앙정부 협력의 효과를 넣지 않았습니다."
            if built == 0
            else f"생성 과정은 모형 {n_models:,d}개 가운데 {built:,d}개에 중앙정부 협력의 "
            "효과를 넣었습니다."
        )
        return f"{found} 합성 자료에서 이 수는 방법을 점검할 뿐입니다. {built_text}"
    if pos == 0 and neg == 0:
        found = (
            f"In our models, none of the {n:,d} coefficients of central cooperation is significant."
        )
    else:
        signs = {"positive": pos, "negative": neg}
        said = [
            f"{subject(k, 'is', 'are')} significantly {sign}"
            if i == 0
            else f"{k:,d} significantly {sign}"
            for i, (sign, k) in enumerate((s, k) for s, k in signs.items() if k)
        ]
        missing = [sign for sign, k in signs.items() if not k]
        found = f"In our models, of the {n:,d} coefficients of central cooperation, " + (
            " and ".join(said)
        )
        found += f", and none is significantly {missing[0]}." if missing else "."
    built_text = (
        "the generating process puts an effect of central cooperation into none of the models."
        if built == 0
        else f"the generating process puts an effect of central cooperation into {built:,d} of "
        f"the {n_models:,d} models."
    )
    return f"{found} On the synthetic data these counts check the method only: {built_text}"


def numbers(
    frame: pd.DataFrame,
    main: list[models.FitResult],
    registry: pd.DataFrame,
    kind: str,
    lang: str,
    params: Mapping | None = None,
) -> dict[str, tuple[Any, str] | str]:
    """Every number the discussion's prose quotes: ``name -> (value, format)`` or text.

    ``main`` holds the main models fitted to ``frame``; ``registry`` the local governments of
    the study; ``source`` is ``"synthetic"`` or ``"real"``. The process that generated the
    synthetic data (``params``, by default the parameter file) is read whichever data are
    shown: the text says what it builds in.
    """
    from platformgov.inputs import synthetic

    check_lang(lang)
    params = synthetic.load_params() if params is None else params
    comparison = models.compare_with_paper(main)
    agreement = findings.agreement(comparison)
    out: dict[str, tuple[Any, str] | str] = {
        f"disc_{field}": (getattr(agreement, field), ",d")
        for field in ("n_findings", "n_agree", "n_en_abstract", "n_agree_en_abstract")
    }
    out["disc_alpha"] = (models.ALPHA, "g")

    counts = focal_counts(main).set_index("term")
    significant = counts["n_positive"] + counts["n_negative"]
    n_focal = int(counts["n_coefficients"].sum())
    out["disc_n_focal"] = (n_focal, ",d")
    out["disc_n_significant"] = (int(significant.sum()), ",d")
    out["disc_expected_chance"] = (n_focal * models.ALPHA, ".3g")
    count_term, diversity_term = vocabulary.MAIN_ACTIVATION
    out["disc_count_sig"] = (int(significant[count_term]), ",d")
    out["disc_diversity_sig"] = (int(significant[diversity_term]), ",d")
    out["disc_activation_n"] = (int(counts.loc[count_term, "n_coefficients"]), ",d")

    truth = findings.true_values("synthetic", params)
    central = truth.loc[truth["term"] == "coop_central", "true_value"]
    out["disc_verdicts"] = verdict_sentence(agreement, lang)
    out["disc_ko_only"] = ko_only_sentence(agreement.n_findings - agreement.n_en_abstract, lang)
    out["disc_central"] = central_sentence(
        *(int(counts.loc["coop_central", c]) for c in ("n_positive", "n_negative")),
        int(counts.loc["coop_central", "n_coefficients"]),
        int((central != 0).sum()),
        len(main),
        lang,
    )
    out["disc_findings_built_in"] = (findings.findings_built_in(truth), ",d")
    truth_counts = (
        findings.truth_counts(findings.truth_comparison(main, truth))
        if kind == "synthetic"
        else None
    )
    out["disc_truth"] = truth_sentence(kind, truth_counts, lang)
    out["disc_mood_sd"] = (float(params["performance"]["lg_sd"]), ".2f")
    out["disc_n_lg"] = (len(registry), ",d")

    sizes = sample_sizes(main)
    out["disc_n_by_type"] = observations_by_type(sizes, lang)
    smallest = sizes.loc[sizes["n_min"].idxmin(), "platform_type"]
    out["disc_smallest_type"] = value_label("platform_type", smallest, lang)
    correlation = activation_correlation(frame)["correlation"]
    out["disc_corr_min"] = (correlation.min(), ".2f")
    out["disc_corr_max"] = (correlation.max(), ".2f")
    return out
