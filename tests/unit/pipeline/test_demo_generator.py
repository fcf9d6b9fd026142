"""The demo generator's invariants: the synthetic data must look and behave like FEC data."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from dashboard.core.geography import SENATE_CLASS_STATES, house_districts
from dashboard.pipeline import demo


@pytest.fixture(scope="module")
def raw(small_snapshot: Path):
    con = duckdb.connect()
    for table in ("candidates", "committees", "linkages", "reports", "schedule_a"):
        con.execute(
            f"CREATE VIEW {table} AS SELECT * FROM read_parquet("
            f"'{small_snapshot}/raw/{table}/**/*.parquet', hive_partitioning = true)"
        )
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet('{small_snapshot}/demo_truth/candidates.parquet')")
    # The current version of each report and of its itemized rows.
    con.execute("""CREATE VIEW current_reports AS SELECT * FROM reports
                   WHERE file_number NOT IN (SELECT previous_file_number FROM reports
                                             WHERE previous_file_number IS NOT NULL)""")
    con.execute(
        "CREATE VIEW current_rows AS SELECT * FROM schedule_a "
        "WHERE file_number IN (SELECT file_number FROM current_reports)"
    )
    return con


def scalar(con, sql, params=None):
    return con.execute(sql, params or []).fetchall()[0][0]


def test_every_house_seat_has_one_to_six_candidates_each_cycle(raw):
    seats = set(house_districts())
    assert len(seats) == 437  # 435 voting seats plus the DC and PR delegates
    for cycle in demo.CYCLES:
        rows = raw.execute(
            "SELECT state, district, count(*) FROM candidates WHERE office = 'H' AND cycle = ? GROUP BY ALL", [cycle]
        ).fetchall()
        assert {(s, d) for s, d, _ in rows} == seats
        assert all(1 <= n <= 6 for _, _, n in rows)


def test_senate_races_follow_the_class_up_that_cycle_and_president_only_in_2024(raw):
    for cycle in demo.CYCLES:
        states = {
            r[0]
            for r in raw.execute(
                "SELECT DISTINCT state FROM candidates WHERE office = 'S' AND cycle = ?", [cycle]
            ).fetchall()
        }
        assert states == set(SENATE_CLASS_STATES[cycle])
    assert [r[0] for r in raw.execute("SELECT DISTINCT cycle FROM candidates WHERE office = 'P'").fetchall()] == [2024]


def test_incumbents_open_seats_and_party_mix(raw):
    mix = dict(raw.execute("SELECT incumbent_challenge, count(*) FROM candidates GROUP BY 1").fetchall())
    assert set(mix) == {"I", "C", "O"}
    assert mix["I"] > 600  # most House incumbents run again
    parties = dict(raw.execute("SELECT party, count(*) FROM candidates GROUP BY 1").fetchall())
    assert parties["DEM"] > parties["LIB"] and parties["REP"] > parties["GRE"]
    # Incumbents keep their candidate ID from one cycle to the next.
    assert (
        scalar(
            raw,
            "SELECT count(DISTINCT candidate_id) FROM candidates WHERE incumbent_challenge = 'I' "
            "AND candidate_id IN (SELECT candidate_id FROM candidates WHERE cycle = 2022)",
        )
        > 300
    )


def test_names_are_plainly_synthetic(raw):
    assert scalar(raw, "SELECT count(*) FROM committees WHERE NOT starts_with(name, 'DEMO ')") == 0
    from dashboard.pipeline.demo.names import SURNAME_HEADS

    surnames = raw.execute("SELECT DISTINCT split_part(name, ',', 1) FROM candidates").fetchall()
    assert all(any(s[0].startswith(h) for h in SURNAME_HEADS) for s in surnames)


def test_each_earmarked_gift_is_filed_by_the_conduit_and_by_the_recipient(raw):
    unmatched = scalar(
        raw,
        """
        SELECT count(*) FROM current_rows e
        WHERE e.receipt_type = '15E' AND NOT EXISTS (
            SELECT 1 FROM schedule_a c
            WHERE c.receipt_type = '24T' AND c.committee_id = e.conduit_committee_id
              AND c.other_id = e.committee_id AND c.contributor_name = e.contributor_name
              AND c.date = e.date AND c.amount = e.amount
              AND c.memo_text LIKE 'EARMARKED FOR % (' || e.committee_id || ')')""",
    )
    assert unmatched == 0
    assert scalar(raw, "SELECT count(*) FROM schedule_a WHERE receipt_type = '15E'") > 1000
    conduits = raw.execute("SELECT DISTINCT committee_id FROM schedule_a WHERE receipt_type = '24T'").fetchall()
    assert len(conduits) == 2


def test_memo_rows_refunds_and_amendments_are_present(raw):
    kinds = dict(raw.execute("SELECT receipt_type, count(*) FROM schedule_a GROUP BY 1").fetchall())
    assert kinds["15J"] > 0 and kinds["22Y"] > 0
    assert scalar(raw, "SELECT count(*) FROM schedule_a WHERE memo_code = 'X'") == scalar(
        raw, "SELECT count(*) FROM schedule_a WHERE receipt_type = '15J' OR memo_text = 'PARTNERSHIP ATTRIBUTION'"
    )
    assert scalar(raw, "SELECT min(amount) FROM schedule_a WHERE receipt_type = '22Y'") > 0  # as the FEC files them
    amended = scalar(raw, "SELECT count(*) FROM reports WHERE amendment_indicator = 'A'")
    assert amended > 10
    # The first filing's itemized rows are still in the file, as they are in the API.
    assert (
        scalar(raw, "SELECT count(*) FROM schedule_a WHERE file_number IN (SELECT previous_file_number FROM reports)")
        > 0
    )
    assert scalar(raw, "SELECT count(*) FROM committees WHERE designation = 'J'") >= 1


def test_itemized_donors_gave_more_than_200_to_the_committee(raw):
    assert (
        scalar(
            raw,
            """
        SELECT count(*) FROM (
            SELECT committee_id, contributor_name, zip, sum(amount) AS total FROM current_rows
            WHERE receipt_type IN ('15', '15E') AND memo_code IS NULL AND entity_type = 'IND'
              AND committee_id IN (SELECT committee_id FROM committees WHERE committee_type IN ('H', 'S', 'P'))
            GROUP BY ALL) WHERE total <= 200""",
        )
        == 0
    )


def test_report_summaries_match_their_itemized_rows(raw):
    mismatched = scalar(
        raw,
        """
        WITH rows AS (
            SELECT committee_id, file_number,
                   sum(amount) FILTER (WHERE receipt_type IN ('15', '15E', '24T') AND amount > 0) AS itemized,
                   sum(amount) FILTER (WHERE receipt_type = '22Y') AS refunds
            FROM schedule_a WHERE memo_code IS NULL GROUP BY ALL)
        SELECT count(*) FROM current_reports r LEFT JOIN rows USING (committee_id, file_number)
        WHERE r.individual_itemized <> coalesce(rows.itemized, 0)
           OR r.individual_refunds <> coalesce(rows.refunds, 0)""",
    )
    assert mismatched == 0


def test_cash_on_hand_carries_from_report_to_report(raw):
    assert (
        scalar(
            raw,
            "SELECT count(*) FROM current_reports "
            "WHERE cash_on_hand_begin + receipts - disbursements <> cash_on_hand_end",
        )
        == 0
    )
    assert (
        scalar(
            raw,
            """
        SELECT count(*) FROM (
            SELECT cash_on_hand_begin, lag(cash_on_hand_end) OVER (PARTITION BY committee_id ORDER BY coverage_start)
                AS previous_end FROM current_reports)
        WHERE previous_end IS NOT NULL AND previous_end <> cash_on_hand_begin""",
        )
        == 0
    )
    assert scalar(raw, "SELECT min(cash_on_hand_end) FROM current_reports") >= 0


def test_gifts_cluster_at_round_amounts_and_ramp_toward_election_day(raw):
    round_share = scalar(
        raw,
        "SELECT avg(CASE WHEN amount IN (25, 50, 100, 250, 500, 1000, 2900, 3300, 3500) "
        "THEN 1 ELSE 0 END) FROM schedule_a WHERE receipt_type = '15'",
    )
    assert round_share > 0.5
    early, late = raw.execute("""
        SELECT count(*) FILTER (WHERE date BETWEEN '2023-01-01' AND '2023-03-31'),
               count(*) FILTER (WHERE date BETWEEN '2024-07-01' AND '2024-09-30')
        FROM schedule_a WHERE cycle = 2024""").fetchall()[0]
    assert late > 2 * early
    quarter_end, ordinary = raw.execute("""
        SELECT count(*) FILTER (WHERE date IN ('2023-06-29', '2023-06-30')) / 2,
               count(*) FILTER (WHERE date IN ('2023-06-14', '2023-06-15')) / 2
        FROM schedule_a WHERE cycle = 2024""").fetchall()[0]
    assert quarter_end > 2 * ordinary


def test_donors_favour_their_home_state_and_give_repeatedly(raw):
    home_share = scalar(
        raw,
        """
        SELECT avg(CASE WHEN s.state = c.state THEN 1 ELSE 0 END) FROM current_rows s
        JOIN committees c ON c.committee_id = s.committee_id AND c.cycle = s.cycle
        WHERE c.committee_type = 'H' AND s.memo_code IS NULL""",
    )
    assert home_share > 0.4
    repeat_share = scalar(
        raw,
        """
        SELECT avg(CASE WHEN n > 1 THEN 1 ELSE 0 END) FROM (
            SELECT count(*) AS n FROM current_rows WHERE receipt_type IN ('15', '15E')
            GROUP BY committee_id, contributor_name, zip)""",
    )
    assert repeat_share > 0.2
    assert scalar(raw, "SELECT max(aggregate_ytd) > max(amount) FROM current_rows WHERE receipt_type = '15'")


@pytest.mark.slow
def test_same_seed_same_data(tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    demo.generate(first, rows=8_000, seed=5)
    demo.generate(second, rows=8_000, seed=5)
    con = duckdb.connect()
    for table in ("schedule_a", "reports", "candidates"):
        digests = [
            scalar(con, f"SELECT sum(hash(COLUMNS(*))) FROM read_parquet('{d}/raw/{table}/**/*.parquet')")
            for d in (first, second)
        ]
        assert digests[0] == digests[1], table
    other = tmp_path / "c"
    demo.generate(other, rows=8_000, seed=6)
    assert scalar(
        con, f"SELECT sum(hash(COLUMNS(*))) FROM read_parquet('{other}/raw/schedule_a/**/*.parquet')"
    ) != scalar(con, f"SELECT sum(hash(COLUMNS(*))) FROM read_parquet('{first}/raw/schedule_a/**/*.parquet')")
