"""Races (one office in one place in one cycle): the biggest ones, and one race's candidates."""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._columns import add_candidate_links, add_race_links
from dashboard.app.queries._race import WEEK_GRID, race_condition, race_members

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


def race_summary(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """The race's row of agg_district (empty when the snapshot has no such race)."""
    condition, params = race_condition(cycle, office, state, district)
    frame = db.query(f"SELECT {RACE_COLUMNS} FROM agg_district WHERE {condition}", params)
    return add_race_links(frame)


def race_candidates(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """Every candidate in the race (`in_race`: a candidacy for that election), biggest fundraiser
    first, with the cycle's totals (receipts and disbursements gross, as the FEC publishes them,
    net_receipts and net_disbursements beside; cash_on_hand, debts; empty when a candidate has not
    reported), incumbent_challenge and a candidate_path."""
    condition, params = race_condition(cycle, office, state, district, table="c.")
    frame = db.query_once(  # the race page's title asks too
        f"""
        SELECT c.candidate_id, c.name, c.party, c.incumbent_challenge, c.status,
               c.office, c.state, c.district, c.cycle,
               t.receipts, t.disbursements, t.net_receipts, t.net_disbursements, t.cash_on_hand, t.debts,
               t.totals_source, t.coverage_start, t.coverage_end
        FROM candidates AS c
        LEFT JOIN candidate_totals AS t
               ON t.candidate_id = c.candidate_id AND t.cycle = c.cycle
        WHERE {condition} AND c.in_race
        ORDER BY t.receipts DESC NULLS LAST, c.name
        """,
        params,
    )
    return add_candidate_links(frame)


def race_cycles(office: str, state: str | None = None, district: str | None = None) -> list[int]:
    """Cycles in which the race has candidates, oldest first."""
    condition, params = race_condition(None, office, state, district)
    frame = db.query(f"SELECT DISTINCT cycle FROM candidates WHERE {condition} AND in_race ORDER BY cycle", params)
    return [int(c) for c in frame["cycle"]]


def race_periods(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """Every report of every candidate of the race, oldest first per candidate: receipts of the
    period and receipts_to_date (cumulative), from the summary pages (all receipts, gross:
    money moved between a candidate's own committees counts in each), with the report's coverage_end."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members}
        SELECT p.candidate_id, m.name, m.party, m.incumbent_challenge, p.report_year, p.report_type,
               p.coverage_start, p.coverage_end, p.receipts,
               sum(p.receipts) OVER (PARTITION BY p.candidate_id
                                     ORDER BY p.coverage_end, p.report_year, p.report_type
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS receipts_to_date
        FROM candidate_periods AS p JOIN members AS m USING (candidate_id)
        WHERE p.cycle = ?
        ORDER BY m.name, p.candidate_id, p.coverage_end, p.report_year, p.report_type
        """,
        params + [cycle],
    )


def race_weekly(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """Itemized contributions from individuals per candidate and week (weeks start on
    Monday; `week` is that Monday), net of refunds, with the running total amount_to_date.
    Weeks without contributions are present with 0 (from the race's first week with money to
    its last), so a line never jumps over a quiet week. Itemized only: unitemized gifts have
    no dates. Candidates without itemized money have no rows."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members},
        weekly AS (
            SELECT d.candidate_id, CAST(date_trunc('week', d.date) AS DATE) AS week,
                   sum(d.amount) AS amount, sum(d.n) AS n
            FROM agg_candidate_daily AS d
            WHERE d.cycle = ? AND d.candidate_id IN (SELECT candidate_id FROM members)
            GROUP BY ALL
        ),
        {WEEK_GRID}
        SELECT g.candidate_id, m.name, m.party, m.incumbent_challenge, g.week,
               coalesce(w.amount, 0) AS amount, coalesce(w.n, 0) AS n,
               sum(coalesce(w.amount, 0)) OVER (PARTITION BY g.candidate_id ORDER BY g.week
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS amount_to_date
        FROM grid AS g
        JOIN members AS m USING (candidate_id)
        LEFT JOIN weekly AS w USING (candidate_id, week)
        ORDER BY m.name, g.candidate_id, g.week
        """,
        params + [cycle],
    )


def race_sizes(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """Money from individuals by contribution size for every candidate of the race (one row
    per candidate and bucket). Bucket 0 ($200 and under) includes unitemized money (its `n`
    is empty); the others are itemized contributions."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members}
        SELECT s.candidate_id, m.name, m.party, m.incumbent_challenge, s.size_bucket, s.size_label, s.amount, s.n,
               CAST(s.amount AS DOUBLE) / nullif(sum(s.amount) OVER (PARTITION BY s.candidate_id), 0) AS share
        FROM agg_candidate_size AS s JOIN members AS m USING (candidate_id)
        WHERE s.cycle = ?
        ORDER BY m.name, s.candidate_id, s.size_bucket
        """,
        params + [cycle],
    )


def race_home_state(cycle: int, office: str, state: str | None = None, district: str | None = None) -> pd.DataFrame:
    """Itemized money from individuals per candidate, split into in_state (donors in the
    candidate's state) and out_of_state (everywhere else, unknown addresses included), with
    in_state_share. For the presidential race every donor is 'out of state' (the race is the
    whole country), so pages should not show this split for it."""
    members, params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members}
        SELECT s.candidate_id, m.name, m.party, m.incumbent_challenge,
               coalesce(sum(s.amount) FILTER (WHERE s.in_state), 0)     AS in_state,
               coalesce(sum(s.amount) FILTER (WHERE NOT coalesce(s.in_state, false)), 0) AS out_of_state,
               sum(s.amount) AS itemized,
               CAST(coalesce(sum(s.amount) FILTER (WHERE s.in_state), 0) AS DOUBLE)
                   / nullif(sum(s.amount), 0) AS in_state_share
        FROM agg_candidate_state AS s JOIN members AS m USING (candidate_id)
        WHERE s.cycle = ?
        GROUP BY s.candidate_id, m.name, m.party, m.incumbent_challenge
        ORDER BY itemized DESC, m.name
        """,
        params + [cycle],
    )


def nearby_races(
    cycle: int, office: str, state: str | None = None, district: str | None = None, limit: int = 6
) -> pd.DataFrame:
    """Races that exist in the snapshot and are closest to one that does not (for a friendly
    'not found'): the same seat in other cycles, other seats of the same office and state in
    the cycle, then the state's other races; nearest cycle and district number first."""
    frame = db.query(
        """
        SELECT cycle, office, state, district, n_candidates, receipts
        FROM agg_district
        WHERE (office = $office AND (office = 'P' OR state = $state))
           OR (state = $state AND cycle = $cycle)
        ORDER BY (office = $office AND (office <> 'H' OR district = $district)) DESC,
                 (cycle = $cycle) DESC,
                 (office = $office) DESC,
                 abs(cycle - $cycle),
                 abs(coalesce(try_cast(district AS INTEGER), 0) - coalesce(try_cast($district AS INTEGER), 0)),
                 office, district
        LIMIT $limit
        """,
        {"cycle": cycle, "office": office, "state": state or "US", "district": district or "00", "limit": limit},
    )
    return add_race_links(frame)
