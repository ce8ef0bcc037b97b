import subprocess
import sys
import textwrap

import pandas as pd
import pytest

from platformgov.analysis import cache

CALLS: list[int] = []


@cache.shared
def count_rows(frame: pd.DataFrame, scale: int = 1) -> pd.DataFrame:
    CALLS.append(1)
    return pd.DataFrame({"rows": [len(frame) * scale], "total": [int(frame["x"].sum())]})


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    CALLS.clear()
    return tmp_path / "cache"


def test_a_result_is_computed_once_per_distinct_input(folder):
    one = pd.DataFrame({"x": [1, 2]})
    first = count_rows(one)
    again = count_rows(one.copy())
    assert len(CALLS) == 1
    pd.testing.assert_frame_equal(first, again)
    changed = count_rows(one.assign(x=[1, 3]))
    assert len(CALLS) == 2
    assert changed["total"].iloc[0] == 4
    count_rows(one, scale=2)
    assert len(CALLS) == 3
    assert (folder / "joblib").is_dir()


def test_a_change_of_the_analysis_code_recomputes(folder, monkeypatch):
    one = pd.DataFrame({"x": [5]})
    count_rows(one)
    monkeypatch.setattr(cache, "code_version", lambda: "another version of the code")
    count_rows(one)
    assert len(CALLS) == 2


def test_code_version_follows_the_analysis_code_and_settings(tmp_path):
    analysis = tmp_path / "src" / "platformgov" / "analysis"
    analysis.mkdir(parents=True)
    (analysis / "models.py").write_text("X = 1\n")
    (tmp_path / "requirements.txt").write_text("pandas==1\n")
    before = cache.code_version.__wrapped__(tmp_path)
    assert cache.code_version.__wrapped__(tmp_path) == before
    (analysis / "models.py").write_text("X = 2\n")
    assert cache.code_version.__wrapped__(tmp_path) != before
    after_code = cache.code_version.__wrapped__(tmp_path)
    (tmp_path / "requirements.txt").write_text("pandas==2\n")
    assert cache.code_version.__wrapped__(tmp_path) != after_code


CHILD = textwrap.dedent(
    """
    import sys, time
    import pandas as pd
    from platformgov.analysis import cache

    @cache.shared
    def slow(frame):
        with open(sys.argv[1], "a") as log:
            log.write("computed\\n")
        time.sleep(1.5)
        return frame.assign(y=frame["x"] * 2)

    print(int(slow(pd.DataFrame({"x": [1, 2, 3]}))["y"].sum()))
    """
)


def test_two_builds_at_the_same_time_compute_once(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    log = tmp_path / "computed.log"
    env = {**__import__("os").environ, cache.CACHE_ENV: str(tmp_path / "cache")}
    children = [
        subprocess.Popen(
            [sys.executable, str(script), str(log)], env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120)[0].strip() for child in children]
    assert [child.returncode for child in children] == [0, 0]
    assert outputs == ["12", "12"]
    assert log.read_text().splitlines() == ["computed"]
