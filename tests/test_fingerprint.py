"""The build fingerprint: what changes it and what does not."""

import json
import re
import shutil

import pytest

from platformgov import fingerprint as fp
from platformgov import paths
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
    first = fp.fingerprint(root)
    assert fp.fingerprint(root) == first

    (root / "data" / "table.csv").write_text("a,b\n1,3\n")
    second = fp.fingerprint(root)
    assert second != first

    (root / "src" / "platformgov" / "measures.py").write_text("X = 2\n")
    third = fp.fingerprint(root)
    assert third != second

    survey = tmp_path / "survey"
    survey.mkdir()
    (survey / "platforms.csv").write_text("platform_id\n")
    monkeypatch.setenv(SURVEY_ENV, str(survey))
    fourth = fp.fingerprint(root)
    assert fourth != third
    (survey / "platforms.csv").write_text("platform_id\nP00001\n")
    assert fp.fingerprint(root) != fourth


def test_fingerprint_does_not_depend_on_the_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    first, second = make_root(tmp_path / "one"), make_root(tmp_path / "two")
    for root in (first, second):
        (root / "data" / "synthetic").mkdir()
        (root / "data" / "synthetic" / "platforms.csv").write_text("platform_id\nP00001\n")
    survey = "data/synthetic"
    assert fp.fingerprint(first, first / survey) == fp.fingerprint(second, second / survey)


def test_fingerprint_changes_with_names_and_the_kind_of_survey(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    root = make_root(tmp_path)
    synthetic = root / "data" / "synthetic"
    synthetic.mkdir()
    (synthetic / "platforms.csv").write_text("platform_id\nP00001\n")
    before = fp.fingerprint(root, synthetic)
    (root / "src" / "platformgov" / "measures.py").rename(root / "src" / "platformgov" / "m.py")
    assert fp.fingerprint(root, synthetic) != before
    # The same files outside the repository are "real" data: the pages say so, so they re-run.
    outside = tmp_path / "copy"
    outside.mkdir()
    (outside / "platforms.csv").write_text("platform_id\nP00001\n")
    names = [name for name, _ in fp.fingerprint_inputs(root, outside)]
    assert f"{fp.SURVEY_PREFIX}platforms.csv" in names
    assert not any(str(tmp_path) in name for name in names)
    assert fp.fingerprint(root, outside) != fp.fingerprint(root, synthetic)


def test_bytecode_caches_do_not_count(tmp_path, monkeypatch):
    monkeypatch.delenv(SURVEY_ENV, raising=False)
    root = make_root(tmp_path)
    before = fp.fingerprint(root)
    cache = root / "src" / "platformgov" / "__pycache__"
    cache.mkdir()
    (cache / "measures.cpython-311.pyc").write_bytes(b"\0\1")
    assert fp.fingerprint(root) == before
    shutil.rmtree(cache)


@pytest.mark.skipif(not paths.MATHJAX.exists(), reason="npm ci has not installed MathJax")
def test_typesetting_versions_name_the_installed_mathjax_and_node():
    found = fp.typesetting_versions()
    pinned = json.loads((paths.MATHJAX / "package.json").read_text(encoding="utf-8"))
    assert found["MathJax"] == pinned["version"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", found["Node.js"])


def test_typesetting_versions_say_none_when_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(fp.shutil, "which", lambda name: None)
    monkeypatch.setattr(fp.paths, "MATHJAX", tmp_path / "mathjax-full")
    assert fp.typesetting_versions() == {"MathJax": None, "Node.js": None}
