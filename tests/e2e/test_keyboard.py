"""Keyboard and focus, the charts' toolbar and a browser without JavaScript, in Chromium against gunicorn."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.conftest import open_context
from tests.e2e.test_pages import sample_values, serious_accessibility_violations

ACTIVE = """(() => {
    const e = document.activeElement;
    return {tag: e.tagName, id: e.id, text: (e.innerText || '').trim().slice(0, 80),
            cls: e.className && e.className.baseVal === undefined ? e.className : '',
            inMain: !!e.closest('#main')};
})()"""


def active(page) -> dict:
    return page.evaluate(ACTIVE)


def tab_until(page, test: str, limit: int = 150) -> int:
    """Press Tab until `test` (a JavaScript expression over `e`, the focused element) holds; the presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"(e => !!({test}))(document.activeElement)"):
            return presses
    raise AssertionError(f"{test} never held within {limit} Tabs; focus on {active(page)}")


def test_the_skip_link_is_the_first_stop_and_jumps_into_the_content(page, base_url):
    page.goto(base_url + "/?cycle=2024")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    first = active(page)
    assert first["tag"] == "A" and first["text"] == "Skip to content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # and it shows
    page.keyboard.press("Enter")
    assert active(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert active(page)["inMain"], active(page)  # the next stop is in the page's content, not the header
    # From the top, the first race link is a few Tabs away, not 32.
    page.goto(base_url + "/?cycle=2024")
    page.wait_for_load_state("networkidle")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert (
        tab_until(page, "e.closest('#main') && e.getAttribute('href') && e.getAttribute('href').startsWith('/race/')")
        < 32
    )


def test_focus_moves_to_the_new_pages_heading_after_navigation(page, base_url):
    page.goto(base_url + "/data")
    page.wait_for_load_state("networkidle")
    assert active(page)["tag"] == "BODY"  # the page first opened leaves the focus at the top
    tab_until(page, "e.getAttribute('href') === '/map' && e.closest('nav')")
    page.keyboard.press("Enter")
    expect(page).to_have_url(base_url + "/map")
    expect(page.locator("#main h1")).to_be_focused()
    assert active(page)["text"].startswith(("House", "Senate"))
    # Back and forward are moves to another page too.
    page.go_back()
    expect(page.locator("#main h1")).to_have_text("About the data")
    expect(page.locator("#main h1")).to_be_focused()
    assert page.title() == "About the data"


def test_a_query_change_on_the_same_page_leaves_the_focus_alone(page, base_url):
    page.goto(base_url + "/?cycle=2024")
    page.wait_for_load_state("networkidle")
    page.locator("#main a[href='/?cycle=2022']").first.click()
    expect(page.locator("#main h1")).to_have_text("Campaign money, 2022 cycle")
    page.wait_for_timeout(300)
    assert active(page)["tag"] != "H1"


def test_the_chart_toolbar_sends_nothing_away_and_shows_its_focus(page, base_url):
    page.goto(base_url + "/?cycle=2024")
    page.locator("section.twin .modebar-btn").first.wait_for(state="attached")  # the chart is drawn
    titles = page.evaluate(
        "Array.from(document.querySelectorAll('.modebar-btn')).map(b => b.getAttribute('data-title'))"
    )
    assert "Download plot as a PNG" in titles
    sends = [t for t in titles if any(word in (t or "").lower() for word in ("cloud", "chart studio", "edit", "share"))]
    assert sends == []
    assert page.locator("a.modebar-btn[href], .plotlyjsicon, a[href*='plot.ly'], a[href*='plotly.com']").count() == 0
    # The toolbar is reachable with Tab; its focused button has the site's ring and the toolbar shows.
    tab_until(page, "e.classList.contains('modebar-btn')")
    ring = page.evaluate(
        """(() => { const e = document.activeElement; const s = getComputedStyle(e);
                   return [s.outlineStyle, s.outlineWidth, s.outlineColor, getComputedStyle(e.closest('.modebar')).opacity]; })()"""
    )
    assert ring == ["solid", "3px", "rgb(0, 114, 178)", "1"]
    # Every chart's table twin is still beside it, and its PNG is named like its CSV.
    twin = page.locator("section.twin").first
    assert twin.locator("details summary").count() == 1
    csv_name = twin.locator("button[id*='csv-button']").get_attribute("aria-label").split(": ")[1]
    twin.locator(".js-plotly-plot").hover()
    with page.expect_download() as png:
        twin.locator(".modebar-btn[data-title='Download plot as a PNG']").click()
    assert png.value.suggested_filename == csv_name.removesuffix(".csv") + ".png"


def test_without_javascript_the_page_says_what_the_site_is_and_links_to_the_data(browser, problems, base_url):
    context = open_context(browser, problems, java_script_enabled=False)
    try:
        page = context.new_page()
        response = page.goto(base_url + "/map")
        assert response.status == 200
        text = page.locator("body").inner_text()
        assert "money raised and spent in U.S. federal elections" in text
        assert "JavaScript" in text
        assert "Loading" not in text
        api = page.get_by_role("link", name="the data API")
        assert api.get_attribute("href") == "/api/v1/openapi.json"
        csv = page.get_by_role("link", name="the races that raised the most (CSV)")
        answer = context.request.get(base_url + csv.get_attribute("href"))
        assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
        assert page.title() == "District money map"
        # An unknown address says so in its title and status, without any script.
        missing = page.goto(base_url + "/candidate/H9ZZ99999")
        assert missing.status == 404 and page.title() == "Page not found"
    finally:
        context.close()
    assert problems.all() == []


def test_unknown_and_invalid_addresses_answer_404_and_400_with_the_friendly_page(page, base_url, small_snapshot):
    response = page.goto(base_url + "/no/such/page")
    assert response.status == 404
    expect(page.locator("#main h1")).to_have_text("Page not found")
    assert page.title() == "Page not found"
    assert serious_accessibility_violations(page) == []
    response = page.goto(base_url + "/map?metric=bogus")
    assert response.status == 400
    expect(page.locator("#main h1")).to_have_text("Page not found")
    assert "metric" in page.locator("#main").inner_text()
    # A known candidate in a cycle they did not run in: the tab says so too (Dash titles by the path alone).
    candidate_id = sample_values(small_snapshot)["/candidate/"]["candidate_id"]
    response = page.goto(base_url + f"/candidate/{candidate_id}?cycle=1980")
    assert response.status == 404
    expect(page.locator("#main h1")).to_have_text("Page not found")
    expect(page).to_have_title("Page not found")
    page.goto(base_url + f"/candidate/{candidate_id}")
    expect(page.locator("#main h1")).not_to_have_text("Page not found")
    assert ", candidate for " in page.title()


# The ring of the focused element, or of the box that draws it for the element (Dash's input
# container, the grid's cell): style, width and the box-shadow some components draw instead.
FOCUS_RING = """(() => {
    const e = document.activeElement;
    const box = e.closest('.dash-input-container, .ag-cell, .ag-header-cell') || e;
    const s = getComputedStyle(box);
    return {tag: e.tagName, what: (e.innerText || e.getAttribute('aria-label') || e.getAttribute('data-title') || e.id || '')
                .trim().slice(0, 40),
            outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), shadow: s.boxShadow};
})()"""


def test_every_control_shows_where_the_focus_is(page, base_url, small_snapshot):
    house = sample_values(small_snapshot)["/race/house/"]
    faint = []
    for path in ["/?cycle=2024", "/receipts", f"/race/house/{house['state']}/{house['district']}/2024"]:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        for _ in range(80):
            page.keyboard.press("Tab")
            ring = page.evaluate(FOCUS_RING)
            if ring["tag"] == "BODY":
                break
            if ring["outline"] < 2 and ring["shadow"] in ("none", ""):
                faint.append((path, ring["tag"], ring["what"]))
    assert faint == []
