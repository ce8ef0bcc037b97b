"""Lighthouse scores of the built site's chapter pages, desktop and mobile. Figures only.

``python -m platformgov.site.lighthouse _build/site [--pages index taxonomy] [--editions ko]``, or
``make lighthouse``; ``benchmarks/build.py --lighthouse`` calls :func:`report`. The site is
served with gzip on 127.0.0.1 (:mod:`platformgov.site.serve`), as a real host would serve it, and
npm's ``lighthouse`` (pinned in ``package.json``) drives Debian's Chromium. Each run takes
10–20 s; the scores are printed next to their targets and never asserted, because a
performance score depends on the machine that measures it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from platformgov.site import browser, serve
from platformgov.site.sphinxext import EDITIONS

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}
FORM_FACTORS = ("desktop", "mobile")
TARGETS = {
    "desktop": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
    "mobile": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
}
HREFLANG_HINT = (
    "hreflang: search engines accept only absolute links between the editions; build the site "
    "with its address (PLATFORMGOV_SITE_URL=https://… make site; see the README)."
)
# Pages that are not chapters: the theme's index and search pages.
NOT_CHAPTERS = {"genindex", "search"}


@dataclass
class Result:
    page: str
    form_factor: str
    scores: dict[str, int | None] = field(default_factory=dict)
    failing: list[str] = field(default_factory=list)  # audits that cost points, with values
    error: str = ""


def chapter_pages(site: Path, editions=EDITIONS, names=None) -> list[str]:
    """``edition/page.html`` for every chapter page (optionally only the given page names)."""
    found = []
    for edition in editions:
        for page in sorted((site / edition).glob("*.html")):
            if page.stem in NOT_CHAPTERS or (names and page.stem not in names):
                continue
            found.append(f"{edition}/{page.name}")
    return found


def lighthouse_command(url: str, form_factor: str, output: Path) -> list[str]:
    command = [
        str(browser.LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        "--quiet",
        f"--only-categories={','.join(CATEGORIES)}",
        # Lighthouse starts Chromium itself, with its own fresh profile.
        f"--chrome-flags={' '.join(browser.CHROME_FLAGS)}",
        "--max-wait-for-load=60000",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    return command


def failing_audits(lhr: dict) -> list[str]:
    """The audits that cost a category points: weighted, with a score below 1.

    Speed metrics (first contentful paint, …) rarely score a full 1: they are listed only when
    they are not "good" (below 0.9).
    """
    out = []
    for category in lhr["categories"].values():
        limit = 0.9 if category["id"] == "performance" else 1
        for ref in category["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < limit:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                out.append(f"{SHORT[category['id']]}: {ref['id']}{value}")
    return out


def run_one(base: str, page: str, form_factor: str, workdir: Path) -> Result:
    result = Result(page, form_factor)
    output = workdir / f"{page.replace('/', '-')}-{form_factor}.json"
    env = {**os.environ, "CHROME_PATH": browser.find_chromium() or ""}
    process = subprocess.run(
        lighthouse_command(f"{base}/{page}", form_factor, output),
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if process.returncode != 0 or not output.exists():
        lines = (process.stderr or process.stdout).strip().splitlines()
        result.error = lines[-1] if lines else f"lighthouse exited {process.returncode}"
        return result
    lhr = json.loads(output.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        result.error = lhr["runtimeError"].get("message", "runtime error")
    for name in CATEGORIES:
        score = lhr["categories"].get(name, {}).get("score")
        result.scores[name] = None if score is None else round(score * 100)
    result.failing = failing_audits(lhr)
    return result


def format_table(results: list[Result]) -> str:
    """Scores per page and form factor, each with its target; then what cost points."""
    width = max([len("page"), *(len(r.page) for r in results)])
    header = f"{'page':<{width}}  {'form':<7}" + "".join(f" {SHORT[c]:>9}" for c in CATEGORIES)
    lines = [header, "-" * len(header)]
    for form in FORM_FACTORS:
        targets = "".join(f" {'≥' + str(TARGETS[form][c]):>9}" for c in CATEGORIES)
        lines.append(f"{'target':<{width}}  {form:<7}{targets}")
    for r in results:
        if r.error and not r.scores:
            lines.append(f"{r.page:<{width}}  {r.form_factor:<7} error: {r.error}")
            continue
        cells = []
        for c in CATEGORIES:
            score = r.scores.get(c)
            mark = "" if score is None or score >= TARGETS[r.form_factor][c] else "*"
            cells.append(f" {('–' if score is None else str(score)) + mark:>9}")
        lines.append(f"{r.page:<{width}}  {r.form_factor:<7}" + "".join(cells))
    lines.append("* below target")
    costs = [(r, f) for r in results for f in r.failing]
    if costs:
        lines.append("")
        lines.append("audits that cost points:")
        lines += [f"  {r.page} {r.form_factor}: {f}" for r, f in costs]
    if any(f == "seo: hreflang" for _r, f in costs):
        lines.append(HREFLANG_HINT)
    return "\n".join(lines)


def report(site_dir: Path, *, editions=EDITIONS, pages=None) -> list[Result]:
    """Run Lighthouse on every chapter page of ``site_dir``, desktop and mobile; print a table."""
    site_dir = Path(site_dir)
    missing = browser.missing_tools(lighthouse=True)
    if missing:
        print("lighthouse: skipped, this machine lacks " + "; ".join(missing))
        return []
    server, base = serve.start(site_dir)
    results = []
    try:
        with tempfile.TemporaryDirectory(prefix="pg-lighthouse-") as workdir:
            for page in chapter_pages(site_dir, editions, pages):
                for form_factor in FORM_FACTORS:
                    results.append(run_one(base, page, form_factor, Path(workdir)))
    finally:
        server.shutdown()
    print(format_table(results), flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("_build/site"))
    parser.add_argument("--pages", nargs="*", help="page names without .html (default: all)")
    parser.add_argument("--editions", nargs="*", choices=EDITIONS, default=list(EDITIONS))
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        parser.error(f"{args.site}/index.html does not exist: run `make site` first")
    report(args.site, editions=tuple(args.editions), pages=args.pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
