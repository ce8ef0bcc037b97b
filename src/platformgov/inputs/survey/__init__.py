"""Read and validate the survey files against the codebook, and the ``validate`` command.

``load_survey(source)`` reads the three survey tables — ``platforms``, ``performance``,
``organisations`` — from a folder (``<table>.csv`` or ``<table>.xlsx``), from one XLSX workbook
with sheets of those names, or from single table files, and returns a ``Survey``: one DataFrame
per table holding the rows that passed every check, plus a ``ValidationReport`` that accounts
for every row read (read = accepted + rejected), every error and every normalised value.

Everything is read as text and converted column by column as the codebook says; nothing is
coerced silently. Only unambiguous repairs are made, and each is recorded in the report:

- the encoding (UTF-8, UTF-8 with a byte-order mark, or CP949) and the byte-order mark;
- leading and trailing whitespace;
- in id, code, category and number fields: full-width and other compatibility characters
  (Unicode NFKC, e.g. ``３`` → ``3``), invisible zero-width characters, and a spreadsheet's
  trailing ``.0`` on a whole number (``11110.0`` → ``11110``);
- leading zeros or a plus sign on a number (``03`` → ``3``), and a tab or line break inside a
  value (replaced by a space);
- local-government names and post-2022 codes, mapped to the 2022 code by
  ``registry.resolve_lg``;
- column names: whitespace, width and letter case (``LG_Code`` → ``lg_code``);
- blank rows, which are skipped.

Decisions (see also ``data/README.md``):

- A column the codebook does not define is a *warning*: the column is ignored and reported.
  A missing *required* column is an error that rejects every row of the file; a missing
  optional column is a warning and its values are missing.
- An empty file and a file with a header but no data rows are errors.
- A CSV line that cannot be parsed (a stray or unclosed quote) is rejected alone; reading goes on
  with the next line, so every line is counted in exactly one row. A formula cell without a
  saved value, and a value holding a control character, are errors.
- Files are streamed row by row; a worksheet is read to its last row holding a value, whatever
  size it declares; an SPSS or Stata file is read in chunks of cases. A file read through a
  mapping is read once per table, each row reshaped into long rows and checked as it comes.
- Memory does not grow with the rows rejected: a rejected row is counted and its errors reported
  as it is read, and only the accepted rows are kept. The report counts every error, warning and
  normalisation exactly, keeps the first ``report.KEPT`` of each rule (or reason) per file in
  memory, and writes the rest to a file on disk, from which the full report lists them all.
- A duplicated key is found with the first row of each key: a later row names the first, and
  the first row, reported when the table has been read, names up to five of the later ones.
- Rows whose key is duplicated (``platform_id``; ``lg_code`` × ``platform_type`` in
  ``performance``; ``lg_code`` in ``organisations``) are all rejected: the file does not say
  which of them is right.
- Cross-table rules are checked against the *accepted* rows of the other table, so that the
  returned tables are consistent with one another. A table that could not be read, or was not
  supplied, is left out of those checks and the report says so.
- A performance row needs a platform of its type in ``platforms``, whatever its status.
"""

from platformgov.inputs.survey.load import load_survey, validate
from platformgov.inputs.survey.report import SUMMARY_COUNTS, Survey, SurveyError, ValidationReport
from platformgov.inputs.survey.rules import KEYS, RULES

__all__ = [
    "KEYS",
    "RULES",
    "SUMMARY_COUNTS",
    "Survey",
    "SurveyError",
    "ValidationReport",
    "load_survey",
    "validate",
]
