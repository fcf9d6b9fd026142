"""Pieces of the refresh: API rows to raw rows, idempotent raw writes, progress. (Its --every
intervals are parsed by dashboard.core.params: tests/unit/core/test_params.py.)"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pyarrow.parquet as pq

from dashboard.pipeline.openfec.commit import append_new_receipts, upsert
from dashboard.pipeline.openfec.rows import KEYS, candidate_row, report_row, schedule_a_row, to_table
from dashboard.pipeline.progress import Progress

# The reference's example Schedule A row (openfec-api.md section 6.5), as the client decodes it.
API_RECEIPT = {
    "committee_id": "C00765432",
    "contributor_name": "OKAFOR, DANIEL",
    "contributor_city": "PORTLAND",
    "contributor_state": "OR",
    "contributor_zip": "972141234",
    "contributor_employer": "OHSU",
    "contributor_occupation": "PHYSICIAN",
    "contributor_id": None,
    "entity_type": "IND",
    "contribution_receipt_date": "2024-03-15T00:00:00",
    "contribution_receipt_amount": Decimal("500.0"),
    "contributor_aggregate_ytd": Decimal("1250.0"),
    "receipt_type": "15E",
    "memo_code": None,
    "memo_text": "EARMARKED THROUGH ACTBLUE",
    "line_number": "11AI",
    "two_year_transaction_period": 2024,
    "report_year": 2024,
    "report_type": "Q1",
    "amendment_indicator": "N",
    "conduit_committee_id": "C00401224",
    "sub_id": "4052020241987654321",
    "transaction_id": "SA11AI.4471",
    "file_number": 1789012,
    "image_number": "202404159123456789",
    "load_date": "2024-04-20T04:13:26",
}


def test_a_schedule_a_row_maps_onto_the_raw_contract():
    row = schedule_a_row(API_RECEIPT)
    assert row["sub_id"] == 4052020241987654321 and row["date"] == date(2024, 3, 15)
    assert row["amount"] == Decimal("500.00") and row["zip"] == "972141234"
    assert row["conduit_committee_id"] == "C00401224" and row["receipt_type"] == "15E"
    table = to_table([row], "schedule_a")
    assert table.column("amount").type.scale == 2 and "cycle" not in table.column_names


def test_report_rows_take_presidential_field_names_too():
    row = report_row(
        {
            "committee_id": "C00000001",
            "cycle": 2024,
            "coverage_start_date": "2024-01-01T00:00:00",
            "coverage_end_date": "2024-03-31T00:00:00",
            "file_number": 5,
            "previous_file_number": 4,
            "total_receipts_period": Decimal("10.1"),
            "transfers_from_affiliated_committee_period": Decimal("2"),
        }
    )
    assert row["coverage_end"] == date(2024, 3, 31) and row["previous_file_number"] == 4
    assert row["receipts"] == Decimal("10.10") and row["transfers_from_authorized"] == Decimal("2.00")


def test_a_candidate_runs_in_the_next_election_at_or_after_the_cycle():
    senator = {"candidate_id": "S4TX00123", "election_years": [2018, 2024, 2030], "district": None}
    assert candidate_row(senator, 2026)["election_year"] == 2030
    assert candidate_row(senator, 2024)["election_year"] == 2024
    assert candidate_row(senator, 2026)["district"] == "00"


def test_upsert_replaces_by_key_and_keeps_the_rest(tmp_path):
    path = tmp_path / "candidates.parquet"
    base = {
        "cycle": 2026,
        "party": "DEM",
        "office": "H",
        "state": "OR",
        "district": "01",
        "incumbent_challenge": "C",
        "status": "C",
        "principal_committee_id": None,
        "election_year": 2026,
    }
    upsert(
        path,
        to_table([dict(base, candidate_id="H1", name="A"), dict(base, candidate_id="H2", name="B")], "candidates"),
        KEYS["candidates"],
    )
    # pulled twice in one run: the later copy wins, once
    upsert(
        path,
        to_table(
            [
                dict(base, candidate_id="H2", name="B2"),
                dict(base, candidate_id="H2", name="B3"),
                dict(base, candidate_id="H3", name="C"),
            ],
            "candidates",
        ),
        KEYS["candidates"],
    )
    rows = sorted((r["candidate_id"], r["name"]) for r in pq.read_table(path).to_pylist())
    assert rows == [("H1", "A"), ("H2", "B3"), ("H3", "C")]


def test_receipts_are_appended_once_however_often_they_are_pulled(tmp_path):
    rows = [schedule_a_row(dict(API_RECEIPT, sub_id=str(i))) for i in (1, 2, 3, 2, 1)]
    assert append_new_receipts(tmp_path, to_table(rows, "schedule_a"), "run1") == 3
    assert append_new_receipts(tmp_path, to_table(rows, "schedule_a"), "run1") == 0  # a commit done again
    more = [schedule_a_row(dict(API_RECEIPT, sub_id=str(i))) for i in (3, 4)]
    assert append_new_receipts(tmp_path, to_table(more, "schedule_a"), "run2") == 1
    ids = [i for f in tmp_path.glob("*.parquet") for i in pq.read_table(f)["sub_id"].to_pylist()]
    assert sorted(ids) == [1, 2, 3, 4]
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".parquet")] == []


def test_progress_without_a_terminal_prints_a_line_every_tenth():
    out = io.StringIO()
    bar = Progress(out=out)
    bar.start_bar()
    for i in range(1, 101):
        bar.bar("2026 receipts", i, 100, "detail")
    lines = out.getvalue().splitlines()
    assert 10 <= len(lines) <= 12 and "100/100" in lines[-1] and "#" * 24 in lines[-1]
