"""Loud damage: a published snapshot damaged afterwards (a partition deleted, a file truncated, the
manifest garbled) is reported on /readyz, the data page, the API and `python -m dashboard status`,
never answered from ("0 contributions"). A snapshot without checksums keeps serving, unverified."""

from __future__ import annotations

import json

import pytest

from dashboard.pipeline import cli
from dashboard.store import checksums, files, layout
from devtools.pages_router import router_body
from tests.integration.test_app_routes import text_of


@pytest.fixture
def served(demo_builds, tmp_path, monkeypatch):
    """A writable copy of the small demo (data dir, snapshot folder) that the app serves."""
    data_dir = demo_builds.copy(tmp_path / "data")
    monkeypatch.setenv("DATA_CACHE_DIR", str(data_dir))
    return data_dir, (data_dir / "current").resolve()


@pytest.fixture
def client(served):
    import app  # imported only once DATA_CACHE_DIR points at a snapshot

    return app.server.test_client()


def answer(client, path: str) -> tuple[int, dict | str]:
    """Status and JSON (or text) of a GET, the response closed (a streamed answer left open counts
    as a request in progress)."""
    with client.get(path) as response:
        return response.status_code, response.get_json(silent=True) or response.get_data(as_text=True)


def page_text(client, path: str, search: str = "") -> str:
    """The visible text of a page as the pages router renders it (tests/integration/test_app_routes.py)."""
    body = router_body(path, search)
    with client.post("/_dash-update-component", json=body) as response:
        assert response.status_code == 200, response.data[:500]
        return text_of(response.get_json()["response"]["_pages_content"]["children"])


def test_publish_records_every_file_with_its_size_and_sha256(served):
    _data_dir, snapshot = served
    recorded = json.loads(layout.manifest_path(snapshot).read_text())[checksums.FILES_KEY]
    on_disk = {p.relative_to(snapshot).as_posix() for p in snapshot.rglob("*") if p.is_file()}
    assert set(recorded) == on_disk - {layout.MANIFEST}
    assert layout.SEARCH_INDEX in recorded and any(name.startswith("receipts/cycle=") for name in recorded)
    for name, entry in recorded.items():
        assert entry["bytes"] == (snapshot / name).stat().st_size
    assert recorded["candidates.parquet"]["sha256"] == files.sha256(snapshot / "candidates.parquet")
    health = checksums.check(snapshot, full=True)
    assert health.ok and health.verified and health.hashed


def test_a_whole_snapshot_is_ready(client, served, capsys):
    assert answer(client, "/healthz") == (200, {"status": "alive"})
    status, ready = answer(client, "/readyz")
    assert status == 200 and ready["status"] == "ready" and ready["verified"] is True and ready["problems"] == []
    assert cli.main(["status"]) == 0
    count = len(checksums.check(served[1]).manifest[checksums.FILES_KEY])
    assert f"{count} files as published" in capsys.readouterr().out


def _delete_a_receipts_partition(snapshot):
    partition = sorted((snapshot / "receipts").glob("cycle=2024/*.parquet"))[0]
    partition.unlink()
    return partition.relative_to(snapshot).as_posix() + " is missing"


def _truncate_a_file(snapshot):
    path = snapshot / "candidates.parquet"
    with open(path, "r+b") as handle:
        handle.truncate(path.stat().st_size // 2)
    return "candidates.parquet has"


def _garble_the_manifest(snapshot):
    path = layout.manifest_path(snapshot)
    path.write_text(path.read_text()[:-40])
    return "manifest.json is unreadable"


@pytest.mark.parametrize("damage", [_delete_a_receipts_partition, _truncate_a_file, _garble_the_manifest])
def test_damage_is_reported_everywhere_and_never_answered_from(damage, client, served, capsys):
    data_dir, snapshot = served
    assert answer(client, "/api/v1/receipts?cycle=2024")[0] == 200  # the worker has opened it whole
    reason = damage(snapshot)

    status, ready = answer(client, "/readyz")  # looks again now, not in RECHECK_SECONDS
    assert status == 503 and ready["status"] == "damaged" and reason in ready["reason"]
    assert str(data_dir) not in json.dumps(ready)  # no absolute path in a public answer
    assert answer(client, "/healthz")[0] == 200  # alive all the same

    # Every answer says so instead of answering from what is left (a missing partition read as "0").
    status, receipts = answer(client, "/api/v1/receipts?cycle=2024")
    assert status == 503 and "damaged" in receipts["error"] and reason in receipts["error"]
    data_page = page_text(client, "/data")
    assert "Data unavailable" in data_page and reason in data_page and "damaged" in data_page
    receipts_page = page_text(client, "/receipts", "?cycle=2024")
    assert "Data unavailable" in receipts_page and "0 contributions" not in receipts_page

    assert cli.main(["status"]) == 2
    out = capsys.readouterr().out
    assert "DAMAGED" in out and reason in out


def test_a_file_rewritten_to_the_same_size_is_found_by_the_full_check(served, capsys):
    _data_dir, snapshot = served
    path = snapshot / "committees.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    assert cli.main(["status"]) == 0  # sizes alone cannot see it
    capsys.readouterr()
    assert cli.main(["status", "--verify"]) == 2
    assert "committees.parquet does not match its sha256" in capsys.readouterr().out


def test_a_snapshot_without_checksums_keeps_serving_unverified(client, served, capsys):
    _data_dir, snapshot = served
    manifest = json.loads(layout.manifest_path(snapshot).read_text())
    del manifest[checksums.FILES_KEY]
    layout.manifest_path(snapshot).write_text(json.dumps(manifest))
    status, ready = answer(client, "/readyz")
    assert status == 200 and ready["verified"] is False and "unverified" in ready["reason"]
    assert answer(client, "/api/v1/receipts?cycle=2024")[0] == 200
    assert cli.main(["status"]) == 0
    assert "unverified" in capsys.readouterr().out


def test_a_file_of_the_right_size_that_cannot_be_read_is_damage_too(client, served):
    _data_dir, snapshot = served
    path = snapshot / "candidates.parquet"
    data = path.read_bytes()
    path.write_bytes(data[:-8] + b"\0" * 8)  # its footer gone, its size unchanged
    status, ready = answer(client, "/readyz")
    assert status == 503 and "candidates.parquet could not be read" in ready["reason"]
    status, problem = answer(client, "/api/v1/races/top?cycle=2024")
    assert status == 503 and "candidates.parquet could not be read" in problem["error"]
