import pytest
from docutils import nodes
from sphinx.errors import ConfigError

from platformgov.site.sphinxext import (
    alternate_links,
    checked_site_url,
    edition_of,
    page_description,
)


def test_edition_is_the_source_folder_name(tmp_path):
    assert edition_of(tmp_path / "ko") == "ko"
    with pytest.raises(ConfigError, match="must be one of"):
        edition_of(tmp_path / "fr")


def test_description_skips_banners_and_cuts_long_text():
    doc = nodes.document(None, None)
    banner = nodes.admonition()
    banner += nodes.paragraph(text="Synthetic data banner")
    doc += banner
    doc += nodes.paragraph(text="word " * 100)
    text = page_description(doc, "Title")
    assert not text.startswith("Synthetic")
    assert len(text) <= 156 and text.endswith("…")
    assert page_description(nodes.document(None, None), "Only <b>fallback</b>") == "Only fallback"


def test_hreflang_links_are_absolute_once_the_site_address_is_known():
    relative = alternate_links("", "../", "data.html")
    assert relative == [
        '<link rel="alternate" hreflang="ko" href="../ko/data.html" />',
        '<link rel="alternate" hreflang="en" href="../en/data.html" />',
    ]
    absolute = alternate_links("https://example.org/book", "../", "data.html")
    assert (
        absolute[1]
        == '<link rel="alternate" hreflang="en" href="https://example.org/book/en/data.html" />'
    )


@pytest.mark.parametrize("value", ["example.org", "ftp://example.org/", "https://", "https://a b/"])
def test_a_site_address_must_be_an_absolute_web_url(value):
    with pytest.raises(ConfigError, match="absolute http"):
        checked_site_url(value)


def test_site_address_loses_its_trailing_slash():
    assert checked_site_url(" https://example.org/book/ ") == "https://example.org/book"
    assert checked_site_url("") == ""


def test_bibliography_labels_are_author_year_like_the_citations():
    from pybtex.database import parse_string

    from platformgov.site.sphinxext import author_year_label, author_year_style

    bib = parse_string(
        """
        @article{a, author = {Cronbach, Lee J.}, title = {T}, journal = {J}, year = {1951}}
        @article{b, author = {Janssen, Marijn and Estevez, Elsa}, title = {T}, journal = {J},
                 year = {2013}}
        @article{c, author = {Lee, K. and Park, J. and Ryu, L.}, title = {T1}, journal = {J},
                 year = {2022}}
        @article{d, author = {Lee, K. and Kim, S. and Choi, H.}, title = {T2}, journal = {J},
                 year = {2022}}
        @misc{e, author = {{전자신문}}, title = {T}, year = {2022}}
        """,
        "bibtex",
    )
    assert author_year_label(bib.entries["a"]) == "Cronbach, 1951"
    assert author_year_label(bib.entries["b"]) == "Janssen and Estevez, 2013"
    assert author_year_label(bib.entries["e"]) == "전자신문, 2022"
    labels = {e.key: e.label for e in author_year_style()().format_bibliography(bib)}
    assert labels["a"] == "Cronbach, 1951"
    assert sorted([labels["c"], labels["d"]]) == ["Lee et al., 2022a", "Lee et al., 2022b"]
