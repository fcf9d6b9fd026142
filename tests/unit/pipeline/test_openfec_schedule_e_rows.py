"""rows.schedule_e_row on 963 real 24/48-hour notices (fec.gov's CSV export of raw e-filed Schedule E,
the field names of /schedules/schedule_e/efile/), and on a processed /schedules/schedule_e/ record."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pyarrow as pa
import pytest

from dashboard.core import contract
from dashboard.pipeline.openfec.rows import schedule_e_row

CYCLE = 2026


@pytest.fixture(scope="module")
def notices(shared_data) -> list[tuple[dict, dict]]:
    """(the export's record, its row) for every notice of the file."""
    path = shared_data / "fec" / "2026" / "schedule_e_efile_2025-09-14.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    return [(record, schedule_e_row(record, CYCLE)) for record in records]


def test_every_real_notice_maps_to_a_raw_row_of_the_contract(notices):
    assert len(notices) == 963
    rows = [row for _record, row in notices]
    table = pa.Table.from_pylist(rows, schema=contract.raw_arrow_schema("schedule_e"))
    assert table.num_rows == 963
    assert all(row["is_notice"] is True and row["cycle"] == CYCLE for row in rows)
    assert {row["filing_form"] for row in rows} == {"F24", "F5"}
    # No sub_id in the raw e-filed data: each line's is made up, negative, one per line, the same every time.
    assert len({row["sub_id"] for row in rows}) == 963 and all(row["sub_id"] < 0 for row in rows)
    record, row = notices[0]
    assert schedule_e_row(dict(record), CYCLE)["sub_id"] == row["sub_id"]


def test_amounts_to_the_cent_dates_and_names_as_filed(notices):
    for record, row in notices:
        assert row["amount"] == Decimal(record["expenditure_amount"]) and row["amount"].as_tuple().exponent == -2
        for field in ("expenditure_date", "dissemination_date"):
            expected = date.fromisoformat(record[field]) if record[field] else None
            assert row[field] == expected
        assert row["filed_date"] == date.fromisoformat(record["load_timestamp"][:10])
        assert row["committee_id"] == record["committee_id"] and row["spender_name"] == record["committee_name"]
        assert row["transaction_id"] == record["transaction_id"] and row["file_number"] == int(record["file_number"])
        assert row["support_oppose"] == (record["support_oppose_indicator"] or None)
        assert row["memo_code"] == (record["memo_code"] or None)
    hagerty = notices[0][1]
    assert hagerty["candidate_name"] == "HAGERTY, BILL" and hagerty["payee_name"] == "SENATE CONSERVATIVES FUND"
    assert hagerty["amount"] == Decimal("24.25") and hagerty["expenditure_date"] == date(2025, 2, 18)
    assert sum(row["expenditure_date"] is None for _r, row in notices) == 38  # blank in the filing: kept blank


def test_a_blank_candidate_id_stays_blank_with_the_name_office_and_state(notices):
    by_name = [row for _record, row in notices if row["candidate_id"] is None]
    assert len(by_name) == 79
    assert all(row["candidate_name"] and row["candidate_office"] in ("H", "S", "P") for row in by_name)
    assert all(row["candidate_state"] for row in by_name if row["candidate_office"] in ("H", "S"))
    trump = next(row for row in by_name if row["transaction_id"] == "SE.4402")
    assert trump["candidate_name"] == "Trump, Donald John" and trump["candidate_office"] == "P"


def test_restarted_transaction_ids_join_different_expenditures(notices):
    """The trap the builder guards against: some filers restart transaction IDs (SE.1, SE.2, ...) in
    every notice, so a committee and transaction ID can name different expenditures."""
    groups = defaultdict(list)
    for _record, row in notices:
        groups[row["committee_id"], row["transaction_id"]].append(row)

    def what(row):
        candidate = row["candidate_id"] or (row["candidate_name"], row["candidate_office"], row["candidate_state"])
        return row["expenditure_date"], row["amount"], candidate

    trapped = [row for rows in groups.values() for row in rows if any(what(o) != what(row) for o in rows)]
    assert len(trapped) == 13
    assert len({(r["committee_id"], r["transaction_id"]) for r in trapped}) == 5
    assert len({r["committee_id"] for r in trapped}) == 2


def test_a_processed_record_keeps_its_sub_id_and_nested_names():
    api = {
        "sub_id": "4112920241234567890",
        "committee_id": "C00799031",
        "committee": {"name": "UNITED DEMOCRACY PROJECT"},
        "filing_form": "F3X",
        "is_notice": False,
        "report_type": "Q3",
        "report_year": 2024,
        "file_number": 1812345,
        "amendment_indicator": "N",
        "transaction_id": "SE.123",
        "candidate_id": None,
        "candidate_name": "DOE, JANE",
        "candidate_office": "h",
        "candidate_office_state": "NY",
        "candidate_office_district": "16",
        "support_oppose_indicator": "o",
        "expenditure_amount": 1234567.8,
        "expenditure_date": "2024-06-01T00:00:00",
        "dissemination_date": None,
        "expenditure_description": "TV AD",
        "payee_name": "MEDIA CO",
        "filing_date": "2024-10-15",
    }
    row = schedule_e_row(api, 2024)
    assert row["sub_id"] == 4112920241234567890 and row["spender_name"] == "UNITED DEMOCRACY PROJECT"
    assert row["is_notice"] is False and row["amount"] == Decimal("1234567.80")
    assert (row["candidate_id"], row["candidate_name"], row["candidate_office"], row["candidate_district"]) == (
        None,
        "DOE, JANE",
        "H",
        "16",
    )
    assert row["support_oppose"] == "O" and row["expenditure_date"] == date(2024, 6, 1)
    assert row["filed_date"] == date(2024, 10, 15) and row["report_type"] == "Q3"
