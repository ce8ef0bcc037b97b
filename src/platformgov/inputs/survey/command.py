"""The ``validate`` command."""

from __future__ import annotations

import argparse
from pathlib import Path

from platformgov import paths
from platformgov.inputs.survey.files import failure_reason
from platformgov.inputs.survey.load import validate
from platformgov.inputs.survey.report import ValidationReport
from platformgov.inputs.survey.sources import table_of_stem

#: Errors (and warnings) printed per survey by default; the rest go to the report file.
MAX_PRINTED = 50
#: Where the full report is written when the printed one is cut short (and no --report given).
DEFAULT_REPORT = paths.ROOT / "_build" / "validation-report.txt"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="survey folders, workbooks or table files (default: $PLATFORMGOV_SURVEY, "
        "else the synthetic data); table files given together are checked together",
    )
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="list every normalised value (by default they are counted, with examples)",
    )
    parser.add_argument(
        "--max-errors",
        type=int,
        default=MAX_PRINTED,
        metavar="N",
        help=f"print at most N errors and N warnings per survey (default {MAX_PRINTED}; "
        "0: all of them); the full report is then written to the report file",
    )
    parser.add_argument(
        "--report",
        type=Path,
        metavar="FILE",
        help="write the full report to FILE (by default it is written, to "
        "_build/validation-report.txt, only when the printed one is cut short)",
    )


def _groups(args_paths: list[Path]) -> list[list[Path]]:
    """Folders and workbooks of several tables stand alone; loose table files form one group
    unless two of them claim the same table, in which case each is checked on its own."""
    groups: list[list[Path]] = []
    loose: list[Path] = []
    for p in args_paths:
        if p.is_dir() or table_of_stem(p) is None:
            groups.append([p])
        else:
            loose.append(p)
    if loose:
        tables = [table_of_stem(p) for p in loose]
        if len(set(tables)) == len(tables):
            groups.append(loose)
        else:
            groups.extend([p] for p in loose)
    return groups


def write_report(path: Path, reports: list[ValidationReport | str]) -> str | None:
    """Write every report in full, line by line; return why it could not be written, or None."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8") as out:
            for i, report in enumerate(reports):
                out.write("\n" if i else "")
                lines = [report] if isinstance(report, str) else report.full_lines()
                out.writelines(line + "\n" for line in lines)
    except OSError as exc:
        return failure_reason(exc)
    return None


def run(args: argparse.Namespace) -> int:
    targets = list(args.paths) or [paths.survey_source()]
    limit = args.max_errors if args.max_errors > 0 else None
    report_file = (args.report or DEFAULT_REPORT).resolve()
    status = 0
    done: list[ValidationReport | str] = []
    cut = False
    for i, group in enumerate(_groups(targets)):
        if i:
            print()
        try:
            report = validate(group)
        except Exception as exc:  # the command ends with a message, never a traceback
            text = f"error: could not validate {', '.join(map(str, group))}: {failure_reason(exc)}"
            print(text, flush=True)
            done.append(text)
            status = max(status, 2)
            continue
        done.append(report)
        cut = cut or report.truncated(limit, all_normalisations=args.verbose)
        for line in report.lines(
            all_normalisations=args.verbose, limit=limit, full_report=report_file
        ):
            print(line)
        if not report.ok:
            status = max(status, 1)
    if cut or args.report is not None:
        problem = write_report(report_file, done)
        if problem:
            print(f"error: could not write the full report to {report_file}: {problem}")
            status = max(status, 2)
        else:
            print(f"The full report is in {report_file}")
    return status
