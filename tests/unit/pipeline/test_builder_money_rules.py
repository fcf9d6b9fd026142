"""The builder's extracts reconcile with what the generator really generated, to the cent."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.core import contract
from dashboard.pipeline import demo
from dashboard.pipeline.builder.publish import build_and_publish


def connect(data_dir: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    snap = data_dir / "current"
    for name in contract.extract_names():
        source = (
            f"read_parquet('{snap}/receipts/**/*.parquet', hive_partitioning = true)"
            if name == "receipts"
            else f"read_parquet('{snap}/{name}.parquet')"
        )
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM {source}")
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet('{data_dir}/demo_truth/candidates.parquet')")
    con.execute(
        f"CREATE VIEW raw_a AS SELECT * FROM read_parquet('{data_dir}/raw/schedule_a/**/*.parquet', "
        "hive_partitioning = true)"
    )
    con.execute(
        f"CREATE VIEW superseded AS SELECT previous_file_number AS file_number FROM read_parquet("
        f"'{data_dir}/raw/reports/*.parquet') WHERE previous_file_number IS NOT NULL"
    )
    return con


@pytest.fixture(scope="module")
def con(small_snapshot: Path):
    return connect(small_snapshot)


def scalar(con, sql):
    return con.execute(sql).fetchall()[0][0]


TOTALS_VS_TRUTH = """
    SELECT count(*) AS candidates,
           count(*) FILTER (WHERE t.receipts * 100 <> truth.receipts) AS receipts,
           count(*) FILTER (WHERE t.disbursements * 100 <> truth.disbursements) AS disbursements,
           count(*) FILTER (WHERE t.net_receipts * 100 <> truth.receipts_net) AS net_receipts,
           count(*) FILTER (WHERE t.net_disbursements * 100 <> truth.disbursements_net) AS net_disbursements,
           count(*) FILTER (WHERE t.cash_on_hand * 100 <> truth.cash_on_hand) AS cash,
           count(*) FILTER (WHERE t.debts * 100 <> truth.debts) AS debts,
           count(*) FILTER (WHERE t.individual_itemized * 100 <> truth.individual_itemized) AS itemized,
           count(*) FILTER (WHERE t.individual_unitemized * 100 <> truth.individual_unitemized) AS unitemized,
           count(*) FILTER (WHERE t.candidate_id IS NULL) AS missing
    FROM truth LEFT JOIN candidate_totals t USING (candidate_id, cycle)"""


def assert_totals_equal_truth(con):
    row = con.execute(TOTALS_VS_TRUTH).fetchdf().iloc[0].to_dict()
    assert row.pop("candidates") > 1000
    assert row == {k: 0 for k in row}, row


def test_candidate_totals_equal_the_generated_truth_to_the_cent(con):
    assert_totals_equal_truth(con)


def test_itemized_receipts_equal_the_generated_truth_per_candidate(con):
    mismatched = scalar(
        con,
        """
        SELECT count(*) FROM truth LEFT JOIN (
            SELECT candidate_id, cycle, sum(amount) AS amount, count(*) AS n FROM receipts GROUP BY ALL) r
        USING (candidate_id, cycle)
        WHERE coalesce(r.amount, 0) * 100 <> truth.itemized_net OR coalesce(r.n, 0) <> truth.n_itemized""",
    )
    assert mismatched == 0
    # and the summary pages agree with the rows: itemized minus refunds is what the rows add up to
    assert (
        scalar(
            con,
            """
        SELECT count(*) FROM candidate_totals t LEFT JOIN (
            SELECT candidate_id, cycle, sum(amount) AS amount FROM receipts GROUP BY ALL) r USING (candidate_id, cycle)
        WHERE t.individual_itemized - t.individual_refunds <> coalesce(r.amount, 0)""",
        )
        == 0
    )


def test_earmarked_gifts_count_once_under_the_recipient(con):
    current_recipient_rows = scalar(
        con,
        "SELECT count(*) FROM raw_a WHERE receipt_type = '15E' "
        "AND file_number NOT IN (SELECT file_number FROM superseded)",
    )
    assert current_recipient_rows > 1000
    assert scalar(con, "SELECT count(*) FROM receipts WHERE is_earmarked") == current_recipient_rows
    assert scalar(con, "SELECT count(*) FROM receipts WHERE receipt_type IN ('24T', '24I', '15I', '15T')") == 0
    conduits = [r[0] for r in con.execute("SELECT DISTINCT committee_id FROM committees WHERE is_conduit").fetchall()]
    assert len(conduits) == 2
    assert scalar(con, f"SELECT count(*) FROM receipts WHERE committee_id IN {tuple(conduits)}") == 0
    assert scalar(con, "SELECT sum(earmarked) FROM truth") == scalar(
        con, "SELECT sum(amount) * 100 FROM receipts WHERE is_earmarked"
    )
    # Across all committees too: the daily trend adds each earmarked dollar once.
    counted = scalar(
        con,
        f"""
        SELECT sum(CASE WHEN receipt_type = '22Y' THEN -amount ELSE amount END) FROM raw_a
        WHERE memo_code IS NULL AND receipt_type IN ('15', '15E', '22Y')
          AND committee_id NOT IN {tuple(conduits)} AND file_number NOT IN (SELECT file_number FROM superseded)""",
    )
    assert scalar(con, "SELECT sum(amount) FROM agg_daily") == counted


def test_memo_rows_and_superseded_filings_never_count(con):
    assert scalar(con, "SELECT count(*) FROM receipts WHERE receipt_type = '15J'") == 0
    assert scalar(con, "SELECT count(*) FROM receipts r JOIN raw_a a USING (sub_id) WHERE a.memo_code = 'X'") == 0
    assert (
        scalar(
            con,
            "SELECT count(*) FROM receipts r JOIN raw_a a USING (sub_id) "
            "WHERE a.file_number IN (SELECT file_number FROM superseded)",
        )
        == 0
    )


def test_receipts_carry_the_filed_entity_type_and_image_number(con):
    # The explorer keeps individuals and organizations apart and links each row to its filing's page.
    assert scalar(con, "SELECT count(DISTINCT entity_type) FROM receipts WHERE entity_type IN ('IND', 'ORG')") == 2
    assert (
        scalar(
            con,
            "SELECT count(*) FROM receipts r JOIN raw_a a USING (sub_id) "
            "WHERE r.entity_type IS DISTINCT FROM a.entity_type OR r.image_number IS DISTINCT FROM a.image_number",
        )
        == 0
    )


def test_size_buckets_add_unitemized_money_to_the_smallest(con):
    assert scalar(con, "SELECT count(*) FROM agg_candidate_size WHERE size_bucket = 0 AND n IS NOT NULL") == 0
    assert (
        scalar(
            con,
            """
        SELECT count(*) FROM truth JOIN (SELECT candidate_id, cycle, sum(amount) AS amount FROM agg_candidate_size
                                         GROUP BY ALL) s USING (candidate_id, cycle)
        WHERE s.amount * 100 <> truth.itemized_net + truth.individual_unitemized""",
        )
        == 0
    )
    labels = con.execute("SELECT DISTINCT size_label FROM agg_candidate_size").fetchall()
    assert len(labels) == 5


def test_district_aggregate_covers_every_race_and_adds_up(con):
    for cycle in demo.CYCLES:
        assert scalar(con, f"SELECT count(*) FROM agg_district WHERE office = 'H' AND cycle = {cycle}") == 437
    assert (
        scalar(
            con,
            """
        SELECT count(*) FROM agg_district d JOIN (
            SELECT c.cycle, c.office, CASE WHEN c.office = 'P' THEN 'US' ELSE c.state END AS state,
                   CASE WHEN c.office = 'H' THEN c.district ELSE '00' END AS district,
                   sum(t.receipts) AS receipts, count(*) AS n
            FROM candidates c JOIN candidate_totals t USING (candidate_id, cycle) GROUP BY ALL) x
        USING (cycle, office, state, district)
        WHERE d.receipts <> x.receipts OR d.n_candidates <> x.n""",
        )
        == 0
    )
    leader_ok = scalar(
        con,
        """
        SELECT bool_and(d.leader_receipts = m.top) FROM agg_district d JOIN (
            SELECT c.cycle, c.office, c.state, c.district, max(t.receipts) AS top FROM candidates c
            JOIN candidate_totals t USING (candidate_id, cycle) WHERE c.office = 'H' GROUP BY ALL) m
        USING (cycle, office, state, district)""",
    )
    assert leader_ok
    assert scalar(con, "SELECT min(leader_share) >= 0 AND max(leader_share) <= 1 FROM agg_district")
    low, high, typical = con.execute(
        "SELECT min(out_of_state_share), max(out_of_state_share), "
        "median(out_of_state_share) FROM agg_district WHERE office = 'H'"
    ).fetchall()[0]
    assert 0 <= low and high <= 1 and 0.2 < typical < 0.8
    assert scalar(
        con,
        "SELECT min(small_share) >= 0 AND max(small_share) <= 1 AND median(small_share) BETWEEN 0.1 AND 0.9 "
        "FROM agg_district WHERE office = 'H'",
    )


def test_donor_employer_and_occupation_tops_are_normalized(con):
    assert scalar(con, "SELECT max(rank) FROM agg_candidate_donor") <= contract.TOP_N
    spellings = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT employer FROM agg_candidate_employer WHERE employer LIKE 'SELF%'"
        ).fetchall()
    ]
    assert spellings == ["SELF-EMPLOYED"]
    variants = scalar(
        con, "SELECT list_sort(flatten(list(variants))) FROM agg_candidate_employer WHERE employer = 'SELF-EMPLOYED'"
    )
    assert {"SELF", "SELF EMPLOYED", "SELF-EMPLOYED"} <= set(variants)
    assert (
        scalar(
            con,
            "SELECT count(*) FROM agg_candidate_employer WHERE employer IN ('N/A', 'NONE', 'INFORMATION REQUESTED')",
        )
        == 0
    )
    top = con.execute(
        "SELECT candidate_id, cycle, donor_key, amount FROM agg_candidate_donor WHERE rank = 1 LIMIT 1"
    ).fetchall()[0]
    assert (
        scalar(
            con,
            f"SELECT sum(amount) FROM receipts WHERE candidate_id = '{top[0]}' AND cycle = {top[1]} "
            f"AND donor_key = '{top[2]}'",
        )
        == top[3]
    )


def test_rows_pulled_twice_are_counted_once(tmp_path: Path, small_snapshot: Path):
    data_dir = tmp_path / "twice"
    shutil.copytree(small_snapshot / "raw", data_dir / "raw")
    shutil.copytree(small_snapshot / "demo_truth", data_dir / "demo_truth")
    for table in ("schedule_a/cycle=2024", "reports", "candidates", "committees", "linkages"):
        for f in list((data_dir / "raw" / table).glob("*.parquet")):
            shutil.copy(f, f.with_name("again-" + f.name))  # as if a refresh pulled them again
    build_and_publish(data_dir, source="demo")
    assert_totals_equal_truth(connect(data_dir))
