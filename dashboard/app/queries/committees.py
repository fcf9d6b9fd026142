"""One committee: its facts per cycle and the candidate it belongs to."""

from __future__ import annotations

import pandas as pd

from dashboard.app import db


def committee_cycles(committee_id: str) -> pd.DataFrame:
    """The committee's rows, newest cycle first, with its candidate's name and office."""
    return db.query(
        """
        SELECT m.committee_id, m.cycle, m.name, m.committee_type, m.designation, m.party,
               m.state, m.is_conduit, m.candidate_id,
               c.name AS candidate_name, c.office, c.state AS candidate_state, c.district
        FROM committees AS m
        LEFT JOIN candidates AS c ON c.candidate_id = m.candidate_id AND c.cycle = m.cycle
        WHERE m.committee_id = ?
        ORDER BY m.cycle DESC
        """,
        [committee_id],
    )
