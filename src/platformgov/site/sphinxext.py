"""Sphinx extension that turns one Jupyter Book config into two proper editions.

The edition is the name of the source folder (``book/ko`` or ``book/en``). On ``config-inited``
the extension sets the language, title and description of that edition and re-runs Sphinx's
translation set-up, so that the Korean edition gets ``<html lang="ko">`` and Korean interface
strings. It also links every page to the same page in the other edition, gives each page a
meta description, typesets formulas as SVG at build time (:mod:`platformgov.site.mathsvg`), and
gives each edition a search index of weighted words, Korean ones found by a morphological
analyser (:mod:`platformgov.site.search`).

It also mends what the browser checks (``tests/test_browser.py``, Lighthouse) found in the
generated pages: markup that fails WCAG 2.1 A/AA (bibliography roles, hidden-cell toggles) and
scripts that block the first paint.
"""

from __future__ import annotations

import html
import io
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx import locale as sphinx_locale
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ConfigError, ExtensionError
from sphinx.util import logging
from sphinx.util.i18n import CatalogRepository

from platformgov import paths
from platformgov.labels import label
from platformgov.site import (
    citations,
    exercises,
    mathsvg,
    notebooks,
    numbering,
    pdf,
    phone,
    rerun,
    search,
    slim,
)

BOOK = paths.ROOT / "book"
#: Our translations: Korean words the themes and sphinx-exercise lack.
LOCALE = Path(__file__).parent / "locale"
EDITIONS = ("ko", "en")
LANGUAGE_NAMES = {"ko": "한국어", "en": "English"}
NOTEBOOKS = notebooks.NOTEBOOKS

TAG = re.compile(r"<[^>]+>")
logger = logging.getLogger(__name__)


def edition_of(srcdir: str | Path) -> str:
    edition = Path(srcdir).name
    if edition not in EDITIONS:
        raise ConfigError(f"book source folder must be one of {EDITIONS}, not {edition!r}")
    return edition


def reload_catalog(catalog: str, folders: list[Path], language: str) -> None:
    """Load an extension's message ``catalog`` again, in ``language``: extensions load theirs at
    set-up, in the config's first language. The first folder holding it wins, the others fill
    its gaps."""
    sphinx_locale.translators.pop(("general", catalog), None)
    sphinx_locale.init([str(folder) for folder in folders], language, catalog)


def reload_extension_catalogs(language: str) -> None:
    """The book theme's words, and sphinx-exercise's with ours (``locale/``) in front."""
    import sphinx_book_theme
    import sphinx_exercise

    theme = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme" / "static"
    reload_catalog(sphinx_book_theme.MESSAGE_CATALOG_NAME, [theme / "locales"], language)
    exercise = Path(sphinx_exercise.__file__).parent / "translations" / "locales"
    reload_catalog(sphinx_exercise.MESSAGE_CATALOG_NAME, [LOCALE, exercise], language)


def compile_catalogs(language: str) -> None:
    """Compile our ``.po`` files for ``language`` whose ``.mo`` is missing or older (Sphinx
    compiles only the catalog it names ``sphinx``)."""
    for catalog in CatalogRepository(str(LOCALE), [str(LOCALE)], language, "utf-8").catalogs:
        if catalog.is_outdated():
            catalog.write_mo(language)


#: What ``jupyter-book build`` of any folder but an edition's says, instead of a traceback.
WHICH_FOLDER = (
    "This book has two editions: build one with `jupyter-book build book/ko` or "
    "`jupyter-book build book/en`, or the whole site with `make site`."
)


