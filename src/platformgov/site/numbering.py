"""Numbers and captions for the figures and tables that chapters' cells output.

A cell's figure (a PNG output) becomes a Sphinx figure and its table (an HTML ``pg-table``
output, :mod:`platformgov.chapters.tables`) a numbered table, so that both are numbered per
chapter ("그림 4.2", "Table 3.1", ``numfig``) and can be cited by number with ``{numref}``.

A page names them with a MyST label right above the cell: ``(fig-…)=`` for its figure,
``(tab-…)=`` for its table. A cell that outputs several tables (one per platform type, say)
gives the label to the first; the others are named after it, ``<label>-2``, ``<label>-3``, …
A figure's caption is the label table's ``caption.<label>`` in the edition's language, shown
under the image; a table keeps its own ``<caption>`` (one source: the table's title, made by
:mod:`platformgov.chapters.tables`), which the number is put in front of.

The strict build fails on a figure or table without a label, a figure label without a caption,
and a ``fig-``/``tab-`` label that names no figure or table (a table label above a paragraph, a
cell that outputs no table): a ``{numref}`` to it would cite nothing.
"""

from __future__ import annotations

import html
import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from platformgov.labels import label

logger = logging.getLogger(__name__)

FIGURE_PREFIX = "fig-"
TABLE_PREFIX = "tab-"
CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
CAPTION_OPEN = re.compile(r"<caption\b[^>]*>")
TAG = re.compile(r"<[^>]+>")


class numbered_table(nodes.General, nodes.Element):  # docutils names its node classes so
    """A cell's HTML table, numbered as a table; ``caption`` holds its caption as text."""


def table_caption(markup: str) -> str:
    """The text of the first ``<caption>`` in ``markup`` ("" if it has none)."""
    match = CAPTION.search(markup)
    return " ".join(html.unescape(TAG.sub("", match.group(1))).split()) if match else ""


def _is_code_cell(node) -> bool:
    return isinstance(node, nodes.container) and node.get("nb_element") == "cell_code"


def _bundles(cell) -> list[nodes.container]:
    return [
        n
        for n in cell.findall(nodes.container)
        if n.get("nb_element") == "mime_bundle" and not isinstance(n.parent, nodes.figure)
    ]


def _html_of(bundle) -> str:
    for raw in bundle.findall(nodes.raw):
        if raw.get("format") == "html" and 'class="pg-table' in raw.astext():
            return raw.astext()
    return ""


def _has_image(bundle) -> bool:
    return any(True for _ in bundle.findall(nodes.image))


class NumberCellOutputs(SphinxTransform):
    """Wrap each cell's figure and table outputs in numbered nodes (see the module's doc)."""

    # After docutils moved a label onto the cell (PropagateTargets, 260), before Sphinx's
    # domains collect the labels (SphinxDomains, 850).
    default_priority = 800

    def apply(self, **kwargs) -> None:
        edition = self.config.platformgov_edition
        for cell in list(self.document.findall(_is_code_cell)):
            bundles = _bundles(cell)
            figures = [b for b in bundles if _has_image(b)]
            tables = [b for b in bundles if b not in figures and _html_of(b)]
            for i, bundle in enumerate(figures):
                name = self._take_label(cell, FIGURE_PREFIX) if i == 0 else ""
                self._figure(bundle, name, edition, cell)
            first = self._take_label(cell, TABLE_PREFIX) if tables else ""
            for i, bundle in enumerate(tables):
                self._table(bundle, first if i == 0 else (first and f"{first}-{i + 1}"), cell)
        self._check_labels()

    def _check_labels(self) -> None:
        """Warn about each ``fig-``/``tab-`` label that names no figure or table."""
        for name, explicit in self.document.nametypes.items():
            if not explicit or not name.startswith((FIGURE_PREFIX, TABLE_PREFIX)):
                continue
            node = self.document.ids.get(self.document.nameids.get(name))
            kind, numbered = (
                ("figure", nodes.figure)
                if name.startswith(FIGURE_PREFIX)
                else ("table", (numbered_table, nodes.table))
            )
            if node is None or not isinstance(node, numbered):
                where = "a cell that outputs no" if _is_code_cell(node) else "something that is no"
                logger.warning(
                    f"label {name!r} stands above {where} {kind}: a {kind} label belongs right "
                    f"above the cell that outputs the {kind}",
                    location=node if node is not None else self.document,
                )

    def _take_label(self, cell, prefix: str) -> str:
        """Move the cell's label with ``prefix`` (if any) from the cell to what it names."""
        for name in cell["names"]:
            if name.startswith(prefix):
                cell["names"].remove(name)
                node_id = self.document.nameids[name]
                if node_id in cell["ids"]:
                    cell["ids"].remove(node_id)
                return name
        return ""

    def _adopt(self, node, name: str) -> None:
        if name in self.document.nameids:
            node_id = self.document.nameids[name]
            node["ids"].append(node_id)
            node["names"].append(name)
            self.document.ids[node_id] = node
        elif name:  # a name derived from the cell's label: a new explicit target
            node["names"].append(name)
            self.document.note_explicit_target(node)
        else:
            self.document.set_id(node)

    def _figure(self, bundle, name: str, edition: str, cell) -> None:
        figure = nodes.figure(classes=["pg-figure"])
        self._adopt(figure, name)
        bundle.replace_self(figure)
        figure += bundle
        if not name:
            logger.warning(
                "a figure needs a label above its cell, such as (fig-page-what)=, and a caption "
                "in data/labels.csv (caption.fig-page-what)",
                location=cell,
            )
            return
        try:
            text = label(f"caption.{name}", edition)
        except KeyError:
            logger.warning(
                f"figure {name!r} has no caption: add caption.{name} to data/labels.csv",
                location=cell,
            )
            return
        figure += nodes.caption(text, text)

    def _table(self, bundle, name: str, cell) -> None:
        table = numbered_table(caption=table_caption(_html_of(bundle)))
        self._adopt(table, name)
        bundle.replace_self(table)
        table += bundle
        if not name:
            logger.warning(
                "a table needs a label above its cell, such as (tab-page-what)=, to be cited "
                "by number",
                location=cell,
            )


def visit_numbered_table_html(self, node) -> None:
    node["pg_start"] = len(self.body)
    self.body.append(self.starttag(node, "div", CLASS="pg-numbered-table"))


def depart_numbered_table_html(self, node) -> None:
    start = node["pg_start"]
    markup = "".join(self.body[start:])
    del self.body[start:]
    self.add_fignumber(node)
    number = "".join(self.body[start:])
    del self.body[start:]
    self.body.append(CAPTION_OPEN.sub(lambda m: m.group(0) + number, markup, count=1) + "</div>")


def _pass(self, node) -> None:
    pass


def numfig_formats(edition: str) -> dict[str, str]:
    """``numfig_format`` in the edition's words: "그림 %s" / "Figure %s", …"""
    return {
        kind: label(f"ui.numfig_{kind}", edition)
        for kind in ("figure", "table", "code-block", "section")
    }


def setup(app: Sphinx) -> None:
    app.add_enumerable_node(
        numbered_table,
        "table",
        lambda node: node.get("caption", ""),
        html=(visit_numbered_table_html, depart_numbered_table_html),
        latex=(_pass, _pass),
        text=(_pass, _pass),
    )
    app.add_transform(NumberCellOutputs)
