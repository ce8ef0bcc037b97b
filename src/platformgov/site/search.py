"""Full-text search of each edition: which words the index holds and how pages rank.

Sphinx's index records only which pages hold a word, so a page that mentions a word once ranks
with one that is about it. When an edition is built, :func:`rewrite_index` replaces the words of
``searchindex.js`` with this module's and gives each (word, page) a weight: a word in the page
title outranks one in a section heading, which outranks body text, and within a tier more
mentions rank higher. ``book/_static/pg-search.js`` reads those weights in the browser.

Korean words are found by a morphological analyser (Kiwi, :func:`korean_terms`): a noun is
indexed without its particle (지방자치단체의 → 지방자치단체) and a compound also by its parts
and their runs (지방자치단체 → 지방, 자치, 단체, 지방자치, 자치단체). The analyser cannot run in
a browser, so the index carries the particles and endings the analyser split off in this
edition's text (``pgsuffixes``): the browser strips them from a query word, and splits a
compound the index does not hold into words it does.

Latin words follow Sphinx's English rules (lower case, Porter stem, stop words), in both
editions, as Sphinx's English stemmer in the browser expects.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from sphinx.search import js_index
from sphinx.search.en import SearchEnglish

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN_WORD = re.compile(r"[A-Za-z0-9_]+")
WORD = re.compile(r"\S+")
TAG = re.compile(r"<[^<]+?>")
STYLE_OR_SCRIPT = re.compile(r"<(style|script)\b.*?</\1>", re.I | re.S)

#: Kiwi tags indexed as words: common and proper nouns, roots (XR: 적극적 → 적극), Hanja.
CONTENT_TAGS = frozenset({"NNG", "NNP", "XR", "SH"})
#: Tags that stay inside a compound with the nouns next to them: 민주성 (민주 + 성), 비정형.
COMPOUND_TAGS = CONTENT_TAGS | {"XSN", "XPN"}
#: Longest run of morphemes whose sub-runs are all indexed (longer compounds keep their parts).
MAX_RUN = 5
#: How many of the most frequent particles and endings the browser is told about.
MAX_SUFFIXES = 300
#: Tags of what follows a noun inside a word: particles (J…), endings (E…), the copula and
#: the suffixes that make verbs and adjectives of nouns (분석하다, 중요하다).
SUFFIX_TAGS = ("J", "E", "VCP", "VCN", "XSV", "XSA")
#: Hashes and identifiers (commits, file digests) are not words a reader looks for.
HASH = re.compile(r"(?=.*\d)[0-9a-f]{12,}")

#: The bonus of a word in the page title and in a section heading, in the units of
#: :func:`body_weight`: as much as 7 and 3 more mentions in the prose of a page that has none.
TITLE_BONUS = 60
HEADING_BONUS = 30
#: A word in a notebook table counts as this much of a mention in prose.
TABLE_MENTION = 0.25


@functools.cache
def kiwi():
    from kiwipiepy import Kiwi

    return Kiwi()


@dataclass
class Analysis:
    """The index terms of a text, and the particles and endings that followed its Korean words."""

    terms: list[str] = field(default_factory=list)
    suffixes: Counter = field(default_factory=Counter)


def _runs(tokens) -> list[list]:
    """Runs of adjacent compound morphemes (no space or other morpheme between them)."""
    runs: list[list] = []
    current: list = []
    for token in tokens:
        adjacent = current and token.start == current[-1].start + current[-1].len
        if token.tag in COMPOUND_TAGS and (adjacent or not current):
            current.append(token)
            continue
        if current:
            runs.append(current)
        current = [token] if token.tag in COMPOUND_TAGS else []
    if current:
        runs.append(current)
    return runs


def _run_terms(text: str, run: list) -> list[str]:
    """The content morphemes of a run, and every sub-run of two or more morphemes that starts
    on a content morpheme (for runs up to MAX_RUN; a longer one is indexed whole as well)."""
    terms = [t.form for t in run if t.tag in CONTENT_TAGS]
    if len(run) > MAX_RUN:
        return [*terms, text[run[0].start : run[-1].start + run[-1].len]]
    for i, first in enumerate(run):
        if first.tag not in CONTENT_TAGS and first.tag != "XPN":
            continue
        for j in range(i + 1, len(run)):
            terms.append(text[first.start : run[j].start + run[j].len])
    return terms


@functools.lru_cache(maxsize=65536)
def korean_terms(text: str) -> Analysis:
    """Index terms of the Hangul words in ``text`` (see the module's description)."""
    analysis = Analysis()
    if not HANGUL.search(text):
        return analysis
    tokens = kiwi().tokenize(text)
    runs = _runs(tokens)
    for run in runs:
        analysis.terms.extend(_run_terms(text, run))
    # What follows a run up to the end of its word, when it is all particles and endings.
    ends = {run[-1].start + run[-1].len for run in runs}
    for word in WORD.finditer(text):
        for end in ends:
            if not word.start() < end < word.end():
                continue
            tail = re.match(r"[\uac00-\ud7a3]+", text[end : word.end()])
            after = [t for t in tokens if end <= t.start < word.end()]
            if tail and after and all(t.tag.startswith(SUFFIX_TAGS) for t in after):
                analysis.suffixes[tail.group()] += 1
    return analysis


class Terms:
    """The index terms of text in one edition, with Sphinx's English rules for Latin words."""

    def __init__(self, edition: str):
        self.edition = edition
        self.english = SearchEnglish({})
        self.suffixes: Counter = Counter()

    @functools.cache  # noqa: B019 - one instance per build, texts repeat across pages
    def _latin(self, word: str) -> str | None:
        stemmed = self.english.stem(word).lower()
        if self.english.word_filter(stemmed):
            return stemmed
        return word if self.english.word_filter(word) else None

    def __call__(self, text: str) -> list[str]:
        split = self.english.split if self.edition == "en" else LATIN_WORD.findall
        words = split(text)
        terms = [
            t for w in words if not w.isdigit() and not HASH.match(w) and (t := self._latin(w))
        ]
        if self.edition == "ko":
            analysis = korean_terms(text)
            terms.extend(analysis.terms)
            self.suffixes.update(analysis.suffixes)
        return terms


class SearchKorean(SearchEnglish):
    """Sphinx's search language for the Korean edition: the words of :class:`Terms`.

    Sphinx's own index is replaced by :func:`rewrite_index`; splitting the same way here lets
    that reuse the analyses (:func:`korean_terms` keeps them). Latin words keep the English
    rules, so the browser stems them with Sphinx's English stemmer, as for the English edition.
    """

    lang = "ko"
    language_name = "Korean"

    def init(self, options) -> None:
        super().init(options)
        self.terms = Terms("ko")

    def split(self, input: str) -> list[str]:
        return self.terms(input)


@dataclass
class PageText:
    """The words of one page, by where they stand."""

    title: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)


