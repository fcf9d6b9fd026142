"""Shared fixtures: small demo snapshots built by the real generator and builder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from dashboard.pipeline.builder.publish import build_and_publish
from dashboard.pipeline import demo

SMALL_ROWS = 60_000
SMALL_SEED = 11


def make_demo(data_dir: Path, rows: int = SMALL_ROWS, seed: int = SMALL_SEED) -> Path:
    demo.generate(data_dir, rows=rows, seed=seed)
    build_and_publish(data_dir, source="demo", extra_manifest={"demo": {"rows": rows, "seed": seed}})
    return data_dir


@pytest.fixture(scope="session")
def small_snapshot(tmp_path_factory) -> Path:
    """A published demo snapshot (read-only for tests); DATA_CACHE_DIR points at it."""
    data_dir = make_demo(tmp_path_factory.mktemp("small-demo"))
    os.environ["DATA_CACHE_DIR"] = str(data_dir)
    return data_dir
