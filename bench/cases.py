"""What `make bench` times: every public function in dashboard/app/queries/, with representative
parameters, and the same question answered from the raw tables as the baseline.

A function without a case here makes the benchmark fail, so new queries get timed. Baselines are
DuckDB SQL over views `raw_<table>` of the raw store (the money rules applied in the query, as a
page would have to without extracts); None where the question has no raw-data form.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Callable

from dashboard.app import db
from dashboard.app.queries import (
    candidates,
    committees,
    donor_profile,
    donors,
    feeds,
    home,
    in_district,
    maps,
    outside,
    races,
    search,
    snapshot,
    trends,
)


@dataclass(frozen=True)
class Samples:
    """Representative parameters, picked from the benchmark snapshot."""

    cycle: int
    candidate_id: str
    house_state: str
    house_district: str
    committee_id: str
    search_text: str
    spender_id: str = ""  # the cycle's biggest outside spender
    outside_state: str = ""  # the House race with the most outside money, and its most targeted candidate
    outside_district: str = ""
    outside_candidate_id: str = ""


def pick_samples() -> Samples:
    row = db.query("""
        SELECT c.candidate_id, c.state, c.district, c.principal_committee_id, c.name
        FROM candidates c JOIN candidate_totals t USING (candidate_id, cycle)
        WHERE c.office = 'H' AND c.cycle = 2024
        ORDER BY abs(t.receipts - (SELECT median(receipts) FROM candidate_totals WHERE cycle = 2024))
        LIMIT 1""").iloc[0]
    last, first = row["name"].split(", ", 1)
    spender = db.query(
        "SELECT committee_id FROM agg_outside_spenders WHERE cycle = 2024 "
        "GROUP BY committee_id ORDER BY sum(amount) DESC, committee_id LIMIT 1"
    )
    target = db.query(
        "SELECT c.state, c.district, s.candidate_id FROM agg_outside_spenders s "
        "JOIN candidates c USING (candidate_id, cycle) WHERE s.cycle = 2024 AND c.office = 'H' "
        "GROUP BY ALL ORDER BY sum(s.amount) DESC, s.candidate_id LIMIT 1"
    )
    outside_race = tuple(target.iloc[0]) if len(target) else (row["state"], row["district"], row["candidate_id"])
    return Samples(
        2024,
        row["candidate_id"],
        row["state"],
        row["district"],
        row["principal_committee_id"],
        f"{first[:3]} {last[:4]}".lower(),
        spender["committee_id"].iloc[0] if len(spender) else row["principal_committee_id"],
        *outside_race,
    )


# Raw-data building blocks for baselines: current reports of a candidate's own committees.
RAW_TOTALS = """
    WITH superseded AS (SELECT previous_file_number AS f FROM raw_reports WHERE previous_file_number IS NOT NULL),
    current_reports AS (SELECT * FROM raw_reports WHERE file_number NOT IN (SELECT f FROM superseded)),
    own AS (SELECT DISTINCT candidate_id, cycle, committee_id FROM raw_linkages WHERE designation IN ('P', 'A')),
    newest AS (SELECT committee_id, cycle, max(coverage_end) AS last_end FROM current_reports GROUP BY ALL),
    raw_totals AS (
        SELECT o.candidate_id, r.cycle, sum(r.receipts) - sum(r.transfers_from_authorized) AS receipts,
               sum(r.disbursements) - sum(r.transfers_to_authorized) AS disbursements,
               sum(r.cash_on_hand_end) FILTER (WHERE r.coverage_end = n.last_end) AS cash_on_hand,
               max(r.coverage_end) AS coverage_end
        FROM current_reports r JOIN own o USING (committee_id, cycle) JOIN newest n USING (committee_id, cycle)
        GROUP BY ALL)
"""


# Itemized individual money of a candidate's own committees, the money rules applied by hand: no
# memo rows, no conduit copies of earmarked gifts, nothing from a superseded filing.
RAW_ITEMIZED = """
    WITH superseded AS (SELECT previous_file_number AS f FROM raw_reports WHERE previous_file_number IS NOT NULL),
    conduits AS (SELECT DISTINCT committee_id FROM raw_schedule_a WHERE receipt_type IN ('24T', '24I', '15I', '15T')),
    own AS (SELECT DISTINCT candidate_id, cycle, committee_id FROM raw_linkages WHERE designation IN ('P', 'A')),
    raw_itemized AS (
        SELECT o.candidate_id, a.* FROM raw_schedule_a a JOIN own o USING (committee_id, cycle)
        WHERE a.memo_code IS DISTINCT FROM 'X'
          AND coalesce(a.receipt_type, '15') IN ('10', '11', '15', '15E', '22Y', '30', '31', '32')
          AND a.committee_id NOT IN (SELECT committee_id FROM conduits)
          AND (a.file_number IS NULL OR a.file_number NOT IN (SELECT f FROM superseded))),
    race AS (SELECT DISTINCT candidate_id, state AS home FROM raw_candidates
             WHERE cycle = ? AND office = 'H' AND state = ? AND district = ?)
"""
RAW_BUCKET = """CASE WHEN abs(amount) <= 200 THEN 0 WHEN abs(amount) < 500 THEN 1 WHEN abs(amount) < 1000 THEN 2
                     WHEN abs(amount) < 2000 THEN 3 ELSE 4 END"""


def _race(s: "Samples") -> list:
    return [s.cycle, s.house_state, s.house_district]


# Trends: a 30-day window before the 2024 election, the busiest stretch of the cycle.
TREND_END = date(2024, 10, 31)
TREND_START = TREND_END - timedelta(days=29)
TREND_SHIFT = (date(2023, 1, 1) - date(2021, 1, 1)).days  # day N of 2024 -> day N of 2022

# Itemized individual money across all committees (agg_daily's question), the money rules by hand,
# with each committee's party and its candidate's office and state.
RAW_COUNTED = """
    WITH superseded AS (SELECT previous_file_number AS f FROM raw_reports WHERE previous_file_number IS NOT NULL),
    conduits AS (SELECT DISTINCT committee_id FROM raw_schedule_a WHERE receipt_type IN ('24T', '24I', '15I', '15T')),
    own AS (SELECT DISTINCT candidate_id, cycle, committee_id FROM raw_linkages WHERE designation IN ('P', 'A')),
    raw_counted AS (
        SELECT a.sub_id, a.cycle, a.committee_id, a.date, a.amount, a.contributor_name, m.party,
               coalesce(c.office, 'N') AS office, coalesce(c.state, m.state) AS state, o.candidate_id
        FROM raw_schedule_a a
        LEFT JOIN (SELECT DISTINCT committee_id, cycle, party, state FROM raw_committees) m USING (committee_id, cycle)
        LEFT JOIN own o USING (committee_id, cycle)
        LEFT JOIN (SELECT DISTINCT candidate_id, cycle, office, state FROM raw_candidates) c USING (candidate_id, cycle)
        WHERE a.memo_code IS DISTINCT FROM 'X'
          AND coalesce(a.receipt_type, '15') IN ('10', '11', '15', '15E', '22Y', '30', '31', '32')
          AND a.committee_id NOT IN (SELECT committee_id FROM conduits)
          AND (a.file_number IS NULL OR a.file_number NOT IN (SELECT f FROM superseded)))
