"""Unique itemized donors: how many a candidate or a race has, how many gave more than once, how many
are new each week (per candidate and per race), and the donors two candidates or two committees share
("gave to both").

A donor is a donor_key (normalized name + ZIP5, dashboard.core.normalize), so one person filing under
two spellings or two ZIP codes counts twice, and two people of the same name in one ZIP count once.
Donors are counted over gifts only (amount > 0 in `receipts`): a refund (22Y) is no gift.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._race import WEEK_GRID, race_members

# Shown with every list of named donors and in its CSV: the FEC's own condition on their use.
DONOR_LIST_NOTICE = (
    "Contributors' names and addresses may not be sold or used to solicit contributions or for "
    "commercial purposes (52 U.S.C. 30111(a)(4))."
)


def candidate_donor_counts(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row (empty without itemized gifts): the candidate's unique itemized donors in the cycle,
    those who gave two or more times (repeat_donors) and those who gave once."""
    return db.query(
        """
        SELECT unique_donors, repeat_donors, one_time_donors
        FROM candidate_donor_counts WHERE candidate_id = ? AND cycle = ?
        """,
        [candidate_id, cycle],
    )


def candidate_new_donors_weekly(candidate_id: str, cycle: int) -> pd.DataFrame:
    """Per week (starting Monday) in which someone first gave to the candidate: new_donors that week
    and donors_to_date. Weeks without a new donor are absent; undated gifts are in no week."""
    return db.query(
        """
        SELECT week, new_donors, donors_to_date
        FROM agg_candidate_donor_weeks WHERE candidate_id = ? AND cycle = ?
        ORDER BY week
        """,
        [candidate_id, cycle],
    )


# What a pair of recipients is: a candidate (the gifts to all its counted committees) or one committee,
# and where its gifts read fastest: a candidate's from the search index's receipts sorted by candidate (at 40M
# rows a pair's shared donors were counted in 4.5 ms, not 44 from the Parquet extract, and listed in 66, not 127;
# a race's donors, on the 1M-row demo, in 4 ms, not 7).
# Column and table are picked from this fixed map by code, never from input.
RECIPIENT_COLUMNS = {"candidate": "candidate_id", "committee": "committee_id"}
RECIPIENT_TABLES = {"candidate": "receipts_candidate_order", "committee": "receipts"}


def _shared_count(kind: str, a: str, b: str, cycle: int) -> int:
    column, table = RECIPIENT_COLUMNS[kind], RECIPIENT_TABLES[kind]
    frame = db.query(
        f"""
        SELECT count(*) AS n FROM (
            SELECT donor_key FROM {table} WHERE cycle = ? AND {column} = ? AND amount > 0 AND donor_key IS NOT NULL
            INTERSECT
            SELECT donor_key FROM {table} WHERE cycle = ? AND {column} = ? AND amount > 0)
        """,
        [cycle, a, cycle, b],
    )
    return int(frame["n"].iloc[0])


def shared_donor_count(candidate_a: str, candidate_b: str, cycle: int) -> int:
    """How many donors gave to both candidates in the cycle (the rows gave_to_both would list)."""
    return _shared_count("candidate", candidate_a, candidate_b, cycle)


def committee_shared_donor_count(committee_a: str, committee_b: str, cycle: int) -> int:
    """How many donors gave to both committees in the cycle (the rows committee_gave_to_both would list)."""
    return _shared_count("committee", committee_a, committee_b, cycle)


def race_donor_counts(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """One row: the race's unique itemized donors (distinct donor keys over all its candidates' gifts),
    repeat_donors (two or more gifts to the race's candidates, together), one_time_donors, and
    donors_to_several: those who gave to two or more of its candidates."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members}, donors AS (
            SELECT r.donor_key, count(*) AS gifts, count(DISTINCT r.candidate_id) AS candidates
            FROM {RECIPIENT_TABLES["candidate"]} AS r
            WHERE r.cycle = ? AND r.candidate_id IN (SELECT candidate_id FROM members)
              AND r.amount > 0 AND r.donor_key IS NOT NULL
            GROUP BY r.donor_key
        )
        SELECT count(*) AS unique_donors, count(*) FILTER (WHERE gifts >= 2) AS repeat_donors,
               count(*) FILTER (WHERE gifts = 1) AS one_time_donors,
               count(*) FILTER (WHERE candidates >= 2) AS donors_to_several
        FROM donors
        """,
        params + [cycle],
    )


