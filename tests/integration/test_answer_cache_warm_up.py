"""The answer cache's warm-up (dashboard/app/answer_cache.py): after a publish, the answers most asked under
the previous snapshot are computed again in the background, so the next visitor asking one of them is
served from the cache without any request having computed it; costly searches are never replayed; one
computation per answer when several threads ask it at once."""

from __future__ import annotations

import json
import threading
import time
import urllib.request

import pytest

from dashboard.app.answer_cache import Demand, Replay
from dashboard.pipeline.builder.publish import build_and_publish
from devtools.pages_router import router_body
from tests.e2e.conftest import serve_app

POPULAR_API = "/api/v1/races/top?cycle=2026&limit=7"
RARE_API = "/api/v1/races/top?cycle=2026&limit=3"
COSTLY_API = "/api/v1/receipts?cycle=2026&limit=4"


@pytest.fixture(scope="module")
def server(small_snapshot):
    import app  # imported only once DATA_CACHE_DIR points at the snapshot

    return app.server


def test_the_most_asked_answers_are_warm_after_a_publish(server, demo_builds, tmp_path, monkeypatch):
    data_dir = demo_builds.copy(tmp_path / "data")
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    client = server.test_client()
    warm_up = server.extensions["answer_cache_warm_up"]
    for _ in range(3):
        before = client.get(POPULAR_API)
        page_before = client.post("/_dash-update-component", json=router_body("/trends"))
        assert client.get(COSTLY_API).status_code == 200
    assert before.headers["X-Answer-Cache"] == page_before.headers["X-Answer-Cache"] == "hit"

    manifest = build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": 1}})
    # The first request reading the new snapshot (any one) starts the warm-up; it computes its own answer.
    assert client.get(RARE_API).headers["X-Answer-Cache"] == "miss"
    assert warm_up.done.wait(60), "the warm-up did not end within a minute"

    after = client.get(POPULAR_API)
    assert after.status_code == 200
    assert after.headers["X-Answer-Cache"] == "hit"  # no visitor's request computed it: the warm-up did
    assert (
        after.get_json()["meta"]["snapshot_id"] == manifest["snapshot_id"] != before.get_json()["meta"]["snapshot_id"]
    )
    assert after.headers["ETag"] != before.headers["ETag"]
    page_after = client.post("/_dash-update-component", json=router_body("/trends"))
    assert page_after.headers["X-Answer-Cache"] == "hit"
    assert f"snapshot {manifest['snapshot_id']}" in json.dumps(page_after.get_json()["response"])
    # A costly search is never replayed (it would take a turn the visitors' searches need).
    assert client.get(COSTLY_API).headers["X-Answer-Cache"] == "miss"
    assert len(warm_up.warmed) >= 2


def test_a_request_waits_for_the_same_answer_being_computed_instead_of_computing_it_again(server):
    client = server.test_client()
    client.get("/api/v1/races/top?cycle=2026&limit=2")  # the snapshot is open in this worker
    barrier = threading.Barrier(4)
    statuses = []

    def ask():
        barrier.wait()
        answer = server.test_client().get("/api/v1/races/top?cycle=2026&limit=11")
        statuses.append((answer.status_code, answer.headers["X-Answer-Cache"], answer.get_data()))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(statuses) == 4 and {status for status, _, _ in statuses} == {200}
    assert len({body for _, _, body in statuses}) == 1
    # Computed once: the others were served the answer it kept (a thread arriving late is a hit too).
    assert sum(1 for _, cache, _ in statuses if cache == "miss") == 1


def test_demand_is_bounded_and_ranks_the_most_asked_first():
    demand = Demand(most=8)
    for number in range(8):
        for _ in range(number + 1):
            demand.count(f"k{number}", Replay(f"/p{number}"))
    assert len(demand) == 8
    demand.count("new", Replay("/new"))  # one more than it keeps: the less asked half goes
    assert len(demand) == 5
    ranked = demand.most_asked(3)
    assert [key for key, _ in ranked] == ["k7", "k6", "k5"]
    assert ranked[0][1].path == "/p7"
    assert len(demand) == 0  # counted afresh for the new snapshot


