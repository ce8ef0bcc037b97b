import pytest
from factories import tiny_book
from sphinx.errors import ConfigError

from platformgov.paths import ROOT
from platformgov.site import build
from platformgov.site.sphinxext import SITE_URL_ENV


def test_chooser_page_links_both_editions(tmp_path):
    for edition in ("ko", "en"):
        html = tmp_path / edition / "_build" / "html"
        html.mkdir(parents=True)
        (html / "index.html").write_text("<html></html>")
    site = build.assemble(tmp_path, {"ko": "제목", "en": "Title"})
    page = (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in page
    assert 'href="ko/index.html"' in page and 'href="en/index.html"' in page
    assert '<span lang="ko">제목</span>' in page
    assert (site / "ko" / "index.html").exists()
    assert 'hreflang="x-default" href="index.html"' in page


def test_chooser_links_absolutely_once_the_address_is_known(tmp_path):
    for edition in ("ko", "en"):
        html = tmp_path / edition / "_build" / "html"
        html.mkdir(parents=True)
        (html / "index.html").write_text("<html></html>")
    site = build.assemble(tmp_path, {"ko": "제목", "en": "Title"}, "https://example.org/book")
    page = (site / "index.html").read_text(encoding="utf-8")
    assert (
        '<link rel="alternate" hreflang="ko" href="https://example.org/book/ko/index.html">' in page
    )
    # The buttons a reader clicks stay relative: the site works wherever it is opened.
    assert '<a href="en/index.html"' in page


def test_site_address_comes_from_config_or_environment(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    root.mkdir()
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    (root / "_config.yml").write_text(config, encoding="utf-8")
    monkeypatch.delenv(SITE_URL_ENV, raising=False)
    assert build.site_url_from_config(root) == ""
    monkeypatch.setenv(SITE_URL_ENV, "https://example.org/book/")
    assert build.site_url_from_config(root) == "https://example.org/book"
    monkeypatch.setenv(SITE_URL_ENV, "example.org/book")
    with pytest.raises(ConfigError, match=r"example\.org/book.*absolute http"):
        build.site_url_from_config(root)


@pytest.mark.site
def test_a_failing_cell_fails_the_build_and_shows_the_traceback(tmp_path, capfd):
    root = tiny_book(tmp_path, "```{code-cell} ipython3\nvalue = 1 / 0\n```\n")
    with pytest.raises(SystemExit, match="failed to build"):
        build.build_edition("en", tmp_path / "out", root=root)
    output = capfd.readouterr().out
    assert "ZeroDivisionError" in output
    assert "value = 1 / 0" in output, "the failing line is not shown"


@pytest.mark.site
def test_a_sphinx_warning_fails_the_build(tmp_path):
    root = tiny_book(tmp_path, "See [a page that does not exist](nowhere.md).\n")
    with pytest.raises(SystemExit, match="failed to build"):
        build.build_edition("en", tmp_path / "out", root=root)
    assert "nowhere" in (tmp_path / "out" / "en" / "build.log").read_text()


@pytest.mark.site
def test_a_cell_writing_to_stderr_fails_the_build(tmp_path):
    body = "```{code-cell} ipython3\nimport warnings\nwarnings.warn('stale')\n```\n"
    root = tiny_book(tmp_path, body)
    with pytest.raises(SystemExit, match="failed to build"):
        build.build_edition("en", tmp_path / "out", root=root)
