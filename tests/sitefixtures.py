"""Pytest plugin: one strict, fresh build of the whole site per test session, in a temporary folder."""

from __future__ import annotations

import os

import pytest

from platformgov.site import browser, build
from platformgov.site.notebooks import REPOSITORY_ENV
from platformgov.site.sphinxext import EDITIONS, SITE_URL_ENV

# The test site is built as for publication at this address (a reserved name that no network
# resolves), so that its hreflang and canonical links are absolute, as search engines want them.
SITE_URL = "https://platformgov.example/book"
# And with a repository, so that its buttons and the launch buttons are on every page.
REPOSITORY_URL = "https://github.com/platformgov-example/platformgov"


def as_published(patch: pytest.MonkeyPatch) -> None:
    """The environment of the test site's build: its address and its repository's. A test that
    builds the test site again must set it too, or the site is rebuilt without them."""
    patch.setenv(SITE_URL_ENV, SITE_URL)
    patch.setenv(REPOSITORY_ENV, REPOSITORY_URL)


@pytest.fixture(scope="session")
def site_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    with pytest.MonkeyPatch.context() as patch:
        as_published(patch)
        site = build.build_site(out, fresh=True)
    logs = {ed: (out / ed / "build.log").read_text(encoding="utf-8") for ed in EDITIONS}
    return site, logs


@pytest.fixture(scope="session")
def site(site_build):
    return site_build[0]


@pytest.fixture(scope="session")
def site_logs(site_build):
    return site_build[1]


def require_browser() -> None:
    """Skip a browser check where Chromium, its driver or the fonts are missing; in CI
    (``CI=true``) a missing browser is a failure."""
    missing = browser.missing_tools()
    if missing:
        reason = "browser checks need " + "; ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: a missing browser is a failure)")
        pytest.skip(reason)
