import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from factories import with_control_columns
from scipy import stats

from platformgov import cli, vocabulary
from platformgov.analysis import export, measures, models
from platformgov.inputs.codebook import columns, outcome_items
from platformgov.paths import REGISTRY, SYNTHETIC
from platformgov.vocabulary import TYPE_CODES

MAIN = list(models.MAIN_TERMS)
KINDS = ("si", "gun", "gu")
DOMAINS = ("administration", "welfare", "economy", "open_data", "participation")


def random_registry(n_metro: int = 8, n_basic: int = 110, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_metro):
        rows.append(
            (
                str(11 + i),
                "metro",
                "province",
                ("capital" if i < 3 else "honam"),
                int(rng.integers(500_000, 9_000_000)),
                float(rng.uniform(0.12, 0.25)),
            )
        )
    for i in range(n_basic):
        rows.append(
            (
                str(11110 + 10 * i),
                "basic",
                KINDS[i % 3],
                ("capital" if i % 4 == 0 else "yeongnam"),
                int(rng.integers(10_000, 1_000_000)),
                float(rng.uniform(0.1, 0.45)),
            )
        )
    return with_control_columns(
        pd.DataFrame(
            rows,
            columns=[
                "code",
                "level",
                "kind",
                "region",
                "population_2020",
                "share_basic_pension_2020",
            ],
        ),
        seed,
    )


def random_survey(registry: pd.DataFrame, seed: int = 12) -> SimpleNamespace:
    rng = np.random.default_rng(seed)
    platforms, performance = [], []
    pid = 0
    items = outcome_items()
    for code, level in zip(registry["code"], registry["level"], strict=True):
        for t in TYPE_CODES:
            if rng.random() < 0.15:
                continue
            n = int(rng.poisson(2.5))
            coop_any = 0
            for _ in range(n):
                pid += 1
                answers = [rng.choice([0, 1, None], p=[0.55, 0.35, 0.1]) for _ in range(3)]
                if level == "metro":
                    answers[1] = None
                coop_any += sum(a == 1 for a in answers)
                platforms.append(
                    {
                        "platform_id": f"P{pid:05d}",
                        "lg_code": code,
                        "platform_name": f"platform {pid}",
                        "platform_type": t,
                        "domain": rng.choice(DOMAINS),
                        "channel": "web",
                        "year_launched": 2018,
                        "status": "operating" if rng.random() < 0.9 else "suspended",
                        "partner_central": answers[0],
                        "partner_metro": answers[1],
                        "partner_private": answers[2],
                    }
                )
            row = {"lg_code": code, "platform_type": t}
            for outcome in vocabulary.OUTCOMES:
                base = 2.2 + 0.2 * n + 0.3 * coop_any / max(n, 1)
                for item in items[outcome]:
                    v = int(np.clip(np.round(base + rng.normal(0, 0.9)), 1, 5))
                    row[item] = v if rng.random() > 0.08 else None
            performance.append(row)
    p = pd.DataFrame(platforms, columns=columns("platforms"))
    for c in ("year_launched", "partner_central", "partner_metro", "partner_private"):
        p[c] = p[c].astype("Int64")
    q = pd.DataFrame(performance, columns=columns("performance"))
    for c in q.columns[2:]:
        q[c] = q[c].astype("Int64")
    return SimpleNamespace(platforms=p, performance=q)


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    registry = random_registry()
    return measures.analysis_frame(random_survey(registry), registry)


