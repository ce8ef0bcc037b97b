import dataclasses
import hashlib
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from platformgov import fingerprint as fp
from platformgov import paths
from platformgov.chapters import reproducibility as rp
from platformgov.inputs.survey import load_survey
from platformgov.labels import LANGS, label


def make_root(base: Path) -> Path:
    """A tiny repository with every input of the build fingerprint, the survey inside ``data``."""
    root = base / "repo"
    (root / "src" / "platformgov").mkdir(parents=True)
    (root / "src" / "platformgov" / "measures.py").write_text("X = 1\n")
    (root / "data" / "synthetic").mkdir(parents=True)
    (root / "data" / "codebook.csv").write_text("table,variable\n")
    (root / "data" / "synthetic" / "platforms.csv").write_text("platform_id\nP00001\n")
    (root / "requirements.txt").write_text("pandas==3.0\n")
    return root


def test_sha256_file_hashes_the_bytes(tmp_path):
    path = tmp_path / "f.bin"
    data = bytes(range(256)) * 5000
    path.write_bytes(data)
    assert rp.sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_grouped_digits_read_back_unchanged():
    digest = hashlib.sha256(b"x").hexdigest()
    shown = rp.grouped(digest)
    assert shown.replace(" ", "") == digest
    assert [len(group) for group in shown.split(" ")] == [16] * 4


