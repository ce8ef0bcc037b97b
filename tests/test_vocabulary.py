"""The vocabulary (``platformgov.vocabulary``) and the data files that must know its words.

What each word needs (labels in both languages; "entry named as the label": a glossary entry
whose Korean and English terms are the word's labels, as ``labels.text_forms`` compares them):

- platform type ``t``: ``data/labels.csv`` ``platform_type.t``; a glossary entry named as that
  label; an allowed value of ``platform_type`` in the codebook's ``platforms`` and
  ``performance``; an entry in every table of ``data/synthetic_params.toml`` keyed by type
  (:data:`TYPE_TABLES`).
- outcome ``o``: label ``outcome.o``; a glossary entry named as it; its Likert items in the
  codebook; ``[performance.intercept.<t>]`` ``o`` for every type.
- partner ``p``: labels ``term.coop_p``, ``desc.partner.p``, ``data.col.p_partner_p``; a
  glossary entry named as the codebook's label of ``partner_p``; the binary codebook column
  ``platforms.partner_p``; ``[platforms.partners.<t>]`` ``p`` for every type and
  ``[platforms.partners.lg_sd]`` ``p``.
- level and kind ``x``: labels ``level.x`` / ``kind.x``; values of the registry's ``level`` and
  ``kind`` columns (the glossary and the codebook have nothing per kind; the synthetic process
  has effects for 군 and 자치구 only, the base being 시).
- control ``c``: label ``term.c``; its registry column (and, for ``equals``, a row with its
  value). The synthetic process gives effects only to the controls its parameter file lists:
  a new control needs no synthetic parameter.
- activation measure ``a``: label ``term.a``.

And the other way round: nothing in these files names a type, outcome, partner, item, level,
kind or term that the vocabulary does not know (label keys of the groups above; type codes
such as ``G2C`` anywhere in the text of labels, glossary and codebook; keys of the synthetic
parameters; Likert items of no outcome).

Every check collects all problems and fails with one line per problem, naming the file and the
missing or unknown entry.
"""

from __future__ import annotations

import ast
import copy
import csv
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from platformgov import paths, vocabulary
from platformgov.inputs import codebook as cb
from platformgov.inputs import synthetic
from platformgov.labels import text_forms

V = vocabulary
GLOSSARY = paths.DATA / "glossary.csv"
LANG_NAMES = {"ko": "Korean", "en": "English"}
#: Tables of the synthetic parameters that need one entry per platform type.
TYPE_TABLES = (
    "counts.base_mean",
    "counts.shape",
    "platforms.domain",
    "platforms.channel",
    "platforms.launch.mean_age",
    "platforms.suspended",
    "platforms.partners",
    "performance.intercept",
    "names.suffixes",
)
#: A token that reads as a platform-type code (``G2C``, ``C2G``, ``B2G`` …).
TYPE_TOKEN = re.compile(r"\b[A-Z]2[A-Z]\b")


def rel(path: Path) -> str:
    return path.relative_to(paths.ROOT).as_posix()


def assert_none(problems: list[str]) -> None:
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


# --- reading the files ---------------------------------------------------------------------


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_labels(path: Path = paths.LABELS) -> dict[str, dict[str, str]]:
    return {row["key"]: {"ko": row["ko"], "en": row["en"]} for row in read_csv(path)}


def read_params(path: Path = paths.SYNTHETIC_PARAMS) -> dict:
    with path.open("rb") as fh:
        return tomllib.load(fh)


def read_registry(path: Path = paths.REGISTRY) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# --- what each word needs ------------------------------------------------------------------


def label_keys() -> dict[str, list[str]]:
    """Each word (described for messages) → the label keys it needs."""
    out: dict[str, list[str]] = {}
    for t in V.TYPE_CODES:
        out[f"platform type {t}"] = [f"platform_type.{t}"]
    for o in V.OUTCOMES:
        out[f"outcome {o}"] = [f"outcome.{o}"]
    for p in V.PARTNERS:
        out[f"partner {p}"] = [f"term.coop_{p}", f"desc.partner.{p}", f"data.col.p_partner_{p}"]
    for level in V.LEVELS:
        out[f"level {level}"] = [f"level.{level}"]
    for k in V.KINDS:
        out[f"kind {k}"] = [f"kind.{k}"]
    for c in V.CONTROLS:
        out[f"control {c}"] = [f"term.{c}"]
    for a in V.ACTIVATION:
        out[f"activation measure {a}"] = [f"term.{a}"]
    return out


