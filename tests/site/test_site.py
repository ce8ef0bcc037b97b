"""Build the whole site into a temporary folder, strictly and afresh, and check what a reader gets."""

from __future__ import annotations

import html
import re

import pytest
from sitecheck import is_external, loads_resource, pages, parse, resolve, search_index
from sitefixtures import REPOSITORY_URL, SITE_URL, as_published

from platformgov.site import build
from platformgov.site.sphinxext import EDITIONS, licence_footer

pytestmark = pytest.mark.site


def test_both_editions_have_the_same_pages(site):
    names = {ed: [p.relative_to(site / ed) for p in pages(site / ed)] for ed in EDITIONS}
    assert names["ko"] == names["en"]
    assert len(names["ko"]) > 1


def test_every_page_declares_its_language_and_links_the_other(site):
    for edition in EDITIONS:
        other = next(e for e in EDITIONS if e != edition)
        for page in pages(site / edition):
            parsed = parse(page)
            assert parsed.lang == edition, page
            if page.name in {"genindex.html", "search.html"}:
                continue
            switch = [u for tag, u, a in parsed.links if "pg-lang-switch" in a.get("class", "")]
            alternates = [u for tag, u, a in parsed.links if a.get("rel") == "alternate"]
            assert len(switch) == 1, f"{page}: no language switch"
            assert f"/{other}/" in switch[0]
            assert len(alternates) == len(EDITIONS), f"{page}: hreflang links missing"
            assert resolve(page, switch[0]).exists(), f"{page}: {switch[0]} leads nowhere"
            here = page.relative_to(site / edition).as_posix()
            expected = {f"{SITE_URL}/{lang}/{here}" for lang in EDITIONS}
            assert set(alternates) == expected, f"{page}: hreflang links {alternates}"
            for url in alternates:
                assert (site / url.removeprefix(f"{SITE_URL}/")).exists(), f"{page}: {url}"
            canonical = [u for tag, u, a in parsed.links if a.get("rel") == "canonical"]
            assert canonical == [f"{SITE_URL}/{edition}/{here}"], f"{page}: canonical {canonical}"


def test_the_chooser_links_both_editions_absolutely(site):
    parsed = parse(site / "index.html")
    alternates = {a.get("hreflang"): u for tag, u, a in parsed.links if a.get("rel") == "alternate"}
    assert alternates == {
        "ko": f"{SITE_URL}/ko/index.html",
        "en": f"{SITE_URL}/en/index.html",
        "x-default": f"{SITE_URL}/index.html",
    }


def test_every_internal_link_resolves(site):
    broken = []
    for page in [*pages(site / "ko"), *pages(site / "en"), site / "index.html"]:
        for _tag, url, _attrs in parse(page).links:
            target = resolve(page, url)
            if target is not None and not target.exists():
                broken.append(f"{page.relative_to(site)} → {url}")
    assert not broken, "\n".join(broken[:20])


def test_nothing_loads_from_another_host(site):
    offenders = []
    for page in [*pages(site / "ko"), *pages(site / "en"), site / "index.html"]:
        for tag, url, attrs in parse(page).links:
            if loads_resource(tag, attrs) and is_external(url):
                offenders.append(f"{page.relative_to(site)}: <{tag}> {url}")
    for css in site.rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
            if is_external(url):
                offenders.append(f"{css.relative_to(site)}: {url}")
    assert not offenders, "\n".join(offenders[:20])


def test_every_page_names_the_licences_of_text_and_code(site):
    for edition in EDITIONS:
        expected = licence_footer(edition)
        for page in pages(site / edition):
            text = page.read_text(encoding="utf-8")
            assert expected in text, f"{page}: no licence line in the footer"
    assert "CC BY 4.0" in (build.ROOT / "LICENSE-TEXT.md").read_text(encoding="utf-8")
    assert "MIT License" in (build.ROOT / "LICENSE").read_text(encoding="utf-8")


def test_pages_have_favicon_description_and_light_mode(site):
    for edition in EDITIONS:
        for page in pages(site / edition):
            html = page.read_text(encoding="utf-8")
            assert 'rel="icon"' in html, page
            assert re.search(r'<meta name="description" content="[^"]{20,}"', html), page
            assert 'localStorage.getItem("mode") || "light"' in html, (
                f"{page}: not light by default"
            )


def test_formulas_are_typeset_at_build_time_alike_in_both_editions(site):
    counts = {}
    for edition in EDITIONS:
        for page in pages(site / edition):
            text = page.read_text(encoding="utf-8")
            name = page.relative_to(site / edition).as_posix()
            assert not re.search(r"<script[^>]*mathjax", text, re.I), f"{page}: loads MathJax"
            body = text.split('<main id="main-content"', 1)[-1]
            assert not re.search(r"\\\(|\\\[|\$\$", body), f"{page}: TeX left untypeset"
            boxes = re.findall(r'<(?:span|div) class="math[^"]*"[^>]*>(.*?)</(?:span|div)>', body)
            for box in boxes:
                assert box.startswith("<mjx-container") and "</math>" in box, f"{page}: {box[:80]}"
            counts[edition, name] = len(boxes)
    for (edition, name), n in counts.items():
        if edition == "en":
            assert counts["ko", name] == n, (
                f"{name}: {n} formulas in en, {counts['ko', name]} in ko"
            )
    assert counts["en", "regression.html"] > 0 and counts["en", "descriptive.html"] > 0


