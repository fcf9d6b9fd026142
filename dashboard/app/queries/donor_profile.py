"""One donor: who they are, what they gave to whom in every cycle and election, the gifts that pass the
per-election limit, the spellings merged under their key and the donors that look alike but were not merged.

A donor is a donor_key (normalized name + '|' + ZIP5, dashboard.core.normalize.DONOR_KEY_RULE). The summary,
variants and near-misses read the `donors` extract (one row per donor and cycle, sorted by donor_key); gifts
and the totals per recipient and election read the receipts sorted by donor of the search index
(`receipts_donor_order`, dashboard/pipeline/builder/search_index.py: one donor's rows are a few row groups),
net of refunds: a refund is a negative row.
Every query takes a key validated by dashboard.core.params.donor_key.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.core import fec

# Near-misses: a name is compared by its surname and first given name; the words after those (a middle name
# or initial, a suffix the rule keeps) are what may differ. ('SMITH, JOHN Q' -> 'SMITH, JOHN'.)
NAME_BASE_PATTERN = "^([^,]+, [^ ]+) .+$"
NEAR_MISS_RULE = (
    "Not merged, shown for checking: donors of the same normalized name in another ZIP code, and donors in "
    "the same ZIP code whose name differs only after the first given name (a middle initial or name, an extra "
    "word), e.g. 'SMITH, JOHN' and 'SMITH, JOHN Q'. They may be the same person; the rule keeps them apart."
)
NEAR_MISS_OTHER_ZIP = "Same name, other ZIP code"
NEAR_MISS_MIDDLE = "Same ZIP code, middle name or initial differs"

# The per-election limit of each cycle as a SQL table (our own constants, whole dollars).
_LIMITS = ", ".join(f"({int(cycle)}, {int(limit)})" for cycle, limit in fec.INDIVIDUAL_LIMIT_PER_ELECTION.items())

# The cycle whose limit applies to an election: the year in the election code ('G2024' -> 2024; an odd-year
# special election takes the cycle it falls in), else the cycle the gift was filed in (a bare letter, none).
_ELECTION_CYCLE = """CASE WHEN regexp_full_match(r.election_type, '[A-Z][0-9]{4}')
    THEN CAST(substr(r.election_type, 2, 4) AS INTEGER) + CAST(substr(r.election_type, 2, 4) AS INTEGER) % 2
    ELSE r.cycle END"""


def donor_summary(donor_key: str) -> pd.DataFrame:
    """The donor across all cycles (first row, `cycle` empty) and per cycle, newest first: name (the spelling
    filed most often), place, employer and occupation (the latest cycle's, i.e. its latest gift's), amount (net
    of refunds), gifts, refunds, recipients (distinct candidates), first_date, last_date. Empty for an unknown
    key."""
    return db.query(
        """
        WITH cycles AS (
            SELECT cycle, name, city, state, zip5, employer, occupation, amount, gifts, refunds, recipients,
                   first_date, last_date
            FROM donors WHERE donor_key = ?
        )
        SELECT * FROM (
            SELECT NULL::INTEGER AS cycle, arg_max(name, cycle) AS name, arg_max(city, cycle) AS city,
                   arg_max(state, cycle) AS state, arg_max(zip5, cycle) AS zip5,
                   arg_max(employer, cycle) AS employer, arg_max(occupation, cycle) AS occupation,
                   sum(amount) AS amount, CAST(sum(gifts) AS BIGINT) AS gifts,
                   CAST(sum(refunds) AS BIGINT) AS refunds,
                   (SELECT count(DISTINCT coalesce(candidate_id, committee_id)) FROM receipts_donor_order WHERE donor_key = ?)
                       AS recipients,
                   min(first_date) AS first_date, max(last_date) AS last_date
            FROM cycles HAVING count(*) > 0
            UNION ALL
            SELECT * FROM cycles
        )
        ORDER BY cycle IS NOT NULL, cycle DESC
        """,
        [donor_key, donor_key],
    )


def donor_gifts(donor_key: str) -> pd.DataFrame:
    """Every itemized row of the donor across cycles and recipients, newest first: the recipient candidate and
    committee (ids and names), the conduit an earmarked gift went through (id and name), the election it is
    for (election_type as filed, election_label in words), amount (a refund is negative), the name and place
    as filed, and the filing's image number."""
    return db.query(
        """
        WITH gifts AS (SELECT * FROM receipts_donor_order WHERE donor_key = ?)
        SELECT r.date, r.amount, r.receipt_type, r.election_type, r.candidate_id, c.name AS candidate_name,
               r.committee_id, m.name AS committee_name, r.is_earmarked, r.conduit_committee_id,
               k.name AS conduit_name, r.contributor_name, r.city, r.state, r.zip5, r.employer, r.occupation,
               r.aggregate_ytd, r.image_number, r.sub_id, r.cycle
        FROM gifts r
        LEFT JOIN candidates c ON c.candidate_id = r.candidate_id AND c.cycle = r.cycle
        LEFT JOIN committees m ON m.committee_id = r.committee_id AND m.cycle = r.cycle
        LEFT JOIN (SELECT committee_id, arg_max(name, cycle) AS name FROM committees GROUP BY ALL) k
               ON k.committee_id = r.conduit_committee_id
        ORDER BY r.date DESC NULLS LAST, r.sub_id DESC
        """,
        [donor_key],
    ).assign(election_label=lambda f: [fec.election_label(e) for e in f["election_type"]])


