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