"""
# Each candidate's current reports (newest version), as candidate_periods has them.
RAW_PERIODS = """
    WITH superseded AS (SELECT previous_file_number AS f FROM raw_reports WHERE previous_file_number IS NOT NULL),
    own AS (SELECT DISTINCT candidate_id, cycle, committee_id FROM raw_linkages WHERE designation IN ('P', 'A')),
    raw_periods AS (
        SELECT o.candidate_id, r.cycle, r.report_year, r.report_type, max(r.coverage_end) AS coverage_end,
               sum(r.receipts) - sum(r.transfers_from_authorized) AS receipts
        FROM raw_reports r JOIN own o USING (committee_id, cycle)
        WHERE r.file_number NOT IN (SELECT f FROM superseded) GROUP BY ALL)
"""


@dataclass(frozen=True)
class Case:
    call: Callable[[Samples], Any]
    baseline_sql: str | None = None
    baseline_params: Callable[[Samples], list] = lambda s: []
    # The speed a case must reach, (median ms, p95 ms), where an issue sets one: the run marks a case
    # over it as SLOW (it is measured to the end, never cancelled).
    limit_ms: tuple[float, float] | None = None


# Issue 14: every receipts-explorer search answers within 50 ms median and 100 ms p95 at 40M rows.
EXPLORER_LIMIT = (50.0, 100.0)


CASES: dict[str, Case] = {
    "home.headline_by_office": Case(
        lambda s: home.headline_by_office(s.cycle),
        RAW_TOTALS
        + """SELECT c.office, count(*), sum(t.receipts), sum(t.cash_on_hand)
            FROM (SELECT DISTINCT candidate_id, cycle, office FROM raw_candidates) c
            LEFT JOIN raw_totals t USING (candidate_id, cycle) WHERE c.cycle = ? GROUP BY c.office""",
        lambda s: [s.cycle],
    ),
    "home.cycles_available": Case(
        lambda s: home.cycles_available(), "SELECT DISTINCT cycle FROM raw_candidates ORDER BY 1 DESC"
    ),
    "races.top_races": Case(
        lambda s: races.top_races(s.cycle),
        RAW_TOTALS
        + """SELECT c.office, c.state, c.district, sum(t.receipts) AS receipts, count(*)
            FROM (SELECT DISTINCT candidate_id, cycle, office, state, district FROM raw_candidates) c
            LEFT JOIN raw_totals t USING (candidate_id, cycle) WHERE c.cycle = ?
            GROUP BY ALL ORDER BY receipts DESC NULLS LAST LIMIT 10""",
        lambda s: [s.cycle],
    ),
    "races.race_summary": Case(
        lambda s: races.race_summary(s.cycle, "H", s.house_state, s.house_district),
        RAW_TOTALS
        + """SELECT sum(t.receipts), sum(t.cash_on_hand), count(*)
            FROM raw_candidates c LEFT JOIN raw_totals t USING (candidate_id, cycle)
            WHERE c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ?""",
        lambda s: [s.cycle, s.house_state, s.house_district],
    ),
    "races.race_candidates": Case(
        lambda s: races.race_candidates(s.cycle, "H", s.house_state, s.house_district),
        RAW_TOTALS
        + """SELECT c.candidate_id, c.name, t.receipts, t.disbursements, t.cash_on_hand
            FROM raw_candidates c LEFT JOIN raw_totals t USING (candidate_id, cycle)
            WHERE c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? ORDER BY t.receipts DESC""",
        lambda s: [s.cycle, s.house_state, s.house_district],
    ),
    "races.race_cycles": Case(
        lambda s: races.race_cycles("H", s.house_state, s.house_district),
        "SELECT DISTINCT cycle FROM raw_candidates WHERE office = 'H' AND state = ? AND district = ?",
        lambda s: [s.house_state, s.house_district],
    ),
    "candidates.candidate_summary": Case(
        lambda s: candidates.candidate_summary(s.candidate_id, s.cycle),
        RAW_TOTALS + "SELECT * FROM raw_totals WHERE candidate_id = ? AND cycle = ?",
        lambda s: [s.candidate_id, s.cycle],
    ),
    "candidates.candidate_cycles": Case(
        lambda s: candidates.candidate_cycles(s.candidate_id),
        RAW_TOTALS + "SELECT cycle, receipts FROM raw_totals WHERE candidate_id = ? ORDER BY cycle",
        lambda s: [s.candidate_id],
    ),
    "candidates.candidate_committees": Case(
        lambda s: candidates.candidate_committees(s.candidate_id, s.cycle),
        "SELECT committee_id, designation FROM raw_linkages WHERE candidate_id = ? AND cycle = ?",
        lambda s: [s.candidate_id, s.cycle],
    ),
    "candidates.candidate_periods": Case(
        lambda s: candidates.candidate_periods(s.candidate_id, s.cycle),
        RAW_TOTALS
        + """SELECT r.report_year, r.report_type, max(r.coverage_end) AS coverage_end,
                   sum(r.receipts) - sum(r.transfers_from_authorized) AS receipts,
                   sum(sum(r.receipts) - sum(r.transfers_from_authorized)) OVER (ORDER BY max(r.coverage_end))
            FROM current_reports r JOIN own o USING (committee_id, cycle)
            WHERE o.candidate_id = ? AND r.cycle = ? GROUP BY ALL ORDER BY 3""",
        lambda s: [s.candidate_id, s.cycle],
    ),
    "candidates.candidate_sizes": Case(
        lambda s: candidates.candidate_sizes(s.candidate_id, s.cycle),
        RAW_ITEMIZED
        + f"""SELECT {RAW_BUCKET} AS bucket, sum(amount), count(*) FROM raw_itemized
            WHERE candidate_id = ? AND cycle = ? GROUP BY bucket
            UNION ALL SELECT -1, sum(individual_unitemized), NULL FROM raw_reports r JOIN own o USING (committee_id, cycle)
            WHERE o.candidate_id = ? AND r.cycle = ? AND r.file_number NOT IN (SELECT f FROM superseded)""",
        lambda s: _race(s) + [s.candidate_id, s.cycle, s.candidate_id, s.cycle],
    ),
    "candidates.candidate_states": Case(
        lambda s: candidates.candidate_states(s.candidate_id, s.cycle),
        RAW_ITEMIZED
        + """SELECT state, sum(amount) AS amount, count(*) FROM raw_itemized
            WHERE candidate_id = ? AND cycle = ? GROUP BY state ORDER BY amount DESC""",
        lambda s: _race(s) + [s.candidate_id, s.cycle],
    ),
    "candidates.candidate_donors": Case(
        lambda s: candidates.candidate_donors(s.candidate_id, s.cycle),
        RAW_ITEMIZED
        + """SELECT upper(contributor_name) || '|' || left(zip, 5) AS donor, sum(amount) AS amount,
                   count(*) FROM raw_itemized WHERE candidate_id = ? AND cycle = ?
            GROUP BY donor ORDER BY amount DESC LIMIT 100""",
        lambda s: _race(s) + [s.candidate_id, s.cycle],
    ),
    "candidates.candidate_employers": Case(
        lambda s: candidates.candidate_employers(s.candidate_id, s.cycle),
        RAW_ITEMIZED
        + """SELECT upper(trim(employer)) AS employer, sum(amount) AS amount, count(*),
                   list(DISTINCT employer) FROM raw_itemized WHERE candidate_id = ? AND cycle = ?
            GROUP BY 1 ORDER BY amount DESC LIMIT 100""",
        lambda s: _race(s) + [s.candidate_id, s.cycle],
    ),
    "candidates.candidate_occupations": Case(
        lambda s: candidates.candidate_occupations(s.candidate_id, s.cycle),
        RAW_ITEMIZED
        + """SELECT upper(trim(occupation)) AS occupation, sum(amount) AS amount, count(*),
                   list(DISTINCT occupation) FROM raw_itemized WHERE candidate_id = ? AND cycle = ?
            GROUP BY 1 ORDER BY amount DESC LIMIT 100""",
        lambda s: _race(s) + [s.candidate_id, s.cycle],
    ),
    "candidates.similar_candidates": Case(
        lambda s: candidates.similar_candidates(s.candidate_id[:5] + "9999"),
        """SELECT DISTINCT candidate_id, jaro_winkler_similarity(candidate_id, ?) AS similarity FROM raw_candidates
           ORDER BY similarity DESC LIMIT 5""",
        lambda s: [s.candidate_id[:5] + "9999"],
    ),
    "races.race_periods": Case(
        lambda s: races.race_periods(s.cycle, "H", s.house_state, s.house_district),
        RAW_TOTALS
        + """SELECT o.candidate_id, r.report_year, r.report_type, max(r.coverage_end) AS coverage_end,
                   sum(r.receipts) - sum(r.transfers_from_authorized) AS receipts
            FROM current_reports r JOIN own o USING (committee_id, cycle)
            JOIN raw_candidates c ON c.candidate_id = o.candidate_id AND c.cycle = r.cycle
            WHERE r.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? GROUP BY ALL ORDER BY 1, 4""",
        _race,
    ),
    "races.race_weekly": Case(
        lambda s: races.race_weekly(s.cycle, "H", s.house_state, s.house_district),
        RAW_ITEMIZED
        + """SELECT candidate_id, date_trunc('week', date) AS week, sum(amount), count(*)
            FROM raw_itemized WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race)
            GROUP BY ALL ORDER BY 1, 2""",
        lambda s: _race(s) + [s.cycle],
    ),
    "races.race_sizes": Case(
        lambda s: races.race_sizes(s.cycle, "H", s.house_state, s.house_district),
        RAW_ITEMIZED
        + f"""SELECT candidate_id, {RAW_BUCKET} AS bucket, sum(amount), count(*)
            FROM raw_itemized WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race) GROUP BY ALL""",
        lambda s: _race(s) + [s.cycle],
    ),
    "races.race_home_state": Case(
        lambda s: races.race_home_state(s.cycle, "H", s.house_state, s.house_district),
        RAW_ITEMIZED
        + """SELECT i.candidate_id, sum(amount) FILTER (WHERE i.state = race.home),
                   sum(amount) FILTER (WHERE i.state IS DISTINCT FROM race.home), sum(amount)
            FROM raw_itemized i JOIN race USING (candidate_id) WHERE i.cycle = ? GROUP BY ALL""",
        lambda s: _race(s) + [s.cycle],
    ),
    "races.nearby_races": Case(
        lambda s: races.nearby_races(s.cycle, "H", s.house_state, "53"),
        """SELECT DISTINCT cycle, office, state, district FROM raw_candidates
           WHERE state = ? AND (office = 'H' OR cycle = ?) ORDER BY cycle = ? DESC, district DESC LIMIT 6""",
        lambda s: [s.house_state, s.cycle, s.cycle],
    ),
    "committees.committee_cycles": Case(
        lambda s: committees.committee_cycles(s.committee_id),
        "SELECT * FROM raw_committees WHERE committee_id = ? ORDER BY cycle DESC",
        lambda s: [s.committee_id],
    ),
    "committees.committee_totals": Case(
        lambda s: committees.committee_totals(s.spender_id),
        """WITH superseded AS (SELECT previous_file_number AS f FROM raw_reports WHERE previous_file_number IS NOT NULL)
           SELECT cycle, sum(receipts), sum(disbursements), arg_max(cash_on_hand_end, coverage_end)
           FROM raw_reports WHERE committee_id = ? AND file_number NOT IN (SELECT f FROM superseded)
           GROUP BY cycle ORDER BY cycle DESC""",
        lambda s: [s.spender_id],
    ),
    "search.search": Case(
        lambda s: search.search(s.search_text),
        """SELECT name FROM raw_candidates WHERE contains(upper(name), upper(split_part(?, ' ', 2)))
           UNION ALL SELECT name FROM raw_committees WHERE contains(upper(name), upper(split_part(?, ' ', 2)))""",
        lambda s: [s.search_text, s.search_text],
    ),
    "snapshot.coverage_by_cycle": Case(
        lambda s: snapshot.coverage_by_cycle(),
        RAW_TOTALS + "SELECT cycle, max(coverage_end), count(*), sum(receipts) FROM raw_totals GROUP BY cycle",
    ),
    "snapshot.row_counts": Case(lambda s: snapshot.row_counts()),
    "snapshot.data_quality": Case(lambda s: snapshot.data_quality()),
    "snapshot.latest_coverage_end": Case(
        lambda s: snapshot.latest_coverage_end(), "SELECT max(coverage_end) FROM raw_reports"
    ),
    "trends.data_end": Case(
        lambda s: trends.data_end(s.cycle), "SELECT max(date) FROM raw_schedule_a WHERE cycle = ?", lambda s: [s.cycle]
    ),
    "trends.party_options": Case(
        lambda s: trends.party_options(s.cycle),
        "SELECT party, count(DISTINCT candidate_id) AS n FROM raw_candidates WHERE cycle = ? GROUP BY party ORDER BY n DESC",
        lambda s: [s.cycle],
    ),
    "trends.receipts_over_time": Case(
        lambda s: trends.receipts_over_time(s.cycle, TREND_START, TREND_END, "day"),
        RAW_COUNTED
        + """SELECT date, party, office, sum(amount), count(*) FROM raw_counted
            WHERE (cycle = ? AND date BETWEEN ? AND ?) OR (cycle = ? AND date BETWEEN ? AND ?) GROUP BY ALL""",
        lambda s: [
            s.cycle,
            TREND_START,
            TREND_END,
            s.cycle - 2,
            TREND_START - timedelta(days=TREND_SHIFT),
            TREND_END - timedelta(days=TREND_SHIFT),
        ],
    ),
    "trends.comparison": Case(
        lambda s: trends.comparison(s.cycle, TREND_START, TREND_END),
        RAW_COUNTED
        + """SELECT party, office, sum(amount) FILTER (WHERE cycle = ? AND date BETWEEN ? AND ?),
                   sum(amount) FILTER (WHERE date BETWEEN ? AND ?),
                   sum(amount) FILTER (WHERE cycle = ? AND date BETWEEN ? AND ?),
                   sum(amount) FILTER (WHERE cycle = ? AND date <= ?), sum(amount) FILTER (WHERE cycle = ? AND date <= ?)
            FROM raw_counted WHERE cycle IN (?, ?) GROUP BY ALL""",
        lambda s: [
            s.cycle,
            TREND_START,
            TREND_END,
            TREND_START - timedelta(days=30),
            TREND_START - timedelta(days=1),
            s.cycle - 2,
            TREND_START - timedelta(days=TREND_SHIFT),
            TREND_END - timedelta(days=TREND_SHIFT),
            s.cycle,
            TREND_END,
            s.cycle - 2,
            TREND_END - timedelta(days=TREND_SHIFT),
            s.cycle,
            s.cycle - 2,
        ],
    ),
    "trends.changes_summary": Case(lambda s: trends.changes_summary()),
    "trends.cycle_start": Case(lambda s: trends.cycle_start(s.cycle)),  # date arithmetic, no data
    "trends.same_day_previous_cycle": Case(lambda s: trends.same_day_previous_cycle(TREND_END, s.cycle)),
    # Without the change extracts a page would have to recompute today's side from the raw data
    # (and keep yesterday's somewhere): the baselines time today's side.
    "trends.movers_since_snapshot": Case(
        lambda s: trends.movers_since_snapshot(s.cycle),
        RAW_TOTALS + "SELECT candidate_id, receipts FROM raw_totals WHERE cycle = ? ORDER BY receipts DESC",
        lambda s: [s.cycle],
    ),
    "trends.arrivals_since_snapshot": Case(
        lambda s: trends.arrivals_since_snapshot(s.cycle),
        RAW_COUNTED
        + """SELECT candidate_id, count(*), sum(amount) FROM raw_counted
            WHERE cycle = ? AND candidate_id IS NOT NULL GROUP BY ALL""",
        lambda s: [s.cycle],
    ),
    "trends.arrivals_total": Case(
        lambda s: trends.arrivals_total(s.cycle),
        RAW_COUNTED + "SELECT count(*), sum(amount) FROM raw_counted WHERE cycle = ? AND candidate_id IS NOT NULL",
        lambda s: [s.cycle],
    ),
    "trends.new_reports": Case(
        lambda s: trends.new_reports(s.cycle),
        RAW_PERIODS + "SELECT * FROM raw_periods WHERE cycle = ? ORDER BY coverage_end DESC LIMIT 200",
        lambda s: [s.cycle],
    ),
    "trends.movers_since_period": Case(
        lambda s: trends.movers_since_period(s.cycle, TREND_START),
        RAW_PERIODS
        + """, ranked AS (SELECT *, row_number() OVER (PARTITION BY candidate_id ORDER BY coverage_end DESC) AS k
                                    FROM raw_periods WHERE cycle = ?)
            SELECT l.candidate_id, l.receipts - p.receipts AS change FROM ranked l JOIN ranked p
            ON p.candidate_id = l.candidate_id AND p.k = 2 WHERE l.k = 1 AND l.coverage_end >= ?
            ORDER BY change DESC LIMIT 25""",
        lambda s: [s.cycle, TREND_START],
    ),
    "trends.large_contributions": Case(
        lambda s: trends.large_contributions(s.cycle, TREND_START, TREND_END, 2000),
        RAW_COUNTED
        + """SELECT * FROM raw_counted WHERE cycle = ? AND candidate_id IS NOT NULL
            AND date BETWEEN ? AND ? AND amount >= 2000 ORDER BY amount DESC, date DESC LIMIT 500""",
        lambda s: [s.cycle, TREND_START, TREND_END],
    ),
    "trends.top_races_cumulative": Case(
        lambda s: trends.top_races_cumulative(s.cycle),
        RAW_PERIODS
        + """, races AS (SELECT DISTINCT candidate_id, office, state, district FROM raw_candidates WHERE cycle = ?),
            top AS (SELECT office, state, district, sum(receipts) AS total FROM raw_periods JOIN races USING (candidate_id)
                    WHERE cycle = ? GROUP BY ALL ORDER BY total DESC LIMIT 8)
            SELECT *, sum(receipts) OVER (PARTITION BY office, state, district ORDER BY coverage_end) FROM (
                SELECT office, state, district, coverage_end, sum(receipts) AS receipts
                FROM raw_periods JOIN races USING (candidate_id) JOIN top USING (office, state, district)
                WHERE cycle = ? GROUP BY ALL)""",
        lambda s: [s.cycle, s.cycle, s.cycle],
    ),
}


# The district map from the raw tables: totals by hand (RAW_TOTALS) plus the itemized shares from
# every raw receipt of the cycle, memo rows, conduit copies and superseded filings left out.
RAW_DISTRICT_MAP = (
    RAW_TOTALS
    + """,
    itemized AS (
        SELECT o.candidate_id, a.cycle, sum(a.amount) AS itemized,
               sum(a.amount) FILTER (WHERE a.state IS DISTINCT FROM c.state) AS out_of_state,
               sum(a.amount) FILTER (WHERE a.amount <= 200) AS small
        FROM raw_schedule_a a
        JOIN own o USING (committee_id, cycle)
        JOIN (SELECT DISTINCT candidate_id, cycle, state FROM raw_candidates) c USING (candidate_id, cycle)
        WHERE a.cycle = ? AND a.memo_code IS DISTINCT FROM 'X'
          AND a.receipt_type NOT IN ('24T', '24I', '15I', '15T')
          AND a.file_number NOT IN (SELECT f FROM superseded)
        GROUP BY ALL)
    SELECT c.state, c.district, count(*) AS n_candidates, sum(t.receipts) AS receipts,
           sum(t.cash_on_hand) AS cash_on_hand, max(t.receipts) / nullif(sum(t.receipts), 0) AS leader_share,
           sum(i.out_of_state) / nullif(sum(i.itemized), 0) AS out_of_state_share,
           sum(i.small) / nullif(sum(i.itemized), 0) AS small_share
    FROM (SELECT DISTINCT candidate_id, cycle, state, district FROM raw_candidates WHERE office = 'H') c
    LEFT JOIN raw_totals t USING (candidate_id, cycle)
    LEFT JOIN itemized i USING (candidate_id, cycle)
    WHERE c.cycle = ?
    GROUP BY ALL"""
)


def map_callback(s: Samples, view: str) -> int:
    """What the map page does for the national House map: its data, classes, figure and JSON
    (returns the JSON's size). The geometry is a URL, as in the app."""
    import json

    import plotly

    from dashboard.app.figures import map_classes
    from dashboard.app.figures import maps as map_figures

    rows = maps.map_rows(s.cycle, "H")
    classes = map_classes.classify(rows.loc[rows["has_race"], "receipts"])
    if view == "geo":
        figure = map_figures.choropleth(
            rows, "receipts", classes, s.cycle, "/geo-files/cd119/d.geojson", "/geo-files/cd119/s.geojson"
        )
    else:
        figure = map_figures.tile_grid(rows, "receipts", classes, s.cycle)
    return len(json.dumps(figure, cls=plotly.utils.PlotlyJSONEncoder))


CASES.update(
    {
        "maps.map_races": Case(lambda s: maps.map_races(s.cycle, "H"), RAW_DISTRICT_MAP, lambda s: [s.cycle, s.cycle]),
        "maps.map_candidates": Case(
            lambda s: maps.map_candidates(s.cycle, "H"),
            RAW_TOTALS
            + """SELECT c.state, c.district, c.name, t.receipts FROM raw_candidates c
            LEFT JOIN raw_totals t USING (candidate_id, cycle) WHERE c.cycle = ? AND c.office = 'H'
            QUALIFY row_number() OVER (PARTITION BY c.state, c.district ORDER BY t.receipts DESC NULLS LAST) <= 3""",
            lambda s: [s.cycle],
        ),
        "maps.map_rows": Case(lambda s: maps.map_rows(s.cycle, "H"), RAW_DISTRICT_MAP, lambda s: [s.cycle, s.cycle]),
        "maps.sort_rows": Case(lambda s: maps.sort_rows(maps.map_rows(s.cycle, "H"), "receipts")),
        "map_callback.national_map": Case(
            lambda s: map_callback(s, "geo"), RAW_DISTRICT_MAP, lambda s: [s.cycle, s.cycle]
        ),
        "map_callback.tile_grid": Case(
            lambda s: map_callback(s, "hex"), RAW_DISTRICT_MAP, lambda s: [s.cycle, s.cycle]
        ),
    }
)


# The receipts explorer (issue 5): one case per function, plus the explorer's typical searches
# (by name prefix, by ZIP, by a month of dates) as extra cases. Baselines apply the money rules to
# raw_schedule_a by hand (RAW_ITEMIZED).
from dashboard.app.queries import receipts as receipts_queries  # noqa: E402
from dashboard.app.queries.receipts import ReceiptFilters  # noqa: E402

_receipt_sample_cache: dict = {}


def _receipt_samples(s: Samples) -> dict:
    """Values of one itemized gift to the sample candidate: its donor's surname prefix, the first
    letters of two words of the name, ZIP code, city, employer and occupation (picked once per process)."""
    if not _receipt_sample_cache:
        row = db.query(
            "SELECT contributor_name, zip5, city, employer_norm, occupation_norm FROM receipts_date_order "
            "WHERE cycle = ? AND candidate_id = ? AND zip5 IS NOT NULL AND employer_norm IS NOT NULL "
            "AND occupation_norm IS NOT NULL AND city IS NOT NULL ORDER BY sub_id LIMIT 1",
            [s.cycle, s.candidate_id],
        ).iloc[0]
        last, first = (row["contributor_name"].split(",") + [""])[:2]
        _receipt_sample_cache.update(
            name=last[:5],
            two_words=f"{first.strip()[:2]} {last[:3]}".lower(),
            zip=row["zip5"],
            city=row["city"],
            employer=row["employer_norm"],
            occupation=row["occupation_norm"],
        )
    return _receipt_sample_cache


def _rx(s: Samples, **query) -> ReceiptFilters:
    return ReceiptFilters.from_query({"cycle": str(s.cycle), **query})


def _sample(key: str) -> Callable[[Samples], dict]:
    """URL values naming one sample value of the sample gift (name words, zip, city...)."""
    url_name = {"name": "q", "two_words": "q"}.get(key, key)
    return lambda s: {url_name: _receipt_samples(s)[key]}


def _second_page(filters: ReceiptFilters, sort: str) -> object:
    """Keyset paging: page 2 (the cursor of page 1 is taken outside the timing by the cache below)."""
    key = (filters, sort)
    if key not in _cursor_cache:
        _cursor_cache[key] = receipts_queries.receipts_after(filters, sort, None, 100)[1]
    return receipts_queries.receipts_after(filters, sort, _cursor_cache[key], 100)[0]


_cursor_cache: dict = {}
RAW_RECEIPTS = RAW_ITEMIZED + "SELECT count(*), sum(amount) FROM raw_itemized WHERE cycle = ? AND "
RAW_RECEIPTS_PAGE = (
    RAW_ITEMIZED + "SELECT * FROM raw_itemized WHERE cycle = ? AND {} ORDER BY amount DESC, sub_id LIMIT 100"
)
RAW_RECEIPTS_BY_DATE = (
    RAW_ITEMIZED + "SELECT * FROM raw_itemized WHERE cycle = ? AND {} ORDER BY date DESC, sub_id LIMIT 100"
)
_MONTH = ("2024-03-01", "2024-03-31")

CASES.update(
    {
        "receipts.receipts_summary": Case(
            lambda s: receipts_queries.receipts_summary(_rx(s, candidate_id=s.candidate_id)),
            RAW_RECEIPTS + "candidate_id = ?",
            lambda s: _race(s) + [s.cycle, s.candidate_id],
            EXPLORER_LIMIT,
        ),
        "receipts.receipts_page": Case(
            lambda s: receipts_queries.receipts_page(_rx(s, candidate_id=s.candidate_id), "-amount", 100, 0),
            RAW_RECEIPTS_PAGE.format("candidate_id = ?"),
            lambda s: _race(s) + [s.cycle, s.candidate_id],
            EXPLORER_LIMIT,
        ),
        "receipts.receipts_after": Case(
            lambda s: receipts_queries.receipts_after(_rx(s, candidate_id=s.candidate_id), "-amount", None, 100)[0],
            RAW_RECEIPTS_PAGE.format("candidate_id = ?"),
            lambda s: _race(s) + [s.cycle, s.candidate_id],
            EXPLORER_LIMIT,
        ),
        "receipts.receipts_batches": Case(
            lambda s: sum(b.num_rows for b in receipts_queries.receipts_batches(_rx(s, candidate_id=s.candidate_id))),
            RAW_ITEMIZED
            + "SELECT * FROM raw_itemized WHERE cycle = ? AND candidate_id = ? ORDER BY date DESC, sub_id DESC",
            lambda s: _race(s) + [s.cycle, s.candidate_id],
        ),
        "receipts.conduits": Case(
            lambda s: receipts_queries.conduits(s.cycle),
            "SELECT DISTINCT committee_id FROM raw_schedule_a WHERE cycle = ? AND receipt_type IN ('24T', '24I', '15I', '15T')",
            lambda s: [s.cycle],
        ),
        "receipts.filter_names": Case(
            lambda s: receipts_queries.filter_names(_rx(s, candidate_id=s.candidate_id, committee_id=s.committee_id)),
            "SELECT name FROM raw_candidates WHERE candidate_id = ? AND cycle = ? "
            "UNION ALL SELECT name FROM raw_committees WHERE committee_id = ? AND cycle = ?",
            lambda s: [s.candidate_id, s.cycle, s.committee_id, s.cycle],
        ),
    }
)

# The explorer's searches over a whole cycle (or all cycles), one filter at a time, each as a page
# of rows in a sort the grid offers and as the totals shown above it. The raw baseline applies the
# money rules to raw_schedule_a and filters it the simple way (ILIKE for names).
_EXPLORER_SEARCHES = {
    # case suffix -> (URL values, sort, raw condition, raw values)
    "name_prefix": (
        _sample("name"),
        "-amount",
        "contributor_name ILIKE ?",
        lambda s: [_receipt_samples(s)["name"] + "%"],
    ),
    "two_words": (
        _sample("two_words"),
        "-date",
        "contributor_name ILIKE ? AND contributor_name ILIKE ?",
        lambda s: [f"%{w}%" for w in _receipt_samples(s)["two_words"].split()],
    ),
    "common_word": (lambda s: {"q": "j"}, "-amount", "contributor_name ILIKE ?", lambda s: ["%J%"]),
    "zip": (_sample("zip"), "-amount", "left(zip, 5) = ?", lambda s: [_receipt_samples(s)["zip"]]),
    "city": (_sample("city"), "-date", "upper(city) LIKE ?", lambda s: [_receipt_samples(s)["city"].upper() + "%"]),
    "employer": (_sample("employer"), "-amount", "upper(employer) = ?", lambda s: [_receipt_samples(s)["employer"]]),
    "occupation": (
        _sample("occupation"),
        "date",
        "upper(occupation) = ?",
        lambda s: [_receipt_samples(s)["occupation"]],
    ),
    "date_range": (
        lambda s: {"from": _MONTH[0], "to": _MONTH[1]},
        "-amount",
        "date BETWEEN ? AND ?",
        lambda s: list(_MONTH),
    ),
    "amount_range": (lambda s: {"min": "1000", "max": "2000"}, "-date", "amount BETWEEN 1000 AND 2000", lambda s: []),
    "state_outside": (lambda s: {"state": "CA", "outside_state": "yes"}, "amount", "state = 'CA'", lambda s: []),
    "whole_cycle": (lambda s: {}, "-amount", "true", lambda s: []),
    "whole_cycle_by_date": (lambda s: {}, "-date", "true", lambda s: []),
}


def _explorer_cases(suffix: str, query, sort: str, raw_condition: str, raw_values) -> dict[str, Case]:
    def page(s):
        return receipts_queries.receipts_page(_rx(s, **query(s)), sort)

    def summary(s):
        return receipts_queries.receipts_summary(_rx(s, **query(s)))

    raw_page = (RAW_RECEIPTS_BY_DATE if sort.endswith("date") else RAW_RECEIPTS_PAGE).format(raw_condition)
    return {
        f"receipts.page_by_{suffix}": Case(
            page, raw_page, lambda s: _race(s) + [s.cycle, *raw_values(s)], EXPLORER_LIMIT
        ),
        f"receipts.summary_by_{suffix}": Case(
            summary, RAW_RECEIPTS + raw_condition, lambda s: _race(s) + [s.cycle, *raw_values(s)], EXPLORER_LIMIT
        ),
    }


for _suffix, _search in _EXPLORER_SEARCHES.items():
    CASES.update(_explorer_cases(_suffix, *_search))

CASES.update(
    {
        "receipts.page_2_keyset_whole_cycle": Case(
            lambda s: _second_page(_rx(s), "-amount"),
            RAW_ITEMIZED
            + "SELECT * FROM raw_itemized WHERE cycle = ? ORDER BY amount DESC, sub_id LIMIT 100 OFFSET 100",
            lambda s: _race(s) + [s.cycle],
            EXPLORER_LIMIT,
        ),
        "search.donors": Case(  # the header search's donors, by two partial words of a donor's name
            lambda s: search.donors(_receipt_samples(s)["two_words"]),
            RAW_ITEMIZED + "SELECT upper(contributor_name) || left(zip, 5) AS donor, sum(amount) AS total "
            "FROM raw_itemized WHERE contributor_name ILIKE ? AND contributor_name ILIKE ? "
            "GROUP BY donor ORDER BY total DESC LIMIT 5",
            lambda s: _race(s) + [f"%{w}%" for w in _receipt_samples(s)["two_words"].split()],
            EXPLORER_LIMIT,
        ),
        "receipts.page_at_row_5000_whole_cycle": Case(  # the grid scrolled far down (offset paging)
            lambda s: receipts_queries.receipts_page(_rx(s), "-amount", 100, 5000),
            RAW_ITEMIZED
            + "SELECT * FROM raw_itemized WHERE cycle = ? ORDER BY amount DESC, sub_id LIMIT 100 OFFSET 5000",
            lambda s: _race(s) + [s.cycle],
            EXPLORER_LIMIT,
        ),
        "receipts.page_2_keyset_name": Case(
            lambda s: _second_page(_rx(s, q="j"), "-date"),
            RAW_ITEMIZED
            + """SELECT * FROM raw_itemized WHERE cycle = ? AND contributor_name ILIKE '%J%'
                  ORDER BY date DESC, sub_id LIMIT 100 OFFSET 100""",
            lambda s: _race(s) + [s.cycle],
            EXPLORER_LIMIT,
        ),
        "receipts.page_all_cycles_by_amount": Case(
            lambda s: receipts_queries.receipts_page(ReceiptFilters.from_query({"cycle": "all"}), "-amount"),
            RAW_ITEMIZED + "SELECT * FROM raw_itemized ORDER BY amount DESC, sub_id LIMIT 100",
            lambda s: _race(s),
            EXPLORER_LIMIT,
        ),
        "receipts.page_all_cycles_by_name": Case(
            lambda s: receipts_queries.receipts_page(
                ReceiptFilters.from_query({"cycle": "all", "q": _receipt_samples(s)["two_words"]}), "-date"
            ),
            RAW_ITEMIZED
            + """SELECT * FROM raw_itemized WHERE contributor_name ILIKE ? AND contributor_name ILIKE ?
                  ORDER BY date DESC, sub_id LIMIT 100""",
            lambda s: _race(s) + [f"%{w}%" for w in _receipt_samples(s)["two_words"].split()],
            EXPLORER_LIMIT,
        ),
        "receipts.summary_all_cycles": Case(
            lambda s: receipts_queries.receipts_summary(ReceiptFilters.from_query({"cycle": "all"})),
            RAW_ITEMIZED + "SELECT count(*), sum(amount), min(date), max(date) FROM raw_itemized",
            lambda s: _race(s),
            EXPLORER_LIMIT,
        ),
    }
)

# Outside spending, feeds, election totals and refresh facts: all from extracts (no raw-data baseline
# is written for them: the raw form of outside spending is the counting rules of builder/outside.py).
CASES.update(
    {
        "candidates.candidate_election_totals": Case(
            lambda s: candidates.candidate_election_totals(s.candidate_id, s.cycle)
        ),
        "committees.cycles_without_candidates": Case(lambda s: committees.cycles_without_candidates()),
        "snapshot.refresh_health": Case(lambda s: snapshot.refresh_health()),
        "snapshot.last_refreshed_at": Case(lambda s: snapshot.last_refreshed_at()),
        "snapshot.refresh_coverage": Case(lambda s: snapshot.refresh_coverage()),
        "trends.new_notices": Case(lambda s: trends.new_notices(s.cycle)),
        "feeds.race_scope": Case(lambda s: feeds.race_scope(s.cycle, "H", s.house_state, s.house_district)),
        "feeds.candidate_scope": Case(lambda s: feeds.candidate_scope(s.candidate_id)),
        "feeds.committee_scope": Case(lambda s: feeds.committee_scope(s.spender_id)),
        "feeds.notices": Case(lambda s: feeds.notices(feeds.committee_scope(s.spender_id))),
        "feeds.reports": Case(lambda s: feeds.reports(feeds.candidate_scope(s.candidate_id))),
        "feeds.large_contributions": Case(lambda s: feeds.large_contributions(feeds.candidate_scope(s.candidate_id))),
        "outside.race_outside_candidates": Case(
            lambda s: outside.race_outside_candidates(s.cycle, "H", s.outside_state, s.outside_district)
        ),
        "outside.race_outside_daily": Case(
            lambda s: outside.race_outside_daily(s.cycle, "H", s.outside_state, s.outside_district)
        ),
        "outside.race_outside_share": Case(
            lambda s: outside.race_outside_share(s.cycle, "H", s.outside_state, s.outside_district)
        ),
        "outside.race_outside_spenders": Case(
            lambda s: outside.race_outside_spenders(s.cycle, "H", s.outside_state, s.outside_district)
        ),
        "outside.race_outside_unmatched": Case(
            lambda s: outside.race_outside_unmatched(s.cycle, "H", s.outside_state, s.outside_district)
        ),
        "outside.candidate_outside_summary": Case(
            lambda s: outside.candidate_outside_summary(s.outside_candidate_id, s.cycle)
        ),
        "outside.candidate_outside_spenders": Case(
            lambda s: outside.candidate_outside_spenders(s.outside_candidate_id, s.cycle)
        ),
        "outside.candidate_outside_daily": Case(
            lambda s: outside.candidate_outside_daily(s.outside_candidate_id, s.cycle)
        ),
        "outside.spender_outside_cycles": Case(lambda s: outside.spender_outside_cycles(s.spender_id)),
        "outside.spender_outside_races": Case(lambda s: outside.spender_outside_races(s.spender_id, s.cycle)),
        "outside.spender_outside_candidates": Case(lambda s: outside.spender_outside_candidates(s.spender_id, s.cycle)),
        "outside.spender_outside_daily": Case(lambda s: outside.spender_outside_daily(s.spender_id, s.cycle)),
        "outside.spender_outside_unmatched": Case(lambda s: outside.spender_outside_unmatched(s.spender_id, s.cycle)),
    }
)


@lru_cache(maxsize=None)
def _rival(cycle: int, state: str, district: str, candidate_id: str) -> str:
    """Another candidate of the sample's race (the biggest fundraiser but the sample), for gave_to_both;
    cached, so the timed calls do not count looking it up."""
    others = db.query(
        "SELECT c.candidate_id FROM candidates c LEFT JOIN candidate_totals t USING (candidate_id, cycle) "
        "WHERE c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? AND c.candidate_id <> ? "
        "ORDER BY t.receipts DESC NULLS LAST, c.candidate_id LIMIT 1",
        [cycle, state, district, candidate_id],
    )
    return others["candidate_id"].iloc[0] if len(others) else candidate_id


# Donors: distinct donor keys (name + ZIP5) over gifts, the money rules by hand over the raw rows.
RAW_DONOR = "upper(contributor_name) || '|' || left(zip, 5)"
# Donors who gave to both of two recipients (a candidate's or a committee's gifts, refunds left out).
RAW_SHARED_DONORS = f"""SELECT count(*) FROM (
    SELECT {RAW_DONOR} FROM raw_itemized WHERE cycle = ? AND {{column}} = ? AND amount > 0
    INTERSECT
    SELECT {RAW_DONOR} FROM raw_itemized WHERE cycle = ? AND {{column}} = ? AND amount > 0)"""
CASES.update(
    {
        "donors.candidate_donor_counts": Case(
            lambda s: donors.candidate_donor_counts(s.candidate_id, s.cycle),
            RAW_ITEMIZED
            + f"""SELECT count(*), count(*) FILTER (WHERE n >= 2) FROM (
                    SELECT {RAW_DONOR}, count(*) AS n FROM raw_itemized
                    WHERE candidate_id = ? AND cycle = ? AND amount > 0 AND receipt_type IS DISTINCT FROM '22Y'
                    GROUP BY 1)""",
            lambda s: _race(s) + [s.candidate_id, s.cycle],
        ),
        "donors.candidate_new_donors_weekly": Case(
            lambda s: donors.candidate_new_donors_weekly(s.candidate_id, s.cycle),
            RAW_ITEMIZED
            + f"""SELECT week, count(*) FROM (
                    SELECT {RAW_DONOR}, date_trunc('week', min(date)) AS week FROM raw_itemized
                    WHERE candidate_id = ? AND cycle = ? AND amount > 0 AND receipt_type IS DISTINCT FROM '22Y'
                    GROUP BY 1) GROUP BY week ORDER BY week""",
            lambda s: _race(s) + [s.candidate_id, s.cycle],
        ),
        "donors.race_donor_counts": Case(
            lambda s: donors.race_donor_counts(s.cycle, "H", s.house_state, s.house_district),
            RAW_ITEMIZED
            + f"""SELECT count(*), count(*) FILTER (WHERE n >= 2), count(*) FILTER (WHERE k >= 2) FROM (
                    SELECT {RAW_DONOR}, count(*) AS n, count(DISTINCT candidate_id) AS k FROM raw_itemized
                    WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race) AND amount > 0
                      AND receipt_type IS DISTINCT FROM '22Y'
                    GROUP BY 1)""",
            lambda s: _race(s) + [s.cycle],
        ),
        "donors.shared_donor_count": Case(
            lambda s: donors.shared_donor_count(
                s.candidate_id, _rival(s.cycle, s.house_state, s.house_district, s.candidate_id), s.cycle
            ),
            RAW_ITEMIZED + RAW_SHARED_DONORS.format(column="candidate_id"),
            lambda s: (
                _race(s)
                + [s.cycle, s.candidate_id, s.cycle, _rival(s.cycle, s.house_state, s.house_district, s.candidate_id)]
            ),
        ),
        "donors.gave_to_both": Case(
            lambda s: donors.gave_to_both(
                s.candidate_id, _rival(s.cycle, s.house_state, s.house_district, s.candidate_id), s.cycle
            ),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) FILTER (WHERE candidate_id = ?),
                         sum(amount) FILTER (WHERE candidate_id <> ?)
                  FROM raw_itemized
                  WHERE cycle = ? AND amount > 0 AND receipt_type IS DISTINCT FROM '22Y'
                    AND candidate_id IN (?, (SELECT min(candidate_id) FROM race WHERE candidate_id <> ?))
                  GROUP BY donor HAVING count(DISTINCT candidate_id) = 2""",
            lambda s: _race(s) + [s.candidate_id, s.candidate_id, s.cycle, s.candidate_id, s.candidate_id],
        ),
    }
)


@lru_cache(maxsize=None)
def _rival_committee(cycle: int, state: str, district: str, candidate_id: str) -> str:
    """The principal committee of the sample's rival (_rival), for the committee overlap; cached."""
    rival = _rival(cycle, state, district, candidate_id)
    found = db.query(
        "SELECT principal_committee_id FROM candidates WHERE candidate_id = ? AND cycle = ?", [rival, cycle]
    )
    return found["principal_committee_id"].iloc[0] if len(found) else ""


# Overlap of two committees, the race's new donors per week and the explorer's one-row-per-donor view
# (issue 14): the money rules by hand over the raw rows, donors as RAW_DONOR.
CASES.update(
    {
        "donors.committee_gave_to_both": Case(
            lambda s: donors.committee_gave_to_both(
                s.committee_id, _rival_committee(s.cycle, s.house_state, s.house_district, s.candidate_id), s.cycle
            ),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) FILTER (WHERE committee_id = ?),
                         sum(amount) FILTER (WHERE committee_id <> ?)
                  FROM raw_itemized
                  WHERE cycle = ? AND amount > 0 AND receipt_type IS DISTINCT FROM '22Y'
                    AND committee_id IN (?, ?)
                  GROUP BY donor HAVING count(DISTINCT committee_id) = 2""",
            lambda s: (
                _race(s)
                + [
                    s.committee_id,
                    s.committee_id,
                    s.cycle,
                    s.committee_id,
                    _rival_committee(s.cycle, s.house_state, s.house_district, s.candidate_id),
                ]
            ),
        ),
        "donors.committee_shared_donor_count": Case(
            lambda s: donors.committee_shared_donor_count(
                s.committee_id, _rival_committee(s.cycle, s.house_state, s.house_district, s.candidate_id), s.cycle
            ),
            RAW_ITEMIZED + RAW_SHARED_DONORS.format(column="committee_id"),
            lambda s: (
                _race(s)
                + [
                    s.cycle,
                    s.committee_id,
                    s.cycle,
                    _rival_committee(s.cycle, s.house_state, s.house_district, s.candidate_id),
                ]
            ),
        ),
        "donors.committee_has_receipts": Case(
            lambda s: donors.committee_has_receipts(s.spender_id, s.cycle),
            RAW_ITEMIZED
            + "SELECT EXISTS (SELECT 1 FROM raw_itemized WHERE cycle = ? AND committee_id = ? AND amount > 0)",
            lambda s: _race(s) + [s.cycle, s.spender_id],
        ),
        "donors.race_new_donors_weekly": Case(
            lambda s: donors.race_new_donors_weekly(s.cycle, "H", s.house_state, s.house_district),
            RAW_ITEMIZED
            + f"""SELECT candidate_id, week, count(*) FROM (
                    SELECT candidate_id, {RAW_DONOR}, date_trunc('week', min(date)) AS week FROM raw_itemized
                    WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race) AND amount > 0
                      AND receipt_type IS DISTINCT FROM '22Y'
                    GROUP BY 1, 2) GROUP BY ALL ORDER BY week""",
            lambda s: _race(s) + [s.cycle],
        ),
        "donors.race_new_donors_total_weekly": Case(
            lambda s: donors.race_new_donors_total_weekly(s.cycle, "H", s.house_state, s.house_district),
            RAW_ITEMIZED
            + f"""SELECT week, count(*) FROM (
                    SELECT {RAW_DONOR}, date_trunc('week', min(date)) AS week FROM raw_itemized
                    WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race) AND amount > 0
                      AND receipt_type IS DISTINCT FROM '22Y'
                    GROUP BY 1) GROUP BY week ORDER BY week""",
            lambda s: _race(s) + [s.cycle],
        ),
        "receipts.receipts_by_donor": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s, candidate_id=s.candidate_id), "-total", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date)
                  FROM raw_itemized WHERE cycle = ? AND candidate_id = ?
                  GROUP BY donor ORDER BY total DESC LIMIT 100""",
            lambda s: _race(s) + [s.cycle, s.candidate_id],
            EXPLORER_LIMIT,
        ),
        "receipts.by_donor_name_prefix": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s, q=_receipt_samples(s)["name"]), "-total", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date)
                  FROM raw_itemized WHERE cycle = ? AND contributor_name ILIKE ?
                  GROUP BY donor ORDER BY total DESC LIMIT 100""",
            lambda s: _race(s) + [s.cycle, _receipt_samples(s)["name"] + "%"],
            EXPLORER_LIMIT,
        ),
        "receipts.by_donor_whole_cycle": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s), "-total", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date)
                  FROM raw_itemized WHERE cycle = ? GROUP BY donor ORDER BY total DESC LIMIT 100""",
            lambda s: _race(s) + [s.cycle],
            EXPLORER_LIMIT,
        ),
        "receipts.by_donor_whole_cycle_latest": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s), "-last_date", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date) AS last
                  FROM raw_itemized WHERE cycle = ? GROUP BY donor ORDER BY last DESC, donor DESC LIMIT 100""",
            lambda s: _race(s) + [s.cycle],
            EXPLORER_LIMIT,
        ),
        "receipts.by_donor_all_cycles": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s, cycle="all"), "-total", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date)
                  FROM raw_itemized GROUP BY donor ORDER BY total DESC LIMIT 100""",
            lambda s: _race(s),
            EXPLORER_LIMIT,
        ),
        "receipts.by_donor_all_cycles_latest": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s, cycle="all"), "-last_date", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date) AS last
                  FROM raw_itemized GROUP BY donor ORDER BY last DESC, donor DESC LIMIT 100""",
            lambda s: _race(s),
            EXPLORER_LIMIT,
        ),
        "receipts.by_donor_all_cycles_by_name": Case(
            lambda s: receipts_queries.receipts_by_donor(_rx(s, cycle="all"), "name", 100, 0),
            RAW_ITEMIZED
            + f"""SELECT {RAW_DONOR} AS donor, sum(amount) AS total, count(*), min(date), max(date)
                  FROM raw_itemized GROUP BY donor ORDER BY donor LIMIT 100""",
            lambda s: _race(s),
            EXPLORER_LIMIT,
        ),
    }
)

# In-district money (needs a ZCTA relationship at build time; empty answers otherwise): the extract's
# rows per candidate and race. No raw-data form: the raw tables hold no districts of donors' ZIPs.
CASES.update(
    {
        "in_district.candidate_in_district": Case(lambda s: in_district.candidate_in_district(s.candidate_id, s.cycle)),
        "in_district.candidate_in_district_breakdown": Case(
            lambda s: in_district.candidate_in_district_breakdown(s.candidate_id, s.cycle)
        ),
        "in_district.race_in_district": Case(
            lambda s: in_district.race_in_district(s.cycle, s.house_state, s.house_district)
        ),
        "in_district.in_district_status": Case(lambda s: in_district.in_district_status(s.cycle)),
    }
)


@lru_cache(maxsize=None)
def _sample_donor(candidate_id: str, cycle: int) -> tuple[str, str, str]:
    """(donor_key, name as filed, ZIP5) of the sample candidate's biggest itemized donor, for the donor page's
    queries; cached, so the timed calls do not count looking it up."""
    top = db.query(
        "SELECT donor_key, contributor_name, zip5 FROM agg_candidate_donor WHERE candidate_id = ? AND cycle = ? "
        "ORDER BY rank LIMIT 1",
        [candidate_id, cycle],
    )
    return tuple(top.iloc[0]) if len(top) else ("?|?", "", "")


def _donor(s: "Samples") -> str:
    return _sample_donor(s.candidate_id, s.cycle)[0]


def _raw_donor(s: "Samples") -> list:
    """The race's parameters (RAW_ITEMIZED), then the sample donor's name as filed and ZIP5."""
    _key, name, zip5 = _sample_donor(s.candidate_id, s.cycle)
    return _race(s) + [name, zip5]


# One donor's page (issue 14, pages/donor.py): the donor's rows over every cycle. The raw baselines find the
# donor by the name as filed and ZIP5 (the raw rows have no donor key) with the money rules by hand.
RAW_ONE_DONOR = "FROM raw_itemized WHERE contributor_name = ? AND left(zip, 5) = ?"
CASES.update(
    {
        "donor_profile.donor_summary": Case(
            lambda s: donor_profile.donor_summary(_donor(s)),
            RAW_ITEMIZED + f"SELECT cycle, sum(amount), count(*), min(date), max(date) {RAW_ONE_DONOR} GROUP BY cycle",
            _raw_donor,
        ),
        "donor_profile.donor_gifts": Case(
            lambda s: donor_profile.donor_gifts(_donor(s)),
            RAW_ITEMIZED + f"SELECT * {RAW_ONE_DONOR} ORDER BY date DESC, sub_id DESC",
            _raw_donor,
        ),
        "donor_profile.donor_by_recipient": Case(
            lambda s: donor_profile.donor_by_recipient(_donor(s)),
            RAW_ITEMIZED + f"SELECT candidate_id, cycle, sum(amount), count(*) {RAW_ONE_DONOR} GROUP BY ALL",
            _raw_donor,
        ),
        "donor_profile.donor_by_election": Case(
            lambda s: donor_profile.donor_by_election(_donor(s)),
            RAW_ITEMIZED
            + f"SELECT candidate_id, election_type, cycle, sum(amount), count(*) {RAW_ONE_DONOR} GROUP BY ALL",
            _raw_donor,
        ),
        "donor_profile.limit_flags": Case(
            lambda s: donor_profile.limit_flags(_donor(s)),
            RAW_ITEMIZED
            + f"""SELECT candidate_id, election_type, cycle, sum(amount) AS total {RAW_ONE_DONOR}
                  GROUP BY ALL HAVING total > 3300""",
            _raw_donor,
        ),
        "donor_profile.donor_variants": Case(
            lambda s: donor_profile.donor_variants(_donor(s)),
            RAW_ITEMIZED + f"SELECT DISTINCT contributor_name {RAW_ONE_DONOR}",
            _raw_donor,
        ),
        # No raw-data form: finding look-alike names needs the normalized names of every donor.
        "donor_profile.donor_near_misses": Case(lambda s: donor_profile.donor_near_misses(_donor(s))),
    }
)

# Issue 14 holds donor pages and overlaps ("who gave to both") to the explorer's speed goal too.
for _name, _case in CASES.items():
    if _name.startswith(("donors.", "donor_profile.")) and _case.limit_ms is None:
        CASES[_name] = replace(_case, limit_ms=EXPLORER_LIMIT)
