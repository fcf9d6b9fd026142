"""Donors in a browser: the receipts explorer's one-row-per-donor view (toggle, grouped rows from the
server, sort by a header click, a link to each donor's page), and the committee and candidate pages'
chooser of another recipient that lists the donors both share."""

from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.app.queries import donors, receipts
from dashboard.app.queries.receipts import ReceiptFilters


@pytest.fixture(scope="module")
def shared(small_snapshot) -> tuple[str, str, str, str]:
    """The two 2024 committees sharing the most donors, and their candidates."""
    con = duckdb.connect()
    con.execute(
        f"CREATE VIEW receipts AS SELECT * FROM read_parquet("
        f"'{small_snapshot}/current/receipts/**/*.parquet', hive_partitioning = true)"
    )
    return con.execute(
        """SELECT a.committee_id, b.committee_id, any_value(a.candidate_id), any_value(b.candidate_id)
           FROM receipts a JOIN receipts b USING (donor_key, cycle)
           WHERE a.cycle = 2024 AND a.committee_id < b.committee_id AND a.amount > 0 AND b.amount > 0
             AND a.candidate_id <> b.candidate_id
           GROUP BY a.committee_id, b.committee_id ORDER BY count(DISTINCT donor_key) DESC, 1, 2 LIMIT 1"""
    ).fetchall()[0]


def first_cell(page, grid: str, column: str):
    return page.locator(f"#{grid} .ag-center-cols-container .ag-row[row-index='0'] [col-id='{column}']")


def test_group_by_donor_shows_one_row_per_donor_sorted_by_a_header_click(page, base_url, shared):
    candidate_id = shared[2]
    page.goto(f"{base_url}/receipts?cycle=2024&candidate_id={candidate_id}")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="One per donor").click()
    expect(page).to_have_url(re.compile(r"group=donor"))
    filters = ReceiptFilters.from_query({"cycle": "2024", "candidate_id": candidate_id})
    biggest = receipts.receipts_by_donor(filters, "-total", 3, 0)
    expect(page.locator("#rx-donor-grid-status")).to_contain_text(
        f"of {int(biggest['donors'].iloc[0]):,} loaded", timeout=15_000
    )
    name = first_cell(page, "rx-donor-grid", "donor_key")
    expect(name).to_have_text(biggest["contributor_name"].iloc[0])
    link = name.locator("a")
    assert link.get_attribute("href").startswith("/donor/")
    expect(first_cell(page, "rx-donor-grid", "total")).to_have_text(re.compile(r"^\$[\d,]+\.\d\d$"))
    # A click on the Gifts header sorts by it, descending first, and the URL says so.
    page.locator("#rx-donor-grid .ag-header-cell[col-id='gifts']").click()
    expect(page).to_have_url(re.compile(r"sort=-gifts"))
    most = receipts.receipts_by_donor(filters, "-gifts", 1, 0)
    expect(first_cell(page, "rx-donor-grid", "gifts")).to_have_text(str(int(most["gifts"].iloc[0])), timeout=15_000)
    # The filters stay when going back to one row per contribution.
    page.get_by_role("link", name="One per contribution").click()
    expect(page).not_to_have_url(re.compile(r"group=donor"))
    expect(page.locator(".rx-chips")).to_contain_text(candidate_id)


def test_committee_page_chooser_lists_a_shared_donor(page, base_url, shared):
    committee_a, committee_b, _candidate_a, _candidate_b = shared
    expected = donors.committee_gave_to_both(committee_a, committee_b, 2024)
    page.goto(f"{base_url}/committee/{committee_a}?cycle=2024")
    page.wait_for_load_state("networkidle")
    chooser = page.locator("#compare-with")
    chooser.focus()
    chooser.fill(committee_b.lower())
    chooser.press("Enter")
    expect(page).to_have_url(re.compile(rf"compare={committee_b.lower()}"))
    overlap = page.locator(".overlap")
    expect(overlap.locator(".overlap-count")).to_have_text(
        f"{len(expected):,} {'donor' if len(expected) == 1 else 'donors'} gave to both."
    )
    first = overlap.locator("tbody tr").first
    expect(first.locator("td").first).to_have_text(expected["contributor_name"].iloc[0])
    assert first.locator("a").get_attribute("href").startswith("/donor/")
    expect(overlap).to_contain_text("52 U.S.C. 30111(a)(4)")


def test_candidate_page_compares_with_another_candidate_by_its_id(page, base_url, shared):
    _a, _b, candidate_a, candidate_b = shared
    expected = donors.shared_donor_count(candidate_a, candidate_b, 2024)
    page.goto(f"{base_url}/candidate/{candidate_a}?cycle=2024&compare={candidate_b}")
    expect(page.locator(".overlap .overlap-count")).to_have_text(
        f"{expected:,} {'donor' if expected == 1 else 'donors'} gave to both."
    )
