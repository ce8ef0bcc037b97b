"""The synthetic stand-in for KRILA's 2022 survey, and the ``synth`` command.

The real microdata are not public, so the book ships data with the survey's structure, drawn
for the real 2022 registry of 243 local governments from a process whose every number lives in
``data/synthetic_params.toml``. ``generate(registry, params, seed)`` is pure: all randomness
comes from a numpy ``Generator`` seeded by ``seed``, split into one stream per stage, so that
overriding the effect coefficients (``with_effects``) changes only the Likert answers and a
Monte Carlo study compares conditions on the same platforms.

Because the effects are put in by construction, recovering them checks the method; it is not
evidence about Korean local governments.
"""

from __future__ import annotations

import argparse
import copy
import csv
import itertools
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from platformgov import paths, vocabulary
from platformgov.inputs import codebook
from platformgov.vocabulary import CONTROLS, ITEMS, KINDS, LEVELS, OUTCOMES, PARTNERS, TYPE_CODES

TABLES = codebook.TABLES
#: The terms the process gives effects to: activation and collaboration.
TERMS = (*vocabulary.ACTIVATION, *vocabulary.COLLABORATION)
#: The covariate of :func:`prepare_registry`'s table behind each control the process can give
#: an effect in ``[performance.controls]`` (log population is centred at the reference
#: population, so that the intercepts describe the reference local government). A control
#: the parameter file does not list has no effect on the synthetic answers.
CONTROL_COVARIATES = {"log_population": "logpop", "level_metro": "metro"}
# One random stream per stage; the order is part of the format and must not change.
STREAMS = ("response", "propensity", "counts", "platforms", "names", "performance", "organisations")
REGISTRY_COLUMNS = ("code", "name_ko", "level", "kind", "region", "population_2020")


# --- the codebook ------------------------------------------------------------------------


def columns(table: str) -> list[str]:
    """The codebook's columns of ``table``, in codebook order."""
    return codebook.columns(table)


def allowed(table: str, variable: str) -> tuple[str, ...]:
    """The allowed values of a category variable, in codebook order."""
    return tuple(codebook.variable(table, variable).values or ())


# --- parameters --------------------------------------------------------------------------


def load_params(path: str | Path | None = None) -> dict:
    """Read and check the parameter file (default ``data/synthetic_params.toml``)."""
    path = paths.SYNTHETIC_PARAMS if path is None else Path(path)
    with path.open("rb") as fh:
        params = tomllib.load(fh)
    check_params(params, source=str(path))
    return params


def _fail(source: str, where: str, problem: str) -> None:
    raise ValueError(f"{source}: {where}: {problem}")


def _check_distribution(
    source: str, where: str, probs: Mapping, categories: tuple[str, ...]
) -> None:
    if set(probs) != set(categories):
        _fail(source, where, f"categories must be exactly {list(categories)}, got {list(probs)}")
    if any(not 0 <= float(p) <= 1 for p in probs.values()):
        _fail(source, where, "every probability must lie in [0, 1]")
    if not math.isclose(sum(float(p) for p in probs.values()), 1.0, abs_tol=1e-9):
        _fail(source, where, f"probabilities must sum to 1, not {sum(probs.values())}")


def _check_rate(source: str, where: str, value: float, *, open_interval: bool = False) -> None:
    v = float(value)
    ok = 0 < v < 1 if open_interval else 0 <= v <= 1
    if not ok:
        bounds = "(0, 1)" if open_interval else "[0, 1]"
        _fail(source, where, f"a probability in {bounds} is required, not {value!r}")


def check_params(params: Mapping, source: str = "params") -> None:
    """Raise ``ValueError`` naming the key and the rule if ``params`` cannot drive ``generate``."""
    try:
        _check_params(params, source)
    except KeyError as exc:
        raise ValueError(f"{source}: required parameter {exc} is missing") from None
    except TypeError as exc:
        raise ValueError(f"{source}: a parameter has the wrong type: {exc}") from None


