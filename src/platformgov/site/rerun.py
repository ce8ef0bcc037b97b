"""Sphinx side of :mod:`platformgov.pagedeps`: re-execute exactly the pages whose inputs changed.

- ``builder-inited``: tell the kernels where this edition's records live.
- ``source-read``: tell the kernel that is about to start which page it runs.
- ``env-get-outdated``: every page whose record no longer matches the files is dropped from
  MyST-NB's execution cache and re-read, so it executes again; the others keep their outputs.

Because it lives in the extension, the plain ``jupyter-book build book/<edition>`` gets it too.
"""

from __future__ import annotations

import os
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from platformgov import pagedeps

logger = logging.getLogger(__name__)


def records_folder(app: Sphinx) -> Path:
    return Path(app.doctreedir).parent / "page-records"


def cache_folder(app: Sphinx) -> Path:
    configured = getattr(app.config, "nb_execution_cache_path", "") or ""
    return Path(configured) if configured else Path(app.outdir).parent / ".jupyter_cache"


def drop_from_execution_cache(app: Sphinx, sources: list[Path]) -> None:
    """Remove the cached outputs of ``sources`` from MyST-NB's jupyter-cache, if it exists."""
    folder = cache_folder(app)
    if not folder.exists() or not sources:
        return
    from jupyter_cache import get_cache

    wanted = {str(p.resolve()) for p in sources}
    cache = get_cache(folder)
    for record in cache.list_cache_records():
        if record.uri and str(Path(record.uri).resolve()) in wanted:
            cache.remove_cache(record.pk)


def on_builder_inited(app: Sphinx) -> None:
    os.environ[pagedeps.RECORDS_ENV] = str(records_folder(app))


def on_source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    os.environ[pagedeps.PAGE_ENV] = docname


def on_env_get_outdated(app, env, added, changed, removed) -> list[str]:
    folder = records_folder(app)
    stale = pagedeps.stale_pages(folder, pages=env.found_docs)
    for page, inputs in stale.items():
        shown = ", ".join(_short(app, p) for p in inputs[:3]) + (" …" if len(inputs) > 3 else "")
        logger.info(f"platformgov: {page} re-executes: {shown} changed")
        pagedeps.forget(folder, page)
    drop_from_execution_cache(app, [Path(env.doc2path(page)) for page in stale])
    return sorted(stale)


def _short(app: Sphinx, path: str) -> str:
    root = Path(app.srcdir).resolve().parents[1]
    try:
        return Path(path).relative_to(root).as_posix()
    except ValueError:
        return path


def setup(app: Sphinx) -> None:
    app.connect("builder-inited", on_builder_inited)
    app.connect("source-read", on_source_read)
    app.connect("env-get-outdated", on_env_get_outdated)
