"""Print build and size figures for the book. Figures only: nothing here passes or fails.

    .venv/bin/python benchmarks/build.py [--skip-clean] [--lighthouse]

- clean build time of both editions (fresh folder, every notebook executed);
- no-change rebuild time (nothing executed);
- rebuild time after touching a file in src/ (every notebook re-executed);
- time of the specification curve and the Monte Carlo study, where those modules exist;
- site size, and each chapter's page weight (HTML + images);
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
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from platformgov.site import build  # noqa: E402
from platformgov.site.serve import COMPRESSIBLE  # noqa: E402
from platformgov.site.sphinxext import EDITIONS  # noqa: E402


def timed(label: str, func) -> float:
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        func()
    seconds = time.perf_counter() - started
    print(f"{label:<48} {seconds:8.1f} s", flush=True)
    return seconds


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
    print(f"{'page weight: HTML + images, raw | all a first visit loads, gzip':<48}")
    for edition in EDITIONS:
        for page in sorted((site / edition).glob("*.html")):
            if page.name in {"genindex.html", "search.html"}:
                continue
            label = f"  {edition}/{page.name}"
            print(
                f"{label:<48} {page_weight(page) / 1e3:8.0f} kB | "
                f"{transfer_weight(page) / 1e3:6.0f} kB",
                flush=True,
            )


def report_studies() -> None:
    try:
        from platformgov.analysis import robustness
    except ImportError:
        print("robustness module not present: no timing of the specification curve or simulation")
        return
    for name in ("benchmark_specification_curve", "benchmark_simulation"):
        func = getattr(robustness, name, None)
        if func is not None:
            timed(name.replace("benchmark_", "").replace("_", " "), func)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--skip-clean", action="store_true", help="reuse _build instead of a fresh folder"
    )
    parser.add_argument("--lighthouse", action="store_true", help="also print Lighthouse scores")
    args = parser.parse_args()
    os.environ.pop("PLATFORMGOV_SURVEY", None)
    out = ROOT / "_build" if args.skip_clean else Path(tempfile.mkdtemp(prefix="pg-bench-"))
    try:
        if not args.skip_clean:
            timed("clean build, both editions", lambda: build.build_site(out))
        timed("no-change rebuild, both editions", lambda: build.build_site(out))
        probe = ROOT / "src" / "platformgov" / "__init__.py"
        original = probe.read_bytes()
        try:
            probe.write_bytes(original + b"\n")
            timed("rebuild after touching a file in src/", lambda: build.build_site(out))
        finally:
            probe.write_bytes(original)
        report_studies()
        report_sizes(out / "site")
        if args.lighthouse:
            from platformgov.site import lighthouse

            lighthouse.report(out / "site")
    finally:
        if not args.skip_clean:
            shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
