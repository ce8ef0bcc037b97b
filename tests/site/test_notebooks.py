"""The chapters as plain Jupyter notebooks (students' and teachers') and the repository setting."""

from __future__ import annotations

import re

import jupytext
import pytest
from sphinx.errors import ConfigError

from platformgov.paths import ROOT
from platformgov.site import notebooks
from platformgov.site.notebooks import NotebookError, plain_markdown

CITATIONS = {"lee2022": "Lee et al., 2022", "cronbach1951": "Cronbach, 1951"}


class AnyGlue(dict):
    """Every glued name, shown as ``<name>``: the pages convert without a build."""

    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return f"<{name}>"


class AnyNumber(dict):
    """Every numbered figure, table and exercise, named after its label: the pages convert without a build."""

    def __contains__(self, name):
        return True

    def __missing__(self, name):
        return f"<{name}>"


WORDS = notebooks.Words(
    numbers={"ex-rows": "Exercise 2.1", "fig-a": "Figure 2.1"}, solution="Solution"
)


def convert(text: str, solutions: bool = False, glue=None, inside: bool = False) -> str:
    return plain_markdown(
        text,
        glue={"n": "243"} if glue is None else glue,
        citations=CITATIONS,
        titles={"data-own": "Your own files"},
        words=WORDS,
        solutions=solutions,
        inside=inside,
    )


def test_myst_becomes_plain_markdown():
    text = (
        "(data-own)=\n## Your own files\n\n"
        "We count {glue:md}`n` governments {cite:p}`lee2022,cronbach1951`, as {cite:t}`lee2022` "
        "did; see {ref}`below <data-own>`, {ref}`data-own` and [the data](data.md#top).\n"
        "{numref}`fig-a` and {numref}`the figure <fig-a>` count them.\n"
    )
    got = convert(text)
    assert "(data-own)=" not in got
    assert "We count 243 governments (Lee et al., 2022; Cronbach, 1951)" in got
    assert "as Lee et al. (2022) did; see below, Your own files and [the data](data.ipynb)" in got
    assert "Figure 2.1 and the figure count them." in got


def test_admonitions_become_quotations_with_a_bold_title():
    got = convert(":::{admonition} Note\n:class: tip\nRead {glue:md}`n` rows.\n:::\n")
    assert got == "> **Note**\n>\n> Read 243 rows.\n"


def test_exercises_are_numbered_and_solutions_go_to_teachers_only():
    text = (
        ":::{exercise} Count the rows\n:label: ex-rows\nCount them.\n:::\n\n"
        ":::{solution-start} ex-rows\n:class: dropdown\n:::\n\nThere are {glue:md}`n`.\n\n"
        ":::{solution-end}\n:::\n\nAfter.\n"
    )
    student, teacher = convert(text), convert(text, solutions=True)
    assert "> **Exercise 2.1 (Count the rows)**\n>\n> Count them.\n" in student
    assert "Solution" not in student and "243" not in student and "After." in student
    assert "**Solution**\n\nThere are 243.\n" in teacher and "After." in teacher
    assert ":::" not in student + teacher


def test_a_solution_may_span_cells():
    """Its prose ends one cell, its code cells follow and ``{solution-end}`` opens the next."""
    opening = "Before.\n\n```{solution-start} ex-rows\n:class: dropdown\n```\n\nCount.\n"
    assert convert(opening).strip() == "Before."
    assert convert(opening, solutions=True).endswith("**Solution**\n\nCount.\n")
    closing = "More prose.\n\n:::{solution-end}\n:::\n\nAfter.\n"
    assert convert(closing, inside=True).strip() == "After."
    assert convert(closing, solutions=True, inside=True) == "More prose.\n\nAfter.\n"
    parts, still_open = notebooks.solution_parts(opening)
    assert still_open and [inside for inside, _ in parts] == [False, True]


def test_solution_gates_out_of_order_or_unnumbered_exercises_are_errors():
    with pytest.raises(NotebookError, match=r"solution-end\} outside"):
        convert(":::{solution-end}\n:::\n")
    with pytest.raises(NotebookError, match=r"solution-start\} inside"):
        convert(":::{solution-start} ex-rows\n:::\n", inside=True)
    with pytest.raises(NotebookError, match=":label:"):
        convert(":::{exercise} Count\nCount them.\n:::\n")
    with pytest.raises(NotebookError, match="ex-other"):
        convert(":::{exercise} Count\n:label: ex-other\nCount them.\n:::\n")
    cells = jupytext.reads(
        ":::{solution-start} ex-rows\n:::\n\n```{code-cell}\n1\n```\n", "md:myst"
    )
    with pytest.raises(NotebookError, match="without its"):
        notebooks.solution_cells(cells.cells)


def test_an_unknown_glued_name_or_citation_is_an_error():
    with pytest.raises(NotebookError, match="missing"):
        convert("{glue:md}`missing`")
    with pytest.raises(NotebookError, match="nobody2000"):
        convert("{cite:p}`nobody2000`")
    with pytest.raises(NotebookError, match="fig-b"):
        convert("{numref}`fig-b`")


def test_set_up_cell_installs_from_the_repository_or_says_how():
    with_address = notebooks.setup_cell("en", "https://github.com/owner/platformgov")
    assert "import platformgov" in with_address
    assert "%pip install --quiet git+https://github.com/owner/platformgov" in with_address
    without = notebooks.setup_cell("ko", "")
    assert "%pip" not in without and "ModuleNotFoundError" in without
    compile(without, "setup", "exec")


