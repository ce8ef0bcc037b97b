"""Print build and size figures for the book. Figures only: nothing here passes or fails.

    .venv/bin/python benchmarks/build.py [--skip-clean] [--skip-floor] [--lighthouse] [--skip-validate]

The site is built in a temporary copy of the repository (its tracked and untracked files, and a
link to node_modules), so the working tree is never changed. Each build runs as
``python -m platformgov build`` in its own process; wall time and CPU time (user + system of
the build and everything it starts) are printed as soon as each build ends.

- the floor book: as many executed pages per edition as the book has, each importing pandas,
  statsmodels and seaborn and drawing one chart, built like the editions (two books side by
  side, strict flags, execution cache); what any book of that size costs;
- clean build of both editions (fresh output folder, fresh results cache in
  ``PLATFORMGOV_CACHE``), and its ratio to the floor book (target: 1.5 at most);
- no-change rebuild, and the pages it re-executed in each edition;
- rebuild after changing ``src/platformgov/figures/maps.py``, and the pages it re-executed;
- the PDF of each edition (Chromium printing the built pages), timed apart: the builds above
  run with ``PLATFORMGOV_PDF=0``;
- time of the specification curve and the Monte Carlo study, where those modules exist;
- site size, and each chapter's page weight (HTML + images);
- with --skip-clean: no clean builds (neither site nor floor book); the copy starts from the
  working tree's ``_build`` (execution cache and cached results), and its first build, which
  re-reads every page in its new place, is timed instead;
- with --skip-floor: no floor book, hence no ratios;
- time and peak memory of validating a 200 MB survey CSV (``benchmarks/validate.py``), unless
  --skip-validate;
- with --lighthouse: Lighthouse scores per chapter page (needs npm's lighthouse and Chromium).
  Set PLATFORMGOV_SITE_URL to build the site as for publication: its hreflang links are then
  absolute, which Lighthouse's SEO audit requires (see the README, "Publishing the site").
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from platformgov.site import slim  # noqa: E402
from platformgov.site.serve import COMPRESSIBLE  # noqa: E402
from platformgov.site.sphinxext import EDITIONS  # noqa: E402

#: The flags of the site's ``jupyter-book build`` (``platformgov.site.build``) for a clean build.
STRICT_FLAGS = ("--builder", "html", "-W", "-n", "--keep-going", "--all")
TOUCHED = Path("src/platformgov/figures/maps.py")
TARGET_RATIO = 1.5


def timed(label: str, func) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        func()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:8.1f} s", flush=True)
    return seconds


# --- pages and build logs --------------------------------------------------------------------


def executed_pages(root: Path = ROOT) -> dict[str, list[str]]:
    """Each edition's pages in ``_toc.yml`` that are notebooks, hence executed by the build."""
    from myst_nb.core.read import is_myst_markdown_notebook
    from sphinx_external_toc.parsing import parse_toc_yaml

    docnames = list(parse_toc_yaml(root / "_toc.yml").keys())
    pages = {}
    for edition in EDITIONS:
        folder = root / "book" / edition
        pages[edition] = [
            name
            for name in docnames
            if (folder / f"{name}.ipynb").exists()
            or (
                (folder / f"{name}.md").exists()
                and is_myst_markdown_notebook((folder / f"{name}.md").read_text(encoding="utf-8"))
            )
        ]
    return pages


ANSI = re.compile(r"\x1b\[[0-9;]*m")
EXECUTING = re.compile(r"^(.+?): Executing notebook\b", re.MULTILINE)


def reexecuted_pages(log: str) -> list[str]:
    """Names of the pages that MyST-NB executed, in the order of a build log."""
    return [Path(path).stem for path in EXECUTING.findall(ANSI.sub("", log))]


# --- the floor book --------------------------------------------------------------------------

FLOOR_PAGE = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# Page {page} of book {book}

