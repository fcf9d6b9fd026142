"""Outside spending (independent expenditures, Schedule E): money spent for and against candidates
by others, per race, per candidate and per spender.

The counting rules are the builder's (dashboard/pipeline/builder/outside.py): each expenditure once,
on its dissemination date, support and oppose apart. Every answer keeps two kinds of money apart:
`amount` (and `n`) is what regular reports carry; `notice_amount` is money reported so far only in
24/48-hour notices, not yet in a regular report. It is never added into `amount`: pages show it
beside, labelled. `support_oppose` is 'S' (for the candidate) or 'O' (against).
"""

from __future__ import annotations

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._columns import add_candidate_links, add_committee_links, add_race_links
from dashboard.app.queries._race import race_condition, race_members

# What pages and captions call the money kept apart (issue 13: never added to the processed totals).
NOTICE_LABEL = "from 24/48-hour notices, not yet in a regular report"

# Per day and side: regular-report money, its count, notice-only money, and both running totals.
# `source` is a subquery (only `?` placeholders) of rows with `keys`, date, support_oppose,
# from_notice, amount and n; `keys` are fixed column names of this module.
_CUMULATIVE = """
    daily AS (
        SELECT {keys}date, support_oppose,
               coalesce(sum(amount) FILTER (WHERE NOT from_notice), 0) AS amount,
               CAST(coalesce(sum(n) FILTER (WHERE NOT from_notice), 0) AS BIGINT) AS n,
               coalesce(sum(amount) FILTER (WHERE from_notice), 0) AS notice_amount
        FROM ({source}) AS rows
        GROUP BY ALL
    ),
    cumulative AS (
        SELECT *, sum(amount) OVER running AS amount_to_date, sum(notice_amount) OVER running AS notice_amount_to_date
        FROM daily
        WINDOW running AS (PARTITION BY {keys}support_oppose ORDER BY date
                           ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
    )"""


# For and against, from regular reports and from notices alone, over rows with support_oppose,
# from_notice, amount and date.
_SIDE_SUMS = """
    coalesce(sum(amount) FILTER (WHERE support_oppose = 'S' AND NOT from_notice), 0) AS support,
    coalesce(sum(amount) FILTER (WHERE support_oppose = 'O' AND NOT from_notice), 0) AS oppose,
    coalesce(sum(amount) FILTER (WHERE support_oppose = 'S' AND from_notice), 0) AS notice_support,
    coalesce(sum(amount) FILTER (WHERE support_oppose = 'O' AND from_notice), 0) AS notice_oppose,
    min(date) AS first_date, max(date) AS last_date"""


def _cumulative(source: str, keys: tuple[str, ...] = ()) -> str:
    return _CUMULATIVE.format(source=source, keys="".join(f"{key}, " for key in keys))


# Whether the spender has a committee page for the cycle (a group that files Form 5 may not be a
# registered committee): only then is its name a link.
_LISTED = "EXISTS (SELECT 1 FROM committees AS c WHERE c.committee_id = {t}.committee_id AND c.cycle = {t}.cycle)"


def _link_spenders(frame: pd.DataFrame) -> pd.DataFrame:
    """committee_path where the spender's committee page exists (column `listed`, dropped)."""
    listed = frame.pop("listed")
    frame = add_committee_links(frame)
    frame["committee_path"] = [path if seen else None for path, seen in zip(frame["committee_path"], listed)]
    return frame


# ----------------------------------------------------------------------------- a race


def _race_outside_by_candidate(cycle: int, office: str, state: str | None, district: str | None) -> tuple[str, list]:
    """A CTE `by_candidate`: every candidate of the race with the cycle's receipts (gross, the race
    page's figure) and the outside money for and against them; and its parameters."""
    members, params = race_members(cycle, office, state, district)
    return (
        f"""
        WITH {members},
        outside AS (
            SELECT candidate_id, {_SIDE_SUMS}
            FROM agg_outside_daily
            WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM members)
            GROUP BY candidate_id
        ),
        by_candidate AS (
            SELECT m.candidate_id, m.name, m.party, t.receipts,
                   coalesce(o.support, 0) AS support, coalesce(o.oppose, 0) AS oppose,
                   coalesce(o.support, 0) + coalesce(o.oppose, 0) AS outside,
                   coalesce(o.notice_support, 0) AS notice_support, coalesce(o.notice_oppose, 0) AS notice_oppose,
                   o.first_date, o.last_date, t.coverage_end
            FROM members AS m
            LEFT JOIN candidate_totals AS t ON t.candidate_id = m.candidate_id AND t.cycle = ?
            LEFT JOIN outside AS o ON o.candidate_id = m.candidate_id
        )""",
        params + [cycle, cycle],
    )


