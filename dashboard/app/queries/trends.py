"""The staff trends monitor: what changed, who is surging, what just arrived.

Every function takes the page's filters (state, office, party: None means all) and answers from
small extracts: `agg_daily` (itemized individual money per day across all committees),
`candidate_periods` and `candidate_totals` (summary totals), `large_receipts` (contributions of
contract.LARGE_RECEIPT_FLOOR or more, sorted by date) and the change extracts the builder writes
against the previous snapshot (`changes_candidates`, `changes_reports`, `changes_notices`).

"The same point of the previous cycle" is the same day number counted from each cycle's first
day (January 1 of its odd year), so day 600 of 2026 is compared with day 600 of 2024.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from urllib.parse import urlencode

import pandas as pd

from dashboard.app import db
from dashboard.app.queries._columns import add_candidate_links, add_committee_links, add_race_links
from dashboard.core import config, contract, fec, params

PATH = "/trends"
WINDOWS = {"7": 7, "30": 30, "90": 90, "365": 365, "cycle": None}  # URL value -> days (None: cycle to date)
BUCKETS = ("day", "week")
MOVER_ORDERS = ("dollars", "percent")
DEFAULT_MINIMUM = 2000
# A mover must have raised at least this much in each of the two things compared (both reports; the
# cycle total before, when ranked in percent): $10 to $1,000 is not a surge, and without a floor the
# tiniest committees fill the top of a ranking in percent.
MOVER_MINIMUM = 5000
MAXIMUM_THRESHOLD = 100_000_000


@dataclass(frozen=True)
class TrendFilters:
    """The page's filters, parsed from the URL; every value validated, none trusted."""

    cycle: int
    state: str | None = None
    office: str | None = None
    party: str | None = None
    window: str = "30"
    by: str = "day"
    minimum: int = DEFAULT_MINIMUM
    movers: str = "dollars"

    @classmethod
    def from_query(
        cls, cycle=None, state=None, office=None, party=None, window=None, by=None, min=None, movers=None, **_other
    ) -> "TrendFilters":  # noqa: A002 (the URL says min)
        def given(value) -> bool:
            return value is not None and str(value).strip() not in ("", "all")

        return cls(
            cycle=params.cycle(cycle),
            state=params.state(state) if given(state) else None,
            office=params.office(office) if given(office) else None,
            party=params.party(party) if given(party) else None,
            window=params.choice(window, "window", WINDOWS, "30"),
            by=params.choice(by, "by", BUCKETS, "day"),
            minimum=(
                params.whole_dollars(min, "min", contract.LARGE_RECEIPT_FLOOR, MAXIMUM_THRESHOLD)
                if given(min)
                else DEFAULT_MINIMUM
            ),
            movers=params.choice(movers, "movers", MOVER_ORDERS, "dollars"),
        )

    def path(self, **changes) -> str:
        """/trends?... with these filters (and any changed), defaults left out."""
        chosen = replace(self, **changes)
        query = {
            "cycle": chosen.cycle,
            "state": chosen.state,
            "office": chosen.office,
            "party": chosen.party,
            "window": None if chosen.window == "30" else chosen.window,
            "by": None if chosen.by == "day" else chosen.by,
            "min": None if chosen.minimum == DEFAULT_MINIMUM else chosen.minimum,
            "movers": None if chosen.movers == "dollars" else chosen.movers,
        }
        return f"{PATH}?{urlencode({k: v for k, v in query.items() if v is not None})}"

    def window_dates(self, end: date) -> tuple[date, date]:
        """First and last day of the window ending on `end` (whole weeks when counted by week)."""
        days = WINDOWS[self.window]
        if days is None:
            return cycle_start(self.cycle), end
        if self.by == "week":
            days = 7 * -(-days // 7)
        return max(end - timedelta(days=days - 1), cycle_start(self.cycle)), end


def cycle_start(cycle: int) -> date:
    return date(cycle - 1, 1, 1)


def same_day_previous_cycle(day: date, cycle: int) -> date:
    """Day N of `cycle` -> day N of the cycle before."""
    return cycle_start(cycle - 2) + (day - cycle_start(cycle))


# Filters on agg_daily / large_receipts columns (or candidates' with a table prefix): only `?`.
def _where(state, office, party, table: str = "") -> tuple[str, list]:
    return (
        f"(? IS NULL OR {table}state = ?) AND (? IS NULL OR {table}office = ?) AND (? IS NULL OR {table}party = ?)",
        [state, state, office, office, party, party],
    )


def data_end(cycle: int) -> date | None:
    """The last day with itemized receipts in the cycle: where 'this week' ends."""
    frame = db.query("SELECT max(date) AS last_day FROM agg_daily WHERE cycle = ?", [cycle])
    last = frame["last_day"].iloc[0] if not frame.empty else None
    return None if last is None or pd.isna(last) else pd.Timestamp(last).date()


def party_options(cycle: int) -> list[str]:
    """The FEC party codes of the cycle's candidates, the most common first. Codes filers made up
    ('N/A', 'X-X': about 1% of real candidates) are left out: params.party refuses them, so a
    filter offering one would lead to an error page."""
    frame = db.query(
        "SELECT party, count(*) AS n FROM candidates WHERE cycle = ? AND party IS NOT NULL "
        "GROUP BY party ORDER BY n DESC, party",
        [cycle],
    )
    return [code for code in frame["party"] if code in fec.PARTY_DESCRIPTIONS]


def receipts_over_time(
    cycle: int, start: date, end: date, by: str = "day", state=None, office=None, party=None
) -> pd.DataFrame:
    """Itemized individual money across all committees per day or week (weeks end on `end`'s
    weekday) by party and office: `period_end`, `party`, `office`, `amount`, `n`, and
    `previous_cycle` (False for this cycle, True for the same days of the previous cycle, dated
    as the matching days of this one)."""
    shift = (cycle_start(cycle) - cycle_start(cycle - 2)).days
    condition, bound = _where(state, office, party)
    bucket = "day" if by == "day" else "week"
    frame = db.query(
        f"""
        WITH days AS (
            SELECT date, party, office, amount, n, false AS previous_cycle FROM agg_daily
            WHERE cycle = ? AND date BETWEEN ? AND ? AND {condition}
            UNION ALL
            SELECT date + CAST(? AS INTEGER), party, office, amount, n, true FROM agg_daily
            WHERE cycle = ? AND date BETWEEN ? AND ? AND {condition}
        )
        SELECT CASE WHEN ? = 'day' THEN date
                    ELSE CAST(? AS DATE) - 7 * CAST(floor((CAST(? AS DATE) - date) / 7) AS INTEGER) END AS period_end,
               party, office, previous_cycle, sum(amount) AS amount, sum(n) AS n
        FROM days GROUP BY ALL ORDER BY previous_cycle, period_end, party, office
        """,
        [
            cycle,
            start,
            end,
            *bound,
            shift,
            cycle - 2,
            start - timedelta(days=shift),
            end - timedelta(days=shift),
            *bound,
            bucket,
            end,
            end,
        ],
    )
    return frame


def comparison(cycle: int, start: date, end: date, state=None, office=None, party=None) -> pd.DataFrame:
    """Per party and office: itemized money in the window (`in_window`), in the window just before
    it (`previous_window`), in the same days of the previous cycle (`previous_cycle_window`), this
    cycle to `end` (`cycle_to_date`) and the previous cycle to the same day
    (`previous_cycle_to_date`). One row per party and office with money in any of them."""
    length = (end - start).days + 1
    previous = cycle - 2
    condition, bound = _where(state, office, party)
    frame = db.query(
        f"""
        SELECT party, office,
               coalesce(sum(amount) FILTER (WHERE cycle = ? AND date BETWEEN ? AND ?), 0) AS in_window,
               coalesce(sum(amount) FILTER (WHERE date BETWEEN ? AND ?), 0) AS previous_window,
               coalesce(sum(amount) FILTER (WHERE cycle = ? AND date BETWEEN ? AND ?), 0) AS previous_cycle_window,
               coalesce(sum(amount) FILTER (WHERE cycle = ? AND date <= ?), 0) AS cycle_to_date,
               coalesce(sum(amount) FILTER (WHERE cycle = ? AND date <= ?), 0) AS previous_cycle_to_date
        FROM agg_daily
        WHERE cycle IN (?, ?) AND {condition}
        GROUP BY party, office
        ORDER BY in_window DESC, cycle_to_date DESC, party, office
        """,
        [
            cycle,
            start,
            end,
            start - timedelta(days=length),
            start - timedelta(days=1),
            previous,
            same_day_previous_cycle(start, cycle),
            same_day_previous_cycle(end, cycle),
            cycle,
            end,
            previous,
            same_day_previous_cycle(end, cycle),
            cycle,
            previous,
            *bound,
        ],
    )
    frame["window_change"] = _relative(frame["in_window"], frame["previous_window"])
    frame["previous_cycle_change"] = _relative(frame["in_window"], frame["previous_cycle_window"])
    frame["cycle_to_date_change"] = _relative(frame["cycle_to_date"], frame["previous_cycle_to_date"])
    return frame


def _relative(now: pd.Series, before: pd.Series) -> pd.Series:
    """(now - before) / before, empty where there was nothing before."""
    now, before = now.astype(float), before.astype(float)
    return ((now - before) / before.where(before > 0)).astype(float)


def changes_summary() -> dict:
    """What the manifest says about the previous snapshot this one was compared with."""
    changes = db.manifest().get("changes")
    if changes is None:
        return {"previous_snapshot_id": None, "reason": "this snapshot was built before the builder recorded changes"}
    return changes


_CANDIDATE_COLUMNS = "c.name, c.party, c.office, c.state, c.district"


def movers_since_snapshot(
    cycle: int, state=None, office=None, party=None, order: str = "dollars", limit: int = 25
) -> pd.DataFrame:
    """Candidates whose summary-total receipts (the cycle to date) grew since the previous snapshot,
    most first, in dollars or in percent (in percent only from MOVER_MINIMUM dollars before); with
    the itemized receipts that arrived and dropped out. Empty when there was no earlier snapshot."""
    condition, bound = _where(state, office, party, table="c.")
    frame = db.query(
        f"""
        SELECT m.candidate_id, m.cycle, {_CANDIDATE_COLUMNS}, m.previous_receipts, m.receipts,
               m.receipts_change, CAST(m.receipts_change AS DOUBLE) / nullif(m.previous_receipts, 0) AS receipts_change_pct,
               m.itemized_change, m.arrived_n, m.arrived_amount, m.dropped_n, m.dropped_amount,
               m.coverage_end, m.previous_snapshot_id
        FROM changes_candidates m JOIN candidates c USING (candidate_id, cycle)
        WHERE m.cycle = ? AND m.receipts_change > 0 AND {condition}
          AND (? = 'dollars' OR m.previous_receipts >= ?)
        ORDER BY CASE WHEN ? = 'dollars' THEN m.receipts_change
                      ELSE CAST(m.receipts_change AS DOUBLE) / m.previous_receipts END DESC, m.candidate_id
        LIMIT ?
        """,
        [cycle, *bound, order, MOVER_MINIMUM, order, limit],
    )
    return _with_links(frame)


def arrivals_since_snapshot(cycle: int, state=None, office=None, party=None, limit: int = 100) -> pd.DataFrame:
    """Candidates with itemized receipts that arrived (or dropped out: replaced by an amendment)
    since the previous snapshot, the most money arrived first."""
    condition, bound = _where(state, office, party, table="c.")
    frame = db.query(
        f"""
        SELECT m.candidate_id, m.cycle, {_CANDIDATE_COLUMNS}, m.arrived_n, m.arrived_amount,
               m.dropped_n, m.dropped_amount, m.itemized_change, m.itemized
        FROM changes_candidates m JOIN candidates c USING (candidate_id, cycle)
        WHERE m.cycle = ? AND (m.arrived_n > 0 OR m.dropped_n > 0) AND {condition}
        ORDER BY m.arrived_amount DESC, m.candidate_id
        LIMIT ?
        """,
        [cycle, *bound, limit],
    )
    return _with_links(frame)


def arrivals_total(cycle: int, state=None, office=None, party=None) -> dict:
    """The itemized receipts that arrived and dropped out since the previous snapshot in `cycle`
    (for these filters): `candidates`, `arrived_n`, `arrived_amount`, `dropped_n`, `dropped_amount`.
    A candidate missing from `candidates` still counts when no filter is set."""
    condition, bound = _where(state, office, party, table="c.")
    frame = db.query(
        f"""
        SELECT count(*) FILTER (WHERE m.arrived_n > 0) AS candidates,
               coalesce(sum(m.arrived_n), 0) AS arrived_n, coalesce(sum(m.arrived_amount), 0) AS arrived_amount,
               coalesce(sum(m.dropped_n), 0) AS dropped_n, coalesce(sum(m.dropped_amount), 0) AS dropped_amount
        FROM changes_candidates m LEFT JOIN candidates c USING (candidate_id, cycle)
        WHERE m.cycle = ? AND {condition}
        """,
        [cycle, *bound],
    )
    return frame.iloc[0].to_dict()


def new_reports(cycle: int, state=None, office=None, party=None, limit: int = 200) -> pd.DataFrame:
    """Report periods new since the previous snapshot, or whose figures an amendment revised
    (`change` new/revised), newest period first, with the candidate."""
    condition, bound = _where(state, office, party, table="c.")
    frame = db.query(
        f"""
        SELECT r.candidate_id, r.cycle, {_CANDIDATE_COLUMNS}, r.report_year, r.report_type,
               r.coverage_start, r.coverage_end, r.change, r.previous_receipts, r.receipts,
               r.disbursements, r.cash_on_hand_end
        FROM changes_reports r JOIN candidates c USING (candidate_id, cycle)
        WHERE r.cycle = ? AND {condition}
        ORDER BY r.coverage_end DESC, r.receipts DESC NULLS LAST, r.candidate_id
        LIMIT ?
        """,
        [cycle, *bound, limit],
    )
    return _with_links(frame)


def new_notices(cycle: int, state=None, office=None, party=None, limit: int = 200) -> pd.DataFrame:
    """24/48-hour notices of independent expenditures new since the previous snapshot (not yet in a
    regular report), largest first, with the candidate they are for or against and the spender."""
    condition, bound = _where(state, office, party, table="c.")
    frame = db.query(
        f"""
        SELECT n.candidate_id, n.cycle, {_CANDIDATE_COLUMNS}, n.date, n.filed_date, n.support_oppose, n.amount,
               n.committee_id, n.spender_name, n.spender_type, n.sub_id
        FROM changes_notices n JOIN candidates c USING (candidate_id, cycle)
        WHERE n.cycle = ? AND {condition}
        ORDER BY n.amount DESC, n.sub_id
        LIMIT ?
        """,
        [cycle, *bound, limit],
    )
    return add_committee_links(_with_links(frame), path_column="spender_path")


def movers_since_period(
    cycle: int, since: date, state=None, office=None, party=None, order: str = "dollars", limit: int = 25
) -> pd.DataFrame:
    """Candidates whose latest report (ending on or after `since`) raised more per day than the
    report before it, most first in dollars per day or in percent. Reports cover periods of 14 to
    92 days, so their totals are not comparable: each report's summary-total receipts are divided
    by the days it covers (`days`, `per_day`; `previous_days`, `previous_per_day`). Both reports
    must have raised at least MOVER_MINIMUM dollars; reports without coverage dates are left out."""
    condition, bound = _where(state, office, party, table="c.")
    frame = db.query(
        f"""
        WITH ranked AS (
            SELECT candidate_id, report_year, report_type, coverage_start, coverage_end, receipts,
                   coverage_end - coverage_start + 1 AS days,
                   row_number() OVER (PARTITION BY candidate_id ORDER BY coverage_end DESC, report_year DESC,
                                      report_type DESC) AS newest
            FROM candidate_periods WHERE cycle = ? AND coverage_start IS NOT NULL AND coverage_end IS NOT NULL
        ), latest AS (
            SELECT l.candidate_id, l.report_type, l.report_year, l.coverage_start, l.coverage_end, l.receipts, l.days,
                   CAST(l.receipts AS DOUBLE) / l.days AS per_day,
                   p.report_type AS previous_report_type, p.report_year AS previous_report_year,
                   p.coverage_start AS previous_coverage_start, p.coverage_end AS previous_coverage_end,
                   p.receipts AS previous_receipts, p.days AS previous_days,
                   CAST(p.receipts AS DOUBLE) / p.days AS previous_per_day
            FROM ranked l JOIN ranked p ON p.candidate_id = l.candidate_id AND p.newest = 2
            WHERE l.newest = 1 AND l.coverage_end >= ? AND l.days > 0 AND p.days > 0
              AND l.receipts >= ? AND p.receipts >= ?
        )
        SELECT l.*, ? AS cycle, {_CANDIDATE_COLUMNS}, l.per_day - l.previous_per_day AS per_day_change,
               l.per_day / l.previous_per_day - 1 AS per_day_change_pct
        FROM latest l JOIN candidates c ON c.candidate_id = l.candidate_id AND c.cycle = ?
        WHERE l.per_day > l.previous_per_day AND {condition}
        ORDER BY CASE WHEN ? = 'dollars' THEN l.per_day - l.previous_per_day
                      ELSE l.per_day / l.previous_per_day END DESC,
                 l.candidate_id
        LIMIT ?
        """,
        [cycle, since, MOVER_MINIMUM, MOVER_MINIMUM, cycle, cycle, *bound, order, limit],
    )
    return _with_links(frame)


def large_contributions(
    cycle: int, start: date, end: date, minimum: int, state=None, office=None, party=None, limit: int = 500
) -> pd.DataFrame:
    """Itemized contributions from individuals of `minimum` dollars or more received in the
    window by the cycle's candidates (state/office/party are the recipient's), largest first."""
    condition, bound = _where(state, office, party, table="r.")
    # The top rows are picked from large_receipts alone and joined afterwards: a single-table
    # top-N lets DuckDB read the wide text columns for the chosen rows only (late materialization).
    frame = db.query(
        f"""
        SELECT r.date, r.amount, r.contributor_name, r.city, r.contributor_state, r.employer,
               r.occupation, r.is_earmarked, r.conduit_committee_id, r.committee_id, r.sub_id,
               r.candidate_id, r.cycle, c.name, r.party, r.office, r.state, c.district
        FROM (SELECT * FROM large_receipts r
              WHERE r.cycle = ? AND r.date BETWEEN ? AND ? AND r.amount >= ? AND {condition}
              ORDER BY r.amount DESC, r.date DESC, r.sub_id
              LIMIT ?) r
        JOIN candidates c USING (candidate_id, cycle)
        ORDER BY r.amount DESC, r.date DESC, r.sub_id
        """,
        [
            cycle,
            start,
            end,
            max(minimum, contract.LARGE_RECEIPT_FLOOR),
            *bound,
            min(limit, config.get("EXPORT_ROW_CAP")),
        ],
    )
    return _with_links(frame)


def top_races_cumulative(cycle: int, state=None, office=None, party=None, races: int = 8) -> pd.DataFrame:
    """The `races` races whose candidates (of `party`, if given) raised the most in the cycle,
    and each one's cumulative summary-total receipts at the end of every report period:
    `date`, `cumulative`, `total`, plus race_label and race_path. The last point of each race
    is its total."""
    frame = db.query(
        """
        WITH entrants AS (
            SELECT candidate_id, office, CASE WHEN office = 'P' THEN 'US' ELSE state END AS state,
                   CASE WHEN office = 'H' THEN district ELSE '00' END AS district
            FROM candidates
            WHERE cycle = ? AND (? IS NULL OR state = ?) AND (? IS NULL OR office = ?) AND (? IS NULL OR party = ?)
        ), top AS (
            SELECT e.office, e.state, e.district, sum(t.receipts) AS total
            FROM entrants e JOIN candidate_totals t ON t.candidate_id = e.candidate_id AND t.cycle = ?
            GROUP BY ALL HAVING sum(t.receipts) > 0
            ORDER BY total DESC, e.office, e.state, e.district LIMIT ?
        ), steps AS (
            SELECT e.office, e.state, e.district, p.coverage_end AS date, sum(p.receipts) AS receipts
            FROM candidate_periods p JOIN entrants e USING (candidate_id)
            JOIN top USING (office, state, district)
            WHERE p.cycle = ? GROUP BY ALL
        )
        SELECT s.office, s.state, s.district, ? AS cycle, s.date,
               sum(s.receipts) OVER (PARTITION BY s.office, s.state, s.district ORDER BY s.date) AS cumulative,
               t.total
        FROM steps s JOIN top t USING (office, state, district)
        ORDER BY t.total DESC, s.office, s.state, s.district, s.date
        """,
        [cycle, state, state, office, office, party, party, cycle, races, cycle, cycle],
    )
    return add_race_links(frame)


def _with_links(frame: pd.DataFrame) -> pd.DataFrame:
    return add_race_links(add_candidate_links(frame))
