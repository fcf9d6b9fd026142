"""The answer cache (dashboard/app/answer_cache.py) through the app: one answer per snapshot and request,
dropped when a new snapshot is published; ETags and 304s on API answers and page shells; exports and
clicks never kept."""

from __future__ import annotations

import gzip
import json

import pytest

from dashboard.app.answer_cache import Answer, AnswerCache
from dashboard.pipeline.builder.publish import build_and_publish
from devtools.pages_router import router_body
from tests.integration.test_app_routes import render

API = "/api/v1/races/top?cycle=2026&limit=5"


@pytest.fixture(scope="module")
def client(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server.test_client()


def test_the_same_api_address_on_the_same_snapshot_is_answered_from_the_cache(client):
    first = client.get(API + "&office=H")
    second = client.get(API + "&office=H")
    # The same query, its pairs in another order: the same answer.
    reordered = client.get("/api/v1/races/top?office=H&limit=5&cycle=2026")
    assert first.status_code == second.status_code == reordered.status_code == 200
    assert first.headers["X-Answer-Cache"] == "miss"
    assert second.headers["X-Answer-Cache"] == reordered.headers["X-Answer-Cache"] == "hit"
    assert second.get_json() == first.get_json() == reordered.get_json()
    assert second.headers["ETag"] == first.headers["ETag"]
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"] == "public, max-age=300"
    # Kept gzipped: a browser gets the kept bytes as they are, a client without gzip the plain answer.
    zipped = client.get(API + "&office=H", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["X-Answer-Cache"] == "hit" and zipped.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(zipped.data)) == first.get_json()


def test_a_page_layout_is_rendered_once_and_served_again(client):
    first = client.post("/_dash-update-component", json=router_body("/map"))
    second = client.post("/_dash-update-component", json=router_body("/map"))
    assert first.status_code == second.status_code == 200
    assert (first.headers["X-Answer-Cache"], second.headers["X-Answer-Cache"]) == ("miss", "hit")
    assert second.get_json() == first.get_json()
    # Another address is another answer.
    other = client.post("/_dash-update-component", json=router_body("/trends"))
    assert other.headers["X-Answer-Cache"] == "miss"
    assert other.get_json() != first.get_json()


def test_etag_and_304_on_api_answers_and_page_shells(client):
    for path in (API, "/map?cycle=2026"):
        answer = client.get(path)
        assert answer.status_code == 200
        etag = answer.headers["ETag"].strip('"')
        assert answer.headers["Cache-Control"].startswith("public")
        again = client.get(path, headers={"If-None-Match": f'"{etag}"'})
        assert again.status_code == 304, path
        assert again.data == b""
        # Flask-Compress sends the tag with ':gzip' appended; a browser sends that back.
        compressed = client.get(path, headers={"If-None-Match": f'"{etag}:gzip"'})
        assert compressed.status_code == 304, path


def test_an_address_that_names_nothing_keeps_its_404_when_served_again(client):
    first = client.get("/no-such-page")
    second = client.get("/no-such-page")
    assert first.status_code == second.status_code == 404
    assert second.headers["X-Answer-Cache"] == "hit"
    assert "ETag" not in second.headers


def _map_shown(client) -> dict:
    page = client.post("/_dash-update-component", json=router_body("/map")).get_json()
    found = []

    def walk(node):
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif isinstance(node, dict) and "props" in node:
            if node["props"].get("id") == "map-shown":
                found.append(node["props"]["data"])
            for value in node["props"].values():
                walk(value)

    walk(page["response"]["_pages_content"]["children"])
    return found[0]


def test_exports_and_downloaded_files_are_never_kept(client):
    for _ in range(2):
        export = client.get("/api/v1/receipts/export?cycle=2026&state=VT&format=csv")
        assert export.status_code == 200
        assert "X-Answer-Cache" not in export.headers
        assert export.headers["Cache-Control"] == "no-store"
        export.close()  # as a server does once sent: the worker's download place is given back (WORKER_EXPORTS)
    click = {
        "output": "map-csv.data",
        "outputs": {"id": "map-csv", "property": "data"},
        "inputs": [{"id": "map-csv-button", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["map-csv-button.n_clicks"],
        "state": [{"id": "map-shown", "property": "data", "value": _map_shown(client)}],
    }
    for _ in range(2):
        answer = client.post("/_dash-update-component", json=click)
        assert answer.status_code == 200
        assert answer.get_json()["response"]["map-csv"]["data"]["filename"].endswith(".csv")
        assert answer.headers["X-Answer-Cache"] == "miss"


def test_two_visitors_click_counts_share_one_answer(client):
    """A browser's click counts grow with every click; the answer depends on which button was pressed."""
    from dashboard.app import answer_cache

    def key(pressed_count: int, other_count: int, changed: str) -> str:
        body = {
            "output": "..map-shown.data..",
            "outputs": [{"id": "map-shown", "property": "data"}],
            "inputs": [
                [
                    {"id": {"type": "map-choice", "name": "cycle", "value": "2024"}, "property": "n_clicks"}
                    | {"value": pressed_count},
                    {"id": {"type": "map-choice", "name": "cycle", "value": "2022"}, "property": "n_clicks"}
                    | {"value": other_count},
                ]
            ],
            "changedPropIds": [changed],
            "state": [],
        }
        with client.application.test_request_context("/_dash-update-component", method="POST", json=body):
            return answer_cache._request_key()

    pressed = '{"name":"cycle","type":"map-choice","value":"2024"}.n_clicks'
    other = '{"name":"cycle","type":"map-choice","value":"2022"}.n_clicks'
    assert key(1, 0, pressed)[0] == "callback"
    # Neither the count of the button pressed nor the clicks of the others change the answer.
    assert key(1, 0, pressed) == key(7, 0, pressed) == key(7, 3, pressed)
    # Another button pressed: another answer.
    assert key(1, 1, pressed) != key(1, 1, other)


def test_a_new_snapshot_replaces_every_kept_answer(client, demo_builds, tmp_path, monkeypatch):
    data_dir = demo_builds.copy(tmp_path / "data")
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    before = client.get(API)
    assert client.get(API).headers["X-Answer-Cache"] == "hit"
    page_before = render(client, "/map")
    assert client.post("/_dash-update-component", json=router_body("/map")).headers["X-Answer-Cache"] == "hit"

    manifest = build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": 1}})

    after = client.get(API)
    assert after.headers["X-Answer-Cache"] == "miss"
    assert (
        after.get_json()["meta"]["snapshot_id"] == manifest["snapshot_id"] != before.get_json()["meta"]["snapshot_id"]
    )
    assert after.headers["ETag"] != before.headers["ETag"]
    # The old tag no longer matches: the browser gets the new answer, not a 304.
    assert client.get(API, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200
    # The page's data footer names the snapshot it was drawn from: the new one.
    page_after = client.post("/_dash-update-component", json=router_body("/map"))
    # Computed again for the new snapshot: by this request or by the warm-up the publish started (a hit).
    assert page_after.headers["X-Answer-Cache"] in ("miss", "hit")
    assert f"snapshot {manifest['snapshot_id']}" in json.dumps(page_after.get_json()["response"])
    assert f"snapshot {manifest['snapshot_id']}" not in json.dumps(page_before)


def test_the_cache_is_bounded_in_bytes_and_forgets_the_least_recently_used():
    cache = AnswerCache(max_bytes=16 * 1000)
    cache.notice("s1")  # the snapshot served
    answer = Answer(200, b"x" * 900, (("Content-Type", "application/json"),))
    for number in range(30):
        assert cache.put("s1", f"k{number}", answer)
        cache.get("s1", "k0")  # k0 stays in use
    assert cache.bytes <= cache.max_bytes
    assert cache.get("s1", "k0") is not None and cache.get("s1", "k29") is not None
    assert cache.get("s1", "k1") is None
    # One answer larger than a sixteenth of the budget is never kept.
    assert not cache.put("s1", "big", Answer(200, b"x" * 1001, ()))
    # Another snapshot: nothing of the first one is served.
    assert cache.get("s2", "k0") is None
    assert len(cache) == 0 and cache.bytes == 0


def test_the_cache_holds_the_served_snapshot_and_the_one_warmed_then_drops_the_one_left():
    cache = AnswerCache(max_bytes=16 * 1000)
    answer = Answer(200, b"x" * 100, ())
    cache.notice("s1:0")
    assert cache.put("s1:0", "k", answer)
    cache.warm("s2")  # the warm-up computes the new snapshot's answers while s1 is served
    assert cache.put("s2:0", "k", answer)
    assert cache.get("s1:0", "k") is not None and cache.get("s2:0", "k", served=False) is not None
    # A request pinned to a third snapshot (a page of an older one) is answered but not kept.
    assert not cache.put("s0:0", "k", answer)
    assert cache.get("s0:0", "k", served=False) is None and len(cache) == 2
    cache.adopt("s2:0")
    assert cache.get("s2:0", "k") is not None
    assert not cache.holds("s1:0", "k") and len(cache) == 1 and cache.bytes == answer.size


def test_a_refresh_status_beside_the_snapshot_is_shown_at_once(client, demo_builds, tmp_path, monkeypatch):
    """Every page's footer says when the data was last refreshed, from refresh/status.json beside the
    snapshot: a change of that file drops the kept pages as a new snapshot does."""
    data_dir = demo_builds.copy(tmp_path / "data")
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    client.post("/_dash-update-component", json=router_body("/trends"))
    before = client.post("/_dash-update-component", json=router_body("/trends"))
    assert before.headers["X-Answer-Cache"] == "hit"
    assert "Never refreshed from the OpenFEC API" in json.dumps(before.get_json())

    status = data_dir / "refresh" / "status.json"
    status.parent.mkdir(exist_ok=True)
    status.write_text(json.dumps({"last_success": {"finished_at": "2026-12-01T10:00:00Z"}}))

    after = client.post("/_dash-update-component", json=router_body("/trends"))
    assert after.headers["X-Answer-Cache"] == "miss"
    assert "Last refreshed from the OpenFEC API 2026-12-01 10:00 UTC" in json.dumps(after.get_json())
