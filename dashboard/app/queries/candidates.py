"""One candidate: who they are, their money in a cycle, the cycles they ran, their committees."""

from __future__ import annotations

import pandas as pd

from dashboard.app import db


def candidate_summary(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row (empty if the candidate did not run in the cycle): the candidate's facts (with
    `in_race`: whether the candidacy is in one of the cycle's races) and the cycle's totals over
    the principal and authorized committees. receipts and disbursements are gross, as the FEC
    publishes them; net_receipts and net_disbursements take out what can have moved between the
    candidate's own committees, the smaller of transfers_from_authorized and transfers_to_authorized
    (empty when the source does not carry both); totals_source is 'summary'
    (the FEC's own candidate totals) or 'reports' (the sum of the committees' reports).
    Money columns are empty when the candidate has not reported for the cycle."""
    return db.query_once(  # the candidate page's title asks too
        """
        SELECT c.candidate_id, c.cycle, c.name, c.party, c.office, c.state, c.district,
               c.incumbent_challenge, c.status, c.principal_committee_id, c.election_year, c.in_race,
               t.receipts, t.disbursements, t.net_receipts, t.net_disbursements, t.cash_on_hand, t.debts,
               t.individual_itemized, t.individual_unitemized, t.individual_refunds,
               t.other_committee_contributions, t.party_contributions, t.candidate_self,
               t.transfers_from_authorized, t.transfers_to_authorized, t.totals_source,
               t.coverage_start, t.coverage_end
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t
               ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE c.candidate_id = ? AND c.cycle = ?
        """,
        [candidate_id, cycle],
    )


def candidate_election_totals(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row (empty for House candidates, or when nothing of the election is reported): the
    money of the election the candidacy in `cycle` is for, over the whole election period (a
    Senate term's six years, a presidential term's four), as fec.gov shows beside the two-year
    figures. Gross receipts and disbursements with their net beside, like candidate_summary;
    cash_on_hand and debts as of the latest report. cycles_missing lists the period's two-year
    cycles the data does not hold: when it is not empty the totals are partial (they cover
    cycles_included only)."""
    return db.query(
        """
        SELECT e.candidate_id, e.election_year, e.office, e.first_cycle,
               e.cycles_included, e.cycles_missing,
               e.receipts, e.disbursements, e.net_receipts, e.net_disbursements, e.cash_on_hand, e.debts,
               e.totals_source, e.coverage_start, e.coverage_end
        FROM candidates AS c
        JOIN candidate_election_totals AS e
          ON e.candidate_id = c.candidate_id AND e.election_year = c.election_year
        WHERE c.candidate_id = ? AND c.cycle = ?
        """,
        [candidate_id, cycle],
    )


def candidate_cycles(candidate_id: str) -> pd.DataFrame:
    """Every cycle the candidate appears in, oldest first, with office and receipts."""
    return db.query_once(  # the candidate page's title asks too
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


def candidate_periods(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row per report of the cycle, oldest first: receipts, disbursements (gross: money
    moved between the candidate's own committees counts in each), cash_on_hand_end, and the
    running totals receipts_to_date / disbursements_to_date. All receipts, from the summary pages."""
    return db.query(
        """
        SELECT report_year, report_type, coverage_start, coverage_end,
               receipts, disbursements, cash_on_hand_end,
               individual_itemized, individual_unitemized,
               sum(receipts) OVER to_date      AS receipts_to_date,
               sum(disbursements) OVER to_date AS disbursements_to_date
        FROM candidate_periods
        WHERE candidate_id = ? AND cycle = ?
        WINDOW to_date AS (ORDER BY coverage_end, report_year, report_type
                           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
        ORDER BY coverage_end, report_year, report_type
        """,
        [candidate_id, cycle],
    )


def candidate_sizes(candidate_id: str, cycle: int) -> pd.DataFrame:
    """Money from individuals by contribution size, smallest bucket first, with each bucket's
    share. Bucket 0 ($200 and under) includes the unitemized money from the summary pages,
    so its count `n` is empty; the other buckets are itemized contributions only."""
    return db.query(
        """
        SELECT size_bucket, size_label, amount, n,
               CAST(amount AS DOUBLE) / nullif(sum(amount) OVER (), 0) AS share
        FROM agg_candidate_size
        WHERE candidate_id = ? AND cycle = ?
        ORDER BY size_bucket
        """,
        [candidate_id, cycle],
    )


def candidate_states(candidate_id: str, cycle: int) -> pd.DataFrame:
    """Itemized money from individuals by donor state, biggest first: amount, n, share of the
    candidate's itemized money, and in_state (the candidate's own state; false for
    presidential candidates, whose race is the whole country)."""
    return db.query(
        """
        SELECT state, amount, n, coalesce(in_state, false) AS in_state,
               CAST(amount AS DOUBLE) / nullif(sum(amount) OVER (), 0) AS share
        FROM agg_candidate_state
        WHERE candidate_id = ? AND cycle = ?
        ORDER BY amount DESC, state
        """,
        [candidate_id, cycle],
    )


def candidate_donors(candidate_id: str, cycle: int, limit: int = 100) -> pd.DataFrame:
    """The biggest individual contributors (itemized, net of refunds), one row per donor key
    (normalized name + ZIP5, see dashboard.core.normalize), with the name, place, employer and
    occupation of their latest contribution."""
    return db.query(
        """
        SELECT rank, donor_key, contributor_name, city, state, zip5, employer, occupation, amount, n
        FROM agg_candidate_donor
        WHERE candidate_id = ? AND cycle = ? AND rank <= ?
        ORDER BY rank
        """,
        [candidate_id, cycle, limit],
    )


def _top_texts(extract: str, column: str, candidate_id: str, cycle: int, limit: int) -> pd.DataFrame:
    # `extract` and `column` come from the two fixed callers below, never from input.
    return db.query(
        f"""
        SELECT rank, {column}, amount, n, variants,
               CAST(amount AS DOUBLE) / nullif(
                   (SELECT sum(amount) FROM agg_candidate_state WHERE candidate_id = ? AND cycle = ?), 0)
                   AS share
        FROM {extract}
        WHERE candidate_id = ? AND cycle = ? AND rank <= ?
        ORDER BY rank
        """,
        [candidate_id, cycle, candidate_id, cycle, limit],
    )


def candidate_employers(candidate_id: str, cycle: int, limit: int = 100) -> pd.DataFrame:
    """Top employers of the candidate's itemized individual donors, normalized (an empty
    `employer` is 'not reported': N/A, NONE, INFORMATION REQUESTED...), with the raw spellings
    merged into each row (`variants`) and the share of all itemized money."""
    return _top_texts("agg_candidate_employer", "employer", candidate_id, cycle, limit)


def candidate_occupations(candidate_id: str, cycle: int, limit: int = 100) -> pd.DataFrame:
    """Top occupations of the candidate's itemized individual donors, normalized like
    employers, with raw spellings (`variants`) and share of all itemized money."""
    return _top_texts("agg_candidate_occupation", "occupation", candidate_id, cycle, limit)


def similar_candidates(candidate_id: str, limit: int = 5) -> pd.DataFrame:
    """Candidates whose FEC id looks most like `candidate_id` (for a 'did you mean' list when an
    id is unknown): same office and state first, as of each candidate's latest cycle."""
    return db.query(
        """
        SELECT candidate_id, name, party, office, state, district, cycle,
               jaro_winkler_similarity(candidate_id, ?) AS similarity
        FROM candidates
        QUALIFY row_number() OVER (PARTITION BY candidate_id ORDER BY cycle DESC) = 1
        ORDER BY similarity DESC, candidate_id
        LIMIT ?
        """,
        [candidate_id, limit],
    )
