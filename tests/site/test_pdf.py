"""The PDF of each edition (platformgov.site.pdf): the pieces on small inputs, and the PDFs of
the built site (fonts embedded, every chapter title and the tables' numbers in the text)."""

from __future__ import annotations

import html
import re
import subprocess

import pytest

from platformgov.site import pdf
from platformgov.site.sphinxext import EDITIONS

PAGE = """<html><body><nav>menu</nav><article class="bd-article">
<section id="results"><h1><span class="section-number">4. </span>Results<a class="headerlink" href="#results">#</a></h1>
<div class="cell tag_hide-input"><details class="hide above-input"><summary>s</summary><pre>setup()</pre></details>
<div class="cell_output"><p>banner</p></div></div>
<p>See <a class="reference internal" href="#fig-a">Figure 4.1</a>, <a href="data.html#codes">codes</a>,
<a href="data.html">data</a>, <a href="_notebooks/results.ipynb">notebook</a>,
<a href="https://example.org/x">a site</a>.</p>
<figure id="fig-a"><img loading="lazy" decoding="async" src="_images/a.png"></figure>
<div class="pg-table-wrap" aria-labelledby="pg-caption-1"><table><caption id="pg-caption-1">T</caption></table></div>
<details class="dropdown"><summary>Solution</summary><p>42</p></details>
<div class="math"><span class="eqno">(4.1)</span><mjx-container><svg><defs><path id="MJX-1-TEX-I-1D6FC" d="M0 0"></path></defs><g><use xlink:href="#MJX-1-TEX-I-1D6FC"></use></g></svg></mjx-container></div>
<section id="the-model"><h2><span class="section-number">4.1. </span>The model<a class="headerlink" href="#the-model">#</a></h2>
<p>text</p></section>
</section></article></body></html>"""


def test_toc_pages_follow_the_table_of_contents(tmp_path):
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nparts:\n  - numbered: true\n    chapters:\n"
        "      - file: a\n      - file: b\n  - chapters:\n      - file: appendix\n",
        encoding="utf-8",
    )
    assert pdf.toc_pages(tmp_path) == ["index", "a", "b", "appendix"]


def test_the_books_pages_are_the_toc_files():
    pages = pdf.toc_pages()
    assert pages[0] == "index" and "regression" in pages and len(pages) == len(set(pages))


def test_a_built_page_becomes_a_chapter_of_one_document():
    chapter = pdf.chapter_of("results", PAGE, ["index", "data", "results"])
    body = chapter.body
    assert (chapter.number, chapter.title) == ("4", "Results")
    assert "menu" not in body and "setup()" not in body and "headerlink" not in body
    assert "banner" in body
    assert 'id="results--fig-a"' in body and 'href="#results--fig-a"' in body
    assert 'href="#data--codes"' in body and 'href="#data--"' in body
    assert 'href="https://example.org/x"' in body
    # a file of the site cannot be opened from paper without the site's address
    assert "_notebooks" not in body and "notebook" in body
    assert 'aria-labelledby="results--pg-caption-1"' in body
    assert "loading=" not in body and "decoding=" not in body
    assert re.search(r"<details[^>]*\bopen", body)
    assert chapter.sections == [pdf.Section("results--the-model", "4.1", "The model")]
    # a formula's glyphs still find the paths they draw, and its number stays
    assert 'id="results--MJX-1-TEX-I-1D6FC"' in body
    assert 'xlink:href="#results--MJX-1-TEX-I-1D6FC"' in body and "(4.1)" in body


def test_files_of_the_site_link_to_the_published_address():
    chapter = pdf.chapter_of("results", PAGE, ["results"], site_url="https://x.example/book/en")
    assert 'href="https://x.example/book/en/_notebooks/results.ipynb"' in chapter.body


def test_a_page_that_is_not_a_book_page_is_an_error():
    with pytest.raises(ValueError, match=r"search\.html: no <article"):
        pdf.chapter_of("search", "<html><body></body></html>", ["search"])


def test_chapters_start_where_their_heading_opens_a_page():
    chapters = [
        pdf.Chapter("index", "", "My book", ""),
        pdf.Chapter("a", "1", "Types", ""),
        pdf.Chapter("b", "2", "Data", ""),
    ]
    pages = ["My book\ntitle page", "Contents\nMy book\n1 Types\n2 Data", "My book\ntext",
             "more Types", "1. Types\ntext", "2.  Data\nx"]  # fmt: skip
    assert pdf.chapter_start_pages(pages, chapters) == {"index": 3, "a": 5, "b": 6}


def test_pdfs_are_made_unless_switched_off(monkeypatch):
    monkeypatch.delenv(pdf.PDF_ENV, raising=False)
    assert pdf.pdf_enabled()
    monkeypatch.setenv(pdf.PDF_ENV, "0")
    assert not pdf.pdf_enabled()