@pytest.fixture(scope="module")
def package(frame, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package")
    export.write_package(frame, out)
    return out


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(
        path, dtype={"lg_code": str, "type": str}, keep_default_na=False, na_values=[""]
    )


def test_files_and_columns(package, frame):
    analysis = read(package / "analysis.csv")
    coefs = read(package / "coefficients.csv")
    dropped = read(package / "dropped_terms.csv")
    assert list(coefs.columns) == [
        "type",
        "outcome",
        "term",
        "estimate",
        "std_error",
        "p_value",
        "n_obs",
        "r_squared",
    ]
    assert list(dropped.columns) == ["type", "outcome", "term", "reason"]
    assert analysis.columns[0] == "type"
    for c in (*vocabulary.OUTCOMES, *MAIN):
        assert c in analysis.columns
    assert set(coefs["term"]) <= {"Intercept", *MAIN}
    assert len(analysis) == len(frame)
    assert set(coefs[["type", "outcome"]].itertuples(index=False)) == {
        (t, o) for t in TYPE_CODES for o in vocabulary.OUTCOMES
    }


def test_analysis_reads_back_bit_for_bit(package, frame):
    analysis = read(package / "analysis.csv")
    expected = export.analysis_table(frame)
    for c in expected.columns:
        if c in ("type", "lg_code"):
            assert analysis[c].tolist() == expected[c].tolist()
        else:
            a = analysis[c].to_numpy(dtype=float)
            b = expected[c].to_numpy(dtype=float)
            assert np.array_equal(a, b, equal_nan=True), c


def test_coefficients_reproduce_from_the_csv_alone(package):
    """Refit every type × outcome from analysis.csv with numpy: the same numbers come out."""
    analysis = read(package / "analysis.csv")
    coefs = read(package / "coefficients.csv")
    dropped = read(package / "dropped_terms.csv")
    for (t, outcome), block in coefs.groupby(["type", "outcome"], sort=False):
        gone = set(dropped[(dropped["type"] == t) & (dropped["outcome"] == outcome)]["term"])
        terms = [m for m in MAIN if m not in gone]
        assert list(block["term"]) == ["Intercept", *terms]
        rows = analysis[analysis["type"] == t].dropna(subset=[outcome, *MAIN])
        x = np.column_stack([np.ones(len(rows)), rows[terms].to_numpy(dtype=float)])
        y = rows[outcome].to_numpy(dtype=float)
        xtx_inv = np.linalg.inv(x.T @ x)
        beta = xtx_inv @ x.T @ y
        e = y - x @ beta
        h = np.einsum("ij,jk,ik->i", x, xtx_inv, x)
        cov = xtx_inv @ (x.T * (e**2 / (1 - h) ** 2)) @ x @ xtx_inv
        se = np.sqrt(np.diag(cov))
        p = 2 * stats.t.sf(np.abs(beta / se), len(y) - x.shape[1])
        r2 = 1 - (e @ e) / ((y - y.mean()) @ (y - y.mean()))
        np.testing.assert_allclose(block["estimate"], beta, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(block["std_error"], se, rtol=1e-8)
        np.testing.assert_allclose(block["p_value"], p, rtol=1e-6, atol=1e-14)
        assert (block["n_obs"] == len(y)).all()
        np.testing.assert_allclose(block["r_squared"], r2, rtol=1e-10)


def test_dropped_terms_are_written(frame, tmp_path):
    basic = frame[frame["level_metro"] == 0]
    export.write_package(basic, tmp_path)
    dropped = read(tmp_path / "dropped_terms.csv")
    assert len(dropped) == len(TYPE_CODES) * len(vocabulary.OUTCOMES)
    assert set(dropped["term"]) == {"level_metro"} and set(dropped["reason"]) == {"constant"}
    coefs = read(tmp_path / "coefficients.csv")
    assert "level_metro" not in set(coefs["term"])


def test_only_ols_results_are_exported(frame, tmp_path):
    results = [models.fit(frame, models.Spec("G2C", "democracy", estimator="ologit"))]
    with pytest.raises(ValueError, match="OLS"):
        export.write_package(frame, tmp_path, results)


def test_cli_export(monkeypatch, tmp_path):
    registry = random_registry(seed=3)
    survey = random_survey(registry, seed=4)
    survey.kind = "synthetic"
    seen = {}

    def load_survey(source=None):
        seen["source"] = source
        return survey

    monkeypatch.setitem(
        sys.modules, "platformgov.inputs.survey", SimpleNamespace(load_survey=load_survey)
    )
    monkeypatch.setitem(
        sys.modules, "platformgov.inputs.registry", SimpleNamespace(load_registry=lambda: registry)
    )
    out = tmp_path / "pkg"
    assert cli.main(["export", "--out", str(out)]) == 0
    assert seen["source"] is None  # the default honours PLATFORMGOV_SURVEY inside load_survey
    for name in ("analysis.csv", "coefficients.csv", "dropped_terms.csv"):
        assert (out / name).is_file()
    coefs = read(out / "coefficients.csv")
    n_models = len(TYPE_CODES) * len(vocabulary.OUTCOMES)
    assert len(coefs) == n_models * (1 + len(MAIN)) - len(read(out / "dropped_terms.csv"))


@pytest.mark.skipif(
    not (REGISTRY.exists() and (SYNTHETIC / "performance.csv").exists()),
    reason="the registry or the synthetic survey has not been generated",
)
def test_cli_export_on_the_synthetic_survey(tmp_path, monkeypatch):
    monkeypatch.delenv("PLATFORMGOV_SURVEY", raising=False)
    assert cli.main(["export", "--out", str(tmp_path)]) == 0
    analysis = read(tmp_path / "analysis.csv")
    coefs = read(tmp_path / "coefficients.csv")
    assert set(analysis["type"]) == set(TYPE_CODES)
    assert coefs["estimate"].notna().all()
    # the refit check on the real package too
    block = coefs[(coefs["type"] == "G2C") & (coefs["outcome"] == "convenience")]
    rows = analysis[analysis["type"] == "G2C"].dropna(subset=["convenience", *MAIN])
    terms = [t for t in block["term"] if t != "Intercept"]
    x = np.column_stack([np.ones(len(rows)), rows[terms].to_numpy(dtype=float)])
    beta, *_ = np.linalg.lstsq(x, rows["convenience"].to_numpy(dtype=float), rcond=None)
    np.testing.assert_allclose(block["estimate"], beta, rtol=1e-8, atol=1e-10)


def test_cli_export_keeps_rows_of_a_real_survey_unless_asked(monkeypatch, tmp_path, capsys):
    registry = random_registry(seed=3)
    survey = random_survey(registry, seed=4)
    survey.kind = "real"
    monkeypatch.setitem(
        sys.modules, "platformgov.inputs.survey", SimpleNamespace(load_survey=lambda source: survey)
    )
    monkeypatch.setitem(
        sys.modules, "platformgov.inputs.registry", SimpleNamespace(load_registry=lambda: registry)
    )
    out = tmp_path / "pkg"
    assert cli.main(["export", "--out", str(out)]) == 0
    assert not (out / "analysis.csv").exists()
    for name in ("coefficients.csv", "dropped_terms.csv", "pooled_coefficients.csv"):
        assert (out / name).is_file()
    err = capsys.readouterr().err
    assert "analysis.csv" in err and "--row-level" in err and "one row per" in err
    assert cli.main(["export", "--out", str(out), "--row-level"]) == 0
    assert len(read(out / "analysis.csv")) > 0
