"""What the book may publish, depending on the data it reads.

Built from the synthetic survey, any view is fine. Built from the real survey, the site shows
aggregates and model output only: no platform name, no row of any survey table, and nothing
shown per local government — a map or table by 시군구 would publish each government's answers.
Per-government views are then aggregated to the 17 광역 areas.

Every aggregate built from the real survey passes one disclosure rule:

1. **Minimum cell size.** A cell stands for fewer than :data:`MIN_CELL` governments — a share
   or mean over fewer than ``MIN_CELL`` governments, or a count of 1 to ``MIN_CELL - 1``
   governments — is blanked.
2. **Unanimous small groups.** A share of 0 % or 100 % (or a mean at which every member must
   have answered alike) over fewer than :data:`SMALL_GROUP` governments states every member's
   answer and is blanked.
3. **Complementary suppression.** A blanked cell must not follow from what is published: a
   total less the cells shown beside it, or any other combination of published cells and
   totals. While some blanked cell is fixed by the published cells (its smallest and largest
   values consistent with them, each government counted between 0 and its largest possible
   value, leave one whole number only), the smallest published cell whose blanking frees it
   is blanked too.

:func:`group_mask` applies the rule to cells that are sums over known groups of governments
(groups may overlap, nest or partition one another, as levels, kinds and regions do);
:func:`table_mask` to a plain count table whose row or column totals are published. Both return
the cells to blank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

#: The fewest governments a published cell may stand for.
MIN_CELL = 3
#: Below this many governments, a share of 0 % or 100 % is not published.
SMALL_GROUP = 10


def unit_level_allowed(kind: str) -> bool:
    """Per-government views (maps or tables by local government) only for synthetic data."""
    return kind == "synthetic"


def share_sensitive(
    counts,
    sizes,
    *,
    governments=None,
    minimum: int = MIN_CELL,
    small_group: int = SMALL_GROUP,
) -> np.ndarray:
    """Rules 1 and 2 for shares: ``counts`` of ``sizes`` (array-likes of one shape).

    True where the share stands for fewer than ``minimum`` governments, or is 0 % or 100 %
    and stands for fewer than ``small_group``. ``governments`` is how many governments stand
    behind each share when the share is of something else (of platforms, say); by default the
    ``sizes`` are governments. A share of nothing has nothing to protect.
    """
    c = np.asarray(counts, dtype="float64")
    n = np.asarray(sizes, dtype="float64")
    g = n if governments is None else np.asarray(governments, dtype="float64")
    c = np.where(np.isnan(c), 0.0, c)
    extreme = np.isclose(c, 0) | np.isclose(c, n)
    return (n > 0) & ((g < minimum) | ((g < small_group) & extreme))


def count_sensitive(counts, *, minimum: int = MIN_CELL) -> np.ndarray:
    """Rule 1 for counts of governments: True for 1 to ``minimum - 1``."""
    c = np.asarray(counts, dtype="float64")
    return (c > 0) & (c < minimum)


def _range(members: np.ndarray, known: np.ndarray, values: np.ndarray, upper, target) -> tuple:
    """Smallest and largest sum over ``target`` of unit values in [0, upper] whose sums over the
    ``known`` groups equal ``values``."""
    bounds = [(0.0, None if u is None or np.isinf(u) else float(u)) for u in upper]
    kwargs = {"A_eq": members[known], "b_eq": values[known]} if known.any() else {}
    lo = linprog(target, bounds=bounds, method="highs", **kwargs)
    hi = linprog(-target, bounds=bounds, method="highs", **kwargs)
    if lo.status == 3 or hi.status == 3:  # unbounded above: not fixed
        return (lo.fun if lo.status == 0 else -np.inf, np.inf)
    if lo.status != 0 or hi.status != 0:
        raise ValueError(f"the published cells are inconsistent: {lo.message or hi.message}")
    return (lo.fun, -hi.fun)


def _fixed(lo: float, hi: float) -> bool:
    """True when [lo, hi] holds one whole number only."""
    return np.floor(hi + 1e-7) - np.ceil(lo - 1e-7) < 1


def recoverable(
    members: np.ndarray, counts: np.ndarray, blank: np.ndarray, upper=None
) -> np.ndarray:
    """Which blanked groups are fixed by the published ones.

    ``members`` is a groups × units 0/1 matrix, ``counts`` each group's sum, ``blank`` the
    groups not published, ``upper`` each unit's largest value (default 1; ``None`` or ``inf``
    entries for no bound). Returns a boolean array over the groups. With the default 0/1
    units, a blanked group all of whose members belong to a published group of 0 % or 100 %
    is not counted: what it would hide is published already.
    """
    members = np.asarray(members, dtype="float64")
    counts = np.asarray(counts, dtype="float64")
    blank = np.asarray(blank, dtype=bool)
    binary = upper is None
    upper = np.ones(members.shape[1]) if binary else np.asarray(upper, dtype=object)
    known = ~blank
    sizes = members.sum(axis=1)
    hidden = np.ones(members.shape[1], dtype=bool)
    if binary:  # a published 0 % or 100 % already states its members' answers
        unanimous = known & (np.isclose(counts, 0) | np.isclose(counts, sizes))
        hidden = ~members[unanimous].any(axis=0)
    out = np.zeros(len(blank), dtype=bool)
    for g in np.flatnonzero(blank & (members @ hidden > 0)):  # something left to hide
        out[g] = _fixed(*_range(members, known, counts, upper, members[g]))
    return out


def complete(
    members: np.ndarray,
    counts: np.ndarray,
    blank: np.ndarray,
    protected: np.ndarray | None = None,
    upper=None,
) -> np.ndarray:
    """Rule 3: ``blank`` grown until no blanked group is fixed by the published ones.

    Groups marked ``protected`` (totals the book must show) are blanked only when nothing else
    frees a blanked cell. Each step blanks the published group with the smallest count whose
    blanking frees the first fixed group (ties: the first in order).
    """
    members = np.asarray(members, dtype="float64")
    counts = np.asarray(counts, dtype="float64")
    blank = np.asarray(blank, dtype=bool).copy()
    protected = (
        np.zeros(len(blank), dtype=bool) if protected is None else np.asarray(protected, bool)
    )
    useful = members.sum(axis=1) > 0
    while True:
        fixed = recoverable(members, counts, blank, upper)
        if not fixed.any():
            return blank
        g = int(np.flatnonzero(fixed)[0])
        chosen = None
        for pool in (~blank & ~protected & useful, ~blank & protected & useful):
            order = sorted(np.flatnonzero(pool), key=lambda p: (counts[p], p))
            for p in order:
                trial = blank.copy()
                trial[p] = True
                if not recoverable(members, counts, trial, upper)[g]:
                    chosen = p
                    break
            if chosen is not None:
                break
        if chosen is None:  # nothing frees it alone: blank the smallest published group
            rest = np.flatnonzero(~blank & useful)
            if not len(rest):
                return blank
            chosen = min(rest, key=lambda p: (protected[p], counts[p], p))
        blank[chosen] = True


def group_mask(
    members: pd.DataFrame,
    counts: pd.DataFrame,
    sizes: pd.Series,
    protected: pd.Series | None = None,
    *,
    minimum: int = MIN_CELL,
    small_group: int = SMALL_GROUP,
) -> pd.DataFrame:
    """The cells to blank in a table of shares over groups of governments.

    ``members``: groups × governments, True where the government belongs to the group (the
    groups are the table's rows). ``counts``: groups × columns, how many of the group's
    governments have the column's property (each government counted 0 or 1). ``sizes``: the
    number of governments in each group. ``protected``: groups whose cells are blanked only as
    a last resort (the totals). Returns a boolean frame shaped like ``counts``.
    """
    m = members.loc[counts.index].to_numpy(dtype="float64")
    size = sizes.reindex(counts.index).to_numpy(dtype="float64")
    keep = (
        np.zeros(len(counts), dtype=bool)
        if protected is None
        else protected.reindex(counts.index).fillna(False).to_numpy(dtype=bool)
    )
    out = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    for column in counts.columns:
        c = counts[column].to_numpy(dtype="float64")
        c = np.where(np.isnan(c), 0.0, c)
        primary = share_sensitive(c, size, minimum=minimum, small_group=small_group)
        out[column] = complete(m, c, primary, keep)
    return out


def table_mask(
    counts: pd.DataFrame,
    *,
    row_totals: bool = False,
    column_totals: bool = False,
    sizes: pd.DataFrame | None = None,
    minimum: int = MIN_CELL,
    small_group: int = SMALL_GROUP,
) -> pd.DataFrame:
    """The cells to blank in a table of counts of governments whose row and/or column totals
    are published (the totals themselves always stay).

    Without ``sizes`` the cells are counts (rule 1 on the count itself); with ``sizes`` (same
    shape: the governments each cell's share is taken over) the cells are shares and rules 1
    and 2 apply to them. Then rule 3 over the published totals. Returns a boolean frame shaped
    like ``counts``.
    """
    c = counts.to_numpy(dtype="float64")
    c = np.where(np.isnan(c), 0.0, c)
    n_rows, n_cols = c.shape
    if sizes is None:
        primary = count_sensitive(c, minimum=minimum)
    else:
        primary = share_sensitive(c, sizes.to_numpy(), minimum=minimum, small_group=small_group)
    cells = np.eye(n_rows * n_cols)
    groups, values = [cells], [c.ravel()]
    if row_totals:
        groups.append(np.kron(np.eye(n_rows), np.ones((1, n_cols))))
        values.append(c.sum(axis=1))
    if column_totals:
        groups.append(np.kron(np.ones((1, n_rows)), np.eye(n_cols)))
        values.append(c.sum(axis=0))
    members = np.vstack(groups)
    n_totals = len(members) - n_rows * n_cols
    blank = np.concatenate([primary.ravel(), np.zeros(n_totals, dtype=bool)])
    protected = np.concatenate([np.zeros(n_rows * n_cols, bool), np.ones(n_totals, bool)])
    upper = [None] * (n_rows * n_cols)
    blank = complete(members, np.concatenate(values), blank, protected, upper)
    return pd.DataFrame(
        blank[: n_rows * n_cols].reshape(n_rows, n_cols), index=counts.index, columns=counts.columns
    )


def blanked(table: pd.DataFrame, mask: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the cells of ``mask`` (a boolean frame over some of its columns) set to
    None."""
    out = table.copy()
    for column in mask.columns:
        out[column] = out[column].astype(object)
        out.loc[mask.index[mask[column].to_numpy()], column] = None
    return out