def _check_params(params: Mapping, source: str) -> None:
    int(params["seed"])
    int(params["survey_year"])
    float(params["reference"]["population"])
    for key in ("intercept", "metro", "gun", "gu", "log_population"):
        float(params["response"][key])
    low, high = params["response"]["target_band"]
    counts = params["counts"]
    for key in ("log_population", "metro", "capital", "gun", "gu", "propensity_sd"):
        float(counts[key])
    int(counts["max_per_type"])
    plat = params["platforms"]
    perf = params["performance"]
    org = params["organisations"]
    names = params["names"]
    if not 0 <= float(low) <= float(high) <= 1:
        _fail(source, "response.target_band", "must be [low, high] with 0 <= low <= high <= 1")
    for t in TYPE_CODES:
        if float(counts["base_mean"][t]) <= 0 or float(counts["shape"][t]) <= 0:
            _fail(source, f"counts.*.{t}", "base_mean and shape must be positive")
        _check_distribution(
            source, f"platforms.domain.{t}", plat["domain"][t], allowed("platforms", "domain")
        )
        _check_distribution(
            source, f"platforms.channel.{t}", plat["channel"][t], allowed("platforms", "channel")
        )
        _check_rate(source, f"platforms.suspended.{t}", plat["suspended"][t])
        if float(plat["launch"]["mean_age"][t]) <= 0:
            _fail(source, f"platforms.launch.mean_age.{t}", "must be positive")
        for k in PARTNERS:
            _check_rate(
                source, f"platforms.partners.{t}.{k}", plat["partners"][t][k], open_interval=True
            )
        if set(perf["intercept"][t]) != set(OUTCOMES):
            _fail(source, f"performance.intercept.{t}", f"needs exactly {list(OUTCOMES)}")
        rows = params["effects"].get(t, {})
        for outcome, row in rows.items():
            if outcome not in OUTCOMES:
                _fail(source, f"effects.{t}.{outcome}", f"unknown outcome; use {list(OUTCOMES)}")
            for term, value in row.items():
                if term not in TERMS:
                    _fail(source, f"effects.{t}.{outcome}.{term}", f"unknown term; use {TERMS}")
                float(value)
    if set(params["effects"]) - set(TYPE_CODES):
        _fail(source, "effects", f"unknown platform type; use {list(TYPE_CODES)}")
    for k in PARTNERS:
        if float(plat["partners"]["lg_sd"][k]) < 0:
            _fail(source, f"platforms.partners.lg_sd.{k}", "must be >= 0")
    _check_rate(source, "platforms.launch.missing", plat["launch"]["missing"])
    if float(plat["launch"]["age_shape"]) <= 0:
        _fail(source, "platforms.launch.age_shape", "must be positive")
    if not 1995 <= int(plat["launch"]["earliest"]) <= int(params["survey_year"]):
        _fail(source, "platforms.launch.earliest", "must lie between 1995 and survey_year")
    _check_rate(source, "platforms.channel_missing.rate", plat["channel_missing"]["rate"])
    thresholds = [float(x) for x in perf["thresholds"]]
    if len(thresholds) != 4 or any(b <= a for a, b in itertools.pairwise(thresholds)):
        _fail(source, "performance.thresholds", "needs four increasing cut points")
    for key in ("lg_sd", "dimension_sd", "item_sd"):
        if float(perf[key]) < 0:
            _fail(source, f"performance.{key}", "must be >= 0")
    for term, value in perf["controls"].items():
        if term not in CONTROL_COVARIATES:
            known = "the process has no covariate for it" if term in CONTROLS else "unknown control"
            _fail(
                source, f"performance.controls.{term}", f"{known}; use {list(CONTROL_COVARIATES)}"
            )
        float(value)
    if set(perf["item_offset"]) - set(ITEMS):
        _fail(source, "performance.item_offset", f"unknown item; use {list(ITEMS)}")
    for key, value in perf["missing"].items():
        if key != "default" and key not in ITEMS:
            _fail(source, f"performance.missing.{key}", "unknown item")
        _check_rate(source, f"performance.missing.{key}", value)
    _check_distribution(
        source,
        "organisations.respondent_unit",
        org["respondent_unit"],
        allowed("organisations", "respondent_unit"),
    )
    staff = org["it_staff"]
    if float(staff["base_mean"]) <= 0 or float(staff["shape"]) <= 0:
        _fail(source, "organisations.it_staff", "base_mean and shape must be positive")
    if not 0 < int(staff["max"]) <= 500:
        _fail(source, "organisations.it_staff.max", "must lie in 1..500 (the codebook's range)")
    _check_rate(source, "organisations.it_staff.missing", staff["missing"])
    _check_rate(source, "organisations.strategy.missing", org["strategy"]["missing"])
    if int(names["max_tries"]) < 1:
        _fail(source, "names.max_tries", "must be at least 1")
    if set(names["topics"]) != set(allowed("platforms", "domain")):
        _fail(source, "names.topics", "needs one word list per domain")
    if set(names["suffixes"]) != set(TYPE_CODES):
        _fail(source, "names.suffixes", "needs one word list per platform type")