def _get(url: str, headers: dict | None = None) -> tuple[dict, dict]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as answer:
        return dict(answer.headers), json.loads(answer.read())


def _post(url: str, body: dict) -> tuple[dict, dict]:
    asked = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(asked, timeout=30) as answer:
        return dict(answer.headers), json.loads(answer.read())


@pytest.mark.slow
def test_gunicorn_workers_serve_the_previous_snapshot_until_warm_for_the_new_one(demo_builds, tmp_path):
    """The publish's wake: each worker watches `current` (gunicorn.conf.py) and, on a new snapshot, keeps
    answering requests naming none from the one it served (and its kept answers) while it computes the most
    asked answers of the new one; then it adopts the new one, whose popular answers are already kept: no
    visitor's request computes one, none waits for one."""
    data_dir = demo_builds.copy(tmp_path / "data")
    with serve_app(data_dir, workers=1) as url:
        for _ in range(3):
            headers, before = _get(url + POPULAR_API)
            _post(url + "/_dash-update-component", router_body("/trends"))
        assert headers["X-Answer-Cache"] == "hit"
        old_id = before["meta"]["snapshot_id"]
        assert headers["X-Snapshot-Id"] == old_id

        manifest = build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": 1}})
        new_id = manifest["snapshot_id"]
        answers = []  # (X-Snapshot-Id, X-Answer-Cache, the answer's own snapshot id) of each request, in turn
        deadline = time.monotonic() + 60
        while not answers or answers[-1][0] != new_id:
            assert time.monotonic() < deadline, (answers[-5:], (data_dir / "gunicorn.log").read_text()[-2000:])
            headers, answer = _get(url + POPULAR_API)
            answers.append((headers["X-Snapshot-Id"], headers["X-Answer-Cache"], answer["meta"]["snapshot_id"]))
            time.sleep(0.02)
        page_headers, page = _post(url + "/_dash-update-component", router_body("/trends"))
        # A page of the previous snapshot still reads it (its callbacks name it), while it is on disk.
        _, pinned = _get(url + POPULAR_API, {"X-Snapshot-Id": old_id})
        log = (data_dir / "gunicorn.log").read_text()

    held = answers[:-1]
    assert held, "the first request after the publish already read the new snapshot"
    # Until the adoption: the previous snapshot, from the kept answers (no request computed anything).
    assert all(answer == (old_id, "hit", old_id) for answer in held), held
    # Then the new one, its popular answers computed by the warm-up before any request asked them.
    assert answers[-1] == (new_id, "hit", new_id)
    assert f"snapshot {new_id} adopted (warm)" in log
    assert page_headers["X-Snapshot-Id"] == new_id and page_headers["X-Answer-Cache"] == "hit"
    assert f"snapshot {new_id}" in json.dumps(page["response"])
    assert pinned["meta"]["snapshot_id"] == old_id


@pytest.mark.slow
def test_gunicorn_workers_read_a_new_snapshot_at_once_without_an_adoption_delay(demo_builds, tmp_path, monkeypatch):
    """ANSWER_CACHE_WARM_UP_SECONDS=0: the first request after a publish reads the new snapshot, as before."""
    monkeypatch.setenv("ANSWER_CACHE_WARM_UP_SECONDS", "0")
    data_dir = demo_builds.copy(tmp_path / "data")
    with serve_app(data_dir, workers=1) as url:
        for _ in range(3):
            _get(url + POPULAR_API)
        manifest = build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": 1}})
        headers, after = _get(url + POPULAR_API)
    assert headers["X-Snapshot-Id"] == after["meta"]["snapshot_id"] == manifest["snapshot_id"]
