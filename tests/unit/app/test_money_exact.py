"""Money leaves the app to the cent: the CSV downloads beside every table, the API's JSON and CSV,
and the receipts export carry the exact DECIMAL(14,2) amounts of the extracts (1234.5 is 1234.5,
never 1235 or 1234.4999999999998), checked against what the demo generator really generated (its
truth, in cents)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from dashboard.app import exports
from dashboard.app.components import twin
from dashboard.app.queries import races, receipts


@pytest.fixture(scope="module")
def race(small_snapshot: Path) -> dict:
    """The biggest House race of 2024 with its candidates' true receipts in cents."""
    top = races.top_races(2024, office="H", limit=1).iloc[0]
    truth = duckdb.sql(
        f"SELECT candidate_id, receipts FROM read_parquet('{small_snapshot}/demo_truth/candidates.parquet') "
        "WHERE cycle = 2024"
    ).fetchall()
    return {"state": top.state, "district": top.district, "cents": dict(truth)}


def cents_of(text: str) -> int:
    """The cents a figure's text stands for; fails on any digit beyond the cent."""
    amount = Decimal(text)
    assert amount == amount.quantize(Decimal("0.01")), text
    return int(amount * 100)


def test_csv_of_a_table_carries_the_extract_cents(race):
    frame = races.race_candidates(2024, "H", race["state"], race["district"])
    text = twin.csv_text(frame, ["candidate_id", "receipts"])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(frame) > 1
    with_cents = [r for r in rows if r["receipts"] and cents_of(r["receipts"]) % 100]
    assert with_cents, "the demo race should have amounts with cents"
    for row in rows:
        if row["receipts"]:
            assert cents_of(row["receipts"]) == race["cents"][row["candidate_id"]], row


def test_csv_of_sums_done_in_floats_carries_no_float_noise(race):
    # Pages sum money in pandas (pivots, running totals): a float sum of cents is not a cent
    # (0.1 + 0.2 is 0.30000000000000004), and the CSV must still say the exact figure.
    periods = races.race_periods(2024, "H", race["state"], race["district"])
    periods = periods.assign(running=periods.groupby("candidate_id")["receipts"].cumsum())
    rows = list(csv.DictReader(io.StringIO(twin.csv_text(periods, ["candidate_id", "running"]))))
    last = {row["candidate_id"]: row["running"] for row in rows}
    assert {cid: cents_of(value) for cid, value in last.items()} == {cid: race["cents"][cid] for cid in last}
    noisy = pd.DataFrame({"amount": [0.1 + 0.2, 1234.5, 1234.4999999999998, -12.5], "share": [1 / 3] * 4})
    assert twin.csv_text(noisy, ["amount", "share"]).splitlines() == [
        "amount,share",
        "0.3,0.333333333333333",
        "1234.5,0.333333333333333",
        "1234.5,0.333333333333333",
        "-12.5,0.333333333333333",
    ]


def test_json_values_carry_the_exact_cents():
    assert [exports.json_value(v) for v in (0.1 + 0.2, 1234.4999999999998, Decimal("1234.50"), -12.5)] == [
        0.3,
        1234.5,
        1234.5,
        -12.5,
    ]
    assert json.dumps(exports.json_value(1234.4999999999998)) == "1234.5"


def test_api_json_and_csv_carry_the_extract_cents(small_snapshot, race):
    import app

    client = app.server.test_client()
    query = {"cycle": "2024", "office": "house", "state": race["state"], "district": race["district"]}
    body = json.loads(client.get("/api/v1/race/candidates", query_string=query).get_data(as_text=True))
    got = {row["candidate_id"]: row["receipts"] for row in body["data"] if row["receipts"] is not None}
    # repr of the float JSON carries is the figure's text: 1234.5, never 1234.4999999999998.
    assert {cid: cents_of(repr(value)) for cid, value in got.items()} == {cid: race["cents"][cid] for cid in got}
    text = client.get("/api/v1/race/candidates.csv", query_string=query).get_data(as_text=True)
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["receipts"]]
    assert {r["candidate_id"]: cents_of(r["receipts"]) for r in rows} == {cid: race["cents"][cid] for cid in got}


def test_receipts_export_writes_amounts_to_the_cent(small_snapshot):
    filters = receipts.ReceiptFilters.from_query({"cycle": "2024"})
    export = exports.receipts_export(filters, receipts.DEFAULT_SORT, "csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(export.chunks).decode())))
    parquet = duckdb.sql(
        f"SELECT sum(amount) FROM read_parquet('{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true) "
        "WHERE cycle = 2024"
    ).fetchall()[0][0]
    assert len(rows) == export.rows > 0
    # Every amount is written as its DECIMAL(14,2) (e.g. 250.00), and they add up to the extract's sum.
    assert all(r["amount"] == f"{Decimal(r['amount']):.2f}" for r in rows)
    assert sum(Decimal(r["amount"]) for r in rows) == parquet
