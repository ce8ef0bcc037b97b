import re

import pandas as pd
import pytest
from IPython.display import Markdown

from platformgov.chapters.tables import Table, as_table, fmt_number
from platformgov.labels import label


def make_table(**kwargs):
    frame = pd.DataFrame(
        {"A & B": [1.23456, 2.0, 30], "Text": ["x<y", "1.5\n(0.2)", None]},
        index=["first", "second", "N"],
    )
    return Table(frame, caption="Caption", index_label="Term", **kwargs)


def test_headers_are_scoped_and_never_empty():
    html = make_table(footer_rows=1).to_html()
    headers = re.findall(r"<th( [^>]*)?>(.*?)</th>", html)
    assert headers, "no header cells"
    for attrs, text in headers:
        assert 'scope="col"' in attrs or 'scope="row"' in attrs
        assert text.strip()
    assert "<caption>Caption</caption>" in html
    assert '<tfoot><tr><th scope="row">N</th>' in html


def test_cells_are_escaped_and_numbers_aligned():
    html = make_table().to_html()
    assert "A &amp; B" in html and "x&lt;y" in html
    assert '<td class="num">1.235</td>' in html
    assert '<td class="num">1.5<br>(0.2)</td>' in html


def test_missing_names_are_rejected():
    with pytest.raises(ValueError, match="index_label"):
        Table(pd.DataFrame({"a": [1]}), caption="c", index_label=" ")
    with pytest.raises(ValueError, match="caption"):
        Table(pd.DataFrame({"a": [1]}), caption="", index_label="x")


def test_number_format():
    assert fmt_number(1234) == "1,234"
    assert fmt_number(0.5, 2) == "0.50"
    assert fmt_number(float("nan")) == ""


def test_as_table_and_its_empty_sentence():
    frame = pd.DataFrame({"a": [1]}, index=["x"])
    shown = as_table(frame, "en", "data.caption.rules", "data.col.rule", caption_detail="Z")
    assert isinstance(shown, Table)
    assert shown.caption == f"{label('data.caption.rules', 'en')}: Z"
    empty = as_table(
        frame.iloc[:0], "ko", "data.caption.rules", "data.col.rule", empty_key="data.none.issues"
    )
    assert isinstance(empty, Markdown)
    assert empty.data == label("data.none.issues", "ko")
    with pytest.raises(ValueError):
        as_table(frame.iloc[:0], "en", "data.caption.rules", "data.col.rule")
