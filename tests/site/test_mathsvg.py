import re
import shutil

import pytest
from docutils import nodes
from factories import tiny_book

from platformgov.site import build, mathsvg

needs_mathjax = pytest.mark.skipif(
    shutil.which("node") is None or not (mathsvg.MATHJAX / "package.json").is_file(),
    reason="Node.js and `npm ci` (MathJax) are needed to typeset formulas",
)


@needs_mathjax
def test_a_formula_becomes_svg_with_mathml_for_screen_readers():
    done = mathsvg.typeset([(r"\alpha_i", False), (r"\frac{k}{k-1}", True)])
    assert done.errors == [None, None]
    inline, display = done.html
    for html in (inline, display):
        assert html.startswith("<mjx-container")
        svg = re.search(r"<svg\b[^>]*>", html).group(0)
        assert 'aria-hidden="true"' in svg, "the drawing must be hidden from screen readers"
        assert "<mjx-assistive-mml" in html and "</math>" in html
    assert 'display="true"' in display and 'display="true"' not in inline
    assert "<msub><mi>α</mi><mi>i</mi></msub>" in inline
    assert "<mfrac>" in display
    assert "mjx-assistive-mml" in done.css


@needs_mathjax
def test_tex_errors_are_reported_per_formula_not_drawn():
    done = mathsvg.typeset([(r"\frac{a", False), (r"\nosuchmacro", False), ("x", False)])
    assert done.html[0] is None and "Missing close brace" in done.errors[0]
    assert done.html[1] is None and r"\nosuchmacro" in done.errors[1]
    assert done.errors[2] is None and done.html[2] is not None


@needs_mathjax
def test_formula_ids_are_unique_within_a_page():
    done = mathsvg.typeset([("x^2", False), ("x^2", False)])
    first, second = (set(re.findall(r'id="([^"]+)"', html)) for html in done.html)
    assert first and second and not first & second


def test_missing_node_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(mathsvg.shutil, "which", lambda name: None)
    with pytest.raises(mathsvg.MathSetupError, match=r"Node\.js"):
        mathsvg.typeset([("x", False)])


def test_missing_mathjax_names_the_command_to_run(monkeypatch, tmp_path):
    monkeypatch.setattr(mathsvg.shutil, "which", lambda name: "/usr/bin/node")
    monkeypatch.setattr(mathsvg, "MATHJAX", tmp_path / "node_modules" / "mathjax-full")
    with pytest.raises(mathsvg.MathSetupError, match="npm ci"):
        mathsvg.typeset([("x", False)])


def test_block_tex_aligns_blank_line_separated_equations():
    one = nodes.math_block("a = b", "a = b")
    assert mathsvg.block_tex(one) == "a = b"
    two = nodes.math_block("a = b\n\nc = d", "a = b\n\nc = d")
    assert mathsvg.block_tex(two) == r"\begin{aligned}a = b\\c = d\end{aligned}"
    two["nowrap"] = True
    assert mathsvg.block_tex(two) == "a = b\n\nc = d"


def test_pages_with_formulas_are_recognised():
    doc = nodes.document(None, None)
    doc += nodes.paragraph(text="no math, $5 only")
    assert not mathsvg.has_math(doc) and not mathsvg.has_math(None)
    doc += nodes.math("", "x")
    assert mathsvg.has_math(doc)


def test_tex_in_html_output_is_recognised():
    assert mathsvg.TEX_IN_HTML.search(r"<td>\(x\)</td>")
    assert mathsvg.TEX_IN_HTML.search(r"<p>$$x$$</p>")
    assert not mathsvg.TEX_IN_HTML.search("<td>$5 and $6</td>")


@needs_mathjax
@pytest.mark.site
def test_book_pages_carry_typeset_math_and_no_mathjax(tmp_path):
    body = "Inline $\\beta_1$ and displayed\n\n$$\n\\alpha = \\frac{k}{k-1}\n$$\n"
    root = tiny_book(tmp_path, body)
    build.build_edition("en", tmp_path / "out", root=root)
    html_dir = tmp_path / "out" / "en" / "_build" / "html"
    page = (html_dir / "index.html").read_text(encoding="utf-8")
    assert page.count("<mjx-container") == 2
    assert mathsvg.CSS_FILE in page
    assert "<mo>=</mo>" in page, "the MathML of the displayed formula is missing"
    assert not re.search(r"<script[^>]*mathjax|window\.MathJax", page, re.I)
    assert (html_dir / "_static" / mathsvg.CSS_FILE).stat().st_size > 500


@needs_mathjax
@pytest.mark.site
def test_a_tex_error_fails_the_build_and_names_the_formula(tmp_path):
    root = tiny_book(tmp_path, "Broken $\\frac{a$ here.\n")
    with pytest.raises(SystemExit, match="failed to build"):
        build.build_edition("en", tmp_path / "out", root=root)
    log = (tmp_path / "out" / "en" / "build.log").read_text()
    assert "TeX error" in log and "\\\\frac{a" in log and "index.md" in log


@needs_mathjax
@pytest.mark.site
def test_tex_in_an_html_output_fails_the_build(tmp_path):
    cell = (
        '```{code-cell} ipython3\nfrom IPython.display import HTML\nHTML(r"<p>\\(x\\)</p>")\n```\n'
    )
    root = tiny_book(tmp_path, cell)
    with pytest.raises(SystemExit, match="failed to build"):
        build.build_edition("en", tmp_path / "out", root=root)
    assert "HTML output holds TeX" in (tmp_path / "out" / "en" / "build.log").read_text()


@needs_mathjax
@pytest.mark.site
def test_a_labelled_formula_keeps_its_number_and_is_cited_by_it(tmp_path):
    body = (
        "# Page\n\nBy equation {eq}`eq-alpha`, alpha grows with $k$.\n\n"
        "$$\n\\alpha = \\frac{k}{k-1}\n$$ (eq-alpha)\n"
    )
    root = tiny_book(tmp_path, body)
    build.build_edition("en", tmp_path / "out", root=root)
    page = (tmp_path / "out" / "en" / "_build" / "html" / "index.html").read_text()
    formula = re.search(r'<div class="math[^"]*" id="equation-eq-alpha">(.*?)</div>', page, re.S)
    assert formula, "the numbered formula lost its id"
    assert '<span class="eqno">(1)' in formula.group(1) and "<mjx-container" in formula.group(1)
    assert re.search(r'href="#equation-eq-alpha"[^>]*>\(1\)</a>', page)
