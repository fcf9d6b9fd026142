"""How names, employers and occupations are normalized: the one place that decides it.

The rules are DuckDB SQL macros so that the builder applies them to hundreds of millions of rows
inside the database; `install(con)` defines them on a connection, and `normalize_value` runs one
of them on a single value for tests and the methodology page's examples.

Rules (also shown to users on the data page):
- text is upper-cased, punctuation other than '&', '-' and ',' becomes a space, runs of spaces
  collapse, and the ends are trimmed;
- donor key = normalized name (titles like MR/DR and suffixes like JR dropped) + '|' + the first
  five digits of the ZIP code: the same name in another ZIP is another donor;
- employer and occupation: 'N/A', 'NA', 'NONE', 'INFORMATION REQUESTED' (with any 'PER BEST
  EFFORTS' tail), 'REQUESTED', blank and similar mean *not reported* (NULL); every spelling of
  self-employment becomes 'SELF-EMPLOYED'; 'UNEMPLOYED' and 'NOT EMPLOYED' become 'NOT EMPLOYED'.
"""

from __future__ import annotations

import functools
import os
import re
import threading
import unicodedata

import duckdb

from dashboard.core.sql import literal_list, quote_literal

NOT_REPORTED = (
    "",
    "N/A",
    "NA",
    "N A",
    "NONE",
    "NULL",
    "INFORMATION REQUESTED",
    "INFORMATION REQUESTED PER BEST EFFORTS",
    "REQUESTED",
    "REQUESTED INFORMATION",
    "INFO REQUESTED",
    "NOT PROVIDED",
    "UNKNOWN",
    "-",
)
SELF_EMPLOYED = (
    "SELF",
    "SELF EMPLOYED",
    "SELF-EMPLOYED",
    "SELFEMPLOYED",
    "SELF EMPLOYED ",
    "SELF - EMPLOYED",
    "SELF-EMPLOYED/OWNER",
    "SELF EMP",
    "SELF-EMP",
)
NOT_EMPLOYED = ("NOT EMPLOYED", "UNEMPLOYED", "NOT CURRENTLY EMPLOYED", "NONE EMPLOYED")
NAME_NOISE = ("MR", "MRS", "MS", "DR", "JR", "SR", "II", "III", "IV", "ESQ", "MD", "PHD")

# The rules in plain words, for the pages that show grouped donors, employers and occupations.
# Built from the lists above so the words cannot drift from what the macros do.
DONOR_KEY_RULE = (
    "Contributions are grouped into one donor when the contributor's name and the first five "
    "digits of the ZIP code match, after upper-casing, dropping punctuation other than '&', '-' "
    "and ',', and dropping titles and suffixes (" + ", ".join(NAME_NOISE) + "). The same name "
    "in another ZIP code is another donor; a donor who moved, or who spells their name two ways, "
    "appears twice. An address abroad has no US ZIP code, so donors abroad of the same name are one."
)
JOB_RULE = (
    "Employers and occupations are upper-cased and stripped of punctuation; "
    + ", ".join(f"'{v}'" for v in NOT_REPORTED if v.strip() and v != "-")
    + " and blanks count as not reported; every spelling of self-employment (e.g. "
    + ", ".join(f"'{v}'" for v in SELF_EMPLOYED[:4])
    + ") becomes 'SELF-EMPLOYED', and 'UNEMPLOYED' becomes 'NOT EMPLOYED'. "
    "The spellings merged into each row are listed next to it."
)

# How a typed name and a filed name are compared by the search box and the receipts explorer's name
# filter (fold_name, the macro and the function): accents dropped ('JULIÁN' reads 'JULIAN'),
# apostrophes dropped ("O'ROURKE" reads 'OROURKE', typed with or without), other punctuation read
# as a space, upper case, spaces collapsed. Upper-casing comes last, on ASCII only, so 'ß' cannot
# become 'SS' on one side and not the other. Apostrophes are the straight and the curly one (what
# filers type); rarer marks count as punctuation.
APOSTROPHES = ("'", "\u2019")
APOSTROPHE_CLASS = "[" + "".join(APOSTROPHES) + "]"