def _gave_to_both(kind: str, a: str, b: str, cycle: int, limit: int | None) -> pd.DataFrame:
    column, table = RECIPIENT_COLUMNS[kind], RECIPIENT_TABLES[kind]
    # Each recipient's gifts read by an equality of their own (in the copy sorted by candidate, a race's pair
    # read 1,400 rows where `IN (a, b)` scanned 53,000), and a donor of both told by their two recipients
    # (min <> max, cheaper than count(DISTINCT)): 10 -> 7 ms a race page on the 1M-row demo, committees as before.
    gifts = f"""
            SELECT {column} AS recipient, donor_key, date, sub_id, amount, contributor_name, city, state, zip5
            FROM {table}
            WHERE cycle = ? AND {column} = ? AND amount > 0 AND donor_key IS NOT NULL"""
    return db.query(
        f"""
        WITH gifts AS ({gifts}
            UNION ALL{gifts}
        )
        SELECT donor_key,
               arg_max(contributor_name, (date, sub_id)) AS contributor_name, arg_max(city, (date, sub_id)) AS city,
               arg_max(state, (date, sub_id)) AS state, arg_max(zip5, (date, sub_id)) AS zip5,
               sum(amount) FILTER (WHERE recipient = ?) AS amount_a,
               count(*) FILTER (WHERE recipient = ?) AS gifts_a,
               sum(amount) FILTER (WHERE recipient = ?) AS amount_b,
               count(*) FILTER (WHERE recipient = ?) AS gifts_b
        FROM gifts
        GROUP BY donor_key
        HAVING min(recipient) <> max(recipient)
        ORDER BY amount_a + amount_b DESC, donor_key
        LIMIT ?
        """,
        [cycle, a, cycle, b, a, a, b, b, limit],
    )


def gave_to_both(candidate_a: str, candidate_b: str, cycle: int, limit: int | None = None) -> pd.DataFrame:
    """The donors who gave to both candidates in the cycle, one row per donor key, biggest givers first
    (the `limit` biggest; all when None): name and place of their latest gift, and the gifts to each
    (amount_a and gifts_a to candidate_a, amount_b and gifts_b to candidate_b; refunds are not taken out).
    Any two candidates, of one race or not."""
    return _gave_to_both("candidate", candidate_a, candidate_b, cycle, limit)


def committee_gave_to_both(committee_a: str, committee_b: str, cycle: int, limit: int | None = None) -> pd.DataFrame:
    """gave_to_both for two committees: the donors whose itemized gifts reached both committees in the
    cycle, with the gifts to each (amount_a, gifts_a to committee_a; amount_b, gifts_b to committee_b).
    Only candidates' committees have itemized receipts in the `receipts` extract, so a PAC or party
    committee has no donors here."""
    return _gave_to_both("committee", committee_a, committee_b, cycle, limit)


def committee_has_receipts(committee_id: str, cycle: int) -> bool:
    """Whether the `receipts` extract holds any itemized gift to the committee in the cycle (only
    candidates' own committees are in it)."""
    frame = db.query(
        "SELECT EXISTS (SELECT 1 FROM receipts WHERE cycle = ? AND committee_id = ? AND amount > 0) AS found",
        [cycle, committee_id],
    )
    return bool(frame["found"].iloc[0])


def race_new_donors_weekly(
    cycle: int, office: str, state: str | None = None, district: str | None = None
) -> pd.DataFrame:
    """Per candidate of the race (candidate_id, name, party) and week (starting Monday): new_donors, the
    donors who first gave to that candidate that week, and donors_to_date. From agg_candidate_donor_weeks,
    so a donor new to two candidates counts once for each (race_donor_counts counts the race's donors
    once). Quiet weeks are present with 0 new donors, from the race's first week with a new donor to its
    last, so a line never jumps over them; candidates without itemized gifts have no rows."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members},
        weekly AS (
            SELECT w.candidate_id, CAST(w.week AS DATE) AS week, w.new_donors, w.donors_to_date
            FROM agg_candidate_donor_weeks AS w
            WHERE w.cycle = ? AND w.candidate_id IN (SELECT candidate_id FROM members)
        ),
        {WEEK_GRID}
        SELECT g.candidate_id, m.name, m.party, m.incumbent_challenge, g.week, coalesce(w.new_donors, 0) AS new_donors,
               coalesce(max(w.donors_to_date) OVER (PARTITION BY g.candidate_id ORDER BY g.week
                                                    ROWS UNBOUNDED PRECEDING), 0) AS donors_to_date
        FROM grid AS g
        JOIN members AS m USING (candidate_id)
        LEFT JOIN weekly AS w USING (candidate_id, week)
        ORDER BY g.week, g.candidate_id
        """,
        params + [cycle],
    )


def race_new_donors_total_weekly(
    cycle: int, office: str, state: str | None = None, district: str | None = None
) -> pd.DataFrame:
    """Per week (starting Monday) in which someone first gave to any candidate of the race: new_donors
    that week, each donor once however many of its candidates they gave to, and donors_to_date (the
    race's unique donors so far, race_donor_counts' unique_donors in the end, but for donors whose gifts
    are all undated). Weeks without a new donor are absent. Read by the race's candidate IDs from the
    receipts sorted by candidate (RECIPIENT_TABLES), so only their row groups are read."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members},
        firsts AS (
            SELECT donor_key, min(date) AS first_date
            FROM {RECIPIENT_TABLES["candidate"]}
            WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM members)
              AND amount > 0 AND donor_key IS NOT NULL
            GROUP BY donor_key
        )
        SELECT CAST(date_trunc('week', first_date) AS DATE) AS week, count(*) AS new_donors,
               CAST(sum(count(*)) OVER (ORDER BY CAST(date_trunc('week', first_date) AS DATE)) AS BIGINT)
                   AS donors_to_date
        FROM firsts
        WHERE first_date IS NOT NULL
        GROUP BY week
        ORDER BY week
        """,
        params + [cycle],
    )