def known_suffixes() -> dict[str, set[str]]:
    """Label-key prefix → the words that may follow it."""
    return {
        "platform_type.": set(V.TYPE_CODES),
        "outcome.": set(V.OUTCOMES),
        "desc.partner.": set(V.PARTNERS),
        "data.col.p_partner_": set(V.PARTNERS),
        "level.": set(V.LEVELS),
        "kind.": set(V.KINDS),
        "term.": {*V.TERMS, "Intercept"},
    }


def label_problems(labels: dict[str, dict[str, str]], where: str = rel(paths.LABELS)) -> list[str]:
    problems = []
    for word, keys in label_keys().items():
        for key in keys:
            for lang in ("ko", "en"):
                if not labels.get(key, {}).get(lang, "").strip():
                    problems.append(f"{where}: no {LANG_NAMES[lang]} label {key!r} ({word})")
    for key in labels:
        for prefix, known in known_suffixes().items():
            if key.startswith(prefix) and key.removeprefix(prefix) not in known:
                problems.append(
                    f"{where}: key {key!r} names {key.removeprefix(prefix)!r}, which the "
                    f"vocabulary does not know (known after {prefix!r}: {', '.join(sorted(known))})"
                )
    # A label kept for one type (or outcome) is needed for every other: pages loop over them.
    for what, words in (("platform type", V.TYPE_CODES), ("outcome", V.OUTCOMES)):
        prefixes = {
            k.rsplit(".", 1)[0] for k in labels if "." in k and k.rsplit(".", 1)[1] in words
        }
        for prefix in sorted(prefixes):
            for w in words:
                if f"{prefix}.{w}" not in labels:
                    problems.append(
                        f"{where}: no label '{prefix}.{w}' ({what} {w}; the other {what}s "
                        f"have '{prefix}.…')"
                    )
    return problems


