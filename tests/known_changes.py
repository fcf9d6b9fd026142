"""Two snapshots with known differences, for the tests of the changes step and of what the app
shows of them (tests/unit/pipeline/test_changes.py, tests/unit/app/test_trends.py, tests/e2e/test_trends.py).

`append_known_differences` changes the raw store the way a refresh would: an amended report
(higher receipts, its itemized rows re-filed under new sub_ids plus one more gift) for one
candidate, and a report for a new period with three gifts for another, then rebuilds. The
session fixture `changed` (tests/conftest.py) builds this once; tests only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from dashboard.core import contract
from dashboard.pipeline.builder.publish import build_and_publish

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
    amended: str  # candidate whose report was amended
    amended_period: tuple  # (report_year, report_type)
    amended_before: Decimal  # that period's receipts before the amendment
    refiled_n: int  # counted itemized rows of the replaced filing (dropped, then re-filed)
    refiled_amount: Decimal
    new_period: str  # candidate with a report for a new period
    new_period_key: tuple  # (report_year, report_type)
    new_gift_date: date

    def expected_candidates(self) -> dict[str, dict]:
        gifts = sum(NEW_PERIOD_GIFTS)
        return {
            self.amended: {
                "receipts_change": AMENDMENT_RAISES_RECEIPTS_BY,
                "itemized_change": AMENDMENT_EXTRA_GIFT,
                "arrived_n": self.refiled_n + 1,
                "arrived_amount": self.refiled_amount + AMENDMENT_EXTRA_GIFT,
                "dropped_n": self.refiled_n,
                "dropped_amount": self.refiled_amount,
            },
            self.new_period: {
                "receipts_change": NEW_PERIOD_RECEIPTS,
                "itemized_change": gifts,
                "arrived_n": len(NEW_PERIOD_GIFTS),
                "arrived_amount": gifts,
                "dropped_n": 0,
                "dropped_amount": Decimal("0.00"),
            },
        }

    def expected_reports(self) -> dict[tuple, dict]:
        return {
            (self.amended, *self.amended_period): {
                "change": "revised",
                "previous_receipts": self.amended_before,
                "receipts": self.amended_before + AMENDMENT_RAISES_RECEIPTS_BY,
            },
            (self.new_period, *self.new_period_key): {
                "change": "new",
                "previous_receipts": None,
                "receipts": NEW_PERIOD_RECEIPTS,
            },
        }


def _sql(con, sql, params=None) -> pd.DataFrame:
    return con.execute(sql, params or []).fetchdf()


def append_known_differences(data_dir: Path, cycle: int = 2026) -> KnownChanges:
    """Write new raw files (an amendment, a new period, their Schedule A rows) and rebuild."""
    snap = (data_dir / "current").resolve()
    raw = data_dir / "raw"
    con = duckdb.connect()
    con.execute(f"CREATE VIEW reports AS SELECT * FROM read_parquet('{raw}/reports/*.parquet')")
    con.execute(
        f"CREATE VIEW sched AS SELECT * FROM read_parquet('{raw}/schedule_a/**/*.parquet', hive_partitioning = true)"
    )
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet('{snap}/receipts/**/*.parquet', hive_partitioning = true)"
    )
    con.execute(f"CREATE VIEW candidates AS SELECT * FROM read_parquet('{snap}/candidates.parquet')")
    con.execute(f"CREATE VIEW periods AS SELECT * FROM read_parquet('{snap}/candidate_periods.parquet')")
    # A: the House candidate whose principal committee's newest report has the most counted rows.
    amended = _sql(
        con,
        """
        SELECT c.candidate_id, s.file_number, count(*) AS n, sum(r.amount) AS amount
        FROM receipts r JOIN sched s USING (sub_id) JOIN candidates c USING (candidate_id)
        WHERE c.cycle = ? AND r.cycle = ? AND c.office = 'H' AND s.committee_id = c.principal_committee_id
        GROUP BY ALL ORDER BY n DESC, c.candidate_id LIMIT 1""",
        [cycle, cycle],
    ).iloc[0]
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
    refiled = _sql(
        con, "SELECT * EXCLUDE (cycle) FROM sched WHERE file_number = ? ORDER BY sub_id", [int(amended.file_number)]
    )
    extra = refiled.iloc[[0]].copy()
    extra[["receipt_type", "memo_code", "conduit_committee_id", "contributor_name", "amount"]] = [
        "15",
        None,
        None,
        "TESTDONOR, BETA",
        float(AMENDMENT_EXTRA_GIFT),
    ]
    refiled = pd.concat([refiled, extra], ignore_index=True)
    refiled["sub_id"] = range(next_sub, next_sub + len(refiled))
    refiled["file_number"] = next_file
    refiled["amendment_indicator"] = "A"

    # B: another House candidate of the cycle with reports, filing for a period after its last one.
    new_period = _sql(
        con,
        """
        SELECT c.candidate_id, c.principal_committee_id, max(p.coverage_end) AS last_end
        FROM candidates c JOIN periods p USING (candidate_id, cycle)
        WHERE c.cycle = ? AND c.office = 'H' AND c.candidate_id <> ?
        GROUP BY ALL ORDER BY c.candidate_id LIMIT 1""",
        [cycle, amended.candidate_id],
    ).iloc[0]
    last_end = pd.Timestamp(new_period.last_end).date()
    start, end = last_end + pd.Timedelta(days=1), last_end + pd.Timedelta(days=40)
    gift_day = last_end + pd.Timedelta(days=6)
    template = _sql(
        con,
        "SELECT * FROM reports WHERE committee_id = ? ORDER BY coverage_end DESC LIMIT 1",
        [new_period.principal_committee_id],
    )
    new_report = template.copy()
    money = [c for c, t in contract.RAW["reports"].items() if t == contract.MONEY]
    new_report[money] = 0.0
    new_report[
        [
            "report_year",
            "report_type",
            "coverage_start",
            "coverage_end",
            "file_number",
            "previous_file_number",
            "amendment_indicator",
            "receipts",
            "individual_itemized",
            "cash_on_hand_begin",
            "cash_on_hand_end",
        ]
    ] = [
        cycle,
        "30G",
        pd.Timestamp(start),
        pd.Timestamp(end),
        next_file + 1,
        None,
        "N",
        float(NEW_PERIOD_RECEIPTS),
        float(sum(NEW_PERIOD_GIFTS)),
        template.cash_on_hand_end[0],
        template.cash_on_hand_end[0] + float(NEW_PERIOD_RECEIPTS),
    ]
    gifts = refiled.iloc[[0] * len(NEW_PERIOD_GIFTS)].copy()
    gifts["sub_id"] = range(next_sub + len(refiled), next_sub + len(refiled) + len(NEW_PERIOD_GIFTS))
    gifts["committee_id"] = new_period.principal_committee_id
    gifts["file_number"] = next_file + 1
    gifts["report_year"], gifts["report_type"], gifts["amendment_indicator"] = cycle, "30G", "N"
    gifts["receipt_type"], gifts["memo_code"], gifts["conduit_committee_id"] = "15", None, None
    gifts["contributor_name"] = NEW_DONOR
    gifts["date"] = pd.Timestamp(gift_day)
    gifts["amount"] = [float(a) for a in NEW_PERIOD_GIFTS]

    pd.concat([amendment, new_report], ignore_index=True).to_parquet(
        raw / "reports" / "refresh-test.parquet", index=False
    )
    pd.concat([refiled, gifts], ignore_index=True).to_parquet(
        raw / "schedule_a" / f"cycle={cycle}" / "refresh-test.parquet", index=False
    )
    first = snap.name
    second = build_and_publish(data_dir, source="demo")["snapshot_id"]
    before = _sql(
        con,
        "SELECT receipts FROM periods WHERE candidate_id = ? AND cycle = ? AND report_year = ? AND report_type = ?",
        [amended.candidate_id, cycle, int(report.report_year[0]), report.report_type[0]],
    ).receipts[0]
    return KnownChanges(
        first_snapshot=first,
        second_snapshot=second,
        cycle=cycle,
        amended=amended.candidate_id,
        amended_period=(int(report.report_year[0]), report.report_type[0]),
        amended_before=Decimal(str(before)),
        refiled_n=int(amended.n),
        refiled_amount=Decimal(str(amended.amount)),
        new_period=new_period.candidate_id,
        new_period_key=(cycle, "30G"),
        new_gift_date=gift_day,
    )
