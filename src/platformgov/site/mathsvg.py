"""Formulas typeset while the book is built, so that a reader's browser runs no MathJax.

MathJax in the browser cost a phone seconds of CPU on the two pages with math (Lighthouse's
mobile performance fell to about 70 there). Here the same MathJax 3 (the npm package
``mathjax-full``, pinned in ``package.json``) turns each TeX formula into SVG once, in one
Node.js process per page (``tex2svg.cjs`` beside this file). Each formula keeps its MathML in a
visually hidden element, so screen readers read the formula and not a picture.

:mod:`platformgov.site.sphinxext` calls :func:`typeset` for every page and reports each TeX error
as a Sphinx warning at the formula's place, which fails the strict build.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from platformgov.paths import MATHJAX, NODE_MODULES

SCRIPT = Path(__file__).with_name("tex2svg.cjs")


class MathSetupError(RuntimeError):
    """Node.js or the MathJax package is missing: no formula can be typeset."""


@dataclass(frozen=True)
class Typeset:
    """What :func:`typeset` returns: one entry of ``html`` and of ``errors`` per formula."""

    css: str  # the style sheet the SVG formulas need, the same for every page
    html: list[str | None]  # the formula's <mjx-container>, or None where TeX failed
    errors: list[str | None]  # MathJax's message where TeX failed, else None


def node_command() -> str:
    node = shutil.which("node")
    if node is None:
        raise MathSetupError(
            "Node.js (`node`) was not found: the book typesets its formulas at build time with "
            "MathJax on Node.js (18.16 or newer). Install it (on Debian: apt-get install nodejs "
            "npm) and run `npm ci` in the repository."
        )
    if not (MATHJAX / "package.json").is_file():
        raise MathSetupError(
            f"{MATHJAX} is missing: run `npm ci` in {NODE_MODULES.parent} "
            "(`make site` does) to install MathJax from package-lock.json."
        )
    return node


def typeset(formulas: Sequence[tuple[str, bool]]) -> Typeset:
    """Typeset ``(tex, display)`` pairs as SVG; ``display`` is True for a formula on its own line."""
    request = {"items": [{"tex": tex, "display": bool(display)} for tex, display in formulas]}
    env = {**os.environ, "NODE_PATH": str(NODE_MODULES)}
    done = subprocess.run(
        [node_command(), str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise MathSetupError(f"{SCRIPT.name} failed (exit {done.returncode}):\n{done.stderr}")
    answer = json.loads(done.stdout)
    items = answer["items"]
    if len(items) != len(formulas):
        raise MathSetupError(f"{SCRIPT.name} answered {len(items)} formulas for {len(formulas)}")
    return Typeset(
        css=answer["css"],
        html=[item.get("html") for item in items],
        errors=[item.get("error") for item in items],
    )


# --- Sphinx: the "platformgov" HTML math renderer -------------------------------------------

# TeX delimiters in a cell's HTML output: MathJax in the browser would have typeset them.
TEX_IN_HTML = re.compile(r"\\\(|\\\[|\$\$|\\begin\{")
SVG_KEY = "platformgov_svg"  # where a math node keeps its typeset form between the two events
CSS_FILE = "platformgov-math.css"


def block_tex(node) -> str:
    """The TeX of a displayed formula, several blank-line-separated equations aligned as one."""
    tex = node.astext()
    if node.get("nowrap"):
        return tex
    parts = [part for part in tex.split("\n\n") if part.strip()]
    if len(parts) <= 1:
        return tex
    return r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}"


def on_doctree_resolved(app, doctree, docname: str) -> None:
    """Typeset the page's formulas in one go, before the HTML writer visits them."""
    from docutils import nodes
    from sphinx.util import logging

    if app.builder.format != "html":
        return
    logger = logging.getLogger(__name__)
    for raw in doctree.findall(nodes.raw):
        if "html" in raw.get("format", "").split() and TEX_IN_HTML.search(raw.astext()):
            logger.warning(
                "HTML output holds TeX, which is typeset only in Markdown ($...$ or $$...$$)",
                location=raw,
            )
    formulas = list(doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block))))
    if not formulas:
        return
    sources = [
        (block_tex(n), True) if isinstance(n, nodes.math_block) else (n.astext(), False)
        for n in formulas
    ]
    done = typeset(sources)
    for node, (tex, _), svg, error in zip(formulas, sources, done.html, done.errors, strict=True):
        if error is not None:
            logger.warning("TeX error in formula %r: %s", tex, error, location=node)
        else:
            node[SVG_KEY] = svg


def _typeset_or_source(node) -> str:
    import html

    svg = node.get(SVG_KEY)
    return svg if svg is not None else f"<code>{html.escape(node.astext())}</code>"


def visit_math(self, node) -> None:
    from docutils import nodes

    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_typeset_or_source(node) + "</span>")
    raise nodes.SkipNode


def visit_math_block(self, node) -> None:
    """A displayed formula (platformgov.css shrinks one wider than the column to fit it)."""
    from docutils import nodes
    from sphinx.locale import _
    from sphinx.util.math import get_node_equation_number

    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node.get("number"):
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    self.body.append(_typeset_or_source(node) + "</div>\n")
    raise nodes.SkipNode


def has_math(doctree) -> bool:
    from docutils import nodes

    return doctree is not None and any(
        doctree.findall(lambda n: isinstance(n, (nodes.math, nodes.math_block)))
    )


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    """The formulas' style sheet, on the pages that have formulas."""
    if has_math(doctree):
        app.add_css_file(CSS_FILE)


def write_css(outdir: Path) -> None:
    target = Path(outdir) / "_static" / CSS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(typeset([]).css, encoding="utf-8")


def setup(app) -> None:
    """Make this the HTML math renderer of the book (called by platformgov.site.sphinxext)."""
    app.add_html_math_renderer("platformgov", (visit_math, None), (visit_math_block, None))
    app.connect("doctree-resolved", on_doctree_resolved)
    app.connect("html-page-context", on_html_page_context)
