"""`python -m dashboard` commands run as a user runs them, in a process of their own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.core import config, contract
from dashboard.store.snapshots import current_snapshot

ROOT = Path(__file__).resolve().parents[2]


def test_config_command_masks_secrets():
    env = {"FEC_API_KEY": "abcdef0123456789secret", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "config"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "abcdef0123456789secret" not in out
    assert "FEC_API_KEY" in out and "ab" in out
    for setting in config.SETTINGS:
        assert setting.name in out and setting.help in out


@pytest.mark.slow
def test_demo_if_missing_rebuilds_a_snapshot_of_an_older_schema_from_raw_data(tmp_path: Path, demo_builds):
    published = demo_builds.copy(tmp_path / "data", rows=20_000)
    old = current_snapshot(published)
    manifest_path = old / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["schema_version"] = contract.SCHEMA_VERSION - 1
    manifest_path.write_text(json.dumps(manifest))
    raw_files = {p: p.stat().st_mtime_ns for p in (published / "raw").glob("**/*.parquet")}
    env = {**os.environ, "DATA_CACHE_DIR": str(published)}
    subprocess.run(
        [sys.executable, "-m", "dashboard", "demo", "--if-missing"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    new = current_snapshot(published)
    assert new != old
    rebuilt = json.loads((new / "manifest.json").read_text())
    assert rebuilt["schema_version"] == contract.SCHEMA_VERSION
    assert rebuilt["source"] == "demo" and rebuilt["demo"] == manifest["demo"]
    assert {p: p.stat().st_mtime_ns for p in raw_files} == raw_files  # rebuilt, not regenerated
    # and a current snapshot is left alone
    subprocess.run(
        [sys.executable, "-m", "dashboard", "demo", "--if-missing"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    assert current_snapshot(published) == new
