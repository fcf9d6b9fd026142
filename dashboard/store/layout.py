"""Where everything lives in the data directory: the one place that knows its layout.

    $DATA_CACHE_DIR/
      raw/<table>/...             what the pipeline's sources wrote (Parquet)
      snapshots/<id>.partial/     a build in progress (never served)
      snapshots/<id>/             a published, immutable snapshot: manifest.json and the extracts
      current -> snapshots/<id>   the snapshot being served (a symlink swapped with os.replace)
      refresh/                    the OpenFEC refresh's pending pages, state and status.json
      bulk/<cycle>/               a bulk load's staging and state
      geo/cd<congress>/           Census boundaries, simplified, with a manifest of checksums
      .build.lock, .refresh.lock  one writer at a time

The write side (dashboard.pipeline) writes these; the read side (dashboard.app) only reads them.
"""

from __future__ import annotations

import os
from pathlib import Path

from dashboard.core import config, contract
from dashboard.core.sql import quote_literal


def data_dir(override: Path | str | None = None) -> Path:
    """The data directory: `override` when given, else DATA_CACHE_DIR."""
    return Path(override) if override is not None else config.data_dir()


def raw_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "raw"


def snapshots_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "snapshots"


def current_link(data_dir: Path) -> Path:
    return Path(data_dir) / "current"


def refresh_dir(data_dir: Path) -> Path:
    return Path(data_dir) / "refresh"


def refresh_status_path(data_dir: Path) -> Path:
    return refresh_dir(data_dir) / "status.json"


def bulk_dir(data_dir: Path, cycle: int) -> Path:
    return Path(data_dir) / "bulk" / str(cycle)


def geo_dir(data_dir: Path | None = None) -> Path:
    return (Path(data_dir) if data_dir is not None else config.data_dir()) / "geo"


def congress_dir(congress: int, data_dir: Path | None = None) -> Path:
    return geo_dir(data_dir) / f"cd{int(congress)}"


def build_lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / ".build.lock"


def refresh_lock_path(data_dir: Path) -> Path:
    return Path(data_dir) / ".refresh.lock"


MANIFEST = "manifest.json"


def manifest_path(snapshot: Path) -> Path:
    return Path(snapshot) / MANIFEST


def extract_path(snapshot: Path, name: str) -> Path:
    """Where an extract lives in a snapshot: `<name>.parquet`, or the folder `<name>/` of
    hive-partitioned files for the extracts the contract marks as folders."""
    return Path(snapshot) / (name if is_partitioned(name) else f"{name}.parquet")


def is_partitioned(name: str) -> bool:
    return f"{name}/" in contract.EXTRACTS


def extract_reader(snapshot: Path, name: str) -> str:
    """The DuckDB table function reading one extract of a snapshot (`cycle` of a partitioned
    extract comes from its folder names, typed as the contract says)."""
    path = extract_path(snapshot, name)
    if is_partitioned(name):
        pattern = quote_literal(os.path.join(path, "**", "*.parquet"))
        return f"read_parquet({pattern}, hive_partitioning = true, hive_types = {{'cycle': INTEGER}})"
    return f"read_parquet({quote_literal(path)})"


def extract_exists(snapshot: Path, name: str) -> bool:
    path = extract_path(snapshot, name)
    return path.is_dir() if is_partitioned(name) else path.is_file()