def effect(params: Mapping, platform_type: str, outcome: str, term: str) -> float:
    """The true coefficient of ``term`` on ``outcome`` for ``platform_type`` (0 if not listed)."""
    return float(params["effects"].get(platform_type, {}).get(outcome, {}).get(term, 0.0))


def with_effects(params: Mapping, changes: Mapping[tuple[str, str, str], float]) -> dict:
    """A copy of ``params`` with some effects replaced: ``{(type, outcome, term): value}``."""
    out = copy.deepcopy(dict(params))
    for (platform_type, outcome, term), value in changes.items():
        if platform_type not in TYPE_CODES or outcome not in OUTCOMES or term not in TERMS:
            raise KeyError(f"no effect ({platform_type!r}, {outcome!r}, {term!r})")
        out["effects"].setdefault(platform_type, {}).setdefault(outcome, {})[term] = float(value)
    return out


def scaled_effects(params: Mapping, factor: float) -> dict:
    """A copy of ``params`` with every effect coefficient multiplied by ``factor``."""
    out = copy.deepcopy(dict(params))
    for rows in out["effects"].values():
        for row in rows.values():
            for term in row:
                row[term] = float(row[term]) * factor
    return out


def true_effects(params: Mapping | None = None, *, controls: bool = False) -> pd.DataFrame:
    """The coefficients the synthetic data were generated with: ``type, outcome, term, value``.

    Values are in Likert points on the latent score of each outcome. Rows are every outcome of
    every type, for the terms listed in the parameter file (a listed zero is a stated null);
    with ``controls=True`` the control coefficients, common to all rows, are added.
    """
    params = load_params() if params is None else params
    rows = []
    for t in TYPE_CODES:
        for outcome in OUTCOMES:
            listed = params["effects"].get(t, {}).get(outcome, {})
            for term in TERMS:
                if term in listed:
                    rows.append((t, outcome, term, float(listed[term])))
            if controls:
                for term in CONTROLS:
                    value = float(params["performance"]["controls"].get(term, 0.0))
                    rows.append((t, outcome, term, value))
    return pd.DataFrame(rows, columns=["type", "outcome", "term", "value"])


# --- the registry ------------------------------------------------------------------------


