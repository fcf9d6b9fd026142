"""Every answer names the snapshot it was built from (X-Snapshot-Id), and a callback that names its page's
snapshot is answered from it while it is on disk, even after this server moved on (a rolling update
behind a load balancer); a server without a snapshot answers 503 with Retry-After until it has one."""

from __future__ import annotations

import json
import re
import shutil
from datetime import datetime, timedelta

import duckdb
import pytest

from dashboard.app.headers import SNAPSHOT_HEADER
from dashboard.store import layout
from devtools.pages_router import router_body
from tests.integration.test_app_routes import text_of
from tests.integration.test_one_snapshot_per_page import RENAMED, publish
from tests.integration.test_one_snapshot_per_page import two_snapshots as renamed_beside  # noqa: F401

ID_FORMAT = "%Y%m%dT%H%M%S%fZ"


def later_id(snapshot_id: str, seconds: int = 1) -> str:
    """A snapshot id `seconds` after another, in the builder's format (ids sort by time)."""
    moment = datetime.strptime(snapshot_id[:-4] + snapshot_id[-4:-1] + "000Z", ID_FORMAT) + timedelta(seconds=seconds)
    return moment.strftime(ID_FORMAT)[:-4] + "Z"


@pytest.fixture
def two_snapshots(renamed_beside):  # noqa: F811
    """`first` served, `second` (every candidate renamed) beside it with a later id, as a publish names it."""
    data_dir, first, renamed = renamed_beside
    second = renamed.with_name(later_id(first.name))
    renamed.rename(second)
    manifest = json.loads(layout.manifest_path(second).read_text())
    layout.manifest_path(second).write_text(json.dumps({**manifest, "snapshot_id": second.name}))
    return data_dir, first, second


def _page(client, path: str, snapshot_id: str | None = None):
    """Status, X-Snapshot-Id, Retry-After and visible text of a page as its router callback renders it."""
    headers = {SNAPSHOT_HEADER: snapshot_id} if snapshot_id else {}
    with client.post("/_dash-update-component", json=router_body(path), headers=headers) as response:
        text = text_of(response.get_json()["response"]["_pages_content"]["children"]) if response.is_json else ""
        return response.status_code, response.headers.get(SNAPSHOT_HEADER), response.headers.get("Retry-After"), text


def _a_candidate(snapshot) -> tuple[str, str]:
    return duckdb.sql(
        f"SELECT candidate_id, name FROM read_parquet('{snapshot / 'candidates.parquet'}') WHERE cycle = 2024 LIMIT 1"
    ).fetchall()[0]


def test_every_answer_names_its_snapshot_and_the_shell_names_it_for_the_callbacks(two_snapshots):
    import app

    data_dir, first, _second = two_snapshots
    client = app.server.test_client()
    with client.get("/data") as shell:
        assert shell.headers[SNAPSHOT_HEADER] == first.name
        assert f'<meta name="snapshot-id" content="{first.name}">' in shell.get_data(as_text=True)
    for path in ("/api/v1/races/top", "/api/v1/races/top.csv", "/readyz"):
        with client.get(path) as response:
            assert response.status_code == 200 and response.headers[SNAPSHOT_HEADER] == first.name, path
    assert _page(client, "/data")[:2] == (200, first.name)
    with client.get("/healthz") as alive, client.get("/assets/snapshot_pin.js") as script:
        assert alive.status_code == 200 and script.status_code == 200
        assert SNAPSHOT_HEADER not in script.headers  # the same file whatever the snapshot


def test_a_callback_is_answered_from_its_pages_snapshot_after_the_server_moved_on(two_snapshots):
    import app

    data_dir, first, second = two_snapshots
    client = app.server.test_client()
    candidate_id, name = _a_candidate(first)
    publish(data_dir, second)  # this server moves on while a page built from `first` is open

    status, served, _retry, text = _page(client, f"/candidate/{candidate_id}", first.name)
    assert (status, served) == (200, first.name)
    assert name in text and RENAMED not in text and first.name in text  # the page's data and footer
    status, served, _retry, text = _page(client, f"/candidate/{candidate_id}")  # a new page load
    assert (status, served) == (200, second.name) and f"{RENAMED} {name}" in text

    shutil.rmtree(first)  # pruned: the page is old, it gets the newest data and says which
    status, served, _retry, text = _page(client, f"/candidate/{candidate_id}", first.name)
    assert (status, served) == (200, second.name) and RENAMED in text
    for odd in (
        "../snapshots",
        "x" * 65,
        "current",
        "",
        first.name + "/..",
        "99999999T999999999",
    ):  # never a folder outside snapshots/, never a failure
        assert _page(client, "/data", odd)[:2] == (200, second.name), odd


def test_a_server_behind_sends_a_newer_pages_callback_elsewhere(two_snapshots):
    """A page built by a server already on a newer snapshot: this one has not received it, so it answers 503
    (the load balancer retries another server, devtools/load_balancer.py) rather than mix two snapshots."""
    import app

    data_dir, first, second = two_snapshots
    newer = later_id(second.name, 60)
    status, served, retry_after, _text = _page(app.server.test_client(), "/data", newer)
    assert (status, retry_after) == (503, "1") and served is None
    with app.server.test_client().get("/api/v1/races/top", headers={SNAPSHOT_HEADER: newer}) as response:
        assert response.status_code == 503 and newer in response.get_json()["error"]


def test_before_its_first_snapshot_a_server_is_alive_not_ready_and_answers_503(demo_builds, tmp_path, monkeypatch):
    """A follower started before its first sync: pages, callbacks and the API answer 503 with Retry-After and
    a plain message; /healthz says alive, /readyz not ready; the first snapshot is served with no restart."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    import app

    client = app.server.test_client()
    monkeypatch.setenv("SNAPSHOT_STORE_URL", "s3://snapshots/site")  # a follower: never reached, it has none
    for path in ("/", "/data", "/candidate/P00000001"):
        with client.get(path, headers={"Accept": "text/html"}) as page:
            assert page.status_code == 503 and page.headers["Retry-After"] == "10", path
            assert page.mimetype == "text/html" and "copying its first" in page.get_data(as_text=True)
            assert "/tmp" not in page.get_data(as_text=True)
    with client.post("/_dash-update-component", json=router_body("/data")) as callback:
        assert callback.status_code == 503 and callback.headers["Retry-After"] == "10"
    with client.get("/api/v1/races/top") as api:
        assert api.status_code == 503 and api.headers["Retry-After"] == "10"
        assert api.get_json()["status"] == 503 and "No data snapshot" in api.get_json()["error"]
    with client.get("/healthz") as alive, client.get("/readyz") as ready:
        assert alive.status_code == 200 and alive.get_json()["status"] == "alive"
        assert ready.status_code == 503 and ready.get_json()["status"] == "no_snapshot"

    source = demo_builds.built()  # the first sync: a snapshot and `current` appear
    snapshot = layout.snapshots_dir(data_dir) / (source / "current").resolve().name
    shutil.copytree((source / "current").resolve(), snapshot)
    publish(data_dir, snapshot)
    with client.get("/data") as page, client.get("/readyz") as ready:
        assert page.status_code == 200 and page.headers[SNAPSHOT_HEADER] == snapshot.name
        assert ready.status_code == 200
    assert re.fullmatch(r"\d{8}T\d{9}Z", snapshot.name)


@pytest.mark.parametrize("path", ["/assets/style.css", "/_favicon.ico"])
def test_static_files_need_no_snapshot(tmp_path, monkeypatch, path):
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    import app

    with app.server.test_client().get(path) as response:
        assert response.status_code == 200 and SNAPSHOT_HEADER not in response.headers
