"""Races (one office in one place in one cycle): the biggest ones, and one race's candidates."""
from __future__ import annotations

import pandas as pd

from dashboard import db
from dashboard.queries._columns import add_candidate_links, add_race_links

RACE_COLUMNS = """cycle, office, state, district, n_candidates, receipts, disbursements,
    cash_on_hand, leader_candidate_id, leader_name, leader_party, leader_receipts, leader_share,
    margin, itemized_amount, out_of_state_share, small_share, coverage_end"""


def top_races(cycle: int, office: str | None = None, limit: int = 10) -> pd.DataFrame:
    """The races that raised the most in a cycle (all offices, or one), with race_label and
    race_path. Money is summary-total receipts of all the race's candidates."""
    frame = db.query(
        f"""
        SELECT {RACE_COLUMNS}
        FROM agg_district
        WHERE cycle = ? AND (? IS NULL OR office = ?)
        ORDER BY receipts DESC NULLS LAST, office, state, district
        LIMIT ?
        """,
        [cycle, office, office, limit],
    )
    return add_race_links(frame)


def _race_condition(cycle: int | None, office: str, state: str | None, district: str | None,
                    table: str = "") -> tuple[str, list]:
    """SQL condition (only `?` placeholders) and its parameters selecting one race. A Senate
    race is a whole state and the presidential race the whole country, so neither filters on
    district, nor the presidency on state; cycle None means every cycle. Column names come
    from this fixed list only."""
    keys: dict[str, object] = {"office": office}
    if cycle is not None:
        keys["cycle"] = cycle
    if office in ("H", "S"):
        keys["state"] = state
    if office == "H":
        keys["district"] = district
    condition = " AND ".join(f"{table}{column} = ?" for column in keys)
    return condition, list(keys.values())


def race_summary(cycle: int, office: str, state: str | None = None,
                 district: str | None = None) -> pd.DataFrame:
    """The race's row of agg_district (empty when the snapshot has no such race)."""
    condition, params = _race_condition(cycle, office, state, district)
    frame = db.query(f"SELECT {RACE_COLUMNS} FROM agg_district WHERE {condition}", params)
    return add_race_links(frame)


def race_candidates(cycle: int, office: str, state: str | None = None,
                    district: str | None = None) -> pd.DataFrame:
    """Every candidate filed for the race, biggest fundraiser first, with summary totals
    (receipts, disbursements, cash_on_hand, debts; empty when a candidate has not reported),
    incumbent_challenge and a candidate_path."""
    condition, params = _race_condition(cycle, office, state, district, table="c.")
    frame = db.query(
        f"""
        SELECT c.candidate_id, c.name, c.party, c.incumbent_challenge, c.status,
               c.office, c.state, c.district, c.cycle,
               t.receipts, t.disbursements, t.cash_on_hand, t.debts,
               t.coverage_start, t.coverage_end
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t
               ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE {condition}
        ORDER BY t.receipts DESC NULLS LAST, c.name
        """,
        params,
    )
    return add_candidate_links(frame)


def race_cycles(office: str, state: str | None = None, district: str | None = None) -> list[int]:
    """Cycles in which the race has candidates, oldest first."""
    condition, params = _race_condition(None, office, state, district)
    frame = db.query(f"SELECT DISTINCT cycle FROM candidates WHERE {condition} ORDER BY cycle", params)
    return [int(c) for c in frame["cycle"]]