def test_repository_address_comes_from_the_environment_first(monkeypatch):
    monkeypatch.delenv(notebooks.REPOSITORY_ENV, raising=False)
    assert notebooks.repository_url("") == ""
    assert notebooks.repository_url("https://github.com/a/b/") == "https://github.com/a/b"
    monkeypatch.setenv(notebooks.REPOSITORY_ENV, "https://gitlab.com/c/d")
    assert notebooks.repository_url("https://github.com/a/b") == "https://gitlab.com/c/d"
    monkeypatch.setenv(notebooks.REPOSITORY_ENV, "github.com/a")
    with pytest.raises(ConfigError, match="PLATFORMGOV_REPOSITORY_URL"):
        notebooks.repository_url("")


def kernel_pages():
    for source in sorted((ROOT / "book").glob("*/*.md")):
        if "kernelspec:" in source.read_text(encoding="utf-8")[:2000]:
            yield source


@pytest.mark.parametrize("source", list(kernel_pages()), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_page_makes_clean_notebooks_with_its_code(source):
    """Students get every code cell but the build's and the solutions'; teachers get them all."""
    edition = source.parent.name
    labels = notebooks.bibliography_labels(["../references.bib"], source.parent, edition)
    words = notebooks.Words(numbers=AnyNumber(), solution="<solution>")
    student, teacher = notebooks.chapter_notebooks(
        source, edition, glue=AnyGlue(), citations=labels, words=words
    )
    page = jupytext.read(source, fmt="md:myst")
    solutions = notebooks.solution_cells(page.cells)
    code = [
        (i, c.source)
        for i, c in enumerate(page.cells)
        if c.cell_type == "code" and "remove-cell" not in c.metadata.get("tags", [])
    ]
    for notebook, keep in ((student, False), (teacher, True)):
        cells = [c.source for c in notebook.cells if c.cell_type == "code"]
        assert cells[0] == notebooks.setup_cell(edition, "")
        assert cells[1:] == [s for i, s in code if keep or i not in solutions]
        text = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
        assert not re.search(r"\{[a-z:]+\}`|^:::|^```\{", text, re.M), source
        assert notebook.metadata["kernelspec"]["name"] == "python3"
    starts = source.read_text(encoding="utf-8").count("{solution-start}")
    student_text = "\n".join(c.source for c in student.cells)
    teacher_text = "\n".join(c.source for c in teacher.cells)
    assert student_text.count("<solution>") == 0
    assert teacher_text.count("**<solution>**") == starts
    if starts:
        assert re.search(r"\*\*<ex-[\w-]+> \(", student_text), source


TINY_CHAPTER = """```{code-cell} ipython3
print(6 * 7)
```

:::{exercise} Multiply again
:label: ex-index-1
Multiply again.
:::

:::{solution-start} ex-index-1
:class: dropdown
:::

It is 42.

```{code-cell} ipython3
print(7 * 6)
```

:::{solution-end}
:::
"""
LAUNCH = re.compile(r'href="(https://[^"]*(?:colab|binder)[^"]*)"')


@pytest.mark.site
def test_repository_buttons_appear_only_with_the_repositorys_address(tmp_path, monkeypatch):
    """One setting turns on the repository, issue, edit, Colab and Binder buttons; without it
    the site names no repository, and the downloads are there either way."""
    from factories import tiny_book

    from platformgov.site import build

    root = tiny_book(tmp_path, TINY_CHAPTER)
    pages = {}
    for address in ("", "https://github.com/owner/platformgov"):
        monkeypatch.setenv(notebooks.REPOSITORY_ENV, address)
        out = tmp_path / f"out{bool(address)}"
        build.build_edition("en", out, root=root)
        html = out / "en" / "_build" / "html"
        pages[address] = (html / "index.html").read_text(encoding="utf-8")
        student = (html / "_notebooks" / "index.ipynb").read_text(encoding="utf-8")
        teacher = (html / "_notebooks" / "solutions" / "index.ipynb").read_text(encoding="utf-8")
        assert "It is 42." in teacher and "It is 42." not in student
        assert "print(7 * 6)" in teacher and "print(7 * 6)" not in student
        assert "Multiply again." in student and "Exercise 1 (Multiply again)" in student
        assert (html / "_notebooks" / "platformgov-en-notebooks.zip").exists()
    without, with_address = pages[""], pages["https://github.com/owner/platformgov"]
    assert "github.com" not in without and not LAUNCH.search(without)
    assert 'href="_notebooks/solutions/index.ipynb"' in without
    repository = "https://github.com/owner/platformgov"
    assert f'href="{repository}"' in with_address
    assert f'href="{repository}/edit/main/book/en/index.md"' in with_address
    assert f'href="{repository}/issues/new?' in with_address
    launchers = LAUNCH.findall(with_address)
    assert len(launchers) == 2, launchers
    colab, binder = sorted(launchers)
    assert colab.endswith("/github/owner/platformgov/blob/gh-pages/en/_notebooks/index.ipynb")
    assert binder.endswith(
        "/gh/owner/platformgov/gh-pages?urlpath=lab/tree/en/_notebooks/index.ipynb"
    )


def test_equation_references_become_their_numbers():
    words = notebooks.Words(numbers={"eq-c": "(4.1)"}, solution="Solution")
    out = notebooks.plain_markdown(
        "By {eq}`eq-c`.", glue={}, citations={}, titles={}, words=words, solutions=False
    )
    assert out.strip() == "By (4.1)."
    with pytest.raises(notebooks.NotebookError, match="eq-z"):
        notebooks.plain_markdown(
            "{eq}`eq-z`", glue={}, citations={}, titles={}, words=words, solutions=False
        )
