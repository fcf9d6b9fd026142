"""The district map in the browser: every district drawn in the colour its value implies, clicks
on both views open the race, switches recolour the map in place (no page rebuilt) and Back returns,
the table pages and sorts through its own callback and from the keyboard, the CSV holds every
district, the skip link passes the map, and on a phone the page fits and a state's map zooms until
every district can be tapped.
The `page` fixture fails a test on any request leaving 127.0.0.1 (no CDN base map, no tiles)."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import expect

from dashboard.app.figures import map_classes
from dashboard.core import geography
from dashboard.pipeline import census as geo
from tests.e2e.conftest import open_context


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
    page.wait_for_function(f"() => {SEAT_PATHS}.length >= {count}")  # a function: the CSP forbids eval


def assert_colours_follow_the_legend(page, snapshot: Path, metric: str, cycle: int = 2024) -> None:
    """Every district is drawn in the colour of the legend's class its value falls in."""
    fills = page.evaluate(DISTRICT_FILLS)
    items = legend(page)
    no_data = next(colour for colour, _l, _h, text in items if text == "No data")
    classes = [(colour, low, high) for colour, low, high, text in items if text != "No data"]
    values = agg_values(snapshot, "H", cycle, metric)
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


@pytest.mark.parametrize("metric", ["receipts", "out_of_state_share"])
def test_every_district_is_drawn_in_the_colour_its_value_implies(page, base_url, small_snapshot, metric):
    page.goto(f"{base_url}/map?cycle=2024&metric={metric}")
    wait_for_districts(page)
    assert_colours_follow_the_legend(page, small_snapshot, metric)


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
        "() => document.querySelector('.map-frame .js-plotly-plot') && "
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


def rebuilds_of_the_page(page) -> list[str]:
    """Requests of Dash's page router (the whole layout built anew), from now on."""
    calls: list[str] = []

    def record(request):
        if "_dash-update-component" in request.url and "_pages_content" in (request.post_data or ""):
            calls.append(request.post_data)

    page.on("request", record)
    return calls


MAP_TRACE = "(field) => document.querySelector('.map-frame .js-plotly-plot').data[0][field]"


def table_races(page) -> list[str]:
    return [a.get_attribute("href") for a in page.locator("#map-table tbody tr td:first-child a").all()]


def ranked_paths(values: dict, cycle: int = 2024, descending: bool = True) -> list[str]:
    """Race paths in the table's order: by value (ties by state and district), seats without one last."""
    known = sorted(
        ((v, s, d) for (s, d), v in values.items() if v is not None),
        key=lambda t: ((-t[0] if descending else t[0]), t[1], t[2]),
    )
    return [f"/race/house/{s}/{d}/{cycle}" for _v, s, d in known]


