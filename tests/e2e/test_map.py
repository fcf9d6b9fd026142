"""The district map in the browser: every district drawn in the colour its value implies, clicks
on both views open the race, the table sorts from the keyboard, the CSV holds every district.
The `page` fixture fails a test on any request leaving 127.0.0.1 (no CDN base map, no tiles)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.core import geography
from dashboard.pipeline import census as geo


@pytest.fixture(scope="module", autouse=True)
def boundaries(small_snapshot, shared_data):
    """The 119th Congress's districts in the served snapshot's geo cache (the app reads it on
    the next request; no restart)."""
    geo.import_file(shared_data / "geo" / "us_cd119_2024_20m.geojson")
    return small_snapshot / "geo" / "cd119"


def agg_values(snapshot: Path, office: str, cycle: int, column: str) -> dict[tuple[str, str], float | None]:
    con = duckdb.connect()
    rows = con.execute(
        f"SELECT state, district, {column} FROM read_parquet('{snapshot}/current/agg_district.parquet') "
        "WHERE office = ? AND cycle = ?",
        [office, cycle],
    ).fetchall()
    return {(s, d): v for s, d, v in rows}


# Paths of seats (not of the state outlines drawn over them): their trace has race paths.
SEAT_PATHS = """Array.from(document.querySelectorAll('.choroplethlocation')).filter(el => {
    const group = el.closest('.trace'), calc = group && group.__data__;
    return el.__data__ && calc && calc[0] && calc[0].trace && calc[0].trace.customdata; })"""

DISTRICT_FILLS = f"""() => Object.fromEntries({SEAT_PATHS}.map(el => [el.__data__.loc, getComputedStyle(el).fill]))"""

INSIDE_POINT = f"""(loc) => {{
    const el = {SEAT_PATHS}.find(e => e.__data__.loc === loc);
    el.scrollIntoView({{block: "center"}});
    const box = el.getBoundingClientRect(), toLocal = el.getScreenCTM().inverse();
    const inside = [];  // well inside: the point of the shape farthest from its bounding box's edges
    for (let i = 1; i < 24; i++) for (let j = 1; j < 24; j++) {{
        const x = box.left + box.width * i / 24, y = box.top + box.height * j / 24;
        if (el.isPointInFill(new DOMPoint(x, y).matrixTransform(toLocal))) inside.push([Math.min(i, 24 - i, j, 24 - j), x, y]);
    }}
    inside.sort((a, b) => b[0] - a[0]);
    return inside.length ? inside[0].slice(1) : null;
}}"""

TILE_POINT = """(path) => {
    const gd = document.querySelector('.map-frame .js-plotly-plot'), heat = gd.data[0];
    for (let yi = 0; yi < heat.customdata.length; yi++) {
        const xi = heat.customdata[yi].indexOf(path);
        if (xi >= 0) {
            gd.scrollIntoView({block: "center"});
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis, box = gd.getBoundingClientRect();
            return [box.left + xa._offset + xa.l2p(heat.x[xi]), box.top + ya._offset + ya.l2p(heat.y[yi])];
        }
    }
    return null;
}"""


def rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def legend(page) -> list[tuple[str, float | None, float | None, str]]:
    items = []
    for item in page.locator(".legend-item").all():
        low, high = item.get_attribute("data-low"), item.get_attribute("data-high")
        items.append(
            (
                item.get_attribute("data-colour"),
                float(low) if low else None,
                float(high) if high else None,
                item.inner_text(),
            )
        )
    return items


def wait_for_districts(page, count: int = 437) -> None:
    page.wait_for_function(f"{SEAT_PATHS}.length >= {count}")


@pytest.mark.parametrize("metric", ["receipts", "out_of_state_share"])
def test_every_district_is_drawn_in_the_colour_its_value_implies(page, base_url, small_snapshot, metric):
    page.goto(f"{base_url}/map?cycle=2024&metric={metric}")
    wait_for_districts(page)
    fills = page.evaluate(DISTRICT_FILLS)
    items = legend(page)
    no_data = next(colour for colour, _l, _h, text in items if text == "No data")
    classes = [(colour, low, high) for colour, low, high, text in items if text != "No data"]
    values = agg_values(small_snapshot, "H", 2024, metric)
    seats = geography.house_districts()
    assert len(seats) == 437 and len(fills) == 437  # 435 voting districts, DC and PR
    for state, district in seats:
        value = values.get((state, district))
        if value is None:
            want = no_data
        else:
            want = next(
                colour
                for colour, low, high in classes
                if (low is None or value >= low) and (high is None or value < high)
            )
        assert fills[geography.geoid(state, district)] == rgb(want), (state, district, value)
    assert len({fill for fill in fills.values()}) >= 4  # the classes really spread the districts


def test_clicking_a_district_on_the_home_map_opens_its_race(page, base_url):
    page.goto(f"{base_url}/?cycle=2024")
    wait_for_districts(page)
    x, y = page.evaluate(INSIDE_POINT, "5600")  # Wyoming at-large
    page.mouse.move(x, y)
    expect(page.locator(".map-frame .hoverlayer")).to_contain_text("WY at-large")
    page.mouse.click(x, y)
    page.wait_for_url("**/race/house/WY/00/2024")
    expect(page.locator("h1")).to_contain_text("WY")


def test_clicking_a_tile_opens_its_race(page, base_url):
    page.goto(f"{base_url}/map?cycle=2024&view=hex&metric=n_candidates")
    page.wait_for_function(
        "document.querySelector('.map-frame .js-plotly-plot') && "
        "document.querySelector('.map-frame .js-plotly-plot')._fullLayout"
    )
    assert page.locator(".choroplethlocation").count() == 0
    x, y = page.evaluate(TILE_POINT, "/race/house/NY/12/2024")
    page.mouse.move(x, y)
    expect(page.locator(".map-frame .hoverlayer")).to_contain_text("NY-12")
    page.mouse.click(x, y)
    page.wait_for_url("**/race/house/NY/12/2024")
    expect(page.locator("h1")).to_contain_text("NY-12")


def test_a_state_zooms_and_its_districts_open_their_races(page, base_url):
    page.goto(f"{base_url}/map?cycle=2024&state=OR")
    wait_for_districts(page, 6)
    assert page.locator("table tbody tr").count() == 6
    x, y = page.evaluate(INSIDE_POINT, "4102")
    page.mouse.click(x, y)
    page.wait_for_url("**/race/house/OR/02/2024")


def test_the_senate_view_colours_states_with_a_race(page, base_url, small_snapshot):
    page.goto(f"{base_url}/map?cycle=2024&office=senate")
    wait_for_districts(page, 52)
    with_race = {s for s, _d in agg_values(small_snapshot, "S", 2024, "receipts")}
    fills = page.evaluate(DISTRICT_FILLS)
    no_data = next(c for c, _l, _h, text in legend(page) if text == "No data")
    for state, (fips, *_rest) in geography.STATES.items():
        assert (fills[fips] == rgb(no_data)) == (state not in with_race), state
    state = sorted(with_race)[0]
    x, y = page.evaluate(INSIDE_POINT, geography.STATES[state][0])
    page.mouse.click(x, y)
    page.wait_for_url(f"**/race/senate/{state}/2024")


def test_a_cycle_without_its_own_boundaries_says_which_are_drawn(page, base_url):
    page.goto(f"{base_url}/map?cycle=2026")
    wait_for_districts(page)
    expect(page.locator("main")).to_contain_text("Drawn on the districts of the 119th Congress")


def test_the_table_sorts_from_the_keyboard_and_the_csv_holds_every_district(page, base_url, small_snapshot, tmp_path):
    page.goto(f"{base_url}/map?cycle=2024")
    page.wait_for_load_state("networkidle")
    header = page.locator("th", has=page.get_by_role("link", name="Raised", exact=False)).first
    expect(header).to_have_attribute("aria-sort", "descending")
    header.get_by_role("link").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=receipts**")
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Total raised")
    values = agg_values(small_snapshot, "H", 2024, "receipts")
    first_race = page.locator("table tbody tr").first.locator("a").first.get_attribute("href")
    lowest = min(values, key=values.get)
    assert first_race == f"/race/house/{lowest[0]}/{lowest[1]}/2024"
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "map.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 437
    for row in rows:
        if row["receipts"]:
            assert float(row["receipts"]) == pytest.approx(float(values[(row["state"], row["district"])]))