#: Containers whose text is not prose: a notebook cell's code.
SKIPPED_CLASSES = frozenset({"cell_input"})


def page_text(doctree: nodes.document, terms: Terms) -> PageText:
    """The terms of a page's title, section headings and body text.

    Code (cell sources, literal blocks, inline code), formulas and comments are left out; the
    text of raw HTML (notebook tables) is kept apart.
    """
    page = PageText()

    def visit(node) -> None:
        if isinstance(
            node, (nodes.comment, nodes.literal_block, nodes.literal, nodes.math, nodes.math_block)
        ):
            return
        if isinstance(node, nodes.Element) and SKIPPED_CLASSES & set(node.get("classes", ())):
            return
        if isinstance(node, nodes.raw):
            if "html" in node.get("format", "").split():
                text = TAG.sub(" ", STYLE_OR_SCRIPT.sub(" ", node.astext()))
                page.tables.extend(terms(text))
            return
        if isinstance(node, nodes.title) and isinstance(node.parent, nodes.section):
            target = page.headings if page.title else page.title
            target.extend(terms(node.astext()) or [""])
            return
        if isinstance(node, nodes.Text):
            page.body.extend(terms(node.astext()))
            return
        for child in node.children:
            visit(child)

    visit(doctree)
    page.title = [t for t in page.title if t]
    return page


def body_weight(mentions: float) -> int:
    """1 to 99: more mentions weigh more, each less than the one before (1 → 20, 19 → 86)."""
    return max(1, min(99, round(20 * math.log2(1 + mentions))))


def weights(page: PageText) -> dict[str, int]:
    """Each term's weight on the page: its mentions, plus the bonus of the title and headings."""
    mentions: Counter = Counter(page.body)
    for term, count in Counter(page.tables).items():
        mentions[term] += TABLE_MENTION * count
    title, headings = set(page.title), set(page.headings)
    return {
        term: body_weight(mentions[term])
        + (TITLE_BONUS if term in title else 0)
        + (HEADING_BONUS if term in headings else 0)
        for term in title | headings | set(mentions)
    }


def postings(pages: dict[int, dict[str, int]]) -> dict[str, list[int]]:
    """``{term: [page, weight, page, weight, …]}``, the heaviest page first."""
    by_term: dict[str, list[tuple[int, int]]] = {}
    for page, page_weights in pages.items():
        for term, weight in page_weights.items():
            by_term.setdefault(term, []).append((page, weight))
    return {
        term: [n for pair in sorted(hits, key=lambda h: (-h[1], h[0])) for n in pair]
        for term, hits in sorted(by_term.items())
    }


def frequent_suffixes(counts: Counter) -> list[str]:
    """The particles and endings most often split off (twice or more), the longest first, as
    the browser tries them."""
    common = [s for s, n in counts.most_common(MAX_SUFFIXES) if n > 1]
    return sorted(common, key=lambda s: (-len(s), s))


def index_path(app) -> Path | None:
    name = getattr(app.builder, "searchindex_filename", None)
    path = Path(app.outdir) / name if name else None
    return path if path and path.exists() else None


def write_index(path: Path, index: dict) -> None:
    """``Search.setIndex({...})`` as Sphinx writes it, with Hangul as UTF-8, not escapes."""
    text = json.dumps(index, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    path.write_text(f"Search.setIndex({text})", encoding="utf-8")


def restore_index(app, builder=None) -> None:
    """Give Sphinx back an index it can read (page numbers only), before it loads the last one.

    On ``write-started``: an incremental build reads the last ``searchindex.js`` to keep the
    entries of pages it does not write again, and would read the weights as page numbers.
    """
    path = index_path(app)
    if path is None:
        return
    index = js_index.loads(path.read_text(encoding="utf-8"))
    if "pgsuffixes" not in index:
        return
    index["terms"] = {term: sorted(hits[::2]) for term, hits in index["terms"].items()}
    del index["pgsuffixes"]
    write_index(path, index)


def rewrite_index(app) -> None:
    """Replace the terms of the edition's ``searchindex.js`` with weighted ones (see above)."""
    edition = app.config.platformgov_edition
    path = index_path(app)
    if path is None:
        return
    index = js_index.loads(path.read_text(encoding="utf-8"))
    terms = Terms(edition)
    pages = {
        number: weights(page_text(app.env.get_doctree(docname), terms))
        for number, docname in enumerate(index["docnames"])
    }
    index["terms"] = postings(pages)
    index["titleterms"] = {}
    index["pgsuffixes"] = frequent_suffixes(terms.suffixes)
    write_index(path, index)
