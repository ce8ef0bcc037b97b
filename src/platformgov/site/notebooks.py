"""The chapters as plain Jupyter notebooks, for students and for teachers, and the repository's
buttons.

After an edition is built, every page that is a notebook is written twice into
``_notebooks/``: ``<page>.ipynb`` for students (exercises without their solutions) and
``solutions/<page>.ipynb`` for teachers; ``platformgov-<edition>-notebooks.zip`` holds them all
with a README. Both are clean Jupyter, made from the page's MyST source and the numbers its
execution glued (MyST-NB's ``jupyter_execute/<page>.glue.json``): glued numbers become text,
citations and cross-references their words, admonitions quotations with a bold title, and
exercises (sphinx-exercise's ``{exercise}``) quotations titled with their number as the site
numbers them. A solution, everything between ``{solution-start}`` and ``{solution-end}`` (its
prose and its code cells), is left out of the students' notebook and kept, under a bold title,
in the teachers'. The first cell installs the package where it is missing; the build's glue
cell is left out.

The repository's address (``repository.url`` in ``_config.yml``, or ``$PLATFORMGOV_REPOSITORY_URL``)
turns on the repository, issue and edit buttons and the Colab and Binder launch buttons. Colab
and Binder open the students' notebook where the published site keeps it on the repository's
``platformgov_notebook_branch`` (``gh-pages``): ``<edition>/_notebooks/<page>.ipynb``. With no
address, none of them is shown.
"""

from __future__ import annotations

import json
import os
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import nbformat
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError, ExtensionError
from sphinx.locale import get_translation

from platformgov.labels import label

NOTEBOOKS = "_notebooks"
SOLUTIONS = "solutions"
REPOSITORY_ENV = "PLATFORMGOV_REPOSITORY_URL"
#: The theme's launch buttons that open a notebook from the repository.
LAUNCHERS = ("Binder", "Colab")

