"""The answer cache's disk tier (dashboard/app/answer_cache.py, SharedAnswers): the workers of one server
share their answers in files under <data dir>/answers/, so each answer is computed once per server and
snapshot, and a restarted server starts with the answers of the snapshot it serves; a folder per
snapshot (and code and settings), removed once two newer ones were served; bounded in bytes."""

from __future__ import annotations

import json
import pathlib
import shutil
import time
import urllib.request

import pytest

from dashboard.app.answer_cache import Answer, SharedAnswers
from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.store import layout
from devtools.pages_router import router_body
from tests.e2e.conftest import serve_app

API = "/api/v1/races/top?cycle=2026&limit=6"


def _post(url: str, body: dict) -> tuple[dict, dict]:
    asked = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(asked, timeout=60) as answer:
        return dict(answer.headers), json.loads(answer.read())


def _folders(data_dir) -> list[str]:
    root = layout.answers_dir(data_dir)
    return sorted(entry.name for entry in root.iterdir()) if root.exists() else []


@pytest.mark.slow
def test_the_workers_of_a_server_share_answers_and_a_restarted_server_keeps_them(demo_builds, tmp_path):
    data_dir = demo_builds.copy(tmp_path / "data")
    page = router_body("/trends")
    with serve_app(data_dir, workers=2) as url:
        first_headers, first = _post(url + "/_dash-update-component", page)
        # Whichever of the two workers answers, the page is not computed again.
        again = [_post(url + "/_dash-update-component", page) for _ in range(12)]
    assert first_headers["X-Answer-Cache"] == "miss"
    assert [headers["X-Answer-Cache"] for headers, _ in again] == ["hit"] * 12
    assert all(answer == first for _, answer in again)
    assert len(_folders(data_dir)) == 1

    with serve_app(data_dir, workers=1) as url:
        headers, answer = _post(url + "/_dash-update-component", page)
    assert headers["X-Answer-Cache"] == "hit" and answer == first


def test_a_kept_answer_reads_back_as_written_and_only_for_its_version(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    shared = SharedAnswers(max_bytes=1 << 20)
    answer = Answer(200, b"\x1f\x8b gzipped bytes\n with a newline", (("Content-Type", "application/json"),), True)
    shared.put("s1:0-0", "ab" * 32, answer)
    assert shared.get("s1:0-0", "ab" * 32) == answer
    assert shared.get("s1:0-1", "ab" * 32) is None  # a file beside the snapshot changed
    assert shared.get("s2:0-0", "ab" * 32) is None  # another snapshot
    assert shared.get("s1:0-0", "cd" * 32) is None
    # Another server's code or settings: its own folder.
    other = SharedAnswers(max_bytes=1 << 20)
    other.code_and_settings = "another deploy"
    assert other.get("s1:0-0", "ab" * 32) is None
    # A damaged file is computed again, not served.
    (shared.folder("s1:0-0") / "ab" / ("ab" * 32)).write_bytes(b"not json\nbody")
    assert shared.get("s1:0-0", "ab" * 32) is None


def test_the_disk_tier_is_bounded_and_turns_itself_off_where_it_cannot_write(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    shared = SharedAnswers(max_bytes=2000)
    answer = Answer(200, b"x" * 900, ())
    for number in range(6):
        shared.put("s1:0", f"{number:02d}" + "0" * 62, answer)
    kept = [number for number in range(6) if shared.get("s1:0", f"{number:02d}" + "0" * 62)]
    assert kept == [0, 1, 2]  # the third passed the budget: nothing more is written
    # Another snapshot has a budget of its own.
    shared.put("s2:0", "aa" * 32, answer)
    assert shared.get("s2:0", "aa" * 32) == answer

    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "answers").write_text("a file where the folder should be")
    monkeypatch.setenv("DATA_CACHE_DIR", str(blocked))
    unwritable = SharedAnswers(max_bytes=1 << 20)
    unwritable.put("s1:0", "aa" * 32, answer)
    assert unwritable.broken and unwritable.get("s1:0", "aa" * 32) is None


def test_a_publish_leaves_the_answers_of_the_two_latest_snapshots_only(demo_builds, tmp_path, monkeypatch):
    import app  # imported only once DATA_CACHE_DIR points at a snapshot (the demo's)

    data_dir = demo_builds.copy(tmp_path / "data")
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    client = app.server.test_client()
    ids = []
    for _ in range(3):
        answer = client.get(API)
        ids.append(answer.get_json()["meta"]["snapshot_id"])
        assert answer.headers["X-Answer-Cache"] == "miss"
        assert any(name.startswith(ids[-1]) for name in _folders(data_dir))
        build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": 1}})
    client.get(API)  # the worker serves the third publish's snapshot now
    deadline = time.monotonic() + 10
    while any(name.startswith(ids[0]) for name in _folders(data_dir)) and time.monotonic() < deadline:
        time.sleep(0.05)  # removed by a thread
    folders = _folders(data_dir)
    assert not any(name.startswith(ids[0]) for name in folders), folders
    assert any(name.startswith(ids[2]) for name in folders), folders


def test_a_folder_removed_while_an_answer_is_written_leaves_the_disk_tier_on(tmp_path, monkeypatch):
    """A worker moving to a newer snapshot removes the older one's folder, maybe while another worker writes
    an answer there: that answer is not kept on disk, the next ones are."""
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    shared = SharedAnswers(max_bytes=1 << 20)
    answer = Answer(200, b"x" * 100, ())
    made = pathlib.Path.mkdir

    def made_then_removed(self, *args, **kwargs):
        made(self, *args, **kwargs)
        shutil.rmtree(shared.folder("s1:0"))

    with monkeypatch.context() as during_the_write:
        during_the_write.setattr(pathlib.Path, "mkdir", made_then_removed)
        shared.put("s1:0", "aa" * 32, answer)
    assert not shared.broken and shared.get("s1:0", "aa" * 32) is None
    shared.put("s1:0", "aa" * 32, answer)
    assert shared.get("s1:0", "aa" * 32) == answer
