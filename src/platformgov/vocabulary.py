"""The study's words, declared once: platform types, outcomes and their items, partners, levels
and kinds of local government, activation measures and the models' controls.

Every other module reads these words from here, and
``tests/test_vocabulary.py`` ties the data files to them: each word has its labels in
``data/labels.csv``, its glossary entry, its codebook values and its synthetic parameters.

Words the codebook holds are read from it, so that changing ``data/codebook.csv`` is all it
takes to change them:

- the platform types (:data:`TYPE_CODES`) are the allowed values of ``platform_type`` in the
  ``platforms`` table (``performance`` must allow the same values, in the same order);
- the partners (:data:`PARTNERS`) are the ``partner_<name>`` columns of ``platforms``;
- each outcome's items (:data:`OUTCOME_ITEMS`) are the Likert items of ``performance`` named
  ``<prefix>_…``, in codebook order.

The rest is declared here: the outcomes and their item prefixes, the levels and kinds of local
government (the values of the registry's ``level`` and ``kind`` columns), the activation
measures, the smallest number of answered items that makes a scale, and the controls, one
entry each (:class:`Control`: its term, the registry column it comes from, its transform).
Adding a control computed from an existing registry column is one entry in
:data:`CONTROL_SPECS` plus its label ``term.<term>`` in ``data/labels.csv``.

A malformed codebook raises :class:`~platformgov.inputs.codebook.CodebookError` when this module
is imported, naming the codebook and what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from platformgov.inputs.codebook import Codebook, CodebookError, codebook

# --- declared here -------------------------------------------------------------------------

#: Outcome → prefix of its Likert items in the ``performance`` table (``dem`` → ``dem_1`` …).
OUTCOME_PREFIXES: Mapping[str, str] = {
    "democracy": "dem",
    "efficiency": "eff",
    "service_quality": "qual",
    "convenience": "conv",
}
OUTCOMES: tuple[str, ...] = tuple(OUTCOME_PREFIXES)

#: Our choice: an outcome scale needs at least this many of its items answered.
MIN_ITEMS = 2

#: Levels of local government: the values of the registry's ``level`` column.
LEVELS: tuple[str, ...] = ("metro", "basic")
#: Kinds of local government: the values of the registry's ``kind`` column (광역 kinds first).
KINDS: tuple[str, ...] = (
    "special_city",
    "metropolitan_city",
    "special_self_governing_city",
    "province",
    "special_self_governing_province",
    "si",
    "gun",
    "gu",
)

#: Activation of a local government × platform type (defined in ``analysis/measures.py``).
ACTIVATION: tuple[str, ...] = ("n_platforms", "log_n_platforms", "diversity")
#: The activation measures of the main model.
MAIN_ACTIVATION: tuple[str, ...] = ("log_n_platforms", "diversity")

#: How a control is computed from its registry column.
TRANSFORMS = ("value", "log", "equals")


@dataclass(frozen=True)
class Control:
    """One control of the models: ``term``, computed from the registry's ``column``.

    ``transform`` is ``"value"`` (the column's numbers as they are), ``"log"`` (their natural
    log; every value must be positive) or ``"equals"`` (1 where the column equals ``value``,
    else 0).
    """

    term: str
    column: str
    transform: str = "value"
    value: str = ""

    def __post_init__(self) -> None:
        if self.transform not in TRANSFORMS:
            raise ValueError(
                f"control {self.term!r}: unknown transform {self.transform!r}; "
                f"allowed: {', '.join(TRANSFORMS)}"
            )
        if (self.transform == "equals") != bool(self.value):
            raise ValueError(
                f"control {self.term!r}: a value is needed by, and only by, the 'equals' transform"
            )

    def compute(self, frame: pd.DataFrame) -> pd.Series:
        """The control for every row of ``frame`` (a registry), on ``frame``'s index.

        ``"equals"`` gives int64 0/1, the others float64. Raises ``ValueError`` naming the
        column and the index labels when a ``"log"`` column has a value of zero or less.
        """
        column = frame[self.column]
        if self.transform == "equals":
            codes = column.astype("string").str.strip().astype(object)
            return (codes == self.value).astype("int64").rename(self.term)
        values = pd.to_numeric(column, errors="raise").astype("float64")
        if self.transform == "log":
            bad = values.index[values <= 0]
            if len(bad):
                raise ValueError(
                    f"the registry has a {self.column} of zero or less for "
                    f"{', '.join(sorted(map(str, bad)))}"
                )
            values = np.log(values)
        return values.rename(self.term)


#: The models' controls, one entry each, in the order they enter the models.
CONTROL_SPECS: tuple[Control, ...] = (
    Control("level_metro", "level", "equals", "metro"),
    Control("kind_gun", "kind", "equals", "gun"),
    Control("kind_gu", "kind", "equals", "gu"),
    Control("log_population", "population_2020", "log"),
    # The registry has no share aged 65+ by 시군구; the basic pension (기초연금) is paid only to
    # people aged 65 and over and is means-tested: an indicator of ageing and need.
    Control("share_basic_pension", "share_basic_pension_2020"),
    Control("capital_region", "region", "equals", "capital"),
)
CONTROLS: tuple[str, ...] = tuple(c.term for c in CONTROL_SPECS)
#: The registry columns the controls are computed from, in order of first use.
CONTROL_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys(c.column for c in CONTROL_SPECS))


def control(term: str) -> Control:
    """The entry of one control (``KeyError`` naming the known controls if there is none)."""
    for c in CONTROL_SPECS:
        if c.term == term:
            return c
    raise KeyError(f"no control {term!r}; the controls are {', '.join(CONTROLS)}")


#: Prefix of a partner's column in the ``platforms`` table (``partner_central`` …).
PARTNER_PREFIX = "partner_"


# --- read from the codebook ----------------------------------------------------------------


def _row(book: Codebook, table: str, name: str) -> int:
    """The codebook row (the header is row 1) of one variable."""
    for n, v in enumerate(book.variables, start=2):
        if v.table == table and v.name == name:
            return n
    raise KeyError(f"the codebook has no variable {name!r} in table {table!r}")


def type_codes(book: Codebook) -> tuple[str, ...]:
    """The platform types: the allowed values of ``platform_type`` in ``platforms``, which
    ``performance`` must repeat in the same order."""
    types = book.variable("platforms", "platform_type").values
    if not types:
        row = _row(book, "platforms", "platform_type")
        raise CodebookError(f"{book.path.name}: row {row}: platform_type must be a category")
    rated = book.variable("performance", "platform_type").values
    if rated != types:
        row = _row(book, "performance", "platform_type")
        raise CodebookError(
            f"{book.path.name}: row {row}, column 'allowed': performance's platform types "
            f"{'|'.join(rated or ())} differ from those of platforms, {'|'.join(types)}"
        )
    return types


def partners(book: Codebook) -> dict[str, str]:
    """Partner → its binary column in ``platforms``, e.g. ``{"central": "partner_central", …}``."""
    out = {}
    for v in book.table("platforms"):
        if v.name.startswith(PARTNER_PREFIX):
            if v.dtype != "binary":
                row = _row(book, "platforms", v.name)
                raise CodebookError(
                    f"{book.path.name}: row {row}, column 'dtype', value {v.dtype!r}: "
                    f"the partner column {v.name} must be binary"
                )
            out[v.name.removeprefix(PARTNER_PREFIX)] = v.name
    if not out:
        raise CodebookError(
            f"{book.path.name}: no partner columns ({PARTNER_PREFIX}*) in platforms"
        )
    return out


def outcome_items(book: Codebook) -> dict[str, tuple[str, ...]]:
    """Outcome → its Likert items in ``performance``, in codebook order.

    Raises :class:`CodebookError` when an outcome has no item or an item is not Likert.
    """
    out = {}
    for outcome, prefix in OUTCOME_PREFIXES.items():
        items = [v for v in book.table("performance") if v.name.startswith(f"{prefix}_")]
        if not items:
            raise CodebookError(
                f"{book.path.name}: no performance items for {outcome} ({prefix}_*)"
            )
        for v in items:
            if v.dtype != "likert":
                row = _row(book, "performance", v.name)
                raise CodebookError(
                    f"{book.path.name}: row {row}, column 'dtype', value {v.dtype!r}: "
                    f"{v.name} must be a likert item"
                )
        out[outcome] = tuple(v.name for v in items)
    return out


_BOOK = codebook()

#: The platform types, in codebook order (``("G2C", "C2G", "C2C")``).
TYPE_CODES: tuple[str, ...] = type_codes(_BOOK)
#: Partner → its column in ``platforms``, in codebook order.
PARTNERS: Mapping[str, str] = partners(_BOOK)
#: Collaboration with each partner (``coop_<partner>``) and its share (``share_coop_<partner>``).
COLLABORATION: tuple[str, ...] = tuple(f"coop_{p}" for p in PARTNERS)
SHARES: tuple[str, ...] = tuple(f"share_coop_{p}" for p in PARTNERS)
#: Outcome → its Likert items, in codebook order.
OUTCOME_ITEMS: Mapping[str, tuple[str, ...]] = outcome_items(_BOOK)
#: Every outcome item, outcome by outcome.
ITEMS: tuple[str, ...] = tuple(item for items in OUTCOME_ITEMS.values() for item in items)
#: Every term a model may use: activation, collaboration and controls.
TERMS: tuple[str, ...] = (*ACTIVATION, *COLLABORATION, *CONTROLS)