def prepare_registry(registry: pd.DataFrame, params: Mapping) -> pd.DataFrame:
    """The registry columns the process uses, sorted by code, with centred covariates.

    Public because :mod:`platformgov.analysis.simulation` simulates from the same design.
    """
    missing = [c for c in REGISTRY_COLUMNS if c not in registry.columns]
    if missing:
        raise ValueError(f"registry: missing columns {missing}")
    lg = registry.loc[:, list(REGISTRY_COLUMNS)].copy()
    lg["code"] = lg["code"].astype(str)
    if lg["code"].duplicated().any():
        dup = sorted(lg.loc[lg["code"].duplicated(), "code"])
        raise ValueError(f"registry: column code: duplicated values {dup}")
    for column, values in (("level", LEVELS), ("kind", KINDS)):
        bad = sorted(set(lg[column]) - set(values))
        if bad:
            raise ValueError(f"registry: column {column}: values {bad} not in {list(values)}")
    population = pd.to_numeric(lg["population_2020"], errors="coerce")
    if not (population > 0).all():
        raise ValueError("registry: column population_2020: every value must be a positive number")
    lg = lg.sort_values("code", kind="stable").reset_index(drop=True)
    ref = params["reference"]
    lg["metro"] = (lg["level"] == "metro").astype(float)
    lg["gun"] = (lg["kind"] == "gun").astype(float)
    lg["gu"] = (lg["kind"] == "gu").astype(float)
    lg["capital"] = (lg["region"] == "capital").astype(float)
    pop = pd.to_numeric(lg["population_2020"]).to_numpy(float)
    lg["logpop"] = np.log(pop) - math.log(float(ref["population"]))
    return lg


def response_probability(registry: pd.DataFrame, params: Mapping | None = None) -> pd.Series:
    """Each local government's probability of answering the survey, indexed by code."""
    params = load_params() if params is None else params
    lg = prepare_registry(registry, params)
    p = _expit(_response_logit(lg, params))
    return pd.Series(p, index=pd.Index(lg["code"], name="code"), name="p_response")


def item_missing_rates(params: Mapping | None = None) -> dict[str, float]:
    """The probability that each Likert item is left blank."""
    params = load_params() if params is None else params
    rates = params["performance"]["missing"]
    return {item: float(rates.get(item, rates["default"])) for item in ITEMS}


# --- the process -------------------------------------------------------------------------