def fold_name(text: str | None) -> str:
    """fold_name in Python: what a typed name is compared as (DuckDB's strip_accents is NFD with the
    combining marks taken out, as here)."""
    decomposed = unicodedata.normalize("NFD", text or "")
    plain = re.sub(APOSTROPHE_CLASS, "", "".join(c for c in decomposed if not unicodedata.combining(c)))
    return " ".join(re.sub(r"[^A-Za-z0-9]+", " ", plain).upper().split())


MACROS = f"""
CREATE OR REPLACE MACRO norm_text(s) AS
    nullif(trim(regexp_replace(regexp_replace(replace(upper(coalesce(s, '')), '''', ''),
                                              '[^A-Z0-9&,\\- ]', ' ', 'g'), '\\s+', ' ', 'g')), '');
CREATE OR REPLACE MACRO _drop_name_noise(s) AS
    regexp_replace(s, ' ({"|".join(NAME_NOISE)}) ', ' ', 'g');
CREATE OR REPLACE MACRO norm_name_key(s) AS
    nullif(trim(replace(regexp_replace(
        _drop_name_noise(_drop_name_noise(' ' || replace(coalesce(norm_text(s), ''), ',', ' , ') || ' ')),
        '\\s+', ' ', 'g'), ' , ', ', ')), '');
CREATE OR REPLACE MACRO zip5(z) AS
    CASE WHEN regexp_matches(coalesce(z, ''), '^[0-9]{{5}}') THEN left(z, 5) END;
CREATE OR REPLACE MACRO donor_key(name, zip) AS
    coalesce(norm_name_key(name), '?') || '|' || coalesce(zip5(zip), '?');
CREATE OR REPLACE MACRO fold_name(s) AS
    trim(upper(regexp_replace(regexp_replace(strip_accents(coalesce(s, '')), {quote_literal(APOSTROPHE_CLASS)}, '', 'g'),
                              '[^A-Za-z0-9]+', ' ', 'g')));
CREATE OR REPLACE MACRO norm_job(s) AS
    CASE
        WHEN norm_text(s) IS NULL THEN NULL
        WHEN norm_text(s) IN ({literal_list(NOT_REPORTED)})
             OR starts_with(norm_text(s), 'INFORMATION REQUESTED') THEN NULL
        WHEN norm_text(s) IN ({literal_list(SELF_EMPLOYED)})
             OR regexp_matches(norm_text(s), '^SELF[- ]?EMPLOY') THEN 'SELF-EMPLOYED'
        WHEN norm_text(s) IN ({literal_list(NOT_EMPLOYED)}) THEN 'NOT EMPLOYED'
        ELSE norm_text(s)
    END;
"""


def install(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


_ONE_VALUE = threading.Lock()
_connection: tuple[int, duckdb.DuckDBPyConnection] | None = None  # (pid, connection)


@functools.lru_cache(maxsize=4096)
def normalize_value(macro: str, *args):
    """Run one normalization macro on plain Python values (the receipts filters, tests).

    The receipts explorer calls this for every query with an employer or occupation filter, so
    the macros live on one connection per process (opened after a fork, used under a lock) and
    answers are cached, instead of a new database per call (15 ms each)."""
    global _connection
    if macro not in ("norm_text", "norm_name_key", "zip5", "donor_key", "norm_job", "fold_name"):
        raise ValueError(f"unknown normalization {macro!r}")
    placeholders = ", ".join("?" for _ in args)
    with _ONE_VALUE:
        if _connection is None or _connection[0] != os.getpid():
            con = duckdb.connect()
            install(con)
            _connection = (os.getpid(), con)
        return _connection[1].execute(f"SELECT {macro}({placeholders})", list(args)).fetchall()[0][0]
