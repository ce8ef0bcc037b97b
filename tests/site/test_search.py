import json
from types import SimpleNamespace

from docutils import nodes
from sphinx.search.en import SearchEnglish

from platformgov.site import search


def test_korean_words_are_indexed_without_particles_and_with_their_parts():
    analysis = search.korean_terms("지방자치단체의 정보제공형 플랫폼은 민주성을 높입니다.")
    terms = set(analysis.terms)
    expected = {
        "지방자치단체",
        "지방",
        "자치",
        "단체",
        "지방자치",
        "자치단체",
        "정보",
        "정보제공형",
    }
    assert expected | {"플랫폼", "민주성", "민주"} <= terms
    assert not {"지방자치단체의", "플랫폼은", "민주성을"} & terms
    assert {"의", "은", "을"} <= set(analysis.suffixes)


def test_text_without_hangul_is_not_analysed():
    assert search.korean_terms("OLS with HC3 errors").terms == []


def test_latin_words_follow_sphinx_english_rules_in_both_editions():
    english = SearchEnglish({})
    stems = [english.stem(w).lower() for w in ("Regressions", "platforms")]
    assert search.Terms("en")("Regressions of the platforms") == stems
    # The Korean edition splits Latin from Hangul and stems the same way; numbers and hashes
    # (commits, file digests) are left out.
    korean = search.Terms("ko")("regressions의 2022 02ab09450f85cba6 플랫폼")
    assert korean[0] == stems[0]
    assert "플랫폼" in korean
    assert not {"2022", "02ab09450f85cba6"} & set(korean)


def document(*children) -> nodes.document:
    doc = nodes.document(None, None)
    doc.extend(children)
    return doc


def section(title: str, *children) -> nodes.section:
    node = nodes.section()
    node += nodes.title(text=title)
    node.extend(children)
    return node


def test_page_text_sorts_words_by_where_they_stand_and_leaves_code_out():
    cell = nodes.container(classes=["cell_input"])
    cell += nodes.literal_block(text="import pandas")
    table = nodes.raw(text="<table><tr><td>efficiency</td></tr></table>", format="html")
    doc = document(
        section(
            "Platform types",
            nodes.paragraph(text="Democracy matters."),
            cell,
            table,
            nodes.literal_block(text="print(regression)"),
            section("Results", nodes.paragraph(text="Service quality.")),
        )
    )
    page = search.page_text(doc, search.Terms("en"))
    assert page.title == ["platform", "type"]
    assert page.headings == ["result"]
    assert page.body == ["democraci", "matter", "servic", "qualiti"]
    assert page.tables == ["effici"]


def test_weights_rank_title_and_headings_above_one_mention_but_not_above_many():
    def weight(**words):
        return search.weights(search.PageText(**words))["x"]

    title = weight(title=["x"], body=["x"])
    heading = weight(headings=["x"], body=["x"])
    body = weight(body=["x"])
    assert title > heading > body
    # A page that discusses the word outranks one that only names it in its title.
    assert weight(body=["x"] * 19) > title
    # A table cell counts a quarter of a mention in prose.
    assert weight(tables=["x"] * 4) == body
    assert 1 <= weight(tables=["x"]) < body


def test_postings_pair_pages_with_weights_heaviest_first():
    pages = {0: {"a": 20, "b": 5}, 1: {"a": 80}, 2: {"a": 20}}
    assert search.postings(pages) == {"a": [1, 80, 0, 20, 2, 20], "b": [0, 5]}


def test_suffixes_are_tried_longest_first_and_rare_ones_left_out():
    counts = {"의": 9, "에서는": 3, "으로": 2, "했을": 1}
    assert search.frequent_suffixes(search.Counter(counts)) == ["에서는", "으로", "의"]


def test_sphinx_gets_back_an_index_of_page_numbers_before_it_reads_the_last_one(tmp_path):
    index = {"docnames": ["a", "b"], "terms": {"x": [1, 80, 0, 20]}, "pgsuffixes": ["의"]}
    search.write_index(tmp_path / "searchindex.js", index)
    app = SimpleNamespace(
        outdir=str(tmp_path), builder=SimpleNamespace(searchindex_filename="searchindex.js")
    )
    search.restore_index(app)
    text = (tmp_path / "searchindex.js").read_text(encoding="utf-8")
    restored = json.loads(text.removeprefix("Search.setIndex(").removesuffix(")"))
    assert restored == {"docnames": ["a", "b"], "terms": {"x": [0, 1]}}


def test_the_index_holds_hangul_as_utf8(tmp_path):
    search.write_index(tmp_path / "i.js", {"terms": {"정보": [0, 20]}})
    assert "정보" in (tmp_path / "i.js").read_text(encoding="utf-8")
