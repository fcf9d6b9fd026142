"""Headline numbers of a cycle, for the home page."""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.core import fec


def headline_by_office(cycle: int) -> pd.DataFrame:
    """One row per office with candidates in the cycle (House, Senate, President order):
    n_candidates (registered), n_reporting (with summary totals), receipts, disbursements,
    cash_on_hand (summary totals of principal + authorized committees), coverage_end."""
    frame = db.query(
        """
        SELECT c.office,
               count(*)                        AS n_candidates,
               count(t.candidate_id)           AS n_reporting,
               coalesce(sum(t.receipts), 0)      AS receipts,
               coalesce(sum(t.disbursements), 0) AS disbursements,
               coalesce(sum(t.cash_on_hand), 0)  AS cash_on_hand,
               max(t.coverage_end)             AS coverage_end
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t
               ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE c.cycle = ?
        GROUP BY c.office
        """,
        [cycle],
    )
    order = {office: i for i, office in enumerate(fec.OFFICES)}
    frame["_order"] = frame["office"].map(lambda office: order.get(office, len(order)))
    return frame.sort_values("_order").drop(columns="_order").reset_index(drop=True)


def cycles_available() -> list[int]:
    """Cycles that have candidates in the snapshot, newest first."""
    frame = db.query("SELECT DISTINCT cycle FROM candidates ORDER BY cycle DESC")
    return [int(c) for c in frame["cycle"]]
