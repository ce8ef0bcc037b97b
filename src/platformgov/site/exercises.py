"""Exercises and their solutions, written with sphinx-exercise.

A chapter writes an exercise as ``{exercise}`` with a title and a ``:label:``; the site numbers
it per chapter ("연습 3.1", "Exercise 3.1": the words are sphinx-exercise's, in the edition's
language, ``locale/ko/LC_MESSAGES/exercise.po`` filling what its own Korean lacks). Its solution
follows it between ``{solution-start} <label>`` (with ``:class: dropdown``) and
``{solution-end}``: its prose and its code cells fold into one block that one click opens.
The students' notebooks leave the solutions out (:mod:`platformgov.site.notebooks`).

sphinx-exercise gives the body of every exercise and solution the same id
(``exercise-content``, ``solution-content``); a page then repeats an id, which HTML forbids.
Each body here takes its block's id followed by ``-content``.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

SHARED_IDS = {"exercise-content", "solution-content"}


def unique_body_ids(app: Sphinx, doctree: nodes.document) -> None:
    for section in doctree.findall(nodes.section):
        if set(section["ids"]) & SHARED_IDS and section.parent is not None:
            owner = section.parent["ids"]
            section["ids"] = [f"{owner[0]}-content"] if owner else []


def setup(app: Sphinx) -> None:
    app.connect("doctree-read", unique_body_ids)
