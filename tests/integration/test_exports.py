"""Exports of the receipts explorer's view: the file holds exactly the rows of the view in its
order, in CSV and Parquet, named by its filters and coverage date, refused above the row cap,
and the FEC's restriction on contributor data travels with it."""

from __future__ import annotations

import csv
import io

import pyarrow.parquet as pq
import pytest

from dashboard.app import exports
from dashboard.app.queries import receipts
from dashboard.app.queries.receipts import ReceiptFilters
from tests.integration.test_app_routes import page_text


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def view(small_snapshot) -> dict:
    busy = receipts.db.query(
        "SELECT candidate_id FROM receipts WHERE cycle = 2024 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    return {"cycle": "2024", "candidate_id": busy.candidate_id.iloc[0], "min": "25"}


def test_csv_holds_exactly_the_view_in_its_order(client, view):
    response = client.get("/api/v1/receipts/export", query_string={**view, "sort": "-amount", "format": "csv"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert (
        f"receipts-2024-candidate_id-{view['candidate_id']}-min-25-sort-desc-amount-through-2024-12-31.csv"
        in disposition
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    expected = receipts.receipts_page(ReceiptFilters.from_query(view), "-amount", limit=1000)
    assert int(response.headers["X-Row-Count"]) == len(rows) == len(expected)
    assert [int(r["sub_id"]) for r in rows] == list(expected["sub_id"])
    assert [float(r["amount"]) for r in rows] == pytest.approx(list(expected["amount"].astype(float)))
    assert list(rows[0]) == list(receipts.COLUMNS)


def test_parquet_holds_the_same_rows_and_the_notice(client, view):
    response = client.get("/api/v1/receipts/export", query_string={**view, "format": "parquet"})
    assert response.status_code == 200 and response.headers["Content-Disposition"].endswith('.parquet"')
    table = pq.read_table(io.BytesIO(response.data))
    expected = receipts.receipts_page(ReceiptFilters.from_query(view), "-date", limit=1000)
    assert table.column("sub_id").to_pylist() == list(expected["sub_id"])
    metadata = {k.decode(): v.decode() for k, v in table.schema.metadata.items()}
    assert "30111(a)(4)" in metadata["notice"] and metadata["data_through"] == "2024-12-31"
    assert f"candidate_id={view['candidate_id']}" in metadata["filters"]


def test_an_empty_view_is_an_empty_file_with_its_columns(client):
    response = client.get("/api/v1/receipts/export?cycle=2024&zip=00000")
    assert response.status_code == 200
    assert response.get_data(as_text=True).strip().replace('"', "").split(",") == list(receipts.COLUMNS)


def test_over_the_row_cap_is_refused_with_a_message(client, view, monkeypatch):
    monkeypatch.setenv("EXPORT_ROW_CAP", "10")
    response = client.get("/api/v1/receipts/export", query_string=view)
    assert response.status_code == 413
    assert "at most 10" in response.get_json()["error"] and "Narrow" in response.get_json()["error"]
    text = page_text(client, "/receipts", "?" + "&".join(f"{k}={v}" for k, v in view.items()))
    assert "one download holds at most 10" in text and "Download CSV" not in text


def test_the_page_offers_the_view_with_the_fec_notice(client, view):
    text = page_text(client, "/receipts", "?" + "&".join(f"{k}={v}" for k, v in view.items()))
    assert "Download CSV" in text and "Download Parquet" in text
    assert exports.FEC_NOTICE in text
    summary = receipts.receipts_summary(ReceiptFilters.from_query(view)).iloc[0]
    assert f"{int(summary.n):,}" in text


def test_a_broad_search_is_answered_and_a_slow_one_says_so(client, monkeypatch):
    # Issue 14: no search is refused for being broad (the search index answers a whole state's
    # receipts); a query cut off by QUERY_TIMEOUT_MS still gets the friendly message.
    text = page_text(client, "/receipts", "?cycle=2024&state=CA")
    summary = receipts.receipts_summary(ReceiptFilters.from_query({"cycle": "2024", "state": "CA"})).iloc[0]
    assert f"{int(summary.n):,}" in text and "covers too much" not in text

    def slow(*_args, **_kwargs):
        raise receipts.db.QueryTimeoutError("query cancelled after 5000 ms")

    monkeypatch.setattr(receipts, "receipts_summary", slow)
    assert "This page took too long" in page_text(client, "/receipts", "?cycle=2024&state=CA")


def test_bad_filters_get_a_message_naming_them(client):
    text = page_text(client, "/receipts", "?cycle=2024&zip=12")
    assert "zip:" in text and "Traceback" not in text
