import shutil

from platformgov import build
from platformgov.paths import SURVEY_ENV


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
