"""A PDF of each edition: the built pages, in the order of ``_toc.yml``, printed by Chromium.

The chapters' article markup is taken from the edition's HTML (so the PDF shows the same
numbers, figures, tables, formulas and numbering as the site), put after a title page and a
table of contents into one document styled for A4 paper (``print.css``), and printed by
Debian's Chromium (``--headless --print-to-pdf``) with the system's Noto CJK fonts, which it
embeds. The table of contents lists each chapter and its sections (``h2``) and gets their page
numbers from a first printing (``pdftotext`` finds the page each heading opens a line of); a
second printing then has them.

``make site`` makes the PDFs unless ``PLATFORMGOV_PDF=0``; every page links to its edition's.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from platformgov.labels import label
from platformgov.paths import ROOT

PDF_ENV = "PLATFORMGOV_PDF"
PRINT_CSS = Path(__file__).with_name("print.css")
#: Style sheets of the built edition that the printed pages use too.
EDITION_CSS = ("_static/pygments.css", "_static/platformgov-math.css")
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def pdf_enabled() -> bool:
    """False when ``$PLATFORMGOV_PDF`` is ``0`` (the site is then built without PDFs)."""
    return os.environ.get(PDF_ENV, "1").strip() != "0"


def pdf_name(edition: str) -> str:
    """The PDF's file name, in the edition's folder of the site."""
    return f"platformgov-{edition}.pdf"


def toc_pages(root: Path = ROOT) -> list[str]:
    """The book's pages in reading order: the root, then every ``file`` of ``_toc.yml``."""
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(item) -> None:
        if isinstance(item, dict):
            if "file" in item:
                pages.append(item["file"])
            for value in item.values():
                if isinstance(value, list):
                    for child in value:
                        walk(child)

    for key in ("parts", "chapters"):
        for item in toc.get(key, []):
            walk(item)
    return pages


@dataclass
class Section:
    anchor: str  # the id of the section in the printed document
    number: str  # "3.2" in a numbered chapter, "" otherwise
    title: str


@dataclass
class Chapter:
    page: str
    number: str  # "3" for a numbered chapter, "" otherwise
    title: str
    body: str  # the article's markup, ids prefixed by the page
    sections: list[Section] = field(default_factory=list)


def _anchor(page: str, ident: str = "") -> str:
    return f"{page}--{ident}"


def chapter_of(page: str, markup: str, pages: list[str], site_url: str = "") -> Chapter:
    """One built page as a chapter of the printed book: its article, with ids made unique
    across the book, links between pages turned into links within the document, folded
    code left out and images loaded at once."""
    soup = BeautifulSoup(markup, "html.parser")
    article = soup.find("article", class_="bd-article")
    if article is None:
        raise ValueError(f"{page}.html: no <article class='bd-article'>: not a built book page")
    for node in article.select("a.headerlink, script, button"):
        node.decompose()
    for node in article.select("div.tag_hide-input > details.above-input"):
        node.decompose()
    for node in article.find_all("details"):
        node["open"] = ""
    for img in article.find_all("img"):
        for attribute in ("loading", "decoding"):
            img.attrs.pop(attribute, None)
    for node in article.find_all(id=True):
        node["id"] = _anchor(page, node["id"])
    for attribute in ("aria-labelledby", "aria-describedby", "for"):
        for node in article.find_all(attrs={attribute: True}):
            value = node[attribute]
            names = value.split() if isinstance(value, str) else value
            node[attribute] = " ".join(_anchor(page, n) for n in names)
    # A typeset formula draws its glyphs by reference (<use xlink:href="#MJX-…">) to paths
    # it defines: the references follow the renamed ids, or the formula prints blank.
    for svg in article.find_all("svg"):
        for node in svg.find_all(True):
            for attribute in ("xlink:href", "href"):
                value = node.get(attribute)
                if isinstance(value, str) and value.startswith("#"):
                    node[attribute] = f"#{_anchor(page, value[1:])}"
    known = set(pages)
    for link in article.find_all("a", href=True):
        link["href"] = _internal_href(link["href"], page, known, site_url)
        if not link["href"]:
            link.unwrap()
    heading = article.find("h1")
    number, title_text = _heading(heading) if heading else ("", page)
    sections = []
    for h2 in article.find_all("h2"):
        section = h2.find_parent("section", id=True)
        if section is not None:
            sections.append(Section(section["id"], *_heading(h2)))
    return Chapter(page, number, title_text, article.decode_contents(), sections)


