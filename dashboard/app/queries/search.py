"""Type-ahead search over candidate and committee names (and exact FEC ids).

Ranking, best first, case-insensitive, punctuation ignored ("SMITH, JOHN" reads "SMITH JOHN"):
  0 exact: the whole name, or the id
  1 prefix: the name starts with the text ("smith j")
  2 word prefix: every word typed starts some word of the name, in any order ("smi jo")
  3 substring: every word typed appears somewhere in the name ("mith")
Within a tier the bigger fundraiser comes first, and a candidate before its own committee. A
candidate or committee appears once, as of its latest cycle.
"""

from __future__ import annotations

import re

import pandas as pd

from dashboard.app import db, links

MIN_LENGTH = 2
MAX_WORDS = 6

COLUMNS = [
    "kind",
    "id",
    "name",
    "party",
    "office",
    "state",
    "district",
    "cycle",
    "candidate_id",
    "receipts",
    "tier",
    "path",
]

_SQL = """
WITH entities AS (
    SELECT 'candidate' AS kind, c.candidate_id AS id, c.name, c.party, c.office, c.state,
           c.district, c.cycle, c.candidate_id
    FROM candidates AS c
    QUALIFY row_number() OVER (PARTITION BY c.candidate_id ORDER BY c.cycle DESC) = 1
    UNION ALL
    SELECT 'committee', m.committee_id, m.name, m.party, c.office, c.state, c.district,
           m.cycle, m.candidate_id
    FROM committees AS m
    LEFT JOIN candidates AS c ON c.candidate_id = m.candidate_id AND c.cycle = m.cycle
    QUALIFY row_number() OVER (PARTITION BY m.committee_id ORDER BY m.cycle DESC) = 1
),
normalized AS (
    SELECT *, trim(regexp_replace(upper(coalesce(name, '')), '[^A-Z0-9]+', ' ', 'g')) AS norm
    FROM entities
),
tiered AS (
    SELECT *,
        CASE
            WHEN id = $text OR norm = $text THEN 0
            WHEN starts_with(norm, $text) THEN 1
            WHEN list_bool_and(list_transform($words, lambda word:
                     list_bool_or(list_transform(string_split(norm, ' '),
                                                 lambda part: starts_with(part, word))))) THEN 2
            WHEN list_bool_and(list_transform($words, lambda word: contains(norm, word))) THEN 3
        END AS tier
    FROM normalized
)
SELECT s.kind, s.id, s.name, s.party, s.office, s.state, s.district, s.cycle, s.candidate_id,
       t.receipts, s.tier
FROM tiered AS s
LEFT JOIN candidate_totals AS t ON t.candidate_id = s.candidate_id AND t.cycle = s.cycle
WHERE s.tier IS NOT NULL
ORDER BY s.tier, t.receipts DESC NULLS LAST, s.kind, s.name, s.id
LIMIT $limit
"""


def normalize(text: str) -> str:
    """Upper case, punctuation to spaces, spaces collapsed: how names are compared."""
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", (text or "").upper()).split())


def search(text: str, limit: int = 10) -> pd.DataFrame:
    """Candidates and committees matching `text`, ranked; `path` is where a result leads (a
    committee of a candidate leads to the candidate)."""
    norm = normalize(text)
    if len(norm) < MIN_LENGTH:
        return pd.DataFrame(columns=COLUMNS)
    words = norm.split()[:MAX_WORDS]
    # Named parameters because the text and words are used more than once; still bound, never
    # pasted into the SQL.
    frame = db.query(_SQL, {"text": norm, "words": words, "limit": limit})
    frame["path"] = [
        _result_path(kind, id_, cand, cycle)
        for kind, id_, cand, cycle in zip(frame["kind"], frame["id"], frame["candidate_id"], frame["cycle"])
    ]
    return frame[COLUMNS]


def _result_path(kind: str, id_: str, candidate_id, cycle) -> str:
    if kind == "candidate":
        return links.candidate_path(id_, int(cycle))
    if isinstance(candidate_id, str) and candidate_id:
        return links.candidate_path(candidate_id, int(cycle))
    return links.committee_path(id_, int(cycle))
