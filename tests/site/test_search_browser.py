"""The search page of both editions in headless Chromium: what a reader who types a word gets.

Each query has a page that is clearly about it (its title, its headings or most of its prose);
that page must come first. Korean queries typed with a particle, or naming part of a compound,
find what the bare word finds. Snippets are prose: no code, navigation or table cells. The
search field's text starts after its magnifier icon.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from sitefixtures import require_browser

from platformgov.labels import label
from platformgov.site import browser, serve
from platformgov.site.sphinxext import EDITIONS

pytestmark = pytest.mark.browser

#: query → the page that must come first.
FIRST = {
    "ko": {
        "정보": "taxonomy",
        "민주성": "regression",
        "검정력": "power",
        "용어집": "appendix-glossary",
        "회귀분석": "regression",
        "크론바흐": "descriptive",
    },
    "en": {
        "information": "taxonomy",
        "democracy": "regression",
        "power": "power",
        "glossary": "appendix-glossary",
        "regression": "regression",
        "Cronbach": "descriptive",
    },
}
#: Korean query → the query it must rank the same as (a particle added, a compound's part).
SAME_AS = {"지방자치단체의": "지방자치단체", "정보를": "정보", "민주성은": "민주성"}
#: Korean query → a page it must find although the page writes the word inside a longer one.
FINDS = {"지방자치단체의": "taxonomy", "자치단체": "taxonomy", "정보": "taxonomy"}

CODE = re.compile(r"\b\w+\.\w+\(|\bimport\b|\bLANG\b|\w+_\w+\(")
#: Table cells run together: a label glued to a number, a number glued to an interval.
RUN_TOGETHER = re.compile(r"[\uac00-\ud7a3A-Za-z]\d+\.\d+|\d\[-?\d")
NAV_LABELS = ("ui.toc_title", "ui.switch_edition", "ui.download_notebook", "ui.download_pdf")

# Resolves with [[page, title, snippet], ...] once every result shows its snippet.
_RESULTS = """
const done = arguments[arguments.length - 1];
const started = Date.now();
const poll = () => {
  const summary = document.querySelector('#search-results p.search-summary');
  const items = [...document.querySelectorAll('#search-results ul.search li')];
  const ready = summary && summary.textContent &&
    items.every(li => li.querySelector('p.context'));
  if (ready || Date.now() - started > 20000) {
    done(items.map(li => {
      const a = li.querySelector('a');
      const page = a.getAttribute('href').split('#')[0].replace(/\\.html$/, '');
      return [page, a.textContent, (li.querySelector('p.context') || {}).textContent || ''];
    }));
  } else setTimeout(poll, 100);
};
poll();
"""

# [icon right edge, left edge of the field's text] of the search field in `arguments[0]`.
_FIELD = """
const form = document.querySelector(arguments[0]);
const dialog = form.closest('dialog');
if (dialog && !dialog.open) dialog.showModal();
const icon = form.querySelector('.fa-magnifying-glass, svg');
const input = form.querySelector('input');
const style = getComputedStyle(input);
const text = input.getBoundingClientRect().left + parseFloat(style.borderLeftWidth)
  + parseFloat(style.paddingLeft);
const out = [icon.getBoundingClientRect().right, text];
if (dialog) dialog.close();
return out;
"""


@pytest.fixture(scope="module")
def searcher(site, tmp_path_factory):
    require_browser()
    driver = browser.start_chromium(tmp_path_factory.mktemp("search-profile"))
    server, base = serve.start(site)
    cache: dict[tuple[str, str], list[list[str]]] = {}

    def results(edition: str, query: str) -> list[list[str]]:
        if (edition, query) not in cache:
            browser.open_page(driver, f"{base}/{edition}/search.html?q={quote(query)}")
            cache[(edition, query)] = driver.execute_async_script(_RESULTS)
        return cache[(edition, query)]

    results.driver = driver
    results.base = base
    yield results
    driver.quit()
    server.shutdown()


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_page_about_a_word_comes_first(searcher, edition):
    for query, page in FIRST[edition].items():
        found = [r[0] for r in searcher(edition, query)]
        assert found, f"{edition}: {query} finds nothing"
        assert found[0] == page, f"{edition}: {query} ranks {found[:4]}, not {page} first"


def test_korean_particles_and_compounds_find_the_word(searcher):
    for query, same in SAME_AS.items():
        ranked = [r[0] for r in searcher("ko", query)]
        assert ranked == [r[0] for r in searcher("ko", same)], f"{query} ≠ {same}: {ranked}"
    for query, page in FINDS.items():
        assert page in [r[0] for r in searcher("ko", query)], f"{query} misses {page}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_snippets_are_prose(searcher, edition):
    nav = [label(key, edition) for key in NAV_LABELS]
    shown = 0
    for query in FIRST[edition]:
        for page, _title, snippet in searcher(edition, query):
            where = f"{edition}: {query} → {page}: {snippet!r}"
            assert snippet.strip(), f"{edition}: {query} → {page} has no snippet"
            assert not CODE.search(snippet), where
            assert not RUN_TOGETHER.search(snippet), where
            assert not [w for w in nav if w in snippet], where
            shown += 1
    assert shown > 20, "hardly any results: the check would prove nothing"


@pytest.mark.parametrize("width", [375, 1280])
def test_the_search_icon_leaves_the_query_text_clear(searcher, width):
    driver = searcher.driver
    browser.set_viewport(driver, width)
    for edition in EDITIONS:
        browser.open_page(driver, f"{searcher.base}/{edition}/taxonomy.html")
        icon, text = driver.execute_script(_FIELD, "#pst-search-dialog form.bd-search")
        assert icon <= text, (
            f"{edition} search dialog at {width} px: icon ends at {icon}, text starts at {text}"
        )
        browser.open_page(driver, f"{searcher.base}/{edition}/search.html?q=x")
        icon, text = driver.execute_script(_FIELD, ".bd-search-container form.bd-search")
        assert icon <= text, (
            f"{edition} search page at {width} px: icon ends at {icon}, text starts at {text}"
        )
    browser.set_viewport(driver, 1280)
