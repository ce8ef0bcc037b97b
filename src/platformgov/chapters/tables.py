"""Accessible HTML tables for the book.

pandas' own HTML leaves the corner header cell empty and does not tie header cells to their
rows and columns. These tables have a caption, ``scope`` on every header cell, no empty header,
numbers right-aligned, and an optional footer (N, R² under a coefficient table).

A table sits in two boxes: ``pg-table-wrap`` scrolls sideways when the table is wider than the
column (a phone), and ``pg-table-scroll`` around it holds what shows that it does (the page's
CSS keeps the row headers in view and shades the cut edge; the site adds a hint in the
edition's words, :mod:`platformgov.site.sphinxext`).
"""

from __future__ import annotations

import html
import numbers
from dataclasses import dataclass

import pandas as pd
from IPython.display import Markdown

from platformgov.labels import label


def fmt_number(value: object, digits: int = 3) -> str:
    """Format a number for a table: integers plainly, floats with ``digits`` decimals, blanks for missing."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return f"{value:,d}"
    if isinstance(value, numbers.Real):
        return f"{value:,.{digits}f}"
    return str(value)


@dataclass
class Table:
    """A DataFrame shown as an accessible HTML table.

    ``frame``'s index gives the row headers and ``index_label`` names that column (never empty).
    The last ``footer_rows`` rows go to ``<tfoot>``. Cell strings are escaped, except that a
    line break written as ``\\n`` becomes ``<br>``.
    """

    frame: pd.DataFrame
    caption: str
    index_label: str
    footer_rows: int = 0
    note: str = ""
    digits: int = 3

    def __post_init__(self) -> None:
        if not self.index_label.strip():
            raise ValueError("index_label must name the row-header column")
        if not self.caption.strip():
            raise ValueError("a table needs a caption")
        empty = [str(c) for c in self.frame.columns if not str(c).strip()]
        if empty:
            raise ValueError("every column needs a header")

    def _cell(self, value: object) -> tuple[str, bool]:
        numeric = isinstance(value, numbers.Number) and not isinstance(value, bool)
        text = fmt_number(value, self.digits) if numeric else ("" if pd.isna(value) else str(value))
        return html.escape(text).replace("\n", "<br>"), numeric

    def _row(self, label: object, values: pd.Series) -> str:
        cells = [f'<th scope="row">{html.escape(str(label))}</th>']
        for value in values:
            text, numeric = self._cell(value)
            looks_numeric = numeric or _is_numeric_text(text)
            cells.append(f'<td class="num">{text}</td>' if looks_numeric else f"<td>{text}</td>")
        return "<tr>" + "".join(cells) + "</tr>"

    def to_html(self) -> str:
        head = "".join(
            f'<th scope="col">{html.escape(str(c))}</th>'
            for c in [self.index_label, *self.frame.columns]
        )
        n_body = len(self.frame) - self.footer_rows
        body = "".join(self._row(i, r) for i, r in self.frame.iloc[:n_body].iterrows())
        foot = "".join(self._row(i, r) for i, r in self.frame.iloc[n_body:].iterrows())
        parts = [
            '<div class="pg-table-scroll"><div class="pg-table-wrap"><table class="pg-table">',
            f"<caption>{html.escape(self.caption)}</caption>",
            f"<thead><tr>{head}</tr></thead>",
            f"<tbody>{body}</tbody>",
        ]
        if foot:
            parts.append(f"<tfoot>{foot}</tfoot>")
        parts.append("</table></div></div>")
        if self.note:
            parts.append(f'<p class="pg-table-note">{html.escape(self.note)}</p>')
        return "".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()


def as_table(
    frame: pd.DataFrame,
    lang: str,
    caption_key: str,
    index_key: str,
    *,
    empty_key: str | None = None,
    note_key: str | None = None,
    caption_detail: str = "",
    footer_rows: int = 0,
    digits: int = 3,
) -> Table | Markdown:
    """``frame`` as an accessible table with a caption and row-header name from the label table;
    an empty ``frame`` becomes the sentence ``empty_key`` instead (a table with no rows says
    nothing). ``caption_detail`` is added to the caption after a colon."""
    if frame.empty:
        if empty_key is None:
            raise ValueError(f"nothing to show for {caption_key!r} and no sentence for it")
        return Markdown(label(empty_key, lang))
    return Table(
        frame,
        caption=f"{label(caption_key, lang)}: {caption_detail}"
        if caption_detail
        else label(caption_key, lang),
        index_label=label(index_key, lang),
        footer_rows=footer_rows,
        note=label(note_key, lang) if note_key else "",
        digits=digits,
    )


def _is_numeric_text(text: str) -> bool:
    stripped = text.replace(",", "").replace("<br>", "").replace("*", "").strip("()% ")
    for token in stripped.replace("(", " ").replace(")", " ").split():
        try:
            float(token)
        except ValueError:
            return False
    return bool(stripped)
