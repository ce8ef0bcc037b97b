"""Every page of both editions in headless Chromium, at phone (375 px) and desktop (1280 px) width.

The site is served with compression on 127.0.0.1 and each page is loaded once per width: a
full-page screenshot is saved (the folder is printed at the end of the session), then every
``<details>`` is opened and the page is checked for WCAG 2.x A/AA violations (axe-core; at
desktop width also in the dark colour mode), Hangul drawn with a CJK font, horizontal
overflow, tables wider than the column (they must scroll with their row headers in view and a
visible cue), figures that fit the content column and whose smallest text is 9 CSS pixels or
more, formulas drawn without MathJax, and console errors.

Without Chromium, chromedriver or the node packages the tests are skipped with the reason,
except when ``CI=true``: there a missing browser is a failure.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PIL import Image
from sitecheck import pages
from sitefixtures import require_browser

from platformgov.figures import style
from platformgov.site import browser, serve
from platformgov.site.sphinxext import EDITIONS

pytestmark = pytest.mark.browser

WIDTHS = (375, 1280)
BOOK = Path(__file__).resolve().parents[2] / "book"


@dataclass
class Render:
    """What one page showed at one width."""

    page: str
    width: int
    screenshot: Path | None = None
    console: list[str] = field(default_factory=list)
    violations: list[browser.Violation] = field(default_factory=list)
    violations_dark: list[browser.Violation] = field(default_factory=list)
    overflow: dict = field(default_factory=dict)
    figures: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    hangul: list[tuple[str, list[str]]] = field(default_factory=list)
    formulas: dict = field(default_factory=dict)
    icons: list[dict] = field(default_factory=list)

    @property
    def where(self) -> str:
        return f"{self.page} at {self.width} px"


def site_pages(site: Path) -> list[str]:
    """Every HTML page a reader can reach: the edition chooser and both editions."""
    found = ["index.html"]
    for edition in EDITIONS:
        found += [p.relative_to(site).as_posix() for p in pages(site / edition)]
    return found


@pytest.fixture(scope="session")
def chromium(tmp_path_factory):
    require_browser()
    driver = browser.start_chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def rendered(chromium, site, tmp_path_factory) -> dict[tuple[str, int], Render]:
    shots = tmp_path_factory.mktemp("screenshots")
    server, base = serve.start(site)
    results: dict[tuple[str, int], Render] = {}
    try:
        for width in WIDTHS:
            browser.set_viewport(chromium, width)
            for page in site_pages(site):
                render = Render(page, width)
                browser.console_errors(chromium)  # forget what the previous page logged
                browser.open_page(chromium, f"{base}/{page}")
                render.console = browser.console_errors(chromium)
                name = page.replace("/", "-").removesuffix(".html") + f"-{width}.png"
                render.screenshot = browser.screenshot(chromium, shots / name, width)
                browser.open_details(chromium)
                render.overflow = browser.overflow(chromium, width)
                render.figures = browser.figures(chromium)
                render.tables = browser.wide_tables(chromium)
                render.hangul = browser.hangul_fonts(chromium)
                render.formulas = browser.formulas(chromium)
                render.icons = browser.icons(chromium)
                render.violations = browser.run_axe(chromium)
                if width == max(WIDTHS):  # the colour mode a reader can switch to
                    browser.set_colour_mode(chromium, "dark")
                    render.violations_dark = browser.run_axe(chromium)
                results[(page, width)] = render
    finally:
        server.shutdown()
    print(f"\nscreenshots of every page at {' and '.join(map(str, WIDTHS))} px: {shots}")
    return results


def test_every_page_passes_axe_wcag_a_and_aa(rendered):
    problems = []
    for render in rendered.values():
        for mode, violations in (("", render.violations), (", dark", render.violations_dark)):
            for v in violations:
                targets = "; ".join(n["target"] for n in v.nodes[:5])
                problems.append(f"{render.where}{mode}: {v.rule} ({v.impact}) {v.help} — {targets}")
    assert not problems, f"{len(problems)} axe-core violations:\n" + "\n".join(problems)


def test_hangul_is_drawn_with_a_cjk_font(rendered):
    problems = []
    for render in rendered.values():
        korean_page = render.page.startswith("ko/") or render.page == "index.html"
        if korean_page and not render.hangul:
            problems.append(f"{render.where}: no visible Hangul text found")
        for text, fonts in render.hangul:
            if not any(browser.is_cjk_font(f) for f in fonts):
                problems.append(f"{render.where}: {text!r} drawn with {fonts}, no CJK font")
    assert not problems, "\n".join(problems)


def test_nothing_overflows_the_viewport(rendered):
    problems = []
    for render in rendered.values():
        o = render.overflow
        if o["scrollWidth"] > render.width:
            problems.append(f"{render.where}: page is {o['scrollWidth']} px wide")
        problems += [f"{render.where}: {element}" for element in o["wide"]]
    assert not problems, "\n".join(problems)


def test_figures_load_fit_the_content_column_and_keep_their_proportions(rendered):
    problems = []
    for render in rendered.values():
        for f in render.figures:
            if not f["loaded"]:
                problems.append(f"{render.where}: {f['src']} did not load")
            elif f["left"] < f["columnLeft"] - 1 or f["right"] > f["columnRight"] + 1:
                problems.append(
                    f"{render.where}: {f['src']} spans {f['left']:.0f}..{f['right']:.0f} px, "
                    f"the column {f['columnLeft']:.0f}..{f['columnRight']:.0f} px"
                )
            elif f["height"] and f["naturalHeight"]:
                drawn = f["width"] / f["height"]
                natural = f["naturalWidth"] / f["naturalHeight"]
                if abs(drawn - natural) > 0.02 * natural + 1 / f["height"]:
                    problems.append(
                        f"{render.where}: {f['src']} is drawn {f['width']:.0f}×{f['height']:.0f} "
                        f"px, out of its proportions ({f['naturalWidth']}×{f['naturalHeight']})"
                    )
    assert not problems, "\n".join(problems)


def test_tables_wider_than_the_column_show_that_they_scroll(rendered):
    """A table cut by the column scrolls in its box, keeps its row headers in view, and shows
    the hint and the faded edge: no column is out of view unseen."""
    problems = []
    for render in rendered.values():
        for t in render.tables:
            missing = [
                what
                for what, ok in (
                    ("a box that scrolls", t["scrolls"] in {"auto", "scroll"}),
                    ("row headers in view (sticky)", t["sticky"]),
                    ("the hint", t["hint"]),
                    ("the faded edge", t["edge"] > 0.5),
                )
                if not ok
            ]
            if missing:
                problems.append(
                    f"{render.where}: {t['caption']!r} hides {t['hidden']} px without "
                    + ", ".join(missing)
                )
    phone = [t for (_, width), r in rendered.items() if width == min(WIDTHS) for t in r.tables]
    assert phone, f"no table is wider than the column at {min(WIDTHS)} px: the check saw nothing"
    assert not problems, "\n".join(problems)


def test_figures_have_alt_text_that_describes_them(rendered):
    """axe accepts any alt; MyST-NB's default alt is the image's file name, which says nothing."""
    problems = set()
    for render in rendered.values():
        for f in render.figures:
            alt = (f["alt"] or "").strip()
            src_name = Path((f["src"] or "").split("?")[0]).name
            if not alt or src_name in alt or re.fullmatch(r"[\w./-]+\.(png|jpe?g|svg|gif)", alt):
                problems.add(
                    f"{render.page}: {src_name} has alt {alt!r} "
                    "(give the cell `mystnb: image: alt:` or use a figure with :alt:)"
                )
    assert not problems, "\n".join(sorted(problems))


def test_no_console_errors(rendered):
    problems = [f"{r.where}: {m}" for r in rendered.values() for m in r.console]
    assert not problems, "\n".join(problems)


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_every_icon_is_drawn_from_the_shipped_fonts(rendered):
    """The icon fonts are cut to the glyphs the pages use (platformgov.site.slim): every icon a
    page has, shown or folded away, still finds its glyph, and every icon on screen takes room."""
    missing, empty, bare = [], [], []
    for r in rendered.values():
        if r.page == "index.html":  # the edition chooser has no icons
            continue
        if not any(i["visible"] for i in r.icons):
            bare.append(r.where)
        for i in r.icons:
            name = f"{r.where}: {i['element']}{i['pseudo']} U+{i['code']}"
            if not i["drawn"]:
                missing.append(name)
            if i["visible"] and not (i["width"] > 0 and i["height"] > 0):
                empty.append(f"{name} ({i['width']:.1f} × {i['height']:.1f} px)")
    assert not bare, f"pages that show no icon at all (the icon check found none): {bare}"
    assert not missing, "icons whose glyph the shipped font lacks:\n" + "\n".join(missing)
    assert not empty, "icons on screen that take no room:\n" + "\n".join(empty)


def test_every_page_has_a_screenshot_at_both_widths(rendered, site):
    for page in site_pages(site):
        for width in WIDTHS:
            shot = rendered[(page, width)].screenshot
            assert shot is not None and shot.exists(), f"{page} at {width} px: no screenshot"
            assert png_size(shot)[0] == width, f"{shot}: not {width} px wide"


# One figure style: every figure comes through platformgov.figures.style.use() (via book.setup).

STYLE_OVERRIDES = re.compile(
    r"rcParams|plt\.style\.use|sns\.set_theme|sns\.set\(|sns\.set_style|sns\.set_palette"
)


# MyST-NB names the images a notebook cell outputs by the SHA-256 of their bytes.
NOTEBOOK_PNG = re.compile(r"_images/[0-9a-f]{64}\.png$")


def notebook_chapters() -> list[Path]:
    return sorted(
        p
        for edition in EDITIONS
        for p in (BOOK / edition).glob("*.md")
        if "kernelspec:" in p.read_text(encoding="utf-8")[:2000]
    )


MIN_TEXT_PX = 9


def figure_text_px(site: Path, figure: dict) -> float | None:
    """The smallest text of ``figure`` as drawn, in CSS pixels: the size its PNG records
    (:mod:`platformgov.figures.style`) scaled by the drawn over the natural width."""
    path = site / unquote(urlsplit(figure["currentSrc"]).path).lstrip("/")
    with Image.open(path) as image:
        recorded = getattr(image, "text", {}).get(style.FONT_KEY)
    if recorded is None:
        return None
    return float(recorded) * figure["width"] / figure["naturalWidth"]


def test_figure_text_is_at_least_9_css_pixels(rendered, site):
    problems, measured = [], 0
    for render in rendered.values():
        for f in render.figures:
            if not f["loaded"] or not NOTEBOOK_PNG.search(urlsplit(f["currentSrc"]).path):
                continue
            px = figure_text_px(site, f)
            name = Path(urlsplit(f["currentSrc"]).path).name
            if px is None:
                problems.append(f"{render.where}: {name} does not record its smallest text")
                continue
            measured += 1
            if px < MIN_TEXT_PX:
                problems.append(
                    f"{render.where}: {name}'s smallest text is {px:.1f} px "
                    f"(drawn {f['width']:.0f} px wide of {f['naturalWidth']})"
                )
    assert measured, "no figure measured"
    assert not problems, "\n".join(problems)


def test_every_notebook_chapter_applies_the_book_style_first():
    for chapter in notebook_chapters():
        text = chapter.read_text(encoding="utf-8")
        cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.S)
        if not cells:
            continue
        assert re.search(r"book\.setup\(|style\.use\(", cells[0]), (
            f"{chapter}: the first code cell must call book.setup(LANG) (the one figure style)"
        )
        assert not STYLE_OVERRIDES.search(text), f"{chapter}: sets its own figure style"


def test_every_figure_was_drawn_with_the_book_style(site):
    """style.use() draws inline figures for high-density screens: PNGs at twice their CSS size.

    A figure drawn without it has no CSS size, or a PNG the size of its CSS box.
    """
    if not style.RETINA:
        pytest.skip("style.RETINA is off: figures carry no mark of the book style")
    problems = []
    for edition in EDITIONS:
        for page in pages(site / edition):
            html = page.read_text(encoding="utf-8")
            for tag in re.findall(r"<img [^>]*>", html):
                src = re.search(r'src="([^"]+)"', tag).group(1)
                if not NOTEBOOK_PNG.search(src):
                    continue
                size = re.search(r"width:\s*(\d+)px", tag)
                width = png_size(page.parent / src)[0]
                if size is None or abs(width - 2 * int(size.group(1))) > 2:
                    problems.append(f"{page.relative_to(site)}: {src} ({width} px wide)")
    assert not problems, "figures drawn without platformgov.figures.style.use():\n" + "\n".join(
        problems
    )


def test_formulas_are_drawn_without_mathjax_and_read_as_mathml(rendered):
    problems, drawn = [], 0
    for render in rendered.values():
        if render.formulas["mathjaxScript"]:
            problems.append(f"{render.where}: runs MathJax in the browser")
        for i, f in enumerate(render.formulas["formulas"]):
            drawn += 1
            if f["width"] <= 0 or f["height"] <= 0:
                problems.append(f"{render.where}: formula {i} is not drawn ({f})")
            if not f["mathml"]:
                problems.append(f"{render.where}: formula {i} has no MathML for screen readers")
            if f["display"] and not f["fits"]:
                problems.append(f"{render.where}: formula {i} is wider than its column")
        if render.formulas["spoken"] != len(render.formulas["formulas"]):
            problems.append(
                f"{render.where}: {render.formulas['spoken']} of "
                f"{len(render.formulas['formulas'])} formulas in the accessibility tree"
            )
    assert drawn, "no formula found on any page"
    assert not problems, "\n".join(problems)


def test_the_chooser_buttons_are_equally_tall(chromium, site):
    server, base = serve.start(site)
    try:
        for width in WIDTHS:
            browser.set_viewport(chromium, width)
            browser.open_page(chromium, f"{base}/index.html")
            heights = chromium.execute_script(
                "return Array.from(document.querySelectorAll('main li a'))"
                ".map(a => a.getBoundingClientRect().height)"
            )
            assert len(heights) == 2, heights
            assert abs(heights[0] - heights[1]) < 0.5, f"at {width} px: {heights}"
    finally:
        server.shutdown()
