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