#: The licences of the book's text and figures and of its code (LICENSE-TEXT.md, LICENSE).
LICENCES = {
    "text": ("CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "code": ("MIT", "https://opensource.org/license/mit"),
}


def licence_footer(edition: str) -> str:
    """The footer line naming the content licence and the code licence, in ``edition``'s words."""
    text_name, text_url = LICENCES["text"]
    code_url = LICENCES["code"][1]
    return (
        f'<p class="pg-licence">{html.escape(label("ui.licence_text", edition))}: '
        f'<a href="{text_url}" rel="license">{text_name}</a> · '
        f"{html.escape(label('ui.licence_code', edition))}: "
        f'<a href="{code_url}" rel="license">{html.escape(label("ui.licence_mit", edition))}</a></p>'
    )


def on_config_inited(app: Sphinx, config: Config) -> None:
    try:
        edition = edition_of(app.srcdir)
    except ConfigError:
        # SystemExit passes through Jupyter Book's error handler, which would print a traceback.
        raise SystemExit(WHICH_FOLDER) from None
    other = next(e for e in EDITIONS if e != edition)
    config.language = edition
    titles = config.platformgov_titles
    config.project = titles[edition]
    config.html_title = titles[edition]
    config.platformgov_edition = edition
    config.platformgov_other = other
    # Interface strings were loaded for the config's language before this event: load them again,
    # with our Korean catalog for the strings the pydata theme has no Korean for.
    if str(LOCALE) not in config.locale_dirs:
        config.locale_dirs = [str(LOCALE), *config.locale_dirs]
    app._init_i18n()
    compile_catalogs(edition)
    reload_extension_catalogs(edition)

    static = str(BOOK / "_static")
    if static not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, static]
    templates = str(BOOK / "_templates")
    if templates not in config.templates_path:
        config.templates_path = [templates, *config.templates_path]
    config.html_favicon = str(BOOK / "_static" / "favicon.svg")
    config.platformgov_site_url = site_url(config.platformgov_site_url)
    if config.platformgov_site_url and not config.html_baseurl:
        # Sphinx then writes <link rel="canonical"> on every page.
        config.html_baseurl = f"{config.platformgov_site_url}/{edition}/"
    config.html_css_files = [*config.html_css_files, "platformgov.css", "pg-search.css"]
    # Formulas are typeset as SVG while the book is built (platformgov.site.mathsvg): no MathJax runs
    # in the reader's browser.
    config.html_math_renderer = "platformgov"
    context = dict(config.html_context or {})
    context["default_mode"] = "light"
    config.html_context = context
    options = dict(config.html_theme_options or {})
    options["article_header_end"] = ["lang-switch.html", "article-header-buttons.html"]
    options["search_bar_text"] = config.platformgov_search_text[edition]
    options["toc_title"] = label("ui.toc_title", edition)
    options["extra_footer"] = licence_footer(edition)
    # pydata-sphinx-theme 0.17 adds a top bar holding a second search field unless told not to;
    # the book theme's sidebar has one already.
    options.setdefault("navbar_persistent", [])
    # Folded cells and dropdowns: prompts in the edition's language.
    config.nb_code_prompt_show = label("ui.code_prompt_show", edition)
    config.nb_code_prompt_hide = label("ui.code_prompt_hide", edition)
    config.togglebutton_hint = label("ui.toggle_show", edition)
    config.togglebutton_hint_hide = label("ui.toggle_hide", edition)
    # Chapters, figures and tables are numbered (numfig), in the edition's words.
    config.numfig_format = numbering.numfig_formats(edition)
    citations.use_edition(config, edition)
    config.html_theme_options = options


SITE_URL_ENV = "PLATFORMGOV_SITE_URL"


def site_url(configured: str) -> str:
    """Where ``_build/site`` is published: ``configured`` (``platformgov_site_url``), else
    ``$PLATFORMGOV_SITE_URL``; checked by :func:`checked_site_url`."""
    return checked_site_url(configured or os.environ.get(SITE_URL_ENV, ""))


def checked_site_url(value: str) -> str:
    """The site's address without a trailing slash, or "" when unknown.

    A value must be an absolute http(s) URL: it ends up in every page.
    """
    value = (value or "").strip()
    if value and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", value):
        raise ConfigError(
            f"platformgov_site_url / ${SITE_URL_ENV} = {value!r}: the address where the site is "
            "published must be an absolute http:// or https:// URL, such as "
            "https://example.org/platformgov/"
        )
    return value.rstrip("/")


def alternate_links(site_url: str, up: str, here: str) -> list[str]:
    """``<link rel="alternate" hreflang>`` to the page in each edition.

    Search engines (and Lighthouse's SEO audit) accept only absolute URLs here, which need the
    site's address (:func:`site_url`); a build that does not know it links relatively.
    """
    root = f"{site_url}/" if site_url else up
    return [
        f'<link rel="alternate" hreflang="{lang}" href="{root}{lang}/{here}" />'
        for lang in EDITIONS
    ]


def page_description(doctree, fallback: str) -> str:
    """The page's first paragraph of prose as plain text, cut to about 155 characters.

    Paragraphs inside admonitions and notebook cells are skipped: they are banners and output.
    """
    text = ""
    for paragraph in doctree.findall(nodes.paragraph) if doctree is not None else ():
        if any(isinstance(a, (nodes.Admonition, nodes.container)) for a in _ancestors(paragraph)):
            continue
        text = " ".join(paragraph.astext().split())
        if text:
            break
    text = text or html.unescape(TAG.sub("", fallback))
    return text if len(text) <= 155 else text[:154].rsplit(" ", 1)[0] + "…"


