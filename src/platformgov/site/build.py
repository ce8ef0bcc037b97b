"""Build both editions of the book and assemble the static site in ``_build/site``.

Each edition is built by ``jupyter-book build`` in its own process, strictly (``-W -n
--keep-going``: a warning or a failing cell fails the build). Nothing is rebuilt needlessly,
and nothing stale is published:

- If no input of the site changed since the last build (:func:`site_stamp`), the site is up to
  date and Sphinx does not start.
- A page re-executes only when its code cells changed (MyST-NB's execution cache) or when a
  file its last execution read changed (:mod:`platformgov.pagedeps`, checked by the Sphinx
  extension): editing one figure module re-executes the pages that draw with it.
- When what renders every page changed — the Sphinx extension, templates, styles, the
  configuration, the bibliography, the labels — every page is re-read (``--all``) from the
  execution cache, without executing again (:func:`render_stamp`).

Nothing is built from a survey that cannot be read: before any page runs, the survey is
validated (:func:`check_survey`) and the build stops with the validator's report. The site is
assembled beside the previous one and replaces it in one step; a build that fails or is
interrupted leaves the previous site as it was, and says so.
"""

from __future__ import annotations

import hashlib
import html
import os
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from platformgov.fingerprint import files_under as _files_under
from platformgov.fingerprint import fingerprint_inputs
from platformgov.paths import ROOT, SURVEY_ENV, survey_source
from platformgov.site import pdf
from platformgov.site.notebooks import REPOSITORY_ENV
from platformgov.site.sphinxext import EDITIONS, LANGUAGE_NAMES
from platformgov.site.sphinxext import site_url as published_address

#: What renders every page without being read by a page's kernel: a change re-reads every page.
RENDER_INPUTS = (
    "src/platformgov/site",
    "src/platformgov/labels.py",
    "src/platformgov/paths.py",
    "data/labels.csv",
    "book/_templates",
    "book/_static",
    "book/references.bib",
    "_config.yml",
    "_toc.yml",
    "requirements.txt",
    "package-lock.json",
)
RENDER_STAMP = ".platformgov-render"
SITE_STAMP = ".platformgov-site"
#: Environment variables that change what the build produces.
BUILD_ENV = (
    "PLATFORMGOV_SITE_URL",
    "PLATFORMGOV_SURVEY",
    "PLATFORMGOV_MAPPING",
    "PLATFORMGOV_REPOSITORY_URL",
    pdf.PDF_ENV,
)


def _digest(names_and_paths, extra: str = "") -> str:
    digest = hashlib.sha256(extra.encode())
    for name, path in names_and_paths:
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def render_stamp(root: Path = ROOT) -> str:
    """A SHA-256 of :data:`RENDER_INPUTS` and the addresses of the site and the repository."""
    root = Path(root)
    files = [
        (p.relative_to(root).as_posix(), p) for b in RENDER_INPUTS for p in _files_under(root / b)
    ]
    # Every page links to its edition's PDF unless PLATFORMGOV_PDF=0, and to the repository
    # when its address is set.
    addresses = (os.environ.get(name, "") for name in ("PLATFORMGOV_SITE_URL", REPOSITORY_ENV))
    return _digest(files, "\n".join([*addresses, str(pdf.pdf_enabled())]))


def site_stamp(root: Path = ROOT) -> str:
    """A SHA-256 of every input of the site: code, data, pages, configuration, pins, survey."""
    root = Path(root)
    files = [(p.relative_to(root).as_posix(), p) for p in _files_under(root / "book")]
    env = "\n".join(f"{name}={os.environ.get(name, '')}" for name in BUILD_ENV)
    return _digest([*files, *fingerprint_inputs(root)], env + "\n" + render_stamp(root))


#: What a build prints when a page's kernel lost the race for a free port.
KERNEL_RACE = ("Kernel died before replying to kernel_info", "Address already in use")


