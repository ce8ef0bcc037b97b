"""The fingerprint of a build: one SHA-256 over every file the book's pages depend on.

The build re-executes every page when it changes, and the reproducibility appendix publishes it
so that a reader's rebuild can be compared with the published book. Files are named by their
path inside the repository, or as ``survey/<path>`` inside the survey source, so the value does
not depend on where the repository or the survey lies.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from platformgov import paths
from platformgov.paths import ROOT, survey_source

#: What the built pages depend on, inside the repository (the survey source is added to them):
#: the code and data the notebooks read, and the pinned packages, MathJax among them.
FINGERPRINT_INPUTS = ("src/platformgov", "data", "requirements.txt", "package-lock.json")
SURVEY_PREFIX = "survey/"


def files_under(path: Path) -> list[Path]:
    """``path`` itself if it is a file, else every file below it in sorted order, without
    bytecode caches and compiled message catalogues; nothing if ``path`` does not exist."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        return []
    return sorted(
        p
        for p in path.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".pyc", ".mo"}
    )


def fingerprint_inputs(root: Path = ROOT, survey: Path | None = None) -> Iterator[tuple[str, Path]]:
    """``(name, path)`` of every file the notebooks depend on, named independently of where the
    repository or the survey lies: by its path in the repository, or as ``survey/<path>``."""
    root = Path(root)
    survey = survey_source() if survey is None else Path(survey)
    for base in FINGERPRINT_INPUTS:
        for path in files_under(root / base):
            yield path.relative_to(root).as_posix(), path
    for path in files_under(survey):
        inner = path.name if survey.is_file() else path.relative_to(survey).as_posix()
        yield SURVEY_PREFIX + inner, path
    mapping = paths.mapping_file()
    if mapping is not None and mapping.is_file():
        yield SURVEY_PREFIX + paths.MAPPING_NAME, mapping


def fingerprint(root: Path = ROOT, survey: Path | None = None) -> str:
    """A SHA-256 over every file the notebooks depend on and whether the survey is the synthetic one.

    Two checkouts with the same files give the same value wherever they lie, so the published
    value can be compared with a reader's rebuild; any change of content or name changes it.
    """
    survey = survey_source() if survey is None else Path(survey)
    digest = hashlib.sha256()
    kind = (
        "synthetic" if survey.resolve() == (Path(root) / "data" / "synthetic").resolve() else "real"
    )
    digest.update(f"survey source: {kind}\n".encode())
    for name, path in fingerprint_inputs(root, survey):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def typesetting_versions() -> dict[str, str | None]:
    """The MathJax (``mathjax-full``) and Node.js that typeset the formulas; None where missing."""
    try:
        package = json.loads((paths.MATHJAX / "package.json").read_text(encoding="utf-8"))
        mathjax = package["version"]
    except (OSError, ValueError, KeyError):
        mathjax = None
    node = shutil.which("node")
    if node is not None:
        done = subprocess.run([node, "--version"], capture_output=True, text=True, check=False)
        node = (done.stdout.strip().removeprefix("v") or None) if done.returncode == 0 else None
    return {"MathJax": mathjax, "Node.js": node}
