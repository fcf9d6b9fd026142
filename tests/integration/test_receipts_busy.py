"""The receipts explorer when every search of the worker's pool is taken (dashboard/app/limits.py): its grid
and its page say so in words, with a way to try again, instead of an empty grid or a blank page; the
message is never kept by the answer cache, so the next try is searched."""

from __future__ import annotations

import pytest

from dashboard.app import limits
from devtools.pages_router import router_body
from tests.integration.test_app_routes import render, text_of

ROWS_OUTPUT = "..rx-grid.getRowsResponse...rx-grid-status.children.."


@pytest.fixture(scope="module")
def server(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server


def _find(node, component_id):
    if isinstance(node, list):
        return next((found for child in node if (found := _find(child, component_id)) is not None), None)
    if isinstance(node, dict):
        props = node.get("props", {})
        if props.get("id") == component_id:
            return props
        return next((found for v in props.values() if (found := _find(v, component_id)) is not None), None)
    return None


def _rows_body(view: dict) -> dict:
    return {
        "output": ROWS_OUTPUT,
        "outputs": [{"id": "rx-grid", "property": "getRowsResponse"}, {"id": "rx-grid-status", "property": "children"}],
        "inputs": [{"id": "rx-grid", "property": "getRowsRequest", "value": {"startRow": 0, "endRow": 100}}],
        "state": [{"id": "rx-view", "property": "data", "value": view}],
        "changedPropIds": ["rx-grid.getRowsRequest"],
    }


@pytest.fixture()
def pool_full(server, monkeypatch):
    """Every turn of the costly searches' pool held (as by other visitors' searches), the wait for one short."""
    monkeypatch.setenv("QUERY_TIMEOUT_MS", "300")
    pool = server.extensions["limits"].costly
    assert pool.enter(None)
    try:
        yield pool
    finally:
        pool.leave()


def test_a_grid_block_refused_by_a_full_pool_says_so_and_is_searched_on_the_next_try(server, monkeypatch):
    client = server.test_client()
    view = _find(render(client, "/receipts", "?cycle=2026")["_pages_content"]["children"], "rx-view")["data"]
    monkeypatch.setenv("QUERY_TIMEOUT_MS", "300")
    pool = server.extensions["limits"].costly
    assert pool.enter(None)
    try:
        busy = client.post("/_dash-update-component", json=_rows_body(view))
    finally:
        pool.leave()
    assert busy.status_code == 200
    assert busy.headers["Cache-Control"] == "no-store" and busy.headers["Retry-After"]
    response = busy.get_json()["response"]
    assert "rx-grid" not in response  # the grid keeps waiting for its block; the button asks it again
    status = response["rx-grid-status"]["children"]
    assert limits.BUSY_MESSAGE in text_of(status)
    assert _find(status, "rx-grid-retry") is not None  # the "Try again" button
    # The busy answer was not kept: with a free turn, the same request is searched.
    again = client.post("/_dash-update-component", json=_rows_body(view))
    assert again.status_code == 200
    rows = again.get_json()["response"]["rx-grid"]["getRowsResponse"]["rowData"]
    assert len(rows) == min(100, view["rows"]) > 0
    # The button's callback is registered (in the browser: it asks the grid for its blocks again).
    inputs = {i["id"] + "." + i["property"] for c in client.get("/_dash-dependencies").get_json() for i in c["inputs"]}
    assert "rx-grid-retry.n_clicks" in inputs and "rx-donor-grid-retry.n_clicks" in inputs


def test_the_page_refused_by_a_full_pool_says_so_with_a_link_to_try_again(server, pool_full):
    client = server.test_client()
    answer = client.post("/_dash-update-component", json=router_body("/receipts", "?cycle=2026&state=CA"))
    assert answer.status_code == 200 and answer.headers["Cache-Control"] == "no-store"
    response = answer.get_json()["response"]
    assert response["_pages_store"]["data"]["title"] == "Itemized receipts"
    content = response["_pages_content"]["children"]
    assert limits.BUSY_MESSAGE in text_of(content)
    assert _find(content, "rx-busy-retry")["href"] == "/receipts?cycle=2026&state=CA"


def test_the_api_still_answers_503_with_retry_after(server, pool_full):
    answer = server.test_client().get("/api/v1/receipts?cycle=2026&limit=5")
    assert answer.status_code == 503 and answer.headers["Retry-After"]
