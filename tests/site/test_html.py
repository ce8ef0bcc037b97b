"""Every page of the built site is valid HTML, as the Nu HTML Checker (the W3C validator) reads it.

The checker ships in npm's ``vnu-jar`` (package-lock.json) and runs on Java. Without Java or the
jar the test is skipped with the reason, except when ``CI=true``: there it fails.
"""

import json
import os
import re
import shutil
import subprocess
from collections import Counter

import pytest

from platformgov import paths

pytestmark = pytest.mark.site

RAW_BOLD = re.compile(r"(?<!\*)\*\*(?=[^\s*])")
VNU = paths.NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"


def validator() -> list[str]:
    java = shutil.which("java")
    missing = [what for what, ok in (("Java", java), ("npm's vnu-jar", VNU.is_file())) if not ok]
    if missing:
        reason = f"the HTML check needs {' and '.join(missing)} (make node-deps, make browser-deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: a missing checker is a failure)")
        pytest.skip(reason)
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json"]


def test_every_page_is_valid_html(site):
    pages = sorted(p for p in site.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) > 20
    done = subprocess.run(
        [*validator(), *map(str, pages)], capture_output=True, text=True, timeout=600
    )
    errors = json.loads(done.stderr or '{"messages": []}')["messages"]
    found = Counter(
        f"{m['url'].rsplit('/site/', 1)[-1]}: {m['message']}"
        for m in errors
        if m["type"] == "error"
    )
    assert not found, "\n".join(f"{n} × {message}" for message, n in found.most_common(20))


def test_no_page_shows_raw_markdown_emphasis(site):
    """A ``**`` that Markdown did not turn into bold (say, before a Korean particle) shows as is."""
    from bs4 import BeautifulSoup

    found = []
    for page in sorted(site.glob("*/*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        article = soup.find("article") or soup
        for tag in article.find_all(["pre", "code", "table", "script", "style"]):
            tag.decompose()
        text = article.get_text(" ")
        # "** p<0.01" in a table's note is a legend, not emphasis: raw emphasis opens a word.
        for match in RAW_BOLD.finditer(text):
            at = match.start()
            found.append(f"{page.relative_to(site)}: …{text[max(0, at - 40) : at + 40]}…")
    assert not found, "\n".join(found)
