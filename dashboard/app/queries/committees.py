"""One committee: its facts per cycle, the candidate it belongs to, and what it raised and spent."""

from __future__ import annotations

import pandas as pd

from dashboard.app import db


def committee_cycles(committee_id: str) -> pd.DataFrame:
    """The committee's rows, newest cycle first, with its candidate's name and office, and
    `in_totals`: whether its money is in that candidate's totals (a leadership PAC or joint
    fundraiser filed under a candidate's name is not)."""
    return db.query(
        """
        SELECT m.committee_id, m.cycle, m.name, m.committee_type, m.designation, m.party,
               m.state, m.is_conduit, m.candidate_id,
               c.name AS candidate_name, c.office, c.state AS candidate_state, c.district,
               coalesce(list_contains(t.committee_ids, m.committee_id), false) AS in_totals
        FROM committees AS m
        LEFT JOIN candidates AS c ON c.candidate_id = m.candidate_id AND c.cycle = m.cycle
        LEFT JOIN candidate_totals AS t ON t.candidate_id = m.candidate_id AND t.cycle = m.cycle
        WHERE m.committee_id = ?
        ORDER BY m.cycle DESC
        """,
        [committee_id],
    )


def committee_totals(committee_id: str) -> pd.DataFrame:
    """What the committee raised, spent and kept per cycle, newest cycle first, for a committee that is
    no candidate's own (a PAC, a party; a campaign's money is in its candidate's totals): receipts and
    disbursements (gross), cash on hand and debts at the end of the latest report, money from
    individuals, independent expenditures as the committee reported them in its totals (unknown from
    reports), coverage_end, and totals_source ('summary': the FEC's own committee totals, webk;
    'reports': the sum of its reports). No rows when no source carries its totals."""
    return db.query(
        """
        SELECT committee_id, cycle, receipts, disbursements, cash_on_hand, debts, individual_contributions,
               independent_expenditures, coverage_end, totals_source
        FROM committee_totals
        WHERE committee_id = ?
        ORDER BY cycle DESC
        """,
        [committee_id],
    )


def cycles_without_candidates() -> dict[int, int]:
    """Cycles whose committees are published with no candidate at all (the files loaded for them,
    e.g. the PAC and party summary webk alone, name committees only): cycle -> committees."""
    frame = db.query(
        """
        SELECT cycle, count(*) AS n FROM committees
        WHERE cycle NOT IN (SELECT DISTINCT cycle FROM candidates WHERE cycle IS NOT NULL)
        GROUP BY cycle ORDER BY cycle DESC
        """
    )
    return {int(cycle): int(n) for cycle, n in zip(frame["cycle"], frame["n"])}
