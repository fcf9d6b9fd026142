"""What the Atom feeds hold (dashboard/app/api/feeds.py): the newest 24/48-hour notices, reports and
large contributions of one race, candidate or committee, newest first, from the pre-aggregated extracts.

A `Scope` says which rows of each extract belong to the feed's subject, as SQL conditions with `?`
placeholders only and their parameters; the three functions below apply one to their extract.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._columns import add_candidate_links
from dashboard.app.queries._race import race_condition

FEED_LIMIT = 50  # entries of each kind a feed holds: the newest


@dataclass(frozen=True)
class Scope:
    """Conditions over `outside_expenditures o`, `candidate_periods p` and `large_receipts r`."""

    notices: str
    reports: str
    contributions: str
    parameters: tuple = ()  # bound once for each condition's placeholders (all three take the same ones)


def candidate_scope(candidate_id: str) -> Scope:
    """Everything about one candidate, every cycle (a subscription outlives the cycle)."""
    return Scope("o.candidate_id = ?", "p.candidate_id = ?", "r.candidate_id = ?", (candidate_id,))


def committee_scope(committee_id: str) -> Scope:
    """The notices the committee filed as a spender, the contributions it received, and the reports of
    the candidate whose totals count its money (a campaign's principal or authorized committee; a
    leadership PAC or joint fundraiser merely linked to a candidate has no candidate's reports)."""
    counted_in = """EXISTS (
        SELECT 1 FROM committees AS m
        JOIN candidate_totals AS t ON t.candidate_id = m.candidate_id AND t.cycle = m.cycle
        WHERE m.committee_id = ? AND m.candidate_id = p.candidate_id AND m.cycle = p.cycle
          AND list_contains(t.committee_ids, m.committee_id))"""
    return Scope("o.committee_id = ?", counted_in, "r.committee_id = ?", (committee_id,))


def race_scope(cycle: int, office: str, state: str | None, district: str | None) -> Scope:
    """Everything about the candidates of one race in one cycle (those in the race, as its page lists)."""
    condition, parameters = race_condition(cycle, office, state, district)
    members = f"IN (SELECT candidate_id FROM candidates WHERE {condition} AND in_race)"
    return Scope(
        f"o.cycle = ? AND o.candidate_id {members}",
        f"p.cycle = ? AND p.candidate_id {members}",
        f"r.cycle = ? AND r.candidate_id {members}",
        (cycle, *parameters),
    )


def notices(scope: Scope, limit: int = FEED_LIMIT) -> pd.DataFrame:
    """Independent expenditures that only a 24/48-hour notice reports so far (`from_notice`: shown
    apart, never in the processed totals), the most recently filed first. `candidate_name` and the
    race columns are empty when the filing names no candidate of the cycle (outside_unmatched).
    Ids are text: FEC sub_ids and file numbers go beyond what a float holds exactly."""
    frame = db.query(
        f"""
        SELECT o.cycle, o.date, coalesce(o.filed_date, o.date) AS filed_date, o.candidate_id,
               c.name AS candidate_name, c.office, c.state, c.district,
               o.support_oppose, o.amount, o.committee_id, o.spender_name, o.spender_type,
               o.purpose, o.payee_name, o.filing_form,
               CAST(o.file_number AS VARCHAR) AS file_number, o.transaction_id, o.image_number,
               CAST(o.sub_id AS VARCHAR) AS sub_id
        FROM outside_expenditures AS o
        LEFT JOIN candidates AS c ON c.candidate_id = o.candidate_id AND c.cycle = o.cycle
        WHERE o.from_notice AND {scope.notices}
        ORDER BY coalesce(o.filed_date, o.date) DESC, o.date DESC, o.sub_id DESC
        LIMIT ?
        """,
        [*scope.parameters, limit],
    )
    return add_candidate_links(frame)


def reports(scope: Scope, limit: int = FEED_LIMIT) -> pd.DataFrame:
    """Report periods (summed over the candidate's campaign committees, newest amendment of each),
    the latest period first, with `change` ('new' or 'revised' since the previous snapshot, else
    empty), the receipts before a revision and the snapshot compared with."""
    frame = db.query(
        f"""
        SELECT p.candidate_id, p.cycle, c.name AS candidate_name, c.office, c.state, c.district,
               p.report_year, p.report_type, p.coverage_start, p.coverage_end,
               p.receipts, p.disbursements, p.cash_on_hand_end,
               x.change, x.previous_receipts, x.previous_snapshot_id
        FROM candidate_periods AS p
        LEFT JOIN candidates AS c ON c.candidate_id = p.candidate_id AND c.cycle = p.cycle
        LEFT JOIN changes_reports AS x
               ON x.candidate_id = p.candidate_id AND x.cycle = p.cycle
              AND x.report_year = p.report_year AND x.report_type = p.report_type
        WHERE {scope.reports}
        ORDER BY p.coverage_end DESC NULLS LAST, p.candidate_id, p.report_year DESC, p.report_type
        LIMIT ?
        """,
        [*scope.parameters, limit],
    )
    return add_candidate_links(frame)


def large_contributions(scope: Scope, limit: int = FEED_LIMIT) -> pd.DataFrame:
    """Itemized contributions from individuals of contract.LARGE_RECEIPT_FLOOR or more, the most
    recently received first, with the recipient candidate and committee names."""
    frame = db.query(
        f"""
        SELECT r.cycle, r.date, r.amount, r.candidate_id, c.name AS candidate_name, c.office, c.state,
               c.district, r.committee_id, m.name AS committee_name, CAST(r.sub_id AS VARCHAR) AS sub_id,
               r.contributor_name, r.city, r.contributor_state, r.employer, r.occupation,
               r.is_earmarked, r.conduit_committee_id
        FROM (SELECT * FROM large_receipts AS r WHERE {scope.contributions}
              ORDER BY r.date DESC, r.sub_id DESC LIMIT ?) AS r
        LEFT JOIN candidates AS c ON c.candidate_id = r.candidate_id AND c.cycle = r.cycle
        LEFT JOIN committees AS m ON m.committee_id = r.committee_id AND m.cycle = r.cycle
        ORDER BY r.date DESC, r.sub_id DESC
        """,
        [*scope.parameters, limit],
    )
    return add_candidate_links(frame)
