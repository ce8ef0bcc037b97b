"""The cheap pieces of benchmarks/build.py: the floor book, the page count and the build-log
parser. No book is built here."""

from __future__ import annotations

import importlib.util
import re
import subprocess

import pytest
import yaml
from myst_nb.core.read import is_myst_markdown_notebook

from platformgov.paths import ROOT
from platformgov.site import build as site_build


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)


def test_floor_book_has_the_pages_asked_for_each_with_its_own_code(bench, tmp_path):
    written = bench.write_floor_book(tmp_path, 4, "en")
    assert sorted(p.name for p in tmp_path.glob("*.md")) == [f"page0{n}.md" for n in range(1, 5)]
    assert sorted(written) == sorted(tmp_path.glob("*.md"))
    toc = yaml.safe_load((tmp_path / "_toc.yml").read_text(encoding="utf-8"))
    assert [toc["root"], *(c["file"] for c in toc["chapters"])] == [p.stem for p in written]
    config = yaml.safe_load((tmp_path / "_config.yml").read_text(encoding="utf-8"))
    assert config["execute"]["execute_notebooks"] == "cache"
    assert config["execute"]["raise_on_error"] is True
    cells = []
    for page in written:
        text = page.read_text(encoding="utf-8")
        assert is_myst_markdown_notebook(text)
        (code,) = CODE_CELL.findall(text)
        for library in ("pandas", "statsmodels", "seaborn"):
            assert re.search(rf"^import {library}\b", code, re.MULTILINE), (page.name, library)
        assert "sns.regplot(" in code
        compile(code.replace(";", ""), page.name, "exec")
        cells.append(code)
    assert len(set(cells)) == len(written)


def test_floor_books_of_two_editions_differ(bench, tmp_path):
    ko = bench.write_floor_book(tmp_path / "ko", 1, "ko")[0].read_text(encoding="utf-8")
    en = bench.write_floor_book(tmp_path / "en", 1, "en")[0].read_text(encoding="utf-8")
    assert CODE_CELL.findall(ko) != CODE_CELL.findall(en)


def test_executed_pages_are_the_notebooks_of_the_toc(bench, tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: plain\n  - file: chart\n",
        encoding="utf-8",
    )
    for edition in ("ko", "en"):
        folder = tmp_path / "book" / edition
        bench.write_floor_book(folder, 1, edition)
        (folder / "page01.md").rename(folder / "chart.md")
        (folder / "index.md").write_text("# Home\n", encoding="utf-8")
        (folder / "plain.md").write_text("# No code\n", encoding="utf-8")
        (folder / "unlisted.md").write_text((folder / "chart.md").read_text(), encoding="utf-8")
    assert bench.executed_pages(tmp_path) == {"ko": ["chart"], "en": ["chart"]}


SAMPLE_LOG = """\
\x1b[01mreading sources... \x1b[39;49;00m[  9%] \x1b[35mappendix-codebook\x1b[39;49;00m
\x1b[01mreading sources... \x1b[39;49;00m[ 45%] \x1b[35mdata\x1b[39;49;00m
/tmp/x/book/en/data.md: Executing notebook using local CWD [mystnb]
[IPKernelApp] WARNING | Kernel is running over TCP without encryption.
/tmp/x/book/en/data.md: Executed notebook in 2.64 seconds [mystnb]
/tmp/x/book/en/data.md: Cached executed notebook: ID=4 [mystnb]
/tmp/x/book/en/power.md: Using cached notebook: ID=8 [mystnb]
/tmp/x/book/en/appendix-codebook.md: Executing notebook using local CWD [mystnb]
/tmp/x/book/en/appendix-codebook.md: Executed notebook in 5.04 seconds [mystnb]
"""


def test_reexecuted_pages_are_read_from_the_build_log(bench):
    assert bench.reexecuted_pages(SAMPLE_LOG) == ["data", "appendix-codebook"]
    assert bench.reexecuted_pages("\x1b[01mbuild succeeded.\x1b[39;49;00m\n") == []


def test_floor_book_is_built_with_the_site_builds_flags(bench, tmp_path, monkeypatch):
    commands = []

    class Finished:
        stdout = iter(())

        def __init__(self, command, **_):
            commands.append(command)

        def wait(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", Finished)
    site_build.build_edition("en", tmp_path)
    (site_command,) = commands
    floor = bench.floor_command(tmp_path / "floor", tmp_path / "out")

    def flags(command):
        after_output = command[command.index("--path-output") + 2 :]
        return sorted(after_output)

    assert flags(floor) == flags(site_command)
    assert floor[1:3] == [*site_command[1:2], str(tmp_path / "floor")]


def test_a_build_that_starts_no_sphinx_reexecuted_nothing(bench, tmp_path, capsys):
    for edition in ("ko", "en"):
        (tmp_path / edition).mkdir()
        (tmp_path / edition / "build.log").write_text(SAMPLE_LOG, encoding="utf-8")
    bench.print_reexecuted(tmp_path)
    assert "re-executed, ko: data, appendix-codebook" in capsys.readouterr().out
    bench.forget_logs(tmp_path)
    bench.print_reexecuted(tmp_path)
    shown = capsys.readouterr().out
    assert "re-executed, ko: none (Sphinx did not start)" in shown
    assert "re-executed, en: none (Sphinx did not start)" in shown
