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


HIDDEN = re.compile(r"^:tags:.*\bremove-(cell|input)\b", re.M)


def cells_with_visibility(path: Path) -> list[tuple[bool, str]]:
    """``(hidden, code)`` of every code cell: hidden when its source is removed from the page."""
    out = []
    for body in CELL.findall(path.read_text(encoding="utf-8")):
        hidden = bool(HIDDEN.search(body)) or "remove-cell" in body.split("\n---\n", 1)[0]
        out.append((hidden, code_cells_of(body)))
    return out


def code_cells_of(body: str) -> str:
    if body.startswith("---\n"):
        body = body[body.index("\n---\n", 4) + 5 :]
    return "\n".join(line for line in body.splitlines() if not line.startswith(":")).strip()


def defined_names(code: str) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def used_names(code: str) -> set[str]:
    return {n.id for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Name)}


def hidden_definitions_used(path: Path) -> list[str]:
    """Names that a shown cell uses but only a cell removed from the page defines."""
    cells = cells_with_visibility(path)
    defined_by_shown: set[str] = set()
    problems = []
    for i, (hidden, code) in enumerate(cells, 1):
        if not hidden:
            defined_by_shown |= defined_names(code)
            continue
        hidden_names = defined_names(code) - defined_by_shown
        for j, (later_hidden, later) in enumerate(cells[i:], i + 1):
            for name in sorted(used_names(later) & hidden_names if not later_hidden else set()):
                problems.append(f"cell {j} uses {name!r}, defined by hidden cell {i}")
    return problems


@pytest.mark.parametrize("page", PAGES)
def test_what_a_reader_sees_runs_as_shown(page):
    """No cell whose code is removed from the page defines a name that a shown cell uses."""
    problems = hidden_definitions_used(BOOK / "en" / f"{page}.md")
    assert not problems, f"{page}: " + "; ".join(problems)


def test_the_rule_catches_a_hidden_definition(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "```{code-cell} ipython3\n:tags: [remove-cell]\nresults = 1\n```\n\n"
        "```{code-cell} ipython3\nresults + 1\n```\n",
        encoding="utf-8",
    )
    assert hidden_definitions_used(page) == ["cell 2 uses 'results', defined by hidden cell 1"]