def test_the_contents_list_every_chapter_and_its_sections_with_their_pages():
    sections = [pdf.Section("a--one", "1.1", "First"), pdf.Section("a--two", "1.2", "Second")]
    chapters = [pdf.Chapter("a", "1", "Types & data", "", sections)]
    listing = pdf.contents("ko", chapters, {"a": 5, "a--one": 5, "a--two": 7})
    assert "차례" in listing and "Types &amp; data" in listing and ">5<" in listing
    assert 'href="#a--"' in listing and 'href="#a--two"' in listing
    assert re.search(r"1\.2</span>.*Second</a><span[^>]*>7<", listing)


def test_sections_are_found_where_their_heading_opens_a_line():
    sections = [
        pdf.Section("a--model", "1.1", "The model"),
        pdf.Section("a--results", "1.2", "Results by type and outcome"),
    ]
    chapters = [pdf.Chapter("a", "1", "Types", "", sections)]
    pages = [
        "title",
        "Contents\n1.1 The model 999\n1.2 Results by type and outcome 999",
        "1. Types\ntext that cites 1.1. The model in a sentence",
        "1.1. The model\ntext",
        "text\n1.2. Results by type\nand outcome\ntext",
    ]
    assert pdf.section_pages(pages, chapters, {"a": 3}) == {"a--model": 4, "a--results": 5}


# --- the PDFs of the built site ---------------------------------------------------------------


def pdf_text(path) -> str:
    done = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True)
    return done.stdout.decode("utf-8")


def squashed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.site
def test_each_edition_has_a_pdf_with_every_font_embedded(site):
    for edition in EDITIONS:
        path = site / edition / pdf.pdf_name(edition)
        assert path.exists() and path.read_bytes().startswith(b"%PDF"), path
        fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows, f"{path.name}: pdffonts lists no font"
        # columns from the right: object ID, generation, uni, sub, emb
        assert all(row[-5] == "yes" for row in rows), f"{path.name}: a font is not embedded"


@pytest.mark.site
def test_the_pdf_holds_every_chapter_title_and_the_numbers_of_the_tables(site):
    for edition in EDITIONS:
        text = squashed(pdf_text(site / edition / pdf.pdf_name(edition)))
        checked = 0
        for page in pdf.toc_pages():
            markup = (site / edition / f"{page}.html").read_text(encoding="utf-8")
            title = pdf.chapter_of(page, markup, pdf.toc_pages()).title
            assert squashed(title) in text, f"{edition} PDF: no chapter title {title!r}"
            for cell in re.findall(r'<td class="num">(.*?)</td>', markup, re.S)[:40]:
                # a cell's lines (estimate, standard error) may be read apart from the PDF
                for number in html.unescape(re.sub(r"<[^>]+>", " ", cell)).split():
                    assert number in text, f"{edition} PDF: {page} shows {number!r}, it does not"
                    checked += 1
        assert checked > 100, "hardly any table numbers compared"
        # figures and tables are numbered in the edition's words
        words = {"ko": ("그림", "표"), "en": ("Figure", "Table")}[edition]
        assert all(re.search(rf"{w}\d+\.\d+", text) for w in words)


@pytest.mark.site
def test_the_pdfs_contents_list_a_section_of_each_chapter_with_its_page(site):
    for edition in EDITIONS:
        path = site / edition / pdf.pdf_name(edition)
        pages = pdf.toc_pages()
        chapters = [
            pdf.chapter_of(p, (site / edition / f"{p}.html").read_text(encoding="utf-8"), pages)
            for p in pages
        ]
        # the contents run from page 2 to the page before the first chapter
        first = pdf.chapter_start_pages(pdf.pdf_pages(path), chapters)[pages[0]]
        assert first > 2
        done = subprocess.run(
            [
                "pdftotext",
                "-f",
                "2",
                "-l",
                str(first - 1),
                "-layout",
                "-enc",
                "UTF-8",
                str(path),
                "-",
            ],
            capture_output=True,
        )
        lines = [" ".join(line.split()) for line in done.stdout.decode("utf-8").splitlines()]
        for chapter in chapters:
            if not chapter.sections:
                continue
            section = chapter.sections[0]
            entry = " ".join(f"{section.number} {section.title}".split())
            # the entry's line ends with the page its heading is on, in the chapter or after
            listed = [line for line in lines if line.startswith(entry[:20])]
            assert listed, f"{edition} PDF contents: no section {entry!r} of {chapter.page}"
            page = re.search(r" (\d+)$", listed[0])
            assert page and int(page.group(1)) >= first, f"{edition} PDF contents: {listed[0]!r}"


@pytest.mark.site
def test_every_page_links_to_its_editions_pdf(site):
    for edition in EDITIONS:
        for page in pdf.toc_pages():
            markup = (site / edition / f"{page}.html").read_text(encoding="utf-8")
            assert f'href="{pdf.pdf_name(edition)}"' in markup, f"{edition}/{page}: no PDF link"
