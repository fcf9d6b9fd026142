"""Build a snapshot from the raw store, validate it, and publish it atomically.

Layout under the data directory:
    raw/                      what sources wrote
    snapshots/<id>.partial/   a build in progress (never served; removed by the next build)
    snapshots/<id>/           a published, immutable snapshot with manifest.json
    current -> snapshots/<id> the snapshot being served (a symlink replaced with os.replace)

A build that fails or is killed at any point leaves `current` pointing at the last good snapshot.
"""
from __future__ import annotations

import json
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from dashboard import config, contract, locks
from dashboard.build.changes import record_changes
from dashboard.build.extracts import build_extracts
from dashboard.build.validation import validate_snapshot


class BuildError(RuntimeError):
    """A build could not finish; the message says why and what to do."""


def build_lock(data_dir: Path):
    """Only one build or refresh writes snapshots at a time."""
    return locks.exclusive(Path(data_dir) / ".build.lock", BuildError(
        "another build or refresh is running on this data directory; wait for it to finish"))


def current_snapshot(data_dir: Path) -> Path | None:
    link = data_dir / "current"
    if not link.exists():
        return None
    return link.resolve()


def read_manifest(snapshot: Path) -> dict:
    return json.loads((snapshot / "manifest.json").read_text())


def new_snapshot_id() -> str:
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"


def build_and_publish(data_dir: Path, source: str, progress=None, extra_manifest: dict | None = None) -> dict:
    """Build every extract from data_dir/raw, validate, publish; returns the new manifest."""
    progress = progress or (lambda msg: None)
    data_dir = Path(data_dir).resolve()
    raw_dir = data_dir / "raw"
    if not raw_dir.is_dir():
        raise BuildError(f"no raw data in {raw_dir}; run `python -m dashboard demo` (or a refresh) first")
    snapshots = data_dir / "snapshots"
    with build_lock(data_dir):
        snapshots.mkdir(exist_ok=True)
        for stale in snapshots.glob("*.partial"):
            shutil.rmtree(stale, ignore_errors=True)  # left by a killed build; never published
        snapshot_id = new_snapshot_id()
        partial = snapshots / f"{snapshot_id}.partial"
        partial.mkdir()
        started = time.monotonic()
        try:
            con = duckdb.connect()
            con.execute(f"SET memory_limit = '{_safe_size(config.get('DUCKDB_MEMORY_LIMIT'))}'")
            con.execute(f"SET threads = {int(config.get('DUCKDB_THREADS'))}")
            con.execute("SET temp_directory = ?", [str(data_dir / "tmp")])
            con.execute("SET preserve_insertion_order = false")
            raw_counts = build_extracts(con, raw_dir, partial, progress)
            facts = validate_snapshot(con, partial, skip=contract.CHANGE_EXTRACTS)
            # `current` still points at the snapshot this one replaces.
            changes, change_counts = record_changes(con, current_snapshot(data_dir), partial, source, progress)
            facts["row_counts"].update(change_counts)
            con.close()
        except BuildError:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        except Exception as exc:
            shutil.rmtree(partial, ignore_errors=True)
            raise BuildError(f"build failed, the previous snapshot keeps serving: {exc}") from exc
        manifest = {
            "snapshot_id": snapshot_id,
            "schema_version": contract.SCHEMA_VERSION,
            "source": source,
            "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "build_seconds": round(time.monotonic() - started, 2),
            "cycles": facts["cycles"],
            "coverage_end": facts["coverage_end"],
            "row_counts": facts["row_counts"],
            "raw_row_counts": raw_counts,
            "changes": changes,
            **(extra_manifest or {}),
        }
        (partial / "manifest.json").write_text(json.dumps(manifest, indent=2, default=str) + "\n")
        final = snapshots / snapshot_id
        os.rename(partial, final)
        _point_current_at(data_dir, final)
        _prune(snapshots, keep=config.get("SNAPSHOTS_KEPT"), serving=final)
        progress(f"published snapshot {snapshot_id}")
        return manifest


def _point_current_at(data_dir: Path, snapshot: Path) -> None:
    """Swap `current` in one step: readers see the old snapshot or the new one, never neither."""
    tmp = data_dir / f".current.{snapshot.name}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(snapshot, data_dir), tmp)
    os.replace(tmp, data_dir / "current")


def _prune(snapshots: Path, keep: int, serving: Path) -> None:
    published = sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.endswith(".partial"))
    for old in published[:-max(keep, 1)]:
        if old != serving:
            shutil.rmtree(old, ignore_errors=True)


def _safe_size(text: str) -> str:
    """DUCKDB_MEMORY_LIMIT goes into a SET statement, so accept only sizes like 4GB or 512MB."""
    import re
    if not re.fullmatch(r"\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)", text.strip(), re.IGNORECASE):
        raise BuildError(f"DUCKDB_MEMORY_LIMIT={text!r} is not a size like 4GB or 512MB")
    return text.strip()