def _ancestors(node):
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


# The docutils HTML writer marks bibliography entries with the DPUB-ARIA role doc-biblioentry,
# deprecated in DPUB-ARIA 1.1, inside a role="list" that then has no list items (WCAG 4.1.2).
BIBLIOENTRY = re.compile(r'(<div class="citation"[^>]*?) role="doc-biblioentry"')
# MyST-NB names the toggle of a hidden cell "Toggle hidden content" while it shows "Show code
# cell source": a name without the visible words fails WCAG 2.5.3 (label in name). Without
# the aria-label, the name is the visible text.
SUMMARY_LABEL = re.compile(r'(<summary\b[^>]*?) aria-label="[^"]*"')
# MyST-NB puts the labels of a folded cell ("Show code cell source") in <p> elements inside
# <summary>, where HTML allows phrasing content only: they become <span> (platformgov.css
# styles them as MyST-NB styles the paragraphs).
SUMMARY_BLOCK = re.compile(r"<summary>(.*?)</summary>", re.S)
PARAGRAPH = re.compile(r"<p(\s[^>]*)?>(.*?)</p>", re.S)


def _phrasing_summary(match: re.Match) -> str:
    return "<summary>" + PARAGRAPH.sub(r"<span\1>\2</span>", match.group(1)) + "</summary>"


# A table wider than a phone scrolls inside its .pg-table-wrap (platformgov.chapters.tables); a
# scrolling region must be reachable by keyboard (WCAG 2.1.1), and is then named by its caption.
TABLE_WRAP = re.compile(
    r'<div class="pg-table-wrap">(\s*<table class="pg-table"[^>]*>\s*)<caption>'
)


def _keyboard_scroll_regions(body: str) -> str:
    count = 0

    def region(match: re.Match) -> str:
        nonlocal count
        count += 1
        name = f"pg-caption-{count}"
        return (
            f'<div class="pg-table-wrap" tabindex="0" role="region" aria-labelledby="{name}">'
            f'{match.group(1)}<caption id="{name}">'
        )

    return TABLE_WRAP.sub(region, body)


def accessible_body(body: str) -> str:
    """Page body markup with what fails WCAG 2.1 A/AA in the generated HTML fixed."""
    body = BIBLIOENTRY.sub(r'\1 role="listitem"', body)
    body = SUMMARY_LABEL.sub(r"\1", body)
    body = SUMMARY_BLOCK.sub(_phrasing_summary, body)
    return _keyboard_scroll_regions(body)


IMG_TAG = re.compile(r"<img\b(?![^>]*\bloading=)")


def lazy_images(body: str) -> str:
    """Figures load as they come near the screen: a chapter's figures (100–250 kB each, drawn
    for high-density screens) otherwise compete with its text for a phone's bandwidth."""
    return IMG_TAG.sub('<img loading="lazy" decoding="async"', body)


def on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree):
    if context.get("body"):
        context["body"] = lazy_images(accessible_body(context["body"]))
    edition = app.config.platformgov_edition
    other = app.config.platformgov_other
    up = "../" * (pagename.count("/") + 1)
    here = f"{pagename}.html"
    context["platformgov_switch"] = {
        "href": f"{up}{other}/{here}",
        "lang": other,
        "text": label("ui.switch_edition", edition),
        "short": other.upper(),  # what a phone's header has room for
        "title": LANGUAGE_NAMES[other],
    }
    if pdf.pdf_enabled():
        context["platformgov_pdf"] = {
            "href": context["pathto"](pdf.pdf_name(edition), 1),
            "text": label("ui.download_pdf", edition),
            "title": label("ui.download_pdf_title", edition),
        }
    if is_notebook(app, pagename):
        context["platformgov_notebook"] = {
            "href": context["pathto"](f"{NOTEBOOKS}/{pagename}.ipynb", 1),
            "text": label("ui.download_notebook", edition),
            "title": label("ui.download_notebook_title", edition),
        }
    tags = alternate_links(app.config.platformgov_site_url, up, here)
    if 'name="description"' not in context.get("metatags", ""):
        fallback = app.config.platformgov_descriptions[edition]
        description = html.escape(page_description(doctree, fallback), quote=True)
        tags.append(f'<meta name="description" content="{description}" />')
    context["metatags"] = context.get("metatags", "") + "\n".join(tags) + "\n"


# Scripts that inline scripts on the page use while the page is parsed: they must not wait.
PARSE_TIME_SCRIPTS = ("documentation_options.js",)


def on_html_page_context_late(app: Sphinx, pagename, templatename, context: dict, doctree):
    # The search page loads Sphinx's search scripts undeferred, and they need doctools.js.
    if pagename != "search":
        defer_scripts(context)


