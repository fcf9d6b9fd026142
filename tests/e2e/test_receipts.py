"""The receipts explorer in a browser: set filters with the form, page the grid from the server,
change the order, remove a filter chip, and download the view: the file equals what the grid
showed."""

from __future__ import annotations

import csv
import re

from playwright.sync_api import expect

from dashboard.app.queries import receipts
from dashboard.app.queries.receipts import ReceiptFilters


def grid_rows(page, count: int) -> list[tuple[str, str]]:
    """(date, sub_id) of the grid's first `count` rows, as displayed."""
    rows = []
    for index in range(count):
        row = page.locator(f".ag-center-cols-container .ag-row[row-index='{index}']")
        rows.append((row.locator("[col-id='date']").inner_text(), row.locator("[col-id='sub_id']").inner_text()))
    return rows


def test_filter_page_sort_and_export(page, base_url, tmp_path):
    page.goto(base_url + "/receipts?cycle=2024")
    page.wait_for_load_state("networkidle")
    page.fill("#rx-min", "50")
    page.fill("#rx-max", "2000")
    page.click("#rx-apply")
    expect(page).to_have_url(re.compile(r"min=50.*max=2000|max=2000.*min=50"))
    expect(page.locator(".rx-chips")).to_contain_text("At least: $50.00")
    # The order is a link: largest first.
    page.get_by_role("link", name="Largest first").click()
    expect(page).to_have_url(re.compile(r"sort=-amount"))
    first = page.locator(".ag-center-cols-container .ag-row[row-index='0'] [col-id='amount']")
    expect(first).to_have_text(re.compile(r"\$"))
    expected = receipts.receipts_page(
        ReceiptFilters.from_query({"cycle": "2024", "min": "50", "max": "2000"}), "-amount", limit=300
    )
    assert page.locator(".stat-value").first.inner_text().replace(",", "").isdigit()
    # Page: scroll the grid until its second block has come from the server.
    viewport = page.locator(".ag-body-viewport")
    for _ in range(30):
        viewport.evaluate("v => v.scrollTop = v.scrollTop + 2000")
        if page.locator(".ag-row[row-index='150']").count():
            break
        page.wait_for_timeout(200)
    expect(page.locator("#rx-grid-status")).to_contain_text(re.compile(r"Rows 1(01|51|,?\d{3}) to"))
    viewport.evaluate("v => v.scrollTop = 0")
    expect(page.locator(".ag-row[row-index='0']").first).to_be_visible()
    shown = grid_rows(page, 10)
    assert [s for _d, s in shown] == [str(s) for s in expected["sub_id"][:10]]
    # Export: the file holds the grid's rows in the grid's order.
    with page.expect_download() as download_info:
        page.click("#rx-csv")
    download = download_info.value
    assert "min-50-max-2000-sort-desc-amount-through-" in download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["date"], r["sub_id"]) for r in rows[:10]] == shown
    assert len(rows) == int(page.locator(".stat-value").first.inner_text().replace(",", ""))
    assert "30111(a)(4)" in page.locator(".rx-notice").inner_text()
    # Removing a chip removes its filter from the URL.
    page.get_by_role("link", name=re.compile("Remove filter At most")).click()
    expect(page).not_to_have_url(re.compile(r"max=2000"))
    expect(page).to_have_url(re.compile(r"min=50"))


def test_links_from_a_candidate_page_land_with_filters_preset(page, base_url):
    busy = receipts.db.query(
        "SELECT candidate_id FROM receipts WHERE cycle = 2024 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"
    )
    candidate_id = busy.candidate_id.iloc[0]
    page.goto(f"{base_url}/candidate/{candidate_id}?cycle=2024")
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=re.compile("Every itemized contribution to this candidate")).click()
    expect(page).to_have_url(re.compile(rf"/receipts\?candidate_id={candidate_id}&cycle=2024"))
    expect(page.locator(".rx-chips")).to_contain_text(candidate_id)
    expect(page.locator(".ag-row[row-index='0'] [col-id='candidate_id']").first).to_have_text(candidate_id)


