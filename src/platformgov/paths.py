"""Where the repository keeps its data, found from this file so that any working folder works."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
CODEBOOK = DATA / "codebook.csv"
LABELS = DATA / "labels.csv"
REGISTRY = DATA / "registry" / "local_governments.csv"
BOUNDARIES = DATA / "registry" / "boundaries.geojson"
SYNTHETIC = DATA / "synthetic"
SYNTHETIC_PARAMS = DATA / "synthetic_params.toml"
# npm ci installs package.json's Node packages here: MathJax for the build, the browser checks' tools.
NODE_MODULES = ROOT / "node_modules"
MATHJAX = NODE_MODULES / "mathjax-full"

SURVEY_ENV = "PLATFORMGOV_SURVEY"
#: A mapping file (TOML) that says how the survey file's own columns become the three tables.
MAPPING_ENV = "PLATFORMGOV_MAPPING"
MAPPING_NAME = "mapping.toml"


def survey_source() -> Path:
    """The survey folder or file the book reads: ``$PLATFORMGOV_SURVEY`` if set, else the synthetic data."""
    value = os.environ.get(SURVEY_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else SYNTHETIC


def mapping_file() -> Path | None:
    """The mapping named by ``$PLATFORMGOV_MAPPING``, if it is set."""
    value = os.environ.get(MAPPING_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None
