"""Writes into the data directory that readers never see half done: a temporary name, then
os.replace (atomic on one file system)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.store import layout

log = logging.getLogger(__name__)


def _temporary_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def write_json(path: Path, value, indent: int | None = 1, compact: bool = False) -> str:
    """Readers see the old file or the new one, never a part of one. `compact` leaves out every
    space and the final newline (the boundary GeoJSON, which indenting would make several
    times bigger). Returns the sha256 of the bytes written, for manifests that list checksums."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if compact:
        data = json.dumps(value, separators=(",", ":"), default=str).encode()
    else:
        data = (json.dumps(value, indent=indent, default=str) + "\n").encode()
    tmp = _temporary_beside(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return hashlib.sha256(data).hexdigest()


def sha256(path: Path) -> str:
    """The file's sha256 (hex), read in 1 MB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_json(path: Path, default):
    """The file's value; `default` when it is missing or damaged (a damaged file is logged)."""
    try:
        return json.loads(Path(path).read_text())
    except FileNotFoundError:
        return default
    except ValueError:
        log.warning("%s is damaged; starting from scratch", path)
        return default


def write_parquet(table: pa.Table, path: Path) -> None:
    """Readers (the builder globs *.parquet) see the whole file or none of it, even after a
    power cut (the data is on disk before the rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary_beside(path)
    try:
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def remove_demo_raw(data_dir: Path) -> int:
    """Delete the demo generator's raw files, and only those (layout.origin_of says whose a file
    is): before real data arrives, since a snapshot mixing invented and real filings would pass
    for real, and before the demo is generated again. Returns how many were removed."""
    demo_files = [p for p in layout.raw_dir(data_dir).glob("**/*.parquet") if layout.origin_of(p) == layout.DEMO]
    for path in demo_files:
        path.unlink()
    return len(demo_files)