def test_donor_state_filters_and_conduit_names(page, base_url):
    page.goto(base_url + "/receipts?cycle=2024&earmarked=yes&from=2024-03-01&to=2024-03-31")
    page.wait_for_load_state("networkidle")
    page.fill("#rx-not_state", "tx")
    page.click("#rx-apply")
    expect(page).to_have_url(re.compile(r"not_state=TX"))
    expect(page.locator(".rx-chips")).to_contain_text("Not in: Texas")
    # Outside the candidate's state is a link; the shared URL reopens the same view.
    page.get_by_role("link", name="Outside the candidate's state").click()
    expect(page).to_have_url(re.compile(r"outside_state=yes"))
    expect(page).to_have_url(re.compile(r"not_state=TX"))
    view = {"cycle": "2024", "earmarked": "yes", "from": "2024-03-01", "to": "2024-03-31"}
    summary = receipts.receipts_summary(
        ReceiptFilters.from_query({**view, "not_state": "TX", "outside_state": "yes"})
    ).iloc[0]
    expect(page.locator(".stat-value").first).to_have_text(f"{int(summary.n):,}")
    # The grid names the conduit beside the earmark flag.
    expect(page.locator(".ag-header-cell[col-id='conduit_name']")).to_contain_text("Through conduit")
    first = page.locator(".ag-center-cols-container .ag-row[row-index='0'] [col-id='conduit_name']")
    expect(first).to_have_text(re.compile(r"\w"))


def test_header_click_sorts_and_entity_filter(page, base_url):
    view = {"cycle": "2024", "from": "2024-03-01", "to": "2024-03-31"}
    page.goto(base_url + "/receipts?cycle=2024&from=2024-03-01&to=2024-03-31")
    page.wait_for_load_state("networkidle")
    date_header = page.locator(".ag-header-cell[col-id='date']")
    amount_header = page.locator(".ag-header-cell[col-id='amount']")
    expect(date_header).to_have_attribute("aria-sort", "descending")
    # A click on Amount sorts largest first and puts the order in the URL; a second click flips it.
    amount_header.locator(".ag-header-cell-label").click()
    expect(page).to_have_url(re.compile(r"sort=-amount"))
    expect(page.locator("#rx-sorted")).to_contain_text("largest first")
    expect(page.locator(".ag-header-cell[col-id='amount']")).to_have_attribute("aria-sort", "descending")
    largest = receipts.receipts_page(ReceiptFilters.from_query(view), "-amount", limit=5)
    expect(page.locator(".ag-center-cols-container .ag-row[row-index='0'] [col-id='sub_id']")).to_have_text(
        str(largest["sub_id"].iloc[0])
    )
    page.locator(".ag-header-cell[col-id='amount'] .ag-header-cell-label").click()
    expect(page).to_have_url(re.compile(r"sort=amount"))
    # The page of the new address is drawn (its grid replaces the one clicked): the keys below go to it.
    expect(page.locator("#rx-sorted")).to_contain_text("smallest first")
    expect(page.locator(".ag-header-cell[col-id='amount']")).to_have_attribute("aria-sort", "ascending")
    smallest = receipts.receipts_page(ReceiptFilters.from_query(view), "amount", limit=5)
    expect(page.locator(".ag-center-cols-container .ag-row[row-index='0'] [col-id='sub_id']")).to_have_text(
        str(smallest["sub_id"].iloc[0])
    )
    # The keyboard reaches the header: Enter on the focused Date header sorts by date.
    page.locator(".ag-header-cell[col-id='date']").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/receipts\?(?!.*sort=)"))
    expect(page.locator(".ag-header-cell[col-id='date']")).to_have_attribute("aria-sort", "descending")
    # Organizations only: a link; the grid shows the contributor type.
    page.get_by_role("link", name="Organizations").click()
    expect(page).to_have_url(re.compile(r"entity=organization"))
    summary = receipts.receipts_summary(ReceiptFilters.from_query({**view, "entity": "organization"})).iloc[0]
    expect(page.locator(".stat-value").first).to_have_text(f"{int(summary.n):,}")
    expect(page.locator(".rx-chips")).to_contain_text("Contributor type: organizations")
    first = page.locator(".ag-center-cols-container .ag-row[row-index='0'] [col-id='entity_type']")
    expect(first).to_have_text("Organization")


def test_each_row_links_to_the_fec_image_of_its_filing_page(page, base_url):
    page.goto(base_url + "/receipts?cycle=2024&from=2024-03-01&to=2024-03-31")
    page.wait_for_load_state("networkidle")
    link = page.get_by_role("link", name="Filing page").first
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert re.fullmatch(r"https://docquery\.fec\.gov/cgi-bin/fecimg/\?2024\d{14}", href), href
    assert link.get_attribute("target") == "_blank"
