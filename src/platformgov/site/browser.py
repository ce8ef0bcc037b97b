"""Headless Chromium against the built site: what a reader's browser shows, measured.

Debian's ``chromium`` and ``chromedriver`` are driven through Selenium; the accessibility
engine axe-core and Lighthouse come from the project's ``package.json`` (``npm ci`` installs
them into ``node_modules``; no browser is ever downloaded). Everything here runs offline
against a site served on 127.0.0.1 by :mod:`platformgov.site.serve`.

The browser tests (``tests/test_browser.py``) and :mod:`platformgov.site.lighthouse` use it.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from platformgov.paths import NODE_MODULES

AXE = NODE_MODULES / "axe-core" / "axe.min.js"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"

# Flags that let Debian's Chromium run headless as root on a machine with no screen or network.
CHROME_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)

# The WCAG 2.0 and 2.1 rules, levels A and AA, as axe-core tags them.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Fonts that hold Hangul; a Korean text node rendered in anything else shows boxes.
CJK_FONT_WORDS = ("CJK", "Nanum", "Gothic", "Malgun", "Apple SD", "KR", "Batang", "Dotum", "Gulim")

HANGUL = "[\\uac00-\\ud7a3]"


def find_chromium() -> str | None:
    """Path of a Chromium or Chrome binary: ``$CHROME_PATH`` if set, else the first on PATH."""
    if os.environ.get("CHROME_PATH"):
        return os.environ["CHROME_PATH"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def find_chromedriver() -> str | None:
    return os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")


def missing_tools(*, lighthouse: bool = False) -> list[str]:
    """What the browser checks need and this machine lacks, each with how to get it."""
    missing = []
    chromium, driver = find_chromium(), find_chromedriver()
    if chromium is None or not Path(chromium).exists():
        missing.append("chromium (run `sudo make browser-deps`)")
    if not lighthouse and (driver is None or not Path(driver).exists()):
        missing.append("chromedriver (run `sudo make browser-deps`)")
    if not lighthouse and not AXE.exists():
        missing.append("node_modules/axe-core (run `npm ci`, which `make test` does)")
    if lighthouse and not LIGHTHOUSE.exists():
        missing.append("node_modules/.bin/lighthouse (run `npm ci`, which `make test` does)")
    if not lighthouse:
        try:
            import selenium  # noqa: F401
        except ImportError:
            missing.append("the Python package selenium (in requirements.txt)")
    return missing


def start_chromium(profile: Path | None = None):
    """A Selenium driver for headless Debian Chromium that records the console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    # Never let Selenium Manager look for (or download) a browser or driver.
    os.environ.setdefault("SE_OFFLINE", "true")
    options = Options()
    options.binary_location = find_chromium()
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    profile = profile or Path(tempfile.mkdtemp(prefix="pg-chromium-"))
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument("--window-size=1280,900")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(find_chromedriver()))
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def set_viewport(driver, width: int, height: int = 900) -> None:
    """Emulate a screen ``width`` CSS pixels wide; below 600 px as a phone (meta viewport applies)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600},
    )


# Resolves once the page, its web fonts, every image (lazy ones are made to load now, so that
# checks and screenshots see them) are done.
_SETTLE = """
const done = arguments[arguments.length - 1];
const ready = document.readyState === 'complete'
  ? Promise.resolve()
  : new Promise(r => window.addEventListener('load', r, {once: true}));
ready
  .then(() => Promise.all(Array.from(document.images).map(img => {
    img.loading = 'eager';
    return img.decode().catch(() => null);
  })))
  .then(() => document.fonts.ready)
  .then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))
  .then(() => done(true), e => done(String(e)));