```{{code-cell}} ipython3
import numpy as np
import pandas as pd
import seaborn as sns
import statsmodels.formula.api as smf

PAGE = {page}
rng = np.random.default_rng(PAGE)
frame = pd.DataFrame({{"x": rng.normal(size=200)}})
frame["y"] = PAGE * frame["x"] + rng.normal(size=200)
fit = smf.ols("y ~ x", data=frame).fit()
ax = sns.regplot(data=frame, x="x", y="y")
ax.set_title(f"{book}, page {{PAGE}}: slope {{fit.params['x']:.2f}}");
```
"""


def write_floor_book(folder: Path, pages: int, book: str) -> list[Path]:
    """Write a book of ``pages`` notebook pages with its ``_config.yml`` and ``_toc.yml``.

    Every page's code differs (its page number and book name), so that the execution cache
    cannot reuse one page for another. The execution settings are the site's.
    """
    folder.mkdir(parents=True, exist_ok=True)
    site_config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    config = {
        "title": f"Floor book {book}",
        "only_build_toc_files": True,
        "execute": {**site_config["execute"], "execute_notebooks": "cache"},
    }
    (folder / "_config.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    names = [f"page{n:02d}" for n in range(1, pages + 1)]
    toc = {"format": "jb-book", "root": names[0], "chapters": [{"file": n} for n in names[1:]]}
    (folder / "_toc.yml").write_text(yaml.safe_dump(toc, sort_keys=False), encoding="utf-8")
    written = []
    for number, name in enumerate(names, start=1):
        path = folder / f"{name}.md"
        path.write_text(FLOOR_PAGE.format(page=number, book=book), encoding="utf-8")
        written.append(path)
    return written


def floor_command(source: Path, out: Path) -> list[str]:
    return [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(source),
        "--config",
        str(source / "_config.yml"),
        "--toc",
        str(source / "_toc.yml"),
        "--path-output",
        str(out),
        *STRICT_FLAGS,
    ]


# --- timed builds ----------------------------------------------------------------------------


def run_builds(jobs: list[tuple[list[str], Path]], *, cwd: Path, env: dict) -> tuple[float, float]:
    """Run ``(command, log)`` jobs side by side; return wall and CPU seconds (user + system of
    the processes and all they started). Raise ``SystemExit`` if one fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    running = []
    for command, log in jobs:
        sink = log.open("w", encoding="utf-8")
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=subprocess.STDOUT)
        running.append((process, sink, log))
    failed = []
    for process, sink, log in running:
        if process.wait() != 0:
            failed.append(log)
        sink.close()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    for log in failed:
        print(log.read_text(encoding="utf-8", errors="replace")[-4000:], file=sys.stderr)
    if failed:
        raise SystemExit(f"build failed: see {', '.join(map(str, failed))}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def print_times(label: str, wall: float, cpu: float) -> None:
    print(f"{label:<48} wall {wall:7.1f} s   CPU {cpu:7.1f} s", flush=True)


def forget_logs(out: Path) -> None:
    """Remove the editions' build logs, so that a build that starts no Sphinx leaves none."""
    for edition in EDITIONS:
        (out / edition / "build.log").unlink(missing_ok=True)


def print_reexecuted(out: Path) -> None:
    for edition in EDITIONS:
        path = out / edition / "build.log"
        if not path.exists():
            print(f"  re-executed, {edition}: none (Sphinx did not start)", flush=True)
            continue
        log = path.read_text(encoding="utf-8", errors="replace")
        print(f"  re-executed, {edition}: {', '.join(reexecuted_pages(log)) or 'none'}", flush=True)


def build_floor(tmp: Path) -> tuple[float, float]:
    pages = executed_pages()
    jobs = []
    for edition in EDITIONS:
        source = tmp / "floor" / edition
        write_floor_book(source, len(pages[edition]), edition)
        out = tmp / "floor-out" / edition
        out.mkdir(parents=True)
        jobs.append((floor_command(source, out), out / "build.log"))
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    wall, cpu = run_builds(jobs, cwd=tmp, env=env)
    counts = " + ".join(str(len(pages[e])) for e in EDITIONS)
    print_times(f"clean build, floor book ({counts} pages)", wall, cpu)
    return wall, cpu


def copy_repository(target: Path) -> None:
    """Copy the working tree's files that git tracks or would track, and link node_modules."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in sorted(set(filter(None, listed.split("\0")))):
        source = ROOT / name
        if name == "node_modules" or not source.is_file():
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    if (ROOT / "node_modules").exists():
        (target / "node_modules").symlink_to((ROOT / "node_modules").resolve())


def size_of(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def page_weight(page: Path) -> int:
    html = page.read_text(encoding="utf-8")
    total = page.stat().st_size
    for src in set(re.findall(r'<img[^>]+src="([^"]+)"', html)):
        target = (page.parent / src.split("?")[0]).resolve()
        if target.exists():
            total += target.stat().st_size
    return total


LOADED = re.compile(
    r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="(?:stylesheet|preload|icon)"[^>]*\bhref="([^"]+)"'
)


def transfer_weight(page: Path) -> int:
    """What a first visit downloads for the page as the gzip server sends it: HTML, scripts,
    style sheets and images (fonts that the style sheets load are not counted)."""
    total = len(gzip.compress(page.read_bytes(), compresslevel=6))
    html = page.read_text(encoding="utf-8")
    seen = set()
    for match in LOADED.finditer(html):
        url = (match.group(1) or match.group(2)).split("?")[0]
        if url.startswith(("http:", "https:", "data:", "//")):
            continue
        target = (page.parent / url).resolve()
        if target in seen or not target.is_file():
            continue
        seen.add(target)
        data = target.read_bytes()
        total += (
            len(gzip.compress(data, compresslevel=6))
            if target.suffix in COMPRESSIBLE
            else len(data)
        )
    return total


def report_sizes(site: Path) -> None:
    print(f"{'site size (both editions)':<48} {size_of(site) / 1e6:8.1f} MB")
    print(f"{'page weight: HTML + images, raw | all a first visit loads, gzip | CSS, raw':<48}")
    for edition in EDITIONS:
        for page in sorted((site / edition).glob("*.html")):
            if page.name in {"genindex.html", "search.html"}:
                continue
            label = f"  {edition}/{page.name}"
            print(
                f"{label:<48} {page_weight(page) / 1e3:8.0f} kB | "
                f"{transfer_weight(page) / 1e3:6.0f} kB | "
                f"{slim.stylesheet_bytes(page) / 1e3:4.0f} kB",
                flush=True,
            )


def benchmark_specification_curve():
    """The chapter's full specification curve, inputs read and curve computed afresh (no cache)."""
    from platformgov.analysis import speccurve
    from platformgov.inputs.registry import load_registry
    from platformgov.inputs.survey import load_survey

    return speccurve.specification_curve(speccurve.outcome_frame(load_survey(), load_registry()))


def benchmark_simulation():
    """The chapter's full Monte Carlo study, inputs read and study computed afresh (no cache)."""
    from platformgov.analysis import simulation, speccurve
    from platformgov.inputs.registry import load_registry
    from platformgov.inputs.survey import load_survey

    registry = load_registry()
    return simulation.simulate(speccurve.outcome_frame(load_survey(), registry), registry)


def report_pdfs(copy: Path, site: Path, env: dict) -> None:
    """Time the PDFs of both editions, printed from the built site as ``make site`` does."""
    code = (
        "import sys; from pathlib import Path; from platformgov.site import build; "
        "build.make_pdfs(Path(sys.argv[1]))"
    )
    command = [sys.executable, "-c", code, str(site)]
    timed("PDFs of both editions (apart from the HTML)", lambda: _run(command, copy, env))
    for edition in EDITIONS:
        pdf = site / edition / f"platformgov-{edition}.pdf"
        print(f"{f'PDF size, {edition}':<48} {pdf.stat().st_size / 1e6:8.1f} MB", flush=True)


def _run(command: list[str], cwd: Path, env: dict) -> None:
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)


