"""Exercises and solutions (platformgov.site.exercises): every page writes them with
sphinx-exercise, and the built site numbers the exercises per chapter in each edition's words
and folds each solution, prose and code, into one block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from docutils import nodes

from platformgov.paths import ROOT
from platformgov.site import exercises, pdf
from platformgov.site.sphinxext import EDITIONS, LOCALE

WORDS = {"ko": ("연습", "풀이"), "en": ("Exercise", "Solution")}
EXERCISE = re.compile(
    r"^:::\{exercise\}[ \t]*(?P<title>[^\n]*)\n(?P<options>(?::[a-z-]+:[^\n]*\n)*)", re.M
)
START = re.compile(
    r"^:::\{solution-start\}[ \t]*(?P<target>\S+)\n(?P<options>(?::[a-z-]+:[^\n]*\n)*):::", re.M
)
OLD_STYLE = re.compile(r"^:{3,}\{admonition\}[ \t]*(?:Exercise|Solution|연습|풀이)", re.M)


def chapters(edition: str) -> list[Path]:
    return sorted((ROOT / "book" / edition).glob("*.md"))


def solutions(text: str) -> list[tuple[str, str, str]]:
    """Each solution: ``(the exercise it follows, its options, its body up to the end gate)``."""
    found = []
    for start in START.finditer(text):
        end = text.find(":::{solution-end}\n:::", start.end())
        assert end > 0, f"{start.group()!r} has no {{solution-end}}"
        found.append((start["target"], start["options"], text[start.end() : end]))
    return found


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_exercise_and_solution_uses_sphinx_exercise(edition):
    """No exercise or solution is an admonition any more; every exercise has a label and
    is followed by its solution, a dropdown whose code cells are not folded a second time."""
    total = 0
    for source in chapters(edition):
        text = source.read_text(encoding="utf-8")
        old = OLD_STYLE.search(text)
        assert not old, f"{source}: an exercise or solution written the old way: {old.group()!r}"
        labels = []
        for match in EXERCISE.finditer(text):
            label = re.search(r"^:label:[ \t]*(\S+)$", match["options"], re.M)
            assert label, f"{source}: exercise {match['title']!r} has no :label:"
            assert match["title"].strip(), f"{source}: exercise {label[1]} has no title"
            assert not re.match(r"(Exercise|연습)\s*\d", match["title"]), (
                f"{source}: {match['title']!r}: the site numbers exercises itself"
            )
            labels.append(label[1])
        found = solutions(text)
        assert [target for target, _, _ in found] == labels, f"{source}: solutions out of step"
        for target, options, body in found:
            assert re.search(r"^:class:.*\bdropdown\b", options, re.M), f"{source}: {target}"
            assert "hide-cell" not in body and "hide-input" not in body, (
                f"{source}: solution of {target}: its code would need a second click"
            )
        assert text.count("{solution-end}") == len(found), f"{source}: a stray {{solution-end}}"
        total += len(labels)
    assert total >= 6 * 3, "fewer exercises than the chapters have"


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_text_cites_an_exercise_by_its_label(edition):
    """A number typed by hand ("exercise 2") goes stale; ``{numref}`` gives the site's."""
    typed = re.compile(r"\b[Ee]xercises? \d|연습(?:문제)? ?\d")
    for source in chapters(edition):
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            assert not typed.search(line), f"{source}:{number}: {line}"


def test_both_editions_have_the_same_exercises():
    def labels(edition):
        return {
            source.name: re.findall(
                r"^:label:[ \t]*(ex-\S+)$", source.read_text(encoding="utf-8"), re.M
            )
            for source in chapters(edition)
        }

    assert labels("ko") == labels("en")


def test_the_korean_words_for_exercises_and_solutions():
    with open(LOCALE / "ko" / "LC_MESSAGES" / "exercise.po", "rb") as po:
        catalog = read_po(po)
    assert {m.id: m.string for m in catalog if m.id} == dict(
        zip(WORDS["en"], WORDS["ko"], strict=True)
    )


def test_each_body_takes_the_id_of_its_block():
    document = nodes.document(None, None)
    for name in ("ex-a", "ex-b"):
        block = nodes.admonition(ids=[name])
        block += nodes.section(ids=["exercise-content"])
        document += block
    other = nodes.section(ids=["results"])
    document += other
    exercises.unique_body_ids(None, document)
    assert [s["ids"] for s in document.findall(nodes.section)] == [
        ["ex-a-content"],
        ["ex-b-content"],
        ["results"],
    ]


def test_a_solution_prints_open_with_its_code():
    page = (
        '<html><body><article class="bd-article"><section id="p"><h1>P</h1>'
        '<div class="exercise admonition" id="ex-p-1"><p class="admonition-title">'
        '<span class="caption-number">Exercise 1.1 </span> (Count)</p></div>'
        '<div class="solution dropdown admonition" id="p-solution-1">'
        '<p class="admonition-title">Solution</p><section id="p-solution-1-content">'
        '<p>Prose.</p><div class="cell"><pre>print(42)</pre></div></section></div>'
        "</section></article></body></html>"
    )
    body = pdf.chapter_of("p", page, ["p"]).body
    assert "Exercise 1.1" in body and "Prose." in body and "print(42)" in body
    assert 'id="p--p-solution-1-content"' in body
    assert "div.solution" in (Path(pdf.__file__).parent / "print.css").read_text()


# -- the built site -----------------------------------------------------------------------------


def check_exercises(site: Path) -> int:
    """Exercise titles numbered per chapter in the edition's words; each solution one folded
    block holding every code cell of its source, and no id twice on a page."""
    from bs4 import BeautifulSoup

    checked = 0
    for edition in EDITIONS:
        exercise_word, solution_word = WORDS[edition]
        for source in chapters(edition):
            text = source.read_text(encoding="utf-8")
            expected = solutions(text)
            if not expected:
                continue
            page = site / edition / f"{source.stem}.html"
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            article = soup.find("article")
            chapter = article.find("h1").find(class_="section-number").get_text(strip=True)
            titles = [
                " ".join(t.get_text().split())
                for t in article.select("div.exercise > p.admonition-title")
            ]
            names = [m["title"].strip().replace("`", "") for m in EXERCISE.finditer(text)]
            assert titles == [
                f"{exercise_word} {chapter}{i} ({name})" for i, name in enumerate(names, 1)
            ], f"{page}: {titles}"
            blocks = article.select("div.solution")
            assert len(blocks) == len(expected), f"{page}: solutions"
            for block, (target, _, body) in zip(blocks, expected, strict=True):
                assert {"dropdown", "admonition"} <= set(block["class"]), f"{page}: {target}"
                title = block.find("p", class_="admonition-title", recursive=False)
                assert title.get_text(strip=True) == solution_word, f"{page}: {target}"
                cells = block.select("div.cell")
                assert len(cells) == body.count("```{code-cell}"), f"{page}: {target}'s code"
                assert not block.find("details"), f"{page}: {target}: code folded again"
            ids = [n["id"] for n in soup.find_all(id=True)]
            twice = {i for i in ids if ids.count(i) > 1}
            assert not twice, f"{page}: ids used twice: {twice}"
            checked += 1
    return checked


@pytest.mark.site
def test_exercises_are_numbered_per_chapter_and_solutions_open_with_one_click(site):
    assert check_exercises(site) == 2 * 6
