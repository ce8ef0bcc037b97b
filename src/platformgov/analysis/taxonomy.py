"""The types of public platform and the rule that assigns a platform to one of them.

The study sorts local public platforms by three criteria: the platform's **main function**,
the **role of government** on it and the **direction of service**. Each type has one value
on each criterion (:data:`TYPE_CRITERIA`; the types themselves are the codebook's, read by
:mod:`platformgov.vocabulary`):

- G2C 정보제공형: provides information; government as provider; government → citizens.
- C2G 정책제안형: collects citizens' proposals; government as listener and decision-maker;
  citizens → government.
- C2C 민간역량중개형: brokers private resources and capacity; government as facilitator or
  broker; citizens ↔ citizens.

The paper names the criteria and the types but does not say how a platform whose criteria
point to different types is classified. :func:`classify` therefore applies **our** rule, stated
in its docstring. Criterion values are keys (``"information"``, ``"provider"``, ``"g2c"``, …);
the words readers see for them are the chapter's (:mod:`platformgov.chapters.taxonomy`).

The real platforms in :data:`EXAMPLES` illustrate the types for the taxonomy chapter. Their
type and their values on the three criteria are our coding, not the survey's or the paper's.
:func:`inventory_counts` counts the survey's platforms by type.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from platformgov.vocabulary import TYPE_CODES

CRITERIA = ("main_function", "government_role", "direction")
# Each type's value on each criterion, in the order of CRITERIA: the study's definition of the
# types. Every platform type of the codebook needs a row, and no two types share a value.
TYPE_CRITERIA: dict[str, tuple[str, str, str]] = {
    "G2C": ("information", "provider", "g2c"),
    "C2G": ("proposal", "listener", "c2g"),
    "C2C": ("brokering", "facilitator", "c2c"),
}


def _values() -> dict[str, tuple[str, ...]]:
    if set(TYPE_CRITERIA) != set(TYPE_CODES):
        missing = [t for t in TYPE_CODES if t not in TYPE_CRITERIA]
        unknown = sorted(set(TYPE_CRITERIA) - set(TYPE_CODES))
        raise ValueError(
            "analysis/taxonomy.py: TYPE_CRITERIA must define exactly the platform types of "
            f"data/codebook.csv ({', '.join(TYPE_CODES)}); "
            f"missing: {', '.join(missing) or 'none'}; unknown: {', '.join(unknown) or 'none'}"
        )
    values = {c: tuple(TYPE_CRITERIA[t][i] for t in TYPE_CODES) for i, c in enumerate(CRITERIA)}
    for c, vs in values.items():
        if len(set(vs)) != len(vs):
            raise ValueError(f"analysis/taxonomy.py: two types share a value of {c}: {vs}")
    return values


# The values each criterion may take, in the order of TYPE_CODES.
VALUES = _values()
# Prefix of each criterion's value labels in data/labels.csv.
LABEL_GROUP = {"main_function": "function", "government_role": "role", "direction": "direction"}


@dataclass(frozen=True)
class PlatformType:
    """One platform type and its value on each of the three criteria."""

    code: str
    main_function: str
    government_role: str
    direction: str

    def criteria(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in CRITERIA}


TYPES: dict[str, PlatformType] = {
    code: PlatformType(code, *TYPE_CRITERIA[code]) for code in TYPE_CODES
}


def _check(criterion: str, value: str) -> str:
    allowed = VALUES[criterion]
    if value not in allowed:
        raise ValueError(
            f"unknown value {value!r} for criterion {criterion!r}; allowed: {', '.join(allowed)}"
        )
    return value


# How the criteria decide a case, by the number of different types they point to: the keys of
# ``taxonomy.decided_by.*`` in data/labels.csv.
DECIDED_BY = ("unanimous", "majority", "direction")


def pointed_types(main_function: str, government_role: str, direction: str) -> dict[str, str]:
    """The type each criterion's value points to, e.g. ``{"main_function": "G2C", …}``.

    Raises ``ValueError`` naming the criterion and the allowed values when a value is unknown.
    """
    given = {
        "main_function": main_function,
        "government_role": government_role,
        "direction": direction,
    }
    return {c: TYPE_CODES[VALUES[c].index(_check(c, v))] for c, v in given.items()}


def classify(main_function: str, government_role: str, direction: str) -> str:
    """The platform type (e.g. ``"G2C"``) of a platform with these criteria.

    Each criterion's value points to exactly one type. The rule (ours; the paper does not state
    one) is:

    1. **Majority.** The type that at least two of the three criteria point to wins. When all
       three agree this is the only possible answer; when two agree the third is outvoted.
    2. **Tie-break: direction of service.** When the three criteria point to three different
       types there is no majority, and the direction of service decides. Direction is the
       criterion the type codes themselves are named after (G2C, C2G, C2C) and the one that is
       easiest to observe from outside the platform.

    Raises ``ValueError`` naming the criterion and the allowed values when a value is unknown.
    """
    pointed = pointed_types(main_function, government_role, direction)
    winner, count = Counter(pointed.values()).most_common(1)[0]
    return winner if count >= 2 else pointed["direction"]


def decided_by(main_function: str, government_role: str, direction: str) -> str:
    """Which step of :func:`classify`'s rule assigns the type: a key of :data:`DECIDED_BY`."""
    n_types = len(set(pointed_types(main_function, government_role, direction).values()))
    return DECIDED_BY[n_types - 1]


