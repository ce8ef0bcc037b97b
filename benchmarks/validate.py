"""Print the time and peak memory of validating a large survey file. Figures only: nothing here
passes or fails.

    .venv/bin/python benchmarks/validate.py [--megabytes 200]

The file is ``platforms.csv`` written from the synthetic survey's platform rows, repeated until
it reaches the size asked for (about 2.2 million rows for 200 MB). Platform ids repeat every
100,000 rows, so every row is rejected as a duplicate: the worst case for the validator, which
reports one error per row and writes them all to the full report (keeping only the first
``report.KEPT`` of them in memory). ``python -m platformgov validate`` runs in its own process;
its wall time and peak resident memory are printed, with the rows it read.

A second case reads a wide CSV in its holder's layout through a mapping (the layout of the
tests' ``WIDE_MAPPING``; 100,000 holder rows unless ``--wide-rows`` says otherwise), every
row of which is rejected.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC_PLATFORMS = ROOT / "data" / "synthetic" / "platforms.csv"


def write_large_csv(path: Path, megabytes: float) -> int:
    """Write a platforms table of about ``megabytes`` MB; return its number of data rows."""
    lines = SYNTHETIC_PLATFORMS.read_text(encoding="utf-8").splitlines()
    header, body = lines[0], [line.split(",", 1)[1] for line in lines[1:] if line.strip()]
    target = int(megabytes * 1024 * 1024)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        written = out.write(header + "\n")
        while written < target:
            line = f"P{rows % 100_000:05d},{body[rows % len(body)]}\n"
            written += len(line.encode("utf-8"))
            out.write(line)
            rows += 1
    return rows


def measure(path: Path, report: Path) -> tuple[float, float, str]:
    """Validate ``path`` in a process of its own: (seconds, peak memory in MB, its summary line)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "platformgov", "validate", str(path), "--report", str(report)]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    lines = process.stdout.read().splitlines()
    _, _, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = 0  # reaped by wait4 above
    summary = next((line.strip() for line in lines if re.search(r"rows read =", line)), "")
    return seconds, usage.ru_maxrss / 1024, summary


def report_validation(folder: Path, megabytes: float = 200) -> None:
    path = folder / "platforms.csv"
    rows = write_large_csv(path, megabytes)
    size = path.stat().st_size / 1024 / 1024
    seconds, peak, summary = measure(path, folder / "validation-report.txt")
    label = f"validate a {size:.0f} MB CSV ({rows:,} rows)"
    print(f"{label:<48} {seconds:8.1f} s   peak memory {peak:7.0f} MB", flush=True)
    print(f"  {summary}", flush=True)


def report_wide(folder: Path, rows: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from factories import write_large_wide_csv

    survey = write_large_wide_csv(folder / "wide", rows)
    size = (survey / "wide.csv").stat().st_size / 1024 / 1024
    seconds, peak, summary = measure(survey, folder / "wide-report.txt")
    label = f"validate a {size:.0f} MB wide CSV via mapping ({rows:,} rows)"
    print(f"{label:<48} {seconds:8.1f} s   peak memory {peak:7.0f} MB", flush=True)
    print(f"  {summary}", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=200, help="size of the file (MB)")
    parser.add_argument(
        "--wide-rows", type=int, default=100_000, help="holder rows of the wide CSV"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pg-bench-validate-") as tmp:
        report_validation(Path(tmp), args.megabytes)
        report_wide(Path(tmp), args.wide_rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
