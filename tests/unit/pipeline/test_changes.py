"""The changes step: two snapshots with known differences, and exactly those differences recorded.

The session fixture `changed` (tests/conftest.py, built by tests/known_changes.py) holds a demo
snapshot and a rebuild after an amended report for one candidate and a new report period for
another. The rebuilt snapshot's change extracts must name those two candidates and those two
report periods, with those amounts, and nothing else.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core import contract
from dashboard.pipeline.builder.changes import record_changes
from dashboard.pipeline.builder.publish import build_and_publish


def read(data_dir: Path, name: str) -> pd.DataFrame:
    return read_snapshot((data_dir / "current").resolve(), name)


def read_snapshot(snapshot: Path, name: str) -> pd.DataFrame:
    return duckdb.sql(f"SELECT * FROM read_parquet('{snapshot / name}.parquet')").df()


def test_the_first_snapshot_records_no_changes_and_says_why(changed):
    data_dir, known = changed
    first = json.loads((data_dir / "snapshots" / known.first_snapshot / "manifest.json").read_text())
    assert first["changes"] == {"previous_snapshot_id": None, "reason": "no earlier snapshot"}
    for name in contract.CHANGE_EXTRACTS:
        frame = duckdb.sql(
            f"SELECT * FROM read_parquet('{data_dir / 'snapshots' / known.first_snapshot / name}.parquet')"
        ).df()
        assert frame.empty and list(frame.columns) == list(contract.EXTRACTS[name])
        assert first["row_counts"][name] == 0


def test_movers_are_exactly_the_candidates_that_changed(changed):
    data_dir, known = changed
    frame = read(data_dir, "changes_candidates")
    assert list(frame.columns) == list(contract.EXTRACTS["changes_candidates"])
    assert set(frame.previous_snapshot_id) == {known.first_snapshot}
    got = {
        row.candidate_id: {key: getattr(row, key) for key in next(iter(known.expected_candidates().values()))}
        for row in frame.itertuples()
    }
    expected = known.expected_candidates()
    assert set(got) == set(expected)
    for candidate, values in expected.items():
        for key, value in values.items():
            assert Decimal(str(got[candidate][key])) == value, (candidate, key)
    for row in frame.itertuples():
        assert Decimal(str(row.receipts)) - Decimal(str(row.previous_receipts)) == Decimal(str(row.receipts_change))


def test_new_arrivals_are_exactly_the_new_and_revised_report_periods(changed):
    data_dir, known = changed
    frame = read(data_dir, "changes_reports")
    got = {(r.candidate_id, r.report_year, r.report_type): r for r in frame.itertuples()}
    assert set(got) == set(known.expected_reports())
    for key, values in known.expected_reports().items():
        row = got[key]
        assert row.change == values["change"]
        assert Decimal(str(row.receipts)) == values["receipts"]
        if values["previous_receipts"] is None:
            assert pd.isna(row.previous_receipts)
        else:
            assert Decimal(str(row.previous_receipts)) == values["previous_receipts"]


def test_the_manifest_sums_up_the_changes(changed):
    data_dir, known = changed
    manifest = json.loads((data_dir / "current" / "manifest.json").read_text())
    changes = manifest["changes"]
    expected = known.expected_candidates().values()
    assert changes["previous_snapshot_id"] == known.first_snapshot
    assert changes["candidates_changed"] == 2
    assert (changes["reports_new"], changes["reports_revised"]) == (1, 1)
    assert changes["receipts_arrived"] == sum(v["arrived_n"] for v in expected)
    assert Decimal(changes["receipts_arrived_amount"]) == sum(v["arrived_amount"] for v in expected)
    assert changes["receipts_dropped"] == known.refiled_n
    assert manifest["row_counts"]["changes_candidates"] == 2


def test_a_rebuild_of_the_same_raw_data_records_nothing(tmp_path, demo_builds):
    data_dir = demo_builds.copy(tmp_path / "data", rows=5_000)
    first = (data_dir / "current").resolve().name
    manifest = build_and_publish(data_dir, source="demo")
    assert manifest["changes"]["previous_snapshot_id"] == first
    assert manifest["changes"]["candidates_changed"] == 0 and manifest["changes"]["receipts_arrived"] == 0
    assert read(data_dir, "changes_candidates").empty and read(data_dir, "changes_reports").empty


def test_a_snapshot_from_another_source_is_not_compared(tmp_path, demo_builds):
    data_dir = demo_builds.copy(tmp_path / "data", rows=5_000)
    manifest = build_and_publish(data_dir, source="api")
    assert manifest["changes"]["previous_snapshot_id"] is None
    assert "came from demo" in manifest["changes"]["reason"]
    assert read(data_dir, "changes_candidates").empty


def test_a_sub_id_reused_for_another_gift_counts_as_a_new_receipt(changed, tmp_path):
    """A source that numbers its rows afresh (the local fake API's data after the demo's: all 13,586
    receipts of a refresh were missed) reuses sub_ids for other gifts. A receipt is the same only when
    its identity matches (changes.RECEIPT_IDENTITY): the same sub_id with another filer, date or amount
    is a gift that arrived, and the old one dropped out."""
    data_dir, known = changed
    previous = data_dir / "snapshots" / known.first_snapshot
    new = tmp_path / "snapshot"
    shutil.copytree(previous, new)
    partition = new / "receipts" / f"cycle={known.cycle}"
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT * FROM read_parquet('{partition}/*.parquet')")
    ids = [
        row[0]
        for row in con.execute(
            "SELECT sub_id FROM r WHERE candidate_id = ? ORDER BY sub_id LIMIT 9", [known.amended]
        ).fetchall()
    ]
    other_amount, other_date, other_filer = ids[:3], ids[3:6], ids[6:]
    con.execute("UPDATE r SET amount = amount + 1 WHERE list_contains(?, sub_id)", [other_amount])
    con.execute("UPDATE r SET date = date - 1 WHERE list_contains(?, sub_id)", [other_date])
    con.execute("UPDATE r SET committee_id = 'C99999999' WHERE list_contains(?, sub_id)", [other_filer])
    moved = con.execute("SELECT sum(amount) FROM r WHERE list_contains(?, sub_id)", [ids]).fetchall()[0][0]
    for old in partition.glob("*.parquet"):
        old.unlink()
    con.execute(f"COPY r TO '{partition}/data_0.parquet' (FORMAT parquet)")

    summary, counts = record_changes(duckdb.connect(), previous, new, "demo")
    assert (summary["receipts_arrived"], summary["receipts_dropped"]) == (9, 9)
    assert Decimal(summary["receipts_arrived_amount"]) == moved
    assert Decimal(summary["receipts_dropped_amount"]) == moved - 3  # the three amounts were one dollar less
    rows = read_snapshot(new, "changes_candidates")
    assert list(rows.candidate_id) == [known.amended] and counts["changes_candidates"] == 1
    assert (int(rows.arrived_n[0]), int(rows.dropped_n[0])) == (9, 9)
    assert Decimal(str(rows.arrived_amount[0])) - Decimal(str(rows.dropped_amount[0])) == Decimal("3.00")