def _expit(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def _draw_categories(rng: np.random.Generator, cum: np.ndarray) -> np.ndarray:
    """One category index per row of ``cum`` (rows of cumulative probabilities)."""
    u = rng.random(cum.shape[0])
    return np.minimum((u[:, None] >= cum).sum(axis=1), cum.shape[1] - 1)


def _cumulative(table: Mapping, categories: tuple[str, ...]) -> np.ndarray:
    return np.cumsum([float(table[c]) for c in categories])


def _response_logit(lg: pd.DataFrame, params: Mapping) -> np.ndarray:
    r = params["response"]
    return (
        float(r["intercept"])
        + float(r["metro"]) * lg["metro"].to_numpy()
        + float(r["gun"]) * lg["gun"].to_numpy()
        + float(r["gu"]) * lg["gu"].to_numpy()
        + float(r["log_population"]) * lg["logpop"].to_numpy()
    )


def _negative_binomial(
    rng: np.random.Generator, mean: np.ndarray, shape: np.ndarray | float
) -> np.ndarray:
    gamma = rng.gamma(shape, 1.0 / np.asarray(shape, float), size=mean.shape)
    return rng.poisson(mean * gamma)


def _draw_counts(
    lg: pd.DataFrame, propensity: np.ndarray, params: Mapping, rng: np.random.Generator
) -> np.ndarray:
    """Platforms per local government (rows) and type (columns, in ``TYPE_CODES`` order)."""
    c = params["counts"]
    log_mult = (
        float(c["log_population"]) * lg["logpop"].to_numpy()
        + float(c["metro"]) * lg["metro"].to_numpy()
        + float(c["capital"]) * lg["capital"].to_numpy()
        + float(c["gun"]) * lg["gun"].to_numpy()
        + float(c["gu"]) * lg["gu"].to_numpy()
        + float(c["propensity_sd"]) * propensity
    )
    base = np.array([float(c["base_mean"][t]) for t in TYPE_CODES])
    shape = np.array([float(c["shape"][t]) for t in TYPE_CODES])
    mean = np.exp(log_mult)[:, None] * base[None, :]
    counts = _negative_binomial(rng, mean, np.broadcast_to(shape, mean.shape))
    return np.minimum(counts, int(c["max_per_type"]))


def _draw_platforms(
    lg: pd.DataFrame,
    counts: np.ndarray,
    cooperativeness: np.ndarray,
    params: Mapping,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """One row per platform of every local government (respondent or not)."""
    plat = params["platforms"]
    n_lg, n_types = counts.shape
    lg_idx = np.repeat(np.repeat(np.arange(n_lg), n_types), counts.ravel())
    type_idx = np.repeat(np.tile(np.arange(n_types), n_lg), counts.ravel())
    n = len(lg_idx)
    domains = allowed("platforms", "domain")
    channels = allowed("platforms", "channel")
    domain_cum = np.array([_cumulative(plat["domain"][t], domains) for t in TYPE_CODES])
    channel_cum = np.array([_cumulative(plat["channel"][t], channels) for t in TYPE_CODES])

    domain = _draw_categories(rng, domain_cum[type_idx])
    channel = _draw_categories(rng, channel_cum[type_idx])
    channel_blank = rng.random(n) < float(plat["channel_missing"]["rate"])

    launch = plat["launch"]
    shape = float(launch["age_shape"])
    mean_age = np.array([float(launch["mean_age"][t]) for t in TYPE_CODES])[type_idx]
    age = np.floor(rng.gamma(shape, mean_age / shape, size=n)).astype(int)
    year = np.maximum(int(params["survey_year"]) - age, int(launch["earliest"]))
    year_blank = rng.random(n) < float(launch["missing"])

    suspended_p = np.array([float(plat["suspended"][t]) for t in TYPE_CODES])[type_idx]
    suspended = rng.random(n) < suspended_p

    base_logit = np.array(
        [[_logit(float(plat["partners"][t][k])) for k in PARTNERS] for t in TYPE_CODES]
    )
    sd = np.array([float(plat["partners"]["lg_sd"][k]) for k in PARTNERS])
    p_partner = _expit(base_logit[type_idx] + sd[None, :] * cooperativeness[lg_idx])
    partner = (rng.random((n, len(PARTNERS))) < p_partner).astype(int)

    out = pd.DataFrame(
        {
            "lg": lg_idx,
            "lg_code": lg["code"].to_numpy()[lg_idx],
            "platform_type": np.array(TYPE_CODES)[type_idx],
            "domain": np.array(domains)[domain],
            "channel": pd.array(np.array(channels)[channel], dtype="string"),
            "year_launched": pd.array(year, dtype="Int64"),
            "status": np.where(suspended, "suspended", "operating"),
        }
    )
    out.loc[channel_blank, "channel"] = pd.NA
    out.loc[year_blank, "year_launched"] = pd.NA
    for j, column in enumerate(PARTNERS.values()):
        out[column] = pd.array(partner[:, j], dtype="Int64")
    # A 광역 has no 광역 above it: the question does not apply.
    out.loc[lg["metro"].to_numpy()[lg_idx] == 1, PARTNERS["metro"]] = pd.NA
    return out


def _draw_names(
    lg: pd.DataFrame, platforms: pd.DataFrame, params: Mapping, rng: np.random.Generator
) -> list[str]:
    """Invented platform names from generic parts, distinct within each local government."""
    words = params["names"]
    prefixes = list(words["prefixes"])
    topics = {d: list(v) for d, v in words["topics"].items()}
    suffixes = {t: list(v) for t, v in words["suffixes"].items()}
    tries = int(words["max_tries"])
    names: list[str] = []
    used: dict[int, set[str]] = {}
    for i, domain, platform_type in zip(
        platforms["lg"], platforms["domain"], platforms["platform_type"], strict=True
    ):
        seen = used.setdefault(int(i), set())
        base = lg.at[int(i), "name_ko"]
        for _ in range(tries):
            parts = (
                base,
                prefixes[rng.integers(len(prefixes))],
                topics[domain][rng.integers(len(topics[domain]))],
                suffixes[platform_type][rng.integers(len(suffixes[platform_type]))],
            )
            name = " ".join(p for p in parts if p)
            if name not in seen:
                break
        number = 2
        unique = name
        while unique in seen:
            unique = f"{name} {number}"
            number += 1
        seen.add(unique)
        names.append(unique)
    return names


def _terms(n_lg: int, platforms: pd.DataFrame) -> np.ndarray:
    """Activation and collaboration per local government x type x term (``TERMS`` order).

    Only operating platforms count: a suspended platform delivers nothing to rate.
    """
    out = np.zeros((n_lg, len(TYPE_CODES), len(TERMS)))
    live = platforms.loc[platforms["status"] == "operating"]
    keys = pd.DataFrame(
        {
            "lg": live["lg"].to_numpy(),
            "t": live["platform_type"].map({t: j for j, t in enumerate(TYPE_CODES)}).to_numpy(),
            "domain": live["domain"].to_numpy(),
        }
    )
    for k, column in PARTNERS.items():
        keys[k] = live[column].fillna(0).astype(int).to_numpy()
    grouped = keys.groupby(["lg", "t"])
    per_pair = {
        "n_platforms": grouped.size(),
        "diversity": grouped["domain"].nunique(),
        **{f"coop_{k}": grouped[k].max() for k in PARTNERS},
    }
    for term, values in per_pair.items():
        lg_idx = values.index.get_level_values("lg")
        type_idx = values.index.get_level_values("t")
        out[lg_idx, type_idx, TERMS.index(term)] = values.to_numpy()
    n = out[:, :, TERMS.index("n_platforms")]
    out[:, :, TERMS.index("log_n_platforms")] = np.log(np.maximum(n, 1))
    return out


def items_per_outcome() -> int:
    """The number of items of each outcome: the process needs the same number for all."""
    counts = {outcome: len(items) for outcome, items in vocabulary.OUTCOME_ITEMS.items()}
    if len(set(counts.values())) != 1:
        raise ValueError(f"the synthetic process needs as many items for every outcome: {counts}")
    return next(iter(counts.values()))


def draw_performance(
    lg: pd.DataFrame, terms: np.ndarray, params: Mapping, rng: np.random.Generator
) -> np.ndarray:
    """Likert answers per local government x type x item (``ITEMS`` order); NaN = blank.

    The outcome stage of :func:`generate`; :mod:`platformgov.analysis.simulation` redraws it for the
    Monte Carlo study.
    """
    perf = params["performance"]
    n_lg, n_types, _ = terms.shape
    outcomes = list(OUTCOMES)
    n_out = len(outcomes)
    n_items = items_per_outcome()
    # Draw every random number first, in a fixed shape, so that effects never shift the stream.
    lg_effect = rng.normal(0.0, float(perf["lg_sd"]), size=n_lg)
    dim_noise = rng.normal(0.0, float(perf["dimension_sd"]), size=(n_lg, n_types, n_out))
    item_noise = rng.normal(0.0, float(perf["item_sd"]), size=(n_lg, n_types, n_out, n_items))
    blank_u = rng.random((n_lg, n_types, n_out, n_items))

    intercept = np.array([[float(perf["intercept"][t][d]) for d in outcomes] for t in TYPE_CODES])
    beta = np.array(
        [[[effect(params, t, d, term) for term in TERMS] for d in outcomes] for t in TYPE_CODES]
    )
    control = np.zeros(n_lg)
    for term, coefficient in perf["controls"].items():
        control = control + float(coefficient) * lg[CONTROL_COVARIATES[term]].to_numpy()
    latent = (
        intercept[None, :, :]
        + np.einsum("itk,tdk->itd", terms, beta)
        + (control + lg_effect)[:, None, None]
        + dim_noise
    )
    offset = np.array([float(perf["item_offset"].get(item, 0.0)) for item in ITEMS])
    score = latent[..., None] + offset.reshape(n_out, n_items) + item_noise
    answers = np.searchsorted(np.array(perf["thresholds"], float), score) + 1.0
    rates = item_missing_rates(params)
    blank_p = np.array([rates[item] for item in ITEMS]).reshape(n_out, n_items)
    answers[blank_u < blank_p] = np.nan
    return answers.reshape(n_lg, n_types, len(ITEMS))


def _draw_organisations(
    lg: pd.DataFrame, propensity: np.ndarray, params: Mapping, rng: np.random.Generator
) -> pd.DataFrame:
    org = params["organisations"]
    n = len(lg)
    units = allowed("organisations", "respondent_unit")
    cum = np.broadcast_to(_cumulative(org["respondent_unit"], units), (n, len(units)))
    unit = _draw_categories(rng, cum)

    staff = org["it_staff"]
    mean = float(staff["base_mean"]) * np.exp(
        float(staff["log_population"]) * lg["logpop"].to_numpy()
        + float(staff["metro"]) * lg["metro"].to_numpy()
        + float(staff["propensity"]) * propensity
    )
    it_staff = np.minimum(_negative_binomial(rng, mean, float(staff["shape"])), int(staff["max"]))
    staff_blank = rng.random(n) < float(staff["missing"])

    strat = org["strategy"]
    p = _expit(
        float(strat["intercept"])
        + float(strat["log_population"]) * lg["logpop"].to_numpy()
        + float(strat["metro"]) * lg["metro"].to_numpy()
        + float(strat["propensity"]) * propensity
    )
    has_strategy = (rng.random(n) < p).astype(int)
    strategy_blank = rng.random(n) < float(strat["missing"])

    out = pd.DataFrame(
        {
            "lg_code": lg["code"].to_numpy(),
            "respondent_unit": np.array(units)[unit],
            "it_staff": pd.array(it_staff, dtype="Int64"),
            "has_platform_strategy": pd.array(has_strategy, dtype="Int64"),
        }
    )
    out.loc[staff_blank, "it_staff"] = pd.NA
    out.loc[strategy_blank, "has_platform_strategy"] = pd.NA
    return out


def generate(
    registry: pd.DataFrame, params: Mapping | None = None, seed: int | None = None
) -> dict[str, pd.DataFrame]:
    """Draw the three survey tables for ``registry`` from the process in ``params``.

    ``registry`` needs the columns ``code, name_ko, level, kind, region, population_2020``.
    ``params`` defaults to the parameter file and
    ``seed`` to its ``seed``. Returns ``{"platforms", "performance", "organisations"}`` with the
    codebook's columns in codebook order, rows sorted, integers as nullable ``Int64``.
    Local governments that do not answer appear in no table.
    """
    params = load_params() if params is None else params
    check_params(params)
    seed = int(params["seed"]) if seed is None else int(seed)
    lg = prepare_registry(registry, params)
    n_lg = len(lg)
    streams = dict(
        zip(
            STREAMS,
            (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(len(STREAMS))),
            strict=True,
        )
    )

    responds = streams["response"].random(n_lg) < _expit(_response_logit(lg, params))
    propensity = streams["propensity"].standard_normal(n_lg)
    cooperativeness = streams["propensity"].standard_normal((n_lg, len(PARTNERS)))
    counts = _draw_counts(lg, propensity, params, streams["counts"])
    platforms = _draw_platforms(lg, counts, cooperativeness, params, streams["platforms"])
    platforms["platform_name"] = _draw_names(lg, platforms, params, streams["names"])
    terms = _terms(n_lg, platforms)
    answers = draw_performance(lg, terms, params, streams["performance"])
    organisations = _draw_organisations(lg, propensity, params, streams["organisations"])

    # Keep the local governments that answered; number their platforms in file order.
    platforms = platforms.loc[responds[platforms["lg"].to_numpy()]].reset_index(drop=True)
    platforms["platform_id"] = [f"P{j:05d}" for j in range(1, len(platforms) + 1)]

    # A type is rated when at least one of its platforms is operating.
    running = terms[:, :, TERMS.index("n_platforms")] > 0
    lg_idx, type_idx = np.nonzero(responds[:, None] & running)
    performance = pd.DataFrame(
        {"lg_code": lg["code"].to_numpy()[lg_idx], "platform_type": np.array(TYPE_CODES)[type_idx]}
    )
    for j, item in enumerate(ITEMS):
        performance[item] = pd.array(answers[lg_idx, type_idx, j], dtype="Int64")

    organisations = organisations.loc[responds].reset_index(drop=True)

    tables = {
        "platforms": platforms,
        "performance": performance,
        "organisations": organisations,
    }
    return {name: _tidy(name, table) for name, table in tables.items()}


def _tidy(name: str, table: pd.DataFrame) -> pd.DataFrame:
    """Codebook column order and a fixed row order."""
    table = table.loc[:, columns(name)].copy()
    keys = {
        "platforms": ["platform_id"],
        "performance": ["lg_code", "platform_type"],
        "organisations": ["lg_code"],
    }[name]
    order = table.loc[:, keys].copy()
    if "platform_type" in order:
        order["platform_type"] = order["platform_type"].map(
            {t: j for j, t in enumerate(TYPE_CODES)}
        )
    table = table.iloc[order.sort_values(keys, kind="stable").index].reset_index(drop=True)
    return table


# --- writing -----------------------------------------------------------------------------


def _cell(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(value)


def write_tables(tables: Mapping[str, pd.DataFrame], out: str | Path) -> list[Path]:
    """Write each table as ``out/<name>.csv``: UTF-8 without BOM, ``\\n`` line ends, blanks."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        table = tables[name]
        path = out / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(list(table.columns))
            for row in table.itertuples(index=False, name=None):
                writer.writerow([_cell(v) for v in row])
        written.append(path)
    return written


# --- the command -------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--out",
        type=Path,
        default=paths.SYNTHETIC,
        help="folder for platforms.csv, performance.csv, organisations.csv "
        "(default: data/synthetic)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="random seed (default: the parameter file's seed)"
    )
    parser.add_argument(
        "--params",
        type=Path,
        default=paths.SYNTHETIC_PARAMS,
        help="parameter file (default: data/synthetic_params.toml)",
    )
    parser.add_argument(
        "--layout",
        choices=("tables", "questionnaire"),
        default="tables",
        help="tables: the three long CSV tables; questionnaire: survey.sav (SPSS, one row per "
        "government, a roster of platforms in blocks of columns) and mapping.toml, the mapping "
        "that reads it (needs --out)",
    )


def run(args: argparse.Namespace) -> int:
    from platformgov.inputs.registry import load_registry

    registry = load_registry()
    params = load_params(args.params)
    if args.layout == "questionnaire" and Path(args.out).resolve() == paths.SYNTHETIC.resolve():
        print("error: --layout questionnaire writes survey.sav and mapping.toml: give --out DIR")
        return 2
    tables = generate(registry, params, args.seed)
    if args.layout == "questionnaire":
        from platformgov.inputs import questionnaire

        for path in questionnaire.write(tables, args.out, registry):
            print(f"wrote {path}")
        return 0
    for path in write_tables(tables, args.out):
        print(f"wrote {path} ({len(tables[path.stem])} rows)")
    answered = len(tables["organisations"])
    print(
        f"{answered} of {len(registry)} local governments answered ({answered / len(registry):.1%})"
    )
    return 0
