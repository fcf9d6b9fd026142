"""The election each itemized receipt is for (TRANSACTION_PGI / election_type) reaches the receipts
extract upper-cased and trimmed, a blank one as NULL; raw files written before the column existed
still build (their rows have none); and the demo's gifts carry a realistic mix of elections."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.pipeline.demo.money import MAX_CONTRIBUTION

CYCLE = 2024
# as filed -> as the receipts extract carries it
FILED = {
    "P2024": "P2024",
    " g2024 ": "G2024",
    "s2024": "S2024",
    "P": "P",  # a bare letter, as some filings have it
    "": None,
    "   ": None,
    None: None,
}
FIRST_SUB_ID = 9_100_000_000_000


def receipts(data_dir) -> str:
    return f"read_parquet('{data_dir}/current/receipts/**/*.parquet', hive_partitioning = true)"


def raw_receipts(data_dir) -> str:
    return f"read_parquet('{data_dir}/raw/schedule_a/**/*.parquet', hive_partitioning = true)"


def counted_template(con, folder):
    """One counted demo gift (a plain 15 to a candidate), to copy."""
    return con.execute(
        f"SELECT * EXCLUDE (cycle) FROM read_parquet('{folder}/demo.parquet', hive_partitioning = true) "
        "WHERE receipt_type = '15' AND memo_code IS NULL AND conduit_committee_id IS NULL LIMIT 1"
    ).fetchdf()


@pytest.fixture(scope="module")
def built(demo_builds, tmp_path_factory):
    """A demo copy with receipts filed with the designations above, and one file of the raw layout
    before election_type (no such column), rebuilt by the builder. Returns (data_dir, sub_id -> filed)."""
    data_dir = demo_builds.copy(tmp_path_factory.mktemp("election-type"))
    folder = data_dir / "raw" / "schedule_a" / f"cycle={CYCLE}"
    con = duckdb.connect()
    template = counted_template(con, folder)
    filed = list(FILED)
    rows = template.loc[template.index.repeat(len(filed) + 1)].reset_index(drop=True)
    rows["sub_id"] = [FIRST_SUB_ID + i for i in range(len(rows))]
    rows["election_type"] = [*filed, "G2024"]
    con.register("rows", rows)
    con.execute(f"COPY (SELECT * FROM rows WHERE sub_id < {FIRST_SUB_ID + len(filed)}) TO '{folder}/filed.parquet'")
    con.execute(
        f"COPY (SELECT * EXCLUDE (election_type) FROM rows WHERE sub_id = {FIRST_SUB_ID + len(filed)}) "
        f"TO '{folder}/older.parquet'"
    )
    build_and_publish(data_dir, source="demo")
    return data_dir, {FIRST_SUB_ID + i: value for i, value in enumerate(filed)}


def test_blank_designations_become_null_and_the_others_upper_case_trimmed(built):
    data_dir, filed = built
    found = dict(
        duckdb.sql(
            f"SELECT sub_id, election_type FROM {receipts(data_dir)} WHERE sub_id BETWEEN {min(filed)} AND {max(filed)}"
        ).fetchall()
    )
    assert found == {sub_id: FILED[value] for sub_id, value in filed.items()}


def test_a_raw_file_without_the_column_builds_and_its_rows_have_no_election(built):
    data_dir, filed = built
    older = max(filed) + 1
    assert duckdb.sql(f"SELECT election_type FROM {receipts(data_dir)} WHERE sub_id = {older}").fetchall() == [(None,)]


def test_raw_data_written_before_the_column_existed_still_builds(demo_builds, tmp_path):
    data_dir = demo_builds.copy(tmp_path / "older")
    con = duckdb.connect()
    for part in (data_dir / "raw" / "schedule_a").glob("**/*.parquet"):
        older = part.with_name(f"{part.stem}-older.parquet")
        con.execute(f"COPY (SELECT * EXCLUDE (election_type) FROM read_parquet('{part}')) TO '{older}'")
        older.replace(part)
    assert (
        "election_type"
        not in con.execute(f"DESCRIBE SELECT * FROM {raw_receipts(data_dir)}").fetchdf()["column_name"].tolist()
    )
    build_and_publish(data_dir, source="demo")
    n, with_election = con.execute(f"SELECT count(*), count(election_type) FROM {receipts(data_dir)}").fetchall()[0]
    assert n > 1000 and with_election == 0


def test_the_demos_gifts_are_for_the_primary_then_the_general_some_blank(demo_builds):
    """Gifts up to the demo's primary (the first Tuesday after the first Monday of June) are mostly for
    it, later ones mostly for the general; a few filings leave the designation blank."""
    data_dir = demo_builds.built()
    con = duckdb.connect()
    shares = {}
    for cycle, primary in ((2022, date(2022, 6, 7)), (2024, date(2024, 6, 4)), (2026, date(2026, 6, 2))):
        shares[cycle] = con.execute(
            f"""SELECT avg(CASE WHEN election_type = 'P' || cycle THEN 1 ELSE 0 END) FILTER (WHERE date <= ?),
                       avg(CASE WHEN election_type = 'G' || cycle THEN 1 ELSE 0 END) FILTER (WHERE date > ?),
                       avg(CASE WHEN election_type IS NULL THEN 1 ELSE 0 END),
                       count(*) FILTER (WHERE election_type NOT IN ('P' || cycle, 'G' || cycle))
                FROM {receipts(data_dir)} WHERE cycle = ?""",
            [primary, primary, cycle],
        ).fetchall()[0]
    for cycle, (primary_share, general_share, blank_share, others) in shares.items():
        assert 0.8 < primary_share < 0.99 and 0.85 < general_share < 0.99, cycle
        assert 0.01 < blank_share < 0.06 and others == 0, cycle


def test_a_demo_donors_gifts_past_the_limit_before_the_primary_go_to_the_general(demo_builds):
    """As campaigns designate them: a donor's gifts to a candidate's committee before the primary that
    pass the per-election limit are for the general, so hardly any donor's primary gifts exceed it."""
    data_dir = demo_builds.built()
    limits = " ".join(f"WHEN {cycle} THEN {dollars}" for cycle, dollars in MAX_CONTRIBUTION.items())
    pairs, over, early_general = duckdb.sql(
        f"""WITH primary_totals AS (
                SELECT committee_id, donor_key, cycle, sum(amount) AS amount
                FROM {receipts(data_dir)} WHERE election_type = 'P' || cycle AND amount > 0 GROUP BY ALL
            )
            SELECT (SELECT count(*) FROM primary_totals),
                   (SELECT count(*) FROM primary_totals WHERE amount > CASE cycle {limits} END),
                   (SELECT count(*) FROM {receipts(data_dir)}
                    WHERE election_type = 'G' || cycle AND date < make_date(cycle, 6, 1) AND amount > 0)"""
    ).fetchall()[0]
    assert early_general > 0
    assert over < pairs / 100
