"""Type-ahead search over candidate and committee names (and exact FEC ids), and over donors.

Names are compared folded (core.normalize.fold_name): accents dropped ("JULIÁN" reads "JULIAN"),
apostrophes dropped ("O'ROURKE" reads "OROURKE"), other punctuation read as a space ("SMITH, JOHN"
reads "SMITH JOHN"), case ignored. Real FEC names are UTF-8 and carry all of these.

Ranking, best first:
  0 exact: the whole name, or the id
  1 prefix: the name starts with the text ("smith j")
  2 word prefix: every word typed starts some word of the name, in any order ("smi jo")
  3 substring: every word typed appears somewhere in the name ("mith"), or in the name with its
    spaces taken out ("marykate" finds "MARY-KATE")
Within a tier the bigger fundraiser comes first, and a candidate before its own committee. A
candidate or committee appears once, as of its latest cycle.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db, links
from dashboard.app.queries import _donor_names
from dashboard.core.normalize import fold_name

MIN_LENGTH = 2
MAX_WORDS = 6
CAMPAIGN_DESIGNATIONS = ("P", "A")  # the candidate's own committees: results lead to the candidate

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
    "committee_type",
    "designation",
    "receipts",
    "tier",
    "path",
]

_SQL = """
WITH entities AS (
    SELECT 'candidate' AS kind, c.candidate_id AS id, c.name, c.party, c.office, c.state,
           c.district, c.cycle, c.candidate_id, NULL AS committee_type, NULL AS designation
    FROM candidates AS c
    QUALIFY row_number() OVER (PARTITION BY c.candidate_id ORDER BY c.cycle DESC) = 1
    UNION ALL
    SELECT 'committee', m.committee_id, m.name, m.party, c.office, c.state, c.district,
           m.cycle, m.candidate_id, m.committee_type, m.designation
    FROM committees AS m
    LEFT JOIN candidates AS c ON c.candidate_id = m.candidate_id AND c.cycle = m.cycle
    QUALIFY row_number() OVER (PARTITION BY m.committee_id ORDER BY m.cycle DESC) = 1
),
normalized AS (
    -- Folded at query time (core.normalize's fold_name): measured on 111k names (12x the demo's),
    -- it costs about 15 ms of the query's 75 ms, so a stored folded column is not worth a schema change.
    SELECT *, fold_name(name) AS norm
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
            WHEN list_bool_and(list_transform($words, lambda word:
                     contains(norm, word) OR contains(replace(norm, ' ', ''), word))) THEN 3
        END AS tier
    FROM normalized
)
SELECT s.kind, s.id, s.name, s.party, s.office, s.state, s.district, s.cycle, s.candidate_id,
       s.committee_type, s.designation, t.receipts, s.tier
FROM tiered AS s
LEFT JOIN candidate_totals AS t ON t.candidate_id = s.candidate_id AND t.cycle = s.cycle
WHERE s.tier IS NOT NULL
ORDER BY s.tier, t.receipts DESC NULLS LAST, s.kind, s.name, s.id
LIMIT $limit
"""


def normalize(text: str) -> str:
    """How names are compared (the SQL folds every name the same way): accents and apostrophes
    dropped, other punctuation to spaces, upper case, spaces collapsed."""
    return fold_name(text)


def search(text: str, limit: int = 10) -> pd.DataFrame:
    """Candidates and committees matching `text`, ranked; `path` is where a result leads (a
    candidate's own campaign committee leads to the candidate; a leadership PAC or joint
    fundraiser filed under a candidate's name leads to its own page, which names the candidate)."""
    norm = normalize(text)
    if len(norm) < MIN_LENGTH:
        return pd.DataFrame(columns=COLUMNS)
    words = norm.split()[:MAX_WORDS]
    # Named parameters because the text and words are used more than once; still bound, never
    # pasted into the SQL.
    frame = db.query(_SQL, {"text": norm, "words": words, "limit": limit})
    frame["path"] = [
        _result_path(kind, id_, cand, cycle, designation)
        for kind, id_, cand, cycle, designation in zip(
            frame["kind"], frame["id"], frame["candidate_id"], frame["cycle"], frame["designation"]
        )
    ]
    return frame[COLUMNS]


def _result_path(kind: str, id_: str, candidate_id, cycle, designation) -> str:
    if kind == "candidate":
        return links.candidate_path(id_, int(cycle))
    if isinstance(candidate_id, str) and candidate_id and designation in CAMPAIGN_DESIGNATIONS:
        return links.candidate_path(candidate_id, int(cycle))
    return links.committee_path(id_, int(cycle))


DONOR_COLUMNS = ["donor_key", "name", "city", "state", "zip5", "amount", "gifts", "cycles", "path"]


def donors(text: str, limit: int = 5) -> pd.DataFrame:
    """Itemized donors whose names have a word beginning with every word typed ("jo smi" finds SMITH,
    JOHN), across every cycle, the biggest givers first: donor_key, name, city, state, zip5 as of the
    latest cycle, amount (net of refunds) and gifts over all cycles, cycles (list), path (the donor page)."""
    words = normalize(text).split()[:MAX_WORDS]
    if len(normalize(text)) < MIN_LENGTH or not words:
        return pd.DataFrame(columns=DONOR_COLUMNS)
    matching, values = _donor_names.donors_with_words(words)
    frame = db.query(
        f"""SELECT donor_key, arg_max(name, cycle) AS name, arg_max(city, cycle) AS city,
                   arg_max(state, cycle) AS state, arg_max(zip5, cycle) AS zip5, sum(amount) AS amount,
                   sum(gifts) AS gifts, list(cycle ORDER BY cycle) AS cycles
            FROM donors WHERE donor_key IN ({matching})
            GROUP BY donor_key ORDER BY amount DESC, donor_key LIMIT ?""",
        values + [limit],
    )
    frame["path"] = [links.donor_url(key) for key in frame["donor_key"]]
    return frame[DONOR_COLUMNS]
