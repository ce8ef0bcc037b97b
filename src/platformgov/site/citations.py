"""Author–year citations and the reference list, each in its edition's convention.

English: "Cronbach, 1951", "Janssen and Estevez, 2013", "Lee et al., 2022"; the list is sorted by
author, year and title.

Korean: two authors are joined by a middle dot and three or more are the first author and 외
("Janssen·Estevez, 2013", "Simonsohn 외, 2020"), for every entry. An entry written in Korean by
Korean authors gives their names in Hangul in the field ``author_ko`` (``{이경은 and 박재희 and
유란희}``), and the Korean edition cites it by those names ("이경은 외, 2022", "유란희·이경은, 2023").
The Korean list puts the entries whose label begins in Hangul first, in 가나다 order, then the
others alphabetically; it joins Hangul names by a middle dot and other names by commas, without
the English "and".

The styles are registered as ``platformgov`` (English) and ``platformgov-ko`` (Korean), both as
pybtex formatting styles (the list) and as sphinxcontrib-bibtex referencing styles (the text);
:func:`use_edition` points a Sphinx config at the edition's pair.
"""

from __future__ import annotations

import dataclasses
from collections import Counter

from pybtex.database import Entry, Person
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    node,
    optional,
    sentence,
    tag,
)
from sphinxcontrib.bibtex.plugin import register_plugin as register_referencing
from sphinxcontrib.bibtex.style.referencing import PersonStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join as et_al_join

from platformgov.labels import check_lang

#: The field that holds an entry's authors' names in Hangul.
KOREAN_NAMES = "author_ko"
STYLE_NAMES = {"en": "platformgov", "ko": "platformgov-ko"}
MIDDLE_DOT = "·"
ET_AL = {"en": "et al.", "ko": "외"}
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3


def is_hangul(text: str) -> bool:
    """Whether ``text`` begins with a Hangul syllable."""
    text = text.lstrip("{")
    return bool(text) and _HANGUL_FIRST <= ord(text[0]) <= _HANGUL_LAST


def persons(entry: Entry, role: str, lang: str) -> list[Person]:
    """The entry's authors (or editors) as the edition names them: in Korean, the Hangul names of
    ``author_ko`` where the entry has them."""
    if check_lang(lang) == "ko" and role == "author" and KOREAN_NAMES in entry.fields:
        return [Person(name.strip()) for name in entry.fields[KOREAN_NAMES].split(" and ")]
    return list(entry.persons.get(role, []))


def _last_name(person: Person) -> str:
    return " ".join(person.prelast_names + person.last_names).replace("{", "").replace("}", "")


def author_year_label(entry: Entry, lang: str = "en") -> str:
    """``Cronbach, 1951``, ``Janssen and Estevez, 2013``, ``Lee et al., 2022`` in English;
    ``Janssen·Estevez, 2013``, ``이경은 외, 2022`` in Korean: the label of a bibliography entry,
    as the in-text citations name it."""
    people = persons(entry, "author", lang) or persons(entry, "editor", lang)
    names = [_last_name(p) for p in people]
    if len(names) > 2:
        who = f"{names[0]} {ET_AL[lang]}"
    elif lang == "ko":
        who = MIDDLE_DOT.join(names)
    else:
        who = " and ".join(names)
    who = who or entry.fields.get("title", entry.key)
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


def sorting_key(entry: Entry, lang: str) -> tuple:
    """Where an entry stands in the edition's list: by author, year and title; in Korean, the
    entries whose label begins in Hangul come first."""
    who = author_year_label(entry, lang).lower()
    first = 0 if lang == "ko" and is_hangul(who) else 1
    return (first, who, entry.fields.get("year", ""), entry.fields.get("title", "").lower())


@node
def _korean_names(children, context, role, **kwargs):
    """The names of ``role`` as the Korean edition's list gives them: Hangul names joined by a
    middle dot, other names by commas."""
    if children:
        raise ValueError(children)
    style = context["style"]
    people = persons(context["entry"], role, "ko")
    if not people:
        raise FieldIsMissing(role, context["entry"])
    formatted = [style.format_name(p, style.abbreviate_names) for p in people]
    sep = MIDDLE_DOT if all(is_hangul(_last_name(p)) for p in people) else ", "
    return join(sep=sep)[formatted].format_data(context)


@node
def _cited_names(children, data, role, **kwargs):
    """The names of ``role`` as the Korean edition cites them in the text (sphinxcontrib-bibtex's
    join, which shortens three or more names to the first and 외)."""
    if children:
        raise ValueError(children)
    style = data["style"]
    people = persons(data["entry"], role, "ko")
    if not people:
        raise FieldIsMissing(role, data["entry"])
    formatted = [style.person.style_plugin.format(p, style.person.abbreviate) for p in people]
    return et_al_join(**kwargs)[formatted].format_data(data)


def bibliography_style(lang: str):
    """pybtex's plain style with the edition's author–year labels (a, b, … where two would be
    the same), order and, in Korean, names."""

    check_lang(lang)

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = [author_year_label(e, lang) for e in sorted_entries]
            counts = Counter(labels)
            seen: Counter = Counter()
            for i, text in enumerate(labels):
                if counts[text] > 1:
                    labels[i] = text + "abcdefghijklmnopqrstuvwxyz"[seen[text]]
                    seen[text] += 1
            return iter(labels)

    class EditionSorting(BaseSortingStyle):
        def sorting_key(self, entry):
            return sorting_key(entry, lang)

    class AuthorYearStyle(Style):
        default_label_style = AuthorYearLabels
        default_sorting_style = EditionSorting

        def format_names(self, role, as_sentence=True):
            if lang == "en":
                return super().format_names(role, as_sentence)
            formatted = _korean_names(role)
            return sentence[formatted] if as_sentence else formatted

    return AuthorYearStyle


def reference_style(lang: str):
    """The sphinxcontrib-bibtex referencing style of the edition: author–year, with the Korean
    edition's names, middle dot and 외."""

    if check_lang(lang) == "en":
        return AuthorYearReferenceStyle

    @dataclasses.dataclass
    class KoreanPersons(PersonStyle):
        sep: str = MIDDLE_DOT
        sep2: str = MIDDLE_DOT
        last_sep: str = MIDDLE_DOT
        other: str = f" {ET_AL['ko']}"

        def names(self, role, full):
            return _cited_names(role=role, **self._seps(full))

        def author_or_editor_or_title(self, full):
            return first_of[
                optional[_cited_names("author", **self._seps(full))],
                optional[_cited_names("editor", **self._seps(full))],
                tag("em")[field("title")],
            ]

        def _seps(self, full):
            return {
                "sep": self.sep,
                "sep2": self.sep2,
                "last_sep": self.last_sep,
                "other": None if full else self.other,
            }

    @dataclasses.dataclass
    class KoreanAuthorYear(AuthorYearReferenceStyle):
        person: PersonStyle = dataclasses.field(default_factory=KoreanPersons)

    return KoreanAuthorYear


def register() -> None:
    """Register both editions' styles with pybtex and sphinxcontrib-bibtex."""

    for lang, name in STYLE_NAMES.items():
        register_plugin("pybtex.style.formatting", name, bibliography_style(lang), force=True)
        register_referencing(
            "sphinxcontrib.bibtex.style.referencing", name, reference_style(lang), force=True
        )


def use_edition(config, edition: str) -> None:
    """Point the config's bibliography and citations at the edition's styles."""
    config.bibtex_default_style = STYLE_NAMES[edition]
    config.bibtex_reference_style = STYLE_NAMES[edition]
