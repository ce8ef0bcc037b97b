"""What a phone needs from the built pages: tables that say they scroll, figures drawn for it.

- A table wider than the column scrolls sideways in its ``pg-table-wrap``
  (:mod:`platformgov.chapters.tables`); the box around it gets a hint in the edition's words,
  which the page's CSS shows only while there are columns out of view.
- A figure function may draw a second, narrow rendering of its figure for phones
  (:func:`platformgov.figures.style.for_phone`); its PNG says so in its metadata. Here it is
  put beside the full one, and the page shows it as a ``<picture>`` source for narrow screens
  (the full one stays a tap away: Sphinx links a scaled image to its file).
- A chapter's learning objectives fold on a phone, so that its first screen shows the chapter.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

from platformgov.figures import style
from platformgov.labels import label

logger = logging.getLogger(__name__)

SCROLL_BOX = '<div class="pg-table-scroll">'
PHONE_CLASS = "pg-phone-figure"
# The widest screen that gets the phone rendering: the theme's own phone breakpoint.
PHONE_MEDIA = "(max-width: 575.98px)"


def scroll_hints(body: str, edition: str) -> str:
    """Each table's scroll box with its hint (hidden from screen readers, which read tables
    cell by cell and need no instruction to scroll)."""
    hint = html.escape(label("ui.scroll_hint", edition))
    return body.replace(
        SCROLL_BOX, f'{SCROLL_BOX}<span class="pg-scroll-hint" aria-hidden="true">{hint}</span>'
    )


def _bundle(node) -> nodes.Element | None:
    """The cell output's mime bundle that holds ``node``."""
    while node is not None and node.get("nb_element") != "mime_bundle":
        node = node.parent
    return node


class PairPhoneFigures(SphinxTransform):
    """Move each phone rendering beside the full figure that the same cell output just before
    it, so that the cell still shows one figure (numbered once, :mod:`.numbering`)."""

    # Before the cells' figures are numbered (platformgov.site.numbering, 800).
    default_priority = 790

    def apply(self, **kwargs) -> None:
        for image in list(self.document.findall(nodes.image)):
            path = Path(self.env.relfn2path(image["uri"], self.env.docname)[1])
            if path.suffix != ".png" or not path.is_file() or style.png_layout(path) != style.PHONE:
                continue
            bundle = _bundle(image)
            before = bundle.parent.index(bundle) - 1 if bundle is not None else -1
            full = next(bundle.parent[before].findall(nodes.image), None) if before >= 0 else None
            if full is None:
                logger.warning(
                    "a figure's phone rendering must follow its full rendering in the same cell",
                    location=image,
                )
                continue
            bundle.parent.remove(bundle)
            image.parent.remove(image)
            image["classes"] += [PHONE_CLASS, "no-scaled-link"]
            # Beside the full image, in its bundle's image/png part (MyST-NB picks one part
            # of each bundle when it writes the page).
            full.parent.insert(full.parent.index(full) + 1, image)


PHONE_IMG = re.compile(
    r"(?P<full><img\b[^>]*?/?>)(?P<link>\s*</a>)?\s*"
    rf'<img\b(?=[^>]*\bclass="[^"]*\b{PHONE_CLASS}\b)(?P<phone>[^>]*?)/?>'
)
SRC = re.compile(r'\bsrc="([^"]*)"')


def _picture(match: re.Match) -> str:
    phone = SRC.search(match.group("phone")).group(1)
    return (
        f'<picture><source media="{PHONE_MEDIA}" srcset="{phone}">{match.group("full")}'
        f"</picture>{match.group('link') or ''}"
    )


def phone_pictures(body: str) -> str:
    """Each full figure followed by its phone rendering becomes one ``<picture>``: phones load
    the narrow PNG, wider screens the full one."""
    return PHONE_IMG.sub(_picture, body)


# A chapter's learning objectives (``:class: tip pg-objectives``): an admonition whose content
# holds no <div>.
OBJECTIVES = re.compile(
    r'<div class="tip pg-objectives admonition">\s*<p class="admonition-title">(?P<title>.*?)</p>'
    r"(?P<content>.*?)</div>",
    re.S,
)
# Folds the objectives on a phone before the first paint (it runs as the page is parsed), so
# that the first screen shows the chapter; without scripts they stay open.
FOLD_ON_PHONE = (
    f'<script>matchMedia("{PHONE_MEDIA}").matches&&'
    'document.currentScript.previousElementSibling.removeAttribute("open")</script>'
)


def foldable_objectives(body: str) -> str:
    """The learning objectives as an open ``<details>``, folded on phones."""
    return OBJECTIVES.sub(
        lambda m: (
            '<details class="tip pg-objectives admonition" open>'
            f'<summary class="admonition-title">{m.group("title")}</summary>'
            f"{m.group('content')}</details>{FOLD_ON_PHONE}"
        ),
        body,
    )


def on_html_page_context(app: Sphinx, pagename, templatename, context: dict, doctree) -> None:
    if context.get("body"):
        body = scroll_hints(context["body"], app.config.platformgov_edition)
        context["body"] = foldable_objectives(phone_pictures(body))


def setup(app: Sphinx) -> None:
    app.add_transform(PairPhoneFigures)
    # Before the body's images are made lazy (platformgov.site.sphinxext, 500).
    app.connect("html-page-context", on_html_page_context, priority=400)
