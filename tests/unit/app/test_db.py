"""The per-process DuckDB over `current`: views, manifest, swaps, threads, timeouts, forks."""

from __future__ import annotations

import json
import os
import shutil
import threading

import flask
import pytest

from dashboard.app import db
from dashboard.core import contract
from dashboard.store import checksums


@pytest.fixture
def two_snapshots(small_snapshot, tmp_path, monkeypatch):
    """A data dir of our own with two copies of the small snapshot, `current` on the first."""
    source = (small_snapshot / "current").resolve()
    for name in ("first", "second"):
        shutil.copytree(source, tmp_path / "snapshots" / name)
        manifest_path = tmp_path / "snapshots" / name / "manifest.json"
        manifest = json.loads(manifest_path.read_text())
        manifest["snapshot_id"] = name
        manifest_path.write_text(json.dumps(manifest))
    os.symlink("snapshots/first", tmp_path / "current")
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    return tmp_path


def restamp(snapshot):
    manifest = json.loads((snapshot / "manifest.json").read_text())
    manifest["files"] = checksums.inventory(snapshot)
    (snapshot / "manifest.json").write_text(json.dumps(manifest))


def point_current_at(data_dir, name):
    """Publish the way the builder does: a new symlink renamed over the old one."""
    os.symlink(f"snapshots/{name}", data_dir / "current.new")
    os.replace(data_dir / "current.new", data_dir / "current")


def test_every_extract_is_a_view(small_snapshot):
    views = set(db.query("SELECT view_name FROM duckdb_views() WHERE NOT internal").view_name)
    assert set(contract.extract_names()) <= views


def test_receipts_view_reads_the_hive_partitions(small_snapshot):
    found = db.query("SELECT DISTINCT cycle FROM receipts ORDER BY cycle")
    assert found.cycle.tolist() == db.manifest()["cycles"]
    assert db.query("SELECT count(*) AS n FROM receipts").n[0] == db.manifest()["row_counts"]["receipts"]


def test_parameters_are_bound(small_snapshot):
    frame = db.query("SELECT count(*) AS n FROM candidates WHERE cycle = ? AND office = ?", [2024, "S"])
    assert frame.n[0] > 0


def test_no_snapshot_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_CACHE_DIR", str(tmp_path))
    assert not db.has_snapshot()
    with pytest.raises(db.NoSnapshotError, match="python -m dashboard demo"):
        db.query("SELECT 1")
    with pytest.raises(db.NoSnapshotError):
        db.manifest()


def test_a_new_publish_is_picked_up_without_restart(two_snapshots):
    assert db.manifest()["snapshot_id"] == "first"
    before = db.query("SELECT count(*) AS n FROM candidates").n[0]
    # The second snapshot loses a table's rows, so the views must really have moved.
    second = two_snapshots / "snapshots" / "second"
    db_rows = db.query("SELECT * FROM candidates WHERE office = 'S'")
    db_rows.to_parquet(second / "candidates.parquet")
    restamp(second)  # as a publish records it: sizes and checksums of the files as they are now
    point_current_at(two_snapshots, "second")
    assert db.manifest()["snapshot_id"] == "second"
    assert db.query("SELECT count(*) AS n FROM candidates").n[0] == len(db_rows) < before
    assert str(db.snapshot_dir()).endswith("second")


def test_threads_each_get_a_cursor(small_snapshot):
    errors, results = [], []

    def work():
        try:
            for _ in range(20):
                results.append(int(db.query("SELECT count(*) AS n FROM committees").n[0]))
        except Exception as exc:  # collected and reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(set(results)) == 1 and len(results) == 120


def test_slow_queries_are_cancelled(small_snapshot, monkeypatch):
    monkeypatch.setenv("QUERY_TIMEOUT_MS", "100")
    with pytest.raises(db.QueryTimeoutError, match="QUERY_TIMEOUT_MS"):
        db.query("SELECT count(*) FROM range(100000000000) AS a(x) WHERE x % 7 = 3")
    # The cursor is still usable, and a late timer does not hit the next query.
    assert db.query("SELECT 42 AS answer").answer[0] == 42


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_opens_its_own_database(small_snapshot):
    db.query("SELECT 1")  # the parent has a database now, as gunicorn's master would not
    pid = os.fork()
    if pid == 0:  # the child: exit code says whether its query worked on a fresh database
        try:
            ok = db.query("SELECT count(*) AS n FROM candidates").n[0] > 0
            ok = ok and db._database.pid == os.getpid()
            os._exit(0 if ok else 1)
        except BaseException:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_query_once_runs_a_query_once_per_request_and_gives_copies(small_snapshot):
    # random() tells a query that ran again from an answer given again
    sql = "SELECT random() AS r, count(*) AS n FROM candidates WHERE cycle = ?"
    with flask.Flask("once").test_request_context("/"):
        first = db.query_once(sql, [2024])
        first["added"] = 1  # what a caller does to its answer does not reach the next one
        again = db.query_once(sql, [2024])
        assert again["r"][0] == first["r"][0] and "added" not in again
        assert db.query_once(sql, [2022])["r"][0] != first["r"][0]  # other values, another answer
        assert db.query(sql, [2024])["r"][0] != first["r"][0]  # `query` runs it again
    with flask.Flask("once").test_request_context("/"):
        assert db.query_once(sql, [2024])["r"][0] != first["r"][0]  # a new request asks anew


@db.kept_per_snapshot
def _drawn_at_random(cycle: int):
    # random() tells an answer kept from one computed again
    return db.query("SELECT random() AS r, count(*) AS n FROM candidates WHERE cycle = ?", [cycle])


def test_kept_per_snapshot_answers_are_kept_per_snapshot_and_arguments_and_given_as_copies(two_snapshots):
    first = _drawn_at_random(2024)
    first["added"] = 1  # what a caller does to its answer does not reach the next one
    again = _drawn_at_random(2024)
    assert again["r"][0] == first["r"][0] and "added" not in again
    assert _drawn_at_random(2022)["r"][0] != first["r"][0]  # other arguments, another answer
    point_current_at(two_snapshots, "second")
    assert _drawn_at_random(2024)["r"][0] != first["r"][0]  # another snapshot, another answer
    db.forget_kept_answers()
    point_current_at(two_snapshots, "first")
    assert _drawn_at_random(2024)["r"][0] != first["r"][0]  # forgotten: computed again