@dataclass(frozen=True)
class Example:
    """A real local platform, coded on the three criteria (the coding is ours).

    ``id`` names the platform in the chapter's words (its name, operator and key fact); ``url``
    is the platform's address where it has its own; ``sources`` are public pages that report
    the fact.
    """

    id: str
    platform_type: str
    main_function: str
    government_role: str
    direction: str
    sources: tuple[str, ...]
    url: str = ""

    def criteria(self) -> dict[str, str]:
        return {c: getattr(self, c) for c in CRITERIA}


EXAMPLES: tuple[Example, ...] = (
    Example(
        "seoul_open_data",
        "G2C",
        "information",
        "provider",
        "g2c",
        sources=("https://news.sbs.co.kr/news/endPage.do?news_id=N1004975535",),
        url="https://data.seoul.go.kr",
    ),
    Example(
        "democracy_seoul",
        "C2G",
        "proposal",
        "listener",
        "c2g",
        sources=(
            "http://www.labortoday.co.kr/news/articleView.html?idxno=162018",
            "https://www.hankyung.com/politics/article/201903264124Y",
        ),
        url="https://democracy.seoul.go.kr",
    ),
    Example(
        "gyeonggi_vog",
        "C2G",
        "proposal",
        "listener",
        "c2g",
        sources=("https://www.kmib.co.kr/article/view_amp.asp?arcid=0012959887",),
        url="https://vog.gg.go.kr",
    ),
    Example(
        "gyeonggi_petitions",
        "C2G",
        "proposal",
        "listener",
        "c2g",
        sources=(
            "https://www.kmib.co.kr/article/view_amp.asp?arcid=0012959887",
            "https://petitions.gg.go.kr/notice/?uid=25924&mod=document&pageid=1",
        ),
        url="https://petitions.gg.go.kr",
    ),
    Example(
        "baedal_teukgeup",
        "C2C",
        "brokering",
        "facilitator",
        "c2c",
        sources=(
            "https://kyeongin.com/article/1527598",
            "https://kyeongin.com/article/1573457",
        ),
    ),
    Example(
        "sharing_seoul",
        "C2C",
        "brokering",
        "facilitator",
        "c2c",
        sources=(
            "https://news.seoul.go.kr/gov/archives/23541",
            "https://seoulsolution.kr/ko/node/3291",
        ),
        url="http://sharehub.kr",
    ),
    Example(
        "incheon_eum",
        "C2C",
        "brokering",
        "facilitator",
        "c2c",
        sources=(
            "https://kyeongin.com/article/1383311",
            "https://kukinews.com/article/view/kuk202002140073",
        ),
    ),
)


#: The columns of :func:`inventory_counts`, and the key of its row for all types together.
INVENTORY_COLUMNS = ("n_platforms", "n_operating", "n_governments")
ALL = "all"


def inventory_counts(platforms: pd.DataFrame) -> pd.DataFrame:
    """Platforms in the survey's inventory by type, and a row ``"all"`` for all types together.

    Columns: ``n_platforms`` (all listed platforms), ``n_operating`` (status ``operating``) and
    ``n_governments`` (local governments with at least one operating platform of the type; in
    the ``"all"`` row each government counts once, however many types it runs). The index holds
    every code of ``TYPE_CODES``, with zeros for a type the inventory lacks.
    """
    missing = {"lg_code", "platform_type", "status"} - set(platforms.columns)
    if missing:
        raise ValueError(f"platforms table lacks column(s): {', '.join(sorted(missing))}")
    unknown = set(platforms["platform_type"].dropna()) - set(TYPE_CODES)
    if unknown:
        raise ValueError(f"unknown platform_type value(s): {', '.join(sorted(map(str, unknown)))}")
    operating = platforms[platforms["status"] == "operating"]

    def counts(listed: pd.DataFrame, running: pd.DataFrame) -> list[int]:
        return [len(listed), len(running), running["lg_code"].nunique()]

    rows = {
        code: counts(
            platforms[platforms["platform_type"] == code],
            operating[operating["platform_type"] == code],
        )
        for code in TYPE_CODES
    }
    rows[ALL] = counts(platforms, operating)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(INVENTORY_COLUMNS))