ADMONITION = re.compile(
    r"^(?P<fence>:{3,})\{(?P<kind>admonition|exercise)\}[ \t]*(?P<title>[^\n]*)\n"
    r"(?P<options>(?::[a-z-]+:[^\n]*\n)*)(?P<body>.*?)^(?P=fence)[ \t]*$\n?",
    re.M | re.S,
)
#: The gates of a solution: ``{solution-start} <exercise's label>`` (with options) and
#: ``{solution-end}``, each an empty directive.
GATE = re.compile(
    r"^(?P<fence>:{3,}|`{3,})\{solution-(?P<gate>start|end)\}[^\n]*\n"
    r"(?::[a-z-]+:[^\n]*\n)*(?P=fence)[ \t]*$\n?",
    re.M,
)
LABEL_OPTION = re.compile(r"^:label:[ \t]*(\S+)[ \t]*$", re.M)
GLUE = re.compile(r"\{glue(?::md|:text|:any)?\}`([^`]+)`")
CITE = re.compile(r"\{cite:(?P<kind>[pt])\}`(?P<keys>[^`]+)`")
REF = re.compile(r"\{ref\}`(?:(?P<text>[^`<]+?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`")
EQ = re.compile(r"\{eq\}`(?P<name>[^`]+)`")
NUMREF = re.compile(r"\{numref\}`(?:(?P<text>[^`<]+?)\s*<(?P<target>[^`>]+)>|(?P<bare>[^`]+))`")
TARGET = re.compile(r"^\((?P<name>[\w-]+)\)=[ \t]*(?:\n|\Z)", re.M)
PAGE_LINK = re.compile(r"\]\((?P<page>[\w-]+)\.md(?P<anchor>#[^)]*)?\)")
#: MyST that plain Jupyter would show as it is.
LEFT_OVER = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|^:{3,}\{|^`{3,}\{|^\([\w-]+\)=", re.M)


class NotebookError(ExtensionError):
    pass


def repository_url(configured: str) -> str:
    """The repository's address: ``$PLATFORMGOV_REPOSITORY_URL`` if set, else ``configured``."""
    value = (os.environ.get(REPOSITORY_ENV, "").strip() or (configured or "").strip()).rstrip("/")
    if value and not re.fullmatch(r"https://[^\s/]+/[^\s/]+/[^\s/]+", value):
        raise ConfigError(
            f"repository.url / ${REPOSITORY_ENV} = {value!r}: the repository's address must be "
            "https://HOST/OWNER/NAME, such as https://github.com/OWNER/platformgov"
        )
    return value


def install_source(repository: str) -> str:
    """What the set-up cell gives ``pip install``, or "" when the book knows no address."""
    return f"git+{repository}" if repository else ""


def setup_cell(edition: str, repository: str) -> str:
    source = install_source(repository)
    missing = (
        f"    %pip install --quiet {source}\n"
        if source
        else f"    raise ModuleNotFoundError({label('ui.setup_missing', edition)!r})\n"
    )
    return (
        f"# {label('ui.setup_comment', edition)}\n"
        "try:\n"
        "    import platformgov  # noqa: F401\n"
        "except ImportError:\n" + missing
    )


# -- MyST to Markdown -------------------------------------------------------------------------


def glue_values(path: Path) -> dict[str, str]:
    """The text each glued name shows, from MyST-NB's ``<page>.glue.json`` (none if absent)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    values = {}
    for name, output in data.items():
        bundle = output.get("data", {})
        values[name] = str(bundle.get("text/markdown", bundle.get("text/plain", ""))).strip()
    return values


def citation(kind: str, keys: str, labels: dict[str, str]) -> str:
    """An author–year citation as the book prints it: ``(A, 2001; B, 2002)`` or ``A (2001)``."""
    found = []
    for key in (k.strip() for k in keys.split(",")):
        if key not in labels:
            raise NotebookError(f"citation {key!r} is not in the bibliography")
        found.append(labels[key])
    if kind == "p":
        return "(" + "; ".join(found) + ")"
    return ", ".join(f"{who} ({year})" for who, year in (f.rsplit(", ", 1) for f in found))


def quotation(title: str, body: str) -> str:
    lines = [f"**{title.strip()}**", "", *body.strip("\n").splitlines()]
    return "\n".join(f"> {line}" if line else ">" for line in lines) + "\n"


@dataclass(frozen=True)
class Words:
    """What the build named: ``numbers`` maps the label of each numbered figure, table and
    exercise to its name with its number ("그림 3.2", "연습 3.1"); ``solution`` is a
    solution's title."""

    numbers: Mapping[str, str]
    solution: str


def solution_parts(text: str, inside: bool = False) -> tuple[list[tuple[bool, str]], bool]:
    """``text`` cut at the solutions' gates: ``[(in a solution, piece), …]``, and whether a
    solution is still open at its end. ``inside``: a solution opened before ``text``."""
    parts, at = [], 0
    for match in GATE.finditer(text):
        opening = match["gate"] == "start"
        if opening == inside:
            where = "inside" if inside else "outside"
            raise NotebookError(f"{{solution-{match['gate']}}} {where} a solution: {text!r}")
        parts.append((inside, text[at : match.start()]))
        inside, at = opening, match.end()
    parts.append((inside, text[at:]))
    return parts, inside


def exercise_title(match: re.Match, words: Words) -> str:
    """An exercise's numbered name, with its own title in brackets as the site shows it."""
    found = LABEL_OPTION.search(match["options"])
    if not found:
        raise NotebookError(f"an exercise needs a :label: to be numbered: {match.group()!r}")
    if found[1] not in words.numbers:
        raise NotebookError(f"exercise {found[1]!r}: the build numbered no such exercise")
    name, title = words.numbers[found[1]], match["title"].strip()
    return f"{name} ({title})" if title else name


def plain_markdown(
    text: str,
    *,
    glue: dict[str, str],
    citations: dict[str, str],
    titles: dict[str, str],
    words: Words,
    solutions: bool,
    inside: bool = False,
    page_link: str = "{page}.ipynb",
) -> str:
    """``text`` (MyST) as plain Markdown; the solutions' parts only if ``solutions``.
    ``inside``: ``text`` begins in a solution (opened in an earlier cell)."""

    def admonition(match: re.Match) -> str:
        if match["kind"] == "exercise":
            return quotation(exercise_title(match, words), match["body"])
        return quotation(match["title"], match["body"])

    parts, _ = solution_parts(text, inside)
    if len(parts) > 1:
        kept = []
        for i, (in_solution, piece) in enumerate(parts):
            opened_here = in_solution and i > 0
            if (in_solution and not solutions) or not (piece.strip() or opened_here):
                continue
            kept.append(f"**{words.solution}**\n\n" * opened_here + piece.strip("\n"))
        text = "\n\n".join(kept) + "\n"

    def glued(match: re.Match) -> str:
        if match[1] not in glue:
            raise NotebookError(f"{{glue}}`{match[1]}`: no such number was glued")
        return glue[match[1]]

    def numref(match: re.Match) -> str:
        name = match["target"] or match["bare"]
        if name not in words.numbers:
            raise NotebookError(f"{{numref}}`{name}`: the build numbered no such target")
        if not match["text"]:
            return words.numbers[name]
        if "%s" in match["text"] or "{number}" in match["text"]:
            raise NotebookError(f"{{numref}}`{match['text']}`: write the words or no text")
        return match["text"]

    def equation(match: re.Match) -> str:
        name = match["name"].strip()
        if name not in words.numbers:
            raise NotebookError(f"{{eq}}`{name}`: the build numbered no such equation")
        return words.numbers[name]

    def ref(match: re.Match) -> str:
        if match["text"]:
            return match["text"]
        if match["bare"] not in titles:
            raise NotebookError(f"{{ref}}`{match['bare']}`: no such target")
        return titles[match["bare"]]

    text = ADMONITION.sub(admonition, text)
    text = GLUE.sub(glued, text)
    text = CITE.sub(lambda m: citation(m["kind"], m["keys"], citations), text)
    text = REF.sub(ref, text)
    text = NUMREF.sub(numref, text)
    text = EQ.sub(equation, text)
    text = TARGET.sub("", text)
    text = PAGE_LINK.sub(lambda m: "](" + page_link.format(page=m["page"]) + ")", text)
    return text


def targets(text: str) -> dict[str, str]:
    """Each ``(name)=`` target and the heading that follows it."""
    found = {}
    for match in re.finditer(r"^\(([\w-]+)\)=[ \t]*\n#+\s*(.+)$", text, re.M):
        found[match[1]] = match[2].strip()
    return found


# -- notebooks --------------------------------------------------------------------------------


def _tags(cell) -> list[str]:
    return list(cell.metadata.get("tags", []))


def solution_cells(cells) -> set[int]:
    """Code cells that belong to a solution: between ``{solution-start}`` and ``{solution-end}``."""
    found, inside = set(), False
    for i, cell in enumerate(cells):
        if cell.cell_type == "markdown":
            _, inside = solution_parts(cell.source, inside)
        elif inside:
            found.add(i)
    if inside:
        raise NotebookError("a {solution-start} without its {solution-end}")
    return found


def _opens_in_solution(cells) -> list[bool]:
    """For each cell, whether it begins inside a solution."""
    states, inside = [], False
    for cell in cells:
        states.append(inside)
        if cell.cell_type == "markdown":
            _, inside = solution_parts(cell.source, inside)
    return states


def chapter_notebooks(
    source: Path,
    edition: str,
    *,
    glue: dict[str, str],
    citations: dict[str, str],
    words: Words,
    repository: str = "",
    page_link: str = "{page}.ipynb",
):
    """The students' and the teachers' notebook of one MyST page: ``(student, teacher)``."""
    import jupytext

    page = jupytext.read(source, fmt="md:myst")
    titles = targets(source.read_text(encoding="utf-8"))
    try:
        solutions = solution_cells(page.cells)
    except NotebookError as error:
        raise NotebookError(f"{source}: {error}") from None
    opens_inside = _opens_in_solution(page.cells)
    made = []
    for with_solutions in (False, True):
        cells = [nbformat.v4.new_code_cell(setup_cell(edition, repository))]
        for i, cell in enumerate(page.cells):
            if cell.cell_type == "code":
                if "remove-cell" in _tags(cell) or (i in solutions and not with_solutions):
                    continue
                cells.append(nbformat.v4.new_code_cell(cell.source, metadata=_kept(cell)))
            elif cell.cell_type == "markdown":
                text = plain_markdown(
                    cell.source,
                    glue=glue,
                    citations=citations,
                    titles=titles,
                    words=words,
                    solutions=with_solutions,
                    inside=opens_inside[i],
                    page_link=page_link,
                )
                left = LEFT_OVER.search(text)
                if left:
                    line = text[: left.start()].count("\n") + 1
                    raise NotebookError(
                        f"{source}: MyST left in a notebook's Markdown: {left.group()!r} "
                        f"(line {line} of a cell)"
                    )
                if text.strip():
                    cells.append(nbformat.v4.new_markdown_cell(text.strip("\n")))
        notebook = nbformat.v4.new_notebook(cells=cells)
        notebook.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        notebook.metadata["language_info"] = {"name": "python"}
        made.append(notebook)
    return made[0], made[1]


def _kept(cell) -> dict:
    tags = [t for t in _tags(cell) if t in {"hide-input", "hide-cell", "hide-output"}]
    return {"tags": tags} if tags else {}


def bibliography_labels(bibfiles: list[str], srcdir: Path, edition: str) -> dict[str, str]:
    """``{key: "Author, year"}`` for every entry of the book's bibliography, as the edition
    cites it."""
    from pybtex.database import parse_file

    from platformgov.site.citations import author_year_label

    labels = {}
    for name in bibfiles:
        for key, entry in parse_file(str((srcdir / name).resolve())).entries.items():
            labels[key] = author_year_label(entry, edition)
    return labels


def readme(edition: str, title: str, repository: str) -> str:
    source = install_source(repository) or "pip install <repository folder or .whl>"
    install = f"pip install {source}" if repository else source
    return (
        f"# {label('ui.archive_title', edition).format(title=title)}\n\n"
        f"{label('ui.archive_contents', edition)}\n\n"
        f"- {label('ui.archive_colab', edition)}\n"
        f"- {label('ui.archive_jupyter', edition).format(install=install)}\n\n"
        f"{label('ui.archive_numbers', edition)}\n"
    )


def archive_name(edition: str) -> str:
    return f"platformgov-{edition}-notebooks.zip"


def numbered_names(app: Sphinx) -> dict[str, str]:
    """Each label of a numbered figure, table or exercise with the name the site gives it, and
    each numbered equation's label with its number in brackets, "(4.1)"."""
    names = {}
    for name, (docname, node_id) in app.env.get_domain("std").anonlabels.items():
        for kind, numbers in app.env.toc_fignumbers.get(docname, {}).items():
            if node_id in numbers and kind in app.config.numfig_format:
                number = ".".join(map(str, numbers[node_id]))
                names[name] = app.config.numfig_format[kind] % number
    for name, (docname, _) in app.env.get_domain("math").equations.items():
        numbers = app.env.toc_fignumbers.get(docname, {}).get("displaymath", {})
        if f"equation-{name}" in numbers:
            names[name] = "(" + ".".join(map(str, numbers[f"equation-{name}"])) + ")"
    return names


def write_notebooks(app: Sphinx, pages: list[str]) -> Path:
    """Write the students' and teachers' notebooks of ``pages`` and the archive of them all."""
    edition = app.config.platformgov_edition
    repository = app.config.platformgov_repository_url
    executed = Path(app.outdir).parent / "jupyter_execute"
    folder = Path(app.outdir) / NOTEBOOKS
    citations = bibliography_labels(app.config.bibtex_bibfiles, Path(app.srcdir), edition)
    words = Words(numbers=numbered_names(app), solution=get_translation("exercise")("Solution"))
    site = app.config.platformgov_site_url
    link = f"{site}/{edition}/{{page}}.html" if site else "{page}.ipynb"
    written = {}
    for docname in pages:
        student, teacher = chapter_notebooks(
            Path(app.env.doc2path(docname)),
            edition,
            glue=glue_values(executed / f"{docname}.glue.json"),
            citations=citations,
            words=words,
            repository=repository,
            page_link=link,
        )
        for name, notebook in ((docname, student), (f"{SOLUTIONS}/{docname}", teacher)):
            target = folder / f"{name}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, target)
            written[f"{name}.ipynb"] = target
    archive = folder / archive_name(edition)
    top = archive.stem
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr(f"{top}/README.md", readme(edition, app.config.project, repository))
        for name, path in sorted(written.items()):
            zipped.write(path, f"{top}/{name}")
    return archive


# -- buttons ----------------------------------------------------------------------------------


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Repository and launch buttons when the repository's address is known; none otherwise."""
    options = dict(config.html_theme_options or {})
    repository = repository_url(options.get("repository_url", ""))
    config.platformgov_repository_url = repository
    buttons = ("use_repository_button", "use_issues_button", "use_edit_page_button")
    if not repository:
        for key in ("repository_url", "launch_buttons", *buttons):
            options.pop(key, None)
    else:
        options["repository_url"] = repository
        options["path_to_docs"] = f"book/{config.platformgov_edition}"
        options.update(dict.fromkeys(buttons, True))
    config.html_theme_options = options


def launch_url(app: Sphinx, text: str, pagename: str) -> str:
    """Where a launch button opens the students' notebook of ``pagename``."""
    options = app.config.html_theme_options
    launch = options.get("launch_buttons", {})
    _, owner, name = app.config.platformgov_repository_url.rsplit("/", 2)
    branch = app.config.platformgov_notebook_branch
    path = f"{app.config.platformgov_edition}/{NOTEBOOKS}/{pagename}.ipynb"
    if text == "Colab":
        return f"{launch['colab_url'].rstrip('/')}/github/{owner}/{name}/blob/{branch}/{path}"
    interface = {"classic": "tree", "jupyterlab": "lab/tree"}[
        launch.get("notebook_interface", "classic")
    ]
    binder = launch["binderhub_url"].rstrip("/")
    return f"{binder}/v2/gh/{owner}/{name}/{quote(branch)}?urlpath={interface}/{path}"


def on_html_page_context(app: Sphinx, pagename, templatename, context: dict, doctree) -> None:
    """The download menu offers the students' and teachers' notebooks and the archive; the
    launch buttons open the students' notebook."""
    from platformgov.site.sphinxext import is_notebook

    edition = app.config.platformgov_edition
    pathto = context["pathto"]
    notebook = is_notebook(app, pagename)
    for group in context.get("header_buttons", []):
        if group.get("label") == "download-buttons":
            kept = [b for b in group["buttons"] if b.get("label") != "download-notebook-button"]
            ours = []
            if notebook:
                ours.append(
                    _link(
                        pathto(f"{NOTEBOOKS}/{pagename}.ipynb", 1),
                        ".ipynb",
                        "fas fa-code",
                        label("ui.download_notebook_title", edition),
                    )
                )
                ours.append(
                    _link(
                        pathto(f"{NOTEBOOKS}/{SOLUTIONS}/{pagename}.ipynb", 1),
                        label("ui.download_solutions", edition),
                        "fas fa-chalkboard-user",
                        label("ui.download_solutions", edition),
                    )
                )
            ours.append(
                _link(
                    pathto(f"{NOTEBOOKS}/{archive_name(edition)}", 1),
                    ".zip",
                    "fas fa-file-zipper",
                    label("ui.download_archive", edition),
                )
            )
            if context.get("platformgov_pdf"):
                # The header's PDF button gives way to this entry on a phone.
                pdf = context["platformgov_pdf"]
                ours.append(_link(pdf["href"], ".pdf", "fas fa-file-pdf", pdf["title"]))
            group["buttons"] = ours + kept
        elif group.get("label") == "launch-buttons" and notebook:
            for button in group.get("buttons", []):
                if button.get("text") in LAUNCHERS:
                    button["url"] = launch_url(app, button["text"], pagename)
    context.pop("ipynb_source", None)


def _link(url: str, text: str, icon: str, tooltip: str) -> dict:
    return {"type": "link", "url": url, "text": text, "icon": icon, "tooltip": tooltip}


def setup(app: Sphinx) -> None:
    app.add_config_value("platformgov_repository_url", "", "html")
    app.add_config_value("platformgov_notebook_branch", "gh-pages", "html")
    app.connect("config-inited", on_config_inited, priority=150)
    app.connect("html-page-context", on_html_page_context, priority=600)