def donor_by_recipient(donor_key: str) -> pd.DataFrame:
    """Per recipient candidate and cycle, newest cycle first and the biggest first: the candidate's name,
    party, office, state and district, amount (net of refunds), gifts, refunds, first_date, last_date."""
    return db.query(
        """
        WITH gifts AS (SELECT * FROM receipts_donor_order WHERE donor_key = ?)
        SELECT r.candidate_id, any_value(c.name) AS candidate_name, any_value(c.party) AS party,
               any_value(c.office) AS office, any_value(c.state) AS candidate_state,
               any_value(c.district) AS district, r.cycle, sum(r.amount) AS amount,
               count(*) FILTER (WHERE r.amount > 0) AS gifts, count(*) FILTER (WHERE r.amount < 0) AS refunds,
               min(r.date) AS first_date, max(r.date) AS last_date
        FROM gifts r LEFT JOIN candidates c ON c.candidate_id = r.candidate_id AND c.cycle = r.cycle
        GROUP BY r.candidate_id, r.cycle
        ORDER BY r.cycle DESC, amount DESC, r.candidate_id
        """,
        [donor_key],
    )


def donor_by_election(donor_key: str) -> pd.DataFrame:
    """Per recipient candidate and election (election_type as filed: 'P2024', 'G2024', ...; empty when the
    filing does not say, then per cycle): amount (net of refunds), gifts, refunds, the per-election limit of
    the election's cycle (`limit`, empty for a cycle without a recorded limit), over_limit and excess
    (amount - limit when over). election_label says the election in words ('Election not stated')."""
    return db.query(
        f"""
        WITH gifts AS (SELECT *, {_ELECTION_CYCLE} AS election_cycle FROM receipts_donor_order r WHERE donor_key = ?),
        limits(election_cycle, limit_amount) AS (VALUES {_LIMITS}),
        per_election AS (
            SELECT candidate_id, election_type, election_cycle, sum(amount) AS amount,
                   count(*) FILTER (WHERE amount > 0) AS gifts, count(*) FILTER (WHERE amount < 0) AS refunds,
                   min(date) AS first_date, max(date) AS last_date
            FROM gifts GROUP BY ALL
        )
        SELECT e.candidate_id,
               (SELECT arg_max(name, cycle) FROM candidates c WHERE c.candidate_id = e.candidate_id)
                   AS candidate_name,
               e.election_type, e.election_cycle AS cycle, e.amount, e.gifts, e.refunds, e.first_date,
               e.last_date, l.limit_amount AS "limit", coalesce(e.amount > l.limit_amount, false) AS over_limit,
               CASE WHEN e.amount > l.limit_amount THEN e.amount - l.limit_amount END AS excess
        FROM per_election e LEFT JOIN limits l USING (election_cycle)
        ORDER BY e.election_cycle DESC, e.candidate_id, e.election_type NULLS LAST
        """,
        [donor_key],
    ).assign(election_label=lambda f: [fec.election_label(e) for e in f["election_type"]])


def limit_flags(donor_key: str) -> pd.DataFrame:
    """The rows of donor_by_election whose net total to one candidate for one election passes the FEC's
    per-election limit for individuals of that cycle (core.fec.INDIVIDUAL_LIMIT_PER_ELECTION), biggest excess
    first. Read with core.fec.LIMIT_CAVEATS: a flag is a question to ask, not a finding."""
    by_election = donor_by_election(donor_key)
    flagged = by_election[by_election["over_limit"]]
    return flagged.sort_values(["excess", "candidate_id"], ascending=[False, True]).reset_index(drop=True)


def donor_variants(donor_key: str) -> pd.DataFrame:
    """Every raw spelling of the name merged under the key (variant), with the cycles it was filed in."""
    return db.query(
        """
        SELECT variant, list(DISTINCT cycle ORDER BY cycle) AS cycles
        FROM (SELECT unnest(variants) AS variant, cycle FROM donors WHERE donor_key = ?)
        GROUP BY variant ORDER BY variant
        """,
        [donor_key],
    )


def donor_near_misses(donor_key: str) -> pd.DataFrame:
    """Donors not merged with this one (NEAR_MISS_RULE): the same normalized name in another ZIP code, and in
    the same ZIP code a name equal up to the first given name. One row per donor over all cycles: donor_key,
    name, city, state, zip5, amount, gifts, cycles, reason. Both kinds start with the same surname and given
    name, so one range of the sorted donor_key column holds them all."""
    return db.query(
        f"""
        WITH this AS (
            SELECT any_value(name_key) AS name_key, any_value(zip5) AS zip5,
                   regexp_replace(any_value(name_key), '{NAME_BASE_PATTERN}', '\\1') AS base
            FROM donors WHERE donor_key = ?
        ), nearby AS (
            SELECT d.*, regexp_replace(d.name_key, '{NAME_BASE_PATTERN}', '\\1') AS base
            FROM donors d, this t
            WHERE d.donor_key >= t.base AND d.donor_key < t.base || '~' AND d.donor_key <> ?
        )
        SELECT n.donor_key, arg_max(n.name, n.cycle) AS name, arg_max(n.city, n.cycle) AS city,
               arg_max(n.state, n.cycle) AS state, any_value(n.zip5) AS zip5, sum(n.amount) AS amount,
               CAST(sum(n.gifts) AS BIGINT) AS gifts, list(n.cycle ORDER BY n.cycle) AS cycles,
               CASE WHEN any_value(n.name_key) = any_value(t.name_key) THEN '{NEAR_MISS_OTHER_ZIP}'
                    ELSE '{NEAR_MISS_MIDDLE}' END AS reason
        FROM nearby n, this t
        WHERE (n.name_key = t.name_key AND n.zip5 IS DISTINCT FROM t.zip5)
           OR (n.zip5 = t.zip5 AND n.base = t.base AND n.name_key <> t.name_key)
        GROUP BY n.donor_key
        ORDER BY reason DESC, amount DESC, n.donor_key
        """,
        [donor_key, donor_key],
    )
