"""A first load downloads what the page draws (dashboard/app/bundles.py): chart pages draw every chart
with the partial plotly.js, which holds exactly the listed trace types; AG Grid's bundle is fetched by
the receipts explorer only, on a first load there and after moving there inside the app. The `page`
fixture fails a test on any console error or failed request. Sizes and times are bench figures
(bench/browser.py), not asserted here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.browser import sample_paths

BUILD = Path(__file__).resolve().parents[2] / "devtools" / "plotly_bundle"
LISTED = sorted(json.loads((BUILD / "traces.json").read_text())["traces"])

# Per chart: every trace's type is one plotly.js knows (a type it does not know would be drawn as nothing).
DRAWN = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
    types: (gd.data || []).map(t => t.type || 'scatter'),
    drawn: !!gd.querySelector('.main-svg'),
}))"""


@pytest.fixture(scope="module")
def paths(small_snapshot):
    return sample_paths(small_snapshot)


def requested(page, part: str) -> list[str]:
    return page.evaluate(f"performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes({part!r}))")


@pytest.mark.parametrize("kind", ["home", "map", "race", "candidate", "trends"])
def test_chart_pages_draw_with_the_partial_plotly_js(page, base_url, paths, kind):
    page.goto(base_url + paths[kind])
    page.locator(".js-plotly-plot .main-svg").first.wait_for()
    page.wait_for_load_state("networkidle")
    # Charts are drawn one a frame, top first (assets/chart_turns.js): wait for the last.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))"
    )
    assert sorted(page.evaluate("Object.keys(window.Plotly.PlotSchema.get().traces)")) == LISTED
    charts = page.evaluate(DRAWN)
    assert charts and all(chart["drawn"] for chart in charts)
    assert {t for chart in charts for t in chart["types"]} <= set(LISTED)
    assert requested(page, "dash_ag_grid/dash_ag_grid") == []  # no grid on these pages


def test_the_grid_bundle_loads_when_the_explorer_draws_a_grid(page, base_url, paths):
    page.goto(base_url + paths["committee"])
    page.wait_for_load_state("networkidle")
    assert requested(page, "dash_ag_grid/dash_ag_grid") == [] and requested(page, "plotly") == []
    # Into the receipts explorer inside the app, as a dcc.Link goes there: the grid's bundle comes now.
    page.evaluate(
        f"window.history.pushState({{}}, '', {paths['receipts']!r});"
        "window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'))"
    )
    expect(page.locator(".ag-center-cols-container .ag-row[row-index='0']")).to_be_visible()
    assert len(requested(page, "dash_ag_grid/dash_ag_grid.min.js")) == 1
    # Another view of the explorer redraws the grid without fetching the bundle again.
    page.get_by_role("link", name="Largest first").click()
    expect(page.locator(".ag-center-cols-container .ag-row[row-index='0'] [col-id='amount']")).to_have_text(
        re.compile(r"\$")
    )
    assert len(requested(page, "dash_ag_grid/dash_ag_grid.min.js")) == 1


def test_a_first_load_of_the_explorer_draws_its_grid(page, base_url, paths):
    page.goto(base_url + paths["receipts"])
    expect(page.locator(".ag-center-cols-container .ag-row[row-index='0']")).to_be_visible()
    assert requested(page, "plotly") == []
