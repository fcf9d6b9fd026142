"""Columns that queries add in Python: labels and links built by dashboard.app.links."""

from __future__ import annotations

import pandas as pd

from dashboard.app import links


def add_race_links(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds race_label and race_path from office/state/district/cycle."""
    rows = list(zip(frame["office"], frame["state"], frame["district"], frame["cycle"]))
    frame["race_label"] = [links.race_label(o, s, d) for o, s, d, _c in rows]
    frame["race_path"] = [links.race_path(o, s, d, int(c)) for o, s, d, c in rows]
    return frame


def add_committee_links(frame: pd.DataFrame, column: str = "committee_id", path_column: str = "committee_path"):
    """Adds the committee page's path of `column` (the cycle's view)."""
    frame[path_column] = [
        links.committee_path(cid, int(cycle)) if isinstance(cid, str) else None
        for cid, cycle in zip(frame[column], frame["cycle"])
    ]
    return frame


def add_candidate_links(frame: pd.DataFrame, cycle_column: str = "cycle") -> pd.DataFrame:
    frame["candidate_path"] = [
        links.candidate_path(cid, int(cycle)) if isinstance(cid, str) else None
        for cid, cycle in zip(frame["candidate_id"], frame[cycle_column])
    ]
    return frame