def glossary_words(labels: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """Each word that needs a glossary entry → the label its entry is named after."""
    book = cb.codebook()
    out = {}
    for t in V.TYPE_CODES:
        out[f"platform type {t}"] = labels.get(f"platform_type.{t}", {})
    for o in V.OUTCOMES:
        out[f"outcome {o}"] = labels.get(f"outcome.{o}", {})
    for p, column in V.PARTNERS.items():
        var = book.variable("platforms", column)
        out[f"partner {p}"] = {"ko": var.label_ko, "en": var.label_en}
    return out


def glossary_problems(
    entries: list[dict[str, str]],
    labels: dict[str, dict[str, str]],
    where: str = rel(GLOSSARY),
) -> list[str]:
    problems = []
    for word, words in glossary_words(labels).items():
        if not words:
            continue  # the missing label is reported by label_problems
        found = [
            e
            for e in entries
            if all(text_forms(e[f"term_{lang}"]) & text_forms(words[lang]) for lang in ("ko", "en"))
        ]
        if not found:
            problems.append(
                f"{where}: no entry for {word} (term_ko {words['ko']!r}, term_en {words['en']!r})"
            )
    for n, e in enumerate(entries, start=2):
        for column, text in e.items():
            for token in sorted(set(TYPE_TOKEN.findall(text)) - set(V.TYPE_CODES)):
                problems.append(
                    f"{where}: row {n}, column {column!r} names platform type {token!r}, "
                    "which the vocabulary does not know"
                )
    return problems


def text_problems(labels: dict[str, dict[str, str]], where: str = rel(paths.LABELS)) -> list[str]:
    """Type codes the vocabulary does not know, anywhere in the labels' text."""
    problems = []
    for key, words in labels.items():
        for lang, text in words.items():
            for token in sorted(set(TYPE_TOKEN.findall(text)) - set(V.TYPE_CODES)):
                problems.append(
                    f"{where}: {LANG_NAMES[lang]} label {key!r} names platform type {token!r}, "
                    "which the vocabulary does not know"
                )
    return problems


KO_NUMBERS = {"두": 2, "세": 3, "네": 4, "다섯": 5, "여섯": 6, "일곱": 7, "여덟": 8}
EN_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def counted_groups() -> dict[str, tuple[int, re.Pattern[str], re.Pattern[str]]]:
    """Group → (its size, how Korean and English text count it in words)."""
    ko, en = "|".join(KO_NUMBERS), "|".join(EN_NUMBERS)
    return {
        "platform types": (
            len(V.TYPE_CODES),
            re.compile(rf"(?<![가-힣])({ko}) (?:가지 )?유형"),
            re.compile(rf"\b({en}) (?:platform )?types\b", re.IGNORECASE),
        ),
        "outcomes": (
            len(V.OUTCOMES),
            re.compile(rf"(?<![가-힣])({ko}) (?:가지 )?성과"),
            re.compile(rf"\b({en}) (?:perceived )?outcomes\b", re.IGNORECASE),
        ),
    }


def count_problems(
    labels: dict[str, dict[str, str]], where: str = rel(paths.LABELS), what: str = "label {}"
) -> list[str]:
    """Labels (or ``what`` texts) that count the types or outcomes in words, with a number the
    vocabulary disagrees with ("세 유형" / "three types" once there is a fourth type)."""
    problems = []
    numbers = {"ko": KO_NUMBERS, "en": EN_NUMBERS}
    for group, (size, *patterns) in counted_groups().items():
        for key, words in labels.items():
            for lang, pattern in zip(("ko", "en"), patterns, strict=True):
                for match in pattern.finditer(words[lang]):
                    if numbers[lang][match.group(1).lower()] != size:
                        problems.append(
                            f"{where}: {LANG_NAMES[lang]} {what.format(repr(key))} says "
                            f"{match.group(0)!r}, "
                            f"but the vocabulary has {size} {group}"
                        )
    return problems


def codebook_problems(book: cb.Codebook, where: str = rel(paths.CODEBOOK)) -> list[str]:
    problems = []
    for table in ("platforms", "performance"):
        values = book.variable(table, "platform_type").values or ()
        for t in V.TYPE_CODES:
            if t not in values:
                problems.append(
                    f"{where}: {table}.platform_type does not allow platform type {t!r}"
                )
        for t in sorted(set(values) - set(V.TYPE_CODES)):
            problems.append(
                f"{where}: {table}.platform_type allows {t!r}, which the vocabulary does not know"
            )
    names = {v.name: v for v in book.table("performance")}
    for o, items in V.OUTCOME_ITEMS.items():
        if not items:
            problems.append(f"{where}: no Likert items for outcome {o!r}")
        for item in items:
            if item not in names or names[item].dtype != "likert":
                problems.append(f"{where}: outcome {o!r} has no Likert item {item!r}")
    for v in book.table("performance"):
        if v.dtype == "likert" and v.name not in V.ITEMS:
            problems.append(
                f"{where}: performance.{v.name} is a Likert item of no outcome; the outcomes' "
                f"item prefixes are {', '.join(f'{p}_' for p in V.OUTCOME_PREFIXES.values())}"
            )
    platforms = {v.name: v for v in book.table("platforms")}
    for p, column in V.PARTNERS.items():
        if column not in platforms or platforms[column].dtype != "binary":
            problems.append(f"{where}: partner {p!r} needs a binary column platforms.{column}")
    for v in book.variables:
        for field in ("label_ko", "label_en", "question_ko", "question_en", "allowed"):
            for token in sorted(set(TYPE_TOKEN.findall(getattr(v, field))) - set(V.TYPE_CODES)):
                problems.append(
                    f"{where}: {v.table}.{v.name}, column {field!r} names platform type "
                    f"{token!r}, which the vocabulary does not know"
                )
    return problems


def _table(params: dict, dotted: str):
    node = params
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def synthetic_problems(params: dict, where: str = rel(paths.SYNTHETIC_PARAMS)) -> list[str]:
    problems = []
    types = set(V.TYPE_CODES)

    def need(dotted: str, key: str, word: str) -> None:
        table = _table(params, dotted)
        if not isinstance(table, dict) or key not in table:
            problems.append(f"{where}: no entry {key!r} in [{dotted}] ({word})")

    def unknown(dotted: str, known: set[str], what: str, allowed: tuple[str, ...] = ()) -> None:
        table = _table(params, dotted)
        if isinstance(table, dict):
            for key in table:
                if key not in known and key not in allowed:
                    problems.append(
                        f"{where}: [{dotted}] names {what} {key!r}, which the vocabulary does "
                        "not know"
                    )

    for dotted in TYPE_TABLES:
        for t in V.TYPE_CODES:
            need(dotted, t, f"platform type {t}")
        extra = ("lg_sd",) if dotted == "platforms.partners" else ()
        unknown(dotted, types, "platform type", extra)
    unknown("effects", types, "platform type")
    for t in V.TYPE_CODES:
        for o in V.OUTCOMES:
            need(f"performance.intercept.{t}", o, f"outcome {o}")
        for p in V.PARTNERS:
            need(f"platforms.partners.{t}", p, f"partner {p}")
        unknown(f"performance.intercept.{t}", set(V.OUTCOMES), "outcome")
        unknown(f"platforms.partners.{t}", set(V.PARTNERS), "partner")
        unknown(f"effects.{t}", set(V.OUTCOMES), "outcome")
        for o in V.OUTCOMES:
            unknown(f"effects.{t}.{o}", set(synthetic.TERMS), "term")
    for p in V.PARTNERS:
        need("platforms.partners.lg_sd", p, f"partner {p}")
    unknown("platforms.partners.lg_sd", set(V.PARTNERS), "partner")
    unknown("performance.item_offset", set(V.ITEMS), "item")
    unknown("performance.missing", set(V.ITEMS), "item", ("default",))
    unknown("performance.controls", set(V.CONTROLS), "control")
    return problems


def registry_problems(registry: pd.DataFrame, where: str = rel(paths.REGISTRY)) -> list[str]:
    problems = []
    for column, words, what in (("level", V.LEVELS, "level"), ("kind", V.KINDS, "kind")):
        values = set(registry[column])
        for w in words:
            if w not in values:
                problems.append(f"{where}: no local government of {what} {w!r} (column {column})")
        for w in sorted(values - set(words)):
            problems.append(
                f"{where}: column {column} has {what} {w!r}, which the vocabulary does not know"
            )
    for c in V.CONTROL_SPECS:
        if c.column not in registry.columns:
            problems.append(f"{where}: no column {c.column!r} (control {c.term})")
        elif c.transform == "equals" and c.value not in set(registry[c.column]):
            problems.append(
                f"{where}: column {c.column} never has the value {c.value!r} (control {c.term})"
            )
    return problems


def _codebook(tmp_path, old: str, new: str) -> cb.Codebook:
    text = paths.CODEBOOK.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "codebook.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return cb.read_codebook(path)


# --- the repository's files know every word, and no other -----------------------------------


def test_labels_know_every_word_and_no_other():
    labels = read_labels()
    assert_none(label_problems(labels) + text_problems(labels) + count_problems(labels))


def test_glossary_has_an_entry_for_every_type_outcome_and_partner():
    entries = read_csv(GLOSSARY)
    definitions = {
        n: {"ko": e["definition_ko"], "en": e["definition_en"]}
        for n, e in enumerate(entries, start=2)
    }
    problems = glossary_problems(entries, read_labels()) + count_problems(
        definitions, where=rel(GLOSSARY), what="definition, row {},"
    )
    assert_none(problems)


def test_codebook_holds_every_type_outcome_and_partner():
    assert_none(codebook_problems(cb.codebook()))


def test_synthetic_parameters_cover_every_type_outcome_and_partner():
    params = read_params()
    assert_none(synthetic_problems(params))
    synthetic.check_params(params)  # and the process can run on them


def test_registry_holds_every_level_kind_and_control_column():
    assert_none(registry_problems(read_registry()))


# --- the checks name the file and the entry --------------------------------------------------


def test_a_missing_or_unknown_label_names_the_file_and_the_key():
    labels = read_labels()
    del labels["platform_type.C2G"]
    labels["desc.partner.ngo"] = {"ko": "시민단체", "en": "Civic groups"}
    labels["ui.note"] = {"ko": "Z2Z 유형", "en": "Z2Z type"}
    problems = label_problems(labels) + text_problems(labels)
    assert "data/labels.csv: no Korean label 'platform_type.C2G' (platform type C2G)" in problems
    assert "data/labels.csv: no English label 'platform_type.C2G' (platform type C2G)" in problems
    assert any(
        p.startswith("data/labels.csv: key 'desc.partner.ngo' names 'ngo'") for p in problems
    )
    assert any("label 'ui.note' names platform type 'Z2Z'" in p for p in problems)


def test_a_label_that_counts_the_types_wrongly_names_the_file_and_the_key():
    labels = read_labels()
    n = len(V.TYPE_CODES)
    ko = {v: k for k, v in KO_NUMBERS.items()}[n + 1]
    en = {v: k for k, v in EN_NUMBERS.items()}[n + 1]
    labels["ui.x"] = {"ko": f"{ko} 유형의 예", "en": f"Examples of the {en} types"}
    problems = [p for p in count_problems(labels) if "'ui.x'" in p]
    assert problems == [
        f"data/labels.csv: Korean label 'ui.x' says '{ko} 유형', but the vocabulary has {n} "
        "platform types",
        f"data/labels.csv: English label 'ui.x' says '{en} types', but the vocabulary has {n} "
        "platform types",
    ]


def test_a_missing_glossary_entry_names_the_file_and_the_word():
    entries = [e for e in read_csv(GLOSSARY) if e["term_en"] != "Efficiency"]
    entries.append({"term_ko": "X", "term_en": "X", "definition_ko": "Z2Z", "definition_en": "x"})
    problems = glossary_problems(entries, read_labels())
    assert (
        "data/glossary.csv: no entry for outcome efficiency "
        "(term_ko '효율성', term_en 'Efficiency')" in problems
    )
    assert any("column 'definition_ko' names platform type 'Z2Z'" in p for p in problems)


def test_a_codebook_without_a_type_names_the_file_and_the_type(tmp_path):
    types = "|".join(V.TYPE_CODES)
    book = _codebook(tmp_path, f",{types},", f",{types.replace('C2C', 'Z2Z')},")
    problems = codebook_problems(book)
    assert "data/codebook.csv: platforms.platform_type does not allow platform type 'C2C'" in (
        problems
    )
    assert any("platforms.platform_type allows 'Z2Z'" in p for p in problems)


def test_missing_or_unknown_synthetic_parameters_name_the_file_and_the_entry():
    params = copy.deepcopy(read_params())
    del params["counts"]["base_mean"]["C2C"]
    del params["platforms"]["partners"]["G2C"]["metro"]
    params["names"]["suffixes"]["Z2Z"] = ["창구"]
    params["performance"]["controls"]["age"] = 0.1
    problems = synthetic_problems(params)
    where = "data/synthetic_params.toml"
    assert f"{where}: no entry 'C2C' in [counts.base_mean] (platform type C2C)" in problems
    assert f"{where}: no entry 'metro' in [platforms.partners.G2C] (partner metro)" in problems
    assert any(
        p.startswith(f"{where}: [names.suffixes] names platform type 'Z2Z'") for p in problems
    )
    assert any(
        p.startswith(f"{where}: [performance.controls] names control 'age'") for p in problems
    )


def test_registry_problems_name_the_file_and_the_word():
    registry = read_registry()
    registry = registry[registry["kind"] != "gun"].drop(columns="region")
    problems = registry_problems(registry)
    where = "data/registry/local_governments.csv"
    assert f"{where}: no local government of kind 'gun' (column kind)" in problems
    assert f"{where}: no column 'region' (control capital_region)" in problems


# --- the vocabulary itself -------------------------------------------------------------------


def test_the_vocabulary_reads_the_codebook():
    book = cb.codebook()
    assert book.variable("platforms", "platform_type").values == V.TYPE_CODES
    assert V.TYPE_CODES[:3] == ("G2C", "C2G", "C2C")  # the study's types come first
    assert V.PARTNERS == {
        "central": "partner_central",
        "metro": "partner_metro",
        "private": "partner_private",
    }
    assert V.COLLABORATION == ("coop_central", "coop_metro", "coop_private")
    assert V.OUTCOME_ITEMS["service_quality"] == ("qual_1", "qual_2", "qual_3")
    assert cb.outcome_items() == {o: list(items) for o, items in V.OUTCOME_ITEMS.items()}
    assert tuple(i for items in V.OUTCOME_ITEMS.values() for i in items) == V.ITEMS
    assert min(len(items) for items in V.OUTCOME_ITEMS.values()) >= V.MIN_ITEMS


#: Module-level names that would declare a word of the vocabulary a second time.
WORDS = {
    "TYPE_CODES",
    "TYPES",
    "OUTCOMES",
    "ITEMS",
    "PARTNERS",
    "COLLABORATION",
    "CONTROLS",
    "ACTIVATION",
    "MAIN_ACTIVATION",
    "SHARES",
    "MIN_ITEMS",
    "LEVELS",
    "KINDS",
}
#: Not second declarations: the registry lists its kinds in the order of its own file (the
#: registry test ties them to the vocabulary's), and ``taxonomy.TYPES`` holds each type's
#: definition, keyed by the vocabulary's codes.
OWN_ORDER = {("inputs/registry.py", "KINDS"), ("analysis/taxonomy.py", "TYPES")}


def test_no_module_declares_a_word_of_the_vocabulary_again():
    package = paths.ROOT / "src" / "platformgov"
    found = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        if name == "vocabulary.py":
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            targets = (
                node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            )
            for target in targets:
                word = getattr(target, "id", None)
                if word in WORDS and (name, word) not in OWN_ORDER:
                    found.append(f"src/platformgov/{name}:{node.lineno} declares {word}")
    assert not found, "; ".join(found)
    assert set(synthetic.CONTROL_COVARIATES) <= set(V.CONTROLS)


def test_an_outcome_without_items_or_with_a_non_likert_item_is_a_codebook_error(tmp_path):
    text = paths.CODEBOOK.read_text(encoding="utf-8")
    path = tmp_path / "codebook.csv"
    path.write_text("\n".join(s for s in text.splitlines() if ",conv_" not in s) + "\n", "utf-8")
    with pytest.raises(cb.CodebookError, match=r"no performance items for convenience \(conv_\*\)"):
        V.outcome_items(cb.read_codebook(path))
    book = _codebook(tmp_path, "fit to needs,likert,", "fit to needs,integer,")
    with pytest.raises(cb.CodebookError, match=r"row \d+, column 'dtype'.*qual_2 must be a likert"):
        V.outcome_items(book)


def test_types_of_performance_must_repeat_those_of_platforms(tmp_path):
    types = "|".join(V.TYPE_CODES)
    swapped = "|".join(V.TYPE_CODES[1::-1] + V.TYPE_CODES[2:])
    book = _codebook(
        tmp_path,
        f"performance,platform_type,플랫폼 유형,Platform type,category,{types},",
        f"performance,platform_type,플랫폼 유형,Platform type,category,{swapped},",
    )
    with pytest.raises(cb.CodebookError, match=r"codebook.csv: row \d+, column 'allowed'.*differ"):
        V.type_codes(book)


def test_a_partner_column_must_be_binary(tmp_path):
    book = _codebook(
        tmp_path,
        "platforms,partner_private,민간 협력,Cooperation: private sector,binary,0|1,",
        "platforms,partner_private,민간 협력,Cooperation: private sector,integer,0..1,",
    )
    with pytest.raises(cb.CodebookError, match="partner column partner_private must be binary"):
        V.partners(book)


def test_a_control_is_one_entry_computed_from_its_registry_column():
    registry = pd.DataFrame(
        {"level": ["metro", "basic"], "population_2020": ["100", "1000"], "kind": [" gu", "si"]},
        index=["11", "11110"],
    )
    assert V.control("kind_gu").compute(registry).tolist() == [1, 0]
    assert V.control("level_metro").compute(registry).dtype == "int64"
    logpop = V.control("log_population").compute(registry)
    assert logpop.name == "log_population"
    assert logpop.tolist() == pytest.approx([4.60517, 6.907755])
    registry.loc["11110", "population_2020"] = "0"
    with pytest.raises(ValueError, match="population_2020 of zero or less for 11110"):
        V.control("log_population").compute(registry)
    with pytest.raises(KeyError, match="no control 'age'"):
        V.control("age")
    with pytest.raises(ValueError, match="unknown transform"):
        V.Control("x", "population_2020", "sqrt")
    with pytest.raises(ValueError, match="only by, the 'equals' transform"):
        V.Control("x", "kind", "equals")
    with pytest.raises(ValueError, match="only by, the 'equals' transform"):
        V.Control("x", "population_2020", "log", "100")
    assert tuple(dict.fromkeys(c.column for c in V.CONTROL_SPECS)) == V.CONTROL_COLUMNS


def test_analysis_and_inputs_know_no_language():
    package = paths.ROOT / "src" / "platformgov"
    imports_labels = re.compile(
        r"^\s*(from platformgov\.labels import|from platformgov import .*\blabels\b)", re.M
    )
    speaking = [
        path.relative_to(package).as_posix()
        for layer in ("analysis", "inputs")
        for path in sorted((package / layer).rglob("*.py"))
        if imports_labels.search(path.read_text(encoding="utf-8"))
    ]
    # The survey reader maps an answer written as its label (Korean or English) to its code.
    assert speaking == ["inputs/survey/checks.py"]
