import pytest
from factories import tiny_book
from sphinx.errors import ConfigError

from platformgov.paths import ROOT, SURVEY_ENV
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


# --- the survey is checked first; the previous site stays until the new one replaces it --------


@pytest.fixture
def book_with_site(tmp_path, monkeypatch):
    """A tiny two-edition book whose output folder holds a previous site; starting a build
    process fails the test."""
    root = tiny_book(tmp_path, "A page with no code.\n", editions=("ko", "en"))
    out = tmp_path / "out"
    (out / "site").mkdir(parents=True)
    (out / "site" / "index.html").write_text("previous")

    def no_process(*args, **kwargs):
        raise AssertionError("a page was built although the survey cannot be used")

    monkeypatch.setattr(build.subprocess, "Popen", no_process)
    monkeypatch.setenv("PLATFORMGOV_PDF", "0")  # the fake pages cannot be printed
    return root, out


def assert_previous_site_kept(out, said: str) -> None:
    """The site is untouched, and the last thing said (printed, or the message the build stops
    with) is that it is the previous one."""
    assert (out / "site" / "index.html").read_text() == "previous"
    last = said.strip().splitlines()[-1]
    assert last.startswith(
        f"platformgov: the site in {out / 'site'} is still the previous build, of "
    )


def test_a_missing_survey_stops_the_build_before_any_page_runs(
    book_with_site, tmp_path, monkeypatch, capfd
):
    root, out = book_with_site
    monkeypatch.setenv(SURVEY_ENV, str(tmp_path / "no-such-survey"))
    with pytest.raises(SystemExit, match="no-such-survey, which does not exist") as stop:
        build.build_site(out, root=root)
    assert_previous_site_kept(out, capfd.readouterr().out + str(stop.value))


def test_an_empty_survey_folder_stops_the_build_with_the_report(
    book_with_site, tmp_path, monkeypatch, capfd
):
    root, out = book_with_site
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv(SURVEY_ENV, str(tmp_path / "empty"))
    with pytest.raises(SystemExit) as stop:
        build.build_site(out, root=root)
    message = str(stop.value)
    assert "platforms.csv: missing-table: the folder has no platforms.csv" in message
    assert "Result: INVALID" in message
    assert "no accepted rows" in message
    assert_previous_site_kept(out, capfd.readouterr().out + message)


def test_a_survey_variable_set_but_empty_stops_even_an_up_to_date_build(
    book_with_site, monkeypatch
):
    root, out = book_with_site
    monkeypatch.setenv(SURVEY_ENV, " ")
    (out / build.SITE_STAMP).write_text(build.site_stamp(root))
    with pytest.raises(SystemExit, match=f"{SURVEY_ENV} is set but empty"):
        build.build_site(out, root=root)


def fake_editions(out, editions, *, fresh, root):
    for edition in editions:
        html = out / edition / "_build" / "html"
        html.mkdir(parents=True, exist_ok=True)
        (html / "index.html").write_text(f"new {edition}")


def test_rejected_rows_are_shown_and_the_book_is_built_from_the_rest(
    book_with_site, survey_dir, survey_tables, write_survey, monkeypatch, capfd
):
    root, out = book_with_site
    survey_tables["performance"][0]["dem_1"] = "9"
    write_survey(survey_dir, survey_tables)
    monkeypatch.setenv(SURVEY_ENV, str(survey_dir))
    monkeypatch.setattr(build, "_build_editions", fake_editions)
    site = build.build_site(out, root=root)
    printed = capfd.readouterr().out
    assert "performance.csv row 2, column 'dem_1', value '9': likert-range" in printed
    assert "the 1 rejected rows are left out" in printed
    assert (site / "en" / "index.html").read_text() == "new en"
    assert not [p.name for p in out.iterdir() if p.name.startswith((".site", "site."))]


@pytest.mark.parametrize("stop", [SystemExit("the en edition failed"), KeyboardInterrupt()])
def test_a_failed_or_interrupted_build_keeps_the_previous_site(
    book_with_site, monkeypatch, capfd, stop
):
    root, out = book_with_site

    def failing(out_, editions, *, fresh, root):
        fake_editions(out_, editions, fresh=fresh, root=root)
        raise stop

    monkeypatch.setattr(build, "_build_editions", failing)
    with pytest.raises(type(stop)) as raised:
        build.build_site(out, root=root)
    said = capfd.readouterr().out
    if isinstance(stop, SystemExit):
        assert str(raised.value).startswith("the en edition failed\n")
        said += str(raised.value)
    assert_previous_site_kept(out, said)


def test_the_new_site_replaces_the_old_in_one_step(tmp_path):
    site = tmp_path / "site"
    (site / "old-page").mkdir(parents=True)
    new = tmp_path / ".site-new"
    new.mkdir()
    (new / "index.html").write_text("new")
    build.swap_in(new, site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert [p.name for p in site.iterdir()] == ["index.html"]
    # With no previous site, the new one is simply moved into place.
    other = tmp_path / "other"
    other.mkdir()
    build.swap_in(other, tmp_path / "fresh")
    assert (tmp_path / "fresh").is_dir() and not other.exists()


def test_an_edition_whose_kernel_lost_the_port_race_is_built_once_more(tmp_path, monkeypatch):
    runs = iter([(1, True), (0, False)])
    calls = []

    def fake_run(command, root, env, log, prefix):
        calls.append(command)
        return next(runs)

    monkeypatch.setattr(build, "_run_logged", fake_run)
    build.build_edition("en", tmp_path, root=tmp_path)
    assert len(calls) == 2

    monkeypatch.setattr(build, "_run_logged", lambda *a: (1, False))
    with pytest.raises(SystemExit, match="the en edition failed"):
        build.build_edition("en", tmp_path / "other", root=tmp_path)


def test_a_kernel_race_is_recognised_in_the_build_output(tmp_path):
    import sys

    script = "print('zmq.error.ZMQError: Address already in use'); raise SystemExit(1)"
    code, raced = build._run_logged(
        [sys.executable, "-c", script], tmp_path, {}, tmp_path / "log", ""
    )
    assert (code, raced) == (1, True)
    code, raced = build._run_logged(
        [sys.executable, "-c", "print('fine')"], tmp_path, {}, tmp_path / "log", ""
    )
    assert (code, raced) == (0, False)
