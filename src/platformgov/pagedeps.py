"""What each page's execution read, so that a rebuild re-executes exactly the pages it must.

MyST-NB's execution cache keys a page on its code cells only: an edit of a module the page
imports, or of a data file it reads, would leave its cached outputs stale. So while a page
executes, its kernel records every project file it read — the modules it imported and the
files it opened, each with a SHA-256 of its content — together with the environment variables
that choose its inputs. Before the next build reads its sources, :func:`stale_pages` compares
each record with the files as they are now; the Sphinx extension then drops those pages from
the execution cache and has Sphinx re-read them. A page whose record still holds is never
re-executed; a page that read a changed file always is.

Files count as the project's when they lie outside the Python installation (the standard
library and installed packages are pinned by ``requirements.txt``, which every record holds):
the editable ``platformgov`` package, the repository's data and the survey file.

Both sides meet through two environment variables, set by the Sphinx extension: ``RECORDS``
(the folder of one edition's records) and ``PAGE`` (the page being read, set just before its
kernel starts).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

from platformgov import paths

RECORDS_ENV = "PLATFORMGOV_PAGE_RECORDS"
PAGE_ENV = "PLATFORMGOV_PAGE"
#: Inputs of every page, whatever it reads: the pinned packages.
ALWAYS = ("requirements.txt", "package-lock.json")
#: Environment variables that choose what a page reads.
CHOOSERS = (paths.SURVEY_ENV, paths.MAPPING_ENV)
_SKIP_PARTS = {"_build", ".git", "node_modules", "__pycache__", ".ipynb_checkpoints"}


def digest(path: Path) -> str | None:
    """SHA-256 of the file's content, or None if it no longer exists."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _installed_roots() -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    return tuple(sorted({os.path.join(f(r), "") for r in roots for f in (str, os.path.realpath)}))


def is_project_file(path: str | os.PathLike, installed: tuple[str, ...] | None = None) -> bool:
    """True for a regular file that belongs to the project rather than to the installation."""
    real = os.path.realpath(path)
    installed = _installed_roots() if installed is None else installed
    if real.startswith(installed) or real.startswith(("/proc/", "/dev/", "/sys/")):
        return False
    if _SKIP_PARTS.intersection(Path(real).parts):
        return False
    return os.path.isfile(real)


class Recorder:
    """Collects the project files one kernel reads and writes them as the page's record."""

    def __init__(self, page: str, folder: Path):
        self.page = page
        self.target = Path(folder) / f"{page}.json"
        self.installed = _installed_roots()
        self.files: dict[str, str | None] = {}
        self.written: set[str] = set()
        self.seen: set[str] = set()
        for name in ALWAYS:
            self.add(paths.ROOT / name)

    def add(self, path: str | os.PathLike) -> None:
        real = os.path.realpath(path)
        if real in self.files or not is_project_file(real, self.installed):
            return
        # Hashing opens the file, which calls the audit hook again: claim the path first.
        self.files[real] = None
        self.files[real] = digest(Path(real))

    def audit(self, event: str, args: tuple) -> None:
        # "open" is raised for every file opened through Python, imports included.
        if event != "open" or not isinstance(args[0], str | bytes | os.PathLike):
            return
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(self.installed):
            return
        mode, flags = (*args[1:], None, None)[:2]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writes:
            # A file the page writes itself (a temporary copy, say) is not one of its inputs.
            self.written.add(os.path.realpath(path))
            self.files.pop(os.path.realpath(path), None)
        elif os.path.realpath(path) not in self.written:
            self.add(path)

    def modules(self) -> None:
        # Only modules imported since the last call: a kernel holds thousands.
        for name in sys.modules.keys() - self.seen:
            self.seen.add(name)
            path = getattr(sys.modules.get(name), "__file__", None)
            if path and not path.startswith(self.installed):
                self.add(path)

    def write(self, *_args) -> None:
        self.modules()
        for path in self.written:
            self.files.pop(path, None)
        record = {
            "page": self.page,
            "files": dict(sorted(self.files.items())),
            "env": {name: os.environ.get(name, "") for name in CHOOSERS},
        }
        self.target.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.target.with_name(f".{self.target.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, self.target)


_RECORDER: Recorder | None = None


def start_recording(page: str | None = None, folder: str | os.PathLike | None = None):
    """Record what this kernel reads, if the build asked for it (``RECORDS`` and ``PAGE`` set).

    Called when a chapter imports :mod:`platformgov.chapters.book`; does nothing outside a
    build (a reader's Jupyter) or outside IPython. Returns the recorder, or None.
    """
    global _RECORDER
    page = page or os.environ.get(PAGE_ENV)
    folder = folder or os.environ.get(RECORDS_ENV)
    if _RECORDER is not None or not page or not folder:
        return _RECORDER
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with every kernel
        return None
    shell = get_ipython()
    if shell is None:
        return None
    _RECORDER = Recorder(page, Path(folder))
    sys.addaudithook(_RECORDER.audit)
    _RECORDER.write()
    shell.events.register("post_run_cell", _RECORDER.write)
    return _RECORDER


def read_records(folder: Path) -> dict[str, dict]:
    """The records of one edition, by page."""
    out = {}
    for path in sorted(Path(folder).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        out[record["page"]] = record
    return out


def changed_inputs(record: Mapping, now: dict[str, str | None] | None = None) -> list[str]:
    """The files (and choosing variables) of ``record`` that differ from the current state.

    ``now`` caches current digests across records, so a file read by many pages is hashed once.
    """
    now = {} if now is None else now
    changed = []
    for path, recorded in record["files"].items():
        if path not in now:
            now[path] = digest(Path(path))
        if now[path] != recorded:
            changed.append(path)
    for name, value in record.get("env", {}).items():
        if os.environ.get(name, "") != value:
            changed.append(f"${name}")
    return changed


def stale_pages(folder: Path, pages: Iterable[str] | None = None) -> dict[str, list[str]]:
    """``{page: [changed inputs]}`` for every recorded page whose inputs changed since it ran."""
    records = read_records(folder)
    wanted = set(records) if pages is None else set(pages) & set(records)
    now: dict[str, str | None] = {}
    out = {}
    for page in sorted(wanted):
        changed = changed_inputs(records[page], now)
        if changed:
            out[page] = changed
    return out


def forget(folder: Path, page: str) -> None:
    (Path(folder) / f"{page}.json").unlink(missing_ok=True)
