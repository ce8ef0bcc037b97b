"""Results that take seconds, computed once and shared by both editions and the tests.

:func:`shared` wraps a pure function of its arguments with :class:`joblib.Memory`: the result
is stored on disk under a hash of the arguments (DataFrames by content) and of the function's
code, and of everything else that decides the numbers: the code of ``analysis/`` and
``inputs/``, the synthetic parameters and the pinned requirements (:func:`code_version`). A
file lock around each call makes a second caller — the other edition, built at the same time
— wait for the first and then read its result instead of computing it again.

The cache lives in ``$PLATFORMGOV_CACHE``, else in the repository's ``_build/cache``, else (the
package installed outside a repository) in the user's cache folder; deleting it only costs time.
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import joblib
from filelock import FileLock

from platformgov import paths

CACHE_ENV = "PLATFORMGOV_CACHE"
#: What the cached numbers depend on besides their arguments.
CODE_FOLDERS = ("analysis", "inputs")
SETTINGS = ("data/synthetic_params.toml", "data/codebook.csv", "requirements.txt")

T = TypeVar("T")


def location() -> Path:
    value = os.environ.get(CACHE_ENV, "").strip()
    if value:
        return Path(value).expanduser().resolve()
    if paths.IN_REPOSITORY:
        return paths.ROOT / "_build" / "cache"
    user = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(user) if user else Path.home() / ".cache") / "platformgov"


@functools.cache
def code_version(root: Path = paths.ROOT) -> str:
    """A SHA-256 of the analysis code, the synthetic parameters, the codebook and the pins."""
    digest = hashlib.sha256()
    # The package's source in the repository, or the installed package itself.
    package = root / "src" / "platformgov" if (root / "src").is_dir() else root
    files = sorted(p for folder in CODE_FOLDERS for p in (package / folder).rglob("*.py"))
    for path in [*files, *(root / name for name in SETTINGS)]:
        if path.exists():
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _call(name: str, version: str, args: tuple, kwargs: dict, func: Callable):
    # joblib keys the result on everything but ``func``, which ``name`` stands for.
    return func(*args, **kwargs)


def shared(func: Callable[..., T]) -> Callable[..., T]:
    """``func`` computed once per distinct input, on disk, and never twice at the same time."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs) -> T:
        folder = location()
        folder.mkdir(parents=True, exist_ok=True)
        memory = joblib.Memory(folder / "joblib", verbose=0)
        name = f"{func.__module__}.{func.__qualname__}"
        with FileLock(folder / f"{name}.lock"):
            return memory.cache(_call, ignore=["func"])(name, code_version(), args, kwargs, func)

    wrapper.uncached = func
    return wrapper
