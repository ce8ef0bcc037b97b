"""Pytest plugin: one strict, fresh build of the whole site per test session, in a temporary folder."""

from __future__ import annotations

import pytest

from platformgov import build
from platformgov.sphinxext import EDITIONS


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    site = build.build_site(out, fresh=True)
    logs = {ed: (out / ed / "build.log").read_text(encoding="utf-8") for ed in EDITIONS}
    return site, logs


@pytest.fixture(scope="session")
def site(site_build):
    return site_build[0]


@pytest.fixture(scope="session")
def site_logs(site_build):
    return site_build[1]
