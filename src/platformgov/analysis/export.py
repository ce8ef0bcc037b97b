"""The replication package: ``python -m platformgov export --out DIR``.

Writes four CSV files (UTF-8, comma-separated, ``NA`` as an empty field, floats written with
Python's shortest exact representation so that they read back bit for bit):

``analysis.csv``
    (row-level: from the real survey only with ``--row-level``, see below)
    One row per local government × platform type: ``type``, ``lg_code``, the four outcomes,
    every regressor of the main models under its term name (dummies expanded), then the
    alternative measures ``n_platforms`` (the raw count) and ``share_coop_*`` used in robustness
    checks, then every regressor of the pooled model (:mod:`platformgov.analysis.pooled`) under
    its term name: ``type_<t>`` and ``<term>_<t>`` (``<term>`` on type ``t``'s rows, 0 on the
    others', empty where ``<term>`` is).
``coefficients.csv``
    ``type, outcome, term, estimate, std_error, p_value, n_obs, r_squared`` for the main OLS
    model of every type × outcome (HC3 standard errors, t-based p-values; the intercept is the
    term ``Intercept``). Regressing an outcome on the listed terms over one type's rows of
    ``analysis.csv``, with listwise deletion, reproduces these numbers, e.g. in R
    ``m <- lm(democracy ~ log_n_platforms + …, subset(d, type == "G2C"))`` then
    ``lmtest::coeftest(m, sandwich::vcovHC(m, type = "HC3"))``, or in Stata
    ``regress democracy log_n_platforms … if type == "G2C", vce(hc3)``.
``dropped_terms.csv``
    ``type, outcome, term, reason``: terms left out of a model because they do not vary in its
    sample or are collinear (R reports them as ``NA``, Stata as omitted). Often empty.
``pooled_coefficients.csv``
    ``outcome, term, estimate, std_error, p_value, n_obs, n_clusters`` for the pooled OLS model
    of every outcome over all types' rows, with standard errors clustered by ``lg_code``
    (small-sample corrected as Stata's ``vce(cluster)``; p-values from the t distribution with
    ``n_clusters - 1`` degrees of freedom). Regressing an outcome on its listed terms over all
    rows of ``analysis.csv``, with listwise deletion, reproduces these numbers, e.g. in Stata
    ``regress democracy type_C2G type_C2C log_n_platforms_G2C …, vce(cluster lg_code)`` or in R
    ``lmtest::coeftest(m, vcov. = sandwich::vcovCL(m, cluster = ~lg_code, type = "HC1"),
    df = n_clusters - 1)``. A pooled regressor that does not vary is left out of the terms.

Built from the real survey, ``analysis.csv`` holds every responding government's answers, one
row each: the disclosure rule of :mod:`platformgov.analysis.privacy` cannot protect it. The
command then writes the model output only and says why, unless ``--row-level`` asks for the
rows explicitly (for the holder's own use, not for publication).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from platformgov.analysis import pooled
from platformgov.analysis.models import MAIN_TERMS, FitResult, fit_main
from platformgov.vocabulary import MIN_ITEMS, OUTCOMES, SHARES

ANALYSIS_FILE = "analysis.csv"
COEFFICIENTS_FILE = "coefficients.csv"
DROPPED_FILE = "dropped_terms.csv"
POOLED_FILE = "pooled_coefficients.csv"
# The main regressors, then the other activation measure and the cooperation shares that the
# book's robustness checks use.
_EXTRA = tuple(c for c in ("n_platforms", "log_n_platforms") if c not in MAIN_TERMS)
ANALYSIS_COLUMNS = ("type", "lg_code", *OUTCOMES, *MAIN_TERMS, *_EXTRA, *SHARES)
COEFFICIENT_COLUMNS = (
    "type",
    "outcome",
    "term",
    "estimate",
    "std_error",
    "p_value",
    "n_obs",
    "r_squared",
)
DROPPED_COLUMNS = ("type", "outcome", "term", "reason")
POOLED_COLUMNS = pooled.COEFFICIENT_COLUMNS


def analysis_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The analysis frame in the export's layout (``platform_type`` becomes ``type``), followed
    by the pooled model's regressors (:data:`pooled.POOLED_TERMS`)."""
    out = frame.rename(columns={"platform_type": "type"})
    missing = [c for c in ANALYSIS_COLUMNS if c not in out.columns]
    if missing:
        raise ValueError(f"the analysis frame lacks the column(s) {', '.join(missing)}")
    return pd.concat(
        [out.loc[:, list(ANALYSIS_COLUMNS)], pooled.pooled_columns(frame)], axis=1
    ).reset_index(drop=True)