def report_studies() -> None:
    timed("specification curve", benchmark_specification_curve)
    timed("simulation", benchmark_simulation)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-clean",
        action="store_true",
        help="no clean builds: start from the working tree's _build",
    )
    parser.add_argument("--skip-floor", action="store_true", help="do not build the floor book")
    parser.add_argument("--lighthouse", action="store_true", help="also print Lighthouse scores")
    parser.add_argument(
        "--skip-validate", action="store_true", help="do not time validating a 200 MB CSV"
    )
    args = parser.parse_args()
    os.environ.pop("PLATFORMGOV_SURVEY", None)
    tmp = Path(tempfile.mkdtemp(prefix="pg-bench-"))
    try:
        copy = tmp / "repository"
        copy_repository(copy)
        out = copy / "_build"
        # The builds import the copy's package, whatever PYTHONPATH this script was given.
        # The HTML builds are timed without the PDFs, which are timed apart (report_pdfs).
        env = {**os.environ, "PYTHONPATH": str(copy / "src"), "PLATFORMGOV_PDF": "0"}
        if args.skip_clean:
            if (ROOT / "_build").is_dir():
                shutil.copytree(ROOT / "_build", out, symlinks=True)
        else:
            env["PLATFORMGOV_CACHE"] = str(tmp / "results-cache")
            (tmp / "results-cache").mkdir()
        logs = tmp / "logs"
        logs.mkdir()

        def build(label: str) -> tuple[float, float]:
            command = [sys.executable, "-m", "platformgov", "build", "--out", str(out)]
            log = logs / f"{len(list(logs.iterdir())):02d}.log"
            wall, cpu = run_builds([(command, log)], cwd=copy, env=env)
            print_times(label, wall, cpu)
            return wall, cpu

        if args.skip_clean:
            build("first build from the working tree's _build")
            print_reexecuted(out)
        else:
            floor = None if args.skip_floor else build_floor(tmp)
            site = build("clean build, site (both editions)")
            if floor is not None:
                print(
                    f"{'ratio site / floor book':<48} wall {site[0] / floor[0]:7.2f} ×   "
                    f"CPU {site[1] / floor[1]:7.2f} ×   (target ≤ {TARGET_RATIO} ×)",
                    flush=True,
                )
        forget_logs(out)
        build("no-change rebuild")
        print_reexecuted(out)
        with (copy / TOUCHED).open("a", encoding="utf-8") as module:
            module.write("# changed by benchmarks/build.py\n")
        forget_logs(out)
        build(f"rebuild after changing {TOUCHED.name}")
        print_reexecuted(out)
        report_pdfs(copy, out / "site", env)
        report_studies()
        report_sizes(out / "site")
        if not args.skip_validate:
            from validate import report_validation  # benchmarks/validate.py

            (tmp / "validate").mkdir()
            report_validation(tmp / "validate")
        if args.lighthouse:
            from platformgov.site import lighthouse

            lighthouse.report(out / "site")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
