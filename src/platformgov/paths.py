"""Where the book's files live: the repository's, or the installed package's when there is none.

Inside the repository (a working folder, an editable install) the data are the repository's
``data/``. Installed from a wheel or from the repository's address, the package carries the same
files as package data (``platformgov/data``, :data:`PACKAGE_DATA`), so that a chapter notebook
runs in a student's Jupyter or in Colab.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
#: The repository this package was imported from, if it was (``src/platformgov`` in it).
REPOSITORY = PACKAGE.parents[1]
PACKAGE_DATA = "data"


def in_repository(root: Path = REPOSITORY) -> bool:
    """True when ``root`` is the repository the package's source sits in."""
    return (root / "pyproject.toml").is_file() and (root / "data" / "codebook.csv").is_file()


def installed_data() -> Path:
    """The data the package carries when installed (``platformgov/data``)."""
    return Path(str(resources.files("platformgov") / PACKAGE_DATA))


IN_REPOSITORY = in_repository()
#: The repository, or the installed package's folder outside one.
ROOT = REPOSITORY if IN_REPOSITORY else PACKAGE
DATA = ROOT / "data" if IN_REPOSITORY else installed_data()
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
