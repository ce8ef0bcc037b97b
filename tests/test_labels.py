import csv

import pytest

from platformgov import labels
from platformgov.paths import CODEBOOK
from platformgov.vocabulary import TYPE_CODES


def test_every_label_has_both_languages():
    for key, entry in labels.table().items():
        assert entry["ko"].strip(), f"{key} has no Korean label"
        assert entry["en"].strip(), f"{key} has no English label"


def test_every_category_value_in_the_codebook_has_labels():
    with CODEBOOK.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["dtype"] in {"category", "binary", "likert"}:
            group = {"binary": "binary", "likert": "likert"}.get(row["dtype"], row["variable"])
            if row["dtype"] == "likert":
                lo, hi = (int(x) for x in row["allowed"].split(".."))
                values = [str(v) for v in range(lo, hi + 1)]
            else:
                values = row["allowed"].split("|")
            for value in values:
                for lang in labels.LANGS:
                    assert labels.value_label(group, value, lang)


def test_unknown_key_and_language_are_errors():
    with pytest.raises(KeyError, match=r"no label for 'platform_type\.XYZ'"):
        labels.label("platform_type.XYZ", "ko")
    with pytest.raises(ValueError, match="language must be one of"):
        labels.label("platform_type.G2C", "de")


def test_value_labels_keep_table_order():
    types = labels.value_labels("platform_type", "en")
    assert list(types) == list(TYPE_CODES)
    assert all(code in text for code, text in types.items())
