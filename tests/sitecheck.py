"""Reading a built site: pages, links and loaded resources (shared by the site tests)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIP_SCHEMES = ("http:", "https:", "mailto:", "data:", "javascript:", "tel:")


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.links: list[tuple[str, str, dict]] = []  # (tag, url, attrs)
        self.text: list[str] = []
        # Text of the article itself, outside tables: what Sphinx indexes for search (tables are
        # generated HTML, and navigation is not the page's content).
        self.prose: list[str] = []
        self._skip = 0
        self._table = 0
        self._article = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag in {"script", "style"}:
            self._skip += 1
        if tag == "table":
            self._table += 1
        if tag == "article":
            self._article += 1
        for name in ("href", "src"):
            if attrs.get(name):
                self.links.append((tag, attrs[name], attrs))

    def handle_endtag(self, tag):
        if tag in {"script", "style"} and self._skip:
            self._skip -= 1
        if tag == "table" and self._table:
            self._table -= 1
        if tag == "article" and self._article:
            self._article -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)
            if self._article and not self._table:
                self.prose.append(data)


def parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(edition_dir: Path) -> list[Path]:
    return sorted(p for p in edition_dir.rglob("*.html") if "_static" not in p.parts)


def is_external(url: str) -> bool:
    return url.startswith(("http:", "https:", "//"))


def loads_resource(tag: str, attrs: dict) -> bool:
    """True for attributes that make the browser fetch something (not plain navigation)."""
    if tag in {"script", "img", "iframe", "source", "video", "audio", "embed"}:
        return True
    if tag == "link":
        rel = attrs.get("rel", "")
        return rel not in {"alternate", "canonical", "next", "prev", "search", "index"}
    return False


def resolve(page: Path, url: str) -> Path | None:
    """The file an internal link points at, or None for external links and in-page anchors."""
    if url.startswith(SKIP_SCHEMES) or url.startswith(("#", "//")):
        return None
    path = unquote(urlsplit(url).path)
    if not path:
        return None
    target = (page.parent / path).resolve()
    return target / "index.html" if target.is_dir() else target


def search_index(edition_dir: Path) -> dict:
    text = (edition_dir / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"Search\.setIndex\((.*)\)\s*;?\s*$", text, re.S).group(1))
