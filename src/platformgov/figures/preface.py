"""Figure for the preface: how many questionnaire variables each survey table holds."""

from __future__ import annotations

import csv
from collections import Counter

import matplotlib.pyplot as plt
import seaborn as sns

from platformgov.labels import label
from platformgov.paths import CODEBOOK


def variables_per_table(lang: str):
    with CODEBOOK.open(encoding="utf-8") as fh:
        counts = Counter(row["table"] for row in csv.DictReader(fh))
    tables = list(counts)
    fig, ax = plt.subplots(figsize=(6, 2.4))
    sns.barplot(x=[counts[t] for t in tables], y=[label(f"table.{t}", lang) for t in tables], ax=ax)
    ax.set_xlabel(label("ui.variables", lang))
    ax.set_ylabel("")
    fig.tight_layout()
    return ax
