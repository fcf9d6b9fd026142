"""`make loadtest` in miniature: the suite's script runs its mixed phase for 2 seconds with 4 clients
against gunicorn over a small demo snapshot, and every kind of request is answered without an error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_load_suite_runs_and_writes_its_figures(demo_builds, tmp_path):
    data_dir = demo_builds.copy(tmp_path / "data")
    output = tmp_path / "loadtest.json"
    subprocess.run(
        [sys.executable, "-m", "bench.loadtest", "--data-dir", str(data_dir), "--phases", "mixed_cache_on"]
        + ["--seconds", "2", "--warm", "0", "--clients", "4", "--output", str(output)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )
    figures = json.loads(output.read_text())["mixed_cache_on"]
    for name in ("map switch", "race page", "api"):
        assert figures[name]["requests"] > 0, name
        assert figures[name]["failures"] == 0, (name, figures["_errors"])
    assert figures["_cache_hits"] == "on"
    assert "map switch" in output.with_suffix(".txt").read_text()
