"""The downloaded chapter notebooks run outside the repository, on the package installed from a
wheel into a fresh virtual environment, and show the numbers the site shows."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from platformgov.paths import ROOT
from platformgov.site import notebooks
from platformgov.site.sphinxext import EDITIONS

pytestmark = pytest.mark.site

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
MYST = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|^:{3,}\{|^`{3,}\{", re.M)
#: Runs each notebook given on the command line in place, in the environment's own kernel.
RUNNER = """
import sys, nbformat, nbclient
for path in sys.argv[1:]:
    notebook = nbformat.read(path, 4)
    nbclient.NotebookClient(notebook, timeout=900, kernel_name="python3").execute()
    nbformat.write(notebook, path)
"""


def chapters(edition: str) -> list[str]:
    """The pages with exercises and solutions: the chapters a teacher assigns."""
    folder = ROOT / "book" / edition
    return sorted(p.stem for p in folder.glob("*.md") if "{solution-start}" in p.read_text())


def shown(output) -> str:
    """What a reader sees of a cell's output, as text (images left out)."""
    if output.get("output_type") == "stream":
        return "".join(output.get("text", ""))
    data = output.get("data", {})
    for kind in ("text/html", "text/markdown", "text/plain"):
        if kind in data:
            return "".join(data[kind])
    return ""


def numbers_by_cell(notebook: dict) -> dict[str, list[str]]:
    return {
        "".join(c["source"]): NUMBER.findall("".join(shown(o) for o in c.get("outputs", [])))
        for c in notebook["cells"]
        if c["cell_type"] == "code"
    }


def site_outputs(build: Path, edition: str, page: str) -> dict:
    """The page's notebook with the outputs the site shows, from the build's execution cache
    (MyST-NB's ``jupyter_execute`` copy has no outputs when the page came from the cache)."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    text = (ROOT / "book" / edition / f"{page}.md").read_text(encoding="utf-8")
    cache = get_cache(build / edition / "_build" / ".jupyter_cache")
    _, merged = cache.merge_match_into_notebook(read_myst_markdown_notebook(text))
    return merged


def outside() -> dict[str, str]:
    """The environment without the repository's: no PYTHONPATH, no platformgov settings."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PLATFORMGOV_"))}


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """A fresh virtual environment outside the repository with the wheel of the package."""
    folder = tmp_path_factory.mktemp("outside")
    wheels = folder / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    subprocess.run([*pip, "wheel", "--no-deps", "-q", "-w", wheels, ROOT], check=True)
    (wheel,) = wheels.glob("platformgov-*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    python = venv / "bin" / "python"
    constraints = ROOT / "requirements.txt"  # the versions the site was built with
    subprocess.run(
        [python, "-m", "pip", "install", "-q", wheel, "ipykernel", "nbclient", "-c", constraints],
        check=True,
        env=outside(),
    )
    return folder, python


def test_chapter_notebooks_run_outside_the_repository_and_show_the_sites_numbers(site, environment):
    folder, python = environment
    run = folder / "run"
    copies = []
    for edition in EDITIONS:
        for page in chapters(edition):
            copy = run / edition / f"{page}.ipynb"
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_bytes((site / edition / notebooks.NOTEBOOKS / f"{page}.ipynb").read_bytes())
            copies.append(copy)
    assert len(copies) >= 6 * len(EDITIONS), "fewer chapters than the book has"
    env = outside()
    env["PLATFORMGOV_CACHE"] = str(folder / "cache")
    result = subprocess.run(
        [python, "-c", RUNNER, *copies], cwd=run, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-3000:]
    checked = 0
    for copy in copies:
        edition, page = copy.parent.name, copy.stem
        ran = json.loads(copy.read_text(encoding="utf-8"))
        built = numbers_by_cell(site_outputs(site.parent, edition, page))
        setup, *cells = [c for c in ran["cells"] if c["cell_type"] == "code"]
        assert not setup.get("outputs"), f"{edition}/{page}: the set-up cell did something"
        for cell in cells:
            text = "".join(shown(o) for o in cell.get("outputs", []))
            assert not MYST.search(text), f"{edition}/{page}: MyST in an output: {text[:200]}"
            got = NUMBER.findall(text)
            assert got == built["".join(cell["source"])], f"{edition}/{page}: numbers differ"
            checked += len(got)
    assert checked > 1000, "hardly any numbers in the notebooks' outputs"


def test_each_edition_offers_one_archive_of_every_notebook(site):
    for edition in EDITIONS:
        folder = site / edition / notebooks.NOTEBOOKS
        archive = folder / notebooks.archive_name(edition)
        with zipfile.ZipFile(archive) as zipped:
            names = set(zipped.namelist())
            top = archive.stem
            readme = zipped.read(f"{top}/README.md").decode("utf-8")
            downloads = sorted(p.name for p in folder.glob("*.ipynb"))
            assert set(chapters(edition)) <= {Path(n).stem for n in downloads}
            for name in downloads:
                assert f"{top}/{name}" in names
                assert f"{top}/{notebooks.SOLUTIONS}/{name}" in names
                assert zipped.read(f"{top}/{name}") == (folder / name).read_bytes()
        hangul = re.search(r"[\uac00-\ud7a3]", readme)
        assert bool(hangul) == (edition == "ko"), f"{edition}: README in the wrong language"
        assert "solutions/" in readme and "pip install" in readme
        for page in (site / edition).glob("*.html"):
            if page.name in {"search.html", "genindex.html"}:
                continue
            assert f"{notebooks.NOTEBOOKS}/{archive.name}" in page.read_text(encoding="utf-8"), page