def _heading(node) -> tuple[str, str]:
    """A heading's number ("4.1", or "") and its title without the number."""
    number_node = node.find(class_="section-number")
    text = node.get_text(" ", strip=True)
    if number_node is None:
        return "", text
    return (
        number_node.get_text(strip=True).rstrip("."),
        text[len(number_node.get_text(" ", strip=True)) :].strip(),
    )


def _internal_href(href: str, page: str, pages: set[str], site_url: str) -> str:
    """A link of the built page as a link of the printed document ("" to drop it)."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", href):
        return href
    path, _, fragment = href.partition("#")
    if not path:
        return f"#{_anchor(page, fragment)}" if fragment else ""
    target = path.removeprefix("./").removesuffix(".html")
    if target in pages:
        return f"#{_anchor(target, fragment)}"
    # A file of the site (a notebook, a download): only with the site's address.
    return f"{site_url}/{path}" if site_url else ""


def title_page(edition: str, title: str, description: str, author: str, site_url: str) -> str:
    address = f'<p><a href="{site_url}/">{html.escape(site_url)}/</a></p>' if site_url else ""
    return (
        '<section class="pg-title-page">'
        f"<h1>{html.escape(title)}</h1>"
        f'<p class="pg-subtitle">{html.escape(description)}</p>'
        '<div class="pg-meta">'
        f"<p>{html.escape(label('ui.pdf_edition', edition))}</p>"
        f"<p>{html.escape(author)}</p>"
        f"{address}</div></section>"
    )


def _toc_entry(number: str, anchor: str, title: str, page: int | None) -> str:
    return (
        f'<div class="pg-toc-entry"><span class="pg-toc-number">{html.escape(number)}</span>'
        f'<a class="pg-toc-title" href="#{anchor}">{html.escape(title)}</a>'
        f'<span class="pg-toc-page">{page if page else ""}</span></div>'
    )


def contents(edition: str, chapters: list[Chapter], page_numbers: dict[str, int]) -> str:
    """The table of contents: each chapter and, under it, its sections, with their pages
    (``page_numbers`` is keyed by a chapter's page and by a section's anchor)."""
    items = []
    for chapter in chapters:
        entry = _toc_entry(
            chapter.number, _anchor(chapter.page), chapter.title, page_numbers.get(chapter.page)
        )
        sections = "".join(
            f"<li>{_toc_entry(s.number, s.anchor, s.title, page_numbers.get(s.anchor))}</li>"
            for s in chapter.sections
        )
        if sections:
            entry += f'<ol class="pg-toc-sections">{sections}</ol>'
        items.append(f'<li class="pg-toc-chapter">{entry}</li>')
    heading = html.escape(label("ui.pdf_contents", edition))
    return f'<nav class="pg-toc"><h1>{heading}</h1><ol>{"".join(items)}</ol></nav>'


def document(
    edition: str,
    html_dir: Path,
    chapters: list[Chapter],
    page_numbers: dict[str, int],
    *,
    title: str,
    description: str,
    author: str,
    site_url: str = "",
) -> str:
    """The whole printed book as one HTML document (images resolve against ``html_dir``)."""
    styles = [PRINT_CSS.read_text(encoding="utf-8")]
    styles += [
        (html_dir / css).read_text(encoding="utf-8")
        for css in EDITION_CSS
        if (html_dir / css).exists()
    ]
    body = "".join(
        f'<section class="pg-chapter" id="{_anchor(c.page)}">{c.body}</section>' for c in chapters
    )
    return (
        f'<!DOCTYPE html><html lang="{edition}"><head><meta charset="utf-8">'
        f'<base href="{html_dir.resolve().as_uri()}/">'
        f"<title>{html.escape(title)}</title>"
        f"<style>{''.join(styles)}</style></head><body>"
        f"{title_page(edition, title, description, author, site_url)}"
        f"{contents(edition, chapters, page_numbers)}{body}</body></html>"
    )


def browser() -> str:
    """The Chromium on this machine; an error says how to install it."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit(
        "platformgov: making the PDFs needs Chromium, which was not found: install it with "
        f"`sudo make browser-deps`, or build the site without PDFs with {PDF_ENV}=0"
    )


