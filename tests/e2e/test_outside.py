"""Outside spending as a reporter follows it: open a race and see the candidates' own money and the
money spent for and against them on one chart, follow a spender to its page, download the CSVs;
every figure checked against the demo generator's truth (in cents)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect


def sql(snapshot: Path, query: str, params=None) -> list[tuple]:
    con = duckdb.connect()
    for name in ("outside", "outside_spenders"):
        con.execute(f"CREATE VIEW truth_{name} AS SELECT * FROM read_parquet('{snapshot}/demo_truth/{name}.parquet')")
    for name in ("candidates", "agg_district", "committees"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{snapshot}/current/{name}.parquet')")
    return con.execute(query, params or []).fetchall()


def download(page, button_name: str, tmp_path: Path) -> list[dict]:
    with page.expect_download() as info:
        page.get_by_role("button", name=button_name).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return list(csv.DictReader(path.open()))


@pytest.fixture(scope="module")
def race(small_snapshot):
    """The 2024 House race with the most outside money, money both for and against its candidates."""
    return sql(
        small_snapshot,
        """SELECT state, district FROM agg_district WHERE cycle = 2024 AND office = 'H'
             AND outside_support > 0 AND outside_oppose > 0
           ORDER BY outside_amount DESC LIMIT 1""",
    )[0]


def test_a_race_shows_both_kinds_of_money_on_one_chart_and_leads_to_a_spender(
    page, base_url, small_snapshot, race, tmp_path
):
    state, district = race
    slug = f"h-{state.lower()}-{district}-2024"
    page.goto(f"{base_url}/race/house/{state}/{district}/2024")
    page.wait_for_load_state("networkidle")
    section = page.locator("section", has=page.get_by_role("heading", name="Outside spending", exact=True))
    expect(section.locator(".stats")).to_contain_text("Outside share of all money in the race")
    # One chart: each candidate's receipts to date and the outside money for and against them.
    timeline = section.locator(".js-plotly-plot").first
    expect(timeline).to_be_visible()
    traces = timeline.evaluate("plot => plot.data.map(trace => trace.name.replace('<br>', ' '))")  # (2 lines if long)
    assert any(name.endswith(": raised") for name in traces), traces
    assert any(name.endswith(": outside money for") for name in traces), traces
    assert any(name.endswith(": outside money against") for name in traces), traces
    # The money around each candidate, to the cent, as the generator made it.
    rows = download(page, f"Download CSV: race-{slug}-outside.csv", tmp_path)
    truth = {
        (cid, side): (amount, notices)
        for cid, side, amount, notices in sql(
            small_snapshot,
            """SELECT candidate_id, support_oppose, amount_cents, notice_amount_cents FROM truth_outside
               WHERE cycle = 2024""",
        )
    }
    for row in rows:
        for side, column in (("S", "support"), ("O", "oppose")):
            amount, notices = truth.get((row["candidate_id"], side), (0, 0))
            assert round(float(row[column]) * 100) == amount, (row, side)
            assert round(float(row[f"notice_{column}"]) * 100) == notices, (row, side)
    timeline_rows = download(page, f"Download CSV: race-{slug}-outside-timeline.csv", tmp_path)
    assert {"raised (all receipts, at the report's end)", "outside money for", "outside money against"} <= {
        row["series"] for row in timeline_rows
    }
    # The biggest spender in the race: its name in the top-spenders table leads to its page.
    spenders = section.locator("table a[href^='/committee/']")
    section.get_by_text("The numbers in this chart").nth(2).click()  # the first candidate's top spenders
    link = spenders.first
    href = link.get_attribute("href")
    committee_id = href.split("/committee/")[1].split("?")[0]
    link.click()
    page.wait_for_url(f"**/committee/{committee_id}?cycle=2024")
    expect(page.get_by_role("heading", name="Outside spending: independent expenditures")).to_be_visible()
    by_candidate = download(page, f"Download CSV: committee-{committee_id}-2024-outside-by-candidate.csv", tmp_path)
    want = sql(
        small_snapshot,
        """SELECT candidate_id, support_oppose, amount_cents, notice_amount_cents FROM truth_outside_spenders
           WHERE cycle = 2024 AND committee_id = ? ORDER BY ALL""",
        [committee_id],
    )
    got = sorted(
        (
            r["candidate_id"],
            r["support_oppose"],
            round(float(r["amount"]) * 100),
            round(float(r["notice_amount"]) * 100),
        )
        for r in by_candidate
    )
    assert got == sorted(want)
    by_race = download(page, f"Download CSV: committee-{committee_id}-2024-outside-by-race.csv", tmp_path)
    assert any((r["state"], r["district"]) == (state, district) for r in by_race)
