import html

import pytest

from platformgov.chapters import codebook as ct
from platformgov.inputs import codebook as cb
from platformgov.labels import LANGS, label, value_label
from platformgov.paths import CODEBOOK


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("table", cb.TABLES)
def test_every_variable_is_shown_in_codebook_order(table, lang):
    frame = ct.codebook_frame(table, lang)
    variables = cb.variables(table)
    assert list(frame.index) == [v.name for v in variables]
    assert list(frame[label("data.col.label", lang)]) == [v.label(lang) for v in variables]
    assert list(frame[label("data.col.wording", lang)]) == [v.question(lang) for v in variables]
    kinds = [c.split("\n")[0] for c in frame[label("codebook.type_allowed", lang)]]
    assert kinds == [f"{label(f'data.dtype.{v.dtype}', lang)}:" for v in variables]
    required = frame[label("data.col.required", lang)]
    assert list(required) == [value_label("binary", int(v.required), lang) for v in variables]


@pytest.mark.parametrize("lang", LANGS)
def test_categories_are_listed_with_their_labels(lang):
    platform_type = cb.variable("platforms", "platform_type")
    lines = ct.allowed_text(platform_type, lang).split("\n")
    expected = [f"{v} = {value_label('platform_type', v, lang)}" for v in platform_type.values]
    assert lines == expected
    binary = cb.variable("platforms", "partner_private")
    assert ct.allowed_text(binary, lang).split("\n") == [
        f"{v} = {value_label('binary', v, lang)}" for v in ("0", "1")
    ]


def test_other_types_are_described_from_the_codebook():
    lg = cb.variable("platforms", "lg_code")
    assert ct.allowed_text(lg, "en") == label("data.allowed.registry", "en")
    pid = cb.variable("platforms", "platform_id")
    assert ct.allowed_text(pid, "ko").endswith(pid.allowed)
    year = cb.variable("platforms", "year_launched")
    lo, hi = year.bounds
    assert ct.allowed_text(year, "en") == f"{lo}–{hi}"


@pytest.mark.parametrize("lang", LANGS)
def test_likert_points_are_labelled_once_under_the_table(lang):
    items = [v for v in cb.variables("performance") if v.dtype == "likert"]
    lo, hi = items[0].bounds
    note = ct.likert_note(cb.variables("performance"), lang)
    for point in range(lo, hi + 1):
        assert f"{point} = {value_label('likert', point, lang)}" in note
    assert ct.likert_note(cb.variables("organisations"), lang) == ""
    rendered = ct.codebook_table("performance", lang).to_html()
    assert html.escape(note) in rendered


@pytest.mark.parametrize("lang", LANGS)
def test_caption_names_the_survey_table(lang):
    rendered = ct.codebook_table("organisations", lang).to_html()
    caption = f"{label('ui.codebook', lang)}: {label('table.organisations', lang)} (organisations)"
    assert f"<caption>{html.escape(caption)}</caption>" in rendered
    assert rendered.count('<th scope="row">') == len(cb.variables("organisations"))


def test_tables_follow_the_codebook_file(tmp_path):
    """Edit the wording in a copy of the codebook: the table shows the edit, nothing typed."""
    text = CODEBOOK.read_text(encoding="utf-8")
    original = cb.variable("organisations", "it_staff").question_en
    edited = tmp_path / "codebook.csv"
    edited.write_text(text.replace(original, "How many digital staff?"), encoding="utf-8")
    book = cb.read_codebook(edited)
    frame = ct.codebook_frame("organisations", "en", book)
    assert frame.loc["it_staff", label("data.col.wording", "en")] == "How many digital staff?"


def test_numbers_count_variables_by_table():
    book = cb.codebook()
    ko, en = (ct.numbers(book, lang) for lang in LANGS)
    assert ko == en
    assert en["n_variables"] == (len(book.variables), ",d")
    assert en["n_tables"] == (len(cb.TABLES), ",d")
    assert sum(en[f"n_{t}"][0] for t in cb.TABLES) == len(book.variables)
    performance = book.table("performance")
    assert en["n_likert"][0] == sum(v.dtype == "likert" for v in performance) > 0
    assert en["n_required"][0] == sum(v.required for v in book.variables)
    with pytest.raises(ValueError):
        ct.numbers(book, "fr")