def race_outside_candidates(cycle: int, office: str, state: str | None = None, district: str | None = None):
    """Every candidate of the race (`in_race`), biggest fundraiser first: receipts (the cycle's gross
    receipts, as on the race page), outside money `support` (for them) and `oppose` (against them)
    from regular reports, `outside` = support + oppose, `outside_share` = outside / (receipts +
    outside): how much of the money around the candidate others spent; `notice_support` and
    `notice_oppose` from 24/48-hour notices not yet in a regular report (not in the other figures);
    first_date and last_date of the outside money, coverage_end of the receipts."""
    by_candidate, params = _race_outside_by_candidate(cycle, office, state, district)
    frame = db.query(
        f"""
        {by_candidate}
        SELECT *, CAST(outside AS DOUBLE) / nullif(coalesce(receipts, 0) + outside, 0) AS outside_share
        FROM by_candidate
        ORDER BY receipts DESC NULLS LAST, name
        """,
        params,
    )
    return add_candidate_links(frame.assign(cycle=cycle))


def race_outside_share(cycle: int, office: str, state: str | None = None, district: str | None = None):
    """One row (none when the snapshot has no such race), the race's figures as agg_district keeps
    them for the map: receipts (its candidates' gross receipts), outside money `support` and
    `oppose` from regular reports, `outside` = support + oppose, `outside_share` = outside /
    (receipts + outside): the share of all money in the race that others spent; `notice_amount`,
    from 24/48-hour notices not yet in a regular report (in no other figure); the outside money's
    first_date and last_date and the receipts' coverage_end."""
    condition, params = race_condition(cycle, office, state, district, table="d.")
    members, member_params = race_members(cycle, office, state, district)
    return db.query(
        f"""
        WITH {members},
        dates AS (
            SELECT min(date) AS first_date, max(date) AS last_date FROM agg_outside_daily
            WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM members)
        )
        SELECT d.receipts, d.outside_support AS support, d.outside_oppose AS oppose, d.outside_amount AS outside,
               d.outside_share, d.outside_notice_amount AS notice_amount, dates.first_date, dates.last_date,
               d.coverage_end
        FROM agg_district AS d, dates
        WHERE {condition}
        """,
        member_params + [cycle] + params,
    )


def race_outside_daily(cycle: int, office: str, state: str | None = None, district: str | None = None):
    """Outside money for ('S') and against ('O') each candidate of the race per day with money:
    amount and n from regular reports and amount_to_date, their running total for that candidate
    and side; notice_amount and notice_amount_to_date from 24/48-hour notices not yet in a regular
    report, kept apart. Candidates nobody spent on have no rows."""
    members, params = race_members(cycle, office, state, district)
    source = """SELECT candidate_id, date, support_oppose, from_notice, amount, n FROM agg_outside_daily
                WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM members)"""
    return db.query(
        f"""
        WITH {members}, {_cumulative(source, ("candidate_id",))}
        SELECT c.candidate_id, m.name, m.party, c.date, c.support_oppose, c.amount, c.n, c.amount_to_date,
               c.notice_amount, c.notice_amount_to_date
        FROM cumulative AS c JOIN members AS m USING (candidate_id)
        ORDER BY m.name, c.candidate_id, c.support_oppose DESC, c.date
        """,
        params + [cycle],
    )


def race_outside_spenders(
    cycle: int, office: str, state: str | None = None, district: str | None = None, limit: int = 10
):
    """The `limit` biggest spenders for and the `limit` biggest against each candidate of the race
    (rank 1 = most from regular reports, then most from notices): committee_id, spender_name,
    spender_type (core.fec.SPENDER_TYPES), amount and n from regular reports, notice_amount from
    24/48-hour notices not yet in a regular report (apart), first_date, last_date, committee_path
    (none when the spender has no committee page for the cycle)."""
    members, params = race_members(cycle, office, state, district)
    frame = db.query(
        f"""
        WITH {members},
        ranked AS (
            SELECT s.*, row_number() OVER (PARTITION BY s.candidate_id, s.support_oppose
                                           ORDER BY s.amount DESC, s.notice_amount DESC, s.committee_id) AS rank
            FROM agg_outside_spenders AS s
            WHERE s.cycle = ? AND s.candidate_id IN (SELECT candidate_id FROM members)
        )
        SELECT r.cycle, r.candidate_id, m.name, m.party, r.support_oppose, r.rank, r.committee_id, r.spender_name,
               r.spender_type, r.amount, r.n, r.notice_amount, r.first_date, r.last_date,
               {_LISTED.format(t="r")} AS listed
        FROM ranked AS r JOIN members AS m USING (candidate_id)
        WHERE r.rank <= ?
        ORDER BY m.name, r.candidate_id, r.support_oppose DESC, r.rank
        """,
        params + [cycle, limit],
    )
    return _link_spenders(frame)


