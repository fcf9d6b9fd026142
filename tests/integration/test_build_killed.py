"""A build killed midway (SIGKILL to `python -m dashboard build`) leaves what is served untouched,
and the next build succeeds with the same extracts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.store.snapshots import current_snapshot
from tests.conftest import make_demo, snapshot_digest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_a_build_killed_midway_changes_nothing_and_the_next_one_succeeds(tmp_path: Path):
    # Its own build, big enough to be caught halfway (used by no other test, so not from DemoBuilds).
    data_dir = make_demo(tmp_path / "data", rows=250_000)
    before = current_snapshot(data_dir)
    digest = snapshot_digest(before)
    env = {**os.environ, "DATA_CACHE_DIR": str(data_dir), "DUCKDB_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "build"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
    assert snapshot_digest(data_dir / "current") == {k: v for k, v in digest.items()}, (
        "a rebuild from the same raw data gives the same extracts"
    )
    assert manifest["snapshot_id"] != before.name