def defer_scripts(context: dict) -> None:
    """Let the page render before its scripts run: ``defer`` on every script file in <head>.

    The extensions add theirs as plain <script src>, which blocks the first paint until each is
    fetched and run; none of them is needed before the page is parsed (deferred scripts still
    run in order, before DOMContentLoaded), except those in PARSE_TIME_SCRIPTS.
    """
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    for i, js in enumerate(scripts):
        if not isinstance(js, _JavaScript) or not js.filename:
            continue
        attributes = dict(js.attributes)
        if {"async", "defer", "body"} & set(attributes) or attributes.get("type", "") not in {
            "",
            "text/javascript",
        }:
            continue
        if str(js.filename).endswith(PARSE_TIME_SCRIPTS):
            continue
        attributes["defer"] = "defer"
        scripts[i] = _JavaScript(js.filename, priority=js.priority, **attributes)


def is_notebook(app: Sphinx, docname: str) -> bool:
    """True for MyST notebooks: Markdown pages whose front matter names a kernel."""
    if docname not in app.env.found_docs:
        return False
    source = Path(app.env.doc2path(docname))
    return source.suffix == ".md" and "kernelspec:" in source.read_text(encoding="utf-8")[:2000]


def notebook_pages(app: Sphinx) -> list[str]:
    return [docname for docname in sorted(app.env.found_docs) if is_notebook(app, docname)]


def shrink_png(path: Path) -> bool:
    """Store an opaque PNG figure with a 256-colour palette, when that makes it smaller.

    Matplotlib writes 32-bit RGBA; a chart has few colours besides the anti-aliasing between
    them, and the palette version looks the same (no channel moves by more than about 15 of
    255) at a third of the bytes: a chapter's figures weighed 500–900 kB, most of a page on a
    phone. Transparent images are left alone.
    """
    from PIL import Image, PngImagePlugin

    with Image.open(path) as image:
        image.load()
    chunks = dict(getattr(image, "text", {}))
    if image.mode not in {"RGB", "RGBA"}:
        return False
    if image.mode == "RGBA":
        if image.getchannel("A").getextrema() != (255, 255):
            return False
        image = image.convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    # Averaging may turn the white background into 254: keep it the page's white.
    colours = palette.getpalette()
    for i in range(0, len(colours), 3):
        if min(colours[i : i + 3]) >= 252:
            colours[i : i + 3] = [255, 255, 255]
    palette.putpalette(colours)
    # Text chunks stay: a figure's PNG says how it was drawn (platformgov.figures.style).
    text = PngImagePlugin.PngInfo()
    for key, value in chunks.items():
        text.add_text(key, value)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG", pnginfo=text)
    if buffer.tell() >= path.stat().st_size:
        return False
    path.write_bytes(buffer.getvalue())
    return True


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    notebooks.write_notebooks(app, notebook_pages(app))
    for png in sorted((Path(app.outdir) / "_images").glob("*.png")):
        shrink_png(png)
    mathsvg.write_css(app.outdir)
    search.rewrite_index(app)
    # Only the CSS rules and icon glyphs the pages use (platformgov.site.slim).
    try:
        sizes = slim.slim(Path(app.outdir))
    except slim.SlimError as error:
        raise ExtensionError(str(error)) from None
    logger.info(
        "platformgov: theme CSS and icon fonts slimmed from %d kB to %d kB",
        sizes["before"] // 1000,
        sizes["after"] // 1000,
    )


def setup(app: Sphinx) -> dict:
    app.add_config_value("platformgov_titles", {"ko": "", "en": ""}, "html")
    app.add_config_value("platformgov_descriptions", {"ko": "", "en": ""}, "html")
    app.add_config_value("platformgov_search_text", {"ko": "", "en": ""}, "html")
    app.add_config_value("platformgov_site_url", "", "html")  # where _build/site is published
    app.add_config_value("platformgov_edition", "", "html")
    app.add_config_value("platformgov_other", "", "html")
    app.add_search_language(search.SearchKorean)
    app.connect("write-started", search.restore_index)
    # Author–year citations and the reference list in each edition's convention.
    citations.register()
    mathsvg.setup(app)
    numbering.setup(app)
    exercises.setup(app)
    phone.setup(app)
    rerun.setup(app)
    notebooks.setup(app)
    app.connect("config-inited", on_config_inited, priority=100)
    app.connect("html-page-context", on_html_page_context)
    app.connect("html-page-context", on_html_page_context_late, priority=910)
    app.connect("build-finished", on_build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
