"""Unique itemized donors: how many a candidate or a race has, how many gave more than once, how many
are new each week, and the donors two candidates share ("gave to both").

A donor is a donor_key (normalized name + ZIP5, dashboard.core.normalize), so one person filing under
two spellings or two ZIP codes counts twice, and two people of the same name in one ZIP count once.
Donors are counted over gifts only (amount > 0 in `receipts`): a refund (22Y) is no gift.
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._race import race_members

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


def shared_donor_count(candidate_a: str, candidate_b: str, cycle: int) -> int:
    """How many donors gave to both candidates in the cycle (the rows gave_to_both would list)."""
    frame = db.query(
        """
        SELECT count(*) AS n FROM (
            SELECT donor_key FROM receipts WHERE cycle = ? AND candidate_id = ? AND amount > 0 AND donor_key IS NOT NULL
            INTERSECT
            SELECT donor_key FROM receipts WHERE cycle = ? AND candidate_id = ? AND amount > 0)
        """,
        [cycle, candidate_a, cycle, candidate_b],
    )
    return int(frame["n"].iloc[0])


def race_donor_counts(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """One row: the race's unique itemized donors (distinct donor keys over all its candidates' gifts),
    repeat_donors (two or more gifts to the race's candidates, together), one_time_donors, and
    donors_to_several: those who gave to two or more of its candidates."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members}, donors AS (
            SELECT r.donor_key, count(*) AS gifts, count(DISTINCT r.candidate_id) AS candidates
            FROM receipts AS r
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


def gave_to_both(candidate_a: str, candidate_b: str, cycle: int, limit: int | None = None) -> pd.DataFrame:
    """The donors who gave to both candidates in the cycle, one row per donor key, biggest givers first
    (the `limit` biggest; all when None): name and place of their latest gift, and the gifts to each
    (amount_a and gifts_a to candidate_a, amount_b and gifts_b to candidate_b; refunds are not taken out)."""
    return db.query(
        """
        WITH gifts AS (
            SELECT candidate_id, donor_key, date, sub_id, amount, contributor_name, city, state, zip5
            FROM receipts
            WHERE cycle = ? AND candidate_id IN (?, ?) AND amount > 0 AND donor_key IS NOT NULL
        )
        SELECT donor_key,
               arg_max(contributor_name, (date, sub_id)) AS contributor_name, arg_max(city, (date, sub_id)) AS city,
               arg_max(state, (date, sub_id)) AS state, arg_max(zip5, (date, sub_id)) AS zip5,
               sum(amount) FILTER (WHERE candidate_id = ?) AS amount_a,
               count(*) FILTER (WHERE candidate_id = ?) AS gifts_a,
               sum(amount) FILTER (WHERE candidate_id = ?) AS amount_b,
               count(*) FILTER (WHERE candidate_id = ?) AS gifts_b
        FROM gifts
        GROUP BY donor_key
        HAVING count(DISTINCT candidate_id) = 2
        ORDER BY amount_a + amount_b DESC, donor_key
        LIMIT ?
        """,
        [cycle, candidate_a, candidate_b, candidate_a, candidate_a, candidate_b, candidate_b, limit],
    )
