"""A race page answers 'who has the most cash' at a glance: raised, spent and cash on hand of every
candidate side by side (checked against the extracts), a candidate table sorted by a header click
(mouse or keyboard) with the sort in the URL, one colour per candidate in every chart, and on a
phone (390x844) cards that show the money without any sideways scroll."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

PHONE = {"width": 390, "height": 844}
MONEY = {"Raised": "receipts", "Spent": "disbursements", "Cash on hand": "cash_on_hand"}


def sql(snapshot: Path, query: str, params=None) -> list[tuple]:
    con = duckdb.connect()
    for name in ("candidates", "candidate_totals"):
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{snapshot}/current/{name}.parquet')")
    return con.execute(query, params or []).fetchall()


def money_cents(dollars: float) -> str:
    """As the table shows money: '$1,234.56'."""
    return f"{'-' if dollars < 0 else ''}${abs(dollars):,.2f}"


@pytest.fixture(scope="module")
def race(small_snapshot):
    """The 2024 House race with the most candidates sharing a party (an incumbent in it if any), and
    its candidates from the extracts: {candidate_id: (name, party, incumbent_challenge, receipts,
    disbursements, cash_on_hand)}."""
    state, district = sql(
        small_snapshot,
        """
        SELECT state, district FROM candidates WHERE cycle = 2024 AND office = 'H' AND in_race
        GROUP BY state, district
        ORDER BY count(*) - count(DISTINCT party) DESC, bool_or(incumbent_challenge = 'I') DESC, count(*) DESC,
                 state, district
        LIMIT 1""",
    )[0]
    rows = sql(
        small_snapshot,
        """
        SELECT c.candidate_id, c.name, c.party, c.incumbent_challenge, t.receipts, t.disbursements, t.cash_on_hand
        FROM candidates c JOIN candidate_totals t USING (candidate_id, cycle)
        WHERE c.cycle = 2024 AND c.office = 'H' AND c.state = ? AND c.district = ? AND c.in_race""",
        [state, district],
    )
    return f"/race/house/{state}/{district}/2024", {row[0]: row[1:] for row in rows}


def label(name, party, status) -> str:
    """How the charts name a candidate."""
    return f"{name} ({party}, incumbent)" if status == "I" else f"{name} ({party})"


def traces(page, chart: str) -> list[dict]:
    """The traces Plotly drew in one chart of the page (a twin's `name`), as the browser holds them
    (once drawn: Plotly's bundle loads after the page)."""
    plot = "document.getElementById(JSON.stringify({name, type: 'chart'}))?.querySelector('.js-plotly-plot')"
    page.wait_for_function(f"name => {plot}?._fullData?.length > 0", arg=chart)
    return page.evaluate(
        f"""name => [...{plot}._fullData].map(t => ({{
               name: t.name, x: Array.from(t.x || []), y: Array.from(t.y || []),
               marker: t.marker && t.marker.color, line: t.line && t.line.color}}))""",
        chart,
    )


def candidate_table(page):
    return page.locator("section.twin", has=page.locator("[id*='race-candidates']")).locator("table")


def first_cells(page) -> list[str]:
    return candidate_table(page).locator("tbody tr td:first-child").all_inner_texts()


def test_race_page_shows_raised_spent_and_cash_of_every_candidate_from_the_extracts(page, base_url, race):
    path, candidates = race
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    drawn = traces(page, "race-candidates")
    assert [t["name"] for t in drawn] == ["raised", "spent", "cash on hand"]
    by_label = {label(*row[:3]): row for row in candidates.values()}
    for trace, index in zip(drawn, (3, 4, 5)):
        assert sorted(trace["y"]) == sorted(by_label)
        for name, amount in zip(trace["y"], trace["x"]):
            assert amount == pytest.approx(float(by_label[name][index]), abs=0.005), (trace["name"], name)
    # The chart's caption says what it shows, and incumbents are marked in the table too.
    expect(page.locator(".chart-caption").first).to_contain_text("Raised, spent and cash on hand of each candidate")
    incumbents = [row[0] for row in candidates.values() if row[2] == "I"]
    cells = first_cells(page)
    assert sorted(cells) == sorted(f"{n} (incumbent)" if n in incumbents else n for n, *_ in candidates.values())
    rows = candidate_table(page).locator("tbody tr")
    for i in range(rows.count()):
        name = cells[i].removesuffix(" (incumbent)")
        row = next(r for r in candidates.values() if r[0] == name)
        texts = rows.nth(i).locator("td").all_inner_texts()
        assert texts[3:6] == [money_cents(v) for v in row[3:6]], texts


def test_a_header_click_sorts_the_table_and_the_chart_and_the_url_keeps_it(page, base_url, race):
    path, candidates = race
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    by_cash = sorted(candidates.values(), key=lambda r: -r[5])
    header = candidate_table(page).locator("th", has_text="Cash on hand")
    header.get_by_role("link").click()
    page.wait_for_url(f"**{path}?sort=-cash_on_hand")
    expect(header).to_have_attribute("aria-sort", "descending")
    assert [c.removesuffix(" (incumbent)") for c in first_cells(page)] == [r[0] for r in by_cash]
    assert traces(page, "race-candidates")[2]["y"] == [label(*r[:3]) for r in by_cash]  # the chart follows
    # Again: smallest first.
    header.get_by_role("link").click()
    page.wait_for_url(f"**{path}?sort=cash_on_hand")
    expect(header).to_have_attribute("aria-sort", "ascending")
    assert [c.removesuffix(" (incumbent)") for c in first_cells(page)] == [r[0] for r in reversed(by_cash)]
    # By keyboard: the candidate header is a link reached with Tab and followed with Enter, A to Z.
    header = candidate_table(page).locator("th", has_text="Candidate")
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{path}?sort=candidate")
    expect(header).to_have_attribute("aria-sort", "ascending")
    cells = first_cells(page)
    assert cells == sorted(cells) and len(cells) == len(candidates)
    # A shared link reopens the sort, and the cycle links keep it.
    page.goto(f"{base_url}{path}?sort=-cash_on_hand")
    page.wait_for_load_state("networkidle")
    assert [c.removesuffix(" (incumbent)") for c in first_cells(page)] == [r[0] for r in by_cash]
    assert page.get_by_role("link", name="2026", exact=True).get_attribute("href").endswith("?sort=-cash_on_hand")


def test_a_candidate_has_the_same_colour_in_every_chart_of_the_race(page, base_url, race):
    path, candidates = race
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    bars = traces(page, "race-candidates")[0]
    colour = dict(zip(bars["y"], bars["marker"]))
    lines = {t["name"]: t["line"] for t in traces(page, "race-periods")}
    assert lines and set(lines) <= set(colour)
    assert lines == {name: colour[name] for name in lines}
    # The new donors' lines too (the race's own total is the one line of no candidate).
    donors = {t["name"]: t["line"] for t in traces(page, "race-new-donors") if t["name"] in colour}
    assert len(donors) >= 2 and donors == {name: colour[name] for name in donors}
    # Candidates of one party are told apart: no two candidates share colour and pattern.
    patterns = page.evaluate(
        """() => Array.from(document.getElementById(JSON.stringify({name: 'race-candidates', type: 'chart'}))
                  .querySelector('.js-plotly-plot')._fullData[0].marker.pattern.shape)"""
    )
    assert len(set(zip(bars["marker"], patterns))) == len(bars["y"])
    parties = [row[1] for row in candidates.values()]
    assert len(set(parties)) < len(parties)  # the race does have two candidates of one party


def test_on_a_phone_the_race_page_has_no_sideways_scroll_and_cards_show_the_money(page, base_url, race):
    path, candidates = race
    phone = page
    phone.set_viewport_size(PHONE)
    phone.goto(base_url + path)
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    # The first card: the biggest fundraiser, each figure under its name, inside the screen.
    card = candidate_table(phone).locator("tbody tr").first
    top = max(candidates.values(), key=lambda r: r[3])
    expect(card.locator("td").first).to_contain_text(top[0])
    for header, key in MONEY.items():
        cell = card.locator(f"td[data-label='{header}']")
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= 390, (header, box)
        index = {"receipts": 3, "disbursements": 4, "cash_on_hand": 5}[key]
        assert cell.inner_text() == money_cents(top[index])
        label_text = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert label_text == f'"{header}"'
    # Sorting still works from the row of header links above the cards.
    header = candidate_table(phone).locator("th", has_text="Cash on hand")
    header.get_by_role("link").click()
    phone.wait_for_url("**sort=-cash_on_hand")
    expect(header).to_have_attribute("aria-sort", "descending")
    phone.wait_for_function("() => [...document.querySelectorAll('.chart')].every(c => c.querySelector('.main-svg'))")
    # Axis titles and labels of the charts stay inside them; the toolbar stays hidden under the pointer.
    clipped = phone.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(g => {
            const svg = g.querySelector('.main-svg').getBoundingClientRect();
            return [...g.querySelectorAll('.g-xtitle text, .g-ytitle text, .annotation-text')]
              .map(t => [g.closest('[id]').id, t.textContent, t.getBoundingClientRect()])
              .filter(([, , r]) => r.width && (r.left < svg.left - 1 || r.right > svg.right + 1))
              .map(([id, text]) => id + ': ' + text);
        })"""
    )
    assert clipped == []
    chart = phone.locator("[id*='race-candidates'] .js-plotly-plot")
    chart.hover(position={"x": 200, "y": 120})
    assert phone.locator(".modebar-container").count() > 0
    assert all(not m.is_visible() for m in phone.locator(".modebar-container").all())


def test_on_a_phone_the_candidate_pages_tables_are_cards_too(page, base_url, race, small_snapshot):
    _path, candidates = race
    cid = max(candidates, key=lambda c: candidates[c][3])  # the biggest fundraiser
    last = sql(
        small_snapshot,
        "SELECT cash_on_hand FROM candidate_totals WHERE candidate_id = ? AND cycle = 2024",
        [cid],
    )[0][0]
    page.set_viewport_size(PHONE)
    page.goto(f"{base_url}/candidate/{cid}?cycle=2024")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    twin = page.locator("section.twin", has=page.locator("[id*='candidate-periods']"))
    twin.locator("summary").click()
    card = twin.locator("tbody tr").last  # the latest report: its cash at the end is the cycle's
    cell = card.locator("td[data-label='Cash on hand at the end']")
    box = cell.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert cell.inner_text() == money_cents(last)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
