"""Every registered page, opened in headless Chromium against gunicorn: it renders, says what data it
shows and as of when, stays on 127.0.0.1, logs no error, and has no serious accessibility problem."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from axe_playwright_python.sync_playwright import Axe

from dashboard.core.geography import SENATE_CLASS_STATES

BANNER = "Demo data: synthetic, not real FEC records"


def sample_values(snapshot: Path) -> dict[str, dict[str, str]]:
    """Real IDs and races from the snapshot, to fill each page's path template."""
    con = duckdb.connect()
    current = snapshot / "current"
    house = con.execute(f"""
        SELECT c.candidate_id, c.state, c.district FROM read_parquet('{current}/candidates.parquet') c
        JOIN read_parquet('{current}/candidate_totals.parquet') t USING (candidate_id, cycle)
        WHERE c.office = 'H' AND c.cycle = 2024 ORDER BY t.receipts DESC LIMIT 1""").fetchall()[0]
    pac = con.execute(f"""SELECT committee_id FROM read_parquet('{current}/committees.parquet')
                          WHERE committee_type = 'Q' ORDER BY committee_id LIMIT 1""").fetchall()[0][0]
    donor = con.execute(f"""SELECT donor_key FROM read_parquet('{current}/donors.parquet')
                            ORDER BY amount DESC, donor_key LIMIT 1""").fetchall()[0][0]
    cycle = "2024"
    return {
        "/race/house/": {"state": house[1], "district": house[2], "cycle": cycle},
        "/race/senate/": {"state": SENATE_CLASS_STATES[2024][0], "cycle": cycle},
        "/race/president/": {"cycle": cycle},
        "/candidate/": {"candidate_id": house[0]},
        "/committee/": {"committee_id": pac},
        "/donor/": {"donor_key": quote(donor, safe="")},
    }


def registered_urls(snapshot: Path) -> list[str]:
    import dash

    import app  # noqa: F401  (registers the pages)

    samples = sample_values(snapshot)
    urls = []
    for page in dash.page_registry.values():
        url = page.get("path_template") or page["path"]
        for prefix, values in samples.items():
            if url.startswith(prefix):
                for name, value in values.items():
                    url = url.replace(f"<{name}>", value)
        assert "<" not in url, f"no sample value for {url}"
        urls.append(url)
    return sorted(urls)


def serious_accessibility_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_every_registered_page_loads_cleanly(page, base_url, small_snapshot):
    urls = registered_urls(small_snapshot)
    assert {"/", "/data"} <= set(urls) and len(urls) >= 6
    for url in urls:
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        body = page.locator("body")
        assert BANNER in body.inner_text(), url
        assert "Data through" in body.inner_text(), url
        assert "Traceback" not in body.inner_text(), url
        assert page.locator("h1").count() >= 1, url
        assert serious_accessibility_violations(page) == [], url


def test_an_unknown_candidate_is_a_friendly_404(page, base_url):
    page.goto(base_url + "/candidate/H9ZZ99999")
    page.wait_for_load_state("networkidle")
    text = page.locator("body").inner_text()
    assert "not found" in text.lower() or "no candidate" in text.lower()
    assert page.locator("a[href='/']").count() >= 1
    page.goto(base_url + "/no/such/page")
    page.wait_for_load_state("networkidle")
    assert "not found" in page.locator("body").inner_text().lower()


@pytest.mark.parametrize(
    "junk",
    [
        "/candidate/%27%3B%20DROP%20TABLE%20x",
        "/race/house/ZZ/99/2023",
        "/race/senate/TX/abcd",
        "/?cycle=2025",
        "/?cycle=<script>",
    ],
)
def test_bad_urls_get_a_clear_message_not_a_traceback(page, base_url, junk):
    page.goto(base_url + junk)
    page.wait_for_load_state("networkidle")
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Something went wrong" not in text
    assert BANNER in text


# Each chart's legend, as [chart's right edge, legend's right edge, caption] (a legend entry does not
# wrap: one wider than the chart is cut off).
LEGENDS = """() => [...document.querySelectorAll('main .js-plotly-plot')].filter(gd => gd.querySelector('.legend'))
    .map(gd => [gd.getBoundingClientRect().right, gd.querySelector('.legend').getBoundingClientRect().right,
                (gd.closest('section') || gd).getAttribute('aria-label')])"""


def test_pages_fit_a_phone_screen(browser, base_url, small_snapshot, problems):
    """On a phone (390 x 844, touch) no page scrolls sideways, and every chart's legend fits in its chart."""
    from tests.e2e.conftest import open_context

    context = open_context(browser, problems, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    urls = registered_urls(small_snapshot) + ["/map?cycle=2024&view=hex", "/trends?cycle=2024&window=cycle"]
    for url in urls:
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        # Charts are drawn one a frame, top first (assets/chart_turns.js): every legend is checked once drawn.
        page.wait_for_function(
            "() => [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))"
        )
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{url} scrolls sideways by {overflow}px on a phone"
        for chart_right, legend_right, caption in page.evaluate(LEGENDS):
            assert legend_right <= chart_right + 1, f"{url}: the legend of {caption!r} is cut off on a phone"
    context.close()
    assert problems.all() == []
