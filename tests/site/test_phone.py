import pandas as pd

from platformgov.chapters.tables import Table
from platformgov.labels import label
from platformgov.site.phone import (
    FOLD_ON_PHONE,
    PHONE_MEDIA,
    foldable_objectives,
    phone_pictures,
    scroll_hints,
)


def test_every_table_gets_a_scroll_hint_in_the_editions_words():
    table = Table(pd.DataFrame({"a": [1.0]}, index=["x"]), caption="C", index_label="Row")
    body = table.to_html() * 2
    for edition in ("ko", "en"):
        hinted = scroll_hints(body, edition)
        hint = f'<span class="pg-scroll-hint" aria-hidden="true">{label("ui.scroll_hint", edition)}'
        assert hinted.count(hint) == 2
        assert hinted.index(hint) < hinted.index('<div class="pg-table-wrap">')


def test_a_phone_rendering_becomes_the_narrow_source_of_its_figure():
    body = (
        '<a class="reference internal image-reference" href="_images/full.png">'
        '<img alt="A chart" src="_images/full.png" style="width: 700px; height: 400px;" /></a>\n'
        '<img alt="A chart" class="pg-phone-figure no-scaled-link" src="_images/small.png" />'
        '<p>next</p><img alt="alone" src="_images/other.png" />'
    )
    assert phone_pictures(body) == (
        '<a class="reference internal image-reference" href="_images/full.png">'
        f'<picture><source media="{PHONE_MEDIA}" srcset="_images/small.png">'
        '<img alt="A chart" src="_images/full.png" style="width: 700px; height: 400px;" />'
        '</picture></a><p>next</p><img alt="alone" src="_images/other.png" />'
    )


def test_learning_objectives_become_an_open_details_that_folds_on_phones():
    body = (
        '<div class="tip pg-objectives admonition">\n<p class="admonition-title">Learning '
        "objectives</p>\n<p>After this chapter</p>\n<ul><li><p>read</p></li></ul>\n</div>\n"
        '<div class="tip admonition"><p class="admonition-title">Tip</p></div>'
    )
    folded = foldable_objectives(body)
    assert folded.startswith(
        '<details class="tip pg-objectives admonition" open>'
        '<summary class="admonition-title">Learning objectives</summary>\n<p>After this chapter'
    )
    assert f"</ul>\n</details>{FOLD_ON_PHONE}\n" in folded
    assert '<div class="tip admonition"><p class="admonition-title">Tip</p></div>' in folded
    assert "<summary" not in folded.split("</details>")[1]