def test_no_glyph_is_missing_anywhere_in_the_build(site_logs):
    for edition, log in site_logs.items():
        assert "missing from font" not in log.lower(), f"{edition}: a glyph is missing"
        assert "findfont" not in log.lower(), f"{edition}: a font was not found"


def test_korean_search_finds_words_inside_compounds(site):
    """Searching 정보, 유형 or 분석 finds every page where they stand inside a longer word or
    before a particle (platformgov.site.search: ``terms`` maps a word to page, weight pairs)."""
    index = search_index(site / "ko")
    terms, docnames = index["terms"], index["docnames"]
    texts = {name: " ".join(parse(site / "ko" / f"{name}.html").prose) for name in docnames}
    for query in ("정보", "유형", "분석"):
        inside = re.compile(rf"[\uac00-\ud7a3]*(?:[\uac00-\ud7a3]{query}|{query}[\uac00-\ud7a3])")
        expected = {name for name, text in texts.items() if inside.search(text)}
        assert expected, f"no page has {query} inside a word: the test would prove nothing"
        found = {docnames[i] for i in terms.get(query, [])[::2]}
        assert expected <= found, f"searching {query} misses {sorted(expected - found)}"


def test_korean_index_is_at_most_twice_the_english_one(site):
    sizes = {ed: (site / ed / "searchindex.js").stat().st_size for ed in EDITIONS}
    assert sizes["ko"] <= 2 * sizes["en"], f"search index sizes in bytes: {sizes}"


def test_editions_show_the_same_number_of_figures_and_tables(site):
    for page in pages(site / "ko"):
        twin = site / "en" / page.relative_to(site / "ko")
        ko, en = page.read_text(encoding="utf-8"), twin.read_text(encoding="utf-8")
        for pattern in (r"<img ", r"<table "):
            assert len(re.findall(pattern, ko)) == len(re.findall(pattern, en)), (page, pattern)


def test_unchanged_tree_rebuilds_without_executing(site, capfd, monkeypatch):
    as_published(monkeypatch)
    build.build_site(site.parent)
    output = capfd.readouterr().out
    assert "re-executing" not in output
    assert "Executing" not in output, "a notebook was executed although nothing changed"


def test_editions_show_the_same_numbers_in_their_tables(site):
    """Every numeric cell (``platformgov.chapters.tables`` marks them) reads the same in both editions."""
    cell = re.compile(r'<td class="num">(.*?)</td>', re.S)

    def numbers(page):
        cells = cell.findall(page.read_text(encoding="utf-8"))
        return [html.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in cells]

    total = 0
    for page in pages(site / "ko"):
        ko, en = numbers(page), numbers(site / "en" / page.relative_to(site / "ko"))
        assert ko == en, f"{page.name}: the editions' tables show different numbers"
        total += len(ko)
    assert total > 100, "hardly any numeric table cells: the comparison would prove nothing"


def test_every_chapter_downloads_as_a_notebook_with_the_chapters_code(site):
    """The students' download holds the set-up cell and the code cells the build executed for
    the page, but the build's own and the solutions'; the teachers' holds the solutions too."""
    import json

    import jupytext

    from platformgov.paths import ROOT
    from platformgov.site import notebooks

    checked = 0
    for edition in EDITIONS:
        for source in sorted((ROOT / "book" / edition).glob("*.md")):
            if "kernelspec:" not in source.read_text(encoding="utf-8")[:2000]:
                continue
            page = jupytext.read(source, fmt="md:myst")
            solutions = notebooks.solution_cells(page.cells)
            for name, keep in ((source.stem, False), (f"solutions/{source.stem}", True)):
                download = site / edition / "_notebooks" / f"{name}.ipynb"
                assert download.exists(), f"{edition}/{name}: no notebook download"
                notebook = json.loads(download.read_text(encoding="utf-8"))
                got = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
                want = [
                    c["source"]
                    for i, c in enumerate(page.cells)
                    if c["cell_type"] == "code"
                    and "remove-cell" not in c.metadata.get("tags", [])
                    and (keep or i not in solutions)
                ]
                setup = notebooks.setup_cell(edition, REPOSITORY_URL)
                assert got == [setup, *want], f"{edition}/{name}: the download's code differs"
                assert notebook["metadata"]["kernelspec"]["name"] == "python3"
            checked += 1
    assert checked >= 2 * 7, "fewer notebook chapters than the book has"


def test_every_page_shows_the_repository_and_launches_its_notebook(site):
    for edition in EDITIONS:
        for page in pages(site / edition):
            text = page.read_text(encoding="utf-8")
            name = page.relative_to(site / edition).with_suffix("").as_posix()
            if name in {"search", "genindex"}:
                continue
            assert f'href="{REPOSITORY_URL}"' in text, page
            assert f'href="{REPOSITORY_URL}/issues/new?' in text, page
            assert f'href="{REPOSITORY_URL}/edit/main/book/{edition}/{name}.md"' in text, page
            if (site / edition / "_notebooks" / f"{name}.ipynb").exists():
                notebook = f"gh-pages/{edition}/_notebooks/{name}.ipynb"
                assert (
                    f"colab.research.google.com/github/platformgov-example/platformgov/blob/{notebook}"
                    in text
                ), page
                assert (
                    "mybinder.org/v2/gh/platformgov-example/platformgov/gh-pages?urlpath=lab/tree/"
                    in text
                ), page
