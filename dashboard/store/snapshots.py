"""Published snapshots: which one is current, their manifests, and the atomic swap.

A snapshot is written completely under `snapshots/<id>.partial/`, renamed to `snapshots/<id>/`
and only then pointed at by `current` (a symlink replaced with os.replace), so readers see the
old snapshot or the new one, never neither and never a half-written one.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from dashboard.store import checksums, files, layout


def current_snapshot(data_dir: Path) -> Path | None:
    """The folder `current` points to, or None when nothing has been published."""
    link = layout.current_link(data_dir)
    if not link.exists():
        return None
    return link.resolve()


def read_manifest(snapshot: Path) -> dict:
    return json.loads(layout.manifest_path(snapshot).read_text())


def new_snapshot_id() -> str:
    """A sortable id from the time, to the millisecond (never reused by a later build)."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%S") + f"{now.microsecond // 1000:03d}Z"


def start_partial(data_dir: Path, snapshot_id: str) -> Path:
    """A new, empty folder to build a snapshot in; clears what killed builds left behind."""
    snapshots = layout.snapshots_dir(data_dir)
    snapshots.mkdir(parents=True, exist_ok=True)
    for stale in snapshots.glob("*.partial"):
        shutil.rmtree(stale, ignore_errors=True)  # never published
    partial = snapshots / f"{snapshot_id}.partial"
    partial.mkdir()
    return partial


def publish(data_dir: Path, partial: Path, manifest: dict, keep: int) -> Path:
    """Write the manifest last, make the snapshot final, point `current` at it and prune old
    snapshots (keeping `keep`, the served one always among them). The manifest records the size and
    checksum of every file, so damage done later is found (dashboard.store.checksums). Returns the
    final folder."""
    manifest = {**manifest, checksums.FILES_KEY: checksums.inventory(partial)}
    files.write_json(layout.manifest_path(partial), manifest, indent=2)
    return promote(data_dir, partial, keep)


def promote(data_dir: Path, partial: Path, keep: int) -> Path:
    """Make a complete partial snapshot (its manifest written) final, point `current` at it and
    prune old snapshots: the end of a local publish, and of `follow` copying one from the store."""
    final = layout.snapshots_dir(data_dir) / partial.name.removesuffix(".partial")
    os.rename(partial, final)
    point_current_at(data_dir, final)
    prune(data_dir, keep=keep, serving=final)
    return final


def point_current_at(data_dir: Path, snapshot: Path) -> None:
    """Swap `current` in one step: readers see the old snapshot or the new one, never neither."""
    data_dir = Path(data_dir)
    tmp = data_dir / f".current.{snapshot.name}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(os.path.relpath(snapshot, data_dir), tmp)
    os.replace(tmp, layout.current_link(data_dir))


def prune(data_dir: Path, keep: int, serving: Path) -> None:
    snapshots = layout.snapshots_dir(data_dir)
    published = sorted(p for p in snapshots.iterdir() if p.is_dir() and not p.name.endswith(".partial"))
    for old in published[: -max(keep, 1)]:
        if old != serving:
            shutil.rmtree(old, ignore_errors=True)
