"""Publishing is atomic: a failed or concurrent build never disturbs what is served.
(A killed build: tests/integration/test_build_killed.py.)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from dashboard.pipeline import demo
from dashboard.pipeline.builder.publish import BuildError, build_and_publish, build_lock
from dashboard.store.snapshots import current_snapshot
from tests.conftest import snapshot_digest


@pytest.fixture
def published(tmp_path: Path, demo_builds) -> Path:
    return demo_builds.copy(tmp_path / "data", rows=20_000)


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


def test_two_builds_never_run_at_once(published: Path):
    with build_lock(published):
        with pytest.raises(BuildError, match="another build"):
            build_and_publish(published, source="demo")


def test_no_raw_data_is_a_clear_error(tmp_path: Path):
    with pytest.raises(BuildError, match="python -m dashboard demo"):
        build_and_publish(tmp_path, source="demo")
