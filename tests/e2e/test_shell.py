"""The shell and the home and data pages, as a visitor uses them, checked against the snapshot."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
from playwright.sync_api import expect


def snapshot_sql(snapshot: Path, sql: str) -> list[tuple]:
    con = duckdb.connect()
    for name in ("candidates", "candidate_totals", "agg_district"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{snapshot}/current/{name}.parquet')")
    return con.execute(sql).fetchall()


def dollars_and_cents(value) -> str:
    """As the tables show money: to the cent."""
    amount = Decimal(value)
    return f"{'-' if amount < 0 else ''}${abs(amount):,.2f}"


def test_home_shows_the_races_that_raised_the_most(page, base_url, small_snapshot):
    expected = snapshot_sql(
        small_snapshot,
        """
        SELECT office, state, district, receipts, n_candidates FROM agg_district
        WHERE cycle = 2024 ORDER BY receipts DESC LIMIT 10""",
    )
    page.goto(base_url + "/?cycle=2024")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Campaign money, 2024 cycle"
    rows = page.locator("table tbody tr")
    assert rows.count() == 10
    for i, (office, state, district, receipts, n_candidates) in enumerate(expected):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert dollars_and_cents(receipts) in cells, (i, cells)
        assert str(n_candidates) in cells
        race_link = rows.nth(i).locator("a").first.get_attribute("href")
        want = {
            "H": f"/race/house/{state}/{district}/2024",
            "S": f"/race/senate/{state}/2024",
            "P": "/race/president/2024",
        }[office]
        assert race_link == want
    # The House and Senate headline totals are the candidates' summary totals.
    house, senate, n = snapshot_sql(
        small_snapshot,
        """
        SELECT sum(t.receipts) FILTER (WHERE c.office = 'H'), sum(t.receipts) FILTER (WHERE c.office = 'S'),
               count(*) FROM candidates c LEFT JOIN candidate_totals t USING (candidate_id, cycle)
        WHERE c.cycle = 2024""",
    )[0]
    text = page.locator("main").inner_text()
    assert f"{n:,}" in text
    assert _short(house) in text and _short(senate) in text


def _short(value) -> str:
    value = float(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= size:
            return f"${value / size:.1f}{suffix}"
    return f"${value:,.0f}"


def test_a_race_link_and_the_cycle_picker_keep_their_promises(page, base_url):
    page.goto(base_url + "/?cycle=2024")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="2022", exact=True).click()
    page.wait_for_url("**/?cycle=2022")
    expect(page.locator("h1")).to_have_text("Campaign money, 2022 cycle")
    first_race = page.locator("table tbody tr a").first
    href = first_race.get_attribute("href")
    first_race.click()
    page.wait_for_url(f"**{href}")
    expect(page.locator("h1")).to_contain_text("2022")
    expect(page.locator("h1")).not_to_contain_text("Campaign money")


def test_csv_download_holds_the_table_numbers(page, base_url, small_snapshot, tmp_path):
    page.goto(base_url + "/?cycle=2026")
    page.wait_for_load_state("networkidle")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").first.click()
    path = tmp_path / "top.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open()))
    expected = snapshot_sql(
        small_snapshot,
        "SELECT state, district, receipts FROM agg_district WHERE cycle = 2026 ORDER BY receipts DESC LIMIT 10",
    )
    assert [(r["state"], r["district"], float(r["receipts"])) for r in rows] == [
        (s, d, float(x)) for s, d, x in expected
    ]
    assert info.value.suggested_filename.endswith(".csv")


def test_search_finds_a_candidate_by_partial_words_and_jumps_to_it(page, base_url, small_snapshot):
    candidate_id, name, cycle = snapshot_sql(
        small_snapshot,
        """
        SELECT c.candidate_id, c.name, c.cycle FROM candidates c JOIN candidate_totals t USING (candidate_id, cycle)
        WHERE c.office = 'S' ORDER BY t.receipts DESC LIMIT 1""",
    )[0]
    last, first = name.split(", ")
    page.goto(base_url + "/data")
    page.wait_for_load_state("networkidle")
    box = page.get_by_role("searchbox")
    box.fill(f"{first[:3].lower()} {last[:5].lower()}")  # partial words, any case, any order
    result = page.locator(".search-list a", has_text=name).first
    result.wait_for()
    result.click()
    page.wait_for_url(f"**/candidate/{candidate_id}**")
    expect(page.locator("h1")).to_contain_text(last, ignore_case=True)
    # Enter opens the best match straight away.
    box = page.get_by_role("searchbox")
    box.fill(name.lower())
    box.press("Enter")
    page.wait_for_url(f"**/candidate/{candidate_id}**")


def test_the_search_box_is_reachable_by_keyboard(page, base_url):
    page.goto(base_url + "/")
    page.wait_for_load_state("networkidle")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.type") == "search":
            break
    else:
        raise AssertionError("Tab never reached the search box")


def test_data_page_lists_coverage_and_row_counts_from_the_manifest(page, base_url, small_snapshot):
    manifest = json.loads((small_snapshot / "current" / "manifest.json").read_text())
    page.goto(base_url + "/data")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    for cycle, end in manifest["coverage_end"].items():
        assert cycle in text and end in text
    for extract, count in manifest["row_counts"].items():
        assert extract in text and f"{count:,}" in text, extract
    assert manifest["snapshot_id"] in page.locator("body").inner_text()
    for phrase in ("earmark", "memo", "unitemized"):
        assert phrase in text.lower()
