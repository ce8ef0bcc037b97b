"""Small data and books that several test modules build on."""

import csv
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd

from platformgov.analysis import models
from platformgov.analysis.measures import COLUMNS
from platformgov.inputs.codebook import columns
from platformgov.paths import ROOT
from platformgov.vocabulary import CONTROL_COLUMNS, CONTROLS, OUTCOMES, TYPE_CODES

NA = None


REGISTRY_ROWS = [
    # code, sido_code, level, kind, region
    ("11", "11", "metro", "special_city", "capital"),
    ("11110", "11", "basic", "gu", "capital"),
    ("11140", "11", "basic", "gu", "capital"),
    ("11170", "11", "basic", "gu", "capital"),
    ("11200", "11", "basic", "gu", "capital"),  # does not respond
    ("36", "36", "metro", "special_self_governing_city", "chungcheong"),  # no 기초 below it
    ("47", "47", "metro", "province", "yeongnam"),  # does not respond
    ("47820", "47", "basic", "gun", "yeongnam"),
    ("47830", "47", "basic", "gun", "yeongnam"),  # responds, runs nothing
    ("50", "50", "metro", "special_self_governing_province", "jeju"),  # does not respond
]


RESPONDENTS = ("11", "11110", "11140", "11170", "36", "47820", "47830")


PLATFORM_ROWS = [
    # id, lg, type, status, central, metro, private
    ("P00001", "11", "G2C", "operating", 1, NA, 0),
    ("P00002", "11", "G2C", "operating", 0, 1, 1),  # a metro answer from a 광역: ignored
    ("P00003", "11", "C2C", "suspended", 1, NA, 1),
    ("P00004", "11110", "G2C", "operating", 0, 1, NA),
    ("P00005", "11110", "G2C", "operating", 0, 0, 0),
    ("P00006", "11110", "C2G", "operating", NA, NA, NA),
    ("P00007", "11140", "C2C", "operating", 0, 0, 1),
    ("P00008", "11140", "G2C", "suspended", 1, 1, 1),
    ("P00009", "36", "G2C", "operating", 0, NA, 1),
    ("P00010", "47820", "C2C", "operating", 1, 0, 0),
    ("P00011", "47820", "G2C", "operating", 0, 1, 0),
    ("P00012", "11170", "C2G", "operating", NA, NA, NA),
]


PERFORMANCE_ROWS = [
    # lg, type, dem_1..3, eff_1..3, qual_1..3, conv_1..3
    ("11", "G2C", (5, 5, 5), (4, 4, 4), (3, 3, 3), (2, 2, 2)),
    ("11110", "G2C", (4, 4, 4), (3, 3, 3), (2, 2, 2), (1, 1, 1)),
    ("47820", "G2C", (NA, 2, 2), (2, 2, 2), (1, 1, 1), (1, 1, 1)),
    ("11110", "C2G", (1, 2, 3), (3, 3, 3), (3, 3, 3), (3, 3, 3)),
]


def make_registry() -> pd.DataFrame:
    return pd.DataFrame(REGISTRY_ROWS, columns=["code", "sido_code", "level", "kind", "region"])


