"""Built from real microdata, the site publishes aggregates and model output only.

The proof: a "real" survey (the synthetic files with every platform name replaced by a unique
marker) is put where ``PLATFORMGOV_SURVEY`` points, the whole site is built from it, and no
marker, platform id or list of local governments may appear in any file of the site —
pages, downloads, notebooks, search index.
"""

from __future__ import annotations

import csv
import re
import shutil

import pytest
from sitecheck import pages, parse

from platformgov.analysis import privacy
from platformgov.inputs.registry import load_registry
from platformgov.paths import SURVEY_ENV, SYNTHETIC
from platformgov.site import build
from platformgov.site.sphinxext import EDITIONS

MARK = "QZXMARK"


def test_unit_level_views_only_for_synthetic_data():
    assert privacy.unit_level_allowed("synthetic")
    assert not privacy.unit_level_allowed("real")


@pytest.fixture(scope="module")
def marked_survey(tmp_path_factory):
    folder = tmp_path_factory.mktemp("real-survey")
    for path in SYNTHETIC.glob("*.csv"):
        shutil.copy(path, folder / path.name)
    with (folder / "platforms.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        row["platform_name"] = f"{MARK}{row['platform_id']}"
    with (folder / "platforms.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return folder, [row["platform_id"] for row in rows]


@pytest.mark.site
def test_a_site_built_from_real_data_holds_no_survey_rows(marked_survey, tmp_path, monkeypatch):
    folder, ids = marked_survey
    monkeypatch.setenv(SURVEY_ENV, str(folder))
    site = build.build_site(tmp_path / "build")
    leaks = []
    id_pattern = re.compile(r"\bP\d{5}\b")
    for path in site.rglob("*"):
        if not path.is_file() or "_static" in path.parts:
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        if MARK in text:
            leaks.append(f"{path.relative_to(site)}: a platform name")
        found = set(id_pattern.findall(text)) & set(ids)
        if found:
            leaks.append(f"{path.relative_to(site)}: platform ids {sorted(found)[:3]}")
    assert not leaks, "\n".join(leaks[:20])

    basic = load_registry().query("level == 'basic'")
    names = set(basic["full_name_ko"]) | set(basic["name_en"])
    for edition in EDITIONS:
        for page in pages(site / edition):
            text = " ".join(parse(page).text)
            listed = {name for name in names if name in text}
            assert len(listed) <= 10, f"{page.name} lists {len(listed)} local governments"
