"""The ``validate`` command."""

from __future__ import annotations

import argparse
from pathlib import Path

from platformgov import paths
from platformgov.inputs.survey.load import validate
from platformgov.inputs.survey.sources import table_of_stem


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


def run(args: argparse.Namespace) -> int:
    targets = list(args.paths) or [paths.survey_source()]
    status = 0
    for i, group in enumerate(_groups(targets)):
        if i:
            print()
        try:
            report = validate(group)
        except Exception as exc:  # the command must end with a message, never a traceback
            print(f"error: could not validate {', '.join(map(str, group))}: {exc}")
            status = max(status, 2)
            continue
        print(report.to_text(all_normalisations=args.verbose))
        if not report.ok:
            status = max(status, 1)
    return status