def with_other_controls(frame: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """``frame`` (an analysis frame) with a column of noise for every control of the vocabulary
    it lacks: a control added to the vocabulary needs no change to the tests' frames."""
    rng = np.random.default_rng(seed)
    for term in CONTROLS:
        if term not in frame.columns:
            frame[term] = rng.normal(size=len(frame))
    return frame


def with_control_columns(registry: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """``registry`` with positive numbers in every registry column a control reads that it
    lacks: a control added to the vocabulary needs no change to the tests' registries."""
    rng = np.random.default_rng(seed)
    for column in CONTROL_COLUMNS:
        if column not in registry.columns:
            registry[column] = rng.uniform(1.0, 100.0, size=len(registry))
    return registry


def make_survey(organisations=RESPONDENTS, platform_rows=PLATFORM_ROWS) -> SimpleNamespace:
    platforms = pd.DataFrame(
        [
            {
                "platform_id": pid,
                "lg_code": lg,
                "platform_name": f"platform {pid}",
                "platform_type": t,
                "domain": "open_data",
                "channel": "web",
                "year_launched": 2020,
                "status": s,
                "partner_central": c,
                "partner_metro": m,
                "partner_private": p,
            }
            for pid, lg, t, s, c, m, p in platform_rows
        ],
        columns=columns("platforms"),
    )
    for col in ("year_launched", "partner_central", "partner_metro", "partner_private"):
        platforms[col] = platforms[col].astype("Int64")
    perf = []
    for lg, t, *groups in PERFORMANCE_ROWS:
        row = {"lg_code": lg, "platform_type": t}
        for prefix, values in zip(("dem", "eff", "qual", "conv"), groups, strict=True):
            for i, v in enumerate(values, start=1):
                row[f"{prefix}_{i}"] = v
        perf.append(row)
    performance = pd.DataFrame(perf, columns=columns("performance"))
    for col in performance.columns[2:]:
        performance[col] = performance[col].astype("Int64")
    organisations = pd.DataFrame(
        {"lg_code": list(organisations), "respondent_unit": "planning"},
        columns=columns("organisations"),
    )
    return SimpleNamespace(
        platforms=platforms,
        performance=performance,
        organisations=organisations,
        kind="synthetic",
    )


def frame_with_effects(
    effects: dict[tuple[str, str, str], float] | None = None,
    n: int = 150,
    seed: int = 3,
    noise: float = 0.4,
) -> pd.DataFrame:
    """An analysis frame of basic and metropolitan governments with chosen true effects.

    Outcomes are 3 + sum of ``effects[(type, outcome, term)] * term`` + normal noise.
    """
    effects = effects or {}
    rng = np.random.default_rng(seed)
    rows = []
    for t in TYPE_CODES:
        for i in range(n):
            metro = i < 10
            kind = "metro" if metro else rng.choice(["si", "gun", "gu"])
            count = int(rng.integers(1, 9))
            row = {
                "lg_code": f"{i:02d}" if metro else f"{10000 + i}",
                "platform_type": t,
                "n_platforms": count,
                "log_n_platforms": np.log(count),
                "diversity": int(rng.integers(1, count + 1)),
                "coop_central": float(rng.random() < 0.4),
                "coop_metro": 0.0 if metro else float(rng.random() < 0.5),
                "coop_private": float(rng.random() < 0.4),
                "level_metro": int(metro),
                "kind_gun": int(kind == "gun"),
                "kind_gu": int(kind == "gu"),
                "log_population": rng.normal(12, 1),
                "share_basic_pension": rng.uniform(0.1, 0.4),
                "capital_region": int(rng.random() < 0.3),
            }
            for o in OUTCOMES:
                signal = sum(
                    v * row[term] for (tt, oo, term), v in effects.items() if (tt, oo) == (t, o)
                )
                row[o] = 3 + signal + rng.normal(0, noise)
            rows.append(row)
    return with_other_controls(pd.DataFrame(rows), seed)


def comparison_rows(rows: list[tuple]) -> pd.DataFrame:
    """A comparison frame in :func:`models.compare_with_paper`'s layout from short tuples.

    Each tuple: (type, term, outcome, estimate, p_value, in_en_abstract).
    """
    out = []
    for t, term, o, est, p, en in rows:
        estimated = np.isfinite(est)
        out.append(
            {
                "platform_type": t,
                "outcome": o,
                "term": term,
                "paper_sign": "+",
                "in_en_abstract": en,
                "estimate": est,
                "std_error": 0.1 if estimated else np.nan,
                "p_value": p,
                "conf_low": est - 0.2 if estimated else np.nan,
                "conf_high": est + 0.2 if estimated else np.nan,
                "n_obs": 100,
                "agrees": (est > 0 and p < models.ALPHA) if estimated else pd.NA,
            }
        )
    frame = pd.DataFrame(out)
    frame["agrees"] = frame["agrees"].astype("boolean")
    return frame


def make_frame(n_basic: int = 80, n_metro: int = 10, seed: int = 7) -> pd.DataFrame:
    """An analysis frame whose outcomes rise with cooperation, with error spread growing in
    the number of platforms (so that HC3 and classical standard errors differ)."""
    rng = np.random.default_rng(seed)
    rows = []
    for t in TYPE_CODES:
        for i in range(n_basic + n_metro):
            metro = i < n_metro
            kind = "metro" if metro else rng.choice(["si", "gun", "gu"])
            n = int(rng.integers(1, 12))
            coop = {
                "coop_central": float(rng.random() < 0.3),
                "coop_metro": 0.0 if metro else float(rng.random() < 0.5),
                "coop_private": float(rng.random() < 0.4),
            }
            row = {
                "lg_code": f"{i:02d}" if metro else f"{20000 + i}",
                "platform_type": t,
                "n_platforms": n,
                "log_n_platforms": np.log(n),
                "diversity": int(rng.integers(1, min(n, 8) + 1)),
                **coop,
                **{f"share_{k}": v for k, v in coop.items()},
                "level_metro": int(metro),
                "kind_gun": int(kind == "gun"),
                "kind_gu": int(kind == "gu"),
                "log_population": rng.normal(15 if metro else 12, 0.7),
                "share_basic_pension": rng.uniform(0.05, 0.35),
                "capital_region": int(rng.random() < 0.3),
            }
            for o in OUTCOMES:
                noise = rng.normal(0, 0.2 + 0.08 * n)
                row[o] = 3 + 0.6 * coop["coop_metro"] + 0.5 * coop["coop_private"] + noise
            rows.append(row)
    return with_other_controls(pd.DataFrame(rows), seed).loc[:, list(COLUMNS)]


NOTEBOOK_HEADER = """---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page

Some text for the description of this page.

"""


def tiny_book(tmp_path, body: str | dict[str, str], editions: tuple[str, ...] = ("en",)):
    """A small book laid out like the repository: one config and table of contents at the top,
    linked from each edition's folder, and the project's extension.

    ``body`` is the index page's text, or ``{page: text}`` for several pages (``index`` first).
    """
    pages = {"index": body} if isinstance(body, str) else dict(body)
    root = tmp_path / "repo"
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "_config.yml", root / "_config.yml")
    chapters = "".join(f"  - file: {page}\n" for page in pages if page != "index")
    toc = "format: jb-book\nroot: index\n" + (f"chapters:\n{chapters}" if chapters else "")
    (root / "_toc.yml").write_text(toc)
    (root / "book").mkdir(exist_ok=True)
    (root / "book" / "references.bib").write_text((ROOT / "book" / "references.bib").read_text())
    for edition in editions:
        folder = root / "book" / edition
        folder.mkdir(parents=True, exist_ok=True)
        for name in ("_config.yml", "_toc.yml"):
            (folder / name).symlink_to(Path("..") / ".." / name)
        for page, text in pages.items():
            (folder / f"{page}.md").write_text(NOTEBOOK_HEADER + text, encoding="utf-8")
    return root


def titles(fig) -> list[str]:
    """Every title a matplotlib figure draws: its own, its sub-figures' and its axes'."""
    found = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    found += [s._suptitle.get_text() for s in fig.subfigs if s._suptitle is not None]
    found += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return [" ".join(t.split()) for t in found if t.strip()]


def assert_captioned_outside(fig, caption: str, lang: str) -> None:
    """The figure draws no title of its own and none that repeats its caption (``caption.<name>``
    in the label table), which the book shows under the image; panel titles may stay."""
    from platformgov.labels import label

    assert fig._suptitle is None, f"the figure draws a title: {fig._suptitle.get_text()!r}"
    assert " ".join(label(f"caption.{caption}", lang).split()) not in titles(fig)


# --- a wide survey file read through a mapping ---------------------------------------------

WIDE_MAPPING = """\
[survey]
file = "{file}"
missing = [99]

[organisations]
lg_code = "ID"
respondent_unit = {{ column = "UNIT", codes = {{ 1 = "planning", 2 = "other" }} }}
it_staff = "STAFF"

[platforms]
blocks = 2
lg_code = "ID"
platform_name = "P{{n}}_NAME"
platform_type = {{ column = "P{{n}}_TYPE", labels = {{ "정보제공형" = "G2C", "정책제안형" = "C2G" }} }}
domain = "P{{n}}_DOMAIN"
status = {{ column = "P{{n}}_STATUS", codes = {{ 1 = "operating", 2 = "suspended" }} }}

[performance]
blocks = 2
lg_code = "ID"
platform_type = {{ by_block = {{ 1 = "G2C", 2 = "C2G" }} }}
dem_1 = {{ column = "R{{n}}_1", missing = [9] }}
"""
WIDE_HEADER = ["ID", "UNIT", "STAFF", "P1_NAME", "P1_TYPE", "P1_DOMAIN", "P1_STATUS",
          "P2_NAME", "P2_TYPE", "P2_DOMAIN", "P2_STATUS", "R1_1", "R2_1"]  # fmt: skip


def write_large_wide_csv(folder: Path, rows: int) -> Path:
    """``folder/wide.csv`` of ``rows`` holder rows in the layout of :data:`WIDE_MAPPING`, with
    ``folder/mapping.toml``. The local governments of the synthetic survey repeat and every
    platform's status is a code the mapping does not know, so every row of every table is
    rejected: the worst case for memory."""
    folder.mkdir(parents=True, exist_ok=True)
    table = pd.read_csv(ROOT / "data" / "synthetic" / "organisations.csv", dtype=str)
    codes = table["lg_code"].tolist()
    with open(folder / "wide.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(WIDE_HEADER)
        for i in range(rows):
            writer.writerow(
                [codes[i % len(codes)], "1", "25", f"안내 {i}", "정보제공형", "open_data", "3",
                 f"제안 {i}", "정책제안형", "participation", "3", "4", "3"]
            )  # fmt: skip
    (folder / "mapping.toml").write_text(WIDE_MAPPING.format(file="wide.csv"), encoding="utf-8")
    return folder


def validate_within(memory_bytes: int, *args: str, cwd: Path) -> str:
    """Run ``python -m platformgov validate ARGS`` in ``cwd`` with its address space limited to
    ``memory_bytes``; assert that it ends as a validation that found errors (exit 1) and
    return what it printed. A reader whose memory grows with the file fails here."""
    import platformgov

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))

    result = subprocess.run(
        [sys.executable, "-m", "platformgov", "validate", *args],
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=limited,
        cwd=cwd,
        env={
            **os.environ,
            "PYTHONPATH": str(Path(platformgov.__file__).parents[1]),
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
        },
    )
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    return out
