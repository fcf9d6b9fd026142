"""What `make bench` times: every public function in dashboard/queries/, with representative
parameters, and the same question answered from the raw tables as the baseline.

A function without a case here makes the benchmark fail, so new queries get timed. Baselines are
DuckDB SQL over views `raw_<table>` of the raw store (the money rules applied in the query, as a
page would have to without extracts); None where the question has no raw-data form.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from dashboard import db
from dashboard.queries import candidates, committees, home, races, search, snapshot


@dataclass(frozen=True)
class Samples:
    """Representative parameters, picked from the benchmark snapshot."""
    cycle: int
    candidate_id: str
    house_state: str
    house_district: str
    committee_id: str
    search_text: str


def pick_samples() -> Samples:
    row = db.query("""
        SELECT c.candidate_id, c.state, c.district, c.principal_committee_id, c.name
        FROM candidates c JOIN candidate_totals t USING (candidate_id, cycle)
        WHERE c.office = 'H' AND c.cycle = 2024
        ORDER BY abs(t.receipts - (SELECT median(receipts) FROM candidate_totals WHERE cycle = 2024))
        LIMIT 1""").iloc[0]
    last, first = row["name"].split(", ", 1)
    return Samples(2024, row["candidate_id"], row["state"], row["district"], row["principal_committee_id"],
                   f"{first[:3]} {last[:4]}".lower())


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


@dataclass(frozen=True)
class Case:
    call: Callable[[Samples], Any]
    baseline_sql: str | None = None
    baseline_params: Callable[[Samples], list] = lambda s: []


CASES: dict[str, Case] = {
    "home.headline_by_office": Case(
        lambda s: home.headline_by_office(s.cycle),
        RAW_TOTALS + """SELECT c.office, count(*), sum(t.receipts), sum(t.cash_on_hand)
            FROM (SELECT DISTINCT candidate_id, cycle, office FROM raw_candidates) c
            LEFT JOIN raw_totals t USING (candidate_id, cycle) WHERE c.cycle = ? GROUP BY c.office""",
        lambda s: [s.cycle]),
    "home.cycles_available": Case(lambda s: home.cycles_available(),
                                  "SELECT DISTINCT cycle FROM raw_candidates ORDER BY 1 DESC"),
    "races.top_races": Case(
        lambda s: races.top_races(s.cycle),
        RAW_TOTALS + """SELECT c.office, c.state, c.district, sum(t.receipts) AS receipts, count(*)
            FROM (SELECT DISTINCT candidate_id, cycle, office, state, district FROM raw_candidates) c
            LEFT JOIN raw_totals t USING (candidate_id, cycle) WHERE c.cycle = ?
            GROUP BY ALL ORDER BY receipts DESC NULLS LAST LIMIT 10""",
        lambda s: [s.cycle]),
    "races.race_summary": Case(
        lambda s: races.race_summary(s.cycle, "H", s.house_state, s.house_district),
        RAW_TOTALS + """SELECT sum(t.receipts), sum(t.cash_on_hand), count(*)
            FROM raw_candidates c LEFT JOIN raw_totals t USING (candidate_id, cycle)
            WHERE c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ?""",
        lambda s: [s.cycle, s.house_state, s.house_district]),
    "races.race_candidates": Case(
        lambda s: races.race_candidates(s.cycle, "H", s.house_state, s.house_district),
        RAW_TOTALS + """SELECT c.candidate_id, c.name, t.receipts, t.disbursements, t.cash_on_hand
            FROM raw_candidates c LEFT JOIN raw_totals t USING (candidate_id, cycle)
            WHERE c.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? ORDER BY t.receipts DESC""",
        lambda s: [s.cycle, s.house_state, s.house_district]),
    "races.race_cycles": Case(
        lambda s: races.race_cycles("H", s.house_state, s.house_district),
        "SELECT DISTINCT cycle FROM raw_candidates WHERE office = 'H' AND state = ? AND district = ?",
        lambda s: [s.house_state, s.house_district]),
    "candidates.candidate_summary": Case(
        lambda s: candidates.candidate_summary(s.candidate_id, s.cycle),
        RAW_TOTALS + "SELECT * FROM raw_totals WHERE candidate_id = ? AND cycle = ?",
        lambda s: [s.candidate_id, s.cycle]),
    "candidates.candidate_cycles": Case(
        lambda s: candidates.candidate_cycles(s.candidate_id),
        RAW_TOTALS + "SELECT cycle, receipts FROM raw_totals WHERE candidate_id = ? ORDER BY cycle",
        lambda s: [s.candidate_id]),
    "candidates.candidate_committees": Case(
        lambda s: candidates.candidate_committees(s.candidate_id, s.cycle),
        "SELECT committee_id, designation FROM raw_linkages WHERE candidate_id = ? AND cycle = ?",
        lambda s: [s.candidate_id, s.cycle]),
    "candidates.candidate_periods": Case(
        lambda s: candidates.candidate_periods(s.candidate_id, s.cycle),
        RAW_TOTALS + """SELECT r.report_year, r.report_type, max(r.coverage_end) AS coverage_end,
                   sum(r.receipts) - sum(r.transfers_from_authorized) AS receipts,
                   sum(sum(r.receipts) - sum(r.transfers_from_authorized)) OVER (ORDER BY max(r.coverage_end))
            FROM current_reports r JOIN own o USING (committee_id, cycle)
            WHERE o.candidate_id = ? AND r.cycle = ? GROUP BY ALL ORDER BY 3""",
        lambda s: [s.candidate_id, s.cycle]),
    "candidates.candidate_sizes": Case(
        lambda s: candidates.candidate_sizes(s.candidate_id, s.cycle),
        RAW_ITEMIZED + f"""SELECT {RAW_BUCKET} AS bucket, sum(amount), count(*) FROM raw_itemized
            WHERE candidate_id = ? AND cycle = ? GROUP BY bucket
            UNION ALL SELECT -1, sum(individual_unitemized), NULL FROM raw_reports r JOIN own o USING (committee_id, cycle)
            WHERE o.candidate_id = ? AND r.cycle = ? AND r.file_number NOT IN (SELECT f FROM superseded)""",
        lambda s: _race(s) + [s.candidate_id, s.cycle, s.candidate_id, s.cycle]),
    "candidates.candidate_states": Case(
        lambda s: candidates.candidate_states(s.candidate_id, s.cycle),
        RAW_ITEMIZED + """SELECT state, sum(amount) AS amount, count(*) FROM raw_itemized
            WHERE candidate_id = ? AND cycle = ? GROUP BY state ORDER BY amount DESC""",
        lambda s: _race(s) + [s.candidate_id, s.cycle]),
    "candidates.candidate_donors": Case(
        lambda s: candidates.candidate_donors(s.candidate_id, s.cycle),
        RAW_ITEMIZED + """SELECT upper(contributor_name) || '|' || left(zip, 5) AS donor, sum(amount) AS amount,
                   count(*) FROM raw_itemized WHERE candidate_id = ? AND cycle = ?
            GROUP BY donor ORDER BY amount DESC LIMIT 100""",
        lambda s: _race(s) + [s.candidate_id, s.cycle]),
    "candidates.candidate_employers": Case(
        lambda s: candidates.candidate_employers(s.candidate_id, s.cycle),
        RAW_ITEMIZED + """SELECT upper(trim(employer)) AS employer, sum(amount) AS amount, count(*),
                   list(DISTINCT employer) FROM raw_itemized WHERE candidate_id = ? AND cycle = ?
            GROUP BY 1 ORDER BY amount DESC LIMIT 100""",
        lambda s: _race(s) + [s.candidate_id, s.cycle]),
    "candidates.candidate_occupations": Case(
        lambda s: candidates.candidate_occupations(s.candidate_id, s.cycle),
        RAW_ITEMIZED + """SELECT upper(trim(occupation)) AS occupation, sum(amount) AS amount, count(*),
                   list(DISTINCT occupation) FROM raw_itemized WHERE candidate_id = ? AND cycle = ?
            GROUP BY 1 ORDER BY amount DESC LIMIT 100""",
        lambda s: _race(s) + [s.candidate_id, s.cycle]),
    "candidates.similar_candidates": Case(
        lambda s: candidates.similar_candidates(s.candidate_id[:5] + "9999"),
        """SELECT DISTINCT candidate_id, jaro_winkler_similarity(candidate_id, ?) AS similarity FROM raw_candidates
           ORDER BY similarity DESC LIMIT 5""",
        lambda s: [s.candidate_id[:5] + "9999"]),
    "races.race_periods": Case(
        lambda s: races.race_periods(s.cycle, "H", s.house_state, s.house_district),
        RAW_TOTALS + """SELECT o.candidate_id, r.report_year, r.report_type, max(r.coverage_end) AS coverage_end,
                   sum(r.receipts) - sum(r.transfers_from_authorized) AS receipts
            FROM current_reports r JOIN own o USING (committee_id, cycle)
            JOIN raw_candidates c ON c.candidate_id = o.candidate_id AND c.cycle = r.cycle
            WHERE r.cycle = ? AND c.office = 'H' AND c.state = ? AND c.district = ? GROUP BY ALL ORDER BY 1, 4""",
        _race),
    "races.race_weekly": Case(
        lambda s: races.race_weekly(s.cycle, "H", s.house_state, s.house_district),
        RAW_ITEMIZED + """SELECT candidate_id, date_trunc('week', date) AS week, sum(amount), count(*)
            FROM raw_itemized WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race)
            GROUP BY ALL ORDER BY 1, 2""",
        lambda s: _race(s) + [s.cycle]),
    "races.race_sizes": Case(
        lambda s: races.race_sizes(s.cycle, "H", s.house_state, s.house_district),
        RAW_ITEMIZED + f"""SELECT candidate_id, {RAW_BUCKET} AS bucket, sum(amount), count(*)
            FROM raw_itemized WHERE cycle = ? AND candidate_id IN (SELECT candidate_id FROM race) GROUP BY ALL""",
        lambda s: _race(s) + [s.cycle]),
    "races.race_home_state": Case(
        lambda s: races.race_home_state(s.cycle, "H", s.house_state, s.house_district),
        RAW_ITEMIZED + """SELECT i.candidate_id, sum(amount) FILTER (WHERE i.state = race.home),
                   sum(amount) FILTER (WHERE i.state IS DISTINCT FROM race.home), sum(amount)
            FROM raw_itemized i JOIN race USING (candidate_id) WHERE i.cycle = ? GROUP BY ALL""",
        lambda s: _race(s) + [s.cycle]),
    "races.nearby_races": Case(
        lambda s: races.nearby_races(s.cycle, "H", s.house_state, "53"),
        """SELECT DISTINCT cycle, office, state, district FROM raw_candidates
           WHERE state = ? AND (office = 'H' OR cycle = ?) ORDER BY cycle = ? DESC, district DESC LIMIT 6""",
        lambda s: [s.house_state, s.cycle, s.cycle]),
    "committees.committee_cycles": Case(
        lambda s: committees.committee_cycles(s.committee_id),
        "SELECT * FROM raw_committees WHERE committee_id = ? ORDER BY cycle DESC",
        lambda s: [s.committee_id]),
    "search.search": Case(
        lambda s: search.search(s.search_text),
        """SELECT name FROM raw_candidates WHERE contains(upper(name), upper(split_part(?, ' ', 2)))
           UNION ALL SELECT name FROM raw_committees WHERE contains(upper(name), upper(split_part(?, ' ', 2)))""",
        lambda s: [s.search_text, s.search_text]),
    "snapshot.coverage_by_cycle": Case(
        lambda s: snapshot.coverage_by_cycle(),
        RAW_TOTALS + "SELECT cycle, max(coverage_end), count(*), sum(receipts) FROM raw_totals GROUP BY cycle"),
    "snapshot.row_counts": Case(lambda s: snapshot.row_counts()),
    "snapshot.latest_coverage_end": Case(
        lambda s: snapshot.latest_coverage_end(),
        "SELECT max(coverage_end) FROM raw_reports"),
}