def race_outside_unmatched(cycle: int, office: str, state: str | None = None, district: str | None = None):
    """Expenditures naming a candidate of this office and place whom no candidate of the cycle
    matches (or several do): listed as filed, in no figure of the race. House districts are
    compared as two digits, as filers write them '1', '01' or leave them blank for at-large seats.
    `amount` and `n` are as the extract keeps them: regular-report and 24/48-hour-notice lines together."""
    return db.query(
        """
        SELECT cycle, committee_id, spender_name, candidate_name, candidate_office, candidate_state,
               candidate_district, support_oppose, amount, n, reason
        FROM outside_unmatched
        WHERE cycle = ? AND candidate_office = ?
          AND (? IS NULL OR candidate_state = ?)
          AND (? IS NULL OR lpad(coalesce(nullif(trim(candidate_district), ''), '00'), 2, '0') = ?)
        ORDER BY amount DESC, spender_name
        """,
        [
            cycle,
            office,
            *([state] * 2 if office in ("H", "S") else [None] * 2),
            *([district] * 2 if office == "H" else [None] * 2),
        ],
    )


# ----------------------------------------------------------------------------- a candidate


def candidate_outside_spenders(candidate_id: str, cycle: int, limit: int = 100):
    """Every spender for ('S') and against ('O') the candidate in the cycle, biggest first on each
    side (at most `limit` a side): amount and n from regular reports, notice_amount from 24/48-hour
    notices not yet in a regular report (apart), first_date, last_date, spender_type, committee_path
    (none when the spender has no committee page for the cycle)."""
    frame = db.query(
        f"""
        SELECT cycle, candidate_id, support_oppose, rank, committee_id, spender_name, spender_type, amount, n,
               notice_amount, first_date, last_date, {_LISTED.format(t="s")} AS listed
        FROM (
            SELECT *, row_number() OVER (PARTITION BY support_oppose
                                         ORDER BY amount DESC, notice_amount DESC, committee_id) AS rank
            FROM agg_outside_spenders
            WHERE candidate_id = ? AND cycle = ?
        ) AS s
        WHERE rank <= ?
        ORDER BY support_oppose DESC, rank
        """,
        [candidate_id, cycle, limit],
    )
    return _link_spenders(frame)


def candidate_outside_summary(candidate_id: str, cycle: int) -> pd.DataFrame:
    """One row (none when nobody spent for or against the candidate in the cycle): `support` and
    `oppose` from regular reports, `notice_support` and `notice_oppose` from 24/48-hour notices not
    yet in a regular report (apart), first_date and last_date."""
    return db.query(
        f"""
        SELECT {_SIDE_SUMS}
        FROM agg_outside_daily
        WHERE candidate_id = ? AND cycle = ?
        HAVING count(*) > 0
        """,
        [candidate_id, cycle],
    )


def candidate_outside_daily(candidate_id: str, cycle: int):
    """Outside money for ('S') and against ('O') the candidate per day with money: amount, n and
    amount_to_date from regular reports; notice_amount and notice_amount_to_date from 24/48-hour
    notices not yet in a regular report, kept apart."""
    source = """SELECT date, support_oppose, from_notice, amount, n FROM agg_outside_daily
                WHERE candidate_id = ? AND cycle = ?"""
    return db.query(
        f"""
        WITH {_cumulative(source)}
        SELECT date, support_oppose, amount, n, amount_to_date, notice_amount, notice_amount_to_date
        FROM cumulative
        ORDER BY support_oppose DESC, date
        """,
        [candidate_id, cycle],
    )


# ----------------------------------------------------------------------------- a spender (committee)