def eventually(check, timeout: float = 10.0):
    """`check()` until it passes (the map redraws after the answer arrives)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_a_metric_switch_recolours_the_map_in_place_and_back_returns(page, base_url, small_snapshot):
    page.goto(f"{base_url}/map?cycle=2024")
    wait_for_districts(page)
    rebuilds = rebuilds_of_the_page(page)
    page.evaluate("window.sameDocument = true")  # a full page load would lose it
    cash = map_classes.METRICS["cash_on_hand"]
    page.get_by_role("group", name="Colour by").get_by_role(
        "button", name=cash.label, exact=True
    ).focus()  # from the keyboard
    page.keyboard.press("Enter")
    page.wait_for_url("**metric=cash_on_hand**")
    expect(page.locator(".legend-title")).to_have_text(cash.legend_title)
    page.wait_for_function(
        f"() => document.querySelector('.map-frame .js-plotly-plot').data[0].name === {cash.label!r}"
    )
    eventually(lambda: assert_colours_follow_the_legend(page, small_snapshot, "cash_on_hand"))
    expect(page.locator("th[aria-sort='descending']")).to_contain_text(cash.label)
    assert table_races(page) == ranked_paths(agg_values(small_snapshot, "H", 2024, "cash_on_hand"))[:25]
    assert page.evaluate("window.sameDocument") is True and rebuilds == []

    page.go_back()
    page.wait_for_url(f"{base_url}/map?cycle=2024")
    expect(page.locator(".legend-title")).to_have_text(map_classes.METRICS["receipts"].legend_title)
    expect(
        page.get_by_role("group", name="Colour by").get_by_role(
            "button", name=map_classes.METRICS["receipts"].label, exact=True
        )
    ).to_have_attribute("aria-pressed", "true")
    expect(
        page.get_by_role("group", name="Colour by").get_by_role("button", name=cash.label, exact=True)
    ).to_have_attribute("aria-pressed", "false")
    eventually(lambda: assert_colours_follow_the_legend(page, small_snapshot, "receipts"))
    assert page.evaluate("window.sameDocument") is True and rebuilds == []


def test_a_cycle_switch_updates_values_and_race_links_in_place(page, base_url, small_snapshot):
    page.goto(f"{base_url}/map?cycle=2024")
    wait_for_districts(page)
    rebuilds = rebuilds_of_the_page(page)
    page.evaluate("window.sameDocument = true")
    page.locator("[aria-label='Election cycle']").get_by_text("2022", exact=True).click()
    page.wait_for_url("**cycle=2022**")
    expect(page.locator("h1")).to_contain_text("2022")
    page.wait_for_function(
        "() => document.querySelector('.map-frame .js-plotly-plot').data[0].customdata.every(p => p.endsWith('/2022'))"
    )
    eventually(lambda: assert_colours_follow_the_legend(page, small_snapshot, "receipts", cycle=2022))
    assert table_races(page) == ranked_paths(agg_values(small_snapshot, "H", 2022, "receipts"), 2022)[:25]
    assert page.evaluate("window.sameDocument") is True and rebuilds == []


def test_the_table_pages_and_sorts_by_its_own_callback(page, base_url, small_snapshot):
    page.goto(f"{base_url}/map?cycle=2024")
    wait_for_districts(page)
    rebuilds = rebuilds_of_the_page(page)
    raised = ranked_paths(agg_values(small_snapshot, "H", 2024, "receipts"))
    status = page.locator("#map-table").get_by_role("status")
    expect(status).to_have_text("Rows 1 to 25 of 437")
    assert table_races(page) == raised[:25]  # 25 rows sent, not 437
    expect(page.get_by_role("button", name="Previous rows")).to_be_disabled()
    page.get_by_role("button", name="Next rows").click()
    expect(status).to_have_text("Rows 26 to 50 of 437")
    assert page.evaluate("document.activeElement.textContent") == "Next rows"  # the focus stays on the button
    assert table_races(page) == raised[25:50]
    page.wait_for_url("**page=2**")
    page.locator("th").get_by_role("button", name="Race").click()  # sorted by race, from the first page
    expect(status).to_have_text("Rows 1 to 25 of 437")
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Race")
    by_seat = [f"/race/house/{s}/{d}/2024" for s, d in geography.house_districts()]
    assert table_races(page) == by_seat[:25]
    assert "sort=race_label" in page.url and "page=" not in page.url
    # The map did not change, and the page was never rebuilt.
    assert page.evaluate(MAP_TRACE, "name") == map_classes.METRICS["receipts"].label
    assert rebuilds == []
    # The address reopens the same table.
    page.goto(f"{base_url}/map?cycle=2024&sort=race_label&page=3")
    expect(status).to_have_text("Rows 51 to 75 of 437")
    assert table_races(page) == by_seat[50:75]


def test_the_table_sorts_from_the_keyboard_and_the_csv_holds_every_district(page, base_url, small_snapshot, tmp_path):
    page.goto(f"{base_url}/map?cycle=2024")
    page.wait_for_load_state("networkidle")
    header = page.locator("th", has=page.get_by_role("button", name="Raised", exact=False)).first
    expect(header).to_have_attribute("aria-sort", "descending")
    header.get_by_role("button").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**sort=receipts**")
    expect(page.locator("th[aria-sort='ascending']")).to_contain_text("Total raised")
    values = agg_values(small_snapshot, "H", 2024, "receipts")
    lowest = min(values, key=values.get)
    expect(page.locator("#map-table tbody tr").first.locator("a").first).to_have_attribute(
        "href", f"/race/house/{lowest[0]}/{lowest[1]}/2024"
    )
    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "map.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(path.open()))
    assert len(rows) == 437
    for row in rows:
        if row["receipts"]:
            assert float(row["receipts"]) == pytest.approx(float(values[(row["state"], row["district"])]))
    assert float(rows[0]["receipts"]) == pytest.approx(float(values[lowest]))  # in the table's order


def test_the_skip_link_moves_the_focus_past_the_map_to_its_table(page, base_url):
    page.goto(f"{base_url}/map?cycle=2024")
    wait_for_districts(page)
    link = page.get_by_role("link", name="Skip the map to its table")
    link.focus()
    expect(link).to_be_visible()  # shown when focused
    page.keyboard.press("Enter")
    expect(page.locator("#map-table")).to_be_focused()
    page.keyboard.press("Tab")  # the next stop is inside the table, not the map or its toolbar
    assert page.evaluate("!!document.activeElement.closest('#map-table')")


@pytest.fixture
def phone(browser, problems, base_url):
    context = open_context(browser, problems, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.on("console", lambda m: problems.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.console_errors.append(str(e)))
    yield page
    context.close()
    assert problems.all() == []


# Each seat's size on screen, and where its middle is as longitude and latitude (from the live projection).
SEAT_BOXES = """() => {
    const gd = document.querySelector('.map-frame .js-plotly-plot'), svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const projection = gd._fullLayout.geo._subplot.projection;
    return Array.from(gd.querySelectorAll('.choroplethlocation')).map(el => {
        const b = el.getBoundingClientRect();
        return {loc: el.__data__.loc, width: b.width, height: b.height,
                lonlat: projection.invert([b.left + b.width / 2 - svg.left, b.top + b.height / 2 - svg.top])};
    });
}"""
SEAT_BOX = """(loc) => { const el = Array.from(document.querySelectorAll('.map-frame .choroplethlocation'))
    .find(e => e.__data__.loc === loc); const b = el.getBoundingClientRect(); return [b.width, b.height]; }"""


# Resolves once draws queued behind one another (assets/chart_turns.js: one a frame) have run.
AFTER_QUEUED_DRAWS = """() => new Promise(done => { let frames = 4;
    const next = () => (frames-- ? requestAnimationFrame(() => setTimeout(next, 0)) : done()); next(); })"""


def pan_to(page, lonlat) -> None:
    """Pans the map (what a drag does) so the point is in its middle, keeping the zoom."""
    page.evaluate(
        """([lon, lat]) => {
            const gd = document.querySelector('.map-frame .js-plotly-plot'), geo = gd._fullLayout.geo;
            const [w, e] = geo.lonaxis.range, [s, n] = geo.lataxis.range;
            return Plotly.relayout(gd, {'geo.lonaxis.range': [lon - (e - w) / 2, lon + (e - w) / 2],
                                        'geo.lataxis.range': [lat - (n - s) / 2, lat + (n - s) / 2]});
        }""",
        lonlat,
    )
    page.evaluate(AFTER_QUEUED_DRAWS)  # the redraw may wait its turn behind the zoom's


def test_on_a_phone_the_map_fits_and_zooms_until_every_district_is_a_finger_sized_target(phone, base_url):
    phone.goto(f"{base_url}/map?cycle=2024")
    wait_for_districts(phone)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    expect(phone.locator(".map-frame .modebar-container")).to_be_hidden()  # no toolbar over the map

    phone.goto(f"{base_url}/map?cycle=2024&state=CA")
    wait_for_districts(phone, 52)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    seats = phone.evaluate(SEAT_BOXES)
    side = min(min(s["width"], s["height"]) for s in seats)
    assert side < 24  # the whole state on a phone: Los Angeles's districts are too small to tap
    zoom = 1
    while side * zoom < 24 * 1.5:  # (a district's box is not a square: leave room)
        phone.get_by_role("button", name="Zoom in").tap()
        zoom *= 2
        expect(phone.locator("#map-zoom-status")).to_have_text(f"Zoomed in {zoom} times")
    for seat in seats:  # every district, brought to the middle as a drag would
        pan_to(phone, seat["lonlat"])
        width, height = phone.evaluate(SEAT_BOX, seat["loc"])
        assert width >= 24 and height >= 24, (seat["loc"], width, height)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # A tap (a touch, not a mouse click) on the smallest district opens its race.
    smallest = min(seats, key=lambda s: s["width"] * s["height"])
    pan_to(phone, smallest["lonlat"])
    x, y = phone.evaluate(INSIDE_POINT, smallest["loc"])
    phone.touchscreen.tap(x, y)
    district = smallest["loc"][2:]
    phone.wait_for_url(f"**/race/house/CA/{district}/2024")
    expect(phone.locator("h1")).to_contain_text(f"CA-{district}")
