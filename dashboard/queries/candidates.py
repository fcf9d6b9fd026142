"""One candidate: who they are, their money in a cycle, the cycles they ran, their committees."""
from __future__ import annotations

import pandas as pd

from dashboard import db


def candidate_summary(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row (empty if the candidate did not run in the cycle): the candidate's facts and
    summary totals over principal + authorized committees, net of transfers between them.
    Money columns are empty when the candidate has not reported for the cycle."""
    return db.query(
        """
        SELECT c.candidate_id, c.cycle, c.name, c.party, c.office, c.state, c.district,
               c.incumbent_challenge, c.status, c.principal_committee_id, c.election_year,
               t.receipts, t.disbursements, t.cash_on_hand, t.debts,
               t.individual_itemized, t.individual_unitemized, t.individual_refunds,
               t.other_committee_contributions, t.party_contributions, t.candidate_self,
               t.transfers_from_authorized, t.coverage_start, t.coverage_end
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t
               ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE c.candidate_id = ? AND c.cycle = ?
        """,
        [candidate_id, cycle],
    )


def candidate_cycles(candidate_id: str) -> pd.DataFrame:
    """Every cycle the candidate appears in, oldest first, with office and receipts."""
    return db.query(
        """
        SELECT c.cycle, c.office, c.state, c.district, t.receipts
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t
               ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE c.candidate_id = ?
        ORDER BY c.cycle
        """,
        [candidate_id],
    )


def candidate_committees(candidate_id: str, cycle: int) -> pd.DataFrame:
    """The candidate's committees in a cycle. `in_totals` says whether the committee's money
    is counted in the candidate's totals (principal and authorized committees are; joint
    fundraisers and others linked to the candidate are listed but not counted)."""
    return db.query(
        """
        WITH counted AS (
            SELECT DISTINCT unnest(committee_ids) AS committee_id
            FROM candidate_totals
            WHERE candidate_id = ? AND cycle = ?
        ),
        linked AS (
            SELECT committee_id FROM committees WHERE candidate_id = ? AND cycle = ?
            UNION
            SELECT committee_id FROM counted
        )
        SELECT l.committee_id, m.name, m.committee_type, m.designation, m.party, m.is_conduit,
               l.committee_id IN (SELECT committee_id FROM counted) AS in_totals
        FROM linked AS l
        LEFT JOIN committees AS m ON m.committee_id = l.committee_id AND m.cycle = ?
        ORDER BY in_totals DESC, (m.designation = 'P') DESC, m.name, l.committee_id
        """,
        [candidate_id, cycle, candidate_id, cycle, cycle],
    )
