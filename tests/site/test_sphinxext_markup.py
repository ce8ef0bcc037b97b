"""What platformgov.site.sphinxext changes in the generated pages for accessibility and speed."""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

from platformgov.figures import style
from platformgov.site.sphinxext import accessible_body, lazy_images, shrink_png


def test_bibliography_entries_become_list_items():
    body = (
        '<div role="list" class="citation-list">'
        '<div class="citation" id="id8" role="doc-biblioentry"><span class="label">1</span></div>'
        "</div>"
    )
    fixed = accessible_body(body)
    assert "doc-biblioentry" not in fixed
    assert '<div class="citation" id="id8" role="listitem">' in fixed


def test_hidden_cell_toggles_are_named_by_their_visible_text():
    body = '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
    assert accessible_body(body) == "<summary><span>Show code cell source</span></summary>"


def test_summary_holds_phrasing_content_only():
    body = (
        '<details class="hide"><summary>\n<p class="collapsed admonition-title">Show</p>\n'
        '<p class="expanded admonition-title">Hide</p>\n</summary><p>Body text</p></details>'
    )
    fixed = accessible_body(body)
    assert '<span class="collapsed admonition-title">Show</span>' in fixed
    assert '<span class="expanded admonition-title">Hide</span>' in fixed
    assert "<p>Body text</p>" in fixed  # paragraphs outside <summary> stay
    assert "<summary>\n<p" not in fixed


def test_scrolling_tables_are_keyboard_regions_named_by_their_caption():
    table = '<div class="pg-table-wrap"><table class="pg-table"><caption>{}</caption></table></div>'
    fixed = accessible_body(table.format("A") + table.format("B"))
    assert fixed.count('tabindex="0" role="region"') == 2
    assert 'aria-labelledby="pg-caption-1"' in fixed and '<caption id="pg-caption-1">A' in fixed
    assert 'aria-labelledby="pg-caption-2"' in fixed and '<caption id="pg-caption-2">B' in fixed


def test_images_load_lazily_unless_told_otherwise():
    body = '<img src="a.png" alt="a"><img loading="eager" src="b.png" alt="b">'
    assert lazy_images(body) == (
        '<img loading="lazy" decoding="async" src="a.png" alt="a">'
        '<img loading="eager" src="b.png" alt="b">'
    )


def chart(path: Path, transparent: bool = False) -> Path:
    fig, ax = plt.subplots(figsize=(6, 4), dpi=200)
    for k in range(4):
        ax.plot(np.arange(50), np.cumsum(np.sin(np.arange(50) / (k + 2))), label=f"line {k}")
    ax.legend()
    ax.set_title("플랫폼 유형별 성과")
    fig.savefig(path, format="png", transparent=transparent)
    plt.close(fig)
    return path


def test_opaque_figures_shrink_and_transparent_ones_are_kept(tmp_path: Path):
    style.use()
    opaque = chart(tmp_path / "opaque.png")
    before = opaque.stat().st_size
    with Image.open(opaque) as image:
        size = image.size
    assert shrink_png(opaque)
    assert opaque.stat().st_size < before
    with Image.open(opaque) as image:
        assert image.mode == "P" and image.size == size
        assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)  # white stays white

    clear = chart(tmp_path / "clear.png", transparent=True)
    assert not shrink_png(clear)
    with Image.open(clear) as image:
        assert image.mode == "RGBA"
