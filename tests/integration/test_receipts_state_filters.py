"""The donor-state filters and the conduit's name through the page, the API and the export: a
shared link reopens the same view, and the API and the file hold the same rows as the query."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.app.queries import receipts
from dashboard.app.queries.receipts import ReceiptFilters
from tests.integration.test_app_routes import page_text


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app

    return app.server.test_client()


@pytest.fixture(scope="module")
def view(small_snapshot) -> dict:
    """A House or Senate candidate's earmarked gifts from outside their state, but not from Texas."""
    busy = receipts.db.query(
        """SELECT r.candidate_id FROM receipts r JOIN candidates c USING (candidate_id, cycle)
           WHERE r.cycle = 2024 AND c.office IN ('H', 'S') AND r.is_earmarked AND r.state <> c.state
           GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"""
    )
    return {
        "cycle": "2024",
        "candidate_id": busy.candidate_id.iloc[0],
        "not_state": "TX",
        "outside_state": "yes",
        "earmarked": "yes",
    }


def test_the_export_holds_the_view_with_conduit_names_and_ids(client, view):
    response = client.get("/api/v1/receipts/export", query_string={**view, "format": "csv"})
    assert response.status_code == 200
    assert "not_state-TX-outside_state-yes" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    expected = receipts.receipts_page(ReceiptFilters.from_query(view), limit=1000)
    assert len(rows) == len(expected) > 0
    assert [int(r["sub_id"]) for r in rows] == list(expected["sub_id"])
    assert [r["conduit_name"] for r in rows] == list(expected["conduit_name"])
    assert [r["conduit_committee_id"] for r in rows] == list(expected["conduit_committee_id"])
    assert all(r["state"] != "TX" and r["conduit_name"] for r in rows)


def test_the_api_pages_and_sums_the_same_view(client, view):
    summary = client.get("/api/v1/receipts/summary", query_string=view).get_json()["data"][0]
    expected = receipts.receipts_summary(ReceiptFilters.from_query(view)).iloc[0]
    assert summary["n"] == int(expected["n"]) > 0
    page = client.get("/api/v1/receipts", query_string={**view, "limit": 1000}).get_json()["data"]
    assert len(page) == int(expected["n"]) and all(row["conduit_name"] for row in page)
    bad = client.get("/api/v1/receipts", query_string={"cycle": "2024", "not_state": "XX"})
    assert bad.status_code == 400 and "not_state" in bad.get_data(as_text=True)


def test_the_shared_link_reopens_the_view(client, view):
    text = page_text(client, "/receipts", "?" + "&".join(f"{k}={v}" for k, v in view.items()))
    assert "Not in: Texas" in text and "Donor's state: outside the candidate's state" in text
    summary = receipts.receipts_summary(ReceiptFilters.from_query(view)).iloc[0]
    assert f"{int(summary.n):,}" in text
