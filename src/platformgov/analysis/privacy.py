"""What the book may publish, depending on the data it reads.

Built from the synthetic survey, any view is fine. Built from the real survey, the site shows
aggregates and model output only: no platform name, no row of any survey table, and nothing
shown per local government — a map or table by 시군구 would publish each government's answers.
Per-government views are then aggregated to the 17 광역 areas, each cell over at least
``MIN_CELL`` responding governments; smaller cells are suppressed.
"""

from __future__ import annotations

import pandas as pd

MIN_CELL = 3


def unit_level_allowed(kind: str) -> bool:
    """Per-government views (maps or tables by local government) only for synthetic data."""
    return kind == "synthetic"


def suppress_small_cells(
    table: pd.DataFrame, count_column: str, minimum: int = MIN_CELL
) -> pd.DataFrame:
    """Blank every value in rows whose ``count_column`` is below ``minimum`` (the count stays)."""
    out = table.copy()
    small = out[count_column] < minimum
    value_columns = [c for c in out.columns if c != count_column]
    out[value_columns] = out[value_columns].astype(object)
    out.loc[small, value_columns] = None
    return out
