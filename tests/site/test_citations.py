import re

import pytest
from factories import tiny_book
from pybtex.database import parse_string

from platformgov.site import build, citations

BIB = """
@article{a, author = {Cronbach, Lee J.}, title = {T}, journal = {J}, year = {1951}}
@article{b, author = {Janssen, Marijn and Estevez, Elsa}, title = {T}, journal = {J},
         year = {2013}}
@article{c, author = {Lee, K. and Park, J. and Ryu, L.}, title = {T1}, journal = {J},
         year = {2022}}
@article{d, author = {Lee, K. and Kim, S. and Choi, H.}, title = {T2}, journal = {J},
         year = {2022}}
@misc{e, author = {{전자신문}}, title = {T}, year = {2022}}
@techreport{k, author = {Lee, Kyung Eun and Park, Jaehee and Ryu, Lanhee},
            author_ko = {이경은 and 박재희 and 유란희}, title = {T3}, institution = {I},
            year = {2022}}
@article{r, author = {Ryu, Lanhee and Lee, Kyung Eun}, author_ko = {유란희 and 이경은},
         title = {T4}, journal = {J}, year = {2023}}
"""


@pytest.fixture(scope="module")
def bib():
    return parse_string(BIB, "bibtex")


def test_english_labels_use_and_and_et_al(bib):
    label = citations.author_year_label
    assert label(bib.entries["a"], "en") == "Cronbach, 1951"
    assert label(bib.entries["b"], "en") == "Janssen and Estevez, 2013"
    assert label(bib.entries["k"], "en") == "Lee et al., 2022"
    assert label(bib.entries["r"], "en") == "Ryu and Lee, 2023"
    assert label(bib.entries["e"], "en") == "전자신문, 2022"


def test_korean_labels_use_a_middle_dot_and_oe_and_hangul_names(bib):
    label = citations.author_year_label
    assert label(bib.entries["a"], "ko") == "Cronbach, 1951"
    assert label(bib.entries["b"], "ko") == "Janssen·Estevez, 2013"
    assert label(bib.entries["c"], "ko") == "Lee 외, 2022"
    assert label(bib.entries["k"], "ko") == "이경은 외, 2022"
    assert label(bib.entries["r"], "ko") == "유란희·이경은, 2023"


def _list(bib, lang):
    return [
        (e.key, e.label, e.text.render_as("text"))
        for e in citations.bibliography_style(lang)().format_bibliography(bib)
    ]


def test_labels_that_would_be_the_same_get_letters(bib):
    for lang, who in (("en", "Lee et al."), ("ko", "Lee 외")):
        labels = {key: text for key, text, _ in _list(bib, lang)}
        assert sorted([labels["c"], labels["d"]]) == [f"{who}, 2022a", f"{who}, 2022b"]


def test_english_list_is_alphabetical_with_and(bib):
    entries = _list(bib, "en")
    keys = [key for key, _, _ in entries]
    assert keys[:2] == ["a", "b"] and keys[-1] == "e"
    text = dict((key, body) for key, _, body in entries)
    assert text["b"].startswith("Marijn Janssen and Elsa Estevez.")


def test_korean_list_puts_hangul_entries_first_in_ganada_order(bib):
    entries = _list(bib, "ko")
    keys = [key for key, _, _ in entries]
    # 유란희 < 이경은 < 전자신문, then the Western entries alphabetically.
    assert keys[:3] == ["r", "k", "e"]
    assert keys[3:5] == ["a", "b"]
    text = dict((key, body) for key, _, body in entries)
    assert text["k"].startswith("이경은·박재희·유란희.")
    assert text["b"].startswith("Marijn Janssen, Elsa Estevez.")
    assert not any(" and " in body.split(".")[0] for body in text.values())


PAGE = """# Citations

One {cite:p}`krila2022`, two {cite:p}`ryu2023`, and {cite:t}`janssen2013`, {cite:p}`simonsohn2020`.
"""
#: The list stands on a page of Markdown only, as in the book (a notebook holds no bibliography).
REFERENCES = "# References\n\n```{bibliography}\n```\n"


@pytest.mark.site
def test_each_edition_cites_in_its_own_convention(tmp_path):
    root = tiny_book(tmp_path, {"index": PAGE, "references": ""}, editions=("ko", "en"))
    text = {}
    for edition in ("ko", "en"):
        (root / "book" / edition / "references.md").write_text(REFERENCES, encoding="utf-8")
        build.build_edition(edition, tmp_path / "out", root=root)
        html = ""
        for page in ("index", "references"):
            built = tmp_path / "out" / edition / "_build" / "html" / f"{page}.html"
            html += built.read_text(encoding="utf-8")
        text[edition] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    ko, en = text["ko"], text["en"]
    for cited in (
        "이경은 외, 2022",
        "유란희·이경은, 2023",
        "Janssen·Estevez",
        "Simonsohn 외, 2020",
    ):
        assert cited in ko, cited
    assert "et al." not in ko and "Ryu and Lee" not in ko and "Janssen and" not in ko
    for cited in (
        "Lee et al., 2022",
        "Ryu and Lee, 2023",
        "Janssen and Estevez",
        "Simonsohn et al., 2020",
    ):
        assert cited in en, cited
    assert "이경은" not in en
    # The Korean list starts with the Korean entries, names joined by a middle dot.
    listed = ko[ko.index("References") :]
    order = ["유란희·이경은.", "이경은·박재희·유란희.", "Marijn Janssen, Elsa Estevez."]
    assert [listed.index(who) for who in order] == sorted(listed.index(who) for who in order)
