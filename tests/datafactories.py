"""Small hand-made inputs for the tests of the chapter "Data": a registry and empty survey
tables whose answers are known."""

import pandas as pd

from platformgov.inputs import codebook


def small_registry() -> pd.DataFrame:
    """Two 광역 and six 기초 units with round covariates."""
    rows = [
        ("11", "metro", "special_city", 1000, 0.50),
        ("26", "metro", "metropolitan_city", 900, 0.40),
        ("11110", "basic", "gu", 100, 0.10),
        ("11140", "basic", "gu", 300, 0.30),
        ("41110", "basic", "si", 200, 0.20),
        ("41130", "basic", "si", 400, 0.40),
        ("47720", "basic", "gun", 50, 0.05),
        ("47730", "basic", "gun", 70, 0.07),
    ]
    return pd.DataFrame(
        rows, columns=["code", "level", "kind", "population_2020", "share_basic_pension_2020"]
    )


def empty_table(table: str, n: int = 0) -> pd.DataFrame:
    return pd.DataFrame({c: [pd.NA] * n for c in codebook.columns(table)})