def spender_outside_cycles(committee_id: str) -> pd.DataFrame:
    """Each cycle in which the committee reported independent expenditures (for candidates matched
    or not), newest first: `support` and `oppose` from regular reports, `notice_support` and
    `notice_oppose` from 24/48-hour notices not yet in a regular report (apart), first_date and
    last_date."""
    return db.query(
        f"""
        SELECT cycle, {_SIDE_SUMS}
        FROM outside_expenditures
        WHERE committee_id = ?
        GROUP BY cycle
        ORDER BY cycle DESC
        """,
        [committee_id],
    )


def spender_outside_candidates(committee_id: str, cycle: int) -> pd.DataFrame:
    """Where the committee spent in the cycle: one row per candidate and side ('S' for, 'O'
    against), biggest first: the candidate's name, party and race (office, state, district,
    race_label; race_path only when the candidacy is in a race of the cycle, `in_race`), amount and
    n from regular reports, notice_amount from 24/48-hour notices not yet in a regular report
    (apart), first_date, last_date, candidate_path."""
    frame = db.query(
        """
        SELECT s.cycle, s.candidate_id, c.name, c.party, c.office, c.state, c.district, c.in_race, s.support_oppose,
               s.amount, s.n, s.notice_amount, s.first_date, s.last_date
        FROM agg_outside_spenders AS s
        JOIN candidates AS c ON c.candidate_id = s.candidate_id AND c.cycle = s.cycle
        WHERE s.committee_id = ? AND s.cycle = ?
        ORDER BY s.amount DESC, s.notice_amount DESC, c.name, s.support_oppose DESC
        """,
        [committee_id, cycle],
    )
    frame = add_candidate_links(add_race_links(frame))
    frame["race_path"] = [path if in_race else None for path, in_race in zip(frame["race_path"], frame["in_race"])]
    return frame


def spender_outside_races(committee_id: str, cycle: int) -> pd.DataFrame:
    """Where the committee spent in the cycle, by race and side ('S': for candidates of the race,
    'O': against them), biggest first: amount and n from regular reports, notice_amount from
    24/48-hour notices not yet in a regular report (apart), candidates (how many it spent on),
    first_date, last_date, race_label, race_path. Races hold their `in_race` candidates only, as the
    race page does; money for a candidacy in no race is in spender_outside_candidates alone."""
    frame = db.query(
        """
        SELECT s.cycle, c.office, c.state, c.district, s.support_oppose, sum(s.amount) AS amount,
               CAST(sum(s.n) AS BIGINT) AS n, sum(s.notice_amount) AS notice_amount,
               count(DISTINCT s.candidate_id) AS candidates, min(s.first_date) AS first_date,
               max(s.last_date) AS last_date
        FROM agg_outside_spenders AS s
        JOIN candidates AS c ON c.candidate_id = s.candidate_id AND c.cycle = s.cycle
        WHERE s.committee_id = ? AND s.cycle = ? AND c.in_race
        GROUP BY s.cycle, c.office, c.state, c.district, s.support_oppose
        ORDER BY amount DESC, notice_amount DESC, c.office, c.state, c.district, s.support_oppose DESC
        """,
        [committee_id, cycle],
    )
    return add_race_links(frame)


def spender_outside_daily(committee_id: str, cycle: int) -> pd.DataFrame:
    """The committee's outside money for ('S') and against ('O') candidates per day with money
    (all candidates, matched or not): amount, n and amount_to_date from regular reports;
    notice_amount and notice_amount_to_date from 24/48-hour notices not yet in a regular report."""
    source = """SELECT date, support_oppose, from_notice, amount, 1 AS n FROM outside_expenditures
                WHERE committee_id = ? AND cycle = ?"""
    return db.query(
        f"""
        WITH {_cumulative(source)}
        SELECT date, support_oppose, amount, n, amount_to_date, notice_amount, notice_amount_to_date
        FROM cumulative
        ORDER BY support_oppose DESC, date
        """,
        [committee_id, cycle],
    )


def spender_outside_unmatched(committee_id: str, cycle: int) -> pd.DataFrame:
    """The committee's expenditures naming a candidate that no candidate of the cycle matches (or
    several do), as filed, with the reason; in no candidate's or race's figures. `amount` and `n`
    are as the extract keeps them: regular-report and 24/48-hour-notice lines together."""
    return db.query(
        """
        SELECT cycle, committee_id, spender_name, candidate_name, candidate_office, candidate_state,
               candidate_district, support_oppose, amount, n, reason
        FROM outside_unmatched
        WHERE committee_id = ? AND cycle = ?
        ORDER BY amount DESC, candidate_name
        """,
        [committee_id, cycle],
    )
