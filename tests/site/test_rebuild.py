"""Rebuilds: nothing stale, nothing executed needlessly, and the authors' plain commands."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from factories import tiny_book

from platformgov.site import build
from platformgov.site.sphinxext import WHICH_FOLDER

pytestmark = pytest.mark.site

PAGE = """```{{code-cell}} ipython3
from platformgov.chapters import book
import {module}
print({module}.value())
```
"""
HELPER = """from pathlib import Path

def value():
    return Path(__file__).parents[2].joinpath("data", "{data}").read_text().strip() + "{tag}"
"""


def executed(out: Path, edition: str = "en") -> set[str]:
    log = (out / edition / "build.log").read_text(encoding="utf-8")
    return set(re.findall(r"/(\w+)\.md: Executing notebook", log))


def write_helper(root: Path, module: str, data: str, tag: str = "") -> None:
    (root / "book" / "en" / f"{module}.py").write_text(HELPER.format(data=data, tag=tag))


@pytest.fixture
def two_pages(tmp_path):
    """Page ``a`` imports helper_a, which reads data/a.txt; page ``b`` likewise with b."""
    pages = {
        "index": "Two pages that read different inputs.\n",
        "a": PAGE.format(module="helper_a"),
        "b": PAGE.format(module="helper_b"),
    }
    root = tiny_book(tmp_path, pages)
    (root / "data").mkdir()
    for name in ("a", "b"):
        (root / "data" / f"{name}.txt").write_text(f"first {name}\n")
        write_helper(root, f"helper_{name}", f"{name}.txt")
    return root


def test_a_change_reexecutes_exactly_the_pages_that_read_it(two_pages, tmp_path, capfd):
    out = tmp_path / "out"
    build.build_edition("en", out, root=two_pages)
    assert {"a", "b"} <= executed(out)
    html = (out / "en" / "_build" / "html" / "a.html").read_text(encoding="utf-8")
    assert "first a" in html

    build.build_edition("en", out, root=two_pages)
    assert executed(out) == set()

    write_helper(two_pages, "helper_a", "a.txt", tag=" (edited)")
    build.build_edition("en", out, root=two_pages)
    assert executed(out) == {"a"}
    html = (out / "en" / "_build" / "html" / "a.html").read_text(encoding="utf-8")
    assert "first a (edited)" in html

    (two_pages / "data" / "b.txt").write_text("second b\n")
    build.build_edition("en", out, root=two_pages)
    assert executed(out) == {"b"}
    html = (out / "en" / "_build" / "html" / "b.html").read_text(encoding="utf-8")
    assert "second b" in html
    assert "first b" not in html
    capfd.readouterr()


def test_an_unchanged_site_does_not_start_sphinx(tmp_path, capfd, monkeypatch):
    root = tiny_book(tmp_path, "A page with no code.\n", editions=("ko", "en"))
    out = tmp_path / "out"
    monkeypatch.setattr(build, "ROOT", root)
    build.build_site(out, root=root)
    logs = {e: (out / e / "build.log").stat().st_mtime_ns for e in ("ko", "en")}
    capfd.readouterr()

    def no_process(*args, **kwargs):
        raise AssertionError("a build process was started although nothing changed")

    with monkeypatch.context() as patch:
        patch.setattr(build.subprocess, "Popen", no_process)
        assert build.build_site(out, root=root) == out / "site"
    assert "is up to date" in capfd.readouterr().out
    assert {e: (out / e / "build.log").stat().st_mtime_ns for e in ("ko", "en")} == logs

    (root / "book" / "ko" / "index.md").write_text(
        (root / "book" / "ko" / "index.md").read_text() + "\nMore text.\n"
    )
    build.build_site(out, root=root)
    assert "More text." in (out / "site" / "ko" / "index.html").read_text(encoding="utf-8")


def jupyter_book(*args, cwd: Path) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", *args]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


def test_the_plain_jupyter_book_command_builds_an_edition(tmp_path):
    root = tiny_book(tmp_path, "```{code-cell} ipython3\nprint(6 * 7)\n```\n")
    result = jupyter_book("book/en", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    page = root / "book" / "en" / "_build" / "html" / "index.html"
    assert "42" in page.read_text(encoding="utf-8")
    assert 'lang="en"' in page.read_text(encoding="utf-8")


def test_the_plain_command_at_the_top_says_which_command_to_run(tmp_path):
    root = tiny_book(tmp_path, "Text.\n")
    result = jupyter_book(".", cwd=root)
    assert result.returncode != 0
    assert WHICH_FOLDER in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_each_edition_folder_links_the_one_config_and_toc():
    for edition in ("ko", "en"):
        for name in ("_config.yml", "_toc.yml"):
            link = build.ROOT / "book" / edition / name
            assert link.is_symlink()
            assert link.resolve() == (build.ROOT / name).resolve()
