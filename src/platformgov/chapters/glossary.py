"""The bilingual glossary (``data/glossary.csv``): read, check against the label table, show.

The file is UTF-8 CSV without a byte-order mark, with the columns ``term_ko, term_en,
definition_ko, definition_en`` and one row per term. A malformed file raises
:class:`GlossaryError` naming the row and column.

A glossary term that is also a label in tables and figures must use the label's words in both
languages: :func:`conflicts` finds terms that match a label in one language but not in the
other. Terms match when they are equal after Unicode NFKC normalisation, case folding and
collapsing of white space, also when one of them carries a trailing parenthesis that the other
lacks (``플랫폼 다양성`` matches the label ``플랫폼 다양성 (분야 수)``).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from platformgov.labels import check_lang, label
from platformgov.labels import normalise_text as normalise
from platformgov.labels import text_forms as forms
from platformgov.paths import DATA

GLOSSARY = DATA / "glossary.csv"
COLUMNS = ("term_ko", "term_en", "definition_ko", "definition_en")

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_IGNORED_IN_SORT = re.compile(r"[\s·\-'’()]+")


class GlossaryError(ValueError):
    """The glossary file is malformed."""


@dataclass(frozen=True)
class Entry:
    """One glossary term in both languages, with its definitions."""

    term_ko: str
    term_en: str
    definition_ko: str
    definition_en: str
    row: int = 0  # row in the file as a person sees it (header = 1)

    def term(self, lang: str) -> str:
        return self.term_ko if check_lang(lang) == "ko" else self.term_en

    def counterpart(self, lang: str) -> str:
        """The term in the other language."""
        return self.term_en if check_lang(lang) == "ko" else self.term_ko

    def definition(self, lang: str) -> str:
        return self.definition_ko if check_lang(lang) == "ko" else self.definition_en


def read_glossary(path: Path | str = GLOSSARY) -> tuple[Entry, ...]:
    """Read and check a glossary file; raise :class:`GlossaryError` if anything is wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"{path}: cannot read the glossary ({exc})") from None
    if text.startswith("\ufeff"):
        raise GlossaryError(f"{path.name}: the glossary must be UTF-8 without a byte-order mark")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or tuple(rows[0]) != COLUMNS:
        found = ",".join(rows[0]) if rows else "nothing"
        raise GlossaryError(
            f"{path.name}: row 1: the header must be {','.join(COLUMNS)}, not {found}"
        )
    entries: list[Entry] = []
    seen: dict[tuple[str, str], int] = {}
    for n, fields in enumerate(rows[1:], start=2):
        if len(fields) != len(COLUMNS):
            raise GlossaryError(
                f"{path.name}: row {n}: {len(fields)} fields, the header has {len(COLUMNS)}"
            )
        for column, value in zip(COLUMNS, fields, strict=True):
            if not value.strip():
                raise GlossaryError(f"{path.name}: row {n}, column {column!r}: must not be empty")
            if value != value.strip():
                raise GlossaryError(
                    f"{path.name}: row {n}, column {column!r}, value {value!r}: "
                    "leading or trailing whitespace"
                )
        entry = Entry(*fields, row=n)
        for column in ("term_ko", "term_en"):
            key = (column, normalise(getattr(entry, column)))
            if key in seen:
                raise GlossaryError(
                    f"{path.name}: row {n}, column {column!r}, value {getattr(entry, column)!r}: "
                    f"already defined on row {seen[key]}"
                )
            seen[key] = n
        entries.append(entry)
    if not entries:
        raise GlossaryError(f"{path.name}: the glossary has no terms")
    return tuple(entries)


@cache
def glossary() -> tuple[Entry, ...]:
    """The repository's glossary, read once."""
    return read_glossary(GLOSSARY)


def conflicts(entries: Iterable[Entry], table: Mapping[str, Mapping[str, str]]) -> list[str]:
    """Terms that match a label in one language but not in the other, described one per line.

    ``table`` maps label keys to ``{"ko": ..., "en": ...}`` (see :func:`platformgov.labels.table`).
    """
    found = []
    for entry in entries:
        ko, en = forms(entry.term_ko), forms(entry.term_en)
        for key, words in table.items():
            same_ko = bool(ko & forms(words["ko"]))
            same_en = bool(en & forms(words["en"]))
            if same_ko != same_en:
                found.append(
                    f"glossary row {entry.row}: {entry.term_ko!r} / {entry.term_en!r} "
                    f"contradicts label {key!r}: {words['ko']!r} / {words['en']!r}"
                )
    return found


def sort_key(term: str, lang: str) -> tuple[int, str]:
    """Dictionary order in ``lang``: spaces and punctuation ignored, case ignored.

    Korean terms are in 가나다 order (the order of Hangul syllables in Unicode), followed by
    terms that begin with a Latin letter or a digit; English terms are in alphabetical order.
    """
    text = _IGNORED_IN_SORT.sub("", normalise(term))
    if check_lang(lang) == "ko":
        return (0 if _HANGUL.match(text) else 1, text)
    return (0, text)


def sorted_entries(lang: str, entries: Iterable[Entry] | None = None) -> list[Entry]:
    """The glossary sorted by its terms in ``lang``."""
    entries = glossary() if entries is None else entries
    return sorted(entries, key=lambda e: sort_key(e.term(lang), lang))


@dataclass
class GlossaryList:
    """The glossary as a definition list: each term, its counterpart in the other language (marked
    with that language, as WCAG asks for passages in another language), and its definition.

    A list, not a table: three columns of running text scroll sideways on a phone, while a list
    reflows to any width. Korean terms are kept whole (``pg-keep-all``): in the English edition
    a browser would otherwise break them between any two syllables. Each term has an anchor.
    """

    lang: str
    entries: list[Entry]

    def to_html(self) -> str:
        other = "en" if self.lang == "ko" else "ko"
        classes = "pg-glossary-other pg-keep-all" if other == "ko" else "pg-glossary-other"
        name = html.escape(label("ui.glossary", self.lang), quote=True)
        items = []
        for i, e in enumerate(self.entries, start=1):
            items.append(
                f'<div class="pg-glossary-entry"><dt id="term-{i}">'
                f'<span class="pg-glossary-term">{html.escape(e.term(self.lang))}</span> '
                f'<span class="{classes}" lang="{other}">'
                f"{html.escape(e.counterpart(self.lang))}</span></dt>"
                f"<dd>{html.escape(e.definition(self.lang))}</dd></div>"
            )
        return f'<dl class="pg-glossary" aria-label="{name}">' + "".join(items) + "</dl>"

    def _repr_html_(self) -> str:
        return self.to_html()


def glossary_list(lang: str, entries: Iterable[Entry] | None = None) -> GlossaryList:
    """The glossary in ``lang``'s order, to show in the edition in ``lang``."""
    return GlossaryList(check_lang(lang), sorted_entries(lang, entries))


def numbers(entries: Iterable[Entry], lang: str) -> dict[str, tuple[int, str]]:
    """The counts the glossary appendix quotes: ``n_terms``, the number of terms."""
    check_lang(lang)
    return {"n_terms": (len(list(entries)), ",d")}