def print_to_pdf(source: Path, target: Path, *, timeout: float = 600) -> None:
    """Print the HTML file ``source`` to ``target`` with headless Chromium."""
    with tempfile.TemporaryDirectory(prefix="platformgov-chromium-") as profile:
        command = [
            browser(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--generate-pdf-document-outline",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=20000",
            f"--print-to-pdf={target}",
            source.resolve().as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise SystemExit(
            f"platformgov: Chromium could not print {source} to {target} "
            f"(exit {done.returncode}):\n{done.stderr[-2000:]}"
        )


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of the PDF at ``path`` (poppler's ``pdftotext``)."""
    if shutil.which("pdftotext") is None:
        raise SystemExit(
            "platformgov: making the PDFs needs poppler-utils (pdftotext): install it with "
            f"`sudo make browser-deps`, or build the site without PDFs with {PDF_ENV}=0"
        )
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8").split("\f")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def chapter_start_pages(pages: list[str], chapters: list[Chapter]) -> dict[str, int]:
    """The page (counted from 1) that each chapter's heading opens, in reading order."""
    found: dict[str, int] = {}
    start = 1  # the title page repeats the first chapter's title
    for chapter in chapters:
        heading = _squash(f"{chapter.number}." if chapter.number else "") + _squash(chapter.title)
        for index in range(start, len(pages)):
            if _squash(pages[index]).startswith(heading):
                found[chapter.page] = index + 1
                start = index + 1
                break
    return found


def _opens_a_line(page: str, heading: str) -> bool:
    """Whether ``heading`` (squashed) starts at the beginning of a line of ``page``, perhaps
    running on over the next lines, as a heading does and a mention in the text mostly not."""
    lines = [_squash(line) for line in page.splitlines()]
    for i, line in enumerate(lines):
        if line and heading.startswith(line) and "".join(lines[i : i + 4]).startswith(heading):
            return True
    return False


def section_pages(
    pages: list[str], chapters: list[Chapter], starts: dict[str, int]
) -> dict[str, int]:
    """The page (counted from 1) of each section's heading, keyed by the section's anchor:
    sections are looked for in order, from their chapter's first page on."""
    found: dict[str, int] = {}
    for chapter in chapters:
        index = starts.get(chapter.page, 1) - 1
        for section in chapter.sections:
            heading = _squash(f"{section.number}." if section.number else "") + _squash(
                section.title
            )
            for at in range(index, len(pages)):
                if _opens_a_line(pages[at], heading):
                    found[section.anchor] = at + 1
                    index = at
                    break
    return found


def edition_pdf(
    edition: str,
    html_dir: Path,
    target: Path,
    *,
    title: str,
    description: str,
    author: str,
    site_url: str = "",
    root: Path = ROOT,
) -> Path:
    """Print the edition built in ``html_dir`` to ``target``: title page, contents, chapters."""
    pages = toc_pages(root)
    chapters = [
        chapter_of(p, (html_dir / f"{p}.html").read_text(encoding="utf-8"), pages, site_url)
        for p in pages
    ]
    texts = {"title": title, "description": description, "author": author, "site_url": site_url}
    with tempfile.TemporaryDirectory(prefix="platformgov-pdf-") as work:
        source = Path(work) / f"{edition}.html"
        # A first printing finds where the chapters start; placeholders keep the contents as long.
        placeholders = {c.page: 999 for c in chapters}
        placeholders |= {s.anchor: 999 for c in chapters for s in c.sections}
        source.write_text(
            document(edition, html_dir, chapters, placeholders, **texts), encoding="utf-8"
        )
        draft = Path(work) / "draft.pdf"
        print_to_pdf(source, draft)
        printed = pdf_pages(draft)
        numbers = chapter_start_pages(printed, chapters)
        missing = [c.page for c in chapters if c.page not in numbers]
        if missing:
            raise SystemExit(
                f"platformgov: the {edition} PDF: no page starts with the title of {missing}"
            )
        numbers |= section_pages(printed, chapters, numbers)
        missing = [s.title for c in chapters for s in c.sections if s.anchor not in numbers]
        if missing:
            raise SystemExit(
                f"platformgov: the {edition} PDF: no page holds the section heading {missing}"
            )
        source.write_text(document(edition, html_dir, chapters, numbers, **texts), encoding="utf-8")
        target.parent.mkdir(parents=True, exist_ok=True)
        print_to_pdf(source, target)
    return target


def site_pdfs(
    site: Path,
    titles: dict,
    descriptions: dict,
    author: str,
    site_url: str = "",
    root: Path = ROOT,
) -> list[Path]:
    """Make each edition's PDF in ``site/<edition>/`` (:func:`pdf_name`), timed."""
    made = []
    for edition in titles:
        started = time.perf_counter()
        target = site / edition / pdf_name(edition)
        edition_pdf(
            edition,
            site / edition,
            target,
            title=titles[edition],
            description=descriptions[edition],
            author=author,
            site_url=f"{site_url}/{edition}" if site_url else "",
            root=root,
        )
        print(
            f"platformgov: {edition} PDF made in {time.perf_counter() - started:.1f} s "
            f"({target.stat().st_size / 1e6:.1f} MB)",
            flush=True,
        )
        made.append(target)
    return made