def coefficients_table(results: Iterable[FitResult]) -> pd.DataFrame:
    rows = []
    for r in results:
        for c in r.coefficients.itertuples(index=False):
            rows.append(
                {
                    "type": r.spec.platform_type,
                    "outcome": r.spec.outcome,
                    "term": c.term,
                    "estimate": c.estimate,
                    "std_error": c.std_error,
                    "p_value": c.p_value,
                    "n_obs": r.n_obs,
                    "r_squared": r.r_squared,
                }
            )
    return pd.DataFrame(rows, columns=list(COEFFICIENT_COLUMNS))


def dropped_table(results: Iterable[FitResult]) -> pd.DataFrame:
    rows = [
        {
            "type": r.spec.platform_type,
            "outcome": r.spec.outcome,
            "term": n.term,
            "reason": n.reason,
        }
        for r in results
        for n in r.notes
        if n.term
    ]
    return pd.DataFrame(rows, columns=list(DROPPED_COLUMNS))


def _write(frame: pd.DataFrame, path: Path) -> Path:
    # pandas writes floats with repr(): the shortest string that reads back to the same double.
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", na_rep="")
    return path


def write_package(
    frame: pd.DataFrame,
    out: Path | str,
    results: list[FitResult] | None = None,
    pooled_fits: list[pooled.PooledFit] | None = None,
    *,
    row_level: bool = True,
) -> dict[str, Path]:
    """Write the package for an analysis frame into ``out`` (created if needed).

    ``results`` defaults to the main OLS models fitted to ``frame``, ``pooled_fits`` to the
    pooled models (:func:`pooled.fit_pooled`). ``row_level=False`` leaves out
    ``analysis.csv``. Returns the written paths.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if results is None:
        results = fit_main(frame)
    bad = [r.spec for r in results if r.spec.estimator != "ols"]
    if bad:
        raise ValueError(f"the coefficients file holds OLS fits only, not {bad[0]}")
    if pooled_fits is None:
        pooled_fits = pooled.fit_pooled(frame)
    written = {"analysis": _write(analysis_table(frame), out / ANALYSIS_FILE)} if row_level else {}
    return {
        **written,
        "coefficients": _write(coefficients_table(results), out / COEFFICIENTS_FILE),
        "dropped": _write(dropped_table(results), out / DROPPED_FILE),
        "pooled": _write(pooled.coefficients(pooled_fits), out / POOLED_FILE),
    }


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, type=Path, help="folder to write the files into")
    parser.add_argument(
        "--survey",
        type=Path,
        default=None,
        help="survey folder or file (default: $PLATFORMGOV_SURVEY, else the synthetic data)",
    )
    parser.add_argument(
        "--min-items",
        type=int,
        default=MIN_ITEMS,
        help=f"answered items needed for an outcome scale (default {MIN_ITEMS} of 3)",
    )
    parser.add_argument(
        "--row-level",
        action="store_true",
        help=f"also write {ANALYSIS_FILE} (one row per government) when the survey is real",
    )


def run(args: argparse.Namespace) -> int:
    from platformgov.analysis.measures import analysis_frame
    from platformgov.inputs.registry import load_registry
    from platformgov.inputs.survey import load_survey

    survey = load_survey(args.survey)
    frame = analysis_frame(survey, load_registry(), min_items=args.min_items)
    results = fit_main(frame)
    pooled_fits = pooled.fit_pooled(frame)
    kind = getattr(survey, "kind", "?")
    row_level = kind == "synthetic" or args.row_level
    paths = write_package(frame, args.out, results, pooled_fits, row_level=row_level)
    print(f"survey: {getattr(survey, 'path', '?')} ({kind})")
    if not row_level:
        print(
            f"not written: {ANALYSIS_FILE}. It holds one row per responding government of a "
            "real survey, and no disclosure rule protects single rows. Pass --row-level to "
            "write it for your own use; do not publish it.",
            file=sys.stderr,
        )
    print(f"{len(frame)} rows, {len(results)} models")
    for path in paths.values():
        print(f"wrote {path}")
    for r in results:
        for note in r.notes:
            print(f"note: {r.spec.platform_type} {r.spec.outcome}: {note}")
    for f in pooled_fits:
        for note in f.notes:
            print(f"note: pooled {f.outcome}: {note}")
    return 0
