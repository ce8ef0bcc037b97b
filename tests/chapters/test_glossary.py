import re
from html import escape

import pytest

from platformgov import labels
from platformgov.chapters import glossary
from platformgov.chapters.glossary import COLUMNS, Entry, GlossaryError


def write(path, rows, header=COLUMNS, prefix=""):
    lines = [",".join(header), *(",".join(r) for r in rows)]
    path.write_text(prefix + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def entry(ko, en, row=2):
    return Entry(ko, en, f"{ko} 뜻", f"meaning of {en}", row)


def test_no_glossary_term_contradicts_the_label_table():
    found = glossary.conflicts(glossary.glossary(), labels.table())
    assert not found, "\n".join(found)


def test_glossary_shares_terms_with_the_label_table():
    """The check above proves something only if some terms are labels too."""
    table = labels.table()
    shared = [
        e
        for e in glossary.glossary()
        if any(glossary.forms(e.term_ko) & glossary.forms(w["ko"]) for w in table.values())
    ]
    assert len(shared) >= 10


@pytest.mark.parametrize(
    "term_en",
    [
        "Platform government",
        "Information (G2C)",
        "Policy proposal (C2G)",
        "Brokering private capacity (C2C)",
        "Activation",
        "Collaborative governance",
        "Metropolitan government",
        "Basic local government",
        "Likert scale",
        "Cronbach's alpha",
        "HC3",
        "Ordered logit",
        "Specification curve",
        "Statistical power",
        "Synthetic data",
    ],
)
def test_the_books_key_terms_are_defined(term_en):
    assert term_en in {e.term_en for e in glossary.glossary()}


def test_platform_types_carry_their_labels():
    by_en = {e.term_en: e for e in glossary.glossary()}
    for code, words in labels.value_labels("platform_type", "en").items():
        assert by_en[words].term_ko == labels.value_label("platform_type", code, "ko")


def test_conflicts_finds_a_term_translated_differently():
    table = {"outcome.democracy": {"ko": "민주성", "en": "Democracy"}}
    assert glossary.conflicts([entry("민주성", "Democracy")], table) == []
    found = glossary.conflicts([entry("민주성", "Democratic quality", row=7)], table)
    assert len(found) == 1 and "row 7" in found[0] and "outcome.democracy" in found[0]
    # and the other way round: the English matches, the Korean does not
    assert glossary.conflicts([entry("민주주의", "Democracy")], table)


def test_conflicts_ignores_case_spacing_and_a_trailing_parenthesis():
    table = {
        "term.diversity": {"ko": "플랫폼 다양성 (분야 수)", "en": "Platform diversity (domains)"}
    }
    assert glossary.conflicts([entry("플랫폼  다양성", "platform diversity")], table) == []
    assert glossary.conflicts([entry("플랫폼 다양성", "Diversity of platforms")], table)
    apostrophe = {"ui.alpha": {"ko": "크론바흐 알파", "en": "Cronbach's alpha"}}
    assert glossary.conflicts([entry("크론바흐 알파", "Cronbach\u2019s alpha")], apostrophe) == []


def test_read_glossary_accepts_a_valid_file(tmp_path):
    path = write(tmp_path / "g.csv", [["가", "A", "가 뜻", "meaning"], ["나", "B", "나 뜻", "m"]])
    entries = glossary.read_glossary(path)
    assert [e.term_en for e in entries] == ["A", "B"]
    assert [e.row for e in entries] == [2, 3]
    assert entries[0].term("ko") == "가" and entries[0].counterpart("ko") == "A"
    assert entries[0].definition("en") == "meaning"


@pytest.mark.parametrize(
    ("rows", "header", "prefix", "message"),
    [
        ([["가", "A", "d", "d"]], ("term_ko", "term_en", "definition"), "", "row 1: the header"),
        ([["가", "A", "d", "d"]], COLUMNS, "\ufeff", "byte-order mark"),
        ([["가", "A", "", "d"]], COLUMNS, "", "row 2, column 'definition_ko': must not be empty"),
        ([["가 ", "A", "d", "d"]], COLUMNS, "", "row 2, column 'term_ko', value '가 '"),
        ([["가", "A", "d"]], COLUMNS, "", "row 2: 3 fields"),
        ([["가", "A", "d", "d"], ["나", "a", "d", "d"]], COLUMNS, "", "already defined on row 2"),
        ([], COLUMNS, "", "no terms"),
    ],
)
def test_read_glossary_rejects_malformed_files(tmp_path, rows, header, prefix, message):
    path = write(tmp_path / "g.csv", rows, header, prefix)
    with pytest.raises(GlossaryError, match=re.escape(message)):
        glossary.read_glossary(path)


def test_korean_order_is_ganada_then_latin():
    terms = ["p값", "효율성", "가치", "HC3", "민간 협력", "민간역량중개형 (C2C)", "나"]
    ordered = sorted(terms, key=lambda t: glossary.sort_key(t, "ko"))
    assert ordered == ["가치", "나", "민간역량중개형 (C2C)", "민간 협력", "효율성", "HC3", "p값"]


def test_english_order_ignores_case():
    terms = ["p-value", "Activation", "HC3", "basic local government"]
    ordered = sorted(terms, key=lambda t: glossary.sort_key(t, "en"))
    assert ordered == ["Activation", "basic local government", "HC3", "p-value"]


@pytest.mark.parametrize("lang", labels.LANGS)
def test_glossary_list_is_sorted_in_the_pages_language(lang):
    entries = glossary.glossary()
    shown = glossary.glossary_list(lang)
    assert sorted(shown.entries, key=lambda e: e.term_ko) == sorted(
        entries, key=lambda e: e.term_ko
    )
    keys = [glossary.sort_key(e.term(lang), lang) for e in shown.entries]
    assert keys == sorted(keys)
    other = "en" if lang == "ko" else "ko"
    html = shown.to_html()
    assert f'aria-label="{labels.label("ui.glossary", lang)}"' in html
    assert html.count("<dt ") == html.count("<dd>") == len(entries)
    assert html.count(f'lang="{other}"') == len(entries)
    terms = re.findall(r'<span class="pg-glossary-term">([^<]*)</span>', html)
    assert terms == [escape(e.term(lang)) for e in shown.entries]
    first = shown.entries[0]
    assert f"<dd>{escape(first.definition(lang))}</dd>" in html
    assert escape(first.counterpart(lang)) in html


def test_glossary_text_is_escaped():
    entry = glossary.Entry("가<b>", "A & B", "정의 <i>", "Definition <i>")
    html = glossary.GlossaryList("en", [entry]).to_html()
    assert "A &amp; B" in html and "가&lt;b&gt;" in html and "<i>" not in html


def test_numbers_count_the_terms():
    entries = [entry("가", "a"), entry("나", "b", row=3)]
    ko, en = (glossary.numbers(entries, lang) for lang in labels.LANGS)
    assert ko == en == {"n_terms": (2, ",d")}
    assert glossary.numbers((), "en") == {"n_terms": (0, ",d")}
    with pytest.raises(ValueError):
        glossary.numbers(entries, "fr")
