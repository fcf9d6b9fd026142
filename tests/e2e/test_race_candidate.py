"""Race and candidate pages as a reporter uses them: open races of every office, switch views
and cycles, follow a candidate, download CSVs; every number checked against the demo's truth."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect


def sql(snapshot: Path, query: str, params=None) -> list[tuple]:
    con = duckdb.connect()
    con.execute(f"CREATE VIEW truth AS SELECT * FROM read_parquet('{snapshot}/demo_truth/candidates.parquet')")
    for name in ("candidates", "agg_district"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{snapshot}/current/{name}.parquet')")
    return con.execute(query, params or []).fetchall()


def dollars(cents) -> str:
    """As the cards show money: whole dollars."""
    return f"${round(cents / 100):,}"


def dollars_and_cents(cents) -> str:
    """As the tables show money: to the cent."""
    return f"{'-' if cents < 0 else ''}${abs(cents) // 100:,}.{abs(cents) % 100:02d}"


def download(page, button_name: str, tmp_path: Path) -> list[dict]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return list(csv.DictReader(path.open()))


@pytest.fixture(scope="module")
def house_race(small_snapshot):
    """The 2024 House race with the most candidates that also ran in another cycle."""
    return sql(
        small_snapshot,
        """
        SELECT state, district FROM agg_district a WHERE office = 'H' AND cycle = 2024
          AND EXISTS (SELECT 1 FROM agg_district b WHERE b.office = 'H' AND b.state = a.state
                      AND b.district = a.district AND b.cycle = 2026)
        ORDER BY n_candidates DESC, receipts DESC LIMIT 1""",
    )[0]


def test_house_race_lists_every_candidate_with_true_money_and_switches_views(
    page, base_url, small_snapshot, house_race, tmp_path
):
    state, district = house_race
    expected = sql(
        small_snapshot,
        """
        SELECT c.candidate_id, c.name, t.receipts, t.cash_on_hand FROM candidates c JOIN truth t
        USING (candidate_id, cycle) WHERE c.cycle = 2024 AND c.office = 'H' AND c.state = ? AND c.district = ?
        ORDER BY t.receipts DESC""",
        [state, district],
    )
    page.goto(f"{base_url}/race/house/{state}/{district}/2024")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text(f"House {state}-{district}, 2024")
    rows = page.locator("table").first.locator("tbody tr")
    assert rows.count() == len(expected)
    for i, (cid, name, receipts, cash) in enumerate(expected):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert cells[0].removesuffix(" (incumbent)") == name, cells  # an incumbent is marked so
        assert dollars_and_cents(receipts) == cells[3] and dollars_and_cents(cash) == cells[5], cells
    total = sum(r[2] for r in expected)
    # the race totals' cards come first, before the donors' and the outside spending's
    assert dollars(total) in page.locator(".stats").first.inner_text()
    # The over-time chart by report, then weekly itemized money: the view lands in the URL.
    assert "All receipts" in page.locator("main").inner_text()
    page.get_by_role("link", name="Per week (itemized individual contributions)").click()
    page.wait_for_url("**money=weekly")
    expect(page.locator("main")).to_contain_text("Itemized only")
    weekly = download(page, f"Download CSV: race-h-{state.lower()}-{district}-2024-weekly.csv", tmp_path)
    itemized = dict(sql(small_snapshot, "SELECT candidate_id, itemized_net FROM truth WHERE cycle = 2024"))
    sums: dict[str, float] = {}
    for row in weekly:
        sums[row["candidate_id"]] = sums.get(row["candidate_id"], 0) + float(row["amount"])
    assert {cid: round(v * 100) for cid, v in sums.items()} == {cid: itemized[cid] for cid in sums}
    # Switching the cycle keeps the view.
    page.get_by_role("link", name="2026", exact=True).click()
    page.wait_for_url(f"**/race/house/{state}/{district}/2026?money=weekly")
    expect(page.locator("h1")).to_have_text(f"House {state}-{district}, 2026")
    expect(page.locator(".view-links .current")).to_contain_text("Per week")


def test_senate_race_leads_to_a_candidate_whose_numbers_are_true(page, base_url, small_snapshot, tmp_path):
    state, cid, name, receipts, disbursements, cash, itemized, unitemized = sql(
        small_snapshot,
        """
        SELECT c.state, c.candidate_id, c.name, t.receipts, t.disbursements, t.cash_on_hand,
               t.itemized_net, t.individual_unitemized
        FROM candidates c JOIN truth t USING (candidate_id, cycle)
        WHERE c.office = 'S' AND c.cycle = 2024 ORDER BY t.receipts DESC LIMIT 1""",
    )[0]
    page.goto(f"{base_url}/race/senate/{state}/2024")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("Senate")
    rows = download(page, f"Download CSV: race-s-{state.lower()}-00-2024-sizes.csv", tmp_path)
    mine = [r for r in rows if r["candidate_id"] == cid]
    assert len(mine) == 5 and round(sum(float(r["amount"]) for r in mine) * 100) == itemized + unitemized
    page.locator("table").first.get_by_role("link", name=name).click()
    page.wait_for_url(f"**/candidate/{cid}?cycle=2024")
    expect(page.locator("h1")).to_have_text(name)
    cards = page.locator(".stats").first.inner_text()
    for cents in (receipts, disbursements, cash):
        assert dollars(cents) in cards
    by_state = download(page, f"Download CSV: candidate-{cid}-2024-states.csv", tmp_path)
    assert round(sum(float(r["amount"]) for r in by_state) * 100) == itemized
    home = [r for r in by_state if r["in_state"] == "True"]
    assert [r["state"] for r in home] in ([state], [])
    periods = download(page, f"Download CSV: candidate-{cid}-2024-by-report.csv", tmp_path)
    assert round(float(periods[-1]["receipts_to_date"]) * 100) == receipts
    main = page.locator("main").inner_text()
    assert "grouped into one donor" in main and "INFORMATION REQUESTED" in main
    explorer = page.locator(f"a[href^='/receipts?candidate_id={cid}&cycle=2024']")
    assert explorer.count() > 5  # sizes, states, donors, employers and the whole list
    # The cycle switcher on the candidate page.
    other = sql(
        small_snapshot, "SELECT cycle FROM candidates WHERE candidate_id = ? AND cycle <> 2024 ORDER BY cycle", [cid]
    )
    if other:
        page.get_by_role("link", name=str(other[0][0]), exact=True).click()
        page.wait_for_url(f"**/candidate/{cid}?cycle={other[0][0]}")
        expect(page.locator("h2").first).to_contain_text(str(other[0][0]))


def test_presidential_race_and_a_shared_weekly_link(page, base_url, small_snapshot):
    n = sql(small_snapshot, "SELECT count(*) FROM candidates WHERE office = 'P' AND cycle = 2024")[0][0]
    page.goto(f"{base_url}/race/president/2024?money=weekly")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("President, 2024")
    assert page.locator("table").first.locator("tbody tr").count() == n
    expect(page.locator(".view-links .current")).to_contain_text("Per week")
    assert "not shown for the presidential race" in page.locator("main").inner_text()


def test_unknown_candidates_and_races_offer_the_closest_matches(page, base_url):
    page.goto(f"{base_url}/candidate/H4CA99999")
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("Page not found")
    matches = page.locator(".closest-matches a")
    assert matches.count() == 5
    assert all(href.startswith("/candidate/H") for href in (matches.nth(i).get_attribute("href") for i in range(5)))
    page.goto(f"{base_url}/race/house/CA/60/2024")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".closest-matches")).to_contain_text("House CA-52, 2024")
    page.goto(f"{base_url}/race/president/2022")
    page.wait_for_load_state("networkidle")
    page.locator(".closest-matches a", has_text="President, 2024").click()
    page.wait_for_url("**/race/president/2024")
    expect(page.locator("h1")).to_have_text("President, 2024")