"""


def open_page(driver, url: str) -> None:
    driver.get(url)
    driver.execute_async_script(_SETTLE)


# Resolves when every finite CSS animation has ended (at most 3 s): content that fades in
# fails colour-contrast checks until it is opaque.
_ANIMATIONS_DONE = """
const done = arguments[arguments.length - 1];
const finite = document.getAnimations().filter(
  a => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
Promise.race([Promise.all(finite.map(a => a.finished)),
              new Promise(r => setTimeout(r, 3000))])
  .then(() => requestAnimationFrame(() => done(finite.length)), () => done(-1));
"""


def open_details(driver) -> int:
    """Open every ``<details>`` (hidden code cells, dropdowns) so that checks see their content
    too, and wait until their fade-in animations have ended. Returns how many were opened."""
    opened = driver.execute_script(
        "const all = document.querySelectorAll('details:not([open])');"
        "all.forEach(d => d.setAttribute('open', ''));"
        "return all.length;"
    )
    driver.execute_async_script(_ANIMATIONS_DONE)
    return opened


def set_colour_mode(driver, mode: str) -> None:
    """Switch the theme's colour mode ("light" or "dark") as its button does, and let it settle."""
    driver.execute_script(
        "document.documentElement.dataset.mode = arguments[0];"
        "document.documentElement.dataset.theme = arguments[0];",
        mode,
    )
    driver.execute_async_script(_ANIMATIONS_DONE)


def console_errors(driver) -> list[str]:
    """Console messages of level error since the last call (includes failed loads and exceptions)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


_AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                summary: n.failureSummary}))}))))
  .catch(e => done({error: String(e)}));
"""


@dataclass
class Violation:
    rule: str
    impact: str
    help: str
    nodes: list[dict] = field(default_factory=list)


def run_axe(driver) -> list[Violation]:
    """axe-core's WCAG 2.x A/AA violations on the current page."""
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(_AXE_RUN, list(WCAG_TAGS))
    if isinstance(result, dict):
        raise RuntimeError(f"axe-core failed: {result['error']}")
    return [Violation(v["id"], v["impact"] or "", v["help"], v["nodes"]) for v in result]


_OVERFLOW = """
const vw = arguments[0];
const root = document.documentElement;
function describe(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim())
    s += '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.');
  return s;
}
function contained(el) {
  for (let a = el.parentElement; a && a !== document.body && a !== root; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX;
    if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
  }
  return false;
}
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width < 2 || r.height < 2) continue;           // visually hidden helpers
  if (r.right <= 0 || r.left >= vw) continue;         // off-canvas panels, not page content
  if (r.right <= vw + 1 && r.left >= -1) continue;
  const s = getComputedStyle(el);
  if (s.visibility === 'hidden' || s.display === 'contents') continue;
  if (contained(el)) continue;
  wide.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} px`);
}
return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth,
        innerWidth: window.innerWidth, wide: wide.slice(0, 20)};
"""


def overflow(driver, width: int) -> dict:
    """The page's scroll width, and the elements that stick out of a viewport ``width`` px wide.

    On an emulated phone Chromium zooms out to fit content that is too wide, so
    ``window.innerWidth`` grows with the overflow: compare against the width that was set.

    Elements inside a scroll container (``.pg-table-wrap``, code blocks, any ``overflow-x``
    other than visible) are the container's business, not the page's.
    """
    return driver.execute_script(_OVERFLOW, width)


_FIGURES = """
const vw = document.documentElement.clientWidth;
const out = [];
for (const img of document.querySelectorAll('main img, article img')) {
  if (img.closest('.bd-header-article')) continue;  // the header's menus: logos, not figures
  const r = img.getBoundingClientRect();
  const column = img.closest('article') || img.closest('main');
  const cw = column.getBoundingClientRect();
  out.push({src: img.getAttribute('src'), alt: img.getAttribute('alt'), currentSrc: img.currentSrc,
            loaded: img.complete && img.naturalWidth > 0,
            width: r.width, height: r.height, left: r.left, right: r.right,
            naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
            columnLeft: cw.left, columnRight: cw.right, viewport: vw});
}
return out;
"""


def figures(driver) -> list[dict]:
    """Each image in the content: whether it loaded, which file it shows (``currentSrc``: a
    ``<picture>`` picks by screen width), its drawn and natural sizes, and where it sits against
    the content column."""
    return driver.execute_script(_FIGURES)


_TABLES = """
const out = [];
for (const table of document.querySelectorAll('main table, article table')) {
  const box = table.closest('.pg-table-wrap') || table.parentElement;
  const hidden = table.getBoundingClientRect().width - box.clientWidth;
  if (hidden <= 1) continue;
  const scroll = table.closest('.pg-table-scroll');
  const hint = scroll && scroll.querySelector(':scope > .pg-scroll-hint');
  const shown = el => {
    if (!el) return false;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.display !== 'none' && s.visibility !== 'hidden' && Number(s.opacity) > 0.5
      && r.width > 0 && r.height > 0;
  };
  const edge = scroll ? Number(getComputedStyle(scroll, '::after').opacity) : 0;
  const rows = Array.from(table.rows);
  const sticky = rows.length > 0 && rows.every(
    row => row.cells.length && getComputedStyle(row.cells[0]).position === 'sticky');
  const caption = table.caption ? table.caption.textContent.trim().slice(0, 60) : '';
  out.push({caption, hidden: Math.round(hidden), scrolls: getComputedStyle(box).overflowX,
            hint: shown(hint), edge, sticky});
}
return out;
"""


def wide_tables(driver) -> list[dict]:
    """Each table wider than the box that holds it: how much of it is out of view, whether the
    box scrolls, whether the hint above it shows, the opacity of the faded edge, and whether its
    first column stays in view (sticky)."""
    return driver.execute_script(_TABLES)


_FORMULAS = """
const out = {mathjaxScript: typeof window.MathJax !== 'undefined', formulas: []};
for (const box of document.querySelectorAll('mjx-container')) {
  const svg = box.querySelector(':scope > svg');
  const r = svg ? svg.getBoundingClientRect() : {width: 0, height: 0, right: 0};
  const column = (box.closest('div.math') || box.parentElement).getBoundingClientRect();
  out.formulas.push({
    display: box.getAttribute('display') === 'true',
    width: r.width, height: r.height,
    mathml: !!box.querySelector('mjx-assistive-mml math'),
    fits: r.right <= column.right + 0.5,
  });
}
return out;
"""


def formulas(driver) -> dict:
    """Whether the page runs MathJax, and each typeset formula: its drawn size, whether it has
    MathML for screen readers, and whether it ends inside the box that holds it. ``spoken`` counts
    the formulas in Chromium's accessibility tree, which is what screen readers read."""
    found = driver.execute_script(_FORMULAS)
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    found["spoken"] = sum(
        1
        for node in tree["nodes"]
        if not node.get("ignored") and node.get("role", {}).get("value") == "MathMLMath"
    )
    return found


# Every icon drawn from an icon font (Font Awesome, which the theme uses): the element and its
# ::before/::after whose font is an icon font, the character it draws, and whether that
# character is in the font. A character that no font has is drawn as the first font's "missing
# glyph", so the icon is compared with a character that no font has (U+10FFFD, private use)
# drawn in the same font: equal pixels mean the icon font has no glyph for it.
_ICONS = """
const done = arguments[arguments.length - 1];
const canvas = document.createElement('canvas');
canvas.width = canvas.height = 64;
const ctx = canvas.getContext('2d', {willReadFrequently: true});
function pixels(font, text) {
  ctx.clearRect(0, 0, 64, 64);
  ctx.font = font; ctx.textBaseline = 'middle'; ctx.fillStyle = '#000';
  ctx.fillText(text, 8, 32);
  return ctx.getImageData(0, 0, 64, 64).data;
}
const found = new Map();
for (const el of document.querySelectorAll('body *')) {
  for (const pseudo of ['::before', '::after']) {
    const style = getComputedStyle(el, pseudo);
    if (!/awesome/i.test(style.fontFamily)) continue;
    const m = /^"(.+)"$/.exec(style.content);
    if (!m) continue;
    const text = m[1];
    const key = `${el.className}|${pseudo}|${text}`;
    const box = el.getBoundingClientRect();
    const visible = el.getClientRects().length > 0 && style.display !== 'none';
    const entry = found.get(key) || {
      element: `${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\\s+/).join('.')}`,
      pseudo, code: Array.from(text).map(c => c.codePointAt(0).toString(16)).join(' '),
      font: `${style.fontWeight} 40px ${style.fontFamily}`, text, visible: false,
      width: 0, height: 0};
    if (visible) {
      entry.visible = true;
      entry.width = Math.max(entry.width, box.width);
      entry.height = Math.max(entry.height, box.height);
    }
    found.set(key, entry);
  }
}
const icons = Array.from(found.values());
Promise.all(icons.map(i => document.fonts.load(i.font, i.text).catch(() => null)))
  .then(() => {
    for (const icon of icons) {
      const drawn = pixels(icon.font, icon.text);
      const missing = pixels(icon.font, '\\u{10FFFD}');
      let ink = 0, differ = false;
      for (let i = 3; i < drawn.length; i += 4) {
        if (drawn[i]) ink++;
        if (drawn[i] !== missing[i]) differ = true;
      }
      icon.drawn = ink > 0 && differ;
      delete icon.text;
    }
    done(icons);
  }, e => done({error: String(e)}));
"""


def icons(driver) -> list[dict]:
    """Each icon the page draws from an icon font: ``element``, ``pseudo`` (::before/::after),
    ``code`` (the character, hex), ``drawn`` (the font has a glyph for it), ``visible`` and the
    element's largest drawn ``width`` and ``height`` in CSS pixels."""
    result = driver.execute_async_script(_ICONS)
    if isinstance(result, dict):
        raise RuntimeError(f"icon check failed: {result['error']}")
    return result


_MARK_HANGUL = f"""
const hangul = /{HANGUL}/;
const picked = [];
const groups = ['.pg-lang-switch', 'main h1', 'main article p, main article li, main article td, main article th',
                'nav', 'body'];
for (const selector of groups) {{
  for (const scope of document.querySelectorAll(selector)) {{
    const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
    let node, found = null;
    while ((node = walker.nextNode())) {{
      const el = node.parentElement;
      if (!hangul.test(node.data) || !el || !el.getClientRects().length) continue;
      if (getComputedStyle(el).visibility === 'hidden') continue;
      found = el; break;
    }}
    if (found && !picked.includes(found)) {{ picked.push(found); break; }}
  }}
}}
picked.forEach((el, i) => el.setAttribute('data-pg-hangul', String(i)));
return picked.map(el => Array.from(el.childNodes).filter(n => n.nodeType === 3)
                              .map(n => n.data).join('').trim().slice(0, 40));
"""


def hangul_fonts(driver) -> list[tuple[str, list[str]]]:
    """For a few visible Hangul text nodes, the platform fonts Chromium actually drew them with.

    Returns ``(text, [font family, ...])`` pairs, via the DevTools protocol's
    ``CSS.getPlatformFontsForNode``; an empty list when the page shows no Hangul.
    """
    texts = driver.execute_script(_MARK_HANGUL)
    if not texts:
        return []
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": 0})
    found = driver.execute_cdp_cmd(
        "DOM.querySelectorAll",
        {"nodeId": document["root"]["nodeId"], "selector": "[data-pg-hangul]"},
    )
    out = []
    for text, node_id in zip(texts, found["nodeIds"], strict=False):
        fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node_id})
        out.append((text, [f["familyName"] for f in fonts["fonts"] if f.get("glyphCount", 1)]))
    return out


def is_cjk_font(family: str) -> bool:
    return any(word.lower() in family.lower() for word in CJK_FONT_WORDS)


def screenshot(driver, path: Path, width: int, height: int = 900, max_height: int = 12000) -> Path:
    """A PNG of the whole page (up to ``max_height`` CSS pixels), ``width`` pixels wide.

    Like a full-page screenshot in Puppeteer, the viewport is made as tall as the page for the
    shot and then set back to ``height``: capturing beyond the viewport instead leaves sticky
    sidebars and headers where they were on the first screen.
    """
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    full = max(height, min(int(size["height"]), max_height))
    set_viewport(driver, width, full)
    driver.execute_async_script(
        "requestAnimationFrame(() => requestAnimationFrame(arguments[arguments.length - 1]))"
    )
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        set_viewport(driver, width, height)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))
    return path
