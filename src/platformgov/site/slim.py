"""Ship only the CSS and icons that an edition's pages use.

The themes bring a whole toolkit: Bootstrap, Font Awesome's 2,000 icon rules and its icon
fonts (≈ 550 kB of CSS and a 157 kB font on every page, for about fifteen icons). After Sphinx
has written an edition, :func:`slim` (called on ``build-finished``):

1. purges the rules of the third-party style sheets that no page or script of the edition
   uses, with npm's ``purgecss`` (pinned in ``package.json``; ``purgecss.cjs`` beside this
   file). The book's own style sheets (``book/_static`` and ``platformgov*.css``) are left as
   they are: what they say is meant;
2. cuts Font Awesome's fonts down to the glyphs the style sheets still name (fontTools'
   subsetter, WOFF2) and drops the TrueType copies, which no current browser asks for;
3. removes the theme's files no page loads: the JavaScript build of Font Awesome and the source
   maps of the purged style sheets, which no longer describe them.

Every step reads the built pages, so a new icon or class in a page or template is kept
without a list to update here.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from platformgov.paths import NODE_MODULES, ROOT
from platformgov.site.mathsvg import MathSetupError, node_command

SCRIPT = Path(__file__).with_name("purgecss.cjs")
PURGECSS = NODE_MODULES / "purgecss"
#: Style sheets of the book itself, never purged.
OWN_STATIC = ROOT / "book" / "_static"
OWN_PREFIX = "platformgov"
FONT_FOLDER = Path("_static") / "vendor" / "fontawesome" / "webfonts"
#: Theme files that no page loads (pydata-sphinx-theme draws its icons with the CSS font).
UNUSED = (
    "_static/scripts/fontawesome.js",
    "_static/scripts/fontawesome.js.map",
    "_static/scripts/fontawesome.js.LICENSE.txt",
)

STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>")
HREF = re.compile(r"\bhref=\"([^\"]+)\"")
# A character in a CSS string: written as an escape (\f002) or as itself.
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?")
# A string a glyph is drawn from: ``content: "\f002"`` or a custom property such as ``--fa: ""``
# (not font-family names).
GLYPH_STRING = re.compile(r"(?:\bcontent|--[\w-]+)\s*:\s*(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")
TRUETYPE_SOURCE = re.compile(r",\s*url\([^)]*\.ttf\)\s*format\([\"']truetype[\"']\)")
SOURCE_MAP = re.compile(r"/\*#\s*sourceMappingURL=[^*]*\*/\s*")


class SlimError(RuntimeError):
    """PurgeCSS is missing or failed."""


def page_stylesheets(page: Path) -> list[Path]:
    """The local style sheets ``page`` links, as files."""
    found = []
    for tag in STYLESHEET.findall(page.read_text(encoding="utf-8")):
        href = HREF.search(tag)
        if href is not None and not urlsplit(href.group(1)).scheme:
            found.append((page.parent / urlsplit(href.group(1)).path).resolve())
    return found


def stylesheet_bytes(page: Path) -> int:
    """What the style sheets ``page`` links weigh, uncompressed."""
    return sum(p.stat().st_size for p in set(page_stylesheets(page)) if p.is_file())


def linked_stylesheets(outdir: Path) -> set[Path]:
    """Every style sheet some page of ``outdir`` links."""
    return {css for page in outdir.rglob("*.html") for css in page_stylesheets(page)}


def is_own(css: Path) -> bool:
    return css.name.startswith(OWN_PREFIX) or (OWN_STATIC / css.name).is_file()


def third_party_css(outdir: Path) -> list[Path]:
    """The linked style sheets under ``_static`` that come from the themes and extensions."""
    static = (outdir / "_static").resolve()
    return sorted(
        p
        for p in linked_stylesheets(outdir)
        if p.is_file() and static in p.parents and not is_own(p)
    )


def purge_content(outdir: Path) -> list[Path]:
    """Where a class may come from: the pages, and the scripts that add classes as they run."""
    scripts = [
        p
        for p in (outdir / "_static").rglob("*.js")
        if not any(p.as_posix().endswith(u) for u in UNUSED)
    ]
    return sorted(outdir.rglob("*.html")) + sorted(scripts)


def purge(css_files: list[Path], content: list[Path]) -> dict[Path, str]:
    """The rules of ``css_files`` that some word of ``content`` can match, per file."""
    if not (PURGECSS / "package.json").is_file():
        raise SlimError(f"{PURGECSS} is missing: run `npm ci` (`make site` does).")
    try:
        node = node_command()
    except MathSetupError as error:
        raise SlimError(str(error)) from None
    request = {"css": [str(p) for p in css_files], "content": [str(p) for p in content]}
    done = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "NODE_PATH": str(NODE_MODULES)},
        check=False,
    )
    if done.returncode != 0:
        raise SlimError(f"{SCRIPT.name} failed (exit {done.returncode}):\n{done.stderr}")
    return {Path(item["file"]): item["css"] for item in json.loads(done.stdout)}


def css_codepoints(css: str) -> set[int]:
    """Every character of the strings in ``css`` that a glyph can be drawn from."""
    points: set[int] = set()
    for literal in GLYPH_STRING.findall(css):
        text = CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), literal[1:-1])
        points.update(ord(c) for c in text)
    return points


def subset_font(path: Path, codepoints: set[int]) -> None:
    """Keep only the glyphs of ``codepoints`` in the WOFF2 font at ``path``."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # the licence and copyright stay with the font
    font = subset.load_font(str(path), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    subset.save_font(font, str(path), options)


def slim(outdir: Path) -> dict[str, int]:
    """Purge, subset and prune ``outdir`` (an edition's HTML output) in place.

    Returns the bytes of what was purged or subset before and after, for the build's log.
    """
    outdir = Path(outdir)
    before = after = 0
    purged = purge(third_party_css(outdir), purge_content(outdir))
    for path, css in purged.items():
        before += path.stat().st_size
        css = SOURCE_MAP.sub("", TRUETYPE_SOURCE.sub("", css))
        path.write_text(css, encoding="utf-8")
        after += path.stat().st_size
        path.with_name(path.name + ".map").unlink(missing_ok=True)
    # Icons named by any style sheet the pages link, the book's own included.
    sheets = [p for p in linked_stylesheets(outdir) if p.is_file()]
    codepoints = set().union(*(css_codepoints(p.read_text(encoding="utf-8")) for p in sheets))
    fonts = outdir / FONT_FOLDER
    if fonts.is_dir() and codepoints:
        for ttf in fonts.glob("*.ttf"):
            ttf.unlink()
        for woff2 in sorted(fonts.glob("*.woff2")):
            before += woff2.stat().st_size
            subset_font(woff2, codepoints)
            after += woff2.stat().st_size
    for name in UNUSED:
        (outdir / name).unlink(missing_ok=True)
    return {"before": before, "after": after}
