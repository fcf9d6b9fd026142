"""Publishing is atomic: a failed, killed or concurrent build never disturbs what is served."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from dashboard.pipeline.builder.publish import BuildError, build_and_publish, build_lock
from dashboard.store.snapshots import current_snapshot
from dashboard.pipeline import demo
from tests.conftest import make_demo

ROOT = Path(__file__).resolve().parents[3]


def snapshot_digest(snapshot: Path) -> dict:
    """Row count and a content hash of every extract of a snapshot."""
    con = duckdb.connect()
    digests = {}
    for f in sorted(snapshot.glob("**/*.parquet")):
        digests[str(f.relative_to(snapshot))] = con.execute(
            f"SELECT count(*), sum(hash(COLUMNS(*))) FROM read_parquet('{f}')").fetchall()[0]
    return digests


@pytest.fixture
def published(tmp_path: Path) -> Path:
    return make_demo(tmp_path / "data", rows=20_000)


def test_publish_swaps_current_and_keeps_the_last_three(published: Path, monkeypatch):
    monkeypatch.delenv("SNAPSHOTS_KEPT", raising=False)
    first = current_snapshot(published)
    assert (published / "current").is_symlink()
    assert not os.path.isabs(os.readlink(published / "current"))  # the data folder can move
    seen = [first.name]
    for _ in range(3):
        seen.append(build_and_publish(published, source="demo")["snapshot_id"])
    kept = sorted(p.name for p in (published / "snapshots").iterdir())
    assert kept == seen[-3:]
    assert current_snapshot(published).name == seen[-1]
    manifest = json.loads((published / "current" / "manifest.json").read_text())
    assert manifest["source"] == "demo" and manifest["cycles"] == list(demo.CYCLES)
    assert manifest["coverage_end"]["2026"] == demo.AS_OF.isoformat()
    assert manifest["row_counts"]["receipts"] > 0


def test_a_failing_build_leaves_the_previous_snapshot_serving(published: Path):
    before = current_snapshot(published)
    digest = snapshot_digest(before)
    bad = published / "raw" / "schedule_a" / "cycle=2024" / "broken.parquet"
    bad.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(BuildError, match="previous snapshot keeps serving"):
        build_and_publish(published, source="demo")
    assert current_snapshot(published) == before
    assert snapshot_digest(before) == digest
    assert not list((published / "snapshots").glob("*.partial"))


def test_a_build_killed_midway_changes_nothing_and_the_next_one_succeeds(tmp_path: Path):
    data_dir = make_demo(tmp_path / "data", rows=250_000)
    before = current_snapshot(data_dir)
    digest = snapshot_digest(before)
    env = {**os.environ, "DATA_CACHE_DIR": str(data_dir), "DUCKDB_THREADS": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "dashboard", "build"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    partial = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        found = list((data_dir / "snapshots").glob("*.partial/candidate_totals.parquet"))
        if found:
            partial = found[0].parent
            break
        time.sleep(0.005)
    assert partial is not None, "the build finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert partial.exists()  # half a snapshot was on disk...
    assert current_snapshot(data_dir) == before  # ...and it was never served
    assert snapshot_digest(before) == digest
    manifest = build_and_publish(data_dir, source="demo")
    assert not partial.exists()
    assert snapshot_digest(data_dir / "current") == {
        k: v for k, v in digest.items()}, "a rebuild from the same raw data gives the same extracts"
    assert manifest["snapshot_id"] != before.name


def test_two_builds_never_run_at_once(published: Path):
    with build_lock(published):
        with pytest.raises(BuildError, match="another build"):
            build_and_publish(published, source="demo")


def test_no_raw_data_is_a_clear_error(tmp_path: Path):
    with pytest.raises(BuildError, match="python -m dashboard demo"):
        build_and_publish(tmp_path, source="demo")


def test_serving_rebuilds_a_snapshot_of_an_older_schema_from_raw_data(published: Path):
    from dashboard.core import contract

    old = current_snapshot(published)
    manifest_path = old / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["schema_version"] = contract.SCHEMA_VERSION - 1
    manifest_path.write_text(json.dumps(manifest))
    raw_files = {p: p.stat().st_mtime_ns for p in (published / "raw").glob("**/*.parquet")}
    env = {**os.environ, "DATA_CACHE_DIR": str(published)}
    subprocess.run([sys.executable, "-m", "dashboard", "demo", "--if-missing"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    new = current_snapshot(published)
    assert new != old
    rebuilt = json.loads((new / "manifest.json").read_text())
    assert rebuilt["schema_version"] == contract.SCHEMA_VERSION
    assert rebuilt["source"] == "demo" and rebuilt["demo"] == manifest["demo"]
    assert {p: p.stat().st_mtime_ns for p in raw_files} == raw_files  # rebuilt, not regenerated
    # and a current snapshot is left alone
    subprocess.run([sys.executable, "-m", "dashboard", "demo", "--if-missing"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    assert current_snapshot(published) == new
