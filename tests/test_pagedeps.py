import json
import sys

import pytest

from platformgov import pagedeps


@pytest.fixture
def project(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "values.csv").write_text("x\n1\n")
    (data / "other.csv").write_text("y\n2\n")
    return tmp_path


def test_a_record_holds_what_the_page_read_and_not_what_it_wrote(project, tmp_path):
    recorder = pagedeps.Recorder("page", tmp_path / "records")
    recorder.audit("open", (str(project / "data" / "values.csv"), "r", 0))
    recorder.audit("open", (str(project / "scratch.csv"), "w", 0))
    (project / "scratch.csv").write_text("z\n")
    recorder.audit("open", (str(project / "scratch.csv"), "r", 0))
    recorder.audit("open", (sys.executable, "rb", 0))  # the installation is pinned, not recorded
    recorder.audit("open", (3, "r", 0))  # a file descriptor names no file
    recorder.write()
    record = json.loads((tmp_path / "records" / "page.json").read_text())
    files = set(record["files"])
    assert str((project / "data" / "values.csv").resolve()) in files
    assert str((project / "scratch.csv").resolve()) not in files
    assert not any(path.startswith(sys.prefix) for path in files)
    assert any(path.endswith("requirements.txt") for path in files)
    assert set(record["env"]) == {"PLATFORMGOV_SURVEY", "PLATFORMGOV_MAPPING"}


def test_a_record_holds_the_project_modules_the_page_imported(tmp_path, monkeypatch):
    module = tmp_path / "page_helper.py"
    module.write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import page_helper  # noqa: F401

    recorder = pagedeps.Recorder("page", tmp_path / "records")
    recorder.write()
    files = pagedeps.read_records(tmp_path / "records")["page"]["files"]
    assert str(module.resolve()) in files
    assert not any("site-packages" in path for path in files)
    monkeypatch.delitem(sys.modules, "page_helper")


def test_only_pages_whose_inputs_changed_are_stale(project, tmp_path, monkeypatch):
    records = tmp_path / "records"
    for page, name in (("a", "values.csv"), ("b", "other.csv")):
        recorder = pagedeps.Recorder(page, records)
        recorder.audit("open", (str(project / "data" / name), "r", 0))
        recorder.write()
    assert pagedeps.stale_pages(records) == {}
    (project / "data" / "values.csv").write_text("x\n2\n")
    stale = pagedeps.stale_pages(records)
    assert list(stale) == ["a"]
    assert stale["a"] == [str((project / "data" / "values.csv").resolve())]
    (project / "data" / "other.csv").unlink()
    assert sorted(pagedeps.stale_pages(records)) == ["a", "b"]
    assert pagedeps.stale_pages(records, pages=["b"]).keys() == {"b"}


def test_choosing_another_survey_makes_every_page_stale(tmp_path, monkeypatch):
    monkeypatch.delenv(pagedeps.paths.SURVEY_ENV, raising=False)
    records = tmp_path / "records"
    pagedeps.Recorder("a", records).write()
    assert pagedeps.stale_pages(records) == {}
    monkeypatch.setenv(pagedeps.paths.SURVEY_ENV, str(tmp_path / "real-survey"))
    assert pagedeps.stale_pages(records) == {"a": ["$PLATFORMGOV_SURVEY"]}


def test_recording_starts_only_in_a_build(monkeypatch, tmp_path):
    monkeypatch.delenv(pagedeps.RECORDS_ENV, raising=False)
    monkeypatch.delenv(pagedeps.PAGE_ENV, raising=False)
    assert pagedeps.start_recording() is None
    # Outside IPython nothing is recorded either.
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert pagedeps.start_recording("page", tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_a_survey_file_read_through_its_mapping_is_recorded(tmp_path, registry):
    """pyreadstat reads in C: the reader opens the file in Python so that the hook sees it."""
    from platformgov import paths
    from platformgov.inputs import questionnaire
    from platformgov.inputs.survey import load_survey

    survey = load_survey(paths.SYNTHETIC)
    folder = tmp_path / "q"
    questionnaire.write(
        {t: survey.table(t) for t in ("platforms", "performance", "organisations")},
        folder,
        registry,
    )
    recorder = pagedeps.Recorder("page", tmp_path / "records")
    sys.addaudithook(lambda event, args: recorder.audit(event, args) if recorder else None)
    load_survey(folder)
    recorder.write()
    files = pagedeps.read_records(tmp_path / "records")["page"]["files"]
    recorder = None
    assert str((folder / "survey.sav").resolve()) in files
    assert str((folder / "mapping.toml").resolve()) in files
