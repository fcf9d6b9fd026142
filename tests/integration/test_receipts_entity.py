"""Contributor type (entity=individual|organization) and the filing-page link through the page, the
API and the export: the same rows and counts as the query; each row's link opens the FEC's image."""

from __future__ import annotations

import csv
import io

import pytest

from dashboard.app.queries import receipts
from dashboard.app.queries.receipts import ReceiptFilters
from tests.integration.test_app_routes import page_text

VIEW = {"cycle": "2024", "entity": "organization", "from": "2024-01-01", "to": "2024-06-30"}


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app

    return app.server.test_client()


def test_the_export_and_the_api_hold_the_organizations_only(client):
    expected = receipts.db.query(
        "SELECT sub_id FROM receipts WHERE cycle = 2024 AND entity_type = 'ORG' AND date BETWEEN ? AND ? "
        "ORDER BY date DESC, sub_id DESC",
        ["2024-01-01", "2024-06-30"],
    )
    response = client.get("/api/v1/receipts/export", query_string={**VIEW, "format": "csv"})
    assert response.status_code == 200 and "entity-organization" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [int(r["sub_id"]) for r in rows] == list(expected["sub_id"]) and len(rows) > 0
    assert {r["entity_type"] for r in rows} == {"ORG"} and "image_number" in rows[0]
    page = client.get("/api/v1/receipts", query_string={**VIEW, "limit": 1000}).get_json()["data"]
    assert [int(row["sub_id"]) for row in page] == list(expected["sub_id"])
    assert {row["entity_type"] for row in page} == {"ORG"}
    bad = client.get("/api/v1/receipts", query_string={"cycle": "2024", "entity": "pac"})
    assert bad.status_code == 400 and "entity" in bad.get_data(as_text=True)


def test_the_shared_link_reopens_the_view(client):
    text = page_text(client, "/receipts", "?" + "&".join(f"{k}={v}" for k, v in VIEW.items()))
    assert "Contributor type: organizations" in text
    summary = receipts.receipts_summary(ReceiptFilters.from_query(VIEW)).iloc[0]
    assert f"{int(summary.n):,}" in text


def test_each_row_links_to_the_fec_image_of_its_filing_page(small_snapshot):
    from pages.receipts import filing_image_link, grid_sort

    link = filing_image_link("202404159123456789")
    assert link.startswith("[Filing page](https://docquery.fec.gov/cgi-bin/fecimg/?202404159123456789 ")
    assert "opens in a new tab" in link
    assert filing_image_link(None) == "" and filing_image_link("") == ""
    # The grid's header sort, as the URL's.
    assert grid_sort({"sortModel": [{"colId": "amount", "sort": "desc"}]}, "-date") == "-amount"
    assert grid_sort({"sortModel": [{"colId": "amount", "sort": "asc"}]}, "-date") == "amount"
    assert grid_sort({"sortModel": []}, "date") == "date"
