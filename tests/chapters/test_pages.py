"""Every page's code: the same in both editions but for LANG, and no words typed in a cell."""

import ast
import re
from pathlib import Path

import pytest

from platformgov import paths

BOOK = paths.ROOT / "book"
PAGES = sorted(p.stem for p in (BOOK / "en").glob("*.md"))
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)
LANG_LINE = re.compile(r'^LANG = "(ko|en)"$', re.M)
#: A string a reader would read: Hangul, or two words separated by a space.
WORDS = re.compile(r"[가-힣]|[A-Za-z]{2,}[,.;:]?\s+[A-Za-z]{2,}")


def code_cells(path: Path) -> list[str]:
    cells = []
    for body in CELL.findall(path.read_text(encoding="utf-8")):
        if body.startswith("---\n"):
            body = body[body.index("\n---\n", 4) + 5 :]
        lines = [line for line in body.splitlines() if not line.startswith(":")]
        cells.append("\n".join(lines).strip())
    return cells


def test_both_editions_have_the_same_pages():
    assert sorted(p.stem for p in (BOOK / "ko").glob("*.md")) == PAGES


@pytest.mark.parametrize("page", PAGES)
def test_code_cells_are_identical_but_for_lang(page):
    en = code_cells(BOOK / "en" / f"{page}.md")
    ko = code_cells(BOOK / "ko" / f"{page}.md")
    assert len(en) == len(ko), f"{page}: {len(ko)} code cells in ko, {len(en)} in en"
    for i, (a, b) in enumerate(zip(ko, en, strict=True)):
        assert LANG_LINE.sub('LANG = "…"', a) == LANG_LINE.sub('LANG = "…"', b), (
            f"{page}: code cell {i + 1} differs between ko and en beyond LANG"
        )
    langs = [m.group(1) for cell in ko for m in LANG_LINE.finditer(cell)]
    assert set(langs) <= {"ko"}
    assert set(m.group(1) for cell in en for m in LANG_LINE.finditer(cell)) <= {"en"}


def typed_words(cell: str) -> list[str]:
    tree = ast.parse(cell)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and WORDS.search(node.value)
    ]


@pytest.mark.parametrize("page", PAGES)
def test_no_cell_types_words_a_reader_sees(page):
    found = {
        i + 1: words
        for i, cell in enumerate(code_cells(BOOK / "en" / f"{page}.md"))
        if (words := typed_words(cell))
    }
    assert not found, f"{page}: strings typed in code cells (use the label table): {found}"


def test_the_word_rule_catches_sentences_and_hangul_but_not_keys():
    assert typed_words('x = "Number of platforms"\ny = "플랫폼"')
    assert not typed_words('label("descriptive.caption.counts", LANG)\nfmt = ",d"\nt = "G2C"')
