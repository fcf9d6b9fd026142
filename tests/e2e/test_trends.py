"""The trends monitor in a browser: every panel, its filters in the URL, and every table as a CSV.

Most tests run against a server of their own whose data has two snapshots with known differences
(tests/known_changes.py), so the movers and new-arrival panels have exactly those to show.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import serve_app
from tests.e2e.test_pages import serious_accessibility_violations
from tests.known_changes import AMENDMENT_RAISES_RECEIPTS_BY, NEW_DONOR, NEW_PERIOD_GIFTS, NEW_PERIOD_RECEIPTS


@pytest.fixture(scope="module")
def trends_url(changed):
    """gunicorn serving the two-snapshot data (the shared server serves a single snapshot)."""
    data_dir, _known = changed
    with serve_app(data_dir, workers=1) as url:
        yield url


def candidate(data_dir: Path, candidate_id: str, cycle: int) -> tuple[str, str]:
    row = duckdb.sql(
        f"SELECT name, state FROM read_parquet('{data_dir}/current/candidates.parquet') "
        f"WHERE candidate_id = '{candidate_id}' AND cycle = {cycle}"
    ).fetchall()[0]
    return row[0], row[1]


def section(page, label: str):
    return page.locator(f"section[aria-label='{label}']")


def test_every_panel_shows_the_data(page, trends_url, changed):
    data_dir, known = changed
    amended_name, _ = candidate(data_dir, known.amended, known.cycle)
    new_name, new_state = candidate(data_dir, known.new_period, known.cycle)
    page.goto(f"{trends_url}/trends?cycle={known.cycle}")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Trends monitor"
    # Money over time: headline comparisons, a chart with its table, the party x office table.
    over_time = section(page, "Itemized receipts over time")
    expect(over_time.locator(".js-plotly-plot").first).to_be_visible()
    assert "Same days of 2024" in over_time.inner_text() and "Cycle to date" in over_time.inner_text()
    assert over_time.locator("table").count() == 2
    # Movers since the previous snapshot: exactly the two candidates, the bigger change first.
    movers = section(page, "Biggest movers")
    rows = movers.locator("table").first.locator("tbody tr")
    assert rows.count() == 2
    # Tables show money to the cent ($12,345.67, not the card's $12,346).
    assert new_name in rows.nth(0).inner_text() and f"+${NEW_PERIOD_RECEIPTS:,}" in rows.nth(0).inner_text()
    assert (
        amended_name in rows.nth(1).inner_text() and f"+${AMENDMENT_RAISES_RECEIPTS_BY:,}" in rows.nth(1).inner_text()
    )
    assert movers.locator("table").count() == 2  # and the since-the-previous-report table
    # New since the last refresh: one new and one revised report, two candidates' receipts.
    arrived = section(page, "New since the last refresh")
    assert known.first_snapshot in arrived.inner_text()
    reports = arrived.locator("table").first.locator("tbody tr")
    assert reports.count() == 2
    texts = " ".join(reports.all_inner_texts())
    assert "New report" in texts and "Figures revised" in texts and "30G" in texts
    assert arrived.locator("table").nth(1).locator("tbody tr").count() == 2
    # Top races: one chart, its numbers in a table.
    races = section(page, "Top races by money")
    expect(races.locator(".js-plotly-plot")).to_be_visible()
    assert races.locator("table tbody tr").count() == 5  # a page of the table: it has more
    status = races.locator("[role=status]").text_content()  # (in the closed disclosure of the chart's numbers)
    assert int(re.search(r"of (\d+)", status).group(1)) > 8
    # Large contributions, narrowed to the new report's state: the new gift is there.
    page.goto(f"{trends_url}/trends?cycle={known.cycle}&state={new_state}&office=H")
    page.wait_for_load_state("networkidle")
    large = section(page, "Large contributions")
    assert NEW_DONOR in large.inner_text()
    amounts = [
        float(t.replace("$", "").replace(",", "")) for t in large.locator("tbody tr td:nth-child(2)").all_inner_texts()
    ]
    assert amounts == sorted(amounts, reverse=True) and min(amounts) >= 2000


def test_filters_live_in_the_url(page, trends_url, changed):
    _data_dir, known = changed
    page.goto(f"{trends_url}/trends?cycle={known.cycle}")
    page.wait_for_load_state("networkidle")
    page.get_by_role("navigation", name="Office").get_by_role("link", name="Senate").click()
    expect(page).to_have_url(f"{trends_url}/trends?cycle={known.cycle}&office=S")
    current = lambda name: page.get_by_role("navigation", name=name).locator("[aria-current]")  # noqa: E731
    expect(current("Office")).to_have_text("Senate")  # the page has been rebuilt for the new address
    page.get_by_role("navigation", name="Window").get_by_role("link", name="Last 7 days").click()
    expect(page).to_have_url(f"{trends_url}/trends?cycle={known.cycle}&office=S&window=7")
    expect(current("Window")).to_have_text("Last 7 days")
    page.get_by_label("State (two-letter code, empty for all)").fill("tx")
    page.get_by_label("State (two-letter code, empty for all)").press("Enter")
    expect(page).to_have_url(f"{trends_url}/trends?cycle={known.cycle}&state=TX&office=S&window=7")
    expect(page.get_by_label("State (two-letter code, empty for all)")).to_have_value("TX")
    threshold = page.get_by_label("Large contributions from ($)")
    threshold.fill("500")
    threshold.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("1,000 or more")
    assert "min=" not in page.url
    threshold.fill("3000")
    threshold.press("Enter")
    expect(page).to_have_url(f"{trends_url}/trends?cycle={known.cycle}&state=TX&office=S&window=7&min=3000")
    expect(section(page, "Large contributions")).to_contain_text("of $3,000 or more")
    # The same address opened directly gives the same page: nothing lives outside the URL.
    page.goto(page.url)
    page.wait_for_load_state("networkidle")
    expect(current("Office")).to_have_text("Senate")
    expect(current("Window")).to_have_text("Last 7 days")


def test_every_table_downloads_as_csv(page, trends_url, changed):
    _data_dir, known = changed
    page.goto(f"{trends_url}/trends?cycle={known.cycle}&window=cycle")
    page.wait_for_load_state("networkidle")
    buttons = page.get_by_role("button", name="Download CSV")
    tables = page.locator("main table")
    # nine tables, each with its CSV; the new 24/48-hour notices table is empty here and says so instead
    assert buttons.count() == 9 and tables.count() == 8
    expect(page.get_by_text("No new 24/48-hour notices for these filters.")).to_be_visible()
    files = {}
    for i in range(buttons.count()):
        with page.expect_download() as download:
            buttons.nth(i).click()
        files[download.value.suggested_filename] = list(
            csv.DictReader(io.StringIO(Path(download.value.path()).read_text()))
        )
    assert all(name.startswith("trends-") and name.endswith(f"{known.cycle}.csv") for name in files)
    movers = files[f"trends-movers-since-snapshot-{known.cycle}.csv"]
    assert {row["candidate_id"] for row in movers} == {known.amended, known.new_period}
    assert {row["previous_snapshot_id"] for row in movers} == {known.first_snapshot}
    # The CSV carries the exact cents: 12345.67, never 12346 or 12345.669999999998.
    changes = {row["candidate_id"]: Decimal(row["receipts_change"]) for row in movers}
    assert changes == {known.new_period: NEW_PERIOD_RECEIPTS, known.amended: AMENDMENT_RAISES_RECEIPTS_BY}
    reports = files[f"trends-new-reports-{known.cycle}.csv"]
    assert sorted(row["change"] for row in reports) == ["new", "revised"]
    # The change between the two snapshots brought no 24/48-hour notice: that table alone is empty.
    empty = {name for name, rows in files.items() if not rows}
    assert empty == {f"trends-new-notices-{known.cycle}.csv"}, {n: len(r) for n, r in files.items()}


def test_a_first_snapshot_says_there_is_no_earlier_one(page, base_url):
    page.goto(base_url + "/trends?cycle=2024")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "no earlier snapshot" in text
    assert section(page, "Large contributions").locator("tbody tr").count() > 0


def test_bad_filters_get_a_clear_message(page, base_url):
    page.goto(base_url + "/trends?cycle=2024&party=%3Cscript%3E&window=2")
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    assert "Page not found" in text and "party:" in text


# On a phone (390 px) each table row is a card of two values a line (about 70 px a line), and each
# table shows one page of PAGE_ROWS (5) cards: the seven lists shown open take at most about
# 7 x 5 x 360 px, and the filters, charts, headings and notes about 3,000 px more. Unpaged tables of
# 200 and 300 rows made the page 25,000-30,000 px tall; 10-row pages of one-value-a-line cards, 20,000.
PHONE_HEIGHT_BOUND = 16_000


def test_the_page_fits_a_phone_screen(browser, trends_url, changed, problems):
    """No sideways scroll, and a height bounded by the pages of its tables, not by their rows."""
    from tests.e2e.conftest import open_context

    _data_dir, known = changed
    context = open_context(browser, problems, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    for path in (f"/trends?cycle={known.cycle}&window=cycle", f"/trends?cycle={known.cycle}&window=cycle&by=week"):
        page.goto(trends_url + path)
        page.wait_for_load_state("networkidle")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height < PHONE_HEIGHT_BOUND, f"{path} is {height}px tall on a phone"
        # Every table's rows are cards no wider than the screen, two values a line.
        lines = page.evaluate(
            """() => [...document.querySelectorAll('main .paged-table tbody tr')].filter(r => r.offsetParent)
                .map(r => [r.getBoundingClientRect().right, getComputedStyle(r).gridTemplateColumns.split(' ').length])"""
        )
        assert lines and all(right <= 390 and columns == 2 for right, columns in lines), lines
    context.close()
    assert problems.all() == []


def rows_of(page_or_locator) -> list[str]:
    return page_or_locator.locator("tbody tr").all_inner_texts()


def test_every_table_is_paged_and_its_csv_stays_whole(page, trends_url, changed):
    """Tables of 200 and 300 rows made the page 25,000 px tall: each shows one page of rows, the
    buttons turn its pages (keeping the focus), and its CSV holds every row."""
    _data_dir, known = changed
    page.goto(f"{trends_url}/trends?cycle={known.cycle}&window=cycle")
    page.wait_for_load_state("networkidle")
    large = section(page, "Large contributions")
    status = large.get_by_role("status")
    first, last, total = (int(n.replace(",", "")) for n in re.findall(r"[\d,]+", status.inner_text())[:3])
    page_rows = last - first + 1
    assert first == 1 and 5 <= page_rows < total
    counts = page.evaluate(
        "[...document.querySelectorAll('main table')].map(t => t.querySelectorAll('tbody tr').length)"
    )
    assert max(counts) <= page_rows, counts
    with page.expect_download() as download:
        large.get_by_role("button", name="Download CSV").click()
    whole = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert len(whole) == total  # the CSV is every row, not the page shown

    def shown_names() -> list[str]:
        return large.locator("tbody tr td:nth-child(3)").all_inner_texts()

    assert shown_names() == [row["contributor_name"] for row in whole[:page_rows]]
    following = large.get_by_role("button", name="Next rows")
    following.click()
    expect(status).to_contain_text(f"Rows {page_rows + 1} to {2 * page_rows} of {total}")
    assert shown_names() == [row["contributor_name"] for row in whole[page_rows : 2 * page_rows]]
    assert page.evaluate("document.activeElement.textContent") == "Next rows"  # the focus stays on the button
    large.get_by_role("button", name="Previous rows").click()
    expect(status).to_contain_text(f"Rows 1 to {page_rows} of {total}")
    expect(large.get_by_role("button", name="Previous rows")).to_have_attribute("aria-disabled", "true")
    # The chart's own table is paged the same way, inside its disclosure.
    over_time = section(page, "Itemized receipts over time")
    over_time.get_by_text("The numbers in this chart").first.click()
    assert 0 < len(rows_of(over_time.locator("details table"))) <= page_rows
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 12_000, f"/trends is {height}px tall"
    assert serious_accessibility_violations(page) == []  # the pagers' buttons, status and labels included


def test_the_arrivals_shown_are_the_known_difference(page, trends_url, changed):
    """The receipts counted as arrived are the receipts added between the two snapshots: the
    amendment's re-filed rows and its extra gift, and the new report's three gifts."""
    data_dir, known = changed
    page.goto(f"{trends_url}/trends?cycle={known.cycle}")
    page.wait_for_load_state("networkidle")
    total = page.locator("#trends-arrivals-total")
    arrived = known.refiled_n + 1 + len(NEW_PERIOD_GIFTS)
    expect(total).to_contain_text(f"In {known.cycle}: {arrived:,} itemized receipts arrived")
    expect(total).to_contain_text(f"for 2 candidates; {known.refiled_n:,} were replaced or removed")
    # Narrowed to the new report's state, only its three gifts.
    _name, state = candidate(data_dir, known.new_period, known.cycle)
    page.goto(f"{trends_url}/trends?cycle={known.cycle}&state={state}")
    page.wait_for_load_state("networkidle")
    expect(total).to_contain_text(
        f"In {known.cycle} for these filters: {len(NEW_PERIOD_GIFTS)} itemized receipts arrived"
    )
    # How movers are ranked is said on the page: a day of each report, above a minimum.
    movers = section(page, "Biggest movers").locator("p.muted").first.inner_text()
    assert "a day" in movers and "14 to 92 days" in movers and "$5,000" in movers
