"""The changes step: two snapshots with known differences, and exactly those differences recorded.

`append_known_differences` changes the raw store the way a refresh would: an amended report
(higher receipts, its itemized rows re-filed under new sub_ids plus one more gift) for one
candidate, and a report for a new period with three gifts for another. The rebuilt snapshot's
change extracts must name those two candidates and those two report periods, with those amounts,
and nothing else. The end-to-end tests reuse this to show the same on the page.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.core import contract
from dashboard.pipeline.builder.publish import build_and_publish
from tests.conftest import make_demo

CHANGE_ROWS = 20_000
NEW_PERIOD_GIFTS = (Decimal("1000.00"), Decimal("2000.50"), Decimal("300.00"))
NEW_PERIOD_RECEIPTS = Decimal("12345.67")
AMENDMENT_RAISES_RECEIPTS_BY = Decimal("5000.00")
AMENDMENT_EXTRA_GIFT = Decimal("2500.00")
NEW_DONOR = "TESTDONOR, ALPHA"


@dataclass(frozen=True)
class KnownChanges:
    first_snapshot: str
    second_snapshot: str
    cycle: int
    amended: str              # candidate whose report was amended
    amended_period: tuple     # (report_year, report_type)
    amended_before: Decimal   # that period's receipts before the amendment
    refiled_n: int            # counted itemized rows of the replaced filing (dropped, then re-filed)
    refiled_amount: Decimal
    new_period: str           # candidate with a report for a new period
    new_period_key: tuple     # (report_year, report_type)
    new_gift_date: date

    def expected_candidates(self) -> dict[str, dict]:
        gifts = sum(NEW_PERIOD_GIFTS)
        return {
            self.amended: {"receipts_change": AMENDMENT_RAISES_RECEIPTS_BY, "itemized_change": AMENDMENT_EXTRA_GIFT,
                           "arrived_n": self.refiled_n + 1, "arrived_amount": self.refiled_amount + AMENDMENT_EXTRA_GIFT,
                           "dropped_n": self.refiled_n, "dropped_amount": self.refiled_amount},
            self.new_period: {"receipts_change": NEW_PERIOD_RECEIPTS, "itemized_change": gifts,
                              "arrived_n": len(NEW_PERIOD_GIFTS), "arrived_amount": gifts,
                              "dropped_n": 0, "dropped_amount": Decimal("0.00")},
        }

    def expected_reports(self) -> dict[tuple, dict]:
        return {
            (self.amended, *self.amended_period): {
                "change": "revised", "previous_receipts": self.amended_before,
                "receipts": self.amended_before + AMENDMENT_RAISES_RECEIPTS_BY},
            (self.new_period, *self.new_period_key): {
                "change": "new", "previous_receipts": None, "receipts": NEW_PERIOD_RECEIPTS},
        }


def _sql(con, sql, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).fetchdf()


def append_known_differences(data_dir: Path, cycle: int = 2026) -> KnownChanges:
    """Write new raw files (an amendment, a new period, their Schedule A rows) and rebuild."""
    snap = (data_dir / "current").resolve()
    raw = data_dir / "raw"
    con = duckdb.connect()
    con.execute(f"CREATE VIEW reports AS SELECT * FROM read_parquet('{raw}/reports/*.parquet')")
    con.execute(f"CREATE VIEW sched AS SELECT * FROM read_parquet('{raw}/schedule_a/**/*.parquet', "
                "hive_partitioning = true)")
    con.execute(f"CREATE VIEW receipts AS SELECT * FROM read_parquet('{snap}/receipts/**/*.parquet', "
                "hive_partitioning = true)")
    con.execute(f"CREATE VIEW candidates AS SELECT * FROM read_parquet('{snap}/candidates.parquet')")
    con.execute(f"CREATE VIEW periods AS SELECT * FROM read_parquet('{snap}/candidate_periods.parquet')")
    # A: the House candidate whose principal committee's newest report has the most counted rows.
    amended = _sql(con, """
        SELECT c.candidate_id, s.file_number, count(*) AS n, sum(r.amount) AS amount
        FROM receipts r JOIN sched s USING (sub_id) JOIN candidates c USING (candidate_id)
        WHERE c.cycle = ? AND r.cycle = ? AND c.office = 'H' AND s.committee_id = c.principal_committee_id
        GROUP BY ALL ORDER BY n DESC, c.candidate_id LIMIT 1""", [cycle, cycle]).iloc[0]
    report = _sql(con, "SELECT * FROM reports WHERE file_number = ?", [int(amended.file_number)])
    assert len(report) == 1
    next_file = int(_sql(con, "SELECT max(file_number) AS f FROM reports").f[0]) + 1
    next_sub = int(_sql(con, "SELECT max(sub_id) AS s FROM sched").s[0]) + 1
    amendment = report.copy()
    amendment["previous_file_number"] = amendment["file_number"]
    amendment["file_number"] = next_file
    amendment["amendment_indicator"] = "A"
    amendment["receipts"] = amendment["receipts"] + float(AMENDMENT_RAISES_RECEIPTS_BY)
    amendment["individual_itemized"] = amendment["individual_itemized"] + float(AMENDMENT_EXTRA_GIFT)
    refiled = _sql(con, "SELECT * EXCLUDE (cycle) FROM sched WHERE file_number = ? ORDER BY sub_id",
                   [int(amended.file_number)])
    extra = refiled.iloc[[0]].copy()
    extra[["receipt_type", "memo_code", "conduit_committee_id", "contributor_name", "amount"]] = \
        ["15", None, None, "TESTDONOR, BETA", float(AMENDMENT_EXTRA_GIFT)]
    refiled = pd.concat([refiled, extra], ignore_index=True)
    refiled["sub_id"] = range(next_sub, next_sub + len(refiled))
    refiled["file_number"] = next_file
    refiled["amendment_indicator"] = "A"

    # B: another House candidate of the cycle with reports, filing for a period after its last one.
    new_period = _sql(con, """
        SELECT c.candidate_id, c.principal_committee_id, max(p.coverage_end) AS last_end
        FROM candidates c JOIN periods p USING (candidate_id, cycle)
        WHERE c.cycle = ? AND c.office = 'H' AND c.candidate_id <> ?
        GROUP BY ALL ORDER BY c.candidate_id LIMIT 1""", [cycle, amended.candidate_id]).iloc[0]
    last_end = pd.Timestamp(new_period.last_end).date()
    start, end, gift_day = last_end + pd.Timedelta(days=1), last_end + pd.Timedelta(days=40), last_end + pd.Timedelta(days=6)
    template = _sql(con, "SELECT * FROM reports WHERE committee_id = ? ORDER BY coverage_end DESC LIMIT 1",
                    [new_period.principal_committee_id])
    new_report = template.copy()
    money = [c for c, t in contract.RAW["reports"].items() if t == contract.MONEY]
    new_report[money] = 0.0
    new_report[["report_year", "report_type", "coverage_start", "coverage_end", "file_number",
                "previous_file_number", "amendment_indicator", "receipts", "individual_itemized",
                "cash_on_hand_begin", "cash_on_hand_end"]] = \
        [cycle, "30G", pd.Timestamp(start), pd.Timestamp(end), next_file + 1, None, "N",
         float(NEW_PERIOD_RECEIPTS), float(sum(NEW_PERIOD_GIFTS)), template.cash_on_hand_end[0],
         template.cash_on_hand_end[0] + float(NEW_PERIOD_RECEIPTS)]
    gifts = refiled.iloc[[0] * len(NEW_PERIOD_GIFTS)].copy()
    gifts["sub_id"] = range(next_sub + len(refiled), next_sub + len(refiled) + len(NEW_PERIOD_GIFTS))
    gifts["committee_id"] = new_period.principal_committee_id
    gifts["file_number"] = next_file + 1
    gifts["report_year"], gifts["report_type"], gifts["amendment_indicator"] = cycle, "30G", "N"
    gifts["receipt_type"], gifts["memo_code"], gifts["conduit_committee_id"] = "15", None, None
    gifts["contributor_name"] = NEW_DONOR
    gifts["date"] = pd.Timestamp(gift_day)
    gifts["amount"] = [float(a) for a in NEW_PERIOD_GIFTS]

    pd.concat([amendment, new_report], ignore_index=True).to_parquet(raw / "reports" / "refresh-test.parquet", index=False)
    pd.concat([refiled, gifts], ignore_index=True).to_parquet(
        raw / "schedule_a" / f"cycle={cycle}" / "refresh-test.parquet", index=False)
    first = snap.name
    second = build_and_publish(data_dir, source="demo")["snapshot_id"]
    before = _sql(con, "SELECT receipts FROM periods WHERE candidate_id = ? AND cycle = ? AND report_year = ? "
                       "AND report_type = ?", [amended.candidate_id, cycle, int(report.report_year[0]),
                                                report.report_type[0]]).receipts[0]
    return KnownChanges(
        first_snapshot=first, second_snapshot=second, cycle=cycle, amended=amended.candidate_id,
        amended_period=(int(report.report_year[0]), report.report_type[0]), amended_before=Decimal(str(before)),
        refiled_n=int(amended.n), refiled_amount=Decimal(str(amended.amount)),
        new_period=new_period.candidate_id, new_period_key=(cycle, "30G"), new_gift_date=gift_day)


def build_two_snapshots(data_dir: Path) -> KnownChanges:
    make_demo(data_dir, rows=CHANGE_ROWS)
    return append_known_differences(data_dir)


@pytest.fixture(scope="module")
def changed(tmp_path_factory) -> tuple[Path, KnownChanges]:
    data_dir = tmp_path_factory.mktemp("two-snapshots")
    return data_dir, build_two_snapshots(data_dir)


def read(data_dir: Path, name: str) -> pd.DataFrame:
    return duckdb.sql(f"SELECT * FROM read_parquet('{(data_dir / 'current').resolve() / name}.parquet')").df()


def test_the_first_snapshot_records_no_changes_and_says_why(changed):
    data_dir, known = changed
    first = json.loads((data_dir / "snapshots" / known.first_snapshot / "manifest.json").read_text())
    assert first["changes"] == {"previous_snapshot_id": None, "reason": "no earlier snapshot"}
    for name in contract.CHANGE_EXTRACTS:
        frame = duckdb.sql(f"SELECT * FROM read_parquet('{data_dir / 'snapshots' / known.first_snapshot / name}.parquet')").df()
        assert frame.empty and list(frame.columns) == list(contract.EXTRACTS[name])
        assert first["row_counts"][name] == 0


def test_movers_are_exactly_the_candidates_that_changed(changed):
    data_dir, known = changed
    frame = read(data_dir, "changes_candidates")
    assert list(frame.columns) == list(contract.EXTRACTS["changes_candidates"])
    assert set(frame.previous_snapshot_id) == {known.first_snapshot}
    got = {row.candidate_id: {key: getattr(row, key) for key in next(iter(known.expected_candidates().values()))}
           for row in frame.itertuples()}
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


def test_a_rebuild_of_the_same_raw_data_records_nothing(tmp_path):
    data_dir = make_demo(tmp_path / "data", rows=5_000)
    first = (data_dir / "current").resolve().name
    manifest = build_and_publish(data_dir, source="demo")
    assert manifest["changes"]["previous_snapshot_id"] == first
    assert manifest["changes"]["candidates_changed"] == 0 and manifest["changes"]["receipts_arrived"] == 0
    assert read(data_dir, "changes_candidates").empty and read(data_dir, "changes_reports").empty


def test_a_snapshot_from_another_source_is_not_compared(tmp_path):
    data_dir = make_demo(tmp_path / "data", rows=5_000)
    manifest = build_and_publish(data_dir, source="api")
    assert manifest["changes"]["previous_snapshot_id"] is None
    assert "came from demo" in manifest["changes"]["reason"]
    assert read(data_dir, "changes_candidates").empty
