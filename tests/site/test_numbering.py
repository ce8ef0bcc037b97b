"""Numbered figures and tables from cell outputs (platformgov.site.numbering), on small doctrees."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Parser
from docutils.utils import new_document
from factories import tiny_book

from platformgov.labels import label
from platformgov.site import build, numbering

TABLE = '<table class="pg-table"><caption>Counts &amp; shares</caption><tr><td>1</td></tr></table>'


def bundle(kind: str) -> nodes.container:
    out = nodes.container(nb_element="mime_bundle")
    if kind == "image":
        out += nodes.container("", nodes.image(uri="a.png"), mime_type="image/png")
    else:
        out += nodes.container("", nodes.raw("", TABLE, format="html"), mime_type="text/html")
    return out


def document_with(cells: list[tuple[str, list[str]]], edition: str = "en"):
    """A document of code cells, each labelled ``name`` (if not "") and holding outputs."""
    settings = get_default_settings(Parser)
    settings.env = SimpleNamespace(config=SimpleNamespace(platformgov_edition=edition))
    document = new_document("page.md", settings)
    for name, outputs in cells:
        cell = nodes.container(nb_element="cell_code")
        output = nodes.container(nb_element="cell_code_output")
        for kind in outputs:
            output += bundle(kind)
        cell += output
        if name:
            cell["names"].append(name)
            document.note_explicit_target(cell, cell)
        document += cell
    return document


def apply(document, warnings: list[str]) -> None:
    transform = numbering.NumberCellOutputs(document)
    original = numbering.logger.warning
    numbering.logger.warning = lambda message, **_: warnings.append(message)
    try:
        transform.apply()
    finally:
        numbering.logger.warning = original


def test_a_labelled_figure_gets_the_label_and_its_caption_in_the_editions_language():
    for edition in ("ko", "en"):
        document = document_with([("fig-desc-counts", ["image"])], edition)
        warnings: list[str] = []
        apply(document, warnings)
        (figure,) = document.findall(nodes.figure)
        assert figure["names"] == ["fig-desc-counts"]
        assert document.ids[figure["ids"][0]] is figure
        assert figure.next_node(nodes.caption).astext() == label("caption.fig-desc-counts", edition)
        assert warnings == []


def test_a_table_output_is_numbered_with_its_own_caption():
    document = document_with([("tab-x", ["html", "html", "html"])])
    warnings: list[str] = []
    apply(document, warnings)
    tables = list(document.findall(numbering.numbered_table))
    # the first table takes the cell's label, the others are named after it
    assert [t["names"] for t in tables] == [["tab-x"], ["tab-x-2"], ["tab-x-3"]]
    for table in tables:
        (name,) = table["names"]
        assert document.ids[document.nameids[name]] is table and document.nametypes[name]
    assert tables[0]["caption"] == "Counts & shares"
    assert warnings == []


def test_a_table_without_a_label_is_numbered_but_a_warning():
    document = document_with([("", ["html"])])
    warnings: list[str] = []
    apply(document, warnings)
    (table,) = document.findall(numbering.numbered_table)
    assert table["ids"] and table["names"] == []
    assert any("a table needs a label" in w for w in warnings)


def test_a_figure_without_label_or_caption_and_a_label_without_output_are_warnings():
    document = document_with([("", ["image"]), ("fig-nowhere-known", ["image"]), ("tab-y", [])])
    warnings: list[str] = []
    apply(document, warnings)
    assert any("a figure needs a label" in w for w in warnings)
    assert any("'fig-nowhere-known' has no caption" in w for w in warnings)
    assert any("'tab-y' stands above a cell that outputs no table" in w for w in warnings)


def test_a_table_label_above_a_paragraph_is_a_warning():
    document = document_with([("tab-x", ["html"])])
    paragraph = nodes.paragraph("", "text", names=["tab-words"])
    document.note_explicit_target(paragraph)
    document += paragraph
    warnings: list[str] = []
    apply(document, warnings)
    assert warnings == ["label 'tab-words' stands above something that is no table: a table "
                        "label belongs right above the cell that outputs the table"]  # fmt: skip


def test_numfig_formats_are_in_the_editions_words():
    assert numbering.numfig_formats("ko")["figure"] % "4.2" == "그림 4.2"
    assert numbering.numfig_formats("en")["table"] % "3.1" == "Table 3.1"


@pytest.mark.parametrize(
    ("markup", "text"),
    [(TABLE, "Counts & shares"), ("<table><tr><td>1</td></tr></table>", "")],
)
def test_table_caption_is_the_text_of_the_first_caption(markup, text):
    assert numbering.table_caption(markup) == text


# --- strict builds of a small book -----------------------------------------------------------

TABLE_CELL = """```{code-cell} ipython3
from IPython.display import HTML
HTML('<table class="pg-table"><caption>Counts by kind</caption><tr><td>7</td></tr></table>')
```
"""


@pytest.mark.site
def test_a_labelled_table_is_cited_by_its_number(tmp_path):
    root = tiny_book(
        tmp_path, f"# Page\n\nSee {{numref}}`tab-counts`.\n\n(tab-counts)=\n{TABLE_CELL}"
    )
    build.build_edition("en", tmp_path / "out", root=root)
    page = (tmp_path / "out" / "en" / "_build" / "html" / "index.html").read_text()
    cited = re.search(r'<a class="reference internal" href="#tab-counts">(.*?)</a>', page, re.S)
    assert cited and re.sub(r"<[^>]+>", "", cited.group(1)).strip() == "Table 1"
    assert re.search(r'id="tab-counts".*?<caption>.*?Table 1.*?Counts by kind', page, re.S)


@pytest.mark.site
def test_a_table_label_that_names_no_table_fails_the_strict_build(tmp_path):
    body = f"# Page\n\n(tab-words)=\nA paragraph, not a table.\n\n(tab-counts)=\n{TABLE_CELL}"
    root = tiny_book(tmp_path, body)
    with pytest.raises(SystemExit, match="failed to build"):
        build.build_edition("en", tmp_path / "out", root=root)
    log = (tmp_path / "out" / "en" / "build.log").read_text()
    assert "label 'tab-words' stands above something that is no table" in log