def test_pinned_versions_reads_exact_pins_only(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text(
        "# comment\nJupyter_Book==1.0.4.post1\nsphinx == 7.4.7   # note\njupytext\n"
        "geopandas>=1.0\ndjango-static-mathjax==3.2.2.1   # MathJax\n\n"
    )
    assert rp.pinned_versions(req) == {
        "jupyter-book": "1.0.4.post1",
        "sphinx": "7.4.7",
        "django-static-mathjax": "3.2.2.1",
    }


def test_package_versions_reports_missing_packages_as_none():
    import pandas

    versions = rp.package_versions(["pandas", "no-such-distribution-xyz"])
    assert versions == {"pandas": pandas.__version__, "no-such-distribution-xyz": None}


def test_every_key_package_is_looked_up():
    record_versions = rp.package_versions()
    assert list(record_versions) == list(rp.KEY_PACKAGES)


def test_git_commit_is_absent_outside_a_checkout(tmp_path):
    assert rp.git_commit(tmp_path) == (None, None)


def test_git_commit_reads_head_and_uncommitted_changes(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    repo = tmp_path / "checkout"
    repo.mkdir()

    def git(*args):
        return subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=repo,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    (repo / "a.txt").write_text("a\n")
    git("add", "a.txt")
    git("commit", "-q", "-m", "first")
    head = git("rev-parse", "HEAD")
    assert rp.git_commit(repo) == (head, False)
    (repo / "a.txt").write_text("b\n")
    assert rp.git_commit(repo) == (head, True)


def test_display_name_never_shows_a_folder_outside_the_repository(tmp_path):
    survey = tmp_path / "secret" / "survey"
    survey.mkdir(parents=True)
    (survey / "platforms.csv").write_text("x\n")
    env = f"${paths.SURVEY_ENV}"
    assert rp.display_name(paths.CODEBOOK) == "data/codebook.csv"
    assert rp.display_name(survey / "platforms.csv", survey=survey) == f"{env}/platforms.csv"
    assert rp.display_name(survey, survey=survey) == env
    single = survey / "platforms.csv"
    assert rp.display_name(single, survey=single) == env
    assert "secret" not in rp.display_name(single)


def test_survey_files_are_the_files_actually_read(survey_dir):
    (survey_dir / "README.md").write_text("not a table\n")
    survey = load_survey(survey_dir)
    found = rp.survey_files(survey)
    assert [(p.name, tables) for p, tables in found] == [
        ("platforms.csv", ("platforms",)),
        ("performance.csv", ("performance",)),
        ("organisations.csv", ("organisations",)),
    ]


def test_a_workbook_is_listed_once_with_its_tables(tmp_path, survey_tables):
    workbook = tmp_path / "survey.xlsx"
    with pd.ExcelWriter(workbook) as writer:
        for table, rows in survey_tables.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=table, index=False)
    survey = load_survey(workbook)
    assert survey.report.ok, survey.report.to_text()
    found = rp.survey_files(survey)
    assert len(found) == 1
    path, tables = found[0]
    assert path == workbook.resolve()
    assert set(tables) == {"platforms", "performance", "organisations"}


def test_data_files_hash_every_file_the_book_reads(survey_dir):
    files = rp.data_files(load_survey(survey_dir))
    assert [f.role for f in files] == [*rp.ROLES[:-1], "survey", "survey", "survey"]
    for f in files:
        path = paths.ROOT / f.name if not f.name.startswith("$") else survey_dir / Path(f.name).name
        assert f.sha256 == rp.sha256_file(path)
        assert f.size == path.stat().st_size


@pytest.fixture(scope="module")
def repository_record():
    import os

    saved = os.environ.pop(paths.SURVEY_ENV, None)
    try:
        yield rp.collect()
    finally:
        if saved is not None:
            os.environ[paths.SURVEY_ENV] = saved


def test_the_repository_record(repository_record):
    record = repository_record
    assert record.data_source == "synthetic"
    assert record.survey_source == paths.SYNTHETIC.relative_to(paths.ROOT).as_posix()
    assert record.fingerprint == fp.fingerprint()
    assert rp.check(record, record.fingerprint.upper())
    assert not rp.check(record, "0" * 64)
    assert rp.check(record, rp.grouped(record.fingerprint))
    assert not rp.check(record, record.fingerprint[:-1])
    survey_names = [f.name for f in record.files if f.role == "survey"]
    assert survey_names == [
        f"{paths.SYNTHETIC.relative_to(paths.ROOT).as_posix()}/{t}.csv"
        for t in ("platforms", "performance", "organisations")
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_tables_are_labelled_in_the_pages_language(repository_record, lang):
    record = repository_record
    environment = rp.environment_table(record, lang).to_html()
    assert label("repro.caption_environment", lang) in environment
    assert rp.grouped(record.fingerprint) in environment
    assert label(f"ui.data_title_{record.data_source}", lang) in environment
    assert label("repro.typesetting", lang) in environment
    packages = rp.packages_table(record, lang)
    assert list(packages.frame.index) == list(rp.KEY_PACKAGES)
    files = rp.files_table(record, lang)
    assert len(files.frame) == len(record.files)
    assert label("repro.role.codebook", lang) in files.to_html()


def test_a_real_survey_is_named_relative_to_its_folder(tmp_path, survey_dir, monkeypatch):
    monkeypatch.setenv(paths.SURVEY_ENV, str(survey_dir))
    record = rp.collect(load_survey())
    assert record.data_source == "real"
    assert record.survey_source == f"${paths.SURVEY_ENV}"
    shown = [record.survey_source, *(f.name for f in record.files)]
    assert not any(str(tmp_path) in text for text in shown)
    assert f"${paths.SURVEY_ENV}/platforms.csv" in shown


def test_commit_text_says_when_no_commit_is_known(repository_record):
    from dataclasses import replace

    absent = replace(repository_record, commit=None, dirty=None)
    assert rp.commit_text(absent, "en") == label("repro.no_commit", "en")
    dirty = replace(repository_record, commit="a" * 40, dirty=True)
    assert label("repro.dirty", "ko") in rp.commit_text(dirty, "ko")


def test_command_line_checks_an_expected_fingerprint(capsys, monkeypatch):
    monkeypatch.delenv(paths.SURVEY_ENV, raising=False)
    expected = fp.fingerprint()
    assert rp.main(["--expect", expected]) == 0
    assert "matches" in capsys.readouterr().out
    assert rp.main(["--expect", "f" * 64]) == 1
    assert "DIFFERENT" in capsys.readouterr().out


def test_numbers_name_the_data_and_count_files_and_packages(repository_record):
    record = repository_record
    ko, en = (rp.numbers(record, lang) for lang in LANGS)
    assert ko.keys() == en.keys()
    assert en["data_read"] == label("ui.data_title_synthetic", "en")
    assert ko["data_read"] == "합성 자료를"
    real = dataclasses.replace(record, data_source="real")
    assert rp.numbers(real, "ko")["data_read"] == "실제 조사 자료를"
    assert en["n_files"] == (len(record.files), ",d")
    assert en["n_packages"] == (len(rp.KEY_PACKAGES), ",d")
    with pytest.raises(ValueError):
        rp.numbers(record, "fr")


def test_a_survey_read_through_a_mapping_lists_the_file_and_the_mapping(tmp_path, registry):
    from platformgov.inputs import questionnaire
    from platformgov.inputs.survey import load_survey

    synthetic = load_survey(paths.SYNTHETIC)
    tables = {t: synthetic.table(t) for t in ("platforms", "performance", "organisations")}
    questionnaire.write(tables, tmp_path, registry)
    files = rp.survey_files(load_survey(tmp_path))
    assert files == [
        ((tmp_path / "survey.sav").resolve(), ("platforms", "performance", "organisations")),
        ((tmp_path / "mapping.toml").resolve(), ()),
    ]
