"""Only the CSS and icons the pages use: the purge, the glyphs kept, and what the built site ships."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydata_sphinx_theme
import pytest
from sitecheck import pages

from platformgov.site import slim
from platformgov.site.sphinxext import EDITIONS

THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static"
THEME_FONTS = THEME_STATIC / "vendor/fontawesome/webfonts"
#: What the style sheets of one page may weigh, uncompressed. Measured: 143 kB on every page
#: after the purge (535 kB before: the theme's 397 kB, Bootstrap and Font Awesome whole); the
#: rest leaves room for the book's own style sheets to grow.
CSS_BUDGET = 175_000
#: An icon font cut to the fifteen-odd glyphs the pages use weighs 2–4 kB (the whole solid
#: font 156 kB).
FONT_BUDGET = 10_000


def needs_purgecss():
    if shutil.which("node") is None or not (slim.PURGECSS / "package.json").is_file():
        pytest.skip("purgecss needs Node.js and `npm ci`")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_glyphs_are_read_from_content_and_custom_properties_only():
    css = (
        '.fa-bars:before{content:"\\f0c9"}'
        ".a:after{content:'\uf002'}"
        ':root{--pst-icon-bell:"\\f0f3 ";--fa-font-solid:normal 900 1em/1 "Font Awesome 6 Free"}'
        '.b{font-family:"Font Awesome 6 Free"}'
    )
    assert slim.css_codepoints(css) == {0xF0C9, 0xF002, 0xF0F3}


def test_the_books_own_style_sheets_are_not_purged(tmp_path):
    static = tmp_path / "_static"
    for name in ("styles/theme.css", "platformgov.css", "platformgov-math.css", "favicon.svg"):
        write(static / name, "a{}")
    write(
        tmp_path / "page.html",
        '<link rel="stylesheet" href="_static/styles/theme.css?digest=1" />'
        '<link href="_static/platformgov.css" rel="stylesheet" />'
        '<link rel="stylesheet" href="_static/platformgov-math.css" />'
        '<link rel="stylesheet" href="https://example.org/x.css" />',
    )
    assert slim.third_party_css(tmp_path) == [(static / "styles/theme.css").resolve()]
    # A style sheet the book ships from book/_static keeps its rules, whatever its name.
    own = next(p for p in slim.OWN_STATIC.glob("*.css"))
    assert slim.is_own(static / own.name)


def test_purge_keeps_the_rules_pages_and_scripts_use(tmp_path):
    needs_purgecss()
    css = write(
        tmp_path / "theme.css",
        ".used{color:red}.opened-by-script{color:blue}.nobody{color:green}"
        "html[data-theme=dark] .used{color:white}:focus-visible{outline:red}.nobody:hover{color:red}",
    )
    page = write(tmp_path / "page.html", '<html data-theme="light"><p class="used">x</p></html>')
    script = write(tmp_path / "menu.js", 'el.classList.add("opened-by-script"); t = "dark";')
    purged = slim.purge([css], [page, script])[css]
    assert ".used" in purged and ".opened-by-script" in purged
    assert "html[data-theme=dark] .used" in purged
    assert ":focus-visible{" in purged  # pseudo-classes alone apply everywhere
    assert ".nobody" not in purged


def test_an_icon_font_is_cut_to_the_glyphs_asked_for(tmp_path):
    from fontTools.ttLib import TTFont

    font = tmp_path / "fa-solid-900.woff2"
    shutil.copy(THEME_FONTS / font.name, font)
    slim.subset_font(font, {0xF002, 0xF0C9, 0x10FFFD})  # the last is in no font
    assert set(TTFont(font).getBestCmap()) == {0xF002, 0xF0C9}
    assert font.stat().st_size < FONT_BUDGET


def test_an_edition_keeps_the_rules_and_glyphs_of_the_icons_it_shows(tmp_path):
    needs_purgecss()
    from fontTools.ttLib import TTFont

    static = tmp_path / "_static"
    shutil.copytree(THEME_STATIC / "styles", static / "styles")
    shutil.copytree(THEME_STATIC / "vendor", static / "vendor")
    write(static / "scripts/fontawesome.js", "// every icon")
    # The book's own style sheet may draw an icon too (U+F0DB, table-columns).
    write(
        static / "platformgov.css",
        '.pg-cue:after{font-family:"Font Awesome 6 Free";content:"\\f0db"}',
    )
    write(
        tmp_path / "page.html",
        '<link rel="stylesheet" href="_static/styles/pydata-sphinx-theme.css?digest=1" />'
        '<link rel="stylesheet" href="_static/platformgov.css" />'
        '<i class="fa-solid fa-bars"></i>',
    )
    theme_css = static / "styles/pydata-sphinx-theme.css"
    size = theme_css.stat().st_size
    slim.slim(tmp_path)
    css = theme_css.read_text(encoding="utf-8")
    assert theme_css.stat().st_size < size / 3
    assert ".fa-bars" in css and ".fa-rocket" not in css
    assert ".ttf" not in css and "sourceMappingURL" not in css
    font = static / "vendor/fontawesome/webfonts/fa-solid-900.woff2"
    glyphs = set(TTFont(font).getBestCmap())
    assert {0xF0C9, 0xF0DB} <= glyphs and 0xF135 not in glyphs  # bars, table-columns; no rocket
    assert not list(static.rglob("*.ttf")) and not (static / "scripts/fontawesome.js").exists()
    assert (static / "platformgov.css").read_text(encoding="utf-8").startswith(".pg-cue")


@pytest.mark.site
def test_each_page_ships_only_the_css_and_icons_it_uses(site):
    heavy = []
    for edition in EDITIONS:
        for page in pages(site / edition):
            weight = slim.stylesheet_bytes(page)
            if weight > CSS_BUDGET:
                heavy.append(f"{page.relative_to(site)}: {weight / 1000:.0f} kB")
    assert not heavy, f"style sheets above {CSS_BUDGET / 1000:.0f} kB a page: {heavy}"
    fonts = sorted(site.glob("*/_static/vendor/fontawesome/webfonts/*"))
    assert fonts, "the theme's icon fonts are missing"
    assert {f.suffix for f in fonts} == {".woff2"}, "TrueType copies are shipped"
    too_big = [f"{f.relative_to(site)}: {f.stat().st_size} B" for f in fonts]
    assert all(f.stat().st_size < FONT_BUDGET for f in fonts), too_big
    assert not list(site.glob("*/_static/scripts/fontawesome.js*"))
