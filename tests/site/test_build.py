import shutil

import pytest
from factories import tiny_book
from sphinx.errors import ConfigError

from platformgov.paths import ROOT, SURVEY_ENV
from platformgov.site import build
from platformgov.site.sphinxext import SITE_URL_ENV


def make_root(tmp_path):
    root = tmp_path / "repo"
    (root / "src" / "platformgov").mkdir(parents=True)
    (root / "src" / "platformgov" / "measures.py").write_text("X = 1\n")
    (root / "data").mkdir()
    (root / "data" / "table.csv").write_text("a,b\n1,2\n")
    (root / "requirements.txt").write_text("pandas\n")
    return root


def test_fingerprint_changes_with_src_data_and_survey(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    root = make_root(tmp_path)
    first = build.fingerprint(root)
    assert build.fingerprint(root) == first

    (root / "data" / "table.csv").write_text("a,b\n1,3\n")
    second = build.fingerprint(root)
    assert second != first

    (root / "src" / "platformgov" / "measures.py").write_text("X = 2\n")
    third = build.fingerprint(root)
    assert third != second

    survey = tmp_path / "survey"
    survey.mkdir()
    (survey / "platforms.csv").write_text("platform_id\n")
    monkeypatch.setenv(SURVEY_ENV, str(survey))
    fourth = build.fingerprint(root)
    assert fourth != third
    (survey / "platforms.csv").write_text("platform_id\nP00001\n")
    assert build.fingerprint(root) != fourth


def test_fingerprint_does_not_depend_on_the_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    first, second = make_root(tmp_path / "one"), make_root(tmp_path / "two")
    for root in (first, second):
        (root / "data" / "synthetic").mkdir()
        (root / "data" / "synthetic" / "platforms.csv").write_text("platform_id\nP00001\n")
    survey = "data/synthetic"
    assert build.fingerprint(first, first / survey) == build.fingerprint(second, second / survey)


def test_fingerprint_changes_with_names_and_the_kind_of_survey(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    root = make_root(tmp_path)
    synthetic = root / "data" / "synthetic"
    synthetic.mkdir()
    (synthetic / "platforms.csv").write_text("platform_id\nP00001\n")
    before = build.fingerprint(root, synthetic)
    (root / "src" / "platformgov" / "measures.py").rename(root / "src" / "platformgov" / "m.py")
    assert build.fingerprint(root, synthetic) != before
    # The same files outside the repository are "real" data: the pages say so, so they re-run.
    outside = tmp_path / "copy"
    outside.mkdir()
    (outside / "platforms.csv").write_text("platform_id\nP00001\n")
    names = [name for name, _ in build.fingerprint_inputs(root, outside)]
    assert f"{build.SURVEY_PREFIX}platforms.csv" in names
    assert not any(str(tmp_path) in name for name in names)
    assert build.fingerprint(root, outside) != build.fingerprint(root, synthetic)


def test_bytecode_caches_do_not_count(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    root = make_root(tmp_path)
    before = build.fingerprint(root)
    cache = root / "src" / "platformgov" / "__pycache__"
    cache.mkdir()
    (cache / "measures.cpython-311.pyc").write_bytes(b"\0\1")
    assert build.fingerprint(root) == before
    shutil.rmtree(cache)


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