def _run_logged(
    command: list[str], root: Path, env: dict, log: Path, prefix: str
) -> tuple[int, bool]:
    """Run ``command``, echoing each line (after ``prefix``) and keeping it in ``log``; return
    its exit code and whether a kernel lost the race for a port."""
    raced = False
    # Show the build as it runs and keep a copy: the tests read the log for font warnings.
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen(
            command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert process.stdout is not None
        for line in process.stdout:
            sys.stdout.write(prefix + line)
            sink.write(line)
            raced = raced or any(sign in line for sign in KERNEL_RACE)
        returncode = process.wait()
    sys.stdout.flush()
    return returncode, raced


def build_edition(
    edition: str, out: Path, *, fresh: bool = False, root: Path = ROOT, prefix: str = ""
) -> None:
    """Build one edition into ``out/edition``; raise ``SystemExit`` if the build fails.

    Every line of the build's output is echoed (after ``prefix``) and kept in ``build.log``.
    """
    path_output = out / edition
    stamp = path_output / RENDER_STAMP
    current = render_stamp(root)
    rerender = not stamp.exists() or stamp.read_text() != current
    command = [
        str(Path(sys.executable).with_name("jupyter-book")),
        "build",
        str(root / "book" / edition),
        "--path-output",
        str(path_output),
        "--builder",
        "html",
        "-W",
        "-n",
        "--keep-going",
    ]
    if rerender or fresh:
        command.append("--all")
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    started = time.perf_counter()
    note = " (re-reading every page)" if rerender else ""
    print(f"platformgov: building the {edition} edition{note}", flush=True)
    path_output.mkdir(parents=True, exist_ok=True)
    returncode, raced = _run_logged(command, root, env, path_output / "build.log", prefix)
    if returncode != 0 and raced:
        # Two kernels started at the same moment can draw the same free port; the second then
        # dies before it answers. The pages that did run are cached, so a second run is short.
        print(
            f"platformgov: a kernel of the {edition} edition could not start (its port was "
            "taken by another kernel starting at the same time); building it once more",
            flush=True,
        )
        returncode, _ = _run_logged(command, root, env, path_output / "build.log", prefix)
    if returncode != 0:
        stamp.unlink(missing_ok=True)
        raise SystemExit(f"platformgov: the {edition} edition failed to build (exit {returncode})")
    stamp.write_text(current)
    print(
        f"platformgov: {edition} edition built in {time.perf_counter() - started:.1f} s", flush=True
    )


CHOOSER = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title_en} · {title_ko}</title>
<meta name="description" content="{description}">
<link rel="icon" href="ko/_static/favicon.svg" type="image/svg+xml">
<link rel="alternate" hreflang="ko" href="{root}ko/index.html">
<link rel="alternate" hreflang="en" href="{root}en/index.html">
<link rel="alternate" hreflang="x-default" href="{root}index.html">
<style>
body {{ font-family: system-ui, "Noto Sans CJK KR", "NanumGothic", sans-serif; margin: 0; color: #1f2328; background: #fff; }}
main {{ max-width: 40rem; margin: 12vh auto; padding: 0 1.5rem; }}
h1 {{ font-size: 1.6rem; line-height: 1.35; }}
ul {{ list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }}
li {{ display: flex; }}  /* the two buttons take the height of the taller one */
a {{ display: flex; align-items: center; padding: 0.8rem 1.4rem; border: 2px solid #0b5394; border-radius: 0.5rem; color: #0b5394; text-decoration: none; font-weight: 600; }}
a:hover, a:focus {{ background: #0b5394; color: #fff; }}
p {{ line-height: 1.6; }}
</style>
</head>
<body>
<main>
<h1><span lang="ko">{title_ko}</span><br>{title_en}</h1>
<p lang="ko">읽을 판을 고르세요.</p>
<p>Choose an edition.</p>
<ul>
<li><a href="ko/index.html" hreflang="ko" lang="ko">{name_ko}</a></li>
<li><a href="en/index.html" hreflang="en">{name_en}</a></li>
</ul>
</main>
</body>
</html>
"""


def assemble(out: Path, titles: dict[str, str], site_url: str = "") -> Path:
    """Copy each edition's HTML into ``out/site/{ko,en}`` and write the edition chooser.

    ``site_url`` is where the site is published, if known: its hreflang links are then absolute.
    """
    final = out / "site"
    site = out / ".site-new"  # assembled beside the published site, then swapped in
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    for edition in EDITIONS:
        shutil.copytree(out / edition / "_build" / "html", site / edition)
    description = f"{titles['en']} — {titles['ko']}: a bilingual executable book."
    (site / "index.html").write_text(
        CHOOSER.format(
            root=html.escape(f"{site_url}/" if site_url else "", quote=True),
            title_ko=html.escape(titles["ko"]),
            title_en=html.escape(titles["en"]),
            description=html.escape(description, quote=True),
            name_ko=LANGUAGE_NAMES["ko"],
            name_en=LANGUAGE_NAMES["en"],
        ),
        encoding="utf-8",
    )
    (site / ".nojekyll").write_text("")
    swap_in(site, final)
    return final


def _exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically (Linux ``renameat2``); False where that is not possible."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def swap_in(new: Path, site: Path) -> None:
    """Make the folder ``new`` the folder ``site`` in one step; the previous site is removed."""
    if site.is_dir() and _exchange(new, site):
        shutil.rmtree(new)
        return
    old = site.with_name(site.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        os.replace(site, old)
    os.replace(new, site)
    shutil.rmtree(old, ignore_errors=True)


def previous_site(out: Path) -> str:
    """What the site folder holds now, said after a build that did not finish."""
    index = out / "site" / "index.html"
    if not index.exists():
        return f"platformgov: no site was assembled in {out / 'site'}"
    built = time.strftime("%Y-%m-%d %H:%M", time.localtime(index.stat().st_mtime))
    return f"platformgov: the site in {out / 'site'} is still the previous build, of {built}"


@contextmanager
def keeping_previous_site(out: Path):
    """Say that the site is the previous one if the build fails or is interrupted."""
    try:
        yield
    except SystemExit as exc:
        if not isinstance(exc.code, str):
            print(previous_site(out), flush=True)
            raise
        raise SystemExit(f"{exc.code}\n{previous_site(out)}") from None  # said last
    except BaseException:
        print(previous_site(out), flush=True)
        raise


def check_survey_setting() -> None:
    """Stop when ``PLATFORMGOV_SURVEY`` is set but empty (it would quietly mean synthetic)."""
    setting = os.environ.get(SURVEY_ENV)
    if setting is not None and not setting.strip():
        raise SystemExit(
            f"platformgov: {SURVEY_ENV} is set but empty: give the survey's path, or unset it "
            "to build the book from the synthetic survey"
        )


def check_survey(out: Path) -> None:
    """Validate the survey the book will read; stop (``SystemExit``) when it cannot be used.

    A survey that cannot be used is a ``PLATFORMGOV_SURVEY`` set but empty, a path that does not
    exist, or a table that could not be read or has no accepted row: the build then stops with
    the validator's report before any page runs. Rows rejected one by one do not stop it: the
    report is shown and the book is built from the accepted rows. When the printed report is cut
    short, the full one is written to ``out/validation-report.txt``.
    """
    from platformgov.inputs.survey import validate
    from platformgov.inputs.survey.command import MAX_PRINTED, write_report
    from platformgov.inputs.survey.files import failure_reason

    check_survey_setting()
    source = survey_source()
    if not source.exists():
        raise SystemExit(f"platformgov: {SURVEY_ENV} names {source}, which does not exist")
    try:
        report = validate(source)
    except Exception as exc:
        raise SystemExit(
            f"platformgov: the survey {source} could not be validated ({failure_reason(exc)})"
        ) from exc
    if report.ok:
        print(f"platformgov: survey {source}: {report.rows_accepted} rows accepted", flush=True)
        return
    full = out / "validation-report.txt"
    cut = report.truncated(MAX_PRINTED) and write_report(full, [report]) is None
    text = report.to_text(
        all_normalisations=False, limit=MAX_PRINTED, full_report=full if cut else None
    )
    unusable = report.unusable_tables()
    if unusable:
        raise SystemExit(
            f"{text}\nplatformgov: the build stops before any page runs: the survey's "
            f"{', '.join(unusable)} {'table has' if len(unusable) == 1 else 'tables have'} "
            "no accepted rows"
        )
    print(text, flush=True)
    print(
        f"platformgov: the book is built from the {report.rows_accepted} accepted rows; "
        f"the {report.rows_rejected} rejected rows are left out",
        flush=True,
    )


def book_config(root: Path = ROOT) -> dict:
    """The ``sphinx.config`` section of ``_config.yml``."""
    import yaml

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return config["sphinx"]["config"]


def titles_from_config(root: Path = ROOT) -> dict[str, str]:
    return dict(book_config(root)["platformgov_titles"])


def site_url_from_config(root: Path = ROOT) -> str:
    """Where the site is published, as the editions' builds see it (sphinxext.site_url)."""
    return published_address(book_config(root).get("platformgov_site_url", ""))


def _start_precompute() -> subprocess.Popen:
    """Start computing the book's slow results beside the editions (``book.precompute``)."""
    code = "from platformgov.chapters import book; book.precompute()"
    return subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def build_site(
    out: Path, *, editions: tuple[str, ...] = EDITIONS, fresh: bool = False, root: Path = ROOT
) -> Path | None:
    """Build ``editions`` side by side (one process each) and assemble the site if both were built.

    Returns the site folder, or None if only one edition was built. When both editions are
    asked for and nothing changed since the site was last assembled, nothing runs.
    """
    check_survey_setting()
    complete = set(editions) == set(EDITIONS)
    stamp = out / SITE_STAMP
    current = site_stamp(root) if complete else ""
    up_to_date = stamp.exists() and stamp.read_text() == current
    if complete and not fresh and (out / "site").is_dir() and up_to_date:
        print(f"platformgov: {out / 'site'} is up to date (no input changed)", flush=True)
        return out / "site"
    stamp.unlink(missing_ok=True)
    with keeping_previous_site(out):
        check_survey(out)
        _build_editions(out, editions, fresh=fresh, root=root)
        if not complete:
            return None
        site = assemble(out, titles_from_config(root), site_url_from_config(root))
        if pdf.pdf_enabled():
            make_pdfs(site, root)
    stamp.write_text(current)
    print(f"platformgov: site assembled in {site}", flush=True)
    return site


def _build_editions(out: Path, editions: tuple[str, ...], *, fresh: bool, root: Path) -> None:
    prefixes = {e: f"[{e}] " if len(editions) > 1 else "" for e in editions}
    warm = _start_precompute() if Path(root).resolve() == ROOT.resolve() else None
    with ThreadPoolExecutor(max_workers=len(editions)) as pool:
        futures = {
            e: pool.submit(build_edition, e, out, fresh=fresh, root=root, prefix=prefixes[e])
            for e in editions
        }
    if warm is not None and warm.wait() != 0:
        # The pages computed what they needed themselves; say why the head start failed.
        print(f"platformgov: precomputing failed:\n{warm.stderr.read()}", flush=True)
    failures = [str(f.exception()) for f in futures.values() if f.exception() is not None]
    if failures:
        raise SystemExit("\n".join(failures))


def make_pdfs(site: Path, root: Path = ROOT) -> list[Path]:
    """Each edition's PDF, printed from the assembled site (:mod:`platformgov.site.pdf`)."""
    config = book_config(root)
    author = yaml_config(root).get("author", "")
    return pdf.site_pdfs(
        site,
        dict(config["platformgov_titles"]),
        dict(config["platformgov_descriptions"]),
        author,
        site_url_from_config(root),
        root=root,
    )


def yaml_config(root: Path = ROOT) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def add_arguments(parser) -> None:
    parser.add_argument(
        "--out", type=Path, default=ROOT / "_build", help="build folder (default: _build)"
    )
    parser.add_argument(
        "--edition", choices=[*EDITIONS, "all"], default="all", help="build one edition or both"
    )
    parser.add_argument(
        "--fresh", action="store_true", help="re-read every page so that no warning can hide"
    )


def run(args) -> int:
    editions = EDITIONS if args.edition == "all" else (args.edition,)
    build_site(args.out.resolve(), editions=editions, fresh=args.fresh)
    return 0
