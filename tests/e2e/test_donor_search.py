"""Issue 14's investigation, as a reporter does it in the browser: find a donor who gave to both leading
candidates of a House race on the race page, open the donor's page from there, then find the same donor
again from the header search by two partial words of the name, and search the receipts explorer by those
words across all cycles. The expected donor and amounts come from the receipts extract, not from pages."""

from __future__ import annotations

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.core import normalize


@pytest.fixture(scope="module")
def shared_donor(small_snapshot) -> dict:
    """A 2024 House race whose two biggest fundraisers share a donor, that donor, and two partial words
    of the donor's name ('jo smi' for SMITH, JOHN)."""
    con = duckdb.connect()
    current = small_snapshot / "current"
    row = con.execute(
        f"""
        WITH top2 AS (
            SELECT c.candidate_id, c.state, c.district, c.name,
                   row_number() OVER (PARTITION BY c.state, c.district ORDER BY t.receipts DESC, c.candidate_id) AS rank
            FROM '{current}/candidates.parquet' c JOIN '{current}/candidate_totals.parquet' t USING (candidate_id, cycle)
            WHERE c.cycle = 2024 AND c.office = 'H' AND c.in_race),
        gifts AS (
            SELECT r.donor_key, any_value(r.contributor_name) AS name, t.state, t.district, t.rank
            FROM read_parquet('{current}/receipts/**/*.parquet', hive_partitioning = true) r
            JOIN top2 t ON t.candidate_id = r.candidate_id
            WHERE r.cycle = 2024 AND t.rank <= 2 AND r.amount > 0 AND r.contributor_name LIKE '%, %'
            GROUP BY r.donor_key, t.state, t.district, t.rank)
        SELECT donor_key, any_value(name), state, district FROM gifts
        GROUP BY donor_key, state, district HAVING count(DISTINCT rank) = 2
        ORDER BY state, district, donor_key LIMIT 1"""
    ).fetchone()
    assert row, "the demo has a House race whose two leaders share a donor"
    key, name, state, district = row
    last, first = name.split(",")[0], name.split(",")[1].split()[0]
    return {"key": key, "name": name, "state": state, "district": district, "words": f"{first[:2]} {last[:3]}".lower()}


def test_a_shared_donor_found_on_the_race_page_then_by_two_partial_words(page, base_url, shared_donor):
    page.goto(f"{base_url}/race/house/{shared_donor['state']}/{shared_donor['district']}/2024")
    page.wait_for_load_state("networkidle")
    both = page.locator(".overlap")
    expect(both.locator("h3")).to_contain_text("Gave to both")
    link = both.locator("tbody a", has_text=shared_donor["name"]).first
    expect(link).to_be_visible()
    link.click()
    page.wait_for_url("**/donor/**")
    expect(page.locator("h1")).to_have_text(shared_donor["name"])
    donor_url = page.url

    # The header search lists donors under the candidates and committees: two partial words find this one.
    page.goto(base_url + "/")
    box = page.get_by_role("searchbox")
    box.fill(shared_donor["words"])
    result = page.locator("[aria-label='Donors'] a", has_text=shared_donor["name"]).first
    expect(result).to_be_visible()
    result.click()
    page.wait_for_url("**/donor/**")
    assert page.url == donor_url

    # The explorer finds the donor's gifts by the same two words in every cycle at once.
    page.goto(f"{base_url}/receipts?cycle=all&q={shared_donor['words'].replace(' ', '+')}")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("navigation", name="Election cycle").locator(".current")).to_have_text("All")
    names = page.locator(".rx-grid .ag-row [col-id='contributor_name']").all_inner_texts()
    assert names, "the grid lists rows"
    words = shared_donor["words"].upper().split()
    for listed in names:
        folded = normalize.fold_name(listed).split()
        assert all(any(w.startswith(typed) for w in folded) for typed in words), listed
