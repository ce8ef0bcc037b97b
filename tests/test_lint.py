import subprocess
import sys
from pathlib import Path

from platformgov.paths import ROOT

RUFF = Path(sys.executable).with_name("ruff")


def run(*args):
    return subprocess.run([str(RUFF), *args], cwd=ROOT, capture_output=True, text=True)


def test_ruff_check_passes():
    result = run("check", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run("format", "--check", ".")
    assert result.returncode == 0, result.stdout + result.stderr
